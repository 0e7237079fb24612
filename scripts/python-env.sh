# Sourced by the scripts that run Python from PyPI (check-pytorch.sh,
# search-vs-optuna.sh): sets $venv to a virtual environment outside the
# repository (~/.cache/hyperlab-venv, or $HYPERLAB_VENV) holding torch,
# optuna and scipy — installed the first time (about 5 GB), then reused —
# and builds the command line they drive.
venv="${HYPERLAB_VENV:-$HOME/.cache/hyperlab-venv}"
if ! "$venv/bin/python" -c 'import torch, optuna, scipy' 2>/dev/null; then
  echo "== installing torch, optuna and scipy into $venv (from PyPI) =="
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet torch optuna scipy
fi
cargo build --release --quiet --bin hyperlab
