//! RMSprop (Hinton, lecture 6e of "Neural Networks for Machine Learning", 2012).

use serde::{Deserialize, Serialize};

use super::with_weight_decay;
use crate::engine::scalar::Real;

/// `torch.optim.RMSprop`'s hyperparameters (its defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RmsPropConfig {
    pub alpha: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub momentum: f64,
    pub centered: bool,
}

impl Default for RmsPropConfig {
    fn default() -> Self {
        Self { alpha: 0.99, eps: 1e-8, weight_decay: 0.0, momentum: 0.0, centered: false }
    }
}

/// PyTorch's RMSprop: divide by a running RMS of the gradient.
///
/// ```text
/// g ← g + wd·θ
/// v ← α·v + (1 − α)·g²
/// centered:  ḡ ← α·ḡ + (1 − α)·g;  d ← √(v − ḡ²) + ε     else  d ← √v + ε
/// momentum μ > 0:  b ← μ·b + g/d;  θ ← θ − η·b            else  θ ← θ − η·g/d
/// ```
/// No bias correction: `v` starts at 0, so early steps are large.
/// Keras' `RMSprop` uses ρ = 0.9 and puts ε inside the root, `√(v + ε)`.
#[derive(Clone, Debug)]
pub struct RmsProp<F> {
    config: RmsPropConfig,
    square_avg: Vec<F>,
    grad_avg: Vec<F>,
    momentum_buffer: Vec<F>,
}

impl<F: Real> RmsProp<F> {
    /// Scalars of state held.
    pub fn state_len(&self) -> usize {
        self.square_avg.len() + self.grad_avg.len() + self.momentum_buffer.len()
    }

    pub fn new(config: RmsPropConfig, n_params: usize) -> Self {
        let grad_avg = if config.centered { vec![F::ZERO; n_params] } else { Vec::new() };
        let buffer = if config.momentum > 0.0 { vec![F::ZERO; n_params] } else { Vec::new() };
        Self { config, square_avg: vec![F::ZERO; n_params], grad_avg, momentum_buffer: buffer }
    }

    pub fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        let lr = F::from_f64(lr);
        let alpha = F::from_f64(self.config.alpha);
        let one_minus_alpha = F::from_f64(1.0 - self.config.alpha);
        let eps = F::from_f64(self.config.eps);
        let wd = F::from_f64(self.config.weight_decay);
        let mu = F::from_f64(self.config.momentum);
        let (centered, with_momentum) = (self.config.centered, self.config.momentum > 0.0);
        for (i, (p, &g)) in params.iter_mut().zip(grads).enumerate() {
            let g = with_weight_decay(g, *p, wd);
            let v = &mut self.square_avg[i];
            *v = alpha * *v + one_minus_alpha * g * g;
            let denom = if centered {
                let a = &mut self.grad_avg[i];
                *a = alpha * *a + one_minus_alpha * g;
                (*v - *a * *a).sqrt() + eps
            } else {
                v.sqrt() + eps
            };
            if with_momentum {
                let b = &mut self.momentum_buffer[i];
                *b = mu * *b + g / denom;
                *p -= lr * *b;
            } else {
                *p -= lr * g / denom;
            }
        }
    }
}
