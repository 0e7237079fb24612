//! The data and the network's decision boundary: a heat map of the predicted
//! probability under the points.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{HtmlCanvasElement, ImageData};

use super::{BLUE, ORANGE, context_2d, fit_to_device_pixels};
use crate::engine::data::Dataset;
use crate::worker::protocol::{BOUNDARY_EXTENT, BOUNDARY_RES};

/// Background tint for a predicted probability of class 1: orange tint at 0,
/// white at 0.5, blue tint at 1 — lighter than the points so they stand out.
fn tint(p: f64) -> [u8; 3] {
    let (from, weight) = if p < 0.5 { (ORANGE, 1.0 - 2.0 * p) } else { (BLUE, 2.0 * p - 1.0) };
    let w = 0.55 * weight;
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * w).round() as u8;
    [mix(from.0), mix(from.1), mix(from.2)]
}

/// Draws the boundary grid (if any) and the training and validation points.
pub fn draw(canvas: &HtmlCanvasElement, boundary: Option<&[u8]>, train: &Dataset, val: &Dataset) -> Result<(), String> {
    let dpr = fit_to_device_pixels(canvas);
    let ctx = context_2d(canvas).ok_or("no 2-D canvas")?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#f7f7f7");
    ctx.fill_rect(0.0, 0.0, w, h);

    if let Some(grid) = boundary.filter(|g| g.len() == BOUNDARY_RES * BOUNDARY_RES) {
        let mut rgba = Vec::with_capacity(grid.len() * 4);
        for &q in grid {
            let [r, g, b] = tint(q as f64 / 255.0);
            rgba.extend_from_slice(&[r, g, b, 255]);
        }
        let image =
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), BOUNDARY_RES as u32, BOUNDARY_RES as u32)
                .map_err(|e| format!("{e:?}"))?;
        let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
        let small: HtmlCanvasElement =
            document.create_element("canvas").map_err(|e| format!("{e:?}"))?.dyn_into().map_err(|_| "not a canvas")?;
        small.set_width(BOUNDARY_RES as u32);
        small.set_height(BOUNDARY_RES as u32);
        context_2d(&small).ok_or("no 2-D canvas")?.put_image_data(&image, 0.0, 0.0).map_err(|e| format!("{e:?}"))?;
        ctx.set_image_smoothing_enabled(true);
        // Grid values sit at cell centres of a RES×RES image spanning the extent.
        let cell_w = w / (BOUNDARY_RES - 1) as f64;
        let cell_h = h / (BOUNDARY_RES - 1) as f64;
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &small,
            -cell_w / 2.0,
            -cell_h / 2.0,
            w + cell_w,
            h + cell_h,
        )
        .map_err(|e| format!("{e:?}"))?;
    }

    // Axes through the origin.
    let e = BOUNDARY_EXTENT as f64;
    let to_px = |x: f32, y: f32| (((x as f64) + e) / (2.0 * e) * w, (e - y as f64) / (2.0 * e) * h);
    ctx.set_stroke_style_str("rgba(0,0,0,0.12)");
    ctx.set_line_width(dpr);
    ctx.begin_path();
    ctx.move_to(w / 2.0, 0.0);
    ctx.line_to(w / 2.0, h);
    ctx.move_to(0.0, h / 2.0);
    ctx.line_to(w, h / 2.0);
    ctx.stroke();

    let radius = 3.2 * dpr;
    for (data, hollow) in [(train, false), (val, true)] {
        for i in 0..data.len() {
            let p = data.features(i);
            let (x, y) = to_px(p[0], p[1]);
            let (r, g, b) = if data.y[i] == 1.0 { BLUE } else { ORANGE };
            let color = format!("rgb({r},{g},{b})");
            ctx.begin_path();
            ctx.arc(x, y, radius, 0.0, std::f64::consts::TAU).map_err(|e| format!("{e:?}"))?;
            if hollow {
                ctx.set_fill_style_str("#ffffff");
                ctx.fill();
                ctx.set_stroke_style_str(&color);
                ctx.set_line_width(1.8 * dpr);
                ctx.stroke();
            } else {
                ctx.set_fill_style_str(&color);
                ctx.fill();
                ctx.set_stroke_style_str("rgba(255,255,255,0.9)");
                ctx.set_line_width(0.8 * dpr);
                ctx.stroke();
            }
        }
    }
    Ok(())
}
