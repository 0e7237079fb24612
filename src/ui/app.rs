//! The page: wires the state, the worker and the components together.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::bridge::WorkerBridge;
use super::components::search::SearchPanel;
use super::components::views::use_data_split;
use super::components::{
    ComparePanel, Controls, DataView, LiveLr, LossChart, LrChart, LrFinderPanel, RacePanel, Readout, RegimesPanel,
};
use super::search_pool::{Coordinator, Pool, SharedPool};
use super::state::{Action, ComparedRun, LabState, SearchPhase, Status, relabel};
use crate::experiment::search::{search_from_query, search_to_query};
use crate::experiment::{ExperimentSpec, lab_from_query, lab_to_query};
use crate::worker::protocol::{About, Command, EvaluateCommand, Event, Pace, RunId, SearchCommand, TrainCommand};

/// Where the browser keeps the lab between visits.
const STORAGE_KEY: &str = "hyperlab.lab.v1";
/// Where it keeps the last finished search's results (`storage::to_text`;
/// version 1 was JSON, which lost every non-finite score).
const SEARCH_STORAGE_KEY: &str = "hyperlab.search.v2";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The lab the page's address asks for — or, with no experiment in the
/// address, what this browser saved — and what could not be used.
fn initial_state() -> LabState {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let from_link = !search.trim_start_matches('?').is_empty();
    let source = if from_link {
        search
    } else {
        storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).unwrap_or_default()
    };
    let (spec, runs, notices) = lab_from_query(&source);
    // The saved lab is read like a link, and what it could not use is said the same way.
    let mut notices: Vec<String> = notices
        .iter()
        .map(|n| if from_link { n.to_string() } else { format!("in the lab this browser saved: {n}") })
        .collect();
    let mut compared = runs
        .into_iter()
        .enumerate()
        .map(|(i, spec)| ComparedRun {
            key: i as u32,
            label: String::new(),
            visible: true,
            spec,
            history: Default::default(),
            view: None,
            ended: false,
        })
        .collect::<Vec<_>>();
    relabel(&mut compared);
    // A search in the link opens the search lab with its settings, and with
    // its results if this browser kept them from an earlier visit.
    let (search, search_notices) = search_from_query(&source);
    notices.extend(search_notices.iter().map(|n| n.to_string()));
    let search_query = search.map(|s| search_to_query(&s));
    let kept = search_query.as_ref().and_then(|q| {
        let source = format!("{}&{q}", crate::experiment::to_query(&spec));
        let text = storage()?.get_item(SEARCH_STORAGE_KEY).ok()??;
        let saved = crate::storage::from_text::<crate::ui::state::SavedSearch>(&text)
            .map_err(|e| {
                // Damaged or foreign: said, and dropped so it is not read again.
                notices.push(format!("The search this browser kept could not be read ({e}); it was discarded."));
                if let Some(s) = storage() {
                    let _ = s.remove_item(SEARCH_STORAGE_KEY);
                }
            })
            .ok()?;
        if saved.source != source {
            return None;
        }
        let shown = crate::ui::state::SearchState::from_saved(saved, 0);
        if shown.is_none() {
            notices.push("The search this browser kept no longer matches its link; it was not shown.".into());
        }
        shown
    });
    LabState {
        spec,
        notices,
        search_query,
        search: kept.map(Rc::new),
        replay_pending: !compared.is_empty(),
        compared,
        ..LabState::default()
    }
}

