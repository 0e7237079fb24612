//! A search's progress, best-so-far chart, final check and sortable table of
//! trials, with the result views below them.

use std::rc::Rc;

use yew::prelude::*;

use super::analysis::{Curves, Generations, Heatmap, Importance, Parallel, Pareto, Slices, SurrogateMapView, scored};
use crate::engine::train::Metric;
use crate::experiment::ExperimentSpec;
use crate::figure::SearchChart;
use crate::plot::format_value;
use crate::ui::charts;
use crate::ui::components::figure::SearchFigureButtons;
use crate::ui::components::views::use_canvas;
use crate::ui::state::{SearchPhase, SearchState, TrialOutcome, TrialRow};

/// Rows the trials table shows until asked for all: a search of 2 000
/// trials re-rendered its whole table on every update (38 000 elements, main-
/// thread tasks up to 219 ms).
const SHOWN_ROWS: usize = 100;

#[derive(Properties, PartialEq)]
pub(super) struct ResultsProps {
    pub(super) search: Rc<SearchState>,
    pub(super) onopen: Callback<ExperimentSpec>,
    pub(super) onfocus: Callback<(usize, usize)>,
}

#[function_component]
pub(super) fn SearchResults(p: &ResultsProps) -> Html {
    let s = &p.search;
    let rows_scored = use_memo(s.clone(), |s| scored(s));
    let sort = use_state(|| None::<(usize, bool)>);
    let show_all = use_state(|| false);
    let metric_key = s.metric.map_or("score", |m| m.key());
    let higher = s.metric.is_none_or(Metric::higher_is_better);
    let canvas = use_canvas("search", s.clone(), |c, search| {
        let scores: Vec<Option<f64>> = search
            .trials
            .iter()
            .map(|t| match t.outcome {
                TrialOutcome::Scored { value, .. } => Some(value),
                _ => None,
            })
            .collect();
        let label = search.metric.map_or("score", |m| m.key()).replace('_', " ");
        let higher = search.metric.is_none_or(Metric::higher_is_better);
        charts::search::draw(c, &scores, higher, &format!("validation {label}")).map(drop)
    });
    let done = s.finished();
    let status = match &s.phase {
        SearchPhase::Starting => "Starting…".to_string(),
        SearchPhase::Running | SearchPhase::Exhausted => {
            let elapsed = (crate::ui::state::now_ms() - s.started_ms) / 1000.0;
            let left = s.budget.saturating_sub(done);
            let eta = match elapsed / done.max(1) as f64 * left as f64 {
                _ if done == 0 || left == 0 => String::new(),
                t if t < 10.0 => format!(" · about {t:.1} s left"),
                t => format!(" · about {t:.0} s left"),
            };
            format!("Running: {done} of {} trials{eta}", s.budget)
        }
        SearchPhase::Done if s.restored => {
            format!("Done: {done} trials — kept by this browser from an earlier visit; Run search recomputes them")
        }
        SearchPhase::Cancelled if s.restored => {
            format!("Cancelled: {done} trials finished — kept by this browser from an earlier visit")
        }
        SearchPhase::Done => format!("Done: {done} trials"),
        SearchPhase::Cancelled => format!("Cancelled: {done} trials finished are kept"),
        SearchPhase::Failed(m) => format!("Could not run: {m}"),
    };
    let download_error = use_state(|| None::<String>);
    let best = s.best().map(|t| t.id);
    let genetic = s.trials.iter().any(|t| t.generation > 0);
    let halving = s.trials.iter().any(|t| t.rung > 0);
    let hyperband = s.trials.iter().any(|t| t.bracket > 0);
    let final_check = match (&s.test, s.best()) {
        (Some((id, Ok(v))), _) => Some(format!(
            "Best trial {id}, retrained and scored once on the test split no trial has seen: {metric_key} {}",
            format_value(*v)
        )),
        (Some((id, Err(e))), _) => Some(format!("Best trial {id}: no test score ({e})")),
        (None, Some(_)) if s.phase == SearchPhase::Done => Some("Checking the best trial on the test split…".into()),
        _ => None,
    };
    let mut rows: Vec<&TrialRow> = s.trials.iter().collect();
    if let Some((col, desc)) = *sort {
        let key = |t: &TrialRow| -> f64 {
            match col {
                0 => t.id as f64,
                c if c <= s.keys.len() => t.values.get(c - 1).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN),
                _ => match t.outcome {
                    TrialOutcome::Scored { value, .. } => value,
                    _ => f64::NAN,
                },
            }
        };
        crate::engine::sort::sort_by(&mut rows, |a, b| {
            let o = key(a).total_cmp(&key(b));
            if desc { o.reverse() } else { o }
        });
    }
    let total = rows.len();
    if !*show_all {
        rows.truncate(SHOWN_ROWS);
    }
    let header = |i: usize, label: String| {
        let sort = sort.clone();
        let arrow = match *sort {
            Some((c, true)) if c == i => " ▼",
            Some((c, false)) if c == i => " ▲",
            _ => "",
        };
        let onclick = Callback::from(move |_: MouseEvent| {
            let desc = !matches!(*sort, Some((c, true)) if c == i);
            sort.set(Some((i, desc)));
        });
        html! { <th scope="col"><button class="sort" {onclick}>{ label }{ arrow }</button></th> }
    };
    html! {
        <div class="search-results">
            <p id="search-status" data-phase={format!("{:?}", s.phase).split('(').next().unwrap_or("").to_lowercase()}>
                { status }</p>
            if let Some(text) = final_check {
                <p id="search-test" class="final-check">{ text }</p>
            }
            if s.phase == SearchPhase::Done && s.test.is_some() {
                <div class="downloads">
                    <button id="download-trials" title="One row per trial, as `hyperlab search` prints it for this link"
                        onclick={{
                            let (search, error) = (s.clone(), download_error.clone());
                            Callback::from(move |_: MouseEvent| {
                                let result = search
                                    .trials_csv()
                                    .ok_or_else(|| "the search's link no longer reads as a search".to_string())
                                    .and_then(|csv| crate::ui::components::export::download("hyperlab-trials.csv", "text/csv", &csv));
                                error.set(result.err());
                            })
                        }}>{ "Download the trials (CSV)" }</button>
                    if let Some(e) = (*download_error).clone() { <p class="error" role="alert">{ e }</p> }
                </div>
            }
            <progress id="search-progress" max={s.budget.max(1).to_string()} value={done.to_string()}></progress>
            <div class="chart-wrap">
                <canvas id="search-chart" ref={canvas} role="img"
                    aria-label="Each trial's validation score and the best so far"></canvas>
            </div>
            if s.phase == SearchPhase::Done {
                <SearchFigureButtons id="search-best" chart={SearchChart::Best} search={s.clone()} />
            }
            <Generations search={s.clone()} scored={rows_scored.clone()} />
            <Slices search={s.clone()} scored={rows_scored.clone()} />
            <SurrogateMapView search={s.clone()} scored={rows_scored.clone()} onfocus={p.onfocus.clone()} />
            <Heatmap search={s.clone()} scored={rows_scored.clone()} />
            <Parallel search={s.clone()} scored={rows_scored.clone()} />
            <Curves search={s.clone()} scored={rows_scored.clone()} />
            <Importance search={s.clone()} scored={rows_scored.clone()} />
            <Pareto search={s.clone()} scored={rows_scored} />
            <div class="table-wrap">
                <table id="trials" class="trials">
                    <thead><tr>
                        { header(0, "trial".into()) }
                        if genetic { <th scope="col">{ "generation" }</th> }
                        if hyperband { <th scope="col">{ "bracket" }</th> }
                        if halving { <th scope="col">{ "rung" }</th> }
                        { for s.keys.iter().enumerate().map(|(i, k)| header(i + 1, k.clone())) }
                        { header(s.keys.len() + 1, metric_key.replace('_', " ")) }
                        <th scope="col">{ "±" }</th><th scope="col">{ "epochs" }</th><th scope="col">{ "status" }</th><th scope="col"><span class="visually-hidden">{ "open as an experiment" }</span></th>
                    </tr></thead>
                    <tbody>
                        { for rows.into_iter().map(|t| {
                            let (score, spread, epochs, status) = match &t.outcome {
                                TrialOutcome::Running => (String::new(), String::new(), String::new(), "training…".to_string()),
                                TrialOutcome::Scored { value, spread, epochs, .. } =>
                                    (format_value(*value), if *spread > 0.0 { format_value(*spread) } else { String::new() }, epochs.to_string(), "done".into()),
                                TrialOutcome::Failed { message, .. } => (String::new(), String::new(), String::new(), format!("failed: {message}")),
                                TrialOutcome::Cancelled => (String::new(), String::new(), String::new(), "cancelled".into()),
                            };
                            let open = t.spec.clone().map(|spec| {
                                let onopen = p.onopen.clone();
                                html! { <button class="open-trial" title="Open as an experiment in the lab, with its link"
                                    onclick={Callback::from(move |_: MouseEvent| onopen.emit((*spec).clone()))}>{ "Open" }</button> }
                            });
                            html! {
                                <tr class={classes!((Some(t.id) == best).then_some("best"))} data-trial={t.id.to_string()}>
                                    <td>{ t.id }</td>
                                    if genetic { <td>{ t.generation }</td> }
                                    if hyperband { <td>{ t.bracket }</td> }
                                    if halving { <td>{ t.rung }</td> }
                                    { for t.values.iter().map(|v| html! { <td>{ v }</td> }) }
                                    <td class="score">{ score }</td><td>{ spread }</td><td>{ epochs }</td><td>{ status }</td>
                                    <td>{ open.unwrap_or_default() }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            if total > SHOWN_ROWS {
                <p class="hint" id="trials-shown">
                    { if *show_all {
                        format!("All {total} trials. ")
                    } else {
                        format!("The first {SHOWN_ROWS} of {total} trials in this order (sort by the score to see the best). ")
                    } }
                    <button id="trials-all" class="link" onclick={{
                        let show_all = show_all.clone();
                        Callback::from(move |_: MouseEvent| show_all.set(!*show_all))
                    }}>{ if *show_all { format!("Show the first {SHOWN_ROWS}") } else { format!("Show all {total}") } }</button>
                </p>
            }
            if !higher {
                <p class="hint">{ "Lower is better for this metric." }</p>
            }
        </div>
    }
}
