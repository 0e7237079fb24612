//! Data sets: generators, and the split into training and validation sets.

mod spiral;

pub use spiral::{SpiralConfig, two_spirals};

use super::rng::{Rng, stream};

/// Labelled examples, row-major: example `i` is `x[i * n_features..][..n_features]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub n_features: usize,
    pub x: Vec<f32>,
    /// Binary labels, 0.0 or 1.0.
    pub y: Vec<f32>,
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
        Dataset {
            n_features: self.n_features,
            x,
            y,
        }
    }
}

/// A training set and a validation set drawn from one data set.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train: Dataset,
    pub val: Dataset,
}

/// Splits `data` into train and validation, stratified by label so both
/// keep the class balance. `val_ratio` is the validation share in `[0, 1)`.
pub fn split_stratified(data: &Dataset, val_ratio: f64, seed: u64) -> Split {
    let mut rng = Rng::new(seed, stream::SPLIT);
    let mut train = Vec::new();
    let mut val = Vec::new();
    for class in [0.0f32, 1.0] {
        let mut idx: Vec<usize> = (0..data.len()).filter(|&i| data.y[i] == class).collect();
        rng.shuffle(&mut idx);
        let n_val = (idx.len() as f64 * val_ratio).round() as usize;
        val.extend_from_slice(&idx[..n_val]);
        train.extend_from_slice(&idx[n_val..]);
    }
    // Interleave classes in the stored order; training shuffles per epoch anyway.
    rng.shuffle(&mut train);
    rng.shuffle(&mut val);
    Split {
        train: data.select(&train),
        val: data.select(&val),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_disjoint_complete_and_stratified() {
        let data = two_spirals(
            &SpiralConfig {
                n_per_class: 100,
                noise: 0.1,
            },
            9,
        );
        let s = split_stratified(&data, 0.25, 9);
        assert_eq!(s.train.len() + s.val.len(), 200);
        assert_eq!(s.val.len(), 50);
        let ones = |d: &Dataset| d.y.iter().filter(|&&y| y == 1.0).count();
        assert_eq!(ones(&s.val), 25);
        assert_eq!(ones(&s.train), 75);
        // Every original point lands in exactly one side.
        let mut all: Vec<[u32; 2]> = s
            .train
            .x
            .chunks(2)
            .chain(s.val.x.chunks(2))
            .map(|p| [p[0].to_bits(), p[1].to_bits()])
            .collect();
        let mut orig: Vec<[u32; 2]> = data
            .x
            .chunks(2)
            .map(|p| [p[0].to_bits(), p[1].to_bits()])
            .collect();
        all.sort_unstable();
        orig.sort_unstable();
        assert_eq!(all, orig);
    }
}
