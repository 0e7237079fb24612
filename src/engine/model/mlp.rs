//! A fully connected network: hidden layers with their own activations, and
//! an output head (see [`Head`]).
//!
//! All parameters live in one flat vector, layer after layer: the weights
//! input-major — `W_lᵀ`, `n_in × n_out`, so the weights *from* input `i` are
//! contiguous — then the bias `b_l`. Optimizers see one slice of parameters
//! and one of gradients, whatever the shape.
//!
//! Training works on a whole mini-batch at once, one example a row: each
//! layer's forward pass, weight gradient and input gradient are matrix
//! products ([`kernel`](super::kernel), register-blocked). Each output is
//! still summed in a fixed order — `b + w₀x₀ + w₁x₁ + …` in input order,
//! gradients in example order — so every target computes the same bits, and
//! a batch the bits of its examples one at a time ([`Mlp::forward`], the
//! same products on one row, which evaluation uses).

use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::init::Init;
use super::kernel::{Start, Strided, product, transpose};
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
    /// Whether training passes drop hidden units (the model has dropout).
    dropout: bool,
    /// The weights output-major (`W_l`, `n_out × n_in`), copied from the
    /// parameters at the start of each mini-batch, so the input gradient is
    /// an axpy over contiguous rows.
    w_rows: Vec<F>,
    /// `offsets[l]..offsets[l + 1]` is layer `l` in the vectors above.
    offsets: Vec<usize>,
    /// A mini-batch's buffers, for as many rows as the largest batch yet:
    /// layer `l` is rows `offsets[l]·rows ..`, one example a row.
    batch: BatchBuffers<F>,
}

/// A mini-batch's pre-activations, activations, deltas (`∂loss/∂z`) and
/// dropout factors (0 or `1/(1−p)`; empty without dropout), layer by layer,
/// each layer a matrix with one example a row.
#[derive(Clone, Debug, Default)]
struct BatchBuffers<F> {
    pre: Vec<F>,
    acts: Vec<F>,
    deltas: Vec<F>,
    mask: Vec<F>,
    /// The rows each layer has room for.
    rows: usize,
}

impl<F: Real> Workspace<F> {
    /// Bytes of the buffers.
    pub fn bytes(&self) -> usize {
        core::mem::size_of::<F>()
            * (self.pre.capacity()
                + self.acts.capacity()
                + self.w_rows.capacity()
                + self.batch.pre.capacity()
                + self.batch.acts.capacity()
                + self.batch.deltas.capacity()
                + self.batch.mask.capacity())
            + core::mem::size_of::<usize>() * self.offsets.capacity()
    }

