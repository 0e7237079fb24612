//! A search's progress: every finished trial's score (dots, in the order the
//! trials were asked) and the best so far (a step line).

use web_sys::HtmlCanvasElement;

use super::line::{Axes, Frame, Pen, begin};
use crate::ui::palette;
use std::rc::Rc;

use super::viridis;
use crate::engine::search::{Domain, Param, Value};
use crate::plot::Scale;

/// A score axis over the finite `values`, padded by 8 % (at least 0.001);
/// (0, 1) when there are none.
fn score_scale(values: impl Iterator<Item = f64>) -> Scale {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let pad = ((hi - lo) * 0.08).max(1e-3);
    Scale::linear(lo - pad, hi + pad)
}

/// `scores[i]`: trial `i`'s metric value (`None`: not scored). `higher`:
/// whether larger is better (for the best-so-far line).
pub fn draw(canvas: &HtmlCanvasElement, scores: &[Option<f64>], higher: bool, label: &str) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let frame = surface.axes(&Axes::new(
        Scale::linear(0.0, scores.len().max(10) as f64),
        score_scale(scores.iter().flatten().copied()),
        "trial",
        label,
    ))?;
    let points = scores.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i as f64 + 1.0, v)));
    surface.dots(&frame, points, palette::TRIAL, 3.5);
    let mut best: Option<f64> = None;
    let mut line = Vec::new();
    for (i, v) in scores.iter().enumerate() {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            best = Some(best.map_or(v, |b| if higher { b.max(v) } else { b.min(v) }));
        }
        if let Some(b) = best {
            line.push((i as f64 + 1.0, b));
        }
    }
    let pen = Pen::new(palette::BEST, 2.5);
    surface.line(&frame, line, pen);
    surface.legend(&frame, &[("best so far", pen), ("each trial", Pen::new(palette::TRIAL, 2.0))], 12.0)?;
    Ok(frame)
}

/// Points along a parameter: (value, and two numbers a model gives there).
type Curve<'a> = Option<&'a [(f64, f64, f64)]>;

