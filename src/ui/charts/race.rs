//! The optimizer race: the surface as a (log-scaled) colour map, and each
//! optimizer's path up to a step.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{HtmlCanvasElement, ImageData};

use super::boundary::class_colour;
use super::{context_2d, fit_to_device_pixels};
use crate::worker::protocol::{RACE_RES, Race};

/// A light viridis for the surface, so the paths stand out on it.
fn shade(t: f64) -> [u8; 3] {
    const STOPS: [[f64; 3]; 5] =
        [[68.0, 1.0, 84.0], [59.0, 82.0, 139.0], [33.0, 145.0, 140.0], [94.0, 201.0, 98.0], [253.0, 231.0, 37.0]];
    let x = t.clamp(0.0, 1.0) * 4.0;
    let i = (x.floor() as usize).min(3);
    let f = x - i as f64;
    let c = |k: usize| STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f;
    let light = |v: f64| (255.0 + (v - 255.0) * 0.5).round() as u8;
    [light(c(0)), light(c(1)), light(c(2))]
}

pub fn draw(canvas: &HtmlCanvasElement, race: &Race, upto: usize) -> Result<(), String> {
    let dpr = fit_to_device_pixels(canvas);
    let ctx = context_2d(canvas).ok_or("no 2-D canvas")?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    let rgba: Vec<u8> = race
        .grid
        .iter()
        .flat_map(|&q| {
            let [r, g, b] = shade(q as f64 / 255.0);
            [r, g, b, 255]
        })
        .collect();
    let res = RACE_RES as u32;
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), res, res).map_err(|e| format!("{e:?}"))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let small: HtmlCanvasElement =
        document.create_element("canvas").map_err(|e| format!("{e:?}"))?.dyn_into().map_err(|_| "not a canvas")?;
    small.set_width(res);
    small.set_height(res);
    context_2d(&small).ok_or("no 2-D canvas")?.put_image_data(&image, 0.0, 0.0).map_err(|e| format!("{e:?}"))?;
    ctx.set_image_smoothing_enabled(true);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&small, 0.0, 0.0, w, h).map_err(|e| format!("{e:?}"))?;

    let (x0, x1, y0, y1) = race.surface.domain();
    let px = |x: f32| ((x as f64 - x0) / (x1 - x0) * w).clamp(-1e4, 1e4);
    let py = |y: f32| ((y1 - y as f64) / (y1 - y0) * h).clamp(-1e4, 1e4);
    // The minima, as white crosses.
    ctx.set_stroke_style_str("rgba(255,255,255,0.95)");
    ctx.set_line_width(2.0 * dpr);
    for &[mx, my] in race.surface.minima() {
        let (cx, cy) = (px(mx as f32), py(my as f32));
        let r = 6.0 * dpr;
        ctx.begin_path();
        ctx.move_to(cx - r, cy - r);
        ctx.line_to(cx + r, cy + r);
        ctx.move_to(cx - r, cy + r);
        ctx.line_to(cx + r, cy - r);
        ctx.stroke();
    }
    let n = race.paths.len();
    for (i, path) in race.paths.iter().enumerate() {
        let (r, g, b) = class_colour(i, n.max(3));
        let colour = format!("rgb({r},{g},{b})");
        let shown = &path.points[..path.points.len().min(upto + 1)];
        ctx.set_stroke_style_str(&colour);
        ctx.set_line_width(2.5 * dpr);
        ctx.begin_path();
        for (k, p) in shown.iter().enumerate() {
            if k == 0 {
                ctx.move_to(px(p[0]), py(p[1]));
            } else {
                ctx.line_to(px(p[0]), py(p[1]));
            }
        }
        ctx.stroke();
        if let Some(p) = shown.last() {
            ctx.begin_path();
            ctx.arc(px(p[0]), py(p[1]), 5.5 * dpr, 0.0, std::f64::consts::TAU).map_err(|e| format!("{e:?}"))?;
            ctx.set_fill_style_str(&colour);
            ctx.fill();
            ctx.set_stroke_style_str("#ffffff");
            ctx.set_line_width(1.5 * dpr);
            ctx.stroke();
        }
    }
    Ok(())
}
