//! The experiment: everything that determines a run's numbers.
//!
//! An [`ExperimentSpec`] comes raw from the URL, the form or the command
//! line; [`ExperimentSpec::validate`] checks it once and names the offending
//! field by its URL key; only a valid spec builds a [`Trainer`]. The URL form
//! is in [`query`] and documented in `docs/url-format.md`.

mod data;
pub mod drawn;
pub mod export;
pub mod json;
pub mod keys;
mod notice;
pub mod optuna;
mod own;
pub mod pytorch;
pub mod query;
pub mod regimes;
pub mod search;
pub mod session;
pub mod vary;

pub use data::{DataKind, DataSpec, bundled_csv};
pub use own::{FILE_NOT_LOADED, MAX_EMBEDDED, OwnData, OwnRef};
pub use query::{
    AUTORUN_KEY, EMBED_KEY, Notice, NoticeKind, ONLY_KEY, QUERY_VERSION, Tool, autorun_from_query, embed_from_query,
    from_query, from_query_on, lab_from_query, lab_from_query_on, lab_to_query, only_from_query, own_ref_from_query,
    to_query, tools_from_query, tools_to_query,
};

use serde::{Deserialize, Serialize};

use crate::engine::data::features::{self, Feature2d, FeatureSpec};
use crate::engine::data::{Split, Task, split_stratified};
use crate::engine::model::{Activation, Head, Init, MlpConfig, RegressionLoss};
use crate::engine::optim::OptimizerConfig;
use crate::engine::schedule::{ScheduleConfig, Warmup};
use crate::engine::surface::Surface;
use crate::engine::train::lr_finder::LrFinderConfig;
use crate::engine::train::{EarlyStopping, LrChange, Metric, Trainer, TrainerConfig};

/// The learning rates offered in the page: log-spaced, about ×3 apart,
/// from far too low to far too high for this network.
pub const LEARNING_RATES: [f64; 11] = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];

/// Limits enforced by [`ExperimentSpec::validate`].
pub mod limits {
    pub const MAX_LR: f64 = 100.0;
    pub const MAX_EPOCHS: usize = 100_000;
    pub const MAX_HIDDEN_LAYERS: usize = 8;
    pub const MAX_UNITS: usize = 256;
    pub const MIN_POINTS_PER_CLASS: usize = 10;
    pub const MAX_POINTS_PER_CLASS: usize = 5_000;
    pub const MAX_NOISE: f64 = 1.0;
    pub const MAX_HOLDOUT: f64 = 0.9;
    pub const MAX_DROPOUT: f64 = 0.9;
    pub const MAX_PENALTY: f64 = 10.0;
    pub const MAX_INIT_RANGE: f64 = 10.0;
    pub const MAX_CLASSES: usize = 8;
    pub const MAX_POLY_DEGREE: usize = 3;
    pub const MAX_FEATURES: usize = 512;
    pub const MAX_RACE_STEPS: usize = 10_000;
}

/// One experiment: data, model, optimisation, training and seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExperimentSpec {
    /// Drives every random choice: data, split, initial weights, shuffling, dropout.
    pub seed: u64,
    pub data: DataSpec,
    /// Share of each class held out for validation.
    pub val_ratio: f64,
    /// Share of each class held out for a final test (0: none).
    pub test_ratio: f64,
    /// Units of each hidden layer.
    pub hidden: Vec<usize>,
    /// Activation of each hidden layer (one entry applies to all).
    pub activations: Vec<Activation>,
    pub init: Init,
    pub dropout: f64,
    /// The regression loss (ignored for classification, whose loss is cross-entropy).
    pub regression_loss: RegressionLoss,
    pub optimizer: OptimizerConfig,
    pub lr: f64,
    pub batch_size: usize,
    pub n_epochs: usize,
    pub l1: f64,
    pub clip_norm: Option<f64>,
    pub early_stopping: Option<EarlyStopping>,
    /// Derived 2-D features (empty: the raw inputs).
    pub features_2d: Vec<Feature2d>,
    /// Polynomial degree of the features (1: none added).
    pub poly_degree: usize,
    /// Standardize the features; `None` takes the data set's default
    /// (on for the bundled real data sets, off for the generated ones).
    pub standardize: Option<bool>,
    /// The learning-rate schedule (relative to `lr`).
    pub schedule: ScheduleConfig,
    /// A linear warm-up in front of the schedule.
    pub warmup: Option<Warmup>,
    /// Learning rates set by hand during the run (replayed exactly).
    pub lr_changes: Vec<LrChange>,
    /// The optimizer race on a 2-D surface: which surface, where, how long.
    pub race: RaceSpec,
}

