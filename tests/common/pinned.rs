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

/// More experiments whose records must agree bit for bit between native and
/// wasm: a softmax head, regression with dropout and Huber loss, Adam with
/// weight decay, RMSprop on derived features, a real data set with
/// standardization. Each is (query, epochs); the hash covers every record.
pub const IDENTITY_SPECS: [(&str, u64); 5] = [
    ("data=blobs&classes=4&act=relu&ep=8", 0xb0213e2975a72ad0),
    ("data=sine&hidden=12-12&act=gelu&drop=0.2&loss=huber&opt=adam&lr=0.01&ep=8", 0x95a8dbae4964883c),
    ("data=moons&opt=adamw&wd=0.05&amsgrad=1&init=he_normal&act=elu&l1=0.001&clip=0.5&ep=8", 0xcd19f128e2735558),
    ("data=circle&feat=x1sq-x2sq-x1x2&opt=rmsprop&centered=1&mom=0.5&lr=0.003&ep=8", 0xbfa31e171d3c1be6),
    ("data=wine&hidden=16&act=leaky_relu&opt=sgd&mom=0.9&nesterov=1&lr=0.01&bs=4&ep=8", 0x3f956ed738619865),
];

/// FNV-1a over every number of every record of a run of `query` (the data
/// of a bundled set comes from `csv`).
pub fn records_hash(query: &str, csv: Option<&str>) -> u64 {
    let (spec, notices) = hyperlab::experiment::from_query(query);
    assert!(notices.is_empty(), "{query}: {notices:?}");
    let mut trainer = spec.trainer_with(csv).expect("valid spec");
    trainer.run_to_end();
    let metrics = spec.metrics();
    fnv1a(trainer.records().iter().flat_map(|r| {
        let mut words = vec![r.epoch as u64, r.lr.to_bits()];
        for &m in metrics {
            words.push(r.train.get(m).unwrap_or(f64::NAN).to_bits());
            words.push(r.val.get(m).unwrap_or(f64::NAN).to_bits());
        }
        words
    }))
}
