//! The LR range test's curve: smoothed loss against the learning rate (log
//! axis), with a vertical line at each suggestion.

use web_sys::HtmlCanvasElement;

use super::BLUE;
use super::line::{Axes, Frame, Pen, begin};
use crate::engine::train::lr_finder::LrFinderResult;
use crate::plot::Scale;

pub fn draw(canvas: &HtmlCanvasElement, result: &LrFinderResult) -> Result<Option<Frame>, String> {
    let surface = begin(canvas)?;
    let (Some(&lo), Some(&hi)) = (result.lrs.first(), result.lrs.last()) else { return Ok(None) };
    let y_lo = result.smoothed.iter().copied().fold(f64::INFINITY, f64::min);
    // Above 2.5× the minimum the curve only says "exploding": cap the view there.
    let y_hi = result.smoothed.iter().copied().fold(0.0f64, f64::max).min(2.5 * y_lo.max(1e-9));
    let pad = (y_hi - y_lo).max(1e-6) * 0.08;
    let frame = surface.axes(&Axes {
        x_ticks: 8,
        y_ticks: 6,
        ..Axes::new(
            Scale::log(lo, hi),
            Scale::linear(y_lo - pad, y_hi + pad),
            "learning rate (log scale)",
            "smoothed loss",
        )
    })?;
    surface.line(&frame, result.lrs.iter().zip(&result.smoothed).map(|(&lr, &s)| (lr, s)), Pen::new(BLUE, 2.5));
    for (i, s) in result.suggestions.iter().enumerate() {
        let colour = crate::ui::palette::SUGGESTIONS[i % 2];
        surface.vline(&frame, s.lr, Pen::new(colour, 2.0));
    }
    Ok(Some(frame))
}