/// An optimizer race on a 2-D test function (the experiment's optimizer,
/// learning rate and schedule, stepped once per step).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceSpec {
    pub surface: Surface,
    /// The start point; `None` is the surface's own.
    pub start: Option<[f64; 2]>,
    pub steps: usize,
}

impl Default for RaceSpec {
    fn default() -> Self {
        Self { surface: Surface::QuadraticBowl, start: None, steps: 200 }
    }
}

impl RaceSpec {
    pub fn start_point(&self) -> [f64; 2] {
        self.start.unwrap_or(self.surface.start())
    }
}

impl Default for ExperimentSpec {
    /// The page's default experiment: two spirals, 2→8→8→1 tanh, SGD at 0.1.
    fn default() -> Self {
        Self {
            seed: 1,
            data: DataSpec::default(),
            val_ratio: 0.2,
            test_ratio: 0.0,
            hidden: vec![8, 8],
            activations: vec![Activation::Tanh],
            init: Init::GlorotUniform,
            dropout: 0.0,
            regression_loss: RegressionLoss::Mse,
            optimizer: OptimizerConfig::default(),
            lr: 0.1,
            batch_size: 10,
            n_epochs: 500,
            l1: 0.0,
            clip_norm: None,
            early_stopping: None,
            features_2d: Vec::new(),
            poly_degree: 1,
            standardize: None,
            schedule: ScheduleConfig::Constant,
            warmup: None,
            lr_changes: Vec::new(),
            race: RaceSpec::default(),
        }
    }
}

/// A script that takes the lab's work elsewhere (`pytorch`, `optuna`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptKind {
    /// The experiment, trained in PyTorch.
    Pytorch,
    /// The search, as an Optuna study.
    Optuna,
}

impl ScriptKind {
    /// The downloaded file's name.
    pub fn file_name(self) -> &'static str {
        match self {
            ScriptKind::Pytorch => "hyperlab_experiment.py",
            ScriptKind::Optuna => "hyperlab_study.py",
        }
    }
}

/// The lab's link to an experiment: its query after `page` (the lab's
/// address without its query; empty: the query alone) — what exported
/// scripts and figures name.
pub fn page_link(page: &str, spec: &ExperimentSpec) -> String {
    format!("{page}?{}", to_query(spec))
}

/// A spec field that failed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// The field's URL key (as on the command line, less the dashes).
    pub field: &'static str,
    pub message: String,
}

impl core::fmt::Display for SpecError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "invalid `{}`: {}", self.field, self.message)
    }
}

impl std::error::Error for SpecError {}

fn check(ok: bool, field: &'static str, message: impl FnOnce() -> String) -> Result<(), SpecError> {
    if ok { Ok(()) } else { Err(SpecError { field, message: message() }) }
}

fn in_range(v: f64, lo: f64, hi: f64) -> bool {
    v.is_finite() && v >= lo && v <= hi
}

