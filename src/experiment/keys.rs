//! The URL keys of an experiment, one entry each: the name a link and the
//! command line use, what people call it, where its value lives in an
//! [`ExperimentSpec`] and how it is written, read and put back to its
//! default. The link codec ([`super::query`]), the command line's flags and
//! messages, "what if" and a search's trials all go through this table;
//! `docs/url-format.md` documents the same keys (a test checks they agree).
//!
//! A key's value lives in one of three places ([`Slot`]): a field of the
//! spec itself, with its own [`Codec`]; or a hyperparameter of the chosen
//! optimizer or schedule, reached by the engine's name for it
//! ([`OptimizerConfig::field`], [`ScheduleConfig::field`]) and written
//! relative to that choice's defaults. The engine names its own fields; the
//! mapping to URL keys is this table, and nowhere else.

use super::query::{Notice, NoticeKind};
use super::{DataKind, DataSpec, ExperimentSpec};
use crate::engine::data::Feature2d;
use crate::engine::model::{Activation, Init, RegressionLoss};
use crate::engine::optim::OptimizerConfig;
use crate::engine::schedule::{Anneal, ScheduleConfig, Warmup};
use crate::engine::surface::Surface;
use crate::engine::train::{EarlyStopping, LrChange, Metric};

/// The version written into every encoded query.
pub const QUERY_VERSION: u32 = 1;

/// One URL key.
pub struct Key {
    /// Its name in a link (`lr`) and on the command line (`--lr`).
    pub name: &'static str,
    /// A longer command-line flag for it (`--learning-rate`), if any.
    pub flag: Option<&'static str>,
    /// What the page and messages call it.
    pub label: &'static str,
    pub group: Group,
    /// Its name in the code: the spec's field, or the engine's name for an
    /// optimizer's or a schedule's hyperparameter (what their validation
    /// reports). Unique in the table.
    pub field: &'static str,
    pub slot: Slot,
}

/// Where the page lists a key, and what changing it carries along: the keys
/// of the optimizer and schedule groups belong to the choice of optimizer or
/// schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The format's version.
    Link,
    Data,
    Network,
    Optimizer,
    Schedule,
    Training,
    /// The optimizer race on a 2-D surface.
    Race,
}

/// Where a key's value lives.
pub enum Slot {
    /// A field of the spec, read and written by its codec.
    Spec(Codec),
    /// The chosen optimizer's hyperparameter [`Key::field`]: it applies to
    /// the optimizers that have it, and a link writes it only where it
    /// differs from that optimizer's default.
    Optimizer(Kind),
    /// The same for the chosen schedule's parameters.
    Schedule(Kind),
}

/// How an optimizer's or a schedule's hyperparameter is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Real,
    /// A whole number of epochs (or steps).
    Count,
    /// 0 or 1 (`true`, `yes`, `on` and their opposites are read too).
    Flag,
}

/// How a field of the spec is written, read and reset.
pub struct Codec {
    /// The value a link writes for `spec` (given the default spec), or `None`
    /// where it is at its default or does not apply.
    pub encode: fn(&ExperimentSpec, &ExperimentSpec) -> Option<String>,
    /// Reads a value into the spec.
    pub decode: fn(&mut ExperimentSpec, &str) -> Result<(), Refusal>,
    /// Puts the field back after validation refused it: to the default, or
    /// with `fit` (the default did not fit either), to what fits the rest.
    /// Returns what is used instead when that is not just "the default".
    pub reset: fn(&mut ExperimentSpec, &ExperimentSpec, bool) -> Option<String>,
}

/// Why a value was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It does not read as a value of this key.
    Invalid(String),
    /// It reads, but the key does not apply to the rest of the experiment.
    DoesNotApply(String),
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Refusal::Invalid(message)
    }
}

impl Key {
    /// The text a link writes for this key of `spec`, or `None` where it is
    /// at its default or does not apply.
    pub fn encode(&self, spec: &ExperimentSpec, default: &ExperimentSpec) -> Option<String> {
        match &self.slot {
            Slot::Spec(codec) => (codec.encode)(spec, default),
            Slot::Optimizer(_) => {
                let mut ours = spec.optimizer.clone();
                let v = ours.field(self.field)?.get();
                let mut theirs = OptimizerConfig::from_key(spec.optimizer.key())?;
                (v != theirs.field(self.field)?.get()).then(|| format_num(v))
            }
            Slot::Schedule(_) => {
                let mut ours = spec.schedule.clone();
                let v = ours.field(self.field)?.get();
                let mut theirs = ScheduleConfig::from_key(spec.schedule.key())?;
                (v != theirs.field(self.field)?.get()).then(|| format_num(v))
            }
        }
    }

