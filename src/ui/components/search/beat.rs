//! "Beat the search": the student's trainings by hand against random search
//! and Bayesian optimization on the same budget (`crate::lab::beat`).

use std::rc::Rc;

use yew::prelude::*;

use super::{with_setting, with_settings};
use crate::experiment::search::{MAX_BEAT, method_from_key, objective, tunable_of};
use crate::lab::beat::{RIVALS, Standing};
use crate::plot::format_value;
use crate::ui::palette;
use crate::ui::state::Comparison;

#[derive(Properties, PartialEq)]
pub(super) struct BeatProps {
    /// The search settings (a link's search keys).
    pub(super) query: String,
    /// The challenge, when one is on.
    pub(super) standing: Option<Rc<Standing>>,
    pub(super) comparison: Option<Rc<Comparison>>,
    /// A search or a comparison holds the pool.
    pub(super) running: bool,
    pub(super) onquery: Callback<String>,
    pub(super) oncompare: Callback<String>,
}

/// A tuned key as the page names it.
fn key_label(key: &str) -> String {
    tunable_of(key).map_or_else(|| key.to_string(), |t| t.label())
}

#[function_component]
pub(super) fn BeatPanel(p: &BeatProps) -> Html {
    let n_input = use_state(|| 8usize);
    let error = use_state(|| None::<String>);
    let settings = crate::experiment::search::search_from_query(&p.query).0.unwrap_or_default();
    let keys: Vec<String> = settings.space.params.iter().map(|q| key_label(&q.key)).collect();
    let keys_text = match keys.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => keys.join(""),
    };
    let Some(standing) = p.standing.clone() else {
        let start = {
            let (q, on, n, err) = (p.query.clone(), p.onquery.clone(), n_input.clone(), error.clone());
            Callback::from(move |_: MouseEvent| match with_setting(&q, "beat", &n.to_string()) {
                Ok(q) => on.emit(q),
                Err(e) => err.set(Some(e)),
            })
        };
        let on_n = {
            let n = n_input.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                if let Ok(v) = input.value().parse::<usize>() {
                    n.set(v.clamp(2, MAX_BEAT));
                }
            })
        };
        return html! {
            <div class="beat" id="beat" data-on="false">
                <h3>{ "Beat the search" }</h3>
                <p class="hint">{ format!("Hand tuning against search, on one budget: you tune {keys_text} by hand in a few \
                    trainings; then random search and Bayesian optimization get as many trials on the same space. \
                    Everything else stays as the lab is set.") }</p>
                <div class="buttons">
                    <label class="field beat-n"><span>{ "Trainings" }</span>
                        <input id="beat-n" type="number" min="2" max={MAX_BEAT.to_string()} value={n_input.to_string()}
                            onchange={on_n} disabled={p.running} />
                    </label>
                    <button id="beat-start" onclick={start} disabled={p.running}>{ "Start the challenge" }</button>
                </div>
                if let Some(e) = (*error).clone() { <p class="error" role="alert">{ e }</p> }
            </div>
        };
    };
    let best = standing.best();
    let rivals = standing.rivals(p.comparison.as_deref());
    let stop = {
        let (q, on) = (p.query.clone(), p.onquery.clone());
        Callback::from(move |_: MouseEvent| on.emit(with_settings(&q, |s| s.beat = 0)))
    };
    let let_them_try = {
        let (q, on, n) = (p.query.clone(), p.oncompare.clone(), standing.n);
        Callback::from(move |_: MouseEvent| {
            on.emit(with_settings(&q, |s| {
                s.compare = RIVALS.iter().filter_map(|m| method_from_key(m)).collect();
                s.n_trials = n;
            }))
        })
    };
    let metric = standing.metric;
    let metric_name = metric.key().replace('_', " ");
    let rows = standing.attempts.iter().enumerate().map(|(i, a)| {
        let is_best = best.is_some_and(|(b, _)| b == i);
        html! {
            <tr class={classes!(is_best.then_some("best"))}>
                <td>{ i + 1 }</td>
                { for a.values.iter().map(|v| html! { <td>{ v }</td> }) }
                <td>{ a.score.map_or_else(|| "failed".to_string(), format_value) }</td>
            </tr>
        }
    });
    let verdict = match (&rivals, best) {
        (Some(rivals), Some((_, mine))) => {
            let beaten: Vec<&str> = rivals
                .iter()
                .filter(|(_, theirs)| objective(metric, mine) > objective(metric, *theirs))
                .map(|(m, _)| palette::method_name(m))
                .collect();
            let parts: Vec<String> =
                rivals.iter().map(|(m, v)| format!("{} {}", palette::method_name(m), format_value(*v))).collect();
            let outcome = match beaten.len() {
                2 => "You beat both searches.".to_string(),
                1 => format!("You beat {} search, not the other.", beaten[0]),
                _ => "Both searches beat you.".to_string(),
            };
            // With no more trials than its random start, Bayesian optimization is random search.
            let n_init = crate::engine::search::Bayes::default().n_init;
            let start = if standing.n <= n_init {
                format!(
                    " Bayesian optimization tries {n_init} random settings before its model of past trials takes \
                     over, so with {} it is random search (the same numbers): give it more trainings to see it learn.",
                    standing.n
                )
            } else {
                String::new()
            };
            Some(format!(
                "Best validation {metric_name} in {} trainings — you: {} · {} (median over seeds). {outcome}{start}",
                standing.n,
                format_value(mine),
                parts.join(" · ")
            ))
        }
        (Some(_), None) => Some("Every one of your trainings failed: both searches win.".into()),
        _ => None,
    };
    html! {
        <div class="beat" id="beat" data-on="true" data-left={standing.left().to_string()}
            data-attempts={standing.attempts.len().to_string()} data-done={rivals.is_some().to_string()}>
            <h3>{ "Beat the search" }</h3>
            if standing.left() > 0 {
                <p id="beat-status">{ format!("{} of {} trainings left. Set the {keys_text} in the lab's controls and train: \
                    each training that ends is kept (under \"Compare runs\") and scored like a search trial, by its \
                    validation {metric_name} after the last epoch. Changing anything else, or the rate while it trains, \
                    does not count.", standing.left(), standing.n) }</p>
            } else if rivals.is_none() {
                <p id="beat-status">{ format!("Your {} trainings are in. Now the searches get the same budget.", standing.n) }</p>
            }
            if !standing.attempts.is_empty() {
                <table class="trials beat-table">
                    <thead><tr><th scope="col">{ "#" }</th>{ for keys.iter().map(|k| html! { <th scope="col">{ k }</th> }) }
                        <th scope="col">{ format!("validation {metric_name}") }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            if let Some(v) = verdict { <p id="beat-result" class="beat-result">{ v }</p> }
            <div class="buttons">
                if standing.left() == 0 && rivals.is_none() {
                    <button id="beat-run" class="primary" onclick={let_them_try} disabled={p.running}>
                        { format!("Let random search and Bayesian optimization try: {} trials each, {} seeds", standing.n, settings.repeats) }
                    </button>
                }
                <button id="beat-stop" onclick={stop} disabled={p.running}>{ "End the challenge" }</button>
            </div>
            if rivals.is_some() {
                <p class="hint">{ "The link of this page carries your trainings and the challenge: opened with \
                    autorun=1, it trains them again and runs the searches again — the same numbers." }</p>
            }
        </div>
    }
}
