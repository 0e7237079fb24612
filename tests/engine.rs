//! Native tests of the engine's numbers.
#![cfg(not(target_arch = "wasm32"))]

mod common {
    pub mod pinned;
}

use common::pinned::*;
use hyperlab::engine::data::{Dataset, SpiralConfig, two_spirals};
use hyperlab::engine::model::loss::{bce_with_logits, bce_with_logits_grad};
use hyperlab::engine::model::{Activation, Mlp, MlpConfig};
use hyperlab::engine::rng::Rng;
use hyperlab::engine::train::{RunState, Trainer, TrainerConfig};
use hyperlab::experiment::ExperimentSpec;

/// Mean loss of `model` on `indices`, by the forward pass only.
fn loss_only(model: &Mlp<f64>, data: &Dataset, indices: &[usize]) -> f64 {
    let mut ws = model.workspace();
    let total: f64 = indices
        .iter()
        .map(|&i| bce_with_logits(model.forward(data.features(i), &mut ws), data.y[i] as f64))
        .sum();
    total / indices.len() as f64
}

/// Back-propagation agrees with central finite differences, in f64, for
/// every hidden activation and a deep-enough network.
#[test]
fn mlp_gradient_matches_finite_differences() {
    let data = two_spirals(
        &SpiralConfig {
            n_per_class: 8,
            noise: 0.1,
        },
        3,
    );
    let batch: Vec<usize> = (0..data.len()).collect();
    for act in [
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Linear,
        Activation::Relu,
    ] {
        let config = MlpConfig {
            sizes: vec![2, 5, 4, 1],
            hidden_activation: act,
        };
        let mut model: Mlp<f64> = Mlp::new(config, &mut Rng::new(11, 0));
        // Non-zero biases so every path is exercised.
        let mut rng = Rng::new(12, 0);
        for p in model.params.iter_mut() {
            *p += 0.1 * rng.uniform_in(-1.0, 1.0);
        }
        let mut ws = model.workspace();
        let mut grad = vec![0.0; model.params.len()];
        model.batch_loss_grad(&data, &batch, &mut ws, &mut grad);
        let h = 1e-6;
        for (k, &backprop) in grad.iter().enumerate() {
            let mut plus = model.clone();
            plus.params[k] += h;
            let mut minus = model.clone();
            minus.params[k] -= h;
            let numeric =
                (loss_only(&plus, &data, &batch) - loss_only(&minus, &data, &batch)) / (2.0 * h);
            let err = (numeric - backprop).abs() / (numeric.abs() + backprop.abs()).max(1e-8);
            // ReLU's kink makes a difference quotient wrong only if a unit sits within h of 0.
            assert!(
                err < 1e-5,
                "{act:?} param {k}: backprop {} vs numeric {numeric} (rel err {err:e})",
                grad[k]
            );
        }
    }
}

#[test]
fn loss_gradient_matches_finite_differences() {
    for &z in &[-30.0f64, -3.0, -0.2, 0.0, 0.7, 4.0, 30.0] {
        for &y in &[0.0f64, 1.0] {
            let h = 1e-6;
            let numeric = (bce_with_logits(z + h, y) - bce_with_logits(z - h, y)) / (2.0 * h);
            assert!(
                (numeric - bce_with_logits_grad(z, y)).abs() < 1e-7,
                "z={z} y={y}"
            );
        }
    }
    // Stable at extreme logits: no infinities, the right limits.
    assert!((bce_with_logits(-1000.0f64, 1.0) - 1000.0).abs() < 1e-9);
    assert_eq!(bce_with_logits(1000.0f64, 1.0), 0.0);
}