/// Keeps the address bar (and the browser's saved copy) equal to the lab, so
/// a copied link, or a reload, replays it. Returns a storage problem, if any.
fn write_url(query: &str) -> Option<String> {
    let window = web_sys::window()?;
    let path = window.location().pathname().unwrap_or_else(|_| "/".into());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}?{query}")));
    }
    match storage().map(|s| s.set_item(STORAGE_KEY, query)) {
        Some(Ok(())) => None,
        Some(Err(_)) => Some(
            "This browser could not save the lab (its storage is full or blocked); the link still holds everything."
                .into(),
        ),
        None => Some("This browser keeps no saved data for this page; the link still holds everything.".into()),
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
    let pool: SharedPool = use_mut_ref(Pool::default);
    // One queue for every search event, from the coordinator and the pool
    // alike, so they reach the reducer in the order they arrived.
    let batcher = {
        let dispatcher = state.dispatcher();
        (*use_memo((), move |_| Rc::new(Batcher { queue: Default::default(), dispatcher }))).clone()
    };
    let search_events = batcher.callback();

    {
        let (bridge, dispatcher, pool, search_events) =
            (bridge.clone(), state.dispatcher(), pool.clone(), search_events.clone());
        let batcher = batcher.clone();
        use_effect_with((), move |_| {
            // The handler, kept so a fresh worker can be given it.
            let handler: Rc<std::cell::RefCell<Option<Callback<Event>>>> = Rc::default();
            let on_event = {
                let (bridge, handler) = (bridge.clone(), handler.clone());
                Callback::from(move |ev: Event| {
                    Pool::from_coordinator(&pool, &ev);
                    match ev {
                        Event::SearchAsked { .. }
                        | Event::TrialDone { .. }
                        | Event::Surrogate { .. }
                        | Event::CompareProgress { .. } => search_events.emit(ev),
                        Event::Crashed { message } => {
                            // Its state is lost (a panic leaves it borrowed): the search it
                            // coordinated stops, and a fresh worker takes over.
                            stop_pool(&pool, &batcher);
                            dispatcher.dispatch(Action::WorkerCrashed(message));
                            let (bridge, handler) = (bridge.clone(), handler.clone());
                            // Replaced after this handler returns: the old worker's closures are running it.
                            wasm_bindgen_futures::spawn_local(async move {
                                let Some(on_event) = handler.borrow().clone() else { return };
                                match WorkerBridge::spawn(on_event.clone()) {
                                    Ok(b) => *bridge.borrow_mut() = Some(b),
                                    Err(message) => on_event.emit(Event::Error { about: About::Worker, message }),
                                }
                            });
                        }
                        ev => dispatcher.dispatch(Action::Worker(ev)),
                    }
                })
            };
            *handler.borrow_mut() = Some(on_event.clone());
            match WorkerBridge::spawn(on_event.clone()) {
                Ok(b) => *bridge.borrow_mut() = Some(b),
                Err(message) => on_event.emit(Event::Error { about: About::Worker, message }),
            }
            move || {
                handler.borrow_mut().take();
                drop(bridge.borrow_mut().take())
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        let compared: Vec<ExperimentSpec> = state.compared.iter().map(|r| r.spec.clone()).collect();
        let search = state.search_query.as_ref().map_or(String::new(), |q| format!("&{q}"));
        use_effect_with(lab_to_query(&state.spec, &compared) + &search, move |query| {
            dispatcher.dispatch(Action::StorageError(write_url(query)));
        });
    }

    let send = {
        let bridge = bridge.clone();
        Rc::new(move |cmd: Command| {
            if let Some(b) = bridge.borrow().as_ref() {
                b.send(&cmd);
            }
        })
    };

    // Once the worker is ready, retrain the runs the link (or the saved lab) holds.
    {
        let (state, send) = (state.clone(), send.clone());
        use_effect_with((state.status == Status::Loading, state.replay_pending), move |&(loading, pending)| {
            if !loading && pending {
                let runs = state.compared.iter().map(|r| (RunId::Kept(r.key), r.spec.clone())).collect();
                send(Command::Train(TrainCommand::StartGroup { runs, pace: Pace::Max }));
                state.dispatch(Action::ReplayStarted);
            }
        });
    }

    let ontrain = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            let (run_id, fresh) = state.run_for_start();
            if fresh {
                send(Command::Train(TrainCommand::Start {
                    run_id: RunId::Main(run_id),
                    spec: Box::new(state.spec.clone()),
                    pace: state.pace(),
                }));
            } else {
                send(Command::Train(TrainCommand::Resume { run_id: RunId::Main(run_id) }));
            }
            state.dispatch(Action::Started { run_id });
        })
    };
    let onpause = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            send(Command::Train(TrainCommand::Pause { run_id: RunId::Main(state.run_id) }));
            state.dispatch(Action::Paused);
        })
    };
    let onstep = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            let (run_id, fresh) = state.run_for_start();
            if fresh {
                send(Command::Train(TrainCommand::Start {
                    run_id: RunId::Main(run_id),
                    spec: Box::new(state.spec.clone()),
                    pace: state.pace(),
                }));
            }
            send(Command::Train(TrainCommand::Step { run_id: RunId::Main(run_id) }));
            state.dispatch(Action::Stepped { run_id });
        })
    };
    let onreset = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            send(Command::Train(TrainCommand::Stop));
            state.dispatch(Action::Reset);
        })
    };
    let onspec = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |spec: ExperimentSpec| {
            send(Command::Train(TrainCommand::Stop));
            // A change made with the controls is a new experiment: hand-set
            // rates belonged to the old run.
            state.dispatch(Action::SetSpec(Box::new(ExperimentSpec { lr_changes: Vec::new(), ..spec })));
        })
    };
    // Presentation mode: larger type and lines, hints hidden, for a projector.
    let presenting = use_state(|| false);
    {
        use_effect_with(*presenting, |&on| set_presentation(on));
    }
    let onpresent = {
        let presenting = presenting.clone();
        Callback::from(move |_: ()| presenting.set(!*presenting))
    };
    // Keyboard: Space trains or pauses, S steps, R resets, P presents (not while typing).
    {
        let (ontrain, onpause, onstep, onreset) = (ontrain.clone(), onpause.clone(), onstep.clone(), onreset.clone());
        let onpresent = onpresent.clone();
        let status = state.status.clone();
        use_effect_with(status, move |status| {
            let status = status.clone();
            let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(
                move |e: web_sys::KeyboardEvent| {
                    let tag = e
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                        .map(|el| el.tag_name());
                    let typing = tag.as_deref().is_some_and(|t| matches!(t, "INPUT" | "SELECT" | "TEXTAREA"));
                    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() || status == Status::Loading {
                        return;
                    }
                    // On a focused button Space is the button's own click.
                    let on_button = tag.as_deref() == Some("BUTTON");
                    match e.key().as_str() {
                        " " if !on_button => {
                            e.prevent_default();
                            if status == Status::Running { onpause.emit(()) } else { ontrain.emit(()) }
                        }
                        "s" | "S" if status != Status::Running => onstep.emit(()),
                        "r" | "R" => onreset.emit(()),
                        "p" | "P" => onpresent.emit(()),
                        _ => {}
                    }
                },
            );
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(d) = &document {
                let _ = d.add_event_listener_with_callback(
                    "keydown",
                    wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                );
            }
            move || {
                if let Some(d) = &document {
                    let _ = d.remove_event_listener_with_callback(
                        "keydown",
                        wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                    );
                }
            }
        });
    }

    let onregimes = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            // Numbered like the lab's run: a late message of an older group is told apart.
            let group = state.run_id;
            let specs = crate::experiment::regimes::regime_specs(&state.spec);
            let runs =
                specs.into_iter().enumerate().map(|(i, s)| (RunId::Regime { group, index: i as u32 }, s)).collect();
            send(Command::Train(TrainCommand::StartGroup { runs, pace: Pace::Max }));
            state.dispatch(Action::StartRegimes { group });
        })
    };
    let onlrfind = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            send(Command::Train(TrainCommand::LrFind {
                run_id: RunId::Main(state.run_id),
                spec: Box::new(state.spec.clone()),
            }));
            state.dispatch(Action::LrFindStarted);
        })
    };
    let onuselr = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |lr: f64| {
            send(Command::Train(TrainCommand::Stop));
            state.dispatch(Action::SetSpec(Box::new(ExperimentSpec {
                lr,
                lr_changes: Vec::new(),
                ..state.spec.clone()
            })));
            state.dispatch(Action::CloseLrFinder);
        })
    };
    let oncloselrfinder = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::CloseLrFinder))
    };
    // The race follows the link: its surface, start (x0, y0) and steps.
    let race_of = {
        let send = send.clone();
        move |state: &UseReducerHandle<LabState>, race: crate::experiment::RaceSpec| {
            let (surface, start, steps) = (race.surface, race.start_point(), race.steps);
            send(Command::Train(TrainCommand::Race { run_id: RunId::Main(state.run_id), surface, start, steps }));
            state.dispatch(Action::SetRace(race));
            state.dispatch(Action::RaceStarted(surface));
        }
    };
    let onsurface = {
        let (state, race_of) = (state.clone(), race_of.clone());
        Callback::from(move |surface: crate::engine::surface::Surface| {
            // Another surface: its own start; the steps stay.
            let race = crate::experiment::RaceSpec { surface, start: None, ..state.spec.race.clone() };
            race_of(&state, race);
        })
    };
    let onrace = {
        let state = state.clone();
        Callback::from(move |_| race_of(&state, state.spec.race.clone()))
    };
    let oncloserace = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::CloseRace))
    };
    // Loading a kept run restores its experiment exactly (hand-set rates included).
    let onloadrun = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |spec: ExperimentSpec| {
            send(Command::Train(TrainCommand::Stop));
            state.dispatch(Action::SetSpec(Box::new(spec)));
        })
    };
    // The search lab. Its workers load as soon as it opens.
    {
        let (pool, send, search_events) = (pool.clone(), send.clone(), search_events.clone());
        use_effect_with(state.search_query.is_some(), move |&open| {
            if open {
                let coordinator: Coordinator = send;
                if let Err(message) = Pool::warm(&pool, coordinator, search_events.clone()) {
                    search_events.emit(Event::Error { about: About::Search(0), message });
                }
            }
        });
    }
    // A finished search's best trial is checked once on the test split.
    {
        let send = send.clone();
        let best = state.search.as_ref().filter(|s| s.phase == SearchPhase::Done && s.test.is_none()).and_then(|s| {
            let t = s.best()?;
            Some((s.id, t.id, t.spec.clone()?, s.metric?))
        });
        use_effect_with(best, move |best| {
            if let Some((search_id, trial_id, spec, metric)) = best.clone() {
                send(Command::Evaluate(EvaluateCommand::Test { search_id, trial_id, spec: Box::new(spec), metric }));
            }
        });
    }
    // A finished or cancelled search is kept by this browser, so a reload of
    // its link shows it again (the last one only).
    {
        let dispatcher = state.dispatcher();
        let search = state.search.clone().filter(|s| !s.restored);
        let moment = search.as_ref().map(|s| (s.id, s.phase.clone(), s.test.is_some()));
        use_effect_with(moment, move |_| {
            let Some(saved) = search.and_then(|s| s.to_saved()) else { return };
            let kept = crate::storage::to_text(&saved)
                .ok()
                .and_then(|text| storage().map(|s| s.set_item(SEARCH_STORAGE_KEY, &text).is_ok()));
            if kept != Some(true) {
                dispatcher.dispatch(Action::StorageError(Some(
                    "This browser could not keep the search's results (its storage is full or blocked); \
                     its link still replays them."
                        .into(),
                )));
            }
        });
    }
    let search_callbacks = {
        let (state, send, pool, search_events) = (state.clone(), send.clone(), pool.clone(), search_events.clone());
        let onquery = {
            let state = state.clone();
            Callback::from(move |q: String| state.dispatch(Action::SetSearchQuery(Some(q))))
        };
        let onrun = {
            let (state, send, pool, search_events) = (state.clone(), send.clone(), pool.clone(), search_events.clone());
            Callback::from(move |_: ()| {
                let on_event = search_events.clone();
                let Some(q) = state.search_query.clone() else { return };
                let id = state.search.as_ref().map_or(1, |s| s.id + 1);
                let search = search_from_query(&q).0.unwrap_or_default();
                let query = format!("{}&{q}", crate::experiment::to_query(&state.spec));
                let folds = search.folds;
                let population = match &search.method {
                    crate::engine::search::Method::Genetic(g) => Some(g.population),
                    _ => None,
                };
                let source = query.clone();
                state.dispatch(Action::SearchStarting { id, space: search.space, population, source });
                start_job(
                    &pool,
                    send.clone(),
                    &on_event,
                    Command::Coordinate(SearchCommand::Start { search_id: id, query }),
                    folds,
                );
            })
        };
        // Cancel: the workers stop at once; what had finished (some of it still
        // queued for the page) is kept, then the running trials are marked.
        let oncancel = {
            let (state, pool, batcher) = (state.clone(), pool.clone(), batcher.clone());
            Callback::from(move |_: ()| {
                stop_pool(&pool, &batcher);
                state.dispatch(Action::SearchCancelled);
            })
        };
        let onclose = {
            let (state, pool, batcher) = (state.clone(), pool.clone(), batcher.clone());
            Callback::from(move |_: ()| {
                stop_pool(&pool, &batcher);
                state.dispatch(Action::SearchCancelled);
                state.dispatch(Action::CompareCancelled);
                state.dispatch(Action::SetSearchQuery(None));
            })
        };
        let onopen_search = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| {
                let q = search_to_query(&crate::experiment::search::SearchSpec::default());
                state.dispatch(Action::SetSearchQuery(Some(q)));
            })
        };
        // Compare methods: every method's studies in the main worker, their trials in the pool.
        let oncompare = {
            let (state, send, pool, on_event) = (state.clone(), send.clone(), pool.clone(), search_events.clone());
            Callback::from(move |q: String| {
                let id = state.comparison.as_ref().map_or(1, |c| c.id + 1);
                state.dispatch(Action::SetSearchQuery(Some(q.clone())));
                state.dispatch(Action::CompareStarting { id });
                let folds = search_from_query(&q).0.unwrap_or_default().folds;
                let query = format!("{}&{q}", crate::experiment::to_query(&state.spec));
                start_job(
                    &pool,
                    send.clone(),
                    &on_event,
                    Command::Coordinate(SearchCommand::Compare { search_id: id, query }),
                    folds,
                );
            })
        };
        let oncancelcompare = {
            let (state, pool, batcher) = (state.clone(), pool.clone(), batcher.clone());
            Callback::from(move |_: ()| {
                stop_pool(&pool, &batcher);
                state.dispatch(Action::CompareCancelled);
            })
        };
        let onfocus = {
            let (state, send) = (state.clone(), send.clone());
            Callback::from(move |params: (usize, usize)| {
                if let Some(s) = &state.search {
                    send(Command::Coordinate(SearchCommand::Focus { search_id: s.id, params }));
                }
            })
        };
        let onpreset = {
            let (state, send) = (state.clone(), send.clone());
            Callback::from(move |(spec, q): (ExperimentSpec, String)| {
                send(Command::Train(TrainCommand::Stop));
                state.dispatch(Action::SetSpec(Box::new(spec)));
                state.dispatch(Action::SetSearchQuery(Some(q)));
            })
        };
        (onquery, onrun, oncancel, onclose, onopen_search, oncompare, onpreset, oncancelcompare, onfocus)
    };
    let onaddcompare = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::AddToComparison))
    };
    let compare_callbacks = {
        let s = state.clone();
        (
            Callback::from({
                let s = s.clone();
                move |m| s.dispatch(Action::SetCompareMetric(m))
            }),
            Callback::from({
                let s = s.clone();
                move |_| s.dispatch(Action::ToggleCompareLogY)
            }),
            Callback::from({
                let s = s.clone();
                move |k| s.dispatch(Action::ToggleCompared(k))
            }),
            Callback::from({
                let s = s.clone();
                move |k| s.dispatch(Action::RemoveCompared(k))
            }),
        )
    };
    // "What if": a kept run with one change, trained at full speed and kept.
    let onvariant = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |spec: ExperimentSpec| {
            let key = state.next_compared_key();
            send(Command::Train(TrainCommand::StartGroup {
                runs: vec![(RunId::Kept(key), spec.clone())],
                pace: Pace::Max,
            }));
            state.dispatch(Action::AddVariant { key, spec: Box::new(spec) });
        })
    };
    let oncloseregimes = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            send(Command::Train(TrainCommand::Stop));
            state.dispatch(Action::CloseRegimes);
        })
    };
    let onsetlr = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |lr: f64| {
            send(Command::Train(TrainCommand::SetLr { run_id: RunId::Main(state.run_id), lr }))
        })
    };
    let onpace = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |idx: usize| {
            state.dispatch(Action::SetPace(idx));
            if let Some((_, pace)) = super::state::PACES.get(idx) {
                send(Command::Train(TrainCommand::SetPace { pace: *pace }));
            }
        })
    };
    let onnewseed = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |_| {
            send(Command::Train(TrainCommand::Stop));
            state.dispatch(Action::SetSpec(Box::new(ExperimentSpec { seed: new_seed(), ..state.spec.clone() })));
        })
    };

    // The data is cheap to generate (no training): derive it here for drawing.
    // The schedule's own plan (hand-set rates show as departures from it).
    let planned = use_memo(state.spec.clone(), |spec| {
        crate::engine::schedule::preview(&spec.schedule, spec.warmup.as_ref(), spec.lr, spec.n_epochs)
    });

    let split = use_data_split(&state.spec);

    html! {
        <>
            <header class="top">
                <h1>{ "HyperLab" }</h1>
                <p class="tagline">{ "See what the learning rate does to a neural network — trained live in your browser." }</p>
                <button id="present" aria-pressed={presenting.to_string()} onclick={onpresent.reform(|_: MouseEvent| ())}
                    title="Presentation mode for a projector: larger type and lines, explanations hidden (key P)">
                    { if *presenting { "Leave presentation" } else { "Present" } }
                </button>
                <button id="open-search" onclick={search_callbacks.4.clone()} disabled={state.search_query.is_some()}
                    title="Tune hyperparameters automatically: grid, random, genetic, Bayesian, TPE, successive halving or Hyperband search">
                    { "Search hyperparameters" }
                </button>
                <CopyLink />
                if !state.compared.is_empty() {
                    <button id="clear-saved" title="Forget the kept runs, here and in this browser"
                        onclick={let s = state.clone(); Callback::from(move |_: MouseEvent| s.dispatch(Action::ClearCompared))}>
                        { "Clear kept runs" }
                    </button>
                }
            </header>
            if let Some(problem) = state.storage_error.clone() {
                <p class="notice" id="storage-notice" role="status">{ problem }</p>
            }
            if let Some(message) = state.worker_error.clone() {
                <div class="notice" role="alert" id="worker-crash">
                    <strong>{ "The training worker stopped: " }</strong>{ message }
                    <p>{ "A fresh worker has started; your settings, the link and the kept runs are as they were. \
                        Press Train to run again." }</p>
                    <button id="dismiss-crash" onclick={let s = state.clone(); Callback::from(move |_: MouseEvent| s.dispatch(Action::DismissWorkerError))}>
                        { "Dismiss" }</button>
                </div>
            }
            if !state.notices.is_empty() {
                <div class="notice" role="alert" id="notices">
                    <strong>{ "Some settings could not be used as given (each says why, and what is used instead); everything else is kept:" }</strong>
                    <ul>{ for state.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                </div>
            }
            <main class="lab">
                <Controls spec={state.spec.clone()} status={state.status.clone()} pace_idx={state.pace_idx}
                    {ontrain} {onpause} {onstep} {onreset} {onspec} {onpace} {onnewseed} {onregimes} {onlrfind} {onrace} />
                <section class="panel" aria-label="Data and decision boundary">
                    <h2>{ "Data and decision boundary" }</h2>
                    <DataView split={split.clone()} view={state.view.clone()} spec={state.spec.clone()} />
                    { legend(&state.spec) }
                </section>
                <section class="panel" aria-label="Loss">
                    <h2>{ "Loss" }</h2>
                    <LossChart history={state.history.clone()} n_epochs={state.spec.n_epochs} loss_label={loss_label(&state.spec)} />
                    <LiveLr lr={current_lr(&state, &planned)} enabled={state.status.has_run()} onset={onsetlr} />
                    <LrChart history={state.history.clone()} planned={planned.clone()} />
                    <button id="add-compare" class="add-compare" disabled={state.history.is_empty()}
                        title="Keep this run to compare it with others" onclick={onaddcompare}>{ "Add to comparison" }</button>
                    <Readout status={state.status.clone()} history={state.history.clone()} metric={main_metric(&state.spec)}
                        n_epochs={state.spec.n_epochs} worker_paused={state.worker_paused} partial={state.partial} />
                </section>
            </main>
            if !state.compared.is_empty() {
                <div class="below">
                    <ComparePanel runs={state.compared.clone()} metric={state.compare_metric} log_y={state.compare_log_y}
                        onmetric={compare_callbacks.0} onlogy={compare_callbacks.1} ontoggle={compare_callbacks.2}
                        onremove={compare_callbacks.3} onload={onloadrun.clone()} {onvariant}
                        busy={worker_busy(&state)} />
                </div>
            }
            if let Some(query) = state.search_query.clone() {
                <div class="below">
                    <SearchPanel {query} experiment={crate::experiment::to_query(&state.spec)}
                        search={state.search.clone()} onquery={search_callbacks.0.clone()}
                        onrun={search_callbacks.1.clone()} oncancel={search_callbacks.2.clone()}
                        onclose={search_callbacks.3.clone()} onopen={onloadrun.clone()}
                        metrics={state.spec.metrics().to_vec()} oncompare={search_callbacks.5.clone()}
                        comparison={state.comparison.clone()} onpreset={search_callbacks.6.clone()}
                        oncancelcompare={search_callbacks.7.clone()} onfocus={search_callbacks.8.clone()} />
                </div>
            }
            if let Some((surface, race)) = state.race.clone() {
                <div class="below">
                    <RacePanel {surface} {race} {onsurface} onclose={oncloserace} />
                </div>
            }
            if let Some(result) = state.lr_finder.clone() {
                <div class="below">
                    <LrFinderPanel {result} onuse={onuselr} onclose={oncloselrfinder} />
                </div>
            }
            if let Some(regimes) = state.regimes.clone() {
                <div class="below">
                    <RegimesPanel {regimes} split={split.clone()} loss_label={loss_label(&state.spec)} onclose={oncloseregimes} />
                </div>
            }
        </>
    }
}

