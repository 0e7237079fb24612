#!/usr/bin/env bash
# Runs every test: formatting, lints (native and wasm32), native tests,
# wasm tests in headless Chromium, and end-to-end tests of the release bundle.
# Prints the counts of each runner and a closing total.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
# A test run builds once: incremental caches would double target/ on disk.
export CARGO_INCREMENTAL=0

log_dir=target/test-logs
mkdir -p "$log_dir"
passed=0
failed=0

step() {
  local name=$1; shift
  printf '\n== %s ==\n' "$name"
  local log="$log_dir/$name.log"
  if "$@" 2>&1 | tee "$log"; then :; else
    count "$log"
    [ "$failed" -gt 0 ] || failed=1  # a failed lint or build counts as one failure
    printf '\nFAILED: %s (log: %s)\ntests: %d passed, %d failed\n' "$name" "$log" "$passed" "$failed"
    exit 1
  fi
  count "$log"
}

# Adds up the pass/fail counts that cargo test, wasm-bindgen-test and node --test print.
count() {
  local p f np nf
  p=$(sum_of 'test result: [a-zA-Z]+\. [0-9]+ passed' '[0-9]+ passed' "$1")
  f=$(sum_of 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' '[0-9]+ failed' "$1")
  np=$(sum_of '^# pass [0-9]+' '[0-9]+$' "$1")
  nf=$(sum_of '^# fail [0-9]+' '[0-9]+$' "$1")
  passed=$((passed + p + np))
  failed=$((failed + f + nf))
}

# sum_of LINE_PATTERN NUMBER_PATTERN FILE: the sum of the numbers in matching lines (0 if none).
sum_of() {
  { grep -aoE "$1" "$3" || true; } | { grep -oE "$2" || true; } | awk '{ s += $1 } END { print s + 0 }'
}

step format cargo fmt --all -- --check
step clippy-native cargo clippy --all-targets --locked -- -D warnings
step clippy-wasm32 cargo clippy --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
step native-tests cargo test --locked
step wasm-tests cargo test --locked --target wasm32-unknown-unknown --test wasm
step bundle trunk build --release
step end-to-end node --test --test-reporter=tap tests/e2e/

printf '\ntests: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