impl ExperimentSpec {
    /// Checks every field; the error names the first bad one by its URL key.
    pub fn validate(&self) -> Result<(), SpecError> {
        use limits::*;
        check((self.data.kind == DataKind::Own) == self.data.own.is_some(), "data", || {
            "this experiment's data file is not loaded".to_string()
        })?;
        check(self.data.drawn.is_empty() || self.data.kind == DataKind::Drawn, "pts", || {
            format!("drawn points apply to data=drawn, not {}", self.data.label())
        })?;
        if self.data.kind == DataKind::Drawn {
            drawn::check(&self.data.drawn).map_err(|message| SpecError { field: "pts", message })?;
        }
        let n = self.data.n_per_class;
        let generated = self.data.is_generated();
        check(!generated || (MIN_POINTS_PER_CLASS..=MAX_POINTS_PER_CLASS).contains(&n), "n", || {
            format!("points per class must be {MIN_POINTS_PER_CLASS}..={MAX_POINTS_PER_CLASS}, got {n}")
        })?;
        let noise = self.data.noise;
        check(in_range(noise, 0.0, MAX_NOISE), "noise", || format!("must be in [0, {MAX_NOISE}], got {noise}"))?;
        let m = self.data.minority;
        check(in_range(m, 0.02, 0.5), "minority", || format!("the minority share must be in [0.02, 0.5], got {m}"))?;
        check(m == 0.5 || self.data.kind.is_binary_generated(), "minority", || {
            format!("imbalance applies to the generated binary sets, not {}", self.data.label())
        })?;
        let curve = self.data.curve;
        check(curve == DataSpec::default().curve || self.data.kind == DataKind::Boundary, "curve", || {
            format!("a curve applies to the boundary set (data=boundary), not {}", self.data.label())
        })?;
        let k = self.data.classes;
        check((2..=MAX_CLASSES).contains(&k), "classes", || format!("blobs need 2..={MAX_CLASSES} classes, got {k}"))?;
        let o = self.data.outliers;
        check(in_range(o, 0.0, 0.5), "outliers", || format!("the outlier share must be in [0, 0.5], got {o}"))?;
        check(o == 0.0 || self.data.task() == Task::Regression, "outliers", || {
            "outliers apply to the regression sets (sine, plane)".to_string()
        })?;
        check(self.features_2d.is_empty() || self.data.n_inputs() == 2, "feat", || {
            format!("derived 2-D features need 2-D data; {} has {} inputs", self.data.label(), self.data.n_inputs())
        })?;
        check((1..=MAX_POLY_DEGREE).contains(&self.poly_degree), "poly", || {
            format!("polynomial degree must be 1..={MAX_POLY_DEGREE}, got {}", self.poly_degree)
        })?;
        let width = self.n_model_inputs();
        check(width <= MAX_FEATURES, "poly", || {
            format!("that gives {width} features; at most {MAX_FEATURES} (lower the degree)")
        })?;
        let v = self.val_ratio;
        check(in_range(v, 0.05, MAX_HOLDOUT), "val", || {
            format!("validation share must be in [0.05, {MAX_HOLDOUT}], got {v}")
        })?;
        let t = self.test_ratio;
        check(in_range(t, 0.0, MAX_HOLDOUT) && v + t <= MAX_HOLDOUT, "test", || {
            format!("test share must be in [0, {MAX_HOLDOUT}] with validation + test ≤ {MAX_HOLDOUT}, got {t}")
        })?;
        check(self.hidden.len() <= MAX_HIDDEN_LAYERS, "hidden", || {
            format!("at most {MAX_HIDDEN_LAYERS} hidden layers, got {}", self.hidden.len())
        })?;
        for &u in &self.hidden {
            check((1..=MAX_UNITS).contains(&u), "hidden", || {
                format!("each layer needs 1..={MAX_UNITS} units, got {u}")
            })?;
        }
        let n_act = self.activations.len();
        check(n_act == 1 || n_act == self.hidden.len(), "act", || {
            format!("give one activation for all layers or one per hidden layer ({}), got {n_act}", self.hidden.len())
        })?;
        if let Init::Uniform { a } = self.init {
            check(in_range(a, 1e-6, MAX_INIT_RANGE), "init", || {
                format!("uniform range must be in (0, {MAX_INIT_RANGE}], got {a}")
            })?;
        }
        let d = self.dropout;
        check(in_range(d, 0.0, MAX_DROPOUT), "drop", || format!("dropout must be in [0, {MAX_DROPOUT}], got {d}"))?;
        if let RegressionLoss::Huber { delta } = self.regression_loss {
            check(in_range(delta, 1e-6, 1e6), "huber", || format!("Huber δ must be > 0, got {delta}"))?;
        }
        self.optimizer
            .validate()
            .map_err(|(field, message)| SpecError { field: keys::key_of_field(field), message })?;
        let lr = self.lr;
        check(lr.is_finite() && lr > 0.0 && lr <= MAX_LR, "lr", || {
            format!("learning rate must be in (0, {MAX_LR}], got {lr}")
        })?;
        let n_train = self.n_train();
        check((1..=n_train.max(1)).contains(&self.batch_size), "bs", || {
            format!("batch size must be 1..={n_train} (the training set), got {}", self.batch_size)
        })?;
        check((1..=MAX_EPOCHS).contains(&self.n_epochs), "ep", || {
            format!("epochs must be 1..={MAX_EPOCHS}, got {}", self.n_epochs)
        })?;
        self.schedule.validate().map_err(|(field, message)| SpecError { field: keys::key_of_field(field), message })?;
        // The lowest rate is a learning rate too: a schedule never goes past the lab's largest.
        if let Some(min_lr) = self.schedule.min_lr() {
            check(min_lr <= MAX_LR, "lrmin", || format!("the lowest rate must be at most {MAX_LR}, got {min_lr}"))?;
        }
        if let Some(w) = &self.warmup {
            check((1..=MAX_EPOCHS).contains(&w.epochs), "wu", || {
                format!("warm-up epochs must be ≥ 1, got {}", w.epochs)
            })?;
            check(in_range(w.start, 1e-6, 1.0), "wus", || {
                format!("the warm-up start factor must be in (0, 1], got {}", w.start)
            })?;
        }
        for (i, c) in self.lr_changes.iter().enumerate() {
            let ordered = i == 0 || self.lr_changes[i - 1].epoch < c.epoch;
            check(ordered && (1..=MAX_EPOCHS).contains(&c.epoch), "lrc", || {
                "hand-set rates need increasing epochs ≥ 1".to_string()
            })?;
            check(c.lr.is_finite() && c.lr > 0.0 && c.lr <= MAX_LR, "lrc", || {
                format!("a hand-set learning rate must be in (0, {MAX_LR}], got {}", c.lr)
            })?;
        }
        check((1..=MAX_RACE_STEPS).contains(&self.race.steps), "rsteps", || {
            format!("race steps must be 1..={MAX_RACE_STEPS}, got {}", self.race.steps)
        })?;
        if let Some([x, y]) = self.race.start {
            check(in_range(x, -1e3, 1e3), "x0", || format!("must be in [-1000, 1000], got {x}"))?;
            check(in_range(y, -1e3, 1e3), "y0", || format!("must be in [-1000, 1000], got {y}"))?;
        }
        let l1 = self.l1;
        check(in_range(l1, 0.0, MAX_PENALTY), "l1", || format!("L1 must be in [0, {MAX_PENALTY}], got {l1}"))?;
        if let Some(c) = self.clip_norm {
            check(in_range(c, 1e-6, 1e6), "clip", || format!("the clipping norm must be > 0, got {c}"))?;
        }
        if let Some(es) = &self.early_stopping {
            check((1..=MAX_EPOCHS).contains(&es.patience), "es", || {
                format!("patience must be ≥ 1, got {}", es.patience)
            })?;
            check(self.metrics().contains(&es.metric), "esm", || {
                format!("`{}` is not reported for this data set", es.metric.key())
            })?;
            check(in_range(es.min_delta, 0.0, 1e6), "esd", || format!("must be ≥ 0, got {}", es.min_delta))?;
        }
        Ok(())
    }

