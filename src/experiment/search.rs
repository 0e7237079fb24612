//! A hyperparameter search over experiments: what to tune (a [`Space`] of
//! URL keys), how (a [`Method`]), for how many trials, scored by which
//! metric on hold-out validation or k-fold cross-validation — and the
//! objective that turns a configuration into a trained, scored run.
//!
//! A trial changes the base experiment through the same URL keys a link
//! uses, so every trial is a valid experiment with a link of its own, and
//! every trial uses the base's seed: the same data, split and initial
//! weights, so trials differ only in their hyperparameters.

use super::keys;
use super::query::{Notice, NoticeKind, from_query};
use super::{ExperimentSpec, SpecError};
use crate::engine::data::{Split, k_fold, split_stratified};
use crate::engine::search::compare::EqualBudget;
use crate::engine::search::space::format_real;
use crate::engine::search::study::Halving;
use crate::engine::search::{Bayes, Config, Domain, Genetic, Method, Param, Space};
use crate::engine::train::Metric;

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
        }
    }
}

/// Most trials one search may ask for.
pub const MAX_TRIALS: usize = 2000;

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

/// The base experiment and search a lab link describes, ready to run: the
/// base gets a test split (20 %) when it has none, so the best configuration
/// can be checked once on data no trial saw. Problems name their field.
pub fn prepare(query: &str) -> Result<(ExperimentSpec, SearchSpec), SpecError> {
    let (base, notices) = from_query(query);
    let (search, search_notices) = search_from_query(query);
    if let Some(n) = notices.into_iter().chain(search_notices).next() {
        let field = super::keys::get(&n.key)
            .map(|k| k.name)
            .or_else(|| SEARCH_KEYS.iter().chain(&[super::query::RUNS_KEY]).copied().find(|k| *k == n.key))
            .unwrap_or("query");
        return Err(SpecError { field, message: n.message });
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
            match keys::decode(pairs).1.into_iter().find(|n| n.key == p.key && n.kind == NoticeKind::DoesNotApply) {
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

/// Parses `key:kind:args` items separated by commas:
/// `real:lo:hi[:levels]`, `log:lo:hi[:levels]`, `int:lo:hi[:levels]`,
/// `logint:lo:hi[:levels]`, `choice:a|b|c`.
pub fn parse_space(text: &str) -> Result<Space, String> {
    let mut params = Vec::new();
    for (i, item) in text.split(',').filter(|s| !s.is_empty()).enumerate() {
        if i == MAX_SPACE_PARAMS {
            return Err(format!("at most {MAX_SPACE_PARAMS} hyperparameters can be tuned at once"));
        }
        let parts: Vec<&str> = item.split(':').collect();
        let bad = || format!("`{item}` is not `key:kind:…` (kinds: real, log, int, logint, choice)");
        let (key, kind) = match parts.as_slice() {
            [key, kind, ..] if key.len() <= 32 => (key.to_string(), *kind),
            _ => return Err(bad()),
        };
        let num = |i: usize| -> Result<f64, String> {
            parts.get(i).and_then(|s| s.parse::<f64>().ok()).filter(|v| v.is_finite()).ok_or_else(bad)
        };
        let levels = match parts.get(4) {
            Some(s) => s.parse::<usize>().ok().filter(|l| (1..=50).contains(l)).ok_or_else(bad)?,
            None => 4,
        };
        let domain = match kind {
            "real" => Domain::Uniform { lo: num(2)?, hi: num(3)? },
            "log" => Domain::LogUniform { lo: num(2)?, hi: num(3)? },
            "int" | "logint" => {
                let (lo, hi) = (num(2)?, num(3)?);
                if lo.fract() != 0.0 || hi.fract() != 0.0 || lo.abs() > 1e9 || hi.abs() > 1e9 {
                    return Err(bad());
                }
                Domain::Int { lo: lo as i64, hi: hi as i64, log: kind == "logint" }
            }
            "choice" => {
                let choices: Vec<String> = parts.get(2).ok_or_else(bad)?.split('|').map(str::to_string).collect();
                if choices.iter().any(String::is_empty) {
                    return Err(bad());
                }
                if choices.len() > MAX_CHOICES {
                    return Err(format!("`{key}`: at most {MAX_CHOICES} choices"));
                }
                Domain::Choice(choices)
            }
            _ => return Err(bad()),
        };
        let levels = match &domain {
            Domain::Choice(c) => c.len(),
            _ => levels,
        };
        let param = Param { key, domain, levels };
        param.domain.check().map_err(|e| format!("{}: {e}", param.key))?;
        params.push(param);
    }
    let space = Space { params };
    space.check()?;
    Ok(space)
}

/// Most hyperparameters one space tunes.
pub const MAX_SPACE_PARAMS: usize = 32;
/// Most choices of one categorical hyperparameter.
pub const MAX_CHOICES: usize = 64;

/// The range a tuned key that counts things (layers, units, epochs, points,
/// batch size, periods) may take: the experiment's own limits, so no trial
/// can ask for a size the lab refuses, and none becomes an allocation or a
/// loop before it is checked. `None` for keys that count nothing.
pub fn count_range(key: &str) -> Option<(i64, i64)> {
    use super::limits::*;
    let max_count = crate::engine::schedule::MAX_COUNT as i64;
    Some(match key {
        "layers" => (0, MAX_HIDDEN_LAYERS as i64),
        "units" => (1, MAX_UNITS as i64),
        "ep" | "es" | "wu" => (1, MAX_EPOCHS as i64),
        // Past the training set, a batch-size range is cut at its size (`fit_batch_sizes`).
        "bs" => (1, 1_000_000_000),
        "n" => (MIN_POINTS_PER_CLASS as i64, MAX_POINTS_PER_CLASS as i64),
        "classes" => (2, MAX_CLASSES as i64),
        "poly" => (1, MAX_POLY_DEGREE as i64),
        "rsteps" => (1, MAX_RACE_STEPS as i64),
        "every" | "steps" | "total" | "tmax" | "t0" | "tmult" | "up" | "down" => (1, max_count),
        "start" | "pat" | "cool" => (0, max_count),
        _ => return None,
    })
}

/// Checks a counting key's domain against [`count_range`]: whole numbers
/// within the lab's limits.
fn check_count(p: &Param) -> Result<(), String> {
    let Some((lo, hi)) = count_range(&p.key) else { return Ok(()) };
    let key = &p.key;
    let outside = |a: i64, b: i64| {
        format!("`{key}` ranges over {a}..={b}, outside the lab's {lo}..={hi}: every trial beyond it would fail")
    };
    match &p.domain {
        Domain::Int { lo: a, hi: b, .. } if *a < lo || *b > hi => Err(outside(*a, *b)),
        Domain::Int { .. } => Ok(()),
        Domain::Uniform { .. } | Domain::LogUniform { .. } => {
            Err(format!("`{key}` counts: tune it as `int` or `logint`, not as a real number"))
        }
        Domain::Choice(choices) => match choices.iter().find(|c| c.parse::<i64>().map_or(true, |v| v < lo || v > hi)) {
            Some(c) => Err(format!("`{key}` choice `{c}` is not a whole number in {lo}..={hi}")),
            None => Ok(()),
        },
    }
}

/// The space in its URL form (the inverse of [`parse_space`]).
pub fn format_space(space: &Space) -> String {
    let items: Vec<String> = space
        .params
        .iter()
        .map(|p| match &p.domain {
            Domain::Uniform { lo, hi } => {
                format!("{}:real:{}:{}:{}", p.key, format_real(*lo), format_real(*hi), p.levels)
            }
            Domain::LogUniform { lo, hi } => {
                format!("{}:log:{}:{}:{}", p.key, format_real(*lo), format_real(*hi), p.levels)
            }
            Domain::Int { lo, hi, log } => {
                format!("{}:{}:{lo}:{hi}:{}", p.key, if *log { "logint" } else { "int" }, p.levels)
            }
            Domain::Choice(c) => format!("{}:choice:{}", p.key, c.join("|")),
        })
        .collect();
    items.join(",")
}

/// The experiment of one trial: the base with each tuned key set to the
/// configuration's value. Settings that do not apply to the chosen
/// optimizer or schedule are dropped; any other problem fails the trial.
/// With `budget` (successive halving), the trial trains that many epochs.
pub fn trial_spec(
    base: &ExperimentSpec,
    space: &Space,
    config: &Config,
    budget: Option<usize>,
) -> Result<ExperimentSpec, String> {
    let (mut spec, notices) = keys::decode(trial_pairs(base, space, config)?);
    // The codec's fallback is not what happens to a trial: it fails.
    if let Some(Notice { key, message, .. }) = notices.into_iter().find(|n| n.kind != NoticeKind::DoesNotApply) {
        return Err(format!("{key}: {message}"));
    }
    if let Some(epochs) = budget {
        spec.n_epochs = epochs.max(1);
    }
    Ok(spec)
}

/// A trial's experiment as the pairs of a link: the base's keys with the
/// tuned ones replaced by the configuration's values.
fn trial_pairs(base: &ExperimentSpec, space: &Space, config: &Config) -> Result<Vec<(String, String)>, String> {
    let mut tuned: Vec<&str> = space.params.iter().map(|p| p.key.as_str()).collect();
    let value = |key: &str| space.params.iter().position(|p| p.key == key).map(|i| space.format(i, config[i]));
    // `layers` and `units` reshape the base's hidden layers: that many
    // layers (the base's count by default) of that many units each (the
    // base's first layer's by default).
    let shape = match (value("layers"), value("units")) {
        (None, None) => None,
        (layers, units) => {
            let layers = layers.map_or(Ok(base.hidden.len().max(1)), |v| v.parse::<usize>());
            let units = units.map_or(Ok(base.hidden.first().copied().unwrap_or(8)), |v| v.parse::<usize>());
            let (layers, units) =
                (layers.map_err(|e| format!("layers: {e}"))?, units.map_err(|e| format!("units: {e}"))?);
            // Checked before the layers are written out: a count from a link is a stranger's.
            if layers > super::limits::MAX_HIDDEN_LAYERS {
                return Err(format!("layers: at most {}, got {layers}", super::limits::MAX_HIDDEN_LAYERS));
            }
            tuned.push("hidden");
            let hidden = if layers == 0 { "none".to_string() } else { vec![units.to_string(); layers].join("-") };
            Some(("hidden".to_string(), hidden))
        }
    };
    let mut pairs: Vec<(String, String)> =
        keys::encode(base).into_iter().filter(|(k, _)| !tuned.contains(k)).map(|(k, v)| (k.to_string(), v)).collect();
    // One activation per layer no longer matches a new layer count: keep the first for all.
    if shape.is_some() {
        for (k, v) in &mut pairs {
            if k == "act" {
                *v = v.split('-').next().unwrap_or_default().to_string();
            }
        }
    }
    let values = space
        .params
        .iter()
        .zip(config)
        .enumerate()
        .filter(|(_, (p, _))| !SHAPE_KEYS.contains(&p.key.as_str()))
        .map(|(i, (p, v))| (p.key.clone(), space.format(i, *v)));
    pairs.extend(values);
    pairs.extend(shape);
    Ok(pairs)
}

/// A scored trial: the metric's value (mean over folds), its spread over
/// folds (0 for hold-out), and the epochs trained.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evaluated {
    pub value: f64,
    pub spread: f64,
    pub epochs: usize,
    /// The learning curve: the metric on validation data after each epoch
    /// (of the first fold under cross-validation).
    pub curve: Vec<f64>,
}

/// Why a trial has no score.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    pub message: String,
    pub epochs: usize,
}

/// Trains `spec` and scores it by `metric` on validation data: once on the
/// hold-out split, or once per fold. A diverged run fails the trial.
pub fn evaluate(
    spec: &ExperimentSpec,
    metric: Metric,
    folds: usize,
    bundled: Option<&str>,
) -> Result<Evaluated, Failure> {
    let fail = |message: String, epochs| Failure { message, epochs };
    let splits: Vec<Split> = if folds >= 2 {
        let data = spec.data.generate(spec.seed, bundled).map_err(|m| fail(m, 0))?;
        // Test data stays out of every fold; training + validation are cross-validated.
        let outer = split_stratified(&data, 0.0, spec.test_ratio, spec.seed);
        k_fold(&outer.train, folds, spec.seed)
            .into_iter()
            .map(|(train, val)| Split {
                train: outer.train.select(&train),
                val: outer.train.select(&val),
                test: outer.test.clone(),
            })
            .collect()
    } else {
        vec![spec.split_with(bundled).map_err(|e| fail(e.to_string(), 0))?]
    };
    let mut values = Vec::with_capacity(splits.len());
    let mut epochs = 0;
    let mut curve = Vec::new();
    for split in splits {
        let mut trainer = spec.trainer_on(split).map_err(|e| fail(e.to_string(), epochs))?;
        let state = trainer.run_to_end();
        epochs += trainer.records().len();
        if let crate::engine::train::RunState::Diverged { epoch } = state {
            return Err(fail(format!("diverged at epoch {epoch}"), epochs));
        }
        if curve.is_empty() {
            curve = trainer.records().iter().map(|r| r.val.get(metric).unwrap_or(f64::NAN)).collect();
        }
        let value = trainer.evaluate_val().scores.get(metric).filter(|v| v.is_finite());
        values.push(value.ok_or_else(|| fail(format!("{} could not be computed", metric.key()), epochs))?);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let spread = libm::sqrt(values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n);
    Ok(Evaluated { value: mean, spread, epochs, curve })
}

/// The final check of a search's best configuration: trained on its
/// training split, scored once on the test split no trial has seen (`NaN`
/// when the metric cannot be computed there).
pub fn test_score(spec: &ExperimentSpec, metric: Metric, bundled: Option<&str>) -> Result<f64, String> {
    let mut trainer = spec.trainer_with(bundled).map_err(|e| e.to_string())?;
    trainer.run_to_end();
    Ok(trainer.evaluate_test().scores.get(metric).unwrap_or(f64::NAN))
}

/// The study's objective for a metric value: larger is better.
pub fn objective(metric: Metric, value: f64) -> f64 {
    if metric.higher_is_better() { value } else { -value }
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

/// A hyperparameter the space editor offers: its key, what to call it, the
/// group it is listed under, and the range it starts with (in the space's
/// text form; each parses).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tunable {
    pub key: &'static str,
    pub label: &'static str,
    pub group: &'static str,
    pub default: &'static str,
}

const fn tunable(key: &'static str, label: &'static str, group: &'static str, default: &'static str) -> Tunable {
    Tunable { key, label, group, default }
}

/// What the space editor can add, in the order it lists them.
pub const TUNABLES: [Tunable; 24] = [
    tunable("lr", "learning rate", "Training", "lr:log:0.0001:1:5"),
    tunable("bs", "batch size", "Training", "bs:logint:1:128:4"),
    tunable("ep", "epochs", "Training", "ep:int:10:100:4"),
    tunable("opt", "optimizer", "Training", "opt:choice:sgd|adam|rmsprop|adagrad"),
    tunable("mom", "momentum (SGD, RMSprop)", "Optimizer", "mom:real:0:0.99:4"),
    tunable("b1", "β₁ (Adam)", "Optimizer", "b1:real:0.8:0.99:3"),
    tunable("b2", "β₂ (Adam)", "Optimizer", "b2:real:0.9:0.9999:3"),
    tunable("rho", "ρ (AdaDelta)", "Optimizer", "rho:real:0.8:0.99:3"),
    tunable("alpha", "α (RMSprop)", "Optimizer", "alpha:real:0.8:0.999:3"),
    tunable("clip", "gradient clipping norm", "Optimizer", "clip:log:0.1:10:3"),
    tunable("layers", "hidden layers", "Network", "layers:int:0:3:4"),
    tunable("units", "units per layer", "Network", "units:logint:2:64:4"),
    tunable("hidden", "network shape", "Network", "hidden:choice:4|8-8|16-16|32-32"),
    tunable("act", "activation", "Network", "act:choice:relu|tanh|sigmoid"),
    tunable("init", "initialization", "Network", "init:choice:glorot_uniform|he_normal|lecun_normal"),
    tunable("wd", "L2 (weight decay)", "Regularization", "wd:log:0.00001:0.01:4"),
    tunable("l1", "L1", "Regularization", "l1:log:0.00001:0.01:4"),
    tunable("drop", "dropout", "Regularization", "drop:real:0:0.5:4"),
    tunable("sched", "schedule", "Schedule", "sched:choice:constant|time|step|exp|cosine"),
    tunable("decay", "decay (time, exp)", "Schedule", "decay:log:0.0001:0.1:4"),
    tunable("rate", "drop factor (step)", "Schedule", "rate:real:0.1:0.9:3"),
    tunable("every", "drop every (step, epochs)", "Schedule", "every:int:5:50:4"),
    tunable("feat", "feature transform (2-D data)", "Data", "feat:choice:raw|x1-x2-x1sq-x2sq-x1x2|x1-x2-sin1-sin2"),
    tunable("std", "standardize inputs", "Data", "std:choice:0|1"),
];

/// The editor's entry for `key`, if it lists it.
pub fn tunable_of(key: &str) -> Option<&'static Tunable> {
    TUNABLES.iter().find(|t| t.key == key)
}

/// Keys a space may tune beside the experiment's own: the number of hidden
/// layers and the units in each, which together set `hidden`.
pub const SHAPE_KEYS: [&str; 2] = ["layers", "units"];

pub use super::keys::SEARCH_KEYS;

/// The search a query describes, if it has `search=`; bad values become
/// notices and defaults stay (as for the experiment's keys).
pub fn search_from_query(input: &str) -> (Option<SearchSpec>, Vec<Notice>) {
    // The same reader as the experiment's keys: the same caps on pairs and lengths.
    let reader = super::query::Reader::new(input, |k| SEARCH_KEYS.contains(&k));
    let pairs = reader.pairs;
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let mut notices = reader.notices;
    // Keys that do not apply to the method, reported after the others.
    let mut not_applying: Vec<Notice> = Vec::new();
    let mut note = |key: &str, message: String| notices.push(Notice::ignored(key, message));
    let Some(method_key) = get("search") else {
        for (k, _) in &pairs {
            not_applying.push(Notice::does_not_apply(k, "applies only with search=…"));
        }
        notices.extend(not_applying);
        return (None, notices);
    };
    let mut search = SearchSpec::default();
    match method_from_key(method_key) {
        Some(m) => search.method = m,
        None => {
            note("search", format!("`{method_key}` is not a search method; expected one of {}", METHOD_KEYS.join(", ")))
        }
    }
    if let Some(v) = get("space") {
        match parse_space(v) {
            Ok(space) => search.space = space,
            Err(e) => note("space", e),
        }
    }
    let number = |key: &str, note: &mut dyn FnMut(&str, String)| -> Option<f64> {
        let v = get(key)?;
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                note(key, format!("`{v}` is not a valid number here"));
                None
            }
        }
    };
    let whole = |x: f64| x >= 0.0 && x.fract() == 0.0 && x <= 1e9;
    if let Some(x) = number("trials", &mut note) {
        if whole(x) { search.n_trials = x as usize } else { note("trials", format!("`{x}` is not a whole number")) }
    }
    // Any 64-bit seed, read as an integer: through a float, large seeds were refused (or rounded).
    if let Some(v) = get("sseed") {
        match v.trim().parse::<u64>() {
            Ok(seed) => search.seed = seed,
            Err(_) => note("sseed", format!("`{v}` is not a whole number in 0..=18446744073709551615")),
        }
    }
    if let Some(x) = number("folds", &mut note) {
        if whole(x) { search.folds = x as usize } else { note("folds", format!("`{x}` is not a whole number")) }
    }
    if let Some(v) = get("compare") {
        let methods: Vec<Option<Method>> = v.split(',').map(method_from_key).collect();
        if methods.iter().any(Option::is_none) || methods.len() < 2 {
            note("compare", format!("`{v}` is not two or more of {}", METHOD_KEYS.join(", ")));
        } else {
            search.compare = methods.into_iter().flatten().collect();
        }
    }
    if let Some(x) = number("repeats", &mut note) {
        if whole(x) && (1.0..=20.0).contains(&x) {
            search.repeats = x as usize;
        } else {
            note("repeats", format!("`{x}` is not a whole number in 1..=20"));
        }
    }
    if let Some(v) = get("smetric") {
        match Metric::from_key(v) {
            Some(m) => search.metric = Some(m),
            None => note("smetric", format!("`{v}` is not a metric")),
        }
    }
    let (inner, eta, minep) = (get("inner"), number("eta", &mut note), number("minep", &mut note));
    if let Method::Halving(h) = &mut search.method {
        match inner {
            Some("bayes") => *h.inner = Method::Bayes(Bayes::default()),
            Some("tpe") => *h.inner = Method::Tpe(crate::engine::search::Tpe::default()),
            Some("random") | None => {}
            Some(v) => note("inner", format!("`{v}` is not random, bayes or tpe")),
        }
        match eta {
            Some(x) if whole(x) && (2.0..=10.0).contains(&x) => h.eta = x as usize,
            Some(x) => note("eta", format!("`{x}` is not a whole number in 2..=10")),
            None => {}
        }
        match minep {
            Some(x) if whole(x) && x >= 1.0 => h.min_epochs = x as usize,
            Some(x) => note("minep", format!("`{x}` is not a whole number of epochs")),
            None => {}
        }
    } else {
        for (key, given) in [("inner", inner.is_some()), ("eta", eta.is_some()), ("minep", minep.is_some())] {
            if given {
                not_applying.push(Notice::does_not_apply(key, "applies only to search=halving or hyperband"));
            }
        }
    }
    let genetic_keys = ["pop", "tour", "cross", "mut", "elite"].map(|k| (k, number(k, &mut note)));
    match &mut search.method {
        Method::Genetic(g) => {
            for (key, value) in genetic_keys {
                let Some(x) = value else { continue };
                let count = |lo: f64, hi: f64| whole(x) && (lo..=hi).contains(&x);
                let probability = (0.0..=1.0).contains(&x);
                match key {
                    "pop" if count(2.0, 200.0) => g.population = x as usize,
                    "tour" if count(1.0, 50.0) => g.tournament = x as usize,
                    "elite" if count(0.0, 199.0) => g.elite = x as usize,
                    "cross" if probability => g.crossover = x,
                    "mut" if probability => g.mutation = x,
                    "pop" => note(key, format!("`{x}` is not a whole number in 2..=200")),
                    "tour" => note(key, format!("`{x}` is not a whole number in 1..=50")),
                    "elite" => note(key, format!("`{x}` is not a whole number in 0..=199")),
                    _ => note(key, format!("`{x}` is not a probability in [0, 1]")),
                }
            }
        }
        _ => {
            for (key, v) in genetic_keys {
                if v.is_some() {
                    not_applying.push(Notice::does_not_apply(key, "applies only to search=genetic"));
                }
            }
        }
    }
    notices.extend(not_applying);
    (Some(search), notices)
}

