//! What the page's parts ask of the lab — train, pause, keep a run, open a
//! panel, run a search — in one place. A [`Controller`] is made once per
//! page and reads the state as last rendered when it is called, so the
//! [`Callbacks`] made from it never change: a component whose data did not
//! change is not rendered again when a run's progress arrives thirty times
//! a second.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::bridge::{Role, WorkerBridge};
use super::search_pool::{Coordinator, Pool, SharedPool};
use super::state::{Action, LabState, PACES, Quantity, RunToStart};
use crate::engine::surface::Surface;
use crate::experiment::search::{SearchSpec, search_from_query, search_to_query};
use crate::experiment::{DataKind, ExperimentSpec, RaceSpec, to_query};
use crate::worker::protocol::{About, Command, Event, Pace, RunId, ScriptKind, SearchCommand, TrainCommand};

/// When the page asks the training worker to warm its code, after adopting
/// it at the start: after the font warm-up's tasks, and soon enough that the
/// compiles it sets off are over before most first clicks.
const WARM_WORKER_AFTER_MS: i32 = 1000;

/// The page's controller: commands to the workers and actions to the state.
#[derive(Clone)]
pub struct Controller(Rc<Inner>);

struct Inner {
    /// The state as last rendered: what a press acts on.
    state: RefCell<Option<UseReducerHandle<LabState>>>,
    bridge: Rc<RefCell<Option<WorkerBridge>>>,
    pool: SharedPool,
    batcher: Rc<Batcher>,
    /// The last search's or comparison's id: each job gets the next, so
    /// their events (which name their job by it) never reach another's
    /// state — a comparison numbered like the search shown wrote its
    /// trials into that search's table.
    last_job: std::cell::Cell<u32>,
    /// The study worker (a search's coordinator, the exported scripts),
    /// started when first needed, and where its events go (the page's
    /// handler, given once the page has mounted).
    study: RefCell<Option<WorkerBridge>>,
    study_events: RefCell<Option<Callback<Event>>>,
    /// The figures the study worker is drawing, by request id.
    figures: RefCell<Requests>,
}

/// Figures asked of the study worker and not yet answered.
#[derive(Default)]
struct Requests {
    last: u32,
    waiting: Vec<(u32, Rc<RefCell<Answer>>)>,
}

/// The study worker's answer to one request, and who waits for it.
#[derive(Default)]
struct Answer {
    svg: Option<Result<String, String>>,
    waker: Option<std::task::Waker>,
}

impl Answer {
    fn settle(&mut self, svg: Result<String, String>) {
        self.svg = Some(svg);
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }
}

/// A figure's SVG, once the study worker has drawn it.
struct Drawn(Rc<RefCell<Answer>>);

impl std::future::Future for Drawn {
    type Output = Result<String, String>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let mut answer = self.0.borrow_mut();
        match answer.svg.take() {
            Some(svg) => std::task::Poll::Ready(svg),
            None => {
                answer.waker = Some(cx.waker().clone());
                std::task::Poll::Pending
            }
        }
    }
}

impl PartialEq for Controller {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Controller {
    pub fn new(bridge: Rc<RefCell<Option<WorkerBridge>>>, pool: SharedPool, batcher: Rc<Batcher>) -> Self {
        let flush = batcher.clone();
        Pool::set_flush(&pool, Callback::from(move |()| flush.flush()));
        Controller(Rc::new(Inner {
            state: RefCell::new(None),
            bridge,
            pool,
            batcher,
            last_job: std::cell::Cell::new(0),
            study: RefCell::new(None),
            study_events: RefCell::new(None),
            figures: RefCell::default(),
        }))
    }

    /// Keeps the state as rendered now (called by the page on every render).
    pub fn sync(&self, state: &UseReducerHandle<LabState>) {
        *self.0.state.borrow_mut() = Some(state.clone());
    }

    fn state(&self) -> UseReducerHandle<LabState> {
        self.0.state.borrow().clone().expect("the page renders before anything is pressed")
    }

    fn dispatch(&self, action: Action) {
        self.state().dispatch(action);
    }

    /// Sends a command to the training worker (nothing while it is being replaced).
    pub fn send(&self, cmd: Command) {
        if let Some(b) = self.0.bridge.borrow().as_ref() {
            b.send(&cmd);
        }
    }

    fn train_cmd(&self, cmd: TrainCommand) {
        self.send(Command::Train(cmd));
    }

