//! The worker's end of its message port (wasm32 only): the global scope, and
//! posting an event to the page. The loop (`runner`) and the search side
//! (`coordinator`) both post through it.

use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

use super::protocol::{Event, encode};

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
