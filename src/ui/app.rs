//! The page: wires the state, the worker and the components together.

use std::rc::Rc;

use yew::prelude::*;

use super::address::{full_link, write_url};
use super::bridge::{Role, WorkerBridge};
use super::components::draw::DrawableDataView;
use super::components::export::DownloadRun;
use super::components::figure::FigureButtons;
use super::components::own_data::WantedFile;
use super::components::search::SearchPanel;
use super::components::share::CopyLink;
use super::components::views::use_data_split;
use super::components::{
    Controls, Diagnostics, KeptRunsPanel, Later, LessonPanel, LiveLr, LossChart, LrChart, LrFinderPanel, NetworkView,
    QrCodePanel, RacePanel, Readout, RegimesPanel, RunButtons,
};
use super::controller::{Batcher, Callbacks, Controller};
use super::initial::{PROGRESS_STORAGE_KEY, SEARCH_STORAGE_KEY, initial_state, storage};
use super::search_pool::{Pool, SharedPool};
use super::state::{Action, LabState, SearchPhase, Status};
use crate::experiment::{EMBED_KEY, ExperimentSpec, ONLY_KEY, Tool, lab_to_query};
use crate::figure::RunChart;
use crate::worker::protocol::{About, Command, EvaluateCommand, Event, Pace, RunId, TrainCommand};

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let bridge = use_mut_ref(|| None::<WorkerBridge>);
    let pool: SharedPool = use_mut_ref(Pool::default);
    // One queue for every search event, from the coordinator and the pool
    // alike, so they reach the reducer in the order they arrived.
    let batcher = {
        let dispatcher = state.dispatcher();
        (*use_memo((), move |_| Batcher::new(dispatcher))).clone()
    };
    // The controller and the callbacks made from it, once: their identity never changes.
    let controller = {
        let (bridge, pool, batcher) = (bridge.clone(), pool.clone(), batcher.clone());
        (*use_memo((), move |_| Controller::new(bridge, pool, batcher))).clone()
    };
    controller.sync(&state);
    let cb = {
        let controller = controller.clone();
        (*use_memo((), move |_| Callbacks::new(&controller))).clone()
    };

    {
        let (bridge, dispatcher, pool, controller) =
            (bridge.clone(), state.dispatcher(), pool.clone(), controller.clone());
        let search_events = batcher.callback();
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
                        | Event::ComparisonProgress { .. } => {
                            search_events.emit(ev);
                            Pool::show_end(&pool);
                        }
                        Event::Crashed { message } => {
                            // Its state is lost (a panic leaves it borrowed): its runs stop,
                            // and a fresh worker takes over. A search goes on (its study and
                            // its trials are in other workers).
                            dispatcher.dispatch(Action::WorkerCrashed(message));
                            let (bridge, handler) = (bridge.clone(), handler.clone());
                            // Replaced after this handler returns: the old worker's closures are running it.
                            wasm_bindgen_futures::spawn_local(async move {
                                let Some(on_event) = handler.borrow().clone() else { return };
                                match WorkerBridge::spawn(Role::Training, on_event.clone()) {
                                    Ok(b) => *bridge.borrow_mut() = Some(b),
                                    Err(message) => on_event.emit(Event::Error { about: About::Worker, message }),
                                }
                            });
                        }
                        Event::Script { kind, text } => {
                            let name = kind.file_name();
                            let done =
                                text.and_then(|t| super::components::export::download(name, "text/x-python", &t));
                            dispatcher.dispatch(Action::ScriptDone(kind, done.err()));
                        }
                        ev => dispatcher.dispatch(Action::Worker(ev)),
                    }
                })
            };
            *handler.borrow_mut() = Some(on_event.clone());
            // The study worker's events go the same way, but for its own
            // readiness (the bridge holds commands until then) and its crash.
            controller.set_study_events({
                let (on_event, controller) = (on_event.clone(), controller.clone());
                Callback::from(move |ev: Event| match ev {
                    Event::Ready => {}
                    Event::Crashed { message } => controller.study_crashed(message),
                    Event::Figure { id, svg } => controller.figure_drawn(id, svg),
                    ev => on_event.emit(ev),
                })
            });
            match WorkerBridge::adopt_early(on_event.clone()) {
                Ok(b) => {
                    *bridge.borrow_mut() = Some(b);
                    controller.warm_worker_soon();
                }
                Err(message) => on_event.emit(Event::Error { about: About::Worker, message }),
            }
            move || {
                handler.borrow_mut().take();
                drop(bridge.borrow_mut().take())
            }
        });
    }
    // The address bar (and the browser's copy) follows the lab; encoded when
    // the experiment, the kept runs' specs or the search change, not on every
    // progress post.
    // Embedded in a course page (`embed=1`): no header or toolbar, kept in the link.
    let embed = *use_memo((), |_| {
        let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        crate::experiment::embed_from_query(&search)
    });
    {
        let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
        use_effect_with(embed, move |&embed| {
            if let Some(root) = root {
                let _ = root.set_attribute("data-embed", if embed { "true" } else { "false" });
            }
        });
    }
    let query = {
        let kept: Vec<ExperimentSpec> = state.kept.iter().map(|r| r.spec.clone()).collect();
        // The tools open (or about to open, from the link) are part of the address.
        let mut open = state.tools_pending.clone();
        open.extend(state.regimes.is_some().then_some(Tool::Regimes));
        open.extend(state.lr_finder.is_some().then_some(Tool::LrFinder));
        open.extend(state.race.is_some().then_some(Tool::Race));
        let place = state.lesson.as_ref().map(|l| l.place);
        let query = use_memo(
            (state.spec.clone(), kept, state.search_query.clone(), open, place, embed, state.only.clone()),
            |(spec, kept, search, open, place, embed, only)| {
                let search = search.as_ref().map_or(String::new(), |q| format!("&{q}"));
                let tools = crate::experiment::tools_to_query(open).map_or(String::new(), |t| format!("&{t}"));
                let lesson = place.map_or(String::new(), |p| format!("&{}", p.to_query()));
                let embed = if *embed { format!("&{EMBED_KEY}=1") } else { String::new() };
                let only = only.as_ref().map_or(String::new(), |o| format!("&{ONLY_KEY}={}", o.join(",")));
                lab_to_query(spec, kept) + &tools + &search + &lesson + &embed + &only
            },
        );
        let dispatcher = state.dispatcher();
        // While the link's data file is awaited, the link stays as it was.
        use_effect_with((query.clone(), state.wanted.is_none()), move |(query, settled)| {
            if *settled {
                dispatcher.dispatch(Action::StorageError(write_url(query, !embed)));
            }
        });
        query
    };
    // A link's data file: from this browser's storage, or the user is asked for it.
    {
        let dispatcher = state.dispatcher();
        let hash = state.wanted.as_ref().map(|w| w.file.hash.clone());
        use_effect_with((), move |_| {
            let Some(hash) = hash else { return };
            wasm_bindgen_futures::spawn_local(async move {
                match super::own_file::load(&hash).await {
                    Ok(Some(own)) => dispatcher.dispatch(Action::OwnDataFound(Box::new(own))),
                    Ok(None) => dispatcher.dispatch(Action::OwnDataMissing),
                    Err(e) => {
                        dispatcher.dispatch(Action::OwnDataMissing);
                        dispatcher
                            .dispatch(Action::OwnDataProblem(format!("This browser's copy could not be used: {e}.")));
                    }
                }
            });
        });
    }
    // The race's "your settings" path follows the experiment: a new
    // optimizer, rate or schedule races again while the race is open.
    {
        let (state, controller) = (state.clone(), controller.clone());
        let spec = &state.spec;
        let yours = (spec.optimizer.clone(), spec.lr.to_bits(), spec.schedule.clone(), spec.warmup.clone());
        use_effect_with(yours, move |_| {
            if state.race.as_ref().is_some_and(|(_, race)| race.is_some()) {
                controller.race(None);
            }
        });
    }
    // The lessons' progress is kept in this browser as it changes.
    use_effect_with(state.progress.clone(), |progress| {
        if let Some(s) = storage() {
            let _ = if progress.is_empty() {
                s.remove_item(PROGRESS_STORAGE_KEY)
            } else {
                s.set_item(PROGRESS_STORAGE_KEY, &progress.to_text())
            };
        }
    });
    // Once the worker is ready, retrain the runs the link (or the saved lab) holds.
    {
        let (state, controller) = (state.clone(), controller.clone());
        let loading = state.status == Status::Loading || state.wanted.is_some();
        use_effect_with((loading, state.replay_pending), move |&(loading, pending)| {
            if !loading && pending {
                let runs = state.kept.iter().map(|r| (RunId::Kept(r.key), r.spec.clone())).collect();
                controller.send(Command::Train(TrainCommand::StartGroup { runs, pace: Pace::Max }));
                state.dispatch(Action::ReplayStarted);
            }
        });
    }
    // Then open the tools the link names: the race and the range test, then
    // the regimes (a group of runs, which would replace the replay's).
    {
        let (state, controller) = (state.clone(), controller.clone());
        let replaying = state.kept.iter().any(|r| !r.ended);
        let ready = state.status != Status::Loading && !state.replay_pending && !replaying && state.wanted.is_none();
        use_effect_with((ready, state.tools_pending.clone()), move |(ready, tools)| {
            if *ready && !tools.is_empty() {
                for tool in [Tool::Race, Tool::LrFinder, Tool::Regimes].into_iter().filter(|t| tools.contains(t)) {
                    match tool {
                        Tool::Race => controller.race(None),
                        Tool::LrFinder => controller.find_lr(),
                        Tool::Regimes => controller.regimes(),
                    }
                }
                state.dispatch(Action::ToolsOpened);
            }
        });
    }
    // "Beat the search", where it stands: read again when the search settings,
    // the experiment or the kept runs change, not on every progress tick.
    let beat = {
        let kept: Vec<(u32, bool, usize)> = state.kept.iter().map(|r| (r.key, r.ended, r.history.len())).collect();
        let lab = state.clone();
        use_memo((state.search_query.clone(), state.spec.clone(), kept), move |_| {
            crate::lab::beat::standing(&lab).map(|(_, s)| Rc::new(s))
        })
    };
    let qr_open = use_state(|| false);
    let to_settings = use_memo((), |()| crate::ui::components::jump_to(".panel.controls"));
    // A tool's panel scrolls to itself when it appears, unless the lesson
    // step opened it; the step has a button to each tool open below the lab.
    let into_view = !state.step_holds_view;
    let open_tools: Vec<&'static str> = [
        (state.search_query.is_some(), "search"),
        (state.race.is_some(), "race"),
        (state.lr_finder.is_some(), "lr-finder"),
        (state.regimes.is_some(), "regimes"),
    ]
    .into_iter()
    .filter_map(|(open, id)| open.then_some(id))
    .collect();
    // A search link with `autorun=1` starts its search once the worker is ready
    // (after the tools, so a kept search shown again is not run over).
    {
        let (state, controller) = (state.clone(), controller.clone());
        let ready = state.status != Status::Loading
            && !state.replay_pending
            && state.tools_pending.is_empty()
            && state.wanted.is_none();
        use_effect_with((ready, state.autorun_pending), move |&(ready, pending)| {
            if ready && pending {
                let beat = state.search_query.as_deref().and_then(|q| {
                    let search = crate::experiment::search::search_from_query(q).0?;
                    (search.beat > 0 && !search.compare.is_empty()).then(|| q.to_string())
                });
                match beat {
                    // A "beat the search" result: the rivals' comparison, run again (same numbers).
                    Some(q) if state.comparison.is_none() => controller.compare_methods(q),
                    Some(_) => {}
                    None if state.search_query.is_some() && state.search.is_none() => controller.run_search(),
                    None => {}
                }
                state.dispatch(Action::AutorunStarted);
            }
        });
    }
    // Presentation mode: larger type and lines, hints hidden, for a projector.
    let presenting = use_state(|| false);
    {
        use_effect_with(*presenting, |&on| set_presentation(on));
    }
    let onpresent = {
        let presenting = presenting.clone();
        use_callback(*presenting, move |(), &on| presenting.set(!on))
    };
    // Keyboard: Space trains or pauses, S steps, R resets, P presents (not while typing).
    {
        let (cb, onpresent) = (cb.clone(), onpresent.clone());
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
                            if status == Status::Running { cb.pause.emit(()) } else { cb.train.emit(()) }
                        }
                        "s" | "S" if status != Status::Running => cb.step.emit(()),
                        "r" | "R" => cb.reset.emit(()),
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
    // The search lab. Its workers load as soon as it opens.
    {
        let controller = controller.clone();
        use_effect_with(state.search_query.is_some(), move |&open| {
            if open {
                controller.warm_pool();
            }
        });
    }
    // A finished search's best trial is checked once on the test split.
    {
        let controller = controller.clone();
        let best = state.search.as_ref().filter(|s| s.phase == SearchPhase::Done && s.test.is_none()).and_then(|s| {
            let t = s.best()?;
            Some((s.id, t.id, t.spec.as_deref().cloned()?, s.metric?))
        });
        use_effect_with(best, move |best| {
            if let Some((search_id, trial_id, spec, metric)) = best.clone() {
                let spec = Box::new(spec);
                controller.send(Command::Evaluate(EvaluateCommand::Test { search_id, trial_id, spec, metric }));
            }
        });
    }
    // A finished or cancelled search is kept by this browser, so a reload of
    // its link shows it again (the last one only). Its three steps each in a
    // task of their own: a 2 000-trial search's took 26, 30 and 14 ms (its
    // trials' links, the storage text, the write), which made the task
    // that shows the finished search a long one. A later moment (the test
    // split's score) drops a save still under way.
    {
        let dispatcher = state.dispatcher();
        let search = state.search.clone().filter(|s| !s.restored);
        let moment = search.as_ref().map(|s| (s.id, s.phase.clone(), s.test.is_some()));
        use_effect_with(moment, move |_| {
            let dropped = Rc::new(std::cell::Cell::new(false));
            let gone = dropped.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // The next task, and whether the save is still wanted there.
                let later = || {
                    let gone = &gone;
                    async move {
                        super::components::views::next_task().await;
                        !gone.get()
                    }
                };
                if !later().await {
                    return;
                }
                let Some(saved) = search.and_then(|s| s.to_saved()) else { return };
                if !later().await {
                    return;
                }
                let text = crate::storage::to_text(&saved).ok();
                drop(saved);
                if !later().await {
                    return;
                }
                let kept = text.and_then(|text| storage().map(|s| s.set_item(SEARCH_STORAGE_KEY, &text).is_ok()));
                if kept != Some(true) {
                    dispatcher.dispatch(Action::StorageError(Some(
                        "This browser could not keep the search's results (its storage is full or blocked); \
                         its link still replays them."
                            .into(),
                    )));
                }
            });
            move || dropped.set(true)
        });
    }

    // The schedule's own plan (hand-set rates show as departures from it).
    let planned = use_memo(state.spec.clone(), |spec| {
        crate::engine::schedule::preview(&spec.schedule, spec.warmup.as_ref(), spec.lr, spec.n_epochs)
    });
    // The data is cheap to generate (no training): derive it here for drawing.
    let split = use_data_split(&state.spec);
    let loading = state.status == Status::Loading;

    // The controller in context: a figure's buttons ask it for the figure's SVG.
    html! {
        <ContextProvider<Controller> context={controller.clone()}>
            <header class="top">
                <h1>{ "HyperLab" }</h1>
                <p class="tagline">{ "See what the learning rate does to a neural network — trained live in your browser." }</p>
                <button id="present" aria-pressed={presenting.to_string()} onclick={onpresent.reform(|_: MouseEvent| ())}
                    title="Presentation mode for a projector: larger type and lines, explanations hidden (key P)">
                    { if *presenting { "Leave presentation" } else { "Present" } }
                </button>
                <CopyLink />
                <button id="show-qr" aria-pressed={qr_open.to_string()}
                    title="Show this lab's link as a QR code, for the phones in the room"
                    onclick={{ let qr = qr_open.clone(); Callback::from(move |_: MouseEvent| qr.set(true)) }}>{ "QR code" }</button>
                if !state.kept.is_empty() {
                    <button id="clear-saved" title="Forget the kept runs, here and in this browser" onclick={cb.clear_kept.clone()}>
                        { "Clear kept runs" }
                    </button>
                }
            </header>
            if *qr_open {
                <QrCodePanel link={AttrValue::from(full_link(&query))}
                    onclose={{ let qr = qr_open.clone(); Callback::from(move |()| qr.set(false)) }} />
            }
            <nav class="tools" aria-label="Tools">
                <button id="open-lessons" aria-pressed={(state.lesson.is_some() || state.lesson_index).to_string()}
                    title="The course as guided steps: each sets up an experiment, asks you to do something, and checks it"
                    onclick={cb.lesson_index.reform({
                        let showing = state.lesson_index;
                        move |_: MouseEvent| !showing
                    })}>{ "Lessons" }</button>
                <button id="four-regimes" disabled={loading} aria-pressed={state.regimes.is_some().to_string()}
                    title="Train this experiment at a very high, high, good and low learning rate, side by side"
                    onclick={cb.regimes.reform(|_: MouseEvent| ())}>{ "Show the four regimes" }</button>
                <button id="find-lr" disabled={loading} aria-pressed={state.lr_finder.is_some().to_string()}
                    title="Sweep the learning rate in one short run and suggest one"
                    onclick={cb.find_lr.reform(|_: MouseEvent| ())}>{ "Find a learning rate" }</button>
                <button id="race-optimizers" disabled={loading} aria-pressed={state.race.is_some().to_string()}
                    title="Race the optimizers on a 2-D loss surface"
                    onclick={cb.race.reform(|_: MouseEvent| ())}>{ "Race optimizers" }</button>
                <button id="open-search" onclick={cb.open_search.reform(|_: MouseEvent| ())} aria-pressed={state.search_query.is_some().to_string()}
                    disabled={state.search_query.is_some()}
                    title="Tune hyperparameters automatically: grid, random, genetic, Bayesian, TPE, successive halving or Hyperband search">
                    { "Search hyperparameters" }
                </button>
            </nav>
            if let Some(problem) = state.storage_error.clone() {
                <p class="notice" id="storage-notice" role="status">{ problem }</p>
            }
            if let Some(message) = state.worker_error.clone() {
                <div class="notice" role="alert" id="worker-crash">
                    <strong>{ "The training worker stopped: " }</strong>{ message }
                    <p>{ "A fresh worker has started; your settings, the link and the kept runs are as they were. \
                        Press Train to run again." }</p>
                    <button id="dismiss-crash" onclick={cb.dismiss_crash.clone()}>{ "Dismiss" }</button>
                </div>
            }
            if let Some(wanted) = state.wanted.clone().filter(|w| w.asked) {
                <WantedFile file={wanted.file} problem={wanted.problem.map(AttrValue::from)}
                    onfound={cb.own_found.clone()} onproblem={cb.own_problem.clone()}
                    ondismiss={cb.dismiss_wanted.clone()} onstorage={cb.storage.clone()} />
            }
            if !state.notices.is_empty() {
                <div class="notice" role="alert" id="notices">
                    <strong>{ "Some settings could not be used as given (each says why, and what is used instead); everything else is kept:" }</strong>
                    <ul>{ for state.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                </div>
            }
            <main class={classes!("lab", (state.lesson.is_some() || state.lesson_index).then_some("with-lesson"))}>
                if state.lesson.is_some() || state.lesson_index {
                    <LessonPanel lesson={state.lesson.clone()} index={state.lesson_index} progress={state.progress.clone()}
                        onopen={cb.lesson_open.clone()} onindex={cb.lesson_index.clone()} onclose={cb.lesson_close.clone()}
                        onanswer={cb.lesson_answer.clone()} onreset={cb.lesson_reset.clone()} tools={open_tools} />
                }
                // The page's start in tasks of its own, in this order (what the
                // first view shows first; the network view, below it, last).
                <Later tasks={1}>
                    <Controls spec={state.spec.clone()} status={state.status.clone()} pace_idx={state.pace_idx} only={state.only.clone()}
                        onspec={cb.set_spec.clone()} onpace={cb.set_pace.clone()} onnewseed={cb.new_seed.clone()}
                        onstorage={cb.storage.clone()} />
                </Later>
                <div class="middle">
                    <section class="panel data-panel" aria-label="Data and decision boundary">
                        <h2>{ "Data and decision boundary" }</h2>
                        <Later tasks={2}>
                            <DrawableDataView split={split.clone()} view={state.view.clone()} spec={state.spec.clone()}
                                onspec={cb.set_spec.clone()} />
                            { legend(&state.spec) }
                        </Later>
                    </section>
                    // Below the first view.
                    <Later tasks={4}>
                        <NetworkView picture={state.network.clone()} spec={state.spec.clone()}
                            epoch={state.history.last().map_or(0, |r| r.epoch)} />
                        <Diagnostics history={state.history.clone()} n_epochs={state.spec.n_epochs}
                            n_layers={state.spec.hidden.len() + 1} spec={state.spec.clone()} />
                    </Later>
                </div>
                <section class="panel loss-panel" aria-label="Loss">
                    <div class="run-head">
                        <h2>{ "Loss" }</h2>
                        // On a phone the settings come after the data and the network: one tap away.
                        <button class="run-settings" title="Go to the experiment's settings" onclick={(*to_settings).clone()}>
                            { "Settings ↓" }
                        </button>
                        <RunButtons status={state.status.clone()} ontrain={cb.train.clone()} onpause={cb.pause.clone()}
                            onstep={cb.step.clone()} onreset={cb.reset.clone()} />
                    </div>
                    <Later tasks={3}>
                        <LossChart history={state.history.clone()} n_epochs={state.spec.n_epochs} loss_label={loss_label(&state.spec)} />
                        <FigureButtons id="loss" chart={RunChart::Loss} spec={state.spec.clone()} history={state.history.clone()} />
                        <LiveLr lr={current_lr(&state, &planned)} enabled={state.status.has_run()} onset={cb.set_lr.clone()} />
                        <LrChart history={state.history.clone()} planned={planned.clone()} />
                        <FigureButtons id="lr" chart={RunChart::Lr} spec={state.spec.clone()} history={state.history.clone()} />
                        <button id="add-compare" class="add-compare" disabled={state.history.is_empty()}
                            title="Keep this run to compare it with others" onclick={cb.keep.clone()}>{ "Add to comparison" }</button>
                        <DownloadRun spec={state.spec.clone()} history={state.history.clone()}
                            ended={state.status.run_state()} test={state.test} script={state.script.clone()}
                            onscript={cb.export_pytorch.clone()} />
                        <Readout status={state.status.clone()} history={state.history.clone()} metric={main_metric(&state.spec)}
                            n_epochs={state.spec.n_epochs} worker_paused={state.worker_paused} partial={state.partial}
                            run_reset={state.run_reset} />
                    </Later>
                </section>
            </main>
            if !state.kept.is_empty() {
                <div class="below">
                    <KeptRunsPanel runs={state.kept.clone()} metric={state.kept_metric} log_y={state.kept_log_y}
                        onmetric={cb.kept_metric.clone()} onlogy={cb.kept_log.clone()} ontoggle={cb.toggle_kept.clone()}
                        onremove={cb.remove_kept.clone()} onload={cb.load.clone()} onvariant={cb.variant.clone()}
                        busy={worker_busy(&state)} lab={state.spec.clone()} />
                </div>
            }
            if let Some(query) = state.search_query.clone() {
                <div class="below">
                    <SearchPanel {query} experiment={state.spec.clone()}
                        search={state.search.clone()} onquery={cb.search_query.clone()}
                        onrun={cb.run_search.clone()} oncancel={cb.cancel_search.clone()}
                        onclose={cb.close_search.clone()} onopen={cb.load.clone()}
                        metrics={state.spec.metrics().to_vec()} oncompare={cb.compare_methods.clone()}
                        comparison={state.comparison.clone()} onpreset={cb.preset.clone()}
                        oncancelcompare={cb.cancel_comparison.clone()} onfocus={cb.focus.clone()}
                        beat={(*beat).clone()} onstudy={cb.export_study.clone()}
                        script={state.script.clone()} {into_view} />
                </div>
            }
            if let Some((surface, race)) = state.race.clone() {
                <div class="below">
                    <RacePanel {surface} {race} onsurface={cb.race_on.clone()} onclose={cb.close_race.clone()}
                        yours={format!("{}, {}", state.spec.optimizer.name(), state.spec.schedule.label())} {into_view} />
                </div>
            }
            if let Some(result) = state.lr_finder.clone() {
                <div class="below">
                    <LrFinderPanel {result} onuse={cb.use_lr.clone()} onclose={cb.close_lr_finder.clone()} spec={state.spec.clone()} {into_view} />
                </div>
            }
            if let Some(regimes) = state.regimes.clone() {
                <div class="below">
                    <RegimesPanel {regimes} split={split.clone()} loss_label={loss_label(&state.spec)} onclose={cb.close_regimes.clone()}
                        onuse={cb.regime_lr.clone()} lab={state.spec.clone()} {into_view} />
                </div>
            }
        </ContextProvider<Controller>>
    }
}

