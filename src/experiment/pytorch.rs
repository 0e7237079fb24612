//! The road out to PyTorch: one self-contained Python file that replays an
//! experiment — HyperLab's data (after the feature map), initial weights and
//! batch order; PyTorch's layers, loss, optimizer and scheduler — and prints
//! the CSV `hyperlab run` prints. The command line (`hyperlab export
//! pytorch`) and the page's button write the same file.
//!
//! The Python is in `python/`: `core.py`, the training loop every exported
//! file shares (the Optuna study's trials too, [`super::optuna`]), and
//! `run.py`, this script's frame; this module fills in their `{{…}}` slots.
//! Settings travel by their URL keys, so the script reads like a link;
//! floats as float32 bytes in base64, so the data and weights arrive bit for
//! bit.

use crate::engine::data::Dataset;
use crate::engine::model::{Head, Init, RegressionLoss};
use crate::engine::optim::OptimizerConfig;
use crate::engine::schedule::{Anneal, ScheduleConfig};
use crate::engine::train::Trainer;

use super::keys::{KEYS, Slot};
use super::{ExperimentSpec, ScriptKind, SpecError};

/// The training loop every exported file shares.
pub(super) const CORE: &str = include_str!("python/core.py");
const RUN: &str = include_str!("python/run.py");

/// Most batch indices a script carries (epochs × training examples): about
/// 11 MB of base64 at two bytes an index.
pub const MAX_ORDER: usize = 4_000_000;

/// The Python script for `spec`, whose data is in `trainer` (fresh: no epoch
/// run). `link` is the page's address of the experiment, written in the
/// header. Refused, naming the field, when the batch order would be too long.
pub fn script(spec: &ExperimentSpec, trainer: &Trainer, link: &str) -> Result<String, SpecError> {
    let data = trainer.data();
    let n_train = data.train.len();
    let n_indices = spec.n_epochs.saturating_mul(n_train);
    if n_indices > MAX_ORDER {
        return Err(SpecError {
            field: "ep",
            message: format!(
                "the script would carry the order of {n_indices} examples ({} epochs × {n_train}); \
                 at most {MAX_ORDER}: export fewer epochs",
                spec.n_epochs
            ),
        });
    }
    let order = trainer.upcoming_orders(spec.n_epochs);
    let (order_bytes, order_dtype) = if n_train <= i16::MAX as usize {
        (order.iter().flat_map(|&i| (i as i16).to_le_bytes()).collect::<Vec<u8>>(), "int16")
    } else {
        (order.iter().flat_map(|&i| (i as i32).to_le_bytes()).collect::<Vec<u8>>(), "int32")
    };
    let dropout_note = if spec.dropout > 0.0 {
        "\n#\n# Dropout: PyTorch draws its own masks (torch.manual_seed), not\n\
         # HyperLab's, so this run's numbers part from the lab's at the first step;\n\
         # its curves behave alike without being the same."
    } else {
        ""
    };
    let slots = [
        ("FILE", ScriptKind::Pytorch.file_name().to_string()),
        ("OPTIMIZER_CLASS", format!("torch.optim.{}", optimizer_class(&spec.optimizer))),
        ("SCHEDULER_NAME", scheduler_name(&spec.schedule, spec.n_epochs).to_string()),
        ("DROPOUT_NOTE", dropout_note.to_string()),
        ("CONFIG", dict(&config(spec, true), "")),
        ("HEAD", head(spec).to_string()),
        ("METRICS", list(spec.metrics().iter().map(|m| quoted(m.key())))),
        ("N_TRAIN", n_train.to_string()),
        ("N_VAL", data.val.len().to_string()),
        ("N_TEST", data.test.len().to_string()),
        ("ORDER_DTYPE", order_dtype.to_string()),
    ];
    let mut text = fill(RUN, &slots);
    for (slot, values) in [
        ("TRAIN_X", &data.train.x),
        ("TRAIN_Y", &data.train.y),
        ("VAL_X", &data.val.x),
        ("VAL_Y", &data.val.y),
        ("TEST_X", &data.test.x),
        ("TEST_Y", &data.test.y),
        ("INITIAL", &trainer.model().params),
    ] {
        text = text.replace(&format!("{{{{{slot}}}}}"), &floats(values));
    }
    Ok(finish(text.replace("{{ORDER}}", &bytes(&order_bytes)), link))
}

/// The script of the experiment (built-in data natively; the page's worker
/// passes the bundled file it fetched).
pub fn script_for(spec: &ExperimentSpec, bundled: Option<&str>, link: &str) -> Result<String, SpecError> {
    let trainer = spec.trainer_with(bundled)?;
    script(spec, &trainer, link)
}

