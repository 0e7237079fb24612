//! Hidden-layer activation functions, as PyTorch defines them.

use crate::engine::scalar::Real;

/// Slope of Leaky ReLU for negative inputs (PyTorch's default).
pub const LEAKY_SLOPE: f64 = 0.01;
/// α of ELU (PyTorch's default).
pub const ELU_ALPHA: f64 = 1.0;

/// A hidden-layer activation `a = φ(z)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `max(0, z)`; the derivative at 0 is taken as 0, as in PyTorch.
    Relu,
    /// `z` for z > 0, `0.01·z` otherwise.
    LeakyRelu,
    /// `z` for z > 0, `α(eᶻ − 1)` otherwise, α = 1.
    Elu,
    /// `z·Φ(z)` with Φ the standard normal CDF (the exact form, PyTorch's default).
    Gelu,
    Tanh,
    /// `1 / (1 + e⁻ᶻ)`.
    Sigmoid,
    /// `z`: no non-linearity (a stack of linear layers is still linear).
    Linear,
}

impl Activation {
    pub const ALL: [Activation; 7] = [
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Elu,
        Activation::Gelu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Linear,
    ];

    /// The short name used in URLs and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Elu => "elu",
            Activation::Gelu => "gelu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear",
        }
    }

    pub fn from_key(key: &str) -> Option<Activation> {
        Activation::ALL.into_iter().find(|a| a.key() == key)
    }

    pub fn apply<F: Real>(self, z: F) -> F {
        match self {
            Activation::Relu => z.max(F::ZERO),
            Activation::LeakyRelu => {
                if z > F::ZERO {
                    z
                } else {
                    F::from_f64(LEAKY_SLOPE) * z
                }
            }
            Activation::Elu => {
                if z > F::ZERO {
                    z
                } else {
                    F::from_f64(ELU_ALPHA) * (z.exp() - F::ONE)
                }
            }
            Activation::Gelu => {
                F::from_f64(0.5) * z * (F::ONE + (z * F::from_f64(core::f64::consts::FRAC_1_SQRT_2)).erf())
            }
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => z.sigmoid(),
            Activation::Linear => z,
        }
    }

    /// `out[k] = φ(z[k])`, with the match outside the loop so it vectorizes.
    pub fn apply_slice<F: Real>(self, z: &[F], out: &mut [F]) {
        macro_rules! map {
            ($f:expr) => {
                for (o, &v) in out.iter_mut().zip(z) {
                    *o = $f(v);
                }
            };
        }
        match self {
            Activation::Relu => map!(|v: F| if v > F::ZERO { v } else { F::ZERO }),
            Activation::Tanh => map!(|v: F| v.tanh()),
            Activation::Linear => out.copy_from_slice(z),
            other => map!(|v: F| other.apply(v)),
        }
    }

    /// `d[k] *= φ'(z[k])` given `a = φ(z)`, with the match outside the loop.
    pub fn scale_by_derivative<F: Real>(self, z: &[F], a: &[F], d: &mut [F]) {
        match self {
            Activation::Relu => {
                for (d, &z) in d.iter_mut().zip(z) {
                    *d = if z > F::ZERO { *d } else { *d * F::ZERO };
                }
            }
            Activation::Tanh => {
                for (d, &a) in d.iter_mut().zip(a) {
                    *d *= F::ONE - a * a;
                }
            }
            Activation::Linear => {}
            other => {
                for ((d, &z), &a) in d.iter_mut().zip(z).zip(a) {
                    *d *= other.derivative(z, a);
                }
            }
        }
    }

    /// `dφ/dz` at `z`, given also `a = φ(z)` (cheaper for tanh, sigmoid, ELU).
    pub fn derivative<F: Real>(self, z: F, a: F) -> F {
        match self {
            Activation::Relu => {
                if z > F::ZERO {
                    F::ONE
                } else {
                    F::ZERO
                }
            }
            Activation::LeakyRelu => {
                if z > F::ZERO {
                    F::ONE
                } else {
                    F::from_f64(LEAKY_SLOPE)
                }
            }
            Activation::Elu => {
                if z > F::ZERO {
                    F::ONE
                } else {
                    a + F::from_f64(ELU_ALPHA)
                }
            }
            Activation::Gelu => {
                // Φ(z) + z·φ(z)
                let cdf = F::from_f64(0.5) * (F::ONE + (z * F::from_f64(core::f64::consts::FRAC_1_SQRT_2)).erf());
                let pdf = F::from_f64(0.398_942_280_401_432_7) * (F::from_f64(-0.5) * z * z).exp();
                cdf + z * pdf
            }
            Activation::Tanh => F::ONE - a * a,
            Activation::Sigmoid => a * (F::ONE - a),
            Activation::Linear => F::ONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences() {
        let h = 1e-6;
        for act in Activation::ALL {
            for &z in &[-3.0f64, -0.7, -0.01, 0.02, 0.5, 2.5] {
                let numeric = (act.apply(z + h) - act.apply(z - h)) / (2.0 * h);
                let analytic = act.derivative(z, act.apply(z));
                assert!((numeric - analytic).abs() < 1e-7, "{act:?} at {z}: {analytic} vs {numeric}");
            }
        }
    }

    #[test]
    fn known_values() {
        assert!((Activation::Gelu.apply(1.0f64) - 0.841_344_746_068_542_9).abs() < 1e-12);
        assert!((Activation::Elu.apply(-1.0f64) - (libm::exp(-1.0) - 1.0)).abs() < 1e-15);
        assert_eq!(Activation::LeakyRelu.apply(-2.0f64), -0.02);
        assert_eq!(Activation::Relu.derivative(0.0f64, 0.0), 0.0);
        for a in Activation::ALL {
            assert_eq!(Activation::from_key(a.key()), Some(a));
        }
    }
}
