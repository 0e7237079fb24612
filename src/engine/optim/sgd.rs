//! Stochastic gradient descent, with optional momentum, dampening and Nesterov.

use serde::{Deserialize, Serialize};

use super::with_weight_decay;
use crate::engine::scalar::Real;

/// `torch.optim.SGD`'s hyperparameters (its defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SgdConfig {
    pub momentum: f64,
    pub dampening: f64,
    pub nesterov: bool,
    pub weight_decay: f64,
}

impl Default for SgdConfig {
    fn default() -> Self {
        Self { momentum: 0.0, dampening: 0.0, nesterov: false, weight_decay: 0.0 }
    }
}

/// PyTorch's SGD:
///
/// ```text
/// g ← g + wd·θ
/// b ← g                      (first step)
/// b ← μ·b + (1 − τ)·g        (later steps; μ momentum, τ dampening)
/// g ← g + μ·b  if Nesterov, else  g ← b
/// θ ← θ − η·g
/// ```
/// With μ = 0 this is plain `θ ← θ − η·g`.
///
/// Keras' `SGD(momentum=μ)` keeps a velocity `v ← μ·v − η·g; θ ← θ + v`
/// instead: the same trajectory at a constant learning rate, but the learning
/// rate sits inside the buffer, so a schedule acts one step later there.
#[derive(Clone, Debug)]
pub struct Sgd<F> {
    config: SgdConfig,
    momentum_buffer: Vec<F>,
    started: bool,
}

impl<F: Real> Sgd<F> {
    /// Scalars of state held.
    pub fn state_len(&self) -> usize {
        self.momentum_buffer.len()
    }

    pub fn new(config: SgdConfig, n_params: usize) -> Self {
        let buffer = if config.momentum > 0.0 { vec![F::ZERO; n_params] } else { Vec::new() };
        Self { config, momentum_buffer: buffer, started: false }
    }

    pub fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        let lr = F::from_f64(lr);
        let wd = F::from_f64(self.config.weight_decay);
        if self.config.momentum == 0.0 {
            for (p, &g) in params.iter_mut().zip(grads) {
                *p -= lr * with_weight_decay(g, *p, wd);
            }
            return;
        }
        let mu = F::from_f64(self.config.momentum);
        let keep = F::from_f64(1.0 - self.config.dampening);
        let first = !self.started;
        self.started = true;
        for ((p, &g), b) in params.iter_mut().zip(grads).zip(self.momentum_buffer.iter_mut()) {
            let g = with_weight_decay(g, *p, wd);
            *b = if first { g } else { mu * *b + keep * g };
            let update = if self.config.nesterov { g + mu * *b } else { *b };
            *p -= lr * update;
        }
    }
}
