//! The page's state and its reducer, natively: which run a worker's message
//! lands on, what a reset, a crash or a cancel does, a search's life from
//! its start to its end with the times the page's clock gave, and what the
//! browser keeps of it.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use hyperlab::engine::train::{EpochRecord, RunState, Scores};
use hyperlab::experiment::from_query;
use hyperlab::experiment::search::{Evaluated, Failure, parse_space};
use hyperlab::lab::{Action, LabState, SearchPhase, Status, TrialOutcome};
use hyperlab::worker::protocol::{About, AskedTrial, Event, RunId, ScriptKind, View};

fn record(epoch: usize) -> EpochRecord {
    let s = Scores { loss: 1.0 / epoch as f64, ..Scores::default() };
    EpochRecord { epoch, lr: 0.1, train: s, val: s }
}

fn progress(run_id: RunId, epochs: std::ops::RangeInclusive<usize>, state: RunState) -> Event {
    Event::Progress {
        run_id,
        records: epochs.map(record).collect(),
        diagnostics: vec![],
        network: None,
        view: Some(View::Curve { y: vec![0.0; 3] }),
        state,
        paused: false,
        initial_loss: 0.7,
        partial: None,
    }
}

/// The state after `actions`, each at the next millisecond.
fn after(state: Rc<LabState>, actions: Vec<Action>) -> Rc<LabState> {
    actions.into_iter().enumerate().fold(state, |s, (t, a)| s.reduce(a, 1000.0 + t as f64))
}

fn ready() -> Rc<LabState> {
    after(Rc::new(LabState::default()), vec![Action::Worker(Event::Ready)])
}

#[test]
fn messages_land_on_their_own_runs_and_a_reset_drops_late_ones() {
    let s = ready();
    assert_eq!(s.status, Status::Ready);
    let run = s.run_to_start().run_id();
    let s = after(
        s,
        vec![Action::Started { run_id: run }, Action::Worker(progress(RunId::Main(run), 1..=3, RunState::Training))],
    );
    assert_eq!(s.history.last().map(|r| r.epoch), Some(3));
    assert_eq!(s.status, Status::Running);
    // Reset: the old run's late message changes nothing (the very same state, so nothing redraws).
    let s = after(s, vec![Action::Reset]);
    let late = s.clone().reduce(Action::Worker(progress(RunId::Main(run), 4..=5, RunState::Training)), 2000.0);
    assert!(Rc::ptr_eq(&s, &late));
    assert!(late.history.is_empty());
    // A regime's message goes to its group's card; another group's is dropped.
    let s = after(s, vec![Action::StartRegimes { group: 7 }]);
    let s = after(s, vec![Action::Worker(progress(RunId::Regime { group: 7, index: 2 }, 1..=2, RunState::Finished))]);
    let regimes = s.regimes.clone().unwrap();
    assert_eq!(regimes.runs[2].history.last().map(|r| r.epoch), Some(2));
    assert!(regimes.runs[0].history.is_empty());
    let stale = s
        .clone()
        .reduce(Action::Worker(progress(RunId::Regime { group: 6, index: 0 }, 1..=1, RunState::Training)), 2000.0);
    assert!(Rc::ptr_eq(&s, &stale));
    // A kept run's message goes to the run with that key.
    let s = after(s, vec![Action::AddVariant { key: 4, spec: Box::default() }]);
    let s = after(
        s,
        vec![Action::Worker(Event::Batch {
            events: vec![
                progress(RunId::Kept(4), 1..=2, RunState::Training),
                progress(RunId::Kept(4), 3..=3, RunState::Finished),
            ],
        })],
    );
    let kept = s.kept.iter().find(|r| r.key == 4).unwrap();
    assert_eq!((kept.history.last().map(|r| r.epoch), kept.ended), (Some(3), true));
}

#[test]
fn errors_go_where_they_are_about() {
    let s = ready();
    let run = s.run_id;
    let s =
        after(s, vec![Action::Worker(Event::Error { about: About::Run(RunId::Main(run + 1)), message: "old".into() })]);
    assert_eq!(s.status, Status::Ready, "another run's error is not this run's");
    let s = after(s, vec![Action::Worker(Event::Error { about: About::Run(RunId::Main(run)), message: "bad".into() })]);
    assert_eq!(s.status, Status::Failed("bad".into()));
    // A search's error fails that search, not the lab's run.
    let space = parse_space("lr:log:0.001:1").unwrap();
    let s = after(
        ready(),
        vec![
            Action::SearchStarting { id: 3, space, population: None, source: "search=random".into() },
            Action::Worker(Event::Error { about: About::Search(3), message: "no".into() }),
        ],
    );
    assert_eq!(s.search.as_ref().unwrap().phase, SearchPhase::Failed("no".into()));
    assert_eq!(s.status, Status::Ready);
}

