//! The page's end of the worker: spawns it, sends commands, delivers events.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

use crate::worker::protocol::{Command, Event};

/// The worker script Trunk emits for the `worker` bin (`data-loader-shim`).
const WORKER_URL: &str = "./worker_loader.js";

/// Owns the worker; dropping it terminates the worker.
pub struct WorkerBridge {
    worker: Worker,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(web_sys::Event)>,
}

impl WorkerBridge {
    pub fn spawn(on_event: Callback<Event>) -> Result<Self, String> {
        let worker = Worker::new(WORKER_URL).map_err(|e| format!("could not start the training worker: {e:?}"))?;
        let on_msg = on_event.clone();
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            match serde_json::from_str::<Event>(&text) {
                Ok(event) => on_msg.emit(event),
                Err(e) => on_msg.emit(Event::Error { run_id: 0, message: format!("unreadable worker message: {e}") }),
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        let onerror = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            on_event.emit(Event::Error {
                run_id: 0,
                message: "the training worker could not load; check your connection and reload".into(),
            });
        });
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Ok(Self { worker, _onmessage: onmessage, _onerror: onerror })
    }

    pub fn send(&self, cmd: &Command) {
        let json = serde_json::to_string(cmd).expect("commands always serialise");
        if let Err(e) = self.worker.post_message(&JsValue::from_str(&json)) {
            web_sys::console::error_2(&"hyperlab: postMessage to worker failed".into(), &e);
        }
    }
}

impl Drop for WorkerBridge {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
