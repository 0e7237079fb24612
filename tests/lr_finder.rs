//! The LR range test: its suggestions train well, it stops when the loss
//! explodes, and it is deterministic.
#![cfg(not(target_arch = "wasm32"))]

use hyperlab::engine::train::lr_finder::LrFinderConfig;
use hyperlab::experiment::{ExperimentSpec, from_query};

fn spec(q: &str) -> ExperimentSpec {
    let (s, notices) = from_query(q);
    assert!(notices.is_empty(), "{notices:?}");
    s
}

#[test]
fn the_suggested_rate_trains_well() {
    for (query, at_least) in [("data=moons", 0.97), ("data=iris&opt=adam", 0.9), ("data=xor", 0.95)] {
        let s = spec(query);
        let result = s.lr_range_test(&LrFinderConfig::default(), None).unwrap();
        let first = result.suggestions.first().unwrap_or_else(|| panic!("{query}: no suggestion"));
        assert!((1e-4..=3.0).contains(&first.lr), "{query}: {}", first.lr);
        let mut trainer = ExperimentSpec { lr: first.lr, n_epochs: 100, ..s }.trainer().unwrap();
        trainer.run_to_end();
        let acc = trainer.records().last().unwrap().val.accuracy.unwrap();
        assert!(acc >= at_least, "{query}: lr {} gave validation accuracy {acc}", first.lr);
    }
}

#[test]
fn the_sweep_is_geometric_stops_on_explosion_and_is_deterministic() {
    let s = spec("data=moons");
    let a = s.lr_range_test(&LrFinderConfig::default(), None).unwrap();
    assert!(a.stopped_early, "the loss explodes before lr = 10");
    assert!(a.lrs.len() < 300 && a.lrs.len() > 100);
    assert!(a.lrs.windows(2).all(|w| w[1] > w[0]));
    assert!(a.smoothed.iter().all(|v| v.is_finite()));
    assert_eq!(a, s.lr_range_test(&LrFinderConfig::default(), None).unwrap());
}
