//! "What if only one thing differed?": a copy of an experiment with one
//! field changed, written as that field's URL key and value, so the change
//! goes through the same parsing and validation as a link.

use super::ExperimentSpec;
use super::keys;

/// A field a variant can change: its URL key and values worth suggesting.
pub struct Variation {
    pub key: &'static str,
    pub suggestions: &'static [&'static str],
}

impl Variation {
    /// What the page calls it (the key table's label).
    pub fn label(&self) -> &'static str {
        label(self.key)
    }
}

fn label(key: &str) -> &'static str {
    keys::get(key).map_or("setting", |k| k.label)
}

/// The fields offered for "what if", in the order the page lists them.
pub const VARIATIONS: [Variation; 10] = [
    Variation { key: "lr", suggestions: &["1", "0.3", "0.1", "0.03", "0.01", "0.001", "0.0001"] },
    Variation {
        key: "sched",
        suggestions: &["constant", "time", "step", "exp_course", "exp", "cosine", "cyclic", "onecycle", "plateau"],
    },
    Variation { key: "opt", suggestions: &["sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamw"] },
    Variation { key: "mom", suggestions: &["0", "0.5", "0.9", "0.99"] },
    Variation { key: "bs", suggestions: &["1", "10", "32", "128"] },
    Variation { key: "ep", suggestions: &["50", "100", "200", "500", "1000"] },
    Variation { key: "hidden", suggestions: &["none", "4", "8-8", "16-16", "32-32-32"] },
    Variation { key: "act", suggestions: &["relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu"] },
    Variation { key: "wd", suggestions: &["0", "0.0001", "0.001", "0.01"] },
    Variation { key: "seed", suggestions: &["1", "2", "3", "42"] },
];

/// The experiment with `key` set to `value` and everything else as it was,
/// except what belongs to a choice that changes: a new schedule or optimizer
/// starts from its own defaults ([`keys::Key::belongs_to`]). Fails, with a
/// message naming the field, when the value is not valid there or changes
/// nothing.
pub fn vary(spec: &ExperimentSpec, key: &str, value: &str) -> Result<ExperimentSpec, String> {
    let value = value.trim();
    let Some(variation) = VARIATIONS.iter().find(|v| v.key == key) else {
        return Err(format!("`{key}` is not a field a variant can change"));
    };
    if value.is_empty() {
        return Err(format!("{}: give a value", variation.label()));
    }
    let kept = keys::encode(spec)
        .into_iter()
        .filter(|(k, _)| *k != key && !keys::get(k).is_some_and(|k| k.belongs_to(key)))
        .map(|(k, v)| (k.to_string(), v));
    let pairs = kept.chain([(key.to_string(), value.to_string())]).collect();
    let (mut varied, notices) = keys::decode_on(pairs, spec.data.own.as_ref());
    // A link falls back to the default; a variant is refused instead.
    if let Some(n) = notices.into_iter().next() {
        let what = label(&n.key);
        return Err(if n.message.starts_with(what) { n.message } else { format!("{what}: {}", n.message) });
    }
    if key == "sched" {
        varied.schedule.span(varied.n_epochs);
    }
    if varied == *spec {
        return Err(format!("{}: the run already has {value}", variation.label()));
    }
    Ok(varied)
}
