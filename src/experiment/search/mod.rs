//! A hyperparameter search over experiments: what to tune (a [`Space`] of
//! URL keys), how (a [`Method`]), for how many trials, scored by which
//! metric on hold-out validation or k-fold cross-validation — and the
//! objective that turns a configuration into a trained, scored run.
//!
//! A trial changes the base experiment through the same URL keys a link
//! uses, so every trial is a valid experiment with a link of its own, and
//! every trial uses the base's seed: the same data, split and initial
//! weights, so trials differ only in their hyperparameters.
//!
//! By concern: the space a search tunes and its text form ([`space`]), a
//! trial's experiment and its scoring ([`trial`]), and the search's keys of
//! a link ([`link`]); this file holds the search itself and its preparation.

mod link;
mod space;
mod trial;

pub use super::keys::SEARCH_KEYS;
pub use link::{search_from_query, search_to_query};
pub use space::{
    MAX_CHOICES, MAX_SPACE_PARAMS, SHAPE_KEYS, TUNABLES, Tunable, count_range, format_space, parse_space, tunable_of,
};
pub use trial::{Evaluated, Failure, evaluate, fold_splits, objective, test_score, trial_spec};

use super::keys;
use super::query::{Notice, NoticeKind};
use super::{ExperimentSpec, OwnData, SpecError};
use crate::engine::search::comparison::EqualBudget;
use crate::engine::search::study::Halving;
use crate::engine::search::{Bayes, Config, Domain, Genetic, Method, Space};
use crate::engine::train::Metric;
use space::check_count;
use trial::trial_pairs;

/// Everything that defines a search, besides the base experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchSpec {
    pub method: Method,
    pub space: Space,
    pub n_trials: usize,
    /// Drives the method's random choices (sampling, grid order, breeding).
    pub seed: u64,
    /// What a trial is scored by; `None`: the task's main metric.
    pub metric: Option<Metric>,
    /// 0: hold-out validation; k ≥ 2: stratified k-fold cross-validation on
    /// training + validation data.
    pub folds: usize,
    /// Methods to compare on this space and budget (empty: just `method`).
    pub compare: Vec<Method>,
    /// Seeds per method in a comparison (`sseed`, `sseed + 1`, …).
    pub repeats: usize,
    /// "Beat the search" (the page's): the student's trainings by hand
    /// against random search and Bayesian optimization given as many; 0: none.
    pub beat: usize,
}

impl Default for SearchSpec {
    fn default() -> Self {
        SearchSpec {
            method: Method::Random,
            space: parse_space("lr:log:0.0001:1,bs:logint:1:128").expect("the default space parses"),
            n_trials: 20,
            seed: 1,
            metric: None,
            folds: 0,
            compare: Vec::new(),
            repeats: 5,
            beat: 0,
        }
    }
}

/// Most trials one search may ask for.
pub const MAX_TRIALS: usize = 2000;

/// Most trainings "beat the search" gives: the runs a link carries.
pub const MAX_BEAT: usize = crate::experiment::query::MAX_LINK_RUNS;

impl SearchSpec {
    /// The metric trials are scored by for `base`: the one asked for, or
    /// accuracy (classification) / R² (regression).
    pub fn metric_for(&self, base: &ExperimentSpec) -> Metric {
        self.metric.unwrap_or(if base.data.task().is_classification() { Metric::Accuracy } else { Metric::R2 })
    }

    pub fn validate(&self, base: &ExperimentSpec) -> Result<(), SpecError> {
        self.space.check().map_err(|message| SpecError { field: "space", message })?;
        for p in &self.space.params {
            let key = p.key.as_str();
            let known = super::keys::get(key).is_some() || SHAPE_KEYS.contains(&key);
            if !known || matches!(key, "v" | "runs" | "data") {
                return Err(SpecError { field: "space", message: format!("`{key}` is not a key a search can tune") });
            }
        }
        for p in &self.space.params {
            check_count(p).map_err(|message| SpecError { field: "space", message })?;
        }
        let has = |k: &str| self.space.params.iter().any(|p| p.key == k);
        if has("hidden") && SHAPE_KEYS.iter().any(|k| has(k)) {
            return Err(SpecError {
                field: "space",
                message: "tune `hidden` (the whole shape) or `layers`/`units`, not both".into(),
            });
        }
        if self.n_trials == 0 || self.n_trials > MAX_TRIALS {
            return Err(SpecError {
                field: "trials",
                message: format!("must be in 1..={MAX_TRIALS}, got {}", self.n_trials),
            });
        }
        if self.folds == 1 || self.folds > 10 {
            return Err(SpecError {
                field: "folds",
                message: format!("must be 0 (hold-out) or 2..=10, got {}", self.folds),
            });
        }
        let metric = self.metric_for(base);
        if !base.metrics().contains(&metric) {
            return Err(SpecError {
                field: "smetric",
                message: format!("{} does not apply to this data set's task", metric.key()),
            });
        }
        if let Method::Genetic(g) = &self.method {
            if g.population < 2 || g.elite >= g.population {
                return Err(SpecError {
                    field: "pop",
                    message: "needs a population of 2 or more, larger than the elite".into(),
                });
            }
        }
        Ok(())
    }
}

