#!/usr/bin/env bash
# Builds the release bundle and serves it at http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
echo "HyperLab: building the release bundle, then serving it at http://127.0.0.1:8080 (Ctrl-C stops)"
exec trunk serve --release --no-autoreload