/// Fills in `{{NAME}}` slots.
pub(super) fn fill(template: &str, slots: &[(&str, String)]) -> String {
    let mut text = template.to_string();
    for (slot, value) in slots {
        text = text.replace(&format!("{{{{{slot}}}}}"), value);
    }
    text
}

/// The last slots: the shared training loop, then the link — last, so
/// nothing in a stranger's link is taken for a slot.
pub(super) fn finish(text: String, link: &str) -> String {
    text.replace("{{CORE}}", CORE.trim_end()).replace("{{LINK}}", &link.replace(['\n', '\r'], ""))
}

/// The head the script's loss is chosen by.
pub(super) fn head(spec: &ExperimentSpec) -> &'static str {
    match spec.head() {
        Head::SigmoidBce => "bce",
        Head::SoftmaxCe => "ce",
        Head::Linear(RegressionLoss::Mse) => "mse",
        Head::Linear(RegressionLoss::Mae) => "mae",
        Head::Linear(RegressionLoss::Huber { .. }) => "huber",
    }
}

/// The experiment's settings by URL key, as Python literals: everything the
/// training loop reads. The optimizer's and the schedule's hyperparameters:
/// all of them (`all`), or only those a link writes (where they differ from
/// that optimizer's or schedule's defaults — what a search's trial keeps
/// when it changes the optimizer or the schedule).
pub(super) fn config(spec: &ExperimentSpec, all: bool) -> Vec<(&'static str, String)> {
    let model = spec.model();
    let mut c = vec![
        ("seed", spec.seed.to_string()),
        ("inputs", model.sizes.first().copied().unwrap_or(0).to_string()),
        ("outputs", model.sizes.last().copied().unwrap_or(1).to_string()),
        ("lr", py(spec.lr)),
        ("bs", spec.batch_size.to_string()),
        ("ep", spec.n_epochs.to_string()),
        ("hidden", list(spec.hidden.iter().map(usize::to_string))),
        ("act", list(spec.activations.iter().map(|a| quoted(a.key())))),
        ("init", quoted(spec.init.key())),
        ("init_range", py(if let Init::Uniform { a } = spec.init { a } else { 1.0 })),
        ("drop", py(spec.dropout)),
        ("l1", py(spec.l1)),
        ("clip", spec.clip_norm.map_or("None".to_string(), py)),
        ("wu", spec.warmup.as_ref().map_or(0, |w| w.epochs).to_string()),
        ("wus", py(spec.warmup.as_ref().map_or(1.0, |w| w.start))),
        ("lrc", list(spec.lr_changes.iter().map(|c| format!("({}, {})", c.epoch, py(c.lr))))),
        ("huber", py(if let Head::Linear(RegressionLoss::Huber { delta }) = spec.head() { delta } else { 1.0 })),
        ("es", spec.early_stopping.as_ref().map_or(0, |e| e.patience).to_string()),
        ("esm", quoted(spec.early_stopping.as_ref().map_or("loss", |e| e.metric.key()))),
        ("esd", py(spec.early_stopping.as_ref().map_or(0.0, |e| e.min_delta))),
        ("opt", quoted(spec.optimizer.key())),
        ("sched", quoted(spec.schedule.key())),
    ];
    c.extend(optimizer_settings(&spec.optimizer, all));
    c.extend(schedule_settings(&spec.schedule, all));
    c
}

/// An optimizer's hyperparameters by URL key (`all`, or where they differ
/// from its defaults).
pub(super) fn optimizer_settings(config: &OptimizerConfig, all: bool) -> Vec<(&'static str, String)> {
    let default = OptimizerConfig::from_key(config.key()).unwrap_or_default();
    let mut config = config.clone();
    let mut default = default;
    let mut out = Vec::new();
    for key in KEYS.iter().filter(|k| matches!(k.slot, Slot::Optimizer(_))) {
        if let (Some(v), Some(d)) = (config.field(key.field), default.field(key.field)) {
            if all || v.get() != d.get() {
                out.push((key.name, field_literal(&v)));
            }
        }
    }
    out
}

