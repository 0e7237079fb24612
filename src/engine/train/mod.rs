//! The step-wise trainer: runs epochs in chunks that can stop anywhere,
//! records every epoch, and ends cleanly when a run diverges.

pub mod diagnostics;
pub mod lr_finder;
pub mod metrics;
mod record;

use serde::{Deserialize, Serialize};

pub use diagnostics::{Inside, LayerStats};
pub use metrics::{ConfusionMatrix, EVAL_ROWS, Evaluation, Evaluator, Metric, Scores, evaluate};
pub use record::{EpochRecord, RunState};

use super::data::{FeatureMap, FeatureSpec, Split};
use super::model::{Head, Mlp, MlpConfig, Workspace};
use super::optim::{Optimizer, OptimizerConfig};
use super::rng::{Rng, stream};
use super::scalar::Real;
use super::schedule::{ScheduleConfig, Scheduler, Warmup};

/// A training loss above this counts as divergence (cross-entropy at
/// initialisation is ≈ ln(classes), so this is far past any recovery).
pub const DIVERGENCE_LOSS: f64 = 1e6;

/// Stop when the validation metric has not improved by `min_delta` for
/// `patience` epochs in a row (Keras' `EarlyStopping`, without restoring).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    pub metric: Metric,
    pub patience: usize,
    pub min_delta: f64,
}

/// Everything the trainer needs besides the data.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainerConfig {
    pub model: MlpConfig,
    pub optimizer: OptimizerConfig,
    /// The learning rate to start with ([`Trainer::set_lr`] changes it live).
    pub lr: f64,
    pub batch_size: usize,
    pub n_epochs: usize,
    pub seed: u64,
    /// L1 penalty `λ·Σ|w|` on the weights (not the biases), added to the gradient.
    pub l1: f64,
    /// Clip the gradient's global L2 norm to this (`clip_grad_norm_`).
    pub clip_norm: Option<f64>,
    pub early_stopping: Option<EarlyStopping>,
    /// Transforms of the raw inputs; the model's input size must match.
    pub features: FeatureSpec,
    /// The learning-rate schedule, relative to `lr`.
    pub schedule: ScheduleConfig,
    pub warmup: Option<Warmup>,
    /// Learning rates set by hand during the run, in epoch order.
    pub lr_changes: Vec<LrChange>,
}

/// A learning rate set by hand: from 1-based `epoch` on, `lr` is used and the
/// schedule is suspended (the course's manual tuning "based on the error plot").
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrChange {
    pub epoch: usize,
    pub lr: f64,
}

impl TrainerConfig {
    /// A plain configuration: no L1, no clipping, no early stopping.
    pub fn new(
        model: MlpConfig,
        optimizer: OptimizerConfig,
        lr: f64,
        batch_size: usize,
        n_epochs: usize,
        seed: u64,
    ) -> Self {
        Self {
            model,
            optimizer,
            lr,
            batch_size,
            n_epochs,
            seed,
            l1: 0.0,
            clip_norm: None,
            early_stopping: None,
            features: FeatureSpec::default(),
            schedule: ScheduleConfig::Constant,
            warmup: None,
            lr_changes: Vec::new(),
        }
    }
}

/// Multiply-adds of work between two looks at [`Trainer::advance`]'s `stop`
/// (≈ half a millisecond): whole mini-batches and blocks of evaluated
/// examples until this much is done. A small network does a whole epoch
/// between looks; a large one looks after every mini-batch.
pub const PIECE_WORK: usize = 1 << 20;

/// Work begun and not finished: the untrained network's evaluation, or an
/// epoch (its mini-batches, then the evaluation of the training and the
/// validation set).
#[derive(Clone, Debug)]
enum Pending {
    Initial(Evaluator),
    Epoch { epoch: usize, lr: f64, stage: Stage },
}

#[derive(Clone, Debug)]
enum Stage {
    /// Mini-batches from `next` (an index into the epoch's batches).
    Batches {
        next: usize,
    },
    Train(Evaluator),
    Val {
        train: Scores,
        eval: Evaluator,
    },
}

