//! The tree-structured Parzen estimator: per parameter, the value most
//! likely under a density of the best trials relative to one of the rest.

use super::Study;
use super::{Method, TrialState};
use crate::engine::rng::Rng;
use crate::engine::search::space::{Config, Domain, Value};

/// The tree-structured Parzen estimator's settings (Bergstra et al., 2011;
/// as Optuna's default `TPESampler`, one parameter at a time): the scored
/// trials are split into the best `gamma` and the rest; each parameter's
/// value is the one, among `candidates` drawn from a density fitted to the
/// best, most likely under it relative to a density fitted to the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Tpe {
    /// Random trials before the densities take over.
    pub n_init: usize,
    /// The share of scored trials counted as good.
    pub gamma: f64,
    /// Values drawn from the good density per parameter and step.
    pub candidates: usize,
}

impl Default for Tpe {
    fn default() -> Self {
        Tpe { n_init: 8, gamma: 0.25, candidates: 24 }
    }
}
impl Study {
    /// TPE's split of the trials learned from (first rung): the best
    /// `gamma` of them and the rest (failed ones among the rest); `None`
    /// before `n_init` are in.
    fn tpe_split(&self, t: &Tpe) -> Option<(Vec<Config>, Vec<Config>)> {
        let mut ranked: Vec<(f64, &Config)> = self
            .trials
            .iter()
            .filter(|u| u.rung == 0 && u.state != TrialState::Running)
            .map(|u| (u.score.unwrap_or(f64::NEG_INFINITY), &u.config))
            .collect();
        if ranked.len() < t.n_init.max(2) {
            return None;
        }
        crate::engine::sort::sort_by(&mut ranked, |a, b| b.0.total_cmp(&a.0));
        let n_good = ((t.gamma * ranked.len() as f64).ceil() as usize).clamp(1, 25);
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

    /// The next configuration by TPE: each parameter on its own, the
    /// candidate value with the largest ratio of good to bad density.
    pub(super) fn next_tpe(&mut self, t: &Tpe) -> Config {
        // Scored trials of the first rung, best first; failed ones count as the worst.
        let Some((good, bad)) = self.tpe_split(t) else { return self.space.sample(&mut self.rng) };
        let mut config = Vec::with_capacity(self.space.params.len());
        for (i, p) in self.space.params.iter().enumerate() {
            let value = match &p.domain {
                Domain::Choice(c) => {
                    let l = Categorical::fit(c.len(), good.iter().map(|g| g[i]));
                    let g = Categorical::fit(c.len(), bad.iter().map(|b| b[i]));
                    let mut best = (f64::NEG_INFINITY, 0);
                    for _ in 0..t.candidates.max(1) {
                        let k = l.sample(&mut self.rng);
                        let ratio = libm::log(l.p[k] / g.p[k]);
                        if ratio > best.0 {
                            best = (ratio, k);
                        }
                    }
                    Value::Choice(best.1)
                }
                d => {
                    let unit = |cs: &[Config]| cs.iter().map(|c| self.space.encode_param(i, c[i])).collect::<Vec<_>>();
                    let l = Parzen::fit(&unit(&good));
                    let g = Parzen::fit(&unit(&bad));
                    let mut best = (f64::NEG_INFINITY, 0.5);
                    for _ in 0..t.candidates.max(1) {
                        let u = l.sample(&mut self.rng);
                        let ratio = l.log_density(u) - g.log_density(u);
                        if ratio > best.0 {
                            best = (ratio, u);
                        }
                    }
                    d.at_unit(best.1)
                }
            };
            config.push(value);
        }
        // Each parameter alone may land on a point already tried: then a fresh sample.
        if self.trials.iter().any(|u| u.config == config) { self.space.sample(&mut self.rng) } else { config }
    }
}

/// A Parzen estimator on `[0, 1]`: the uniform prior and a Gaussian at each
/// observation, its width the larger gap to its neighbours (Bergstra et
/// al.'s rule), each truncated to the interval.
struct Parzen {
    means: Vec<f64>,
    sigmas: Vec<f64>,
}

impl Parzen {
    fn fit(points: &[f64]) -> Parzen {
        let mut means: Vec<f64> = points.iter().map(|p| p.clamp(0.0, 1.0)).collect();
        crate::engine::sort::sort_by(&mut means, f64::total_cmp);
        let n = means.len();
        let floor = 1.0 / (n.min(100) as f64 + 1.0);
        let sigmas = (0..n)
            .map(|k| {
                let left = if k == 0 { means[k] } else { means[k] - means[k - 1] };
                let right = if k + 1 == n { 1.0 - means[k] } else { means[k + 1] - means[k] };
                left.max(right).clamp(floor, 1.0)
            })
            .collect();
        Parzen { means, sigmas }
    }

    /// The mixture's density at `u`: the prior and every kernel weighted equally.
    fn log_density(&self, u: f64) -> f64 {
        let normal = |x: f64| libm::exp(-0.5 * x * x) / libm::sqrt(std::f64::consts::TAU);
        let cdf = |x: f64| 0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2));
        let kernels: f64 = self
            .means
            .iter()
            .zip(&self.sigmas)
            .map(|(&m, &s)| normal((u - m) / s) / s / (cdf((1.0 - m) / s) - cdf(-m / s)).max(1e-12))
            .sum();
        libm::log((1.0 + kernels) / (self.means.len() as f64 + 1.0))
    }

    /// A draw from the mixture (a kernel's draw outside `[0, 1]` is drawn again).
    fn sample(&self, rng: &mut Rng) -> f64 {
        let k = rng.below(self.means.len() + 1);
        if k == self.means.len() {
            return rng.uniform();
        }
        for _ in 0..32 {
            let u = self.means[k] + self.sigmas[k] * rng.normal();
            if (0.0..=1.0).contains(&u) {
                return u;
            }
        }
        self.means[k]
    }
}

/// A categorical estimator: each choice's share of the observations, with
/// one prior observation spread evenly over the choices.
struct Categorical {
    p: Vec<f64>,
}

impl Categorical {
    fn fit(n: usize, values: impl Iterator<Item = Value>) -> Categorical {
        let mut counts = vec![1.0 / n as f64; n];
        for v in values {
            if let Value::Choice(k) = v {
                if k < n {
                    counts[k] += 1.0;
                }
            }
        }
        let total: f64 = counts.iter().sum();
        Categorical { p: counts.into_iter().map(|c| c / total).collect() }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let mut r = rng.uniform();
        for (k, &p) in self.p.iter().enumerate() {
            if r < p {
                return k;
            }
            r -= p;
        }
        self.p.len() - 1
    }
}
