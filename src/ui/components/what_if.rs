//! "What if only one thing differed?": a kept run, one field changed, trained
//! and kept beside it.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::experiment::ExperimentSpec;
use crate::experiment::vary::{VARIATIONS, vary};

#[derive(Properties, PartialEq)]
pub struct WhatIfProps {
    pub base_label: AttrValue,
    pub base: ExperimentSpec,
    /// The worker is training something a variant would interrupt.
    pub busy: bool,
    pub onrun: Callback<ExperimentSpec>,
    pub oncancel: Callback<()>,
}

#[function_component]
pub fn WhatIf(p: &WhatIfProps) -> Html {
    let field = use_state(|| VARIATIONS[0].key);
    let error = use_state(|| None::<String>);
    let value = use_node_ref();
    let variation = VARIATIONS.iter().find(|v| v.key == *field).unwrap_or(&VARIATIONS[0]);
    let onfield = {
        let (field, error, value) = (field.clone(), error.clone(), value.clone());
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(v) = VARIATIONS.iter().find(|v| v.key == key) {
                field.set(v.key);
                error.set(None);
                if let Some(input) = value.cast::<HtmlInputElement>() {
                    input.set_value("");
                }
            }
        })
    };
    let onsubmit = {
        let (field, error, value, base, onrun) =
            (field.clone(), error.clone(), value.clone(), p.base.clone(), p.onrun.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = value.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            match vary(&base, *field, &text) {
                Ok(spec) => {
                    error.set(None);
                    onrun.emit(spec);
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    let list_id = format!("what-if-values-{}", variation.key);
    html! {
        <form class="what-if" id="what-if" {onsubmit} aria-label="Train a variant of a kept run">
            <p>{ "What if " }<strong>{ p.base_label.clone() }</strong>{ " had a different…" }</p>
            <div class="what-if-row">
                <label class="field">
                    <span>{ "Field" }</span>
                    <select id="what-if-field" onchange={onfield}>
                        { for VARIATIONS.iter().map(|v| html! {
                            <option value={v.key} selected={v.key == *field}>{ v.label() }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "Value" }</span>
                    <input id="what-if-value" ref={value} list={list_id.clone()} autocomplete="off"
                        placeholder={variation.suggestions.first().copied().unwrap_or("")} />
                    <datalist id={list_id}>
                        { for variation.suggestions.iter().map(|s| html! { <option value={*s} /> }) }
                    </datalist>
                </label>
                <button type="submit" id="what-if-run" class="primary" disabled={p.busy}
                    title={if p.busy { "Wait for the current training to finish" } else { "Train the variant and keep it here" }}>
                    { "Train variant" }
                </button>
                <button type="button" onclick={p.oncancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            </div>
            if p.busy {
                <p class="hint">{ "The trainer is busy: a variant starts once the current training is over." }</p>
            }
            if let Some(message) = (*error).clone() {
                <p class="error" id="what-if-error" role="alert">{ message }</p>
            }
        </form>
    }
}
