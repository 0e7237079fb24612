//! The experiment as a query string: `v=1&opt=adam&lr=0.001&seed=7`.
//!
//! Short keys, defaults omitted, the version first; the format is specified
//! in `docs/url-format.md`. Decoding is tolerant: an unknown key, a bad value
//! or an out-of-range one becomes a [`Notice`] and the default stays, so a
//! damaged link still opens. Callers that must be strict (the command line)
//! treat any notice as an error.

use super::{DataKind, DataSpec, ExperimentSpec};
use crate::engine::data::Feature2d;
use crate::engine::model::{Activation, Init, RegressionLoss};
use crate::engine::optim::{AdadeltaConfig, AdagradConfig, AdamConfig, OptimizerConfig, RmsPropConfig, SgdConfig};
use crate::engine::schedule::{Anneal, CyclicMode, ScheduleConfig, Warmup};
use crate::engine::surface::Surface;
use crate::engine::train::{EarlyStopping, LrChange, Metric};

/// The URL keys of a search (beside the experiment's own).
pub const SEARCH_KEYS: [&str; 16] = [
    "search", "trials", "space", "smetric", "folds", "sseed", "pop", "tour", "cross", "mut", "elite", "compare",
    "repeats", "inner", "eta", "minep",
];

/// The version written into every encoded query.
pub const QUERY_VERSION: u32 = 1;

/// Every key of the format (`docs/url-format.md`).
pub const KEYS: [&str; 74] = [
    "v", "seed", "data", "n", "noise", "minority", "classes", "outliers", "val", "test", "feat", "poly", "std",
    "hidden", "act", "init", "drop", "loss", "huber", "opt", "mom", "damp", "nesterov", "wd", "lrd", "acc0", "eps",
    "rho", "alpha", "centered", "b1", "b2", "amsgrad", "lr", "bs", "ep", "l1", "clip", "es", "esm", "esd", "sched",
    "decay", "start", "every", "rate", "ms", "gamma", "steps", "stair", "total", "power", "tmax", "lrmin", "t0",
    "tmult", "up", "down", "pct", "div", "fdiv", "anneal", "factor", "pat", "thr", "cool", "wu", "wus", "lrc", "surf",
    "x0", "y0", "rsteps", "runs",
];

/// Longest value looked at; longer ones are rejected before parsing.
pub const MAX_VALUE_LEN: usize = 128;
/// Longest `space=` value (a search space of many hyperparameters).
pub const MAX_SPACE_LEN: usize = 2048;
/// Most pairs looked at in one query.
pub const MAX_PAIRS: usize = 200;

/// The longest value of `key` that is looked at.
fn max_value_len(key: &str) -> usize {
    if key == "space" { MAX_SPACE_LEN } else { MAX_VALUE_LEN }
}

/// Something in a query that could not be used as written, why, and what
/// happened instead. The page shows it whole; the command line, which
/// refuses rather than falls back, shows the `message` alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The key as written in the query.
    pub key: String,
    /// Why (`batch size must be 1..=8 (the training set), got 10`).
    pub message: String,
    pub kind: NoticeKind,
}

/// What the decoder did with a setting it could not use as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Left out: unknown, unreadable, too long, past the caps, or repeated
    /// (the message says which; the default stays, or the last one counts).
    Ignored,
    /// Read, but it does not apply to the rest of the experiment (Adam's
    /// `b1` with SGD); left out.
    DoesNotApply,
    /// Out of range: `used` is what the lab uses instead (the default, or
    /// the nearest value that fits the rest).
    Replaced { used: String },
}

impl Notice {
    pub(crate) fn ignored(key: &str, message: impl Into<String>) -> Notice {
        Notice { key: key.into(), message: message.into(), kind: NoticeKind::Ignored }
    }

    pub(crate) fn does_not_apply(key: &str, message: impl Into<String>) -> Notice {
        Notice { key: key.into(), message: message.into(), kind: NoticeKind::DoesNotApply }
    }
}

impl core::fmt::Display for Notice {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)?;
        match &self.kind {
            NoticeKind::Ignored => Ok(()),
            NoticeKind::DoesNotApply => write!(f, "; ignored"),
            NoticeKind::Replaced { used } => write!(f, "; {used}"),
        }
    }
}

/// The keys of each optimizer's hyperparameters (besides the learning rate).
fn optimizer_keys(config: &OptimizerConfig) -> &'static [&'static str] {
    match config {
        OptimizerConfig::Sgd(_) => &["mom", "damp", "nesterov", "wd"],
        OptimizerConfig::Adagrad(_) => &["lrd", "acc0", "eps", "wd"],
        OptimizerConfig::Adadelta(_) => &["rho", "eps", "wd"],
        OptimizerConfig::RmsProp(_) => &["alpha", "eps", "mom", "centered", "wd"],
        OptimizerConfig::Adam(_) | OptimizerConfig::AdamW(_) => &["b1", "b2", "eps", "amsgrad", "wd"],
    }
}

/// The URL names of the schedules, in the order the page lists them.
pub const SCHEDULE_KEYS: [&str; 15] = [
    "constant",
    "time",
    "step",
    "multistep",
    "exp_course",
    "exp",
    "inverse_time",
    "poly",
    "cosine",
    "restarts",
    "cyclic",
    "cyclic2",
    "cyclic_exp",
    "onecycle",
    "plateau",
];

