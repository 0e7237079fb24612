//! The four learning-rate regimes of the course, in one click: the same
//! experiment at a very high, a high, a good and a low learning rate — same
//! data, same initial weights, same batches (one seed) — each run labelled
//! from its loss curve with the course's words.

use serde::{Deserialize, Serialize};

use super::{DataKind, ExperimentSpec};
use crate::engine::schedule::ScheduleConfig;
use crate::engine::train::{EpochRecord, RunState};

/// What a learning rate did, as the course's table describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// Very high: "the model fails to learn; error increases after updates".
    Diverged,
    /// High: "the model learns but overshoots; fails to settle near minimum".
    Oscillating,
    /// Good: "smooth convergence to minimum error".
    Converged,
    /// Low: "slow learning; may get stuck in local minima".
    TooSlow,
}

impl Regime {
    pub fn key(self) -> &'static str {
        match self {
            Regime::Diverged => "diverged",
            Regime::Oscillating => "oscillating",
            Regime::Converged => "converged",
            Regime::TooSlow => "too_slow",
        }
    }

    /// The course's words for it.
    pub fn description(self) -> &'static str {
        match self {
            Regime::Diverged => "Very high: fails to learn — the error increases after updates",
            Regime::Oscillating => "High: learns but overshoots — fails to settle near the minimum",
            Regime::Converged => "Good: smooth convergence to the minimum error",
            Regime::TooSlow => "Low: slow learning — it may get stuck",
        }
    }

    /// Labels a run from its training-loss curve. `initial_loss` is the loss
    /// of the untrained network. The rule, in order:
    /// - **diverged** if the run blew up (non-finite), ended above 3× where it
    ///   started, or ended above its start without ever getting below half of it;
    /// - **oscillating** if it learned (got below half its start at some
    ///   point) and ends more than 1.5× above its best (plus 2% of the
    ///   start), or its second half has three or more jumps up of over 5% of
    ///   the start — a curve that never learned is not "learning but
    ///   overshooting", however it wobbles;
    /// - **converged** if it ends below a quarter of the start;
    /// - **too slow** otherwise.
    pub fn of(initial_loss: f64, records: &[EpochRecord], state: RunState) -> Regime {
        let losses: Vec<f64> = records.iter().map(|r| r.train.loss).collect();
        let l0 = initial_loss;
        let (Some(&last), true) = (losses.last(), l0.is_finite() && l0 > 0.0) else {
            return if matches!(state, RunState::Diverged { .. }) { Regime::Diverged } else { Regime::TooSlow };
        };
        let best = losses.iter().copied().fold(f64::INFINITY, f64::min);
        let never_learned = best > 0.5 * l0;
        if matches!(state, RunState::Diverged { .. }) || last > 3.0 * l0 || (last > l0 && never_learned) {
            return Regime::Diverged;
        }
        let second_half = &losses[losses.len() / 2..];
        let jumps = second_half.windows(2).filter(|w| w[1] - w[0] > 0.05 * l0).count();
        if !never_learned && (last > 1.5 * best + 0.02 * l0 || jumps >= 3) {
            Regime::Oscillating
        } else if last < 0.25 * l0 {
            Regime::Converged
        } else {
            Regime::TooSlow
        }
    }
}

/// Epochs of each run of the preset.
pub const REGIME_EPOCHS: usize = 200;

/// Very high, high, good and low learning rates for plain SGD on each data
/// set, found by sweeping it (2026-11-30) so that, with the default seed,
/// each rate shows its regime: the very high one rises or blows up, the high
/// one gets below half its start and bounces, the good one converges, the
/// low one improves slowly (`tests/regimes.rs` checks every data set). The
/// labels are still computed from the curves, so another seed or network
/// shows what really happened.
pub fn regime_rates(kind: DataKind) -> [f64; 4] {
    match kind {
        DataKind::Circle => [10.0, 3.0, 0.1, 0.001],
        DataKind::Moons => [10.0, 3.9, 0.03, 0.0003],
        DataKind::Boundary => [10.0, 3.9, 0.03, 0.0003],
        DataKind::Xor => [10.0, 3.55, 0.03, 0.001],
        DataKind::Spiral => [10.0, 0.75, 0.25, 0.001],
        DataKind::Blobs => [10.0, 2.76, 0.03, 0.0001],
        DataKind::Sine => [1.0, 0.5, 0.03, 0.001],
        DataKind::Plane => [1.0, 0.5, 0.01, 0.0001],
        DataKind::Sparse => [1.0, 0.6, 0.05, 0.0001],
        DataKind::Iris => [10.0, 2.5, 0.03, 0.0001],
        DataKind::Wine => [20.0, 4.0, 0.03, 0.0001],
        DataKind::BreastCancer => [30.0, 2.0, 0.03, 0.0001],
        DataKind::Digits => [10.0, 1.5, 0.03, 0.0001],
        // Unknown data: the classic decades around the usual default.
        DataKind::Own => [10.0, 1.0, 0.03, 0.0001],
        DataKind::Drawn => [10.0, 3.9, 0.03, 0.0003],
    }
}

/// One regime's run, trained to its end (natively: built-in data): its
/// experiment, the course's label for its curve, and its records.
pub struct TrainedRegime {
    pub spec: ExperimentSpec,
    pub regime: Regime,
    pub records: Vec<EpochRecord>,
}

/// The four regimes of `spec`, each trained to its end: what `hyperlab
/// regimes` prints and `hyperlab plot --chart regimes` draws.
pub fn train_regimes(spec: &ExperimentSpec) -> Result<Vec<TrainedRegime>, super::SpecError> {
    regime_specs(spec)
        .into_iter()
        .map(|s| {
            let mut trainer = s.trainer()?;
            let state = trainer.run_to_end();
            let regime = Regime::of(trainer.initial_scores().loss, trainer.records(), state);
            Ok(TrainedRegime { records: trainer.records().to_vec(), spec: s, regime })
        })
        .collect()
}

/// The four experiments: this one at each regime's rate, constant schedule,
/// no hand-set rates, `REGIME_EPOCHS` epochs. Same seed, so the data, the
/// initial weights and the batches are the same in all four.
pub fn regime_specs(spec: &ExperimentSpec) -> [ExperimentSpec; 4] {
    regime_rates(spec.data.kind).map(|lr| ExperimentSpec {
        lr,
        n_epochs: REGIME_EPOCHS,
        schedule: ScheduleConfig::Constant,
        warmup: None,
        lr_changes: Vec::new(),
        early_stopping: None,
        ..spec.clone()
    })
}
