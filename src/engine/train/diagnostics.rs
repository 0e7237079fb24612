//! The network's health per layer, once an epoch: what explains the four
//! regimes. A very high learning rate shows in exploding weights, large
//! update-to-weight ratios and dead or saturated units; a very low one in
//! update ratios of 1e-6.
//!
//! Everything is measured from buffers the trainer already has: the
//! gradient and the parameters of the epoch's last mini-batch step (one copy
//! of the parameters per epoch), and the hidden activations of the
//! evaluation pass over the training set.

use serde::{Deserialize, Serialize};

use crate::engine::model::{Activation, MlpConfig};
use crate::engine::scalar::Real;

/// |tanh| above this, or a sigmoid within this of 0 or 1 (1 − it), counts as saturated.
pub const SATURATED: f64 = 0.99;

/// One weight layer (`W_l`, `l` counted from 1 at the first hidden layer;
/// the last is the output layer) after an epoch. Norms are L2 (Frobenius)
/// over the layer's weights, biases left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LayerStats {
    /// ‖W_l‖ at the end of the epoch.
    pub weight_norm: f64,
    /// ‖∂loss/∂W_l‖ of the epoch's last mini-batch, as the optimizer was
    /// given it (after L1 and clipping).
    pub grad_norm: f64,
    /// ‖ΔW_l‖ / ‖W_l‖ of the epoch's last update, `W_l` before it (the usual
    /// rule of thumb: around 1e-3 is healthy).
    pub update_ratio: f64,
    /// The share of the layer's units that are dead (ReLU: zero on every
    /// training example) or saturated (tanh, sigmoid: the share of unit
    /// outputs past [`SATURATED`]); NaN for the output layer and for
    /// activations that neither die nor saturate.
    pub dead: f64,
}

/// What [`LayerStats::dead`] measures for an activation, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitHealth {
    /// ReLU: units that output 0 on every example.
    Dead,
    /// tanh and sigmoid: outputs in their flat tails.
    Saturated,
}

impl UnitHealth {
    pub fn of(activation: Activation) -> Option<UnitHealth> {
        match activation {
            Activation::Relu => Some(UnitHealth::Dead),
            Activation::Tanh | Activation::Sigmoid => Some(UnitHealth::Saturated),
            _ => None,
        }
    }
}

/// The per-layer norms of one mini-batch step: `grad` and the parameters
/// `before` and `after` it, in the model's layout.
pub fn step_stats(config: &MlpConfig, grad: &[f32], before: &[f32], after: &[f32]) -> Vec<LayerStats> {
    let mut start = 0;
    config
        .sizes
        .windows(2)
        .map(|w| {
            let n = w[0] * w[1];
            let range = start..start + n;
            start += n + w[1];
            let norm = |v: &[f32]| libm::sqrt(v.iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>());
            let update = libm::sqrt(
                before[range.clone()]
                    .iter()
                    .zip(&after[range.clone()])
                    .map(|(&b, &a)| (a as f64 - b as f64) * (a as f64 - b as f64))
                    .sum::<f64>(),
            );
            let w_before = norm(&before[range.clone()]);
            LayerStats {
                weight_norm: norm(&after[range.clone()]),
                grad_norm: norm(&grad[range]),
                update_ratio: if w_before > 0.0 { update / w_before } else { f64::NAN },
                dead: f64::NAN,
            }
        })
        .collect()
}

/// Counts, over the examples of a forward pass, which hidden units were
/// ever active (ReLU) and how many outputs were saturated (tanh, sigmoid).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitCounts {
    /// Per hidden layer: what is measured, and per unit whether it was ever active.
    layers: Vec<(Option<UnitHealth>, Vec<bool>)>,
    /// Per hidden layer: saturated unit outputs.
    saturated: Vec<u64>,
    examples: u64,
}

impl UnitCounts {
    pub fn new(config: &MlpConfig) -> Self {
        let hidden = &config.sizes[1..config.sizes.len() - 1];
        Self {
            layers: hidden
                .iter()
                .enumerate()
                .map(|(l, &n)| (UnitHealth::of(config.activations[l]), vec![false; n]))
                .collect(),
            saturated: vec![0; hidden.len()],
            examples: 0,
        }
    }

