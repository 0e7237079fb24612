//! What a finished search says: which hyperparameters mattered, and which
//! trials are the best trade-offs between two objectives.

use super::space::{Config, Domain, Space, Value};

/// How much of the scores' variance each hyperparameter explains on its own
/// (a first-order, fANOVA-style estimate): the trials are binned by the
/// parameter (five equal bins of its — log — range, or its choices), and the
/// variance of the bin means, weighted by the bins' sizes, is divided by
/// the scores' variance. In `[0, 1]` per parameter; 0 when the scores do
/// not vary.
pub fn importance(space: &Space, trials: &[(Config, f64)]) -> Vec<f64> {
    const BINS: usize = 5;
    let scores: Vec<f64> = trials.iter().map(|t| t.1).filter(|s| s.is_finite()).collect();
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / n.max(1.0);
    let total = scores.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / n.max(1.0);
    (0..space.params.len())
        .map(|i| {
            if total <= 1e-300 || trials.len() < 2 {
                return 0.0;
            }
            let n_bins = match &space.params[i].domain {
                Domain::Choice(c) => c.len(),
                _ => BINS,
            };
            let (mut sum, mut count) = (vec![0.0; n_bins], vec![0usize; n_bins]);
            for (config, score) in trials.iter().filter(|t| t.1.is_finite()) {
                let bin = match config[i] {
                    Value::Choice(k) => k.min(n_bins - 1),
                    _ => {
                        let u = space.encode_param(i, config[i]);
                        ((u * n_bins as f64) as usize).min(n_bins - 1)
                    }
                };
                sum[bin] += score;
                count[bin] += 1;
            }
            let between: f64 = (0..n_bins)
                .filter(|&b| count[b] > 0)
                .map(|b| {
                    let m = sum[b] / count[b] as f64;
                    count[b] as f64 * (m - mean) * (m - mean)
                })
                .sum::<f64>()
                / n;
            (between / total).clamp(0.0, 1.0)
        })
        .collect()
}

/// The indices of the Pareto front of `(score, cost)` points — larger score
/// and smaller cost are better: the points no other point beats on one
/// without losing on the other. In order of increasing cost.
pub fn pareto_front(points: &[(f64, f64)]) -> Vec<usize> {
    let ok = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let mut front: Vec<usize> = (0..points.len())
        .filter(|&i| ok(&points[i]))
        .filter(|&i| {
            let (s, c) = points[i];
            !points.iter().filter(|q| ok(q)).any(|&(s2, c2)| s2 >= s && c2 <= c && (s2 > s || c2 < c))
        })
        .collect();
    crate::engine::sort::sort_by(&mut front, |&a, &b| {
        points[a].1.total_cmp(&points[b].1).then(points[b].0.total_cmp(&points[a].0))
    });
    front.dedup_by(|a, b| points[*a] == points[*b]);
    front
}
