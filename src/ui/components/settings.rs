//! The hyperparameters beyond the learning rate, schedule and optimizer: the
//! batch size, the network, regularization, the data and its input features.
//! Every field changes the experiment through the key table
//! ([`keys::set`]): what a link would say, the page does, and a value the
//! link format refuses is refused here with the same words.

use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::data::Task;
use crate::engine::data::features::Feature2d;
use crate::engine::model::{Activation, Init, RegressionLoss};
use crate::experiment::keys::{self, format_num};
use crate::experiment::{DataKind, ExperimentSpec, limits};
use crate::ui::components::use_select_value;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The URL key the field sets.
    pub name: &'static str,
    /// Its value now, as text ("" for off).
    pub value: AttrValue,
    pub spec: ExperimentSpec,
    pub onspec: Callback<ExperimentSpec>,
    /// One line on what it does.
    #[prop_or_default]
    pub hint: AttrValue,
    /// Shown in an empty field ("off").
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub min: Option<AttrValue>,
    #[prop_or_default]
    pub max: Option<AttrValue>,
    #[prop_or_default]
    pub step: Option<AttrValue>,
    /// Overrides the key table's label.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// Overrides the element id (`set-` and the key).
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// A `<datalist>` of suggested values.
    #[prop_or_default]
    pub suggest: Vec<AttrValue>,
}

/// What a field or select does with its new text: the experiment with the
/// key set, or the refusal to show beside it.
fn apply(
    spec: &ExperimentSpec,
    onspec: &Callback<ExperimentSpec>,
    name: &str,
    error: &UseStateHandle<Option<String>>,
    text: &str,
) {
    match keys::set(spec, name, text) {
        Ok(next) => {
            error.set(None);
            onspec.emit(next);
        }
        Err(message) => error.set(Some(message)),
    }
}

/// A key's label: the given one, or the key table's.
fn label_of(name: &'static str, given: &Option<AttrValue>) -> AttrValue {
    given.clone().unwrap_or_else(|| keys::get(name).map_or(name, |k| k.label).into())
}

/// Under a field: why its value was refused, and its line of explanation.
fn below(id: &str, error: &Option<String>, hint: &AttrValue) -> Html {
    html! {
        <>
            if let Some(message) = error.clone() {
                <p class="field-error" role="alert" id={format!("{id}-error")}>{ message }</p>
            }
            if !hint.is_empty() {
                <p class="hint">{ hint.clone() }</p>
            }
        </>
    }
}