/// A lab whose run trains while a search and a comparison start, then `then`.
fn busy_lab(then: Vec<Action>) -> Rc<LabState> {
    let space = parse_space("lr:log:0.001:1").unwrap();
    let mut actions = vec![
        Action::Started { run_id: 1 },
        Action::Worker(progress(RunId::Main(1), 1..=2, RunState::Training)),
        Action::SearchStarting { id: 1, space, population: None, source: "search=random".into() },
        Action::CompareStarting { id: 2 },
    ];
    actions.extend(then);
    after(ready(), actions)
}

#[test]
fn a_training_worker_crash_fails_its_runs_not_the_search_and_a_fresh_worker_is_awaited() {
    let s = busy_lab(vec![Action::WorkerCrashed("panicked at x".into())]);
    assert_eq!(s.status, Status::Loading);
    assert_eq!(s.worker_error.as_deref(), Some("panicked at x"));
    assert!(s.history.is_empty());
    // The search and the comparison live in other workers: they go on.
    assert_eq!(s.search.as_ref().unwrap().phase, SearchPhase::Starting);
    assert!(s.comparison.as_ref().unwrap().running() && s.comparison.as_ref().unwrap().error.is_none());
    let s = after(s, vec![Action::Worker(Event::Ready)]);
    assert_eq!(s.status, Status::Ready);
    assert_eq!(s.worker_error.as_deref(), Some("panicked at x"), "the message stays until dismissed");
    let s = after(s, vec![Action::DismissWorkerError]);
    assert_eq!(s.worker_error, None);
}

#[test]
fn a_study_worker_crash_fails_the_search_the_comparison_and_the_export_but_not_the_run() {
    let s = busy_lab(vec![Action::ScriptAsked(ScriptKind::Optuna), Action::StudyCrashed("panicked at y".into())]);
    let lost = |m: &str| m.contains("the search's worker stopped") && m.contains("panicked at y");
    assert!(matches!(&s.search.as_ref().unwrap().phase, SearchPhase::Failed(m) if lost(m)));
    assert!(s.comparison.as_ref().unwrap().error.as_deref().is_some_and(lost));
    assert!(s.script.failure(ScriptKind::Optuna).is_some_and(lost));
    // The lab's run is the training worker's: it goes on, and no worker error is shown.
    assert_eq!(s.status, Status::Running);
    assert_eq!(s.history.len(), 2);
    assert_eq!(s.worker_error, None);
}

/// Search 1 started: the learning rate tuned, accuracy its metric, `budget` trials.
fn started_on_lr(budget: usize) -> Event {
    Event::SearchStarted {
        search_id: 1,
        keys: vec!["lr".into()],
        metric: hyperlab::engine::train::Metric::Accuracy,
        budget,
        grid_size: 4,
    }
}

fn asked(id: usize, lr: &str) -> Event {
    let (spec, _) = from_query(&format!("lr={lr}"));
    let trial =
        AskedTrial { trial_id: id, generation: 0, rung: 0, bracket: 0, values: vec![lr.into()], spec: Box::new(spec) };
    Event::SearchAsked { search_id: 1, trial: Some(trial), done: false }
}

fn scored(id: usize, value: f64) -> Event {
    let e = Evaluated { value, spread: 0.0, epochs: 10, curve: vec![value; 3] };
    Event::TrialDone { search_id: 1, trial_id: id, result: Ok(e) }
}

#[test]
fn a_search_runs_from_its_start_to_its_end_on_the_pages_clock() {
    let space = parse_space("lr:log:0.001:1").unwrap();
    let s = ready();
    let s = s.reduce(Action::SearchStarting { id: 1, space, population: None, source: "search=random".into() }, 100.0);
    let s = s.reduce(Action::Worker(started_on_lr(3)), 101.0);
    let search = s.search.clone().unwrap();
    assert_eq!((search.started_ms, search.phase.clone(), search.budget), (100.0, SearchPhase::Running, 3));
    let s = s.reduce(Action::Worker(Event::Batch { events: vec![asked(0, "0.01"), asked(1, "0.1")] }), 102.0);
    let s = s.reduce(Action::Worker(scored(1, 0.9)), 250.0);
    let s = s.reduce(Action::Worker(asked(2, "1")), 251.0);
    let s = s.reduce(Action::Worker(Event::SearchAsked { search_id: 1, trial: None, done: true }), 252.0);
    assert_eq!(s.search.as_ref().unwrap().phase, SearchPhase::Exhausted, "trials still run");
    let failure = Failure { message: "diverged".into(), epochs: 3 };
    let s = after(
        s,
        vec![
            Action::Worker(scored(0, 0.8)),
            Action::Worker(Event::TrialDone { search_id: 1, trial_id: 2, result: Err(failure) }),
        ],
    );
    let search = s.search.clone().unwrap();
    assert_eq!(search.phase, SearchPhase::Done);
    assert_eq!(search.trials.iter().find(|t| t.id == 1).unwrap().ended_ms, Some(250.0));
    assert_eq!(search.best().map(|t| t.id), Some(1));
    assert!(matches!(&search.trials[2].outcome, TrialOutcome::Failed { message, .. } if message == "diverged"));
    // Another search's messages change nothing.
    let other = s.clone().reduce(Action::Worker(Event::SearchAsked { search_id: 9, trial: None, done: true }), 300.0);
    assert!(Rc::ptr_eq(&s, &other));
    // The best trial's check on the test split is the training worker's: if it stops first, the check says so.
    let crashed = s.clone().reduce(Action::WorkerCrashed("panicked at z".into()), 400.0);
    let test = crashed.search.as_ref().unwrap().test.clone();
    assert!(matches!(&test, Some((1, Err(m))) if m.contains("training worker stopped (panicked at z)")), "{test:?}");
}