    /// Looks at one example's hidden activations: `layer(l)` is layer `l`'s
    /// (0: the input).
    pub fn observe<'a, F: Real + 'a>(&mut self, config: &MlpConfig, layer: impl Fn(usize) -> &'a [F]) {
        self.examples += 1;
        for (l, ((health, active), saturated)) in self.layers.iter_mut().zip(&mut self.saturated).enumerate() {
            let acts = layer(l + 1);
            match health {
                Some(UnitHealth::Dead) => {
                    for (seen, &a) in active.iter_mut().zip(acts) {
                        *seen |= a.to_f64() > 0.0;
                    }
                }
                Some(UnitHealth::Saturated) => {
                    let sigmoid = config.activations[l] == Activation::Sigmoid;
                    *saturated += acts
                        .iter()
                        .filter(|&&a| {
                            let a = a.to_f64();
                            if sigmoid { !(1.0 - SATURATED..=SATURATED).contains(&a) } else { a.abs() > SATURATED }
                        })
                        .count() as u64;
                }
                None => {}
            }
        }
    }

    /// The share of dead or saturated units of each hidden layer (NaN where
    /// the activation has neither, or no example was seen).
    pub fn shares(&self) -> Vec<f64> {
        self.layers
            .iter()
            .zip(&self.saturated)
            .map(|((health, active), &saturated)| match health {
                _ if self.examples == 0 || active.is_empty() => f64::NAN,
                Some(UnitHealth::Dead) => active.iter().filter(|&&a| !a).count() as f64 / active.len() as f64,
                Some(UnitHealth::Saturated) => saturated as f64 / (self.examples as f64 * active.len() as f64),
                None => f64::NAN,
            })
            .collect()
    }
}

/// The CSV columns of the diagnostics of a network with `n_layers` weight
/// layers: `weight_norm_1,grad_norm_1,update_ratio_1,dead_1,…` (no `dead_`
/// for the output layer).
pub fn csv_header(n_layers: usize) -> String {
    let mut h = Vec::new();
    for l in 1..=n_layers {
        h.push(format!("weight_norm_{l},grad_norm_{l},update_ratio_{l}"));
        if l < n_layers {
            h.push(format!("dead_{l}"));
        }
    }
    h.join(",")
}

/// One epoch's diagnostics as CSV fields (empty where not measured).
pub fn csv_row(layers: &[LayerStats]) -> String {
    let n = layers.len();
    let field = |v: f64| if v.is_finite() { v.to_string() } else { String::new() };
    let mut row = Vec::new();
    for (l, s) in layers.iter().enumerate() {
        row.push(format!("{},{},{}", field(s.weight_norm), field(s.grad_norm), field(s.update_ratio)));
        if l + 1 < n {
            row.push(field(s.dead));
        }
    }
    row.join(",")
}

/// A per-layer diagnostic, by name: as runs are compared by it, its largest
/// value over the layers (the layer in trouble).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inside {
    WeightNorm,
    GradNorm,
    UpdateRatio,
    Dead,
}

impl Inside {
    pub const ALL: [Inside; 4] = [Inside::WeightNorm, Inside::GradNorm, Inside::UpdateRatio, Inside::Dead];

    pub fn key(self) -> &'static str {
        match self {
            Inside::WeightNorm => "weight_norm",
            Inside::GradNorm => "grad_norm",
            Inside::UpdateRatio => "update_ratio",
            Inside::Dead => "dead",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Inside::WeightNorm => "largest weight norm ‖W‖ of a layer",
            Inside::GradNorm => "largest gradient norm ‖g‖ of a layer",
            Inside::UpdateRatio => "largest update ratio ‖ΔW‖/‖W‖ of a layer",
            Inside::Dead => "largest dead or saturated share of a layer",
        }
    }

    /// Its name, for one layer.
    pub fn name(self) -> &'static str {
        match self {
            Inside::WeightNorm => "weight norm ‖W‖",
            Inside::GradNorm => "gradient norm ‖g‖",
            Inside::UpdateRatio => "update ratio ‖ΔW‖/‖W‖",
            Inside::Dead => "dead or saturated share",
        }
    }

    /// The y axis's title.
    pub fn axis(self) -> &'static str {
        match self {
            Inside::WeightNorm => "‖W‖",
            Inside::GradNorm => "‖g‖",
            Inside::UpdateRatio => "‖ΔW‖ / ‖W‖",
            Inside::Dead => "share",
        }
    }

    /// Its value for one layer.
    pub fn layer(self, s: &LayerStats) -> f64 {
        match self {
            Inside::WeightNorm => s.weight_norm,
            Inside::GradNorm => s.grad_norm,
            Inside::UpdateRatio => s.update_ratio,
            Inside::Dead => s.dead,
        }
    }

    /// The largest finite value over `layers`, if any.
    pub fn of(self, layers: &[LayerStats]) -> Option<f64> {
        layers
            .iter()
            .map(|s| self.layer(s))
            .filter(|v| v.is_finite())
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
    }
}