/// The schedule named `key`, with the lab's defaults (the course's example
/// values for its three formulas).
pub fn default_schedule(key: &str) -> Option<ScheduleConfig> {
    Some(match key {
        "constant" => ScheduleConfig::Constant,
        "time" => ScheduleConfig::TimeBased { decay: 0.1 },
        "step" => ScheduleConfig::Step { start: 0, every: 20, rate: 0.5 },
        "multistep" => ScheduleConfig::MultiStep { milestones: vec![150, 300], gamma: 0.1 },
        "exp_course" => ScheduleConfig::ExponentialCourse { decay: 0.03 },
        "exp" => ScheduleConfig::Exponential { decay: 0.01 },
        "inverse_time" => ScheduleConfig::InverseTime { rate: 0.1, steps: 1, staircase: false },
        "poly" => ScheduleConfig::Polynomial { total: 500, power: 2.0 },
        "cosine" => ScheduleConfig::Cosine { t_max: 500, min_lr: 0.0 },
        "restarts" => ScheduleConfig::WarmRestarts { t0: 50, t_mult: 2, min_lr: 0.0 },
        "cyclic" => ScheduleConfig::Cyclic { min_lr: 0.001, up: 20, down: 20, mode: CyclicMode::Triangular },
        "cyclic2" => ScheduleConfig::Cyclic { min_lr: 0.001, up: 20, down: 20, mode: CyclicMode::Triangular2 },
        "cyclic_exp" => {
            ScheduleConfig::Cyclic { min_lr: 0.001, up: 20, down: 20, mode: CyclicMode::ExpRange { gamma: 0.99 } }
        }
        "onecycle" => ScheduleConfig::OneCycle { total: 500, pct: 0.3, div: 25.0, final_div: 1e4, anneal: Anneal::Cos },
        "plateau" => ScheduleConfig::Plateau { factor: 0.5, patience: 10, threshold: 1e-4, cooldown: 0, min_lr: 0.0 },
        _ => return None,
    })
}

/// Stretches a schedule's horizon — cosine's T, polynomial's and one-cycle's
/// total — over a run of `n_epochs`, as a freshly chosen schedule should be.
pub fn span_run(config: &mut ScheduleConfig, n_epochs: usize) {
    for horizon in ["tmax", "total"] {
        schedule_field(config, horizon, Some(n_epochs as f64));
    }
}

/// The URL name of a schedule (the cyclic modes have their own).
pub fn schedule_key(config: &ScheduleConfig) -> &'static str {
    match config {
        ScheduleConfig::Cyclic { mode: CyclicMode::Triangular2, .. } => "cyclic2",
        ScheduleConfig::Cyclic { mode: CyclicMode::ExpRange { .. }, .. } => "cyclic_exp",
        other => other.key(),
    }
}

/// The numeric parameter keys of each schedule (besides `ms` and `anneal`).
pub fn schedule_keys(config: &ScheduleConfig) -> &'static [&'static str] {
    match config {
        ScheduleConfig::Constant => &[],
        ScheduleConfig::TimeBased { .. }
        | ScheduleConfig::ExponentialCourse { .. }
        | ScheduleConfig::Exponential { .. } => &["decay"],
        ScheduleConfig::Step { .. } => &["start", "every", "rate"],
        ScheduleConfig::MultiStep { .. } => &["gamma"],
        ScheduleConfig::InverseTime { .. } => &["rate", "steps", "stair"],
        ScheduleConfig::Polynomial { .. } => &["total", "power"],
        ScheduleConfig::Cosine { .. } => &["tmax", "lrmin"],
        ScheduleConfig::WarmRestarts { .. } => &["t0", "tmult", "lrmin"],
        ScheduleConfig::Cyclic { mode: CyclicMode::ExpRange { .. }, .. } => &["lrmin", "up", "down", "gamma"],
        ScheduleConfig::Cyclic { .. } => &["lrmin", "up", "down"],
        ScheduleConfig::OneCycle { .. } => &["total", "pct", "div", "fdiv"],
        ScheduleConfig::Plateau { .. } => &["factor", "pat", "thr", "cool", "lrmin"],
    }
}

