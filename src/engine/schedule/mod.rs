//! Learning-rate schedules: the lr used in each epoch.
//!
//! Indexing follows the reference data (`tests/reference/schedules.json`):
//! `e` is the 0-based epoch, and the value is the learning rate used *during*
//! epoch `e` (PyTorch steps its scheduler once after each epoch). `base` is the
//! experiment's learning rate. Each schedule's doc comment gives its formula;
//! the page shows the same text.

use serde::{Deserialize, Serialize};

use crate::engine::field::Field;

/// How the learning rate changes over the epochs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleConfig {
    /// `lr_e = base`.
    Constant,
    /// The course's time-based decay, recursive: `lr_0 = base`,
    /// `lr_e = lr_{e−1} / (1 + e·decay)`. (The course's example lists 0.000102
    /// as the last of 21 epochs; that is the value at epoch 7 — this is the
    /// true sequence.)
    TimeBased { decay: f64 },
    /// The course's step decay: `lr_e = base · rate^⌊max(0, e + 1 − start) / every⌋`.
    /// With `start = 1` this is PyTorch's `StepLR(step_size=every, gamma=rate)`.
    Step { start: usize, every: usize, rate: f64 },
    /// PyTorch's `MultiStepLR`: multiply by `gamma` at each milestone epoch.
    MultiStep { milestones: Vec<usize>, gamma: f64 },
    /// The course's exponential decay *as written*, recursive:
    /// `lr_e = lr_{e−1} · exp(−(e + 1)·decay)` for `e ≥ 1` — the exponent grows
    /// with `e`, so it collapses like a Gaussian, far faster than the usual form.
    ExponentialCourse { decay: f64 },
    /// The usual exponential decay `lr_e = base · exp(−decay·e)`, which is
    /// PyTorch's `ExponentialLR` with `gamma = exp(−decay)`.
    Exponential { decay: f64 },
    /// Keras' `InverseTimeDecay`: `base / (1 + rate · e / steps)`
    /// (with `staircase`, `⌊e / steps⌋`).
    InverseTime { rate: f64, steps: usize, staircase: bool },
    /// PyTorch's `PolynomialLR`: `base · (1 − min(e, total)/total)^power`.
    Polynomial { total: usize, power: f64 },
    /// PyTorch's `CosineAnnealingLR`: `min + (base − min)(1 + cos(π e / t_max))/2`,
    /// continuing past `t_max` (it rises again, period `2·t_max`).
    Cosine { t_max: usize, min_lr: f64 },
    /// PyTorch's `CosineAnnealingWarmRestarts`: cosine cycles of length `t0`,
    /// `t0·t_mult`, `t0·t_mult²`, …, each restarting at `base`.
    WarmRestarts { t0: usize, t_mult: usize, min_lr: f64 },
    /// Smith's cyclic learning rate (PyTorch's `CyclicLR`, stepped once per
    /// epoch): a triangle between `min_lr` and `base`, `up` epochs rising and
    /// `down` falling.
    Cyclic { min_lr: f64, up: usize, down: usize, mode: CyclicMode },
    /// PyTorch's `OneCycleLR` (two phases) over `total` epochs: from
    /// `base/div` up to `base` in the first `pct` of the run, then down to
    /// `base/(div·final_div)`.
    OneCycle { total: usize, pct: f64, div: f64, final_div: f64, anneal: Anneal },
    /// PyTorch's `ReduceLROnPlateau` (mode min, relative threshold): multiply
    /// by `factor` after more than `patience` epochs without the validation
    /// loss improving by a relative `threshold`; then wait `cooldown` epochs.
    Plateau { factor: f64, patience: usize, threshold: f64, cooldown: usize, min_lr: f64 },
}

/// The amplitude policy of a cyclic schedule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CyclicMode {
    /// Full amplitude every cycle.
    Triangular,
    /// The amplitude halves every cycle.
    Triangular2,
    /// The amplitude is scaled by `gamma^e`.
    ExpRange { gamma: f64 },
}

/// How OneCycle moves between its end points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anneal {
    Cos,
    Linear,
}

/// A linear warm-up in front of any schedule (PyTorch's `LinearLR` followed
/// by the schedule, as `SequentialLR` does): for `e < epochs`,
/// `base · (start + (1 − start)·e/epochs)`; afterwards the schedule, counting
/// its epochs from the end of the warm-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Warmup {
    pub epochs: usize,
    pub start: f64,
}

