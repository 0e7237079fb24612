//! The search lab: a search's settings (method, budget, space, evaluation),
//! its progress, the best score so far, and the sortable table of trials,
//! each one click from being an experiment of its own.

use std::rc::Rc;

use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::space_editor::SpaceEditor;
use super::views::{deferred, use_resize_tick};
use crate::engine::search::Method;
use crate::engine::train::Metric;
use crate::experiment::ExperimentSpec;
use crate::experiment::search::{SearchSpec, format_space, search_from_query, search_to_query};
use crate::plot::format_value;
use crate::ui::charts;
use crate::ui::state::{Comparison, SearchPhase, SearchState, TrialOutcome, TrialRow};

/// The search methods, by key, as the page names them.
const METHODS: [(&str, &str); 7] = [
    ("grid", "grid"),
    ("random", "random"),
    ("genetic", "genetic"),
    ("bayes", "Bayesian"),
    ("tpe", "TPE"),
    ("halving", "halving"),
    ("hyperband", "Hyperband"),
];

/// Spaces offered in one click.
const SPACES: [(&str, &str); 4] = [
    ("learning rate and batch size", "lr:log:0.0001:1:5,bs:logint:1:128:4"),
    ("learning rate and optimizer", "lr:log:0.0001:1:5,opt:choice:sgd|adam|rmsprop"),
    ("network shape", "hidden:choice:4|8-8|16-16|32-32,act:choice:relu|tanh"),
    ("regularization", "wd:log:0.00001:0.01:4,drop:real:0:0.5:4"),
];

#[derive(Properties, PartialEq)]
pub struct SearchPanelProps {
    /// The settings: a link's search keys.
    pub query: String,
    /// The experiment searched around, as a link's query.
    pub experiment: String,
    pub search: Option<Rc<SearchState>>,
    pub onquery: Callback<String>,
    pub onrun: Callback<()>,
    pub oncancel: Callback<()>,
    pub onclose: Callback<()>,
    /// Open a trial as an experiment in the learning-rate lab.
    pub onopen: Callback<ExperimentSpec>,
    /// The metrics the experiment's task has (what a trial can be scored by).
    pub metrics: Vec<Metric>,
    /// Compare methods on equal budgets (the settings' `compare=` methods).
    pub oncompare: Callback<String>,
    pub comparison: Option<Rc<Comparison>>,
    /// A preset that also sets the experiment: its spec and search settings.
    pub onpreset: Callback<(ExperimentSpec, String)>,
    pub oncancelcompare: Callback<()>,
    /// Draw Bayesian optimization's surrogate over these two hyperparameters.
    pub onfocus: Callback<(usize, usize)>,
}

/// Bergstra & Bengio (2012) in one click: nine trials, only the learning
/// rate matters; ten seeds of grid and of random search on the two moons.
const BERGSTRA_BENGIO: (&str, &str) = (
    "data=moons&ep=40",
    "search=random&trials=9&space=lr:log:0.001:10:3,wd:log:0.0000001:0.000001:3&smetric=loss&compare=grid,random&repeats=10",
);

fn with(query: &str, f: impl FnOnce(&mut SearchSpec)) -> String {
    let mut s = search_from_query(query).0.unwrap_or_default();
    f(&mut s);
    search_to_query(&s)
}

/// The settings with one search key set to `value` (the others kept; empty:
/// the default), or
/// the notice that names why `value` is refused.
fn with_key(query: &str, key: &str, value: &str) -> Result<String, String> {
    let kept = query.split('&').filter(|pair| pair.split('=').next() != Some(key));
    // An empty value goes back to the default.
    let pair = (!value.is_empty()).then(|| format!("{key}={value}"));
    let q = kept.chain(pair.as_deref()).collect::<Vec<_>>().join("&");
    match search_from_query(&q) {
        (Some(s), notices) if notices.is_empty() => Ok(search_to_query(&s)),
        (_, notices) => Err(notices.first().map_or_else(|| format!("{key}: not valid"), |n| n.to_string())),
    }
}

/// A method's own settings: (search key, label, input's min, max, step, value).
fn method_settings(
    method: &Method,
) -> Vec<(&'static str, &'static str, &'static str, &'static str, &'static str, String)> {
    match method {
        Method::Genetic(g) => vec![
            ("pop", "Population", "2", "200", "1", g.population.to_string()),
            ("tour", "Tournament size", "1", "50", "1", g.tournament.to_string()),
            ("cross", "Crossover probability", "0", "1", "0.05", g.crossover.to_string()),
            ("mut", "Mutation rate", "0", "1", "0.05", g.mutation.to_string()),
            ("elite", "Elite kept", "0", "199", "1", g.elite.to_string()),
        ],
        Method::Halving(h) => vec![
            ("eta", "Keep 1 in (η)", "2", "10", "1", h.eta.to_string()),
            (
                "minep",
                "First rung's epochs",
                "1",
                "100000",
                "1",
                if h.min_epochs == 0 { String::new() } else { h.min_epochs.to_string() },
            ),
        ],
        _ => Vec::new(),
    }
}

/// How a genetic algorithm spends its trials, in generations.
fn generations_hint(n_trials: usize, g: &crate::engine::search::Genetic) -> String {
    let first = g.population.min(n_trials);
    let children = g.population.saturating_sub(g.elite).max(1);
    let rest = n_trials - first;
    let more = rest.div_ceil(children);
    let cut = if rest % children != 0 { ", the last cut short by the budget" } else { "" };
    format!(
        "{n_trials} trials: a first generation of {first} random individuals, then {rest} children in {more} generation{} \
         of {children} ({} elite carried over each time, not retrained{cut}).",
        if more == 1 { "" } else { "s" },
        g.elite
    )
}

