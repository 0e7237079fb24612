//! The training worker's loop (wasm32 only).
//!
//! Training runs in chunks; between chunks the loop returns to the browser's
//! event loop (a zero-delay timer), so a `Pause`, `Step` or new `Start` is
//! handled within one chunk (≈ [`CHUNK_MS`]). Progress is posted once per chunk.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{BOUNDARY_EXTENT, BOUNDARY_RES, CHUNK_MS, Command, Event, Pace, quantise};
use crate::engine::train::{RunState, Trainer};

/// Interval between ticks of a paced run (about one display frame).
const PACED_TICK_MS: f64 = 16.0;

struct Run {
    id: u32,
    trainer: Trainer,
    paused: bool,
    /// Records already posted to the page.
    posted: usize,
}

struct State {
    run: Option<Run>,
    pace: Pace,
    /// Fractional epochs owed to a paced run.
    owed: f64,
    last_tick_ms: f64,
    tick_scheduled: bool,
}

thread_local! {
    static STATE: RefCell<State> = const {
        RefCell::new(State { run: None, pace: Pace::Max, owed: 0.0, last_tick_ms: 0.0, tick_scheduled: false })
    };
    static TICK: Closure<dyn Fn()> = Closure::new(tick);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now_ms() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

fn post(event: &Event) {
    match serde_json::to_string(event) {
        Ok(json) => {
            if let Err(e) = scope().post_message(&JsValue::from_str(&json)) {
                web_sys::console::error_2(&"hyperlab worker: postMessage failed".into(), &e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("hyperlab worker: {e}").into()),
    }
}

/// Installs the message handler and announces readiness.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("the training worker failed: {info}");
        web_sys::console::error_1(&message.clone().into());
        post(&Event::Error { run_id: 0, message });
    }));
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(|ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else {
            return;
        };
        match serde_json::from_str::<Command>(&text) {
            Ok(cmd) => handle(cmd),
            Err(e) => post(&Event::Error { run_id: 0, message: format!("unreadable command: {e}") }),
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&Event::Ready);
}

fn handle(cmd: Command) {
    STATE.with_borrow_mut(|s| match cmd {
        Command::Start { run_id, spec, pace } => {
            s.pace = pace;
            match spec.trainer() {
                Ok(trainer) => {
                    s.run = Some(Run { id: run_id, trainer, paused: false, posted: 0 });
                    s.owed = 0.0;
                    s.last_tick_ms = now_ms();
                    schedule(s, 0.0);
                }
                Err(e) => {
                    s.run = None;
                    post(&Event::Error { run_id, message: e.to_string() });
                }
            }
        }
        Command::SetPace { pace } => {
            s.pace = pace;
            s.owed = 0.0;
        }
        Command::Pause { run_id } => {
            if let Some(run) = s.run.as_mut().filter(|r| r.id == run_id) {
                run.paused = true;
                post_progress(run);
            }
        }
        Command::Resume { run_id } => {
            if let Some(run) = s.run.as_mut().filter(|r| r.id == run_id) {
                run.paused = false;
                s.owed = 0.0;
                s.last_tick_ms = now_ms();
                schedule(s, 0.0);
            }
        }
        Command::Step { run_id } => {
            if let Some(run) = s.run.as_mut().filter(|r| r.id == run_id) {
                run.paused = true;
                run.trainer.step_epoch();
                post_progress(run);
            }
        }
        Command::Stop => s.run = None,
    });
}

fn schedule(s: &mut State, delay_ms: f64) {
    if s.tick_scheduled {
        return;
    }
    s.tick_scheduled = true;
    TICK.with(|cb| {
        let _ =
            scope().set_timeout_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), delay_ms as i32);
    });
}

fn tick() {
    STATE.with_borrow_mut(|s| {
        s.tick_scheduled = false;
        let start = now_ms();
        let pace = s.pace;
        let elapsed_s = (start - s.last_tick_ms).max(0.0) / 1000.0;
        s.last_tick_ms = start;
        let Some(run) = s.run.as_mut() else { return };
        if run.paused || run.trainer.state() != RunState::Training {
            return;
        }
        let budget = match pace {
            Pace::Max => usize::MAX,
            Pace::EpochsPerSecond(rate) => {
                // Never owe more than a tenth of a second: no burst after the tab sleeps.
                s.owed = (s.owed + elapsed_s * rate).min(rate * 0.1 + 1.0);
                let n = s.owed.floor();
                s.owed -= n;
                n as usize
            }
        };
        let mut done = 0;
        while done < budget && run.trainer.step_epoch() == RunState::Training {
            done += 1;
            if now_ms() - start >= CHUNK_MS {
                break;
            }
        }
        if run.posted < run.trainer.records().len() || run.trainer.state() != RunState::Training {
            post_progress(run);
        }
        if run.trainer.state() == RunState::Training {
            let delay = if matches!(pace, Pace::Max) { 0.0 } else { PACED_TICK_MS };
            schedule(s, delay);
        }
    });
}

fn post_progress(run: &mut Run) {
    let records = run.trainer.records()[run.posted..].to_vec();
    run.posted = run.trainer.records().len();
    let boundary = run.trainer.boundary_grid(BOUNDARY_RES, BOUNDARY_EXTENT).into_iter().map(quantise).collect();
    post(&Event::Progress { run_id: run.id, records, boundary, state: run.trainer.state(), paused: run.paused });
}
