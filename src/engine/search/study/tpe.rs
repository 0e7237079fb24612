//! The tree-structured Parzen estimator: the configuration most likely
//! under a density of the best trials relative to one of the rest, both
//! over all parameters at once.

use super::Study;
use super::{Method, TrialState};
use crate::engine::rng::Rng;
use crate::engine::search::space::{Config, Domain, Value};

/// The tree-structured Parzen estimator's settings (Bergstra et al., 2011;
/// multivariate as Optuna 5's default `TPESampler`, Falkner et al.'s
/// product kernels): the trials are split into the best `gamma` of those
/// scored and the rest — failed ones and those still training among the
/// rest, as Optuna's "constant liar" — and the next configuration is the
/// one, among `candidates` drawn from a density fitted to the best, most
/// likely under it relative to a density fitted to the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Tpe {
    /// Random trials before the densities take over.
    pub n_init: usize,
    /// The share of scored trials counted as good.
    pub gamma: f64,
    /// Configurations drawn from the good density per step.
    pub candidates: usize,
}

impl Default for Tpe {
    fn default() -> Self {
        Tpe { n_init: 8, gamma: 0.25, candidates: 24 }
    }
}
impl Study {
    /// TPE's split of the first rung's trials: the best — `gamma` of every
    /// trial asked, at most those learned from — and the rest: failed ones,
    /// and those still training (or whose result is not learned yet,
    /// [`super::LAG`]), so that the next ask keeps away from them. `None`
    /// before `n_init` are learned from.
    fn tpe_split(&self, t: &Tpe) -> Option<(Vec<Config>, Vec<Config>)> {
        let mut ranked: Vec<(f64, &Config)> = self
            .trials
            .iter()
            .filter(|u| u.rung == 0)
            .map(|u| (u.score.unwrap_or(f64::NEG_INFINITY), &u.config))
            .collect();
        let finished = self.trials.iter().filter(|u| u.rung == 0 && u.state != TrialState::Running).count();
        if finished < t.n_init.max(2) {
            return None;
        }
        crate::engine::sort::sort_by(&mut ranked, |a, b| b.0.total_cmp(&a.0));
        let n_good = ((t.gamma * ranked.len() as f64).ceil() as usize).clamp(1, 25).min(finished);
        let configs = |r: &[(f64, &Config)]| r.iter().map(|x| x.1.clone()).collect();
        Some((configs(&ranked[..n_good]), configs(&ranked[n_good..])))
    }

    /// TPE's two densities along numeric parameter `param`, at `n` points
    /// evenly spaced on its unit scale: (value, density of the best trials,
    /// density of the rest). `None` for a choice, another method, or before
    /// the densities take over.
    pub fn tpe_densities(&self, param: usize, n: usize) -> Option<Vec<(f64, f64, f64)>> {
        let t = match &self.method {
            Method::Tpe(t) => t,
            Method::Halving(h) => match &*h.inner {
                Method::Tpe(t) => t,
                _ => return None,
            },
            _ => return None,
        };
        let domain = &self.space.params.get(param)?.domain;
        if matches!(domain, Domain::Choice(_)) {
            return None;
        }
        let (good, bad) = self.tpe_split(t)?;
        let unit = |cs: &[Config]| cs.iter().map(|c| self.space.encode_param(param, c[param])).collect::<Vec<_>>();
        let (l, g) = (Parzen::fit(&unit(&good)), Parzen::fit(&unit(&bad)));
        let n = n.max(2);
        Some(
            (0..n)
                .map(|k| {
                    let u = k as f64 / (n - 1) as f64;
                    (domain.value_at(u), libm::exp(l.log_density(u)), libm::exp(g.log_density(u)))
                })
                .collect(),
        )
    }

    /// The next configuration by TPE: candidates drawn from the density of
    /// the best trials over all parameters at once, the one with the largest
    /// ratio of that density to the density of the rest.
    pub(super) fn next_tpe(&mut self, t: &Tpe) -> Config {
        let Some((good, bad)) = self.tpe_split(t) else { return self.space.sample(&mut self.rng) };
        let (l, g) = (Joint::fit(self, &good), Joint::fit(self, &bad));
        let mut best = (f64::NEG_INFINITY, Vec::new());
        for _ in 0..t.candidates.max(1) {
            let x = l.sample(&mut self.rng);
            let ratio = l.log_density(&x) - g.log_density(&x);
            if ratio > best.0 || best.1.is_empty() {
                best = (ratio, x);
            }
        }
        let config: Config = self
            .space
            .params
            .iter()
            .zip(&best.1)
            .map(|(p, x)| match (&p.domain, x) {
                (Domain::Choice(_), &Coord::Choice(k)) => Value::Choice(k),
                (d, &Coord::Unit(u)) => d.at_unit(u),
                (d, _) => d.at_unit(0.5),
            })
            .collect();
        // A candidate may round onto a point already tried: then a fresh sample.
        if self.trials.iter().any(|u| u.config == config) { self.space.sample(&mut self.rng) } else { config }
    }
}