/// The key under the data view.
fn legend(spec: &ExperimentSpec) -> Html {
    use crate::engine::data::Task;
    use crate::ui::charts::boundary::class_colour;
    let kind = spec.data.kind;
    if kind.bundled_file().is_some() {
        return html! {};
    }
    let swatches = match spec.data.task() {
        Task::Classification { n_classes } => (0..n_classes)
            .map(|c| {
                let (r, g, b) = class_colour(c, n_classes);
                html! { <><span class="dot" style={format!("background: rgb({r},{g},{b})")}></span>{ format!("class {c} ") }</> }
            })
            .collect::<Html>(),
        Task::Regression if kind.n_inputs() == 1 => html! { <>{ "x across, target y up · orange: the network's prediction " }</> },
        Task::Regression => html! { <>{ "colour: target value (purple low, yellow high) · background: the network's prediction, same scale " }</> },
    };
    let background = if spec.data.task().is_classification() { "· background: the predicted class " } else { "" };
    html! {
        <p class="legend">{ swatches }{ background }{ "· filled: training, hollow: validation" }</p>
    }
}

/// The y-axis title of the loss chart.
fn loss_label(spec: &ExperimentSpec) -> AttrValue {
    use crate::engine::model::{Head, RegressionLoss};
    AttrValue::from(match spec.head() {
        Head::SigmoidBce => "loss (binary cross-entropy)",
        Head::SoftmaxCe => "loss (cross-entropy)",
        Head::Linear(RegressionLoss::Mse) => "loss (mean squared error)",
        Head::Linear(RegressionLoss::Mae) => "loss (mean absolute error)",
        Head::Linear(RegressionLoss::Huber { .. }) => "loss (Huber)",
    })
}

