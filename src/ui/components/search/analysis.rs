//! What a search found, drawn: the genetic algorithm's generations, a slice
//! per hyperparameter, Bayesian optimization's surrogate, what mattered, the
//! trade-off against a cost, the best learning curves, the grid's heat map
//! and parallel coordinates.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::engine::train::Metric;
use crate::figure::SearchChart;
use crate::ui::charts;
use crate::ui::components::figure::{SaveFigure, SearchFigureButtons};
use crate::ui::components::views::use_canvas;
use crate::ui::state::{SearchPhase, SearchState, TrialOutcome, TrialRow};

/// A finished search's analysis figure, built by `draw` from what the search
/// says of itself and the link, when a button is pressed.
#[hook]
fn use_analysis_figure<D>(
    search: &Rc<SearchState>,
    data: D,
    draw: impl Fn(&SearchState, &D, &crate::figure::SearchAbout, &str) -> Option<crate::figure::Figure> + 'static,
) -> Callback<(), Option<crate::figure::Figure>>
where
    D: PartialEq + 'static,
{
    use_callback((search.clone(), data), move |(), (search, data)| {
        let (about, link) = search.figure_about(&crate::ui::address::page_address())?;
        draw(search, data, &about, &link)
    })
}

/// "Save figure" under an analysis, once the search has finished.
fn save_analysis(id: &str, search: &SearchState, figure: Callback<(), Option<crate::figure::Figure>>) -> Html {
    if search.phase != SearchPhase::Done {
        return html! {};
    }
    html! { <SaveFigure id={id.to_string()} stem={format!("search-{id}")} disabled={false} {figure} /> }
}

/// The genetic algorithm's generations as they form: each child's score in
/// its generation's column, each generation's best and median, and how much
/// of the generation forming now is scored.
#[function_component]
pub(super) fn Generations(p: &AnalysisProps) -> Html {
    let s = &p.search;
    let population = s.population;
    let count = s.trials.iter().map(|t| t.generation + 1).max().unwrap_or(0);
    let mut generations: Vec<Vec<f64>> = vec![Vec::new(); count];
    for r in p.scored.iter() {
        let t = &s.trials[r.index];
        generations[t.generation].push(r.value);
    }
    let label = s.metric.map_or("score", |m| m.key()).replace('_', " ");
    let higher = s.metric.is_none_or(Metric::higher_is_better);
    let canvas = use_canvas("generations", generations.clone(), move |c, generations| {
        if generations.is_empty() {
            Ok(())
        } else {
            charts::search::draw_generations(c, generations, higher, &label).map(drop)
        }
    });
    let figure = use_analysis_figure(s, generations.clone(), |_, g, about, link| {
        Some(crate::figure::generations(g, about, link))
    });
    let Some(population) = population else { return html! {} };
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
            { save_analysis("generations", s, figure) }
        </div>
    }
}

/// Score against each hyperparameter: one small chart per tuned key.
#[function_component]
pub(super) fn Slices(p: &AnalysisProps) -> Html {
    let s = &p.search;
    if s.finished() < 2 {
        return html! {};
    }
    html! {
        <>
        if !s.densities.is_empty() {
            <p class="hint" id="tpe-hint">{ "TPE's model along the bottom of each chart: green, where the best quarter \
                of the trials lie; grey, where the rest do (trials still training among them). It tries next where \
                green is high and grey low, over all the settings together: a learning rate with the batch size it suits." }</p>
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
    let canvas = use_canvas("slice", (p.search.clone(), p.param), |c, (search, i)| {
        let i = *i;
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
        let Some(param) = search.space.params.get(i) else { return Ok(()) };
        let densities = search.densities.iter().find(|(k, _)| *k == i).map(|(_, d)| d.as_slice());
        let models = (surrogate.as_deref(), densities);
        charts::search::draw_slice(c, param, &points, best, models, &label).map(drop)
    });
    let key = p.search.space.params.get(p.param).map_or(String::new(), |q| q.key.clone());
    let modelled = p.search.surrogate.iter().any(|(k, _)| *k == p.param);
    let densities = p.search.densities.iter().any(|(k, _)| *k == p.param);
    html! {
        <div class="slice-wrap">
            <canvas class="slice" ref={canvas} role="img" data-key={key.clone()} data-surrogate={modelled.to_string()} data-densities={densities.to_string()}
                aria-label={format!("Validation score against {key}")}></canvas>
            if p.search.phase == SearchPhase::Done {
                <SearchFigureButtons id={format!("slice-{key}")} chart={SearchChart::Slice(p.param)} search={p.search.clone()} />
            }
        </div>
    }
}

/// Bayesian optimization's belief over its first two numeric
/// hyperparameters while it runs: predicted score and uncertainty, with
/// the trials it has seen.
#[derive(Properties, PartialEq)]
pub(super) struct SurrogateMapProps {
    pub(super) search: Rc<SearchState>,
    pub(super) scored: Rc<Vec<ScoredTrial>>,
    pub(super) onfocus: Callback<(usize, usize)>,
}

#[function_component]
pub(super) fn SurrogateMapView(p: &SurrogateMapProps) -> Html {
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
    let space = s.space.clone();
    let canvas = use_canvas("surrogate", (map.clone(), trials.clone(), best), move |c, (map, trials, best)| {
        let Some(map) = map else { return Ok(()) };
        let (Some(a), Some(b)) = (space.params.get(map.params.0), space.params.get(map.params.1)) else {
            return Ok(());
        };
        charts::search::draw_surrogate_map(c, (a, b), map, trials, *best).map(drop)
    });
    let figure = use_analysis_figure(s, (map.clone(), trials, best), |s, (map, trials, best), about, link| {
        let map = map.as_ref()?;
        let axes = (s.space.params.get(map.params.0)?, s.space.params.get(map.params.1)?);
        Some(crate::figure::surrogate(axes, map, trials, *best, about, link))
    });
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
            { save_analysis("surrogate", s, figure) }
        </div>
    }
}

/// A scored trial: its place in the search's trials, its configuration
/// (parsed back from its values) and its metric value.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ScoredTrial {
    pub(super) index: usize,
    pub(super) config: crate::engine::search::Config,
    pub(super) value: f64,
}

