//! Data sets: generators, and the splits into training, validation and test sets.

pub mod bundled;
pub mod features;
pub mod generators;
mod spiral;
pub mod table;

pub use features::{Feature2d, FeatureMap, FeatureSpec};
pub use generators::GenConfig;
pub use spiral::{SpiralConfig, two_spirals};

use super::rng::{Rng, stream};

/// The square of the input plane that the data view shows and the
/// network's map covers: `centre ± half` along both axes (the same scale
/// on both, so shapes are not stretched).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plane {
    pub centre: [f32; 2],
    pub half: f32,
}

impl Plane {
    /// The generated sets' plane: their square [−1, 1]² and a margin.
    pub const STANDARD: Plane = Plane { centre: [0.0, 0.0], half: 1.3 };

    /// The square around `data`'s first two inputs (one for 1-D data), with
    /// the standard plane's margin: where the user's data lie.
    pub fn around(data: &Dataset) -> Plane {
        let n = data.n_features.clamp(1, 2);
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        // By rows of the features alone: data of any shape (from a message) are read, never indexed past.
        for row in data.x.chunks_exact(data.n_features.max(1)) {
            for (k, &v) in row.iter().take(n).enumerate() {
                lo[k] = lo[k].min(v);
                hi[k] = hi[k].max(v);
            }
        }
        if lo[0] > hi[0] {
            return Plane::STANDARD;
        }
        let centre = [(lo[0] + hi[0]) / 2.0, if n == 2 { (lo[1] + hi[1]) / 2.0 } else { 0.0 }];
        let reach = if n == 2 { (hi[0] - lo[0]).max(hi[1] - lo[1]) } else { hi[0] - lo[0] };
        Plane { centre, half: (reach / 2.0 * Plane::STANDARD.half).max(1e-3) }
    }

    /// A point of this square at the same place in the standard one.
    pub fn to_standard(self, p: [f32; 2]) -> [f32; 2] {
        let k = Plane::STANDARD.half / self.half;
        [(p[0] - self.centre[0]) * k, (p[1] - self.centre[1]) * k]
    }

    /// The lowest and highest x shown.
    pub fn x_range(self) -> (f32, f32) {
        (self.centre[0] - self.half, self.centre[0] + self.half)
    }

    /// The lowest and highest y shown.
    pub fn y_range(self) -> (f32, f32) {
        (self.centre[1] - self.half, self.centre[1] + self.half)
    }

    /// `res × res` points over the square, row by row from the top (largest
    /// y) down.
    pub fn grid(self, res: usize) -> impl Iterator<Item = [f32; 2]> {
        let step = 2.0 * self.half / (res.max(2) - 1) as f32;
        let (x0, y0) = (self.centre[0] - self.half, self.centre[1] + self.half);
        (0..res).flat_map(move |row| (0..res).map(move |col| [x0 + col as f32 * step, y0 - row as f32 * step]))
    }

    /// `n` evenly spaced x across the square, left to right.
    pub fn xs(self, n: usize) -> impl Iterator<Item = f32> {
        let step = 2.0 * self.half / (n.max(2) - 1) as f32;
        let x0 = self.centre[0] - self.half;
        (0..n).map(move |i| x0 + i as f32 * step)
    }
}

/// What the targets are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// `y` holds class indices `0..n_classes` (as `f32`).
    Classification { n_classes: usize },
    /// `y` holds real targets.
    Regression,
}

impl Task {
    /// Number of classes (0 for regression).
    pub fn n_classes(self) -> usize {
        match self {
            Task::Classification { n_classes } => n_classes,
            Task::Regression => 0,
        }
    }

    pub fn is_classification(self) -> bool {
        matches!(self, Task::Classification { .. })
    }
}

/// Labelled examples, row-major: example `i` is `x[i * n_features..][..n_features]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub n_features: usize,
    pub x: Vec<f32>,
    /// One target per example: a class index or a real value (see `task`).
    pub y: Vec<f32>,
    pub task: Task,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    pub fn features(&self, i: usize) -> &[f32] {
        &self.x[i * self.n_features..(i + 1) * self.n_features]
    }

    /// The examples at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        let mut x = Vec::with_capacity(indices.len() * self.n_features);
        let mut y = Vec::with_capacity(indices.len());
        for &i in indices {
            x.extend_from_slice(self.features(i));
            y.push(self.y[i]);
        }
        Dataset { n_features: self.n_features, x, y, task: self.task }
    }

    /// Examples per class (empty for regression).
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.task.n_classes()];
        if self.task.is_classification() {
            for &y in &self.y {
                counts[y as usize] += 1;
            }
        }
        counts
    }

    /// Indices grouped by class (one group holding everything for regression).
    fn strata(&self) -> Vec<Vec<usize>> {
        match self.task {
            Task::Classification { n_classes } => {
                (0..n_classes).map(|c| (0..self.len()).filter(|&i| self.y[i] as usize == c).collect()).collect()
            }
            Task::Regression => vec![(0..self.len()).collect()],
        }
    }
}

