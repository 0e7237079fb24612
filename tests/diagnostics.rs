//! The per-layer diagnostics (`engine::train::diagnostics`) against a direct
//! computation: norms from the parameters before and after a step and from
//! the gradient recomputed in f64; dead and saturated units on networks
//! built by hand; and the claim they exist to make visible — a very high
//! learning rate's weights grow, a very low one's updates are tiny.

use hyperlab::engine::data::{Dataset, Task};
use hyperlab::engine::model::{Activation, Head, Init, Mlp, MlpConfig};
use hyperlab::engine::rng::Rng;
use hyperlab::engine::train::{Evaluator, Trainer};
use hyperlab::experiment::from_query;

fn norm(v: impl Iterator<Item = f64>) -> f64 {
    v.map(|x| x * x).sum::<f64>().sqrt()
}

/// The weight ranges (biases left out) of each layer in the parameter vector.
fn weight_ranges(sizes: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut start = 0;
    sizes
        .windows(2)
        .map(|w| {
            let r = start..start + w[0] * w[1];
            start += w[0] * w[1] + w[1];
            r
        })
        .collect()
}

fn trainer(query: &str) -> Trainer {
    let (spec, notices) = from_query(query);
    assert!(notices.is_empty(), "{notices:?}");
    let mut t = spec.trainer().expect("valid");
    t.enable_diagnostics();
    t
}

#[test]
fn norms_equal_a_direct_computation_before_and_after_a_step() {
    // Full batch, plain SGD: the epoch is one step, w₁ = w₀ − η·g.
    let lr = 0.1;
    let mut t = trainer(&format!("v=1&bs=320&lr={lr}&ep=5&hidden=8-6"));
    let sizes = t.model().config.sizes.clone();
    for _ in 0..5 {
        let before: Vec<f64> = t.model().params.iter().map(|&p| p as f64).collect();
        // The gradient of this step, recomputed in f64 from the same weights.
        let model64: Mlp<f64> = t.model().cast();
        let mut ws = model64.workspace();
        let mut grad = vec![0.0f64; model64.params.len()];
        let all: Vec<usize> = (0..t.data().train.len()).collect();
        model64.batch_grad(&t.data().train, &all, &mut ws, &mut grad, None);
        t.step_epoch();
        let after: Vec<f64> = t.model().params.iter().map(|&p| p as f64).collect();
        let stats = t.diagnostics().last().expect("one per epoch").clone();
        assert_eq!(stats.len(), 3, "two hidden layers and the output layer");
        for (l, range) in weight_ranges(&sizes).into_iter().enumerate() {
            let w0 = norm(before[range.clone()].iter().copied());
            let w1 = norm(after[range.clone()].iter().copied());
            let dw = norm(before[range.clone()].iter().zip(&after[range.clone()]).map(|(b, a)| a - b));
            let g = norm(grad[range].iter().copied());
            let s = stats[l];
            assert!((s.weight_norm - w1).abs() <= 1e-12 * w1, "layer {l}: ‖W‖ {} vs {w1}", s.weight_norm);
            assert!(
                (s.update_ratio - dw / w0).abs() <= 1e-12 * (dw / w0),
                "layer {l}: ratio {} vs {}",
                s.update_ratio,
                dw / w0
            );
            // SGD: ‖ΔW‖ = η‖g‖ (up to f32 rounding of w₁ − w₀), and ‖g‖ is the f64 gradient's.
            assert!(
                (s.grad_norm - dw / lr).abs() <= 2e-3 * s.grad_norm,
                "layer {l}: ‖g‖ {} vs ‖ΔW‖/η {}",
                s.grad_norm,
                dw / lr
            );
            assert!((s.grad_norm - g).abs() <= 1e-4 * g, "layer {l}: ‖g‖ {} vs f64 {g}", s.grad_norm);
        }
    }
    // Diagnostics change no number of the run.
    let mut plain = from_query("v=1&bs=320&lr=0.1&ep=5&hidden=8-6").0.trainer().expect("valid");
    plain.run_to_end();
    assert_eq!(plain.records(), t.records());
    assert_eq!(plain.model().params, t.model().params);
}

#[test]
fn the_last_mini_batch_step_is_the_one_measured() {
    // Mini-batches: the ratio is that of the epoch's last update, not of the epoch.
    let mut t = trainer("v=1&bs=10&lr=0.1&ep=3");
    let mut twin = from_query("v=1&bs=10&lr=0.1&ep=3").0.trainer().expect("valid");
    twin.step_epoch();
    t.step_epoch();
    let stats = t.diagnostics()[0].clone();
    // A whole epoch moves the weights by far more than one step of 32.
    let ranges = weight_ranges(&t.model().config.sizes);
    let mut start = from_query("v=1&bs=10&lr=0.1&ep=3").0.trainer().expect("valid");
    let w_start: Vec<f64> = start.model().params.iter().map(|&p| p as f64).collect();
    start.step_epoch();
    let w_end: Vec<f64> = start.model().params.iter().map(|&p| p as f64).collect();
    let r = ranges[0].clone();
    let epoch_ratio =
        norm(w_start[r.clone()].iter().zip(&w_end[r.clone()]).map(|(a, b)| b - a)) / norm(w_start[r].iter().copied());
    assert!(stats[0].update_ratio < epoch_ratio / 3.0, "one step {} vs the epoch {epoch_ratio}", stats[0].update_ratio);
    assert_eq!(twin.records(), t.records());
}