/// Reads (`get`) or writes (`set`) one numeric schedule parameter by key.
pub fn schedule_field(config: &mut ScheduleConfig, key: &str, set: Option<f64>) -> Option<f64> {
    fn real(slot: &mut f64, set: Option<f64>) -> f64 {
        if let Some(v) = set {
            *slot = v;
        }
        *slot
    }
    fn count(slot: &mut usize, set: Option<f64>) -> f64 {
        if let Some(v) = set {
            // Not a whole number: 0, which validation then names; a huge one
            // saturates (validation names it too).
            *slot = if v.is_finite() && v >= 0.0 && v.fract() == 0.0 { v as usize } else { 0 };
        }
        *slot as f64
    }
    fn flag(slot: &mut bool, set: Option<f64>) -> f64 {
        if let Some(v) = set {
            *slot = v != 0.0;
        }
        f64::from(u8::from(*slot))
    }
    use ScheduleConfig as S;
    Some(match (config, key) {
        (S::TimeBased { decay } | S::ExponentialCourse { decay } | S::Exponential { decay }, "decay") => {
            real(decay, set)
        }
        (S::Step { start, .. }, "start") => count(start, set),
        (S::Step { every, .. }, "every") => count(every, set),
        (S::Step { rate, .. } | S::InverseTime { rate, .. }, "rate") => real(rate, set),
        (S::MultiStep { gamma, .. }, "gamma") => real(gamma, set),
        (S::Cyclic { mode: CyclicMode::ExpRange { gamma }, .. }, "gamma") => real(gamma, set),
        (S::InverseTime { steps, .. }, "steps") => count(steps, set),
        (S::InverseTime { staircase, .. }, "stair") => flag(staircase, set),
        (S::Polynomial { total, .. } | S::OneCycle { total, .. }, "total") => count(total, set),
        (S::Polynomial { power, .. }, "power") => real(power, set),
        (S::Cosine { t_max, .. }, "tmax") => count(t_max, set),
        (
            S::Cosine { min_lr, .. }
            | S::WarmRestarts { min_lr, .. }
            | S::Cyclic { min_lr, .. }
            | S::Plateau { min_lr, .. },
            "lrmin",
        ) => real(min_lr, set),
        (S::WarmRestarts { t0, .. }, "t0") => count(t0, set),
        (S::WarmRestarts { t_mult, .. }, "tmult") => count(t_mult, set),
        (S::Cyclic { up, .. }, "up") => count(up, set),
        (S::Cyclic { down, .. }, "down") => count(down, set),
        (S::OneCycle { pct, .. }, "pct") => real(pct, set),
        (S::OneCycle { div, .. }, "div") => real(div, set),
        (S::OneCycle { final_div, .. }, "fdiv") => real(final_div, set),
        (S::Plateau { factor, .. }, "factor") => real(factor, set),
        (S::Plateau { patience, .. }, "pat") => count(patience, set),
        (S::Plateau { threshold, .. }, "thr") => real(threshold, set),
        (S::Plateau { cooldown, .. }, "cool") => count(cooldown, set),
        _ => return None,
    })
}

/// The URL name of an optimizer.
pub fn optimizer_key(config: &OptimizerConfig) -> &'static str {
    match config {
        OptimizerConfig::Sgd(_) => "sgd",
        OptimizerConfig::Adagrad(_) => "adagrad",
        OptimizerConfig::Adadelta(_) => "adadelta",
        OptimizerConfig::RmsProp(_) => "rmsprop",
        OptimizerConfig::Adam(_) => "adam",
        OptimizerConfig::AdamW(_) => "adamw",
    }
}

/// The optimizer named `key`, with PyTorch's defaults.
pub fn default_optimizer(key: &str) -> Option<OptimizerConfig> {
    Some(match key {
        "sgd" => OptimizerConfig::Sgd(SgdConfig::default()),
        "adagrad" => OptimizerConfig::Adagrad(AdagradConfig::default()),
        "adadelta" => OptimizerConfig::Adadelta(AdadeltaConfig::default()),
        "rmsprop" => OptimizerConfig::RmsProp(RmsPropConfig::default()),
        "adam" => OptimizerConfig::Adam(AdamConfig::default()),
        "adamw" => OptimizerConfig::AdamW(AdamConfig::adamw()),
        _ => return None,
    })
}

/// Reads (`get`) or writes (`set`) one optimizer hyperparameter by key.
/// Returns `None` when the key does not apply to this optimizer.
fn optimizer_field(config: &mut OptimizerConfig, key: &str, set: Option<f64>) -> Option<f64> {
    fn field(slot: &mut f64, set: Option<f64>) -> f64 {
        if let Some(v) = set {
            *slot = v;
        }
        *slot
    }
    fn flag(slot: &mut bool, set: Option<f64>) -> f64 {
        if let Some(v) = set {
            *slot = v != 0.0;
        }
        f64::from(u8::from(*slot))
    }
    Some(match (config, key) {
        (OptimizerConfig::Sgd(c), "mom") => field(&mut c.momentum, set),
        (OptimizerConfig::Sgd(c), "damp") => field(&mut c.dampening, set),
        (OptimizerConfig::Sgd(c), "nesterov") => flag(&mut c.nesterov, set),
        (OptimizerConfig::Sgd(c), "wd") => field(&mut c.weight_decay, set),
        (OptimizerConfig::Adagrad(c), "lrd") => field(&mut c.lr_decay, set),
        (OptimizerConfig::Adagrad(c), "acc0") => field(&mut c.initial_accumulator_value, set),
        (OptimizerConfig::Adagrad(c), "eps") => field(&mut c.eps, set),
        (OptimizerConfig::Adagrad(c), "wd") => field(&mut c.weight_decay, set),
        (OptimizerConfig::Adadelta(c), "rho") => field(&mut c.rho, set),
        (OptimizerConfig::Adadelta(c), "eps") => field(&mut c.eps, set),
        (OptimizerConfig::Adadelta(c), "wd") => field(&mut c.weight_decay, set),
        (OptimizerConfig::RmsProp(c), "alpha") => field(&mut c.alpha, set),
        (OptimizerConfig::RmsProp(c), "eps") => field(&mut c.eps, set),
        (OptimizerConfig::RmsProp(c), "mom") => field(&mut c.momentum, set),
        (OptimizerConfig::RmsProp(c), "centered") => flag(&mut c.centered, set),
        (OptimizerConfig::RmsProp(c), "wd") => field(&mut c.weight_decay, set),
        (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "b1") => field(&mut c.beta1, set),
        (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "b2") => field(&mut c.beta2, set),
        (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "eps") => field(&mut c.eps, set),
        (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "amsgrad") => flag(&mut c.amsgrad, set),
        (OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c), "wd") => field(&mut c.weight_decay, set),
        _ => return None,
    })
}