/// A resumable training run of one experiment.
#[derive(Clone, Debug)]
pub struct Trainer {
    config: TrainerConfig,
    /// The data after the feature map.
    data: Split,
    features: FeatureMap,
    /// Scratch for one input's features in `predict`.
    feature_buf: Vec<f32>,
    model: Mlp<f32>,
    ws: Workspace<f32>,
    grad: Vec<f32>,
    weight_mask: Vec<bool>,
    optimizer: Optimizer<f32>,
    /// The learning rate of the current (or next) epoch.
    lr: f64,
    scheduler: Scheduler,
    shuffle_rng: Rng,
    dropout_rng: Rng,
    order: Vec<usize>,
    /// Position in `order` of the next mini-batch of `train_batch`.
    batch_cursor: usize,
    records: Vec<EpochRecord>,
    /// The scores of the untrained network (the "epoch 0" of the curves),
    /// once evaluated (the first piece of work, or on demand).
    initial: Option<Scores>,
    /// What [`advance`](Self::advance) resumes.
    pending: Option<Pending>,
    best: Option<(usize, f64)>,
    state: RunState,
    /// The per-layer diagnostics, once enabled.
    diag: Option<Box<DiagState>>,
}

/// What the diagnostics keep between the steps of an epoch.
#[derive(Clone, Debug, Default)]
struct DiagState {
    /// The parameters before the epoch's last mini-batch step.
    before: Vec<f32>,
    /// The norms of the epoch's last step.
    step: Vec<LayerStats>,
    /// Dead or saturated shares of the hidden layers, from the training-set evaluation.
    dead: Vec<f64>,
    /// One entry per record.
    history: Vec<Vec<LayerStats>>,
}

impl Trainer {
    /// A trainer on `raw` data: the feature map is fitted on its training set.
    pub fn new(mut config: TrainerConfig, raw: Split) -> Self {
        let features = FeatureMap::fit(&config.features, &raw.train);
        let data = if features.is_identity() { raw } else { features.apply_split(&raw) };
        if let Some(first) = config.model.sizes.first_mut() {
            *first = data.train.n_features;
        }
        let mut init_rng = Rng::new(config.seed, stream::INIT);
        let model = Mlp::new(config.model.clone(), &mut init_rng);
        let mut ws = model.workspace();
        // Room for the largest mini-batch and an evaluation's block of rows
        // now, so neither allocates.
        let largest = data.train.len().max(data.val.len()).max(data.test.len());
        ws.reserve_batch(config.batch_size.max(1).min(data.train.len()).max(EVAL_ROWS.min(largest)));
        let grad = vec![0.0; model.params.len()];
        let weight_mask = model.weight_mask();
        let optimizer = config.optimizer.build(model.params.len());
        let order = (0..data.train.len()).collect();
        let state = if config.n_epochs == 0 || data.train.is_empty() { RunState::Finished } else { RunState::Training };
        let pending = Some(Pending::Initial(Evaluator::new(&data.train)));
        Self {
            shuffle_rng: Rng::new(config.seed, stream::SHUFFLE),
            dropout_rng: Rng::new(config.seed, stream::DROPOUT),
            lr: config.lr,
            scheduler: Scheduler::new(config.schedule.clone(), config.warmup.clone(), config.lr),
            config,
            data,
            features,
            feature_buf: Vec::new(),
            model,
            ws,
            grad,
            weight_mask,
            optimizer,
            order,
            batch_cursor: 0,
            records: Vec::new(),
            initial: None,
            pending,
            best: None,
            state,
            diag: None,
        }
    }

    /// Measures the per-layer diagnostics from now on (see
    /// [`diagnostics`]): once an epoch, one copy of the parameters and a look
    /// at the hidden units during the training-set evaluation. The numbers
    /// of the run are unchanged.
    pub fn enable_diagnostics(&mut self) {
        if self.diag.is_none() {
            self.diag = Some(Box::new(DiagState { before: vec![0.0; self.model.params.len()], ..Default::default() }));
        }
    }

    /// The diagnostics of each epoch since they were enabled (aligned with the
    /// end of [`records`](Self::records)).
    pub fn diagnostics(&self) -> &[Vec<LayerStats>] {
        self.diag.as_ref().map_or(&[], |d| &d.history)
    }

    pub fn config(&self) -> &TrainerConfig {
        &self.config
    }

    pub fn data(&self) -> &Split {
        &self.data
    }

    pub fn model(&self) -> &Mlp<f32> {
        &self.model
    }

