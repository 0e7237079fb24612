//! The learning-rate schedule: which one, its formula, its parameters; and
//! the live learning-rate controls used while a run trains.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::schedule::ScheduleConfig;
use crate::experiment::ExperimentSpec;
use crate::experiment::keys::{KEYS, Slot};

#[derive(Properties, PartialEq)]
pub struct ScheduleFormProps {
    pub spec: ExperimentSpec,
    pub onspec: Callback<ExperimentSpec>,
}

#[function_component]
pub fn ScheduleForm(p: &ScheduleFormProps) -> Html {
    let on_kind = {
        let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(mut schedule) = ScheduleConfig::from_key(&key) {
                schedule.span(spec.n_epochs);
                onspec.emit(ExperimentSpec { schedule, ..spec.clone() });
            }
        })
    };
    let current = p.spec.schedule.key();
    let select_ref = crate::ui::components::use_select_value(current.to_string());
    let mut config = p.spec.schedule.clone();
    // The numeric parameters of this schedule, in the key table's order.
    let params = KEYS.iter().filter(|k| matches!(k.slot, Slot::Schedule(_))).filter_map(|key| {
        let value = config.field(key.field)?.get();
        let (spec, onspec) = (p.spec.clone(), p.onspec.clone());
        let onchange = Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Ok(v) = input.value().trim().parse::<f64>() else { return };
            let mut schedule: ScheduleConfig = spec.schedule.clone();
            if let Some(field) = schedule.field(key.field) {
                field.set(v);
            }
            // Only a valid schedule is applied; the field keeps what was typed.
            if schedule.validate().is_ok() {
                onspec.emit(ExperimentSpec { schedule, ..spec.clone() });
            } else {
                input.set_custom_validity("out of range");
                input.report_validity();
                input.set_custom_validity("");
            }
        });
        Some(html! {
            <label class="param">
                <span>{ key.label }</span>
                <input type="number" step="any" id={format!("sched-{}", key.name)} value={value.to_string()} {onchange} />
            </label>
        })
    });
    html! {
        <div class="schedule">
            <label class="field">
                <span>{ "Schedule" }</span>
                <select id="schedule" ref={select_ref} onchange={on_kind}>
                    { for ScheduleConfig::KEYS.iter().map(|&key| {
                        let label = ScheduleConfig::from_key(key).map_or("?", |s| s.label());
                        html! { <option value={key} selected={key == current}>{ label }</option> }
                    }) }
                </select>
            </label>
            <p class="formula" id="formula"><code>{ p.spec.schedule.formula() }</code></p>
            if let Some(warning) = schedule_warning(&p.spec) {
                <p class="field-error" id="schedule-warning" role="status">{ warning }</p>
            }
            <div class="params">{ for params }</div>
        </div>
    }
}

/// What makes this schedule do nothing it promises: a cyclic rate whose
/// bounds coincide (or are the wrong way round) does not cycle.
fn schedule_warning(spec: &ExperimentSpec) -> Option<String> {
    match spec.schedule {
        ScheduleConfig::Cyclic { min_lr, .. } if min_lr >= spec.lr => Some(format!(
            "The lower rate ({}) is not below the learning rate ({}), the upper one: the rate will not cycle. \
             Lower the minimum lr or raise the learning rate.",
            crate::plot::format_lr(min_lr),
            crate::plot::format_lr(spec.lr)
        )),
        _ => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct LiveLrProps {
    /// The learning rate in use.
    pub lr: f64,
    /// A run exists that the change would apply to.
    pub enabled: bool,
    pub onset: Callback<f64>,
}

/// ÷10, ×10 and a log slider (10⁻⁵ … 10): changes apply from the next epoch.
#[function_component]
pub fn LiveLr(p: &LiveLrProps) -> Html {
    // Three significant digits: ÷10 of 0.082 is 0.0082, not 0.008199999999999999.
    let clamp = |lr: f64| format!("{:.2e}", lr.clamp(1e-5, 10.0)).parse::<f64>().unwrap_or(lr);
    let set = |factor: f64| {
        let (onset, lr) = (p.onset.clone(), p.lr);
        Callback::from(move |_: MouseEvent| onset.emit(clamp(lr * factor)))
    };
    let on_slide = {
        let onset = p.onset.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<f64>() {
                // Two significant digits: the slider picks a magnitude, not a number.
                let lr = libm::pow(10.0, v);
                let rounded = format!("{lr:.1e}").parse::<f64>().unwrap_or(lr);
                onset.emit(rounded.clamp(1e-5, 10.0));
            }
        })
    };
    let log = libm::log10(p.lr.max(1e-5));
    html! {
        <div class="live-lr" role="group" aria-label="Change the learning rate while training">
            <span class="live-label">{ "Live lr " }<strong id="live-lr">{ crate::plot::format_lr(p.lr) }</strong></span>
            <button id="lr-down" disabled={!p.enabled} title="Divide the learning rate by 10 from the next epoch" onclick={set(0.1)}>{ "÷10" }</button>
            <input id="lr-slider" type="range" min="-5" max="1" step="0.05" value={log.to_string()}
                disabled={!p.enabled} aria-label="Learning rate (log scale)" onchange={on_slide} />
            <button id="lr-up" disabled={!p.enabled} title="Multiply the learning rate by 10 from the next epoch" onclick={set(10.0)}>{ "×10" }</button>
        </div>
    }
}