    /// Where the study worker's events go (the page's handler).
    pub fn set_study_events(&self, on_event: Callback<Event>) {
        *self.0.study_events.borrow_mut() = Some(on_event);
    }

    /// Sends a command to the study worker, starting it if there is none
    /// (its commands wait in the bridge until it has loaded).
    fn send_study(&self, cmd: Command) {
        self.start_study();
        if let Some(b) = self.0.study.borrow().as_ref() {
            b.send(&cmd);
        }
    }

    /// Starts the study worker if there is none, so it has loaded by the
    /// time it is asked something (a figure's buttons call it when pointed
    /// at or focused: the first figure then waits less for it).
    pub fn start_study(&self) {
        if self.0.study.borrow().is_some() {
            return;
        }
        let Some(on_event) = self.0.study_events.borrow().clone() else { return };
        match WorkerBridge::spawn(Role::Study, on_event.clone()) {
            Ok(b) => *self.0.study.borrow_mut() = Some(b),
            Err(message) => on_event.emit(Event::Error { about: About::Worker, message }),
        }
    }

    /// `figure` as SVG text, drawn by the study worker (plotters stays out
    /// of the page's module: docs/PERFORMANCE.md), or why it could not be.
    pub fn figure_svg(
        &self,
        figure: crate::figure::Figure,
    ) -> impl std::future::Future<Output = Result<String, String>> {
        let answer = Rc::new(RefCell::new(Answer::default()));
        let id = {
            let mut figures = self.0.figures.borrow_mut();
            let id = figures.last.wrapping_add(1);
            figures.last = id;
            figures.waiting.push((id, answer.clone()));
            id
        };
        match crate::worker::protocol::encode(&figure) {
            Ok(figure) => self.send_study(Command::Figure { id, figure }),
            Err(e) => self.figure_drawn(id, Err(e)),
        }
        if self.0.study.borrow().is_none() {
            self.figure_drawn(id, Err("the worker that draws figures could not start".to_string()));
        }
        Drawn(answer)
    }

    /// The study worker's answer to figure `id`.
    pub fn figure_drawn(&self, id: u32, svg: Result<String, String>) {
        let answer = {
            let mut figures = self.0.figures.borrow_mut();
            let at = figures.waiting.iter().position(|(i, _)| *i == id);
            at.map(|at| figures.waiting.swap_remove(at).1)
        };
        if let Some(answer) = answer {
            answer.borrow_mut().settle(svg);
        }
    }

    /// The study worker failed: the search or comparison it coordinated
    /// stops (its pool too), an export it was writing fails (a figure
    /// too), and a fresh one starts when next needed.
    pub fn study_crashed(&self, message: String) {
        let waiting = std::mem::take(&mut self.0.figures.borrow_mut().waiting);
        for (_, answer) in waiting {
            answer.borrow_mut().settle(Err(format!("the worker drawing it stopped ({message})")));
        }
        self.stop_pool();
        let failed = self.0.study.borrow_mut().take();
        // Dropped after this handler returns: the failed worker's closures are running it.
        wasm_bindgen_futures::spawn_local(async move { drop(failed) });
        self.dispatch(Action::StudyCrashed(message));
    }

    fn coordinator(&self) -> Coordinator {
        let this = self.clone();
        Rc::new(move |cmd| this.send_study(cmd))
    }

    // --- The lab's run -------------------------------------------------------

    /// Trains a fresh run, or resumes the paused one.
    pub fn train(&self) {
        let state = self.state();
        let run = state.run_to_start();
        match run {
            RunToStart::Fresh(run_id) => self.start(&state, run_id),
            RunToStart::Continue(run_id) => self.train_cmd(TrainCommand::Resume { run_id: RunId::Main(run_id) }),
        }
        state.dispatch(Action::Started { run_id: run.run_id() });
    }