/// The shortest text that parses back to exactly `v` (`0.1`, `1e-8`, `300`).
pub fn format_num(v: f64) -> String {
    let plain = format!("{v}");
    let exp = format!("{v:e}");
    if exp.len() < plain.len() { exp } else { plain }
}

fn regression_loss_key(loss: RegressionLoss) -> &'static str {
    match loss {
        RegressionLoss::Mse => "mse",
        RegressionLoss::Mae => "mae",
        RegressionLoss::Huber { .. } => "huber",
    }
}

fn init_text(init: Init) -> String {
    match init {
        Init::Uniform { a } => format!("uniform:{}", format_num(a)),
        other => other.key().to_string(),
    }
}

/// Encodes the fields that differ from the default, in a fixed order.
pub fn to_query(spec: &ExperimentSpec) -> String {
    let d = ExperimentSpec::default();
    let mut parts = vec![format!("v={QUERY_VERSION}")];
    let mut put = |key: &str, value: String| parts.push(format!("{key}={value}"));
    if spec.seed != d.seed {
        put("seed", spec.seed.to_string());
    }
    if spec.data.kind != d.data.kind {
        put("data", spec.data.kind.key().into());
    }
    if spec.data.n_per_class != d.data.n_per_class {
        put("n", spec.data.n_per_class.to_string());
    }
    if spec.data.noise != d.data.noise {
        put("noise", format_num(spec.data.noise));
    }
    if spec.data.minority != d.data.minority {
        put("minority", format_num(spec.data.minority));
    }
    if spec.data.classes != d.data.classes {
        put("classes", spec.data.classes.to_string());
    }
    if spec.data.outliers != d.data.outliers {
        put("outliers", format_num(spec.data.outliers));
    }
    if spec.val_ratio != d.val_ratio {
        put("val", format_num(spec.val_ratio));
    }
    if spec.test_ratio != d.test_ratio {
        put("test", format_num(spec.test_ratio));
    }
    if !spec.features_2d.is_empty() {
        let f: Vec<&str> = spec.features_2d.iter().map(|f| f.key()).collect();
        put("feat", f.join("-"));
    }
    if spec.poly_degree != d.poly_degree {
        put("poly", spec.poly_degree.to_string());
    }
    if let Some(std) = spec.standardize {
        put("std", u8::from(std).to_string());
    }
    if spec.hidden != d.hidden {
        let h: Vec<String> = spec.hidden.iter().map(|u| u.to_string()).collect();
        put("hidden", if h.is_empty() { "none".into() } else { h.join("-") });
    }
    if spec.activations != d.activations {
        let a: Vec<&str> = spec.activations.iter().map(|a| a.key()).collect();
        put("act", a.join("-"));
    }
    if spec.init != d.init {
        put("init", init_text(spec.init));
    }
    if spec.dropout != d.dropout {
        put("drop", format_num(spec.dropout));
    }
    if spec.regression_loss != d.regression_loss {
        put("loss", regression_loss_key(spec.regression_loss).into());
        if let RegressionLoss::Huber { delta } = spec.regression_loss {
            if delta != 1.0 {
                put("huber", format_num(delta));
            }
        }
    }
    let opt_key = optimizer_key(&spec.optimizer);
    if opt_key != optimizer_key(&d.optimizer) {
        put("opt", opt_key.into());
    }
    let mut defaults = default_optimizer(opt_key).expect("every optimizer has a key");
    let mut ours = spec.optimizer.clone();
    for &key in optimizer_keys(&spec.optimizer) {
        let (v, dv) = (optimizer_field(&mut ours, key, None), optimizer_field(&mut defaults, key, None));
        if let (Some(v), Some(dv)) = (v, dv) {
            if v != dv {
                put(key, format_num(v));
            }
        }
    }
    let sched_key = schedule_key(&spec.schedule);
    if sched_key != "constant" {
        put("sched", sched_key.into());
    }
    let mut sched_defaults = default_schedule(sched_key).expect("every schedule has a key");
    let mut ours = spec.schedule.clone();
    for &key in schedule_keys(&spec.schedule) {
        if let (Some(v), Some(dv)) =
            (schedule_field(&mut ours, key, None), schedule_field(&mut sched_defaults, key, None))
        {
            if v != dv {
                put(key, format_num(v));
            }
        }
    }
    if let (ScheduleConfig::MultiStep { milestones, .. }, ScheduleConfig::MultiStep { milestones: dm, .. }) =
        (&spec.schedule, &sched_defaults)
    {
        if milestones != dm {
            let m: Vec<String> = milestones.iter().map(|m| m.to_string()).collect();
            put("ms", m.join("-"));
        }
    }
    if let ScheduleConfig::OneCycle { anneal: Anneal::Linear, .. } = spec.schedule {
        put("anneal", "linear".into());
    }
    if let Some(w) = &spec.warmup {
        put("wu", w.epochs.to_string());
        if w.start != 0.1 {
            put("wus", format_num(w.start));
        }
    }
    if !spec.lr_changes.is_empty() {
        let c: Vec<String> = spec.lr_changes.iter().map(|c| format!("{}:{}", c.epoch, format_num(c.lr))).collect();
        put("lrc", c.join(","));
    }
    if spec.race.surface != d.race.surface {
        put("surf", spec.race.surface.key().into());
    }
    if let Some([x, y]) = spec.race.start {
        put("x0", format_num(x));
        put("y0", format_num(y));
    }
    if spec.race.steps != d.race.steps {
        put("rsteps", spec.race.steps.to_string());
    }
    if spec.lr != d.lr {
        put("lr", format_num(spec.lr));
    }
    if spec.batch_size != d.batch_size {
        put("bs", spec.batch_size.to_string());
    }
    if spec.n_epochs != d.n_epochs {
        put("ep", spec.n_epochs.to_string());
    }
    if spec.l1 != d.l1 {
        put("l1", format_num(spec.l1));
    }
    if let Some(c) = spec.clip_norm {
        put("clip", format_num(c));
    }
    if let Some(es) = &spec.early_stopping {
        put("es", es.patience.to_string());
        if es.metric != Metric::Loss {
            put("esm", es.metric.key().into());
        }
        if es.min_delta != 0.0 {
            put("esd", format_num(es.min_delta));
        }
    }
    parts.join("&")
}

