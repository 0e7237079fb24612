//! The benchmark suite in wasm, in headless Chromium. Not a test: it
//! measures and prints, and is run by `scripts/bench.sh` only (in release).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn benchmark_suite_in_chromium() {
    let quick = option_env!("HYPERLAB_BENCH_QUICK").is_some();
    let runs: usize = option_env!("HYPERLAB_BENCH_RUNS").and_then(|r| r.parse().ok()).unwrap_or(5);
    let performance = web_sys::window().and_then(|w| w.performance()).expect("a browser clock");
    let now_ms = move || performance.now();
    let digits = include_str!("../static/data/digits.csv");
    let results: Vec<_> =
        hyperlab::bench::suite(digits, quick).unwrap().iter().map(|w| w.measure(runs, &now_ms)).collect();
    console_log!("wasm32 + simd128 in Chromium, median of {} runs\n\n{}", runs, hyperlab::bench::table(&results));
    console_log!("{}", hyperlab::bench::diagnostics_table(digits, runs, &now_ms).unwrap());
    console_log!("{}", hyperlab::bench::search_table(&now_ms));
}
