//! Weight initializers, as PyTorch's `torch.nn.init` defines them.
//! Biases always start at zero.

use serde::{Deserialize, Serialize};

use crate::engine::rng::Rng;

/// How a layer's weights are drawn (`fan_in` inputs, `fan_out` outputs).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// `U(−a, a)`, `a = √(6 / (fan_in + fan_out))` (`xavier_uniform_`).
    GlorotUniform,
    /// `N(0, 2 / (fan_in + fan_out))` (`xavier_normal_`).
    GlorotNormal,
    /// `N(0, 2 / fan_in)` (`kaiming_normal_`, fan-in mode, ReLU gain).
    HeNormal,
    /// `U(−a, a)`, `a = √(6 / fan_in)` (`kaiming_uniform_`, fan-in mode, ReLU gain).
    HeUniform,
    /// `N(0, 1 / fan_in)` (LeCun normal, for SELU-like nets and tanh).
    LecunNormal,
    /// `U(−a, a)` with a fixed `a`.
    Uniform { a: f64 },
    /// All zeros: every hidden unit computes the same thing and gets the same
    /// gradient, so they never become different (the symmetry problem).
    Zeros,
}

impl Init {
    pub fn key(self) -> &'static str {
        match self {
            Init::GlorotUniform => "glorot_uniform",
            Init::GlorotNormal => "glorot_normal",
            Init::HeNormal => "he_normal",
            Init::HeUniform => "he_uniform",
            Init::LecunNormal => "lecun_normal",
            Init::Uniform { .. } => "uniform",
            Init::Zeros => "zeros",
        }
    }

    /// One weight.
    pub fn sample(self, fan_in: usize, fan_out: usize, rng: &mut Rng) -> f64 {
        let (fi, fo) = (fan_in as f64, fan_out as f64);
        match self {
            Init::GlorotUniform => {
                let a = libm::sqrt(6.0 / (fi + fo));
                rng.uniform_in(-a, a)
            }
            Init::GlorotNormal => libm::sqrt(2.0 / (fi + fo)) * rng.normal(),
            Init::HeNormal => libm::sqrt(2.0 / fi) * rng.normal(),
            Init::HeUniform => {
                let a = libm::sqrt(6.0 / fi);
                rng.uniform_in(-a, a)
            }
            Init::LecunNormal => libm::sqrt(1.0 / fi) * rng.normal(),
            Init::Uniform { a } => rng.uniform_in(-a, a),
            Init::Zeros => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(init: Init, fan_in: usize, fan_out: usize) -> (f64, f64) {
        let mut rng = Rng::new(4, 0);
        let n = 40_000;
        let xs: Vec<f64> = (0..n).map(|_| init.sample(fan_in, fan_out, &mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        (mean, xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64)
    }

    #[test]
    fn variances_are_the_documented_ones() {
        let cases = [
            (Init::GlorotUniform, 2.0 / 96.0),
            (Init::GlorotNormal, 2.0 / 96.0),
            (Init::HeNormal, 2.0 / 64.0),
            (Init::HeUniform, 2.0 / 64.0),
            (Init::LecunNormal, 1.0 / 64.0),
            (Init::Uniform { a: 0.3 }, 0.09 / 3.0),
        ];
        for (init, var) in cases {
            let (m, v) = moments(init, 64, 32);
            assert!(m.abs() < 0.01, "{init:?} mean {m}");
            assert!((v / var - 1.0).abs() < 0.03, "{init:?}: variance {v}, expected {var}");
        }
        assert_eq!(moments(Init::Zeros, 8, 8), (0.0, 0.0));
    }
}