/// One hyperparameter's slice: each scored trial's value of it against its
/// score, on the parameter's own scale (log where its range is; the choices
/// side by side), with the best trial ringed.
/// `surrogate`: Bayesian optimization's mean and standard deviation along
/// this parameter (value, mean, sd), drawn as a line in a ±2 sd band.
/// `densities`: TPE's (value, density of the best trials, of the rest),
/// drawn along the bottom (orange, filled; grey), scaled to their peak.
pub fn draw_slice(
    canvas: &HtmlCanvasElement,
    param: &Param,
    points: &[(Value, f64)],
    best: Option<(Value, f64)>,
    (surrogate, densities): (Curve, Curve),
    label: &str,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let band = surrogate.unwrap_or(&[]).iter().flat_map(|&(_, m, s)| [m - 2.0 * s, m + 2.0 * s]);
    let y = score_scale(points.iter().map(|p| p.1).chain(band));
    let position = |v: Value| -> f64 {
        match v {
            Value::Real(x) => x,
            Value::Int(n) => n as f64,
            // Spread a choice's trials a little, so they do not hide each other.
            Value::Choice(i) => i as f64 + 0.5,
        }
    };
    let (x, categories): (Scale, Option<&[String]>) = match &param.domain {
        Domain::Uniform { lo, hi } => (Scale::linear(*lo, *hi), None),
        Domain::LogUniform { lo, hi } => (Scale::log(*lo, *hi), None),
        Domain::Int { lo, hi, log: false } => (Scale::linear(*lo as f64 - 0.5, *hi as f64 + 0.5), None),
        Domain::Int { lo, hi, log: true } => (Scale::log((*lo as f64).max(0.5), *hi as f64 * 1.1), None),
        Domain::Choice(c) => (Scale::linear(0.0, c.len() as f64), Some(c.as_slice())),
    };
    let frame = surface.axes(&Axes {
        x_ticks: 4,
        y_ticks: 4,
        font_px: 11.0,
        x_categories: categories,
        ..Axes::new(x, y, &param.key, label)
    })?;
    if let Some(curve) = surrogate.filter(|c| !c.is_empty()) {
        let ctx = &surface.ctx;
        let (r, g, b) = palette::BELIEF;
        ctx.set_fill_style_str(&format!("rgba({r},{g},{b},0.16)"));
        ctx.begin_path();
        for (k, &(x, m, s)) in curve.iter().enumerate() {
            let (px, py) = (frame.px(x), frame.py(m + 2.0 * s).clamp(frame.top, frame.top + frame.height));
            if k == 0 { ctx.move_to(px, py) } else { ctx.line_to(px, py) }
        }
        for &(x, m, s) in curve.iter().rev() {
            ctx.line_to(frame.px(x), frame.py(m - 2.0 * s).clamp(frame.top, frame.top + frame.height));
        }
        ctx.close_path();
        ctx.fill();
        surface.line(&frame, curve.iter().map(|&(x, m, _)| (x, m)), Pen::new(palette::BELIEF, 1.5));
    }
    if let Some(d) = densities.filter(|d| !d.is_empty()) {
        let ctx = &surface.ctx;
        let peak = d.iter().map(|&(_, l, g)| l.max(g)).fold(f64::MIN_POSITIVE, f64::max);
        let base = frame.top + frame.height;
        let py = |v: f64| base - 0.45 * frame.height * v / peak;
        let (r, g, b) = palette::BEST;
        ctx.set_fill_style_str(&format!("rgba({r},{g},{b},0.18)"));
        ctx.begin_path();
        ctx.move_to(frame.px(d[0].0), base);
        for &(x, l, _) in d {
            ctx.line_to(frame.px(x), py(l));
        }
        ctx.line_to(frame.px(d[d.len() - 1].0), base);
        ctx.close_path();
        ctx.fill();
        for (colour, pick) in [((r, g, b), 1usize), ((130, 136, 146), 2)] {
            ctx.set_stroke_style_str(&format!("rgb({},{},{})", colour.0, colour.1, colour.2));
            ctx.set_line_width(1.6);
            ctx.begin_path();
            for (k, t) in d.iter().enumerate() {
                let (x, y) = (frame.px(t.0), py(if pick == 1 { t.1 } else { t.2 }));
                if k == 0 { ctx.move_to(x, y) } else { ctx.line_to(x, y) }
            }
            ctx.stroke();
        }
    }
    surface.dots(&frame, points.iter().map(|&(v, s)| (position(v), s)), palette::TRIAL, 3.5);
    if let Some((v, s)) = best {
        let ctx = &surface.ctx;
        let (r, g, b) = palette::BEST;
        ctx.set_stroke_style_str(&format!("rgb({r},{g},{b})"));
        ctx.set_line_width(2.0);
        ctx.begin_path();
        let _ = ctx.arc(frame.px(position(v)), frame.py(s), 7.0, 0.0, std::f64::consts::TAU);
        ctx.stroke();
    }
    Ok(frame)
}

