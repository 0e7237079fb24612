//! The pictures: the data under what the network makes of it (a decision
//! map, a class map, a prediction surface, a fitted curve), the confusion
//! matrix and the fit of data with more inputs, the network's weights, and
//! the optimizer race on its loss surface.

use super::{Cell, Figure, Series};
use crate::engine::data::{Dataset, Split, Task};
use crate::experiment::ExperimentSpec;
use crate::palette::{self, Rgb, TRAINING, VALIDATION, tint, viridis};
use crate::worker::picture::{NetworkPicture, PICTURE_UNITS};
use crate::worker::protocol::{BOUNDARY_RES, CURVE_POINTS, RACE_RES, Race, View, YOURS};

/// Each grid point's colour in a 2-D view (top row first), as the page
/// paints it: `None` for a view that is no map.
pub fn map_colours(view: &View, n_classes: usize) -> Option<Vec<Rgb>> {
    let n = BOUNDARY_RES * BOUNDARY_RES;
    let rgb = |[r, g, b]: [u8; 3]| (r, g, b);
    match view {
        View::Probability { grid } if grid.len() == n => Some(
            grid.iter()
                .map(|&q| {
                    let p = f64::from(q) / 255.0;
                    rgb(if p < 0.5 {
                        tint(VALIDATION, 0.55 * (1.0 - 2.0 * p))
                    } else {
                        tint(TRAINING, 0.55 * (2.0 * p - 1.0))
                    })
                })
                .collect(),
        ),
        View::ClassMap { classes, confidence } if classes.len() == n && confidence.len() == n => Some(
            classes
                .iter()
                .zip(confidence)
                .map(|(&c, &q)| {
                    // Confidence 1/k (a guess) is white; certainty is a strong tint.
                    let floor = 1.0 / n_classes.max(2) as f64;
                    let w = ((f64::from(q) / 255.0 - floor) / (1.0 - floor)).clamp(0.0, 1.0);
                    rgb(tint(palette::class(usize::from(c), n_classes), 0.6 * w))
                })
                .collect(),
        ),
        // The surface is a lighter viridis, so the points stand out on it.
        View::Surface { grid, .. } if grid.len() == n => {
            Some(grid.iter().map(|&q| rgb(tint(rgb(viridis(f64::from(q) / 255.0)), 0.45))).collect())
        }
        _ => None,
    }
}

/// A `res × res` grid of colours (top row first) over `x0..x1 × y0..y1` as
/// cells, each centred on its grid point.
fn grid_cells(colours: &[Rgb], res: usize, (x0, x1, y0, y1): (f64, f64, f64, f64)) -> Vec<Cell> {
    let (dx, dy) = ((x1 - x0) / (res - 1) as f64, (y1 - y0) / (res - 1) as f64);
    colours
        .iter()
        .enumerate()
        .map(|(k, &fill)| {
            let (x, y) = (x0 + (k % res) as f64 * dx, y1 - (k / res) as f64 * dy);
            Cell { x: (x - dx / 2.0, x + dx / 2.0), y: (y - dy / 2.0, y + dy / 2.0), fill, label: String::new() }
        })
        .collect()
}

/// Colour steps of a regression's targets in the data view.
const TARGET_STEPS: usize = 12;

/// The data's points: per class (or per step of the target's colour scale)
/// the training examples filled and the validation ones as rings.
fn data_points(split: &Split, classes: &[String], at: impl Fn(&Dataset, usize) -> (f64, f64)) -> Vec<Series> {
    let train = &split.train;
    let n_classes = train.task.n_classes();
    let (lo, hi) = crate::plot::robust_range(train.y.iter().copied());
    let (lo, hi) = (f64::from(lo), f64::from(hi));
    let groups = if train.task == Task::Regression { TARGET_STEPS } else { n_classes };
    let group = |y: f32| match train.task {
        Task::Regression => {
            let t = ((f64::from(y) - lo) / (hi - lo).max(1e-9)).clamp(0.0, 1.0);
            ((t * TARGET_STEPS as f64) as usize).min(TARGET_STEPS - 1)
        }
        Task::Classification { .. } => y as usize,
    };
    let colour = |g: usize| match train.task {
        Task::Regression => {
            let [r, gr, b] = viridis((g as f64 + 0.5) / TARGET_STEPS as f64);
            (r, gr, b)
        }
        Task::Classification { .. } => palette::class(g, n_classes),
    };
    let mut series = Vec::new();
    for (data, rings) in [(&split.train, false), (&split.val, true)] {
        for g in 0..groups {
            let points: Vec<(f64, f64)> =
                (0..data.len()).filter(|&i| group(data.y[i]) == g).map(|i| at(data, i)).collect();
            if points.is_empty() {
                continue;
            }
            let named = !rings && train.task != Task::Regression;
            let name = match classes.get(g) {
                _ if !named => String::new(),
                Some(class) => class.clone(),
                None => format!("class {g}"),
            };
            series.push(if rings {
                Series::rings(name, colour(g), points)
            } else {
                Series::dots(name, colour(g), points)
            });
        }
    }
    series
}

