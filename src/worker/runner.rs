//! The training worker's loop (wasm32 only).
//!
//! Training runs in slices of about [`CHUNK_MS`]; between slices the loop
//! returns to the browser's event loop (a zero-delay timer), so a `Pause`,
//! `Step`, `Stop` or new `Start` is handled within one slice. A slice ends
//! between any two pieces of work — a mini-batch, a block of evaluated
//! examples, a block of a view's points (`Trainer::advance`, `ViewJob`) — so
//! a large network's epoch of seconds never holds a command back longer than
//! one mini-batch. Several runs train in lockstep: each round, every active
//! run finishes one epoch. Progress is posted at most every
//! [`POST_INTERVAL_MS`] per run; runs in lockstep post together. A bundled
//! data set is fetched the first time it is used.
//!
//! A panic (or an error the worker cannot catch, such as running out of
//! memory) ends the worker: the panic hook posts `Event::Crashed` and the
//! page starts a fresh one.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::data::{with_data, with_file};
use super::port::{post, scope};
use super::protocol::{About, CHUNK_MS, Command, EvaluateCommand, Event, NetworkPicture, Pace, RunId, TrainCommand};
use super::view::ViewJob;
use crate::engine::train::{RunState, Trainer};
use crate::experiment::ExperimentSpec;
use crate::experiment::search::{evaluate, test_score};

/// How long the warm-up trains (`TrainCommand::Warm`), in slices of
/// [`CHUNK_MS`]; its network's view and picture follow.
const WARM_MS: f64 = 40.0;
/// Interval between ticks of a paced run (about one display frame).
const PACED_TICK_MS: f64 = 16.0;
/// Least time between two progress posts of one run while it trains (its end,
/// a pause or a step is always posted at once): the page redraws a run's
/// charts on each post, so this bounds the main thread's work.
const POST_INTERVAL_MS: f64 = 33.0;
/// Least time between two posts of how far a long epoch has got.
const PARTIAL_INTERVAL_MS: f64 = 250.0;
/// Least time between two pictures of the network (its unit maps cost up
/// to `picture::PICTURE_WORK` multiply-adds).
const PICTURE_INTERVAL_MS: f64 = 200.0;

struct Run {
    id: RunId,
    spec: ExperimentSpec,
    trainer: Trainer,
    paused: bool,
    /// Epochs that `Step`s asked for and a paused run still owes.
    steps: usize,
    /// Records already posted to the page.
    posted: usize,
    /// Whether the page has been told the run ended.
    end_posted: bool,
    /// When progress (or a long epoch's share done) was last posted.
    last_post_ms: f64,
    last_partial_ms: f64,
    /// The view of the network being computed for the next post; the run
    /// does not train until it is done.
    view: Option<ViewJob>,
    /// Records there were when the last view was posted.
    view_at: usize,
    /// When the network view's picture was last sent (the lab's run only).
    last_picture_ms: f64,
}

impl Run {
    fn new(id: RunId, spec: ExperimentSpec, trainer: Trainer) -> Run {
        Run {
            id,
            spec,
            trainer,
            paused: false,
            steps: 0,
            posted: 0,
            end_posted: false,
            last_post_ms: 0.0,
            last_partial_ms: 0.0,
            view: None,
            view_at: 0,
            last_picture_ms: f64::NEG_INFINITY,
        }
    }

    /// Whether the next post should carry a picture of the network: the
    /// lab's own run, at most [`PICTURE_INTERVAL_MS`] apart, and always when
    /// it stops (paused, stepped or over).
    fn picture_due(&self, now: f64) -> bool {
        matches!(self.id, RunId::Main(_)) && (now - self.last_picture_ms >= PICTURE_INTERVAL_MS || !self.active())
    }

    /// Whether the run trains in the next round.
    fn active(&self) -> bool {
        (!self.paused || self.steps > 0) && self.trainer.state() == RunState::Training
    }

    /// Whether the page should hear about this run now: it ended, or new
    /// records are old enough.
    fn post_due(&self, now: f64) -> bool {
        let ended = self.trainer.state().is_over() && !self.end_posted;
        let fresh = self.posted < self.trainer.records().len() && now - self.last_post_ms >= POST_INTERVAL_MS;
        ended || fresh
    }
}

