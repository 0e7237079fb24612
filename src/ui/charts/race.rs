//! The optimizer race: the surface as a (log-scaled) colour map, and each
//! optimizer's path up to a step.

use web_sys::HtmlCanvasElement;

use super::{context_2d, fit_to_device_pixels, paint_rgba, tint, viridis};
use crate::worker::protocol::{RACE_RES, Race};

pub fn draw(canvas: &HtmlCanvasElement, race: &Race, upto: usize) -> Result<(), String> {
    // Line widths in device pixels, larger in presentation mode.
    let dpr = fit_to_device_pixels(canvas) * super::line::scale();
    let ctx = context_2d(canvas).ok_or("no 2-D canvas")?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    // A light viridis, so the paths stand out on it.
    let rgba: Vec<u8> = race
        .grid
        .iter()
        .flat_map(|&q| {
            let [r, g, b] = viridis(q as f64 / 255.0);
            let [r, g, b] = tint((r, g, b), 0.5);
            [r, g, b, 255]
        })
        .collect();
    paint_rgba(&ctx, &rgba, RACE_RES as u32, (0.0, 0.0, w, h))?;

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
    for path in &race.paths {
        let colour = crate::ui::palette::css(crate::ui::palette::optimizer(&path.name));
        let shown = &path.points[..path.points.len().min(upto + 1)];
        ctx.set_stroke_style_str(&colour);
        ctx.set_line_width(2.5 * dpr);
        // The lab's own settings, dashed: its path may be a racer's exactly (SGD at 0.1).
        let yours = path.name == crate::worker::protocol::YOURS;
        let dash =
            if yours { js_sys::Array::of2(&(6.0 * dpr).into(), &(5.0 * dpr).into()) } else { js_sys::Array::new() };
        ctx.set_line_dash(&dash).map_err(|e| format!("{e:?}"))?;
        ctx.begin_path();
        for (k, p) in shown.iter().enumerate() {
            if k == 0 {
                ctx.move_to(px(p[0]), py(p[1]));
            } else {
                ctx.line_to(px(p[0]), py(p[1]));
            }
        }
        ctx.stroke();
        ctx.set_line_dash(&js_sys::Array::new()).map_err(|e| format!("{e:?}"))?;
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
