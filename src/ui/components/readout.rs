//! The run's status line and its latest numbers.

use yew::prelude::*;

use crate::engine::train::Metric;
use crate::ui::state::{History, Status};

#[derive(Properties, PartialEq)]
pub struct ReadoutProps {
    pub status: Status,
    pub history: History,
    pub n_epochs: usize,
    pub worker_paused: bool,
    /// The metric shown beside the loss.
    pub metric: Metric,
    /// How far a long epoch has got (a large network).
    pub partial: Option<f64>,
    /// A change of the settings has just reset the run.
    #[prop_or_default]
    pub run_reset: bool,
}

fn fmt(v: f64) -> String {
    if v.is_finite() { format!("{v:.4}") } else { "–".into() }
}

fn pct(v: f64) -> String {
    if v.is_finite() { format!("{:.1}%", 100.0 * v) } else { "–".into() }
}

/// The task's other headline metrics, where they tell something accuracy
/// does not (imbalanced or many classes): balanced accuracy and F1 once they
/// differ from accuracy by more than a point.
fn other_metrics(main: Metric, last: Option<&crate::engine::train::EpochRecord>) -> Vec<(&'static str, Metric)> {
    let Some(r) = last.filter(|_| main == Metric::Accuracy) else { return Vec::new() };
    let acc = r.val.get(Metric::Accuracy).unwrap_or(f64::NAN);
    [("balanced accuracy", Metric::BalancedAccuracy), ("F1", Metric::F1)]
        .into_iter()
        .filter(|(_, m)| r.val.get(*m).is_some_and(|v| v.is_finite() && (v - acc).abs() > 0.01))
        .collect()
}

fn show_as(v: Option<f64>, m: Metric) -> String {
    match v {
        Some(v) if m == Metric::F1 => fmt(v),
        Some(v) => pct(v),
        None => "–".into(),
    }
}

#[function_component]
pub fn Readout(p: &ReadoutProps) -> Html {
    let epoch = p.history.last().map_or(0, |r| r.epoch);
    let metric_name = if p.metric == Metric::R2 { "R²" } else { "accuracy" };
    let show = |v: Option<f64>| match (v, p.metric) {
        (Some(v), Metric::Accuracy) => pct(v),
        (Some(v), _) => fmt(v),
        (None, _) => "–".to_string(),
    };
    let last = p.history.last();
    let first = p.history.first();
    let class = match p.status {
        Status::Diverged { .. } | Status::Failed(_) => "status bad",
        Status::Finished | Status::Stopped { .. } => "status good",
        _ => "status",
    };
    let state_key = match p.status {
        Status::Loading => "loading",
        Status::Ready => "ready",
        Status::Running => "running",
        Status::Paused => "paused",
        Status::Finished => "finished",
        Status::Stopped { .. } => "stopped",
        Status::Diverged { .. } => "diverged",
        Status::Failed(_) => "failed",
    };
    html! {
            <div class="readout">
                <p id="status" class={class} role="status" aria-live="polite"
                    data-state={state_key} data-worker-paused={p.worker_paused.to_string()}>
                    { p.status.label() }
                </p>
                if p.run_reset && p.status == Status::Ready {
                    <p class="reset-note" id="run-reset" role="status">
                        { "The settings changed, so the run was reset: press Train to train with them. \
                           (The learning rate can also change live, without a reset.)" }
                    </p>
                }
                <p class="epoch">{ "Epoch " }<strong id="epoch">{ epoch }</strong>{ format!(" / {}", p.n_epochs) }
                    if let Some(share) = p.partial.filter(|_| p.status.has_run()) {
                        <span id="epoch-partial" data-share={share.to_string()}>
                            { format!(" · epoch {} is {:.0}% done", epoch + 1, 100.0 * share) }</span>
                    }
                </p>
                <table class="metrics">
                    <thead><tr><th scope="col"><span class="visually-hidden">{ "measure" }</span></th><th scope="col">{ "training" }</th><th scope="col">{ "validation" }</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">{ "loss" }</th>
                            <td id="train-loss">{ last.map_or("–".into(), |r| fmt(r.train.loss)) }</td>
                            <td id="val-loss">{ last.map_or("–".into(), |r| fmt(r.val.loss)) }</td></tr>
    <tr><th scope="row">{ metric_name }</th>
                            <td id="train-acc">{ last.map_or("–".into(), |r| show(r.train.get(p.metric))) }</td>
                            <td id="val-acc">{ last.map_or("–".into(), |r| show(r.val.get(p.metric))) }</td></tr>
                        { for other_metrics(p.metric, last).into_iter().map(|(name, m)| html! {
                            <tr><th scope="row">{ name }</th>
                                <td>{ last.map_or("–".into(), |r| show_as(r.train.get(m), m)) }</td>
                                <td>{ last.map_or("–".into(), |r| show_as(r.val.get(m), m)) }</td></tr>
                        }) }
                    </tbody>
                </table>
                if let (Some(f), Some(l)) = (first, last) {
                    <p class="trend" id="loss-trend" data-first={f.train.loss.to_string()} data-last={l.train.loss.to_string()}>
                        { format!("Training loss {} after epoch {} → {} after epoch {}", fmt(f.train.loss), f.epoch, fmt(l.train.loss), l.epoch) }
                    </p>
                }
            </div>
        }
}
