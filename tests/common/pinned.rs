// Numbers the engine must reproduce bit for bit, natively (tests/engine.rs)
// and in wasm in Chromium (tests/wasm.rs). They come from the native build of
// the default experiment (`ExperimentSpec::default()`, seed 1). If a change to
// the engine changes them on purpose, regenerate them natively and update both
// at once; a difference between native and wasm is never on purpose.

/// Epochs trained before the hashes are taken.
pub const PINNED_EPOCHS: usize = 20;

/// `[train_loss, val_loss, train_accuracy, val_accuracy]` as f64 bits, epochs 1..=3.
pub const PINNED_RECORDS: [[u64; 4]; 3] = [
    [0x3fe5cd4d80b33333, 0x3fe5afed34000000, 0x3fe099999999999a, 0x3fe0cccccccccccd],
    [0x3fe57eb99e99999a, 0x3fe559e4fe000000, 0x3fe1333333333333, 0x3fdf333333333333],
    [0x3fe56228cf19999a, 0x3fe53973c299999a, 0x3fe1000000000000, 0x3fe0000000000000],
];

/// FNV-1a over the bits of every parameter after `PINNED_EPOCHS` epochs.
pub const PINNED_PARAMS_HASH: u64 = 0xa48d82668bb1b909;

/// FNV-1a over the bits of the 64×64 boundary grid (extent 1.3) after `PINNED_EPOCHS` epochs.
pub const PINNED_GRID_HASH: u64 = 0x383e978453df6d76;

/// 64-bit FNV-1a over a sequence of words.
pub fn fnv1a(words: impl IntoIterator<Item = u64>) -> u64 {
    words.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, w| (h ^ w).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Trains the default experiment for `PINNED_EPOCHS` and returns
/// (records of epochs 1..=3 as bits, params hash, grid hash).
pub fn pinned_run() -> ([[u64; 4]; 3], u64, u64) {
    let mut trainer = hyperlab::experiment::ExperimentSpec::default().trainer().expect("default spec is valid");
    trainer.run_epochs(PINNED_EPOCHS);
    let mut records = [[0u64; 4]; 3];
    for (out, r) in records.iter_mut().zip(trainer.records()) {
        *out = [
            r.train.loss.to_bits(),
            r.val.loss.to_bits(),
            r.train.accuracy.unwrap_or(f64::NAN).to_bits(),
            r.val.accuracy.unwrap_or(f64::NAN).to_bits(),
        ];
    }
    let params = fnv1a(trainer.model().params.iter().map(|p| p.to_bits() as u64));
    let grid = fnv1a(trainer.boundary_grid(64, 1.3).iter().map(|p| p.to_bits() as u64));
    (records, params, grid)
}
