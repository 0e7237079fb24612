//! A fully connected network: hidden layers with their own activations, and
//! an output head (see [`Head`]).
//!
//! All parameters live in one flat vector, layer after layer: the weights
//! input-major — `W_lᵀ`, `n_in × n_out`, so the weights *from* input `i` are
//! contiguous — then the bias `b_l`. Optimizers see one slice of parameters
//! and one of gradients, whatever the shape.
//!
//! The forward pass and the weight gradient are axpy loops over a layer's
//! outputs (`z += x_i · W_lᵀ[i]`), which vectorize, and each output is still
//! summed in input order `b + w₀x₀ + w₁x₁ + …`, so every target computes the
//! same bits.

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
    /// The weights output-major (`W_l`, `n_out × n_in`), copied from the
    /// parameters at the start of each mini-batch, so the input gradient is
    /// an axpy over contiguous rows.
    w_rows: Vec<F>,
    /// `offsets[l]..offsets[l + 1]` is layer `l` in the vectors above.
    offsets: Vec<usize>,
}

impl<F: Real> Workspace<F> {
    /// Bytes of the buffers.
    pub fn bytes(&self) -> usize {
        core::mem::size_of::<F>()
            * (self.pre.capacity()
                + self.acts.capacity()
                + self.deltas.capacity()
                + self.mask.capacity()
                + self.w_rows.capacity())
            + core::mem::size_of::<usize>() * self.offsets.capacity()
    }

