//! The mini-batch's matrix products, register-blocked.
//!
//! A mini-batch is a matrix, one example a row, and each layer's forward
//! pass, weight gradient and input gradient are products of such matrices.
//! [`product`] computes them a block of 4 rows × 8 columns at a time, its 32
//! sums held in registers while the inner dimension streams past (the 8
//! columns are two SIMD vectors of `f32` on x86-64's SSE and on wasm's
//! SIMD128, and LLVM vectorizes them on both).
//!
//! Blocking changes which sums are computed when, never the order of any
//! one sum: every output is `start + x₀w₀ + x₁w₁ + …` added in the order of
//! the inner index, exactly as the per-example loops summed it, so a batch
//! gives the same bits as the examples one by one, natively and in wasm.

use crate::engine::scalar::Real;

/// What each sum starts from.
#[derive(Clone, Copy)]
pub(super) enum Start<'a, F> {
    /// Zero (the input gradient).
    Zero,
    /// The same row for every output row (the bias, forward).
    Row(&'a [F]),
    /// What `out` already holds (gradients accumulating).
    Out,
}

/// A matrix read with strides: element `(r, i)` is `data[r·row + i·inner]`,
/// so a row-major matrix and the transpose of one are read alike.
#[derive(Clone, Copy)]
pub(super) struct Strided<'a, F> {
    pub data: &'a [F],
    pub row: usize,
    pub inner: usize,
}

/// `out[r][j] = start + Σᵢ x(r, i) · w[i][j]`, the sum in increasing `i`,
/// for the `out.len() / n` rows of `out` (row-major, `n` columns) and the
/// `k` rows of `w` (row-major, `n` columns). `x` is read either by rows
/// (`inner == 1`) or by columns (`row == 1`).
pub(super) fn product<F: Real>(x: Strided<F>, w: &[F], k: usize, out: &mut [F], n: usize, start: Start<F>) {
    if n == 0 {
        return;
    }
    let rows = out.len() / n;
    assert!(w.len() >= k * n, "product: w is {} long, needs {k}×{n}", w.len());
    if rows > 0 && k > 0 {
        let last = (rows - 1) * x.row + (k - 1) * x.inner;
        assert!(last < x.data.len(), "product: x is {} long, reads {last}", x.data.len());
    }
    let p = Product { x, w, k, n, start };
    if x.inner == 1 {
        p.rows::<true>(out, rows);
    } else {
        assert_eq!(x.row, 1, "product: x is read by rows or by columns");
        assert!(x.data.len() >= k * x.inner, "product: x is {} long, needs {k} columns of {}", x.data.len(), x.inner);
        p.rows::<false>(out, rows);
    }
}

/// The operands of one product (all but its output).
#[derive(Clone, Copy)]
struct Product<'a, F> {
    x: Strided<'a, F>,
    w: &'a [F],
    k: usize,
    n: usize,
    start: Start<'a, F>,
}

impl<F: Real> Product<'_, F> {
    /// Every row of the product, four at a time, then two, then one.
    #[inline(always)]
    fn rows<const BY_ROWS: bool>(self, out: &mut [F], rows: usize) {
        let mut r = 0;
        while r + 4 <= rows {
            self.columns::<BY_ROWS, 4>(out, r);
            r += 4;
        }
        if r + 2 <= rows {
            self.columns::<BY_ROWS, 2>(out, r);
            r += 2;
        }
        if r < rows {
            self.columns::<BY_ROWS, 1>(out, r);
        }
    }

    /// Rows `r0..r0 + R` of the product: blocks of 8 columns, then of 4, 2, 1.
    #[inline(always)]
    fn columns<const BY_ROWS: bool, const R: usize>(self, out: &mut [F], r0: usize) {
        let mut j = 0;
        while j + 8 <= self.n {
            self.block::<BY_ROWS, R, 8>(out, r0, j);
            j += 8;
        }
        if j + 4 <= self.n {
            self.block::<BY_ROWS, R, 4>(out, r0, j);
            j += 4;
        }
        if j + 2 <= self.n {
            self.block::<BY_ROWS, R, 2>(out, r0, j);
            j += 2;
        }
        if j < self.n {
            self.block::<BY_ROWS, R, 1>(out, r0, j);
        }
    }

    /// The `R × C` block of the product at row `r0`, column `j0`.
    #[inline(always)]
    fn block<const BY_ROWS: bool, const R: usize, const C: usize>(self, out: &mut [F], r0: usize, j0: usize) {
        let Product { x, w, k, n, start } = self;
        let mut acc = [[F::ZERO; C]; R];
        for (r, a) in acc.iter_mut().enumerate() {
            match start {
                Start::Zero => {}
                Start::Row(b) => a.copy_from_slice(&b[j0..j0 + C]),
                Start::Out => a.copy_from_slice(&out[(r0 + r) * n + j0..][..C]),
            }
        }
        // Every operand sliced to exact lengths first, so that the bounds
        // checks left in the loop do not depend on `i` and LLVM moves them
        // out of it: w's rows are `n` long and `j0 + C ≤ n`; x's rows are `k`
        // long and `i < k`; x's columns are `inner` long and `r0 + R ≤ inner`.
        assert!(j0 + C <= n, "product: block past the last column");
        let w_rows = w[..k * n].chunks_exact(n);
        if BY_ROWS {
            let x_rows: [&[F]; R] = core::array::from_fn(|r| &x.data[(r0 + r) * x.row..][..k]);
            for (i, wr) in (0..k).zip(w_rows) {
                let wi: &[F; C] = wr[j0..j0 + C].try_into().expect("C columns");
                let xi: [F; R] = core::array::from_fn(|r| x_rows[r][i]);
                accumulate(&mut acc, &xi, wi);
            }
        } else {
            assert!(r0 + R <= x.inner, "product: block past x's last row");
            let x_cols = x.data[..k * x.inner].chunks_exact(x.inner);
            for (xc, wr) in x_cols.zip(w_rows) {
                let wi: &[F; C] = wr[j0..j0 + C].try_into().expect("C columns");
                let xi: &[F; R] = xc[r0..r0 + R].try_into().expect("R rows");
                accumulate(&mut acc, xi, wi);
            }
        }
        for (r, a) in acc.iter().enumerate() {
            out[(r0 + r) * n + j0..][..C].copy_from_slice(a);
        }
    }
}

