//! Two-dimensional test functions for optimizer races: the same optimizers
//! as network training, on a loss surface you can draw.

use serde::{Deserialize, Serialize};

use crate::engine::optim::OptimizerConfig;

/// A loss surface `f(x, y)` with its gradient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    /// `½(x² + 10y²)`: a bowl whose curvatures differ ten-fold.
    QuadraticBowl,
    /// `½(x² + 100y²)`: an ill-conditioned ravine; plain SGD zig-zags across it.
    Ravine,
    /// `(1 − x)² + 100(y − x²)²`: a curved valley, minimum at (1, 1).
    Rosenbrock,
    /// Beale's function: flat plateaus and steep walls, minimum at (3, 0.5).
    Beale,
    /// `x² − y²`: a saddle at the origin, unbounded below along y.
    Saddle,
    /// `(x² + y − 11)² + (x + y² − 7)²`: four equal minima.
    Himmelblau,
}

impl Surface {
    pub const ALL: [Surface; 6] = [
        Surface::QuadraticBowl,
        Surface::Ravine,
        Surface::Rosenbrock,
        Surface::Beale,
        Surface::Saddle,
        Surface::Himmelblau,
    ];

    pub fn value(self, x: f64, y: f64) -> f64 {
        match self {
            Surface::QuadraticBowl => 0.5 * (x * x + 10.0 * y * y),
            Surface::Ravine => 0.5 * (x * x + 100.0 * y * y),
            Surface::Rosenbrock => (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x),
            Surface::Beale => {
                let a = 1.5 - x + x * y;
                let b = 2.25 - x + x * y * y;
                let c = 2.625 - x + x * y * y * y;
                a * a + b * b + c * c
            }
            Surface::Saddle => x * x - y * y,
            Surface::Himmelblau => {
                let a = x * x + y - 11.0;
                let b = x + y * y - 7.0;
                a * a + b * b
            }
        }
    }

    pub fn gradient(self, x: f64, y: f64) -> [f64; 2] {
        match self {
            Surface::QuadraticBowl => [x, 10.0 * y],
            Surface::Ravine => [x, 100.0 * y],
            Surface::Rosenbrock => {
                let r = y - x * x;
                [-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r]
            }
            Surface::Beale => {
                let a = 1.5 - x + x * y;
                let b = 2.25 - x + x * y * y;
                let c = 2.625 - x + x * y * y * y;
                [
                    2.0 * a * (y - 1.0) + 2.0 * b * (y * y - 1.0) + 2.0 * c * (y * y * y - 1.0),
                    2.0 * a * x + 2.0 * b * 2.0 * x * y + 2.0 * c * 3.0 * x * y * y,
                ]
            }
            Surface::Saddle => [2.0 * x, -2.0 * y],
            Surface::Himmelblau => {
                let a = x * x + y - 11.0;
                let b = x + y * y - 7.0;
                [4.0 * a * x + 2.0 * b, 2.0 * a + 4.0 * b * y]
            }
        }
    }

    /// Where races start by default (the reference traces' start points where they exist).
    pub fn start(self) -> [f64; 2] {
        match self {
            Surface::QuadraticBowl => [-4.0, 2.0],
            Surface::Ravine => [-4.0, 0.8],
            Surface::Rosenbrock => [-1.5, 2.0],
            Surface::Beale => [1.0, 1.5],
            Surface::Saddle => [-2.0, 0.001],
            Surface::Himmelblau => [-0.3, -0.8],
        }
    }

    /// The global minima, if the function is bounded below.
    pub fn minima(self) -> &'static [[f64; 2]] {
        match self {
            Surface::QuadraticBowl | Surface::Ravine => &[[0.0, 0.0]],
            Surface::Rosenbrock => &[[1.0, 1.0]],
            Surface::Beale => &[[3.0, 0.5]],
            Surface::Saddle => &[],
            Surface::Himmelblau => &[
                [3.0, 2.0],
                [-2.805118086952745, 3.131312518250573],
                [-3.779310253377747, -3.28318599128617],
                [3.584428340330492, -1.848126526964404],
            ],
        }
    }
}

