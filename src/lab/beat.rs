//! "Beat the search": the student gets N trainings to tune the search lab's
//! space by hand, then random search and Bayesian optimization get the same
//! N trials on the same space — the course's "hand tuning" against search,
//! on one budget. The challenge is the search settings' `beat=N`; the
//! student's trainings are kept runs (so a link carries them and replays
//! them), counted in order while they differ from the lab's experiment only
//! in the keys the search tunes.

use super::{Comparison, KeptRun, LabState};
use crate::engine::train::{Metric, RunState};
use crate::experiment::search::{MethodCurve, SHAPE_KEYS, SearchSpec, objective};
use crate::experiment::{ExperimentSpec, keys};

/// The methods the student's trainings are set against.
pub const RIVALS: [&str; 2] = ["random", "bayes"];

/// The name of the student's curve beside the methods'.
pub const YOU: &str = "you";

/// One of the student's trainings, scored like a search trial: the metric
/// on the validation set after the last epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    /// The kept run's key.
    pub key: u32,
    /// The tuned keys' values, as a link writes them.
    pub values: Vec<String>,
    /// `None`: it diverged or its metric could not be computed (a failed trial).
    pub score: Option<f64>,
    pub epochs: usize,
}

/// Where the challenge stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// Trainings allowed.
    pub n: usize,
    /// The keys the search tunes (what the student may change).
    pub keys: Vec<String>,
    pub metric: Metric,
    /// The counted trainings, in order (at most `n`).
    pub attempts: Vec<Attempt>,
}

impl Standing {
    /// The challenge of `search` (its `beat`), with the kept runs that count
    /// against the lab's experiment `base`; `None` without a challenge.
    pub fn of(search: &SearchSpec, base: &ExperimentSpec, kept: &[KeptRun]) -> Option<Standing> {
        if search.beat == 0 {
            return None;
        }
        // A rate changed while training is not a setting a search can try: such runs never count.
        let base = &ExperimentSpec { lr_changes: Vec::new(), ..base.clone() };
        let metric = search.metric_for(base);
        let keys: Vec<String> = search.space.params.iter().map(|p| p.key.clone()).collect();
        let attempts = kept
            .iter()
            .filter(|r| r.ended && r.spec.lr_changes.is_empty() && outside_space(base, &r.spec, search).is_none())
            .take(search.beat)
            .map(|r| Attempt {
                key: r.key,
                values: keys.iter().map(|k| value_of(&r.spec, k)).collect(),
                score: score(r, metric),
                epochs: r.history.len(),
            })
            .collect();
        Some(Standing { n: search.beat, keys, metric, attempts })
    }

    /// Trainings still to do.
    pub fn left(&self) -> usize {
        self.n.saturating_sub(self.attempts.len())
    }

    /// The best attempt (its index) and its score: the first of equals.
    pub fn best(&self) -> Option<(usize, f64)> {
        self.attempts.iter().enumerate().filter_map(|(i, a)| a.score.map(|s| (i, s))).fold(
            None,
            |best: Option<(usize, f64)>, (i, s)| match best {
                Some((_, b)) if objective(self.metric, b) >= objective(self.metric, s) => best,
                _ => Some((i, s)),
            },
        )
    }

    /// The rivals' final medians, once the comparison is the challenge's:
    /// those methods, as many trials as the student had, finished.
    pub fn rivals(&self, comparison: Option<&Comparison>) -> Option<Vec<(String, f64)>> {
        let curves = comparison?.curves.as_ref()?;
        RIVALS
            .iter()
            .map(|m| {
                let c = curves.iter().find(|c| c.method == *m)?;
                let last = *c.median.last()?;
                (c.median.len() == self.n).then(|| (m.to_string(), last))
            })
            .collect()
    }

    /// Every training done and the rivals compared on the same budget.
    pub fn done(&self, comparison: Option<&Comparison>) -> bool {
        self.left() == 0 && self.rivals(comparison).is_some()
    }

    /// The student's best score so far after each training, as a method's
    /// curve (one seed: its quartiles are itself), to draw beside the rivals'.
    pub fn curve(&self) -> MethodCurve {
        let mut best = f64::NEG_INFINITY;
        let mut spent = 0.0;
        let (mut median, mut epochs) = (Vec::new(), Vec::new());
        for a in &self.attempts {
            if let Some(s) = a.score {
                best = best.max(objective(self.metric, s));
            }
            spent += a.epochs as f64;
            median.push(objective(self.metric, best));
            epochs.push(spent);
        }
        MethodCurve { method: YOU.into(), q25: median.clone(), q75: median.clone(), median, epochs }
    }
}

/// The challenge in the lab's search settings, where it stands now.
pub fn standing(lab: &LabState) -> Option<(SearchSpec, Standing)> {
    let search = crate::experiment::search::search_from_query(lab.search_query.as_deref()?).0?;
    let standing = Standing::of(&search, &lab.spec, &lab.kept)?;
    Some((search, standing))
}

/// Whether the lab's run, just ended, is one of the student's trainings: a
/// challenge is on, trainings are left, and it changed no rate while it ran.
pub fn counts(lab: &LabState) -> bool {
    lab.spec.lr_changes.is_empty() && standing(lab).is_some_and(|(_, s)| s.left() > 0)
}

/// The first URL key outside the search's space in which `run` differs from
/// `base` — what makes a training not count (the search may change only the
/// keys it tunes; `layers` and `units` change the hidden layers, and so the
/// activation list).
pub fn outside_space(base: &ExperimentSpec, run: &ExperimentSpec, search: &SearchSpec) -> Option<&'static str> {
    let tuned: Vec<&str> = search.space.params.iter().map(|p| p.key.as_str()).collect();
    let shape = tuned.iter().any(|k| SHAPE_KEYS.contains(k));
    let default = ExperimentSpec::default();
    keys::KEYS
        .iter()
        .filter(|k| !(tuned.contains(&k.name) || shape && matches!(k.name, "hidden" | "act")))
        .find(|k| k.encode(base, &default) != k.encode(run, &default) || k.applies(base) != k.applies(run))
        .map(|k| k.name)
}

/// The value of a tuned key in `spec`, as a link writes it (`layers` and
/// `units` read from the hidden layers; a value at its default, which a
/// link leaves out, is read directly for the common keys).
fn value_of(spec: &ExperimentSpec, key: &str) -> String {
    match key {
        "lr" => keys::format_num(spec.lr),
        "bs" => spec.batch_size.to_string(),
        "ep" => spec.n_epochs.to_string(),
        "opt" => spec.optimizer.key().to_string(),
        "layers" => spec.hidden.len().to_string(),
        "units" => spec.hidden.first().map_or("0".into(), |u| u.to_string()),
        _ => {
            keys::get(key).and_then(|k| k.encode(spec, &ExperimentSpec::default())).unwrap_or_else(|| "default".into())
        }
    }
}

/// A kept run's score as a search trial's: the metric on validation data
/// after its last epoch; none for a diverged run.
fn score(run: &KeptRun, metric: Metric) -> Option<f64> {
    if matches!(run.state, RunState::Diverged { .. }) {
        return None;
    }
    run.history.last().and_then(|r| r.val.get(metric)).filter(|v| v.is_finite())
}
