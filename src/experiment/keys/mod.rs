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

mod codecs;
mod table;

pub use table::KEYS;

use super::notice::{Notice, NoticeKind};
use super::{ExperimentSpec, OwnData};
use crate::engine::optim::OptimizerConfig;
use crate::engine::schedule::ScheduleConfig;

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

    /// The choices this key applies to, where that is not every one: the
    /// optimizers' names (`SGD`, `RMSprop`) or the schedules' keys.
    pub fn applies_to(&self) -> Option<Vec<&'static str>> {
        let (names, all): (Vec<&'static str>, usize) = match self.slot {
            Slot::Spec(_) => return None,
            Slot::Optimizer(_) => (
                OptimizerConfig::KEYS
                    .iter()
                    .filter_map(|k| OptimizerConfig::from_key(k))
                    .filter(|o| o.clone().field(self.field).is_some())
                    .map(|o| o.name())
                    .collect(),
                OptimizerConfig::KEYS.len(),
            ),
            Slot::Schedule(_) => (
                ScheduleConfig::KEYS
                    .iter()
                    .copied()
                    .filter(|k| ScheduleConfig::from_key(k).is_some_and(|mut s| s.field(self.field).is_some()))
                    .collect(),
                ScheduleConfig::KEYS.len(),
            ),
        };
        (names.len() < all).then_some(names)
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
            Kind::Real => codecs::parse_num(text),
            Kind::Count => codecs::parse_count(text),
            Kind::Flag => codecs::parse_flag(text),
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

/// `spec` with the key `name` set to `text`, as the page's controls change
/// it: read by the key's codec, then validated as a whole. Empty text puts
/// the key back to its default (for clipping and early stopping: off).
/// Refused with a message naming the key's label.
pub fn set(spec: &ExperimentSpec, name: &str, text: &str) -> Result<ExperimentSpec, String> {
    let key = get(name).ok_or_else(|| format!("`{name}` is not a setting"))?;
    let mut next = spec.clone();
    let text = text.trim();
    if text.is_empty() {
        key.reset(&mut next, &ExperimentSpec::default(), false);
    } else {
        key.decode(&mut next, text).map_err(|r| match r {
            Refusal::Invalid(m) | Refusal::DoesNotApply(m) => format!("{}: {m}", key.label),
        })?;
    }
    next.validate().map_err(|e| match get(e.field) {
        Some(k) if k.name == name => format!("{}: {}", k.label, e.message),
        Some(k) => format!("{} would not fit: {} ({})", key.label, e.message, k.label),
        None => e.message,
    })?;
    Ok(next)
}

/// The keys of a search (beside the experiment's own), read by
/// `search::search_from_query`.
pub const SEARCH_KEYS: [&str; 17] = [
    "search", "trials", "space", "smetric", "folds", "sseed", "pop", "tour", "cross", "mut", "elite", "compare",
    "repeats", "inner", "eta", "minep", "beat",
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
pub fn decode(pairs: Vec<(String, String)>) -> (ExperimentSpec, Vec<Notice>) {
    decode_on(pairs, None)
}

/// [`decode`] where `data=own` means `own`, the user's data the link names
/// (read from the browser's storage or the file given); without it,
/// `data=own` is refused like any value that cannot be used.
pub fn decode_on(mut pairs: Vec<(String, String)>, own: Option<&OwnData>) -> (ExperimentSpec, Vec<Notice>) {
    let mut spec = ExperimentSpec::default();
    spec.data.own = own.cloned();
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
    if spec.data.kind != super::DataKind::Own {
        spec.data.own = None;
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
