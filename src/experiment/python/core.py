# ---- HyperLab's training loop in PyTorch: the same in every exported file ----


def tensor(text, dtype, *shape):
    """Little-endian numbers from base64 text."""
    values = torch.frombuffer(bytearray(base64.b64decode(text)), dtype=dtype).clone()
    return values.reshape(*shape) if shape else values


ACTIVATIONS = {
    "relu": torch.nn.ReLU,
    "leaky_relu": lambda: torch.nn.LeakyReLU(0.01),
    "elu": torch.nn.ELU,
    "gelu": torch.nn.GELU,
    "tanh": torch.nn.Tanh,
    "sigmoid": torch.nn.Sigmoid,
    "linear": torch.nn.Identity,
}


def linears(model):
    return [m for m in model if isinstance(m, torch.nn.Linear)]


def build_model(sizes, activations, dropout, init, init_range=1.0, initial=None):
    """nn.Linear layers with their activations (and dropout after each hidden
    one). `initial`: every layer's weights input-major (n_in × n_out), then
    its biases, as one flat tensor; otherwise drawn by `init` (torch.nn.init),
    biases zero, as HyperLab's initializers define them."""
    layers = []
    for l, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out))
        if l < len(sizes) - 2:
            layers.append(ACTIVATIONS[activations[min(l, len(activations) - 1)]]())
            if dropout > 0:
                layers.append(torch.nn.Dropout(dropout))
    model = torch.nn.Sequential(*layers)
    at = 0
    with torch.no_grad():
        for linear in linears(model):
            n_in, n_out = linear.in_features, linear.out_features
            w = linear.weight
            if initial is not None:
                w.copy_(initial[at:at + n_in * n_out].reshape(n_in, n_out).t())
                at += n_in * n_out
                linear.bias.copy_(initial[at:at + n_out])
                at += n_out
                continue
            if init == "glorot_uniform":
                torch.nn.init.xavier_uniform_(w)
            elif init == "glorot_normal":
                torch.nn.init.xavier_normal_(w)
            elif init == "he_normal":
                torch.nn.init.kaiming_normal_(w, nonlinearity="relu")
            elif init == "he_uniform":
                torch.nn.init.kaiming_uniform_(w, nonlinearity="relu")
            elif init == "lecun_normal":
                torch.nn.init.normal_(w, 0.0, math.sqrt(1.0 / n_in))
            elif init == "uniform":
                torch.nn.init.uniform_(w, -init_range, init_range)
            else:
                torch.nn.init.zeros_(w)
            torch.nn.init.zeros_(linear.bias)
    return model


def make_optimizer(params, c):
    """PyTorch's optimizer for the link's `opt` and its settings (URL keys)."""
    o = c["opt"]
    if o == "sgd":
        return torch.optim.SGD(params, lr=c["lr"], momentum=c["mom"], dampening=c["damp"],
                               nesterov=c["nesterov"], weight_decay=c["wd"])
    if o == "adagrad":
        return torch.optim.Adagrad(params, lr=c["lr"], lr_decay=c["lrd"], weight_decay=c["wd"],
                                   initial_accumulator_value=c["acc0"], eps=c["eps"])
    if o == "adadelta":
        return torch.optim.Adadelta(params, lr=c["lr"], rho=c["rho"], eps=c["eps"], weight_decay=c["wd"])
    if o == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"], alpha=c["alpha"], eps=c["eps"], weight_decay=c["wd"],
                                   momentum=c["mom"], centered=c["centered"])
    adam = torch.optim.AdamW if o == "adamw" else torch.optim.Adam
    return adam(params, lr=c["lr"], betas=(c["b1"], c["b2"]), eps=c["eps"], weight_decay=c["wd"],
                amsgrad=c["amsgrad"])


