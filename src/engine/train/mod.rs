//! The step-wise trainer: runs epochs in chunks that can stop anywhere,
//! records every epoch, and ends cleanly when a run diverges.

use serde::{Deserialize, Serialize};

use super::data::Split;
use super::model::{Mlp, MlpConfig, Workspace};
use super::optim::{Optimizer, OptimizerConfig};
use super::rng::{Rng, stream};

/// A training loss above this counts as divergence (BCE at initialisation is ≈ 0.69).
pub const DIVERGENCE_LOSS: f64 = 1e3;

/// Everything the trainer needs besides the data.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainerConfig {
    pub model: MlpConfig,
    pub optimizer: OptimizerConfig,
    pub lr: f64,
    pub batch_size: usize,
    pub n_epochs: usize,
    pub seed: u64,
}

/// The metrics after one epoch, measured on the whole train and validation sets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// 1-based: the record after the first epoch has `epoch == 1`.
    pub epoch: usize,
    /// The learning rate used during this epoch.
    pub lr: f64,
    pub train_loss: f64,
    pub val_loss: f64,
    pub train_accuracy: f64,
    pub val_accuracy: f64,
}

impl EpochRecord {
    pub const CSV_HEADER: &'static str = "epoch,lr,train_loss,val_loss,train_accuracy,val_accuracy";

    pub fn csv_row(&self) -> String {
        format!(
            "{},{},{},{},{},{}",
            self.epoch,
            self.lr,
            self.train_loss,
            self.val_loss,
            self.train_accuracy,
            self.val_accuracy
        )
    }
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunState {
    /// More epochs to go.
    Training,
    /// All planned epochs ran.
    Finished,
    /// The loss became non-finite or exceeded [`DIVERGENCE_LOSS`] in `epoch`;
    /// that epoch's record is not kept, every earlier one is.
    Diverged { epoch: usize },
}

/// A resumable training run of one experiment.
#[derive(Clone, Debug)]
pub struct Trainer {
    config: TrainerConfig,
    data: Split,
    model: Mlp<f32>,
    ws: Workspace<f32>,
    grad: Vec<f32>,
    optimizer: Optimizer<f32>,
    shuffle_rng: Rng,
    order: Vec<usize>,
    records: Vec<EpochRecord>,
    state: RunState,
}

impl Trainer {
    pub fn new(config: TrainerConfig, data: Split) -> Self {
        let mut init_rng = Rng::new(config.seed, stream::INIT);
        let model = Mlp::new(config.model.clone(), &mut init_rng);
        let ws = model.workspace();
        let grad = vec![0.0; model.params.len()];
        let order = (0..data.train.len()).collect();
        let optimizer = config.optimizer.build(model.params.len());
        let state = if config.n_epochs == 0 {
            RunState::Finished
        } else {
            RunState::Training
        };
        Self {
            shuffle_rng: Rng::new(config.seed, stream::SHUFFLE),
            config,
            data,
            model,
            ws,
            grad,
            optimizer,
            order,
            records: Vec::new(),
            state,
        }
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

    pub fn state(&self) -> RunState {
        self.state
    }

    pub fn epochs_done(&self) -> usize {
        self.records.len()
    }

    /// Runs one epoch: a shuffled pass over the training set in mini-batches,
    /// then the evaluation that makes its record. Does nothing once the run ended.
    pub fn step_epoch(&mut self) -> RunState {
        if self.state != RunState::Training {
            return self.state;
        }
        let epoch = self.records.len() + 1;
        let lr = self.config.lr;
        self.shuffle_rng.shuffle(&mut self.order);
        for batch in self.order.chunks(self.config.batch_size.max(1)) {
            self.model
                .batch_loss_grad(&self.data.train, batch, &mut self.ws, &mut self.grad);
            self.optimizer.step(&mut self.model.params, &self.grad, lr);
        }
        let (train_loss, train_accuracy) = self.model.evaluate(&self.data.train, &mut self.ws);
        let (val_loss, val_accuracy) = self.model.evaluate(&self.data.val, &mut self.ws);
        let diverged = !train_loss.is_finite()
            || train_loss > DIVERGENCE_LOSS
            || self.model.params.iter().any(|p| !p.is_finite());
        if diverged {
            self.state = RunState::Diverged { epoch };
            return self.state;
        }
        self.records.push(EpochRecord {
            epoch,
            lr,
            train_loss,
            val_loss,
            train_accuracy,
            val_accuracy,
        });
        if epoch >= self.config.n_epochs {
            self.state = RunState::Finished;
        }
        self.state
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

    /// The predicted probability of class 1 on a `res × res` grid over the
    /// square `[-extent, extent]²`, row by row from the top (largest y) down.
    pub fn boundary_grid(&mut self, res: usize, extent: f32) -> Vec<f32> {
        let mut out = Vec::with_capacity(res * res);
        let step = 2.0 * extent / (res.max(2) - 1) as f32;
        for row in 0..res {
            let y = extent - row as f32 * step;
            for col in 0..res {
                let x = -extent + col as f32 * step;
                out.push(self.model.predict(&[x, y], &mut self.ws));
            }
        }
        out
    }
}
