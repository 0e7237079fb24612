//! The road out for a search that outgrows the browser: one Python file
//! that runs it as an Optuna study — the same space, the same budget, the
//! method's counterpart in Optuna (`RandomSampler`, `GridSampler`,
//! `GPSampler`, `TPESampler`, `NSGAIISampler`; successive halving and
//! Hyperband as Optuna's pruners over their inner method's sampler) — whose
//! trials train with the PyTorch script's training loop on HyperLab's data
//! (each hold-out or cross-validation fold, after the feature map). Optuna's
//! shared storage runs it on many processes and machines. The command line
//! (`hyperlab export optuna`) and the page's button write the same file.

use crate::engine::optim::OptimizerConfig;
use crate::engine::schedule::ScheduleConfig;
use crate::engine::search::{Domain, Method, Value};

use super::keys::{self, Group};
use super::pytorch::{
    config, dataset, dict, fill, finish, head, list, optimizer_settings, py, quoted, schedule_settings,
};
use super::search::{SHAPE_KEYS, SearchSpec, fold_splits, prepare, search_link};
use super::{ScriptKind, SpecError};

const STUDY: &str = include_str!("python/study.py");

/// Most floats the study's folds may carry (about 43 MB of base64).
pub const MAX_DATA: usize = 8_000_000;

/// The settings a trial of the exported study can change: the training
/// loop's own (the data are HyperLab's, fixed, so data settings cannot be
/// searched there).
fn exportable(key: &str) -> bool {
    const TRAINING: [&str; 17] = [
        "lr", "bs", "ep", "hidden", "act", "init", "drop", "l1", "clip", "wu", "wus", "huber", "es", "esd", "esm",
        "opt", "sched",
    ];
    SHAPE_KEYS.contains(&key)
        || TRAINING.contains(&key)
        || keys::get(key).is_some_and(|k| matches!(k.group, Group::Optimizer | Group::Schedule))
}

/// The study script for the search at `query` (a lab link with its search
/// keys); `page` is the lab's address for the links it prints. Bundled data
/// come from `bundled` (the page's worker) or are built in (natively).
pub fn study(page: &str, query: &str, bundled: Option<&str>) -> Result<String, SpecError> {
    let (base, search) = prepare(query)?;
    if !search.compare.is_empty() {
        return Err(SpecError {
            field: "compare",
            message: "a comparison of methods is not one study: export each method's search (without compare=)".into(),
        });
    }
    if let Some(p) = search.space.params.iter().find(|p| !exportable(&p.key)) {
        return Err(SpecError {
            field: "space",
            message: format!(
                "`{}` changes the data, which the exported study carries as HyperLab made it: \
                 search it in the lab, or export a search without it",
                p.key
            ),
        });
    }
    let splits = fold_splits(&base, search.folds, bundled).map_err(|message| SpecError { field: "data", message })?;
    let mut folds = Vec::new();
    let mut n_floats = 0usize;
    for split in splits {
        let trainer = base.trainer_on(split)?;
        let d = trainer.data();
        n_floats = n_floats.saturating_add(d.train.x.len() + d.train.y.len() + d.val.x.len() + d.val.y.len());
        if n_floats > MAX_DATA {
            return Err(SpecError {
                field: "folds",
                message: format!("the folds' data would be over {MAX_DATA} numbers: use fewer folds"),
            });
        }
        let ((tx, ty), (vx, vy)) = (dataset(&d.train), dataset(&d.val));
        folds.push(format!("    (\n{},\n{},\n{},\n{},\n    ),", indent(&tx), indent(&ty), indent(&vx), indent(&vy)));
    }
    let metric = search.metric_for(&base);
    let n_trials = match search.method {
        Method::Grid => (search.n_trials as u64).min(search.space.grid_size()) as usize,
        _ => search.n_trials,
    };
    let link = search_link(page, &base, &search);
    let scoring = if search.folds >= 2 {
        format!("{}-fold cross-validation, the mean over the folds", search.folds)
    } else {
        "hold-out validation".to_string()
    };
    let (sampler_name, sampler, pruner, pruner_note) = method(&search);
    let optimizers: Vec<(&str, String)> = OptimizerConfig::KEYS
        .iter()
        .filter_map(|&k| OptimizerConfig::from_key(k).map(|c| (k, dict(&optimizer_settings(&c, true), "    "))))
        .collect();
    let schedules: Vec<(&str, String)> = ScheduleConfig::KEYS
        .iter()
        .filter_map(|&k| ScheduleConfig::from_key(k).map(|c| (k, dict(&schedule_settings(&c, true), "    "))))
        .collect();
    let general: Vec<(&str, String)> = config(&base, false);
    let link_settings: Vec<(&str, String)> = optimizer_settings(&base.optimizer, false)
        .into_iter()
        .chain(schedule_settings(&base.schedule, false))
        .map(|(k, v)| (k, python_to_text(&v)))
        .collect();
    let slots = [
        ("FILE", ScriptKind::Optuna.file_name().to_string()),
        ("STUDY_NAME", format!("hyperlab-{:016x}", fnv(&link))),
        ("N_TRIALS", n_trials.to_string()),
        ("SAMPLER_NAME", sampler_name),
        ("PRUNER_NOTE", pruner_note),
        ("SCORING", scoring),
        ("METRIC", metric.key().to_string()),
        ("DIRECTION", if metric.higher_is_better() { "maximize" } else { "minimize" }.to_string()),
        ("HEAD", head(&base).to_string()),
        ("SEED", search.seed.to_string()),
        ("SUGGEST", suggestions(&search)),
        ("SAMPLER", sampler),
        ("PRUNER", pruner),
        ("BASE", dict(&general, "")),
        ("LINK_SETTINGS", dict(&link_settings, "")),
        ("OPTIMIZER_DEFAULTS", dict(&optimizers, "")),
        ("SCHEDULE_DEFAULTS", dict(&schedules, "")),
        ("N_FOLDS", if folds.len() == 1 { "one fold".to_string() } else { format!("{} folds", folds.len()) }),
        ("FOLDS", folds.join("\n")),
    ];
    Ok(finish(fill(STUDY, &slots), &link))
}

