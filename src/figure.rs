//! Figures that leave the lab: a chart's series drawn with plotters, as SVG
//! (the command line and the page) or on a canvas (the page's PNG). The live
//! charts stay on the page's own canvas code, which draws a frame in well
//! under a millisecond; plotters lays text out and builds its elements anew
//! on every draw, which costs nothing that matters for a one-off figure.
//!
//! The layout is fixed in pixels (title, plotting area, legend, the link in
//! small type), so the plotting area, and with it every plotted point, is
//! the same in a browser and in a terminal, whatever their fonts measure:
//! the page's SVG and `hyperlab plot`'s carry the same polylines.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::engine::model::{Head, RegressionLoss};
use crate::engine::search::{Domain, Space, Value};
use crate::engine::train::{EpochRecord, Metric};
use crate::experiment::ExperimentSpec;
use crate::experiment::regimes::Regime;
use crate::experiment::search::MethodCurve;
use crate::palette;

/// The figure's size in CSS pixels (a PNG is drawn at `scale` times this).
pub const WIDTH: u32 = 900;
pub const HEIGHT: u32 = 560;

/// One line of a figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub color: (u8, u8, u8),
    /// Dashed (a plan, a median band's edge) or solid.
    pub dashed: bool,
    /// Drawn as points, not joined (a search's trials against one setting).
    pub points_only: bool,
    pub points: Vec<(f64, f64)>,
}

/// A chart as it leaves the lab.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub log_x: bool,
    pub log_y: bool,
    /// A hyperparameter's choices along x (at 0, 1, …), named; empty for a
    /// numeric axis.
    pub x_categories: Vec<String>,
    pub series: Vec<Series>,
    /// The link the figure came from, printed in small type at its foot.
    pub link: String,
}

const FONT: &str = "sans-serif";
/// plotters draws a font of size `s` at `s / 1.24` pixels.
const PT: f64 = 1.24;
const INK: RGBColor = RGBColor(40, 44, 52);
const MUTED: RGBColor = RGBColor(110, 116, 128);

impl Figure {
    /// The figure as an SVG document.
    pub fn svg(&self) -> Result<String, String> {
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw(&root, 1.0)?;
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(text)
    }

