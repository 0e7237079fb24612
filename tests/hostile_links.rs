//! Hostile links (issue 10): at least 10 000 generated links over every
//! documented key — extreme, negative, NaN and infinite, huge, empty,
//! repeated and mis-encoded values, long lists, search spaces with extreme
//! bounds, nested `runs=` — each decoded, validated, planned, raced, sized,
//! trained for one mini-batch and searched for a few trials: no panic, every
//! accepted spec finite, every case over in bounded time. The generator and
//! the checks are in `tests/common/hostile.rs`; the same run in Chromium
//! (`tests/wasm.rs`) must give the same digest.
#![cfg(not(target_arch = "wasm32"))]

mod common {
    pub mod hostile;
}

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use common::hostile::{KNOWN, PINNED_DIGEST, SEED, WASM_LINKS, arithmetic, digest_of_first, link};
use hyperlab::engine::rng::Rng;
use hyperlab::experiment::{ExperimentSpec, lab_from_query};

/// Links generated per run of the native tests.
const LINKS: usize = 10_000;

/// One mini-batch of each spec a link holds. A spec whose data and network
/// are large (within the lab's limits, which validation checked) trains on
/// ten points per class and at most 32 units per layer, so ten thousand
/// links train in seconds: what this checks is that no accepted setting
/// breaks the trainer's arithmetic, not how fast it trains.
fn one_batch(spec: &ExperimentSpec) -> f64 {
    let mut s = spec.clone();
    let cost = |s: &ExperimentSpec| s.batch_size * s.model().n_params() + s.data.n_total() * s.n_model_inputs();
    if cost(&s) > 5_000_000 {
        if s.data.kind.bundled_file().is_none() {
            s.data.n_per_class = 10;
        }
        s.hidden.iter_mut().for_each(|u| *u = (*u).min(32));
        s.batch_size = s.batch_size.min(s.n_train());
        s.validate().unwrap_or_else(|e| panic!("shrunk spec invalid: {e}"));
    }
    let mut trainer = s.trainer().unwrap_or_else(|e| panic!("an accepted spec has no trainer: {e}"));
    trainer.train_batch(s.lr)
}

#[test]
fn ten_thousand_hostile_links_neither_panic_nor_hang() {
    let mut rng = Rng::new(SEED, 0);
    let links: Vec<String> = KNOWN.iter().map(|s| s.to_string()).chain((0..LINKS).map(|_| link(&mut rng))).collect();
    let (mut panics, mut slowest) = (Vec::new(), (Duration::ZERO, String::new()));
    let (mut specs, mut notices, mut searches, mut asks, mut batches) = (0, 0, 0, 0, 0);
    let start = Instant::now();
    for l in &links {
        let t0 = Instant::now();
        let run = catch_unwind(AssertUnwindSafe(|| {
            let out = arithmetic(l);
            let (spec, runs, _) = lab_from_query(l);
            for s in std::iter::once(&spec).chain(&runs) {
                one_batch(s);
            }
            (out, 1 + runs.len())
        }));
        match run {
            Ok((out, n)) => {
                (specs, notices, searches, asks) =
                    (specs + out.specs, notices + out.notices, searches + out.searches, asks + out.asks);
                batches += n;
            }
            Err(e) => {
                let why =
                    e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
                panics.push(format!("{l}\n  {}", why.unwrap_or_default()));
            }
        }
        let took = t0.elapsed();
        if took > slowest.0 {
            slowest = (took, l.chars().take(160).collect());
        }
    }
    println!(
        "hostile links: {} tried in {:.1} s ({specs} specs, {notices} notices, {batches} mini-batches, \
         {searches} searches prepared, {asks} trials asked), {} panics; slowest {:.0} ms: {}",
        links.len(),
        start.elapsed().as_secs_f64(),
        panics.len(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    assert!(
        panics.is_empty(),
        "{} of {} links panicked; the first:\n{}",
        panics.len(),
        links.len(),
        panics[..panics.len().min(5)].join("\n")
    );
    // Not a speed test: a case that froze (an endless loop) would take forever.
    assert!(slowest.0 < Duration::from_secs(10), "a link took {:?}: {}", slowest.0, slowest.1);
    assert!(searches > 500 && asks > 2500, "the generator reaches the search paths ({searches}, {asks})");
}

/// The links the wasm test runs give, natively, the digest it must find.
#[test]
fn the_first_links_digest_to_the_pinned_value() {
    let (digest, searches) = digest_of_first(WASM_LINKS);
    assert!(searches > 50, "{searches} searches among the first links");
    assert_eq!(digest, PINNED_DIGEST, "the digest is now {digest:#018x}");
}