/// The data view as a figure: for 2-D data the points over the network's
/// map (`view`), for 1-D regression the points and the fitted curve.
/// `split` is the data as they lie (`ExperimentSpec::split`), not as the
/// network reads them after its feature transforms.
/// `None` for data with more inputs ([`confusion`] and [`fit`] draw those).
pub fn data_view(split: &Split, view: Option<&View>, spec: &ExperimentSpec, link: &str) -> Option<Figure> {
    let plane = spec.data.plane();
    let widen = |(lo, hi): (f32, f32)| (f64::from(lo), f64::from(hi));
    let (x, y) = (widen(plane.x_range()), widen(plane.y_range()));
    let name = spec.data.label();
    let task = split.train.task;
    // The user's columns and classes by name; the generated sets' x₁, x₂ and class numbers.
    let classes = spec.data.own.as_ref().map_or(&[][..], |o| o.classes.as_slice());
    let axis = |i: usize, fallback: &str| {
        spec.data.own.as_ref().and_then(|_| spec.data.input_name(i)).unwrap_or(fallback.into())
    };
    match split.train.n_features {
        1 => {
            let mut series = data_points(split, classes, |d, i| (f64::from(d.x[i]), f64::from(d.y[i])));
            if let Some(View::Curve { y }) = view.filter(|v| matches!(v, View::Curve { y } if y.len() == CURVE_POINTS))
            {
                let curve = plane.xs(CURVE_POINTS).zip(y).map(|(x, &v)| (f64::from(x), f64::from(v))).collect();
                series.push(Series::line("the network's fit", VALIDATION, curve).width(2.5));
            }
            let title = format!("{name} — the data (filled: training, hollow: validation) and the network's fit");
            let target = spec.data.own.as_ref().map_or("y", |o| o.file.target.as_str());
            Some(Figure { series, ..Figure::new(title, axis(0, "x"), target, link) })
        }
        2 => {
            let cells = view
                .and_then(|v| map_colours(v, task.n_classes()))
                .map_or_else(Vec::new, |c| grid_cells(&c, BOUNDARY_RES, (x.0, x.1, y.0, y.1)));
            let what = match task {
                Task::Regression => "coloured by target (viridis), over the network's prediction",
                Task::Classification { n_classes: 2 } => {
                    &format!("over the network's probability of {}", classes.get(1).map_or("class 1", String::as_str))
                }
                Task::Classification { .. } => "over the network's predicted class",
            };
            let title = format!("{name} — the data (filled: training, hollow: validation) {what}");
            let series = data_points(split, classes, |d, i| {
                let p = d.features(i);
                (f64::from(p[0]), f64::from(p[1]))
            });
            Some(Figure { cells, series, ..Figure::new(title, axis(0, "x₁"), axis(1, "x₂"), link) })
        }
        _ => None,
    }
}

/// The validation set's confusion matrix: true classes down (the first at
/// the top), predictions across; each cell its count, shaded by its share
/// of the row — blue on the diagonal (right), orange off it (mistakes).
pub fn confusion(counts: &[Vec<usize>], spec: &ExperimentSpec, link: &str) -> Figure {
    let k = counts.len();
    // The classes by name where the data name them, else by number.
    let names: Vec<String> = (0..k).map(|c| spec.data.class_name(c)).collect();
    let mut cells = Vec::new();
    for (t, row) in counts.iter().enumerate() {
        let total = row.iter().sum::<usize>().max(1) as f64;
        for (c, &n) in row.iter().enumerate().take(k) {
            let share = n as f64 / total;
            let [r, g, b] = tint(if c == t { TRAINING } else { VALIDATION }, 0.85 * share);
            let (x, y) = (c as f64, (k - 1 - t) as f64);
            cells.push(Cell {
                x: (x - 0.48, x + 0.48),
                y: (y - 0.48, y + 0.48),
                fill: (r, g, b),
                label: n.to_string(),
            });
        }
    }
    let right: usize = counts.iter().enumerate().filter_map(|(t, row)| row.get(t)).sum();
    let all: usize = counts.iter().flatten().sum();
    let title = format!("{} — confusion matrix of the validation set ({right} of {all} right)", spec.data.label());
    Figure {
        x_categories: names.clone(),
        y_categories: names.into_iter().rev().collect(),
        cells,
        ..Figure::new(title, "predicted class", "true class", link)
    }
}

/// A regression with more inputs than a picture holds: each validation
/// example's prediction against its target, and the diagonal of a perfect fit.
pub fn fit(target: &[f32], predicted: &[f32], spec: &ExperimentSpec, link: &str) -> Figure {
    let points: Vec<(f64, f64)> = target.iter().zip(predicted).map(|(&t, &p)| (f64::from(t), f64::from(p))).collect();
    let (lo, hi) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let mut series = vec![Series::dots("validation example", TRAINING, points).width(2.5)];
    if lo < hi {
        series.push(Series::dashed("perfect fit", palette::MUTED, vec![(lo, lo), (hi, hi)]));
    }
    let title = format!("{} — validation predictions against their targets", spec.data.label());
    Figure { series, ..Figure::new(title, "target", "prediction", link) }
}