struct State {
    runs: Vec<Run>,
    pace: Pace,
    /// Fractional epochs owed to paced runs.
    owed: f64,
    last_tick_ms: f64,
    tick_scheduled: bool,
    /// Counts starts (and stops): a data file's fetch that finishes after a
    /// newer one is dropped.
    starts: u64,
    /// The runs of the newest start, which may still be waiting for their data.
    starting: Vec<RunId>,
    /// Steps asked for while the run's data was still loading.
    pending_steps: usize,
    /// The runs (by id) that have yet to finish the current round's epoch.
    round: Vec<RunId>,
}

thread_local! {
    static STATE: RefCell<State> = const {
        RefCell::new(State {
            runs: Vec::new(),
            pace: Pace::Max,
            owed: 0.0,
            last_tick_ms: 0.0,
            tick_scheduled: false,
            starts: 0,
            starting: Vec::new(),
            pending_steps: 0,
            round: Vec::new(),
        })
    };
    static TICK: Closure<dyn Fn()> = Closure::new(tick);
    /// The user's data of the job this pool worker trains for, and the job's id.
    static JOB_DATA: RefCell<Option<(u32, crate::experiment::OwnData)>> = const { RefCell::new(None) };
}

fn now_ms() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

/// Installs the message handler and announces readiness.
pub fn start() {
    super::port::listen(handle, || {
        STATE.with_borrow_mut(|s| panic!("a fault injected by a test, with {} run(s) in the worker", s.runs.len()))
    });
}

/// Trains and scores one trial (a pool worker), or the best trial on the test split.
fn evaluate_trial(cmd: EvaluateCommand) {
    match cmd {
        EvaluateCommand::Test { search_id, trial_id, spec, metric } => with_data(*spec, move |spec, text| {
            post(&Event::TestScored { search_id, trial_id, result: test_score(&spec, metric, text) });
        }),
        EvaluateCommand::Trial { search_id, trial_id, spec, metric, folds } => match with_job_data(search_id, *spec) {
            Ok(spec) => with_data(spec, move |spec, text| {
                let result = evaluate(&spec, metric, folds, text);
                post(&Event::TrialDone { search_id, trial_id, result });
            }),
            Err(failure) => post(&Event::TrialDone { search_id, trial_id, result: Err(failure) }),
        },
        EvaluateCommand::Data { search_id, own } => JOB_DATA.with_borrow_mut(|d| *d = Some((search_id, *own))),
    }
}

/// A trial's spec with the user's data put back (a trial comes without it:
/// the job's [`EvaluateCommand::Data`] came before), if it trains on theirs.
fn with_job_data(
    search_id: u32,
    mut spec: ExperimentSpec,
) -> Result<ExperimentSpec, crate::experiment::search::Failure> {
    if spec.data.kind != crate::experiment::DataKind::Own || spec.data.own.is_some() {
        return Ok(spec);
    }
    JOB_DATA.with_borrow(|d| match d {
        Some((id, own)) if *id == search_id => {
            spec.data.own = Some(own.clone());
            Ok(spec)
        }
        _ => Err(crate::experiment::search::Failure {
            message: "your data did not reach the worker training this trial: run the search again".into(),
            epochs: 0,
        }),
    })
}

fn handle(cmd: Command) {
    match cmd {
        Command::Train(t) => train(t),
        Command::Evaluate(e) => evaluate_trial(e),
        // The study worker's (`coordinator`): a page that sent it here has a bug.
        Command::Coordinate(_) | Command::Script { .. } | Command::Figure { .. } => post(&Event::Error {
            about: About::Worker,
            message: "the training worker was sent a search's or an export's command".into(),
        }),
    }
}