/// The lab's link to a prepared search (its experiment, then its settings)
/// after `page`, the lab's address: what a search's exports name.
pub fn search_link(page: &str, base: &ExperimentSpec, search: &SearchSpec) -> String {
    format!("{page}?{}&{}", super::to_query(base), search_to_query(search))
}

/// The base experiment and search a lab link describes, ready to run: the
/// base gets a test split (20 %) when it has none, so the best configuration
/// can be checked once on data no trial saw. Problems name their field.
pub fn prepare(query: &str) -> Result<(ExperimentSpec, SearchSpec), SpecError> {
    prepare_with(query, None)
}

/// [`prepare`] with the user's data at hand, for a link that names it.
pub fn prepare_with(query: &str, own: Option<&OwnData>) -> Result<(ExperimentSpec, SearchSpec), SpecError> {
    let (base, notices) = crate::experiment::from_query_on(query, own);
    if let Some(n) = notices.into_iter().next() {
        return Err(refusal(n));
    }
    prepare_on(base, query)
}

/// [`prepare`] around an experiment already decoded (the page's): the
/// search's keys are read from `query`, the rest of it is left alone.
pub fn prepare_on(base: ExperimentSpec, query: &str) -> Result<(ExperimentSpec, SearchSpec), SpecError> {
    let (search, notices) = search_from_query(query);
    if let Some(n) = notices.into_iter().next() {
        return Err(refusal(n));
    }
    base.validate()?;
    let search =
        search.ok_or(SpecError { field: "search", message: format!("missing: one of {}", METHOD_KEYS.join(", ")) })?;
    let base = with_test_split(base);
    let mut search = search;
    fill_budgets(&mut search.method, base.n_epochs);
    for m in &mut search.compare {
        fill_budgets(m, base.n_epochs);
    }
    search.validate(&base)?;
    check_applies(&base, &search.space)?;
    fit_batch_sizes(&mut search.space, base.n_train());
    Ok((base, search))
}

/// The experiment a search runs around: `base` with a test split (20 %)
/// when it has none, so the best configuration can be checked on data no
/// trial saw.
pub fn with_test_split(mut base: ExperimentSpec) -> ExperimentSpec {
    if base.test_ratio == 0.0 {
        base.test_ratio = 0.2;
    }
    base
}

/// A batch-size range reaching past the training set is cut at its size (a
/// batch of the whole set): trials beyond it would all fail. Returns the
/// training set's size when it cut.
pub fn fit_batch_sizes(space: &mut Space, n_train: usize) -> Option<usize> {
    let mut cut = None;
    for p in space.params.iter_mut().filter(|p| p.key == "bs") {
        if let Domain::Int { lo, hi, .. } = &mut p.domain {
            let n = n_train.max(1) as i64;
            if *hi > n {
                *hi = n;
                *lo = (*lo).min(n);
                cut = Some(n_train);
            }
        }
    }
    cut
}

