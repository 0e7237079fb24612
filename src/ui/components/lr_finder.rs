//! The LR range test panel: the curve, the suggestions with their rules, and
//! one click to use a suggestion.

use std::rc::Rc;

use yew::prelude::*;

use super::figure::SaveFigure;
use super::hover::{Row, readout, use_chart_hover};
use super::views::use_canvas;
use crate::engine::train::lr_finder::LrFinderResult;
use crate::experiment::{ExperimentSpec, to_query};
use crate::plot::format_lr;
use crate::plot::{format_value, nearest};
use crate::ui::charts;

#[derive(Properties, PartialEq)]
pub struct LrFinderProps {
    /// `None` while the worker computes it.
    pub result: Option<Rc<LrFinderResult>>,
    pub onuse: Callback<f64>,
    pub onclose: Callback<()>,
    /// The experiment the test ran on, for the figure's title and link.
    pub spec: ExperimentSpec,
    /// Scrolls itself into view when it appears (not when a lesson step
    /// opened it: the step's text keeps the view).
    pub into_view: bool,
}

#[function_component]
pub fn LrFinderPanel(p: &LrFinderProps) -> Html {
    let in_view = crate::ui::components::use_in_view(p.into_view);
    let hover = use_chart_hover();
    let frame = hover.frame.clone();
    let canvas = use_canvas("LR range test", p.result.clone(), move |c, result| {
        let Some(r) = result else { return Ok(()) };
        *frame.borrow_mut() = charts::lr_finder::draw(c, r)?;
        Ok(())
    });
    let readout = hover.at.zip(*hover.frame.borrow()).zip(p.result.as_ref()).and_then(|((at, frame), r)| {
        let i = nearest(r.lrs.iter().copied().map(f64::ln), at.x.ln())?;
        let rows = vec![
            Row { colour: Some(charts::BLUE), text: format!("smoothed loss {}", format_value(r.smoothed[i])) },
            Row { colour: None, text: format!("raw loss {}", format_value(r.losses[i])) },
        ];
        Some(readout(&frame, r.lrs[i], format!("learning rate {}", format_lr(r.lrs[i])), rows))
    });
    let figure = use_callback((p.result.clone(), p.spec.clone()), |(), (result, spec)| {
        let link = crate::ui::address::full_link(&to_query(spec));
        result.as_ref().map(|r| crate::figure::lr_range(r, spec, &link))
    });
    let body = match &p.result {
        // As tall as the chart and suggestions that replace it: the panel,
        // scrolled into view as it opens, stays in view when they come.
        None => html! { <p class="hint sweeping">{ "Sweeping the learning rate…" }</p> },
        Some(r) => html! {
            <>
                <div class="chart-wrap">
                    <canvas id="lr-finder-chart" ref={canvas} role="img" onpointermove={hover.onmove.clone()}
                        onpointerleave={hover.onleave.clone()} tabindex="0" onkeydown={hover.onkey.clone()}
                        onfocus={hover.onfocus.clone()} onblur={hover.onblur.clone()}
                        aria-label="Smoothed loss against the learning rate, with the suggested rates marked; arrow keys read the values"></canvas>
                    { readout.unwrap_or_default() }
                </div>
                <SaveFigure id="lr-finder" stem="lr-range-test" disabled={false} figure={figure.clone()} />
                if r.suggestions.is_empty() {
                    <p class="hint" id="lr-suggestion">
                        { "The loss did not fall anywhere in the sweep: this network learns too slowly here for a short test. \
                           Try Adam, a smaller batch, or the four regimes." }
                    </p>
                }
                <ul class="suggestions">
                    { for r.suggestions.iter().enumerate().map(|(i, s)| {
                        let lr = s.lr;
                        let rounded: f64 = format!("{lr:.1e}").parse().unwrap_or(lr);
                        let onuse = p.onuse.clone();
                        let (cr, cg, cb) = crate::ui::palette::SUGGESTIONS[i % 2];
                        html! {
                            <li class="suggestion">
                                <span class="dot" style={format!("background: rgb({cr},{cg},{cb})")}></span>
                                <span class="suggestion-name">{ if i == 0 { "Suggestion 1: " } else { "Suggestion 2: " } }</span>
                                <strong>{ format_lr(rounded) }</strong>{ " — " }{ s.rule.clone() }
                                <button class="use-lr" onclick={Callback::from(move |_: MouseEvent| onuse.emit(rounded))}>
                                    { format!("Use {}", format_lr(rounded)) }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                if !r.suggestions.is_empty() {
                    <p class="hint" id="lr-next">{ "Use sets the experiment's learning rate and closes this test; then press Train \
                        (beside the loss chart) to train with it." }</p>
                }
            </>
        },
    };
    html! {
        <section class="panel lr-finder" id="lr-finder" ref={in_view} aria-label="Learning-rate range test">
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
