//! The four-regime preset: very high, high, good and low learning rates,
//! labelled from their curves with the course's words.
#![cfg(not(target_arch = "wasm32"))]

use hyperlab::engine::train::{EpochRecord, RunState, Scores};
use hyperlab::experiment::from_query;
use hyperlab::experiment::regimes::{Regime, regime_specs};

/// Every offered data set shows the four regimes with its preset rates, as
/// the course describes them, read from the curves: the very high rate is
/// labelled diverged (it rises or blows up); the high one learns (below half
/// its start) and oscillates, ending below its start; the good one
/// converges; the low one improves, slowly.
#[test]
fn the_preset_shows_all_four_regimes_on_every_data_set() {
    use hyperlab::experiment::{DataKind, bundled_csv};
    for kind in DataKind::ALL {
        let (spec, _) = from_query(&format!("data={}", kind.key()));
        let runs: Vec<(Regime, f64, f64, f64)> = regime_specs(&spec)
            .iter()
            .map(|s| {
                let mut t = s.trainer_with(bundled_csv(kind)).unwrap();
                let l0 = t.initial_scores().loss;
                let state = t.run_to_end();
                let losses: Vec<f64> = t.records().iter().map(|r| r.train.loss).collect();
                let best = losses.iter().copied().fold(f64::INFINITY, f64::min);
                (Regime::of(l0, t.records(), state), l0, best, losses.last().copied().unwrap_or(f64::NAN))
            })
            .collect();
        let what = format!(
            "{}: rates {:?}, (label, start, best, last) {runs:?}",
            kind.key(),
            regime_specs(&spec).map(|s| s.lr)
        );
        let labels: Vec<Regime> = runs.iter().map(|r| r.0).collect();
        assert_eq!(labels, [Regime::Diverged, Regime::Oscillating, Regime::Converged, Regime::TooSlow], "{what}");
        let (_, l0, best, last) = runs[1];
        assert!(best < 0.5 * l0 && last < l0, "{what}: the high rate learns, and ends below its start");
        let (_, l0, _, last) = runs[3];
        assert!(last < l0, "{what}: the low rate improves");
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
    // Wobbling without ever learning is not "learning but overshooting".
    let wobbling: Vec<f64> = (0..100).map(|e| if e % 7 == 0 { 0.68 } else { 0.6 }).collect();
    assert_eq!(Regime::of(l0, &curve(&wobbling), RunState::Finished), Regime::TooSlow);
    let bouncing: Vec<f64> = (0..100).map(|e| if e % 7 == 0 { 0.4 } else { 0.1 }).collect();
    assert_eq!(Regime::of(l0, &curve(&bouncing), RunState::Finished), Regime::Oscillating);
    // Learned, then kicked out above the start: overshooting, not a failure to learn.
    let mut kicked = smooth.clone();
    kicked.extend([0.3, 0.75, 0.8]);
    assert_eq!(Regime::of(l0, &curve(&kicked), RunState::Finished), Regime::Oscillating);
    assert_eq!(Regime::of(l0, &curve(&smooth[..5]), RunState::Diverged { epoch: 6 }), Regime::Diverged);
    assert_eq!(Regime::of(l0, &[], RunState::Diverged { epoch: 1 }), Regime::Diverged);
}
