//! Losses on the network's raw output (the logit).

use crate::engine::scalar::Real;

/// Binary cross-entropy of `sigmoid(z)` against a label `y ∈ {0, 1}`,
/// computed from the logit so it never takes `ln(0)`:
/// `max(z, 0) − z·y + ln(1 + e^{−|z|})` (PyTorch's `BCEWithLogitsLoss`).
pub fn bce_with_logits<F: Real>(z: F, y: F) -> F {
    z.max(F::ZERO) - z * y + (-z.abs()).exp().ln_1p()
}

/// ∂ bce_with_logits / ∂z = sigmoid(z) − y.
pub fn bce_with_logits_grad<F: Real>(z: F, y: F) -> F {
    z.sigmoid() - y
}
