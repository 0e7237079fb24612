//! The space a search tunes: its text form (`space=lr:log:0.0001:1,…`), the
//! bounds of the keys that count, and what the space editor offers.

use crate::engine::search::space::format_real;
use crate::engine::search::{Domain, Param, Space};

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
    use crate::experiment::limits::*;
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
pub(super) fn check_count(p: &Param) -> Result<(), String> {
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

/// A hyperparameter the space editor offers: its key, the group it is
/// listed under, and the range it starts with (in the space's text form;
/// each parses). What to call it comes from the key table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tunable {
    pub key: &'static str,
    pub group: &'static str,
    pub default: &'static str,
}

impl Tunable {
    /// What the editor calls it: the key table's label, with the choices it
    /// applies to where that is not all of them ("momentum (SGD, RMSprop)").
    pub fn label(&self) -> String {
        match crate::experiment::keys::get(self.key) {
            Some(k) => match k.applies_to() {
                Some(choices) => format!("{} ({})", k.label, choices.join(", ")),
                None => k.label.to_string(),
            },
            None if self.key == "layers" => "number of hidden layers".into(),
            None if self.key == "units" => "units per hidden layer".into(),
            None => self.key.to_string(),
        }
    }
}

const fn tunable(key: &'static str, group: &'static str, default: &'static str) -> Tunable {
    Tunable { key, group, default }
}

/// What the space editor can add, in the order it lists them.
pub const TUNABLES: [Tunable; 24] = [
    tunable("lr", "Training", "lr:log:0.0001:1:5"),
    tunable("bs", "Training", "bs:logint:1:128:4"),
    tunable("ep", "Training", "ep:int:10:100:4"),
    tunable("opt", "Training", "opt:choice:sgd|adam|rmsprop|adagrad"),
    tunable("mom", "Optimizer", "mom:real:0:0.99:4"),
    tunable("b1", "Optimizer", "b1:real:0.8:0.99:3"),
    tunable("b2", "Optimizer", "b2:real:0.9:0.9999:3"),
    tunable("rho", "Optimizer", "rho:real:0.8:0.99:3"),
    tunable("alpha", "Optimizer", "alpha:real:0.8:0.999:3"),
    tunable("clip", "Optimizer", "clip:log:0.1:10:3"),
    tunable("layers", "Network", "layers:int:0:3:4"),
    tunable("units", "Network", "units:logint:2:64:4"),
    tunable("hidden", "Network", "hidden:choice:4|8-8|16-16|32-32"),
    tunable("act", "Network", "act:choice:relu|tanh|sigmoid"),
    tunable("init", "Network", "init:choice:glorot_uniform|he_normal|lecun_normal"),
    tunable("wd", "Regularization", "wd:log:0.00001:0.01:4"),
    tunable("l1", "Regularization", "l1:log:0.00001:0.01:4"),
    tunable("drop", "Regularization", "drop:real:0:0.5:4"),
    tunable("sched", "Schedule", "sched:choice:constant|time|step|exp|cosine"),
    tunable("decay", "Schedule", "decay:log:0.0001:0.1:4"),
    tunable("rate", "Schedule", "rate:real:0.1:0.9:3"),
    tunable("every", "Schedule", "every:int:5:50:4"),
    tunable("feat", "Data", "feat:choice:raw|x1-x2-x1sq-x2sq-x1x2|x1-x2-sin1-sin2"),
    tunable("std", "Data", "std:choice:0|1"),
];

/// The editor's entry for `key`, if it lists it.
pub fn tunable_of(key: &str) -> Option<&'static Tunable> {
    TUNABLES.iter().find(|t| t.key == key)
}

/// Keys a space may tune beside the experiment's own: the number of hidden
/// layers and the units in each, which together set `hidden`.
pub const SHAPE_KEYS: [&str; 2] = ["layers", "units"];
