//! The loss chart: training and validation loss per epoch (plotters on a canvas).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::{BLUE, ORANGE, fit_to_device_pixels};
use crate::engine::train::EpochRecord;
use crate::plot::epoch_axis_extent;

/// Draws the two loss curves per epoch.
pub fn draw<'a>(
    canvas: &HtmlCanvasElement,
    records: impl Iterator<Item = &'a EpochRecord> + Clone,
    n_epochs: usize,
    loss_label: &str,
) -> Result<(), String> {
    let dpr = fit_to_device_pixels(canvas);
    let px = |v: f64| (v * dpr).round() as u32;
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2-D canvas")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;

    let last_epoch = records.clone().last().map_or(0, |r| r.epoch);
    let y_max =
        records.clone().flat_map(|r| [r.train.loss, r.val.loss]).filter(|v| v.is_finite()).fold(0.0f64, f64::max);
    // Before the first epoch: the loss of an untrained classifier is ≈ ln 2 ≈ 0.69.
    let y_max = if last_epoch == 0 { 0.8 } else { y_max.max(0.1) * 1.05 };
    let font = ("sans-serif", px(13.0)).into_font();
    let mut chart = ChartBuilder::on(&root)
        .margin(px(10.0))
        .margin_right(px(22.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(0f64..epoch_axis_extent(last_epoch, n_epochs) as f64, 0f64..y_max)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc(loss_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_labels(6)
        .x_label_formatter(&|v| format!("{}", v.round() as i64))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .y_labels(6)
        .draw()
        .map_err(|e| e.to_string())?;

    let stroke = px(2.0);
    let series = [("training", BLUE, true), ("validation", ORANGE, false)];
    for (label, (r, g, b), is_train) in series {
        let color = RGBColor(r, g, b);
        let points =
            records.clone().map(move |rec| (rec.epoch as f64, if is_train { rec.train.loss } else { rec.val.loss }));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(stroke)))
            .map_err(|e| e.to_string())?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + px(16.0) as i32, y)], color.stroke_width(stroke)));
    }
    if last_epoch == 0 {
        let (w, h) = root.dim_in_pixel();
        let centre = Pos::new(HPos::Center, VPos::Center);
        let hint = ("sans-serif", px(15.0)).into_font().color(&RGBColor(110, 118, 130)).pos(centre);
        root.draw(&Text::new(
            "The loss of each epoch appears here as the network trains",
            (w as i32 / 2, h as i32 / 2),
            hint,
        ))
        .map_err(|e| e.to_string())?;
    }
    chart
        .configure_series_labels()
        .label_font(font)
        .legend_area_size(px(26.0))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
