//! The page's end of a worker: spawns it, sends commands (held until the
//! worker is ready: one still loading its module would drop them), delivers
//! events, and says when it failed.
//!
//! A worker that panics posts `Event::Crashed` from its panic hook; one
//! that fails without a panic (out of memory: an abort) only raises an
//! error event on its `Worker` object. Either way the bridge delivers one
//! `Event::Crashed` with the real message and nothing more from that
//! worker; the owner replaces it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

use crate::worker::protocol::{About, Command, Event, decode, encode};

/// The loader of both workers' modules (`static/worker_loader.js`): it
/// loads the `worker` bin, or the `study` bin for a worker named so.
const WORKER_URL: &str = "./worker_loader.js";

/// Which of the two workers' modules a worker runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    /// The `worker` bin: the lab's runs, or (in the pool) a search's trials.
    Training,
    /// The `study` bin: a search's study and the exported scripts.
    Study,
}

impl Role {
    /// How the page names it to the user.
    fn label(self) -> &'static str {
        match self {
            Role::Training => "the training worker",
            Role::Study => "the search's worker",
        }
    }
}

/// Owns the worker; dropping it terminates the worker.
pub struct WorkerBridge {
    worker: Worker,
    /// Set once the worker failed: it takes no more commands.
    crashed: Rc<Cell<bool>>,
    /// Commands sent before the worker said it was ready, in order (`None`
    /// once it has: they go at once).
    held: Rc<RefCell<Option<Vec<Vec<u8>>>>>,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(web_sys::Event)>,
}

impl WorkerBridge {
    /// A fresh worker of `role`.
    pub fn spawn(role: Role, on_event: Callback<Event>) -> Result<Self, String> {
        let options = web_sys::WorkerOptions::new();
        if role == Role::Study {
            options.set_name("study");
        }
        let worker = Worker::new_with_options(WORKER_URL, &options)
            .map_err(|e| format!("could not start {}: {e:?}", role.label()))?;
        Ok(Self::attach(worker, js_sys::Array::new(), on_event))
    }

    /// The worker `index.html` started while the page's module downloaded
    /// (the page's training worker), or a fresh one if there is none.
    pub fn adopt_early(on_event: Callback<Event>) -> Result<Self, String> {
        match take_early() {
            Some((worker, early)) => Ok(Self::attach(worker, early, on_event)),
            None => Self::spawn(Role::Training, on_event),
        }
    }

    /// Listens to `worker`, first delivering the `early` events it raised
    /// before anyone listened.
    fn attach(worker: Worker, early: js_sys::Array, on_event: Callback<Event>) -> Self {
        let crashed = Rc::new(Cell::new(false));
        // `None` once the worker has said it is ready.
        let held: Rc<RefCell<Option<Vec<Vec<u8>>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let onmessage = {
            let (on_event, crashed, held, to) = (on_event.clone(), crashed.clone(), held.clone(), worker.clone());
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
                            for bytes in held.borrow_mut().take().unwrap_or_default() {
                                post(&to, &bytes);
                            }
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
            let (crashed, held) = (crashed.clone(), held.clone());
            Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                if crashed.get() {
                    return;
                }
                crashed.set(true);
                let detail = ev.dyn_ref::<ErrorEvent>().map(ErrorEvent::message).filter(|m| !m.is_empty());
                let ready = held.borrow().is_none();
                let message = match (ready, detail) {
                    // The script or its module never ran: a download that failed.
                    (false, detail) => format!(
                        "its code could not load{}; check your connection and reload",
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
        Self { worker, crashed, held, _onmessage: onmessage, _onerror: onerror }
    }

    pub fn send(&self, cmd: &Command) {
        if self.crashed.get() {
            return;
        }
        let bytes = match encode(cmd) {
            Ok(bytes) => bytes,
            Err(e) => return web_sys::console::error_1(&format!("hyperlab: {e}").into()),
        };
        match self.held.borrow_mut().as_mut() {
            Some(held) => held.push(bytes),
            None => post(&self.worker, &bytes),
        }
    }
}

/// Posts a command's bytes to `worker`, handing their buffer over.
fn post(worker: &Worker, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let transfer = js_sys::Array::of1(&array.buffer());
    if let Err(e) = worker.post_message_with_transfer(&array, &transfer) {
        web_sys::console::error_2(&"hyperlab: postMessage to worker failed".into(), &e);
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