/// A schedule's parameters by URL key (`all`, or where they differ from
/// its defaults), with the milestones and the one-cycle's annealing.
pub(super) fn schedule_settings(config: &ScheduleConfig, all: bool) -> Vec<(&'static str, String)> {
    let default = ScheduleConfig::from_key(config.key()).unwrap_or(ScheduleConfig::Constant);
    let (mut config, mut default) = (config.clone(), default);
    let mut out = Vec::new();
    for key in KEYS.iter().filter(|k| matches!(k.slot, Slot::Schedule(_))) {
        if let (Some(v), Some(d)) = (config.field(key.field), default.field(key.field)) {
            if all || v.get() != d.get() {
                out.push((key.name, field_literal(&v)));
            }
        }
    }
    match (&config, &default) {
        (ScheduleConfig::MultiStep { milestones, .. }, ScheduleConfig::MultiStep { milestones: d, .. })
            if all || milestones != d =>
        {
            out.push(("ms", list(milestones.iter().map(usize::to_string))));
        }
        (ScheduleConfig::OneCycle { anneal, .. }, ScheduleConfig::OneCycle { anneal: d, .. }) if all || anneal != d => {
            out.push(("anneal", quoted(if *anneal == Anneal::Cos { "cos" } else { "linear" })));
        }
        _ => {}
    }
    out
}

fn field_literal(field: &crate::engine::field::Field<'_>) -> String {
    use crate::engine::field::Field;
    match field {
        Field::Real(v) => py(**v),
        Field::Count(v) => v.to_string(),
        Field::Flag(v) => if **v { "True" } else { "False" }.to_string(),
    }
}

/// A Python dict literal, one entry a line, indented by `indent`.
pub(super) fn dict(entries: &[(&str, String)], indent: &str) -> String {
    if entries.is_empty() {
        return "{}".to_string();
    }
    let lines: Vec<String> = entries.iter().map(|(k, v)| format!("{indent}    \"{k}\": {v},")).collect();
    format!("{{\n{}\n{indent}}}", lines.join("\n"))
}

pub(super) fn list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(", "))
}

pub(super) fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A float as Python reads it back exactly (Rust's shortest round-trip form).
pub(super) fn py(x: f64) -> String {
    if x.is_finite() { format!("{x:?}") } else { "float('nan')".to_string() }
}

/// Float32 values as base64 text (a Python string literal).
pub(super) fn floats(values: &[f32]) -> String {
    bytes(&values.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>())
}

/// A data set's inputs and targets as two base64 literals.
pub(super) fn dataset(d: &Dataset) -> (String, String) {
    (floats(&d.x), floats(&d.y))
}

/// Base64 as a Python string literal, 96 characters a line.
fn bytes(raw: &[u8]) -> String {
    let text = crate::base64::base64(raw);
    if text.len() <= 96 {
        return format!("\"{text}\"");
    }
    let lines: Vec<String> =
        text.as_bytes().chunks(96).map(|c| format!("    \"{}\"", String::from_utf8_lossy(c))).collect();
    format!("(\n{}\n)", lines.join("\n"))
}

fn optimizer_class(config: &OptimizerConfig) -> &'static str {
    match config {
        OptimizerConfig::Sgd(_) => "SGD",
        OptimizerConfig::Adagrad(_) => "Adagrad",
        OptimizerConfig::Adadelta(_) => "Adadelta",
        OptimizerConfig::RmsProp(_) => "RMSprop",
        OptimizerConfig::Adam(_) => "Adam",
        OptimizerConfig::AdamW(_) => "AdamW",
    }
}

/// The PyTorch scheduler `core.make_scheduler` builds for this schedule,
/// named for the script's header.
fn scheduler_name(schedule: &ScheduleConfig, n_epochs: usize) -> &'static str {
    use ScheduleConfig as S;
    match schedule {
        S::Constant => "none: the rate is constant",
        S::Step { start: 1, .. } => "torch.optim.lr_scheduler.StepLR",
        S::MultiStep { .. } => "torch.optim.lr_scheduler.MultiStepLR",
        S::Exponential { .. } => "torch.optim.lr_scheduler.ExponentialLR",
        S::Polynomial { .. } => "torch.optim.lr_scheduler.PolynomialLR",
        S::Cosine { .. } => "torch.optim.lr_scheduler.CosineAnnealingLR",
        S::WarmRestarts { .. } => "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts",
        S::Cyclic { .. } => "torch.optim.lr_scheduler.CyclicLR",
        S::OneCycle { total, .. } if n_epochs <= *total => "torch.optim.lr_scheduler.OneCycleLR",
        S::Plateau { .. } => "torch.optim.lr_scheduler.ReduceLROnPlateau",
        S::Step { .. }
        | S::TimeBased { .. }
        | S::ExponentialCourse { .. }
        | S::InverseTime { .. }
        | S::OneCycle { .. } => "LambdaLR over HyperLab's formula",
    }
}
