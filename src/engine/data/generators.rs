//! Two-dimensional toy data sets (and two regression sets), in about the
//! square `[-1, 1]²` so one plotting range fits them all.

use core::f64::consts::PI;

use super::{Dataset, Task};
use crate::engine::rng::{Rng, stream};

/// Settings shared by the generators.
#[derive(Clone, Debug, PartialEq)]
pub struct GenConfig {
    /// Points per class (classification) or points (regression).
    pub n: usize,
    /// Standard deviation of the Gaussian noise, relative to the unit scale.
    pub noise: f64,
    /// Share of class 1 among all points (binary sets): 0.5 is balanced,
    /// 0.05 is the 95/5 split where accuracy misleads.
    pub minority: f64,
    /// Classes (Gaussian blobs only).
    pub classes: usize,
    /// Share of regression targets replaced by outliers.
    pub outliers: f64,
}

impl Default for GenConfig {
    fn default() -> Self {
        Self { n: 200, noise: 0.04, minority: 0.5, classes: 3, outliers: 0.0 }
    }
}

/// Points per class of a binary set, honouring `minority`.
fn binary_counts(cfg: &GenConfig) -> [usize; 2] {
    let total = 2 * cfg.n;
    let n1 = ((total as f64 * cfg.minority).round() as usize).clamp(2, total - 2);
    [total - n1, n1]
}

fn binary(cfg: &GenConfig, seed: u64, mut point: impl FnMut(usize, &mut Rng) -> [f64; 2]) -> Dataset {
    let mut rng = Rng::new(seed, stream::DATA);
    let counts = binary_counts(cfg);
    let mut x = Vec::with_capacity(4 * cfg.n);
    let mut y = Vec::with_capacity(2 * cfg.n);
    for (class, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            let [px, py] = point(class, &mut rng);
            x.push((px + cfg.noise * rng.normal()) as f32);
            x.push((py + cfg.noise * rng.normal()) as f32);
            y.push(class as f32);
        }
    }
    Dataset { n_features: 2, x, y, task: Task::Classification { n_classes: 2 } }
}

/// A disc (class 0, radius < 0.5) inside a ring (class 1, radius 0.7–1).
pub fn circle(cfg: &GenConfig, seed: u64) -> Dataset {
    binary(cfg, seed, |class, rng| {
        let r = if class == 0 { 0.5 * libm::sqrt(rng.uniform()) } else { rng.uniform_in(0.7, 1.0) };
        let a = rng.uniform_in(0.0, 2.0 * PI);
        [r * libm::cos(a), r * libm::sin(a)]
    })
}

/// The XOR pattern: class 0 where x·y > 0, class 1 where x·y < 0 (a margin
/// of 0.05 keeps the quadrants apart before noise).
pub fn xor(cfg: &GenConfig, seed: u64) -> Dataset {
    binary(cfg, seed, |class, rng| {
        let mag = |rng: &mut Rng| rng.uniform_in(0.05, 1.0);
        let (sx, sy) = match (class, rng.below(2)) {
            (0, 0) => (1.0, 1.0),
            (0, _) => (-1.0, -1.0),
            (_, 0) => (1.0, -1.0),
            _ => (-1.0, 1.0),
        };
        [sx * mag(rng), sy * mag(rng)]
    })
}

/// Two interleaved half circles (scikit-learn's `make_moons`), centred.
pub fn moons(cfg: &GenConfig, seed: u64) -> Dataset {
    binary(cfg, seed, |class, rng| {
        let t = rng.uniform_in(0.0, PI);
        let (mx, my) = if class == 0 { (libm::cos(t), libm::sin(t)) } else { (1.0 - libm::cos(t), 0.5 - libm::sin(t)) };
        // make_moons spans x ∈ [−1, 2], y ∈ [−0.5, 1]: centre and scale into [−1, 1]².
        [(mx - 0.5) / 1.5, (my - 0.25) / 1.5 * 1.6]
    })
}