/// The genetic algorithm, generation by generation: each child's score (a
/// dot in its generation's column), and each generation's best and median.
/// `generations[g]`: the scores of generation `g`'s children scored so far.
pub fn draw_generations(
    canvas: &HtmlCanvasElement,
    generations: &[Vec<f64>],
    higher: bool,
    label: &str,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let names: Vec<String> = (0..generations.len()).map(|g| g.to_string()).collect();
    let frame = surface.axes(&Axes {
        y_ticks: 4,
        font_px: 11.0,
        x_categories: Some(&names),
        ..Axes::new(
            Scale::linear(0.0, generations.len().max(1) as f64),
            score_scale(generations.iter().flatten().copied()),
            "generation (0: the random start)",
            label,
        )
    })?;
    let mut best = Vec::new();
    let mut median = Vec::new();
    for (g, scores) in generations.iter().enumerate() {
        let mut sorted: Vec<f64> = scores.iter().copied().filter(|v| v.is_finite()).collect();
        // Spread a generation's children across its column, in the order they were asked.
        let n = scores.len();
        let x = |k: usize| g as f64 + 0.5 + if n > 1 { (k as f64 / (n - 1) as f64 - 0.5) * 0.6 } else { 0.0 };
        surface.dots(&frame, scores.iter().enumerate().map(|(k, &v)| (x(k), v)), palette::TRIAL, 3.0);
        if sorted.is_empty() {
            continue;
        }
        crate::engine::sort::sort_by(&mut sorted, f64::total_cmp);
        let top = if higher { sorted[sorted.len() - 1] } else { sorted[0] };
        best.push((g as f64 + 0.5, top));
        let m = sorted.len();
        median.push((g as f64 + 0.5, (sorted[(m - 1) / 2] + sorted[m / 2]) / 2.0));
    }
    let (best_pen, median_pen) = (Pen::new(palette::BEST, 2.5), Pen::new(palette::MUTED, 2.0));
    surface.line(&frame, median, median_pen);
    surface.line(&frame, best, best_pen);
    surface.legend(&frame, &[("generation's best", best_pen), ("median", median_pen)], 11.0)?;
    Ok(frame)
}

/// The second objective: each scored trial's cost (x) against its score
/// (y), the Pareto front joined by a line.
pub fn draw_pareto(
    canvas: &HtmlCanvasElement,
    points: &[(f64, f64)],
    front: &[usize],
    cost_label: &str,
    score_label: &str,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let fold = |f: fn(&(f64, f64)) -> f64| {
        points.iter().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)))
    };
    let ((x0, x1), (y0, y1)) = (fold(|p| p.0), fold(|p| p.1));
    let pad = ((y1 - y0) * 0.08).max(1e-3);
    let x_pad = ((x1 - x0) * 0.05).max(0.5);
    let frame = surface.axes(&Axes {
        // Network sizes span orders of magnitude: a log axis then.
        x: if x0 > 0.0 && x1 / x0 > 20.0 {
            Scale::log(x0 / 1.3, x1 * 1.3)
        } else {
            Scale::linear(x0 - x_pad, x1 + x_pad)
        },
        y: Scale::linear(y0 - pad, y1 + pad),
        x_desc: cost_label,
        y_desc: score_label,
        x_ticks: 5,
        y_ticks: 4,
        font_px: 11.0,
        x_categories: None,
    })?;
    surface.dots(&frame, points.iter().copied(), palette::TRIAL, 3.5);
    let line: Vec<(f64, f64)> = front.iter().map(|&i| points[i]).collect();
    surface.line(&frame, line.iter().copied(), Pen::new(palette::BEST, 2.0));
    surface.dots(&frame, line, palette::BEST, 5.0);
    Ok(frame)
}

/// The learning curves of a few trials: (trial id, final score, the metric
/// per epoch), each in its own colour, named in the legend.
pub fn draw_curves(
    canvas: &HtmlCanvasElement,
    curves: &[(usize, f64, Rc<[f64]>)],
    label: &str,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let n = curves.iter().map(|c| c.2.len()).max().unwrap_or(1) as f64;
    let frame = surface.axes(&Axes::new(
        Scale::linear(0.0, n),
        score_scale(curves.iter().flat_map(|c| c.2.iter().copied())),
        "epoch",
        label,
    ))?;
    let names: Vec<String> = curves.iter().map(|c| format!("trial {}", c.0)).collect();
    let pens: Vec<Pen> = (0..curves.len()).map(|i| Pen::new(palette::series(i), 2.0)).collect();
    for (c, pen) in curves.iter().zip(&pens) {
        surface.line(&frame, c.2.iter().enumerate().map(|(e, &v)| (e as f64 + 1.0, v)), *pen);
    }
    let legend: Vec<(&str, Pen)> = names.iter().map(String::as_str).zip(pens).collect();
    surface.legend(&frame, &legend, 11.0)?;
    Ok(frame)
}

