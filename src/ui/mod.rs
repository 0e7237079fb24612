//! The Yew single-page app (wasm32 only).
//!
//! **Invariant:** nothing here trains. The page sends [`Command`]s to the
//! worker through [`bridge::WorkerBridge`] and folds the worker's
//! [`Event`]s into [`state::LabState`]; charts draw what the state holds.
//!
//! [`Command`]: crate::worker::protocol::Command
//! [`Event`]: crate::worker::protocol::Event

mod address;
mod app;
mod bridge;
mod charts;
mod components;
mod controller;
mod initial;
mod offline;
mod own_file;
pub(crate) use crate::palette;
mod search_pool;
mod state;

/// When the font warm-up starts, after `start`: past the page's own start
/// (its parts come in the next few tasks), before a hand can press Train.
const WARM_FONTS_AFTER_MS: i32 = 300;

/// Mounts the app into the page's `<main>`-less body.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("HyperLab hit an internal error: {info}");
        web_sys::console::error_1(&message.clone().into());
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("fatal")) {
            el.set_text_content(Some(&format!("{message}. Reload the page to continue.")));
            let _ = el.set_attribute("class", "fatal shown");
        }
    }));
    let document = web_sys::window().and_then(|w| w.document()).expect("the page has a document");
    let root = document.get_element_by_id("app").expect("index.html has an #app element");
    yew::Renderer::<app::App>::with_root(root).render();
    // The lab is here: index.html's "loading" line goes.
    if let Some(boot) = document.get_element_by_id("boot") {
        boot.remove();
    }
    offline::register();
    // Each chart font size, and each of its rarer characters, used once in
    // short tasks after the page's start (`charts::warm_font`).
    wasm_bindgen_futures::spawn_local(async {
        components::views::after(WARM_FONTS_AFTER_MS).await;
        for px in charts::FONT_PX {
            components::views::next_task().await;
            let Some(ctx) = charts::warm_font(px * charts::line::scale()) else { continue };
            for c in charts::RARE {
                components::views::next_task().await;
                let _ = ctx.measure_text(c);
            }
        }
    });
}