/// The training loop's commands.
fn train(cmd: TrainCommand) {
    match cmd {
        TrainCommand::Race { run_id, surface, start, steps, yours } => {
            let race = super::protocol::Race::run(surface, start, steps, yours.as_deref());
            post(&Event::Raced { run_id, race })
        }
        TrainCommand::LrFind { run_id, spec } => with_data(*spec, move |spec, text| {
            let config = crate::engine::train::lr_finder::LrFinderConfig::default();
            match spec.lr_range_test(&config, text) {
                Ok(result) => post(&Event::LrFound { run_id, result }),
                Err(e) => post(&Event::Error { about: About::Run(run_id), message: e.to_string() }),
            }
        }),
        TrainCommand::Start { run_id, spec, pace } => start_runs(vec![(run_id, *spec)], pace),
        TrainCommand::StartGroup { runs, pace } => start_runs(runs, pace),
        TrainCommand::SetPace { pace } => STATE.with_borrow_mut(|s| {
            s.pace = pace;
            s.owed = 0.0;
        }),
        TrainCommand::Pause { run_id } => STATE.with_borrow_mut(|s| pause(s, run_id)),
        TrainCommand::Resume { run_id } => STATE.with_borrow_mut(|s| {
            if let Some(run) = s.runs.iter_mut().find(|r| r.id == run_id) {
                run.paused = false;
                s.owed = 0.0;
                s.last_tick_ms = now_ms();
                schedule(s, 0.0);
            }
        }),
        TrainCommand::SetLr { run_id, lr } => STATE.with_borrow_mut(|s| {
            if let Some(run) = s.runs.iter_mut().find(|r| r.id == run_id) {
                run.trainer.set_lr(lr);
                if let Some(&change) = run.trainer.lr_changes().last() {
                    post(&Event::LrChanged { run_id, change });
                }
            }
        }),
        TrainCommand::Step { run_id } => STATE.with_borrow_mut(|s| match s.runs.iter_mut().find(|r| r.id == run_id) {
            Some(run) => {
                run.paused = true;
                run.steps += 1;
                schedule(s, 0.0);
            }
            // The run's data is still loading: step once it is ready.
            None if s.starting.contains(&run_id) => s.pending_steps += 1,
            None => {}
        }),
        TrainCommand::Warm { spec } => warm(*spec),
        TrainCommand::Stop => STATE.with_borrow_mut(|s| {
            s.runs.clear();
            s.round.clear();
            s.starts += 1;
            s.starting.clear();
        }),
    }
}

/// Trains a throwaway copy of `spec` for about [`WARM_MS`], computes its
/// view and its network's picture, and drops them all, unless a run has
/// started or is starting. V8 compiles a wasm function's fastest code only
/// after it has run a while, on background threads; without this, a user's
/// first run (the four regimes' click above all) shared this machine's two
/// cores with those compiles (docs/PERFORMANCE.md, "The training worker
/// warmed"). It works in slices of [`CHUNK_MS`] like the runs, so a command
/// waits for one slice at most, and is dropped as soon as a run starts.
/// Nothing of it is kept or posted: the data is generated (the page sends
/// no experiment with a file) and the run draws from its own seed.
fn warm(spec: ExperimentSpec) {
    if !idle() || spec.data.kind.bundled_file().is_some() {
        return;
    }
    let Ok(mut trainer) = spec.trainer_with(None) else { return };
    trainer.enable_diagnostics();
    later(WarmUp { spec, trainer, spent_ms: 0.0, view: None });
}

/// A warm-up under way ([`warm`]).
struct WarmUp {
    spec: ExperimentSpec,
    trainer: Trainer,
    /// Time spent so far, training and then on the view.
    spent_ms: f64,
    /// Its view, once the training is over.
    view: Option<ViewJob>,
}

/// The warm-up's next slice, in a task of its own.
fn later(w: WarmUp) {
    let next = Closure::once_into_js(move || warm_slice(w));
    let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(next.unchecked_ref(), 0);
}

/// No run has started and none is starting.
fn idle() -> bool {
    STATE.with_borrow(|s| s.runs.is_empty() && s.starting.is_empty())
}

