#!/usr/bin/env bash
# Runs every test: formatting, lints (native and wasm32), native tests,
# wasm tests in headless Chromium, and end-to-end tests of the release bundle.
# Prints the counts of each runner and a closing total.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh

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
    printf '\nFAILED: %s (log: %s)\ntests: %d passed, %d failed\n' "$name" "$log" "$passed" "$((failed + 1))"
    exit 1
  fi
  count "$log"
}

# Adds up the pass/fail counts that cargo test, wasm-bindgen-test and node --test print.
count() {
  local p f
  p=$(grep -aoE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$1" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  f=$(grep -aoE 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$1" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
  local np nf
  np=$(grep -aoE '^# pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  nf=$(grep -aoE '^# fail [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  passed=$((passed + p + np))
  failed=$((failed + f + nf))
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
