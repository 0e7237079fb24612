//! A fully connected network: hidden layers with their own activations, and
//! an output head (see [`Head`]).
//!
//! All parameters live in one flat vector, layer after layer: the weight
//! matrix `W_l` (row-major, `n_out × n_in`) then the bias `b_l`. Optimizers
//! see one slice of parameters and one of gradients, whatever the shape.

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::init::Init;
use super::loss::Head;
use crate::engine::data::Dataset;
use crate::engine::rng::Rng;
use crate::engine::scalar::Real;

/// The shape of a network and how it starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MlpConfig {
    /// `[n_inputs, hidden..., n_outputs]`.
    pub sizes: Vec<usize>,
    /// One activation per hidden layer.
    pub activations: Vec<Activation>,
    pub head: Head,
    pub init: Init,
    /// Probability of zeroing each hidden unit's output during training
    /// (inverted dropout: survivors are scaled by `1 / (1 − p)`; evaluation
    /// uses every unit unscaled, as PyTorch's `nn.Dropout` in `eval()`).
    pub dropout: f64,
}

impl MlpConfig {
    /// Learned parameters: every weight and bias.
    pub fn n_params(&self) -> usize {
        self.sizes.windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }

    pub fn n_layers(&self) -> usize {
        self.sizes.len() - 1
    }

    pub fn n_outputs(&self) -> usize {
        *self.sizes.last().unwrap_or(&0)
    }
}

/// Buffers for one forward and backward pass, allocated once per model.
#[derive(Clone, Debug)]
pub struct Workspace<F> {
    /// Pre-activations `z` of every layer (input layer: the input), flat.
    pre: Vec<F>,
    /// Activations `a = φ(z)` of every layer, flat (same layout).
    acts: Vec<F>,
    /// `∂loss/∂z` for every layer, same layout.
    deltas: Vec<F>,
    /// Dropout factor of each hidden unit in the current pass (0 or `1/(1−p)`);
    /// empty when the pass has no dropout.
    mask: Vec<F>,
    /// `offsets[l]..offsets[l + 1]` is layer `l` in the vectors above.
    offsets: Vec<usize>,
}

impl<F: Real> Workspace<F> {
    /// Bytes of the buffers.
    pub fn bytes(&self) -> usize {
        core::mem::size_of::<F>()
            * (self.pre.capacity() + self.acts.capacity() + self.deltas.capacity() + self.mask.capacity())
            + core::mem::size_of::<usize>() * self.offsets.capacity()
    }

    /// The network's outputs (logits) from the last forward pass.
    pub fn outputs(&self) -> &[F] {
        let n = self.offsets.len() - 1;
        &self.acts[self.offsets[n - 1]..self.offsets[n]]
    }
}

/// A multilayer perceptron over the scalar type `F`.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp<F> {
    pub config: MlpConfig,
    pub params: Vec<F>,
}

impl<F: Real> Mlp<F> {
    /// Weights drawn by the config's initializer, layer by layer in row-major
    /// order; biases zero.
    pub fn new(config: MlpConfig, rng: &mut Rng) -> Self {
        let mut params = Vec::with_capacity(config.n_params());
        for w in config.sizes.windows(2) {
            let (n_in, n_out) = (w[0], w[1]);
            for _ in 0..n_in * n_out {
                params.push(F::from_f64(config.init.sample(n_in, n_out, rng)));
            }
            params.extend(core::iter::repeat_n(F::ZERO, n_out));
        }
        Self { config, params }
    }

    /// The same network in another scalar type (for gradient checks).
    pub fn cast<G: Real>(&self) -> Mlp<G> {
        Mlp { config: self.config.clone(), params: self.params.iter().map(|p| G::from_f64(p.to_f64())).collect() }
    }

    pub fn workspace(&self) -> Workspace<F> {
        let mut offsets = vec![0];
        for &s in &self.config.sizes {
            offsets.push(offsets.last().unwrap() + s);
        }
        let total = *offsets.last().unwrap();
        let mask = if self.config.dropout > 0.0 { vec![F::ONE; total] } else { Vec::new() };
        Workspace { pre: vec![F::ZERO; total], acts: vec![F::ZERO; total], deltas: vec![F::ZERO; total], mask, offsets }
    }

    /// For each parameter: is it a weight (not a bias)? Used by L1.
    pub fn weight_mask(&self) -> Vec<bool> {
        let mut m = Vec::with_capacity(self.params.len());
        for w in self.config.sizes.windows(2) {
            m.extend(core::iter::repeat_n(true, w[0] * w[1]));
            m.extend(core::iter::repeat_n(false, w[1]));
        }
        m
    }

