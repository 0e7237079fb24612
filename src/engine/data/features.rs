//! Feature transforms, chosen like any other hyperparameter: products,
//! squares and sines of the inputs, polynomial terms, standardization.

use serde::{Deserialize, Serialize};

use super::{Dataset, Plane, Split};

/// One derived feature of two-dimensional data (TensorFlow Playground's set, plus cosines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature2d {
    X1,
    X2,
    X1Squared,
    X2Squared,
    X1X2,
    SinX1,
    SinX2,
    CosX1,
    CosX2,
}

impl Feature2d {
    pub const ALL: [Feature2d; 9] = [
        Feature2d::X1,
        Feature2d::X2,
        Feature2d::X1Squared,
        Feature2d::X2Squared,
        Feature2d::X1X2,
        Feature2d::SinX1,
        Feature2d::SinX2,
        Feature2d::CosX1,
        Feature2d::CosX2,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Feature2d::X1 => "x1",
            Feature2d::X2 => "x2",
            Feature2d::X1Squared => "x1sq",
            Feature2d::X2Squared => "x2sq",
            Feature2d::X1X2 => "x1x2",
            Feature2d::SinX1 => "sin1",
            Feature2d::SinX2 => "sin2",
            Feature2d::CosX1 => "cos1",
            Feature2d::CosX2 => "cos2",
        }
    }

    pub fn from_key(key: &str) -> Option<Feature2d> {
        Feature2d::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The feature of a point `(x1, x2)`; sines and cosines use `π·x`, so one
    /// period spans the square.
    pub fn value(self, p: [f32; 2]) -> f32 {
        let [a, b] = p;
        match self {
            Feature2d::X1 => a,
            Feature2d::X2 => b,
            Feature2d::X1Squared => a * a,
            Feature2d::X2Squared => b * b,
            Feature2d::X1X2 => a * b,
            Feature2d::SinX1 => libm::sinf(core::f32::consts::PI * a),
            Feature2d::SinX2 => libm::sinf(core::f32::consts::PI * b),
            Feature2d::CosX1 => libm::cosf(core::f32::consts::PI * a),
            Feature2d::CosX2 => libm::cosf(core::f32::consts::PI * b),
        }
    }
}

/// The transforms applied to the raw inputs, in this order: the 2-D feature
/// choice (2-D data only), polynomial terms, then standardization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// Derived 2-D features; empty means the raw inputs.
    pub features_2d: Vec<Feature2d>,
    /// Polynomial degree: 1 keeps the inputs, 2 adds every product of two, 3 of three.
    pub degree: usize,
    /// Rescale each feature to mean 0, standard deviation 1 on the training set.
    pub standardize: bool,
    /// Where the data lie, if not in the generated sets' square: the 2-D
    /// features read the inputs moved and scaled from it onto that square,
    /// so `sin(πx₁)` makes one period across the data as it does across
    /// the generated sets (`None`: the inputs as they are).
    pub plane: Option<Plane>,
}

impl Default for FeatureSpec {
    fn default() -> Self {
        Self { features_2d: Vec::new(), degree: 1, standardize: false, plane: None }
    }
}

/// Monomials of degree 2..=`degree` over `n` inputs, as index lists.
fn monomials(n: usize, degree: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    for _ in 2..=degree {
        let mut next = Vec::new();
        for m in &current {
            for i in *m.last().unwrap()..n {
                let mut t = m.clone();
                t.push(i);
                next.push(t);
            }
        }
        out.extend(next.iter().cloned());
        current = next;
    }
    out
}

/// How many features a transform gives `n_inputs` raw inputs.
pub fn n_features(spec: &FeatureSpec, n_inputs: usize) -> usize {
    let base = if n_inputs == 2 && !spec.features_2d.is_empty() { spec.features_2d.len() } else { n_inputs };
    base + monomials(base, spec.degree).len()
}

/// The transform with its standardization statistics (from the training set).
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureMap {
    spec: FeatureSpec,
    n_inputs: usize,
    terms: Vec<Vec<usize>>,
    mean: Vec<f32>,
    scale: Vec<f32>,
}

