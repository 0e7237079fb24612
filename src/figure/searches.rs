//! A search's charts: the best so far, a slice per hyperparameter, the
//! genetic algorithm's generations, the surrogate's map, the grid's heat
//! map, parallel coordinates, what mattered, the Pareto front, the best
//! trials' learning curves, and a comparison of methods.

use super::{Cell, Figure, Series};
use crate::engine::search::study::SurrogateMap;
use crate::engine::search::{Config, Domain, Param, Space, Value};
use crate::engine::train::Metric;
use crate::experiment::search::MethodCurve;
use crate::palette::{self, BEST, TRIAL};

/// A chart of a search: the best score so far, or every trial's score
/// against one hyperparameter (its index in the space).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SearchChart {
    Best,
    Slice(usize),
}

impl SearchChart {
    /// `best`, or `slice:KEY` for a key of `space`.
    pub fn from_key(key: &str, space: &Space) -> Option<SearchChart> {
        match key.strip_prefix("slice:") {
            None if key == "best" => Some(SearchChart::Best),
            Some(k) => space.params.iter().position(|p| p.key == k).map(SearchChart::Slice),
            None => None,
        }
    }

    /// The file name's part: `best`, `slice-lr`.
    pub fn key(self, space: &Space) -> String {
        match self {
            SearchChart::Best => "best".into(),
            SearchChart::Slice(i) => format!("slice-{}", space.params.get(i).map_or("", |p| p.key.as_str())),
        }
    }
}

/// What a search's figures are drawn from: its space, what it is (for the
/// title) and its metric, and each trial's values (as a link writes them)
/// and score (`None`: it failed), in trial order.
pub struct SearchResults<'a> {
    pub space: &'a Space,
    pub about: SearchAbout,
    pub trials: Vec<(usize, &'a [String], Option<f64>)>,
}

/// A search's chart as a figure.
pub fn search(chart: SearchChart, results: &SearchResults<'_>, link: &str) -> Figure {
    let mut trials: Vec<&(usize, &[String], Option<f64>)> = results.trials.iter().collect();
    crate::engine::sort::sort_by_key(&mut trials, |t| t.0);
    let metric = results.about.metric.key().replace('_', " ");
    let scored = |x: &dyn Fn(usize, &[String]) -> Option<f64>| -> Vec<(f64, f64)> {
        trials.iter().filter_map(|&&(id, values, score)| Some((x(id, values)?, score?))).collect()
    };
    let mut categories = Vec::new();
    let (what, x_label, log_x, series) = match chart {
        SearchChart::Best => {
            let higher = results.about.higher();
            let mut best: Option<f64> = None;
            let mut line = Vec::new();
            for &&(id, _, score) in &trials {
                if let Some(s) = score.filter(|s| s.is_finite()) {
                    best = Some(best.map_or(s, |b| if (s > b) == higher && s != b { s } else { b }));
                }
                if let Some(b) = best {
                    line.push(((id + 1) as f64, b));
                }
            }
            let points = scored(&|id, _| Some((id + 1) as f64));
            (
                "Best so far".to_string(),
                "trial".to_string(),
                false,
                vec![Series::dots("trial", TRIAL, points), Series::line("best so far", BEST, line)],
            )
        }
        SearchChart::Slice(i) => {
            let Some(param) = results.space.params.get(i) else {
                return Figure::new("No such hyperparameter", "", metric, link);
            };
            let x = |_: usize, values: &[String]| -> Option<f64> {
                match results.space.parse_value(i, values.get(i)?)? {
                    Value::Real(v) => Some(v),
                    Value::Int(n) => Some(n as f64),
                    Value::Choice(c) => Some(c as f64),
                }
            };
            let (label, log) = match &param.domain {
                Domain::LogUniform { .. } | Domain::Int { log: true, .. } => {
                    (format!("{} (log scale)", param.key), true)
                }
                _ => (param.key.clone(), false),
            };
            categories = match &param.domain {
                Domain::Choice(c) => c.clone(),
                _ => Vec::new(),
            };
            let points = scored(&x);
            // The best trial, ringed in the page's colour for it.
            let higher = results.about.higher();
            let best = points.iter().copied().fold(None, |b: Option<(f64, f64)>, p| match b {
                Some(b) if (p.1 > b.1) != higher || p.1 == b.1 => Some(b),
                _ => Some(p),
            });
            (
                format!("Score against {}", param.key),
                label,
                log,
                vec![Series::dots("trial", TRIAL, points), Series::dots("best", BEST, best.into_iter().collect())],
            )
        }
    };
    let title = results.about.title(&what);
    Figure {
        log_x,
        x_categories: categories,
        series,
        ..Figure::new(title, x_label, format!("validation {metric}"), link)
    }
}

