//! Optimizers, with PyTorch's update rules and defaults (`torch.optim`).
//!
//! Each optimizer has a `XxxConfig` (its hyperparameters, serialisable, one
//! variant of [`OptimizerConfig`]) and a runtime `Xxx<F>` holding its state.
//! The learning rate is an argument of every [`Optimizer::step`], so any
//! schedule, or a change made live during training, composes with any
//! optimizer. Weight decay is PyTorch's: coupled (added to the gradient as
//! `wd·θ`, i.e. L2) everywhere except [`AdamW`], where it is decoupled.
//!
//! The trajectories are checked against PyTorch in
//! `tests/optimizer_traces.rs`.

mod adadelta;
mod adagrad;
mod adam;
mod rmsprop;
mod sgd;

pub use adadelta::{Adadelta, AdadeltaConfig};
pub use adagrad::{Adagrad, AdagradConfig};
pub use adam::{Adam, AdamConfig, AdamW};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use sgd::{Sgd, SgdConfig};

use serde::{Deserialize, Serialize};

use crate::engine::field::Field;
use crate::engine::scalar::Real;

/// Every optimizer the lab offers, with its hyperparameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerConfig {
    Sgd(SgdConfig),
    Adagrad(AdagradConfig),
    Adadelta(AdadeltaConfig),
    RmsProp(RmsPropConfig),
    Adam(AdamConfig),
    /// Adam with decoupled weight decay (Loshchilov & Hutter, 2019).
    AdamW(AdamConfig),
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig::Sgd(SgdConfig::default())
    }
}

impl OptimizerConfig {
    /// The optimizer's display name.
    pub fn name(&self) -> &'static str {
        match self {
            OptimizerConfig::Sgd(c) if c.nesterov => "SGD (Nesterov)",
            OptimizerConfig::Sgd(c) if c.momentum > 0.0 => "SGD with momentum",
            OptimizerConfig::Sgd(_) => "SGD",
            OptimizerConfig::Adagrad(_) => "Adagrad",
            OptimizerConfig::Adadelta(_) => "Adadelta",
            OptimizerConfig::RmsProp(_) => "RMSprop",
            OptimizerConfig::Adam(c) if c.amsgrad => "Adam (AMSGrad)",
            OptimizerConfig::Adam(_) => "Adam",
            OptimizerConfig::AdamW(_) => "AdamW",
        }
    }

    /// The runtime optimizer for `n_params` parameters.
    pub fn build<F: Real>(&self, n_params: usize) -> Optimizer<F> {
        match self {
            OptimizerConfig::Sgd(c) => Optimizer::Sgd(Sgd::new(c.clone(), n_params)),
            OptimizerConfig::Adagrad(c) => Optimizer::Adagrad(Adagrad::new(c.clone(), n_params)),
            OptimizerConfig::Adadelta(c) => Optimizer::Adadelta(Adadelta::new(c.clone(), n_params)),
            OptimizerConfig::RmsProp(c) => Optimizer::RmsProp(RmsProp::new(c.clone(), n_params)),
            OptimizerConfig::Adam(c) => Optimizer::Adam(Adam::new(c.clone(), n_params)),
            OptimizerConfig::AdamW(c) => Optimizer::AdamW(AdamW::new(c.clone(), n_params)),
        }
    }

    /// The names of the optimizers, in the order the lab lists them.
    pub const KEYS: [&'static str; 6] = ["sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamw"];

    /// The short name (`sgd`, `adamw`): the inverse of [`OptimizerConfig::from_key`].
    pub fn key(&self) -> &'static str {
        match self {
            OptimizerConfig::Sgd(_) => "sgd",
            OptimizerConfig::Adagrad(_) => "adagrad",
            OptimizerConfig::Adadelta(_) => "adadelta",
            OptimizerConfig::RmsProp(_) => "rmsprop",
            OptimizerConfig::Adam(_) => "adam",
            OptimizerConfig::AdamW(_) => "adamw",
        }
    }

    /// The optimizer named `key`, with PyTorch's defaults.
    pub fn from_key(key: &str) -> Option<OptimizerConfig> {
        Some(match key {
            "sgd" => OptimizerConfig::Sgd(SgdConfig::default()),
            "adagrad" => OptimizerConfig::Adagrad(AdagradConfig::default()),
            "adadelta" => OptimizerConfig::Adadelta(AdadeltaConfig::default()),
            "rmsprop" => OptimizerConfig::RmsProp(RmsPropConfig::default()),
            "adam" => OptimizerConfig::Adam(AdamConfig::default()),
            "adamw" => OptimizerConfig::AdamW(AdamConfig::adamw()),
            _ => return None,
        })
    }

    /// The hyperparameter of this optimizer named `name` (its field's name:
    /// `momentum`, `beta2`, `weight_decay`); `None` if it has none such.
    pub fn field(&mut self, name: &str) -> Option<Field<'_>> {
        use Field::{Flag, Real};
        Some(match (self, name) {
            (OptimizerConfig::Sgd(c), "momentum") => Real(&mut c.momentum),
            (OptimizerConfig::Sgd(c), "dampening") => Real(&mut c.dampening),
            (OptimizerConfig::Sgd(c), "nesterov") => Flag(&mut c.nesterov),
            (OptimizerConfig::Sgd(c), "weight_decay") => Real(&mut c.weight_decay),
            (OptimizerConfig::Adagrad(c), "lr_decay") => Real(&mut c.lr_decay),
            (OptimizerConfig::Adagrad(c), "initial_accumulator_value") => Real(&mut c.initial_accumulator_value),
            (OptimizerConfig::Adagrad(c), "eps") => Real(&mut c.eps),
            (OptimizerConfig::Adagrad(c), "weight_decay") => Real(&mut c.weight_decay),
            (OptimizerConfig::Adadelta(c), "rho") => Real(&mut c.rho),
            (OptimizerConfig::Adadelta(c), "eps") => Real(&mut c.eps),
            (OptimizerConfig::Adadelta(c), "weight_decay") => Real(&mut c.weight_decay),
            (OptimizerConfig::RmsProp(c), "alpha") => Real(&mut c.alpha),
            (OptimizerConfig::RmsProp(c), "eps") => Real(&mut c.eps),
            (OptimizerConfig::RmsProp(c), "momentum") => Real(&mut c.momentum),
            (OptimizerConfig::RmsProp(c), "centered") => Flag(&mut c.centered),
            (OptimizerConfig::RmsProp(c), "weight_decay") => Real(&mut c.weight_decay),
            (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "beta1") => Real(&mut c.beta1),
            (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "beta2") => Real(&mut c.beta2),
            (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "eps") => Real(&mut c.eps),
            (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "amsgrad") => Flag(&mut c.amsgrad),
            (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "weight_decay") => Real(&mut c.weight_decay),
            _ => return None,
        })
    }

    /// Checks the hyperparameters; the error names the offending one as
    /// [`OptimizerConfig::field`] does.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let unit = |name: &'static str, v: f64| -> Result<(), (&'static str, String)> {
            if v.is_finite() && (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err((name, format!("must be in [0, 1), got {v}")))
            }
        };
        let non_negative = |name: &'static str, v: f64| -> Result<(), (&'static str, String)> {
            if v.is_finite() && v >= 0.0 { Ok(()) } else { Err((name, format!("must be ≥ 0, got {v}"))) }
        };
        let positive = |name: &'static str, v: f64| -> Result<(), (&'static str, String)> {
            if v.is_finite() && v > 0.0 { Ok(()) } else { Err((name, format!("must be > 0, got {v}"))) }
        };
        match self {
            OptimizerConfig::Sgd(c) => {
                unit("momentum", c.momentum)?;
                unit("dampening", c.dampening)?;
                non_negative("weight_decay", c.weight_decay)?;
                if c.nesterov && (c.momentum <= 0.0 || c.dampening != 0.0) {
                    return Err(("nesterov", "Nesterov momentum needs momentum > 0 and dampening 0".into()));
                }
            }
            OptimizerConfig::Adagrad(c) => {
                non_negative("lr_decay", c.lr_decay)?;
                non_negative("weight_decay", c.weight_decay)?;
                non_negative("initial_accumulator_value", c.initial_accumulator_value)?;
                positive("eps", c.eps)?;
            }
            OptimizerConfig::Adadelta(c) => {
                unit("rho", c.rho)?;
                positive("eps", c.eps)?;
                non_negative("weight_decay", c.weight_decay)?;
            }
            OptimizerConfig::RmsProp(c) => {
                unit("alpha", c.alpha)?;
                positive("eps", c.eps)?;
                non_negative("weight_decay", c.weight_decay)?;
                unit("momentum", c.momentum)?;
            }
            OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c) => {
                unit("beta1", c.beta1)?;
                unit("beta2", c.beta2)?;
                positive("eps", c.eps)?;
                non_negative("weight_decay", c.weight_decay)?;
            }
        }
        Ok(())
    }
}