impl Surface {
    /// The short name used in URLs.
    pub fn key(self) -> &'static str {
        match self {
            Surface::QuadraticBowl => "bowl",
            Surface::Ravine => "ravine",
            Surface::Rosenbrock => "rosenbrock",
            Surface::Beale => "beale",
            Surface::Saddle => "saddle",
            Surface::Himmelblau => "himmelblau",
        }
    }

    pub fn from_key(key: &str) -> Option<Surface> {
        Surface::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl Surface {
    /// The region drawn for this surface: `(x_min, x_max, y_min, y_max)`.
    pub fn domain(self) -> (f64, f64, f64, f64) {
        match self {
            Surface::QuadraticBowl => (-4.5, 4.5, -3.0, 3.0),
            Surface::Ravine => (-4.5, 4.5, -1.5, 1.5),
            Surface::Rosenbrock => (-2.0, 2.0, -1.0, 3.0),
            Surface::Beale => (-1.0, 4.5, -1.5, 2.0),
            Surface::Saddle => (-2.5, 2.5, -2.5, 2.5),
            Surface::Himmelblau => (-5.0, 5.0, -5.0, 5.0),
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Surface::QuadraticBowl => "bowl ½(x² + 10y²)",
            Surface::Ravine => "ravine ½(x² + 100y²)",
            Surface::Rosenbrock => "Rosenbrock's valley",
            Surface::Beale => "Beale's function",
            Surface::Saddle => "saddle x² − y²",
            Surface::Himmelblau => "Himmelblau's four minima",
        }
    }
}

/// One contestant of an optimizer race.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Racer {
    pub name: String,
    pub optimizer: OptimizerConfig,
    pub lr: f64,
}

/// The optimizers raced on a surface, each at a learning rate that shows its
/// character there (PyTorch's defaults otherwise): plain SGD, SGD with
/// momentum 0.9, Adagrad, RMSprop and Adam.
pub fn lineup(surface: Surface) -> Vec<Racer> {
    use crate::engine::optim::{AdadeltaConfig, AdagradConfig, AdamConfig, RmsPropConfig, SgdConfig};
    // AdaDelta's steps start at about √ε·lr whatever the gradient: even at
    // lr 10 it is the slowest starter on every surface (the race shows it).
    let [sgd, momentum, adagrad, adadelta, rmsprop, adam] = match surface {
        Surface::QuadraticBowl => [0.1, 0.02, 1.0, 10.0, 0.1, 0.3],
        Surface::Ravine => [0.015, 0.005, 1.0, 10.0, 0.1, 0.3],
        Surface::Rosenbrock => [0.001, 0.0005, 0.5, 10.0, 0.01, 0.1],
        Surface::Beale => [0.01, 0.003, 0.5, 10.0, 0.01, 0.1],
        Surface::Saddle => [0.1, 0.02, 0.5, 1.0, 0.05, 0.1],
        Surface::Himmelblau => [0.01, 0.002, 1.0, 1.0, 0.1, 0.3],
    };
    let racer = |name: &str, optimizer, lr| Racer { name: name.into(), optimizer, lr };
    vec![
        racer("SGD", OptimizerConfig::Sgd(SgdConfig::default()), sgd),
        racer("momentum", OptimizerConfig::Sgd(SgdConfig { momentum: 0.9, ..SgdConfig::default() }), momentum),
        racer("Adagrad", OptimizerConfig::Adagrad(AdagradConfig::default()), adagrad),
        racer("Adadelta", OptimizerConfig::Adadelta(AdadeltaConfig::default()), adadelta),
        racer("RMSprop", OptimizerConfig::RmsProp(RmsPropConfig::default()), rmsprop),
        racer("Adam", OptimizerConfig::Adam(AdamConfig::default()), adam),
    ]
}