    pub fn records(&self) -> &[EpochRecord] {
        &self.records
    }

    /// The training-set scores of the untrained network (evaluated now if
    /// [`advance`](Self::advance) has not yet done it).
    pub fn initial_scores(&mut self) -> Scores {
        while self.initial.is_none() {
            self.advance_initial(&mut || false);
        }
        self.initial.unwrap_or_default()
    }

    /// The untrained network's scores if they have been evaluated.
    pub fn initial_scores_if_known(&self) -> Option<Scores> {
        self.initial
    }

    /// How far the epoch in progress has got, in `[0, 1)` (mini-batches
    /// first, then the evaluation); `None` between epochs.
    pub fn epoch_progress(&self) -> Option<f64> {
        let Some(Pending::Epoch { stage, .. }) = &self.pending else { return None };
        let n_batches = self.n_batches() as f64;
        let (n_train, n_val) = (self.data.train.len() as f64, self.data.val.len() as f64);
        // Weighed by work: a mini-batch example costs about three forward passes.
        let total = 3.0 * n_train + n_train + n_val;
        let done = match stage {
            Stage::Batches { next } => 3.0 * n_train * (*next as f64 / n_batches.max(1.0)),
            Stage::Train(e) => 3.0 * n_train + e.done() as f64,
            Stage::Val { eval, .. } => 4.0 * n_train + eval.done() as f64,
        };
        Some((done / total.max(1.0)).clamp(0.0, 0.999))
    }

    pub fn state(&self) -> RunState {
        self.state
    }

    /// The learning rate of the last epoch run (the starting rate before any).
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// Sets the learning rate by hand from the next epoch on, suspending the
    /// schedule; the change is recorded (see [`lr_changes`](Self::lr_changes))
    /// so the run can be replayed. The optimizer's state is kept.
    pub fn set_lr(&mut self, lr: f64) {
        // An epoch in progress keeps the rate it started with.
        let in_progress = usize::from(matches!(self.pending, Some(Pending::Epoch { .. })));
        let epoch = self.records.len() + 1 + in_progress;
        self.config.lr_changes.retain(|c| c.epoch < epoch);
        self.config.lr_changes.push(LrChange { epoch, lr });
    }

    /// Every hand-set learning rate of this run, in epoch order.
    pub fn lr_changes(&self) -> &[LrChange] {
        &self.config.lr_changes
    }

    /// The learning rate for 1-based `epoch`: the latest hand-set rate at or
    /// before it, else the schedule's.
    fn lr_for_epoch(&mut self, epoch: usize) -> f64 {
        let prev_val_loss = self.records.last().map(|r| r.val.loss);
        let scheduled = self.scheduler.lr(epoch - 1, prev_val_loss);
        self.config.lr_changes.iter().rev().find(|c| c.epoch <= epoch).map_or(scheduled, |c| c.lr)
    }

    /// Runs one epoch: a shuffled pass over the training set in mini-batches,
    /// then the evaluation that makes its record. Does nothing once the run ended.
    pub fn step_epoch(&mut self) -> RunState {
        while !self.advance(&mut || false) {}
        self.state
    }

