#!/usr/bin/env python3
"""Runs HyperLab's Optuna export for real: a study on two processes at once.

Usage: optuna_check.py HYPERLAB_BINARY

`hyperlab export optuna` writes the study of a search; two processes run it
together against one SQLite file (Optuna's shared storage, as on many
machines with a database URL); then the storage is read back: the study must
hold the link's trials, finished by both processes. Each other method is run
once in memory (its sampler and pruner for real). Prints a Markdown table
for docs/EXPORTS.md; exits 1 if anything is off.
"""

import os
import subprocess
import sys
import tempfile

import optuna

SHARED = "data=moons&ep=15&search=tpe&trials=5&space=lr:log:0.001:1,opt:choice:sgd|adam"
METHODS = [
    ("random", "data=moons&ep=10&search=random&trials=4&space=lr:log:0.001:1"),
    ("grid", "data=moons&ep=10&search=grid&trials=4&space=lr:log:0.01:1:2,bs:logint:8:32:2"),
    ("bayes", "data=moons&ep=10&search=bayes&trials=9&space=lr:log:0.001:1,mom:real:0:0.9"),
    ("genetic", "data=moons&ep=10&search=genetic&trials=6&space=lr:log:0.001:1,act:choice:relu|tanh"),
    ("halving", "data=moons&ep=27&search=halving&trials=6&space=lr:log:0.0001:1"),
    ("hyperband", "data=moons&ep=27&search=hyperband&trials=6&space=lr:log:0.0001:1,layers:int:1:2,units:logint:2:16"),
    ("tpe, 3 folds", "data=iris&ep=10&search=tpe&trials=4&folds=3&space=lr:log:0.001:1"),
]


def export(binary, query, path):
    subprocess.run([binary, "export", "optuna", query, "--out", path], check=True)


def main():
    binary = sys.argv[1]
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        script, db = os.path.join(tmp, "study.py"), os.path.join(tmp, "study.db")
        export(binary, SHARED, script)
        storage = f"sqlite:///{db}"
        workers = [subprocess.Popen([sys.executable, script, "--storage", storage], stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [w.communicate()[0] for w in workers]
        name = next(s.study_name for s in optuna.get_all_study_summaries(storage))
        study = optuna.load_study(study_name=name, storage=storage)
        trials = study.get_trials(deepcopy=False)
        by = {}
        for t in trials:
            by.setdefault(t.user_attrs.get("worker"), []).append(t.number)
        complete = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
        print(f"## Two processes, one SQLite study ({SHARED})\n")
        print("| trial | state | worker | params | value |\n|---|---|---|---|---|")
        for t in trials:
            value = "—" if t.value is None else f"{t.value:.4f}"
            print(f"| {t.number} | {t.state.name} | {t.user_attrs.get('worker')} | {t.params} | {value} |")
        print(f"\n{len(trials)} trials in the storage, {len(complete)} complete, from {len(by)} processes; "
              f"exit codes {[w.returncode for w in workers]}")
        if len(trials) < 5 or len(by) < 2 or any(w.returncode != 0 for w in workers):
            failed = True
            print("\nFAILED:\n" + "\n".join(outputs))
        print("\n## Every method, once\n\n| method | link | trials | complete | pruned | best | note |\n|---|---|---|---|---|---|---|")
        for method, query in METHODS:
            path = os.path.join(tmp, f"study_{method.split(',')[0]}.py")
            export(binary, query, path)
            db = os.path.join(tmp, f"study_{method.split(',')[0]}.db")
            run = subprocess.run([sys.executable, path, "--storage", f"sqlite:///{db}"], capture_output=True, text=True)
            if run.returncode != 0:
                failed = True
                print(f"| {method} | `{query}` | — | — | — | — | failed: {run.stderr.strip()[-200:]} |")
                continue
            summary = optuna.get_all_study_summaries(f"sqlite:///{db}")[0]
            s = optuna.load_study(study_name=summary.study_name, storage=f"sqlite:///{db}")
            states = [t.state for t in s.trials]
            n_complete = states.count(optuna.trial.TrialState.COMPLETE)
            n_pruned = states.count(optuna.trial.TrialState.PRUNED)
            best = f"{s.best_value:.4f}" if n_complete else "—"
            link = run.stdout.strip().splitlines()[-1]
            note = "prints the best trial's lab link" if link.startswith("in the lab: ") else "no link printed"
            failed = failed or not n_complete or not link.startswith("in the lab: ")
            print(f"| {method} | `{query}` | {len(states)} | {n_complete} | {n_pruned} | {best} | {note} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