    /// Asks the training worker to warm its code ([`Self::warm_worker`])
    /// [`WARM_WORKER_AFTER_MS`] from now.
    pub fn warm_worker_soon(&self) {
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            super::components::views::after(WARM_WORKER_AFTER_MS).await;
            this.warm_worker();
        });
    }

    /// Has the training worker warm its code on the lab's experiment, or on
    /// the default one when the lab's needs a file (a download the user did
    /// not ask for) or is the user's own data (a large message). The worker
    /// skips it if a run has started; the page, while a search or a
    /// comparison runs (its trials train in other workers, on the same cores).
    pub fn warm_worker(&self) {
        let state = self.state();
        let searching = state.search.as_ref().is_some_and(|s| s.phase.running())
            || state.comparison.as_ref().is_some_and(|c| c.running());
        if searching {
            return;
        }
        let spec = &state.spec;
        let generated = spec.data.kind.bundled_file().is_none() && spec.data.kind != DataKind::Own;
        let spec = Box::new(if generated { spec.clone() } else { ExperimentSpec::default() });
        self.train_cmd(TrainCommand::Warm { spec });
    }

    /// Starts run `run_id` of the experiment in the worker.
    fn start(&self, state: &LabState, run_id: u32) {
        let spec = Box::new(state.spec.clone());
        self.train_cmd(TrainCommand::Start { run_id: RunId::Main(run_id), spec, pace: state.pace() });
    }

    pub fn pause(&self) {
        let state = self.state();
        self.train_cmd(TrainCommand::Pause { run_id: RunId::Main(state.run_id) });
        state.dispatch(Action::Paused);
    }

    /// Trains exactly one epoch (of a fresh run if there is none).
    pub fn step(&self) {
        let state = self.state();
        let run = state.run_to_start();
        if let RunToStart::Fresh(run_id) = run {
            self.start(&state, run_id);
        }
        self.train_cmd(TrainCommand::Step { run_id: RunId::Main(run.run_id()) });
        state.dispatch(Action::Stepped { run_id: run.run_id() });
    }

    pub fn reset(&self) {
        self.train_cmd(TrainCommand::Stop);
        self.dispatch(Action::Reset);
    }

    /// A new experiment from the controls: hand-set rates belonged to the old run.
    pub fn set_spec(&self, spec: ExperimentSpec) {
        self.load(ExperimentSpec { lr_changes: Vec::new(), ..spec });
    }

    /// An experiment exactly as given (a kept run or a trial, hand-set rates included).
    pub fn load(&self, spec: ExperimentSpec) {
        self.train_cmd(TrainCommand::Stop);
        self.dispatch(Action::SetSpec(Box::new(spec)));
    }

    pub fn set_pace(&self, idx: usize) {
        self.dispatch(Action::SetPace(idx));
        if let Some((_, pace)) = PACES.get(idx) {
            self.train_cmd(TrainCommand::SetPace { pace: *pace });
        }
    }

    /// New data, initial weights and batch order.
    pub fn new_seed(&self) {
        let spec = self.state().spec.clone();
        self.load(ExperimentSpec { seed: new_seed(), ..spec });
    }

    /// Sets the learning rate by hand while the run trains.
    pub fn set_lr(&self, lr: f64) {
        self.train_cmd(TrainCommand::SetLr { run_id: RunId::Main(self.state().run_id), lr });
    }

    // --- The panels ----------------------------------------------------------

    /// Trains the experiment at four learning rates side by side.
    pub fn regimes(&self) {
        let state = self.state();
        // Numbered like the lab's run: a late message of an older group is told apart.
        let group = state.run_id;
        let specs = crate::experiment::regimes::regime_specs(&state.spec);
        let runs = specs.into_iter().enumerate().map(|(i, s)| (RunId::Regime { group, index: i as u32 }, s)).collect();
        // At the lab's pace: a teacher can slow the four down to watch the blow-up live.
        self.train_cmd(TrainCommand::StartGroup { runs, pace: state.pace() });
        state.dispatch(Action::StartRegimes { group });
    }

    /// Opens a lesson step: its experiment replaces the lab's run.
    pub fn open_lesson(&self, place: crate::lessons::Place) {
        self.train_cmd(TrainCommand::Stop);
        self.dispatch(Action::OpenLesson(place));
    }

    pub fn close_regimes(&self) {
        self.train_cmd(TrainCommand::Stop);
        self.dispatch(Action::CloseRegimes);
    }

    pub fn find_lr(&self) {
        let state = self.state();
        let spec = Box::new(state.spec.clone());
        self.train_cmd(TrainCommand::LrFind { run_id: RunId::Main(state.run_id), spec });
        state.dispatch(Action::LrFindStarted);
    }

    /// Has the study worker write the experiment as a PyTorch script, or the
    /// search as an Optuna study; the page downloads it when `Event::Script`
    /// comes back.
    pub fn export_script(&self, kind: ScriptKind) {
        let state = self.state();
        let mut query = to_query(&state.spec);
        if kind == ScriptKind::Optuna {
            let Some(search) = state.search_query.clone() else { return };
            query = format!("{query}&{search}");
        }
        self.send_study(Command::Script { kind, page: super::address::page_address(), query });
        state.dispatch(Action::ScriptAsked(kind));
    }

    /// The range test's suggestion becomes the experiment's rate.
    pub fn use_lr(&self, lr: f64) {
        let spec = self.state().spec.clone();
        self.set_spec(ExperimentSpec { lr, ..spec });
        self.dispatch(Action::CloseLrFinder);
    }

    /// Races on `surface` (from its own start, the steps kept), or on the
    /// link's race with `None`.
    pub fn race(&self, surface: Option<Surface>) {
        let state = self.state();
        let race = match surface {
            Some(surface) => RaceSpec { surface, start: None, ..state.spec.race.clone() },
            None => state.spec.race.clone(),
        };
        let (surface, start, steps) = (race.surface, race.start_point(), race.steps);
        let yours = Some(Box::new(state.spec.clone()));
        self.train_cmd(TrainCommand::Race { run_id: RunId::Main(state.run_id), surface, start, steps, yours });
        state.dispatch(Action::SetRace(race));
        state.dispatch(Action::RaceStarted(surface));
    }

    // --- Kept runs -----------------------------------------------------------

    /// A kept run with one thing changed, trained at full speed and kept.
    pub fn variant(&self, spec: ExperimentSpec) {
        let key = self.state().next_kept_key();
        self.train_cmd(TrainCommand::StartGroup { runs: vec![(RunId::Kept(key), spec.clone())], pace: Pace::Max });
        self.dispatch(Action::AddVariant { key, spec: Box::new(spec) });
    }

    // --- The search lab ------------------------------------------------------

    pub fn open_search(&self) {
        self.dispatch(Action::SetSearchQuery(Some(search_to_query(&SearchSpec::default()))));
    }

    /// Runs the search the settings describe, around the experiment.
    pub fn run_search(&self) {
        let state = self.state();
        let Some(q) = state.search_query.clone() else { return };
        let id = self.next_job_id();
        let search = search_from_query(&q).0.unwrap_or_default();
        let query = format!("{}&{q}", to_query(&state.spec));
        let population = match &search.method {
            crate::engine::search::Method::Genetic(g) => Some(g.population),
            _ => None,
        };
        let folds = search.folds;
        state.dispatch(Action::SearchStarting { id, space: search.space, population, source: query.clone() });
        self.start_job(
            About::Search(id),
            Command::Coordinate(SearchCommand::Start { search_id: id, query, own: state.spec.data.own.clone() }),
            folds,
        );
    }

    /// Stops the search at once: what had finished is kept, running trials are marked.
    pub fn cancel_search(&self) {
        self.stop_pool();
        self.dispatch(Action::SearchCancelled);
    }

    pub fn close_search(&self) {
        self.stop_pool();
        self.dispatch(Action::SearchCancelled);
        self.dispatch(Action::CompareCancelled);
        self.dispatch(Action::SetSearchQuery(None));
    }

    /// Compares the settings' methods on equal budgets (`q`: the settings).
    pub fn compare_methods(&self, q: String) {
        let state = self.state();
        let id = self.next_job_id();
        state.dispatch(Action::SetSearchQuery(Some(q.clone())));
        state.dispatch(Action::CompareStarting { id });
        let folds = search_from_query(&q).0.unwrap_or_default().folds;
        let query = format!("{}&{q}", to_query(&state.spec));
        self.start_job(
            About::Comparison(id),
            Command::Coordinate(SearchCommand::Compare { search_id: id, query, own: state.spec.data.own.clone() }),
            folds,
        );
    }

    pub fn cancel_comparison(&self) {
        self.stop_pool();
        self.dispatch(Action::CompareCancelled);
    }

    /// Draws the surrogate over these two hyperparameters.
    pub fn focus(&self, params: (usize, usize)) {
        if let Some(s) = &self.state().search {
            self.send_study(Command::Coordinate(SearchCommand::Focus { search_id: s.id, params }));
        }
    }

    /// A preset that sets both the experiment and the search.
    pub fn preset(&self, spec: ExperimentSpec, q: String) {
        self.load(spec);
        self.dispatch(Action::SetSearchQuery(Some(q)));
    }

    /// Spawns the pool's workers and the study worker (when the search lab
    /// opens), so they have loaded by the time a search starts.
    pub fn warm_pool(&self) {
        if let Err(message) = Pool::warm(&self.0.pool, self.coordinator(), self.0.batcher.callback()) {
            self.0.batcher.callback().emit(Event::Error { about: About::Search(0), message });
        }
        self.start_study();
    }

    /// Stops the pool's job at once, handing the page what had finished (some
    /// of it still queued) before whatever is dispatched next.
    pub fn stop_pool(&self) {
        Pool::cancel(&self.0.pool);
        self.0.batcher.flush();
    }

    /// An id no search or comparison of this page has had (a search kept
    /// by the browser and shown again is 0).
    fn next_job_id(&self) -> u32 {
        let id = self.0.last_job.get().wrapping_add(1).max(1);
        self.0.last_job.set(id);
        id
    }

    /// Starts a job for the pool; a pool that cannot start says so as the job's error.
    fn start_job(&self, job: About, start: Command, folds: usize) {
        let on_event = self.0.batcher.callback();
        let own = self.state().spec.data.own.clone();
        if let Err(message) = Pool::start(&self.0.pool, self.coordinator(), on_event.clone(), job, start, folds, own) {
            on_event.emit(Event::Error { about: job, message });
        }
    }
}

