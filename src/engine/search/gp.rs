//! A Gaussian process surrogate for Bayesian optimization: Matérn 5/2
//! kernel with one length scale per dimension (ARD), observation noise, both
//! fitted by maximizing the log marginal likelihood; and expected improvement.
//!
//! Inputs live in the unit cube; targets are standardized here (zero mean,
//! unit variance), so the signal variance is 1. All maths through `libm`, so
//! the same trials come out natively and in wasm.

use libm::{erf, exp, log, sqrt};

/// The kernel's hyperparameters: length scales (one per input column) and
/// the noise variance, relative to a unit signal variance.
#[derive(Clone, Debug, PartialEq)]
pub struct Hyper {
    pub length: Vec<f64>,
    pub noise: f64,
}

impl Hyper {
    pub fn initial(dim: usize) -> Self {
        Hyper { length: vec![0.3; dim], noise: 1e-3 }
    }
}

/// Matérn 5/2: `(1 + √5 r + 5r²/3) e^{−√5 r}` with `r` the scaled distance.
pub fn matern52(a: &[f64], b: &[f64], length: &[f64]) -> f64 {
    let r2: f64 = a.iter().zip(b).zip(length).map(|((x, y), l)| ((x - y) / l) * ((x - y) / l)).sum();
    let r = sqrt(r2);
    let s5 = sqrt(5.0) * r;
    (1.0 + s5 + 5.0 / 3.0 * r2) * exp(-s5)
}

/// A fitted process: the Cholesky factor of `K + σ²I` and `α = (K + σ²I)⁻¹ y`.
#[derive(Clone, Debug)]
pub struct Gp {
    x: Vec<Vec<f64>>,
    hyper: Hyper,
    chol: Vec<f64>,
    alpha: Vec<f64>,
    y_mean: f64,
    y_std: f64,
}

/// Points whose variances [`Gp::predict_many`] solves for at once (their
/// rows of `L⁻¹K` stay in cache: 200 trials × 64 points is 100 KB).
const SOLVE_BLOCK: usize = 64;

/// Lower Cholesky factor of the `n × n` row-major `a`, or `None` if not positive definite.
fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * n + i] = sqrt(s);
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves `L z = b` (forward substitution).
fn solve_lower(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut z = b.to_vec();
    for i in 0..n {
        let mut s = z[i];
        for k in 0..i {
            s -= l[i * n + k] * z[k];
        }
        z[i] = s / l[i * n + i];
    }
    z
}

/// Solves `Lᵀ z = b` (back substitution).
fn solve_upper_t(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut z = b.to_vec();
    for i in (0..n).rev() {
        let mut s = z[i];
        for k in i + 1..n {
            s -= l[k * n + i] * z[k];
        }
        z[i] = s / l[i * n + i];
    }
    z
}

fn standardize(y: &[f64]) -> (Vec<f64>, f64, f64) {
    let n = y.len().max(1) as f64;
    let mean = y.iter().sum::<f64>() / n;
    let var = y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    let std = if var > 1e-24 { sqrt(var) } else { 1.0 };
    (y.iter().map(|v| (v - mean) / std).collect(), mean, std)
}

impl Gp {
    /// Conditions the process on `(x, y)`; `None` if the kernel matrix is
    /// numerically singular even with the noise.
    pub fn fit(x: &[Vec<f64>], y: &[f64], hyper: &Hyper) -> Option<Gp> {
        let (ys, y_mean, y_std) = standardize(y);
        let (chol, alpha) = Self::factor(x, &ys, hyper)?;
        Some(Gp { x: x.to_vec(), hyper: hyper.clone(), chol, alpha, y_mean, y_std })
    }