    /// The ranges the axes show: every finite point (positive ones on a log
    /// axis), a little room around them.
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let finite = |v: f64, log: bool| v.is_finite() && (!log || v > 0.0);
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for s in &self.series {
            for &(x, y) in &s.points {
                if finite(x, self.log_x) && finite(y, self.log_y) {
                    xs.push(x);
                    ys.push(y);
                }
            }
        }
        let span = |v: &[f64], log: bool| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() {
                return if log { (0.1, 1.0) } else { (0.0, 1.0) };
            }
            if log {
                let (lo, hi) = if hi > lo { (lo, hi) } else { (lo / 2.0, hi * 2.0) };
                (lo / 1.15, hi * 1.15)
            } else {
                let pad = if hi > lo { (hi - lo) * 0.04 } else { lo.abs().max(1.0) * 0.5 };
                (lo - pad, hi + pad)
            }
        };
        (span(&xs, self.log_x), span(&ys, self.log_y))
    }

    /// Draws the figure on `root` at `scale` (1 for SVG; the PNG's pixel ratio).
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), String> {
        let px = |v: f64| (v * scale).round() as i32;
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        let title = TextStyle::from((FONT, f64::from(px(20.0)) * PT).into_font())
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Top));
        root.draw(&Text::new(self.title.clone(), (px(24.0), px(16.0)), title)).map_err(e)?;
        let small = TextStyle::from((FONT, f64::from(px(11.0)) * PT).into_font())
            .color(&MUTED)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        let link: String = if self.link.chars().count() > 150 {
            self.link.chars().take(149).chain(['…']).collect()
        } else {
            self.link.clone()
        };
        root.draw(&Text::new(link, (px(24.0), px(HEIGHT as f64 - 10.0)), small)).map_err(e)?;
        // The legend: rows under the title, outside the plotting area, so it
        // hides no point; each entry's place is fixed (from its length), not
        // measured, so it is the same wherever the figure is drawn.
        let (mut at, mut row) = (24.0, 0.0);
        for s in self.series.iter().filter(|s| !s.name.is_empty()) {
            let width = 24.0 + 7.5 * s.name.chars().count() as f64 + 22.0;
            if at > 24.0 && at + width > f64::from(WIDTH) - 24.0 {
                (at, row) = (24.0, row + 1.0);
            }
            let color = RGBColor(s.color.0, s.color.1, s.color.2);
            let y = px(56.0 + 20.0 * row);
            if s.points_only {
                root.draw(&Circle::new((px(at + 9.0), y), px(3.5), color.filled())).map_err(e)?;
            } else {
                let style = color.stroke_width(px(2.0).max(1) as u32);
                root.draw(&PathElement::new(vec![(px(at), y), (px(at + 18.0), y)], style)).map_err(e)?;
            }
            let name = TextStyle::from((FONT, f64::from(px(13.0)) * PT).into_font())
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(s.name.clone(), (px(at + 24.0), y), name)).map_err(e)?;
            at += width;
        }
        let plot = root.margin(px(76.0 + 20.0 * row), px(36.0), px(16.0), px(24.0));
        let ((x0, x1), (y0, y1)) = self.ranges();
        let categories = &self.x_categories;
        let (x0, x1) = if categories.is_empty() { (x0, x1) } else { (-0.5, categories.len() as f64 - 0.5) };
        // Epochs and trials are whole: no tick between two of them.
        let whole = self.x_label.starts_with("epoch") || self.x_label.starts_with("trial");
        let x_format = |v: &f64| {
            if categories.is_empty() {
                return if whole && v.fract() != 0.0 { String::new() } else { short(*v) };
            }
            let k = v.round();
            if (v - k).abs() < 1e-6 && k >= 0.0 {
                categories.get(k as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let label = (FONT, f64::from(px(14.0)) * PT).into_font().color(&INK);
        let tick = (FONT, f64::from(px(12.0)) * PT).into_font().color(&MUTED);
        let mut builder = ChartBuilder::on(&plot);
        builder.x_label_area_size(px(46.0)).y_label_area_size(px(72.0));
        macro_rules! chart {
            ($x:expr, $y:expr) => {{
                let mut chart = builder.build_cartesian_2d($x, $y).map_err(e)?;
                chart
                    .configure_mesh()
                    .light_line_style(RGBColor(246, 247, 249))
                    .bold_line_style(RGBColor(214, 218, 226))
                    .axis_style(RGBColor(150, 156, 166))
                    .x_desc(self.x_label.as_str())
                    .y_desc(self.y_label.as_str())
                    .axis_desc_style(label.clone())
                    .label_style(tick.clone())
                    .x_labels(if categories.is_empty() { 10 } else { categories.len() + 1 })
                    .x_label_formatter(&x_format)
                    .y_label_formatter(&|v| short(*v))
                    .draw()
                    .map_err(e)?;
                for s in &self.series {
                    let color = RGBColor(s.color.0, s.color.1, s.color.2);
                    let style = color.stroke_width(px(2.0).max(1) as u32);
                    let points: Vec<(f64, f64)> = s
                        .points
                        .iter()
                        .copied()
                        .filter(|&(x, y)| {
                            x.is_finite() && y.is_finite() && (!self.log_x || x > 0.0) && (!self.log_y || y > 0.0)
                        })
                        .collect();
                    if s.points_only {
                        chart
                            .draw_series(points.iter().map(|&p| Circle::new(p, px(3.0), color.filled())))
                            .map_err(e)?;
                    } else if s.dashed {
                        chart
                            .draw_series(DashedLineSeries::new(points, px(6.0) as u32, px(4.0) as u32, style))
                            .map_err(e)?;
                    } else {
                        chart.draw_series(LineSeries::new(points, style)).map_err(e)?;
                    }
                }
            }};
        }
        match (self.log_x, self.log_y) {
            (false, false) => chart!(x0..x1, y0..y1),
            (false, true) => chart!(x0..x1, (y0..y1).log_scale()),
            (true, false) => chart!((x0..x1).log_scale(), y0..y1),
            (true, true) => chart!((x0..x1).log_scale(), (y0..y1).log_scale()),
        }
        Ok(())
    }
}

/// A tick label: few digits, no trailing zeros (`20`, `0.05`, `1e-4`).
fn short(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        return format!("{v:.0e}");
    }
    let text = format!("{v:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

use palette::{BEST, MUTED as PLANNED, TRAINING, TRIAL, VALIDATION};

/// A chart of a run: its loss, one of its metrics, or its learning rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RunChart {
    Loss,
    Metric(Metric),
    Lr,
}

impl RunChart {
    /// `loss`, `lr`, or a metric's key (`accuracy`, `r2`).
    pub fn from_key(key: &str) -> Option<RunChart> {
        match key {
            "loss" => Some(RunChart::Loss),
            "lr" => Some(RunChart::Lr),
            k => Metric::from_key(k).filter(|m| *m != Metric::Loss).map(RunChart::Metric),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            RunChart::Loss => "loss",
            RunChart::Lr => "lr",
            RunChart::Metric(m) => m.key(),
        }
    }
}

/// The name of the experiment's loss, for an axis.
pub fn loss_name(spec: &ExperimentSpec) -> &'static str {
    match spec.head() {
        Head::SigmoidBce => "loss (binary cross-entropy)",
        Head::SoftmaxCe => "loss (cross-entropy)",
        Head::Linear(RegressionLoss::Mse) => "loss (mean squared error)",
        Head::Linear(RegressionLoss::Mae) => "loss (mean absolute error)",
        Head::Linear(RegressionLoss::Huber { .. }) => "loss (Huber)",
    }
}

