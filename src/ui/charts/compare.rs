//! Runs overlaid: one metric per epoch for every visible run — training
//! solid, validation faint — on a linear or logarithmic axis.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::boundary::class_colour;
use super::fit_to_device_pixels;
use crate::engine::train::Metric;
use crate::ui::state::ComparedRun;

pub fn draw(canvas: &HtmlCanvasElement, runs: &[ComparedRun], metric: Metric, log_y: bool) -> Result<(), String> {
    let dpr = fit_to_device_pixels(canvas);
    let px = |v: f64| (v * dpr).round() as u32;
    let root = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2-D canvas")?.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let value = |r: &crate::engine::train::EpochRecord, train: bool| {
        let s = if train { &r.train } else { &r.val };
        if metric == Metric::Loss { Some(s.loss) } else { s.get(metric) }.filter(|v| v.is_finite())
    };
    let visible: Vec<&ComparedRun> = runs.iter().filter(|r| r.visible).collect();
    let values = visible.iter().flat_map(|run| run.history.iter().flat_map(move |r| [value(r, true), value(r, false)]));
    let positive = |v: &f64| !log_y || *v > 0.0;
    let (lo, hi) =
        values.flatten().filter(positive).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let n = visible.iter().filter_map(|r| r.history.last().map(|l| l.epoch)).max().unwrap_or(1).max(1) as f64;
    let (lo, hi) = if lo.is_finite() && hi > lo { (lo, hi) } else { (0.0, 1.0) };
    let font = ("sans-serif", px(12.0)).into_font();
    let y_desc = metric.key().replace('_', " ");
    macro_rules! plot {
        ($y:expr, $floor:expr) => {{
            let mut chart = ChartBuilder::on(&root)
                .margin(px(8.0))
                .margin_right(px(22.0))
                .x_label_area_size(px(30.0))
                .y_label_area_size(px(54.0))
                .build_cartesian_2d(0f64..n, $y)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc("epoch")
                .y_desc(y_desc.as_str())
                .label_style(font.clone())
                .axis_desc_style(font.clone())
                .light_line_style(RGBColor(240, 240, 240))
                .bold_line_style(RGBColor(220, 220, 220))
                .x_label_formatter(&|v| format!("{}", v.round() as i64))
                .draw()
                .map_err(|e| e.to_string())?;
            for run in &visible {
                let (r, g, b) = class_colour(run.key as usize, 8);
                let colour = RGBColor(r, g, b);
                for (train, width, alpha) in [(false, 1.5, 0.45), (true, 2.5, 1.0)] {
                    let points =
                        run.history.iter().filter_map(|rec| value(rec, train).map(|v| (rec.epoch as f64, $floor(v))));
                    chart
                        .draw_series(LineSeries::new(points, colour.mix(alpha).stroke_width(px(width))))
                        .map_err(|e| e.to_string())?;
                }
            }
        }};
    }
    if log_y {
        plot!((lo.max(1e-12) / 1.3..hi * 1.3).log_scale(), |v: f64| v.max(lo.max(1e-12)));
    } else {
        let pad = (hi - lo) * 0.05;
        plot!((lo - pad).min(0.0f64.max(lo - pad))..hi + pad, |v: f64| v);
    }
    root.present().map_err(|e| e.to_string())
}