/// The scored trials, parsed once per update for all the result views.
pub(super) fn scored(s: &SearchState) -> Vec<ScoredTrial> {
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
pub(super) struct AnalysisProps {
    pub(super) search: Rc<SearchState>,
    pub(super) scored: Rc<Vec<ScoredTrial>>,
}

impl AnalysisProps {
    /// Each scored trial's row, configuration and value.
    fn rows(&self) -> Vec<(&TrialRow, crate::engine::search::Config, f64)> {
        self.scored.iter().map(|r| (&self.search.trials[r.index], r.config.clone(), r.value)).collect()
    }
}

#[function_component]
pub(super) fn Importance(p: &AnalysisProps) -> Html {
    let s = &p.search;
    let trials: Vec<_> = p.scored.iter().map(|r| (r.config.clone(), r.value)).collect();
    let shown = trials.len() >= 5 && s.space.params.len() >= 2;
    let imp = if shown { crate::engine::search::analysis::importance(&s.space, &trials) } else { Vec::new() };
    let figure = use_analysis_figure(s, imp.clone(), |s, imp, about, link| {
        Some(crate::figure::importance(&s.space, imp, about, link))
    });
    if !shown {
        return html! {};
    }
    html! {
        <div class="importance" id="importance" aria-label="Which hyperparameters mattered">
            <h3>{ "What mattered" }</h3>
            <p class="hint">{ "How much of the spread in the scores each setting explains on its own: the scores are \
                grouped by that setting's value, and its share is the part of their variance the groups' means \
                account for. Settings that matter together, or only through another, are not counted whole, so the \
                shares need not add up to 100 %." }</p>
            { for s.space.params.iter().zip(&imp).map(|(param, v)| html! {
                <div class="bar-row" data-key={param.key.clone()} data-share={format!("{v:.4}")}>
                    <span class="bar-label">{ param.key.clone() }</span>
                    <span class="bar"><span style={format!("width: {:.1}%", 100.0 * v)}></span></span>
                    <span class="bar-value">{ format!("{:.0} %", 100.0 * v) }</span>
                </div>
            }) }
            { save_analysis("importance", s, figure) }
        </div>
    }
}

/// The second objectives a trial can be traded against (smaller is better).
const OBJECTIVES: [&str; 3] = ["parameters (network size)", "epochs trained", "training cost (epochs × parameters)"];

/// Balancing two objectives: the score against a cost the user picks
/// (network size, epochs, or both), with the Pareto front of trade-offs.
#[function_component]
pub(super) fn Pareto(p: &AnalysisProps) -> Html {
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
    let label = s.metric.map_or("score", |m| m.key()).replace('_', " ");
    let canvas = use_canvas(
        "Pareto front",
        (points.clone(), front.clone(), cost_label),
        move |c, (points, front, cost_label)| {
            if points.is_empty() {
                Ok(())
            } else {
                charts::search::draw_pareto(c, points, front, cost_label, &label).map(drop)
            }
        },
    );
    let figure =
        use_analysis_figure(s, (points.clone(), front.clone(), cost_label), |_, (points, front, cost), about, link| {
            Some(crate::figure::pareto(points, front, cost, about, link))
        });
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
            { save_analysis("pareto", s, figure) }
        </div>
    }
}

/// Trials shown in the learning-curve chart.
const TOP_CURVES: usize = 5;