/// A 2 → 2 → 1 network with unit 0 of the hidden layer fixed by hand
/// (weights 0, bias `b0`) and unit 1 following x₁.
fn hand_built(act: Activation, b0: f32) -> (Mlp<f32>, Dataset) {
    let config = MlpConfig {
        sizes: vec![2, 2, 1],
        activations: vec![act],
        head: Head::SigmoidBce,
        init: Init::Zeros,
        dropout: 0.0,
    };
    let mut model = Mlp::<f32>::new(config, &mut Rng::new(1, 0));
    // Layer 0: weights input-major (w[i·2 + o]), then the two biases.
    model.params[..6].copy_from_slice(&[0.0, 1.0, 0.0, 0.0, b0, 0.0]);
    let xs: Vec<f32> = (0..40).flat_map(|i| [-1.0 + i as f32 / 20.0, 0.5]).collect();
    let data = Dataset {
        n_features: 2,
        x: xs,
        y: (0..40).map(|i| (i % 2) as f32).collect(),
        task: Task::Classification { n_classes: 2 },
    };
    (model, data)
}

fn shares(model: &Mlp<f32>, data: &Dataset) -> Vec<f64> {
    let mut ws = model.workspace();
    let mut e = Evaluator::new(data).with_units(&model.config);
    e.feed(model, data, &mut ws, data.len());
    e.unit_shares().expect("counted")
}

#[test]
fn dead_and_saturated_units_of_hand_built_networks() {
    // ReLU: unit 0 never fires (bias −1); unit 1 fires for x₁ > 0: half the layer is dead.
    let (model, data) = hand_built(Activation::Relu, -1.0);
    assert_eq!(shares(&model, &data), vec![0.5]);
    // With bias +1 it always fires: none dead.
    let (model, data) = hand_built(Activation::Relu, 1.0);
    assert_eq!(shares(&model, &data), vec![0.0]);
    // tanh: unit 0 at tanh(10) is saturated on every example; unit 1 (tanh x₁, |x₁| ≤ 1) never.
    let (model, data) = hand_built(Activation::Tanh, 10.0);
    assert_eq!(shares(&model, &data), vec![0.5]);
    let (model, data) = hand_built(Activation::Tanh, 0.0);
    assert_eq!(shares(&model, &data), vec![0.0]);
    // sigmoid: σ(−10) < 0.01 saturates too.
    let (model, data) = hand_built(Activation::Sigmoid, -10.0);
    assert_eq!(shares(&model, &data), vec![0.5]);
    // ELU neither dies nor saturates in this sense: not measured.
    let (model, data) = hand_built(Activation::Elu, -1.0);
    assert!(shares(&model, &data)[0].is_nan());
}

#[test]
fn a_very_high_rate_inflates_the_weights_and_a_very_low_one_barely_moves_them() {
    let run = |query: &str| {
        let mut t = trainer(query);
        t.run_to_end();
        t.diagnostics().to_vec()
    };
    // The default network (tanh) on the spiral, 40 epochs.
    let high = run("v=1&lr=10&ep=40");
    let low = run("v=1&lr=1e-5&ep=40");
    let (h, l) = (high.last().expect("epochs"), low.last().expect("epochs"));
    assert!(
        h[1].weight_norm > 10.0 * l[1].weight_norm,
        "lr 10: ‖W₂‖ {} vs lr 1e-5: {}",
        h[1].weight_norm,
        l[1].weight_norm
    );
    assert!(h[1].dead > 0.9, "lr 10 saturates the second layer's tanh units: {}", h[1].dead);
    assert!(
        l.iter().all(|s| s.update_ratio < 1e-5),
        "lr 1e-5: update ratios {:?}",
        l.iter().map(|s| s.update_ratio).collect::<Vec<_>>()
    );
    assert_eq!(l[1].dead, 0.0);
    // ReLU units die at lr 10: a whole layer outputs 0 and no gradient flows back through it.
    let relu = run("v=1&lr=10&ep=40&act=relu");
    let last = relu.last().expect("epochs");
    assert_eq!(last[1].dead, 1.0, "every unit of layer 2 is dead");
    assert_eq!(last[0].grad_norm, 0.0, "nothing reaches layer 1");
}