/// The search in its URL form: `search=…&trials=…&space=…` and the
/// settings that differ from the defaults.
pub fn search_to_query(search: &SearchSpec) -> String {
    let mut q = vec![
        format!("search={}", search.method.key()),
        format!("trials={}", search.n_trials),
        format!("space={}", super::query::percent_encode(&format_space(&search.space))),
    ];
    if search.seed != 1 {
        q.push(format!("sseed={}", search.seed));
    }
    if let Some(m) = search.metric {
        q.push(format!("smetric={}", m.key()));
    }
    if search.folds != 0 {
        q.push(format!("folds={}", search.folds));
    }
    if !search.compare.is_empty() {
        q.push(format!("compare={}", search.compare.iter().map(Method::key).collect::<Vec<_>>().join(",")));
    }
    if search.repeats != 5 {
        q.push(format!("repeats={}", search.repeats));
    }
    if let Method::Halving(h) = &search.method {
        if !matches!(*h.inner, Method::Random) {
            q.push(format!("inner={}", h.inner.key()));
        }
        if h.eta != 3 {
            q.push(format!("eta={}", h.eta));
        }
        if h.min_epochs != 0 && h.min_epochs != (h.max_epochs / (h.eta * h.eta)).max(1) {
            q.push(format!("minep={}", h.min_epochs));
        }
    }
    if let Method::Genetic(g) = &search.method {
        let d = Genetic::default();
        if g.population != d.population {
            q.push(format!("pop={}", g.population));
        }
        if g.tournament != d.tournament {
            q.push(format!("tour={}", g.tournament));
        }
        if g.crossover != d.crossover {
            q.push(format!("cross={}", g.crossover));
        }
        if g.mutation != d.mutation {
            q.push(format!("mut={}", g.mutation));
        }
        if g.elite != d.elite {
            q.push(format!("elite={}", g.elite));
        }
    }
    q.join("&")
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
    use crate::engine::search::compare::summarize;
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
