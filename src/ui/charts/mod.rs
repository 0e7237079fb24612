//! Chart drawing. **Invariant:** chart code draws what it is given; it never
//! talks to the worker or the URL.

pub mod boundary;
pub mod compare;
pub mod loss;
pub mod lr;
pub mod lr_finder;
pub mod race;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Colour of class 0 / the training curve, and of class 1 / the validation
/// curve: a blue–orange pair that stays distinct under the common forms of
/// colour blindness.
pub const ORANGE: (u8, u8, u8) = (230, 120, 20);
pub const BLUE: (u8, u8, u8) = (16, 100, 170);

/// Sizes the canvas's backing store to its CSS box times the device pixel
/// ratio, so lines are crisp on high-density screens. Returns the ratio.
pub fn fit_to_device_pixels(canvas: &HtmlCanvasElement) -> f64 {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
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
