//! Plain stochastic gradient descent.

use crate::engine::scalar::Real;

/// `θ ← θ − η·g`: PyTorch's `torch.optim.SGD` with momentum 0, no weight
/// decay (and Keras' `SGD` with `momentum=0`, which is the same rule).
#[derive(Clone, Debug, Default)]
pub struct Sgd;

impl Sgd {
    pub fn step<F: Real>(&mut self, params: &mut [F], grads: &[F], lr: F) {
        for (p, &g) in params.iter_mut().zip(grads) {
            *p -= lr * g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_against_the_gradient_by_lr() {
        let mut p = [1.0f64, -2.0];
        Sgd.step(&mut p, &[0.5, -1.0], 0.1);
        assert_eq!(p, [0.95, -1.9]);
    }
}
