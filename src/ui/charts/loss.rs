//! The loss chart: training and validation loss per epoch.

use web_sys::HtmlCanvasElement;

use super::line::{Axes, Frame, Pen, begin};
use super::{BLUE, ORANGE};
use crate::engine::train::EpochRecord;
use crate::plot::{Scale, epoch_axis_extent};

/// Draws the two loss curves per epoch; returns the plot area.
/// One y-axis for several loss charts (the four regimes): the range of all
/// their curves, on a log axis when asked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SharedY {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
}

pub fn draw<'a>(
    canvas: &HtmlCanvasElement,
    records: impl Iterator<Item = &'a EpochRecord> + Clone,
    n_epochs: usize,
    loss_label: &str,
    shared: Option<SharedY>,
) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let last_epoch = records.clone().last().map_or(0, |r| r.epoch);
    let y_max =
        records.clone().flat_map(|r| [r.train.loss, r.val.loss]).filter(|v| v.is_finite()).fold(0.0f64, f64::max);
    // Before the first epoch: the loss of an untrained classifier is ≈ ln 2 ≈ 0.69.
    let y_max = if last_epoch == 0 { 0.8 } else { y_max.max(0.1) * 1.05 };
    let y_scale = match shared {
        Some(SharedY { lo, hi, log: true }) if lo > 0.0 && hi > lo => Scale::log(lo, hi),
        Some(SharedY { hi, .. }) if hi > 0.0 => Scale::linear(0.0, hi * 1.05),
        _ => Scale::linear(0.0, y_max),
    };
    let small = surface.width < 360.0;
    let font = if small { 11.0 } else { 13.0 };
    let frame = surface.axes(&Axes {
        x_ticks: if small { 4 } else { 6 },
        y_ticks: if small { 4 } else { 6 },
        font_px: font,
        ..Axes::new(
            Scale::linear(0.0, epoch_axis_extent(last_epoch, n_epochs) as f64),
            y_scale,
            "epoch",
            if shared.is_some() { "loss" } else { loss_label },
        )
    })?;
    let (train, val) = (Pen::new(BLUE, 2.0), Pen::new(ORANGE, 2.0));
    surface.line(&frame, records.clone().map(|r| (r.epoch as f64, r.train.loss)), train);
    surface.line(&frame, records.map(|r| (r.epoch as f64, r.val.loss)), val);
    if last_epoch == 0 {
        surface.hint(&frame, "The loss of each epoch appears here as the network trains", font + 1.0)?;
    }
    // Cards sharing an axis are small: their key is said once beside them, not
    // drawn over each curve.
    if shared.is_none() {
        surface.legend(&frame, &[("training", train), ("validation", val)], font)?;
    }
    Ok(frame)
}