    /// The output logits for one example; leaves every activation in `ws`.
    /// With `dropout` (training), hidden units are dropped using that generator.
    pub fn forward<'w>(&self, x: &[f32], ws: &'w mut Workspace<F>, mut dropout: Option<&mut Rng>) -> &'w [F] {
        for (a, &xi) in ws.acts[..x.len()].iter_mut().zip(x) {
            *a = F::from_f64(xi as f64);
        }
        let p_drop = self.config.dropout;
        let use_dropout = p_drop > 0.0 && dropout.is_some() && !ws.mask.is_empty();
        let keep_scale = F::from_f64(1.0 / (1.0 - p_drop));
        let mut p = 0;
        let last = self.config.n_layers() - 1;
        for l in 0..=last {
            let (n_in, n_out) = (self.config.sizes[l], self.config.sizes[l + 1]);
            let (w, rest) = self.params[p..].split_at(n_in * n_out);
            let b = &rest[..n_out];
            p += n_in * n_out + n_out;
            let (lo, hi) = (ws.offsets[l + 1], ws.offsets[l + 2]);
            let (before, after) = ws.acts.split_at_mut(lo);
            let input = &before[ws.offsets[l]..];
            let output = &mut after[..n_out];
            let pre = &mut ws.pre[lo..hi];
            for (o, out) in output.iter_mut().enumerate() {
                let row = &w[o * n_in..(o + 1) * n_in];
                let mut s = b[o];
                for (wi, xi) in row.iter().zip(input) {
                    s += *wi * *xi;
                }
                pre[o] = s;
                *out = if l < last { self.config.activations[l].apply(s) } else { s };
            }
            if l < last && use_dropout {
                let rng = dropout.as_deref_mut().expect("checked above");
                for (out, m) in output.iter_mut().zip(&mut ws.mask[lo..hi]) {
                    *m = if rng.uniform() < p_drop { F::ZERO } else { keep_scale };
                    *out *= *m;
                }
            } else if l < last && !ws.mask.is_empty() {
                ws.mask[lo..hi].fill(F::ONE);
            }
        }
        ws.outputs()
    }

    /// Back-propagates the output gradient already in `ws` (set by
    /// [`loss_grad`](Self::loss_grad)) through the last forward pass, adding
    /// the parameter gradients to `grad`.
    fn backward(&self, ws: &mut Workspace<F>, grad: &mut [F]) {
        let n_layers = self.config.n_layers();
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
                let act = self.config.activations[l - 1];
                let pre = &ws.pre[lo..hi];
                let d_in = &mut d_before[lo..];
                for (i, d_i) in d_in.iter_mut().enumerate() {
                    let mut s = F::ZERO;
                    for (o, &d) in d_out.iter().enumerate() {
                        s += w[o * n_in + i] * d;
                    }
                    if ws.mask.is_empty() {
                        *d_i = s * act.derivative(pre[i], input[i]);
                    } else {
                        // `input` holds the dropped-and-scaled m·φ(z); the
                        // derivative needs φ(z) itself, so recompute it.
                        let m = ws.mask[lo + i];
                        *d_i = s * m * act.derivative(pre[i], act.apply(pre[i]));
                    }
                }
            }
            p_end = p;
        }
    }

    /// Forward and backward for one example with target `y`: returns its
    /// loss and adds `scale · ∂loss/∂θ` to `grad`.
    pub fn loss_grad(
        &self,
        x: &[f32],
        y: f32,
        scale: F,
        ws: &mut Workspace<F>,
        grad: &mut [F],
        dropout: Option<&mut Rng>,
    ) -> F {
        self.forward(x, ws, dropout);
        let n = self.config.n_layers();
        let (lo, hi) = (ws.offsets[n], ws.offsets[n + 1]);
        let loss = self.config.head.loss_grad(&ws.acts[lo..hi], y, &mut ws.deltas[lo..hi]);
        for d in &mut ws.deltas[lo..hi] {
            *d *= scale;
        }
        self.backward(ws, grad);
        loss
    }

    /// Mean loss over `indices` of `data`; writes the mean gradient into
    /// `grad` (overwriting it).
    pub fn batch_loss_grad(
        &self,
        data: &Dataset,
        indices: &[usize],
        ws: &mut Workspace<F>,
        grad: &mut [F],
        mut dropout: Option<&mut Rng>,
    ) -> F {
        grad.fill(F::ZERO);
        let scale = F::ONE / F::from_f64(indices.len() as f64);
        let mut total = F::ZERO;
        for &i in indices {
            total += self.loss_grad(data.features(i), data.y[i], scale, ws, grad, dropout.as_deref_mut());
        }
        total * scale
    }

    /// The loss of one example (no dropout).
    pub fn loss(&self, x: &[f32], y: f32, ws: &mut Workspace<F>) -> F {
        let z = self.forward(x, ws, None);
        self.config.head.loss(z, y)
    }
}