/// Whether values spanning `lo..hi` read better on a log axis (over 30×).
fn wide(values: impl Iterator<Item = f64>) -> bool {
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for v in values.filter(|v| v.is_finite() && *v > 0.0) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    lo.is_finite() && hi / lo > 30.0
}

/// A run's chart as a figure: its records (one point per epoch; the
/// learning rate also the planned one, dashed), titled by the experiment.
pub fn run(chart: RunChart, spec: &ExperimentSpec, records: &[EpochRecord], link: &str) -> Figure {
    let line = |name: &str, color, get: &dyn Fn(&EpochRecord) -> Option<f64>| Series {
        name: name.to_string(),
        color,
        dashed: false,
        points_only: false,
        points: records.iter().filter_map(|r| get(r).map(|v| (r.epoch as f64, v))).collect(),
    };
    let (what, y_label, series) = match chart {
        RunChart::Loss => (
            "Loss".to_string(),
            loss_name(spec).to_string(),
            vec![
                line("training", TRAINING, &|r| Some(r.train.loss)),
                line("validation", VALIDATION, &|r| Some(r.val.loss)),
            ],
        ),
        RunChart::Metric(m) => {
            let name = m.key().replace('_', " ");
            let mut title = name.clone();
            title[..1].make_ascii_uppercase();
            (
                title,
                name,
                vec![
                    line("training", TRAINING, &|r| r.train.get(m)),
                    line("validation", VALIDATION, &|r| r.val.get(m)),
                ],
            )
        }
        RunChart::Lr => {
            let planned = spec.planned_lrs();
            let mut series = vec![line("used", TRAINING, &|r| Some(r.lr))];
            if !spec.schedule.needs_val_loss() {
                series.insert(
                    0,
                    Series {
                        name: "planned".into(),
                        color: PLANNED,
                        dashed: true,
                        points_only: false,
                        points: planned.iter().enumerate().map(|(e, &lr)| ((e + 1) as f64, lr)).collect(),
                    },
                );
            }
            ("Learning rate".to_string(), "learning rate".to_string(), series)
        }
    };
    let log_y = match chart {
        RunChart::Metric(_) => false,
        _ => wide(series.iter().flat_map(|s| s.points.iter().map(|p| p.1))),
    };
    let title = format!(
        "{what} — {}, {} at {}, {} epochs",
        spec.data.kind.label(),
        spec.optimizer.name(),
        spec.lr,
        records.len()
    );
    over_epochs(title, y_label, log_y, series, link)
}

/// A figure whose x axis is the epochs.
fn over_epochs(title: String, y_label: String, log_y: bool, series: Vec<Series>, link: &str) -> Figure {
    Figure {
        title,
        x_label: "epoch".into(),
        y_label,
        log_x: false,
        log_y,
        x_categories: Vec::new(),
        series,
        link: link.to_string(),
    }
}

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

/// What a search's figures are drawn from: its space, its metric, and each
/// trial's values (as a link writes them) and score (`None`: it failed), in
/// trial order.
pub struct SearchResults<'a> {
    pub space: &'a Space,
    pub metric: Metric,
    /// The method's name and the data set's, for the title.
    pub method: &'a str,
    pub data: &'a str,
    pub trials: Vec<(usize, &'a [String], Option<f64>)>,
}

