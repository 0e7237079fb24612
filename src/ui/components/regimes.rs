//! The four regimes side by side: the same experiment at a very high, high,
//! good and low learning rate, each with its loss curve, what it learned,
//! and the course's label for it.

use std::rc::Rc;

use yew::prelude::*;

use super::figure::SaveFigure;
use super::{DataView, LossChart};
use crate::engine::data::Split;
use crate::engine::train::EpochRecord;
use crate::experiment::ExperimentSpec;
use crate::experiment::regimes::{REGIME_EPOCHS, Regime};
use crate::plot::{format_lr, format_short, format_short_range};
use crate::ui::charts::loss::SharedY;
use crate::ui::palette;
use crate::ui::state::Regimes;

#[derive(Properties, PartialEq)]
pub struct RegimesPanelProps {
    pub regimes: Rc<Regimes>,
    /// The data, when it has a picture.
    pub split: Rc<Option<Split>>,
    pub loss_label: AttrValue,
    pub onclose: Callback<()>,
    /// Load a card's learning rate into the lab.
    pub onuse: Callback<f64>,
    /// The lab's experiment (the figure's link).
    pub lab: ExperimentSpec,
    /// Scrolls itself into view when it appears (not when a lesson step
    /// opened it: the step's text keeps the view).
    pub into_view: bool,
}

/// The range of the four runs' losses, for one y-axis over the four cards.
fn shared_range(regimes: &Regimes) -> (f64, f64) {
    let losses = regimes.runs.iter().flat_map(|r| r.history.iter().flat_map(|e| [e.train.loss, e.val.loss]));
    losses.filter(|v| v.is_finite() && *v > 0.0).fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)))
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
    let ratio = if ratios.is_empty() { "–".to_string() } else { format_short_range(lo, hi) };
    html! {
        <p class="regime-inside" title="Inside the network at the latest epoch: the largest weight norm, the update-to-weight ratios of the layers (about 1e-3 is healthy), the most dead or saturated layer">
            { format!("‖W‖ ≤ {} · update {ratio}", format_short(w)) }
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
    let in_view = crate::ui::components::use_in_view(p.into_view);
    let titles = ["Very high", "High", "Good", "Low"];
    // One y-axis for the four, so their losses compare at a glance; log when the
    // very high rate's explosion would flatten the others.
    let (lo, hi) = shared_range(&p.regimes);
    let log = use_state(|| None::<bool>);
    let start = p.regimes.runs.iter().map(|r| r.initial_loss).filter(|l| l.is_finite()).fold(0.0f64, f64::max);
    let log_on = log.unwrap_or(start > 0.0 && hi > 3.0 * start);
    let shared = (hi > 0.0).then_some(SharedY { lo, hi, log: log_on });
    let toggle = {
        let log = log.clone();
        Callback::from(move |_: MouseEvent| log.set(Some(!log_on)))
    };
    // The four training losses in one figure, once all four have ended.
    let ended = p.regimes.runs.iter().all(|r| r.state.is_over());
    let figure = {
        let (regimes, lab) = (p.regimes.clone(), p.lab.clone());
        Callback::from(move |()| {
            let records: Vec<Vec<EpochRecord>> =
                regimes.runs.iter().map(|r| r.history.iter().copied().collect()).collect();
            let runs: Vec<(f64, Option<Regime>, &[EpochRecord])> =
                regimes.runs.iter().zip(&records).map(|(r, h)| (r.spec.lr, r.regime(), h.as_slice())).collect();
            let link = crate::ui::address::full_link(&crate::experiment::to_query(&lab));
            Some(crate::figure::regimes(&runs, regimes.runs.first().map_or(&lab, |r| &r.spec), &link))
        })
    };
    html! {
        <section class="panel regimes" id="regimes" ref={in_view} aria-label="The four learning-rate regimes">
            <div class="regimes-head">
                <h2>{ "The four regimes" }</h2>
                <p class="hint">{ format!(
                    "The same network, data, initial weights and mini-batches at four learning rates, {REGIME_EPOCHS} epochs each. \
                     Each is labelled from its loss curve.") }</p>
                <button id="regimes-log" aria-pressed={log_on.to_string()} onclick={toggle}
                    title="One y-axis for the four cards: logarithmic (every curve visible) or linear">{ "Log scale" }</button>
                <button id="close-regimes" onclick={p.onclose.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <p class="regimes-key">
                <span class="dot" style={format!("background: {}", palette::css(palette::TRAINING))}></span>{ " training loss · " }
                <span class="dot" style={format!("background: {}", palette::css(palette::VALIDATION))}></span>{ " validation loss · one y-axis for the four " }
                { if log_on { "(logarithmic)" } else { "(linear)" } }
            </p>
            <SaveFigure id="regimes" stem="regimes" disabled={!ended} figure={figure} />
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
                            <LossChart history={run.history.clone()} n_epochs={REGIME_EPOCHS} loss_label={p.loss_label.clone()}
                                id={None::<AttrValue>} {shared} />
                            { inside(&run.history) }
                            <button class="use-rate" onclick={p.onuse.reform({ let lr = run.spec.lr; move |_: MouseEvent| lr })}
                                title="Set the lab's learning rate to this card's (the lab's run starts afresh)">
                                { format!("Use lr {}", format_lr(run.spec.lr)) }
                            </button>
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