def make_scheduler(optimizer, c, epochs):
    """PyTorch's scheduler for the link's `sched`, or LambdaLR over HyperLab's
    formula where PyTorch has none (the course's time-based, step-from-`start`
    and exponential decays, Keras' inverse time, a one-cycle run longer than
    its cycle, which PyTorch refuses to step past). Stepped once per epoch."""
    s, lr, S = c["sched"], c["lr"], torch.optim.lr_scheduler

    def formula(rate):
        return S.LambdaLR(optimizer, lambda e: rate(e) / lr)

    def recursive(step):
        rates = [lr]

        def rate(e):
            while len(rates) <= e:
                rates.append(step(rates[-1], len(rates)))
            return rates[e]
        return formula(rate)

    if s == "constant":
        return None
    if s == "step" and c["start"] == 1:
        return S.StepLR(optimizer, step_size=c["every"], gamma=c["rate"])
    if s == "step":  # the course's step decay
        return formula(lambda e: lr * c["rate"] ** (max(0, e + 1 - c["start"]) // c["every"]))
    if s == "multistep":
        return S.MultiStepLR(optimizer, milestones=c["ms"], gamma=c["gamma"])
    if s == "time":  # the course's: lr_e = lr_(e-1) / (1 + e·decay)
        return recursive(lambda prev, e: prev / (1 + e * c["decay"]))
    if s == "exp_course":  # the course's: lr_e = lr_(e-1) · exp(-(e + 1)·decay)
        return recursive(lambda prev, e: prev * math.exp(-(e + 1) * c["decay"]))
    if s == "exp":
        return S.ExponentialLR(optimizer, gamma=math.exp(-c["decay"]))
    if s == "inverse_time":  # Keras' InverseTimeDecay
        return formula(lambda e: lr / (1 + c["rate"] * ((e // c["steps"]) if c["stair"] else (e / c["steps"]))))
    if s == "poly":
        return S.PolynomialLR(optimizer, total_iters=c["total"], power=c["power"])
    if s == "cosine":
        return S.CosineAnnealingLR(optimizer, T_max=c["tmax"], eta_min=c["lrmin"])
    if s == "restarts":
        return S.CosineAnnealingWarmRestarts(optimizer, T_0=c["t0"], T_mult=c["tmult"], eta_min=c["lrmin"])
    if s in ("cyclic", "cyclic2", "cyclic_exp"):
        mode = {"cyclic": "triangular", "cyclic2": "triangular2", "cyclic_exp": "exp_range"}[s]
        return S.CyclicLR(optimizer, base_lr=c["lrmin"], max_lr=lr, step_size_up=c["up"], step_size_down=c["down"],
                          mode=mode, gamma=c.get("gamma", 1.0), cycle_momentum=False)
    if s == "onecycle" and epochs <= c["total"]:
        return S.OneCycleLR(optimizer, max_lr=lr, total_steps=c["total"], pct_start=c["pct"],
                            anneal_strategy=c["anneal"], div_factor=c["div"], final_div_factor=c["fdiv"],
                            cycle_momentum=False)
    if s == "onecycle":  # PyTorch's formula, holding its final rate past `total` epochs
        initial, peak, last = lr / c["div"], c["pct"] * c["total"] - 1, c["total"] - 1

        def share(done, length):
            return min(max(done / length, 0.0), 1.0) if length > 0 else 1.0

        def rate(e):
            start, to, t = (initial, lr, share(e, peak)) if e <= peak else \
                (lr, initial / c["fdiv"], share(e - peak, last - peak))
            if c["anneal"] == "cos":
                return to + (start - to) / 2 * (1 + math.cos(math.pi * t))
            return (to - start) * t + start
        return formula(rate)
    return S.ReduceLROnPlateau(optimizer, mode="min", factor=c["factor"], patience=c["pat"], threshold=c["thr"],
                               threshold_mode="rel", cooldown=c["cool"], min_lr=c["lrmin"])


def losses(out, y, head, huber_delta):
    """The loss of each example (PyTorch's losses, reduction='none')."""
    if head == "bce":
        return F.binary_cross_entropy_with_logits(out[:, 0], y, reduction="none")
    if head == "ce":
        return F.cross_entropy(out, y.long(), reduction="none")
    if head == "mse":
        return F.mse_loss(out[:, 0], y, reduction="none")
    if head == "mae":
        return F.l1_loss(out[:, 0], y, reduction="none")
    return F.huber_loss(out[:, 0], y, reduction="none", delta=huber_delta)


def roc_auc(scores, positive):
    """scikit-learn's roc_auc_score: the Mann-Whitney U, ties at their mean rank."""
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum, i = 0.0, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        rank_sum += ((i + j) / 2 + 1) * sum(1 for k in order[i:j + 1] if positive[k])
        i = j + 1
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def evaluate(model, x, y, head, huber_delta):
    """Every metric on one set, as scikit-learn defines them (macro averages)."""
    model.eval()
    with torch.no_grad():
        out = model(x)
    model.train()
    n = len(y)
    scores = {"loss": losses(out, y, head, huber_delta).double().sum().item() / n}
    if head in ("bce", "ce"):
        k = 2 if head == "bce" else out.shape[1]
        predicted = (out[:, 0] >= 0).long() if head == "bce" else out.argmax(dim=1)
        actual = y.long()
        counts = torch.bincount(actual * k + predicted, minlength=k * k).reshape(k, k).tolist()
        p_sum = r_sum = f_sum = recall_present = 0.0
        present = 0
        for c in range(k):
            tp = counts[c][c]
            n_actual = sum(counts[c])
            n_predicted = sum(counts[t][c] for t in range(k))
            precision = tp / n_predicted if n_predicted else 0.0
            recall = tp / n_actual if n_actual else 0.0
            p_sum += precision
            r_sum += recall
            f_sum += 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
            if n_actual:
                present += 1
                recall_present += recall
        scores["accuracy"] = sum(counts[c][c] for c in range(k)) / n
        scores["balanced_accuracy"] = recall_present / present if present else None
        scores["precision"], scores["recall"], scores["f1"] = p_sum / k, r_sum / k, f_sum / k
        if k == 2:
            positive = out[:, 0] if head == "bce" else out[:, 1] - out[:, 0]
            scores["roc_auc"] = roc_auc(positive.double().tolist(), (actual == 1).tolist())
    else:
        pred, target = out[:, 0].double(), y.double()
        se = ((pred - target) ** 2).sum().item()
        ss_tot = ((target - target.mean()) ** 2).sum().item()
        scores["mse"] = se / n
        scores["rmse"] = math.sqrt(se / n)
        scores["mae"] = (pred - target).abs().sum().item() / n
        scores["r2"] = 1 - se / ss_tot if ss_tot > 0 else None
    return scores


def number(v):
    """A float as HyperLab writes it (Rust's shortest form, never an exponent)."""
    if v is None or not math.isfinite(v):
        return ""
    text = format(decimal.Decimal(repr(float(v))), "f")
    return text[:-2] if text.endswith(".0") else text


def train(c, data, head, initial=None, order=None, on_epoch=None):
    """Trains the experiment `c` (URL keys: lr, bs, ep, hidden, act, init, drop,
    opt and its settings, sched and its settings, wu, wus, lrc, l1, clip, es,
    esm, esd, huber, seed; and the network's inputs and outputs) on `data` (training inputs and targets, validation
    inputs and targets). `initial` and `order` are HyperLab's initial weights
    and every epoch's order of the training examples; without them PyTorch
    draws both from the seed. `on_epoch(epoch, lr, train, val)` sees each
    epoch's scores. Returns the model and how the run ended (None: finished)."""
    train_x, train_y, val_x, val_y = data
    n, epochs, batch_size = len(train_y), c["ep"], c["bs"]
    torch.manual_seed(c["seed"])  # dropout's masks, and the weights without `initial`
    sizes = [c["inputs"]] + c["hidden"] + [c["outputs"]]
    model = build_model(sizes, c["act"], c["drop"], c["init"], c.get("init_range", 1.0), initial)
    shuffle = torch.Generator().manual_seed(c["seed"])
    weights = [linear.weight for linear in linears(model)]
    optimizer = make_optimizer(model.parameters(), c)
    scheduler = make_scheduler(optimizer, c, epochs)
    warmup, best = c["wu"], None
    for epoch in range(1, epochs + 1):
        scheduled = optimizer.param_groups[0]["lr"]
        hand_set = [rate for e, rate in c["lrc"] if e <= epoch]
        if hand_set:
            lr = hand_set[-1]
        elif epoch <= warmup:
            lr = c["lr"] * (c["wus"] + (1 - c["wus"]) * (epoch - 1) / warmup)
        else:
            lr = scheduled
        for group in optimizer.param_groups:
            group["lr"] = lr
        perm = order[epoch - 1] if order is not None else torch.randperm(n, generator=shuffle)
        for first in range(0, n, batch_size):
            batch = perm[first:first + batch_size]
            optimizer.zero_grad()
            losses(model(train_x[batch]), train_y[batch], head, c["huber"]).mean().backward()
            if c["l1"] > 0:
                for w in weights:
                    w.grad.add_(torch.sign(w.detach()), alpha=c["l1"])
            if c["clip"] is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), c["clip"])
            optimizer.step()
        for group in optimizer.param_groups:
            group["lr"] = scheduled
        train_scores = evaluate(model, train_x, train_y, head, c["huber"])
        val_scores = evaluate(model, val_x, val_y, head, c["huber"])
        finite = all(torch.isfinite(p).all() for p in model.parameters())
        if not math.isfinite(train_scores["loss"]) or train_scores["loss"] > DIVERGENCE_LOSS or not finite:
            return model, f"# diverged at epoch {epoch}"
        if on_epoch:
            on_epoch(epoch, lr, train_scores, val_scores)
        value = val_scores.get(c["esm"]) if c["es"] else None
        if value is not None:
            sign = -1 if c["esm"] in ("loss", "mse", "rmse", "mae") else 1
            if best is None or sign * (value - best[1]) > c["esd"]:
                best = (epoch, value)
            if epoch - best[0] >= c["es"]:
                return model, f"# stopped early at epoch {epoch}: no improvement since epoch {best[0]}"
        if scheduler is not None and epoch > warmup and epoch < epochs:
            if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
                scheduler.step(val_scores["loss"])
            else:
                scheduler.step()
    return model, None


DIVERGENCE_LOSS = 1e6  # a training loss above this ends the run, as in HyperLab