impl ScheduleConfig {
    /// The names of the schedules, in the order the lab teaches them: the
    /// course's three, the cyclic ones, then the rest of PyTorch's and
    /// Keras'. (The cyclic modes have their own names.)
    pub const KEYS: [&'static str; 15] = [
        "constant",
        "time",
        "step",
        "exp_course",
        "exp",
        "cyclic",
        "cyclic2",
        "cyclic_exp",
        "multistep",
        "inverse_time",
        "poly",
        "cosine",
        "restarts",
        "onecycle",
        "plateau",
    ];

    /// The short name (`cosine`, `cyclic2`): the inverse of [`ScheduleConfig::from_key`].
    pub fn key(&self) -> &'static str {
        match self {
            ScheduleConfig::Constant => "constant",
            ScheduleConfig::TimeBased { .. } => "time",
            ScheduleConfig::Step { .. } => "step",
            ScheduleConfig::MultiStep { .. } => "multistep",
            ScheduleConfig::ExponentialCourse { .. } => "exp_course",
            ScheduleConfig::Exponential { .. } => "exp",
            ScheduleConfig::InverseTime { .. } => "inverse_time",
            ScheduleConfig::Polynomial { .. } => "poly",
            ScheduleConfig::Cosine { .. } => "cosine",
            ScheduleConfig::WarmRestarts { .. } => "restarts",
            ScheduleConfig::Cyclic { mode: CyclicMode::Triangular, .. } => "cyclic",
            ScheduleConfig::Cyclic { mode: CyclicMode::Triangular2, .. } => "cyclic2",
            ScheduleConfig::Cyclic { mode: CyclicMode::ExpRange { .. }, .. } => "cyclic_exp",
            ScheduleConfig::OneCycle { .. } => "onecycle",
            ScheduleConfig::Plateau { .. } => "plateau",
        }
    }

    /// The schedule named `key`, with the lab's defaults: the course's
    /// example values for its three formulas, PyTorch's elsewhere.
    pub fn from_key(key: &str) -> Option<ScheduleConfig> {
        let cyclic = |mode| ScheduleConfig::Cyclic { min_lr: 0.001, up: 20, down: 20, mode };
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
            "cyclic" => cyclic(CyclicMode::Triangular),
            "cyclic2" => cyclic(CyclicMode::Triangular2),
            "cyclic_exp" => cyclic(CyclicMode::ExpRange { gamma: 0.99 }),
            "onecycle" => {
                ScheduleConfig::OneCycle { total: 500, pct: 0.3, div: 25.0, final_div: 1e4, anneal: Anneal::Cos }
            }
            "plateau" => {
                ScheduleConfig::Plateau { factor: 0.5, patience: 10, threshold: 1e-4, cooldown: 0, min_lr: 0.0 }
            }
            _ => return None,
        })
    }

    /// The numeric parameter of this schedule named `name` (its field's
    /// name: `t_max`, `min_lr`, `staircase`; the exp_range mode's `gamma`);
    /// `None` if it has none such.
    pub fn field(&mut self, name: &str) -> Option<Field<'_>> {
        use Field::{Count, Flag, Real};
        use ScheduleConfig as S;
        Some(match (self, name) {
            (S::TimeBased { decay } | S::ExponentialCourse { decay } | S::Exponential { decay }, "decay") => {
                Real(decay)
            }
            (S::Step { start, .. }, "start") => Count(start),
            (S::Step { every, .. }, "every") => Count(every),
            (S::Step { rate, .. } | S::InverseTime { rate, .. }, "rate") => Real(rate),
            (S::MultiStep { gamma, .. }, "gamma") => Real(gamma),
            (S::Cyclic { mode: CyclicMode::ExpRange { gamma }, .. }, "gamma") => Real(gamma),
            (S::InverseTime { steps, .. }, "steps") => Count(steps),
            (S::InverseTime { staircase, .. }, "staircase") => Flag(staircase),
            (S::Polynomial { total, .. } | S::OneCycle { total, .. }, "total") => Count(total),
            (S::Polynomial { power, .. }, "power") => Real(power),
            (S::Cosine { t_max, .. }, "t_max") => Count(t_max),
            (
                S::Cosine { min_lr, .. }
                | S::WarmRestarts { min_lr, .. }
                | S::Cyclic { min_lr, .. }
                | S::Plateau { min_lr, .. },
                "min_lr",
            ) => Real(min_lr),
            (S::WarmRestarts { t0, .. }, "t0") => Count(t0),
            (S::WarmRestarts { t_mult, .. }, "t_mult") => Count(t_mult),
            (S::Cyclic { up, .. }, "up") => Count(up),
            (S::Cyclic { down, .. }, "down") => Count(down),
            (S::OneCycle { pct, .. }, "pct") => Real(pct),
            (S::OneCycle { div, .. }, "div") => Real(div),
            (S::OneCycle { final_div, .. }, "final_div") => Real(final_div),
            (S::Plateau { factor, .. }, "factor") => Real(factor),
            (S::Plateau { patience, .. }, "patience") => Count(patience),
            (S::Plateau { threshold, .. }, "threshold") => Real(threshold),
            (S::Plateau { cooldown, .. }, "cooldown") => Count(cooldown),
            _ => return None,
        })
    }

    /// Stretches the schedule's horizon — cosine's `t_max`, polynomial's and
    /// one-cycle's `total` — over a run of `n_epochs`, as a freshly chosen
    /// schedule should be.
    pub fn span(&mut self, n_epochs: usize) {
        for horizon in ["t_max", "total"] {
            if let Some(field) = self.field(horizon) {
                field.set(n_epochs as f64);
            }
        }
    }

    /// A name for people.
    pub fn label(&self) -> &'static str {
        match self {
            ScheduleConfig::Constant => "constant",
            ScheduleConfig::TimeBased { .. } => "time-based decay",
            ScheduleConfig::Step { .. } => "step decay",
            ScheduleConfig::MultiStep { .. } => "multi-step",
            ScheduleConfig::ExponentialCourse { .. } => "exponential decay (course formula)",
            ScheduleConfig::Exponential { .. } => "exponential decay (usual form)",
            ScheduleConfig::InverseTime { .. } => "inverse time decay",
            ScheduleConfig::Polynomial { .. } => "polynomial decay",
            ScheduleConfig::Cosine { .. } => "cosine annealing",
            ScheduleConfig::WarmRestarts { .. } => "cosine with warm restarts",
            ScheduleConfig::Cyclic { mode: CyclicMode::Triangular, .. } => "cyclic (triangular)",
            ScheduleConfig::Cyclic { mode: CyclicMode::Triangular2, .. } => "cyclic (triangular2)",
            ScheduleConfig::Cyclic { mode: CyclicMode::ExpRange { .. }, .. } => "cyclic (exp_range)",
            ScheduleConfig::OneCycle { .. } => "one-cycle",
            ScheduleConfig::Plateau { .. } => "reduce on plateau",
        }
    }

    /// The formula, as the page shows it next to the controls.
    pub fn formula(&self) -> &'static str {
        match self {
            ScheduleConfig::Constant => "lr = lr₀",
            ScheduleConfig::TimeBased { .. } => "lr_e = lr_{e−1} / (1 + e · decay)",
            ScheduleConfig::Step { .. } => "lr_e = lr₀ · rate^⌊(e + 1 − start) / every⌋",
            ScheduleConfig::MultiStep { .. } => "lr_e = lr₀ · γ^(milestones passed)",
            ScheduleConfig::ExponentialCourse { .. } => "lr_e = lr_{e−1} · exp(−(e + 1) · decay)",
            ScheduleConfig::Exponential { .. } => "lr_e = lr₀ · exp(−decay · e)",
            ScheduleConfig::InverseTime { .. } => "lr_e = lr₀ / (1 + rate · e / steps)",
            ScheduleConfig::Polynomial { .. } => "lr_e = lr₀ · (1 − min(e, T)/T)^power",
            ScheduleConfig::Cosine { .. } => "lr_e = min + (lr₀ − min)(1 + cos(π e / T))/2",
            ScheduleConfig::WarmRestarts { .. } => "cosine from lr₀ to min over T₀, T₀·mult, …, restarting at lr₀",
            ScheduleConfig::Cyclic { .. } => "a triangle between min and lr₀: up epochs rising, down falling",
            ScheduleConfig::OneCycle { .. } => "lr₀/div → lr₀ over pct of the run, then → lr₀/(div · final_div)",
            ScheduleConfig::Plateau { .. } => "lr ← lr · factor after patience epochs without a lower validation loss",
        }
    }

    /// The lowest rate the schedule goes to, for those that have one (`lrmin`).
    pub fn min_lr(&self) -> Option<f64> {
        match self {
            ScheduleConfig::Cosine { min_lr, .. }
            | ScheduleConfig::WarmRestarts { min_lr, .. }
            | ScheduleConfig::Cyclic { min_lr, .. }
            | ScheduleConfig::Plateau { min_lr, .. } => Some(*min_lr),
            _ => None,
        }
    }

    /// Whether the schedule depends on the validation loss (so it has no
    /// preview before training).
    pub fn needs_val_loss(&self) -> bool {
        matches!(self, ScheduleConfig::Plateau { .. })
    }

    /// Checks the parameters; the error names the offending one as
    /// [`ScheduleConfig::field`] does (`milestones` for the milestones).
    /// Every count is at most [`MAX_COUNT`].
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let pos = |k: &'static str, v: f64| {
            if v.is_finite() && v > 0.0 && v <= MAX_FACTOR {
                Ok(())
            } else {
                Err((k, format!("must be in (0, {MAX_FACTOR:e}], got {v}")))
            }
        };
        let nonneg = |k: &'static str, v: f64| {
            if (0.0..=MAX_FACTOR).contains(&v) {
                Ok(())
            } else {
                Err((k, format!("must be in [0, {MAX_FACTOR:e}], got {v}")))
            }
        };
        let factor = |k: &'static str, v: f64| {
            if v.is_finite() && v > 0.0 && v <= 1.0 { Ok(()) } else { Err((k, format!("must be in (0, 1], got {v}"))) }
        };
        let count = |k: &'static str, v: usize| {
            if (1..=MAX_COUNT).contains(&v) {
                Ok(())
            } else {
                Err((k, format!("must be a whole number in 1..={MAX_COUNT}, got {v}")))
            }
        };
        let at_most = |k: &'static str, v: usize| {
            if v <= MAX_COUNT { Ok(()) } else { Err((k, format!("must be at most {MAX_COUNT}, got {v}"))) }
        };
        match self {
            ScheduleConfig::Constant => Ok(()),
            ScheduleConfig::TimeBased { decay } | ScheduleConfig::ExponentialCourse { decay } => {
                nonneg("decay", *decay)
            }
            ScheduleConfig::Exponential { decay } => nonneg("decay", *decay),
            ScheduleConfig::Step { start, every, rate } => {
                at_most("start", *start).and(count("every", *every)).and(factor("rate", *rate))
            }
            ScheduleConfig::MultiStep { milestones, gamma } => {
                if milestones.windows(2).any(|w| w[0] >= w[1]) {
                    return Err(("milestones", "milestones must increase".into()));
                }
                if milestones.len() > MAX_MILESTONES || milestones.iter().any(|&m| m > MAX_COUNT) {
                    return Err((
                        "milestones",
                        format!("at most {MAX_MILESTONES} milestones, each at most {MAX_COUNT}"),
                    ));
                }
                factor("gamma", *gamma)
            }
            ScheduleConfig::InverseTime { rate, steps, .. } => nonneg("rate", *rate).and(count("steps", *steps)),
            ScheduleConfig::Polynomial { total, power } => count("total", *total).and(pos("power", *power)),
            ScheduleConfig::Cosine { t_max, min_lr } => count("t_max", *t_max).and(nonneg("min_lr", *min_lr)),
            ScheduleConfig::WarmRestarts { t0, t_mult, min_lr } => {
                count("t0", *t0).and(count("t_mult", *t_mult)).and(nonneg("min_lr", *min_lr))
            }
            ScheduleConfig::Cyclic { min_lr, up, down, mode } => {
                nonneg("min_lr", *min_lr).and(count("up", *up)).and(count("down", *down))?;
                match mode {
                    CyclicMode::ExpRange { gamma } => factor("gamma", *gamma),
                    _ => Ok(()),
                }
            }
            ScheduleConfig::OneCycle { total, pct, div, final_div, .. } => {
                count("total", *total)?;
                if !(pct.is_finite() && *pct > 0.0 && *pct < 1.0) {
                    return Err(("pct", format!("must be in (0, 1), got {pct}")));
                }
                pos("div", *div).and(pos("final_div", *final_div))
            }
            ScheduleConfig::Plateau { factor: f, patience, threshold, cooldown, min_lr } => {
                if !(f.is_finite() && *f > 0.0 && *f < 1.0) {
                    return Err(("factor", format!("must be in (0, 1), got {f}")));
                }
                at_most("patience", *patience)
                    .and(nonneg("threshold", *threshold))
                    .and(at_most("cooldown", *cooldown))
                    .and(nonneg("min_lr", *min_lr))
            }
        }
    }
}

