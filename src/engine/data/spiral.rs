//! Two interleaved spirals: the classic data set that a linear model cannot
//! separate and a small MLP can.

use super::{Dataset, Task};
use crate::engine::rng::{Rng, stream};

/// How many turns each arm makes.
const TURNS: f64 = 1.25;

/// Settings of the two-spirals generator.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpiralConfig {
    /// Points per arm (class).
    pub n_per_class: usize,
    /// Standard deviation of the Gaussian noise added to each coordinate,
    /// relative to the outer radius of 1.
    pub noise: f64,
}

impl Default for SpiralConfig {
    fn default() -> Self {
        Self { n_per_class: 200, noise: 0.04 }
    }
}

/// Two spirals in the square `[-1, 1]²` (plus noise). Arm `c` (label `c`)
/// is rotated by `c·π`; the radius grows linearly from 0.05 to 1 along it.
pub fn two_spirals(cfg: &SpiralConfig, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed, stream::DATA);
    let n = cfg.n_per_class;
    let mut x = Vec::with_capacity(4 * n);
    let mut y = Vec::with_capacity(2 * n);
    for class in 0..2 {
        for i in 0..n {
            let t = i as f64 / n as f64;
            let r = 0.05 + 0.95 * t;
            let angle = TURNS * 2.0 * core::f64::consts::PI * t + class as f64 * core::f64::consts::PI;
            let px = r * libm::sin(angle) + cfg.noise * rng.normal();
            let py = r * libm::cos(angle) + cfg.noise * rng.normal();
            x.push(px as f32);
            x.push(py as f32);
            y.push(class as f32);
        }
    }
    Dataset { n_features: 2, x, y, task: Task::Classification { n_classes: 2 } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_and_seeded() {
        let cfg = SpiralConfig::default();
        let a = two_spirals(&cfg, 1);
        assert_eq!(a.len(), 2 * cfg.n_per_class);
        assert_eq!(a.y.iter().filter(|&&y| y == 1.0).count(), cfg.n_per_class);
        assert_eq!(a, two_spirals(&cfg, 1));
        assert_ne!(a, two_spirals(&cfg, 2));
    }

    #[test]
    fn arms_are_point_reflections_without_noise() {
        let d = two_spirals(&SpiralConfig { n_per_class: 50, noise: 0.0 }, 1);
        for i in 0..50 {
            let (a, b) = (d.features(i), d.features(50 + i));
            assert!((a[0] + b[0]).abs() < 1e-6 && (a[1] + b[1]).abs() < 1e-6);
        }
    }
}
