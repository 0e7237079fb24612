#!/usr/bin/env python3
# HyperLab's search, as an Optuna study that runs on as many machines as you have.
#
#   {{LINK}}
#
# The same space, the same budget ({{N_TRIALS}} trials) and the method's
# counterpart in Optuna: {{SAMPLER_NAME}}{{PRUNER_NOTE}}. Each trial trains in
# PyTorch — the training loop of `hyperlab export pytorch` — on HyperLab's
# data ({{SCORING}}), and is scored by the validation {{METRIC}} after its last
# epoch ({{DIRECTION}}d). A trial's weights and batch order are PyTorch's,
# drawn from the link's seed: its numbers are not the lab's, its behaviour is.
#
#   pip install torch optuna scipy      (scipy: for GPSampler)
#
#   python3 {{FILE}}
#       one process, the study in memory;
#   python3 {{FILE}} --storage sqlite:///hyperlab-study.db
#       run it in two terminals (or ten): the processes share the study
#       through the database file, each asking Optuna for the next trial;
#   python3 {{FILE}} --storage postgresql://user:password@host/database
#       the same on many machines, one command on each (any database
#       SQLAlchemy reaches: PostgreSQL, MySQL).
#
# Every process works on the same study (its name comes from the link) until
# it holds {{N_TRIALS}} trials, then prints the best one and its HyperLab link.
# Alone, a process repeats exactly from the link's seed; sharing a storage,
# each seeds its sampler with its host and process id too, or every worker
# would draw the same trials.

import argparse
import base64
import decimal
import math
import os
import random
import socket
import sys
import time
import urllib.parse
import zlib

import optuna
import torch
import torch.nn.functional as F

# ---- the search (written by `hyperlab export optuna`) ----

LINK = "{{LINK}}"
STUDY_NAME = "{{STUDY_NAME}}"
SEED = {{SEED}}  # the search's seed: the sampler's draws (see `main`)
N_TRIALS = {{N_TRIALS}}
METRIC = "{{METRIC}}"
DIRECTION = "{{DIRECTION}}"
HEAD = "{{HEAD}}"


def suggest(trial):
    """The search space, by URL key."""
    return {
{{SUGGEST}}
    }


def make_sampler(seed):
    return {{SAMPLER}}


def make_pruner():
    return {{PRUNER}}


# The link's experiment: every setting the training loop reads, by URL key.
BASE = {{BASE}}
# The link's optimizer and schedule settings that differ from their defaults:
# kept when a trial picks another optimizer or schedule that has them, as the
# lab's trials keep them.
LINK_SETTINGS = {{LINK_SETTINGS}}
# Each optimizer's and each schedule's defaults (PyTorch's, and the course's).
OPTIMIZER_DEFAULTS = {{OPTIMIZER_DEFAULTS}}
SCHEDULE_DEFAULTS = {{SCHEDULE_DEFAULTS}}

# ---- the data: {{N_FOLDS}} (training inputs, targets, validation inputs, targets), float32 base64 ----

FOLDS = [
{{FOLDS}}
]


{{CORE}}


INTEGERS = {"bs", "ep", "every", "start", "steps", "total", "tmax", "t0", "tmult", "up", "down", "pat", "cool", "wu",
            "es", "layers", "units"}
FLAGS = {"nesterov", "centered", "amsgrad", "stair"}
WORDS = {"opt", "sched", "init", "anneal", "esm"}


def parse(key, value):
    """A value as a link writes it (a choice is text), as the training loop reads it."""
    if key == "hidden":
        return [] if value == "none" else [int(u) for u in str(value).split("-")]
    if key == "act":
        return str(value).split("-")
    if key == "ms":
        return [int(m) for m in str(value).split("-")]
    if key in WORDS:
        return str(value)
    if key in FLAGS:
        return str(value).lower() in ("1", "true", "yes", "on")
    if key in INTEGERS:
        return int(float(value))
    return float(value)


