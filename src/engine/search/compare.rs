//! Comparing search methods on equal budgets: the best score so far after
//! each trial, summarized over repeated seeds (median and quartiles), as in
//! Bergstra & Bengio (2012), whose observation — random search beats grid
//! search when only a few hyperparameters matter — the tests reproduce.

use super::space::{Config, Space};
use super::study::{Ask, Method, Study, Trial};

/// The best score after each trial (in the order trials were asked);
/// `-∞` until one is scored.
pub fn best_so_far(trials: &[Trial]) -> Vec<f64> {
    let mut best = f64::NEG_INFINITY;
    trials
        .iter()
        .map(|t| {
            if let Some(s) = t.score {
                best = best.max(s);
            }
            best
        })
        .collect()
}

/// Median and quartiles of each column of `curves` (all the same length).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub median: Vec<f64>,
    pub q25: Vec<f64>,
    pub q75: Vec<f64>,
}

pub fn summarize(curves: &[Vec<f64>]) -> Summary {
    let len = curves.iter().map(Vec::len).min().unwrap_or(0);
    let mut out =
        Summary { median: Vec::with_capacity(len), q25: Vec::with_capacity(len), q75: Vec::with_capacity(len) };
    for i in 0..len {
        let mut col: Vec<f64> = curves.iter().map(|c| c[i]).collect();
        col.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let x = q * (col.len() - 1) as f64;
            let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
            let (a, b) = (col[lo], col[hi]);
            if a == b { a } else { a + (b - a) * (x - lo as f64) }
        };
        out.median.push(at(0.5));
        out.q25.push(at(0.25));
        out.q75.push(at(0.75));
    }
    out
}

/// Runs `method` to its budget for each seed in `seeds`, one trial at a
/// time, scoring with `objective` (`None`: failed); returns each seed's
/// best-so-far curve.
pub fn repeat(
    space: &Space,
    method: &Method,
    n_trials: usize,
    seeds: impl IntoIterator<Item = u64>,
    mut objective: impl FnMut(&Config) -> Option<f64>,
) -> Result<Vec<Vec<f64>>, String> {
    let mut curves = Vec::new();
    for seed in seeds {
        let mut study = Study::new(space.clone(), method.clone(), n_trials, seed)?;
        while let Ask::Trial { id, config } = study.ask() {
            let score = objective(&config);
            study.tell(id, score);
        }
        curves.push(best_so_far(study.trials()));
    }
    Ok(curves)
}
