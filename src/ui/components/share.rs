//! Sharing the lab: "Copy link", and in a room the QR code of its link,
//! large enough for the phones at the back of a classroom, always the link
//! as it is now.

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

/// The knobs a teacher can leave to a class, in the course's order.
const KNOBS: [(&str, &str); 8] = [
    ("lr", "learning rate"),
    ("sched", "schedule"),
    ("opt", "optimizer"),
    ("bs", "batch size"),
    ("hidden", "layers and units"),
    ("act", "activation"),
    ("wd", "weight decay"),
    ("ep", "epochs"),
];

/// `link` with `only=` set to `keys` (none chosen: every control, no `only=`).
fn with_only(link: &str, keys: &[&str]) -> String {
    let (base, query) = link.split_once('?').unwrap_or((link, ""));
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("only=")).collect();
    let only = format!("only={}", keys.join(","));
    if !keys.is_empty() {
        pairs.push(&only);
    }
    format!("{base}?{}", pairs.join("&"))
}

#[function_component]
pub fn QrCodePanel(p: &QrCodeProps) -> Html {
    let canvas = use_node_ref();
    // The link builder: which knobs the shared link leaves to the class.
    let knobs = use_state(Vec::<&'static str>::new);
    let link = with_only(&p.link, &knobs);
    let copied = use_state(|| false);
    {
        let copied = copied.clone();
        use_effect_with(link.clone(), move |_| copied.set(false));
    }
    let code = use_memo(link.clone(), |link| modules(link));
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
                        link.len()) }</p>
                }
                <fieldset class="knobs" id="knobs">
                    <legend>{ "For a class: show only" }</legend>
                    { for KNOBS.iter().map(|&(key, label)| {
                        let on = knobs.contains(&key);
                        let knobs = knobs.clone();
                        let onchange = Callback::from(move |_: Event| {
                            let mut next: Vec<&'static str> = (*knobs).clone();
                            if on { next.retain(|k| *k != key) } else { next.push(key) }
                            // In the course's order, whatever the clicks'.
                            crate::engine::sort::sort_by_key(&mut next, |k| KNOBS.iter().position(|(n, _)| n == k));
                            knobs.set(next);
                        });
                        html! {
                            <label class="knob"><input type="checkbox" id={format!("knob-{key}")} checked={on} {onchange} />{ label }</label>
                        }
                    }) }
                    <p class="hint">{ "None ticked: every control. Ticked: the class sees just those; the rest stays as it is now." }</p>
                </fieldset>
                <p class="qr-link"><code id="qr-link">{ link.clone() }</code></p>
                <button id="copy-qr-link" onclick={{
                    let (link, copied) = (link.clone(), copied.clone());
                    Callback::from(move |_: MouseEvent| {
                        let Some(window) = web_sys::window() else { return };
                        let promise = window.navigator().clipboard().write_text(&link);
                        let copied = copied.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
                        });
                    })
                }}>{ if *copied { "Copied" } else { "Copy this link" } }</button>
                <button id="close-qr" ref={close} onclick={p.onclose.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </section>
        </div>
    }
}

/// Copies the address (which holds the experiment) to the clipboard; where
/// the clipboard is not available, shows the link to copy by hand.
#[function_component]
pub fn CopyLink() -> Html {
    let message = use_state(|| None::<String>);
    let onclick = {
        let message = message.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else { return };
            let href = window.location().href().unwrap_or_default();
            let message = message.clone();
            let promise = window.navigator().clipboard().write_text(&href);
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => message.set(Some("Link copied: it replays this experiment".into())),
                    Err(_) => message.set(Some(format!("Copy this link: {href}"))),
                }
            });
        })
    };
    html! {
        <div class="copy-link">
            <button id="copy-link" title="Copy a link that replays this experiment exactly" {onclick}>{ "Copy link" }</button>
            if let Some(m) = (*message).clone() {
                <span id="copy-status" role="status">{ m }</span>
            }
        </div>
    }
}
