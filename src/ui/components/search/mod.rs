//! The search lab: a search's settings (method, budget, space, evaluation),
//! its progress, the best score so far, and the sortable table of trials,
//! each one click from being an experiment of its own.

mod analysis;
mod beat;
mod comparison;
mod results;

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::space_editor::SpaceEditor;
use crate::engine::search::Method;
use crate::engine::train::Metric;
use crate::experiment::ExperimentSpec;
use crate::experiment::search::{SearchSpec, format_space, search_from_query, search_to_query};
use crate::ui::state::{Comparison, ScriptExport, SearchState};
use crate::worker::protocol::ScriptKind;
use comparison::ComparisonView;
use results::SearchResults;

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
    /// The experiment searched around.
    pub experiment: ExperimentSpec,
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
    /// "Beat the search", when the settings have a challenge.
    #[prop_or_default]
    pub beat: Option<Rc<crate::lab::beat::Standing>>,
    /// Write the search as an Optuna study, and how that went.
    pub onstudy: Callback<()>,
    pub script: ScriptExport,
    /// Scrolls itself into view when it appears (not when a lesson step
    /// opened it: the step's text keeps the view).
    pub into_view: bool,
}

/// Bergstra & Bengio (2012) in one click: nine trials, only the learning
/// rate matters; ten seeds of grid and of random search on the two moons.
const BERGSTRA_BENGIO: (&str, &str) = (
    "data=moons&ep=40",
    "search=random&trials=9&space=lr:log:0.001:10:3,wd:log:0.0000001:0.000001:3&smetric=loss&compare=grid,random&repeats=10",
);

/// The settings `query` with `f` applied to them.
fn with_settings(query: &str, f: impl FnOnce(&mut SearchSpec)) -> String {
    let mut s = search_from_query(query).0.unwrap_or_default();
    f(&mut s);
    search_to_query(&s)
}

