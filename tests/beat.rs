//! "Beat the search" (`hyperlab::lab::beat`), natively: which of the
//! student's trainings count, how they are scored (as a search scores a
//! trial), and the reducer keeping each one that ends while the challenge is
//! on — and no more than the challenge allows.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use hyperlab::engine::train::{EpochRecord, Metric, RunState};
use hyperlab::experiment::search::{evaluate, search_from_query};
use hyperlab::experiment::{ExperimentSpec, from_query};
use hyperlab::lab::beat::{Standing, outside_space, standing};
use hyperlab::lab::{Action, LabState};
use hyperlab::worker::protocol::{Event, RunId};

const BASE: &str = "data=xor&n=50&ep=30";
const SEARCH: &str = "search=random&trials=3&space=lr:log:0.001:1:4&smetric=loss&beat=3";

fn spec(query: &str) -> ExperimentSpec {
    let (spec, notices) = from_query(query);
    assert!(notices.is_empty(), "{query}: {notices:?}");
    spec
}

/// A real training of `spec`: its records and how it ended.
fn trained(spec: &ExperimentSpec) -> (Vec<EpochRecord>, RunState) {
    let mut t = spec.trainer().expect("valid");
    let state = t.run_to_end();
    (t.records().to_vec(), state)
}

/// The lab after the student set `spec` and trained it to its end.
fn train_in_lab(s: Rc<LabState>, spec: &ExperimentSpec) -> Rc<LabState> {
    let (records, state) = trained(spec);
    let s = s.reduce(Action::SetSpec(Box::new(spec.clone())), 1.0);
    let run_id = s.run_to_start().run_id();
    let s = s.reduce(Action::Started { run_id }, 2.0);
    let last = Event::Progress {
        run_id: RunId::Main(run_id),
        records,
        diagnostics: vec![],
        network: None,
        view: None,
        state,
        paused: false,
        initial_loss: 0.7,
        partial: None,
    };
    s.reduce(Action::Worker(last), 3.0)
}

fn lab_with(search: &str) -> Rc<LabState> {
    let s = Rc::new(LabState::default()).reduce(Action::Worker(Event::Ready), 0.0);
    s.reduce(Action::SetSearchQuery(Some(search.to_string())), 0.5)
}

#[test]
fn each_training_that_ends_during_the_challenge_is_kept_until_the_budget_is_spent() {
    let base = spec(BASE);
    // No challenge: nothing is kept by itself.
    let s = train_in_lab(lab_with("search=random&trials=3&space=lr:log:0.001:1:4"), &base);
    assert!(s.kept.is_empty());
    assert!(standing(&s).is_none());

    let mut s = lab_with(SEARCH);
    let rates = ["0.01", "0.3", "3"];
    for (i, lr) in rates.iter().enumerate() {
        s = train_in_lab(s, &spec(&format!("{BASE}&lr={lr}")));
        assert_eq!(s.kept.len(), i + 1, "training {} at {lr} kept", i + 1);
    }
    let (_, st) = standing(&s).expect("a challenge");
    assert_eq!((st.n, st.left(), st.attempts.len()), (3, 0, 3));
    assert_eq!(st.keys, ["lr"]);
    assert_eq!(st.attempts.iter().map(|a| a.values[0].as_str()).collect::<Vec<_>>(), rates);
    // Scored by the search's metric on the validation set after the last epoch.
    for (a, run) in st.attempts.iter().zip(&s.kept) {
        let last = run.history.last().map(|r| r.val.loss);
        assert_eq!(a.score, if matches!(run.state, RunState::Diverged { .. }) { None } else { last });
    }
    // The budget is spent: a fourth training is not kept.
    let s = train_in_lab(s, &spec(&format!("{BASE}&lr=0.1")));
    assert_eq!(s.kept.len(), 3);
}

#[test]
fn a_rate_changed_while_training_does_not_count() {
    let s = train_in_lab(lab_with(SEARCH), &spec(&format!("{BASE}&lr=0.1&lrc=10:0.5")));
    assert!(s.kept.is_empty(), "a search cannot change the rate while a trial trains");
}

#[test]
fn only_the_searched_keys_may_differ() {
    let search = search_from_query(SEARCH).0.expect("a search");
    let base = spec(BASE);
    assert_eq!(outside_space(&base, &spec(&format!("{BASE}&lr=0.7")), &search), None);
    assert_eq!(outside_space(&base, &spec("data=xor&n=50&ep=40"), &search), Some("ep"));
    assert_eq!(outside_space(&base, &spec(&format!("{BASE}&opt=adam")), &search), Some("opt"));
    assert_eq!(outside_space(&base, &spec(&format!("{BASE}&seed=2")), &search), Some("seed"));
    // A space of the network's shape lets the hidden layers (and their activations) change.
    let shape = search_from_query("search=random&space=layers:int:1:3,units:logint:4:32&beat=2").0.unwrap();
    assert_eq!(outside_space(&base, &spec(&format!("{BASE}&hidden=16-16-16")), &shape), None);
}

#[test]
fn an_attempt_scores_what_the_search_would_score_for_the_same_settings() {
    let search = search_from_query(SEARCH).0.unwrap();
    let base = spec(BASE);
    let mut s = lab_with(SEARCH);
    for lr in ["0.03", "0.3"] {
        s = train_in_lab(s, &spec(&format!("{BASE}&lr={lr}")));
    }
    let st = Standing::of(&search, &base, &s.kept).unwrap();
    for (a, lr) in st.attempts.iter().zip(["0.03", "0.3"]) {
        let trial = evaluate(&spec(&format!("{BASE}&lr={lr}")), Metric::Loss, 0, None).expect("scored");
        assert_eq!(a.score, Some(trial.value), "lr {lr}");
    }
    // The best: the lowest loss; the curve of the best so far never gets worse and ends there.
    let (i, best) = st.best().unwrap();
    assert!(st.attempts.iter().all(|a| a.score.is_none_or(|v| v >= best)));
    assert_eq!(st.attempts[i].score, Some(best));
    let curve = st.curve();
    assert!(curve.median.windows(2).all(|w| w[1] <= w[0]), "{:?}", curve.median);
    assert_eq!(curve.median.last(), Some(&best));
    assert_eq!(curve.epochs.last(), Some(&(st.attempts.iter().map(|a| a.epochs).sum::<usize>() as f64)));
}

#[test]
fn a_link_bounds_the_challenge() {
    for (value, ok) in
        [("0", true), ("2", true), ("12", true), ("1", false), ("13", false), ("1e9", false), ("x", false)]
    {
        let (search, notices) = search_from_query(&format!("search=random&beat={value}"));
        assert_eq!(notices.is_empty(), ok, "beat={value}: {notices:?}");
        if !ok {
            assert_eq!(search.unwrap().beat, 0, "beat={value} falls back to no challenge");
        }
    }
}
