//! Compare runs: the runs kept, each with its colour, name and visibility,
//! and one metric of all of them overlaid.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::figure::SaveFigure;
use super::hover::{Row, readout, use_chart_hover};
use super::views::{DataView, use_canvas, use_data_split};
use super::what_if::WhatIf;
use crate::engine::train::{EpochRecord, LayerStats, Metric};
use crate::experiment::{ExperimentSpec, lab_to_query};
use crate::figure::RunChart;
use crate::plot::{format_value, nearest};
use crate::ui::charts;
use crate::ui::state::{KeptRun, Quantity};

#[derive(Properties, PartialEq)]
pub struct KeptRunsPanelProps {
    pub runs: Vec<KeptRun>,
    pub metric: Quantity,
    pub log_y: bool,
    pub onmetric: Callback<Quantity>,
    pub onlogy: Callback<()>,
    pub ontoggle: Callback<u32>,
    pub onremove: Callback<u32>,
    /// Load a run's experiment into the controls (change one thing, train again).
    pub onload: Callback<ExperimentSpec>,
    /// Train a variant of a kept run and keep it.
    pub onvariant: Callback<ExperimentSpec>,
    /// The worker is training something a variant would interrupt.
    pub busy: bool,
    /// The lab's experiment (the figure's link: it and the kept runs).
    pub lab: ExperimentSpec,
}

