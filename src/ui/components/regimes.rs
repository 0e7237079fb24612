//! The four regimes side by side: the same experiment at a very high, high,
//! good and low learning rate, each with its loss curve, what it learned,
//! and the course's label for it.

use std::rc::Rc;

use yew::prelude::*;

use super::{DataView, LossChart};
use crate::engine::data::Split;
use crate::experiment::regimes::{REGIME_EPOCHS, Regime};
use crate::plot::format_lr;
use crate::ui::state::Regimes;

#[derive(Properties, PartialEq)]
pub struct RegimesPanelProps {
    pub regimes: Rc<Regimes>,
    /// The data, when it has a picture.
    pub split: Rc<Option<Split>>,
    pub loss_label: AttrValue,
    pub onclose: Callback<()>,
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
    let titles = ["Very high", "High", "Good", "Low"];
    html! {
        <section class="panel regimes" id="regimes" aria-label="The four learning-rate regimes">
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
