//! The page: wires the state, the worker and the components together.

use std::rc::Rc;

use yew::prelude::*;

use super::bridge::WorkerBridge;
use super::components::{BoundaryView, Controls, LossChart, Readout};
use super::state::{Action, LabState};
use crate::experiment::{ExperimentSpec, from_query, to_query};
use crate::worker::protocol::{Command, Event};

/// The experiment the page's address asks for, and what it could not use.
fn initial_state() -> LabState {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let (spec, notices) = from_query(&search);
    LabState { spec, notices: notices.iter().map(|n| n.to_string()).collect(), ..LabState::default() }
}

/// Keeps the address bar equal to the experiment, so a copied link replays it.
fn write_url(spec: &ExperimentSpec) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let query = to_query(spec);
    let path = window.location().pathname().unwrap_or_else(|_| "/".into());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}?{query}")));
    }
}

fn new_seed() -> u64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u32::from_le_bytes(bytes).max(1) as u64,
        Err(_) => 1 + (js_sys::Math::random() * u32::MAX as f64) as u64,
    }
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let bridge = use_mut_ref(|| None::<WorkerBridge>);

    {
        let (bridge, dispatcher) = (bridge.clone(), state.dispatcher());
        use_effect_with((), move |_| {
            let on_event = Callback::from(move |ev: Event| dispatcher.dispatch(Action::Worker(ev)));
            match WorkerBridge::spawn(on_event.clone()) {
                Ok(b) => *bridge.borrow_mut() = Some(b),
                Err(message) => on_event.emit(Event::Error { run_id: 0, message }),
            }
            move || drop(bridge.borrow_mut().take())
        });
    }
    use_effect_with(state.spec.clone(), write_url);

    let send = {
        let bridge = bridge.clone();
        Rc::new(move |cmd: Command| {
            if let Some(b) = bridge.borrow().as_ref() {
                b.send(&cmd);
            }
        })
    };

    let ontrain = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            let (run_id, fresh) = state.run_for_start();
            if fresh {
                send(Command::Start { run_id, spec: Box::new(state.spec.clone()), pace: state.pace() });
            } else {
                send(Command::Resume { run_id });
            }
            state.dispatch(Action::Started { run_id });
        })
    };
    let onpause = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            send(Command::Pause { run_id: state.run_id });
            state.dispatch(Action::Paused);
        })
    };
    let onstep = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            let (run_id, fresh) = state.run_for_start();
            if fresh {
                send(Command::Start { run_id, spec: Box::new(state.spec.clone()), pace: state.pace() });
            }
            send(Command::Step { run_id });
            state.dispatch(Action::Stepped { run_id });
        })
    };
    let onreset = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            send(Command::Stop);
            state.dispatch(Action::Reset);
        })
    };
    let onspec = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |spec: ExperimentSpec| {
            send(Command::Stop);
            state.dispatch(Action::SetSpec(spec));
        })
    };
    let onpace = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |idx: usize| {
            state.dispatch(Action::SetPace(idx));
            if let Some((_, pace)) = super::state::PACES.get(idx) {
                send(Command::SetPace { pace: *pace });
            }
        })
    };
    let onnewseed = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            send(Command::Stop);
            state.dispatch(Action::SetSpec(ExperimentSpec { seed: new_seed(), ..state.spec.clone() }));
        })
    };

    // The data is cheap to generate (no training): derive it here for drawing.
    let split = use_memo(
        (state.spec.seed, state.spec.data.clone(), state.spec.val_ratio, state.spec.test_ratio),
        |(seed, data, val_ratio, test_ratio)| {
            let spec = ExperimentSpec {
                seed: *seed,
                data: data.clone(),
                val_ratio: *val_ratio,
                test_ratio: *test_ratio,
                ..ExperimentSpec::default()
            };
            spec.split()
        },
    );

    html! {
        <>
            <header class="top">
                <h1>{ "HyperLab" }</h1>
                <p class="tagline">{ "See what the learning rate does to a neural network — trained live in your browser." }</p>
            </header>
            if !state.notices.is_empty() {
                <div class="notice" role="alert" id="notices">
                    <strong>{ "Some settings in this link could not be used; defaults were kept:" }</strong>
                    <ul>{ for state.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                </div>
            }
            <main class="lab">
                <Controls spec={state.spec.clone()} status={state.status.clone()} pace_idx={state.pace_idx}
                    {ontrain} {onpause} {onstep} {onreset} {onspec} {onpace} {onnewseed} />
                <section class="panel" aria-label="Data and decision boundary">
                    <h2>{ "Data and decision boundary" }</h2>
                    <BoundaryView split={split.clone()} boundary={state.boundary.clone()} />
                    <p class="legend">
                        <span class="dot orange"></span>{ "class 0 " }
                        <span class="dot blue"></span>{ "class 1 · filled: training, hollow: validation · \
                            background: the network's prediction" }
                    </p>
                </section>
                <section class="panel" aria-label="Loss">
                    <h2>{ "Loss" }</h2>
                    <LossChart history={state.history.clone()} n_epochs={state.spec.n_epochs} />
                    <Readout status={state.status.clone()} history={state.history.clone()}
                        n_epochs={state.spec.n_epochs} worker_paused={state.worker_paused} />
                </section>
            </main>
        </>
    }
}
