//! Adam (Kingma & Ba, 2015), AMSGrad (Reddi et al., 2018) and AdamW
//! (Loshchilov & Hutter, 2019).

use serde::{Deserialize, Serialize};

use super::with_weight_decay;
use crate::engine::scalar::Real;

/// `torch.optim.Adam`'s hyperparameters (its defaults). AdamW uses the same
/// fields; PyTorch's AdamW defaults `weight_decay` to 0.01 (see [`AdamConfig::adamw`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdamConfig {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub amsgrad: bool,
}

impl Default for AdamConfig {
    fn default() -> Self {
        Self { beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0, amsgrad: false }
    }
}

impl AdamConfig {
    /// `torch.optim.AdamW`'s defaults.
    pub fn adamw() -> Self {
        Self { weight_decay: 0.01, ..Self::default() }
    }
}

/// PyTorch's Adam, with coupled weight decay (an L2 term in the gradient):
///
/// ```text
/// g ← g + wd·θ
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// v̂ ← max(v̂, v)  with AMSGrad, else v̂ ← v
/// θ ← θ − η/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
/// ```
/// Keras' `Adam` adds ε to `√v̂` before the bias correction (ε̂ = ε·√(1 − β₂ᵗ)),
/// with ε = 1e-7: the two agree except where `v` is tiny.
#[derive(Clone, Debug)]
pub struct Adam<F> {
    config: AdamConfig,
    m: Vec<F>,
    v: Vec<F>,
    v_max: Vec<F>,
    t: i32,
}

impl<F: Real> Adam<F> {
    /// Scalars of state held.
    pub fn state_len(&self) -> usize {
        self.m.len() + self.v.len() + self.v_max.len()
    }

    pub fn new(config: AdamConfig, n_params: usize) -> Self {
        let v_max = if config.amsgrad { vec![F::ZERO; n_params] } else { Vec::new() };
        Self { config, m: vec![F::ZERO; n_params], v: vec![F::ZERO; n_params], v_max, t: 0 }
    }

    pub fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        self.update(params, grads, lr, self.config.weight_decay);
    }

    /// The Adam update with coupled weight decay `wd` (0 for AdamW).
    fn update(&mut self, params: &mut [F], grads: &[F], lr: f64, wd: f64) {
        self.t += 1;
        let c = &self.config;
        let bias1 = 1.0 - libm::pow(c.beta1, self.t as f64);
        let bias2_sqrt = libm::sqrt(1.0 - libm::pow(c.beta2, self.t as f64));
        let step_size = F::from_f64(lr / bias1);
        let bias2_sqrt = F::from_f64(bias2_sqrt);
        let (b1, b2) = (F::from_f64(c.beta1), F::from_f64(c.beta2));
        let (one_minus_b1, one_minus_b2) = (F::from_f64(1.0 - c.beta1), F::from_f64(1.0 - c.beta2));
        let eps = F::from_f64(c.eps);
        let wd = F::from_f64(wd);
        let moments = |p: F, g: F, m: &mut F, v: &mut F| {
            let g = with_weight_decay(g, p, wd);
            *m = b1 * *m + one_minus_b1 * g;
            *v = b2 * *v + one_minus_b2 * g * g;
        };
        let apply = |p: &mut F, m: F, v_hat: F| *p -= step_size * m / (v_hat.sqrt() / bias2_sqrt + eps);
        let state = self.m.iter_mut().zip(self.v.iter_mut());
        // Two loops, so the one without AMSGrad's running maximum vectorizes.
        if c.amsgrad {
            for (((p, &g), (m, v)), vm) in params.iter_mut().zip(grads).zip(state).zip(self.v_max.iter_mut()) {
                moments(*p, g, m, v);
                *vm = vm.max(*v);
                apply(p, *m, *vm);
            }
        } else {
            for ((p, &g), (m, v)) in params.iter_mut().zip(grads).zip(state) {
                moments(*p, g, m, v);
                apply(p, *m, *v);
            }
        }
    }
}

/// PyTorch's AdamW: weight decay applied to the weights directly, outside the
/// adaptive scaling — `θ ← θ·(1 − η·wd)`, then the Adam step without L2.
/// (With Adam's coupled decay, a parameter with large gradients is barely
/// decayed; with AdamW every parameter shrinks at the same rate.)
#[derive(Clone, Debug)]
pub struct AdamW<F> {
    adam: Adam<F>,
}

impl<F: Real> AdamW<F> {
    /// Scalars of state held.
    pub fn state_len(&self) -> usize {
        self.adam.state_len()
    }

    pub fn new(config: AdamConfig, n_params: usize) -> Self {
        Self { adam: Adam::new(config, n_params) }
    }

    pub fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        let shrink = F::from_f64(1.0 - lr * self.adam.config.weight_decay);
        for p in params.iter_mut() {
            *p *= shrink;
        }
        self.adam.update(params, grads, lr, 0.0);
    }
}