/// The largest char boundary of `s` at or below `i`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Decodes `%XX` escapes and `+` (a space); invalid escapes stay as written.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' => match (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The pairs of a query, with what was wrong with them. Bounded whatever
/// the input: at most [`MAX_PAIRS`] pairs, keys of 32 characters, values of
/// [`MAX_VALUE_LEN`] ([`MAX_SPACE_LEN`] for `space`).
pub(crate) struct Reader {
    pub(crate) pairs: Vec<(String, String)>,
    pub(crate) notices: Vec<Notice>,
}

impl Reader {
    /// Reads the pairs whose key `wanted` accepts; the others are skipped
    /// silently (another reader of the same link reports them), though they
    /// count towards [`MAX_PAIRS`].
    pub(crate) fn new(input: &str, wanted: impl Fn(&str) -> bool) -> Self {
        let query = input.find('?').map_or(input, |i| &input[i + 1..]);
        let query = query.split('#').next().unwrap_or("");
        let mut reader = Reader { pairs: Vec::new(), notices: Vec::new() };
        let mut seen = std::collections::HashSet::new();
        for (n, pair) in query.split('&').filter(|p| !p.is_empty()).enumerate() {
            if n == MAX_PAIRS {
                reader.note("…", format!("more than {MAX_PAIRS} settings; the rest were ignored"));
                break;
            }
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key: String = percent_decode(&key[..floor_char_boundary(key, 96)]).chars().take(32).collect();
            if !wanted(&key) {
                continue;
            }
            let max = max_value_len(&key);
            if value.len() > max {
                reader.note(&key, format!("value longer than {max} characters, ignored"));
                continue;
            }
            let value = percent_decode(value);
            if seen.insert(key.clone()) {
                reader.pairs.push((key, value));
            } else if let Some(slot) = reader.pairs.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = value;
                reader.note(&key, "given more than once; the last one counts".into());
            }
        }
        reader
    }

    fn note(&mut self, key: &str, message: String) {
        self.notices.push(Notice::ignored(key, message));
    }

    fn not_applying(&mut self, key: &str, message: String) {
        self.notices.push(Notice::does_not_apply(key, message));
    }

    /// Removes `key` and parses its value; a parse error becomes a notice.
    fn take<T>(&mut self, key: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let i = self.pairs.iter().position(|(k, _)| k == key)?;
        let (_, value) = self.pairs.remove(i);
        match parse(&value) {
            Ok(v) => Some(v),
            Err(message) => {
                self.note(key, message);
                None
            }
        }
    }
}

fn parse_num<T: core::str::FromStr>(s: &str) -> Result<T, String> {
    s.trim().parse::<T>().map_err(|_| format!("`{s}` is not a valid number here"))
}

/// The schedule keys that count epochs (whole numbers).
const SCHEDULE_COUNT_KEYS: [&str; 11] =
    ["start", "every", "steps", "total", "tmax", "t0", "tmult", "up", "down", "pat", "cool"];

/// A whole number of epochs, as a float for [`schedule_field`].
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

/// Most compared runs a link carries.
pub const MAX_LINK_RUNS: usize = 12;

/// Percent-encodes what would break a query value (`&`, `=`, `%`, `~`, `#`, `+`, space).
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '=' | '%' | '~' | '#' | '+' | ' ' | '?' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The whole lab as a query: the experiment, then `runs=` with each compared
/// run's own query, percent-encoded, separated by `~`.
pub fn lab_to_query(spec: &ExperimentSpec, runs: &[ExperimentSpec]) -> String {
    let mut q = to_query(spec);
    if !runs.is_empty() {
        let encoded: Vec<String> = runs.iter().take(MAX_LINK_RUNS).map(|r| percent_encode(&to_query(r))).collect();
        q.push_str("&runs=");
        q.push_str(&encoded.join("~"));
    }
    q
}

/// Decodes a lab link: the experiment and the compared runs, with notices for
/// whatever was ignored (a run's own notices are prefixed with its number).
pub fn lab_from_query(input: &str) -> (ExperimentSpec, Vec<ExperimentSpec>, Vec<Notice>) {
    let query = input.find('?').map_or(input, |i| &input[i + 1..]);
    let query = query.split('#').next().unwrap_or("");
    let (mut rest, mut runs_value) = (Vec::new(), None);
    for pair in query.split('&') {
        match pair.strip_prefix("runs=") {
            Some(v) => runs_value = Some(v),
            None => rest.push(pair),
        }
    }
    let (spec, mut notices) = from_query(&rest.join("&"));
    let mut runs = Vec::new();
    if let Some(value) = runs_value {
        for (i, encoded) in value.split('~').filter(|r| !r.is_empty()).enumerate() {
            if i == MAX_LINK_RUNS {
                notices.push(Notice::ignored("runs", format!("more than {MAX_LINK_RUNS} runs; the rest were ignored")));
                break;
            }
            let (run, run_notices) = from_query(&percent_decode(encoded));
            for n in run_notices {
                notices.push(Notice { key: format!("runs[{}].{}", i + 1, n.key), ..n });
            }
            runs.push(run);
        }
    }
    (spec, runs, notices)
}

