//! ChaCha8's keystream, four blocks at a time, one block a SIMD lane.
//!
//! It gives the words `rand_chacha`'s `ChaCha8Rng` gives for the same key
//! and stream, in the same order (tests compare them natively and in
//! Chromium), so every seeded number stays as it was. `rand_chacha` reaches
//! wasm through its portable, scalar code: a draw cost 14.5 ns in Chromium
//! against 4.4 ns natively (2026-12-04), a third of a dropout run's training
//! step. The wasm build draws from this, with SIMD128; the native build
//! keeps `rand_chacha`'s SSE2 code, and builds this with plain arrays for
//! its tests.

/// "expand 32-byte k", the first row of every block.
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];
/// Blocks made at a time (one per SIMD lane), as `rand_chacha` buffers them.
const LANES: usize = 4;
/// Words of output a refill makes.
pub const BUFFER_WORDS: usize = 16 * LANES;

use lanes::Lanes;

/// A ChaCha8 keystream: key, 64-bit block counter, 64-bit stream (nonce),
/// and the words of the last four blocks not yet read.
#[derive(Clone, Debug)]
pub struct ChaCha8 {
    key: [u32; 8],
    counter: u64,
    stream: u64,
    buffer: [u32; BUFFER_WORDS],
    /// The next word of `buffer` to read (`BUFFER_WORDS`: none left).
    index: usize,
}

impl ChaCha8 {
    /// The keystream of a 32-byte key (read as little-endian words) on
    /// `stream`, from block 0.
    pub fn new(key: [u8; 32], stream: u64) -> Self {
        let key =
            core::array::from_fn(|i| u32::from_le_bytes([key[4 * i], key[4 * i + 1], key[4 * i + 2], key[4 * i + 3]]));
        Self { key, counter: 0, stream, buffer: [0; BUFFER_WORDS], index: BUFFER_WORDS }
    }

    /// The next two words, the first as the low half (as `rand_core`'s
    /// block generator reads them; reads here are always whole pairs).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        if self.index >= BUFFER_WORDS {
            self.refill();
            self.index = 0;
        }
        let pair = &self.buffer[self.index..self.index + 2];
        self.index += 2;
        u64::from(pair[1]) << 32 | u64::from(pair[0])
    }

    /// The next four blocks into the buffer, block after block. Kept out of
    /// line: inlined at every draw, it grew the training worker's module by
    /// a quarter (430 → 538 KB before compression).
    #[inline(never)]
    fn refill(&mut self) {
        let counters: [u64; LANES] = core::array::from_fn(|lane| self.counter.wrapping_add(lane as u64));
        let input: [Lanes; 16] = core::array::from_fn(|w| match w {
            0..4 => Lanes::splat(SIGMA[w]),
            4..12 => Lanes::splat(self.key[w - 4]),
            12 => Lanes::from(counters.map(|c| c as u32)),
            13 => Lanes::from(counters.map(|c| (c >> 32) as u32)),
            14 => Lanes::splat(self.stream as u32),
            _ => Lanes::splat((self.stream >> 32) as u32),
        });
        let mut x = input;
        for _ in 0..4 {
            quarter(&mut x, 0, 4, 8, 12);
            quarter(&mut x, 1, 5, 9, 13);
            quarter(&mut x, 2, 6, 10, 14);
            quarter(&mut x, 3, 7, 11, 15);
            quarter(&mut x, 0, 5, 10, 15);
            quarter(&mut x, 1, 6, 11, 12);
            quarter(&mut x, 2, 7, 8, 13);
            quarter(&mut x, 3, 4, 9, 14);
        }
        for (w, (&xw, &iw)) in x.iter().zip(&input).enumerate() {
            for (lane, v) in xw.add(iw).words().into_iter().enumerate() {
                self.buffer[lane * 16 + w] = v;
            }
        }
        self.counter = self.counter.wrapping_add(LANES as u64);
    }
}

/// ChaCha's quarter round on words `a`, `b`, `c`, `d` of the four blocks.
#[inline(always)]
fn quarter(x: &mut [Lanes; 16], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].add(x[b]);
    x[d] = x[d].xor(x[a]).rotate_left::<16>();
    x[c] = x[c].add(x[d]);
    x[b] = x[b].xor(x[c]).rotate_left::<12>();
    x[a] = x[a].add(x[b]);
    x[d] = x[d].xor(x[a]).rotate_left::<8>();
    x[c] = x[c].add(x[d]);
    x[b] = x[b].xor(x[c]).rotate_left::<7>();
}