/// The learning curves of the best trials: validation metric per epoch.
#[function_component]
pub(super) fn Curves(p: &AnalysisProps) -> Html {
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
    crate::engine::sort::sort_by(&mut top, |a, b| if higher { b.1.total_cmp(&a.1) } else { a.1.total_cmp(&b.1) });
    top.truncate(TOP_CURVES);
    let label = s.metric.map_or("score", |m| m.key()).replace('_', " ");
    let canvas = use_canvas("learning curves", top.clone(), move |c, top| {
        if top.is_empty() {
            Ok(())
        } else {
            charts::search::draw_curves(c, top, &format!("validation {label}")).map(drop)
        }
    });
    let figure = use_analysis_figure(s, top.clone(), |_, top, about, link| {
        let curves: Vec<(usize, &[f64])> = top.iter().map(|(id, _, c)| (*id, &c[..])).collect();
        Some(crate::figure::curves(&curves, about, link))
    });
    if top.is_empty() {
        return html! {};
    }
    html! {
        <div class="curves" id="curves" data-trials={top.iter().map(|t| t.0.to_string()).collect::<Vec<_>>().join(",")}>
            <h3>{ format!("Learning curves of the best {}", top.len()) }</h3>
            <canvas id="curves-chart" ref={canvas} role="img" aria-label="Validation score per epoch of the best trials"></canvas>
            { save_analysis("curves", s, figure) }
        </div>
    }
}

/// For a two-hyperparameter space: the mean score in each cell of its grid
/// (trials of other methods fall in the nearest cell).
#[function_component]
pub(super) fn Heatmap(p: &AnalysisProps) -> Html {
    let s = &p.search;
    // A heat map of the grid, for a grid search only: other methods' trials
    // do not fall on a grid.
    let grid = *use_memo(s.source.clone(), |source| {
        crate::experiment::search::search_from_query(source)
            .0
            .is_some_and(|spec| matches!(spec.method, crate::engine::search::Method::Grid))
    });
    let space = &s.space;
    let rows = p.rows();
    let ready = grid && space.params.len() == 2 && rows.len() >= 2;
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
    let keys: Vec<String> = space.params.iter().map(|q| q.key.clone()).collect();
    let higher = s.metric.is_none_or(Metric::higher_is_better);
    let canvas = use_canvas("heat map", (cells.clone(), labels.clone()), move |c, (cells, labels)| {
        if labels.len() != 2 {
            return Ok(());
        }
        charts::search::draw_heatmap(c, (&keys[0], &labels[0]), (&keys[1], &labels[1]), cells, higher)
    });
    let figure = use_analysis_figure(s, (cells.clone(), labels.clone()), |s, (cells, labels), about, link| {
        let (x, y) = (s.space.params.first()?, s.space.params.get(1)?);
        let (xl, yl) = (labels.first()?, labels.get(1)?);
        Some(crate::figure::heatmap((&x.key, xl), (&y.key, yl), cells, about, link))
    });
    if !ready {
        return html! {};
    }
    let filled = cells.iter().filter(|c| c.is_some()).count();
    html! {
        <div class="heatmap" id="heatmap" data-filled={filled.to_string()} data-cells={cells.len().to_string()}>
            <h3>{ "The grid as a heat map" }</h3>
            <p class="hint">{ "The mean validation score of the trials in each cell of the grid; brighter is better, grey: not tried." }</p>
            <canvas id="heatmap-chart" ref={canvas} role="img" aria-label="Mean score per cell of the two hyperparameters' grid"></canvas>
            { save_analysis("heatmap", s, figure) }
        </div>
    }
}

/// Parallel coordinates of the scored trials.
#[function_component]
pub(super) fn Parallel(p: &AnalysisProps) -> Html {
    let s = &p.search;
    let all: Vec<_> = p.scored.iter().map(|r| (r.config.clone(), r.value)).collect();
    // While a large search runs, its lines are redrawn at most once a second
    // (they took 50–90 ms to paint, at every update: docs/PERFORMANCE.md);
    // the finished search's, at once.
    let drawn = use_mut_ref(|| (Rc::new(Vec::new()), f64::NEG_INFINITY));
    let trials = {
        let mut drawn = drawn.borrow_mut();
        let now = js_sys::Date::now();
        if !s.phase.running() || all.len() <= charts::search::MANY_LINES || now - drawn.1 >= 1000.0 {
            *drawn = (Rc::new(all.clone()), now);
        }
        drawn.0.clone()
    };
    let show = trials.len() >= 3 && !s.space.params.is_empty();
    let (space, higher) = (s.space.clone(), s.metric.is_none_or(Metric::higher_is_better));
    let label = s.metric.map_or("score", |m| m.key()).replace('_', " ");
    let canvas = use_canvas("parallel coordinates", trials.clone(), move |c, trials| {
        if trials.len() < 3 {
            Ok(())
        } else {
            charts::search::draw_parallel(c, &space, trials, higher, &label).map(drop)
        }
    });
    let figure = use_analysis_figure(s, all, |s, trials, about, link| {
        Some(crate::figure::parallel(&s.space, trials, about, link))
    });
    if !show {
        return html! {};
    }
    html! {
        <div class="parallel" id="parallel" data-lines={trials.len().to_string()}>
            <h3>{ "Parallel coordinates" }</h3>
            <p class="hint">{ "Each trial is a line through its settings to its score; brighter is better. The best is thickest, outlined in dark (of trials tied at the best score, the first, as in the table)." }</p>
            <canvas id="parallel-chart" ref={canvas} role="img" aria-label="Each trial's settings and score as a line across parallel axes"></canvas>
            { save_analysis("parallel", s, figure) }
        </div>
    }
}
