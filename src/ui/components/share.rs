//! Sharing the lab in a room: the QR code of its link, large enough for the
//! phones at the back of a classroom, always the link as it is now.

use qrcode::{Color, EcLevel, QrCode};
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QrCodeProps {
    /// The lab's link (the whole address).
    pub link: AttrValue,
    pub onclose: Callback<()>,
}

/// The QR code's modules (`true`: dark) and its width, with medium error
/// correction where the link fits, low where only that fits; `None` for a
/// link too long for any QR code.
fn modules(link: &str) -> Option<(Vec<bool>, usize)> {
    let code = QrCode::with_error_correction_level(link, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(link, EcLevel::L))
        .ok()?;
    let width = code.width();
    Some((code.to_colors().into_iter().map(|c| c == Color::Dark).collect(), width))
}

/// Draws the code on `canvas`, a whole number of pixels per module, with the
/// four-module quiet zone scanners need.
fn draw(canvas: &HtmlCanvasElement, dark: &[bool], width: usize) -> Result<(), String> {
    const QUIET: usize = 4;
    let side = width + 2 * QUIET;
    let scale = (360 / side).max(2);
    let px = (side * scale) as u32;
    canvas.set_width(px);
    canvas.set_height(px);
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or("no 2-D context")?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, px as f64, px as f64);
    ctx.set_fill_style_str("#000000");
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = (i % width + QUIET, i / width + QUIET);
        ctx.fill_rect((x * scale) as f64, (y * scale) as f64, scale as f64, scale as f64);
    }
    Ok(())
}

#[function_component]
pub fn QrCodePanel(p: &QrCodeProps) -> Html {
    let canvas = use_node_ref();
    let code = use_memo(p.link.clone(), |link| modules(link));
    {
        let (canvas, code) = (canvas.clone(), code.clone());
        use_effect_with(code, move |code| {
            if let (Some(c), Some((dark, width))) = (canvas.cast::<HtmlCanvasElement>(), code.as_ref()) {
                if let Err(e) = draw(&c, dark, *width) {
                    web_sys::console::error_1(&format!("QR code: {e}").into());
                }
            }
        });
    }
    // Focus goes to the dialog's button, so Escape (and a screen reader) finds it.
    let close = use_node_ref();
    {
        let close = close.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let onkey = p.onclose.reform(|_: KeyboardEvent| ());
    html! {
        <div class="qr-backdrop" onclick={p.onclose.reform(|_: MouseEvent| ())}>
            <section class="panel qr-panel" id="qr" role="dialog" aria-label="QR code of this link"
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}
                onkeydown={Callback::from(move |e: KeyboardEvent| if e.key() == "Escape" { onkey.emit(e) })}>
                <h2>{ "Open this lab on a phone" }</h2>
                if code.is_some() {
                    <canvas id="qr-code" ref={canvas} role="img"
                        aria-label="QR code: scanning it opens this exact experiment"></canvas>
                    <p class="hint">{ "Scanning it opens this exact experiment: the same settings, runs and tools." }</p>
                } else {
                    <p class="notice" role="status">{ format!(
                        "This link is too long for a QR code ({} characters). Copy the link instead, or keep fewer runs.",
                        p.link.len()) }</p>
                }
                <p class="qr-link"><code>{ p.link.to_string() }</code></p>
                <button id="close-qr" ref={close} onclick={p.onclose.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </section>
        </div>
    }
}