/// `classes` Gaussian blobs on a circle of radius 0.6 (multi-class).
pub fn blobs(cfg: &GenConfig, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed, stream::DATA);
    let k = cfg.classes.max(2);
    let sd = 0.12 + cfg.noise;
    let mut x = Vec::with_capacity(2 * k * cfg.n);
    let mut y = Vec::with_capacity(k * cfg.n);
    for class in 0..k {
        let a = 2.0 * PI * class as f64 / k as f64 + PI / 2.0;
        let (cx, cy) = (0.6 * libm::cos(a), 0.6 * libm::sin(a));
        for _ in 0..cfg.n {
            x.push((cx + sd * rng.normal()) as f32);
            x.push((cy + sd * rng.normal()) as f32);
            y.push(class as f32);
        }
    }
    Dataset { n_features: 2, x, y, task: Task::Classification { n_classes: k } }
}

/// Replaces a share of the targets by outliers (±3 to ±5 away).
fn add_outliers(y: &mut [f32], share: f64, rng: &mut Rng) {
    for t in y.iter_mut() {
        if rng.uniform() < share {
            let sign = if rng.below(2) == 0 { 1.0 } else { -1.0 };
            *t += (sign * rng.uniform_in(3.0, 5.0)) as f32;
        }
    }
}

/// 1-D regression: `y = 0.8·sin(πx) + noise` for x uniform in [−1, 1].
pub fn sine(cfg: &GenConfig, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed, stream::DATA);
    let mut x = Vec::with_capacity(cfg.n);
    let mut y = Vec::with_capacity(cfg.n);
    for _ in 0..cfg.n {
        let v = rng.uniform_in(-1.0, 1.0);
        x.push(v as f32);
        y.push((0.8 * libm::sin(PI * v) + cfg.noise * rng.normal()) as f32);
    }
    add_outliers(&mut y, cfg.outliers, &mut rng);
    Dataset { n_features: 1, x, y, task: Task::Regression }
}

/// 2-D regression: `y = 0.6·x₁ − 0.4·x₂ + 0.1 + noise` on the square.
pub fn plane(cfg: &GenConfig, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed, stream::DATA);
    let mut x = Vec::with_capacity(2 * cfg.n);
    let mut y = Vec::with_capacity(cfg.n);
    for _ in 0..cfg.n {
        let (a, b) = (rng.uniform_in(-1.0, 1.0), rng.uniform_in(-1.0, 1.0));
        x.push(a as f32);
        x.push(b as f32);
        y.push((0.6 * a - 0.4 * b + 0.1 + cfg.noise * rng.normal()) as f32);
    }
    add_outliers(&mut y, cfg.outliers, &mut rng);
    Dataset { n_features: 2, x, y, task: Task::Regression }
}

/// Weights of [`sparse`]'s inputs: five dense ones, then five rare ones
/// that weigh more when they appear.
pub const SPARSE_WEIGHTS: [f64; 10] = [0.5, -0.4, 0.3, -0.2, 0.1, 1.0, -1.0, 0.8, -0.8, 0.6];

/// How often each rare input of [`sparse`] is non-zero.
pub const SPARSE_SHARE: f64 = 0.01;

