//! The experiment as a query string: `v=1&lr=0.1&seed=7`.
//!
//! Short keys, defaults omitted, a version key first. Decoding is tolerant:
//! an unknown key or a bad value becomes a [`Notice`] and the default stays,
//! so a damaged link still opens. Callers that must be strict (the command
//! line) treat any notice as an error.

use super::ExperimentSpec;
use crate::engine::model::Activation;

/// The version written into every encoded query.
pub const QUERY_VERSION: u32 = 1;

/// Something in a query that was ignored, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The key as written in the query.
    pub key: String,
    pub message: String,
}

impl core::fmt::Display for Notice {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)
    }
}

/// Longest value we look at; longer ones are rejected before parsing.
const MAX_VALUE_LEN: usize = 64;

/// Encodes the fields that differ from the default.
pub fn to_query(spec: &ExperimentSpec) -> String {
    let d = ExperimentSpec::default();
    let mut parts = vec![format!("v={QUERY_VERSION}")];
    if spec.seed != d.seed {
        parts.push(format!("seed={}", spec.seed));
    }
    if spec.lr != d.lr {
        parts.push(format!("lr={}", spec.lr));
    }
    if spec.batch_size != d.batch_size {
        parts.push(format!("bs={}", spec.batch_size));
    }
    if spec.n_epochs != d.n_epochs {
        parts.push(format!("ep={}", spec.n_epochs));
    }
    if spec.hidden != d.hidden {
        let h: Vec<String> = spec.hidden.iter().map(|u| u.to_string()).collect();
        parts.push(format!("hidden={}", h.join("-")));
    }
    if spec.activation != d.activation {
        parts.push(format!("act={}", activation_name(spec.activation)));
    }
    if spec.data.n_per_class != d.data.n_per_class {
        parts.push(format!("n={}", spec.data.n_per_class));
    }
    if spec.data.noise != d.data.noise {
        parts.push(format!("noise={}", spec.data.noise));
    }
    if spec.val_ratio != d.val_ratio {
        parts.push(format!("val={}", spec.val_ratio));
    }
    parts.join("&")
}

fn activation_name(a: Activation) -> &'static str {
    match a {
        Activation::Tanh => "tanh",
        Activation::Sigmoid => "sigmoid",
        Activation::Relu => "relu",
        Activation::Linear => "linear",
    }
}

fn parse_activation(s: &str) -> Result<Activation, String> {
    match s {
        "tanh" => Ok(Activation::Tanh),
        "sigmoid" => Ok(Activation::Sigmoid),
        "relu" => Ok(Activation::Relu),
        "linear" => Ok(Activation::Linear),
        _ => Err("expected one of tanh, sigmoid, relu, linear".into()),
    }
}

fn parse_num<T: core::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse::<T>()
        .map_err(|_| format!("`{s}` is not a valid number here"))
}

fn parse_hidden(s: &str) -> Result<Vec<usize>, String> {
    if s.is_empty() || s == "none" {
        return Ok(Vec::new());
    }
    s.split(['-', ',']).map(parse_num).collect()
}

/// Decodes a query string (with or without a leading `?`, or a whole URL).
/// Returns the spec and what was ignored. The spec is validated: a value that
/// parses but is out of range is reported and reset to its default.
pub fn from_query(input: &str) -> (ExperimentSpec, Vec<Notice>) {
    let query = match input.find('?') {
        Some(i) => &input[i + 1..],
        None => input,
    };
    let query = query.split('#').next().unwrap_or("");
    let mut spec = ExperimentSpec::default();
    let mut notices = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key_shown: String = key.chars().take(32).collect();
        let mut note = |message: String| {
            notices.push(Notice {
                key: key_shown.clone(),
                message,
            })
        };
        if value.len() > MAX_VALUE_LEN {
            note(format!(
                "value longer than {MAX_VALUE_LEN} characters, ignored"
            ));
            continue;
        }
        let result = match key {
            "v" => match parse_num::<u32>(value) {
                Ok(QUERY_VERSION) => Ok(()),
                Ok(v) => Err(format!(
                    "version {v} is not known; read as version {QUERY_VERSION}"
                )),
                Err(e) => Err(e),
            },
            "seed" => parse_num(value).map(|v| spec.seed = v),
            "lr" => parse_num(value).map(|v| spec.lr = v),
            "bs" => parse_num(value).map(|v| spec.batch_size = v),
            "ep" => parse_num(value).map(|v| spec.n_epochs = v),
            "hidden" => parse_hidden(value).map(|v| spec.hidden = v),
            "act" => parse_activation(value).map(|v| spec.activation = v),
            "n" => parse_num(value).map(|v| spec.data.n_per_class = v),
            "noise" => parse_num(value).map(|v| spec.data.noise = v),
            "val" => parse_num(value).map(|v| spec.val_ratio = v),
            _ => Err("unknown key, ignored".into()),
        };
        if let Err(message) = result {
            note(message);
        }
    }
    // Reset out-of-range fields to their defaults, one at a time, naming each.
    let defaults = ExperimentSpec::default();
    for _ in 0..16 {
        let Err(err) = spec.validate() else { break };
        notices.push(Notice {
            key: err.field.to_string(),
            message: format!("{}; using the default", err.message),
        });
        match err.field {
            "lr" => spec.lr = defaults.lr,
            "bs" => spec.batch_size = defaults.batch_size,
            "ep" => spec.n_epochs = defaults.n_epochs,
            "hidden" => spec.hidden = defaults.hidden.clone(),
            "n" => spec.data.n_per_class = defaults.data.n_per_class,
            "noise" => spec.data.noise = defaults.data.noise,
            "val" => spec.val_ratio = defaults.val_ratio,
            _ => spec = defaults.clone(),
        }
    }
    (spec, notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_encodes_to_version_only() {
        assert_eq!(to_query(&ExperimentSpec::default()), "v=1");
    }

    #[test]
    fn round_trip() {
        let spec = ExperimentSpec {
            seed: 99,
            lr: 0.3,
            batch_size: 32,
            n_epochs: 42,
            hidden: vec![16, 4, 2],
            activation: Activation::Relu,
            val_ratio: 0.3,
            data: crate::engine::data::SpiralConfig {
                n_per_class: 77,
                noise: 0.1,
            },
        };
        let q = to_query(&spec);
        let (back, notices) = from_query(&q);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, spec);
        let (from_url, _) = from_query(&format!("http://127.0.0.1:8080/?{q}#x"));
        assert_eq!(from_url, spec);
    }

    #[test]
    fn hostile_queries_give_defaults_and_notices() {
        let long = "9".repeat(100_000);
        for q in [
            "lr=abc",
            "lr=NaN",
            "lr=-1",
            "lr=1e400",
            "bs=-3",
            "ep=99999999999999999999999",
            "hidden=8-x",
            "act=swish",
            "zzz=1",
            "v=7",
            &format!("seed={long}"),
            "n=1",
        ] {
            let (spec, notices) = from_query(q);
            assert!(!notices.is_empty(), "{q}");
            spec.validate().unwrap();
        }
        let (spec, notices) = from_query("lr=0.1&bogus=1");
        assert_eq!(spec.lr, 0.1);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].key, "bogus");
        let (spec, _) = from_query("lr=-1");
        assert_eq!(spec.lr, ExperimentSpec::default().lr);
    }

    #[test]
    fn truncated_and_empty_queries_decode() {
        for q in ["", "?", "&&", "lr", "lr=", "v=1&lr=0.", "=5"] {
            let (spec, _) = from_query(q);
            spec.validate().unwrap();
        }
    }
}