    /// Size of the training set after the held-out splits (exact for
    /// generated sets, within a few examples for bundled ones).
    pub fn n_train(&self) -> usize {
        let held_out = |n: usize| {
            let n_test = (n as f64 * self.test_ratio).round() as usize;
            let n_val = ((n as f64 * self.val_ratio).round() as usize).min(n.saturating_sub(n_test));
            n.saturating_sub(n_test + n_val)
        };
        if let Some(own) = &self.data.own {
            // Split by class, as the data is (`split_stratified`).
            return match own.data.task {
                Task::Regression => held_out(own.data.len()),
                Task::Classification { .. } => own.data.class_counts().into_iter().map(held_out).sum(),
            };
        }
        if self.data.kind == DataKind::Drawn && drawn::is_regression(&self.data.drawn) {
            return held_out(self.data.drawn.len());
        }
        if self.data.kind == DataKind::Drawn {
            let classes = drawn::n_classes(&self.data.drawn);
            let count = |c: usize| self.data.drawn.iter().filter(|p| usize::from(p.class) == c).count();
            return (0..classes).map(|c| held_out(count(c))).sum();
        }
        match (self.data.kind.bundled_size(), self.data.task()) {
            (Some(total), _) => held_out(total),
            (None, Task::Regression) => held_out(self.data.n_per_class),
            (None, _) if self.data.kind.is_binary_generated() && self.data.minority != 0.5 => {
                let total = 2 * self.data.n_per_class;
                let n1 = ((total as f64 * self.data.minority).round() as usize).clamp(2, total - 2);
                held_out(total - n1) + held_out(n1)
            }
            (None, Task::Classification { n_classes }) => n_classes * held_out(self.data.n_per_class),
        }
    }

