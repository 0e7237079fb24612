//! The loss chart: training and validation loss per epoch (plotters on a canvas).

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::{BLUE, ORANGE, fit_to_device_pixels};
use crate::engine::train::EpochRecord;

/// Draws the two loss curves over `0..=n_epochs` (the x axis is the planned
/// run, so the curve grows across the chart).
pub fn draw<'a>(
    canvas: &HtmlCanvasElement,
    records: impl Iterator<Item = &'a EpochRecord> + Clone,
    n_epochs: usize,
) -> Result<(), String> {
    let dpr = fit_to_device_pixels(canvas);
    let px = |v: f64| (v * dpr).round() as u32;
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2-D canvas")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;

    let y_max = records
        .clone()
        .flat_map(|r| [r.train_loss, r.val_loss])
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(0.1)
        * 1.05;
    let font = ("sans-serif", px(13.0)).into_font();
    let mut chart = ChartBuilder::on(&root)
        .margin(px(10.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(0f64..n_epochs.max(1) as f64, 0f64..y_max)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc("loss (binary cross-entropy)")
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_labels(6)
        .y_labels(6)
        .draw()
        .map_err(|e| e.to_string())?;

    let stroke = px(2.0);
    let series = [("training", BLUE, true), ("validation", ORANGE, false)];
    for (label, (r, g, b), is_train) in series {
        let color = RGBColor(r, g, b);
        let points = records.clone().map(move |rec| {
            (
                rec.epoch as f64,
                if is_train {
                    rec.train_loss
                } else {
                    rec.val_loss
                },
            )
        });
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(stroke)))
            .map_err(|e| e.to_string())?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + px(18.0) as i32, y)],
                    color.stroke_width(stroke),
                )
            });
    }
    chart
        .configure_series_labels()
        .label_font(font)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