def config_of(params):
    """A trial's experiment: the link's, with the tuned settings; `layers` and
    `units` reshape the hidden layers (the link's count and width by default)."""
    values = {key: parse(key, value) for key, value in {**LINK_SETTINGS, **params}.items()}
    c = dict(BASE)
    c["opt"], c["sched"] = values.get("opt", c["opt"]), values.get("sched", c["sched"])
    c.update(OPTIMIZER_DEFAULTS[c["opt"]])
    c.update(SCHEDULE_DEFAULTS[c["sched"]])
    c.update({k: v for k, v in values.items() if k not in ("layers", "units")})
    if "layers" in values or "units" in values:
        layers = values.get("layers", max(len(BASE["hidden"]), 1))
        units = values.get("units", BASE["hidden"][0] if BASE["hidden"] else 8)
        c["hidden"], c["act"] = [units] * layers, c["act"][:1]
    return c


_folds = None


def folds():
    global _folds
    if _folds is None:
        width = BASE["inputs"]
        _folds = [(tensor(tx, torch.float32, -1, width), tensor(ty, torch.float32),
                   tensor(vx, torch.float32, -1, width), tensor(vy, torch.float32)) for tx, ty, vx, vy in FOLDS]
    return _folds


def objective(trial):
    c = config_of(suggest(trial))
    trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
    scores = []
    for k, data in enumerate(folds()):
        def report(epoch, lr, train_scores, val_scores):
            value = val_scores.get(METRIC)
            if k == 0 and value is not None and math.isfinite(value):
                trial.report(value, epoch)
                if trial.should_prune():
                    raise optuna.TrialPruned()

        model, ended = train(c, data, HEAD, on_epoch=report)
        if ended and ended.startswith("# diverged"):
            trial.set_user_attr("failed", ended[2:])
            return float("nan")  # Optuna marks the trial failed, as the lab does
        value = evaluate(model, data[2], data[3], HEAD, c["huber"]).get(METRIC)
        if value is None or not math.isfinite(value):
            return float("nan")
        scores.append(value)
    mean = sum(scores) / len(scores)
    trial.set_user_attr("spread", math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores)))
    return mean


def link_of(params):
    """The lab's link to a trial's experiment."""
    page, _, query = LINK.partition("?")
    pairs = [(k, v) for k, v in urllib.parse.parse_qsl(query) if k not in params and k not in ("layers", "units")]
    shape = {k: params[k] for k in ("layers", "units") if k in params}
    pairs += [(k, str(v)) for k, v in params.items() if k not in shape]
    if shape:
        c = config_of(params)
        pairs = [(k, v) for k, v in pairs if k not in ("hidden", "act")]
        pairs += [("hidden", "-".join(map(str, c["hidden"])) or "none"), ("act", c["act"][0])]
    return f"{page}?{urllib.parse.urlencode(pairs, safe=':,|-')}"


def main():
    parser = argparse.ArgumentParser(description="HyperLab's search as an Optuna study.")
    parser.add_argument("--storage", help="a database URL shared by every worker (sqlite:///file.db, postgresql://…)")
    parser.add_argument("--trials", type=int, help="at most this many trials from this process")
    args = parser.parse_args()
    # One process repeats exactly from the link's seed. Workers sharing a
    # storage each mix in their own host and process, or they would all draw
    # the same trials.
    seed = SEED if args.storage is None else (SEED * 1_000_003 + zlib.crc32(socket.gethostname().encode())
                                              + os.getpid()) % 2**32
    study = None
    for attempt in range(10):
        try:
            study = optuna.create_study(study_name=STUDY_NAME, storage=args.storage, sampler=make_sampler(seed),
                                        pruner=make_pruner(), direction=DIRECTION, load_if_exists=True)
            break
        except Exception as error:  # workers started together race to create the storage's tables
            if attempt == 9:
                raise
            print(f"the storage is not ready ({type(error).__name__}); trying again", file=sys.stderr)
            time.sleep(0.5 + random.random())
    study.optimize(objective, n_trials=args.trials,
                   callbacks=[optuna.study.MaxTrialsCallback(N_TRIALS, states=None)])
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if not done:
        print("no trial completed")
        return 1
    best = study.best_trial
    print(f"best: trial {best.number}, validation {METRIC} {best.value:.6g}, {best.params}")
    print(f"in the lab: {link_of(best.params)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
