"""HyperLab's searches against Optuna's samplers, seed for seed.

    python scripts/search_vs_optuna.py HYPERLAB [--seeds 15] [--trials 40] [--base QUERY]

The problem is issue 16's: the spiral (the lab's default experiment, with a
20 % test split as a search sets aside), its validation loss after the last
epoch (`--base` adds keys to the experiment: `ep=50` for a shorter
training, where the choice matters more), over the learning rate (log, 1e-3 … 3) and the batch size (log-int,
1 … 64). For each seed, HyperLab's Bayesian optimization and TPE run as
`hyperlab search … sseed=SEED`; Optuna's TPESampler and GPSampler (seeded
the same) run a study whose objective is `hyperlab run` of the trial's
experiment, so every method scores exactly the same trainings. A training
that diverges is a failed trial on both sides (NaN for Optuna). Prints each
method's best validation loss per seed, then a Markdown table of the median,
worst and best over the seeds (docs/PERFORMANCE.md, "Search quality").
"""

import argparse
import statistics
import subprocess
import sys

import optuna

BASE = "test=0.2"  # plus --base
SPACE = "lr:log:0.001:3,bs:logint:1:64"


def val_loss(hyperlab, query):
    """The validation loss after the last epoch of `hyperlab run QUERY`, or NaN."""
    out = subprocess.run([hyperlab, "run", query], capture_output=True, text=True)
    rows = [line for line in out.stdout.splitlines() if line and not line.startswith("#")]
    if out.returncode != 0 or len(rows) < 2:
        return float("nan")
    header = rows[0].split(",")
    return float(rows[-1].split(",")[header.index("val_loss")])


def hyperlab_best(hyperlab, method, seed, trials):
    """The best validation loss of `hyperlab search` with METHOD and SEED."""
    query = f"{BASE}&search={method}&trials={trials}&space={SPACE}&sseed={seed}&smetric=loss"
    out = subprocess.run([hyperlab, "search", query], capture_output=True, text=True, check=True)
    rows = [line.split(",") for line in out.stdout.splitlines() if line and not line.startswith("#")]
    header, rows = rows[0], rows[1:]
    score, status = header.index("loss"), header.index("status")
    return min(float(r[score]) for r in rows if r[status] == "done")


def optuna_best(hyperlab, sampler, trials):
    """The best validation loss of an Optuna study with SAMPLER."""

    def objective(trial):
        lr = trial.suggest_float("lr", 1e-3, 3.0, log=True)
        bs = trial.suggest_int("bs", 1, 64, log=True)
        return val_loss(hyperlab, f"{BASE}&lr={lr!r}&bs={bs}")

    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.optimize(objective, n_trials=trials)
    return study.best_value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("hyperlab")
    parser.add_argument("--seeds", type=int, default=15)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--base", default="")
    args = parser.parse_args()
    global BASE
    if args.base:
        BASE = f"{BASE}&{args.base}"
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    methods = {
        "HyperLab bayes (GP)": lambda s: hyperlab_best(args.hyperlab, "bayes", s, args.trials),
        "HyperLab tpe": lambda s: hyperlab_best(args.hyperlab, "tpe", s, args.trials),
        "Optuna TPESampler": lambda s: optuna_best(args.hyperlab, optuna.samplers.TPESampler(seed=s), args.trials),
        "Optuna GPSampler": lambda s: optuna_best(args.hyperlab, optuna.samplers.GPSampler(seed=s), args.trials),
    }
    best = {name: [] for name in methods}
    for seed in range(1, args.seeds + 1):
        for name, run in methods.items():
            best[name].append(run(seed))
        print(f"seed {seed}: " + ", ".join(f"{n} {v[-1]:.4f}" for n, v in best.items()), file=sys.stderr, flush=True)
    print(f"| method ({args.trials} trials, {args.seeds} seeds, `{BASE}`) | median best | worst seed | best seed |")
    print("|---|---:|---:|---:|")
    for name, values in best.items():
        print(f"| {name} | {statistics.median(values):.4f} | {max(values):.4f} | {min(values):.4f} |")
    print()
    print("per seed: " + "; ".join(f"{n}: " + " ".join(f"{v:.3f}" for v in vs) for n, vs in best.items()))


if __name__ == "__main__":
    main()