#[test]
fn a_batch_changed_in_place_ends_where_its_events_one_by_one_end() {
    let space = parse_space("lr:log:0.001:1").unwrap();
    let start = after(
        ready(),
        vec![
            Action::SearchStarting { id: 1, space, population: None, source: "search=random".into() },
            Action::Worker(started_on_lr(40)),
        ],
    );
    // Asks and results interleaved, no-ops among them (another search's, a result told twice).
    let mut events = Vec::new();
    for k in 0..40 {
        events.push(asked(k, &format!("0.0{}", k % 9 + 1)));
        if k >= 2 {
            events.push(scored(k - 2, 0.5 + (k % 7) as f64 / 20.0));
        }
        if k % 5 == 0 {
            events.push(Event::SearchAsked { search_id: 9, trial: None, done: true });
            events.push(scored(0, 0.1));
        }
    }
    // One by one, every state held (as the page holds it): each event copies the state.
    let mut held = vec![start.clone()];
    for e in events.clone() {
        let next = held.last().unwrap().clone().reduce(Action::Worker(e), 500.0);
        held.push(next);
    }
    // As one batch: after its first event, the state is changed in place.
    let batched = start.clone().reduce(Action::Worker(Event::Batch { events }), 500.0);
    // (The states themselves hold NaN, the run's initial loss before any run: compared by part.)
    let one_by_one = held.last().unwrap();
    assert!(batched.search == one_by_one.search, "the same search");
    assert!(batched.status == one_by_one.status && batched.history.len() == one_by_one.history.len());
    assert_eq!(batched.search.as_ref().unwrap().trials.len(), 40);
    // The state the batch started from is untouched.
    assert_eq!(start.search.as_ref().unwrap().trials.len(), 0);
    // A batch that changes nothing gives back the state itself.
    let noop = Event::Batch { events: vec![Event::SearchAsked { search_id: 9, trial: None, done: true }; 3] };
    assert!(Rc::ptr_eq(&batched, &batched.clone().reduce(Action::Worker(noop), 600.0)));
}