/// `acc[r][j] += w[j] · x[r]`: one step of the inner dimension.
#[inline(always)]
fn accumulate<F: Real, const R: usize, const C: usize>(acc: &mut [[F; C]; R], x: &[F; R], w: &[F; C]) {
    for (a, &xv) in acc.iter_mut().zip(x) {
        for (s, &wv) in a.iter_mut().zip(w) {
            *s += wv * xv;
        }
    }
}

/// `dst[c·rows + r] = src[r·cols + c]`: the transpose of the row-major
/// `rows × cols` matrix `src`, in tiles of 4 × 4 (each tile's four rows read
/// whole and turned into its four columns by [`Real::transpose4`], SIMD
/// shuffles in wasm), then the edges one by one. A copy: every value moves
/// unchanged.
pub(super) fn transpose<F: Real>(src: &[F], rows: usize, cols: usize, dst: &mut [F]) {
    const T: usize = 4;
    let (src, dst) = (&src[..rows * cols], &mut dst[..rows * cols]);
    let (whole_rows, whole_cols) = (rows - rows % T, cols - cols % T);
    for r0 in (0..whole_rows).step_by(T) {
        let band: [&[F]; T] = core::array::from_fn(|r| &src[(r0 + r) * cols..][..whole_cols]);
        // Column tile `c0..c0 + 4` of the band goes to rows `c0..c0 + 4` of
        // `dst` (each `rows` long), at `r0..r0 + 4` in each.
        let targets = dst[..whole_cols * rows].chunks_exact_mut(T * rows);
        for (c0, target) in (0..whole_cols).step_by(T).zip(targets) {
            let tile: [[F; T]; T] = core::array::from_fn(|r| band[r][c0..c0 + T].try_into().expect("T columns"));
            for (column, out) in F::transpose4(tile).into_iter().zip(target.chunks_exact_mut(rows)) {
                out[r0..r0 + T].copy_from_slice(&column);
            }
        }
        for c in whole_cols..cols {
            for r in 0..T {
                dst[c * rows + r0 + r] = src[(r0 + r) * cols + c];
            }
        }
    }
    for r in whole_rows..rows {
        for (c, &v) in src[r * cols..(r + 1) * cols].iter().enumerate() {
            dst[c * rows + r] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The product as three plain loops, summed in the same order.
    fn naive(x: Strided<f32>, w: &[f32], k: usize, out: &mut [f32], n: usize, start: Start<f32>) {
        for r in 0..out.len() / n {
            for j in 0..n {
                let mut s = match start {
                    Start::Zero => 0.0,
                    Start::Row(b) => b[j],
                    Start::Out => out[r * n + j],
                };
                for i in 0..k {
                    s += w[i * n + j] * x.data[r * x.row + i * x.inner];
                }
                out[r * n + j] = s;
            }
        }
    }

    #[test]
    fn a_transpose_moves_every_value_to_its_mirror() {
        for rows in [0, 1, 3, 4, 5, 8, 13] {
            for cols in [0, 1, 2, 4, 7, 8, 64] {
                let src: Vec<f32> = (0..rows * cols).map(|v| v as f32).collect();
                let mut dst = vec![f32::NAN; rows * cols];
                transpose(&src, rows, cols, &mut dst);
                for r in 0..rows {
                    for c in 0..cols {
                        assert_eq!(dst[c * rows + r], src[r * cols + c], "{rows}×{cols} at ({r}, {c})");
                    }
                }
            }
        }
    }

    #[test]
    fn every_shape_gives_the_plain_loops_bits() {
        let mut rng = crate::engine::rng::Rng::new(7, 0);
        for rows in [1, 3, 4, 5, 9, 32] {
            for k in [1, 2, 7, 16] {
                for n in [1, 3, 4, 8, 10, 17] {
                    let x: Vec<f32> = (0..rows * k).map(|_| rng.uniform() as f32 - 0.5).collect();
                    let w: Vec<f32> = (0..k * n).map(|_| rng.uniform() as f32 * 3.0 - 1.5).collect();
                    let b: Vec<f32> = (0..n).map(|_| rng.uniform() as f32).collect();
                    let o0: Vec<f32> = (0..rows * n).map(|_| rng.uniform() as f32).collect();
                    // Row-major x, and x read transposed (its k × rows storage).
                    let xt: Vec<f32> = (0..k * rows).map(|p| x[(p % rows) * k + p / rows]).collect();
                    let plain = Strided { data: &x[..], row: k, inner: 1 };
                    let transposed = Strided { data: &xt[..], row: 1, inner: rows };
                    for (xs, start) in [(plain, Start::Zero), (plain, Start::Row(&b[..])), (transposed, Start::Out)] {
                        let (mut ours, mut want) = (o0.clone(), o0.clone());
                        product(xs, &w, k, &mut ours, n, start);
                        naive(xs, &w, k, &mut want, n, start);
                        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
                        assert_eq!(bits(&ours), bits(&want), "{rows}×{k}·{k}×{n}");
                    }
                }
            }
        }
    }
}
