//! The four-regime preset: very high, high, good and low learning rates,
//! labelled from their curves with the course's words.
#![cfg(not(target_arch = "wasm32"))]

use hyperlab::engine::train::{EpochRecord, RunState, Scores};
use hyperlab::experiment::from_query;
use hyperlab::experiment::regimes::{Regime, regime_specs};

#[test]
fn the_preset_shows_all_four_regimes_on_four_data_sets() {
    for data in ["spiral", "circle", "moons", "xor"] {
        let (spec, _) = from_query(&format!("data={data}"));
        let labels: Vec<Regime> = regime_specs(&spec)
            .iter()
            .map(|s| {
                let mut t = s.trainer().unwrap();
                let state = t.run_to_end();
                Regime::of(t.initial_scores().loss, t.records(), state)
            })
            .collect();
        assert_eq!(
            labels,
            [Regime::Diverged, Regime::Oscillating, Regime::Converged, Regime::TooSlow],
            "{data}: rates {:?}",
            regime_specs(&spec).map(|s| s.lr)
        );
    }
}

/// Lockstep: the four runs differ only in the learning rate — same data,
/// same initial weights, and (as the first epochs show) the same batches.
#[test]
fn the_four_runs_share_data_weights_and_batches() {
    let (spec, _) = from_query("data=moons&seed=7");
    let specs = regime_specs(&spec);
    let mut trainers: Vec<_> = specs.iter().map(|s| s.trainer().unwrap()).collect();
    let first = trainers[0].initial_scores();
    for t in &mut trainers[1..] {
        assert_eq!(t.initial_scores(), first);
    }
    for t in &trainers[1..] {
        assert_eq!(t.data(), trainers[0].data());
        assert_eq!(t.model().params, trainers[0].model().params);
    }
    let lrs: Vec<f64> = specs.iter().map(|s| s.lr).collect();
    assert!(lrs.windows(2).all(|w| w[0] > w[1]), "very high → low: {lrs:?}");
    assert!(specs.iter().all(|s| s.seed == 7 && s.n_epochs == 200));
}

fn curve(losses: &[f64]) -> Vec<EpochRecord> {
    losses
        .iter()
        .enumerate()
        .map(|(i, &loss)| EpochRecord {
            epoch: i + 1,
            lr: 0.1,
            train: Scores { loss, ..Scores::default() },
            val: Scores { loss, ..Scores::default() },
        })
        .collect()
}

#[test]
fn the_rule_on_synthetic_curves() {
    let l0 = 0.69;
    let smooth: Vec<f64> = (0..100).map(|e| 0.69 * (-(e as f64) / 15.0).exp()).collect();
    assert_eq!(Regime::of(l0, &curve(&smooth), RunState::Finished), Regime::Converged);
    let slow: Vec<f64> = (0..100).map(|e| 0.69 - 0.001 * e as f64).collect();
    assert_eq!(Regime::of(l0, &curve(&slow), RunState::Finished), Regime::TooSlow);
    let rising: Vec<f64> = (0..100).map(|e| 0.69 + 0.05 * e as f64).collect();
    assert_eq!(Regime::of(l0, &curve(&rising), RunState::Finished), Regime::Diverged);
    let bouncing: Vec<f64> = (0..100).map(|e| if e % 7 == 0 { 0.4 } else { 0.1 }).collect();
    assert_eq!(Regime::of(l0, &curve(&bouncing), RunState::Finished), Regime::Oscillating);
    // Learned, then kicked out above the start: overshooting, not a failure to learn.
    let mut kicked = smooth.clone();
    kicked.extend([0.3, 0.75, 0.8]);
    assert_eq!(Regime::of(l0, &curve(&kicked), RunState::Finished), Regime::Oscillating);
    assert_eq!(Regime::of(l0, &curve(&smooth[..5]), RunState::Diverged { epoch: 6 }), Regime::Diverged);
    assert_eq!(Regime::of(l0, &[], RunState::Diverged { epoch: 1 }), Regime::Diverged);
}