/// Largest count a schedule takes (epochs, periods, cycle lengths and
/// growth): ten times the longest run, so every count's arithmetic stays far
/// inside 32 bits.
pub const MAX_COUNT: usize = 1_000_000;
/// Most milestones of a multi-step schedule.
pub const MAX_MILESTONES: usize = 64;
/// Largest real parameter (decay, divisors, power, lowest rate).
pub const MAX_FACTOR: f64 = 1e12;

/// Computes the learning rate epoch by epoch (some schedules are recursive,
/// and the plateau schedule reacts to the validation loss).
#[derive(Clone, Debug)]
pub struct Scheduler {
    config: ScheduleConfig,
    warmup: Option<Warmup>,
    base: f64,
    /// The lr of the previous epoch of the main schedule (recursive forms, plateau).
    last: Option<f64>,
    best: f64,
    bad_epochs: usize,
    cooldown_left: usize,
}

impl Scheduler {
    pub fn new(config: ScheduleConfig, warmup: Option<Warmup>, base: f64) -> Self {
        Self { config, warmup, base, last: None, best: f64::INFINITY, bad_epochs: 0, cooldown_left: 0 }
    }

    /// The lr for 0-based epoch `e`, given the previous epoch's validation
    /// loss (used by the plateau schedule only). Call once per epoch, in order.
    pub fn lr(&mut self, e: usize, prev_val_loss: Option<f64>) -> f64 {
        if let Some(w) = &self.warmup {
            if e < w.epochs {
                return self.base * (w.start + (1.0 - w.start) * e as f64 / w.epochs as f64);
            }
        }
        let e = e - self.warmup.as_ref().map_or(0, |w| w.epochs);
        let lr = self.main(e, prev_val_loss);
        self.last = Some(lr);
        lr
    }