    /// Reads `text` into this key of `spec`.
    pub fn decode(&self, spec: &mut ExperimentSpec, text: &str) -> Result<(), Refusal> {
        match &self.slot {
            Slot::Spec(codec) => (codec.decode)(spec, text),
            Slot::Optimizer(kind) => {
                let v = kind.parse(text)?;
                let name = spec.optimizer.name();
                let field = spec.optimizer.field(self.field);
                field.ok_or_else(|| Refusal::DoesNotApply(format!("does not apply to {name}")))?.set(v);
                Ok(())
            }
            Slot::Schedule(kind) => {
                let v = kind.parse(text)?;
                let label = spec.schedule.label();
                let field = spec.schedule.field(self.field);
                field.ok_or_else(|| Refusal::DoesNotApply(format!("does not apply to the {label} schedule")))?.set(v);
                Ok(())
            }
        }
    }

    /// Puts this key of `spec` back after validation refused it (see
    /// [`Codec::reset`]); returns what is used instead.
    pub fn reset(&self, spec: &mut ExperimentSpec, default: &ExperimentSpec, fit: bool) -> Option<String> {
        match &self.slot {
            Slot::Spec(codec) => (codec.reset)(spec, default, fit),
            Slot::Optimizer(_) => {
                let mut defaults = OptimizerConfig::from_key(spec.optimizer.key()).unwrap_or_default();
                match defaults.field(self.field).map(|f| f.get()) {
                    Some(v) if !fit => {
                        if let Some(field) = spec.optimizer.field(self.field) {
                            field.set(v);
                        }
                        None
                    }
                    _ => {
                        spec.optimizer = defaults;
                        Some(format!("{}'s defaults are used", spec.optimizer.name()))
                    }
                }
            }
            Slot::Schedule(_) => {
                let mut defaults = ScheduleConfig::from_key(spec.schedule.key()).unwrap_or(ScheduleConfig::Constant);
                match defaults.field(self.field).map(|f| f.get()) {
                    Some(v) if !fit => {
                        if let Some(field) = spec.schedule.field(self.field) {
                            field.set(v);
                        }
                        None
                    }
                    _ => {
                        spec.schedule = defaults;
                        Some("the schedule's defaults are used".into())
                    }
                }
            }
        }
    }

    /// Whether this key applies to `spec` as it is: an optimizer's or a
    /// schedule's hyperparameter only to the choices that have it.
    pub fn applies(&self, spec: &ExperimentSpec) -> bool {
        match &self.slot {
            Slot::Spec(_) => true,
            Slot::Optimizer(_) => spec.optimizer.clone().field(self.field).is_some(),
            Slot::Schedule(_) => spec.schedule.clone().field(self.field).is_some(),
        }
    }

    /// Whether the key belongs to the choice of optimizer or schedule (so a
    /// new choice starts without it): an optimizer's hyperparameter that not
    /// every optimizer has, or any of the schedule's.
    pub fn belongs_to(&self, choice: &str) -> bool {
        match choice {
            "opt" => {
                matches!(self.slot, Slot::Optimizer(_))
                    && !OptimizerConfig::KEYS
                        .iter()
                        .filter_map(|k| OptimizerConfig::from_key(k))
                        .all(|mut o| o.field(self.field).is_some())
            }
            "sched" => self.group == Group::Schedule && self.name != "sched",
            _ => false,
        }
    }
}

impl Kind {
    fn parse(self, text: &str) -> Result<f64, String> {
        match self {
            Kind::Real => parse_num(text),
            Kind::Count => parse_count(text),
            Kind::Flag => parse_flag(text),
        }
    }
}

