//! The experiment's controls: learning rate, epochs, speed, seed, and the
//! Train / Pause / Step / Reset buttons.

use web_sys::HtmlSelectElement;

use super::use_select_value;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::optim::{AdadeltaConfig, AdagradConfig, AdamConfig, OptimizerConfig, RmsPropConfig, SgdConfig};
use crate::experiment::{DataKind, ExperimentSpec, LEARNING_RATES, limits};
use crate::plot::format_lr;
use crate::ui::components::own_data::OwnDataPanel;
use crate::ui::components::settings::{
    BatchSize, DataSettings, Features, Field, NetworkEditor, Regularization, WeightDecay,
};
use crate::ui::components::{Later, ScheduleForm};
use crate::ui::state::{EPOCH_CHOICES, PACES, Status};

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub spec: ExperimentSpec,
    pub status: Status,
    pub pace_idx: usize,
    pub onspec: Callback<ExperimentSpec>,
    pub onpace: Callback<usize>,
    pub onnewseed: Callback<()>,
    /// A problem keeping the user's data file in this browser (`None`: kept).
    pub onstorage: Callback<Option<String>>,
    /// Show only the controls of these URL keys (a teacher's one-knob link).
    #[prop_or_default]
    pub only: Option<Rc<[String]>>,
}

#[derive(Properties, PartialEq)]
pub struct RunButtonsProps {
    pub status: Status,
    pub ontrain: Callback<()>,
    pub onpause: Callback<()>,
    pub onstep: Callback<()>,
    pub onreset: Callback<()>,
}

