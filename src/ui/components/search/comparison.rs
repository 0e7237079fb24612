//! An equal-budget comparison of search methods: its progress, and each
//! method's best score so far against trials or epochs spent.

use std::rc::Rc;

use yew::prelude::*;

use crate::plot::format_value;
use crate::ui::charts;
use crate::ui::components::figure::SaveFigure;
use crate::ui::components::views::use_canvas;
use crate::ui::state::Comparison;

#[derive(Properties, PartialEq)]
pub(super) struct ComparisonProps {
    pub(super) comparison: Rc<Comparison>,
    pub(super) oncancel: Callback<()>,
    /// "Beat the search": the student's best so far, drawn beside the methods.
    #[prop_or_default]
    pub(super) you: Option<crate::experiment::search::MethodCurve>,
    /// The experiment and search settings compared, as a link's query (the figure's link).
    pub(super) source: AttrValue,
    /// The user's data the source names, if it does.
    #[prop_or_default]
    pub(super) own: Option<crate::experiment::OwnData>,
}

#[function_component]
pub(super) fn ComparisonView(p: &ComparisonProps) -> Html {
    let by_epochs = use_state(|| false);
    let download_error = use_state(|| None::<String>);
    let c = &p.comparison;
    let label = format!("best validation {}", c.metric.map_or("score", |m| m.key()).replace('_', " "));
    let curves = c.curves.clone().map(|mut curves| {
        curves.extend(p.you.clone());
        curves
    });
    let canvas = use_canvas("comparison", (curves, *by_epochs), move |el, (curves, by_epochs)| match curves {
        Some(curves) => charts::search::draw_comparison(el, curves, &label, *by_epochs).map(drop),
        None => Ok(()),
    });
    let progress = if c.running() && c.total > 0 {
        let elapsed = (crate::ui::state::now_ms() - c.started_ms) / 1000.0;
        let eta = match elapsed / c.done.max(1) as f64 * c.total.saturating_sub(c.done) as f64 {
            _ if c.done == 0 => String::new(),
            t if t < 10.0 => format!(" · about {t:.1} s left"),
            t => format!(" · about {t:.0} s left"),
        };
        format!("Comparing: {} of {} trials (every method, every seed){eta}", c.done, c.total)
    } else {
        "Starting the comparison…".into()
    };
    let finals: Vec<String> = c
        .curves
        .iter()
        .flatten()
        .map(|m| format!("{}={}", m.method, m.median.last().map_or(String::new(), |v| format_value(*v))))
        .collect();
    html! {
        <div id="comparison" data-done={c.curves.is_some().to_string()} data-finals={finals.join(",")}
            data-progress={format!("{}/{}", c.done, c.total)}>
            if let Some(e) = &c.error {
                <p class="error" role="alert">{ format!("Could not compare: {e}") }</p>
            } else if c.cancelled {
                <p id="comparison-status">{ format!("Cancelled after {} of {} trials: nothing to compare until every \
                    method has had its whole budget.", c.done, c.total) }</p>
            } else if c.curves.is_none() {
                <p id="comparison-status">{ progress }</p>
                <progress id="comparison-progress" max={c.total.max(1).to_string()} value={c.done.to_string()}></progress>
                <div class="buttons">
                    <button id="compare-cancel" onclick={p.oncancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                </div>
            } else {
                <p id="comparison-status">{ format!("After the last trial (median over seeds): {}", finals.join(" · ").replace('=', " ")) }</p>
                if let (Some(curves), Some(metric)) = (c.curves.clone(), c.metric) {
                    <div class="downloads">
                        <button id="download-comparison" title="Per method and trial, as `hyperlab search` prints this comparison"
                            onclick={{
                                let (error, curves) = (download_error.clone(), curves.clone());
                                Callback::from(move |_: MouseEvent| {
                                    let csv = crate::experiment::export::comparison_csv(&curves, metric);
                                    error.set(crate::ui::components::export::download("hyperlab-comparison.csv", "text/csv", &csv).err());
                                })
                            }}>{ "Download the curves (CSV)" }</button>
                        if let Some(e) = (*download_error).clone() { <p class="error" role="alert">{ e }</p> }
                    </div>
                    <SaveFigure id="comparison" stem="comparison" disabled={false} figure={{
                        let (curves, source, own) = (curves.clone(), p.source.clone(), p.own.clone());
                        Callback::from(move |()| {
                            let (base, search) = crate::experiment::search::prepare_with(&source, own.as_ref()).ok()?;
                            let link = crate::experiment::search::search_link(&crate::ui::address::page_address(), &base, &search);
                            Some(crate::figure::comparison(&curves, metric, &link))
                        })
                    }} />
                }
                <div class="segmented" role="group" aria-label="Plot against">
                    <button id="compare-by-trials" aria-pressed={(!*by_epochs).to_string()}
                        onclick={{ let b = by_epochs.clone(); Callback::from(move |_: MouseEvent| b.set(false)) }}>{ "against trials" }</button>
                    <button id="compare-by-epochs" aria-pressed={by_epochs.to_string()}
                        onclick={{ let b = by_epochs.clone(); Callback::from(move |_: MouseEvent| b.set(true)) }}>{ "against epochs spent" }</button>
                </div>
            }
            <canvas id="comparison-chart" ref={canvas} role="img"
                aria-label="Best score so far against trials for each method: median and middle half over seeds"></canvas>
        </div>
    }
}
