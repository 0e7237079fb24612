//! The codecs of the keys whose value is a field of the spec itself (see
//! [`super::Codec`]), and the parsers of the link's value formats.

use super::{Codec, QUERY_VERSION, Refusal, format_num};
use crate::engine::data::Feature2d;
use crate::engine::data::generators::Curve;
use crate::engine::model::{Activation, Init, RegressionLoss};
use crate::engine::optim::OptimizerConfig;
use crate::engine::schedule::{Anneal, ScheduleConfig, Warmup};
use crate::engine::surface::Surface;
use crate::engine::train::{EarlyStopping, LrChange, Metric};
use crate::experiment::{DataKind, DataSpec, ExperimentSpec};

/// A number a key holds: how a link writes it.
pub(super) trait Number: Copy + PartialEq + core::str::FromStr {
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
/// default, read as a number, reset to the default. For the table.
macro_rules! number {
    ($($field:ident).+) => {
        super::Slot::Spec(super::Codec {
            encode: |s, d| (s.$($field).+ != d.$($field).+).then(|| super::codecs::Number::text(s.$($field).+)),
            decode: |s, v| {
                s.$($field).+ = super::codecs::parse_num(v)?;
                Ok(())
            },
            reset: |s, d, _| {
                s.$($field).+ = d.$($field).+;
                None
            },
        })
    };
}
pub(super) use number;

pub(super) fn parse_num<T: core::str::FromStr>(s: &str) -> Result<T, String> {
    s.trim().parse::<T>().map_err(|_| format!("`{s}` is not a valid number here"))
}

/// A whole number of epochs, as a float for [`crate::engine::field::Field::set`].
pub(super) fn parse_count(s: &str) -> Result<f64, String> {
    let v: f64 = parse_num(s)?;
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 {
        Ok(v)
    } else {
        Err(format!("`{s}` is not a whole number of epochs"))
    }
}

pub(super) fn parse_flag(s: &str) -> Result<f64, String> {
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

/// The early-stopping settings, which `esm` and `esd` refine: they apply only with `es`.
fn early_stopping(spec: &mut ExperimentSpec) -> Result<&mut EarlyStopping, Refusal> {
    spec.early_stopping
        .as_mut()
        .ok_or_else(|| Refusal::DoesNotApply("applies only with es (early-stopping patience)".into()))
}

pub(super) const V: Codec = Codec {
    encode: |_, _| Some(QUERY_VERSION.to_string()),
    decode: |_, v| match parse_num::<u32>(v)? {
        QUERY_VERSION => Ok(()),
        other => Err(Refusal::Invalid(format!("version {other} is not known; read as version {QUERY_VERSION}"))),
    },
    reset: |_, _, _| None,
};

pub(super) const DATA: Codec = Codec {
    encode: |s, d| (s.data.kind != d.data.kind).then(|| s.data.kind.key().into()),
    decode: |s, v| {
        if v == DataKind::Own.key() {
            // The user's data comes with the link's `file=` (`own::OwnRef`), given to the decoder.
            if s.data.own.is_none() {
                return Err(Refusal::Invalid(crate::experiment::FILE_NOT_LOADED.into()));
            }
            s.data.kind = DataKind::Own;
            return Ok(());
        }
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
};

pub(super) const CURVE: Codec = Codec {
    encode: |s, d| (s.data.curve != d.data.curve).then(|| s.data.curve.key().into()),
    decode: |s, v| {
        s.data.curve = Curve::from_key(v).ok_or_else(|| {
            let all: Vec<&str> = Curve::ALL.iter().map(|c| c.key()).collect();
            format!("`{v}` is not a curve; expected one of {}", all.join(", "))
        })?;
        Ok(())
    },
    reset: |s, d, _| {
        s.data.curve = d.data.curve;
        None
    },
};

pub(super) const PTS: Codec = Codec {
    encode: |s, _| (s.data.kind == DataKind::Drawn).then(|| crate::experiment::drawn::encode(&s.data.drawn)),
    decode: |s, v| {
        s.data.drawn = crate::experiment::drawn::decode(v)?;
        Ok(())
    },
    reset: |s, d, _| {
        s.data.drawn = d.data.drawn.clone();
        // A drawing that cannot train leaves the default data in its place.
        (s.data.kind == DataKind::Drawn).then(|| {
            s.data.kind = d.data.kind;
            format!("the default data set ({})", d.data.kind.label())
        })
    },
};

pub(super) const FEAT: Codec = Codec {
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
};

pub(super) const STD: Codec = Codec {
    encode: |s, _| s.standardize.map(|on| u8::from(on).to_string()),
    decode: |s, v| {
        s.standardize = Some(parse_flag(v)? != 0.0);
        Ok(())
    },
    reset: |s, d, _| {
        s.standardize = d.standardize;
        None
    },
};

pub(super) const HIDDEN: Codec = Codec {
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
};

pub(super) const ACT: Codec = Codec {
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
};

pub(super) const INIT: Codec = Codec {
    encode: |s, d| (s.init != d.init).then(|| init_text(s.init)),
    decode: |s, v| {
        s.init = parse_init(v)?;
        Ok(())
    },
    reset: |s, d, _| {
        s.init = d.init;
        None
    },
};

pub(super) const LOSS: Codec = Codec {
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
};

pub(super) const HUBER: Codec = Codec {
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
};

pub(super) const OPT: Codec = Codec {
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
};

pub(super) const SCHED: Codec = Codec {
    encode: |s, d| (s.schedule.key() != d.schedule.key()).then(|| s.schedule.key().into()),
    decode: |s, v| {
        s.schedule = ScheduleConfig::from_key(v)
            .ok_or_else(|| format!("`{v}` is not a schedule; expected one of {}", ScheduleConfig::KEYS.join(", ")))?;
        Ok(())
    },
    reset: |s, d, _| {
        s.schedule = d.schedule.clone();
        None
    },
};

pub(super) const MS: Codec = Codec {
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
};

pub(super) const ANNEAL: Codec = Codec {
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
};

pub(super) const WU: Codec = Codec {
    encode: |s, _| s.warmup.as_ref().map(|w| w.epochs.to_string()),
    decode: |s, v| {
        s.warmup = Some(Warmup { epochs: parse_num(v)?, start: 0.1 });
        Ok(())
    },
    reset: |s, _, _| {
        s.warmup = None;
        Some("no warm-up".into())
    },
};

pub(super) const WUS: Codec = Codec {
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
};

pub(super) const LRC: Codec = Codec {
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
};

pub(super) const SURF: Codec = Codec {
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
};

pub(super) const X0: Codec = Codec {
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
};

pub(super) const Y0: Codec = Codec {
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
};

pub(super) const BS: Codec = Codec {
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
};

pub(super) const CLIP: Codec = Codec {
    encode: |s, _| s.clip_norm.map(format_num),
    decode: |s, v| {
        s.clip_norm = Some(parse_num(v)?);
        Ok(())
    },
    reset: |s, _, _| {
        s.clip_norm = None;
        None
    },
};

pub(super) const ES: Codec = Codec {
    encode: |s, _| s.early_stopping.as_ref().map(|es| es.patience.to_string()),
    decode: |s, v| {
        s.early_stopping = Some(EarlyStopping { metric: Metric::Loss, patience: parse_num(v)?, min_delta: 0.0 });
        Ok(())
    },
    reset: |s, _, _| {
        s.early_stopping = None;
        Some("early stopping is off".into())
    },
};

pub(super) const ESM: Codec = Codec {
    encode: |s, _| s.early_stopping.as_ref().filter(|es| es.metric != Metric::Loss).map(|es| es.metric.key().into()),
    decode: |s, v| {
        let metric = Metric::from_key(v).ok_or_else(|| format!("`{v}` is not a metric"))?;
        early_stopping(s)?.metric = metric;
        Ok(())
    },
    reset: |s, _, _| {
        s.early_stopping = None;
        Some("early stopping is off".into())
    },
};

pub(super) const ESD: Codec = Codec {
    encode: |s, _| s.early_stopping.as_ref().filter(|es| es.min_delta != 0.0).map(|es| format_num(es.min_delta)),
    decode: |s, v| {
        let delta = parse_num(v)?;
        early_stopping(s)?.min_delta = delta;
        Ok(())
    },
    reset: |s, _, _| {
        s.early_stopping = None;
        Some("early stopping is off".into())
    },
};
