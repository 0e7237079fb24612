//! Runs overlaid: one quantity per epoch for every visible run — training
//! solid, validation faint — on a linear or logarithmic axis.

use web_sys::HtmlCanvasElement;

use super::line::{Axes, Frame, Pen, begin};
use crate::engine::train::EpochRecord;
use crate::plot::Scale;
use crate::ui::state::{KeptRun, Quantity};

/// The value a run's epoch shows for `quantity` on its training or validation
/// split (the learning rate has only the one); `None` when not finite.
pub fn value(rec: &EpochRecord, quantity: Quantity, train: bool) -> Option<f64> {
    match quantity {
        Quantity::Lr => Some(rec.lr).filter(|_| train),
        Quantity::Metric(m) => if train { &rec.train } else { &rec.val }.get(m),
        // Measured on the network, not per split: in the records' diagnostics.
        Quantity::Inside(_) => None,
    }
    .filter(|v| v.is_finite())
}

/// `run`'s (epoch, value) points for `quantity` on the training or
/// validation split (a diagnostic has one line, drawn as training's).
pub fn points(run: &KeptRun, quantity: Quantity, train: bool) -> Vec<(f64, f64)> {
    match quantity {
        Quantity::Inside(q) if train => {
            run.history.with_diagnostics().filter_map(|(r, d)| q.of(d).map(|v| (r.epoch as f64, v))).collect()
        }
        Quantity::Inside(_) => Vec::new(),
        _ => run.history.iter().filter_map(|rec| value(rec, quantity, train).map(|v| (rec.epoch as f64, v))).collect(),
    }
}

pub fn draw(canvas: &HtmlCanvasElement, runs: &[KeptRun], quantity: Quantity, log_y: bool) -> Result<Frame, String> {
    let surface = begin(canvas)?;
    let visible: Vec<&KeptRun> = runs.iter().filter(|r| r.visible).collect();
    let lines: Vec<[Vec<(f64, f64)>; 2]> =
        visible.iter().map(|run| [points(run, quantity, false), points(run, quantity, true)]).collect();
    let positive = |v: &f64| !log_y || *v > 0.0;
    let (lo, hi) = lines
        .iter()
        .flatten()
        .flatten()
        .map(|p| p.1)
        .filter(positive)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let n = visible.iter().filter_map(|r| r.history.last().map(|l| l.epoch)).max().unwrap_or(1).max(1) as f64;
    let (lo, hi) = if lo.is_finite() && hi > lo { (lo, hi) } else { (0.0, 1.0) };
    let y = if log_y {
        Scale::log(lo.max(1e-12) / 1.3, hi * 1.3)
    } else {
        let pad = (hi - lo) * 0.05;
        Scale::linear(if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad }, hi + pad)
    };
    let frame =
        surface.axes(&Axes { y_ticks: 6, ..Axes::new(Scale::linear(0.0, n), y, "epoch", &quantity.label()) })?;
    for (run, [val, train]) in visible.iter().zip(lines) {
        let colour = crate::ui::palette::series(run.key as usize);
        for (points, width, alpha) in [(val, 1.5, 0.45), (train, 2.5, 1.0)] {
            surface.line(&frame, points, Pen { colour, alpha, width });
        }
    }
    Ok(frame)
}