/// A 2-D grid's heat map: the mean score of the trials in each cell
/// (viridis, brighter is better; grey: no trial), each cell labelled.
pub fn draw_heatmap(
    canvas: &HtmlCanvasElement,
    (x_key, x_labels): (&str, &[String]),
    (y_key, y_labels): (&str, &[String]),
    cells: &[Option<f64>],
    higher: bool,
) -> Result<(), String> {
    let surface = begin(canvas)?;
    let ctx = &surface.ctx;
    let k = super::line::scale();
    let (nx, ny) = (x_labels.len().max(1), y_labels.len().max(1));
    let (left, top, bottom) = (78.0 * k, 8.0, 40.0 * k);
    let (w, h) = ((surface.width - left - 10.0).max(10.0), (surface.height - top - bottom).max(10.0));
    let (cw, ch) = (w / nx as f64, h / ny as f64);
    let values = cells.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    ctx.set_font(&super::font(11.0 * k));
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for j in 0..ny {
        for i in 0..nx {
            let (x, y) = (left + i as f64 * cw, top + (ny - 1 - j) as f64 * ch);
            match cells.get(j * nx + i).copied().flatten() {
                Some(v) => {
                    let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
                    let [r, g, b] = viridis(if higher { t } else { 1.0 - t });
                    ctx.set_fill_style_str(&format!("rgb({r},{g},{b})"));
                    ctx.fill_rect(x + 1.0, y + 1.0, cw - 2.0, ch - 2.0);
                    ctx.set_fill_style_str(if (r as u32 + g as u32 + b as u32) > 380 { "#1d2430" } else { "#ffffff" });
                    let _ = ctx.fill_text(&crate::plot::format_value(v), x + cw / 2.0, y + ch / 2.0);
                }
                None => {
                    ctx.set_fill_style_str("#eceff3");
                    ctx.fill_rect(x + 1.0, y + 1.0, cw - 2.0, ch - 2.0);
                }
            }
        }
    }
    ctx.set_fill_style_str("#4a5260");
    for (i, l) in x_labels.iter().enumerate() {
        let _ = ctx.fill_text(l, left + (i as f64 + 0.5) * cw, top + h + 12.0 * k);
    }
    let _ = ctx.fill_text(x_key, left + w / 2.0, top + h + 30.0 * k);
    ctx.set_text_align("right");
    for (j, l) in y_labels.iter().enumerate() {
        let _ = ctx.fill_text(l, left - 6.0, top + (ny - 1 - j) as f64 * ch + ch / 2.0);
    }
    ctx.set_text_align("left");
    let _ = ctx.fill_text(y_key, 4.0, top + 8.0 * k);
    Ok(())
}

/// Lines of parallel coordinates past which they are drawn at one canvas
/// pixel per CSS pixel, whatever the screen's density: a 2 000-trial
/// search's lines took 68 ms to rasterize at a pixel ratio of 2 and 48 ms at
/// 1 (Chromium without a GPU; docs/PERFORMANCE.md). Past it, a running
/// search's lines are also redrawn at most once a second.
pub const MANY_LINES: usize = 500;