    /// The activation of hidden layer `l`.
    pub fn activation(&self, l: usize) -> Activation {
        *self.activations.get(l).or(self.activations.first()).unwrap_or(&Activation::Tanh)
    }

    /// The output head for this data set.
    pub fn head(&self) -> Head {
        match self.data.task() {
            Task::Classification { n_classes: 2 } => Head::SigmoidBce,
            Task::Classification { .. } => Head::SoftmaxCe,
            Task::Regression => Head::Linear(self.regression_loss),
        }
    }

    /// The feature transforms, with the data set's default standardization resolved.
    pub fn features(&self) -> FeatureSpec {
        FeatureSpec {
            features_2d: self.features_2d.clone(),
            degree: self.poly_degree,
            standardize: self.standardize.unwrap_or(self.data.is_real()),
            plane: Some(self.data.plane()).filter(|&p| p != crate::engine::data::Plane::STANDARD),
        }
    }

    /// Inputs of the network after the feature transforms.
    pub fn n_model_inputs(&self) -> usize {
        features::n_features(&self.features(), self.data.n_inputs())
    }

    pub fn model(&self) -> MlpConfig {
        let head = self.head();
        let mut sizes = vec![self.n_model_inputs()];
        sizes.extend(&self.hidden);
        sizes.push(head.n_outputs(self.data.task().n_classes()));
        MlpConfig {
            sizes,
            activations: (0..self.hidden.len()).map(|l| self.activation(l)).collect(),
            head,
            init: self.init,
            dropout: self.dropout,
        }
    }

