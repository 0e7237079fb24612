//! Output heads and their losses, on the network's raw outputs (logits).
//! Each is PyTorch's loss with `reduction='mean'` over the batch.

use serde::{Deserialize, Serialize};

use crate::engine::scalar::Real;

/// The regression losses.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegressionLoss {
    /// `(z − y)²` (`MSELoss`): large errors dominate, so outliers pull hard.
    Mse,
    /// `|z − y|` (`L1Loss`): every error counts in proportion; robust to outliers.
    Mae,
    /// `½d²` for `|d| ≤ δ`, else `δ(|d| − ½δ)` (`HuberLoss`): MSE near zero, MAE far out.
    Huber { delta: f64 },
}

/// What the last layer computes and which loss trains it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Head {
    /// One logit, `p = sigmoid(z)`, binary cross-entropy (`BCEWithLogitsLoss`).
    SigmoidBce,
    /// One logit per class, softmax, cross-entropy (`CrossEntropyLoss`).
    SoftmaxCe,
    /// One linear output and a regression loss.
    Linear(RegressionLoss),
}

impl Head {
    /// Outputs the last layer needs for `n_classes` classes (0 for regression).
    pub fn n_outputs(self, n_classes: usize) -> usize {
        match self {
            Head::SigmoidBce | Head::Linear(_) => 1,
            Head::SoftmaxCe => n_classes,
        }
    }

    /// The loss of one example with target `y` (a class index for
    /// classification), writing `∂loss/∂z` into `dz`.
    pub fn loss_grad<F: Real>(self, z: &[F], y: f32, dz: &mut [F]) -> F {
        self.loss_grad_with::<F, true>(z, y, dz)
    }

    /// [`loss_grad`](Self::loss_grad); with `WANT_LOSS = false` the loss
    /// value may be skipped (it returns 0 where that saves work).
    pub fn loss_grad_with<F: Real, const WANT_LOSS: bool>(self, z: &[F], y: f32, dz: &mut [F]) -> F {
        match self {
            Head::SigmoidBce => {
                // One exponential for both: e = e^{−|z|} gives the loss and sigmoid(z).
                let (z, y) = (z[0], F::from_f64(y as f64));
                let e = (-z.abs()).exp();
                let p = if z >= F::ZERO { F::ONE / (F::ONE + e) } else { e / (F::ONE + e) };
                dz[0] = p - y;
                if WANT_LOSS { z.max(F::ZERO) - z * y + e.ln_1p() } else { F::ZERO }
            }
            Head::SoftmaxCe => {
                // p_i = e^{z_i − m} / Σ_j e^{z_j − m}, m = max z: no logarithm needed
                // unless the loss value itself is wanted.
                let class = y as usize;
                let m = z.iter().copied().fold(z[0], F::max);
                let mut sum = F::ZERO;
                for (d, &zi) in dz.iter_mut().zip(z) {
                    *d = (zi - m).exp();
                    sum += *d;
                }
                let inv = F::ONE / sum;
                for d in dz.iter_mut() {
                    *d *= inv;
                }
                dz[class] -= F::ONE;
                if WANT_LOSS { m + sum.ln() - z[class] } else { F::ZERO }
            }
            Head::Linear(loss) => {
                let (l, g) = regression_loss_grad(loss, z[0], F::from_f64(y as f64));
                dz[0] = g;
                l
            }
        }
    }

    /// The loss of one example, without its gradient.
    pub fn loss<F: Real>(self, z: &[F], y: f32) -> F {
        match self {
            Head::SigmoidBce => bce_with_logits(z[0], F::from_f64(y as f64)),
            Head::SoftmaxCe => log_sum_exp(z) - z[y as usize],
            Head::Linear(loss) => regression_loss_grad(loss, z[0], F::from_f64(y as f64)).0,
        }
    }
}

/// Binary cross-entropy of `sigmoid(z)` against a label `y ∈ {0, 1}`,
/// computed from the logit so it never takes `ln(0)`:
/// `max(z, 0) − z·y + ln(1 + e^{−|z|})`.
pub fn bce_with_logits<F: Real>(z: F, y: F) -> F {
    z.max(F::ZERO) - z * y + (-z.abs()).exp().ln_1p()
}