    fn factor(x: &[Vec<f64>], ys: &[f64], hyper: &Hyper) -> Option<(Vec<f64>, Vec<f64>)> {
        let n = x.len();
        let mut k = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let v = matern52(&x[i], &x[j], &hyper.length);
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
            k[i * n + i] += hyper.noise + 1e-9;
        }
        let l = cholesky(&k, n)?;
        let alpha = solve_upper_t(&l, n, &solve_lower(&l, n, ys));
        Some((l, alpha))
    }

    /// The log marginal likelihood of standardized `y` under `hyper`
    /// (`−∞` when the matrix does not factor).
    pub fn log_marginal(x: &[Vec<f64>], y: &[f64], hyper: &Hyper) -> f64 {
        let (ys, _, _) = standardize(y);
        let n = x.len();
        let Some((l, alpha)) = Self::factor(x, &ys, hyper) else { return f64::NEG_INFINITY };
        let fit: f64 = ys.iter().zip(&alpha).map(|(a, b)| a * b).sum();
        let log_det: f64 = (0..n).map(|i| log(l[i * n + i])).sum();
        -0.5 * fit - log_det - 0.5 * n as f64 * log(2.0 * core::f64::consts::PI)
    }

    /// Fits the hyperparameters by coordinate search on a log scale from
    /// `start`: each length scale and the noise in turn, halved or doubled
    /// while the marginal likelihood improves, within sensible bounds.
    pub fn fit_hyper(x: &[Vec<f64>], y: &[f64], start: &Hyper, sweeps: usize) -> Hyper {
        let mut best = start.clone();
        let mut best_ll = Self::log_marginal(x, y, &best);
        for _ in 0..sweeps {
            let mut improved = false;
            for d in 0..=best.length.len() {
                for factor in [2.0, 0.5] {
                    loop {
                        let mut h = best.clone();
                        if d < h.length.len() {
                            h.length[d] = (h.length[d] * factor).clamp(0.01, 20.0);
                        } else {
                            h.noise = (h.noise * factor * factor).clamp(1e-6, 0.5);
                        }
                        if h == best {
                            break;
                        }
                        let ll = Self::log_marginal(x, y, &h);
                        if ll > best_ll + 1e-9 {
                            best = h;
                            best_ll = ll;
                            improved = true;
                        } else {
                            break;
                        }
                    }
                }
            }
            if !improved {
                break;
            }
        }
        best
    }

    /// The posterior mean and standard deviation at `x`, in the units of `y`.
    pub fn predict(&self, x: &[f64]) -> (f64, f64) {
        self.predict_many(core::slice::from_ref(&x))[0]
    }

    /// [`predict`](Self::predict) at each of `points`: the triangular solve
    /// for the variance is done for [`SOLVE_BLOCK`] points at once, row by
    /// row of the factor across the points (contiguous, so it vectorizes),
    /// each point's sums in the order one solve adds them.
    pub fn predict_many<P: AsRef<[f64]>>(&self, points: &[P]) -> Vec<(f64, f64)> {
        let n = self.x.len();
        let mut out = Vec::with_capacity(points.len());
        for block in points.chunks(SOLVE_BLOCK) {
            let m = block.len();
            // Row i: the kernel between trial i and every point, then (L⁻¹K)ᵢ.
            let mut v = Vec::with_capacity(n * m);
            for xi in &self.x {
                v.extend(block.iter().map(|p| matern52(xi, p.as_ref(), &self.hyper.length)));
            }
            // (`-0.0`: the start of a float `sum()`, so the bits are its.)
            let mut mean = vec![-0.0; m];
            for (row, &a) in v.chunks_exact(m).zip(&self.alpha) {
                for (s, &k) in mean.iter_mut().zip(row) {
                    *s += k * a;
                }
            }
            let mut squares = vec![-0.0; m];
            for i in 0..n {
                let (done, rest) = v.split_at_mut(i * m);
                let row = &mut rest[..m];
                let l = &self.chol[i * n..i * n + i];
                // Four earlier rows per pass over this one (its sums kept in
                // registers meanwhile), subtracted in order.
                let mut k = 0;
                while k + 4 <= i {
                    let e: [&[f64]; 4] = core::array::from_fn(|j| &done[(k + j) * m..][..m]);
                    for (p, s) in row.iter_mut().enumerate() {
                        *s = *s - l[k] * e[0][p] - l[k + 1] * e[1][p] - l[k + 2] * e[2][p] - l[k + 3] * e[3][p];
                    }
                    k += 4;
                }
                for k in k..i {
                    for (s, &z) in row.iter_mut().zip(&done[k * m..][..m]) {
                        *s -= l[k] * z;
                    }
                }
                let d = self.chol[i * n + i];
                for (s, q) in row.iter_mut().zip(&mut squares) {
                    *s /= d;
                    *q += *s * *s;
                }
            }
            out.extend(mean.iter().zip(&squares).map(|(&mean, &q)| {
                let var = (1.0 - q).max(1e-12);
                (self.y_mean + self.y_std * mean, self.y_std * sqrt(var))
            }));
        }
        out
    }

    /// The points the process is conditioned on.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    pub fn hyper(&self) -> &Hyper {
        &self.hyper
    }
}

