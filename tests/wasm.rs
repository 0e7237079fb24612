//! The engine in wasm, in headless Chromium: the same numbers as natively.
//! Run with `cargo test --target wasm32-unknown-unknown --test wasm`.
#![cfg(target_arch = "wasm32")]

mod common {
    pub mod hostile;
    pub mod pinned;
}

use common::hostile;
use common::pinned::*;
use hyperlab::experiment::{ExperimentSpec, from_query};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_numbers_equal_the_native_pinned_ones() {
    let (records, params, grid) = pinned_run();
    assert_eq!(records, PINNED_RECORDS, "epoch records differ from native");
    assert_eq!(params, PINNED_PARAMS_HASH, "weights after {PINNED_EPOCHS} epochs differ from native");
    assert_eq!(grid, PINNED_GRID_HASH, "boundary grid differs from native");
}

/// Softmax, regression, Adam/AdamW, RMSprop, dropout, derived features and a
/// real data set: the same records as natively, bit for bit.
#[wasm_bindgen_test]
fn wasm_records_of_several_experiments_equal_the_native_ones() {
    for (query, hash) in IDENTITY_SPECS {
        let csv = query.contains("data=wine").then_some(include_str!("../static/data/wine.csv"));
        assert_eq!(records_hash(query, csv), hash, "{query}");
    }
}

#[wasm_bindgen_test]
fn a_query_decodes_to_the_same_spec_in_wasm() {
    let (spec, notices) = from_query("v=1&lr=0.3&seed=7&bogus=1");
    assert_eq!(spec, ExperimentSpec { lr: 0.3, seed: 7, ..ExperimentSpec::default() });
    assert_eq!(notices.len(), 1);
}

/// The hostile links' arithmetic — sizes, schedules, grid sizes, budgets,
/// race paths — where 32-bit `usize` differs from native: no panic, every
/// accepted spec finite, and the native digest to the bit (issue 10).
#[wasm_bindgen_test]
fn hostile_links_give_the_native_numbers_on_32_bits() {
    let (digest, searches) = hostile::digest_of_first(hostile::WASM_LINKS);
    assert!(searches > 50);
    assert_eq!(digest, hostile::PINNED_DIGEST, "{digest:#018x}");
}

/// The wasm build draws its random words from its own SIMD128 ChaCha8
/// (`engine::chacha`): they must be `rand_chacha`'s, which the native build
/// draws from, for every seed and stream, across several refills.
#[wasm_bindgen_test]
fn wasm_random_words_are_rand_chachas() {
    use rand_chacha::ChaCha8Rng;
    use rand_core::{Rng as _, SeedableRng};
    for seed in [0u64, 1, 42, u64::MAX] {
        for stream in [0u64, 4, 5, 1 << 40] {
            let mut theirs = ChaCha8Rng::seed_from_u64(seed);
            theirs.set_stream(stream);
            let mut ours = hyperlab::engine::rng::Rng::new(seed, stream);
            for i in 0..500 {
                assert_eq!(ours.next_u64(), theirs.next_u64(), "seed {seed}, stream {stream}, draw {i}");
            }
        }
    }
}