    /// Works toward the next epoch's record — the untrained network's
    /// evaluation first, then the epoch's mini-batches, then the evaluation
    /// of the training and validation sets — in pieces of about
    /// [`PIECE_WORK`], asking `stop` after each. Returns `true` once the
    /// record is made (or the run is over), `false` when `stop` cut it short;
    /// the next call resumes where this one stopped. However it is cut, the
    /// numbers are those of [`step_epoch`](Self::step_epoch), bit for bit.
    pub fn advance(&mut self, stop: &mut dyn FnMut() -> bool) -> bool {
        if self.initial.is_none() && !self.advance_initial(stop) {
            return false;
        }
        if self.state != RunState::Training {
            return true;
        }
        if !matches!(self.pending, Some(Pending::Epoch { .. })) {
            let epoch = self.records.len() + 1;
            let lr = self.lr_for_epoch(epoch);
            self.lr = lr;
            self.shuffle_rng.shuffle(&mut self.order);
            self.pending = Some(Pending::Epoch { epoch, lr, stage: Stage::Batches { next: 0 } });
        }
        loop {
            let Some(Pending::Epoch { epoch, lr, stage }) = self.pending.take() else { return true };
            let stage = match stage {
                Stage::Batches { next } => {
                    let next = self.train_batches(next, lr);
                    if next < self.n_batches() {
                        Stage::Batches { next }
                    } else if self.diag.is_some() {
                        Stage::Train(Evaluator::new(&self.data.train).with_units(&self.model.config))
                    } else {
                        Stage::Train(Evaluator::new(&self.data.train))
                    }
                }
                Stage::Train(mut eval) => {
                    self.evaluate_piece(&mut eval, false);
                    if eval.done() < self.data.train.len() {
                        Stage::Train(eval)
                    } else {
                        if let (Some(diag), Some(shares)) = (&mut self.diag, eval.unit_shares()) {
                            diag.dead = shares;
                        }
                        Stage::Val { train: eval.finish().scores, eval: Evaluator::new(&self.data.val) }
                    }
                }
                Stage::Val { train, mut eval } => {
                    self.evaluate_piece(&mut eval, true);
                    if eval.done() < self.data.val.len() {
                        Stage::Val { train, eval }
                    } else {
                        let val = eval.finish().scores;
                        self.end_epoch(epoch, lr, train, val);
                        return true;
                    }
                }
            };
            self.pending = Some(Pending::Epoch { epoch, lr, stage });
            if stop() {
                return false;
            }
        }
    }

    /// Evaluates the untrained network piece by piece; `true` once done.
    fn advance_initial(&mut self, stop: &mut dyn FnMut() -> bool) -> bool {
        loop {
            // A new trainer has this evaluation pending; no epoch begins before it ends.
            let mut eval = match self.pending.take() {
                Some(Pending::Initial(eval)) => eval,
                _ => Evaluator::new(&self.data.train),
            };
            self.evaluate_piece(&mut eval, false);
            if eval.done() >= self.data.train.len() {
                self.initial = Some(eval.finish().scores);
                return true;
            }
            self.pending = Some(Pending::Initial(eval));
            if stop() {
                return false;
            }
        }
    }

    /// Evaluates about [`PIECE_WORK`] more examples of the validation set
    /// into `eval` (a view of the network, built piece by piece).
    pub fn feed_val(&mut self, eval: &mut Evaluator) {
        self.evaluate_piece(eval, true);
    }

    /// Multiply-adds of one example's forward pass (about).
    pub fn example_work(&self) -> usize {
        self.model.params.len().max(1)
    }

    /// Mini-batches in an epoch.
    fn n_batches(&self) -> usize {
        self.order.len().div_ceil(self.config.batch_size.max(1))
    }

    /// Trains mini-batches from index `next` until about [`PIECE_WORK`] is
    /// done (at least one); returns the index of the next one.
    fn train_batches(&mut self, mut next: usize, lr: f64) -> usize {
        let bs = self.config.batch_size.max(1);
        let mut work = 0;
        let dropout = self.config.model.dropout > 0.0;
        while next < self.n_batches() && work < PIECE_WORK {
            let batch = &self.order[next * bs..((next + 1) * bs).min(self.order.len())];
            let rng = if dropout { Some(&mut self.dropout_rng) } else { None };
            self.model.batch_grad(&self.data.train, batch, &mut self.ws, &mut self.grad, rng);
            regularise_gradient(&mut self.grad, &self.model.params, &self.weight_mask, &self.config);
            // The epoch's last step is the one the diagnostics measure.
            let last = next + 1 == self.n_batches();
            if let Some(diag) = self.diag.as_mut().filter(|_| last) {
                diag.before.copy_from_slice(&self.model.params);
            }
            self.optimizer.step(&mut self.model.params, &self.grad, lr);
            if let Some(diag) = self.diag.as_mut().filter(|_| last) {
                diag.step = diagnostics::step_stats(&self.model.config, &self.grad, &diag.before, &self.model.params);
            }
            work += 3 * batch.len() * self.example_work();
            next += 1;
        }
        next
    }

    /// Evaluates about [`PIECE_WORK`] more examples (at least one) of the
    /// training or validation set.
    fn evaluate_piece(&mut self, eval: &mut Evaluator, val: bool) {
        let data = if val { &self.data.val } else { &self.data.train };
        let block = (PIECE_WORK / self.example_work()).max(1);
        eval.feed(&self.model, data, &mut self.ws, eval.done().saturating_add(block));
    }

