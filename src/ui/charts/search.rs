//! A search's progress: every finished trial's score (dots, in the order the
//! trials were asked) and the best so far (a step line).

use web_sys::HtmlCanvasElement;

use super::line::{Axes, Frame, Pen, begin};
use super::{BLUE, ORANGE};
use crate::plot::Scale;

/// `scores[i]`: trial `i`'s metric value (`None`: not scored). `higher`:
/// whether larger is better (for the best-so-far line).
pub fn draw(canvas: &HtmlCanvasElement, scores: &[Option<f64>], higher: bool, label: &str) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let values: Vec<f64> = scores.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let pad = ((hi - lo) * 0.08).max(1e-3);
    let frame = surface.axes(&Axes {
        x: Scale::linear(0.0, scores.len().max(10) as f64),
        y: Scale::linear(lo - pad, hi + pad),
        x_desc: "trial",
        y_desc: label,
        x_ticks: 6,
        y_ticks: 5,
        font_px: 12.0,
    })?;
    let ctx = &surface.ctx;
    let (r, g, b) = ORANGE;
    ctx.set_fill_style_str(&format!("rgba({r},{g},{b},0.75)"));
    for (i, v) in scores.iter().enumerate() {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            ctx.begin_path();
            let _ = ctx.arc(frame.px(i as f64 + 1.0), frame.py(v), 3.5, 0.0, std::f64::consts::TAU);
            ctx.fill();
        }
    }
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
    let pen = Pen::new(BLUE, 2.5);
    surface.line(&frame, line, pen);
    surface.legend(&frame, &[("best so far", pen), ("each trial", Pen::new(ORANGE, 2.0))], 12.0)?;
    Ok(frame)
}
