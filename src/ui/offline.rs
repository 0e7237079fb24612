//! Offline and installable: registers the service worker (`sw.js`, beside
//! the page, so the lab works from any folder) once the page has loaded, so
//! its downloads never compete with the first view's. When the worker is
//! active — every file of the bundle cached — `<html data-offline="ready">`
//! says the lab now opens with the network off. Where service workers are
//! not allowed (plain http off localhost, a browser's private mode), nothing
//! happens and nothing is reported: the lab works online as before.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

fn mark(state: &str) {
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("data-offline", state);
    }
}

async fn install() {
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    if JsFuture::from(container.register("sw.js")).await.is_err() {
        mark("unavailable");
        return;
    }
    if let Ok(ready) = container.ready() {
        if JsFuture::from(ready).await.is_ok() {
            mark("ready");
        }
    }
}

/// Registers the service worker after the page's `load` (at once if it has
/// passed).
pub fn register() {
    let Some(window) = web_sys::window() else { return };
    let supported = js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false);
    if !supported {
        return;
    }
    let loaded = window.document().is_some_and(|d| d.ready_state() == "complete");
    if loaded {
        wasm_bindgen_futures::spawn_local(install());
        return;
    }
    let on_load = Closure::once_into_js(|| wasm_bindgen_futures::spawn_local(install()));
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
        "load",
        on_load.unchecked_ref(),
        &options,
    );
}