/// Every callback the page's components take, made once from the
/// controller: their identity never changes.
#[derive(Clone)]
pub struct Callbacks {
    pub train: Callback<()>,
    pub pause: Callback<()>,
    pub step: Callback<()>,
    pub reset: Callback<()>,
    pub set_spec: Callback<ExperimentSpec>,
    pub load: Callback<ExperimentSpec>,
    pub set_pace: Callback<usize>,
    pub new_seed: Callback<()>,
    pub set_lr: Callback<f64>,
    pub regimes: Callback<()>,
    pub close_regimes: Callback<()>,
    pub find_lr: Callback<()>,
    pub use_lr: Callback<f64>,
    pub close_lr_finder: Callback<()>,
    /// The PyTorch script and the Optuna study (two callbacks, made once like
    /// the rest, so the panels holding them are not rendered anew each tick).
    pub export_pytorch: Callback<()>,
    pub export_study: Callback<()>,
    pub race: Callback<()>,
    pub race_on: Callback<Surface>,
    pub close_race: Callback<()>,
    pub keep: Callback<MouseEvent>,
    pub kept_metric: Callback<Quantity>,
    pub kept_log: Callback<()>,
    pub toggle_kept: Callback<u32>,
    pub remove_kept: Callback<u32>,
    pub clear_kept: Callback<MouseEvent>,
    pub variant: Callback<ExperimentSpec>,
    pub open_search: Callback<()>,
    pub search_query: Callback<String>,
    pub run_search: Callback<()>,
    pub cancel_search: Callback<()>,
    pub close_search: Callback<()>,
    pub compare_methods: Callback<String>,
    pub cancel_comparison: Callback<()>,
    pub focus: Callback<(usize, usize)>,
    pub preset: Callback<(ExperimentSpec, String)>,
    pub dismiss_crash: Callback<MouseEvent>,
    /// The user's data: the link's file found or loaded, why a file is not
    /// it, the lab's data taken instead, a problem keeping it in the browser.
    pub own_found: Callback<crate::experiment::OwnData>,
    pub own_problem: Callback<String>,
    pub dismiss_wanted: Callback<()>,
    pub storage: Callback<Option<String>>,
    pub regime_lr: Callback<f64>,
    pub lesson_open: Callback<crate::lessons::Place>,
    pub lesson_index: Callback<bool>,
    pub lesson_close: Callback<()>,
    pub lesson_answer: Callback<()>,
    pub lesson_reset: Callback<()>,
}