/// One word of each of the four blocks: a SIMD128 vector in wasm.
#[cfg(target_arch = "wasm32")]
mod lanes {
    use core::arch::wasm32::{
        i8x16_shuffle, u32x4, u32x4_add, u32x4_extract_lane, u32x4_shl, u32x4_shr, u32x4_splat, v128, v128_or, v128_xor,
    };

    #[derive(Clone, Copy, Debug)]
    pub struct Lanes(v128);

    impl Lanes {
        #[inline(always)]
        pub fn splat(v: u32) -> Self {
            Self(u32x4_splat(v))
        }
        #[inline(always)]
        pub fn from(v: [u32; 4]) -> Self {
            Self(u32x4(v[0], v[1], v[2], v[3]))
        }
        #[inline(always)]
        pub fn words(self) -> [u32; 4] {
            let v = self.0;
            [
                u32x4_extract_lane::<0>(v),
                u32x4_extract_lane::<1>(v),
                u32x4_extract_lane::<2>(v),
                u32x4_extract_lane::<3>(v),
            ]
        }
        #[inline(always)]
        pub fn add(self, o: Self) -> Self {
            Self(u32x4_add(self.0, o.0))
        }
        #[inline(always)]
        pub fn xor(self, o: Self) -> Self {
            Self(v128_xor(self.0, o.0))
        }
        /// Each word rotated left by `R` bits; by 16 and 8 a byte shuffle.
        #[inline(always)]
        pub fn rotate_left<const R: u32>(self) -> Self {
            let v = self.0;
            Self(match R {
                16 => i8x16_shuffle::<2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13>(v, v),
                8 => i8x16_shuffle::<3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14>(v, v),
                _ => v128_or(u32x4_shl(v, R), u32x4_shr(v, 32 - R)),
            })
        }
    }
}

/// One word of each of the four blocks: plain words elsewhere (the native
/// build's tests).
#[cfg(not(target_arch = "wasm32"))]
mod lanes {
    #[derive(Clone, Copy, Debug)]
    pub struct Lanes([u32; 4]);

    impl Lanes {
        pub fn splat(v: u32) -> Self {
            Self([v; 4])
        }
        pub fn from(v: [u32; 4]) -> Self {
            Self(v)
        }
        pub fn words(self) -> [u32; 4] {
            self.0
        }
        pub fn add(self, o: Self) -> Self {
            Self(core::array::from_fn(|i| self.0[i].wrapping_add(o.0[i])))
        }
        pub fn xor(self, o: Self) -> Self {
            Self(core::array::from_fn(|i| self.0[i] ^ o.0[i]))
        }
        pub fn rotate_left<const R: u32>(self) -> Self {
            Self(self.0.map(|w| w.rotate_left(R)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha8Rng;
    use rand_core::{Rng as _, SeedableRng};

    #[test]
    fn the_words_are_rand_chachas() {
        for seed in [0u64, 1, 7, 42, u64::MAX] {
            for stream in [0u64, 1, 5, 6, 1 << 40] {
                let mut theirs = ChaCha8Rng::seed_from_u64(seed);
                theirs.set_stream(stream);
                let mut ours = ChaCha8::new(theirs.get_seed(), stream);
                // Several refills, and a copy taken mid-buffer goes on alike.
                for i in 0..1000 {
                    assert_eq!(ours.next_u64(), theirs.next_u64(), "seed {seed}, stream {stream}, draw {i}");
                }
                let (mut a, mut b) = (ours.clone(), theirs.clone());
                for i in 0..100 {
                    assert_eq!(a.next_u64(), b.next_u64(), "copy of seed {seed}, stream {stream}, draw {i}");
                }
            }
        }
    }

    #[test]
    fn the_block_counter_carries_into_its_high_word() {
        // Blocks 2³² − 2 … 2³² + 1 straddle the carry; rand_chacha sets its
        // position in words (16 a block).
        let key = [9u8; 32];
        let mut theirs = ChaCha8Rng::from_seed(key);
        theirs.set_word_pos(16 * ((1u128 << 32) - 2));
        let mut ours = ChaCha8::new(key, 0);
        ours.counter = (1 << 32) - 2;
        for i in 0..64 {
            assert_eq!(ours.next_u64(), theirs.next_u64(), "draw {i}");
        }
    }
}
