//! Adagrad (Duchi, Hazan & Singer, 2011).

use serde::{Deserialize, Serialize};

use super::with_weight_decay;
use crate::engine::scalar::Real;

/// `torch.optim.Adagrad`'s hyperparameters (its defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdagradConfig {
    pub lr_decay: f64,
    pub weight_decay: f64,
    pub initial_accumulator_value: f64,
    pub eps: f64,
}

impl Default for AdagradConfig {
    fn default() -> Self {
        Self { lr_decay: 0.0, weight_decay: 0.0, initial_accumulator_value: 0.0, eps: 1e-10 }
    }
}

/// PyTorch's Adagrad: each parameter's step shrinks with the sum of its squared gradients.
///
/// ```text
/// η_t ← η / (1 + (t − 1)·lr_decay)
/// g ← g + wd·θ
/// G ← G + g²
/// θ ← θ − η_t · g / (√G + ε)
/// ```
/// Keras' `Adagrad` starts `G` at 0.1 and puts ε inside: `g / √(G + ε)`.
#[derive(Clone, Debug)]
pub struct Adagrad<F> {
    config: AdagradConfig,
    sum_sq: Vec<F>,
    t: u64,
}

impl<F: Real> Adagrad<F> {
    /// Scalars of state held.
    pub fn state_len(&self) -> usize {
        self.sum_sq.len()
    }

    pub fn new(config: AdagradConfig, n_params: usize) -> Self {
        let init = F::from_f64(config.initial_accumulator_value);
        Self { config, sum_sq: vec![init; n_params], t: 0 }
    }

    pub fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        self.t += 1;
        let clr = F::from_f64(lr / (1.0 + (self.t - 1) as f64 * self.config.lr_decay));
        let wd = F::from_f64(self.config.weight_decay);
        let eps = F::from_f64(self.config.eps);
        for ((p, &g), s) in params.iter_mut().zip(grads).zip(self.sum_sq.iter_mut()) {
            let g = with_weight_decay(g, *p, wd);
            *s += g * g;
            *p -= clr * g / (s.sqrt() + eps);
        }
    }
}
