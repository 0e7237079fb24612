//! What the user and the workers do to the page's state.

use std::rc::Rc;

use crate::engine::surface::Surface;
use crate::engine::train::RunState;
use crate::experiment::ExperimentSpec;
use crate::experiment::regimes::regime_specs;
use crate::worker::protocol::{About, Event, RunId, ScriptKind};

use super::*;

pub enum Action {
    Worker(Event),
    /// The training worker failed with this message; a fresh one is loading.
    WorkerCrashed(String),
    /// The study worker failed (panicked or ran out of memory): the search or
    /// comparison it coordinated, or the script it was writing, fails.
    StudyCrashed(String),
    /// Show the optimizer race of this spec's surface, start and steps (not a
    /// new experiment: the run goes on).
    SetRace(crate::experiment::RaceSpec),
    DismissWorkerError,
    /// The user started (a new run `run_id`) or resumed training.
    Started {
        run_id: u32,
    },
    /// The user paused training.
    Paused,
    /// The user asked for one epoch (of run `run_id`).
    Stepped {
        run_id: u32,
    },
    /// Drop the run (if any) and show a fresh experiment.
    Reset,
    /// Change the experiment; resets any run.
    SetSpec(Box<ExperimentSpec>),
    SetPace(usize),
    /// The four-regime runs were started as this group.
    StartRegimes {
        group: u32,
    },
    CloseRegimes,
    /// The LR range test was asked for.
    LrFindStarted,
    /// A script was asked of the worker.
    ScriptAsked(ScriptKind),
    /// It came back and was downloaded (`None`), or why not.
    ScriptDone(ScriptKind, Option<String>),
    CloseLrFinder,
    /// A race on this surface was asked for.
    RaceStarted(Surface),
    CloseRace,
    /// Keep the current run (its spec and records) for comparison.
    AddToComparison,
    RemoveKept(u32),
    /// Open the search panel with these settings (search keys of a link), or close it.
    SetSearchQuery(Option<String>),
    /// A search was sent to the worker.
    SearchStarting {
        id: u32,
        space: crate::engine::search::Space,
        population: Option<usize>,
        /// The experiment and search, as a link's query.
        source: String,
    },
    /// An equal-budget comparison was sent to the worker.
    CompareStarting {
        id: u32,
    },
    /// The user cancelled the comparison.
    CompareCancelled,
    /// The user cancelled the search: running trials are dropped, finished ones kept.
    SearchCancelled,
    /// A copy of a kept run with one change, about to be trained as run `RunId::Kept(key)`.
    AddVariant {
        key: u32,
        spec: Box<ExperimentSpec>,
    },
    ToggleKept(u32),
    SetKeptMetric(Quantity),
    ToggleKeptLogY,
    /// The link's runs were sent to the worker.
    ReplayStarted,
    /// The link's tools were opened.
    ToolsOpened,
    /// The user asked for a tool from the toolbar: its panel comes into
    /// view, even with a lesson step open.
    ToolAsked,
    /// The link's search was started (`autorun=1`).
    AutorunStarted,
    /// Forget the kept runs (and what the browser saved).
    ClearKept,
    /// Open a lesson step: its experiment replaces the lab's (the run is
    /// dropped, the tools it names open), the kept runs stay.
    OpenLesson(Place),
    CloseLesson,
    /// Show or hide the list of lessons.
    ShowLessonIndex(bool),
    /// The student answered the open step's question right.
    LessonAnswered,
    ResetProgress,
    StorageError(Option<String>),
    /// The data the link names, from this browser's storage or the file the
    /// user loaded: the link's experiment (and kept runs) on them.
    OwnDataFound(Box<crate::experiment::OwnData>),
    /// This browser's storage has not got the link's data: ask the user.
    OwnDataMissing,
    /// The file loaded is not the link's data: why.
    OwnDataProblem(String),
    /// Use the lab's data instead of the link's file.
    DismissWanted,
}

