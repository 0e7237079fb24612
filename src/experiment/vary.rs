//! "What if only one thing differed?": a copy of an experiment with one
//! field changed, written as that field's URL key and value, so the change
//! goes through the same parsing and validation as a link.

use super::ExperimentSpec;
use super::query::{Notice, from_query, span_run, to_query};

/// A field a variant can change: its URL key, its name in the page, and
/// values worth suggesting.
pub struct Variation {
    pub key: &'static str,
    pub label: &'static str,
    pub suggestions: &'static [&'static str],
}

/// The fields offered for "what if", in the order the page lists them.
pub const VARIATIONS: [Variation; 10] = [
    Variation {
        key: "lr",
        label: "learning rate",
        suggestions: &["1", "0.3", "0.1", "0.03", "0.01", "0.001", "0.0001"],
    },
    Variation {
        key: "sched",
        label: "schedule",
        suggestions: &["constant", "time", "step", "exp_course", "exp", "cosine", "cyclic", "onecycle", "plateau"],
    },
    Variation {
        key: "opt",
        label: "optimizer",
        suggestions: &["sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamw"],
    },
    Variation { key: "mom", label: "momentum (SGD)", suggestions: &["0", "0.5", "0.9", "0.99"] },
    Variation { key: "bs", label: "batch size", suggestions: &["1", "10", "32", "128"] },
    Variation { key: "ep", label: "epochs", suggestions: &["50", "100", "200", "500", "1000"] },
    Variation { key: "hidden", label: "hidden layers", suggestions: &["none", "4", "8-8", "16-16", "32-32-32"] },
    Variation {
        key: "act",
        label: "activation",
        suggestions: &["relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu"],
    },
    Variation { key: "wd", label: "weight decay", suggestions: &["0", "0.0001", "0.001", "0.01"] },
    Variation { key: "seed", label: "seed", suggestions: &["1", "2", "3", "42"] },
];

/// Parameters that belong to the schedule or the optimizer chosen: changing
/// the choice drops them (they would not apply to the new one).
const SCHEDULE_PARAMS: [&str; 25] = [
    "decay", "start", "every", "rate", "ms", "gamma", "steps", "stair", "total", "power", "tmax", "lrmin", "t0",
    "tmult", "up", "down", "pct", "div", "fdiv", "anneal", "factor", "pat", "thr", "cool", "sched",
];
const OPTIMIZER_PARAMS: [&str; 13] =
    ["mom", "damp", "nesterov", "lrd", "acc0", "eps", "rho", "alpha", "centered", "b1", "b2", "amsgrad", "opt"];

/// The experiment with `key` set to `value` and everything else as it was.
/// Fails, with a message naming the field, when the value is not valid there
/// or changes nothing.
pub fn vary(spec: &ExperimentSpec, key: &str, value: &str) -> Result<ExperimentSpec, String> {
    let value = value.trim();
    let Some(variation) = VARIATIONS.iter().find(|v| v.key == key) else {
        return Err(format!("`{key}` is not a field a variant can change"));
    };
    if value.is_empty() {
        return Err(format!("{}: give a value", variation.label));
    }
    if value.contains(['&', '=', '#', '~', '?']) {
        return Err(format!("{}: `{value}` is not a value", variation.label));
    }
    let dropped: &[&str] = match key {
        "sched" => &SCHEDULE_PARAMS,
        "opt" => &OPTIMIZER_PARAMS,
        _ => &[],
    };
    let base = to_query(spec);
    let kept = base.split('&').filter(|pair| {
        let k = pair.split('=').next().unwrap_or("");
        k != key && !dropped.contains(&k)
    });
    let query: Vec<String> = kept.map(str::to_string).chain([format!("{key}={value}")]).collect();
    let (mut varied, notices) = from_query(&query.join("&"));
    // A link falls back to the default; a variant is refused instead.
    if let Some(Notice { key: k, message, .. }) = notices.into_iter().next() {
        let what = VARIATIONS.iter().find(|v| v.key == k).map_or(k.as_str(), |v| v.label);
        return Err(if message.starts_with(what) { message } else { format!("{what}: {message}") });
    }
    if key == "sched" {
        span_run(&mut varied.schedule, varied.n_epochs);
    }
    if varied == *spec {
        return Err(format!("{}: the run already has {value}", variation.label));
    }
    Ok(varied)
}