/// One slice of a warm-up: training until [`WARM_MS`] is spent, then the
/// view until as long again is (a large network's view need not be
/// finished for its code to be warm), then the picture.
fn warm_slice(mut w: WarmUp) {
    if !idle() {
        return;
    }
    let start = now_ms();
    let mut stop = || now_ms() - start >= CHUNK_MS;
    let done = match w.view.as_mut() {
        None => {
            while !stop() && w.trainer.advance(&mut stop) && !w.trainer.state().is_over() {}
            false
        }
        Some(view) => view.advance(&mut w.trainer, &mut stop).is_some(),
    };
    w.spent_ms += now_ms() - start;
    if w.view.is_none() && (w.spent_ms >= WARM_MS || w.trainer.state().is_over()) {
        w.view = Some(ViewJob::new(&w.trainer, &w.spec));
    } else if w.view.is_some() && (done || w.spent_ms >= 2.0 * WARM_MS) {
        let plane = (w.spec.data.n_inputs() == 2).then(|| w.spec.data.plane());
        let _ = NetworkPicture::of(&mut w.trainer, plane);
        return;
    }
    later(w);
}

/// Replaces the runs with `runs`, once their data is at hand.
fn start_runs(runs: Vec<(RunId, ExperimentSpec)>, pace: Pace) {
    let start = STATE.with_borrow_mut(|s| {
        s.starts += 1;
        s.starting = runs.iter().map(|(id, _)| *id).collect();
        s.runs.clear();
        s.round.clear();
        s.pace = pace;
        s.pending_steps = 0;
        s.starts
    });
    // Every run of a group uses the same data set. A newer start drops this one.
    let file = runs.first().and_then(|(_, s)| s.data.kind.bundled_file());
    with_file(file, move |text| match text {
        Ok(text) if STATE.with_borrow(|s| s.starts) == start => begin(runs, text.as_deref()),
        Ok(_) => {}
        Err(message) => {
            for (id, _) in runs {
                post(&Event::Error { about: About::Run(id), message: message.clone() });
            }
        }
    });
}

/// Pauses a run: acknowledged at once, mid-epoch if need be; its picture
/// follows when computed.
fn pause(s: &mut State, run_id: RunId) {
    let Some(run) = s.runs.iter_mut().find(|r| r.id == run_id) else { return };
    (run.paused, run.steps) = (true, 0);
    post(&progress(run, None));
    if run.view.is_none() && run.view_at < run.trainer.records().len() {
        run.view = Some(ViewJob::new(&run.trainer, &run.spec));
        schedule(s, 0.0);
    }
}

