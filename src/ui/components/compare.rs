//! Compare runs: the runs kept, each with its colour, name and visibility,
//! and one metric of all of them overlaid.

use web_sys::{HtmlCanvasElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::train::Metric;
use crate::experiment::ExperimentSpec;
use crate::ui::charts;
use crate::ui::charts::boundary::class_colour;
use crate::ui::state::ComparedRun;

#[derive(Properties, PartialEq)]
pub struct ComparePanelProps {
    pub runs: Vec<ComparedRun>,
    pub metric: Metric,
    pub log_y: bool,
    pub onmetric: Callback<Metric>,
    pub onlogy: Callback<()>,
    pub ontoggle: Callback<u32>,
    pub onremove: Callback<u32>,
    /// Load a run's experiment into the controls (change one thing, train again).
    pub onload: Callback<ExperimentSpec>,
}

#[function_component]
pub fn ComparePanel(p: &ComparePanelProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with((p.runs.clone(), p.metric, p.log_y), move |(runs, metric, log_y)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                if let Err(e) = charts::compare::draw(&c, runs, *metric, *log_y) {
                    web_sys::console::warn_1(&format!("hyperlab: could not draw the comparison: {e}").into());
                }
            }
        });
    }
    // The metrics every kept run reports.
    let metrics: Vec<Metric> =
        Metric::ALL.into_iter().filter(|m| p.runs.iter().all(|r| r.spec.metrics().contains(m))).collect();
    let metric_ref = crate::ui::components::controls::use_select_value(p.metric.key().to_string());
    let on_metric = {
        let onmetric = p.onmetric.clone();
        Callback::from(move |e: Event| {
            if let Some(m) = Metric::from_key(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                onmetric.emit(m);
            }
        })
    };
    html! {
        <section class="panel compare" id="compare" aria-label="Compare runs">
            <div class="regimes-head">
                <h2>{ "Compare runs" }</h2>
                <p class="hint">{ "Solid: training, faint: validation. Load a run to change one thing and train it again." }</p>
            </div>
            <div class="compare-body">
                <div>
                    <div class="compare-controls">
                        <label class="field">
                            <span>{ "Metric" }</span>
                            <select id="compare-metric" ref={metric_ref} onchange={on_metric}>
                                { for metrics.iter().map(|m| html! {
                                    <option value={m.key()} selected={*m == p.metric}>{ m.key().replace('_', " ") }</option>
                                }) }
                            </select>
                        </label>
                        <label class="check">
                            <input id="compare-log" type="checkbox" checked={p.log_y} onchange={p.onlogy.reform(|_: Event| ())} />
                            { " log scale" }
                        </label>
                    </div>
                    <canvas id="compare-chart" ref={canvas} role="img" aria-label="The kept runs' metric per epoch"></canvas>
                </div>
                <ul class="run-list">
                    { for p.runs.iter().map(|run| {
                        let (r, g, b) = class_colour(run.key as usize, 8);
                        let key = run.key;
                        let last = run.history.last();
                        let final_text = last.map_or(String::new(), |l| format!("{} epochs · loss {:.4}", l.epoch, l.train.loss));
                        let spec = run.spec.clone();
                        html! {
                            <li class="run" data-key={key.to_string()}>
                                <label class="check">
                                    <input type="checkbox" checked={run.visible} aria-label={format!("Show {}", run.label)}
                                        onchange={p.ontoggle.reform(move |_: Event| key)} />
                                    <span class="dot" style={format!("background: rgb({r},{g},{b})")}></span>
                                    <span class="run-name">{ run.label.clone() }</span>
                                </label>
                                <span class="run-final">{ final_text }</span>
                                <span class="run-actions">
                                    <button title="Load this experiment into the controls" onclick={p.onload.reform(move |_: MouseEvent| spec.clone())}>{ "Load" }</button>
                                    <button title="Remove from the comparison" onclick={p.onremove.reform(move |_: MouseEvent| key)}>{ "Remove" }</button>
                                </span>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        </section>
    }
}