/// The optimizer race: the surface (`ln(1 + f − min)`, a light viridis, dark
/// low), each optimizer's whole path in its colour (the lab's own dashed)
/// up to where it leaves the picture, and the minima.
pub fn race(race: &Race, link: &str) -> Figure {
    let (x0, x1, y0, y1) = race.surface.domain();
    let colours: Vec<Rgb> = race
        .grid
        .iter()
        .map(|&q| {
            let [r, g, b] = viridis(f64::from(q) / 255.0);
            let [r, g, b] = tint((r, g, b), 0.5);
            (r, g, b)
        })
        .collect();
    let cells = if colours.len() == RACE_RES * RACE_RES {
        grid_cells(&colours, RACE_RES, (x0, x1, y0, y1))
    } else {
        Vec::new()
    };
    let inside = |p: &[f32; 2]| {
        let (x, y) = (f64::from(p[0]), f64::from(p[1]));
        (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
    };
    let mut series: Vec<Series> = race
        .paths
        .iter()
        .map(|path| {
            let points: Vec<(f64, f64)> =
                path.points.iter().take_while(|p| inside(p)).map(|p| (f64::from(p[0]), f64::from(p[1]))).collect();
            let name = format!("{} · lr {}", path.name, crate::plot::format_lr(path.lr));
            let colour = palette::optimizer(&path.name);
            if path.name == YOURS {
                Series::dashed(name, colour, points).width(2.5)
            } else {
                Series::line(name, colour, points).width(2.5)
            }
        })
        .collect();
    let minima = race.surface.minima().iter().map(|m| (m[0], m[1])).collect();
    series.push(Series::rings("minimum", palette::INK, minima).width(6.0));
    let title = format!("Optimizer race on {} — {} steps", race.surface.label(), race.steps);
    Figure { cells, series, ..Figure::new(title, "x", "y", link) }
}

/// The network's weights: each layer a column of units (a block of pixel
/// inputs one unit), each drawn weight a line between two units, blue for
/// positive and orange for negative, thicker the larger (scaled per layer);
/// weights under 2 % of their layer's largest are left out, as on the page.
pub fn network(p: &NetworkPicture, spec: &ExperimentSpec, epoch: usize, link: &str) -> Figure {
    let n = p.sizes.len().min(p.shown.len());
    let block = |l: usize| l == 0 && p.shown[0] > PICTURE_UNITS;
    let rows = |l: usize| if block(l) { 1 } else { p.shown[l] };
    // Units centred on 0, the first at the top.
    let y_of = |l: usize, r: usize| (rows(l) as f64 - 1.0) / 2.0 - r as f64;
    let mut series = Vec::new();
    for l in 0..n.saturating_sub(1).min(p.weights.len()) {
        let w_max = p.weights[l].iter().fold(1e-12f32, |m, w| m.max(w.abs()));
        for o in 0..p.shown[l + 1] {
            for i in 0..p.shown[l] {
                let Some(&w) = p.weights[l].get(o * p.shown[l] + i) else { continue };
                let t = f64::from(w.abs() / w_max);
                if t < 0.02 {
                    continue;
                }
                let from = (l as f64, y_of(l, if block(l) { 0 } else { i }));
                let colour = if w >= 0.0 { TRAINING } else { VALIDATION };
                series
                    .push(Series::line("", colour, vec![from, ((l + 1) as f64, y_of(l + 1, o))]).width(0.4 + 3.2 * t));
            }
        }
    }
    let units: Vec<(f64, f64)> = (0..n).flat_map(|l| (0..rows(l)).map(move |r| (l as f64, y_of(l, r)))).collect();
    series.push(Series::dots("", palette::INK, units).width(6.0));
    // Named series for the legend, drawn under the rest (no points).
    series.insert(0, Series::line("negative weight", VALIDATION, Vec::new()));
    series.insert(0, Series::line("positive weight", TRAINING, Vec::new()));
    let categories = (0..n)
        .map(|l| {
            let shown = if p.shown[l] < p.sizes[l] && !block(l) {
                format!("{} of {}", p.shown[l], p.sizes[l])
            } else {
                p.sizes[l].to_string()
            };
            match l {
                0 => format!("inputs ({shown})"),
                _ if l + 1 == n => format!("outputs ({shown})"),
                _ => format!("hidden {l} ({shown})"),
            }
        })
        .collect();
    let title = format!("The network after {epoch} epochs — {}, {}", spec.data.label(), spec.optimizer.name());
    Figure { x_categories: categories, series, ..Figure::new(title, "layer", "unit", link) }
}
