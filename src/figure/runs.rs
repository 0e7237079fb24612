//! A run's charts: its loss, metrics and learning rate, the four regimes,
//! the kept runs, the LR range test, the per-layer diagnostics.

use super::{Figure, Series, over_epochs, wide};
use crate::engine::model::{Head, RegressionLoss};
use crate::engine::train::lr_finder::LrFinderResult;
use crate::engine::train::{EpochRecord, Inside, LayerStats, Metric};
use crate::experiment::ExperimentSpec;
use crate::experiment::regimes::Regime;
use crate::palette::{self, MUTED as PLANNED, TRAINING, VALIDATION};

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

/// A run's chart as a figure: its records (one point per epoch; the
/// learning rate also the planned one, dashed), titled by the experiment.
pub fn run(chart: RunChart, spec: &ExperimentSpec, records: &[EpochRecord], link: &str) -> Figure {
    let line = |name: &str, color, get: &dyn Fn(&EpochRecord) -> Option<f64>| {
        Series::line(name, color, records.iter().filter_map(|r| get(r).map(|v| (r.epoch as f64, v))).collect())
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
                    Series::dashed(
                        "planned",
                        PLANNED,
                        planned.iter().enumerate().map(|(e, &lr)| ((e + 1) as f64, lr)).collect(),
                    ),
                );
            }
            ("Learning rate".to_string(), "learning rate".to_string(), series)
        }
    };
    let log_y = match chart {
        RunChart::Metric(_) => false,
        _ => wide(series.iter().flat_map(|s| s.points.iter().map(|p| p.1))),
    };
    let title =
        format!("{what} — {}, {} at {}, {} epochs", spec.data.label(), spec.optimizer.name(), spec.lr, records.len());
    over_epochs(title, y_label, log_y, series, link)
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
        .map(|(i, &(lr, regime, records))| {
            let name = format!(
                "{} · lr {}: {}",
                REGIME_NAMES.get(i).copied().unwrap_or("run"),
                crate::plot::format_lr(lr),
                regime.map_or("training", Regime::key)
            );
            Series::line(name, palette::series(i), records.iter().map(|r| (r.epoch as f64, r.train.loss)).collect())
        })
        .collect();
    let title = format!("The four regimes — {}, {}, training loss", spec.data.label(), spec.optimizer.name());
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
            let name = if train { label } else { "" };
            let color = palette::series(colour);
            series.push(if train { Series::line(name, color, points) } else { Series::dashed(name, color, points) });
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

/// The LR range test: the smoothed loss against the learning rate (log
/// axis) where it is below 2.5× its minimum (the page's chart's view:
/// beyond, it only says "exploding"), each suggestion a vertical line.
pub fn lr_range(result: &LrFinderResult, spec: &ExperimentSpec, link: &str) -> Figure {
    let low = result.smoothed.iter().copied().filter(|v| v.is_finite()).fold(f64::INFINITY, f64::min);
    let cap = 2.5 * low.max(1e-9);
    let curve: Vec<(f64, f64)> = result
        .lrs
        .iter()
        .zip(&result.smoothed)
        .map(|(&lr, &s)| (lr, s))
        .filter(|&(lr, s)| lr > 0.0 && s.is_finite() && s <= cap)
        .collect();
    let (lo, hi) = curve.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let mut series = vec![Series::line("smoothed loss", TRAINING, curve).width(2.5)];
    for (i, s) in result.suggestions.iter().enumerate() {
        let name = format!("suggestion {}: {} — {}", i + 1, crate::plot::format_lr(s.lr), s.rule);
        let line = if lo < hi { vec![(s.lr, lo), (s.lr, hi)] } else { Vec::new() };
        series.push(Series::line(name, palette::SUGGESTIONS[i % 2], line));
    }
    let title = format!(
        "Learning-rate range test — {}, {}, {} steps",
        spec.data.label(),
        spec.optimizer.name(),
        result.lrs.len()
    );
    Figure { log_x: true, series, ..Figure::new(title, "learning rate (log scale)", "smoothed loss", link) }
}

/// A run's per-layer diagnostics: each epoch with every weight layer's stats.
pub type LayerEpochs<'a> = [(usize, &'a [LayerStats])];

/// One of the per-layer diagnostics over the epochs, a line per weight
/// layer (viridis, dark first): on a log axis but for the dead share.
pub fn diagnostics(inside: Inside, epochs: &LayerEpochs<'_>, spec: &ExperimentSpec, link: &str) -> Figure {
    let n = epochs.iter().map(|e| e.1.len()).max().unwrap_or(0);
    // A layer without the quantity (the output layer has no dead share) is left out.
    let series = (0..n)
        .filter_map(|l| {
            let value = |(e, d): &(usize, &[LayerStats])| Some((*e as f64, inside.layer(d.get(l)?)));
            let points: Vec<(f64, f64)> = epochs.iter().filter_map(value).filter(|p| p.1.is_finite()).collect();
            (!points.is_empty()).then(|| Series::line(palette::layer_name(l, n), palette::layer(l, n), points))
        })
        .collect();
    let log_y = inside != Inside::Dead;
    let title = format!(
        "Inside the network: {} — {}, {} at {}",
        inside.name(),
        spec.data.label(),
        spec.optimizer.name(),
        spec.lr
    );
    over_epochs(title, inside.axis().to_string(), log_y, series, link)
}

/// The kept runs compared by a per-layer diagnostic: each run's largest
/// value over its layers per epoch (the layer in trouble), in its colour.
pub fn kept_inside(inside: Inside, runs: &[(&str, usize, &LayerEpochs<'_>)], link: &str) -> Figure {
    let series: Vec<Series> = runs
        .iter()
        .map(|&(label, colour, epochs)| {
            let points = epochs.iter().filter_map(|&(e, d)| inside.of(d).map(|v| (e as f64, v))).collect();
            Series::line(label, palette::series(colour), points)
        })
        .collect();
    let log_y = inside != Inside::Dead;
    let title = format!("{} of {} kept runs — the largest over each run's layers", inside.name(), runs.len());
    over_epochs(title, inside.label().to_string(), log_y, series, link)
}
