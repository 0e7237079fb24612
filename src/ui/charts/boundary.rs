//! The data and what the network makes of it: a decision boundary (binary),
//! a class map (several classes), a fitted curve (1-D regression) or a
//! prediction surface (2-D regression), under the data points.

use std::rc::Rc;

use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::{BLUE, context_2d, fit_to_device_pixels, viridis};
use crate::engine::data::Plane;
use crate::engine::data::{Dataset, Split, Task};
use crate::experiment::drawn::DrawnPoint;
use crate::worker::protocol::{BOUNDARY_RES, CURVE_POINTS, View};

pub use crate::palette::class as class_colour;

/// Where data coordinates land on the canvas: the plane the view shows.
struct Frame {
    w: f64,
    h: f64,
    plane: Plane,
}

impl Frame {
    fn x(&self, x: f64) -> f64 {
        let (lo, hi) = self.plane.x_range();
        (x - f64::from(lo)) / f64::from(hi - lo) * self.w
    }

    fn y(&self, y: f64) -> f64 {
        let (lo, hi) = self.plane.y_range();
        (f64::from(hi) - y) / f64::from(hi - lo) * self.h
    }
}

/// What the front layer shows: it is redrawn only when this changes (or,
/// for 1-D regression, with every new fitted curve).
pub type FrontKey = Option<(Rc<Option<Split>>, (u32, u32))>;

/// Paints the network's view on the back layer: a `BOUNDARY_RES²` canvas the
/// page scales up smoothly (a few KB per update instead of the whole picture
/// at device resolution). Clears it when the view has no map.
pub fn draw_map(map: &HtmlCanvasElement, view: Option<&View>, n_classes: usize) -> Result<(), String> {
    let ctx = context_2d(map).ok_or("no 2-D canvas")?;
    let res = BOUNDARY_RES as u32;
    if map.width() != res || map.height() != res {
        map.set_width(res);
        map.set_height(res);
    }
    let Some(colours) = view.and_then(|v| crate::figure::map_colours(v, n_classes)) else {
        ctx.clear_rect(0.0, 0.0, res as f64, res as f64);
        return Ok(());
    };
    let rgba: Vec<u8> = colours.iter().flat_map(|&(r, g, b)| [r, g, b, 255]).collect();
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), res, res).map_err(|e| format!("{e:?}"))?;
    ctx.put_image_data(&image, 0.0, 0.0).map_err(|e| format!("{e:?}"))
}

/// Draws the front layer: the axes and the data points (and, for 1-D
/// regression, the fitted curve) on a transparent canvas at device
/// resolution. Skipped when `drawn` says it already shows this data at this size.
pub fn draw_front(
    canvas: &HtmlCanvasElement,
    view: Option<&View>,
    split_rc: &Rc<Option<Split>>,
    plane: Plane,
    drawn: &mut FrontKey,
) -> Result<(), String> {
    let Some(split) = split_rc.as_ref() else { return Ok(()) };
    let dpr = fit_to_device_pixels(canvas);
    let size = (canvas.width(), canvas.height());
    let one_d = split.train.n_features == 1;
    if !one_d && drawn.as_ref().is_some_and(|(s, sz)| Rc::ptr_eq(s, split_rc) && *sz == size) {
        return Ok(());
    }
    let ctx = context_2d(canvas).ok_or("no 2-D canvas")?;
    let frame = Frame { w: size.0 as f64, h: size.1 as f64, plane };
    ctx.clear_rect(0.0, 0.0, frame.w, frame.h);
    draw_axes(&ctx, &frame, dpr);
    if one_d {
        let curve = match view {
            Some(View::Curve { y }) if y.len() == CURVE_POINTS => Some(y.as_slice()),
            _ => None,
        };
        draw_1d(&ctx, &frame, dpr, split, curve)?;
    } else {
        draw_points(&ctx, &frame, dpr, split)?;
    }
    *drawn = Some((split_rc.clone(), size));
    Ok(())
}

/// The 2-D data set's points: filled for training, hollow for validation.
fn draw_points(ctx: &CanvasRenderingContext2d, frame: &Frame, dpr: f64, split: &Split) -> Result<(), String> {
    let n_classes = split.train.task.n_classes();
    let range = target_range(&split.train);
    for (data, hollow) in [(&split.train, false), (&split.val, true)] {
        for i in 0..data.len() {
            let p = data.features(i);
            let colour = match data.task {
                Task::Classification { .. } => class_colour(data.y[i] as usize, n_classes),
                Task::Regression => {
                    let [r, g, b] = viridis((data.y[i] as f64 - range.0) / (range.1 - range.0).max(1e-9));
                    (r, g, b)
                }
            };
            dot(ctx, frame.x(p[0] as f64), frame.y(p[1] as f64), 3.2 * dpr, colour, hollow, dpr)?;
        }
    }
    Ok(())
}