/// Whether the worker is training something a variant would interrupt: the
/// main run, the four regimes, or kept runs being (re)trained.
fn worker_busy(state: &LabState) -> bool {
    state.status.has_run()
        || state.regimes.as_ref().is_some_and(|r| r.runs.iter().any(|run| !run.state.is_over()))
        || state.compared.iter().any(|r| !r.ended)
}

/// The metric shown beside the loss: accuracy for classification, R² for regression.
fn main_metric(spec: &ExperimentSpec) -> crate::engine::train::Metric {
    use crate::engine::train::Metric;
    if spec.data.task().is_classification() { Metric::Accuracy } else { Metric::R2 }
}

/// The learning rate in use now: a hand-set rate not yet used by an epoch,
/// else the last epoch's, else the plan's first.
fn current_lr(state: &LabState, planned: &[f64]) -> f64 {
    let done = state.history.last().map_or(0, |r| r.epoch);
    match (state.spec.lr_changes.last(), state.history.last()) {
        (Some(c), _) if c.epoch > done => c.lr,
        (_, Some(r)) => r.lr,
        _ => planned.first().copied().unwrap_or(state.spec.lr),
    }
}

/// Starts a job for the pool (`SearchStart` or `SearchCompare`); a pool that
/// cannot start says so as the job's error.
fn start_job(pool: &SharedPool, coordinator: Coordinator, on_event: &Callback<Event>, start: Command, folds: usize) {
    let job = match &start {
        Command::Coordinate(SearchCommand::Start { search_id, .. }) => About::Search(*search_id),
        Command::Coordinate(SearchCommand::Compare { search_id, .. }) => About::Comparison(*search_id),
        _ => return,
    };
    if let Err(message) = Pool::start(pool, coordinator, on_event.clone(), job, start, folds) {
        on_event.emit(Event::Error { about: job, message });
    }
}

