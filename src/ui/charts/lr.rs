//! The learning-rate chart: the planned rate per epoch (grey) and the rate
//! each finished epoch used (blue), on a log scale.

use web_sys::HtmlCanvasElement;

use super::BLUE;
use super::line::{Axes, Frame, Pen, begin};
use crate::engine::train::EpochRecord;
use crate::plot::{Outline, Scale};

/// Draws the plan from its outline (`plot::Outline`,
/// made when the plan changes: a 100 000-epoch plan is not walked at every
/// draw) and the rates the finished epochs used.
pub fn draw<'a>(
    canvas: &HtmlCanvasElement,
    planned: &Outline,
    records: impl Iterator<Item = &'a EpochRecord> + Clone,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    // The axis reaches the smallest rate, however small (the course's
    // recursive exponential decay ends near 1e-20); a zero rate, which a log
    // axis cannot show, is drawn at its bottom.
    let used = records.clone().map(|r| r.lr).filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = used.fold(planned.range.unwrap_or((f64::INFINITY, 0.0)), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if hi > 0.0 { ((lo / 1.5).max(1e-300), hi * 1.5) } else { (1e-4, 1.0) };
    let floor = lo;
    let frame = surface.axes(&Axes::new(
        Scale::linear(0.0, planned.epochs.max(1) as f64),
        Scale::log(lo, hi),
        "",
        "learning rate",
    ))?;
    let (plan, used) = (Pen::new((150, 150, 150), 2.0), Pen::new(BLUE, 2.5));
    surface.line(&frame, planned.points.iter().map(|&(e, v)| (e, v.max(floor))), plan);
    surface.line(&frame, records.map(|r| (r.epoch as f64, r.lr.max(floor))), used);
    surface.legend(&frame, &[("planned", plan), ("used", used)], 12.0)?;
    Ok(frame)
}