impl Callbacks {
    pub fn new(c: &Controller) -> Self {
        let on = |f: fn(&Controller)| {
            let c = c.clone();
            Callback::from(move |()| f(&c))
        };
        // A tool asked for from the toolbar: its panel comes into view.
        let asked = |open: fn(&Controller)| {
            let c = c.clone();
            Callback::from(move |()| {
                c.dispatch(Action::ToolAsked);
                open(&c);
            })
        };
        let act = |action: fn() -> Action| {
            let c = c.clone();
            Callback::from(move |_: MouseEvent| c.dispatch(action()))
        };
        Callbacks {
            train: on(Controller::train),
            pause: on(Controller::pause),
            step: on(Controller::step),
            reset: on(Controller::reset),
            set_spec: call(c, Controller::set_spec),
            load: call(c, Controller::load),
            set_pace: call(c, Controller::set_pace),
            new_seed: on(Controller::new_seed),
            set_lr: call(c, Controller::set_lr),
            regimes: asked(Controller::regimes),
            close_regimes: on(Controller::close_regimes),
            find_lr: asked(Controller::find_lr),
            use_lr: call(c, Controller::use_lr),
            close_lr_finder: dispatch(c, |()| Action::CloseLrFinder),
            export_pytorch: call(c, |c, ()| c.export_script(ScriptKind::Pytorch)),
            export_study: call(c, |c, ()| c.export_script(ScriptKind::Optuna)),
            race: asked(|c| c.race(None)),
            race_on: call(c, |c, surface| c.race(Some(surface))),
            regime_lr: call(c, |c, lr| c.set_spec(ExperimentSpec { lr, ..c.state().spec.clone() })),
            lesson_open: call(c, Controller::open_lesson),
            lesson_index: dispatch(c, Action::ShowLessonIndex),
            lesson_close: dispatch(c, |()| Action::CloseLesson),
            lesson_answer: dispatch(c, |()| Action::LessonAnswered),
            lesson_reset: dispatch(c, |()| Action::ResetProgress),
            close_race: dispatch(c, |()| Action::CloseRace),
            keep: act(|| Action::AddToComparison),
            kept_metric: dispatch(c, Action::SetKeptMetric),
            kept_log: dispatch(c, |()| Action::ToggleKeptLogY),
            toggle_kept: dispatch(c, Action::ToggleKept),
            remove_kept: dispatch(c, Action::RemoveKept),
            clear_kept: act(|| Action::ClearKept),
            variant: call(c, Controller::variant),
            open_search: asked(Controller::open_search),
            search_query: dispatch(c, |q| Action::SetSearchQuery(Some(q))),
            run_search: on(Controller::run_search),
            cancel_search: on(Controller::cancel_search),
            close_search: on(Controller::close_search),
            compare_methods: call(c, Controller::compare_methods),
            cancel_comparison: on(Controller::cancel_comparison),
            focus: call(c, Controller::focus),
            preset: call(c, |c, (spec, q)| c.preset(spec, q)),
            dismiss_crash: act(|| Action::DismissWorkerError),
            own_found: dispatch(c, |own| Action::OwnDataFound(Box::new(own))),
            own_problem: dispatch(c, Action::OwnDataProblem),
            dismiss_wanted: dispatch(c, |()| Action::DismissWanted),
            storage: dispatch(c, Action::StorageError),
        }
    }
}