impl LabState {
    /// The state after `action`, which happened at `now_ms` on the page's
    /// clock (when trials end, searches start). Returns `self` itself when
    /// nothing changed, so nothing redraws (the page's state is always held
    /// elsewhere too; a state only this call holds is changed in place).
    pub fn reduce(self: Rc<Self>, action: Action, now_ms: f64) -> Rc<Self> {
        let idle_before = self.status.run_state().is_none();
        // A state no one else holds (inside a batch, after its first event)
        // is changed in place: copying it copied the search's every trial
        // row for every event of a batch (docs/PERFORMANCE.md). A shared one
        // is copied, and comes back itself when nothing changed.
        let (mut next, shared) = match Rc::try_unwrap(self) {
            Ok(owned) => (owned, None),
            Err(shared) => ((*shared).clone(), Some(shared)),
        };
        // Nothing changed: the state as it was (where nothing else held it,
        // `next` is it: the arms return before changing anything).
        macro_rules! unchanged {
            () => {
                return shared.unwrap_or_else(|| Rc::new(next))
            };
        }
        match action {
            Action::Worker(Event::Batch { events }) => {
                let state = shared.unwrap_or_else(|| Rc::new(next));
                return events.into_iter().fold(state, |state, e| state.reduce(Action::Worker(e), now_ms));
            }
            Action::Worker(Event::Ready) => {
                if next.status == Status::Loading {
                    next.status = Status::Ready;
                }
            }
            Action::Worker(Event::Progress {
                run_id: RunId::Kept(key),
                records,
                diagnostics,
                view,
                state,
                initial_loss,
                ..
            }) => match next.kept.iter_mut().find(|r| r.key == key) {
                Some(run) => {
                    run.history.push_with(records, diagnostics);
                    if let Some(view) = view {
                        run.view = Some(Rc::new(view));
                    }
                    run.ended = state.is_over();
                    run.state = state;
                    if initial_loss.is_finite() {
                        run.initial_loss = initial_loss;
                    }
                }
                None => unchanged!(),
            },
            Action::Worker(Event::Progress {
                run_id: RunId::Regime { group, index },
                records,
                diagnostics,
                view,
                state,
                initial_loss,
                ..
            }) => {
                let Some(regimes) = next.regimes.as_mut().filter(|r| r.group == group) else { unchanged!() };
                let Some(r) = Rc::make_mut(regimes).runs.get_mut(index as usize) else { unchanged!() };
                r.history.push_with(records, diagnostics);
                if let Some(view) = view {
                    r.view = Some(Rc::new(view));
                }
                r.state = state;
                if initial_loss.is_finite() {
                    r.initial_loss = initial_loss;
                }
            }
            Action::Worker(Event::Progress {
                run_id: RunId::Main(n),
                records,
                diagnostics,
                network,
                view,
                state,
                paused,
                partial,
                initial_loss,
                ..
            }) => {
                if n != next.run_id {
                    unchanged!();
                }
                next.history.push_with(records, diagnostics);
                if initial_loss.is_finite() {
                    next.initial_loss = initial_loss;
                }
                if let Some(network) = network {
                    next.network = Some(Rc::new(*network));
                }
                if let Some(view) = view {
                    next.view = Some(Rc::new(view));
                }
                next.worker_paused = paused;
                next.partial = partial;
                match state {
                    // Running or Paused: the user's latest command decides.
                    RunState::Training => {}
                    RunState::Finished => next.status = Status::Finished,
                    RunState::Stopped { best_epoch } => next.status = Status::Stopped { best_epoch },
                    RunState::Diverged { epoch } => next.status = Status::Diverged { epoch },
                }
                // A training that ends during "beat the search" is one of the student's.
                if state != RunState::Training && idle_before && beat::counts(&next) {
                    keep_current(&mut next);
                }
            }
            Action::Worker(Event::Tested { run_id, scores }) => {
                if run_id != RunId::Main(next.run_id) {
                    unchanged!();
                }
                next.test = Some(scores);
            }
            Action::Worker(Event::LrChanged { run_id, change }) => {
                if run_id != RunId::Main(next.run_id) {
                    unchanged!();
                }
                // Recorded in the experiment (and so in the URL), without a reset.
                next.spec.lr_changes.retain(|c| c.epoch < change.epoch);
                next.spec.lr_changes.push(change);
            }
            Action::Worker(Event::Raced { race, .. }) => match &next.race {
                Some((surface, _)) if *surface == race.surface => next.race = Some((*surface, Some(Rc::new(race)))),
                _ => unchanged!(),
            },
            // The page downloads the script (or reports why not) as `ScriptDone`;
            // a figure goes to the button that asked for it (`Controller::figure_svg`).
            Action::Worker(Event::Script { .. } | Event::Figure { .. }) => unchanged!(),
            Action::Worker(Event::LrFound { result, .. }) => {
                if next.lr_finder.is_none() {
                    unchanged!();
                }
                next.lr_finder = Some(Some(Rc::new(result)));
            }
            Action::Worker(Event::ComparisonProgress { search_id, done, total }) => {
                let Some(c) = next.comparison.as_mut().filter(|c| c.id == search_id && c.running()) else {
                    unchanged!();
                };
                let c = Rc::make_mut(c);
                (c.done, c.total) = (done, total);
            }
            Action::Worker(Event::SearchStarted { search_id, metric, budget, .. })
                if next.comparison.as_ref().is_some_and(|c| c.id == search_id) =>
            {
                if let Some(c) = next.comparison.as_mut() {
                    let c = Rc::make_mut(c);
                    (c.metric, c.total) = (Some(metric), budget);
                }
            }
            Action::Worker(Event::ComparisonDone { search_id, metric, curves }) => {
                let Some(c) = next.comparison.as_mut().filter(|c| c.id == search_id) else { unchanged!() };
                let c = Rc::make_mut(c);
                (c.metric, c.curves, c.done) = (Some(metric), Some(curves), c.total);
            }
            Action::Worker(Event::Error { about: About::Comparison(id), message }) => {
                let Some(c) = next.comparison.as_mut().filter(|c| c.id == id && c.curves.is_none()) else {
                    unchanged!();
                };
                Rc::make_mut(c).error = Some(message);
            }
            Action::Worker(Event::Error { about: About::Search(id), message }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == id) else { unchanged!() };
                Rc::make_mut(search).phase = SearchPhase::Failed(message);
            }
            Action::Worker(Event::SearchStarted { search_id, keys, metric, budget, grid_size }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { unchanged!() };
                let s = Rc::make_mut(search);
                (s.keys, s.metric, s.budget, s.grid_size, s.phase) =
                    (keys, Some(metric), budget, grid_size, SearchPhase::Running);
            }
            Action::Worker(Event::SearchAsked { search_id, trial, done }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { unchanged!() };
                let s = Rc::make_mut(search);
                if s.phase == SearchPhase::Cancelled {
                    // An answer to an ask sent before the cancel: nobody will train it.
                    unchanged!();
                }
                if let Some(t) = trial {
                    // Trials come without the user's data: the search holds it.
                    let mut spec = *t.spec;
                    if spec.data.kind == crate::experiment::DataKind::Own {
                        spec.data.own = s.own.clone();
                    }
                    s.trials.push(TrialRow {
                        id: t.trial_id,
                        generation: t.generation,
                        rung: t.rung,
                        bracket: t.bracket,
                        values: t.values.into(),
                        spec: Some(Rc::new(spec)),
                        outcome: TrialOutcome::Running,
                        ended_ms: None,
                    });
                } else if done && s.phase == SearchPhase::Running {
                    s.phase = SearchPhase::Exhausted;
                    s.settle();
                } else {
                    unchanged!();
                }
            }
            Action::Worker(Event::TrialDone { search_id, trial_id, result }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { unchanged!() };
                let s = Rc::make_mut(search);
                let outcome = match result {
                    Ok(e) => TrialOutcome::Scored {
                        value: e.value,
                        spread: e.spread,
                        epochs: e.epochs,
                        curve: e.curve.into(),
                    },
                    Err(f) => TrialOutcome::Failed { message: f.message, epochs: f.epochs },
                };
                match s.trials.iter_mut().find(|t| t.id == trial_id) {
                    Some(t) if t.outcome == TrialOutcome::Running => {
                        t.outcome = outcome;
                        t.ended_ms = Some(now_ms);
                    }
                    Some(_) => unchanged!(),
                    // Refused by the study before it reached a worker (an invalid combination).
                    None => s.trials.push(TrialRow {
                        id: trial_id,
                        generation: 0,
                        rung: 0,
                        bracket: 0,
                        values: Rc::from([]),
                        spec: None,
                        outcome,
                        ended_ms: Some(now_ms),
                    }),
                }
                s.settle();
            }
            Action::Worker(Event::Surrogate { search_id, slices, map, densities }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { unchanged!() };
                let s = Rc::make_mut(search);
                (s.surrogate, s.surrogate_map, s.densities) = (slices, map.map(Rc::new), densities);
            }
            Action::Worker(Event::TestScored { search_id, trial_id, result }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { unchanged!() };
                Rc::make_mut(search).test = Some((trial_id, result));
            }
            Action::Worker(Event::Error { about: About::Worker, message }) => next.status = Status::Failed(message),
            Action::Worker(Event::Error { about: About::Run(run_id), message }) => match run_id {
                RunId::Main(n) if n == next.run_id => next.status = Status::Failed(message),
                // A kept run that cannot be retrained keeps what it has.
                RunId::Kept(key) => match next.kept.iter_mut().find(|r| r.key == key) {
                    Some(run) => run.ended = true,
                    None => unchanged!(),
                },
                _ => unchanged!(),
            },
            // The bridge turns a crash into WorkerCrashed (after replacing the worker).
            Action::Worker(Event::Crashed { message }) | Action::WorkerCrashed(message) => {
                // Everything the failed worker was doing is gone; what the page holds stays.
                reset(&mut next);
                next.status = Status::Loading;
                stop_kept_runs(&mut next);
                next.replay_pending = false;
                next.regimes = None;
                if matches!(next.lr_finder, Some(None)) {
                    next.lr_finder = None;
                }
                if matches!(next.race, Some((_, None))) {
                    next.race = None;
                }
                // A finished search's best trial was being checked on the test split
                // by this worker: the check will not come.
                if let Some(search) = next.search.as_mut().filter(|s| s.phase == SearchPhase::Done && s.test.is_none())
                    && let Some(best) = search.best().map(|t| t.id)
                {
                    let lost = format!(
                        "the training worker stopped ({message}) before checking it on the test split; run the search again to check it"
                    );
                    Rc::make_mut(search).test = Some((best, Err(lost)));
                }
                next.worker_error = Some(message);
            }
            Action::StudyCrashed(message) => {
                let lost = format!("the search's worker stopped ({message})");
                if let Some(search) = next.search.as_mut().filter(|s| s.phase.running()) {
                    let s = Rc::make_mut(search);
                    for t in s.trials.iter_mut().filter(|t| t.outcome == TrialOutcome::Running) {
                        t.outcome = TrialOutcome::Cancelled;
                    }
                    s.phase = SearchPhase::Failed(lost.clone());
                }
                if let Some(c) = next.comparison.as_mut().filter(|c| c.running()) {
                    Rc::make_mut(c).error = Some(lost.clone());
                }
                if let ScriptExport::Writing(kind) = next.script {
                    next.script = ScriptExport::Failed(kind, lost);
                }
            }
            Action::DismissWorkerError => next.worker_error = None,
            Action::SetRace(race) => {
                if race == next.spec.race {
                    unchanged!();
                }
                next.spec.race = race;
            }
            Action::Started { run_id } => {
                if run_id != next.run_id {
                    reset(&mut next);
                    next.run_id = run_id;
                    stop_kept_runs(&mut next);
                }
                next.status = Status::Running;
                next.worker_paused = false;
                next.run_reset = false;
            }
            Action::Paused => {
                if next.status == Status::Running {
                    next.status = Status::Paused;
                }
            }
            Action::Stepped { run_id } => {
                if run_id != next.run_id {
                    reset(&mut next);
                    next.run_id = run_id;
                }
                next.status = Status::Paused;
                next.run_reset = false;
            }
            Action::Reset => {
                reset(&mut next);
                next.run_reset = false;
            }
            Action::SetSpec(spec) => {
                if *spec == next.spec {
                    unchanged!();
                }
                let had_run = !next.history.is_empty() || next.status.has_run();
                next.spec = *spec;
                reset(&mut next);
                next.run_reset = had_run;
            }
            Action::SetPace(idx) => next.pace_idx = idx.min(PACES.len() - 1),
            Action::ToolsOpened => next.tools_pending.clear(),
            Action::ToolAsked => {
                if !next.step_holds_view {
                    unchanged!();
                }
                next.step_holds_view = false;
            }
            Action::AutorunStarted => next.autorun_pending = false,
            Action::StartRegimes { group } => {
                // The worker dropped the main run to train the four.
                reset(&mut next);
                stop_kept_runs(&mut next);
                let runs = regime_specs(&next.spec)
                    .into_iter()
                    .map(|spec| RegimeRun {
                        spec,
                        history: History::default(),
                        view: None,
                        state: RunState::Training,
                        initial_loss: f64::NAN,
                    })
                    .collect();
                next.regimes = Some(Rc::new(Regimes { group, runs }));
            }
            Action::CloseRegimes => next.regimes = None,
            Action::LrFindStarted => next.lr_finder = Some(None),
            Action::ScriptAsked(kind) => next.script = ScriptExport::Writing(kind),
            Action::ScriptDone(kind, error) => {
                next.script = error.map_or(ScriptExport::Idle, |e| ScriptExport::Failed(kind, e))
            }
            Action::RaceStarted(surface) => next.race = Some((surface, None)),
            Action::AddToComparison => {
                if next.history.is_empty() {
                    unchanged!();
                }
                keep_current(&mut next);
            }
            Action::AddVariant { key, spec } => {
                next.kept.push(KeptRun {
                    key,
                    label: String::new(),
                    visible: true,
                    spec: *spec,
                    history: History::default(),
                    view: None,
                    ended: false,
                    state: RunState::Training,
                    initial_loss: f64::NAN,
                });
                relabel(&mut next.kept);
            }
            Action::RemoveKept(key) => {
                next.kept.retain(|r| r.key != key);
                relabel(&mut next.kept);
            }
            Action::ToggleKept(key) => {
                for r in next.kept.iter_mut().filter(|r| r.key == key) {
                    r.visible = !r.visible;
                }
            }
            Action::SetKeptMetric(m) => next.kept_metric = m,
            Action::SetSearchQuery(q) => next.search_query = q,
            Action::CompareStarting { id } => {
                next.comparison = Some(Rc::new(Comparison {
                    id,
                    metric: None,
                    curves: None,
                    error: None,
                    done: 0,
                    total: 0,
                    cancelled: false,
                    started_ms: now_ms,
                }));
            }
            Action::CompareCancelled => {
                let Some(c) = next.comparison.as_mut().filter(|c| c.running()) else { unchanged!() };
                Rc::make_mut(c).cancelled = true;
            }
            Action::SearchStarting { id, space, population, source } => {
                next.search = Some(Rc::new(SearchState {
                    id,
                    space,
                    keys: Vec::new(),
                    metric: None,
                    budget: 0,
                    grid_size: 0,
                    trials: Vec::new(),
                    phase: SearchPhase::Starting,
                    started_ms: now_ms,
                    test: None,
                    surrogate: Vec::new(),
                    population,
                    surrogate_map: None,
                    densities: Vec::new(),
                    source,
                    own: next.spec.data.own.clone(),
                    restored: false,
                }));
            }
            Action::SearchCancelled => {
                let Some(search) = next.search.as_mut() else { unchanged!() };
                let s = Rc::make_mut(search);
                for t in s.trials.iter_mut().filter(|t| t.outcome == TrialOutcome::Running) {
                    t.outcome = TrialOutcome::Cancelled;
                }
                s.phase = SearchPhase::Cancelled;
            }
            Action::ReplayStarted => next.replay_pending = false,
            Action::ClearKept => next.kept.clear(),
            Action::OwnDataFound(own) => {
                let Some(wanted) = next.wanted.take() else { unchanged!() };
                let (spec, runs, _) = crate::experiment::lab_from_query_on(&wanted.source, Some(&own));
                for (run, spec) in next.kept.iter_mut().zip(runs) {
                    run.spec = spec;
                }
                next.spec = spec;
                reset(&mut next);
                // The search this browser kept of the link, now that its trials have their data.
                let source =
                    next.search_query.as_ref().map(|q| format!("{}&{q}", crate::experiment::to_query(&next.spec)));
                if let (Some(saved), Some(source), None) = (wanted.saved_search, source, &next.search) {
                    if saved.source == source {
                        next.search = SearchState::from_saved((*saved).clone(), 0, Some(&own)).map(Rc::new);
                    }
                }
            }
            Action::OwnDataMissing => {
                if let Some(w) = &mut next.wanted {
                    w.asked = true;
                }
            }
            Action::OwnDataProblem(problem) => {
                if let Some(w) = &mut next.wanted {
                    w.problem = Some(problem);
                }
            }
            Action::DismissWanted => next.wanted = None,
            Action::StorageError(e) => {
                if e == next.storage_error {
                    unchanged!();
                }
                next.storage_error = e;
            }
            Action::OpenLesson(place) => {
                let lesson = LessonState::new(place);
                next.spec = lesson.setup.clone();
                reset(&mut next);
                next.run_reset = false;
                stop_kept_runs(&mut next);
                // The step's tools open afresh, on its experiment.
                next.regimes = None;
                next.lr_finder = None;
                next.race = None;
                next.tools_pending = crate::experiment::tools_from_query(&place.step().setup).0;
                // A step about searching opens the search lab with its settings.
                if let Some(search) = crate::experiment::search::search_from_query(&place.step().setup).0 {
                    next.search_query = Some(crate::experiment::search::search_to_query(&search));
                }
                next.lesson = Some(Rc::new(lesson));
                next.lesson_index = false;
                next.step_holds_view = true;
            }
            Action::CloseLesson => {
                next.lesson = None;
                next.lesson_index = false;
                next.step_holds_view = false;
            }
            Action::ShowLessonIndex(show) => next.lesson_index = show,
            Action::LessonAnswered => {
                let Some(l) = next.lesson.clone() else { unchanged!() };
                if !Rc::make_mut(&mut next.progress).mark_answered(&l.place.lesson.id, l.place.step) {
                    unchanged!();
                }
            }
            Action::ResetProgress => next.progress = Rc::default(),
            Action::ToggleKeptLogY => next.kept_log_y = !next.kept_log_y,
            Action::CloseRace => next.race = None,
            Action::CloseLrFinder => next.lr_finder = None,
        }
        next.mark_lesson();
        Rc::new(next)
    }
}

/// Keeps the lab's run (its spec and records) for comparison.
fn keep_current(next: &mut LabState) {
    let key = next.next_kept_key();
    next.kept.push(KeptRun {
        key,
        label: String::new(),
        visible: true,
        spec: next.spec.clone(),
        history: next.history.clone(),
        view: next.view.clone(),
        ended: true,
        state: next.status.run_state().unwrap_or(RunState::Finished),
        initial_loss: next.initial_loss,
    });
    relabel(&mut next.kept);
}
