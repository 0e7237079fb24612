//! The learning-rate chart: the planned rate per epoch (grey) and the rate
//! each finished epoch used (blue), on a log scale.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::{BLUE, fit_to_device_pixels};
use crate::engine::train::EpochRecord;

/// Rates below this are drawn at it (the log axis has no zero).
const FLOOR: f64 = 1e-8;

pub fn draw<'a>(
    canvas: &HtmlCanvasElement,
    planned: &[f64],
    records: impl Iterator<Item = &'a EpochRecord> + Clone,
) -> Result<(), String> {
    let dpr = fit_to_device_pixels(canvas);
    let px = |v: f64| (v * dpr).round() as u32;
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2-D canvas")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let all = planned.iter().copied().chain(records.clone().map(|r| r.lr)).filter(|v| v.is_finite());
    let (lo, hi) = all.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v.max(FLOOR)), hi.max(v)));
    let (lo, hi) = if hi > 0.0 { (lo / 1.5, hi * 1.5) } else { (1e-4, 1.0) };
    let font = ("sans-serif", px(12.0)).into_font();
    let n = planned.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_right(px(22.0))
        .x_label_area_size(px(28.0))
        .y_label_area_size(px(56.0))
        .build_cartesian_2d(0f64..n, (lo..hi).log_scale())
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .y_desc("learning rate")
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .light_line_style(RGBColor(240, 240, 240))
        .bold_line_style(RGBColor(220, 220, 220))
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{}", v.round() as i64))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()
        .map_err(|e| e.to_string())?;
    let grey = RGBColor(150, 150, 150);
    chart
        .draw_series(LineSeries::new(
            planned.iter().enumerate().map(|(e, &v)| ((e + 1) as f64, v.max(FLOOR))),
            grey.stroke_width(px(2.0)),
        ))
        .map_err(|e| e.to_string())?
        .label("planned")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + px(16.0) as i32, y)], grey.stroke_width(px(2.0))));
    let (r, g, b) = BLUE;
    let blue = RGBColor(r, g, b);
    chart
        .draw_series(LineSeries::new(records.map(|r| (r.epoch as f64, r.lr.max(FLOOR))), blue.stroke_width(px(2.5))))
        .map_err(|e| e.to_string())?
        .label("used")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + px(16.0) as i32, y)], blue.stroke_width(px(2.5))));
    chart
        .configure_series_labels()
        .label_font(font)
        .legend_area_size(px(24.0))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