/// A drawing in progress (valid or not yet) on the standard plane: each
/// point filled in its class's colour, larger than the data's dots.
pub fn draw_sketch(canvas: &HtmlCanvasElement, points: &[DrawnPoint]) -> Result<(), String> {
    let dpr = fit_to_device_pixels(canvas);
    let ctx = context_2d(canvas).ok_or("no 2-D canvas")?;
    let frame = Frame { w: f64::from(canvas.width()), h: f64::from(canvas.height()), plane: Plane::STANDARD };
    ctx.clear_rect(0.0, 0.0, frame.w, frame.h);
    draw_axes(&ctx, &frame, dpr);
    let n_classes = crate::experiment::drawn::n_classes(points);
    for p in points {
        let [x, y] = p.position();
        dot(
            &ctx,
            frame.x(f64::from(x)),
            frame.y(f64::from(y)),
            4.2 * dpr,
            match p.class {
                crate::experiment::drawn::REGRESSION => BLUE,
                c => class_colour(usize::from(c), n_classes),
            },
            false,
            dpr,
        )?;
    }
    Ok(())
}

/// Where a pointer at (`u`, `v`) — shares of the canvas's width and height
/// from its top left — lies on `plane`.
pub fn plane_point(plane: Plane, u: f64, v: f64) -> [f32; 2] {
    let ((x0, x1), (y0, y1)) = (plane.x_range(), plane.y_range());
    [x0 + (u as f32) * (x1 - x0), y1 - (v as f32) * (y1 - y0)]
}

/// The colour scale of regression targets: their robust range (outliers clamp to the ends).
fn target_range(data: &Dataset) -> (f64, f64) {
    let (lo, hi) = crate::plot::robust_range(data.y.iter().copied());
    (lo as f64, hi as f64)
}

fn draw_axes(ctx: &CanvasRenderingContext2d, frame: &Frame, dpr: f64) {
    ctx.set_stroke_style_str("rgba(0,0,0,0.12)");
    ctx.set_line_width(dpr);
    ctx.begin_path();
    // The axes through the origin, where the plane shows it.
    let (x0, y0) = (frame.x(0.0), frame.y(0.0));
    if (0.0..=frame.w).contains(&x0) {
        ctx.move_to(x0, 0.0);
        ctx.line_to(x0, frame.h);
    }
    if (0.0..=frame.h).contains(&y0) {
        ctx.move_to(0.0, y0);
        ctx.line_to(frame.w, y0);
    }
    ctx.stroke();
}

fn dot(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    radius: f64,
    (r, g, b): (u8, u8, u8),
    hollow: bool,
    dpr: f64,
) -> Result<(), String> {
    let colour = format!("rgb({r},{g},{b})");
    ctx.begin_path();
    ctx.arc(x, y, radius, 0.0, std::f64::consts::TAU).map_err(|e| format!("{e:?}"))?;
    if hollow {
        ctx.set_fill_style_str("#ffffff");
        ctx.fill();
        ctx.set_stroke_style_str(&colour);
        ctx.set_line_width(1.8 * dpr);
    } else {
        ctx.set_fill_style_str(&colour);
        ctx.fill();
        ctx.set_stroke_style_str("rgba(255,255,255,0.9)");
        ctx.set_line_width(0.8 * dpr);
    }
    ctx.stroke();
    Ok(())
}

/// 1-D regression: the points (x, y) and the network's curve. The vertical
/// range fits the targets (outliers included) with a margin.
fn draw_1d(
    ctx: &CanvasRenderingContext2d,
    frame: &Frame,
    dpr: f64,
    split: &Split,
    curve: Option<&[f32]>,
) -> Result<(), String> {
    // The whole range here: outliers must be seen to be understood.
    let lo = split.train.y.iter().fold(f32::INFINITY, |a, &b| a.min(b)) as f64;
    let hi = split.train.y.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (-1.0, 1.0) };
    let span = (hi - lo).max(1e-6);
    let (lo, hi) = (lo - 0.1 * span, hi + 0.1 * span);
    let y_px = |v: f64| (hi - v) / (hi - lo) * frame.h;
    for (data, hollow) in [(&split.train, false), (&split.val, true)] {
        for i in 0..data.len() {
            let x = data.features(i)[0] as f64;
            dot(ctx, frame.x(x), y_px(data.y[i] as f64), 3.0 * dpr, BLUE, hollow, dpr)?;
        }
    }
    if let Some(y) = curve {
        ctx.set_stroke_style_str("rgb(230,120,20)");
        ctx.set_line_width(3.0 * dpr);
        ctx.begin_path();
        for (i, (x, &v)) in frame.plane.xs(CURVE_POINTS).zip(y).enumerate() {
            let (px, py) = (frame.x(f64::from(x)), y_px((v as f64).clamp(lo - span, hi + span)));
            if i == 0 {
                ctx.move_to(px, py);
            } else {
                ctx.line_to(px, py);
            }
        }
        ctx.stroke();
    }
    Ok(())
}
