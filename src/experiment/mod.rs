//! The experiment: everything that determines a run's numbers.
//!
//! An [`ExperimentSpec`] comes raw from the URL, the form or the command
//! line; [`ExperimentSpec::validate`] checks it once and names the offending
//! field by its URL key; only a valid spec builds a [`Trainer`]. The URL form
//! is in [`query`] and documented in `docs/url-format.md`.

pub mod query;

pub use query::{KEYS, Notice, QUERY_VERSION, from_query, to_query};

use serde::{Deserialize, Serialize};

use crate::engine::data::{SpiralConfig, Task, split_stratified, two_spirals};
use crate::engine::model::{Activation, Head, Init, MlpConfig, RegressionLoss};
use crate::engine::optim::OptimizerConfig;
use crate::engine::train::{EarlyStopping, Metric, Trainer, TrainerConfig};

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
}

/// Which data set, and its generator's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataSpec {
    pub kind: DataKind,
    /// Points per class (for generated sets).
    pub n_per_class: usize,
    /// Noise, relative to the data's scale.
    pub noise: f64,
}

/// The data sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// Two interleaved spirals (binary classification).
    Spiral,
}

impl DataKind {
    pub const ALL: [DataKind; 1] = [DataKind::Spiral];

    pub fn key(self) -> &'static str {
        match self {
            DataKind::Spiral => "spiral",
        }
    }

    pub fn from_key(key: &str) -> Option<DataKind> {
        DataKind::ALL.into_iter().find(|d| d.key() == key)
    }

    pub fn task(self) -> Task {
        match self {
            DataKind::Spiral => Task::Classification { n_classes: 2 },
        }
    }

    pub fn n_features(self) -> usize {
        match self {
            DataKind::Spiral => 2,
        }
    }
}

impl Default for DataSpec {
    fn default() -> Self {
        let s = SpiralConfig::default();
        Self { kind: DataKind::Spiral, n_per_class: s.n_per_class, noise: s.noise }
    }
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
        }
    }
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
        let n = self.data.n_per_class;
        check((MIN_POINTS_PER_CLASS..=MAX_POINTS_PER_CLASS).contains(&n), "n", || {
            format!("points per class must be {MIN_POINTS_PER_CLASS}..={MAX_POINTS_PER_CLASS}, got {n}")
        })?;
        let noise = self.data.noise;
        check(in_range(noise, 0.0, MAX_NOISE), "noise", || format!("must be in [0, {MAX_NOISE}], got {noise}"))?;
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
        self.optimizer.validate().map_err(|(field, message)| SpecError { field, message })?;
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
        let l1 = self.l1;
        check(in_range(l1, 0.0, MAX_PENALTY), "l1", || format!("L1 must be in [0, {MAX_PENALTY}], got {l1}"))?;
        if let Some(c) = self.clip_norm {
            check(in_range(c, 1e-6, 1e6), "clip", || format!("the clipping norm must be > 0, got {c}"))?;
        }
        if let Some(es) = &self.early_stopping {
            check((1..=MAX_EPOCHS).contains(&es.patience), "es", || {
                format!("patience must be ≥ 1, got {}", es.patience)
            })?;
            check(Metric::for_task(self.data.kind.task()).contains(&es.metric), "esm", || {
                format!("`{}` is not reported for this data set", es.metric.key())
            })?;
            check(in_range(es.min_delta, 0.0, 1e6), "esd", || format!("must be ≥ 0, got {}", es.min_delta))?;
        }
        Ok(())
    }

    /// Size of the training set after the held-out splits.
    pub fn n_train(&self) -> usize {
        let n = self.data.n_per_class;
        let n_test = (n as f64 * self.test_ratio).round() as usize;
        let n_val = ((n as f64 * self.val_ratio).round() as usize).min(n.saturating_sub(n_test));
        self.data.kind.task().n_classes().max(1) * n.saturating_sub(n_test + n_val)
    }

    /// The activation of hidden layer `l`.
    pub fn activation(&self, l: usize) -> Activation {
        *self.activations.get(l).or(self.activations.first()).unwrap_or(&Activation::Tanh)
    }

    /// The output head for this data set.
    pub fn head(&self) -> Head {
        match self.data.kind.task() {
            Task::Classification { n_classes: 2 } => Head::SigmoidBce,
            Task::Classification { .. } => Head::SoftmaxCe,
            Task::Regression => Head::Linear(self.regression_loss),
        }
    }

    pub fn model(&self) -> MlpConfig {
        let head = self.head();
        let mut sizes = vec![self.data.kind.n_features()];
        sizes.extend(&self.hidden);
        sizes.push(head.n_outputs(self.data.kind.task().n_classes()));
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
        Metric::for_task(self.data.kind.task())
    }

    /// Generates the data and splits it (validation and test held out).
    pub fn split(&self) -> crate::engine::data::Split {
        let data = match self.data.kind {
            DataKind::Spiral => {
                two_spirals(&SpiralConfig { n_per_class: self.data.n_per_class, noise: self.data.noise }, self.seed)
            }
        };
        split_stratified(&data, self.val_ratio, self.test_ratio, self.seed)
    }

    /// Validates, generates the data and builds the trainer.
    pub fn trainer(&self) -> Result<Trainer, SpecError> {
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
        };
        Ok(Trainer::new(config, self.split()))
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
