//! The training worker's loop (wasm32 only).
//!
//! Training runs in chunks; between chunks the loop returns to the browser's
//! event loop (a zero-delay timer), so a `Pause`, `Step` or new `Start` is
//! handled within one chunk (≈ [`CHUNK_MS`]). Progress is posted once per
//! chunk. A bundled data set is fetched the first time it is used.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Response};

use super::protocol::{CHUNK_MS, Command, Event, Pace, View};
use crate::engine::train::{RunState, Trainer};
use crate::experiment::ExperimentSpec;

/// Interval between ticks of a paced run (about one display frame).
const PACED_TICK_MS: f64 = 16.0;

struct Run {
    id: u32,
    spec: ExperimentSpec,
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
    /// The newest `Start`; a fetch that finishes for an older one is dropped.
    latest_start: u32,
    /// Steps asked for while the run's data was still loading.
    pending_steps: usize,
}

thread_local! {
    static STATE: RefCell<State> = const {
        RefCell::new(State {
            run: None,
            pace: Pace::Max,
            owed: 0.0,
            last_tick_ms: 0.0,
            tick_scheduled: false,
            latest_start: 0,
            pending_steps: 0,
        })
    };
    static TICK: Closure<dyn Fn()> = Closure::new(tick);
    /// Bundled data files already fetched, by file name.
    static FILES: RefCell<HashMap<&'static str, Rc<str>>> = RefCell::new(HashMap::new());
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
        let Some(text) = ev.data().as_string() else { return };
        match serde_json::from_str::<Command>(&text) {
            Ok(cmd) => handle(cmd),
            Err(e) => post(&Event::Error { run_id: 0, message: format!("unreadable command: {e}") }),
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&Event::Ready);
}

/// Fetches a bundled data file (relative to the page's folder).
async fn fetch_text(file: &str) -> Result<String, String> {
    let url = format!("./data/{file}");
    let response: Response = JsFuture::from(scope().fetch_with_str(&url))
        .await
        .map_err(|_| format!("could not download {file}: check your connection and try again"))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("could not download {file} (HTTP {})", response.status()));
    }
    let text = response.text().map_err(|_| format!("could not read {file}"))?;
    JsFuture::from(text).await.ok().and_then(|t| t.as_string()).ok_or_else(|| format!("could not read {file}"))
}

fn handle(cmd: Command) {
    match cmd {
        Command::Start { run_id, spec, pace } => {
            STATE.with_borrow_mut(|s| {
                s.latest_start = run_id;
                s.run = None;
                s.pace = pace;
                s.pending_steps = 0;
            });
            let Some(file) = spec.data.kind.bundled_file() else {
                begin(run_id, *spec, None);
                return;
            };
            if let Some(text) = FILES.with_borrow(|f| f.get(file).cloned()) {
                begin(run_id, *spec, Some(&text));
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_text(file).await {
                    Ok(text) => {
                        let text: Rc<str> = text.into();
                        FILES.with_borrow_mut(|f| f.insert(file, text.clone()));
                        if STATE.with_borrow(|s| s.latest_start) == run_id {
                            begin(run_id, *spec, Some(&text));
                        }
                    }
                    Err(message) => post(&Event::Error { run_id, message }),
                }
            });
        }
        cmd => STATE.with_borrow_mut(|s| control(s, cmd)),
    }
}

/// Builds the run once its data is at hand, and starts (or steps) it.
fn begin(run_id: u32, spec: ExperimentSpec, text: Option<&str>) {
    STATE.with_borrow_mut(|s| match spec.trainer_with(text) {
        Ok(trainer) => {
            let steps = std::mem::take(&mut s.pending_steps);
            let mut run = Run { id: run_id, spec, trainer, paused: steps > 0, posted: 0 };
            for _ in 0..steps {
                run.trainer.step_epoch();
            }
            if steps > 0 {
                post_progress(&mut run);
            }
            s.run = Some(run);
            s.owed = 0.0;
            s.last_tick_ms = now_ms();
            schedule(s, 0.0);
        }
        Err(e) => post(&Event::Error { run_id, message: e.to_string() }),
    });
}

fn control(s: &mut State, cmd: Command) {
    let current = |s: &mut State, id: u32| s.run.as_mut().filter(|r| r.id == id).is_some();
    match cmd {
        Command::Start { .. } => unreachable!("handled by `handle`"),
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
            if current(s, run_id) {
                if let Some(run) = s.run.as_mut() {
                    run.paused = false;
                }
                s.owed = 0.0;
                s.last_tick_ms = now_ms();
                schedule(s, 0.0);
            }
        }
        Command::SetLr { run_id, lr } => {
            if let Some(run) = s.run.as_mut().filter(|r| r.id == run_id) {
                run.trainer.set_lr(lr);
                if let Some(&change) = run.trainer.lr_changes().last() {
                    post(&Event::LrChanged { run_id, change });
                }
            }
        }
        Command::Step { run_id } => match s.run.as_mut().filter(|r| r.id == run_id) {
            Some(run) => {
                run.paused = true;
                run.trainer.step_epoch();
                post_progress(run);
            }
            // The run's data is still loading: step once it is ready.
            None if s.latest_start == run_id => s.pending_steps += 1,
            None => {}
        },
        Command::Stop => {
            s.run = None;
            s.latest_start = s.latest_start.wrapping_add(1 << 31);
        }
    }
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
    let view = View::of(&mut run.trainer, &run.spec);
    post(&Event::Progress { run_id: run.id, records, view, state: run.trainer.state(), paused: run.paused });
}