/// Builds the runs once their data is at hand, and starts them (paused,
/// with the epochs to step, if `Step`s came while the data loaded).
fn begin(runs: Vec<(RunId, ExperimentSpec)>, text: Option<&str>) {
    STATE.with_borrow_mut(|s| {
        let steps = std::mem::take(&mut s.pending_steps);
        s.starting.clear();
        for (id, spec) in runs {
            match spec.trainer_with(text) {
                Ok(mut trainer) => {
                    // What the page shows inside the network (a few per cent of the work).
                    trainer.enable_diagnostics();
                    let mut run = Run::new(id, spec, trainer);
                    (run.paused, run.steps) = (steps > 0, steps);
                    s.runs.push(run);
                }
                Err(e) => post(&Event::Error { about: About::Run(id), message: e.to_string() }),
            }
        }
        s.owed = 0.0;
        s.last_tick_ms = now_ms();
        schedule(s, 0.0);
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

/// One slice of about [`CHUNK_MS`]: views owed first, then the runs'
/// epochs in lockstep rounds, each piece of work followed by a look at the
/// clock; then the progress that is due, posted together.
fn tick() {
    STATE.with_borrow_mut(|s| {
        s.tick_scheduled = false;
        let start = now_ms();
        let elapsed_s = (start - s.last_tick_ms).max(0.0) / 1000.0;
        s.last_tick_ms = start;
        let mut rounds = match s.pace {
            Pace::Max => usize::MAX,
            Pace::EpochsPerSecond(rate) => {
                // Never owe more than a tenth of a second: no burst after the tab sleeps.
                s.owed = (s.owed + elapsed_s * rate).min(rate * 0.1 + 1.0);
                let n = s.owed.floor();
                s.owed -= n;
                n as usize
            }
        };
        let mut stop = || now_ms() - start >= CHUNK_MS;
        let mut events = Vec::new();
        loop {
            // A view being computed comes first: its run waits for it.
            if let Some(run) = s.runs.iter_mut().find(|r| r.view.is_some()) {
                let job = run.view.as_mut().expect("found above");
                match job.advance(&mut run.trainer, &mut stop) {
                    Some(view) => {
                        run.view = None;
                        let now = now_ms();
                        let picture = run.picture_due(now).then(|| {
                            run.last_picture_ms = now;
                            Box::new(NetworkPicture::of(
                                &mut run.trainer,
                                (run.spec.data.n_inputs() == 2).then(|| run.spec.data.plane()),
                            ))
                        });
                        let mut event = progress(run, Some(view));
                        if let Event::Progress { network, .. } = &mut event {
                            *network = picture;
                        }
                        events.push(event);
                        // The lab's run, ended, with a test split: its test scores, as `hyperlab run` ends.
                        if run.end_posted && matches!(run.id, RunId::Main(_)) && !run.trainer.data().test.is_empty() {
                            events.push(Event::Tested { run_id: run.id, scores: run.trainer.evaluate_test().scores });
                        }
                        continue;
                    }
                    None => break,
                }
            }
            // The round: every active run finishes one epoch.
            let runs = &s.runs;
            s.round.retain(|id| runs.iter().any(|r| r.id == *id && r.active()));
            if s.round.is_empty() {
                if rounds == 0 || !s.runs.iter().any(Run::active) {
                    break;
                }
                rounds -= 1;
                s.round = s.runs.iter().filter(|r| r.active()).map(|r| r.id).collect();
            }
            let id = s.round[0];
            let Some(run) = s.runs.iter_mut().find(|r| r.id == id) else { break };
            if !run.trainer.advance(&mut stop) {
                break;
            }
            s.round.remove(0);
            if run.paused {
                run.steps = run.steps.saturating_sub(1);
            }
            let now = now_ms();
            if run.post_due(now) || (run.paused && run.steps == 0) {
                run.view = Some(ViewJob::new(&run.trainer, &run.spec));
            }
            if stop() {
                break;
            }
        }
        let now = now_ms();
        for run in &mut s.runs {
            if run.view.is_none() && run.post_due(now) {
                // Records that came while the post was not yet due: their picture next slice.
                run.view = Some(ViewJob::new(&run.trainer, &run.spec));
            } else if run.trainer.epoch_progress().is_some()
                && run.active()
                && now - run.last_post_ms.max(run.last_partial_ms) >= PARTIAL_INTERVAL_MS
            {
                // A long epoch: say how far it has got.
                run.last_partial_ms = now;
                events.push(progress(run, None));
            }
        }
        match events.len() {
            0 => {}
            1 => post(&events[0]),
            _ => post(&Event::Batch { events }),
        }
        if s.runs.iter().any(|r| r.active() || r.view.is_some()) {
            let paced = matches!(s.pace, Pace::EpochsPerSecond(_)) && s.round.is_empty();
            schedule(s, if paced { PACED_TICK_MS } else { 0.0 });
        }
    });
}

/// The run's progress since its last post, marked as posted (with `view`,
/// the picture of its network now).
fn progress(run: &mut Run, view: Option<super::protocol::View>) -> Event {
    let from = run.posted.min(run.trainer.records().len());
    let records = run.trainer.records()[from..].to_vec();
    let diagnostics = run.trainer.diagnostics().get(from..).map(<[_]>::to_vec).unwrap_or_default();
    run.posted = run.trainer.records().len();
    if view.is_some() {
        run.view_at = run.posted;
        run.end_posted = run.trainer.state().is_over();
        run.last_post_ms = now_ms();
    }
    Event::Progress {
        run_id: run.id,
        records,
        diagnostics,
        network: None,
        view,
        state: run.trainer.state(),
        paused: run.paused && run.steps == 0,
        initial_loss: run.trainer.initial_scores_if_known().map_or(f64::NAN, |s| s.loss),
        partial: run.trainer.epoch_progress(),
    }
}