/// Regression with sparse features, like words in a text: inputs 1–5 are
/// dense (uniform in [−1, 1]), inputs 6–10 are 1 in 1 % of the examples
/// and 0 otherwise; `y = Σ wᵢ·xᵢ + noise` with [`SPARSE_WEIGHTS`]. One rate
/// for all weights suits the dense inputs and starves the rare ones, whose
/// weights get a gradient only when their input appears.
pub fn sparse(cfg: &GenConfig, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed, stream::DATA);
    let mut x = Vec::with_capacity(SPARSE_WEIGHTS.len() * cfg.n);
    let mut y = Vec::with_capacity(cfg.n);
    for _ in 0..cfg.n {
        let mut target = cfg.noise * rng.normal();
        for (i, w) in SPARSE_WEIGHTS.iter().enumerate() {
            let v = if i < 5 { rng.uniform_in(-1.0, 1.0) } else { f64::from(u8::from(rng.uniform() < SPARSE_SHARE)) };
            target += w * v;
            x.push(v as f32);
        }
        y.push(target as f32);
    }
    add_outliers(&mut y, cfg.outliers, &mut rng);
    Dataset { n_features: SPARSE_WEIGHTS.len(), x, y, task: Task::Regression }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minority_sets_the_class_balance() {
        let cfg = GenConfig { minority: 0.05, ..GenConfig::default() };
        for d in [circle(&cfg, 1), xor(&cfg, 1), moons(&cfg, 1)] {
            assert_eq!(d.class_counts(), [380, 20]);
        }
        assert_eq!(circle(&GenConfig::default(), 1).class_counts(), [200, 200]);
    }

    #[test]
    fn shapes_are_right_without_noise() {
        let cfg = GenConfig { noise: 0.0, ..GenConfig::default() };
        let c = circle(&cfg, 2);
        for i in 0..c.len() {
            let p = c.features(i);
            let r = ((p[0] * p[0] + p[1] * p[1]) as f64).sqrt();
            assert!(if c.y[i] == 0.0 { r < 0.5 + 1e-6 } else { (0.7 - 1e-6..=1.0 + 1e-6).contains(&r) });
        }
        let x = xor(&cfg, 2);
        for i in 0..x.len() {
            let p = x.features(i);
            assert_eq!(p[0] * p[1] > 0.0, x.y[i] == 0.0);
        }
        let b = blobs(&GenConfig { classes: 4, ..cfg.clone() }, 2);
        assert_eq!(b.task, Task::Classification { n_classes: 4 });
        assert_eq!(b.class_counts(), [200; 4]);
        for d in [moons(&cfg, 2), circle(&cfg, 2), xor(&cfg, 2)] {
            assert!(d.x.iter().all(|v| v.abs() <= 1.0 + 1e-6), "inside the unit square");
        }
    }

    #[test]
    fn outliers_replace_the_requested_share() {
        let clean = sine(&GenConfig { n: 2000, noise: 0.0, ..GenConfig::default() }, 3);
        assert!(clean.y.iter().all(|y| y.abs() <= 0.8 + 1e-6));
        let dirty = sine(&GenConfig { n: 2000, noise: 0.0, outliers: 0.1, ..GenConfig::default() }, 3);
        let n_out = dirty.y.iter().filter(|y| y.abs() > 2.0).count();
        assert!((150..=250).contains(&n_out), "{n_out}");
        assert_eq!(plane(&GenConfig::default(), 1).n_features, 2);
    }
}

/// The curve that divides the plane in the boundary set: class 1 above it
/// (inside the circle), class 0 below (outside).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Curve {
    /// `y = 0.6·sin(πx)`: the `sin(πx₁)` feature makes it a straight line.
    #[default]
    Sine,
    /// `y = x³ − 0.5x`.
    Cubic,
    /// `y = |x| − 0.4`.
    Abs,
    /// `x² + y² = 0.55`.
    Circle,
}

impl Curve {
    pub const ALL: [Curve; 4] = [Curve::Sine, Curve::Cubic, Curve::Abs, Curve::Circle];

    pub fn key(self) -> &'static str {
        match self {
            Curve::Sine => "sine",
            Curve::Cubic => "cubic",
            Curve::Abs => "abs",
            Curve::Circle => "circle",
        }
    }

    pub fn from_key(key: &str) -> Option<Curve> {
        Curve::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Its formula, for people.
    pub fn label(self) -> &'static str {
        match self {
            Curve::Sine => "y = 0.6·sin(πx)",
            Curve::Cubic => "y = x³ − 0.5x",
            Curve::Abs => "y = |x| − 0.4",
            Curve::Circle => "the circle x² + y² = 0.55",
        }
    }

    /// The class of the point `(x, y)`: 1 above the curve (inside the circle).
    pub fn side(self, x: f64, y: f64) -> usize {
        let above = match self {
            Curve::Sine => y > 0.6 * libm::sin(PI * x),
            Curve::Cubic => y > x * x * x - 0.5 * x,
            Curve::Abs => y > x.abs() - 0.4,
            Curve::Circle => x * x + y * y < 0.55,
        };
        usize::from(above)
    }
}

/// A boundary you define: points uniform over `[-1, 1]²`, each class on its
/// side of `curve` (then moved by the noise, so some cross it).
pub fn boundary(cfg: &GenConfig, curve: Curve, seed: u64) -> Dataset {
    binary(cfg, seed, |class, rng| {
        loop {
            let (x, y) = (rng.uniform_in(-1.0, 1.0), rng.uniform_in(-1.0, 1.0));
            // Every side holds over a third of the square: a few draws at most, on average.
            if curve.side(x, y) == class {
                return [x, y];
            }
        }
    })
}