#[function_component]
pub fn KeptRunsPanel(p: &KeptRunsPanelProps) -> Html {
    let hover = use_chart_hover();
    // The kept run a "what if" form is open for.
    let varying = use_state(|| None::<u32>);
    let frame = hover.frame.clone();
    let canvas = use_canvas("comparison", (p.runs.clone(), p.metric, p.log_y), move |c, (runs, metric, log_y)| {
        let drawn = charts::kept::draw(c, runs, *metric, *log_y);
        *frame.borrow_mut() = drawn.as_ref().ok().copied();
        drawn.map(drop)
    });
    // The metrics every kept run reports, and the learning rate.
    let metrics: Vec<Quantity> = Metric::ALL
        .into_iter()
        .filter(|m| p.runs.iter().all(|r| r.spec.metrics().contains(m)))
        .map(Quantity::Metric)
        .chain([Quantity::Lr])
        // Inside the network, where every kept run measured it.
        .chain(
            crate::ui::state::Inside::ALL
                .into_iter()
                .filter(|_| p.runs.iter().all(|r| r.history.with_diagnostics().next().is_some()))
                .map(Quantity::Inside),
        )
        .collect();
    // The figure of what the chart shows.
    let chart = match p.metric {
        Quantity::Metric(Metric::Loss) => Some(RunChart::Loss),
        Quantity::Metric(m) => Some(RunChart::Metric(m)),
        Quantity::Lr => Some(RunChart::Lr),
        Quantity::Inside(_) => None,
    };
    let kept_figure = {
        let (runs, lab, quantity) = (p.runs.clone(), p.lab.clone(), p.metric);
        Callback::from(move |()| {
            let specs: Vec<ExperimentSpec> = runs.iter().map(|r| r.spec.clone()).collect();
            let link = crate::ui::address::full_link(&lab_to_query(&lab, &specs));
            if let Quantity::Inside(inside) = quantity {
                let epochs: Vec<Vec<(usize, &[LayerStats])>> = runs
                    .iter()
                    .map(|r| r.history.with_diagnostics().map(|(rec, d)| (rec.epoch, d)).collect())
                    .collect();
                let shown: Vec<(&str, usize, &crate::figure::LayerEpochs)> =
                    runs.iter().zip(&epochs).map(|(r, e)| (r.label.as_str(), r.key as usize, e.as_slice())).collect();
                return Some(crate::figure::kept_inside(inside, &shown, &link));
            }
            let chart = chart?;
            let records: Vec<Vec<EpochRecord>> = runs.iter().map(|r| r.history.iter().copied().collect()).collect();
            let shown: Vec<(&str, usize, &[EpochRecord])> =
                runs.iter().zip(&records).map(|(r, h)| (r.label.as_str(), r.key as usize, h.as_slice())).collect();
            Some(crate::figure::kept(chart, &shown, &link))
        })
    };
    let readout = hover.at.zip(*hover.frame.borrow()).and_then(|(at, frame)| {
        let visible = p.runs.iter().filter(|r| r.visible);
        let epochs = visible.clone().flat_map(|r| r.history.last().map(|l| l.epoch));
        let max_epoch = epochs.max()?;
        let epoch = (at.x.round() as usize).clamp(1, max_epoch);
        let rows = visible
            .filter_map(|run| {
                let i = nearest(run.history.iter().map(|r| r.epoch as f64), epoch as f64)?;
                let rec = run.history.iter().nth(i).filter(|r| r.epoch == epoch)?;
                let (train, val) = match p.metric {
                    Quantity::Inside(q) => (
                        run.history.with_diagnostics().find(|(r, _)| r.epoch == epoch).and_then(|(_, d)| q.of(d)),
                        None,
                    ),
                    m => (charts::kept::value(rec, m, true), charts::kept::value(rec, m, false)),
                };
                let text = match (train, val) {
                    (Some(t), Some(v)) => format!("{}: {} / {}", run.label, format_value(t), format_value(v)),
                    (t, v) => format!("{}: {}", run.label, format_value(t.or(v).unwrap_or(f64::NAN))),
                };
                Some(Row { colour: Some(crate::ui::palette::series(run.key as usize)), text })
            })
            .collect();
        let title = match p.metric {
            Quantity::Lr => format!("epoch {epoch} · learning rate"),
            Quantity::Inside(q) => format!("epoch {epoch} · {}", q.label()),
            q => format!("epoch {epoch} · {} training / validation", q.label()),
        };
        Some(readout(&frame, epoch as f64, title, rows))
    });
    let metric_ref = crate::ui::components::use_select_value(p.metric.key().to_string());
    let on_metric = {
        let onmetric = p.onmetric.clone();
        Callback::from(move |e: Event| {
            if let Some(m) = Quantity::from_key(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
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
                                    <option value={m.key()} selected={*m == p.metric}>{ m.label() }</option>
                                }) }
                            </select>
                        </label>
                        <label class="check">
                            <input id="compare-log" type="checkbox" checked={p.log_y} onchange={p.onlogy.reform(|_: Event| ())} />
                            { " log scale" }
                        </label>
                        <KeptDownloads runs={p.runs.clone()} />
                    </div>
                    <div class="chart-wrap">
                        <canvas id="compare-chart" ref={canvas} role="img" aria-label="The kept runs' metric per epoch; arrow keys read the values"
                            onpointermove={hover.onmove} onpointerleave={hover.onleave}
                            tabindex="0" onkeydown={hover.onkey} onfocus={hover.onfocus} onblur={hover.onblur}></canvas>
                        { readout.unwrap_or_default() }
                    </div>
                    <SaveFigure id="kept" stem={format!("kept-{}", p.metric.key().replace('_', "-"))}
                        disabled={p.runs.iter().all(|r| r.history.is_empty())} figure={kept_figure} />
                </div>
                <ul class="run-list">
                    { for p.runs.iter().map(|run| {
                        let (r, g, b) = crate::ui::palette::series(run.key as usize);
                        let key = run.key;
                        let last = run.history.last();
                        let final_text = last.map_or(String::new(), |l| format!("{} epochs · loss {:.4}", l.epoch, l.train.loss));
                        let spec = run.spec.clone();
                        html! {
                            <li class="run" data-key={key.to_string()} data-ended={run.ended.to_string()}>
                                <label class="check">
                                    <input type="checkbox" checked={run.visible} aria-label={format!("Show {}", run.label)}
                                        onchange={p.ontoggle.reform(move |_: Event| key)} />
                                    <span class="dot" style={format!("background: rgb({r},{g},{b})")}></span>
                                    <span class="run-name">{ run.label.clone() }</span>
                                </label>
                                <span class="run-final">{ final_text }</span>
                                <span class="run-actions">
                                    <button title="Train a copy of this run with one thing changed"
                                        onclick={{ let v = varying.clone(); Callback::from(move |_: MouseEvent| v.set(Some(key))) }}>
                                        { "What if…" }</button>
                                    <button title="Load this experiment into the controls" onclick={p.onload.reform(move |_: MouseEvent| spec.clone())}>{ "Load" }</button>
                                    <button title="Remove from the comparison" onclick={p.onremove.reform(move |_: MouseEvent| key)}>{ "Remove" }</button>
                                </span>
                            </li>
                        }
                    }) }
                </ul>
            </div>
            if let Some(base) = varying.and_then(|k| p.runs.iter().find(|r| r.key == k)) {
                <WhatIf base_label={base.label.clone()} base={base.spec.clone()} busy={p.busy}
                    onrun={{ let (v, on) = (varying.clone(), p.onvariant.clone()); Callback::from(move |s| { v.set(None); on.emit(s); }) }}
                    oncancel={{ let v = varying.clone(); Callback::from(move |_| v.set(None)) }} />
            }
            <SmallMultiples runs={p.runs.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SmallMultiplesProps {
    runs: Vec<KeptRun>,
}

/// What each visible kept run learned, side by side: one small data view per
/// run (its decision boundary, class map or fitted curve), in the run's colour.
#[function_component]
fn SmallMultiples(p: &SmallMultiplesProps) -> Html {
    let shown: Vec<&KeptRun> = p.runs.iter().filter(|r| r.visible).collect();
    if shown.is_empty() {
        return html! {};
    }
    html! {
        <div class="multiples" id="multiples" aria-label="What each kept run learned">
            <h3>{ "What each run learned" }</h3>
            <div class="multiples-grid">
                { for shown.into_iter().map(|run| html! { <RunPicture key={run.key} run={run.clone()} /> }) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RunPictureProps {
    run: KeptRun,
}

#[function_component]
fn RunPicture(p: &RunPictureProps) -> Html {
    let split = use_data_split(&p.run.spec);
    let (r, g, b) = crate::ui::palette::series(p.run.key as usize);
    let status = match p.run.history.last() {
        None => "training…".to_string(),
        Some(l) if !p.run.ended => format!("training… epoch {}", l.epoch),
        Some(l) => format!("epoch {} · loss {:.4}", l.epoch, l.train.loss),
    };
    html! {
        <figure class="multiple" data-key={p.run.key.to_string()} style={format!("border-top-color: rgb({r},{g},{b})")}>
            <figcaption><span class="dot" style={format!("background: rgb({r},{g},{b})")}></span>{ p.run.label.clone() }
                <small>{ status }</small></figcaption>
            <DataView split={split} view={p.run.view.clone()} spec={p.run.spec.clone()} id={None::<AttrValue>} />
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct KeptDownloadsProps {
    runs: Vec<KeptRun>,
}

/// The kept runs as one file: CSV where their metrics line up, JSON lines always.
#[function_component]
fn KeptDownloads(p: &KeptDownloadsProps) -> Html {
    use crate::experiment::export::{KeptRecords, kept_csv, kept_json};
    let error = use_state(|| None::<String>);
    let button = |json: bool| {
        let (runs, error) = (p.runs.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let kept: Vec<KeptRecords> = runs
                .iter()
                .map(|r| KeptRecords {
                    label: &r.label,
                    query: crate::experiment::to_query(&r.spec),
                    metrics: r.spec.metrics(),
                    records: r.history.iter().collect(),
                    state: if r.ended { r.state } else { crate::engine::train::RunState::Training },
                })
                .collect();
            let file = if json {
                Some(("hyperlab-kept-runs.jsonl", "application/x-ndjson", kept_json(&kept)))
            } else {
                kept_csv(&kept).map(|csv| ("hyperlab-kept-runs.csv", "text/csv", csv))
            };
            error.set(match file {
                Some((name, mime, text)) => crate::ui::components::export::download(name, mime, &text).err(),
                None => Some(
                    "These runs report different metrics (different tasks): their columns do not line up \
                    in one CSV — download JSON instead."
                        .into(),
                ),
            });
        })
    };
    html! {
        <div class="downloads" role="group" aria-label="Download the kept runs">
            <button id="download-kept-csv" onclick={button(false)}
                title="Every kept run's records, a row per epoch, with its name and link">{ "Download CSV" }</button>
            <button id="download-kept-json" onclick={button(true)}
                title="The same as JSON lines">{ "JSON" }</button>
            if let Some(e) = (*error).clone() { <p class="error" role="alert">{ e }</p> }
        </div>
    }
}