/// The key named `name`.
pub fn get(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The URL key of the code's field `field` (see [`Key::field`]): what a
/// validation error of the engine's is reported as. A field the table does
/// not know is reported as itself.
pub fn key_of_field(field: &'static str) -> &'static str {
    KEYS.iter().find(|k| k.field == field).map_or(field, |k| k.name)
}

/// The keys of a search (beside the experiment's own), read by
/// `search::search_from_query`.
pub const SEARCH_KEYS: [&str; 16] = [
    "search", "trials", "space", "smetric", "folds", "sseed", "pop", "tour", "cross", "mut", "elite", "compare",
    "repeats", "inner", "eta", "minep",
];

/// The pairs a link writes for `spec`: the version, then every key not at
/// its default, in the table's order.
pub fn encode(spec: &ExperimentSpec) -> Vec<(&'static str, String)> {
    let default = ExperimentSpec::default();
    KEYS.iter().filter_map(|k| Some((k.name, k.encode(spec, &default)?))).collect()
}

/// The spec that `pairs` describe, and what could not be used as written.
/// Keys are applied in the table's order (the optimizer before its
/// hyperparameters, whatever the order of the pairs); an unknown key, a bad
/// value or one that does not apply is reported and left out; then every
/// field validation refuses is reset (to its default, or to what fits),
/// each named once. The spec returned is valid.
pub fn decode(mut pairs: Vec<(String, String)>) -> (ExperimentSpec, Vec<Notice>) {
    let mut spec = ExperimentSpec::default();
    let mut notices = Vec::new();
    let mut given = Vec::new();
    for k in &KEYS {
        let Some(i) = pairs.iter().position(|(name, _)| name == k.name) else { continue };
        let (_, text) = pairs.remove(i);
        match k.decode(&mut spec, &text) {
            Ok(()) => given.push(k.name),
            Err(Refusal::Invalid(message)) => notices.push(Notice::ignored(k.name, message)),
            Err(Refusal::DoesNotApply(message)) => notices.push(Notice::does_not_apply(k.name, message)),
        }
    }
    // The start of the race is one point: both coordinates or neither.
    if given.contains(&"x0") != given.contains(&"y0") {
        spec.race.start = None;
        notices.push(Notice::ignored("x0", "a start point needs both x0 and y0; the surface's own start is used"));
    }
    for (name, _) in pairs {
        notices.push(Notice::ignored(&name, "unknown setting, ignored"));
    }
    reset_invalid_fields(&mut spec, &mut notices);
    (spec, notices)
}

/// Resets out-of-range fields, one at a time, each named once; everything
/// else is kept. A default that does not fit the rest of the spec is fitted
/// to it instead (a batch size larger than a small training set becomes the
/// whole training set).
fn reset_invalid_fields(spec: &mut ExperimentSpec, notices: &mut Vec<Notice>) {
    let default = ExperimentSpec::default();
    let mut reset: Vec<&'static str> = Vec::new();
    // Each field is reset at most twice (to its default, then fitted), so
    // this ends long before the bound.
    for _ in 0..4 * KEYS.len() {
        let Err(err) = spec.validate() else { return };
        let again = reset.contains(&err.field);
        let used = match get(err.field) {
            Some(k) => k.reset(spec, &default, again),
            None => {
                *spec = default.clone();
                Some("the default experiment is used".into())
            }
        };
        let used = used.unwrap_or_else(|| "using the default".into());
        if !again {
            reset.push(err.field);
            notices.push(Notice { key: err.field.into(), message: err.message, kind: NoticeKind::Replaced { used } });
        } else if let Some(n) = notices.iter_mut().rev().find(|n| n.key == err.field) {
            // The default did not fit either: say what is used instead, in the one notice.
            n.kind = NoticeKind::Replaced { used };
        }
    }
    notices.push(Notice {
        key: "v".into(),
        message: "these settings could not be made to fit together".into(),
        kind: NoticeKind::Replaced { used: "the default experiment is used".into() },
    });
    *spec = default;
}

/// The shortest text that parses back to exactly `v` (`0.1`, `1e-8`, `300`).
pub fn format_num(v: f64) -> String {
    let plain = format!("{v}");
    let exp = format!("{v:e}");
    if exp.len() < plain.len() { exp } else { plain }
}

/// A number a key holds: how a link writes it.
trait Number: Copy + PartialEq + core::str::FromStr {
    fn text(self) -> String;
}

impl Number for f64 {
    fn text(self) -> String {
        format_num(self)
    }
}

impl Number for usize {
    fn text(self) -> String {
        self.to_string()
    }
}

impl Number for u64 {
    fn text(self) -> String {
        self.to_string()
    }
}

/// A number of the spec at `$field`: written where it differs from the
/// default, read as a number, reset to the default.
macro_rules! number {
    ($($field:ident).+) => {
        Slot::Spec(Codec {
            encode: |s, d| (s.$($field).+ != d.$($field).+).then(|| Number::text(s.$($field).+)),
            decode: |s, v| {
                s.$($field).+ = parse_num(v)?;
                Ok(())
            },
            reset: |s, d, _| {
                s.$($field).+ = d.$($field).+;
                None
            },
        })
    };
}

fn parse_num<T: core::str::FromStr>(s: &str) -> Result<T, String> {
    s.trim().parse::<T>().map_err(|_| format!("`{s}` is not a valid number here"))
}

/// A whole number of epochs, as a float for [`crate::engine::field::Field::set`].
fn parse_count(s: &str) -> Result<f64, String> {
    let v: f64 = parse_num(s)?;
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 {
        Ok(v)
    } else {
        Err(format!("`{s}` is not a whole number of epochs"))
    }
}

fn parse_flag(s: &str) -> Result<f64, String> {
    match s {
        "1" | "true" | "yes" | "on" => Ok(1.0),
        "0" | "false" | "no" | "off" => Ok(0.0),
        _ => Err(format!("`{s}` is not 0 or 1")),
    }
}

fn parse_features(s: &str) -> Result<Vec<Feature2d>, String> {
    if s.is_empty() || s == "raw" {
        return Ok(Vec::new());
    }
    s.split(['-', ','])
        .map(|f| {
            Feature2d::from_key(f).ok_or_else(|| {
                let all: Vec<&str> = Feature2d::ALL.iter().map(|f| f.key()).collect();
                format!("`{f}` is not a feature; expected some of {}", all.join(", "))
            })
        })
        .collect()
}

/// `120:0.01,300:1e-3`: hand-set learning rates by epoch.
fn parse_lr_changes(s: &str) -> Result<Vec<LrChange>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split(',')
        .map(|pair| {
            let (e, lr) = pair.split_once(':').ok_or_else(|| format!("`{pair}` is not EPOCH:LR"))?;
            Ok(LrChange { epoch: parse_num(e)?, lr: parse_num(lr)? })
        })
        .collect()
}

/// `8-8` (or `8,8`); `none` or nothing for no hidden layer.
fn parse_hidden(s: &str) -> Result<Vec<usize>, String> {
    if s.is_empty() || s == "none" {
        return Ok(Vec::new());
    }
    s.split(['-', ',']).map(parse_num).collect()
}

fn parse_activations(s: &str) -> Result<Vec<Activation>, String> {
    s.split(['-', ','])
        .map(|a| {
            Activation::from_key(a).ok_or_else(|| {
                let all: Vec<&str> = Activation::ALL.iter().map(|a| a.key()).collect();
                format!("`{a}` is not an activation; expected one of {}", all.join(", "))
            })
        })
        .collect()
}

fn parse_init(s: &str) -> Result<Init, String> {
    Ok(match s {
        "glorot_uniform" | "xavier_uniform" => Init::GlorotUniform,
        "glorot_normal" | "xavier_normal" => Init::GlorotNormal,
        "he_normal" | "kaiming_normal" => Init::HeNormal,
        "he_uniform" | "kaiming_uniform" => Init::HeUniform,
        "lecun_normal" => Init::LecunNormal,
        "zeros" => Init::Zeros,
        other => match other.strip_prefix("uniform:").or_else(|| other.strip_prefix("uniform")) {
            Some("") => Init::Uniform { a: 0.5 },
            Some(a) => Init::Uniform { a: parse_num(a)? },
            None => {
                return Err(format!(
                    "`{other}` is not an initializer; expected glorot_uniform, glorot_normal, he_normal, \
                     he_uniform, lecun_normal, uniform:A or zeros"
                ));
            }
        },
    })
}

fn init_text(init: Init) -> String {
    match init {
        Init::Uniform { a } => format!("uniform:{}", format_num(a)),
        other => other.key().to_string(),
    }
}

fn loss_key(loss: RegressionLoss) -> &'static str {
    match loss {
        RegressionLoss::Mse => "mse",
        RegressionLoss::Mae => "mae",
        RegressionLoss::Huber { .. } => "huber",
    }
}