/// Decodes a query string (with or without a leading `?`, or a whole URL).
/// Returns a valid spec and what was ignored: a value that does not parse, or
/// parses but is out of range, is reported and reset to its default.
pub fn from_query(input: &str) -> (ExperimentSpec, Vec<Notice>) {
    let mut r = Reader::new(input, |k| !SEARCH_KEYS.contains(&k));
    let mut spec = ExperimentSpec::default();
    if let Some(v) = r.take("v", parse_num::<u32>) {
        if v != QUERY_VERSION {
            r.note("v", format!("version {v} is not known; read as version {QUERY_VERSION}"));
        }
    }
    if let Some(v) = r.take("seed", parse_num) {
        spec.seed = v;
    }
    if let Some(kind) = r.take("data", |s| {
        DataKind::from_key(s).ok_or_else(|| {
            let all: Vec<&str> = DataKind::ALL.iter().map(|d| d.key()).collect();
            format!("`{s}` is not a data set; expected one of {}", all.join(", "))
        })
    }) {
        spec.data = DataSpec { kind, ..spec.data };
    }
    if let Some(v) = r.take("n", parse_num) {
        spec.data.n_per_class = v;
    }
    if let Some(v) = r.take("noise", parse_num) {
        spec.data.noise = v;
    }
    if let Some(v) = r.take("minority", parse_num) {
        spec.data.minority = v;
    }
    if let Some(v) = r.take("classes", parse_num) {
        spec.data.classes = v;
    }
    if let Some(v) = r.take("outliers", parse_num) {
        spec.data.outliers = v;
    }
    if let Some(v) = r.take("val", parse_num) {
        spec.val_ratio = v;
    }
    if let Some(v) = r.take("test", parse_num) {
        spec.test_ratio = v;
    }
    if let Some(v) = r.take("feat", parse_features) {
        spec.features_2d = v;
    }
    if let Some(v) = r.take("poly", parse_num) {
        spec.poly_degree = v;
    }
    if let Some(v) = r.take("std", parse_flag) {
        spec.standardize = Some(v != 0.0);
    }
    if let Some(v) = r.take("hidden", parse_hidden) {
        spec.hidden = v;
    }
    if let Some(v) = r.take("act", parse_activations) {
        spec.activations = v;
    }
    if let Some(v) = r.take("init", parse_init) {
        spec.init = v;
    }
    if let Some(v) = r.take("drop", parse_num) {
        spec.dropout = v;
    }
    if let Some(v) = r.take("loss", |s| match s {
        "mse" => Ok(RegressionLoss::Mse),
        "mae" => Ok(RegressionLoss::Mae),
        "huber" => Ok(RegressionLoss::Huber { delta: 1.0 }),
        _ => Err(format!("`{s}` is not a regression loss; expected mse, mae or huber")),
    }) {
        spec.regression_loss = v;
    }
    if let Some(delta) = r.take("huber", parse_num) {
        match &mut spec.regression_loss {
            RegressionLoss::Huber { delta: d } => *d = delta,
            _ => r.not_applying("huber", "applies only with loss=huber".into()),
        }
    }
    if let Some(opt) = r.take("opt", |s| {
        default_optimizer(s).ok_or_else(|| {
            format!("`{s}` is not an optimizer; expected sgd, adagrad, adadelta, rmsprop, adam or adamw")
        })
    }) {
        spec.optimizer = opt;
    }
    for key in
        ["mom", "damp", "nesterov", "wd", "lrd", "acc0", "eps", "rho", "alpha", "centered", "b1", "b2", "amsgrad"]
    {
        let is_flag = matches!(key, "nesterov" | "centered" | "amsgrad");
        let Some(v) = r.take(key, if is_flag { parse_flag } else { parse_num::<f64> }) else { continue };
        if optimizer_field(&mut spec.optimizer, key, Some(v)).is_none() {
            let name = spec.optimizer.name();
            r.not_applying(key, format!("does not apply to {name}"));
        }
    }
    if let Some(sched) = r.take("sched", |s| {
        default_schedule(s)
            .ok_or_else(|| format!("`{s}` is not a schedule; expected one of {}", SCHEDULE_KEYS.join(", ")))
    }) {
        spec.schedule = sched;
    }
    for key in [
        "decay", "start", "every", "rate", "gamma", "steps", "stair", "total", "power", "tmax", "lrmin", "t0", "tmult",
        "up", "down", "pct", "div", "fdiv", "factor", "pat", "thr", "cool",
    ] {
        let parse = match key {
            "stair" => parse_flag,
            k if SCHEDULE_COUNT_KEYS.contains(&k) => parse_count,
            _ => parse_num::<f64>,
        };
        let Some(v) = r.take(key, parse) else { continue };
        if schedule_field(&mut spec.schedule, key, Some(v)).is_none() {
            r.not_applying(key, format!("does not apply to the {} schedule", spec.schedule.label()));
        }
    }
    if let Some(ms) = r.take("ms", parse_hidden) {
        match &mut spec.schedule {
            ScheduleConfig::MultiStep { milestones, .. } => *milestones = ms,
            _ => r.not_applying("ms", "milestones apply only to sched=multistep".into()),
        }
    }
    if let Some(anneal) = r.take("anneal", |s| match s {
        "cos" => Ok(Anneal::Cos),
        "linear" => Ok(Anneal::Linear),
        _ => Err(format!("`{s}` is not cos or linear")),
    }) {
        match &mut spec.schedule {
            ScheduleConfig::OneCycle { anneal: a, .. } => *a = anneal,
            _ => r.not_applying("anneal", "applies only to sched=onecycle".into()),
        }
    }
    if let Some(epochs) = r.take("wu", parse_num) {
        spec.warmup = Some(Warmup { epochs, start: 0.1 });
    }
    if let Some(start) = r.take("wus", parse_num) {
        match &mut spec.warmup {
            Some(w) => w.start = start,
            None => r.not_applying("wus", "applies only with wu (warm-up epochs)".into()),
        }
    }
    if let Some(changes) = r.take("lrc", parse_lr_changes) {
        spec.lr_changes = changes;
    }
    if let Some(surface) = r.take("surf", |s| {
        Surface::from_key(s).ok_or_else(|| {
            format!("`{s}` is not a surface; expected bowl, ravine, rosenbrock, beale, saddle or himmelblau")
        })
    }) {
        spec.race.surface = surface;
    }
    let (x0, y0) = (r.take("x0", parse_num::<f64>), r.take("y0", parse_num::<f64>));
    match (x0, y0) {
        (Some(x), Some(y)) => spec.race.start = Some([x, y]),
        (None, None) => {}
        _ => r.note("x0", "a start point needs both x0 and y0; the surface's own start is used".into()),
    }
    if let Some(v) = r.take("rsteps", parse_num) {
        spec.race.steps = v;
    }
    if let Some(v) = r.take("lr", parse_num) {
        spec.lr = v;
    }
    if let Some(v) = r.take("bs", parse_num) {
        spec.batch_size = v;
    }
    if let Some(v) = r.take("ep", parse_num) {
        spec.n_epochs = v;
    }
    if let Some(v) = r.take("l1", parse_num) {
        spec.l1 = v;
    }
    if let Some(v) = r.take("clip", parse_num) {
        spec.clip_norm = Some(v);
    }
    if let Some(patience) = r.take("es", parse_num) {
        spec.early_stopping = Some(EarlyStopping { metric: Metric::Loss, patience, min_delta: 0.0 });
    }
    if let Some(metric) = r.take("esm", |s| Metric::from_key(s).ok_or_else(|| format!("`{s}` is not a metric"))) {
        match &mut spec.early_stopping {
            Some(es) => es.metric = metric,
            None => r.not_applying("esm", "applies only with es (early-stopping patience)".into()),
        }
    }
    if let Some(delta) = r.take("esd", parse_num) {
        match &mut spec.early_stopping {
            Some(es) => es.min_delta = delta,
            None => r.not_applying("esd", "applies only with es (early-stopping patience)".into()),
        }
    }
    // A search's keys belong to it (`search::search_from_query`): the reader skipped them.
    let unknown: Vec<String> = r.pairs.drain(..).map(|(k, _)| k).collect();
    for key in unknown {
        r.note(&key, "unknown setting, ignored".into());
    }
    let mut notices = r.notices;
    reset_invalid_fields(&mut spec, &mut notices);
    (spec, notices)
}