impl FeatureMap {
    /// Fits the map; standardization statistics come from `train` only.
    pub fn fit(spec: &FeatureSpec, train: &Dataset) -> Self {
        let base = if train.n_features == 2 && !spec.features_2d.is_empty() {
            spec.features_2d.len()
        } else {
            train.n_features
        };
        let mut map = FeatureMap {
            spec: spec.clone(),
            n_inputs: train.n_features,
            terms: monomials(base, spec.degree),
            mean: Vec::new(),
            scale: Vec::new(),
        };
        let width = base + map.terms.len();
        map.mean = vec![0.0; width];
        map.scale = vec![1.0; width];
        if spec.standardize && !train.is_empty() {
            let rows: Vec<Vec<f32>> = (0..train.len())
                .map(|i| {
                    let mut row = Vec::with_capacity(width);
                    map.raw_into(train.features(i), &mut row);
                    row
                })
                .collect();
            for j in 0..width {
                let n = rows.len() as f64;
                let mean = rows.iter().map(|r| r[j] as f64).sum::<f64>() / n;
                let var = rows.iter().map(|r| (r[j] as f64 - mean) * (r[j] as f64 - mean)).sum::<f64>() / n;
                map.mean[j] = mean as f32;
                map.scale[j] = if var > 1e-12 { (1.0 / libm::sqrt(var)) as f32 } else { 1.0 };
            }
        }
        map
    }

    pub fn n_features(&self) -> usize {
        self.mean.len()
    }

    /// Features before standardization, into `out` (cleared first).
    fn raw_into(&self, x: &[f32], out: &mut Vec<f32>) {
        out.clear();
        if self.n_inputs == 2 && !self.spec.features_2d.is_empty() {
            let p = self.spec.plane.map_or([x[0], x[1]], |plane| plane.to_standard([x[0], x[1]]));
            out.extend(self.spec.features_2d.iter().map(|f| f.value(p)));
        } else {
            out.extend_from_slice(x);
        }
        let base = out.len();
        for t in &self.terms {
            let product = t.iter().map(|&i| out[i]).product();
            out.push(product);
        }
        debug_assert_eq!(out.len(), base + self.terms.len());
    }

    /// The features of one input, into `out` (reused: no allocation once it
    /// has grown to the feature count).
    pub fn apply_into(&self, x: &[f32], out: &mut Vec<f32>) {
        self.raw_into(x, out);
        for ((v, m), s) in out.iter_mut().zip(&self.mean).zip(&self.scale) {
            *v = (*v - m) * s;
        }
    }

    /// The features of one input.
    pub fn apply(&self, x: &[f32]) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.n_features());
        self.apply_into(x, &mut out);
        out
    }

    pub fn apply_dataset(&self, data: &Dataset) -> Dataset {
        let mut x = Vec::with_capacity(data.len() * self.n_features());
        let mut row = Vec::with_capacity(self.n_features());
        for i in 0..data.len() {
            self.apply_into(data.features(i), &mut row);
            x.extend_from_slice(&row);
        }
        Dataset { n_features: self.n_features(), x, y: data.y.clone(), task: data.task }
    }

    /// Every part of a split through the map.
    pub fn apply_split(&self, split: &Split) -> Split {
        Split {
            train: self.apply_dataset(&split.train),
            val: self.apply_dataset(&split.val),
            test: self.apply_dataset(&split.test),
        }
    }

    /// Whether the map is the identity (raw inputs, nothing added or rescaled).
    pub fn is_identity(&self) -> bool {
        self.spec == FeatureSpec::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::data::Task;

    fn data() -> Dataset {
        Dataset {
            n_features: 2,
            x: vec![1.0, 2.0, 3.0, -1.0, 0.5, 0.0],
            y: vec![0.0, 1.0, 0.0],
            task: Task::Regression,
        }
    }

    #[test]
    fn polynomial_terms_are_every_monomial() {
        assert_eq!(monomials(2, 2), vec![vec![0, 0], vec![0, 1], vec![1, 1]]);
        assert_eq!(monomials(3, 3).len(), 6 + 10);
        let spec = FeatureSpec { degree: 2, ..FeatureSpec::default() };
        let map = FeatureMap::fit(&spec, &data());
        assert_eq!(map.apply(&[3.0, -1.0]), [3.0, -1.0, 9.0, -3.0, 1.0]);
        assert_eq!(n_features(&spec, 2), 5);
    }

    #[test]
    fn derived_2d_features_and_standardization() {
        let spec = FeatureSpec {
            features_2d: vec![Feature2d::X1X2, Feature2d::X2Squared, Feature2d::SinX1],
            standardize: false,
            degree: 1,
            plane: None,
        };
        let f = FeatureMap::fit(&spec, &data()).apply(&[0.5, 2.0]);
        assert_eq!(f[..2], [1.0, 4.0]);
        assert!((f[2] - 1.0).abs() < 1e-6);
        let std = FeatureMap::fit(&FeatureSpec { standardize: true, ..FeatureSpec::default() }, &data());
        let out = std.apply_dataset(&data());
        for j in 0..2 {
            let col: Vec<f64> = (0..3).map(|i| out.x[2 * i + j] as f64).collect();
            let mean = col.iter().sum::<f64>() / 3.0;
            let var = col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 3.0;
            assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5, "column {j}: {mean} {var}");
        }
        assert!(FeatureMap::fit(&FeatureSpec::default(), &data()).is_identity());
    }
}
