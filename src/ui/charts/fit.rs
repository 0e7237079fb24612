//! A regression of more than two inputs, which no map can show: each
//! validation example's prediction against its target, with the diagonal
//! where a perfect fit would put every dot.

use web_sys::HtmlCanvasElement;

use super::line::{Axes, Pen, begin};
use crate::plot::{Scale, robust_range};
use crate::ui::palette;

pub fn draw(canvas: &HtmlCanvasElement, target: &[f32], predicted: &[f32]) -> Result<(), String> {
    let surface = begin(canvas)?;
    // One range for both axes, so the diagonal is at 45°: every target
    // (the rare large ones are the interesting ones), and the predictions
    // but for a few wild ones (a diverging run), which are drawn at the edge.
    let (t_lo, t_hi) = target
        .iter()
        .filter(|t| t.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &t| (lo.min(t), hi.max(t)));
    let (p_lo, p_hi) = robust_range(predicted.iter().copied());
    let (lo, hi) = if t_lo <= t_hi { (t_lo.min(p_lo), t_hi.max(p_hi)) } else { (-1.0, 1.0) };
    let pad = f64::from(hi - lo).max(1e-6) * 0.08;
    let (lo, hi) = (f64::from(lo) - pad, f64::from(hi) + pad);
    let frame = surface.axes(&Axes {
        x_ticks: 6,
        y_ticks: 6,
        ..Axes::new(Scale::linear(lo, hi), Scale::linear(lo, hi), "target", "prediction")
    })?;
    surface.line(&frame, [(lo, lo), (hi, hi)], Pen::new(palette::MUTED, 1.5));
    let points = target.iter().zip(predicted).map(|(&t, &p)| (f64::from(t), f64::from(p).clamp(lo, hi)));
    surface.dots(&frame, points, palette::VALIDATION, 3.0);
    if predicted.is_empty() {
        surface.hint(&frame, "Train to see each validation example's prediction against its target", 13.0)?;
    }
    Ok(())
}
