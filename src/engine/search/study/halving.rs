//! Successive halving and Hyperband: configurations start on few epochs
//! and the best of each rung are promoted to more.

use super::{Method, Study, Trial};
use crate::engine::search::space::Config;

/// Asynchronous successive halving (ASHA; Li et al., 2020, as Optuna's
/// `SuccessiveHalvingPruner` and Ray Tune's `ASHAScheduler`): configurations
/// start on a small budget of epochs; whenever one is in the best `1/eta` of
/// its rung, it is promoted to the next, `eta` times the budget, up to the
/// experiment's epochs. New configurations come from the inner method
/// (random or Bayesian, learning from the first rung).
///
/// With `hyperband`, asynchronous Hyperband (Li et al., 2018; 2020 §3.2):
/// one bracket per rung, bracket `s` starting its configurations on rung
/// `s` — from the most aggressive early stopping to none — so a problem
/// where early scores mislead still has brackets that train long. New
/// configurations go to the brackets in Hyperband's proportions.
#[derive(Clone, Debug, PartialEq)]
pub struct Halving {
    pub inner: Box<Method>,
    pub min_epochs: usize,
    pub max_epochs: usize,
    pub eta: usize,
    pub hyperband: bool,
}

impl Halving {
    /// The epochs of each rung: `min_epochs · etaᵏ`, the last capped at `max_epochs`.
    pub fn rungs(&self) -> Vec<usize> {
        let (eta, max) = (self.eta.max(2), self.max_epochs.max(1));
        let mut out = vec![self.min_epochs.clamp(1, max)];
        while *out.last().unwrap_or(&max) < max {
            let next = out.last().copied().unwrap_or(max).saturating_mul(eta).min(max);
            out.push(next);
        }
        out
    }

    /// Hyperband's share of new configurations per bracket: bracket `s` of
    /// `n` (starting on rung `s`) gets `⌈n / (n − s) · ηⁿ⁻¹⁻ˢ⌉`; without
    /// Hyperband, one bracket.
    pub fn bracket_weights(&self) -> Vec<f64> {
        let n = if self.hyperband { self.rungs().len() } else { 1 };
        (0..n).map(|s| (n as f64 / (n - s) as f64 * (self.eta.max(2) as f64).powi((n - 1 - s) as i32)).ceil()).collect()
    }
}

impl Study {
    /// A new configuration for successive halving, from its inner method.
    pub(super) fn new_config(&mut self, h: &Halving) -> Config {
        match &*h.inner {
            Method::Bayes(b) => self.next_bayes(b),
            Method::Tpe(t) => self.next_tpe(t),
            _ => self.space.sample(&mut self.rng),
        }
    }

    /// The bracket a new configuration joins: the one furthest below its
    /// share of the configurations so far (the first of equals).
    pub(super) fn next_bracket(&self, h: &Halving) -> usize {
        let weights = h.bracket_weights();
        let started = |s: usize| self.trials.iter().filter(|t| t.bracket == s && t.rung == s).count() as f64;
        (0..weights.len()).min_by(|&a, &b| (started(a) / weights[a]).total_cmp(&(started(b) / weights[b]))).unwrap_or(0)
    }

    /// A configuration to promote, with its new rung and its bracket: from
    /// the highest rung down, one of the best `1/eta` of that rung's scored
    /// trials of its bracket not yet on the next rung.
    pub(super) fn promotion(&self, h: &Halving) -> Option<(Config, usize, usize)> {
        let n_rungs = h.rungs().len();
        for k in (0..n_rungs.saturating_sub(1)).rev() {
            // Each bracket promotes among its own: brackets 0..=k have trials on rung k.
            for b in 0..=k {
                let mut scored: Vec<&Trial> =
                    self.trials.iter().filter(|t| t.rung == k && t.bracket == b && t.score.is_some()).collect();
                crate::engine::sort::sort_by(&mut scored, |x, y| y.score.unwrap().total_cmp(&x.score.unwrap()));
                let n_top = scored.len() / h.eta.max(2);
                for t in &scored[..n_top] {
                    if !self.trials.iter().any(|u| u.rung == k + 1 && u.bracket == b && u.config == t.config) {
                        return Some((t.config.clone(), k + 1, b));
                    }
                }
            }
        }
        None
    }
}