    /// The activations of layer `l` (0: the input) from the last forward pass.
    pub fn layer(&self, l: usize) -> &[F] {
        &self.acts[self.offsets[l]..self.offsets[l + 1]]
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
    /// Weights drawn by the config's initializer, layer by layer, output unit
    /// by output unit (row-major `W_l`); biases zero.
    pub fn new(config: MlpConfig, rng: &mut Rng) -> Self {
        let mut params = Vec::with_capacity(config.n_params());
        for w in config.sizes.windows(2) {
            let (n_in, n_out) = (w[0], w[1]);
            let start = params.len();
            params.resize(start + n_in * n_out + n_out, F::ZERO);
            for o in 0..n_out {
                for i in 0..n_in {
                    params[start + i * n_out + o] = F::from_f64(config.init.sample(n_in, n_out, rng));
                }
            }
        }
        Self { config, params }
    }

    /// The weight from input `i` to output `o` of layer `l`.
    pub fn weight(&self, l: usize, o: usize, i: usize) -> F {
        let start: usize = self.config.sizes.windows(2).take(l).map(|w| w[0] * w[1] + w[1]).sum();
        self.params[start + i * self.config.sizes[l + 1] + o]
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
        let w_rows = vec![F::ZERO; self.params.len()];
        Workspace {
            pre: vec![F::ZERO; total],
            acts: vec![F::ZERO; total],
            deltas: vec![F::ZERO; total],
            mask,
            w_rows,
            offsets,
        }
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
            let (wt, rest) = self.params[p..].split_at(n_in * n_out);
            let b = &rest[..n_out];
            p += n_in * n_out + n_out;
            let (lo, hi) = (ws.offsets[l + 1], ws.offsets[l + 2]);
            let input = &ws.acts[ws.offsets[l]..lo];
            let pre = &mut ws.pre[lo..hi];
            if n_out == 1 {
                // One output (binary and regression heads): a dot product,
                // summed in the same order as the general case.
                let mut z = b[0];
                for (&xi, &w) in input.iter().zip(wt) {
                    z += w * xi;
                }
                pre[0] = z;
            } else {
                pre.copy_from_slice(b);
                for (&xi, row) in input.iter().zip(wt.chunks_exact(n_out)) {
                    for (z, &w) in pre.iter_mut().zip(row) {
                        *z += w * xi;
                    }
                }
            }
            let output = &mut ws.acts[lo..hi];
            if l < last {
                self.config.activations[l].apply_slice(&ws.pre[lo..hi], output);
            } else {
                output.copy_from_slice(&ws.pre[lo..hi]);
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
            let w_rows = &ws.w_rows[p..p + n_in * n_out];
            let (lo, hi) = (ws.offsets[l], ws.offsets[l + 1]);
            let (d_before, d_after) = ws.deltas.split_at_mut(hi);
            let d_out = &d_after[..n_out];
            let input = &ws.acts[lo..hi];
            for (g, &d) in gb.iter_mut().zip(d_out) {
                *g += d;
            }
            if n_out == 1 {
                let d = d_out[0];
                for (g, &xi) in gw.iter_mut().zip(input) {
                    *g += d * xi;
                }
            } else {
                for (&xi, g_row) in input.iter().zip(gw.chunks_exact_mut(n_out)) {
                    for (g, &d) in g_row.iter_mut().zip(d_out) {
                        *g += d * xi;
                    }
                }
            }
            if l > 0 {
                let act = self.config.activations[l - 1];
                let pre = &ws.pre[lo..hi];
                let d_in = &mut d_before[lo..];
                // d_in = Σ_o d_o · W_l[o]: an axpy per output, summed in output order.
                d_in.fill(F::ZERO);
                for (&d, row) in d_out.iter().zip(w_rows.chunks_exact(n_in)) {
                    for (s, &w) in d_in.iter_mut().zip(row) {
                        *s += w * d;
                    }
                }
                if ws.mask.is_empty() {
                    act.scale_by_derivative(pre, input, d_in);
                } else {
                    // `input` holds the dropped-and-scaled m·φ(z); the
                    // derivative needs φ(z) itself, so recompute it.
                    for (i, d_i) in d_in.iter_mut().enumerate() {
                        let m = ws.mask[lo + i];
                        *d_i = *d_i * m * act.derivative(pre[i], act.apply(pre[i]));
                    }
                }
            }
            p_end = p;
        }
    }

    /// Copies the weights into the workspace output-major, for `backward`.
    fn sync_rows(&self, ws: &mut Workspace<F>) {
        let mut p = 0;
        for w in self.config.sizes.windows(2) {
            let (n_in, n_out) = (w[0], w[1]);
            for i in 0..n_in {
                for o in 0..n_out {
                    ws.w_rows[p + o * n_in + i] = self.params[p + i * n_out + o];
                }
            }
            p += n_in * n_out + n_out;
        }
    }

    /// Forward and backward for one example with target `y`: returns its
    /// loss and adds `scale · ∂loss/∂θ` to `grad`. The workspace's weight
    /// rows must be in sync with the parameters (`sync_rows`).
    fn loss_grad<const WANT_LOSS: bool>(
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
        let loss = self.config.head.loss_grad_with::<F, WANT_LOSS>(&ws.acts[lo..hi], y, &mut ws.deltas[lo..hi]);
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
        dropout: Option<&mut Rng>,
    ) -> F {
        self.batch::<true>(data, indices, ws, grad, dropout)
    }

    /// [`batch_loss_grad`](Self::batch_loss_grad) without the loss value (training
    /// passes do not need it; the gradient is the same).
    pub fn batch_grad(
        &self,
        data: &Dataset,
        indices: &[usize],
        ws: &mut Workspace<F>,
        grad: &mut [F],
        dropout: Option<&mut Rng>,
    ) {
        self.batch::<false>(data, indices, ws, grad, dropout);
    }

    fn batch<const WANT_LOSS: bool>(
        &self,
        data: &Dataset,
        indices: &[usize],
        ws: &mut Workspace<F>,
        grad: &mut [F],
        mut dropout: Option<&mut Rng>,
    ) -> F {
        grad.fill(F::ZERO);
        self.sync_rows(ws);
        let scale = F::ONE / F::from_f64(indices.len() as f64);
        let mut total = F::ZERO;
        for &i in indices {
            total += self.loss_grad::<WANT_LOSS>(data.features(i), data.y[i], scale, ws, grad, dropout.as_deref_mut());
        }
        total * scale
    }

    /// The loss of one example (no dropout).
    pub fn loss(&self, x: &[f32], y: f32, ws: &mut Workspace<F>) -> F {
        let z = self.forward(x, ws, None);
        self.config.head.loss(z, y)
    }
}