/// Parallel coordinates: one vertical axis per hyperparameter (its own
/// scale, log where its range is; choices spaced along it) and one for the
/// score; each trial a line across them, coloured by its score (viridis,
/// brighter is better), the best drawn last and thickest.
pub fn draw_parallel(
    canvas: &HtmlCanvasElement,
    space: &crate::engine::search::Space,
    trials: &[(crate::engine::search::Config, f64)],
    higher: bool,
    label: &str,
) -> Result<(), String> {
    let surface = super::line::begin_at_most(canvas, if trials.len() > MANY_LINES { 1.0 } else { f64::INFINITY })?;
    let ctx = &surface.ctx;
    let zoom = super::line::scale();
    let n_axes = space.params.len() + 1;
    let (left, right, top, bottom) = (40.0, 60.0, 26.0, 22.0);
    let w = (surface.width - left - right).max(10.0);
    let h = (surface.height - top - bottom).max(10.0);
    let ax = |i: usize| left + w * i as f64 / (n_axes - 1).max(1) as f64;
    let scores = trials.iter().map(|t| t.1).filter(|v| v.is_finite());
    let (lo, hi) = scores.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let rank = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
    let goodness = |v: f64| if higher { rank(v) } else { 1.0 - rank(v) };
    // Where a value sits on its axis, 0 at the bottom, 1 at the top.
    let level = |i: usize, v: Value| -> f64 {
        match (&space.params[i].domain, v) {
            (Domain::Choice(c), Value::Choice(k)) => (k as f64 + 0.5) / c.len() as f64,
            _ => space.encode_param(i, v),
        }
    };
    let y = |u: f64| top + (1.0 - u) * h;
    // Axes and their labels.
    ctx.set_font(&super::font(11.0 * zoom));
    ctx.set_text_align("center");
    // The top of each range, labelled after the lines (beside the axis's
    // top, where many of them meet).
    let mut tops = Vec::new();
    for i in 0..n_axes {
        ctx.set_stroke_style_str("#c8c8c8");
        ctx.set_line_width(zoom);
        ctx.begin_path();
        ctx.move_to(ax(i), top);
        ctx.line_to(ax(i), top + h);
        ctx.stroke();
        ctx.set_fill_style_str("#1d2430");
        ctx.set_text_baseline("bottom");
        let name = if i < space.params.len() { space.params[i].key.as_str() } else { label };
        let _ = ctx.fill_text(name, ax(i), top - 8.0);
        ctx.set_fill_style_str("#6e7682");
        if i < space.params.len() {
            match &space.params[i].domain {
                // Choices are labelled after the lines, on top of them.
                Domain::Choice(_) => {}
                _ => {
                    let axis = space.axis(i);
                    if let (Some(first), Some(last)) = (axis.first(), axis.last()) {
                        ctx.set_text_baseline("top");
                        let _ = ctx.fill_text(&space.format(i, *first), ax(i), top + h + 4.0);
                        tops.push((space.format(i, *last), ax(i) + 4.0));
                    }
                }
            }
        } else if lo.is_finite() {
            ctx.set_text_baseline("top");
            let _ = ctx.fill_text(&crate::plot::format_value(lo), ax(i), top + h + 4.0);
            tops.push((crate::plot::format_value(hi), ax(i) + 4.0));
        }
    }
    // Lines, worst first so the best lie on top. Lines of one shade (the
    // colour scale in `SHADES` steps) go in one path, stroked once: a stroke
    // per trial made a 2 000-trial search's updates take a tenth of a second
    // each to paint (docs/PERFORMANCE.md).
    const SHADES: f64 = 48.0;
    let shade = |v: f64| (goodness(v) * SHADES).round() / SHADES;
    let mut order = crate::plot::worst_first(trials.iter().map(|t| t.1), goodness);
    let last = order.pop();
    let path = |k: usize| {
        let (config, score) = &trials[k];
        for (i, v) in config.iter().enumerate().take(space.params.len()) {
            let (px, py) = (ax(i), y(level(i, *v)));
            if i == 0 { ctx.move_to(px, py) } else { ctx.line_to(px, py) }
        }
        ctx.line_to(ax(n_axes - 1), y(rank(*score)));
    };
    let stroke = |t: f64, width: f64| {
        let [r, g, b] = viridis(t);
        ctx.set_stroke_style_str(&format!("rgba({r},{g},{b},0.85)"));
        ctx.set_line_width(zoom * width);
        ctx.stroke();
    };
    for run in order.chunk_by(|&a, &b| shade(trials[a].1) == shade(trials[b].1)) {
        ctx.begin_path();
        run.iter().for_each(|&k| path(k));
        stroke(shade(trials[run[0]].1), 1.6);
    }
    if let Some(k) = last {
        // Outlined in dark ink: many trials can tie at the best score, and
        // their lines are as bright as its own.
        ctx.begin_path();
        path(k);
        ctx.set_stroke_style_str("#1d2430");
        ctx.set_line_width(zoom * 6.0);
        ctx.stroke();
        stroke(goodness(trials[k].1), 3.5);
    }
    ctx.set_text_align("left");
    ctx.set_text_baseline("top");
    for (text, x) in &tops {
        let width = ctx.measure_text(text).map_or(40.0, |m| m.width());
        ctx.set_fill_style_str("rgba(255,255,255,0.85)");
        ctx.fill_rect(x - 2.0, top - 1.0, width + 4.0, 13.0 * zoom);
        ctx.set_fill_style_str("#6e7682");
        let _ = ctx.fill_text(text, *x, top);
    }
    ctx.set_text_baseline("middle");
    for (i, param) in space.params.iter().enumerate() {
        if let Domain::Choice(c) = &param.domain {
            for (k, name) in c.iter().enumerate() {
                let (tx, ty) = (ax(i) + 6.0, y((k as f64 + 0.5) / c.len() as f64));
                let width = ctx.measure_text(name).map_or(40.0, |m| m.width());
                ctx.set_fill_style_str("rgba(255,255,255,0.85)");
                ctx.fill_rect(tx - 2.0, ty - 8.0, width + 4.0, 16.0);
                ctx.set_fill_style_str("#1d2430");
                let _ = ctx.fill_text(name, tx, ty);
            }
        }
    }
    Ok(())
}

