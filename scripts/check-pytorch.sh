#!/usr/bin/env bash
# Runs HyperLab's exports under the real PyTorch and Optuna, from PyPI.
#
#   scripts/check-pytorch.sh [--extra]
#
# Installs torch, optuna and scipy into a virtual environment outside the
# repository (~/.cache/hyperlab-venv, or $HYPERLAB_VENV; about 5 GB, once),
# builds the command line, and compares each exported script's per-epoch
# training loss with `hyperlab run` (scripts/pytorch_check.py; --extra adds
# every optimizer, schedule and head), then runs an exported Optuna study on
# two processes sharing a SQLite file, and every search method's study once
# (scripts/optuna_check.py). Not part of `make test`: it downloads gigabytes
# and takes minutes. docs/EXPORTS.md records its tables.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh
"$venv/bin/python" scripts/pytorch_check.py target/release/hyperlab "$@"
echo
"$venv/bin/python" scripts/optuna_check.py target/release/hyperlab