/// Stops the pool's job at once, handing the page what had finished (some
/// of it still queued) before whatever the caller dispatches next.
fn stop_pool(pool: &SharedPool, batcher: &Batcher) {
    Pool::cancel(pool);
    batcher.flush();
}

/// Collects events and hands them to the reducer together, at most every
/// [`BATCH_MS`]: a search's trials finish many times a second, and each
/// update re-renders the page.
struct Batcher {
    queue: std::cell::RefCell<Vec<Event>>,
    dispatcher: UseReducerDispatcher<LabState>,
}

impl Batcher {
    fn callback(self: &Rc<Self>) -> Callback<Event> {
        let this = self.clone();
        Callback::from(move |ev: Event| {
            let first = this.queue.borrow().is_empty();
            this.queue.borrow_mut().push(ev);
            if !first {
                return;
            }
            let later = this.clone();
            let flush = wasm_bindgen::closure::Closure::once_into_js(move || later.flush());
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(flush.unchecked_ref(), BATCH_MS);
            }
        })
    }

    /// Hands over what is queued now (before an action that must come after it).
    fn flush(&self) {
        let events = std::mem::take(&mut *self.queue.borrow_mut());
        if !events.is_empty() {
            self.dispatcher.dispatch(Action::Worker(Event::Batch { events }));
        }
    }
}

