//! The page's end of a worker: spawns it, sends commands, delivers events,
//! and says when it failed.
//!
//! A worker that panics posts `Event::Crashed` from its panic hook; one
//! that fails without a panic (out of memory: an abort) only raises an
//! error event on its `Worker` object. Either way the bridge delivers one
//! `Event::Crashed` with the real message and nothing more from that
//! worker; the owner replaces it.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

use crate::worker::protocol::{About, Command, Event, decode, encode};

/// The worker script Trunk emits for the `worker` bin (`data-loader-shim`).
const WORKER_URL: &str = "./worker_loader.js";

/// Owns the worker; dropping it terminates the worker.
pub struct WorkerBridge {
    worker: Worker,
    /// Set once the worker failed: it takes no more commands.
    crashed: Rc<Cell<bool>>,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(web_sys::Event)>,
}

impl WorkerBridge {
    /// A fresh worker.
    pub fn spawn(on_event: Callback<Event>) -> Result<Self, String> {
        let worker = Worker::new(WORKER_URL).map_err(|e| format!("could not start the training worker: {e:?}"))?;
        Ok(Self::attach(worker, js_sys::Array::new(), on_event))
    }

    /// The worker `index.html` started while the page's module downloaded
    /// (the page's training worker), or a fresh one if there is none.
    pub fn adopt_early(on_event: Callback<Event>) -> Result<Self, String> {
        match take_early() {
            Some((worker, early)) => Ok(Self::attach(worker, early, on_event)),
            None => Self::spawn(on_event),
        }
    }

    /// Listens to `worker`, first delivering the `early` events it raised
    /// before anyone listened.
    fn attach(worker: Worker, early: js_sys::Array, on_event: Callback<Event>) -> Self {
        let (ready, crashed) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        let onmessage = {
            let (on_event, ready, crashed) = (on_event.clone(), ready.clone(), crashed.clone());
            Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
                if crashed.get() {
                    return;
                }
                let bytes = js_sys::Uint8Array::new(&ev.data()).to_vec();
                match decode::<Event>(&bytes) {
                    Ok(Event::Crashed { message }) => {
                        crashed.set(true);
                        on_event.emit(Event::Crashed { message });
                    }
                    Ok(event) => {
                        if matches!(event, Event::Ready) {
                            ready.set(true);
                        }
                        on_event.emit(event);
                    }
                    Err(e) => {
                        on_event.emit(Event::Error { about: About::Worker, message: format!("a worker message: {e}") })
                    }
                }
            })
        };
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        let onerror = {
            let crashed = crashed.clone();
            Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                if crashed.get() {
                    return;
                }
                crashed.set(true);
                let detail = ev.dyn_ref::<ErrorEvent>().map(ErrorEvent::message).filter(|m| !m.is_empty());
                let message = match (ready.get(), detail) {
                    // The script or its module never ran: a download that failed.
                    (false, detail) => format!(
                        "the training worker could not load{}; check your connection and reload",
                        detail.map_or(String::new(), |d| format!(" ({d})"))
                    ),
                    (true, Some(d)) if d.contains("unreachable") => {
                        format!("it stopped without a message ({d}): it most likely ran out of memory")
                    }
                    (true, Some(d)) => format!("it stopped: {d}"),
                    (true, None) => "it stopped without a message".into(),
                };
                on_event.emit(Event::Crashed { message });
            })
        };
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        // What an adopted worker said before the page listened, in its order.
        for event in early.iter() {
            let handler: &js_sys::Function = if event.is_instance_of::<MessageEvent>() {
                onmessage.as_ref().unchecked_ref()
            } else {
                onerror.as_ref().unchecked_ref()
            };
            if let Err(e) = handler.call1(&JsValue::UNDEFINED, &event) {
                web_sys::console::error_2(&"hyperlab: an early worker event".into(), &e);
            }
        }
        Self { worker, crashed, _onmessage: onmessage, _onerror: onerror }
    }

    pub fn send(&self, cmd: &Command) {
        if self.crashed.get() {
            return;
        }
        let bytes = match encode(cmd) {
            Ok(bytes) => bytes,
            Err(e) => return web_sys::console::error_1(&format!("hyperlab: {e}").into()),
        };
        let array = js_sys::Uint8Array::from(bytes.as_slice());
        let transfer = js_sys::Array::of1(&array.buffer());
        if let Err(e) = self.worker.post_message_with_transfer(&array, &transfer) {
            web_sys::console::error_2(&"hyperlab: postMessage to worker failed".into(), &e);
        }
    }
}

/// The worker `index.html` started while the page's module downloaded, and
/// the events it raised since (`hyperlabEarlyWorker`): taken once, so every
/// later bridge starts its own.
fn take_early() -> Option<(Worker, js_sys::Array)> {
    let global = js_sys::global();
    let key = JsValue::from_str("hyperlabEarlyWorker");
    let early = js_sys::Reflect::get(&global, &key).ok().filter(JsValue::is_object)?;
    js_sys::Reflect::delete_property(&global, &key).ok()?;
    let worker = js_sys::Reflect::get(&early, &"worker".into()).ok()?.dyn_into::<Worker>().ok()?;
    let events = js_sys::Reflect::get(&early, &"early".into()).ok()?.dyn_into::<js_sys::Array>().ok()?;
    Some((worker, events))
}

impl Drop for WorkerBridge {
    fn drop(&mut self) {
        // Events already queued (a crashed worker's error) must not reach the closures dropped with it.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
