//! The one source of randomness in the engine.
//!
//! A ChaCha8 stream seeded from the experiment's seed ([`super::chacha`]).
//! Conversions to floats and integers are written out here (not delegated to
//! a distribution crate) so the sequence is the same on every platform and
//! every crate version.

use rand_chacha::ChaCha8Rng;
#[cfg(not(target_arch = "wasm32"))]
use rand_core::Rng as _;
use rand_core::SeedableRng;

/// The words' source: in wasm the SIMD128 ChaCha8 of [`super::chacha`],
/// natively `rand_chacha`'s own (SSE2); the same words on both.
#[cfg(target_arch = "wasm32")]
type Words = super::chacha::ChaCha8;
#[cfg(not(target_arch = "wasm32"))]
type Words = ChaCha8Rng;

/// The words of `rand_chacha`'s `ChaCha8Rng::seed_from_u64(seed)` on `stream`.
#[cfg(target_arch = "wasm32")]
fn words(seed: u64, stream: u64) -> Words {
    super::chacha::ChaCha8::new(ChaCha8Rng::seed_from_u64(seed).get_seed(), stream)
}

/// The words of `rand_chacha`'s `ChaCha8Rng::seed_from_u64(seed)` on `stream`.
#[cfg(not(target_arch = "wasm32"))]
fn words(seed: u64, stream: u64) -> Words {
    let mut words = ChaCha8Rng::seed_from_u64(seed);
    words.set_stream(stream);
    words
}

/// A seeded, portable random number generator.
#[derive(Clone, Debug)]
pub struct Rng {
    inner: Words,
}

impl Rng {
    /// A generator for `seed`, on its own `stream` so that independent uses
    /// (data, initial weights, shuffling) do not shift one another: the
    /// stream of `rand_chacha`'s `ChaCha8Rng::seed_from_u64(seed)`.
    pub fn new(seed: u64, stream: u64) -> Self {
        Self { inner: words(seed, stream) }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform_in(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Standard normal by the Box–Muller transform, with `libm` maths.
    pub fn normal(&mut self) -> f64 {
        // 1 - u is in (0, 1], so the logarithm is finite.
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
    }

    /// Uniform integer in `0..n` (unbiased, by rejection). `n` must be > 0.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        loop {
            let v = self.next_u64();
            if kept(v, n) {
                return (v % n) as usize;
            }
        }
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Whether [`Rng::below`]`(n)` keeps the draw `v`: when it is below
/// `zone = u64::MAX - u64::MAX % n`, so that every remainder comes from
/// as many draws. `zone` is more than `u64::MAX - n`, so a draw at or below
/// that is kept without computing `zone`: a division that every step of a
/// shuffle paid (a 64-bit division is slow in wasm), almost never needed.
/// The same draws are kept as with `zone` alone.
fn kept(v: u64, n: u64) -> bool {
    v <= u64::MAX - n || v < u64::MAX - (u64::MAX % n)
}

/// Stream numbers: one per use of randomness, so adding a use never changes another.
pub mod stream {
    pub const DATA: u64 = 1;
    pub const SPLIT: u64 = 2;
    pub const INIT: u64 = 3;
    pub const SHUFFLE: u64 = 4;
    pub const DROPOUT: u64 = 5;
    /// Hyperparameter searches: sampling, grid order, genetic operators.
    pub const SEARCH: u64 = 6;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_same_numbers() {
        let mut a = Rng::new(7, stream::DATA);
        let mut b = Rng::new(7, stream::DATA);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn streams_are_independent() {
        let mut a = Rng::new(7, stream::DATA);
        let mut b = Rng::new(7, stream::INIT);
        assert_ne!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn uniform_is_in_range_and_below_is_unbiased_enough() {
        let mut r = Rng::new(1, 0);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            let u = r.uniform();
            assert!((0.0..1.0).contains(&u));
            counts[r.below(3)] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn normal_has_unit_moments() {
        let mut r = Rng::new(3, 0);
        let n = 50_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert!((var - 1.0).abs() < 0.03, "var {var}");
    }

    #[test]
    fn a_draw_is_kept_exactly_when_it_is_below_the_zone() {
        const MAX: u64 = u64::MAX;
        let ns = [
            1,
            2,
            3,
            5,
            7,
            10,
            100,
            1 << 31,
            (1 << 32) - 1,
            1 << 32,
            (1 << 32) + 1,
            1 << 63,
            (1 << 63) + 1,
            MAX - 1,
            MAX,
        ];
        for n in ns {
            let zone = MAX - MAX % n;
            // Draws at both ends and on either side of `MAX - n` and of `zone`.
            let around = |x: u64| [x.saturating_sub(1), x, x.saturating_add(1)];
            let vs = [0, 1, MAX].into_iter().chain(around(MAX - n)).chain(around(zone));
            for v in vs {
                assert_eq!(kept(v, n), v < zone, "draw {v}, n {n}");
            }
        }
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut r = Rng::new(5, 0);
        let mut v: Vec<usize> = (0..100).collect();
        r.shuffle(&mut v);
        assert_ne!(v, (0..100).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..100).collect::<Vec<_>>());
    }
}
