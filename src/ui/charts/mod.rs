//! Chart drawing. **Invariant:** chart code draws what it is given; it never
//! talks to the worker or the URL.

pub mod boundary;
pub mod diagnostics;
pub mod fit;
pub mod kept;
pub mod line;
pub mod loss;
pub mod lr;
pub mod lr_finder;
pub mod network;
pub mod race;
pub mod search;

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Colour of class 0 / the training curve, and of class 1 / the validation
/// curve: a blue–orange pair that stays distinct under the common forms of
/// colour blindness.
pub const ORANGE: (u8, u8, u8) = crate::ui::palette::VALIDATION;
pub const BLUE: (u8, u8, u8) = crate::ui::palette::TRAINING;

/// Sizes the canvas's backing store to its CSS box times the device pixel
/// ratio, so lines are crisp on high-density screens. Returns the ratio.
pub fn fit_to_device_pixels(canvas: &HtmlCanvasElement) -> f64 {
    fit_to_pixels(canvas, f64::INFINITY)
}

/// [`fit_to_device_pixels`] with the ratio at most `most` (and at least 1).
pub fn fit_to_pixels(canvas: &HtmlCanvasElement, most: f64) -> f64 {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).min(most).max(1.0);
    let rect = canvas.get_bounding_client_rect();
    let (w, h) = ((rect.width() * dpr).round() as u32, (rect.height() * dpr).round() as u32);
    if w > 0 && h > 0 && (canvas.width() != w || canvas.height() != h) {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    dpr
}

pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into().ok())
}

pub use crate::palette::{tint, viridis};

/// The sizes of the charts' type in CSS pixels, before the presentation
/// scale, in the order the page warms them ([`warm_font`]): 12 px first, the
/// network view's and the diagnostics' size, drawn first after Train.
pub const FONT_PX: [f64; 4] = [12.0, 13.0, 11.0, 10.0];

/// The charts' font at `px` CSS pixels, as a canvas takes it.
pub fn font(px: f64) -> String {
    format!("{px}px sans-serif")
}

/// The characters the charts draw that a system's sans-serif may lack
/// (input names `x₁`, `x₂²`, diagnostics' `‖W‖`, dashes, ellipses), each
/// measured on its own by the warm-up: a run of them would ask for the
/// first one's fallback font only.
pub const RARE: [&str; 8] = ["₁", "₂", "²", "‖", "·", "–", "—", "…"];

/// A hidden canvas of the page's document, kept for the page's life, whose
/// context holds the charts' [`font`] at `px`, used once. The first text of
/// a font size in a page waits for the browser process (Chromium on Linux
/// asks its font service for the size's rendering style, synchronously):
/// 26–81 ms in the four regimes' click, whose small charts are the first at
/// 11 px. So does the first character a size finds in a fallback font, each
/// character once (`x₁`, then `x₂`: 4–44 ms each in the network view's
/// first draw after Train); the page's fonts share those lookups only while
/// a canvas still holds a font of that size, hence the canvas is kept, 1
/// pixel, invisible and out of the accessibility tree. The page calls this
/// for each of [`FONT_PX`], and measures each of [`RARE`] on the context it
/// returns, in short tasks after it starts, so no click pays them. (An
/// `OffscreenCanvas`, or a canvas never attached, does not do: the style
/// either fetches is not the page's canvases'.)
pub fn warm_font(px: f64) -> Option<CanvasRenderingContext2d> {
    let document = web_sys::window().and_then(|w| w.document())?;
    let canvas = document.create_element("canvas").ok().and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())?;
    let _ = canvas.set_attribute("class", "font-warm-up");
    let _ = canvas.set_attribute("style", "position:fixed;left:0;top:0;width:1px;height:1px;visibility:hidden");
    let _ = canvas.set_attribute("aria-hidden", "true");
    document.body()?.append_child(&canvas).ok()?;
    let ctx = context_2d(&canvas)?;
    ctx.set_font(&font(px));
    let _ = ctx.measure_text("0.5");
    Some(ctx)
}

/// A value in [−1, 1] as an RGBA colour: orange below 0, white at 0, blue
/// above (the network view's units, the input features' pictures).
pub fn diverging(t: f32) -> [u8; 4] {
    let [r, g, b] = tint(if t < 0.0 { ORANGE } else { BLUE }, t.abs().min(1.0) as f64);
    [r, g, b, 255]
}

/// Paints a `res × res` RGBA image, smoothly scaled, into the rectangle
/// `(x, y, w, h)` of the context.
pub fn paint_rgba(
    ctx: &CanvasRenderingContext2d,
    rgba: &[u8],
    res: u32,
    (x, y, w, h): (f64, f64, f64, f64),
) -> Result<(), String> {
    thread_local! {
        /// One small canvas per resolution, reused by every painting.
        static SMALL: std::cell::RefCell<Vec<(u32, HtmlCanvasElement)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), res, res).map_err(|e| format!("{e:?}"))?;
    let small = SMALL.with_borrow_mut(|cache| -> Result<HtmlCanvasElement, String> {
        if let Some((_, c)) = cache.iter().find(|(r, _)| *r == res) {
            return Ok(c.clone());
        }
        let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
        let c: HtmlCanvasElement =
            document.create_element("canvas").map_err(|e| format!("{e:?}"))?.dyn_into().map_err(|_| "not a canvas")?;
        c.set_width(res);
        c.set_height(res);
        cache.push((res, c.clone()));
        Ok(c)
    })?;
    context_2d(&small).ok_or("no 2-D canvas")?.put_image_data(&image, 0.0, 0.0).map_err(|e| format!("{e:?}"))?;
    ctx.set_image_smoothing_enabled(true);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&small, x, y, w, h).map_err(|e| format!("{e:?}"))
}