/// An equal-budget comparison: per method, the median best score after
/// each trial, in a band from the worse to the better quartile over seeds.
/// `by_epochs`: against the epochs spent (each method's median after each
/// trial) rather than the trials.
pub fn draw_comparison(
    canvas: &HtmlCanvasElement,
    curves: &[crate::experiment::search::MethodCurve],
    label: &str,
    by_epochs: bool,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    // Where trial `i` of curve `c` sits on the x axis.
    let at = |c: &crate::experiment::search::MethodCurve, i: usize| -> f64 {
        if by_epochs { c.epochs.get(i).copied().unwrap_or(f64::NAN) } else { i as f64 + 1.0 }
    };
    let n = curves.iter().map(|c| c.median.len()).max().unwrap_or(1) as f64;
    let x = if by_epochs {
        let most = curves.iter().flat_map(|c| c.epochs.iter().copied()).fold(1.0f64, f64::max);
        Scale::linear(0.0, most * 1.02)
    } else {
        Scale::linear(0.5, n + 0.5)
    };
    let all: Vec<f64> = curves
        .iter()
        .flat_map(|c| c.q25.iter().chain(&c.q75).chain(&c.median).copied())
        .filter(|v| v.is_finite())
        .collect();
    let (lo, hi) = all.iter().fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    // Losses that span decades (a diverging first trial, a near-perfect last one) need a log axis.
    let y = if lo > 0.0 && hi / lo > 100.0 { Scale::log(lo / 1.5, hi * 1.5) } else { score_scale(all.into_iter()) };
    let frame = surface.axes(&Axes::new(
        x,
        y,
        if by_epochs { "epochs spent (median over seeds)" } else { "trials (equal budget)" },
        label,
    ))?;
    let ctx = &surface.ctx;
    let pens: Vec<Pen> = curves.iter().map(|c| Pen::new(palette::method(&c.method), 2.5)).collect();
    for (c, pen) in curves.iter().zip(&pens) {
        let (r, g, b) = pen.colour;
        ctx.set_fill_style_str(&format!("rgba({r},{g},{b},0.15)"));
        ctx.begin_path();
        for (i, v) in c.q75.iter().enumerate() {
            let (x, y) = (frame.px(at(c, i)), frame.py(*v));
            if i == 0 { ctx.move_to(x, y) } else { ctx.line_to(x, y) }
        }
        for (i, v) in c.q25.iter().enumerate().rev() {
            ctx.line_to(frame.px(at(c, i)), frame.py(*v));
        }
        ctx.close_path();
        ctx.fill();
        surface.line(&frame, c.median.iter().enumerate().map(|(i, &v)| (at(c, i), v)), *pen);
    }
    let names: Vec<String> = curves.iter().map(|c| palette::method_name(&c.method).to_string()).collect();
    let legend: Vec<(&str, Pen)> = names.iter().map(String::as_str).zip(pens).collect();
    surface.legend(&frame, &legend, 12.0)?;
    Ok(frame)
}