    /// Makes epoch `epoch`'s record from its scores, or ends the run.
    fn end_epoch(&mut self, epoch: usize, lr: f64, train: Scores, val: Scores) {
        let diverged =
            !train.loss.is_finite() || train.loss > DIVERGENCE_LOSS || self.model.params.iter().any(|p| !p.is_finite());
        if diverged {
            self.state = RunState::Diverged { epoch };
            return;
        }
        self.records.push(EpochRecord { epoch, lr, train, val });
        if let Some(diag) = &mut self.diag {
            let mut layers = diag.step.clone();
            for (stats, &dead) in layers.iter_mut().zip(&diag.dead) {
                stats.dead = dead;
            }
            diag.history.push(layers);
        }
        if let Some(stop) = &self.config.early_stopping {
            if let Some(best_epoch) = self.early_stop(stop.clone(), epoch, &val) {
                self.state = RunState::Stopped { best_epoch };
                return;
            }
        }
        if epoch >= self.config.n_epochs {
            self.state = RunState::Finished;
        }
    }

    /// One shuffled pass over the training set in mini-batches, updating the
    /// weights; no evaluation (the benchmark times exactly this: the
    /// mini-batches of an epoch).
    pub fn train_pass(&mut self) {
        let lr = self.lr;
        self.shuffle_rng.shuffle(&mut self.order);
        let mut next = 0;
        while next < self.n_batches() {
            next = self.train_batches(next, lr);
        }
    }

    /// The order of the training examples in each of the next `epochs`
    /// epochs, one after another (`epochs × n_train` indices): what the
    /// trainer's shuffles will give, without touching them. A run exported
    /// to another library replays exactly these batches.
    pub fn upcoming_orders(&self, epochs: usize) -> Vec<usize> {
        let mut rng = self.shuffle_rng.clone();
        let mut order = self.order.clone();
        let mut all = Vec::with_capacity(epochs.saturating_mul(order.len()));
        for _ in 0..epochs {
            rng.shuffle(&mut order);
            all.extend_from_slice(&order);
        }
        all
    }

    /// Trains one mini-batch at learning rate `lr` and returns its loss (the
    /// LR range test's step). Batches walk through a shuffled order,
    /// reshuffled at the end of each pass; epochs and records are untouched.
    pub fn train_batch(&mut self, lr: f64) -> f64 {
        if self.order.is_empty() {
            return f64::NAN;
        }
        if self.batch_cursor == 0 {
            self.shuffle_rng.shuffle(&mut self.order);
        }
        let end = (self.batch_cursor + self.config.batch_size.max(1)).min(self.order.len());
        let batch = &self.order[self.batch_cursor..end];
        self.batch_cursor = if end == self.order.len() { 0 } else { end };
        let rng = if self.config.model.dropout > 0.0 { Some(&mut self.dropout_rng) } else { None };
        let loss = self.model.batch_loss_grad(&self.data.train, batch, &mut self.ws, &mut self.grad, rng);
        regularise_gradient(&mut self.grad, &self.model.params, &self.weight_mask, &self.config);
        self.optimizer.step(&mut self.model.params, &self.grad, lr);
        loss as f64
    }

    /// Bytes held by the run: data, parameters, gradients, optimizer state
    /// and buffers (vector capacities; small fixed overheads left out).
    pub fn memory_bytes(&self) -> usize {
        let data = |d: &super::data::Dataset| 4 * (d.x.capacity() + d.y.capacity());
        data(&self.data.train)
            + data(&self.data.val)
            + data(&self.data.test)
            + 4 * (self.model.params.capacity() + self.grad.capacity())
            + self.weight_mask.capacity()
            + self.optimizer.state_bytes()
            + self.ws.bytes()
            + 8 * self.order.capacity()
            + core::mem::size_of::<EpochRecord>() * self.records.capacity()
            + self.diag.as_ref().map_or(0, |d| {
                4 * d.before.capacity() + core::mem::size_of::<LayerStats>() * d.step.len() * (1 + d.history.capacity())
            })
    }

