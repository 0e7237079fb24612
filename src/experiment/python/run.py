#!/usr/bin/env python3
# HyperLab's experiment, reproduced in PyTorch.
#
#   {{LINK}}
#
# Run it with `python3 {{FILE}}` (Python 3.8+ and torch, nothing else). It
# prints the CSV that `hyperlab run` prints for the same link: epoch, lr,
# then each metric on the training and the validation set.
#
# HyperLab's here: the data after its feature transforms (training,
# validation and test sets), the initial weights, and the order of the
# examples in every epoch (so the same mini-batches). PyTorch's: the network
# (nn.Linear layers), the loss, the optimizer ({{OPTIMIZER_CLASS}} with the
# same arguments), the schedule ({{SCHEDULER_NAME}}) and every gradient.
#
# What can differ: float32 sums in another order (PyTorch's matrix kernels
# against HyperLab's fixed order) and tanh, exp, sigmoid rounded differently
# in the last bit. Where training is smooth the training loss stays within
# about 1e-4 relative of HyperLab's over 100 epochs (docs/EXPORTS.md has the
# measured figures); where it is chaotic (small batches at a high rate) any
# last-bit difference grows from epoch to epoch, as it would between two
# HyperLab builds that summed in another order.{{DROPOUT_NOTE}}

import base64
import decimal
import math
import sys

import torch
import torch.nn.functional as F

# ---- the experiment (written by `hyperlab export pytorch`) ----

# Every setting, by its key in the lab's links (docs/url-format.md): the
# optimizer's and the schedule's included.
CONFIG = {{CONFIG}}
HEAD = "{{HEAD}}"  # bce: one logit; ce: one per class; mse, mae, huber: regression
METRICS = {{METRICS}}

# ---- the data, the initial weights and the batches (little-endian, base64) ----

N_TRAIN, N_VAL, N_TEST = {{N_TRAIN}}, {{N_VAL}}, {{N_TEST}}
TRAIN_X = {{TRAIN_X}}
TRAIN_Y = {{TRAIN_Y}}
VAL_X = {{VAL_X}}
VAL_Y = {{VAL_Y}}
TEST_X = {{TEST_X}}
TEST_Y = {{TEST_Y}}
# Every layer's weights input-major (n_in × n_out), then its biases, as float32.
INITIAL = {{INITIAL}}
# The training examples' order in each epoch, epochs × N_TRAIN indices.
ORDER = {{ORDER}}
ORDER_DTYPE = torch.{{ORDER_DTYPE}}


{{CORE}}


def main():
    width = CONFIG["inputs"]
    data = (tensor(TRAIN_X, torch.float32, N_TRAIN, width), tensor(TRAIN_Y, torch.float32),
            tensor(VAL_X, torch.float32, N_VAL, width), tensor(VAL_Y, torch.float32))
    order = tensor(ORDER, ORDER_DTYPE, CONFIG["ep"], N_TRAIN).long()
    print("epoch,lr," + ",".join(f"train_{m},val_{m}" for m in METRICS))

    def show(epoch, lr, train_scores, val_scores):
        row = ",".join(f"{number(train_scores[m])},{number(val_scores[m])}" for m in METRICS)
        print(f"{epoch},{number(lr)},{row}")

    model, ended = train(CONFIG, data, HEAD, initial=tensor(INITIAL, torch.float32), order=order, on_epoch=show)
    if ended:
        print(ended)
    if N_TEST > 0:
        test_x, test_y = tensor(TEST_X, torch.float32, N_TEST, width), tensor(TEST_Y, torch.float32)
        test = evaluate(model, test_x, test_y, HEAD, CONFIG["huber"])
        print("# test: " + ",".join(f"{m}={number(test[m])}" for m in METRICS if test.get(m) is not None))
    return 1 if ended and ended.startswith("# diverged") else 0


if __name__ == "__main__":
    sys.exit(main())