/// Search methods compared on equal budgets: each method's best score so
/// far after each trial, the median over the seeds solid and the middle
/// half (quartiles) dashed, in the method's colour.
pub fn comparison(curves: &[MethodCurve], metric: Metric, link: &str) -> Figure {
    let line = |values: &[f64]| values.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v)).collect();
    let mut series = Vec::new();
    for c in curves {
        let color = palette::method(&c.method);
        let name = palette::method_name(&c.method).to_string();
        series.push(Series::line(name, color, line(&c.median)));
        for q in [&c.q25, &c.q75] {
            series.push(Series::dashed("", color, line(q)));
        }
    }
    let metric = metric.key().replace('_', " ");
    Figure {
        series,
        ..Figure::new(
            format!("Search methods on equal budgets — best validation {metric} so far"),
            "trial (solid: the median over the seeds; dashed: the quartiles)",
            format!("best validation {metric}"),
            link,
        )
    }
}

/// A search's name for a title and its metric, as its figures say them:
/// `about` is "random search, 20 trials, two moons".
pub struct SearchAbout {
    pub about: String,
    pub metric: Metric,
}

impl SearchAbout {
    /// "{method}, {trials} trials, {data}".
    pub fn new(method: &str, trials: usize, data: &str, metric: Metric) -> SearchAbout {
        SearchAbout { about: format!("{method}, {trials} trials, {data}"), metric }
    }

    fn metric_name(&self) -> String {
        format!("validation {}", self.metric.key().replace('_', " "))
    }

    fn higher(&self) -> bool {
        self.metric.higher_is_better()
    }

    fn title(&self, what: &str) -> String {
        format!("{what} — {}", self.about)
    }
}

/// The genetic algorithm, generation by generation: each child's score in
/// its generation's column (in the order asked), each generation's best and
/// median. `generations[g]`: generation `g`'s scores.
pub fn generations(generations: &[Vec<f64>], about: &SearchAbout, link: &str) -> Figure {
    let (mut children, mut best, mut median) = (Vec::new(), Vec::new(), Vec::new());
    for (g, scores) in generations.iter().enumerate() {
        let n = scores.len();
        let x = |k: usize| g as f64 + if n > 1 { (k as f64 / (n - 1) as f64 - 0.5) * 0.6 } else { 0.0 };
        children.extend(scores.iter().enumerate().map(|(k, &v)| (x(k), v)));
        let mut sorted: Vec<f64> = scores.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            continue;
        }
        crate::engine::sort::sort_by(&mut sorted, f64::total_cmp);
        let m = sorted.len();
        best.push((g as f64, if about.higher() { sorted[m - 1] } else { sorted[0] }));
        median.push((g as f64, (sorted[(m - 1) / 2] + sorted[m / 2]) / 2.0));
    }
    let series = vec![
        Series::dots("child", TRIAL, children),
        Series::line("median", palette::MUTED, median),
        Series::line("generation's best", BEST, best).width(2.5),
    ];
    Figure {
        x_categories: (0..generations.len()).map(|g| g.to_string()).collect(),
        series,
        ..Figure::new(about.title("Generations"), "generation (0: the random start)", about.metric_name(), link)
    }
}