/// `ln Σ eᶻⁱ`, shifted by the maximum so it never overflows.
pub fn log_sum_exp<F: Real>(z: &[F]) -> F {
    let m = z.iter().copied().fold(z[0], F::max);
    let mut s = F::ZERO;
    for &zi in z {
        s += (zi - m).exp();
    }
    m + s.ln()
}

/// A regression loss and its derivative in the prediction `z`.
pub fn regression_loss_grad<F: Real>(loss: RegressionLoss, z: F, y: F) -> (F, F) {
    let d = z - y;
    match loss {
        RegressionLoss::Mse => (d * d, F::from_f64(2.0) * d),
        RegressionLoss::Mae => (d.abs(), sign(d)),
        RegressionLoss::Huber { delta } => {
            let delta = F::from_f64(delta);
            if d.abs() <= delta {
                (F::from_f64(0.5) * d * d, d)
            } else {
                (delta * (d.abs() - F::from_f64(0.5) * delta), delta * sign(d))
            }
        }
    }
}

/// −1, 0 or 1 (PyTorch's subgradient of |d| at 0 is 0).
fn sign<F: Real>(d: F) -> F {
    if d > F::ZERO {
        F::ONE
    } else if d < F::ZERO {
        -F::ONE
    } else {
        F::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_head(head: Head, z: &[f64], y: f32) {
        let mut dz = vec![0.0; z.len()];
        let l = head.loss_grad(z, y, &mut dz);
        assert!((l - head.loss(z, y)).abs() < 1e-15);
        let h = 1e-6;
        for i in 0..z.len() {
            let (mut zp, mut zm) = (z.to_vec(), z.to_vec());
            zp[i] += h;
            zm[i] -= h;
            let numeric = (head.loss(&zp, y) - head.loss(&zm, y)) / (2.0 * h);
            assert!((numeric - dz[i]).abs() < 1e-7, "{head:?} dz[{i}] = {} vs {numeric}", dz[i]);
        }
    }

    #[test]
    fn every_head_gradient_matches_finite_differences() {
        check_head(Head::SigmoidBce, &[0.3], 1.0);
        check_head(Head::SigmoidBce, &[-2.0], 0.0);
        check_head(Head::SoftmaxCe, &[0.2, -1.0, 2.5], 0.0);
        check_head(Head::SoftmaxCe, &[0.2, -1.0, 2.5], 2.0);
        for loss in [RegressionLoss::Mse, RegressionLoss::Mae, RegressionLoss::Huber { delta: 1.0 }] {
            check_head(Head::Linear(loss), &[0.7], 0.2);
            check_head(Head::Linear(loss), &[-3.0], 0.5);
        }
    }

    #[test]
    fn losses_have_pytorchs_values() {
        // torch.nn.functional.cross_entropy(torch.tensor([[1., 2., 3.]]), torch.tensor([0])) = 2.4076059644443806
        assert!((Head::SoftmaxCe.loss(&[1.0f64, 2.0, 3.0], 0.0) - 2.407_605_964_444_380_6).abs() < 1e-14);
        // huber_loss(3.0, 0.0, delta=1) = 2.5; l1 = 3; mse = 9
        assert_eq!(Head::Linear(RegressionLoss::Huber { delta: 1.0 }).loss(&[3.0f64], 0.0), 2.5);
        assert_eq!(Head::Linear(RegressionLoss::Mae).loss(&[3.0f64], 0.0), 3.0);
        assert_eq!(Head::Linear(RegressionLoss::Mse).loss(&[3.0f64], 0.0), 9.0);
        // Stable at extreme logits.
        assert!((bce_with_logits(-1000.0f64, 1.0) - 1000.0).abs() < 1e-9);
        assert!(Head::SoftmaxCe.loss(&[1000.0f64, -1000.0], 1.0).is_finite());
    }
}