/// Resets out-of-range fields to their defaults, one at a time, each named
/// once; everything else in the link is kept. A default that does not fit
/// the rest of the spec is fitted to it instead (a batch size larger than a
/// small training set becomes the whole training set).
fn reset_invalid_fields(spec: &mut ExperimentSpec, notices: &mut Vec<Notice>) {
    let d = ExperimentSpec::default();
    let mut reset: Vec<&'static str> = Vec::new();
    // Each field is reset at most twice (to its default, then fitted), so
    // this ends long before the bound.
    for _ in 0..4 * KEYS.len() {
        let Err(err) = spec.validate() else { return };
        let again = reset.contains(&err.field);
        let used = reset_field(spec, &d, err.field, again);
        if !again {
            reset.push(err.field);
            notices.push(Notice {
                key: err.field.to_string(),
                message: err.message,
                kind: NoticeKind::Replaced { used },
            });
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
    *spec = d;
}

/// Resets `field` of `spec` (to the default, or with `fit`, to the value
/// nearest it that fits the rest); returns what is used, for the notice.
fn reset_field(spec: &mut ExperimentSpec, d: &ExperimentSpec, field: &str, fit: bool) -> String {
    let default = "using the default".to_string();
    match field {
        "n" => spec.data.n_per_class = d.data.n_per_class,
        "noise" => spec.data.noise = d.data.noise,
        "val" => spec.val_ratio = d.val_ratio,
        "minority" => spec.data.minority = d.data.minority,
        "classes" => spec.data.classes = d.data.classes,
        "outliers" => spec.data.outliers = d.data.outliers,
        "feat" => spec.features_2d.clear(),
        "poly" => spec.poly_degree = d.poly_degree,
        "data" => spec.data = d.data.clone(),
        "test" => spec.test_ratio = d.test_ratio,
        "hidden" => spec.hidden = d.hidden.clone(),
        "act" => spec.activations = if fit { vec![spec.activation(0)] } else { d.activations.clone() },
        "init" => spec.init = d.init,
        "drop" => spec.dropout = d.dropout,
        "huber" => spec.regression_loss = RegressionLoss::Huber { delta: 1.0 },
        "lr" => spec.lr = d.lr,
        "bs" => {
            let n_train = spec.n_train().max(1);
            spec.batch_size = d.batch_size.min(n_train);
            if spec.batch_size != d.batch_size {
                return format!("using {n_train}, the whole training set");
            }
        }
        "ep" => spec.n_epochs = d.n_epochs,
        "l1" => spec.l1 = d.l1,
        "clip" => spec.clip_norm = None,
        "es" | "esm" | "esd" => {
            spec.early_stopping = None;
            return "early stopping is off".into();
        }
        "wu" | "wus" => {
            spec.warmup = None;
            return "no warm-up".into();
        }
        "rsteps" => spec.race.steps = d.race.steps,
        "x0" | "y0" => {
            spec.race.start = None;
            return "the surface's own start is used".into();
        }
        "lrc" => {
            spec.lr_changes.clear();
            return "no hand-set rates".into();
        }
        "ms" | "anneal" => {
            spec.schedule = default_schedule(schedule_key(&spec.schedule)).expect("known schedule");
            return "the schedule's defaults are used".into();
        }
        key if schedule_keys(&spec.schedule).contains(&key) && !fit => {
            let mut defaults = default_schedule(schedule_key(&spec.schedule)).expect("known schedule");
            let v = schedule_field(&mut defaults, key, None);
            schedule_field(&mut spec.schedule, key, v);
        }
        key if schedule_keys(&spec.schedule).contains(&key) => {
            spec.schedule = default_schedule(schedule_key(&spec.schedule)).expect("known schedule");
            return "the schedule's defaults are used".into();
        }
        key => {
            // An optimizer hyperparameter: back to that optimizer's default.
            let mut defaults = default_optimizer(optimizer_key(&spec.optimizer)).expect("known optimizer");
            match optimizer_field(&mut defaults, key, None) {
                Some(v) if !fit => {
                    optimizer_field(&mut spec.optimizer, key, Some(v));
                }
                _ => {
                    spec.optimizer = defaults;
                    return format!("{}'s defaults are used", spec.optimizer.name());
                }
            }
        }
    }
    default
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schedule_key_names_a_schedule_and_back() {
        for key in SCHEDULE_KEYS {
            assert_eq!(schedule_key(&default_schedule(key).unwrap()), key);
        }
    }

    #[test]
    fn default_encodes_to_version_only() {
        assert_eq!(to_query(&ExperimentSpec::default()), "v=1");
    }

    #[test]
    fn numbers_are_short_and_exact() {
        for (v, text) in [(0.1, "0.1"), (1e-8, "1e-8"), (300.0, "300"), (0.0003, "3e-4"), (0.999, "0.999")] {
            assert_eq!(format_num(v), text);
            assert_eq!(text.parse::<f64>().unwrap(), v);
        }
    }

    #[test]
    fn optimizer_keys_are_relative_to_that_optimizers_defaults() {
        let spec = ExperimentSpec { optimizer: OptimizerConfig::AdamW(AdamConfig::adamw()), ..Default::default() };
        assert_eq!(to_query(&spec), "v=1&opt=adamw");
        let (back, notices) = from_query("opt=adam&b2=0.99&mom=0.9");
        assert_eq!(back.optimizer, OptimizerConfig::Adam(AdamConfig { beta2: 0.99, ..Default::default() }));
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].key, "mom");
        assert!(notices[0].message.contains("Adam"));
    }

    #[test]
    fn hostile_queries_give_a_valid_spec_and_notices() {
        let long = "9".repeat(100_000);
        let many = "x=1&".repeat(1000);
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
            &many,
            "n=1",
            "opt=lbfgs",
            "opt=sgd&nesterov=1",
            "drop=1",
            "init=uniform:-3",
            "%zz=%",
            "es=0",
            "esm=r2&es=3",
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
        for q in ["", "?", "&&", "lr", "lr=", "v=1&lr=0.", "=5", "opt=", "act=tanh-"] {
            let (spec, _) = from_query(q);
            spec.validate().unwrap();
        }
    }

    #[test]
    fn percent_escapes_are_decoded() {
        let (spec, notices) = from_query("hidden=4%2C4&act=relu%2Ctanh");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(spec.hidden, [4, 4]);
        assert_eq!(spec.activations, [Activation::Relu, Activation::Tanh]);
    }

    #[test]
    fn lab_links_carry_the_compared_runs() {
        let spec = ExperimentSpec { lr: 0.3, ..ExperimentSpec::default() };
        let runs = vec![
            ExperimentSpec { lr: 0.03, ..ExperimentSpec::default() },
            ExperimentSpec {
                optimizer: OptimizerConfig::Adam(AdamConfig::default()),
                lr_changes: vec![LrChange { epoch: 5, lr: 1e-3 }],
                ..ExperimentSpec::default()
            },
        ];
        let q = lab_to_query(&spec, &runs);
        assert!(q.starts_with("v=1&lr=0.3&runs=v%3D1%26lr%3D0.03~"), "{q}");
        let (back, back_runs, notices) = lab_from_query(&format!("https://x/?{q}"));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, spec);
        assert_eq!(back_runs, runs);
        // A damaged run is reported under its number, and the others still open.
        let (_, runs, notices) = lab_from_query("v=1&runs=lr%3Dabc~lr%3D0.5");
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[1].lr, 0.5);
        assert_eq!(notices[0].key, "runs[1].lr");
        assert_eq!(lab_from_query("v=1").1, vec![]);
    }
}