/// How long search events wait to be shown together.
const BATCH_MS: i32 = 150;

/// Turns presentation mode on or off: an attribute on the page's root for the
/// layout, a larger scale for the charts' type and lines, and a redraw of
/// every canvas at its new size.
fn set_presentation(on: bool) {
    let Some(window) = web_sys::window() else { return };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-present", if on { "true" } else { "false" });
    }
    crate::ui::charts::line::set_scale(if on { 1.5 } else { 1.0 });
    // Canvases redraw on resize: the layout has changed under them.
    if let Ok(resize) = web_sys::Event::new("resize") {
        let _ = window.dispatch_event(&resize);
    }
}

/// Copies the address (which holds the experiment) to the clipboard; where
/// the clipboard is not available, shows the link to copy by hand.
#[function_component]
fn CopyLink() -> Html {
    let message = use_state(|| None::<String>);
    let onclick = {
        let message = message.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else { return };
            let href = window.location().href().unwrap_or_default();
            let message = message.clone();
            let promise = window.navigator().clipboard().write_text(&href);
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => message.set(Some("Link copied: it replays this experiment".into())),
                    Err(_) => message.set(Some(format!("Copy this link: {href}"))),
                }
            });
        })
    };
    html! {
        <div class="copy-link">
            <button id="copy-link" title="Copy a link that replays this experiment exactly" {onclick}>{ "Copy link" }</button>
            if let Some(m) = (*message).clone() {
                <span id="copy-status" role="status">{ m }</span>
            }
        </div>
    }
}