    /// The metrics reported for this experiment's task, loss first.
    pub fn metrics(&self) -> &'static [Metric] {
        Metric::for_task(self.data.task())
    }

    /// The raw data split (before feature transforms). Bundled sets need
    /// their CSV text: built in natively, fetched by the page.
    pub fn split_with(&self, bundled: Option<&str>) -> Result<Split, SpecError> {
        // The user's data is split where it lies, not copied first (it may hold millions of values).
        if let Some(own) = &self.data.own {
            return Ok(split_stratified(&own.data, self.val_ratio, self.test_ratio, self.seed));
        }
        let data = self.data.generate(self.seed, bundled).map_err(|message| SpecError { field: "data", message })?;
        Ok(split_stratified(&data, self.val_ratio, self.test_ratio, self.seed))
    }

    /// The raw data split of a generated data set (or a built-in bundled one).
    pub fn split(&self) -> Result<Split, SpecError> {
        self.split_with(None)
    }

    /// Validates, makes the data and builds the trainer.
    pub fn trainer_with(&self, bundled: Option<&str>) -> Result<Trainer, SpecError> {
        self.trainer_on(self.split_with(bundled)?)
    }

    /// Validates and builds the trainer on a given split (a cross-validation fold).
    pub fn trainer_on(&self, split: Split) -> Result<Trainer, SpecError> {
        self.validate()?;
        let config = TrainerConfig {
            model: self.model(),
            optimizer: self.optimizer.clone(),
            lr: self.lr,
            batch_size: self.batch_size,
            n_epochs: self.n_epochs,
            seed: self.seed,
            l1: self.l1,
            clip_norm: self.clip_norm,
            early_stopping: self.early_stopping.clone(),
            features: self.features(),
            schedule: self.schedule.clone(),
            warmup: self.warmup.clone(),
            lr_changes: self.lr_changes.clone(),
        };
        Ok(Trainer::new(config, split))
    }

    /// The learning rate planned for each epoch: the schedule (with its
    /// warm-up), overridden by the hand-set rates. A plateau schedule depends
    /// on the validation loss, so it plans the starting rate.
    pub fn planned_lrs(&self) -> Vec<f64> {
        let mut lrs = crate::engine::schedule::preview(&self.schedule, self.warmup.as_ref(), self.lr, self.n_epochs);
        for change in &self.lr_changes {
            for lr in lrs.iter_mut().skip(change.epoch.saturating_sub(1)) {
                *lr = change.lr;
            }
        }
        lrs
    }

    /// The optimizer's path on the race surface: `[x, y, f]` at the start and
    /// after each step, the learning rate following the schedule per step.
    pub fn trace(&self) -> Vec<[f64; 3]> {
        let mut scheduler =
            crate::engine::schedule::Scheduler::new(self.schedule.clone(), self.warmup.clone(), self.lr);
        crate::engine::surface::trace(
            self.race.surface,
            self.race.start_point(),
            &self.optimizer,
            |k| scheduler.lr(k, None),
            self.race.steps,
        )
    }

    /// The LR range test on a fresh run of this experiment (its data,
    /// network, optimizer and batches; the learning rate swept).
    pub fn lr_range_test(
        &self,
        config: &LrFinderConfig,
        bundled: Option<&str>,
    ) -> Result<crate::engine::train::lr_finder::LrFinderResult, SpecError> {
        let mut trainer = self.trainer_with(bundled)?;
        Ok(crate::engine::train::lr_finder::lr_range_test(&mut trainer, config))
    }

    /// This experiment on another data set, with the settings that no longer
    /// apply put back to their defaults, so the result is always valid when
    /// this spec was.
    pub fn with_data(&self, kind: DataKind) -> ExperimentSpec {
        self.with_data_spec(DataSpec { kind, own: None, drawn: Vec::new(), ..self.data.clone() })
    }

    /// This experiment on the user's data, the settings that no longer
    /// apply put back as [`ExperimentSpec::with_data`] does.
    pub fn with_own_data(&self, own: OwnData) -> ExperimentSpec {
        self.with_data_spec(DataSpec { own: Some(own), kind: DataKind::Own, drawn: Vec::new(), ..self.data.clone() })
    }

    /// This experiment on points drawn by hand (valid when
    /// [`drawn::check`] accepts them).
    pub fn with_drawn(&self, points: Vec<drawn::DrawnPoint>) -> ExperimentSpec {
        self.with_data_spec(DataSpec { drawn: points, kind: DataKind::Drawn, own: None, ..self.data.clone() })
    }

    fn with_data_spec(&self, data: DataSpec) -> ExperimentSpec {
        let d = ExperimentSpec::default();
        let mut spec = ExperimentSpec { data, ..self.clone() };
        if !spec.data.kind.is_binary_generated() {
            spec.data.minority = d.data.minority;
        }
        if spec.data.kind != DataKind::Boundary {
            spec.data.curve = d.data.curve;
        }
        if spec.data.task() != Task::Regression {
            spec.data.outliers = d.data.outliers;
        }
        if spec.data.n_inputs() != 2 {
            spec.features_2d.clear();
        }
        if spec.n_model_inputs() > limits::MAX_FEATURES {
            spec.poly_degree = 1;
        }
        if let Some(es) = &spec.early_stopping {
            if !spec.metrics().contains(&es.metric) {
                spec.early_stopping = None;
            }
        }
        spec.batch_size = spec.batch_size.clamp(1, spec.n_train().max(1));
        spec
    }

    /// [`trainer_with`](Self::trainer_with) for data that needs no loading.
    pub fn trainer(&self) -> Result<Trainer, SpecError> {
        self.trainer_with(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::optim::{AdamConfig, SgdConfig};

    #[test]
    fn default_is_valid() {
        ExperimentSpec::default().validate().unwrap();
    }

    #[test]
    fn each_bad_field_is_named() {
        type Mutation = Box<dyn Fn(&mut ExperimentSpec)>;
        let cases: Vec<(&str, Mutation)> = vec![
            ("lr", Box::new(|s| s.lr = 0.0)),
            ("lr", Box::new(|s| s.lr = f64::NAN)),
            ("lr", Box::new(|s| s.lr = 1e9)),
            ("bs", Box::new(|s| s.batch_size = 0)),
            ("bs", Box::new(|s| s.batch_size = 100_000)),
            ("ep", Box::new(|s| s.n_epochs = 0)),
            ("hidden", Box::new(|s| s.hidden = vec![8, 0])),
            ("hidden", Box::new(|s| s.hidden = vec![4; 9])),
            ("act", Box::new(|s| s.activations = vec![Activation::Relu; 3])),
            ("n", Box::new(|s| s.data.n_per_class = 1)),
            ("noise", Box::new(|s| s.data.noise = -0.1)),
            ("val", Box::new(|s| s.val_ratio = 0.95)),
            ("val", Box::new(|s| s.val_ratio = 0.0)),
            ("test", Box::new(|s| s.test_ratio = 0.8)),
            ("drop", Box::new(|s| s.dropout = 1.0)),
            ("init", Box::new(|s| s.init = Init::Uniform { a: -1.0 })),
            ("l1", Box::new(|s| s.l1 = -1.0)),
            ("clip", Box::new(|s| s.clip_norm = Some(0.0))),
            (
                "mom",
                Box::new(|s| s.optimizer = OptimizerConfig::Sgd(SgdConfig { momentum: 2.0, ..Default::default() })),
            ),
            ("b1", Box::new(|s| s.optimizer = OptimizerConfig::Adam(AdamConfig { beta1: 1.0, ..Default::default() }))),
            (
                "esm",
                Box::new(|s| {
                    s.early_stopping = Some(EarlyStopping { metric: Metric::R2, patience: 5, min_delta: 0.0 })
                }),
            ),
            (
                "es",
                Box::new(|s| {
                    s.early_stopping = Some(EarlyStopping { metric: Metric::Loss, patience: 0, min_delta: 0.0 })
                }),
            ),
        ];
        for (field, mutate) in cases {
            let mut spec = ExperimentSpec::default();
            mutate(&mut spec);
            let err = spec.validate().unwrap_err();
            assert_eq!(err.field, field, "{err}");
            assert!(err.to_string().contains(field));
        }
    }

    #[test]
    fn learning_rates_are_log_spaced_and_ascending() {
        for w in LEARNING_RATES.windows(2) {
            let ratio = w[1] / w[0];
            assert!((2.9..=3.4).contains(&ratio), "{w:?}");
        }
    }

    #[test]
    fn switching_data_always_gives_a_valid_spec() {
        let busy = ExperimentSpec {
            data: DataSpec { minority: 0.1, ..DataSpec::default() },
            features_2d: vec![Feature2d::X1X2],
            poly_degree: 3,
            batch_size: 300,
            early_stopping: Some(EarlyStopping { metric: Metric::RocAuc, patience: 3, min_delta: 0.0 }),
            ..ExperimentSpec::default()
        };
        busy.validate().unwrap();
        for from in DataKind::ALL {
            let start = busy.with_data(DataKind::Spiral).with_data(from);
            start.validate().unwrap_or_else(|e| panic!("{from:?}: {e}"));
            for to in DataKind::ALL {
                let next = start.with_data(to);
                next.validate().unwrap_or_else(|e| panic!("{from:?} → {to:?}: {e}"));
                assert_eq!(next.data.kind, to);
                assert_eq!(next.lr, busy.lr, "unrelated settings are kept");
            }
        }
    }

    #[test]
    fn the_model_follows_the_spec() {
        let spec = ExperimentSpec {
            hidden: vec![5, 4, 3],
            activations: vec![Activation::Relu, Activation::Gelu, Activation::Tanh],
            ..ExperimentSpec::default()
        };
        let m = spec.model();
        assert_eq!(m.sizes, [2, 5, 4, 3, 1]);
        assert_eq!(m.activations, [Activation::Relu, Activation::Gelu, Activation::Tanh]);
        assert_eq!(m.n_params(), 2 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3 + 3 + 1);
        let one = ExperimentSpec { hidden: vec![3, 3], activations: vec![Activation::Elu], ..Default::default() };
        assert_eq!(one.model().activations, [Activation::Elu, Activation::Elu]);
    }
}
