//! The learning-rate range test (Smith, "Cyclical Learning Rates for
//! Training Neural Networks", 2017; fastai's `lr_find`): one short run in
//! which the learning rate grows exponentially from batch to batch, with the
//! loss recorded and smoothed. The loss first barely moves (too low), then
//! falls fastest (a good range), then explodes (too high).

use serde::{Deserialize, Serialize};

use super::Trainer;

/// Settings of the range test. fastai sweeps 1e-7…10 in 100 batches of
/// large data; the lab's small networks need more updates before the loss
/// moves at all, so the default is 300 batches from 1e-5.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrFinderConfig {
    pub min_lr: f64,
    pub max_lr: f64,
    /// Mini-batches, each at the next learning rate.
    pub steps: usize,
    /// Exponential moving average factor for the loss (with bias correction).
    pub beta: f64,
    /// Stop once the smoothed loss exceeds this many times its minimum.
    pub stop_factor: f64,
}

impl Default for LrFinderConfig {
    fn default() -> Self {
        Self { min_lr: 1e-5, max_lr: 10.0, steps: 300, beta: 0.98, stop_factor: 4.0 }
    }
}

/// A suggested learning rate and the rule that chose it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub lr: f64,
    pub rule: String,
}

/// The range test's curve and its suggestion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrFinderResult {
    pub lrs: Vec<f64>,
    /// The loss of each mini-batch.
    pub losses: Vec<f64>,
    /// The smoothed loss (what is plotted and what the rule reads).
    pub smoothed: Vec<f64>,
    /// The suggestions, the more conservative first: a tenth of the rate at
    /// the smoothed loss's minimum, then the steepest fall.
    pub suggestions: Vec<Suggestion>,
    /// The loss blew up before the last step.
    pub stopped_early: bool,
}

/// The learning rate of step `k` of `n`: geometric from `min` to `max`.
pub fn lr_at(config: &LrFinderConfig, k: usize) -> f64 {
    let t = if config.steps > 1 { k as f64 / (config.steps - 1) as f64 } else { 0.0 };
    config.min_lr * libm::pow(config.max_lr / config.min_lr, t)
}

/// Runs the range test on `trainer` (which it trains: use a fresh one).
pub fn lr_range_test(trainer: &mut Trainer, config: &LrFinderConfig) -> LrFinderResult {
    let (mut lrs, mut losses, mut smoothed) = (Vec::new(), Vec::new(), Vec::new());
    let (mut avg, mut best) = (0.0f64, f64::INFINITY);
    let mut stopped_early = false;
    for k in 0..config.steps {
        let lr = lr_at(config, k);
        let loss = trainer.train_batch(lr);
        if !loss.is_finite() {
            stopped_early = k + 1 < config.steps;
            break;
        }
        avg = config.beta * avg + (1.0 - config.beta) * loss;
        let s = avg / (1.0 - libm::pow(config.beta, (k + 1) as f64));
        lrs.push(lr);
        losses.push(loss);
        smoothed.push(s);
        best = best.min(s);
        if k > 0 && s > config.stop_factor * best {
            stopped_early = k + 1 < config.steps;
            break;
        }
    }
    let suggestions = [suggest_min_tenth(&lrs, &smoothed), suggest(&lrs, &smoothed)].into_iter().flatten().collect();
    LrFinderResult { lrs, losses, smoothed, suggestions, stopped_early }
}

/// Smith's rule of thumb: an order of magnitude below the rate at which the
/// smoothed loss is lowest (none if the lowest point is the first one).
pub fn suggest_min_tenth(lrs: &[f64], smoothed: &[f64]) -> Option<Suggestion> {
    let min_at = (0..smoothed.len()).min_by(|&a, &b| smoothed[a].total_cmp(&smoothed[b]))?;
    (min_at > smoothed.len() / 10).then(|| Suggestion {
        lr: lrs[min_at] / 10.0,
        rule: "a tenth of the rate at the smoothed loss's minimum (Smith)".into(),
    })
}

/// fastai's "steepest" rule: the learning rate where the smoothed loss falls
/// fastest against log(lr), found by central differences, searched after the
/// first tenth of the points (the moving average is still settling there) and
/// before the minimum of the smoothed loss.
pub fn suggest(lrs: &[f64], smoothed: &[f64]) -> Option<Suggestion> {
    let n = smoothed.len();
    if n < 5 {
        return None;
    }
    let min_at = (0..n).min_by(|&a, &b| smoothed[a].total_cmp(&smoothed[b]))?;
    let skip = (n / 10).max(1);
    let mut best: Option<(usize, f64)> = None;
    for i in skip..min_at.min(n - 1) {
        let slope = (smoothed[i + 1] - smoothed[i - 1]) / (libm::log(lrs[i + 1]) - libm::log(lrs[i - 1]));
        if best.is_none_or(|(_, s)| slope < s) {
            best = Some((i, slope));
        }
    }
    let (i, slope) = best?;
    (slope < 0.0).then(|| Suggestion {
        lr: lrs[i],
        rule: "steepest descent of the smoothed loss against log(lr), before its minimum (fastai)".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_geometric_from_min_to_max() {
        let c = LrFinderConfig { min_lr: 1e-4, max_lr: 1.0, steps: 5, ..LrFinderConfig::default() };
        let lrs: Vec<f64> = (0..5).map(|k| lr_at(&c, k)).collect();
        for (got, want) in lrs.iter().zip([1e-4, 1e-3, 1e-2, 1e-1, 1.0]) {
            assert!((got / want - 1.0).abs() < 1e-12, "{lrs:?}");
        }
    }

    #[test]
    fn suggests_the_steepest_fall_before_the_minimum() {
        let lrs: Vec<f64> = (0..50).map(|k| 1e-5 * 10f64.powf(k as f64 / 10.0)).collect();
        // Flat, then a sigmoid-shaped fall centred at index 25, then a blow-up.
        let losses: Vec<f64> = (0..50)
            .map(|k| {
                let fall = 1.0 / (1.0 + (-(k as f64 - 25.0) / 2.0).exp());
                1.0 - 0.8 * fall + if k > 42 { (k - 42) as f64 } else { 0.0 }
            })
            .collect();
        let s = suggest(&lrs, &losses).unwrap();
        assert_eq!(s.lr, lrs[25]);
        assert!(suggest(&lrs[..4], &losses[..4]).is_none());
        let rising: Vec<f64> = (0..50).map(|k| k as f64).collect();
        assert!(suggest(&lrs, &rising).is_none(), "no fall, no suggestion");
        let tenth = suggest_min_tenth(&lrs, &losses).unwrap();
        let min_at = (0..50).min_by(|&a, &b| losses[a].total_cmp(&losses[b])).unwrap();
        assert_eq!(tenth.lr, lrs[min_at] / 10.0);
        assert!(suggest_min_tenth(&lrs, &rising).is_none());
    }
}