/// A point of the search space as TPE's densities see it: a numeric
/// parameter on its unit scale, a choice by its index.
#[derive(Clone, Copy, Debug)]
enum Coord {
    Unit(f64),
    Choice(usize),
}

/// The density of a group of trials over all parameters at once (Optuna
/// 5's default `TPESampler`, `multivariate`): one kernel per trial,
/// a product over the parameters, plus a prior kernel, weighted equally.
/// Each parameter's kernels are [`Parzen`]'s or [`Categorical`]'s.
struct Joint {
    dims: Vec<Dim>,
    /// Kernels, the prior's included (the number of trials + 1).
    n_kernels: usize,
}

enum Dim {
    Numeric(Parzen),
    Choice(Categorical),
}

impl Joint {
    fn fit(study: &Study, trials: &[Config]) -> Joint {
        let dims = study
            .space
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| match &p.domain {
                Domain::Choice(c) => Dim::Choice(Categorical::fit(c.len(), trials.iter().map(|t| t[i]))),
                _ => Dim::Numeric(Parzen::fit(
                    &trials.iter().map(|t| study.space.encode_param(i, t[i])).collect::<Vec<_>>(),
                )),
            })
            .collect();
        Joint { dims, n_kernels: trials.len() + 1 }
    }

    /// A draw: one kernel, then each parameter from that kernel.
    fn sample(&self, rng: &mut Rng) -> Vec<Coord> {
        let k = rng.below(self.n_kernels);
        self.dims
            .iter()
            .map(|d| match d {
                Dim::Numeric(p) => Coord::Unit(p.sample_kernel(k, rng)),
                Dim::Choice(c) => Coord::Choice(c.sample_kernel(k, rng)),
            })
            .collect()
    }

    /// The logarithm of the density at `x`: the mean over kernels of the
    /// product of their parameters' densities (summed in the log domain).
    fn log_density(&self, x: &[Coord]) -> f64 {
        let per_kernel: Vec<f64> = (0..self.n_kernels)
            .map(|k| {
                self.dims
                    .iter()
                    .zip(x)
                    .map(|(d, &x)| match (d, x) {
                        (Dim::Numeric(p), Coord::Unit(u)) => p.log_kernel(k, u),
                        (Dim::Choice(c), Coord::Choice(j)) => libm::log(c.p(k, j)),
                        _ => 0.0,
                    })
                    .sum()
            })
            .collect();
        log_mean_exp(&per_kernel)
    }
}

/// `ln(mean(exp(v)))` without overflow; −∞ for an empty or all −∞ `v`.
fn log_mean_exp(v: &[f64]) -> f64 {
    let top = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return top;
    }
    top + libm::log(v.iter().map(|x| libm::exp(x - top)).sum::<f64>() / v.len() as f64)
}

/// One parameter's Parzen estimator on `[0, 1]`, as Optuna's: a Gaussian at
/// each observation, its width the larger gap to its neighbours (the
/// outermost ones: the gap to their one neighbour), clipped to
/// `[1 / min(100, n + 2), 1]`; and a prior kernel, the Gaussian of width 1
/// at 0.5. Each kernel is truncated to the interval.
struct Parzen {
    /// The observations' kernels in the observations' order, then the prior's.
    means: Vec<f64>,
    sigmas: Vec<f64>,
    /// Each kernel's `ln(σ · mass in [0, 1])`, its normalization.
    log_scales: Vec<f64>,
}

