//! "Inside the network": the per-layer diagnostics of the run, per epoch —
//! what explains the four regimes.

use yew::prelude::*;

use super::figure::SaveFigure;
use super::hover::{Row, readout, use_chart_hover};
use super::views::use_canvas;
use crate::engine::train::LayerStats;
use crate::experiment::ExperimentSpec;
use crate::plot::format_value;
use crate::ui::charts::diagnostics::{Inside, draw, layer_colour, layer_name};
use crate::ui::state::History;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub history: History,
    pub n_epochs: usize,
    /// Weight layers of the network (hidden layers and the output layer).
    pub n_layers: usize,
    /// The run's experiment, for the figures' titles and link.
    pub spec: ExperimentSpec,
}

/// The four charts that tell the regimes apart, and what to read in them.
#[function_component]
pub fn Diagnostics(p: &DiagnosticsProps) -> Html {
    // The first and the latest epoch's numbers, for tests and scripts: per layer, comma-separated.
    let join = |d: Option<&[LayerStats]>, q: Inside| {
        d.map(|d| d.iter().map(|s| q.layer(s).to_string()).collect::<Vec<_>>().join(",")).unwrap_or_default()
    };
    let first = p.history.with_diagnostics().next().map(|(_, d)| d);
    let last = p.history.with_diagnostics().last();
    let (epoch, last) = (last.map_or(0, |(r, _)| r.epoch), last.map(|(_, d)| d));
    html! {
        <section class="panel diagnostics" id="diagnostics" aria-label="Inside the network: per-layer diagnostics"
            data-epoch={epoch.to_string()} data-first-weight-norm={join(first, Inside::WeightNorm)}
            data-weight-norm={join(last, Inside::WeightNorm)} data-grad-norm={join(last, Inside::GradNorm)}
            data-update-ratio={join(last, Inside::UpdateRatio)} data-dead={join(last, Inside::Dead)}>
            <h2>{ "Inside the network" }</h2>
            <p class="legend diag-key">
                { for (0..p.n_layers).map(|l| {
                    let (r, g, b) = layer_colour(l, p.n_layers);
                    html! { <><span class="dot" style={format!("background: rgb({r},{g},{b})")}></span>{ format!("{} ", layer_name(l, p.n_layers)) }</> }
                }) }
            </p>
            <div class="diag-grid">
                { for Inside::ALL.into_iter().map(|q| html! {
                    <DiagChart history={p.history.clone()} n_epochs={p.n_epochs} quantity={q} spec={p.spec.clone()} />
                }) }
            </div>
            <p class="hint">
                { "Per weight layer, after each epoch. A healthy run updates each layer by about a thousandth of \
                   its weights per step (the grey line). Far too high a rate makes the weights grow and the units \
                   saturate (tanh, sigmoid) or die (ReLU): their gradients vanish and learning stops. Far too low a \
                   rate moves the weights by a millionth: nothing happens." }
            </p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DiagChartProps {
    history: History,
    n_epochs: usize,
    quantity: Inside,
    spec: ExperimentSpec,
}

#[function_component]
fn DiagChart(p: &DiagChartProps) -> Html {
    let hover = use_chart_hover();
    let frame = hover.frame.clone();
    let quantity = p.quantity;
    let canvas = use_canvas("diagnostics chart", (p.history.clone(), p.n_epochs), move |c, (history, n_epochs)| {
        let drawn = draw(c, history.with_diagnostics(), *n_epochs, quantity);
        *frame.borrow_mut() = drawn.as_ref().ok().copied();
        drawn.map(drop)
    });
    let readout = hover.at.zip(*hover.frame.borrow()).and_then(|(at, frame)| {
        let (rec, layers) = p
            .history
            .with_diagnostics()
            .min_by(|(a, _), (b, _)| (a.epoch as f64 - at.x).abs().total_cmp(&(b.epoch as f64 - at.x).abs()))?;
        let n = layers.len();
        let rows = layers
            .iter()
            .enumerate()
            .map(|(l, s)| Row {
                colour: Some(layer_colour(l, n)),
                text: format!("{} {}", layer_name(l, n), value_text(quantity.layer(s), quantity)),
            })
            .collect();
        Some(readout(&frame, rec.epoch as f64, format!("epoch {}", rec.epoch), rows))
    });
    let figure = use_callback((p.history.clone(), p.spec.clone(), quantity), |(), (history, spec, quantity)| {
        let epochs: Vec<(usize, &[LayerStats])> = history.with_diagnostics().map(|(r, d)| (r.epoch, d)).collect();
        let link = crate::ui::address::full_link(&crate::experiment::to_query(spec));
        (!epochs.is_empty()).then(|| crate::figure::diagnostics(*quantity, &epochs, spec, &link))
    });
    let empty = p.history.with_diagnostics().next().is_none();
    html! {
        <figure class="chart-wrap diag">
            <figcaption>{ quantity.name() }</figcaption>
            <canvas id={format!("diag-{}", quantity.key().replace('_', "-"))} class="diag-chart" ref={canvas} role="img"
                onpointermove={hover.onmove} onpointerleave={hover.onleave} tabindex="0" onkeydown={hover.onkey}
                onfocus={hover.onfocus} onblur={hover.onblur}
                aria-label={format!("{} per layer and epoch; arrow keys read the values", quantity.name())}></canvas>
            { readout.unwrap_or_default() }
            <SaveFigure id={format!("diag-{}", quantity.key().replace('_', "-"))} stem={format!("diagnostics-{}", quantity.key().replace('_', "-"))}
                disabled={empty} {figure} />
        </figure>
    }
}

fn value_text(v: f64, q: Inside) -> String {
    match q {
        _ if !v.is_finite() => "–".into(),
        Inside::Dead => format!("{:.0}%", 100.0 * v),
        _ => format_value(v),
    }
}