/// The settings with one search key set to `value` (the others kept; empty:
/// the default), or
/// the notice that names why `value` is refused.
fn with_setting(query: &str, key: &str, value: &str) -> Result<String, String> {
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
    let in_view = crate::ui::components::use_in_view(p.into_view);
    // Parsed when the settings change, not on every update of a running search.
    let read = use_memo(p.query.clone(), |query| search_from_query(query));
    let (parsed, notices) = (&read.0, &read.1);
    // What the search would refuse to run, named before Run is pressed.
    // And a batch-size range past the training set, cut at its size when the search runs.
    // Worked out when the settings change, not on every update of a running search.
    let checks = use_memo((p.experiment.clone(), p.query.clone()), |(experiment, query)| {
        use crate::experiment::search::{fit_batch_sizes, prepare_on, with_test_split};
        let problem = prepare_on(experiment.clone(), query).err();
        let n_train = with_test_split(experiment.clone()).n_train();
        let cut = search_from_query(query).0.and_then(|mut s| fit_batch_sizes(&mut s.space, n_train));
        (problem, cut)
    });
    let problem = checks.0.clone().filter(|_| notices.is_empty());
    let batch_cut = checks.1;

    let settings = parsed.clone().unwrap_or_default();
    // The student's curve beside the rivals', once the comparison is the challenge's.
    let you = p.beat.as_ref().filter(|b| b.done(p.comparison.as_deref())).map(|b| b.curve());
    let searching = p.search.as_ref().is_some_and(|s| s.phase.running());
    let comparing = p.comparison.as_ref().is_some_and(|c| c.running());
    let writing_study = p.script.writing(ScriptKind::Optuna);
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
                on.emit(with_settings(&q, |s| s.method = m));
            }
        })
    };
    let on_trials = {
        let (q, on) = (p.query.clone(), p.onquery.clone());
        Callback::from(move |e: Event| {
            if let Ok(n) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<usize>() {
                on.emit(with_settings(&q, |s| s.n_trials = n.clamp(1, crate::experiment::search::MAX_TRIALS)));
            }
        })
    };
    let on_folds = {
        let (q, on) = (p.query.clone(), p.onquery.clone());
        Callback::from(move |e: Event| {
            if let Ok(k) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<usize>() {
                on.emit(with_settings(&q, |s| s.folds = k));
            }
        })
    };
    let apply_space = {
        let (q, on, err) = (p.query.clone(), p.onquery.clone(), space_error.clone());
        Callback::from(move |value: String| match crate::experiment::search::parse_space(&value) {
            Ok(space) => {
                err.set(None);
                on.emit(with_settings(&q, |s| s.space = space));
            }
            Err(e) => err.set(Some(e)),
        })
    };
    let on_metric = {
        let (q, on) = (p.query.clone(), p.onquery.clone());
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            on.emit(with_settings(&q, |s| s.metric = Metric::from_key(&key)));
        })
    };
    let on_space = apply_space.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());

    let method_ref = crate::ui::components::use_select_value(settings.method.key().to_string());
    let folds_ref = crate::ui::components::use_select_value(settings.folds.to_string());
    let metric_ref = crate::ui::components::use_select_value(settings.metric.map_or("", |m| m.key()).to_string());
    let grid = settings.space.grid_size();
    // Whether the space is finite: every hyperparameter a choice, so the grid is every setting there is.
    let finite = settings.space.params.iter().all(|q| matches!(q.domain, crate::engine::search::Domain::Choice(_)));
    html! {
        <section class="panel search" id="search" ref={in_view} aria-label="Hyperparameter search">
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
                        match with_setting(&q, key, e.target_unchecked_into::<HtmlInputElement>().value().trim()) {
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
                                if let Ok(q) = with_setting(&q, "inner", &e.target_unchecked_into::<HtmlSelectElement>().value()) {
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
                    <SpaceEditor space={settings.space.clone()} disabled={running}
                        grid={matches!(settings.method, Method::Grid)} onchange={{
                        let (q, on, err) = (p.query.clone(), p.onquery.clone(), space_error.clone());
                        Callback::from(move |space| {
                            err.set(None);
                            on.emit(with_settings(&q, |s| s.space = space));
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
                if finite && grid < settings.n_trials as u64 && !matches!(settings.method, Method::Grid) {
                    <p class="hint" id="few-settings">{ format!(
                        "Only {grid} different settings exist here (every hyperparameter is a choice): of {} trials, \
                         the rest can only repeat them. A grid search tries each once; or lower the trials to {grid}.",
                        settings.n_trials) }</p>
                }
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
                    <button id="download-optuna" disabled={writing_study || parsed.is_none() || !notices.is_empty() || problem.is_some() || space_error.is_some()}
                        onclick={p.onstudy.reform(|_: MouseEvent| ())}
                        title="A Python file that runs this search as an Optuna study — the same space, budget and \
                               method, trials trained in PyTorch — on as many processes and machines as you have \
                               (`hyperlab export optuna`)">
                        { if writing_study { "Writing…" } else { "Optuna study" } }
                    </button>
                </div>
                if let Some(e) = p.script.failure(ScriptKind::Optuna) {
                    <p class="error" role="alert" id="study-error">{ e.to_string() }</p>
                }
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
                                match with_setting(&q, "compare", &next.join(",")) {
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
                                Callback::from(move |e: Event| match with_setting(&q, "repeats", e.target_unchecked_into::<HtmlInputElement>().value().trim()) {
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
                            Callback::from(move |_: MouseEvent| on.emit(with_settings(&q, |s| if s.compare.is_empty() {
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
                    <ComparisonView comparison={c} oncancel={p.oncancelcompare.clone()} you={you}
                        source={format!("{}&{}", crate::experiment::to_query(&p.experiment), p.query)}
                        own={p.experiment.data.own.clone()} />
                }
            </div>
            <beat::BeatPanel query={p.query.clone()} standing={p.beat.clone()} comparison={p.comparison.clone()}
                {running} onquery={p.onquery.clone()} oncompare={p.oncompare.clone()} />
            if let Some(search) = p.search.clone() {
                <SearchResults {search} onopen={p.onopen.clone()} onfocus={p.onfocus.clone()} />
            }
        </section>
    }
}
