//! The experiment: everything that determines a run's numbers.
//!
//! An [`ExperimentSpec`] comes raw from the URL, the form or the command
//! line; [`ExperimentSpec::validate`] checks it once and names the offending
//! field; only a valid spec builds a [`Trainer`].

mod query;

pub use query::{Notice, QUERY_VERSION, from_query, to_query};

use serde::{Deserialize, Serialize};

use crate::engine::data::{SpiralConfig, split_stratified, two_spirals};
use crate::engine::model::{Activation, MlpConfig};
use crate::engine::optim::OptimizerConfig;
use crate::engine::train::{Trainer, TrainerConfig};

/// The learning rates offered in the page: log-spaced, about ×3 apart,
/// from far too low to far too high for this network.
pub const LEARNING_RATES: [f64; 11] =
    [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];

/// Limits enforced by [`ExperimentSpec::validate`].
pub mod limits {
    pub const MAX_LR: f64 = 100.0;
    pub const MAX_EPOCHS: usize = 100_000;
    pub const MAX_HIDDEN_LAYERS: usize = 8;
    pub const MAX_UNITS: usize = 256;
    pub const MIN_POINTS_PER_CLASS: usize = 10;
    pub const MAX_POINTS_PER_CLASS: usize = 5_000;
    pub const MAX_NOISE: f64 = 1.0;
    pub const MAX_VAL_RATIO: f64 = 0.9;
}

/// One experiment: data, model, optimisation and seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExperimentSpec {
    /// Drives every random choice: data, split, initial weights, shuffling.
    pub seed: u64,
    pub data: SpiralConfig,
    /// Share of the data held out for validation.
    pub val_ratio: f64,
    /// Units of each hidden layer.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub lr: f64,
    pub batch_size: usize,
    pub n_epochs: usize,
}

impl Default for ExperimentSpec {
    /// The page's default experiment: two spirals, 2→8→8→1 tanh, SGD.
    fn default() -> Self {
        Self {
            seed: 1,
            data: SpiralConfig::default(),
            val_ratio: 0.2,
            hidden: vec![8, 8],
            activation: Activation::Tanh,
            lr: 0.1,
            batch_size: 10,
            n_epochs: 500,
        }
    }
}

/// A spec field that failed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// The field's query key (as in the URL and on the command line).
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
    if ok {
        Ok(())
    } else {
        Err(SpecError {
            field,
            message: message(),
        })
    }
}

impl ExperimentSpec {
    /// Checks every field; the error names the first bad one by its query key.
    pub fn validate(&self) -> Result<(), SpecError> {
        use limits::*;
        let n = self.data.n_per_class;
        check(
            (MIN_POINTS_PER_CLASS..=MAX_POINTS_PER_CLASS).contains(&n),
            "n",
            || {
                format!(
                    "points per class must be {MIN_POINTS_PER_CLASS}..={MAX_POINTS_PER_CLASS}, got {n}"
                )
            },
        )?;
        let noise = self.data.noise;
        check(
            noise.is_finite() && (0.0..=MAX_NOISE).contains(&noise),
            "noise",
            || format!("must be in [0, {MAX_NOISE}], got {noise}"),
        )?;
        let v = self.val_ratio;
        check(
            v.is_finite() && (0.0..=MAX_VAL_RATIO).contains(&v),
            "val",
            || format!("validation share must be in [0, {MAX_VAL_RATIO}], got {v}"),
        )?;
        check(self.hidden.len() <= MAX_HIDDEN_LAYERS, "hidden", || {
            format!(
                "at most {MAX_HIDDEN_LAYERS} hidden layers, got {}",
                self.hidden.len()
            )
        })?;
        for &u in &self.hidden {
            check((1..=MAX_UNITS).contains(&u), "hidden", || {
                format!("each layer needs 1..={MAX_UNITS} units, got {u}")
            })?;
        }
        let lr = self.lr;
        check(lr.is_finite() && lr > 0.0 && lr <= MAX_LR, "lr", || {
            format!("learning rate must be in (0, {MAX_LR}], got {lr}")
        })?;
        let n_train = self.n_train();
        check(
            (1..=n_train.max(1)).contains(&self.batch_size),
            "bs",
            || {
                format!(
                    "batch size must be 1..={n_train} (the training set), got {}",
                    self.batch_size
                )
            },
        )?;
        check((1..=MAX_EPOCHS).contains(&self.n_epochs), "ep", || {
            format!("epochs must be 1..={MAX_EPOCHS}, got {}", self.n_epochs)
        })?;
        Ok(())
    }

    /// Size of the training set after the validation split.
    pub fn n_train(&self) -> usize {
        let per_class_val = (self.data.n_per_class as f64 * self.val_ratio).round() as usize;
        2 * self.data.n_per_class.saturating_sub(per_class_val)
    }

    pub fn model(&self) -> MlpConfig {
        let mut sizes = vec![2];
        sizes.extend(&self.hidden);
        sizes.push(1);
        MlpConfig {
            sizes,
            hidden_activation: self.activation,
        }
    }

    /// Validates, generates the data and builds the trainer.
    pub fn trainer(&self) -> Result<Trainer, SpecError> {
        self.validate()?;
        let data = two_spirals(&self.data, self.seed);
        let split = split_stratified(&data, self.val_ratio, self.seed);
        let config = TrainerConfig {
            model: self.model(),
            optimizer: OptimizerConfig::default(),
            lr: self.lr,
            batch_size: self.batch_size,
            n_epochs: self.n_epochs,
            seed: self.seed,
        };
        Ok(Trainer::new(config, split))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("n", Box::new(|s| s.data.n_per_class = 1)),
            ("noise", Box::new(|s| s.data.noise = -0.1)),
            ("val", Box::new(|s| s.val_ratio = 0.95)),
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
}