/// The first vertical slice's promise: the default experiment on the spiral
/// goes past 90% training accuracy within 400 epochs (it does at 259).
#[test]
fn spiral_reaches_ninety_percent_train_accuracy() {
    let spec = ExperimentSpec {
        n_epochs: 400,
        ..ExperimentSpec::default()
    };
    let mut trainer = spec.trainer().unwrap();
    assert_eq!(trainer.run_to_end(), RunState::Finished);
    let last = trainer.records().last().unwrap();
    assert!(
        last.train_accuracy > 0.9,
        "train accuracy {}",
        last.train_accuracy
    );
    assert!(
        last.val_accuracy > 0.85,
        "validation accuracy {}",
        last.val_accuracy
    );
    let first = trainer.records().first().unwrap();
    assert!(last.train_loss < 0.5 * first.train_loss);
}

#[test]
fn same_seed_gives_identical_records_and_another_seed_does_not() {
    let spec = ExperimentSpec {
        n_epochs: 15,
        ..ExperimentSpec::default()
    };
    let run = |spec: &ExperimentSpec| {
        let mut t = spec.trainer().unwrap();
        t.run_to_end();
        t.records().to_vec()
    };
    let a = run(&spec);
    assert_eq!(a.len(), 15);
    assert_eq!(a, run(&spec));
    assert_ne!(
        a,
        run(&ExperimentSpec {
            seed: 2,
            ..spec.clone()
        })
    );
}

/// Running in chunks (as the worker does) gives the numbers of one long run.
#[test]
fn chunked_training_equals_one_run() {
    let spec = ExperimentSpec {
        n_epochs: 12,
        ..ExperimentSpec::default()
    };
    let mut whole = spec.trainer().unwrap();
    whole.run_to_end();
    let mut chunked = spec.trainer().unwrap();
    for n in [1, 4, 2, 100] {
        chunked.run_epochs(n);
    }
    assert_eq!(whole.records(), chunked.records());
    assert_eq!(whole.model().params, chunked.model().params);
}

#[test]
fn native_numbers_equal_the_pinned_ones() {
    let (records, params, grid) = pinned_run();
    assert_eq!(records, PINNED_RECORDS, "epoch records changed");
    assert_eq!(
        params, PINNED_PARAMS_HASH,
        "weights after {PINNED_EPOCHS} epochs changed"
    );
    assert_eq!(
        grid, PINNED_GRID_HASH,
        "boundary grid after {PINNED_EPOCHS} epochs changed"
    );
}

/// A learning rate far past any sensible value ends the run as
/// `Diverged`, keeps only finite records, and never panics.
#[test]
fn divergence_ends_the_run_cleanly() {
    let spec = ExperimentSpec::default();
    let data = two_spirals(&spec.data, spec.seed);
    let split = hyperlab::engine::data::split_stratified(&data, 0.2, spec.seed);
    let config = TrainerConfig {
        model: spec.model(),
        optimizer: Default::default(),
        lr: 1e30,
        batch_size: 10,
        n_epochs: 50,
        seed: spec.seed,
    };
    let mut trainer = Trainer::new(config, split);
    let state = trainer.run_to_end();
    let RunState::Diverged { epoch } = state else {
        panic!("expected divergence, got {state:?}")
    };
    assert_eq!(trainer.records().len(), epoch - 1);
    assert!(
        trainer
            .records()
            .iter()
            .all(|r| r.train_loss.is_finite() && r.val_loss.is_finite())
    );
    // Further steps do nothing.
    assert_eq!(trainer.step_epoch(), state);
    assert_eq!(trainer.records().len(), epoch - 1);
}

/// Every rate the page offers runs to its end without a non-finite number.
#[test]
fn every_offered_learning_rate_runs_cleanly() {
    for lr in hyperlab::experiment::LEARNING_RATES {
        let spec = ExperimentSpec {
            lr,
            n_epochs: 30,
            ..ExperimentSpec::default()
        };
        let mut trainer = spec.trainer().unwrap();
        let state = trainer.run_to_end();
        assert!(
            matches!(state, RunState::Finished | RunState::Diverged { .. }),
            "lr {lr}: {state:?}"
        );
        for r in trainer.records() {
            assert!(
                r.train_loss.is_finite() && r.val_loss.is_finite(),
                "lr {lr}: {r:?}"
            );
        }
    }
}