/// Train / Pause / Resume, Step and Reset: beside the loss chart, so the
/// run is in view wherever they are pressed.
#[function_component]
pub fn RunButtons(p: &RunButtonsProps) -> Html {
    let busy = p.status == Status::Loading;
    let running = p.status == Status::Running;
    let train_label = match p.status {
        Status::Paused => "Resume",
        Status::Finished | Status::Stopped { .. } | Status::Diverged { .. } => "Train again",
        _ => "Train",
    };
    let (primary, primary_label, primary_key) = if running {
        (p.onpause.reform(|_: MouseEvent| ()), "Pause", "pause")
    } else {
        (p.ontrain.reform(|_: MouseEvent| ()), train_label, "train")
    };
    html! {
        <div class="buttons run-buttons">
            <button id="train" class="primary" data-action={primary_key} disabled={busy} onclick={primary}>
                { primary_label }
            </button>
            <button id="step" disabled={busy || running} title="Train exactly one epoch"
                onclick={p.onstep.reform(|_: MouseEvent| ())}>{ "Step" }</button>
            <button id="reset" disabled={busy} title="Back to the untrained network"
                onclick={p.onreset.reform(|_: MouseEvent| ())}>{ "Reset" }</button>
        </div>
    }
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The rates the course calls commonly used.
pub const COMMON_RATES: [f64; 3] = [1e-3, 3e-4, 5e-5];

#[function_component]
pub fn Controls(p: &ControlsProps) -> Html {
    let busy = p.status == Status::Loading;

    let on_lr = {
        let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
        Callback::from(move |e: Event| {
            if let Ok(lr) = select_value(&e).parse::<f64>() {
                onspec.emit(ExperimentSpec { lr, ..spec.clone() });
            }
        })
    };
    let on_optimizer = {
        let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
        Callback::from(move |e: Event| {
            let key = select_value(&e);
            if let Some((_, optimizer)) = optimizer_choices().into_iter().find(|(k, _)| *k == key) {
                onspec.emit(ExperimentSpec { optimizer, ..spec.clone() });
            }
        })
    };
    let choices = optimizer_choices();
    let custom = !choices.iter().any(|(_, o)| *o == p.spec.optimizer);
    let on_data = {
        let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
        Callback::from(move |e: Event| {
            if let Some(kind) = DataKind::from_key(&select_value(&e)) {
                onspec.emit(spec.with_data(kind));
            }
        })
    };
    let on_pace = {
        let onpace = p.onpace.clone();
        Callback::from(move |e: Event| {
            if let Ok(i) = select_value(&e).parse::<usize>() {
                onpace.emit(i);
            }
        })
    };

    let mut lrs: Vec<f64> = LEARNING_RATES.to_vec();
    if !lrs.contains(&p.spec.lr) {
        lrs.push(p.spec.lr);
        crate::engine::sort::sort_by(&mut lrs, f64::total_cmp);
    }

    let optimizer_value =
        choices.iter().find(|(_, o)| *o == p.spec.optimizer).map_or("custom", |(k, _)| *k).to_string();
    let data_ref = use_select_value(p.spec.data.kind.key().to_string());
    let lr_ref = use_select_value(p.spec.lr.to_string());
    let optimizer_ref = use_select_value(optimizer_value);
    let pace_ref = use_select_value(p.pace_idx.to_string());
    let model = p.spec.model();
    let arch: Vec<String> = model.sizes.iter().map(|s| s.to_string()).collect();
    let mut acts: Vec<&str> = model.activations.iter().map(|a| a.key()).collect();
    acts.dedup();
    let hidden_acts = if acts.is_empty() { "no".to_string() } else { acts.join("/") };
    let head = match model.head {
        crate::engine::model::Head::SigmoidBce => "sigmoid",
        crate::engine::model::Head::SoftmaxCe => "softmax",
        crate::engine::model::Head::Linear(_) => "linear",
    };

    // A one-knob link shows the controls of its keys alone.
    let shown = |keys: &[&str]| p.only.as_ref().is_none_or(|only| keys.iter().any(|k| only.iter().any(|o| o == k)));
    let labels: Vec<&str> =
        p.only.iter().flat_map(|o| o.iter()).filter_map(|k| crate::experiment::keys::get(k)).map(|k| k.label).collect();
    html! {
        <section class="panel controls" aria-label="Experiment controls">
            <h2>{ "Experiment" }</h2>
            if p.only.is_some() {
                <p class="notice" id="only-note">{ if labels.is_empty() {
                    "This link shows no controls: the experiment is as it set it up.".to_string()
                } else {
                    format!("This link lets you change only: {}. Everything else is as it set it up (below).", labels.join(", "))
                } }</p>
            }
            if shown(&["data"]) {
            <label class="field wraps">
                <span>{ "Data" }</span>
                <select id="data" ref={data_ref} onchange={on_data}>
                    { for DataKind::ALL.iter().map(|k| html! {
                        <option value={k.key()} selected={*k == p.spec.data.kind}>{ k.label() }</option>
                    }) }
                    if p.spec.data.kind == DataKind::Own {
                        <option value="own" selected=true>{ format!("your data: {}", p.spec.data.label()) }</option>
                    }
                    if p.spec.data.kind == DataKind::Drawn {
                        <option value="drawn" selected=true>{ p.spec.data.label().to_string() }</option>
                    }
                </select>
            </label>
            <OwnDataPanel spec={p.spec.clone()} onspec={p.onspec.clone()} onstorage={p.onstorage.clone()} />
            }
            if shown(&["lr"]) {
            <label class="field">
                <span>{ "Learning rate" }</span>
                <select id="lr" ref={lr_ref} onchange={on_lr}>
                    { for lrs.iter().map(|&lr| html! {
                        <option value={lr.to_string()} selected={lr == p.spec.lr}>{ format_lr(lr) }</option>
                    }) }
                </select>
            </label>
            <div class="presets" role="group" aria-label="Commonly used learning rates">
                <span>{ "Common:" }</span>
                { for COMMON_RATES.iter().map(|&lr| {
                    let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
                    html! {
                        <button class={classes!("chip", (lr == p.spec.lr).then_some("on"))}
                            onclick={Callback::from(move |_: MouseEvent| onspec.emit(ExperimentSpec { lr, ..spec.clone() }))}>
                            { format_lr(lr) }
                        </button>
                    }
                }) }
            </div>
            <p class="hint">
                { "The step size of gradient descent: each update moves the weights by −η·∇loss. \
                   Too low and learning crawls; too high and the loss overshoots or blows up." }
            </p>
            }
            if shown(&["sched"]) {
                <ScheduleForm spec={p.spec.clone()} onspec={p.onspec.clone()} />
            }
            if shown(&["opt"]) {
            <label class="field">
                <span>{ "Optimizer" }</span>
                <select id="optimizer" ref={optimizer_ref} onchange={on_optimizer}>
                    { for choices.iter().map(|(key, o)| html! {
                        <option value={*key} selected={*o == p.spec.optimizer}>{ o.name() }</option>
                    }) }
                    if custom {
                        <option value="custom" selected=true>{ format!("{} (from the link)", p.spec.optimizer.name()) }</option>
                    }
                </select>
            </label>
            <p class="hint">{ optimizer_hint(&p.spec.optimizer) }</p>
            }
            if shown(&["bs"]) {
                <BatchSize spec={p.spec.clone()} onspec={p.onspec.clone()} />
            }
            if shown(&["hidden", "act", "init"]) {
                <NetworkEditor spec={p.spec.clone()} onspec={p.onspec.clone()} />
            }
            if shown(&["wd"]) {
                <WeightDecay spec={p.spec.clone()} onspec={p.onspec.clone()} />
            }
            if shown(&["l1", "drop", "clip", "es", "esm", "esd"]) {
            <details class="group" id="more-regularization">
                <summary>{ "More regularization" }<span class="summary-note">{ regularization_note(&p.spec) }</span></summary>
                <Later><Regularization spec={p.spec.clone()} onspec={p.onspec.clone()} /></Later>
            </details>
            }
            if shown(&["n", "noise", "val", "test", "classes", "minority", "outliers", "loss", "huber"]) {
            <details class="group" id="data-settings">
                <summary>{ "Data settings" }<span class="summary-note">{ data_fact(&p.spec) }</span></summary>
                <Later><DataSettings spec={p.spec.clone()} onspec={p.onspec.clone()} /></Later>
            </details>
            }
            if shown(&["feat", "poly", "std"]) {
            <details class="group" id="input-features">
                <summary>{ "Input features" }<span class="summary-note">{ features_note(&p.spec) }</span></summary>
                <Later><Features spec={p.spec.clone()} onspec={p.onspec.clone()} /></Later>
            </details>
            }
            if shown(&["ep"]) {
            <Field name="ep" id={AttrValue::from("epochs")} label={AttrValue::from("Epochs")} value={p.spec.n_epochs.to_string()}
                spec={p.spec.clone()} onspec={p.onspec.clone()} min={AttrValue::from("1")}
                max={AttrValue::from(limits::MAX_EPOCHS.to_string())} step={AttrValue::from("1")}
                suggest={EPOCH_CHOICES.iter().map(|n| AttrValue::from(n.to_string())).collect::<Vec<_>>()}
                hint="Passes over the training set." />
            }
            <label class="field">
                <span>{ "Speed" }</span>
                <select id="pace" ref={pace_ref} onchange={on_pace}>
                    { for PACES.iter().enumerate().map(|(i, (label, _))| html! {
                        <option value={i.to_string()} selected={i == p.pace_idx}>{ *label }</option>
                    }) }
                </select>
            </label>
            if shown(&["seed"]) {
            <div class="field">
                <span>{ "Seed" }</span>
                <span class="seed"><code id="seed">{ p.spec.seed }</code>
                    <button id="new-seed" disabled={busy} title="New data, initial weights and batch order"
                        onclick={p.onnewseed.reform(|_: MouseEvent| ())}>{ "New seed" }</button>
                </span>
            </div>
            }
            <dl class="facts">
                <dt>{ "Data" }</dt>
                <dd>{ data_fact(&p.spec) }</dd>
                <dt>{ "Network" }</dt>
                <dd>{ format!("{} MLP, {} hidden, {} output", arch.join("→"), hidden_acts, head) }</dd>
                <dt>{ "Parameters" }</dt>
                <dd title="Learned by training: weights and biases">{ format!("{} (learned)", model.n_params()) }</dd>
                <dt>{ "Optimizer" }</dt>
                <dd>{ format!("{}, mini-batch of {}", p.spec.optimizer.name(), p.spec.batch_size) }</dd>
            </dl>
        </section>
    }
}

/// The optimizers offered in the page, with PyTorch's defaults (momentum 0.9
/// for the two momentum variants): (select value, config).
pub fn optimizer_choices() -> Vec<(&'static str, OptimizerConfig)> {
    let momentum = SgdConfig { momentum: 0.9, ..SgdConfig::default() };
    vec![
        ("sgd", OptimizerConfig::Sgd(SgdConfig::default())),
        ("momentum", OptimizerConfig::Sgd(momentum.clone())),
        ("nesterov", OptimizerConfig::Sgd(SgdConfig { nesterov: true, ..momentum })),
        ("adagrad", OptimizerConfig::Adagrad(AdagradConfig::default())),
        ("adadelta", OptimizerConfig::Adadelta(AdadeltaConfig::default())),
        ("rmsprop", OptimizerConfig::RmsProp(RmsPropConfig::default())),
        ("adam", OptimizerConfig::Adam(AdamConfig::default())),
        ("adamw", OptimizerConfig::AdamW(AdamConfig::adamw())),
    ]
}

/// "two spirals, 400 points (20% held out for validation)".
fn data_fact(spec: &ExperimentSpec) -> String {
    let mut held = format!("{}% held out for validation", (spec.val_ratio * 100.0).round());
    if spec.test_ratio > 0.0 {
        held.push_str(&format!(", {}% for test", (spec.test_ratio * 100.0).round()));
    }
    let mut extras = Vec::new();
    if spec.data.minority != 0.5 {
        extras.push(format!("{}% class 1", (spec.data.minority * 100.0).round()));
    }
    if spec.data.outliers > 0.0 {
        extras.push(format!("{}% outliers", (spec.data.outliers * 100.0).round()));
    }
    let extras = if extras.is_empty() { String::new() } else { format!(", {}", extras.join(", ")) };
    format!("{}, {} examples{extras} ({held})", spec.data.label(), spec.data.n_total())
}

/// One line on what the chosen optimizer does with the gradient.
fn optimizer_hint(o: &OptimizerConfig) -> &'static str {
    match o {
        OptimizerConfig::Sgd(c) if c.nesterov => {
            "Momentum that looks ahead: the gradient is taken where the velocity is about to carry the weights."
        }
        OptimizerConfig::Sgd(c) if c.momentum > 0.0 => {
            "Keeps a velocity, a running sum of past gradients: steps grow along steady directions and cancel across oscillating ones."
        }
        OptimizerConfig::Sgd(_) => "Plain gradient descent: every weight moves by −η times its gradient.",
        OptimizerConfig::Adagrad(_) => {
            "Divides each weight's step by the root of its summed squared gradients: rare features keep large steps, and every step shrinks over time."
        }
        OptimizerConfig::Adadelta(_) => {
            "AdaGrad with running averages instead of sums, and steps in the weights' own units: it needs almost no learning rate."
        }
        OptimizerConfig::RmsProp(_) => {
            "Divides each weight's step by a running average of its squared gradients, so steps do not fade as in AdaGrad."
        }
        OptimizerConfig::Adam(_) => {
            "Momentum and RMSprop together, with bias correction: the usual default, at rates near 1e-3."
        }
        OptimizerConfig::AdamW(_) => {
            "Adam with weight decay applied to the weights directly rather than through the gradient."
        }
    }
}

/// "off", or the regularization terms in use.
fn regularization_note(spec: &ExperimentSpec) -> String {
    let mut on = Vec::new();
    if spec.l1 > 0.0 {
        on.push(format!("L1 {}", spec.l1));
    }
    if spec.dropout > 0.0 {
        on.push(format!("dropout {}", spec.dropout));
    }
    if let Some(c) = spec.clip_norm {
        on.push(format!("clip {c}"));
    }
    if let Some(es) = &spec.early_stopping {
        on.push(format!("early stop {}", es.patience));
    }
    if on.is_empty() { "L1, dropout, clipping, early stopping: off".into() } else { on.join(", ") }
}

/// The inputs the network is given.
fn features_note(spec: &ExperimentSpec) -> String {
    let n = spec.n_model_inputs();
    let std = if spec.features().standardize { ", standardized" } else { "" };
    format!("{n} input{}{std}", if n == 1 { "" } else { "s" })
}
