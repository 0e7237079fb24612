//! The LR range test panel: the curve, the suggestions with their rules, and
//! one click to use a suggestion.

use std::rc::Rc;

use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::engine::train::lr_finder::LrFinderResult;
use crate::ui::charts;
use crate::ui::components::controls::format_lr;

#[derive(Properties, PartialEq)]
pub struct LrFinderProps {
    /// `None` while the worker computes it.
    pub result: Option<Rc<LrFinderResult>>,
    pub onuse: Callback<f64>,
    pub onclose: Callback<()>,
}

#[function_component]
pub fn LrFinderPanel(p: &LrFinderProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(p.result.clone(), move |result| {
            if let (Some(c), Some(r)) = (canvas.cast::<HtmlCanvasElement>(), result) {
                if let Err(e) = charts::lr_finder::draw(&c, r) {
                    web_sys::console::warn_1(&format!("hyperlab: could not draw the LR range test: {e}").into());
                }
            }
        });
    }
    let body = match &p.result {
        None => html! { <p class="hint">{ "Sweeping the learning rate…" }</p> },
        Some(r) => html! {
            <>
                <canvas id="lr-finder-chart" ref={canvas} role="img"
                    aria-label="Smoothed loss against the learning rate, with the suggested rates marked"></canvas>
                if r.suggestions.is_empty() {
                    <p class="hint" id="lr-suggestion">
                        { "The loss did not fall anywhere in the sweep: this network learns too slowly here for a short test. \
                           Try Adam, a smaller batch, or the four regimes." }
                    </p>
                }
                <ul class="suggestions">
                    { for r.suggestions.iter().map(|s| {
                        let lr = s.lr;
                        let rounded: f64 = format!("{lr:.1e}").parse().unwrap_or(lr);
                        let onuse = p.onuse.clone();
                        html! {
                            <li class="suggestion">
                                <strong>{ format_lr(rounded) }</strong>{ " — " }{ s.rule.clone() }
                                <button class="use-lr" onclick={Callback::from(move |_: MouseEvent| onuse.emit(rounded))}>
                                    { format!("Use {}", format_lr(rounded)) }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </>
        },
    };
    html! {
        <section class="panel lr-finder" id="lr-finder" aria-label="Learning-rate range test">
            <div class="regimes-head">
                <h2>{ "Find a learning rate" }</h2>
                <p class="hint">{ "One short run with the learning rate growing from 0.00001 to 10, batch by batch \
                    (Smith's range test): the loss barely moves, then falls fastest, then explodes." }</p>
                <button id="close-lr-finder" onclick={p.onclose.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            { body }
        </section>
    }
}
