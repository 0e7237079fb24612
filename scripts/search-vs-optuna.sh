#!/usr/bin/env bash
# HyperLab's Bayesian optimization and TPE against Optuna's GPSampler and
# TPESampler, seed for seed, on issue 16's problem (the spiral's validation
# loss over lr log [1e-3, 3] x batch size log-int [1, 64], 40 trials, 15
# seeds): scripts/search_vs_optuna.py. Uses the same virtual environment as
# scripts/check-pytorch.sh (optuna, torch and scipy from PyPI; GPSampler
# needs torch). Not part of `make test`: it takes minutes.
#
#   scripts/search-vs-optuna.sh [--seeds N] [--trials N]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh
"$venv/bin/python" scripts/search_vs_optuna.py target/release/hyperlab "$@"