    fn main(&mut self, e: usize, prev_val_loss: Option<f64>) -> f64 {
        use core::f64::consts::PI;
        let base = self.base;
        let ef = e as f64;
        match &self.config {
            ScheduleConfig::Constant => base,
            ScheduleConfig::TimeBased { decay } => match self.last {
                Some(prev) if e > 0 => prev / (1.0 + ef * decay),
                _ => base,
            },
            ScheduleConfig::Step { start, every, rate } => {
                let steps = (e + 1).saturating_sub(*start) / every;
                base * libm::pow(*rate, steps as f64)
            }
            ScheduleConfig::MultiStep { milestones, gamma } => {
                base * libm::pow(*gamma, milestones.iter().filter(|&&m| m <= e).count() as f64)
            }
            ScheduleConfig::ExponentialCourse { decay } => match self.last {
                Some(prev) if e > 0 => prev * libm::exp(-(ef + 1.0) * decay),
                _ => base,
            },
            ScheduleConfig::Exponential { decay } => base * libm::exp(-decay * ef),
            ScheduleConfig::InverseTime { rate, steps, staircase } => {
                let t = if *staircase { (e / steps) as f64 } else { ef / *steps as f64 };
                base / (1.0 + rate * t)
            }
            ScheduleConfig::Polynomial { total, power } => {
                base * libm::pow(1.0 - (e.min(*total) as f64) / *total as f64, *power)
            }
            ScheduleConfig::Cosine { t_max, min_lr } => {
                min_lr + (base - min_lr) * (1.0 + libm::cos(PI * ef / *t_max as f64)) / 2.0
            }
            ScheduleConfig::WarmRestarts { t0, t_mult, min_lr } => {
                let (since, len) = restart_cycle(e as u64, *t0 as u64, *t_mult as u64);
                min_lr + (base - min_lr) * (1.0 + libm::cos(PI * since as f64 / len as f64)) / 2.0
            }
            ScheduleConfig::Cyclic { min_lr, up, down, mode } => {
                let total = *up as f64 + *down as f64;
                let ratio = *up as f64 / total;
                let cycle = libm::floor(1.0 + ef / total);
                let x = 1.0 + ef / total - cycle;
                let scale = if x <= ratio { x / ratio } else { (x - 1.0) / (ratio - 1.0) };
                let amplitude = match mode {
                    CyclicMode::Triangular => 1.0,
                    CyclicMode::Triangular2 => 1.0 / libm::pow(2.0, cycle - 1.0),
                    CyclicMode::ExpRange { gamma } => libm::pow(*gamma, ef),
                };
                min_lr + (base - min_lr) * scale * amplitude
            }
            ScheduleConfig::OneCycle { total, pct, div, final_div, anneal } => {
                let initial = base / div;
                let final_lr = initial / final_div;
                let peak_step = pct * *total as f64 - 1.0;
                let last_step = total.saturating_sub(1) as f64;
                // A phase of no length is passed at once (PyTorch divides 0 by 0
                // there); after `total` epochs the final rate holds.
                let share = |done: f64, length: f64| if length > 0.0 { (done / length).clamp(0.0, 1.0) } else { 1.0 };
                let (from, to, t) = if ef <= peak_step {
                    (initial, base, share(ef, peak_step))
                } else {
                    (base, final_lr, share(ef - peak_step, last_step - peak_step))
                };
                match anneal {
                    Anneal::Cos => to + (from - to) / 2.0 * (1.0 + libm::cos(PI * t)),
                    Anneal::Linear => (to - from) * t + from,
                }
            }
            ScheduleConfig::Plateau { factor, patience, threshold, cooldown, min_lr } => {
                let mut lr = self.last.unwrap_or(base);
                if let (Some(v), true) = (prev_val_loss, e > 0) {
                    if v < self.best * (1.0 - threshold) {
                        self.best = v;
                        self.bad_epochs = 0;
                    } else {
                        self.bad_epochs += 1;
                    }
                    if self.cooldown_left > 0 {
                        self.cooldown_left -= 1;
                        self.bad_epochs = 0;
                    }
                    if self.bad_epochs > *patience {
                        let reduced = (lr * factor).max(*min_lr);
                        if lr - reduced > 1e-8 {
                            lr = reduced;
                        }
                        self.cooldown_left = *cooldown;
                        self.bad_epochs = 0;
                    }
                }
                lr
            }
        }
    }
}