impl Parzen {
    fn fit(points: &[f64]) -> Parzen {
        let mut means: Vec<f64> = points.iter().map(|p| p.clamp(0.0, 1.0)).collect();
        let n = means.len();
        let mut order: Vec<usize> = (0..n).collect();
        crate::engine::sort::sort_by(&mut order, |&a, &b| means[a].total_cmp(&means[b]));
        let sorted = |r: usize| means[order[r]];
        let floor = 1.0 / (n as f64 + 2.0).min(100.0);
        let mut sigmas = vec![1.0; n];
        for r in 0..n {
            let left = if r == 0 { sorted(r) } else { sorted(r) - sorted(r - 1) };
            let right = if r + 1 == n { 1.0 - sorted(r) } else { sorted(r + 1) - sorted(r) };
            let width = match (n >= 2, r) {
                (true, 0) => right,
                (true, r) if r + 1 == n => left,
                _ => left.max(right),
            };
            sigmas[order[r]] = width.clamp(floor, 1.0);
        }
        means.push(0.5);
        sigmas.push(1.0);
        let cdf = |x: f64| 0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2));
        let log_scales = means
            .iter()
            .zip(&sigmas)
            .map(|(&m, &s)| libm::log(s * (cdf((1.0 - m) / s) - cdf(-m / s)).max(1e-12)))
            .collect();
        Parzen { means, sigmas, log_scales }
    }

    /// The logarithm of kernel `k`'s density at `u`.
    fn log_kernel(&self, k: usize, u: f64) -> f64 {
        let z = (u - self.means[k]) / self.sigmas[k];
        -0.5 * z * z - self.log_scales[k] - 0.5 * libm::log(std::f64::consts::TAU)
    }

    /// The mixture's density at `u` (this parameter's marginal), as a logarithm.
    fn log_density(&self, u: f64) -> f64 {
        log_mean_exp(&(0..self.means.len()).map(|k| self.log_kernel(k, u)).collect::<Vec<_>>())
    }

    /// A draw from kernel `k` (a draw outside `[0, 1]` is drawn again).
    fn sample_kernel(&self, k: usize, rng: &mut Rng) -> f64 {
        let (m, s) = (self.means[k], self.sigmas[k]);
        for _ in 0..32 {
            let u = m + s * rng.normal();
            if (0.0..=1.0).contains(&u) {
                return u;
            }
        }
        m
    }
}

/// One choice parameter's kernels, as Optuna's: kernel `k` puts one count
/// on its observation and `1 / kernels` on every choice; the prior kernel
/// is uniform.
struct Categorical {
    /// The observations, then `None` for the prior kernel.
    seen: Vec<Option<usize>>,
    n_choices: usize,
}

impl Categorical {
    fn fit(n_choices: usize, values: impl Iterator<Item = Value>) -> Categorical {
        let mut seen: Vec<Option<usize>> =
            values.map(|v| if let Value::Choice(k) = v { Some(k).filter(|&k| k < n_choices) } else { None }).collect();
        seen.push(None);
        Categorical { seen, n_choices: n_choices.max(1) }
    }

    /// Kernel `k`'s probability of choice `j`.
    fn p(&self, k: usize, j: usize) -> f64 {
        let spread = 1.0 / self.seen.len() as f64;
        match self.seen[k] {
            Some(s) => (spread + if s == j { 1.0 } else { 0.0 }) / (1.0 + spread * self.n_choices as f64),
            None => 1.0 / self.n_choices as f64,
        }
    }

    fn sample_kernel(&self, k: usize, rng: &mut Rng) -> usize {
        let mut r = rng.uniform();
        for j in 0..self.n_choices {
            let p = self.p(k, j);
            if r < p {
                return j;
            }
            r -= p;
        }
        self.n_choices - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::search::space::{Param, Space};
    use crate::engine::search::study::Ask;

    /// Trials still training count among the rest, so the next ask keeps
    /// away from them (Optuna's "constant liar"), and not as learned from.
    #[test]
    fn trials_still_training_count_among_the_rest() {
        let x = Param { key: "x".into(), domain: Domain::Uniform { lo: 0.0, hi: 1.0 }, levels: 5 };
        let t = Tpe::default();
        let mut study = Study::new(Space { params: vec![x] }, Method::Tpe(t.clone()), 40, 7).unwrap();
        let ask = |study: &mut Study| match study.ask() {
            Ask::Trial { id, config } => (id, config),
            other => panic!("{other:?}"),
        };
        for _ in 0..t.n_init + 2 {
            let (id, config) = ask(&mut study);
            assert!(study.tpe_split(&t).is_none(), "trial {id}: fewer than {} learned from", t.n_init);
            let Value::Real(v) = config[0] else { panic!("a number") };
            study.tell(id, Some(-(v - 0.3).abs()));
        }
        // Ten told, of which the last ask learned the first nine (LAG); three more asked, not told.
        let training: Vec<Config> = (0..3).map(|_| ask(&mut study).1).collect();
        let learned: Vec<&Config> =
            study.trials.iter().filter(|u| u.state != TrialState::Running).map(|u| &u.config).collect();
        assert_eq!(learned.len(), 13 - super::super::LAG);
        let (good, rest) = study.tpe_split(&t).unwrap();
        assert_eq!(good.len() + rest.len(), 13);
        assert_eq!(good.len(), 4, "a quarter of the trials asked");
        assert!(good.iter().all(|c| learned.contains(&c)), "only learned trials are among the best");
        for c in &training {
            assert!(rest.contains(c), "{c:?}, still training, is among the rest");
        }
    }
}