#[test]
fn a_cancel_keeps_what_finished_and_the_browser_keeps_the_search() {
    use hyperlab::lab::{SavedSearch, SearchState};
    let space = parse_space("lr:log:0.001:1").unwrap();
    let source = "v=1&search=random&trials=3&space=lr:log:0.001:1:4".to_string();
    let s = after(
        ready(),
        vec![
            Action::SearchStarting { id: 1, space, population: None, source: source.clone() },
            Action::Worker(started_on_lr(3)),
            Action::Worker(asked(0, "0.01")),
            Action::Worker(asked(1, "0.1")),
            Action::Worker(scored(0, 0.75)),
            Action::SearchCancelled,
        ],
    );
    let search = s.search.clone().unwrap();
    assert_eq!(search.phase, SearchPhase::Cancelled);
    assert_eq!(search.trials[1].outcome, TrialOutcome::Cancelled);
    // What the browser keeps, through its storage text, shows the same trials again.
    let saved = search.to_saved().unwrap();
    let text = hyperlab::storage::to_text(&saved).unwrap();
    let back: SavedSearch = hyperlab::storage::from_text(&text).unwrap();
    assert_eq!(back, saved);
    let shown = SearchState::from_saved(back, 0, None).unwrap();
    assert!(shown.restored);
    assert_eq!(shown.phase, SearchPhase::Cancelled);
    assert_eq!(
        shown.trials.iter().map(|t| t.outcome.clone()).collect::<Vec<_>>(),
        search.trials.iter().map(|t| t.outcome.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn a_change_that_changes_nothing_redraws_nothing() {
    let s = ready();
    let same = s.clone().reduce(Action::SetSpec(Box::default()), 5.0);
    assert!(Rc::ptr_eq(&s, &same));
    let other = s.clone().reduce(Action::SetSpec(Box::new(from_query("lr=0.3").0)), 5.0);
    assert!(!Rc::ptr_eq(&s, &other));
    assert_eq!(other.spec.lr, 0.3);
    assert_eq!(other.run_id, s.run_id + 1, "a new experiment is a new run");
}

/// The per-layer diagnostics arrive with the records and stay aligned with
/// them; a progress without them (or with the wrong count) adds none.
#[test]
fn diagnostics_are_kept_beside_their_records() {
    use hyperlab::engine::train::LayerStats;
    let state = Rc::new(LabState { status: Status::Ready, ..LabState::default() });
    let run_id = state.run_id;
    let stats = |e: usize| vec![LayerStats { weight_norm: e as f64, ..LayerStats::default() }; 2];
    let with = |epochs: std::ops::RangeInclusive<usize>, diag: Vec<Vec<LayerStats>>| match progress(
        RunId::Main(run_id),
        epochs,
        RunState::Training,
    ) {
        Event::Progress { run_id, records, view, state, paused, initial_loss, partial, .. } => Event::Progress {
            run_id,
            records,
            diagnostics: diag,
            network: None,
            view,
            state,
            paused,
            initial_loss,
            partial,
        },
        other => other,
    };
    let s = after(
        state,
        vec![
            Action::Started { run_id },
            Action::Worker(with(1..=2, vec![stats(1), stats(2)])),
            Action::Worker(with(3..=3, vec![])),
            Action::Worker(with(4..=5, vec![stats(4)])),
            Action::Worker(with(6..=6, vec![stats(6)])),
        ],
    );
    let epochs: Vec<(usize, f64)> = s.history.with_diagnostics().map(|(r, d)| (r.epoch, d[1].weight_norm)).collect();
    assert_eq!(epochs, vec![(1, 1.0), (2, 2.0), (6, 6.0)]);
    assert_eq!(s.history.iter().count(), 6);
}

/// Kept runs that would read the same are told apart by the values in which
/// they differ, a default one included ("batch 10", not "batch default").
#[test]
fn twin_kept_runs_are_named_by_their_values() {
    use hyperlab::lab::{KeptRun, relabel};
    let run = |key: u32, query: &str| KeptRun {
        key,
        label: String::new(),
        visible: true,
        spec: from_query(query).0,
        history: Default::default(),
        view: None,
        ended: true,
        state: hyperlab::engine::train::RunState::Finished,
        initial_loss: f64::NAN,
    };
    let mut runs = vec![run(0, "v=1"), run(1, "v=1&bs=32")];
    relabel(&mut runs);
    assert!(runs[0].label.ends_with(" · batch 10"), "{}", runs[0].label);
    assert!(runs[1].label.ends_with(" · batch 32"), "{}", runs[1].label);
    let mut runs = vec![run(0, "v=1&opt=adam"), run(1, "v=1&opt=adam&wd=1e-3")];
    relabel(&mut runs);
    assert!(runs[0].label.ends_with(" · wd 0"), "{}", runs[0].label);
    assert!(runs[1].label.ends_with(" · wd 1e-3"), "{}", runs[1].label);
}

/// Kept runs compare by a diagnostic: its largest value over the layers,
/// skipping what a layer does not measure; the menu keys read back.
#[test]
fn kept_runs_compare_by_the_layer_in_trouble() {
    use hyperlab::engine::train::LayerStats;
    use hyperlab::lab::{Inside, Quantity};
    let layers = [
        LayerStats { weight_norm: 2.0, grad_norm: 0.5, update_ratio: 1e-3, dead: 0.25 },
        LayerStats { weight_norm: 80.0, grad_norm: 0.0, update_ratio: 1e-6, dead: 1.0 },
        LayerStats { weight_norm: 3.0, grad_norm: 0.1, update_ratio: 2e-3, dead: f64::NAN },
    ];
    assert_eq!(Inside::WeightNorm.of(&layers), Some(80.0));
    assert_eq!(Inside::GradNorm.of(&layers), Some(0.5));
    assert_eq!(Inside::UpdateRatio.of(&layers), Some(2e-3));
    assert_eq!(Inside::Dead.of(&layers), Some(1.0));
    assert_eq!(Inside::Dead.of(&[LayerStats { dead: f64::NAN, ..LayerStats::default() }]), None);
    for q in Inside::ALL {
        assert_eq!(Quantity::from_key(Quantity::Inside(q).key()), Some(Quantity::Inside(q)));
    }
    assert_eq!(Quantity::from_key("accuracy"), Some(Quantity::Metric(hyperlab::engine::train::Metric::Accuracy)));
}