/// An optimizer with its state, for parameters of type `F`.
#[derive(Clone, Debug)]
pub enum Optimizer<F> {
    Sgd(Sgd<F>),
    Adagrad(Adagrad<F>),
    Adadelta(Adadelta<F>),
    RmsProp(RmsProp<F>),
    Adam(Adam<F>),
    AdamW(AdamW<F>),
}

impl<F: Real> Optimizer<F> {
    /// Bytes of optimizer state (momentum buffers, moment estimates, …).
    pub fn state_bytes(&self) -> usize {
        let n = match self {
            Optimizer::Sgd(o) => o.state_len(),
            Optimizer::Adagrad(o) => o.state_len(),
            Optimizer::Adadelta(o) => o.state_len(),
            Optimizer::RmsProp(o) => o.state_len(),
            Optimizer::Adam(o) => o.state_len(),
            Optimizer::AdamW(o) => o.state_len(),
        };
        n * core::mem::size_of::<F>()
    }

    /// One update of `params` from `grads` at learning rate `lr`.
    pub fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        debug_assert_eq!(params.len(), grads.len());
        match self {
            Optimizer::Sgd(o) => o.step(params, grads, lr),
            Optimizer::Adagrad(o) => o.step(params, grads, lr),
            Optimizer::Adadelta(o) => o.step(params, grads, lr),
            Optimizer::RmsProp(o) => o.step(params, grads, lr),
            Optimizer::Adam(o) => o.step(params, grads, lr),
            Optimizer::AdamW(o) => o.step(params, grads, lr),
        }
    }
}

/// `g + wd·θ`: PyTorch's (coupled) `weight_decay`, the gradient of `wd/2·‖θ‖²`.
#[inline]
fn with_weight_decay<F: Real>(g: F, p: F, wd: F) -> F {
    if wd == F::ZERO { g } else { g + wd * p }
}