/// The key under the data view.
fn legend(spec: &ExperimentSpec) -> Html {
    use crate::engine::data::Task;
    use crate::ui::charts::boundary::class_colour;
    if spec.data.kind.bundled_file().is_some() || spec.data.n_inputs() > 2 {
        return html! {};
    }
    let swatches = match spec.data.task() {
        Task::Classification { n_classes } => (0..n_classes)
            .map(|c| {
                let (r, g, b) = class_colour(c, n_classes);
                let name = spec.data.own.as_ref().and_then(|o| o.classes.get(c)).map_or(format!("class {c}"), Clone::clone);
                html! { <><span class="dot" style={format!("background: rgb({r},{g},{b})")}></span>{ format!("{name} ") }</> }
            })
            .collect::<Html>(),
        Task::Regression if spec.data.n_inputs() == 1 => html! { <>{ "x across, target y up · orange: the network's prediction " }</> },
        Task::Regression => html! { <>{ "colour: target value (purple low, yellow high) · background: the network's prediction, same scale " }</> },
    };
    let background = if spec.data.task().is_classification() { "· background: the predicted class " } else { "" };
    // The user's data are shown where they lie: which column runs which way, over what range.
    let axes = spec.data.own.as_ref().map_or(String::new(), |o| {
        use crate::plot::format_lr as short;
        let ((x0, x1), (y0, y1)) = (o.plane.x_range(), o.plane.y_range());
        let name = |i: usize| o.features.get(i).map_or("", String::as_str);
        let across = format!("across: {} {} … {}", name(0), short(x0.into()), short(x1.into()));
        match o.data.n_features {
            2 => format!("· {across}, up: {} {} … {} ", name(1), short(y0.into()), short(y1.into())),
            _ => format!("· {across}, up: {} ", o.file.target),
        }
    });
    html! {
        <p class="legend">{ swatches }{ background }{ axes }{ "· filled: training, hollow: validation" }</p>
    }
}

/// The y-axis title of the loss chart.
fn loss_label(spec: &ExperimentSpec) -> AttrValue {
    AttrValue::from(crate::figure::loss_name(spec))
}

/// Whether the worker is training something a variant would interrupt: the
/// main run, the four regimes, or kept runs being (re)trained.
fn worker_busy(state: &LabState) -> bool {
    state.status.has_run()
        || state.regimes.as_ref().is_some_and(|r| r.runs.iter().any(|run| !run.state.is_over()))
        || state.kept.iter().any(|r| !r.ended)
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
