//! A fully connected network with one logit output (binary classification).
//!
//! All parameters live in one flat vector, layer after layer: the weight
//! matrix `W_l` (row-major, `n_out × n_in`) then the bias `b_l`. Optimizers
//! see one slice of parameters and one of gradients, whatever the shape.

use super::activation::Activation;
use super::loss::{bce_with_logits, bce_with_logits_grad};
use crate::engine::data::Dataset;
use crate::engine::rng::Rng;
use crate::engine::scalar::Real;

/// The shape of a network: layer sizes from input to the single output.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MlpConfig {
    /// `[n_inputs, hidden..., 1]`.
    pub sizes: Vec<usize>,
    /// Activation of every hidden layer; the output is a logit fed to the loss.
    pub hidden_activation: Activation,
}

impl MlpConfig {
    pub fn n_params(&self) -> usize {
        self.sizes.windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }
}

/// Buffers for one forward and backward pass, allocated once per model.
#[derive(Clone, Debug)]
pub struct Workspace<F> {
    /// Activations of every layer, input first, in one flat vector.
    acts: Vec<F>,
    /// ∂loss/∂z for every layer, same layout as `acts`.
    deltas: Vec<F>,
    /// `offsets[l]..offsets[l + 1]` is layer `l` inside `acts` and `deltas`.
    offsets: Vec<usize>,
}

/// A multilayer perceptron over the scalar type `F`.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp<F> {
    pub config: MlpConfig,
    pub params: Vec<F>,
}

impl<F: Real> Mlp<F> {
    /// Glorot/Xavier-uniform weights, `U(−a, a)` with `a = √(6 / (n_in + n_out))`,
    /// zero biases (PyTorch's `xavier_uniform_` with `zeros_` on the bias).
    pub fn new(config: MlpConfig, rng: &mut Rng) -> Self {
        let mut params = Vec::with_capacity(config.n_params());
        for w in config.sizes.windows(2) {
            let (n_in, n_out) = (w[0], w[1]);
            let a = libm::sqrt(6.0 / (n_in + n_out) as f64);
            for _ in 0..n_in * n_out {
                params.push(F::from_f64(rng.uniform_in(-a, a)));
            }
            params.extend(core::iter::repeat_n(F::ZERO, n_out));
        }
        Self { config, params }
    }

    /// The same network in another scalar type (for gradient checks).
    pub fn cast<G: Real>(&self) -> Mlp<G> {
        Mlp {
            config: self.config.clone(),
            params: self
                .params
                .iter()
                .map(|p| G::from_f64(p.to_f64()))
                .collect(),
        }
    }

    pub fn workspace(&self) -> Workspace<F> {
        let mut offsets = vec![0];
        for &s in &self.config.sizes {
            offsets.push(offsets.last().unwrap() + s);
        }
        let total = *offsets.last().unwrap();
        Workspace {
            acts: vec![F::ZERO; total],
            deltas: vec![F::ZERO; total],
            offsets,
        }
    }

    fn n_layers(&self) -> usize {
        self.config.sizes.len() - 1
    }

    /// The output logit for one example; leaves every activation in `ws`.
    pub fn forward(&self, x: &[f32], ws: &mut Workspace<F>) -> F {
        for (a, &xi) in ws.acts[..x.len()].iter_mut().zip(x) {
            *a = F::from_f64(xi as f64);
        }
        let mut p = 0;
        let last = self.n_layers() - 1;
        for l in 0..=last {
            let (n_in, n_out) = (self.config.sizes[l], self.config.sizes[l + 1]);
            let (w, rest) = self.params[p..].split_at(n_in * n_out);
            let b = &rest[..n_out];
            p += n_in * n_out + n_out;
            let (before, after) = ws.acts.split_at_mut(ws.offsets[l + 1]);
            let input = &before[ws.offsets[l]..];
            let output = &mut after[..n_out];
            for (o, out) in output.iter_mut().enumerate() {
                let row = &w[o * n_in..(o + 1) * n_in];
                let mut s = b[o];
                for (wi, xi) in row.iter().zip(input) {
                    s += *wi * *xi;
                }
                *out = if l < last {
                    self.config.hidden_activation.apply(s)
                } else {
                    s
                };
            }
        }
        ws.acts[ws.offsets[self.n_layers()]]
    }

    /// Back-propagates `d_logit = ∂loss/∂logit` through the pass left in `ws`
    /// by [`forward`](Self::forward), adding the parameter gradients to `grad`.
    pub fn backward(&self, d_logit: F, ws: &mut Workspace<F>, grad: &mut [F]) {
        let n_layers = self.n_layers();
        ws.deltas[ws.offsets[n_layers]] = d_logit;
        // Parameter offset of the layer after the current one.
        let mut p_end = self.params.len();
        for l in (0..n_layers).rev() {
            let (n_in, n_out) = (self.config.sizes[l], self.config.sizes[l + 1]);
            let p = p_end - (n_in * n_out + n_out);
            let (gw, gb) = grad[p..p_end].split_at_mut(n_in * n_out);
            let w = &self.params[p..p + n_in * n_out];
            let (lo, hi) = (ws.offsets[l], ws.offsets[l + 1]);
            let (d_before, d_after) = ws.deltas.split_at_mut(hi);
            let d_out = &d_after[..n_out];
            let input = &ws.acts[lo..hi];
            for (o, &d) in d_out.iter().enumerate() {
                gb[o] += d;
                for (g, &xi) in gw[o * n_in..(o + 1) * n_in].iter_mut().zip(input) {
                    *g += d * xi;
                }
            }
            if l > 0 {
                let d_in = &mut d_before[lo..];
                for (i, d_i) in d_in.iter_mut().enumerate() {
                    let mut s = F::ZERO;
                    for (o, &d) in d_out.iter().enumerate() {
                        s += w[o * n_in + i] * d;
                    }
                    *d_i = s * self
                        .config
                        .hidden_activation
                        .derivative_from_output(input[i]);
                }
            }
            p_end = p;
        }
    }

    /// Mean binary cross-entropy over `indices` of `data`; writes the mean
    /// gradient into `grad` (overwriting it).
    pub fn batch_loss_grad(
        &self,
        data: &Dataset,
        indices: &[usize],
        ws: &mut Workspace<F>,
        grad: &mut [F],
    ) -> F {
        grad.fill(F::ZERO);
        let scale = F::ONE / F::from_f64(indices.len() as f64);
        let mut total = F::ZERO;
        for &i in indices {
            let z = self.forward(data.features(i), ws);
            let y = F::from_f64(data.y[i] as f64);
            total += bce_with_logits(z, y);
            self.backward(bce_with_logits_grad(z, y) * scale, ws, grad);
        }
        total * scale
    }

    /// Mean loss and accuracy (threshold 0.5) over a whole data set.
    pub fn evaluate(&self, data: &Dataset, ws: &mut Workspace<F>) -> (f64, f64) {
        if data.is_empty() {
            return (f64::NAN, f64::NAN);
        }
        let mut loss = 0.0f64;
        let mut correct = 0usize;
        for i in 0..data.len() {
            let z = self.forward(data.features(i), ws);
            let y = data.y[i];
            loss += bce_with_logits(z, F::from_f64(y as f64)).to_f64();
            if (z >= F::ZERO) == (y == 1.0) {
                correct += 1;
            }
        }
        (loss / data.len() as f64, correct as f64 / data.len() as f64)
    }

    /// The predicted probability of class 1 for one example.
    pub fn predict(&self, x: &[f32], ws: &mut Workspace<F>) -> F {
        self.forward(x, ws).sigmoid()
    }
}