/// The schedule's own defaults (its parameters back to the lab's values).
fn schedule_defaults(spec: &ExperimentSpec) -> ScheduleConfig {
    ScheduleConfig::from_key(spec.schedule.key()).unwrap_or(ScheduleConfig::Constant)
}

/// The keys with their own codec for the early-stopping settings beyond the patience.
fn early_stopping(spec: &mut ExperimentSpec) -> Result<&mut EarlyStopping, Refusal> {
    spec.early_stopping
        .as_mut()
        .ok_or_else(|| Refusal::DoesNotApply("applies only with es (early-stopping patience)".into()))
}

const fn key(name: &'static str, label: &'static str, group: Group, field: &'static str, slot: Slot) -> Key {
    Key { name, flag: None, label, group, field, slot }
}

const fn flagged(flag: &'static str, key: Key) -> Key {
    Key { flag: Some(flag), ..key }
}

use Group::{Data, Link, Network, Optimizer, Race, Schedule, Training};

/// Every key of the format, in the order a link writes them (the optimizer's
/// and the schedule's hyperparameters in an order that keeps each one's
/// keys in the order of its formula).
pub static KEYS: [Key; 73] = [
    key(
        "v",
        "format version",
        Link,
        "version",
        Slot::Spec(Codec {
            encode: |_, _| Some(QUERY_VERSION.to_string()),
            decode: |_, v| match parse_num::<u32>(v)? {
                QUERY_VERSION => Ok(()),
                other => {
                    Err(Refusal::Invalid(format!("version {other} is not known; read as version {QUERY_VERSION}")))
                }
            },
            reset: |_, _, _| None,
        }),
    ),
    key("seed", "seed", Training, "seed", number!(seed)),
    key(
        "data",
        "data set",
        Data,
        "data.kind",
        Slot::Spec(Codec {
            encode: |s, d| (s.data.kind != d.data.kind).then(|| s.data.kind.key().into()),
            decode: |s, v| {
                let kind = DataKind::from_key(v).ok_or_else(|| {
                    let all: Vec<&str> = DataKind::ALL.iter().map(|d| d.key()).collect();
                    format!("`{v}` is not a data set; expected one of {}", all.join(", "))
                })?;
                s.data = DataSpec { kind, ..s.data.clone() };
                Ok(())
            },
            reset: |s, d, _| {
                s.data = d.data.clone();
                None
            },
        }),
    ),
    flagged("points", key("n", "points per class", Data, "data.n_per_class", number!(data.n_per_class))),
    key("noise", "noise", Data, "data.noise", number!(data.noise)),
    key("minority", "minority share", Data, "data.minority", number!(data.minority)),
    key("classes", "classes", Data, "data.classes", number!(data.classes)),
    key("outliers", "outlier share", Data, "data.outliers", number!(data.outliers)),
    flagged("val-ratio", key("val", "validation share", Data, "val_ratio", number!(val_ratio))),
    flagged("test-ratio", key("test", "test share", Data, "test_ratio", number!(test_ratio))),
    key(
        "feat",
        "derived 2-D features",
        Data,
        "features_2d",
        Slot::Spec(Codec {
            encode: |s, _| {
                let f: Vec<&str> = s.features_2d.iter().map(|f| f.key()).collect();
                (!f.is_empty()).then(|| f.join("-"))
            },
            decode: |s, v| {
                s.features_2d = parse_features(v)?;
                Ok(())
            },
            reset: |s, _, _| {
                s.features_2d.clear();
                None
            },
        }),
    ),
    key("poly", "polynomial degree", Data, "poly_degree", number!(poly_degree)),
    key(
        "std",
        "standardize inputs",
        Data,
        "standardize",
        Slot::Spec(Codec {
            encode: |s, _| s.standardize.map(|on| u8::from(on).to_string()),
            decode: |s, v| {
                s.standardize = Some(parse_flag(v)? != 0.0);
                Ok(())
            },
            reset: |s, d, _| {
                s.standardize = d.standardize;
                None
            },
        }),
    ),
    key(
        "hidden",
        "hidden layers",
        Network,
        "hidden",
        Slot::Spec(Codec {
            encode: |s, d| {
                let h: Vec<String> = s.hidden.iter().map(|u| u.to_string()).collect();
                (s.hidden != d.hidden).then(|| if h.is_empty() { "none".into() } else { h.join("-") })
            },
            decode: |s, v| {
                s.hidden = parse_hidden(v)?;
                Ok(())
            },
            reset: |s, d, _| {
                s.hidden = d.hidden.clone();
                None
            },
        }),
    ),
    flagged(
        "activation",
        key(
            "act",
            "activation",
            Network,
            "activations",
            Slot::Spec(Codec {
                encode: |s, d| {
                    let a: Vec<&str> = s.activations.iter().map(|a| a.key()).collect();
                    (s.activations != d.activations).then(|| a.join("-"))
                },
                decode: |s, v| {
                    s.activations = parse_activations(v)?;
                    Ok(())
                },
                // One per layer no longer matching the layers: the first for all.
                reset: |s, d, fit| {
                    s.activations = if fit { vec![s.activation(0)] } else { d.activations.clone() };
                    None
                },
            }),
        ),
    ),
    key(
        "init",
        "initialization",
        Network,
        "init",
        Slot::Spec(Codec {
            encode: |s, d| (s.init != d.init).then(|| init_text(s.init)),
            decode: |s, v| {
                s.init = parse_init(v)?;
                Ok(())
            },
            reset: |s, d, _| {
                s.init = d.init;
                None
            },
        }),
    ),
    flagged("dropout", key("drop", "dropout", Network, "dropout", number!(dropout))),
    key(
        "loss",
        "regression loss",
        Network,
        "regression_loss",
        Slot::Spec(Codec {
            encode: |s, d| (s.regression_loss != d.regression_loss).then(|| loss_key(s.regression_loss).into()),
            decode: |s, v| {
                s.regression_loss = match v {
                    "mse" => RegressionLoss::Mse,
                    "mae" => RegressionLoss::Mae,
                    "huber" => RegressionLoss::Huber { delta: 1.0 },
                    _ => return Err(format!("`{v}` is not a regression loss; expected mse, mae or huber").into()),
                };
                Ok(())
            },
            reset: |s, d, _| {
                s.regression_loss = d.regression_loss;
                None
            },
        }),
    ),
    key(
        "huber",
        "Huber δ",
        Network,
        "regression_loss.delta",
        Slot::Spec(Codec {
            encode: |s, _| match s.regression_loss {
                RegressionLoss::Huber { delta } if delta != 1.0 => Some(format_num(delta)),
                _ => None,
            },
            decode: |s, v| {
                let delta = parse_num(v)?;
                match &mut s.regression_loss {
                    RegressionLoss::Huber { delta: d } => *d = delta,
                    _ => return Err(Refusal::DoesNotApply("applies only with loss=huber".into())),
                }
                Ok(())
            },
            reset: |s, _, _| {
                s.regression_loss = RegressionLoss::Huber { delta: 1.0 };
                None
            },
        }),
    ),
    flagged(
        "optimizer",
        key(
            "opt",
            "optimizer",
            Optimizer,
            "optimizer",
            Slot::Spec(Codec {
                encode: |s, d| (s.optimizer.key() != d.optimizer.key()).then(|| s.optimizer.key().into()),
                decode: |s, v| {
                    s.optimizer = OptimizerConfig::from_key(v).ok_or_else(|| {
                        let (last, rest) = OptimizerConfig::KEYS.split_last().expect("optimizers");
                        format!("`{v}` is not an optimizer; expected {} or {last}", rest.join(", "))
                    })?;
                    Ok(())
                },
                reset: |s, d, _| {
                    s.optimizer = d.optimizer.clone();
                    None
                },
            }),
        ),
    ),
    key("lrd", "learning-rate decay", Optimizer, "lr_decay", Slot::Optimizer(Kind::Real)),
    key("acc0", "initial accumulator", Optimizer, "initial_accumulator_value", Slot::Optimizer(Kind::Real)),
    key("rho", "ρ (decay of the squared gradients)", Optimizer, "rho", Slot::Optimizer(Kind::Real)),
    key("alpha", "α (smoothing)", Optimizer, "alpha", Slot::Optimizer(Kind::Real)),
    key("b1", "β₁", Optimizer, "beta1", Slot::Optimizer(Kind::Real)),
    key("b2", "β₂", Optimizer, "beta2", Slot::Optimizer(Kind::Real)),
    key("eps", "ε", Optimizer, "eps", Slot::Optimizer(Kind::Real)),
    flagged("momentum", key("mom", "momentum", Optimizer, "momentum", Slot::Optimizer(Kind::Real))),
    key("damp", "dampening", Optimizer, "dampening", Slot::Optimizer(Kind::Real)),
    key("nesterov", "Nesterov momentum", Optimizer, "nesterov", Slot::Optimizer(Kind::Flag)),
    key("centered", "centered", Optimizer, "centered", Slot::Optimizer(Kind::Flag)),
    key("amsgrad", "AMSGrad", Optimizer, "amsgrad", Slot::Optimizer(Kind::Flag)),
    flagged("weight-decay", key("wd", "weight decay (L2)", Optimizer, "weight_decay", Slot::Optimizer(Kind::Real))),
    key(
        "sched",
        "schedule",
        Schedule,
        "schedule",
        Slot::Spec(Codec {
            encode: |s, d| (s.schedule.key() != d.schedule.key()).then(|| s.schedule.key().into()),
            decode: |s, v| {
                s.schedule = ScheduleConfig::from_key(v).ok_or_else(|| {
                    format!("`{v}` is not a schedule; expected one of {}", ScheduleConfig::KEYS.join(", "))
                })?;
                Ok(())
            },
            reset: |s, d, _| {
                s.schedule = d.schedule.clone();
                None
            },
        }),
    ),
    key("decay", "decay", Schedule, "decay", Slot::Schedule(Kind::Real)),
    key("start", "start epoch", Schedule, "start", Slot::Schedule(Kind::Count)),
    key("every", "every (epochs)", Schedule, "every", Slot::Schedule(Kind::Count)),
    key("rate", "rate", Schedule, "rate", Slot::Schedule(Kind::Real)),
    key("steps", "steps", Schedule, "steps", Slot::Schedule(Kind::Count)),
    key("stair", "staircase (0/1)", Schedule, "staircase", Slot::Schedule(Kind::Flag)),
    key("total", "total epochs", Schedule, "total", Slot::Schedule(Kind::Count)),
    key("power", "power", Schedule, "power", Slot::Schedule(Kind::Real)),
    key("pct", "share rising", Schedule, "pct", Slot::Schedule(Kind::Real)),
    key("div", "start = lr ÷", Schedule, "div", Slot::Schedule(Kind::Real)),
    key("fdiv", "end = start ÷", Schedule, "final_div", Slot::Schedule(Kind::Real)),
    key("tmax", "T (epochs)", Schedule, "t_max", Slot::Schedule(Kind::Count)),
    key("t0", "first cycle (epochs)", Schedule, "t0", Slot::Schedule(Kind::Count)),
    key("tmult", "cycle growth", Schedule, "t_mult", Slot::Schedule(Kind::Count)),
    key("factor", "factor", Schedule, "factor", Slot::Schedule(Kind::Real)),
    key("pat", "patience", Schedule, "patience", Slot::Schedule(Kind::Count)),
    key("thr", "threshold", Schedule, "threshold", Slot::Schedule(Kind::Real)),
    key("cool", "cooldown", Schedule, "cooldown", Slot::Schedule(Kind::Count)),
    key("lrmin", "minimum lr", Schedule, "min_lr", Slot::Schedule(Kind::Real)),
    key("up", "epochs up", Schedule, "up", Slot::Schedule(Kind::Count)),
    key("down", "epochs down", Schedule, "down", Slot::Schedule(Kind::Count)),
    key("gamma", "γ", Schedule, "gamma", Slot::Schedule(Kind::Real)),
    key(
        "ms",
        "milestones",
        Schedule,
        "milestones",
        Slot::Spec(Codec {
            encode: |s, _| match (&s.schedule, schedule_defaults(s)) {
                (ScheduleConfig::MultiStep { milestones, .. }, ScheduleConfig::MultiStep { milestones: d, .. })
                    if *milestones != d =>
                {
                    let m: Vec<String> = milestones.iter().map(|m| m.to_string()).collect();
                    Some(m.join("-"))
                }
                _ => None,
            },
            decode: |s, v| {
                let ms = parse_hidden(v)?;
                match &mut s.schedule {
                    ScheduleConfig::MultiStep { milestones, .. } => *milestones = ms,
                    _ => return Err(Refusal::DoesNotApply("milestones apply only to sched=multistep".into())),
                }
                Ok(())
            },
            reset: |s, _, _| {
                s.schedule = schedule_defaults(s);
                Some("the schedule's defaults are used".into())
            },
        }),
    ),
    key(
        "anneal",
        "annealing",
        Schedule,
        "anneal",
        Slot::Spec(Codec {
            encode: |s, _| {
                matches!(s.schedule, ScheduleConfig::OneCycle { anneal: Anneal::Linear, .. }).then(|| "linear".into())
            },
            decode: |s, v| {
                let anneal = match v {
                    "cos" => Anneal::Cos,
                    "linear" => Anneal::Linear,
                    _ => return Err(format!("`{v}` is not cos or linear").into()),
                };
                match &mut s.schedule {
                    ScheduleConfig::OneCycle { anneal: a, .. } => *a = anneal,
                    _ => return Err(Refusal::DoesNotApply("applies only to sched=onecycle".into())),
                }
                Ok(())
            },
            reset: |s, _, _| {
                s.schedule = schedule_defaults(s);
                Some("the schedule's defaults are used".into())
            },
        }),
    ),
    key(
        "wu",
        "warm-up epochs",
        Training,
        "warmup.epochs",
        Slot::Spec(Codec {
            encode: |s, _| s.warmup.as_ref().map(|w| w.epochs.to_string()),
            decode: |s, v| {
                s.warmup = Some(Warmup { epochs: parse_num(v)?, start: 0.1 });
                Ok(())
            },
            reset: |s, _, _| {
                s.warmup = None;
                Some("no warm-up".into())
            },
        }),
    ),
    key(
        "wus",
        "warm-up start factor",
        Training,
        "warmup.start",
        Slot::Spec(Codec {
            encode: |s, _| s.warmup.as_ref().filter(|w| w.start != 0.1).map(|w| format_num(w.start)),
            decode: |s, v| {
                let start = parse_num(v)?;
                match &mut s.warmup {
                    Some(w) => w.start = start,
                    None => return Err(Refusal::DoesNotApply("applies only with wu (warm-up epochs)".into())),
                }
                Ok(())
            },
            reset: |s, _, _| {
                s.warmup = None;
                Some("no warm-up".into())
            },
        }),
    ),
    key(
        "lrc",
        "hand-set rates",
        Training,
        "lr_changes",
        Slot::Spec(Codec {
            encode: |s, _| {
                let c: Vec<String> = s.lr_changes.iter().map(|c| format!("{}:{}", c.epoch, format_num(c.lr))).collect();
                (!c.is_empty()).then(|| c.join(","))
            },
            decode: |s, v| {
                s.lr_changes = parse_lr_changes(v)?;
                Ok(())
            },
            reset: |s, _, _| {
                s.lr_changes.clear();
                Some("no hand-set rates".into())
            },
        }),
    ),
    key(
        "surf",
        "surface",
        Race,
        "race.surface",
        Slot::Spec(Codec {
            encode: |s, d| (s.race.surface != d.race.surface).then(|| s.race.surface.key().into()),
            decode: |s, v| {
                s.race.surface = Surface::from_key(v).ok_or_else(|| {
                    format!("`{v}` is not a surface; expected bowl, ravine, rosenbrock, beale, saddle or himmelblau")
                })?;
                Ok(())
            },
            reset: |s, d, _| {
                s.race.surface = d.race.surface;
                None
            },
        }),
    ),
    key(
        "x0",
        "start x",
        Race,
        "race.start.x",
        Slot::Spec(Codec {
            encode: |s, _| s.race.start.map(|[x, _]| format_num(x)),
            decode: |s, v| {
                let x = parse_num(v)?;
                s.race.start = Some([x, s.race.start.map_or(0.0, |[_, y]| y)]);
                Ok(())
            },
            reset: |s, _, _| {
                s.race.start = None;
                Some("the surface's own start is used".into())
            },
        }),
    ),
    key(
        "y0",
        "start y",
        Race,
        "race.start.y",
        Slot::Spec(Codec {
            encode: |s, _| s.race.start.map(|[_, y]| format_num(y)),
            decode: |s, v| {
                let y = parse_num(v)?;
                s.race.start = Some([s.race.start.map_or(0.0, |[x, _]| x), y]);
                Ok(())
            },
            reset: |s, _, _| {
                s.race.start = None;
                Some("the surface's own start is used".into())
            },
        }),
    ),
    key("rsteps", "race steps", Race, "race.steps", number!(race.steps)),
    key("lr", "learning rate", Training, "lr", number!(lr)),
    flagged(
        "batch-size",
        key(
            "bs",
            "batch size",
            Training,
            "batch_size",
            Slot::Spec(Codec {
                encode: |s, d| (s.batch_size != d.batch_size).then(|| s.batch_size.to_string()),
                decode: |s, v| {
                    s.batch_size = parse_num(v)?;
                    Ok(())
                },
                // The default, or the whole training set where that is smaller.
                reset: |s, d, _| {
                    let n_train = s.n_train().max(1);
                    s.batch_size = d.batch_size.min(n_train);
                    (s.batch_size != d.batch_size).then(|| format!("using {n_train}, the whole training set"))
                },
            }),
        ),
    ),
    flagged("epochs", key("ep", "epochs", Training, "n_epochs", number!(n_epochs))),
    key("l1", "L1 penalty", Training, "l1", number!(l1)),
    key(
        "clip",
        "gradient clipping norm",
        Training,
        "clip_norm",
        Slot::Spec(Codec {
            encode: |s, _| s.clip_norm.map(format_num),
            decode: |s, v| {
                s.clip_norm = Some(parse_num(v)?);
                Ok(())
            },
            reset: |s, _, _| {
                s.clip_norm = None;
                None
            },
        }),
    ),
    flagged(
        "patience",
        key(
            "es",
            "early-stopping patience",
            Training,
            "early_stopping.patience",
            Slot::Spec(Codec {
                encode: |s, _| s.early_stopping.as_ref().map(|es| es.patience.to_string()),
                decode: |s, v| {
                    s.early_stopping =
                        Some(EarlyStopping { metric: Metric::Loss, patience: parse_num(v)?, min_delta: 0.0 });
                    Ok(())
                },
                reset: |s, _, _| {
                    s.early_stopping = None;
                    Some("early stopping is off".into())
                },
            }),
        ),
    ),
    key(
        "esm",
        "early-stopping metric",
        Training,
        "early_stopping.metric",
        Slot::Spec(Codec {
            encode: |s, _| {
                s.early_stopping.as_ref().filter(|es| es.metric != Metric::Loss).map(|es| es.metric.key().into())
            },
            decode: |s, v| {
                let metric = Metric::from_key(v).ok_or_else(|| format!("`{v}` is not a metric"))?;
                early_stopping(s)?.metric = metric;
                Ok(())
            },
            reset: |s, _, _| {
                s.early_stopping = None;
                Some("early stopping is off".into())
            },
        }),
    ),
    key(
        "esd",
        "early-stopping minimum improvement",
        Training,
        "early_stopping.min_delta",
        Slot::Spec(Codec {
            encode: |s, _| {
                s.early_stopping.as_ref().filter(|es| es.min_delta != 0.0).map(|es| format_num(es.min_delta))
            },
            decode: |s, v| {
                let delta = parse_num(v)?;
                early_stopping(s)?.min_delta = delta;
                Ok(())
            },
            reset: |s, _, _| {
                s.early_stopping = None;
                Some("early stopping is off".into())
            },
        }),
    ),
];
