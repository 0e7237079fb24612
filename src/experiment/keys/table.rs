//! The table itself: every key, in the order a link writes them.

use super::codecs::{self, number};
use super::{Group, Key, Kind, Slot};

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
pub static KEYS: [Key; 75] = [
    key("v", "format version", Link, "version", Slot::Spec(codecs::V)),
    key("seed", "seed", Training, "seed", number!(seed)),
    key("data", "data set", Data, "data.kind", Slot::Spec(codecs::DATA)),
    flagged("points", key("n", "points per class", Data, "data.n_per_class", number!(data.n_per_class))),
    key("noise", "noise", Data, "data.noise", number!(data.noise)),
    key("minority", "minority share", Data, "data.minority", number!(data.minority)),
    key("classes", "classes", Data, "data.classes", number!(data.classes)),
    key("outliers", "outlier share", Data, "data.outliers", number!(data.outliers)),
    key("curve", "boundary curve", Data, "data.curve", Slot::Spec(codecs::CURVE)),
    key("pts", "drawn points", Data, "data.drawn", Slot::Spec(codecs::PTS)),
    flagged("val-ratio", key("val", "validation share", Data, "val_ratio", number!(val_ratio))),
    flagged("test-ratio", key("test", "test share", Data, "test_ratio", number!(test_ratio))),
    key("feat", "feature transform (2-D data)", Data, "features_2d", Slot::Spec(codecs::FEAT)),
    key("poly", "polynomial degree", Data, "poly_degree", number!(poly_degree)),
    key("std", "standardize inputs", Data, "standardize", Slot::Spec(codecs::STD)),
    key("hidden", "hidden layer sizes", Network, "hidden", Slot::Spec(codecs::HIDDEN)),
    flagged("activation", key("act", "activation", Network, "activations", Slot::Spec(codecs::ACT))),
    key("init", "initialization", Network, "init", Slot::Spec(codecs::INIT)),
    flagged("dropout", key("drop", "dropout", Network, "dropout", number!(dropout))),
    key("loss", "regression loss", Network, "regression_loss", Slot::Spec(codecs::LOSS)),
    key("huber", "Huber δ", Network, "regression_loss.delta", Slot::Spec(codecs::HUBER)),
    flagged("optimizer", key("opt", "optimizer", Optimizer, "optimizer", Slot::Spec(codecs::OPT))),
    key("lrd", "learning-rate decay", Optimizer, "lr_decay", Slot::Optimizer(Kind::Real)),
    key("acc0", "initial accumulator", Optimizer, "initial_accumulator_value", Slot::Optimizer(Kind::Real)),
    key("rho", "ρ", Optimizer, "rho", Slot::Optimizer(Kind::Real)),
    key("alpha", "α", Optimizer, "alpha", Slot::Optimizer(Kind::Real)),
    key("b1", "β₁", Optimizer, "beta1", Slot::Optimizer(Kind::Real)),
    key("b2", "β₂", Optimizer, "beta2", Slot::Optimizer(Kind::Real)),
    key("eps", "ε", Optimizer, "eps", Slot::Optimizer(Kind::Real)),
    flagged("momentum", key("mom", "momentum", Optimizer, "momentum", Slot::Optimizer(Kind::Real))),
    key("damp", "dampening", Optimizer, "dampening", Slot::Optimizer(Kind::Real)),
    key("nesterov", "Nesterov momentum", Optimizer, "nesterov", Slot::Optimizer(Kind::Flag)),
    key("centered", "centered", Optimizer, "centered", Slot::Optimizer(Kind::Flag)),
    key("amsgrad", "AMSGrad", Optimizer, "amsgrad", Slot::Optimizer(Kind::Flag)),
    flagged("weight-decay", key("wd", "weight decay (L2)", Optimizer, "weight_decay", Slot::Optimizer(Kind::Real))),
    key("sched", "schedule", Schedule, "schedule", Slot::Spec(codecs::SCHED)),
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
    key("ms", "milestones", Schedule, "milestones", Slot::Spec(codecs::MS)),
    key("anneal", "annealing", Schedule, "anneal", Slot::Spec(codecs::ANNEAL)),
    key("wu", "warm-up epochs", Training, "warmup.epochs", Slot::Spec(codecs::WU)),
    key("wus", "warm-up start factor", Training, "warmup.start", Slot::Spec(codecs::WUS)),
    key("lrc", "hand-set rates", Training, "lr_changes", Slot::Spec(codecs::LRC)),
    key("surf", "surface", Race, "race.surface", Slot::Spec(codecs::SURF)),
    key("x0", "start x", Race, "race.start.x", Slot::Spec(codecs::X0)),
    key("y0", "start y", Race, "race.start.y", Slot::Spec(codecs::Y0)),
    key("rsteps", "race steps", Race, "race.steps", number!(race.steps)),
    key("lr", "learning rate", Training, "lr", number!(lr)),
    flagged("batch-size", key("bs", "batch size", Training, "batch_size", Slot::Spec(codecs::BS))),
    flagged("epochs", key("ep", "epochs", Training, "n_epochs", number!(n_epochs))),
    key("l1", "L1 penalty", Training, "l1", number!(l1)),
    key("clip", "gradient clipping norm", Training, "clip_norm", Slot::Spec(codecs::CLIP)),
    flagged(
        "patience",
        key("es", "early-stopping patience", Training, "early_stopping.patience", Slot::Spec(codecs::ES)),
    ),
    key("esm", "early-stopping metric", Training, "early_stopping.metric", Slot::Spec(codecs::ESM)),
    key("esd", "early-stopping minimum improvement", Training, "early_stopping.min_delta", Slot::Spec(codecs::ESD)),
];