/// Bayesian optimization's belief over two hyperparameters: each cell's
/// colour its predicted score (viridis, brighter is better), washed out
/// where the model is unsure (its standard deviation, relative to the
/// map's largest); the trials as dots, the best ringed.
pub fn draw_surrogate_map(
    canvas: &HtmlCanvasElement,
    (px_param, py_param): (&Param, &Param),
    map: &crate::engine::search::study::SurrogateMap,
    trials: &[(f64, f64)],
    best: Option<(f64, f64)>,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let scale = |d: &Domain| -> Scale {
        let (lo, hi) = (d.value_at(0.0), d.value_at(1.0));
        match d {
            Domain::LogUniform { .. } | Domain::Int { log: true, .. } => Scale::log(lo, hi),
            _ => Scale::linear(lo, hi),
        }
    };
    let frame = surface.axes(&Axes {
        x_ticks: 5,
        font_px: 11.0,
        ..Axes::new(scale(&px_param.domain), scale(&py_param.domain), &px_param.key, &py_param.key)
    })?;
    let n = map.n.max(2);
    let fold = |v: &[f64]| v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let ((m_lo, m_hi), (s_lo, s_hi)) = (fold(&map.mean), fold(&map.sd));
    let edge = |d: &Domain, k: f64| d.value_at(((k - 0.5) / (n - 1) as f64).clamp(0.0, 1.0));
    let ctx = &surface.ctx;
    for j in 0..n {
        let (y0, y1) = (frame.py(edge(&py_param.domain, j as f64)), frame.py(edge(&py_param.domain, j as f64 + 1.0)));
        for i in 0..n {
            let (x0, x1) =
                (frame.px(edge(&px_param.domain, i as f64)), frame.px(edge(&px_param.domain, i as f64 + 1.0)));
            let (m, s) = (map.mean[j * n + i], map.sd[j * n + i]);
            let t = if m_hi > m_lo { (m - m_lo) / (m_hi - m_lo) } else { 1.0 };
            // Washed towards white by the relative uncertainty.
            let unsure = if s_hi > s_lo { 0.75 * (s - s_lo) / (s_hi - s_lo) } else { 0.0 };
            let [r, g, b] = viridis(t).map(|c| (c as f64 + (255.0 - c as f64) * unsure).round() as u8);
            ctx.set_fill_style_str(&format!("rgb({r},{g},{b})"));
            // Half a pixel of overlap hides the seams between cells.
            ctx.fill_rect(x0, y1, x1 - x0 + 0.5, y0 - y1 + 0.5);
        }
    }
    ctx.set_stroke_style_str("#1d2430");
    ctx.set_fill_style_str("#ffffff");
    ctx.set_line_width(1.0);
    for &(x, y) in trials {
        ctx.begin_path();
        let _ = ctx.arc(frame.px(x), frame.py(y), 3.5, 0.0, std::f64::consts::TAU);
        ctx.fill();
        ctx.stroke();
    }
    if let Some((x, y)) = best {
        let (r, g, b) = palette::BEST;
        ctx.set_stroke_style_str(&format!("rgb({r},{g},{b})"));
        ctx.set_line_width(2.5);
        ctx.begin_path();
        let _ = ctx.arc(frame.px(x), frame.py(y), 8.0, 0.0, std::f64::consts::TAU);
        ctx.stroke();
    }
    Ok(frame)
}