/// A number field for one key: its label from the key table, the value, a
/// one-line explanation, and, when a value is refused, why (the field keeps
/// what was typed; the experiment keeps its value).
#[function_component]
pub fn Field(p: &FieldProps) -> Html {
    let error = use_state(|| None::<String>);
    {
        // A new experiment (from anywhere) clears an old complaint.
        let error = error.clone();
        use_effect_with(p.spec.clone(), move |_| error.set(None));
    }
    let onchange = {
        let (spec, onspec, name, error) = (p.spec.clone(), p.onspec.clone(), p.name, error.clone());
        Callback::from(move |e: Event| {
            apply(&spec, &onspec, name, &error, &e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let label = label_of(p.name, &p.label);
    let id = p.id.as_ref().map_or_else(|| format!("set-{}", p.name), |id| id.to_string());
    let list = (!p.suggest.is_empty()).then(|| format!("{id}-list"));
    html! {
        <div class="setting">
            <label class="field" for={id.clone()}>
                <span>{ label }</span>
                <input type="number" id={id.clone()} value={p.value.clone()} placeholder={p.placeholder.clone()}
                    min={p.min.clone()} max={p.max.clone()} step={p.step.clone().unwrap_or("any".into())}
                    list={list.clone()} aria-invalid={error.is_some().then_some("true")} {onchange} />
            </label>
            if let Some(list) = list {
                <datalist id={list}>{ for p.suggest.iter().map(|v| html! { <option value={v.clone()} /> }) }</datalist>
            }
            { below(&id, &error, &p.hint) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub name: &'static str,
    /// (value, label) of each choice.
    pub choices: Vec<(AttrValue, AttrValue)>,
    pub value: AttrValue,
    pub spec: ExperimentSpec,
    pub onspec: Callback<ExperimentSpec>,
    #[prop_or_default]
    pub hint: AttrValue,
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// A select for one key.
#[function_component]
pub fn Choice(p: &ChoiceProps) -> Html {
    let error = use_state(|| None::<String>);
    let node = use_select_value(p.value.to_string());
    let onchange = {
        let (spec, onspec, name, error) = (p.spec.clone(), p.onspec.clone(), p.name, error.clone());
        Callback::from(move |e: Event| {
            apply(&spec, &onspec, name, &error, &e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let label = label_of(p.name, &p.label);
    let id = format!("set-{}", p.name);
    html! {
        <div class="setting">
            <label class="field" for={id.clone()}>
                <span>{ label }</span>
                <select id={id.clone()} ref={node} {onchange}>
                    { for p.choices.iter().map(|(v, l)| html! {
                        <option value={v.clone()} selected={*v == p.value}>{ l.clone() }</option>
                    }) }
                </select>
            </label>
            { below(&id, &error, &p.hint) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SpecProps {
    pub spec: ExperimentSpec,
    pub onspec: Callback<ExperimentSpec>,
}

/// The mini-batch: its size (1 … the training set, or the whole of it) and
/// how many updates an epoch makes.
#[function_component]
pub fn BatchSize(p: &SpecProps) -> Html {
    let n_train = p.spec.n_train().max(1);
    let bs = p.spec.batch_size;
    let batches = n_train.div_ceil(bs.max(1));
    let full = {
        let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
        Callback::from(move |_: MouseEvent| onspec.emit(ExperimentSpec { batch_size: n_train, ..spec.clone() }))
    };
    let kind = match bs {
        1 => "stochastic (one example per update)".to_string(),
        b if b >= n_train => "full batch (one update per epoch)".to_string(),
        _ => format!("{batches} mini-batches per epoch"),
    };
    html! {
        <div class="batch">
            <Field name="bs" label={AttrValue::from("Batch size")} value={bs.to_string()} spec={p.spec.clone()}
                onspec={p.onspec.clone()} min={AttrValue::from("1")} max={AttrValue::from(n_train.to_string())}
                step={AttrValue::from("1")} />
            <p class="batch-facts">
                <span id="batches-per-epoch">{ format!("{kind}, of {n_train} training examples") }</span>
                <button class="chip" id="full-batch" disabled={bs == n_train} onclick={full}
                    title="Use the whole training set in every update">{ "Full batch" }</button>
            </p>
            <p class="hint">
                { "Examples averaged into each gradient step. Small batches give many noisy steps per epoch; \
                   large ones few smooth ones (and usually want a larger learning rate)." }
            </p>
        </div>
    }
}

/// The hidden layers: add and remove layers (0–8), units per layer (1–256)
/// with − and +, an activation for all layers or per layer, the
/// initializer; the parameter count follows.
#[function_component]
pub fn NetworkEditor(p: &SpecProps) -> Html {
    let spec = &p.spec;
    let per_layer = spec.activations.len() > 1;
    let emit = |f: Box<dyn Fn(&mut ExperimentSpec)>| {
        let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = spec.clone();
            f(&mut next);
            normalize_activations(&mut next);
            if next.validate().is_ok() {
                onspec.emit(next);
            }
        })
    };
    let rows = spec.hidden.iter().enumerate().map(|(i, &units)| {
        let minus = emit(Box::new(move |s| s.hidden[i] = step_down(units)));
        let plus = emit(Box::new(move |s| s.hidden[i] = step_up(units)));
        let remove = emit(Box::new(move |s| {
            s.hidden.remove(i);
            if s.activations.len() > i && s.activations.len() > 1 {
                s.activations.remove(i);
            }
        }));
        let on_units = {
            let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
            Callback::from(move |e: Event| {
                let input = e.target_unchecked_into::<HtmlInputElement>();
                let Ok(u) = input.value().trim().parse::<usize>() else { return };
                let mut next = spec.clone();
                next.hidden[i] = u.clamp(1, limits::MAX_UNITS);
                input.set_value(&next.hidden[i].to_string());
                onspec.emit(next);
            })
        };
        let on_act = {
            let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
            Callback::from(move |e: Event| {
                let Some(a) = Activation::from_key(&e.target_unchecked_into::<HtmlSelectElement>().value()) else {
                    return;
                };
                let mut next = spec.clone();
                let mut acts: Vec<Activation> = (0..next.hidden.len()).map(|l| next.activation(l)).collect();
                acts[i] = a;
                next.activations = acts;
                normalize_activations(&mut next);
                onspec.emit(next);
            })
        };
        html! {
            <li class="layer">
                <span class="layer-name">{ format!("Layer {}", i + 1) }</span>
                <button class="step" aria-label={format!("Fewer units in layer {}", i + 1)} disabled={units <= 1} onclick={minus}>{ "−" }</button>
                <input class="units" type="number" min="1" max={limits::MAX_UNITS.to_string()} value={units.to_string()}
                    id={format!("units-{}", i + 1)} aria-label={format!("Units in layer {}", i + 1)} onchange={on_units} />
                <button class="step" aria-label={format!("More units in layer {}", i + 1)} disabled={units >= limits::MAX_UNITS} onclick={plus}>{ "+" }</button>
                if per_layer {
                    <ActivationSelect id={format!("act-{}", i + 1)} value={spec.activation(i)} onchange={on_act} />
                }
                <button class="step remove" aria-label={format!("Remove layer {}", i + 1)} title="Remove this layer" onclick={remove}>{ "×" }</button>
            </li>
        }
    });
    let add = emit(Box::new(|s| {
        let units = s.hidden.last().copied().unwrap_or(8);
        if s.activations.len() > 1 {
            let last = s.activation(s.hidden.len().saturating_sub(1));
            s.activations.push(last);
        }
        s.hidden.push(units);
    }));
    let on_act_all = {
        let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut next = spec.clone();
            if value == "per-layer" {
                next.activations = (0..next.hidden.len().max(1)).map(|l| next.activation(l)).collect();
                // Shown per layer even while they agree: one entry would fold back to "all".
                if next.activations.len() == 1 {
                    return;
                }
            } else if let Some(a) = Activation::from_key(&value) {
                next.activations = vec![a];
            }
            onspec.emit(next);
        })
    };
    let all_value = if per_layer { "per-layer".to_string() } else { spec.activation(0).key().to_string() };
    let all_ref = use_select_value(all_value.clone());
    let model = spec.model();
    let arch: Vec<String> = model.sizes.iter().map(|s| s.to_string()).collect();
    html! {
        <div class="network">
            <div class="field">
                <span>{ "Network" }</span>
                <span class="arch" id="arch">{ arch.join("→") }</span>
            </div>
            <ol class="layers" aria-label="Hidden layers">{ for rows }</ol>
            <button id="add-layer" class="chip" disabled={spec.hidden.len() >= limits::MAX_HIDDEN_LAYERS} onclick={add}>
                { "+ Add a layer" }
            </button>
            <label class="field" for="set-act">
                <span>{ "Activation" }</span>
                <select id="set-act" ref={all_ref} onchange={on_act_all} disabled={spec.hidden.is_empty()}>
                    { for Activation::ALL.iter().map(|a| html! {
                        <option value={a.key()} selected={!per_layer && *a == spec.activation(0)}>{ activation_label(*a) }</option>
                    }) }
                    if spec.hidden.len() > 1 {
                        <option value="per-layer" selected={per_layer}>{ "per layer…" }</option>
                    }
                </select>
            </label>
            <Choice name="init" label={AttrValue::from("Initializer")} value={init_value(spec.init)} spec={p.spec.clone()} onspec={p.onspec.clone()}
                choices={init_choices(spec.init)} />
            <p class="params-count">
                <strong id="param-count">{ model.n_params() }</strong>
                { " parameters (weights and biases): what training learns" }
            </p>
            <p class="hint">
                { "Hidden layers and their units set what the network can represent; the activation bends each \
                   layer's output (without one, any depth is a straight line). More units fit more, and overfit sooner." }
            </p>
        </div>
    }
}

/// Units after a press of +: one more up to 8, then about a quarter more.
fn step_up(units: usize) -> usize {
    if units < 8 { units + 1 } else { (units + units.div_ceil(4)).min(limits::MAX_UNITS) }
}

/// Units after a press of −: the inverse of [`step_up`], never below 1.
fn step_down(units: usize) -> usize {
    if units <= 8 { units.saturating_sub(1).max(1) } else { (units - units.div_ceil(5)).max(8) }
}

/// One activation for all layers when they agree; one per layer otherwise.
fn normalize_activations(s: &mut ExperimentSpec) {
    let n = s.hidden.len();
    if s.activations.len() > 1 {
        let mut acts: Vec<Activation> = (0..n.max(1)).map(|l| s.activation(l)).collect();
        acts.truncate(n.max(1));
        if acts.windows(2).all(|w| w[0] == w[1]) {
            acts.truncate(1);
        }
        s.activations = acts;
    }
}

#[derive(Properties, PartialEq)]
struct ActivationSelectProps {
    id: AttrValue,
    value: Activation,
    onchange: Callback<Event>,
}

#[function_component]
fn ActivationSelect(p: &ActivationSelectProps) -> Html {
    let node = use_select_value(p.value.key().to_string());
    html! {
        <select id={p.id.clone()} class="layer-act" ref={node} onchange={p.onchange.clone()} aria-label="Activation of this layer">
            { for Activation::ALL.iter().map(|a| html! {
                <option value={a.key()} selected={*a == p.value}>{ a.key() }</option>
            }) }
        </select>
    }
}

fn activation_label(a: Activation) -> &'static str {
    match a {
        Activation::Relu => "ReLU",
        Activation::LeakyRelu => "leaky ReLU",
        Activation::Elu => "ELU",
        Activation::Gelu => "GELU",
        Activation::Tanh => "tanh",
        Activation::Sigmoid => "sigmoid",
        Activation::Linear => "none (linear)",
    }
}

fn init_value(init: Init) -> AttrValue {
    match init {
        Init::Uniform { a } => format!("uniform:{}", format_num(a)).into(),
        other => other.key().into(),
    }
}

fn init_choices(current: Init) -> Vec<(AttrValue, AttrValue)> {
    let mut choices: Vec<(AttrValue, AttrValue)> = [
        ("glorot_uniform", "Glorot uniform"),
        ("glorot_normal", "Glorot normal"),
        ("he_uniform", "He uniform"),
        ("he_normal", "He normal"),
        ("lecun_normal", "LeCun normal"),
        ("uniform:0.5", "uniform ±0.5"),
        ("zeros", "zeros"),
    ]
    .into_iter()
    .map(|(v, l)| (AttrValue::from(v), AttrValue::from(l)))
    .collect();
    let value = init_value(current);
    if !choices.iter().any(|(v, _)| *v == value) {
        choices.push((value.clone(), format!("{value} (from the link)").into()));
    }
    choices
}

/// L2 / weight decay, in sight: the course's regularization term.
#[function_component]
pub fn WeightDecay(p: &SpecProps) -> Html {
    let mut optimizer = p.spec.optimizer.clone();
    let wd = optimizer.field("weight_decay").map_or(0.0, |f| f.get());
    let decoupled = p.spec.optimizer.key() == "adamw";
    let hint = if decoupled {
        "AdamW decays the weights directly (w ← w − η·λ·w), apart from the adaptive step: its λ is not an L2 term in the loss."
    } else {
        "Adds λ·w to each gradient (an L2 penalty λ/2·‖w‖² on the loss): it pulls weights toward 0 against overfitting. \
         AdamW's decay is decoupled from the gradient."
    };
    html! {
        <Field name="wd" label={AttrValue::from(if decoupled { "Weight decay (decoupled)" } else { "L2 / weight decay" })}
            value={format_num(wd)} spec={p.spec.clone()} onspec={p.onspec.clone()} min={AttrValue::from("0")}
            step={AttrValue::from("any")} hint={hint} />
    }
}

/// The rest of regularization: L1, dropout, clipping, early stopping.
#[function_component]
pub fn Regularization(p: &SpecProps) -> Html {
    let s = &p.spec;
    let es = s.early_stopping.as_ref();
    let metrics: Vec<(AttrValue, AttrValue)> =
        s.metrics().iter().map(|m| (AttrValue::from(m.key()), AttrValue::from(m.key().replace('_', " ")))).collect();
    html! {
        <>
            <Field name="l1" label={AttrValue::from("L1 penalty")} value={format_num(s.l1)} spec={s.clone()} onspec={p.onspec.clone()}
                min={AttrValue::from("0")} max={AttrValue::from(limits::MAX_PENALTY.to_string())}
                hint="Adds λ·sign(w) to each gradient: drives unneeded weights to exactly 0." />
            <Field name="drop" label={AttrValue::from("Dropout")} value={format_num(s.dropout)} spec={s.clone()} onspec={p.onspec.clone()}
                min={AttrValue::from("0")} max={AttrValue::from(limits::MAX_DROPOUT.to_string())} step={AttrValue::from("0.05")}
                hint="Share of hidden units switched off at random in each training step, so no unit can rely on another." />
            <Field name="clip" label={AttrValue::from("Clip gradient norm")} value={s.clip_norm.map(format_num).unwrap_or_default()}
                placeholder="off" spec={s.clone()} onspec={p.onspec.clone()} min={AttrValue::from("0")}
                hint="Scales the whole gradient down when its norm exceeds this: a cap on any one step. Empty: off." />
            <Field name="es" label={AttrValue::from("Early stopping: patience")}
                value={es.map(|e| e.patience.to_string()).unwrap_or_default()} placeholder="off" spec={s.clone()}
                onspec={p.onspec.clone()} min={AttrValue::from("1")} step={AttrValue::from("1")}
                hint="Stop after this many epochs without a better validation score, and keep the best weights. Empty: off." />
            if let Some(es) = es {
                <Choice name="esm" label={AttrValue::from("watching")} value={AttrValue::from(es.metric.key())} choices={metrics}
                    spec={s.clone()} onspec={p.onspec.clone()} />
                <Field name="esd" label={AttrValue::from("minimum improvement")} value={format_num(es.min_delta)} spec={s.clone()}
                    onspec={p.onspec.clone()} min={AttrValue::from("0")} />
            }
        </>
    }
}

/// The data set's own settings: size, noise, held-out shares, and what
/// applies to this kind of data.
#[function_component]
pub fn DataSettings(p: &SpecProps) -> Html {
    let s = &p.spec;
    let d = &s.data;
    let generated = d.is_generated();
    let regression = d.task() == Task::Regression;
    let loss_choices: Vec<(AttrValue, AttrValue)> =
        [("mse", "mean squared error"), ("mae", "mean absolute error"), ("huber", "Huber")]
            .into_iter()
            .map(|(v, l)| (AttrValue::from(v), AttrValue::from(l)))
            .collect();
    let loss_value = match s.regression_loss {
        RegressionLoss::Mse => "mse",
        RegressionLoss::Mae => "mae",
        RegressionLoss::Huber { .. } => "huber",
    };
    let per = if regression { "Points" } else { "Points per class" };
    html! {
        <>
            if generated {
                <Field name="n" label={AttrValue::from(per)} value={d.n_per_class.to_string()} spec={s.clone()} onspec={p.onspec.clone()}
                    min={AttrValue::from(limits::MIN_POINTS_PER_CLASS.to_string())} max={AttrValue::from(limits::MAX_POINTS_PER_CLASS.to_string())}
                    step={AttrValue::from("1")} />
                <Field name="noise" label={AttrValue::from("Noise")} value={format_num(d.noise)} spec={s.clone()} onspec={p.onspec.clone()}
                    min={AttrValue::from("0")} max={AttrValue::from("1")} step={AttrValue::from("0.05")} />
            }
            if d.kind == DataKind::Blobs {
                <Field name="classes" label={AttrValue::from("Classes")} value={d.classes.to_string()} spec={s.clone()} onspec={p.onspec.clone()}
                    min={AttrValue::from("2")} max={AttrValue::from(limits::MAX_CLASSES.to_string())} step={AttrValue::from("1")} />
            }
            if d.kind == DataKind::Boundary {
                <Choice name="curve" label={AttrValue::from("Boundary")} value={AttrValue::from(d.curve.key())}
                    choices={crate::engine::data::generators::Curve::ALL.iter()
                        .map(|c| (AttrValue::from(c.key()), AttrValue::from(c.label()))).collect::<Vec<_>>()}
                    spec={s.clone()} onspec={p.onspec.clone()}
                    hint="Class 1 above the curve (inside the circle), class 0 below; noise moves points across it. \
                        The sine is a straight line in the sin(πx₁) feature: try Input features." />
            }
            if d.kind.is_binary_generated() {
                <Field name="minority" label={AttrValue::from("Minority share")} value={format_num(d.minority)} spec={s.clone()}
                    onspec={p.onspec.clone()} min={AttrValue::from("0.02")} max={AttrValue::from("0.5")} step={AttrValue::from("0.02")}
                    hint="Share of class 1 (0.5: balanced). Imbalanced data makes accuracy flatter than it should: watch F1." />
            }
            if regression {
                <Field name="outliers" label={AttrValue::from("Outlier share")} value={format_num(d.outliers)} spec={s.clone()}
                    onspec={p.onspec.clone()} min={AttrValue::from("0")} max={AttrValue::from("0.5")} step={AttrValue::from("0.05")} />
                <Choice name="loss" label={AttrValue::from("Loss")} value={AttrValue::from(loss_value)} choices={loss_choices}
                    spec={s.clone()} onspec={p.onspec.clone()}
                    hint="Squared error chases outliers; absolute error and Huber (squared within δ, absolute beyond) do not." />
                if let RegressionLoss::Huber { delta } = s.regression_loss {
                    <Field name="huber" label={AttrValue::from("Huber δ")} value={format_num(delta)} spec={s.clone()}
                        onspec={p.onspec.clone()} min={AttrValue::from("0")} />
                }
            }
            <Field name="val" label={AttrValue::from("Validation share")} value={format_num(s.val_ratio)} spec={s.clone()}
                onspec={p.onspec.clone()} min={AttrValue::from("0.05")} max={AttrValue::from("0.9")} step={AttrValue::from("0.05")} />
            <Field name="test" label={AttrValue::from("Test share")} value={format_num(s.test_ratio)} spec={s.clone()}
                onspec={p.onspec.clone()} min={AttrValue::from("0")} max={AttrValue::from("0.9")} step={AttrValue::from("0.05")}
                hint="Held out of training: validation is watched while tuning; test is looked at once, at the end." />
        </>
    }
}

/// Input features of 2-D data: each as a toggle with a picture of it over
/// the plane; the polynomial degree; standardization.
#[function_component]
pub fn Features(p: &SpecProps) -> Html {
    let s = &p.spec;
    let two_d = s.data.n_inputs() == 2;
    let raw = s.features_2d.is_empty();
    let toggles = Feature2d::ALL.iter().map(|&f| {
        let on = if raw { matches!(f, Feature2d::X1 | Feature2d::X2) } else { s.features_2d.contains(&f) };
        let onclick = {
            let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
            Callback::from(move |_: MouseEvent| {
                let mut next = spec.clone();
                let mut feats: Vec<Feature2d> =
                    if next.features_2d.is_empty() { vec![Feature2d::X1, Feature2d::X2] } else { next.features_2d.clone() };
                if on {
                    feats.retain(|g| *g != f);
                } else {
                    feats.push(f);
                }
                // In the engine's order; the raw pair is written as no transform.
                let feats: Vec<Feature2d> = Feature2d::ALL.into_iter().filter(|g| feats.contains(g)).collect();
                if feats.is_empty() {
                    return;
                }
                next.features_2d = if feats == [Feature2d::X1, Feature2d::X2] { Vec::new() } else { feats };
                if next.validate().is_ok() {
                    onspec.emit(next);
                }
            })
        };
        html! {
            <button class={classes!("feature", on.then_some("on"))} aria-pressed={on.to_string()} id={format!("feat-{}", f.key())}
                title={feature_label(f)} {onclick}>
                <FeatureThumb feature={f} />
                <span>{ feature_label(f) }</span>
            </button>
        }
    });
    let std_value = match s.standardize {
        None => "",
        Some(true) => "1",
        Some(false) => "0",
    };
    let default_std = if s.data.is_real() { "on" } else { "off" };
    let std_choices = vec![
        (AttrValue::from(""), AttrValue::from(format!("default ({default_std})"))),
        (AttrValue::from("1"), AttrValue::from("on")),
        (AttrValue::from("0"), AttrValue::from("off")),
    ];
    html! {
        <>
            if two_d {
                <div class="features" role="group" aria-label="Input features">{ for toggles }</div>
                <p class="hint">{ "What the network is given of each point. x₁² + x₂² makes a circle a straight cut; sin(πx) \
                    suits waves. Features chosen well can replace hidden layers." }</p>
            }
            <Field name="poly" label={AttrValue::from("Polynomial degree")} value={s.poly_degree.to_string()} spec={s.clone()}
                onspec={p.onspec.clone()} min={AttrValue::from("1")} max={AttrValue::from(limits::MAX_POLY_DEGREE.to_string())}
                step={AttrValue::from("1")} hint="2 adds every product of two inputs, 3 of three." />
            <Choice name="std" label={AttrValue::from("Standardize")} value={AttrValue::from(std_value)} choices={std_choices}
                spec={s.clone()} onspec={p.onspec.clone()}
                hint="Rescales each input to mean 0 and standard deviation 1 on the training set." />
        </>
    }
}

pub fn feature_label(f: Feature2d) -> &'static str {
    match f {
        Feature2d::X1 => "x₁",
        Feature2d::X2 => "x₂",
        Feature2d::X1Squared => "x₁²",
        Feature2d::X2Squared => "x₂²",
        Feature2d::X1X2 => "x₁x₂",
        Feature2d::SinX1 => "sin x₁",
        Feature2d::SinX2 => "sin x₂",
        Feature2d::CosX1 => "cos x₁",
        Feature2d::CosX2 => "cos x₂",
    }
}

#[derive(Properties, PartialEq)]
struct ThumbProps {
    feature: Feature2d,
}

/// A feature over the plane [−1, 1]²: orange negative, blue positive (as
/// the data view colours the classes).
#[function_component]
fn FeatureThumb(p: &ThumbProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(p.feature, move |&f| {
            if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                draw_thumb(&canvas, f);
            }
        });
    }
    html! { <canvas class="thumb" width="24" height="24" ref={node} aria-hidden="true"></canvas> }
}

fn draw_thumb(canvas: &HtmlCanvasElement, f: Feature2d) {
    use wasm_bindgen::{Clamped, JsCast};
    const N: usize = 24;
    let Some(ctx) =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    // The plane the data view shows.
    let e = crate::worker::protocol::BOUNDARY_EXTENT;
    let values: Vec<f32> = (0..N * N)
        .map(|i| {
            let (col, row) = (i % N, i / N);
            let x = e * (-1.0 + 2.0 * (col as f32 + 0.5) / N as f32);
            let y = e * (1.0 - 2.0 * (row as f32 + 0.5) / N as f32);
            f.value([x, y])
        })
        .collect();
    let scale = values.iter().fold(1e-6f32, |m, v| m.max(v.abs()));
    let pixels: Vec<u8> = values.iter().flat_map(|v| crate::ui::charts::diverging(v / scale)).collect();
    if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), N as u32, N as u32) {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}