/// An optimizer's path on a surface: `[x, y, f(x, y)]` at the start and after
/// each of `steps` steps; `lr(k)` is the learning rate of step `k` (0-based).
/// The optimizer is the very code that trains the networks, in `f64`.
pub fn trace(
    surface: Surface,
    start: [f64; 2],
    optimizer: &OptimizerConfig,
    mut lr: impl FnMut(usize) -> f64,
    steps: usize,
) -> Vec<[f64; 3]> {
    let mut opt = optimizer.build::<f64>(2);
    let mut p = start;
    let mut path = Vec::with_capacity(steps + 1);
    path.push([p[0], p[1], surface.value(p[0], p[1])]);
    for k in 0..steps {
        let g = surface.gradient(p[0], p[1]);
        opt.step(&mut p, &g, lr(k));
        path.push([p[0], p[1], surface.value(p[0], p[1])]);
    }
    path
}

/// What became of an optimizer's path on a surface, judged from its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathOutcome {
    /// A coordinate or the value became NaN or infinite.
    NonFinite,
    /// It ended higher than it started.
    Diverged,
    /// It ended above 1% of the starting value.
    TooSlow,
    /// It ended below 1% of the starting value.
    Progressing,
    /// It ended below a millionth of the starting value.
    Converged,
}

impl PathOutcome {
    /// Classifies a path from its values `f(p_0), f(p_1), …` (the rule of the
    /// reference traces' `observed_regime`).
    pub fn of(values: &[f64]) -> PathOutcome {
        let (Some(&f0), Some(&last)) = (values.first(), values.last()) else {
            return PathOutcome::TooSlow;
        };
        if values.iter().any(|v| !v.is_finite()) {
            PathOutcome::NonFinite
        } else if last > f0 {
            PathOutcome::Diverged
        } else if last < 1e-6 * f0 {
            PathOutcome::Converged
        } else if last < 1e-2 * f0 {
            PathOutcome::Progressing
        } else {
            PathOutcome::TooSlow
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_match_finite_differences() {
        let h = 1e-6;
        for s in Surface::ALL {
            for &(x, y) in &[(-1.3, 0.7), (0.4, -2.1), (2.2, 1.1)] {
                let g = s.gradient(x, y);
                let gx = (s.value(x + h, y) - s.value(x - h, y)) / (2.0 * h);
                let gy = (s.value(x, y + h) - s.value(x, y - h)) / (2.0 * h);
                let tol = 1e-5 * (1.0 + g[0].abs().max(g[1].abs()));
                assert!((g[0] - gx).abs() < tol && (g[1] - gy).abs() < tol, "{s:?} at ({x}, {y})");
            }
        }
    }

    #[test]
    fn every_lineup_makes_progress_and_stays_finite_where_bounded() {
        for surface in Surface::ALL {
            for r in lineup(surface) {
                let path = trace(surface, surface.start(), &r.optimizer, |_| r.lr, 200);
                let values: Vec<f64> = path.iter().map(|p| p[2]).collect();
                let outcome = PathOutcome::of(&values);
                if surface == Surface::Saddle {
                    // Unbounded below: escaping the saddle is the point.
                    assert!(values.last().unwrap() < &values[0], "{} on the saddle", r.name);
                } else {
                    assert!(
                        matches!(outcome, PathOutcome::Converged | PathOutcome::Progressing | PathOutcome::TooSlow),
                        "{} on {surface:?}: {outcome:?}",
                        r.name
                    );
                    assert!(values.last().unwrap() < &values[0], "{} on {surface:?} made no progress", r.name);
                }
            }
        }
    }

    #[test]
    fn minima_are_stationary_zeros() {
        for s in Surface::ALL {
            for &[x, y] in s.minima() {
                assert!(s.value(x, y).abs() < 1e-20, "{s:?} f = {}", s.value(x, y));
                let g = s.gradient(x, y);
                assert!(g[0].abs() < 1e-9 && g[1].abs() < 1e-9, "{s:?} ∇f = {g:?}");
            }
        }
    }
}