#[function_component]
pub fn SearchPanel(p: &SearchPanelProps) -> Html {
    // Parsed when the settings change, not on every update of a running search.
    let read = use_memo(p.query.clone(), |query| search_from_query(query));
    let (parsed, notices) = (&read.0, &read.1);
    // What the search would refuse to run, named before Run is pressed.
    // And a batch-size range past the training set, cut at its size when the search runs.
    // Worked out when the settings change, not on every update of a running search.
    let checks = use_memo((p.experiment.clone(), p.query.clone()), |(experiment, query)| {
        use crate::experiment::search::{fit_batch_sizes, prepare, searched};
        let problem = prepare(&format!("{experiment}&{query}")).err();
        let n_train = searched(crate::experiment::from_query(experiment).0).n_train();
        let cut = search_from_query(query).0.and_then(|mut s| fit_batch_sizes(&mut s.space, n_train));
        (problem, cut)
    });
    let problem = checks.0.clone().filter(|_| notices.is_empty());
    let batch_cut = checks.1;

    let settings = parsed.clone().unwrap_or_default();
    let searching = p
        .search
        .as_ref()
        .is_some_and(|s| matches!(s.phase, SearchPhase::Starting | SearchPhase::Running | SearchPhase::Exhausted));
    let comparing = p.comparison.as_ref().is_some_and(|c| c.running());
    // One job at a time uses the pool: the settings stay while either runs.
    let running = searching || comparing;
    let space_error = use_state(|| None::<String>);
    let method_error = use_state(|| None::<String>);
    let compare_error = use_state(|| None::<String>);
    // The methods a comparison runs: the link's, or grid, random and Bayesian.
    let chosen: Vec<&'static str> = if settings.compare.is_empty() {
        vec!["grid", "random", "bayes"]
    } else {
        METHODS.iter().map(|m| m.0).filter(|k| settings.compare.iter().any(|c| c.key() == *k)).collect()
    };

    let on_method = {
        let (q, on) = (p.query.clone(), p.onquery.clone());
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(m) = crate::experiment::search::method_from_key(&key) {
                on.emit(with(&q, |s| s.method = m));
            }
        })
    };
    let on_trials = {
        let (q, on) = (p.query.clone(), p.onquery.clone());
        Callback::from(move |e: Event| {
            if let Ok(n) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<usize>() {
                on.emit(with(&q, |s| s.n_trials = n.clamp(1, crate::experiment::search::MAX_TRIALS)));
            }
        })
    };
    let on_folds = {
        let (q, on) = (p.query.clone(), p.onquery.clone());
        Callback::from(move |e: Event| {
            if let Ok(k) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<usize>() {
                on.emit(with(&q, |s| s.folds = k));
            }
        })
    };
    let apply_space = {
        let (q, on, err) = (p.query.clone(), p.onquery.clone(), space_error.clone());
        Callback::from(move |value: String| match crate::experiment::search::parse_space(&value) {
            Ok(space) => {
                err.set(None);
                on.emit(with(&q, |s| s.space = space));
            }
            Err(e) => err.set(Some(e)),
        })
    };
    let on_metric = {
        let (q, on) = (p.query.clone(), p.onquery.clone());
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            on.emit(with(&q, |s| s.metric = Metric::from_key(&key)));
        })
    };
    let on_space = apply_space.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());

    let method_ref = crate::ui::components::controls::use_select_value(settings.method.key().to_string());
    let folds_ref = crate::ui::components::controls::use_select_value(settings.folds.to_string());
    let metric_ref =
        crate::ui::components::controls::use_select_value(settings.metric.map_or("", |m| m.key()).to_string());
    let grid = settings.space.grid_size();
    html! {
        <section class="panel search" id="search" aria-label="Hyperparameter search">
            <div class="regimes-head">
                <h2>{ "Search hyperparameters" }</h2>
                <p class="hint">{ "Each trial trains this experiment with the tuned settings changed (same data, same seed) \
                    and scores it on validation data, in a pool of workers." }</p>
                <button id="close-search" onclick={p.onclose.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <div class="search-form">
                <label class="field"><span>{ "Method" }</span>
                    <select id="search-method" ref={method_ref} onchange={on_method} disabled={running}>
                        { for [("grid", "grid search"), ("random", "random search"), ("genetic", "genetic algorithm"), ("bayes", "Bayesian optimization"), ("tpe", "TPE (Parzen estimators)"), ("halving", "successive halving"), ("hyperband", "Hyperband")]
                            .into_iter().map(|(k, l)| html! { <option value={k} selected={settings.method.key() == k}>{ l }</option> }) }
                    </select>
                </label>
                <label class="field"><span>{ "Trials" }</span>
                    <input id="search-trials" type="number" min="1" max="2000" value={settings.n_trials.to_string()}
                        onchange={on_trials} disabled={running} />
                </label>
                <label class="field"><span>{ "Scored on" }</span>
                    <select id="search-folds" ref={folds_ref} onchange={on_folds} disabled={running}>
                        { for [(0, "validation split"), (3, "3-fold cross-validation"), (5, "5-fold cross-validation")]
                            .into_iter().map(|(k, l)| html! { <option value={k.to_string()} selected={settings.folds == k}>{ l }</option> }) }
                    </select>
                </label>
                <label class="field"><span>{ "Metric" }</span>
                    <select id="search-metric" ref={metric_ref} onchange={on_metric} disabled={running}>
                        <option value="" selected={settings.metric.is_none()}>{ "the task's usual" }</option>
                        { for p.metrics.iter().map(|m| html! {
                            <option value={m.key()} selected={settings.metric == Some(*m)}>{ m.key().replace('_', " ") }</option>
                        }) }
                    </select>
                </label>
                { for method_settings(&settings.method).into_iter().map(|(key, label, min, max, step, value)| {
                    let (q, on, err) = (p.query.clone(), p.onquery.clone(), method_error.clone());
                    let onchange = Callback::from(move |e: Event| {
                        match with_key(&q, key, e.target_unchecked_into::<HtmlInputElement>().value().trim()) {
                            Ok(q) => { err.set(None); on.emit(q) }
                            Err(m) => err.set(Some(m)),
                        }
                    });
                    html! {
                        <label class="field method-setting"><span>{ label }</span>
                            <input id={format!("search-{key}")} type="number" {min} {max} {step} value={value}
                                placeholder="auto" {onchange} disabled={running} />
                        </label>
                    }
                }) }
                if let Method::Halving(h) = &settings.method {
                    <label class="field method-setting"><span>{ "New configurations" }</span>
                        <select id="search-inner" disabled={running} onchange={{
                            let (q, on) = (p.query.clone(), p.onquery.clone());
                            Callback::from(move |e: Event| {
                                if let Ok(q) = with_key(&q, "inner", &e.target_unchecked_into::<HtmlSelectElement>().value()) {
                                    on.emit(q);
                                }
                            })
                        }}>
                            <option value="random" selected={matches!(*h.inner, Method::Random)}>{ "random" }</option>
                            <option value="bayes" selected={matches!(*h.inner, Method::Bayes(_))}>{ "Bayesian" }</option>
                            <option value="tpe" selected={matches!(*h.inner, Method::Tpe(_))}>{ "TPE" }</option>
                        </select>
                    </label>
                }
                if let Method::Genetic(g) = &settings.method {
                    <p class="hint" id="generations-hint">{ generations_hint(settings.n_trials, g) }</p>
                }
                if let Some(e) = (*method_error).clone() {
                    <p class="error" role="alert" id="method-error">{ e }</p>
                }
                <div class="space-field">
                    <h3>{ "What to tune" }</h3>
                    <SpaceEditor space={settings.space.clone()} disabled={running} onchange={{
                        let (q, on, err) = (p.query.clone(), p.onquery.clone(), space_error.clone());
                        Callback::from(move |space| {
                            err.set(None);
                            on.emit(with(&q, |s| s.space = space));
                        })
                    }} />
                </div>
                <div class="presets" role="group" aria-label="Spaces">
                    { for SPACES.iter().map(|(label, text)| {
                        let apply = apply_space.clone();
                        html! { <button class="chip" disabled={running} onclick={Callback::from(move |_: MouseEvent| apply.emit(text.to_string()))}>{ *label }</button> }
                    }) }
                </div>
                <p class="hint" id="grid-size">
                    { match settings.space.params.len() {
                        0 | 1 => format!("The full grid of this space has {grid} points"),
                        _ => format!("The full grid of this space has {} = {grid} points",
                            settings.space.params.iter().map(|q| q.levels.to_string()).collect::<Vec<_>>().join(" × ")),
                    } }
                    { if grid > settings.n_trials as u64 { format!(" — more than the {} trials: a grid search samples it in a shuffled order.", settings.n_trials) } else { ".".into() } }
                </p>
                if let Some(n) = batch_cut {
                    <p class="hint" id="batch-cut">{ format!("The training set has {n} examples: batch sizes above it are \
                        tried as {n}, one batch of the whole set.") }</p>
                }
                <label class="field space-field space-text"><span title="key:real|log|int|logint:lo:hi[:levels], key:choice:a|b — keys as in the link">{ "As text" }</span>
                    <input id="search-space" value={format_space(&settings.space)} onchange={on_space} disabled={running}
                        spellcheck="false" autocomplete="off" />
                </label>
                if let Some(e) = (*space_error).clone() {
                    <p class="error" role="alert" id="space-error">{ e }</p>
                }
                { for notices.iter().map(|n| html! { <p class="error" role="alert">{ n.to_string() }</p> }) }
                if let Some(e) = &problem {
                    <p class="error" role="alert" id="search-problem">{ e.to_string() }</p>
                }
                <div class="buttons">
                    if searching {
                        <button id="search-cancel" onclick={p.oncancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                    } else {
                        <button id="search-run" class="primary" disabled={comparing || parsed.is_none() || !notices.is_empty() || problem.is_some() || space_error.is_some()}
                            onclick={p.onrun.reform(|_: MouseEvent| ())}>{ "Run search" }</button>
                    }
                </div>
            </div>
            <div class="compare-methods">
                <h3>{ "Compare methods on the same budget" }</h3>
                <p class="hint">{ format!("Each method runs these {} trials for each seed on this space; the chart shows the best \
                    score so far, median and middle half over the seeds.", settings.n_trials) }</p>
                <div class="compare-pick" role="group" aria-label="Methods to compare">
                    { for METHODS.iter().map(|&(key, label)| {
                        let on = chosen.contains(&key);
                        let onclick = {
                            let (q, onquery, err, chosen) = (p.query.clone(), p.onquery.clone(), compare_error.clone(), chosen.clone());
                            Callback::from(move |_: MouseEvent| {
                                let next: Vec<&str> = METHODS.iter().map(|m| m.0)
                                    .filter(|&k| if k == key { !on } else { chosen.contains(&k) }).collect();
                                if next.len() < 2 {
                                    return err.set(Some("Pick two methods or more to compare.".into()));
                                }
                                match with_key(&q, "compare", &next.join(",")) {
                                    Ok(q) => { err.set(None); onquery.emit(q) }
                                    Err(m) => err.set(Some(m)),
                                }
                            })
                        };
                        html! { <button class="chip" data-method={key} aria-pressed={on.to_string()} disabled={running} {onclick}>{ label }</button> }
                    }) }
                    <label class="field compare-seeds"><span>{ "Seeds" }</span>
                        <input id="compare-repeats" type="number" min="1" max="20" value={settings.repeats.to_string()} disabled={running}
                            onchange={{
                                let (q, on, err) = (p.query.clone(), p.onquery.clone(), compare_error.clone());
                                Callback::from(move |e: Event| match with_key(&q, "repeats", e.target_unchecked_into::<HtmlInputElement>().value().trim()) {
                                    Ok(q) => { err.set(None); on.emit(q) }
                                    Err(m) => err.set(Some(m)),
                                })
                            }} />
                    </label>
                </div>
                if let Some(e) = (*compare_error).clone() {
                    <p class="error" role="alert" id="compare-error">{ e }</p>
                }
                <div class="buttons">
                    <button id="compare-run" disabled={running || problem.is_some()}
                        onclick={{
                            let (q, on, chosen) = (p.query.clone(), p.oncompare.clone(), chosen.clone());
                            Callback::from(move |_: MouseEvent| on.emit(with(&q, |s| if s.compare.is_empty() {
                                s.compare = chosen.iter().filter_map(|k| crate::experiment::search::method_from_key(k)).collect();
                            })))
                        }}>{ format!("Compare {} ({} trials each, {} seeds)", chosen.iter()
                            .map(|k| METHODS.iter().find(|m| m.0 == *k).map_or(*k, |m| m.1)).collect::<Vec<_>>().join(", "),
                            settings.n_trials, settings.repeats) }</button>
                    <button id="preset-bergstra" class="chip" disabled={running}
                        title="Nine trials on the two moons where only the learning rate matters: grid against random search, ten seeds each"
                        onclick={{
                            let on = p.onpreset.clone();
                            Callback::from(move |_: MouseEvent| {
                                let spec = crate::experiment::from_query(BERGSTRA_BENGIO.0).0;
                                on.emit((spec, BERGSTRA_BENGIO.1.to_string()));
                            })
                        }}>{ "Preset: random beats grid (Bergstra & Bengio)" }</button>
                </div>
                if let Some(c) = p.comparison.clone() {
                    <ComparisonView comparison={c} oncancel={p.oncancelcompare.clone()} />
                }
            </div>
            if let Some(search) = p.search.clone() {
                <SearchResults {search} onopen={p.onopen.clone()} onfocus={p.onfocus.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ResultsProps {
    search: Rc<SearchState>,
    onopen: Callback<ExperimentSpec>,
    onfocus: Callback<(usize, usize)>,
}

#[function_component]
fn SearchResults(p: &ResultsProps) -> Html {
    let s = &p.search;
    let rows_scored = use_memo(s.clone(), |s| scored(s));
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    let sort = use_state(|| None::<(usize, bool)>);
    let metric_key = s.metric.map_or("score", |m| m.key());
    let higher = s.metric.is_none_or(Metric::higher_is_better);
    {
        let canvas = canvas.clone();
        let search = s.clone();
        use_effect_with((search, tick), move |(search, _)| {
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
            deferred(move || {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    if let Err(e) = charts::search::draw(&c, &scores, higher, &format!("validation {label}")) {
                        web_sys::console::warn_1(&format!("hyperlab: could not draw the search: {e}").into());
                    }
                }
            })
        });
    }
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
        rows.sort_by(|a, b| {
            let o = key(a).total_cmp(&key(b));
            if desc { o.reverse() } else { o }
        });
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
            <progress id="search-progress" max={s.budget.max(1).to_string()} value={done.to_string()}></progress>
            <div class="chart-wrap">
                <canvas id="search-chart" ref={canvas} role="img"
                    aria-label="Each trial's validation score and the best so far"></canvas>
            </div>
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
                                TrialOutcome::Failed(m) => (String::new(), String::new(), String::new(), format!("failed: {m}")),
                                TrialOutcome::Cancelled => (String::new(), String::new(), String::new(), "cancelled".into()),
                            };
                            let open = t.spec.clone().map(|spec| {
                                let onopen = p.onopen.clone();
                                html! { <button class="open-trial" title="Open as an experiment in the lab, with its link"
                                    onclick={Callback::from(move |_: MouseEvent| onopen.emit(spec.clone()))}>{ "Open" }</button> }
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
            if !higher {
                <p class="hint">{ "Lower is better for this metric." }</p>
            }
        </div>
    }
}

/// The genetic algorithm's generations as they form: each child's score in
/// its generation's column, each generation's best and median, and how much
/// of the generation forming now is scored.
#[function_component]
fn Generations(p: &AnalysisProps) -> Html {
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    let s = &p.search;
    let Some(population) = s.population else { return html! {} };
    let count = s.trials.iter().map(|t| t.generation + 1).max().unwrap_or(0);
    let mut generations: Vec<Vec<f64>> = vec![Vec::new(); count];
    for r in p.scored.iter() {
        let t = &s.trials[r.index];
        generations[t.generation].push(r.value);
    }
    {
        let canvas = canvas.clone();
        let label = s.metric.map_or("score", |m| m.key()).replace('_', " ");
        let higher = s.metric.is_none_or(Metric::higher_is_better);
        use_effect_with((generations.clone(), tick), move |(generations, _)| {
            let generations = generations.clone();
            deferred(move || {
                if let (Some(c), false) = (canvas.cast::<HtmlCanvasElement>(), generations.is_empty()) {
                    if let Err(e) = charts::search::draw_generations(&c, &generations, higher, &label) {
                        web_sys::console::warn_1(&format!("hyperlab: could not draw the generations: {e}").into());
                    }
                }
            })
        });
    }
    if count == 0 {
        return html! {};
    }
    let current = count - 1;
    let members = s.trials.iter().filter(|t| t.generation == current).count();
    let scored = generations[current].len();
    let running = s.trials.iter().filter(|t| t.generation == current && t.outcome == TrialOutcome::Running).count();
    let forming = if running > 0 {
        format!("Generation {current} is forming: {scored} of its {members} children scored so far.")
    } else {
        format!("Generation {current}: {scored} children scored.")
    };
    html! {
        <div class="generations" id="generations" data-generations={count.to_string()}
            data-sizes={generations.iter().map(|g| g.len().to_string()).collect::<Vec<_>>().join(",")}>
            <h3>{ "Generations" }</h3>
            <p class="hint">{ format!("A population of {population}: each generation's children are bred from the \
                previous population's fittest (tournament selection, crossover, mutation); the elite are carried over \
                unchanged, without retraining. ") }
                { forming }</p>
            <canvas id="generations-chart" ref={canvas} role="img"
                aria-label="Each child's score by generation, with each generation's best and median"></canvas>
        </div>
    }
}

/// Score against each hyperparameter: one small chart per tuned key.
#[function_component]
fn Slices(p: &AnalysisProps) -> Html {
    let s = &p.search;
    if s.finished() < 2 {
        return html! {};
    }
    html! {
        <>
        if !s.densities.is_empty() {
            <p class="hint" id="tpe-hint">{ "TPE's model along the bottom of each chart: orange, where the best quarter \
                of the trials lie; grey, where the rest do. It tries next where orange is high and grey low." }</p>
        }
        <div class="slices" id="slices" aria-label="Each trial's score against each hyperparameter">
            { for (0..s.space.params.len()).map(|i| html! { <Slice search={s.clone()} param={i} /> }) }
        </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SliceProps {
    search: Rc<SearchState>,
    param: usize,
}

#[function_component]
fn Slice(p: &SliceProps) -> Html {
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    {
        let canvas = canvas.clone();
        use_effect_with(((p.search.clone(), p.param), tick), move |((search, i), _)| {
            let (search, i) = (search.clone(), *i);
            deferred(move || {
                let value = |t: &TrialRow| t.values.get(i).and_then(|v| search.space.parse_value(i, v));
                let points: Vec<_> = search
                    .trials
                    .iter()
                    .filter_map(|t| match t.outcome {
                        TrialOutcome::Scored { value: score, .. } => value(t).map(|v| (v, score)),
                        _ => None,
                    })
                    .collect();
                let best = search.best().and_then(|t| match t.outcome {
                    TrialOutcome::Scored { value: score, .. } => value(t).map(|v| (v, score)),
                    _ => None,
                });
                let label = search.metric.map_or("score", |m| m.key()).replace('_', " ");
                // The surrogate is in the study's larger-is-better units: back to the metric's.
                let sign = if search.metric.is_none_or(Metric::higher_is_better) { 1.0 } else { -1.0 };
                let surrogate: Option<Vec<(f64, f64, f64)>> = search
                    .surrogate
                    .iter()
                    .find(|(k, _)| *k == i)
                    .map(|(_, c)| c.iter().map(|&(x, m, s)| (x, sign * m, s)).collect());
                if let (Some(c), Some(param)) = (canvas.cast::<HtmlCanvasElement>(), search.space.params.get(i)) {
                    let densities = search.densities.iter().find(|(k, _)| *k == i).map(|(_, d)| d.as_slice());
                    let models = (surrogate.as_deref(), densities);
                    if let Err(e) = charts::search::draw_slice(&c, param, &points, best, models, &label) {
                        web_sys::console::warn_1(&format!("hyperlab: could not draw a slice: {e}").into());
                    }
                }
            })
        });
    }
    let key = p.search.space.params.get(p.param).map_or(String::new(), |q| q.key.clone());
    let modelled = p.search.surrogate.iter().any(|(k, _)| *k == p.param);
    let densities = p.search.densities.iter().any(|(k, _)| *k == p.param);
    html! {
        <canvas class="slice" ref={canvas} role="img" data-key={key.clone()} data-surrogate={modelled.to_string()} data-densities={densities.to_string()}
            aria-label={format!("Validation score against {key}")}></canvas>
    }
}

/// Bayesian optimization's belief over its first two numeric
/// hyperparameters while it runs: predicted score and uncertainty, with
/// the trials it has seen.
#[derive(Properties, PartialEq)]
struct SurrogateMapProps {
    search: Rc<SearchState>,
    scored: Rc<Vec<ScoredTrial>>,
    onfocus: Callback<(usize, usize)>,
}

#[function_component]
fn SurrogateMapView(p: &SurrogateMapProps) -> Html {
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    let s = &p.search;
    let map = s.surrogate_map.clone();
    let number = |v: crate::engine::search::Value| match v {
        crate::engine::search::Value::Real(x) => x,
        crate::engine::search::Value::Int(n) => n as f64,
        crate::engine::search::Value::Choice(k) => k as f64,
    };
    let (trials, best) = match &map {
        Some(m) => {
            let (a, b) = m.params;
            let at = |c: &crate::engine::search::Config| (number(c[a]), number(c[b]));
            let trials: Vec<(f64, f64)> = p.scored.iter().map(|r| at(&r.config)).collect();
            let best =
                s.best().and_then(|t| p.scored.iter().find(|r| s.trials[r.index].id == t.id)).map(|r| at(&r.config));
            (trials, best)
        }
        None => (Vec::new(), None),
    };
    {
        let canvas = canvas.clone();
        let space = s.space.clone();
        use_effect_with(((map.clone(), trials.clone(), best), tick), move |((map, trials, best), _)| {
            let (map, trials, best) = (map.clone(), trials.clone(), *best);
            deferred(move || {
                let (Some(c), Some(map)) = (canvas.cast::<HtmlCanvasElement>(), map) else { return };
                let (Some(a), Some(b)) = (space.params.get(map.params.0), space.params.get(map.params.1)) else {
                    return;
                };
                if let Err(e) = charts::search::draw_surrogate_map(&c, (a, b), &map, &trials, best) {
                    web_sys::console::warn_1(&format!("hyperlab: could not draw the surrogate: {e}").into());
                }
            })
        });
    }
    let Some(m) = map else { return html! {} };
    let key = |i: usize| s.space.params.get(i).map_or(String::new(), |q| q.key.clone());
    let numeric: Vec<usize> = (0..s.space.params.len())
        .filter(|&i| !matches!(s.space.params[i].domain, crate::engine::search::Domain::Choice(_)))
        .collect();
    // One axis's picker: choosing the other axis's parameter swaps them.
    let picker = |axis: usize| {
        let (a, b) = m.params;
        let current = if axis == 0 { a } else { b };
        let onchange = {
            let onfocus = p.onfocus.clone();
            Callback::from(move |e: Event| {
                let Ok(k) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<usize>() else { return };
                let pair = match axis {
                    0 if k == b => (b, a),
                    0 => (k, b),
                    _ if k == a => (b, a),
                    _ => (a, k),
                };
                onfocus.emit(pair);
            })
        };
        html! {
            <select id={if axis == 0 { "surrogate-x" } else { "surrogate-y" }} {onchange}>
                { for numeric.iter().map(|&i| html! { <option value={i.to_string()} selected={i == current}>{ key(i) }</option> }) }
            </select>
        }
    };
    html! {
        <div class="surrogate-map" id="surrogate-map" data-params={format!("{},{}", key(m.params.0), key(m.params.1))}>
            <h3>{ "What the model believes" }</h3>
            if numeric.len() > 2 {
                <div class="surrogate-pick">
                    <label class="field"><span>{ "across" }</span>{ picker(0) }</label>
                    <label class="field"><span>{ "up" }</span>{ picker(1) }</label>
                </div>
            }
            <p class="hint">{ format!("The Gaussian process's predicted score over {} and {} (the other settings at the best \
                trial's): brighter is better, washed out where it is unsure. Dots: the trials it learned from; ringed: \
                the best. The next trial goes where a high prediction or a large uncertainty promises the most \
                improvement.", key(m.params.0), key(m.params.1)) }</p>
            <canvas id="surrogate-map-chart" ref={canvas} role="img"
                aria-label="The surrogate's predicted score and uncertainty over two hyperparameters"></canvas>
        </div>
    }
}

/// A scored trial: its place in the search's trials, its configuration
/// (parsed back from its values) and its metric value.
#[derive(Clone, Debug, PartialEq)]
struct ScoredTrial {
    index: usize,
    config: crate::engine::search::Config,
    value: f64,
}

/// The scored trials, parsed once per update for all the result views.
fn scored(s: &SearchState) -> Vec<ScoredTrial> {
    s.trials
        .iter()
        .enumerate()
        .filter_map(|(index, t)| {
            let TrialOutcome::Scored { value, .. } = t.outcome else { return None };
            let config: Option<Vec<_>> =
                (0..s.space.params.len()).map(|i| t.values.get(i).and_then(|v| s.space.parse_value(i, v))).collect();
            Some(ScoredTrial { index, config: config?, value })
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct AnalysisProps {
    search: Rc<SearchState>,
    scored: Rc<Vec<ScoredTrial>>,
}

impl AnalysisProps {
    /// Each scored trial's row, configuration and value.
    fn rows(&self) -> Vec<(&TrialRow, crate::engine::search::Config, f64)> {
        self.scored.iter().map(|r| (&self.search.trials[r.index], r.config.clone(), r.value)).collect()
    }
}

#[function_component]
fn Importance(p: &AnalysisProps) -> Html {
    let s = &p.search;
    let trials: Vec<_> = p.scored.iter().map(|r| (r.config.clone(), r.value)).collect();
    if trials.len() < 5 || s.space.params.len() < 2 {
        return html! {};
    }
    let imp = crate::engine::search::analysis::importance(&s.space, &trials);
    html! {
        <div class="importance" id="importance" aria-label="Which hyperparameters mattered">
            <h3>{ "What mattered" }</h3>
            <p class="hint">{ "The share of the scores' variance each setting explains on its own (binned)." }</p>
            { for s.space.params.iter().zip(&imp).map(|(param, v)| html! {
                <div class="bar-row" data-key={param.key.clone()} data-share={format!("{v:.4}")}>
                    <span class="bar-label">{ param.key.clone() }</span>
                    <span class="bar"><span style={format!("width: {:.1}%", 100.0 * v)}></span></span>
                    <span class="bar-value">{ format!("{:.0} %", 100.0 * v) }</span>
                </div>
            }) }
        </div>
    }
}

/// The second objectives a trial can be traded against (smaller is better).
const OBJECTIVES: [&str; 3] = ["parameters (network size)", "epochs trained", "training cost (epochs × parameters)"];

/// Balancing two objectives: the score against a cost the user picks
/// (network size, epochs, or both), with the Pareto front of trade-offs.
#[function_component]
fn Pareto(p: &AnalysisProps) -> Html {
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    let chosen = use_state(|| None::<usize>);
    let s = &p.search;
    let rows = p.rows();
    let cost = |t: &TrialRow| -> [f64; 3] {
        let size = t.spec.as_ref().map_or(f64::NAN, |sp| sp.model().n_params() as f64);
        let epochs = match t.outcome {
            TrialOutcome::Scored { epochs, .. } => epochs as f64,
            _ => f64::NAN,
        };
        [size, epochs, size * epochs]
    };
    let all: Vec<[f64; 3]> = rows.iter().map(|(t, _, _)| cost(t)).collect();
    let varies = |k: usize| all.iter().any(|c| c[k] != all[0][k]);
    let available: Vec<usize> = if rows.len() >= 3 { (0..3).filter(|&k| varies(k)).collect() } else { Vec::new() };
    let objective = chosen.filter(|k| available.contains(k)).or(available.first().copied());
    let (costs, cost_label) = match objective {
        Some(k) => (all.iter().map(|c| c[k]).collect::<Vec<_>>(), OBJECTIVES[k]),
        None => (Vec::new(), ""),
    };
    let higher = s.metric.is_none_or(Metric::higher_is_better);
    let points: Vec<(f64, f64)> = costs.iter().zip(&rows).map(|(&c, r)| (c, r.2)).collect();
    let front = crate::engine::search::analysis::pareto_front(
        &points.iter().map(|&(c, v)| (if higher { v } else { -v }, c)).collect::<Vec<_>>(),
    );
    let front_ids: Vec<usize> = front.iter().map(|&i| rows[i].0.id).collect();
    {
        let canvas = canvas.clone();
        let label = s.metric.map_or("score", |m| m.key()).replace('_', " ");
        let (points, front) = (points.clone(), front.clone());
        use_effect_with(((points, front, cost_label), tick), move |((points, front, cost_label), _)| {
            let (points, front, cost_label) = (points.clone(), front.clone(), *cost_label);
            deferred(move || {
                if let (Some(c), false) = (canvas.cast::<HtmlCanvasElement>(), points.is_empty()) {
                    if let Err(e) = charts::search::draw_pareto(&c, &points, &front, cost_label, &label) {
                        web_sys::console::warn_1(&format!("hyperlab: could not draw the Pareto front: {e}").into());
                    }
                }
            })
        });
    }
    if points.is_empty() {
        return html! {};
    }
    html! {
        <div class="pareto" id="pareto" data-objective={cost_label} data-front={front_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")}>
            <h3>{ "Balancing two objectives" }</h3>
            <label class="field"><span>{ "Against" }</span>
                <select id="pareto-objective" onchange={{
                    let chosen = chosen.clone();
                    Callback::from(move |e: Event| {
                        chosen.set(e.target_unchecked_into::<HtmlSelectElement>().value().parse().ok());
                    })
                }}>
                    { for available.iter().map(|&k| html! {
                        <option value={k.to_string()} selected={objective == Some(k)}>{ OBJECTIVES[k] }</option>
                    }) }
                </select>
            </label>
            <p class="hint">{ format!("Validation score against {cost_label}. Orange: the Pareto front — no other trial is \
                both better and cheaper (trials {}).", front_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")) }</p>
            <canvas id="pareto-chart" ref={canvas} role="img" aria-label="Score against cost, with the Pareto front"></canvas>
        </div>
    }
}

/// Trials shown in the learning-curve chart.
const TOP_CURVES: usize = 5;

/// The learning curves of the best trials: validation metric per epoch.
#[function_component]
fn Curves(p: &AnalysisProps) -> Html {
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    let s = &p.search;
    let higher = s.metric.is_none_or(Metric::higher_is_better);
    let mut top: Vec<(usize, f64, Rc<[f64]>)> = s
        .trials
        .iter()
        .filter_map(|t| match &t.outcome {
            TrialOutcome::Scored { value, curve, .. } if !curve.is_empty() => Some((t.id, *value, curve.clone())),
            _ => None,
        })
        .collect();
    top.sort_by(|a, b| if higher { b.1.total_cmp(&a.1) } else { a.1.total_cmp(&b.1) });
    top.truncate(TOP_CURVES);
    {
        let canvas = canvas.clone();
        let label = s.metric.map_or("score", |m| m.key()).replace('_', " ");
        use_effect_with((top.clone(), tick), move |(top, _)| {
            let top = top.clone();
            deferred(move || {
                if let (Some(c), false) = (canvas.cast::<HtmlCanvasElement>(), top.is_empty()) {
                    if let Err(e) = charts::search::draw_curves(&c, &top, &format!("validation {label}")) {
                        web_sys::console::warn_1(&format!("hyperlab: could not draw the learning curves: {e}").into());
                    }
                }
            })
        });
    }
    if top.is_empty() {
        return html! {};
    }
    html! {
        <div class="curves" id="curves" data-trials={top.iter().map(|t| t.0.to_string()).collect::<Vec<_>>().join(",")}>
            <h3>{ format!("Learning curves of the best {}", top.len()) }</h3>
            <canvas id="curves-chart" ref={canvas} role="img" aria-label="Validation score per epoch of the best trials"></canvas>
        </div>
    }
}

/// For a two-hyperparameter space: the mean score in each cell of its grid
/// (trials of other methods fall in the nearest cell).
#[function_component]
fn Heatmap(p: &AnalysisProps) -> Html {
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    let s = &p.search;
    let space = &s.space;
    let rows = p.rows();
    let ready = space.params.len() == 2 && rows.len() >= 2;
    let axes: Vec<Vec<crate::engine::search::Value>> =
        if ready { (0..2).map(|i| space.axis(i)).collect() } else { Vec::new() };
    // The nearest grid value of parameter `i` to `v`.
    let cell_of = |i: usize, v: crate::engine::search::Value| -> usize {
        match v {
            crate::engine::search::Value::Choice(k) => k,
            _ => {
                let u = space.encode_param(i, v);
                (0..axes[i].len())
                    .min_by(|&a, &b| {
                        let da = (space.encode_param(i, axes[i][a]) - u).abs();
                        let db = (space.encode_param(i, axes[i][b]) - u).abs();
                        da.total_cmp(&db)
                    })
                    .unwrap_or(0)
            }
        }
    };
    let cells: Vec<Option<f64>> = if ready {
        let (nx, ny) = (axes[0].len(), axes[1].len());
        let mut sum = vec![0.0; nx * ny];
        let mut count = vec![0usize; nx * ny];
        for (_, config, value) in &rows {
            let k = cell_of(1, config[1]) * nx + cell_of(0, config[0]);
            sum[k] += value;
            count[k] += 1;
        }
        sum.iter().zip(&count).map(|(s, &c)| (c > 0).then(|| s / c as f64)).collect()
    } else {
        Vec::new()
    };
    let labels: Vec<Vec<String>> =
        axes.iter().enumerate().map(|(i, a)| a.iter().map(|v| space.format(i, *v)).collect()).collect();
    {
        let canvas = canvas.clone();
        let keys: Vec<String> = space.params.iter().map(|q| q.key.clone()).collect();
        let higher = s.metric.is_none_or(Metric::higher_is_better);
        use_effect_with(((cells.clone(), labels.clone()), tick), move |((cells, labels), _)| {
            let (cells, labels) = (cells.clone(), labels.clone());
            deferred(move || {
                if let (Some(c), true) = (canvas.cast::<HtmlCanvasElement>(), labels.len() == 2) {
                    let result = charts::search::draw_heatmap(
                        &c,
                        (&keys[0], &labels[0]),
                        (&keys[1], &labels[1]),
                        &cells,
                        higher,
                    );
                    if let Err(e) = result {
                        web_sys::console::warn_1(&format!("hyperlab: could not draw the heat map: {e}").into());
                    }
                }
            })
        });
    }
    if !ready {
        return html! {};
    }
    let filled = cells.iter().filter(|c| c.is_some()).count();
    html! {
        <div class="heatmap" id="heatmap" data-filled={filled.to_string()} data-cells={cells.len().to_string()}>
            <h3>{ "The grid as a heat map" }</h3>
            <p class="hint">{ "The mean validation score of the trials in each cell of the grid; brighter is better, grey: not tried." }</p>
            <canvas id="heatmap-chart" ref={canvas} role="img" aria-label="Mean score per cell of the two hyperparameters' grid"></canvas>
        </div>
    }
}

/// Parallel coordinates of the scored trials.
#[function_component]
fn Parallel(p: &AnalysisProps) -> Html {
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    let s = &p.search;
    let trials: Vec<_> = p.scored.iter().map(|r| (r.config.clone(), r.value)).collect();
    let show = trials.len() >= 3 && !s.space.params.is_empty();
    {
        let canvas = canvas.clone();
        let (space, higher) = (s.space.clone(), s.metric.is_none_or(Metric::higher_is_better));
        let label = s.metric.map_or("score", |m| m.key()).replace('_', " ");
        use_effect_with((trials.clone(), tick), move |(trials, _)| {
            let trials = trials.clone();
            deferred(move || {
                if let (Some(c), true) = (canvas.cast::<HtmlCanvasElement>(), trials.len() >= 3) {
                    if let Err(e) = charts::search::draw_parallel(&c, &space, &trials, higher, &label) {
                        web_sys::console::warn_1(
                            &format!("hyperlab: could not draw the parallel coordinates: {e}").into(),
                        );
                    }
                }
            })
        });
    }
    if !show {
        return html! {};
    }
    html! {
        <div class="parallel" id="parallel" data-lines={trials.len().to_string()}>
            <h3>{ "Parallel coordinates" }</h3>
            <p class="hint">{ "Each trial is a line through its settings to its score; brighter is better, the best is thickest." }</p>
            <canvas id="parallel-chart" ref={canvas} role="img" aria-label="Each trial's settings and score as a line across parallel axes"></canvas>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ComparisonProps {
    comparison: Rc<Comparison>,
    oncancel: Callback<()>,
}

#[function_component]
fn ComparisonView(p: &ComparisonProps) -> Html {
    let canvas = use_node_ref();
    // Redrawn at a new size too (a resize, presentation mode).
    let tick = use_resize_tick();
    let by_epochs = use_state(|| false);
    let c = &p.comparison;
    {
        let canvas = canvas.clone();
        let label = c.metric.map_or("score", |m| m.key()).replace('_', " ");
        use_effect_with(((c.curves.clone(), *by_epochs), tick), move |((curves, by_epochs), _)| {
            let (curves, by_epochs) = (curves.clone(), *by_epochs);
            deferred(move || {
                if let (Some(el), Some(curves)) = (canvas.cast::<HtmlCanvasElement>(), curves) {
                    let label = format!("best validation {label}");
                    if let Err(e) = charts::search::draw_comparison(&el, &curves, &label, by_epochs) {
                        web_sys::console::warn_1(&format!("hyperlab: could not draw the comparison: {e}").into());
                    }
                }
            })
        });
    }
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
