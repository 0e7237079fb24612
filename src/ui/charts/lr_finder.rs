//! The LR range test's curve: smoothed loss against the learning rate (log
//! axis), with a vertical line at each suggestion.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::{BLUE, ORANGE, fit_to_device_pixels};
use crate::engine::train::lr_finder::LrFinderResult;

pub fn draw(canvas: &HtmlCanvasElement, result: &LrFinderResult) -> Result<(), String> {
    let dpr = fit_to_device_pixels(canvas);
    let px = |v: f64| (v * dpr).round() as u32;
    let root = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2-D canvas")?.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let (Some(&lo), Some(&hi)) = (result.lrs.first(), result.lrs.last()) else { return Ok(()) };
    let y_lo = result.smoothed.iter().copied().fold(f64::INFINITY, f64::min);
    // Above 2.5× the minimum the curve only says "exploding": cap the view there.
    let y_hi = result.smoothed.iter().copied().fold(0.0f64, f64::max).min(2.5 * y_lo.max(1e-9));
    let pad = (y_hi - y_lo).max(1e-6) * 0.08;
    let font = ("sans-serif", px(12.0)).into_font();
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_right(px(22.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(50.0))
        .build_cartesian_2d((lo..hi.max(lo * 1.0001)).log_scale(), (y_lo - pad)..(y_hi + pad))
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("learning rate (log scale)")
        .y_desc("smoothed loss")
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .light_line_style(RGBColor(240, 240, 240))
        .bold_line_style(RGBColor(220, 220, 220))
        .x_label_formatter(&|v| format!("{v:.0e}"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .draw()
        .map_err(|e| e.to_string())?;
    let (r, g, b) = BLUE;
    let cap = y_hi + pad;
    chart
        .draw_series(LineSeries::new(
            result.lrs.iter().zip(&result.smoothed).map(|(&lr, &s)| (lr, s.min(cap))),
            RGBColor(r, g, b).stroke_width(px(2.5)),
        ))
        .map_err(|e| e.to_string())?;
    let (r, g, b) = ORANGE;
    for s in &result.suggestions {
        chart
            .draw_series(LineSeries::new(
                [(s.lr, y_lo - pad), (s.lr, y_hi + pad)],
                RGBColor(r, g, b).stroke_width(px(2.0)),
            ))
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}
