//! A worker's end of its message port (wasm32 only): the global scope,
//! listening for the page's commands, and posting events to it. Both
//! workers' loops — the training worker's (`runner`) and the study
//! worker's (`coordinator`) — listen and post through it.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{About, Command, Event, decode, encode};

pub(super) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts an event as bytes, handing its buffer over (no copy).
pub(super) fn post(event: &Event) {
    match encode(event) {
        Ok(bytes) => {
            let array = js_sys::Uint8Array::from(bytes.as_slice());
            let transfer = js_sys::Array::of1(&array.buffer());
            if let Err(e) = scope().post_message_with_transfer(&array, &transfer) {
                web_sys::console::error_2(&"hyperlab worker: postMessage failed".into(), &e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("hyperlab worker: {e}").into()),
    }
}

/// Installs the panic hook (it posts `Event::Crashed`: the page starts a
/// fresh worker) and the message handler, which gives each command to
/// `handle`; then announces readiness (`Event::Ready`: the page holds its
/// commands until then). `panic_in_state` is the test's injected panic,
/// raised where a bug would be: with the loop's state borrowed.
pub(super) fn listen(handle: fn(Command), panic_in_state: fn()) {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("hyperlab worker: {message}").into());
        post(&Event::Crashed { message });
    }));
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        if let Some(text) = data.as_string() {
            return fault(&text, panic_in_state);
        }
        let bytes = js_sys::Uint8Array::new(&data).to_vec();
        match decode::<Command>(&bytes) {
            Ok(cmd) => handle(cmd),
            Err(e) => post(&Event::Error { about: About::Worker, message: format!("unreadable command: {e}") }),
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&Event::Ready);
}

/// Faults injected by the end-to-end tests (the page never sends these; a
/// script in the page could end the worker anyway): `hyperlab:fault:panic`
/// panics while the loop's state is borrowed, as a bug would;
/// `hyperlab:fault:oom` fails an allocation, as running out of memory does
/// (an abort: no panic hook runs).
fn fault(text: &str, panic_in_state: fn()) {
    match text {
        "hyperlab:fault:panic" => panic_in_state(),
        "hyperlab:fault:oom" => {
            std::alloc::handle_alloc_error(std::alloc::Layout::from_size_align(1 << 30, 8).expect("a valid layout"))
        }
        _ => post(&Event::Error { about: About::Worker, message: format!("unreadable command: `{text:.40}`") }),
    }
}