/// The score against a cost (x), each scored trial a point, the Pareto
/// front — no trial both better and cheaper — joined; a log axis for costs
/// spanning orders of magnitude (network sizes).
pub fn pareto(points: &[(f64, f64)], front: &[usize], cost: &str, about: &SearchAbout, link: &str) -> Figure {
    let line: Vec<(f64, f64)> = front.iter().filter_map(|&i| points.get(i).copied()).collect();
    let (lo, hi) = points.iter().fold((f64::INFINITY, 0.0f64), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let series = vec![
        Series::dots("trial", TRIAL, points.to_vec()),
        Series::line("Pareto front", BEST, line.clone()),
        Series::dots("", BEST, line).width(4.5),
    ];
    Figure {
        log_x: lo > 0.0 && hi / lo > 20.0,
        series,
        ..Figure::new(about.title(&format!("Score against {cost}")), cost, about.metric_name(), link)
    }
}

/// The learning curves of the best trials: (trial id, the metric per epoch).
pub fn curves(curves: &[(usize, &[f64])], about: &SearchAbout, link: &str) -> Figure {
    let series = curves
        .iter()
        .enumerate()
        .map(|(i, (id, values))| {
            let points = values.iter().enumerate().map(|(e, &v)| ((e + 1) as f64, v)).collect();
            Series::line(format!("trial {id}"), palette::series(i), points)
        })
        .collect();
    let what = format!("Learning curves of the best {}", curves.len());
    Figure { series, ..Figure::new(about.title(&what), "epoch", about.metric_name(), link) }
}

/// A two-hyperparameter grid's heat map: each cell's mean score (viridis,
/// brighter is better; grey: not tried), labelled. `cells[j * nx + i]`.
pub fn heatmap(
    (x_key, x_labels): (&str, &[String]),
    (y_key, y_labels): (&str, &[String]),
    cells: &[Option<f64>],
    about: &SearchAbout,
    link: &str,
) -> Figure {
    let nx = x_labels.len();
    let values = cells.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let shaded = cells
        .iter()
        .enumerate()
        .filter(|_| nx > 0)
        .map(|(k, value)| {
            let (x, y) = ((k % nx) as f64, (k / nx) as f64);
            let (fill, label) = match value.filter(|v| v.is_finite()) {
                Some(v) => {
                    let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
                    let [r, g, b] = palette::viridis(if about.higher() { t } else { 1.0 - t });
                    ((r, g, b), crate::plot::format_value(v))
                }
                None => ((236, 239, 243), "not tried".to_string()),
            };
            Cell { x: (x - 0.49, x + 0.49), y: (y - 0.49, y + 0.49), fill, label }
        })
        .collect();
    let what = format!("Mean {} per cell (brighter: better)", about.metric_name());
    Figure {
        x_categories: x_labels.to_vec(),
        y_categories: y_labels.to_vec(),
        cells: shaded,
        ..Figure::new(about.title(&what), x_key, y_key, link)
    }
}

/// Parallel coordinates: an axis per hyperparameter (its range, log where
/// the space's is; choices spaced along it) and one for the score, each
/// trial a line across them coloured by its score (viridis, brighter is
/// better), worst first so the best lies on top, thickest.
pub fn parallel(space: &Space, trials: &[(Config, f64)], about: &SearchAbout, link: &str) -> Figure {
    let n_axes = space.params.len() + 1;
    let scores = trials.iter().map(|t| t.1).filter(|v| v.is_finite());
    let (lo, hi) = scores.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let rank = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
    let goodness = |v: f64| if about.higher() { rank(v) } else { 1.0 - rank(v) };
    let level = |i: usize, v: Value| match (&space.params[i].domain, v) {
        (Domain::Choice(c), Value::Choice(k)) => (k as f64 + 0.5) / c.len() as f64,
        _ => space.encode_param(i, v),
    };
    let order = crate::plot::worst_first(trials.iter().map(|t| t.1), goodness);
    let last = order.last().copied();
    let mut series: Vec<Series> = order
        .iter()
        .flat_map(|&k| {
            let (config, score) = &trials[k];
            let mut points: Vec<(f64, f64)> =
                config.iter().take(space.params.len()).enumerate().map(|(i, &v)| (i as f64, level(i, v))).collect();
            points.push(((n_axes - 1) as f64, rank(*score)));
            // Viridis short of its light yellow, which fades on white.
            let [r, g, b] = palette::viridis(0.88 * goodness(*score));
            if Some(k) == last {
                // Outlined in dark ink, as on the page: trials tying at the
                // best score are as bright as it.
                let name = format!("best: {}", crate::plot::format_value(*score));
                let outline = Series::line("", (40, 44, 52), points.clone()).width(6.0);
                vec![outline, Series::line(name, (r, g, b), points).width(3.5)]
            } else {
                vec![Series::line("", (r, g, b), points).width(1.5)]
            }
        })
        .collect();
    // Each axis's values where they sit: its range's ends, or its choices.
    let mut labels = Vec::new();
    let mut tag = |x: f64, y: f64, text: String| {
        labels.push(Cell { x: (x - 0.22, x + 0.22), y: (y - 0.035, y + 0.035), fill: (255, 255, 255), label: text });
    };
    for (i, param) in space.params.iter().enumerate() {
        match &param.domain {
            Domain::Choice(c) => {
                for (k, name) in c.iter().enumerate() {
                    tag(i as f64, (k as f64 + 0.5) / c.len() as f64, name.clone());
                }
            }
            _ => {
                let axis = space.axis(i);
                if let (Some(first), Some(last)) = (axis.first(), axis.last()) {
                    tag(i as f64, -0.06, space.format(i, *first));
                    tag(i as f64, 1.06, space.format(i, *last));
                }
            }
        }
    }
    if lo.is_finite() {
        tag((n_axes - 1) as f64, -0.06, crate::plot::format_value(lo));
        tag((n_axes - 1) as f64, 1.06, crate::plot::format_value(hi));
    }
    let mut axes: Vec<String> = space.params.iter().map(|p| p.key.clone()).collect();
    axes.push(about.metric_name());
    // The axes themselves, as thin grey lines under the trials.
    let mut all: Vec<Series> =
        (0..n_axes).map(|i| Series::line("", (200, 200, 200), vec![(i as f64, 0.0), (i as f64, 1.0)])).collect();
    all.append(&mut series);
    Figure {
        x_categories: axes,
        cells: labels,
        series: all,
        ..Figure::new(
            about.title("Parallel coordinates"),
            "hyperparameter (each axis its own range, labelled at its ends)",
            "position on the axis",
            link,
        )
    }
}

/// Bayesian optimization's belief over two hyperparameters: each cell's
/// colour its predicted score (viridis, brighter is better), washed out
/// where the model is unsure (its standard deviation relative to the map's
/// largest); the trials it learned from as points, the best ringed.
pub fn surrogate(
    (x_param, y_param): (&Param, &Param),
    map: &SurrogateMap,
    trials: &[(f64, f64)],
    best: Option<(f64, f64)>,
    about: &SearchAbout,
    link: &str,
) -> Figure {
    let n = map.n.max(2);
    let fold = |v: &[f64]| v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let ((m_lo, m_hi), (s_lo, s_hi)) = (fold(&map.mean), fold(&map.sd));
    let edge = |d: &Domain, k: f64| d.value_at(((k - 0.5) / (n - 1) as f64).clamp(0.0, 1.0));
    let mut cells = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let (Some(&m), Some(&s)) = (map.mean.get(j * n + i), map.sd.get(j * n + i)) else { continue };
            // The map is in the study's larger-is-better units.
            let t = if m_hi > m_lo { (m - m_lo) / (m_hi - m_lo) } else { 1.0 };
            let unsure = if s_hi > s_lo { 0.75 * (s - s_lo) / (s_hi - s_lo) } else { 0.0 };
            let [r, g, b] = palette::viridis(t).map(|c| (f64::from(c) + (255.0 - f64::from(c)) * unsure).round() as u8);
            cells.push(Cell {
                x: (edge(&x_param.domain, i as f64), edge(&x_param.domain, i as f64 + 1.0)),
                y: (edge(&y_param.domain, j as f64), edge(&y_param.domain, j as f64 + 1.0)),
                fill: (r, g, b),
                label: String::new(),
            });
        }
    }
    let log = |d: &Domain| matches!(d, Domain::LogUniform { .. } | Domain::Int { log: true, .. });
    let series = vec![
        Series::dots("trial", palette::INK, trials.to_vec()).width(3.5),
        Series::rings("best", BEST, best.into_iter().collect()).width(8.0),
    ];
    let what = "The model's belief (brighter: better; pale: unsure)";
    Figure {
        log_x: log(&x_param.domain),
        log_y: log(&y_param.domain),
        cells,
        series,
        ..Figure::new(about.title(what), x_param.key.as_str(), y_param.key.as_str(), link)
    }
}

/// What mattered: each hyperparameter's share of the scores' variance its
/// values explain on their own, as bars.
pub fn importance(space: &Space, shares: &[f64], about: &SearchAbout, link: &str) -> Figure {
    let cells = shares
        .iter()
        .enumerate()
        .map(|(i, &v)| Cell {
            x: (i as f64 - 0.3, i as f64 + 0.3),
            y: (0.0, v.max(0.0)),
            fill: TRIAL,
            label: format!("{:.0} %", 100.0 * v),
        })
        .collect();
    Figure {
        x_categories: space.params.iter().map(|p| p.key.clone()).collect(),
        cells,
        // The whole scale, 0 to 1, whatever the largest share.
        y_range: Some((0.0, 1.0)),
        ..Figure::new(
            about.title("What mattered"),
            "hyperparameter",
            format!("share of the variance of the {} it explains alone", about.metric_name()),
            link,
        )
    }
}