/// A search's chart as a figure.
pub fn search(chart: SearchChart, results: &SearchResults<'_>, link: &str) -> Figure {
    let mut trials: Vec<&(usize, &[String], Option<f64>)> = results.trials.iter().collect();
    trials.sort_by_key(|t| t.0);
    let metric = results.metric.key().replace('_', " ");
    let scored = |x: &dyn Fn(usize, &[String]) -> Option<f64>| -> Vec<(f64, f64)> {
        trials.iter().filter_map(|&&(id, values, score)| Some((x(id, values)?, score?))).collect()
    };
    let mut categories = Vec::new();
    let (what, x_label, log_x, series) = match chart {
        SearchChart::Best => {
            let higher = results.metric.higher_is_better();
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
                vec![
                    Series { name: "trial".into(), color: TRIAL, dashed: false, points_only: true, points },
                    Series { name: "best so far".into(), color: BEST, dashed: false, points_only: false, points: line },
                ],
            )
        }
        SearchChart::Slice(i) => {
            let Some(param) = results.space.params.get(i) else {
                return Figure {
                    title: "No such hyperparameter".into(),
                    x_label: String::new(),
                    y_label: metric,
                    log_x: false,
                    log_y: false,
                    x_categories: Vec::new(),
                    series: Vec::new(),
                    link: link.to_string(),
                };
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
            let higher = results.metric.higher_is_better();
            let best = points.iter().copied().fold(None, |b: Option<(f64, f64)>, p| match b {
                Some(b) if (p.1 > b.1) != higher || p.1 == b.1 => Some(b),
                _ => Some(p),
            });
            (
                format!("Score against {}", param.key),
                label,
                log,
                vec![
                    Series { name: "trial".into(), color: TRIAL, dashed: false, points_only: true, points },
                    Series {
                        name: "best".into(),
                        color: BEST,
                        dashed: false,
                        points_only: true,
                        points: best.into_iter().collect(),
                    },
                ],
            )
        }
    };
    Figure {
        title: format!("{what} — {}, {} trials, {}", results.method, trials.len(), results.data),
        x_label,
        y_label: format!("validation {metric}"),
        log_x,
        log_y: false,
        x_categories: categories,
        series,
        link: link.to_string(),
    }
}

/// The four regimes' names, as the page's cards title them.
const REGIME_NAMES: [&str; 4] = ["very high", "high", "good", "low"];

/// The four regimes in one figure: each run's training loss, named by its
/// place, its rate and the course's label for its curve (`None`: still
/// training).
pub fn regimes(runs: &[(f64, Option<Regime>, &[EpochRecord])], spec: &ExperimentSpec, link: &str) -> Figure {
    let series: Vec<Series> = runs
        .iter()
        .enumerate()
        .map(|(i, &(lr, regime, records))| Series {
            name: format!(
                "{} · lr {}: {}",
                REGIME_NAMES.get(i).copied().unwrap_or("run"),
                crate::plot::format_lr(lr),
                regime.map_or("training", Regime::key)
            ),
            color: palette::series(i),
            dashed: false,
            points_only: false,
            points: records.iter().map(|r| (r.epoch as f64, r.train.loss)).collect(),
        })
        .collect();
    let title = format!("The four regimes — {}, {}, training loss", spec.data.kind.label(), spec.optimizer.name());
    let log_y = wide(series.iter().flat_map(|s| s.points.iter().map(|p| p.1)));
    over_epochs(title, loss_name(spec).to_string(), log_y, series, link)
}

/// The kept runs overlaid: each run's training values solid (named) and
/// validation dashed, in its own colour, for the loss, a metric or the rate.
pub fn kept(chart: RunChart, runs: &[(&str, usize, &[EpochRecord])], link: &str) -> Figure {
    let mut series = Vec::new();
    for &(label, colour, records) in runs {
        let value = |r: &EpochRecord, train: bool| match chart {
            RunChart::Loss => Some(if train { r.train.loss } else { r.val.loss }),
            RunChart::Metric(m) => {
                if train {
                    r.train.get(m)
                } else {
                    r.val.get(m)
                }
            }
            RunChart::Lr => train.then_some(r.lr),
        };
        for train in [true, false] {
            let points: Vec<(f64, f64)> =
                records.iter().filter_map(|r| value(r, train).map(|v| (r.epoch as f64, v))).collect();
            if points.is_empty() {
                continue;
            }
            series.push(Series {
                name: if train { label.to_string() } else { String::new() },
                color: palette::series(colour),
                dashed: !train,
                points_only: false,
                points,
            });
        }
    }
    let (what, y_label) = match chart {
        RunChart::Loss => ("Loss".to_string(), "loss".to_string()),
        RunChart::Lr => ("Learning rate".to_string(), "learning rate".to_string()),
        RunChart::Metric(m) => (m.key().replace('_', " "), m.key().replace('_', " ")),
    };
    let log_y = !matches!(chart, RunChart::Metric(_)) && wide(series.iter().flat_map(|s| s.points.iter().map(|p| p.1)));
    let title = format!("{what} of {} kept runs — training solid, validation dashed", runs.len());
    over_epochs(title, y_label, log_y, series, link)
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
        series.push(Series { name, color, dashed: false, points_only: false, points: line(&c.median) });
        for q in [&c.q25, &c.q75] {
            series.push(Series { name: String::new(), color, dashed: true, points_only: false, points: line(q) });
        }
    }
    let metric = metric.key().replace('_', " ");
    Figure {
        title: format!("Search methods on equal budgets — best validation {metric} so far"),
        x_label: "trial (solid: the median over the seeds; dashed: the quartiles)".into(),
        y_label: format!("best validation {metric}"),
        log_x: false,
        log_y: false,
        x_categories: Vec::new(),
        series,
        link: link.to_string(),
    }
}