/// A callback that calls `f` on the controller with what it is given.
fn call<T: 'static>(c: &Controller, f: fn(&Controller, T)) -> Callback<T> {
    let c = c.clone();
    Callback::from(move |x| f(&c, x))
}

/// A callback that dispatches the action made of what it is given.
fn dispatch<T: 'static>(c: &Controller, action: impl Fn(T) -> Action + 'static) -> Callback<T> {
    let c = c.clone();
    Callback::from(move |x| c.dispatch(action(x)))
}

impl PartialEq for Callbacks {
    /// Made once per page: equal when they are the same set.
    fn eq(&self, other: &Self) -> bool {
        self.train == other.train
    }
}

/// A new seed from the browser's entropy (only the user's "New seed" press
/// draws one: everything else flows from the experiment's seed).
fn new_seed() -> u64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u32::from_le_bytes(bytes).max(1) as u64,
        Err(_) => 1 + (js_sys::Math::random() * u32::MAX as f64) as u64,
    }
}

/// Collects events and hands them to the reducer together, at most every
/// [`BATCH_MS`]: a search's trials finish many times a second, and each
/// update re-renders the page.
pub struct Batcher {
    queue: RefCell<Vec<Event>>,
    dispatcher: UseReducerDispatcher<LabState>,
}

impl Batcher {
    pub fn new(dispatcher: UseReducerDispatcher<LabState>) -> Rc<Self> {
        Rc::new(Batcher { queue: RefCell::default(), dispatcher })
    }

    pub fn callback(self: &Rc<Self>) -> Callback<Event> {
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
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    wasm_bindgen::JsCast::unchecked_ref(&flush),
                    BATCH_MS,
                );
            }
        })
    }

    /// Hands over what is queued now (before an action that must come after it).
    pub fn flush(&self) {
        let events = std::mem::take(&mut *self.queue.borrow_mut());
        if !events.is_empty() {
            self.dispatcher.dispatch(Action::Worker(Event::Batch { events }));
        }
    }
}

/// How long search events wait to be shown together.
const BATCH_MS: i32 = 150;