/// A setting as a link's text (what a trial's parameters are), from its
/// Python literal: `True` → `1`, a list → `a-b`.
fn python_to_text(literal: &str) -> String {
    let text = match literal {
        "True" => "1".to_string(),
        "False" => "0".to_string(),
        l if l.starts_with('[') => l.trim_matches(['[', ']']).split(", ").collect::<Vec<_>>().join("-"),
        l => l.trim_matches('"').to_string(),
    };
    quoted(&text)
}

fn indent(literal: &str) -> String {
    literal.lines().map(|l| format!("        {l}")).collect::<Vec<_>>().join("\n")
}

/// `suggest`'s lines: each tuned key with its domain.
fn suggestions(search: &SearchSpec) -> String {
    let space = &search.space;
    let line = |i: usize| {
        let p = &space.params[i];
        let k = quoted(&p.key);
        let call = match (&p.domain, &search.method) {
            (Domain::Uniform { lo, hi }, _) => format!("trial.suggest_float({k}, {}, {})", py(*lo), py(*hi)),
            (Domain::LogUniform { lo, hi }, _) => {
                format!("trial.suggest_float({k}, {}, {}, log=True)", py(*lo), py(*hi))
            }
            (Domain::Int { lo, hi, log }, _) => {
                format!("trial.suggest_int({k}, {lo}, {hi}{})", if *log { ", log=True" } else { "" })
            }
            (Domain::Choice(c), _) => {
                format!("trial.suggest_categorical({k}, {})", list(c.iter().map(|v| quoted(v))))
            }
        };
        format!("        {k}: {call},")
    };
    (0..space.params.len()).map(line).collect::<Vec<_>>().join("\n")
}

/// The sampler's name and constructor, the pruner's constructor and a note
/// on it, for the search's method.
fn method(search: &SearchSpec) -> (String, String, String, String) {
    let seed = "seed=seed";
    let sampler = |m: &Method| -> (String, String) {
        match m {
            Method::Grid => {
                let space = &search.space;
                let axes: Vec<(&str, String)> = (0..space.params.len())
                    .map(|i| {
                        let values = space.axis(i).into_iter().map(|v| match v {
                            Value::Real(x) => py(x),
                            Value::Int(n) => n.to_string(),
                            Value::Choice(_) => quoted(&space.format(i, v)),
                        });
                        (space.params[i].key.as_str(), list(values))
                    })
                    .collect();
                ("GridSampler".into(), format!("optuna.samplers.GridSampler({}, {seed})", dict(&axes, "    ")))
            }
            Method::Random => ("RandomSampler".into(), format!("optuna.samplers.RandomSampler({seed})")),
            Method::Bayes(b) => (
                "GPSampler (a Gaussian process, as the lab's Bayesian optimization)".into(),
                format!("optuna.samplers.GPSampler({seed}, n_startup_trials={})", b.n_init),
            ),
            Method::Tpe(t) => (
                "TPESampler".into(),
                format!(
                    "optuna.samplers.TPESampler({seed}, n_startup_trials={}, n_ei_candidates={}, multivariate=True)",
                    t.n_init, t.candidates
                ),
            ),
            Method::Genetic(g) => (
                "NSGAIISampler (a genetic algorithm)".into(),
                format!(
                    "optuna.samplers.NSGAIISampler(population_size={}, mutation_prob={}, crossover_prob={}, {seed})",
                    g.population.max(2),
                    py(g.mutation),
                    py(g.crossover)
                ),
            ),
            Method::Halving(h) => sampler_of_inner(&h.inner, seed),
        }
    };
    let (name, constructor) = sampler(&search.method);
    match &search.method {
        Method::Halving(h) if h.hyperband => (
            name,
            constructor,
            format!(
                "optuna.pruners.HyperbandPruner(min_resource={}, max_resource={}, reduction_factor={})",
                h.min_epochs.max(1),
                h.max_epochs.max(1),
                h.eta.max(2)
            ),
            " with HyperbandPruner (Hyperband's brackets stop weak trials early, epoch by epoch)".into(),
        ),
        Method::Halving(h) => (
            name,
            constructor,
            format!(
                "optuna.pruners.SuccessiveHalvingPruner(min_resource={}, reduction_factor={})",
                h.min_epochs.max(1),
                h.eta.max(2)
            ),
            " with SuccessiveHalvingPruner (successive halving stops weak trials early, epoch by epoch)".into(),
        ),
        _ => (name, constructor, "optuna.pruners.NopPruner()".into(), String::new()),
    }
}

fn sampler_of_inner(inner: &Method, seed: &str) -> (String, String) {
    match inner {
        Method::Bayes(b) => {
            ("GPSampler".into(), format!("optuna.samplers.GPSampler({seed}, n_startup_trials={})", b.n_init))
        }
        Method::Tpe(t) => {
            let sampler =
                format!("optuna.samplers.TPESampler({seed}, n_startup_trials={}, multivariate=True)", t.n_init);
            ("TPESampler".into(), sampler)
        }
        _ => ("RandomSampler".into(), format!("optuna.samplers.RandomSampler({seed})")),
    }
}

/// A stable 64-bit hash (FNV-1a) of the link: the study's name, the same
/// for every worker started from the same file.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