    /// Makes room for mini-batches of up to `rows` examples (a larger batch
    /// grows the room when it comes).
    pub fn reserve_batch(&mut self, rows: usize) {
        if rows <= self.batch.rows {
            return;
        }
        let total = self.offsets.last().copied().unwrap_or(0) * rows;
        self.batch = BatchBuffers {
            pre: vec![F::ZERO; total],
            acts: vec![F::ZERO; total],
            deltas: vec![F::ZERO; total],
            mask: if self.dropout { vec![F::ONE; total] } else { Vec::new() },
            rows,
        };
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

    /// The rows the mini-batch buffers have room for.
    pub fn batch_rows(&self) -> usize {
        self.batch.rows
    }

    /// The activations of layer `l` (0: the input) for row `r` of the last
    /// [`Mlp::forward_rows`].
    pub fn row_layer(&self, l: usize, r: usize) -> &[F] {
        let n = self.offsets[l + 1] - self.offsets[l];
        &self.batch.acts[self.offsets[l] * self.batch.rows + r * n..][..n]
    }

    /// The outputs (logits) for row `r` of the last [`Mlp::forward_rows`].
    pub fn row_outputs(&self, r: usize) -> &[F] {
        self.row_layer(self.offsets.len() - 2, r)
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
        Workspace {
            pre: vec![F::ZERO; total],
            acts: vec![F::ZERO; total],
            dropout: self.config.dropout > 0.0,
            w_rows: vec![F::ZERO; self.params.len()],
            offsets,
            batch: BatchBuffers::default(),
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

    /// The output logits for one example, every unit kept (evaluation, as
    /// PyTorch's `eval()`); leaves every activation in `ws`. The same
    /// products as training's, one row.
    pub fn forward<'w>(&self, x: &[f32], ws: &'w mut Workspace<F>) -> &'w [F] {
        for (a, &xi) in ws.acts[..x.len()].iter_mut().zip(x) {
            *a = F::from_f64(xi as f64);
        }
        let mut p = 0;
        let last = self.config.n_layers() - 1;
        for l in 0..=last {
            let (n_in, n_out) = (self.config.sizes[l], self.config.sizes[l + 1]);
            let (wt, rest) = self.params[p..].split_at(n_in * n_out);
            p += n_in * n_out + n_out;
            let (lo, hi) = (ws.offsets[l + 1], ws.offsets[l + 2]);
            let (before, after) = ws.acts.split_at_mut(lo);
            let input = Strided { data: &before[ws.offsets[l]..], row: n_in, inner: 1 };
            let pre = &mut ws.pre[lo..hi];
            product(input, wt, n_in, pre, n_out, Start::Row(&rest[..n_out]));
            let output = &mut after[..n_out];
            if l < last {
                self.config.activations[l].apply_slice(pre, output);
            } else {
                output.copy_from_slice(pre);
            }
        }
        ws.outputs()
    }

    /// The forward pass of examples `start..start + rows` of `data` at once,
    /// every unit kept (evaluation): the bits [`forward`](Self::forward) gives
    /// each of them. Their outputs and hidden activations are then read with
    /// [`Workspace::row_outputs`] and [`Workspace::row_layer`].
    pub fn forward_rows(&self, data: &Dataset, start: usize, rows: usize, ws: &mut Workspace<F>) {
        self.load_rows(data, start..start + rows, ws);
        self.batch_forward(ws, rows, false);
    }

    /// Copies `examples` of `data` into the batch's input rows, in order,
    /// making room for them first.
    fn load_rows(&self, data: &Dataset, examples: impl ExactSizeIterator<Item = usize>, ws: &mut Workspace<F>) {
        ws.reserve_batch(examples.len());
        // (`max(1)`: a network without inputs has nothing to copy, and must not panic.)
        let n_in = self.config.sizes[0].max(1);
        for (row, i) in ws.batch.acts.chunks_exact_mut(n_in).zip(examples) {
            for (a, &x) in row.iter_mut().zip(data.features(i)) {
                *a = F::from_f64(x as f64);
            }
        }
    }

    /// Copies the weights of every layer but the first into the workspace
    /// output-major, for the input gradient (the first layer has none).
    fn sync_rows(&self, ws: &mut Workspace<F>) {
        let mut p = 0;
        for (l, w) in self.config.sizes.windows(2).enumerate() {
            let (n_in, n_out) = (w[0], w[1]);
            if l > 0 {
                let size = n_in * n_out;
                transpose(&self.params[p..p + size], n_in, n_out, &mut ws.w_rows[p..p + size]);
            }
            p += n_in * n_out + n_out;
        }
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
        dropout: Option<&mut Rng>,
    ) -> F {
        grad.fill(F::ZERO);
        self.sync_rows(ws);
        let rows = indices.len();
        self.load_rows(data, indices.iter().copied(), ws);
        self.draw_masks(ws, rows, dropout);
        self.batch_forward(ws, rows, true);
        // The output layer's deltas, example by example, and the loss.
        let n = self.config.n_layers();
        let n_out = self.config.sizes[n];
        let at = ws.offsets[n] * ws.batch.rows;
        let scale = F::ONE / F::from_f64(rows as f64);
        let mut total = F::ZERO;
        let outputs = ws.batch.acts[at..at + rows * n_out].chunks_exact(n_out);
        let deltas = ws.batch.deltas[at..at + rows * n_out].chunks_exact_mut(n_out);
        for ((z, dz), &i) in outputs.zip(deltas).zip(indices) {
            total += self.config.head.loss_grad_with::<F, WANT_LOSS>(z, data.y[i], dz);
            for d in dz {
                *d *= scale;
            }
        }
        self.batch_backward(ws, rows, grad);
        total * scale
    }

    /// Each hidden unit's dropout factor for every example of the batch, drawn
    /// example by example, layer by layer, unit by unit (the order one
    /// forward pass per example drew them in); all ones without a generator.
    fn draw_masks(&self, ws: &mut Workspace<F>, rows: usize, dropout: Option<&mut Rng>) {
        let b = &mut ws.batch;
        if b.mask.is_empty() {
            return;
        }
        let Some(rng) = dropout else {
            b.mask.fill(F::ONE);
            return;
        };
        let p_drop = self.config.dropout;
        let keep_scale = F::from_f64(1.0 / (1.0 - p_drop));
        for e in 0..rows {
            for l in 1..self.config.n_layers() {
                let n = self.config.sizes[l];
                let at = ws.offsets[l] * b.rows + e * n;
                for m in &mut b.mask[at..at + n] {
                    *m = if rng.uniform() < p_drop { F::ZERO } else { keep_scale };
                }
            }
        }
    }

    /// The forward pass of the batch's first `rows` examples, layer by layer:
    /// `Z = X·Wᵀ + b`, then the activation (and, if `dropped`, the dropout
    /// factors).
    fn batch_forward(&self, ws: &mut Workspace<F>, rows: usize, dropped: bool) {
        let last = self.config.n_layers() - 1;
        let cap = ws.batch.rows;
        let b = &mut ws.batch;
        let mut p = 0;
        for l in 0..=last {
            let (n_in, n_out) = (self.config.sizes[l], self.config.sizes[l + 1]);
            let (wt, rest) = self.params[p..].split_at(n_in * n_out);
            p += n_in * n_out + n_out;
            let (lo, mid) = (ws.offsets[l] * cap, ws.offsets[l + 1] * cap);
            let (before, after) = b.acts.split_at_mut(mid);
            let input = Strided { data: &before[lo..lo + rows * n_in], row: n_in, inner: 1 };
            let pre = &mut b.pre[mid..mid + rows * n_out];
            product(input, wt, n_in, pre, n_out, Start::Row(&rest[..n_out]));
            let output = &mut after[..rows * n_out];
            if l < last {
                self.config.activations[l].apply_slice(pre, output);
                if dropped && !b.mask.is_empty() {
                    for (out, &m) in output.iter_mut().zip(&b.mask[mid..]) {
                        *out *= m;
                    }
                }
            } else {
                output.copy_from_slice(pre);
            }
        }
    }

    /// Back-propagates the output deltas already in the batch's buffers,
    /// adding the parameter gradients to `grad`: per layer the bias gradient
    /// (`Σₑ δₑ`), the weight gradient (`Xᵀ·Δ`) and, below the first layer, the
    /// input gradient (`Δ·W`) scaled by the activation's derivative. The
    /// workspace's weight rows must be in sync with the parameters.
    fn batch_backward(&self, ws: &mut Workspace<F>, rows: usize, grad: &mut [F]) {
        let cap = ws.batch.rows;
        let b = &mut ws.batch;
        let mut p_end = self.params.len();
        for l in (0..self.config.n_layers()).rev() {
            let (n_in, n_out) = (self.config.sizes[l], self.config.sizes[l + 1]);
            let p = p_end - (n_in * n_out + n_out);
            let (gw, gb) = grad[p..p_end].split_at_mut(n_in * n_out);
            let (lo, mid) = (ws.offsets[l] * cap, ws.offsets[l + 1] * cap);
            let (d_before, d_after) = b.deltas.split_at_mut(mid);
            let d_out = &d_after[..rows * n_out];
            let input = &b.acts[lo..lo + rows * n_in];
            for row in d_out.chunks_exact(n_out) {
                for (g, &d) in gb.iter_mut().zip(row) {
                    *g += d;
                }
            }
            // ∂W[i][o] += Σₑ x[e][i]·δ[e][o], in example order.
            product(Strided { data: input, row: 1, inner: n_in }, d_out, rows, gw, n_out, Start::Out);
            if l > 0 {
                // δ_in[e][i] = Σₒ δ[e][o]·W[o][i], in output order.
                let d_in = &mut d_before[lo..lo + rows * n_in];
                let w_rows = &ws.w_rows[p..p + n_in * n_out];
                product(Strided { data: d_out, row: n_out, inner: 1 }, w_rows, n_out, d_in, n_in, Start::Zero);
                let act = self.config.activations[l - 1];
                let pre = &b.pre[lo..lo + rows * n_in];
                if b.mask.is_empty() {
                    act.scale_by_derivative(pre, input, d_in);
                } else {
                    // `input` holds the dropped-and-scaled m·φ(z); the
                    // derivative needs φ(z) itself, so recompute it.
                    for ((d, &z), &m) in d_in.iter_mut().zip(pre).zip(&b.mask[lo..]) {
                        *d = *d * m * act.derivative(z, act.apply(z));
                    }
                }
            }
            p_end = p;
        }
    }

    /// The loss of one example (no dropout).
    pub fn loss(&self, x: &[f32], y: f32, ws: &mut Workspace<F>) -> F {
        let z = self.forward(x, ws);
        self.config.head.loss(z, y)
    }
}
