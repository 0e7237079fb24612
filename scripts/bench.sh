#!/usr/bin/env bash
# The training-throughput benchmark: native, then wasm in headless Chromium,
# both release builds. Figures and method: docs/PERFORMANCE.md.
#   scripts/bench.sh [--quick] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
runs=5
quick=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=(--quick); export HYPERLAB_BENCH_QUICK=1 ;;
    --runs) runs=$2; shift ;;
    *) echo "usage: scripts/bench.sh [--quick] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done
export HYPERLAB_BENCH_RUNS=$runs
cargo run --quiet --release --bin hyperlab -- bench --runs "$runs" "${quick[@]}"
echo
# The whole suite runs in one call that holds the page; wasm-bindgen-test-runner
# 0.2.130 gives up on a page that does not answer its poll within the test
# timeout (20 s by default), which the full suite at 7 runs exceeds.
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-600}
cargo test --release --target wasm32-unknown-unknown --test wasm_bench -- --nocapture 2>&1 \
  | sed -n '/wasm32 + simd128/,/^$/p; /^|/p; /^One ask of a search/p; /^The per-layer diagnostics/p; /^The end-to-end benchmark/p' | awk '!seen[$0]++'