/// Where epoch `e` falls among warm restarts' cycles of `t0`, `t0·t_mult`,
/// `t0·t_mult²`, …: epochs since its cycle began, and that cycle's length.
/// In `u64` with saturation, so a huge cycle is the same number on 32-bit
/// wasm as natively (it cannot wrap to zero), and in at most 64 steps (a
/// cycle that never grows is found by division).
fn restart_cycle(e: u64, t0: u64, t_mult: u64) -> (u64, u64) {
    let t0 = t0.max(1);
    if t_mult <= 1 {
        return (e % t0, t0);
    }
    let (mut start, mut len) = (0u64, t0);
    while e - start >= len {
        start += len;
        len = len.saturating_mul(t_mult);
    }
    (e - start, len)
}

/// The learning rates of `n_epochs` epochs (a preview; the plateau schedule,
/// which needs the validation loss, previews as constant).
pub fn preview(config: &ScheduleConfig, warmup: Option<&Warmup>, base: f64, n_epochs: usize) -> Vec<f64> {
    let mut s = Scheduler::new(config.clone(), warmup.cloned(), base);
    (0..n_epochs).map(|e| s.lr(e, None)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_examples() {
        // Time-based: 0.001 → 0.000909 → 0.000758 …
        let t = preview(&ScheduleConfig::TimeBased { decay: 0.1 }, None, 0.001, 21);
        assert!((t[1] - 0.000_909_09).abs() < 1e-8 && (t[2] - 0.000_757_58).abs() < 1e-8);
        assert!((t[7] - 0.000_102).abs() < 5e-7, "the course's 0.000102 is epoch 7: {}", t[7]);
        // Step: every 20 epochs × 0.5; a 100-epoch run ends on 3.125e-5.
        let s = preview(&ScheduleConfig::Step { start: 0, every: 20, rate: 0.5 }, None, 0.001, 100);
        assert_eq!((s[18], s[19], s[99]), (0.001, 0.0005, 3.125e-5));
        // A negative exponent (e + 1 < start) is clamped, not a doubling.
        let late = preview(&ScheduleConfig::Step { start: 10, every: 5, rate: 0.5 }, None, 0.001, 12);
        assert_eq!(late[0], 0.001);
    }

    #[test]
    fn warmup_then_schedule() {
        let w = Warmup { epochs: 4, start: 0.25 };
        let lrs = preview(&ScheduleConfig::Step { start: 1, every: 2, rate: 0.5 }, Some(&w), 1.0, 8);
        assert_eq!(lrs, [0.25, 0.4375, 0.625, 0.8125, 1.0, 1.0, 0.5, 0.5]);
    }
}