/// Refuses a space with a key that applies to none of its trials (momentum
/// tuned for Adam, a decay for a constant rate): every trial would be the
/// same. Looks at the space's grid corners and a seeded sample of it.
fn check_applies(base: &ExperimentSpec, space: &Space) -> Result<(), SpecError> {
    let mut rng = crate::engine::rng::Rng::new(0, 0);
    let configs: Vec<Config> = (0..space.grid_size().min(32))
        .map(|i| space.grid_point(i * (space.grid_size() / 32).max(1)))
        .chain((0..32).map(|_| space.sample(&mut rng)))
        .collect();
    for p in &space.params {
        if SHAPE_KEYS.contains(&p.key.as_str()) {
            continue;
        }
        let mut why = None;
        let applies = configs.iter().any(|config| {
            let Ok(pairs) = trial_pairs(base, space, config) else { return true };
            let notices = keys::decode_on(pairs, base.data.own.as_ref()).1;
            match notices.into_iter().find(|n| n.key == p.key && n.kind == NoticeKind::DoesNotApply) {
                Some(n) => {
                    why = Some(n.message);
                    false
                }
                None => true,
            }
        });
        if !applies {
            let why = why.unwrap_or_default();
            return Err(SpecError {
                field: "space",
                message: format!("`{}` {why} in any trial: tune the setting it depends on too", p.key),
            });
        }
    }
    Ok(())
}

/// A notice of a link, as the refusal of a search that must run exactly
/// what its link says: named by its key where it has one.
fn refusal(n: Notice) -> SpecError {
    let field = super::keys::get(&n.key)
        .map(|k| k.name)
        .or_else(|| SEARCH_KEYS.iter().chain(&[super::query::RUNS_KEY]).copied().find(|k| *k == n.key))
        .unwrap_or("query");
    SpecError { field, message: n.message }
}

/// Successive halving's budgets from the experiment: up to its epochs, from
/// `minep` or, by default, an `eta²`-th of them (three rungs).
fn fill_budgets(method: &mut Method, n_epochs: usize) {
    if let Method::Halving(h) = method {
        h.max_epochs = n_epochs;
        if h.min_epochs == 0 {
            h.min_epochs = (n_epochs / (h.eta * h.eta).max(1)).max(1);
        }
    }
}

/// The URL names of the search methods, in the order the page lists them.
pub const METHOD_KEYS: [&str; 7] = ["grid", "random", "genetic", "bayes", "tpe", "halving", "hyperband"];

/// The search method named `key` (`METHOD_KEYS`), with the lab's defaults.
pub fn method_from_key(key: &str) -> Option<Method> {
    Some(match key {
        "grid" => Method::Grid,
        "random" => Method::Random,
        "genetic" => Method::Genetic(Genetic::default()),
        "bayes" => Method::Bayes(Bayes::default()),
        "tpe" => Method::Tpe(crate::engine::search::Tpe::default()),
        // Budgets are filled in from the experiment by `prepare`.
        "halving" | "hyperband" => Method::Halving(Halving {
            inner: Box::new(Method::Random),
            min_epochs: 0,
            max_epochs: 0,
            eta: 3,
            hyperband: key == "hyperband",
        }),
        _ => return None,
    })
}

/// One method's curve in an equal-budget comparison, in the metric's units:
/// the best validation score after each trial, median and quartiles over
/// the seeds (`q25` the worse quarter, `q75` the better, whatever the
/// metric's direction), and the epochs spent up to each trial (median).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MethodCurve {
    pub method: String,
    pub median: Vec<f64>,
    pub q25: Vec<f64>,
    pub q75: Vec<f64>,
    pub epochs: Vec<f64>,
}

/// The job that compares `search.compare` on the same space and budget for
/// `search.repeats` seeds (`sseed`, `sseed + 1`, …); `session::Comparison` runs it.
pub(crate) fn comparison_job(search: &SearchSpec) -> Result<EqualBudget, String> {
    let seeds = search.seed..search.seed + search.repeats as u64;
    EqualBudget::new(&search.space, &search.compare, search.n_trials, seeds)
}

/// A finished comparison's curves, one per method, in the metric's units.
pub(crate) fn method_curves(job: &EqualBudget, search: &SearchSpec, metric: Metric) -> Vec<MethodCurve> {
    use crate::engine::search::comparison::summarize;
    search
        .compare
        .iter()
        .enumerate()
        .map(|(m, method)| {
            let (best, spent) = job.curves(m);
            let s = summarize(&best);
            // Back from the study's objective (larger is better) to the metric; for a
            // lower-is-better metric the objective's upper quartile is the metric's lower one.
            let shown = |v: &Vec<f64>| v.iter().map(|&x| objective(metric, x)).collect::<Vec<f64>>();
            MethodCurve {
                method: method.key().into(),
                median: shown(&s.median),
                q25: shown(&s.q25),
                q75: shown(&s.q75),
                epochs: summarize(&spent).median,
            }
        })
        .collect()
}
