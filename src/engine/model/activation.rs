//! Hidden-layer activation functions.

use crate::engine::scalar::Real;

/// A hidden-layer activation. Each derivative is written in terms of the
/// activation's *output* `a`, which the backward pass already has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    Tanh,
    Sigmoid,
    Relu,
    Linear,
}

impl Activation {
    pub fn apply<F: Real>(self, z: F) -> F {
        match self {
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => z.sigmoid(),
            Activation::Relu => z.max(F::ZERO),
            Activation::Linear => z,
        }
    }

    /// d a / d z, given `a = apply(z)`.
    pub fn derivative_from_output<F: Real>(self, a: F) -> F {
        match self {
            Activation::Tanh => F::ONE - a * a,
            Activation::Sigmoid => a * (F::ONE - a),
            Activation::Relu => {
                if a > F::ZERO {
                    F::ONE
                } else {
                    F::ZERO
                }
            }
            Activation::Linear => F::ONE,
        }
    }
}