/// Expected improvement over `best` of a normal with this mean and standard
/// deviation (maximizing), with exploration margin `xi`.
pub fn expected_improvement(mean: f64, std: f64, best: f64, xi: f64) -> f64 {
    if std <= 0.0 {
        return (mean - best - xi).max(0.0);
    }
    let z = (mean - best - xi) / std;
    let pdf = exp(-0.5 * z * z) / sqrt(2.0 * core::f64::consts::PI);
    let cdf = 0.5 * (1.0 + erf(z / core::f64::consts::SQRT_2));
    (mean - best - xi) * cdf + std * pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many points at once give the bits of one triangular solve per point
    /// (the plain formula, as the search computed it before the blocks).
    #[test]
    fn predicting_many_points_gives_each_its_own_solves_bits() {
        let mut rng = crate::engine::rng::Rng::new(5, 0);
        let x: Vec<Vec<f64>> = (0..150).map(|_| vec![rng.uniform(), rng.uniform(), rng.uniform()]).collect();
        let y: Vec<f64> = x.iter().map(|v| (5.0 * v[0]).sin() + v[1] * v[2] + 0.01 * rng.normal()).collect();
        let gp = Gp::fit(&x, &y, &Hyper { length: vec![0.2, 0.5, 0.9], noise: 1e-3 }).unwrap();
        let points: Vec<Vec<f64>> = (0..150).map(|_| vec![rng.uniform(), rng.uniform(), rng.uniform()]).collect();
        let many = gp.predict_many(&points);
        assert_eq!(many.len(), points.len());
        for (p, &(mean, sd)) in points.iter().zip(&many) {
            let ks: Vec<f64> = gp.x.iter().map(|xi| matern52(xi, p, &gp.hyper.length)).collect();
            let m: f64 = ks.iter().zip(&gp.alpha).map(|(a, b)| a * b).sum();
            let v = solve_lower(&gp.chol, gp.x.len(), &ks);
            let var = (1.0 - v.iter().map(|a| a * a).sum::<f64>()).max(1e-12);
            let want = (gp.y_mean + gp.y_std * m, gp.y_std * sqrt(var));
            assert_eq!((mean.to_bits(), sd.to_bits()), (want.0.to_bits(), want.1.to_bits()), "{p:?}");
        }
    }

    #[test]
    fn the_posterior_interpolates_and_is_unsure_far_away() {
        let x: Vec<Vec<f64>> = (0..6).map(|i| vec![i as f64 / 5.0]).collect();
        let y: Vec<f64> = x.iter().map(|v| (6.0 * v[0]).sin()).collect();
        let gp = Gp::fit(&x, &y, &Hyper { length: vec![0.3], noise: 1e-6 }).unwrap();
        for (xi, yi) in x.iter().zip(&y) {
            let (m, s) = gp.predict(xi);
            assert!((m - yi).abs() < 1e-3, "{m} vs {yi}");
            assert!(s < 0.05, "{s}");
        }
        let (_, far) = gp.predict(&[3.0]);
        assert!(far > 0.5, "{far}");
    }

    #[test]
    fn fitting_the_hyperparameters_raises_the_marginal_likelihood() {
        let x: Vec<Vec<f64>> = (0..12).map(|i| vec![i as f64 / 11.0, ((i * 7) % 12) as f64 / 11.0]).collect();
        // Only the first column matters.
        let y: Vec<f64> = x.iter().map(|v| (4.0 * v[0]).cos()).collect();
        let start = Hyper::initial(2);
        let fitted = Gp::fit_hyper(&x, &y, &start, 4);
        assert!(Gp::log_marginal(&x, &y, &fitted) > Gp::log_marginal(&x, &y, &start));
        assert!(fitted.length[1] > fitted.length[0], "the irrelevant column gets the longer scale: {fitted:?}");
    }

    #[test]
    fn expected_improvement_matches_its_closed_form() {
        // z = 0: EI = σ φ(0).
        assert!((expected_improvement(1.0, 2.0, 1.0, 0.0) - 2.0 * 0.398_942_280_401_432_7).abs() < 1e-12);
        assert_eq!(expected_improvement(0.0, 0.0, 1.0, 0.0), 0.0);
        assert!(expected_improvement(3.0, 1e-9, 1.0, 0.0) > 1.99);
    }
}