    /// Updates the best validation score; returns the best epoch if patience ran out.
    fn early_stop(&mut self, stop: EarlyStopping, epoch: usize, val: &Scores) -> Option<usize> {
        let value = val.get(stop.metric)?;
        let sign = if stop.metric.higher_is_better() { 1.0 } else { -1.0 };
        match self.best {
            Some((_, best)) if sign * (value - best) <= stop.min_delta => {}
            _ => self.best = Some((epoch, value)),
        }
        let (best_epoch, _) = self.best?;
        (epoch - best_epoch >= stop.patience).then_some(best_epoch)
    }

    /// Runs up to `n` epochs, stopping early if the run ends.
    pub fn run_epochs(&mut self, n: usize) -> RunState {
        for _ in 0..n {
            if self.step_epoch() != RunState::Training {
                break;
            }
        }
        self.state
    }

    /// Runs every remaining epoch.
    pub fn run_to_end(&mut self) -> RunState {
        self.run_epochs(usize::MAX)
    }

    /// Scores and confusion matrix of the current model on the test set.
    pub fn evaluate_test(&mut self) -> Evaluation {
        evaluate(&self.model, &self.data.test, &mut self.ws)
    }

    /// Scores and confusion matrix of the current model on the validation set.
    pub fn evaluate_val(&mut self) -> Evaluation {
        evaluate(&self.model, &self.data.val, &mut self.ws)
    }

    /// The network's raw outputs (logits, or the prediction for regression)
    /// for one raw input, through the feature map.
    pub fn predict(&mut self, raw: &[f32]) -> &[f32] {
        if self.features.is_identity() {
            self.model.forward(raw, &mut self.ws)
        } else {
            self.features.apply_into(raw, &mut self.feature_buf);
            self.model.forward(&self.feature_buf, &mut self.ws)
        }
    }

    /// Runs the network on training example `i` (already through the
    /// feature map) without dropout; [`layer_values`](Self::layer_values)
    /// then reads every layer.
    pub fn forward_train(&mut self, i: usize) {
        if i < self.data.train.len() {
            self.model.forward(self.data.train.features(i), &mut self.ws);
        }
    }

    /// The network's outputs (before the head) on validation example `i`
    /// (already through the feature map); empty past the last one.
    pub fn predict_val(&mut self, i: usize) -> &[f32] {
        if i >= self.data.val.len() {
            return &[];
        }
        self.model.forward(self.data.val.features(i), &mut self.ws)
    }

    /// The values of layer `l` — 0: the inputs after the feature map, then
    /// the hidden activations, last the outputs before the head — from the
    /// last [`predict`](Self::predict).
    pub fn layer_values(&self, l: usize) -> &[f32] {
        self.ws.layer(l)
    }

    /// The network's first output on a `res × res` grid over the square
    /// `[-extent, extent]²`, row by row from the top (largest y) down: the
    /// probability of class 1 for a sigmoid head, the raw output otherwise.
    /// Only for 2-D inputs.
    pub fn boundary_grid(&mut self, res: usize, extent: f32) -> Vec<f32> {
        let sigmoid = self.model.config.head == Head::SigmoidBce;
        grid_points(res, extent)
            .map(|p| {
                let z = self.predict(&p)[0];
                if sigmoid { z.sigmoid() } else { z }
            })
            .collect()
    }
}

/// L1 and gradient-norm clipping, applied to the batch gradient in place.
fn regularise_gradient(grad: &mut [f32], params: &[f32], weight_mask: &[bool], config: &TrainerConfig) {
    if config.l1 > 0.0 {
        let l1 = config.l1 as f32;
        for ((g, &p), &is_weight) in grad.iter_mut().zip(params).zip(weight_mask) {
            if is_weight && p != 0.0 {
                *g += l1 * p.signum();
            }
        }
    }
    if let Some(max_norm) = config.clip_norm {
        let norm = libm::sqrt(grad.iter().map(|&g| (g as f64) * (g as f64)).sum::<f64>());
        // PyTorch's clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is below 1.
        let coef = max_norm / (norm + 1e-6);
        if coef < 1.0 {
            let coef = coef as f32;
            for g in grad.iter_mut() {
                *g *= coef;
            }
        }
    }
}

/// The points of a `res × res` grid over `[-extent, extent]²`, row by row
/// from the top (largest y) down, each row from left to right.
pub fn grid_points(res: usize, extent: f32) -> impl Iterator<Item = [f32; 2]> {
    crate::engine::data::Plane { centre: [0.0, 0.0], half: extent }.grid(res)
}