/// Training, validation and (possibly empty) test sets drawn from one data set.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train: Dataset,
    pub val: Dataset,
    pub test: Dataset,
}

/// Splits `data` by ratio, stratified by class for classification so every
/// part keeps the class balance. Within each class, the shuffled examples go
/// first to the test set, then to validation, the rest to training.
pub fn split_stratified(data: &Dataset, val_ratio: f64, test_ratio: f64, seed: u64) -> Split {
    let mut rng = Rng::new(seed, stream::SPLIT);
    let (mut train, mut val, mut test) = (Vec::new(), Vec::new(), Vec::new());
    for mut idx in data.strata() {
        rng.shuffle(&mut idx);
        let n_test = (idx.len() as f64 * test_ratio).round() as usize;
        let n_val = ((idx.len() as f64 * val_ratio).round() as usize).min(idx.len() - n_test);
        test.extend_from_slice(&idx[..n_test]);
        val.extend_from_slice(&idx[n_test..n_test + n_val]);
        train.extend_from_slice(&idx[n_test + n_val..]);
    }
    // Interleave the classes; training shuffles per epoch anyway.
    rng.shuffle(&mut train);
    rng.shuffle(&mut val);
    rng.shuffle(&mut test);
    Split { train: data.select(&train), val: data.select(&val), test: data.select(&test) }
}

/// `k` disjoint folds covering `data`, stratified by class: fold `f` is
/// returned as (training indices, validation indices).
pub fn k_fold(data: &Dataset, k: usize, seed: u64) -> Vec<(Vec<usize>, Vec<usize>)> {
    let k = k.max(2);
    let mut rng = Rng::new(seed, stream::SPLIT);
    let mut fold_of = vec![0usize; data.len()];
    // Deal each class's shuffled examples round-robin, continuing where the
    // previous class stopped, so fold sizes differ by at most one.
    let mut next = 0;
    for mut idx in data.strata() {
        rng.shuffle(&mut idx);
        for i in idx {
            fold_of[i] = next % k;
            next += 1;
        }
    }
    (0..k)
        .map(|f| {
            let val: Vec<usize> = (0..data.len()).filter(|&i| fold_of[i] == f).collect();
            let train: Vec<usize> = (0..data.len()).filter(|&i| fold_of[i] != f).collect();
            (train, val)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(d: &Dataset) -> Vec<[u32; 2]> {
        let mut p: Vec<[u32; 2]> = d.x.chunks(2).map(|p| [p[0].to_bits(), p[1].to_bits()]).collect();
        p.sort_unstable();
        p
    }

    #[test]
    fn split_is_disjoint_complete_and_stratified() {
        let data = two_spirals(&SpiralConfig { n_per_class: 100, noise: 0.1 }, 9);
        let s = split_stratified(&data, 0.25, 0.1, 9);
        assert_eq!(s.train.len() + s.val.len() + s.test.len(), 200);
        assert_eq!(s.val.class_counts(), [25, 25]);
        assert_eq!(s.test.class_counts(), [10, 10]);
        assert_eq!(s.train.class_counts(), [65, 65]);
        let mut all = s.train.clone();
        for part in [&s.val, &s.test] {
            all.x.extend_from_slice(&part.x);
            all.y.extend_from_slice(&part.y);
        }
        assert_eq!(points(&all), points(&data), "every point lands in exactly one part");
    }

    #[test]
    fn k_folds_are_disjoint_cover_everything_and_are_stratified() {
        let data = two_spirals(&SpiralConfig { n_per_class: 53, noise: 0.1 }, 2);
        let folds = k_fold(&data, 5, 2);
        assert_eq!(folds.len(), 5);
        let mut seen = vec![0; data.len()];
        for (train, val) in &folds {
            assert_eq!(train.len() + val.len(), data.len());
            assert!(train.iter().all(|i| !val.contains(i)));
            for &i in val {
                seen[i] += 1;
            }
            let counts = data.select(val).class_counts();
            assert!(counts.iter().all(|&c| (10..=11).contains(&c)), "{counts:?}");
        }
        assert!(seen.iter().all(|&n| n == 1), "each example validates exactly once");
    }
}
