//! The diagnostics charts: one quantity of every weight layer per epoch
//! (weight norm, gradient norm, update ratio on log axes; the dead or
//! saturated share on 0–1).

use web_sys::HtmlCanvasElement;

use super::line::{Axes, Frame, Pen, begin};
use crate::engine::train::{EpochRecord, LayerStats};
use crate::plot::{Scale, epoch_axis_extent};

pub use crate::engine::train::Inside;
pub use crate::palette::{layer as layer_colour, layer_name};

/// Draws `quantity` of every layer per epoch; returns the plot area.
pub fn draw<'a>(
    canvas: &HtmlCanvasElement,
    rows: impl Iterator<Item = (&'a EpochRecord, &'a [LayerStats])> + Clone,
    n_epochs: usize,
    quantity: Inside,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let n_layers = rows.clone().map(|(_, d)| d.len()).max().unwrap_or(0);
    let last_epoch = rows.clone().last().map_or(0, |(r, _)| r.epoch);
    let values = rows.clone().flat_map(|(_, d)| d.iter().map(move |s| quantity.layer(s)));
    let y = if quantity != Inside::Dead {
        let (lo, hi) = values
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (lo, hi) = if hi > 0.0 { (lo, hi) } else { (1e-4, 1.0) };
        // Whole decades, and the usual healthy update ratio (1e-3) always in sight.
        let (lo, hi) = if quantity == Inside::UpdateRatio { (lo.min(1e-4), hi.max(1e-2)) } else { (lo, hi) };
        Scale::log(10f64.powf(lo.log10().floor()), 10f64.powf(hi.log10().ceil()))
    } else {
        Scale::linear(0.0, 1.0)
    };
    let small = surface.width < 360.0;
    let font = if small { 10.0 } else { 12.0 };
    let frame = surface.axes(&Axes {
        x_ticks: if small { 3 } else { 5 },
        y_ticks: 4,
        font_px: font,
        ..Axes::new(Scale::linear(0.0, epoch_axis_extent(last_epoch, n_epochs) as f64), y, "epoch", quantity.axis())
    })?;
    if quantity == Inside::UpdateRatio {
        let guide = Pen { alpha: 0.6, ..Pen::new((150, 150, 150), 1.0) };
        surface.line(&frame, [(0.0, 1e-3), (frame.x.hi, 1e-3)], guide);
    }
    for l in 0..n_layers {
        let pen = Pen::new(layer_colour(l, n_layers), 1.8);
        let points = rows.clone().map(move |(r, d)| (r.epoch as f64, d.get(l).map_or(f64::NAN, |s| quantity.layer(s))));
        // A zero on a log axis (a dead layer's gradient) is drawn at the bottom edge.
        let bottom = frame.y.lo;
        surface.line(
            &frame,
            points.map(move |(x, v)| (x, if (quantity != Inside::Dead) && v == 0.0 { bottom } else { v })),
            pen,
        );
    }
    // The layers' key is the panel's, once for the four charts.
    if last_epoch == 0 {
        surface.hint(&frame, "Appears per layer as the network trains", font + 1.0)?;
    }
    Ok(frame)
}
