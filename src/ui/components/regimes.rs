//! The four regimes side by side: the same experiment at a very high, high,
//! good and low learning rate, each with its loss curve, what it learned,
//! and the course's label for it.

use std::rc::Rc;

use yew::prelude::*;

use super::{DataView, LossChart};
use crate::engine::data::Split;
use crate::experiment::regimes::{REGIME_EPOCHS, Regime};
use crate::plot::{format_lr, format_value};
use crate::ui::state::Regimes;

#[derive(Properties, PartialEq)]
pub struct RegimesPanelProps {
    pub regimes: Rc<Regimes>,
    /// The data, when it has a picture.
    pub split: Rc<Option<Split>>,
    pub loss_label: AttrValue,
    pub onclose: Callback<()>,
}

/// A row of what the network looks like inside at the latest epoch: the
/// largest weight norm, the update ratios' range, and the most dead or
/// saturated layer (see "Inside the network").
fn inside(history: &crate::ui::state::History) -> Html {
    let Some((_, layers)) = history.with_diagnostics().last() else { return html! {} };
    let finite = |v: f64| v.is_finite().then_some(v);
    let w = layers.iter().filter_map(|s| finite(s.weight_norm)).fold(0.0f64, f64::max);
    let ratios: Vec<f64> = layers.iter().filter_map(|s| finite(s.update_ratio)).collect();
    let (lo, hi) = ratios.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    let dead = layers.iter().filter_map(|s| finite(s.dead)).fold(f64::NAN, f64::max);
    let ratio = if ratios.is_empty() {
        "–".to_string()
    } else if lo == hi {
        format_value(lo)
    } else {
        format!("{}–{}", format_value(lo), format_value(hi))
    };
    html! {
        <p class="regime-inside" title="Inside the network at the latest epoch: the largest weight norm, the update-to-weight ratios of the layers (about 1e-3 is healthy), the most dead or saturated layer">
            { format!("‖W‖ ≤ {} · update {ratio}", format_value(w)) }
            if dead.is_finite() {
                { format!(" · {:.0}% dead/saturated", 100.0 * dead) }
            }
        </p>
    }
}

fn regime_class(regime: Option<Regime>) -> &'static str {
    match regime {
        Some(Regime::Diverged) => "regime diverged",
        Some(Regime::Oscillating) => "regime oscillating",
        Some(Regime::Converged) => "regime converged",
        Some(Regime::TooSlow) => "regime too-slow",
        None => "regime pending",
    }
}

#[function_component]
pub fn RegimesPanel(p: &RegimesPanelProps) -> Html {
    let in_view = crate::ui::components::use_in_view();
    let titles = ["Very high", "High", "Good", "Low"];
    html! {
        <section class="panel regimes" id="regimes" ref={in_view} aria-label="The four learning-rate regimes">
            <div class="regimes-head">
                <h2>{ "The four regimes" }</h2>
                <p class="hint">{ format!(
                    "The same network, data, initial weights and mini-batches at four learning rates, {REGIME_EPOCHS} epochs each. \
                     Each is labelled from its loss curve.") }</p>
                <button id="close-regimes" onclick={p.onclose.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <div class="regime-grid">
                { for p.regimes.runs.iter().enumerate().map(|(i, run)| {
                    let regime = run.regime();
                    let epoch = run.history.last().map_or(0, |r| r.epoch);
                    html! {
                        <article class="regime-card" data-regime={regime.map_or("pending", |r| r.key())}>
                            <h3>{ titles[i] }{ " · lr " }<code>{ format_lr(run.spec.lr) }</code></h3>
                            <p class={regime_class(regime)}>
                                { regime.map_or_else(|| format!("training… epoch {epoch}"), |r| r.description().to_string()) }
                            </p>
                            <LossChart history={run.history.clone()} n_epochs={REGIME_EPOCHS} loss_label={p.loss_label.clone()} id={None::<AttrValue>} />
                            { inside(&run.history) }
                            if p.split.is_some() {
                                <DataView split={p.split.clone()} view={run.view.clone()} spec={run.spec.clone()} id={None::<AttrValue>} />
                            }
                        </article>
                    }
                }) }
            </div>
        </section>
    }
}
