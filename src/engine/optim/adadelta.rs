//! Adadelta (Zeiler, 2012).

use serde::{Deserialize, Serialize};

use super::with_weight_decay;
use crate::engine::scalar::Real;

/// `torch.optim.Adadelta`'s hyperparameters (its defaults; its default
/// learning rate is 1.0, which Zeiler's paper has no notion of).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdadeltaConfig {
    pub rho: f64,
    pub eps: f64,
    pub weight_decay: f64,
}

impl Default for AdadeltaConfig {
    fn default() -> Self {
        Self { rho: 0.9, eps: 1e-6, weight_decay: 0.0 }
    }
}

/// PyTorch's Adadelta: the step is the ratio of two running RMS values, so it
/// carries the parameters' units; the learning rate only scales it.
///
/// ```text
/// g ← g + wd·θ
/// v ← ρ·v + (1 − ρ)·g²
/// Δ ← √(u + ε) / √(v + ε) · g
/// u ← ρ·u + (1 − ρ)·Δ²
/// θ ← θ − η·Δ
/// ```
/// Keras' `Adadelta` is the same rule with ρ = 0.95, ε = 1e-7, η = 0.001.
#[derive(Clone, Debug)]
pub struct Adadelta<F> {
    config: AdadeltaConfig,
    square_avg: Vec<F>,
    acc_delta: Vec<F>,
}

impl<F: Real> Adadelta<F> {
    /// Scalars of state held.
    pub fn state_len(&self) -> usize {
        self.square_avg.len() + self.acc_delta.len()
    }

    pub fn new(config: AdadeltaConfig, n_params: usize) -> Self {
        Self { config, square_avg: vec![F::ZERO; n_params], acc_delta: vec![F::ZERO; n_params] }
    }

    pub fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        let lr = F::from_f64(lr);
        let rho = F::from_f64(self.config.rho);
        let one_minus_rho = F::from_f64(1.0 - self.config.rho);
        let eps = F::from_f64(self.config.eps);
        let wd = F::from_f64(self.config.weight_decay);
        let state = self.square_avg.iter_mut().zip(self.acc_delta.iter_mut());
        for ((p, &g), (v, u)) in params.iter_mut().zip(grads).zip(state) {
            let g = with_weight_decay(g, *p, wd);
            *v = rho * *v + one_minus_rho * g * g;
            let delta = (*u + eps).sqrt() / (*v + eps).sqrt() * g;
            *u = rho * *u + one_minus_rho * delta * delta;
            *p -= lr * delta;
        }
    }
}
