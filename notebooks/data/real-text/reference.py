#!/usr/bin/env python3
"""Independent NumPy reference for notebooks/real-text.ltnb: the same numbers from the same
files with the same settings, with no ltnb code.

- GLA, class-balanced: b = log q minimises sum_i w_i CE(softmax(z_i - b), y_i) with
  w_i = 1 / (K n_{y_i}) on the val set; q = softmax(b). Fitted by SciPy L-BFGS to a tight
  tolerance (the objective is convex in b).
- Linear probes (CE and LA): the mini-batch SGD LTLearn runs, mirrored step by step as in
  bench/learn/bench_learn.py: PyTorch-default uniform init and per-epoch shuffles drawn from
  SplitMix64 (re-implemented below from its published definition, seeded as LTLearn seeds
  it), SGD momentum 0.9 with weight decay added to the gradient (bias too), cosine learning
  rate per epoch, LA loss CE(z + log(n_y / N + 1e-12), y), float32 throughout.
- Features: standardised per dimension by the train set's mean and std (+ 1e-4).
- Metrics: top-1 accuracy; D-groups (> 100 / 20-100 / < 20 training samples) and P-groups
  (top 30 % / 30-60 % / rest of classes by the GLA prior), each the mean per-class accuracy
  of its classes; ECE with 15 equal-width bins (bin = ceil(conf * 15) - 1); NLL with
  probabilities clipped at 1e-12; backdoor = mean of the members' softmax probabilities.

Writes reference.json (everything), reference.csv (one row per model, the numbers the
notebook checks), reference_backdoor.csv (M = 1, 2, 3) and reference_prior.npy (3 x K).
Usage: python3 reference.py   (NumPy and SciPy; build.py's venv has both)
"""
import itertools
import json
import os
import sys

import numpy as np
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = ["minilm", "e5", "static"]
EPOCHS, BATCH, LR, WD, MOMENTUM, SEED = 30, 128, 0.01, 5e-4, 0.9, 0
# Features are standardised per dimension with the train set's mean and std (+ STD_EPS, as
# MiniLM has near-constant dimensions) before the probes, as the notebook does.
STD_EPS = 1e-4
MASK = (1 << 64) - 1


class SplitMix64:
    """LTLearn's SeededRandom: SplitMix64 (Steele, Lea & Flood 2014), 53-bit uniforms,
    unbiased bounded integers by rejection, Fisher-Yates from the top."""

    def __init__(self, seed):
        self.state = seed & MASK

    def derived(self, stream):
        mixer = SplitMix64(self.state ^ ((stream * 0xD1B54A32D192ED03) & MASK))
        return SplitMix64(mixer.next())

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def below(self, n):
        if n <= 1:
            return 0
        limit = MASK - MASK % n
        while True:
            x = self.next()
            if x < limit:
                return x % n

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            p[i], p[j] = p[j], p[i]
        return np.array(p)


def load(name):
    return np.load(os.path.join(HERE, name))


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def gla_prior(z, y, k):
    """Class-balanced GLA (see the module docstring)."""
    z = z.astype(np.float64)
    n = np.bincount(y, minlength=k)
    w = 1.0 / (k * n[y])
    onehot = np.eye(k)[y]

    def f(b):
        s = z - b
        m = s.max(axis=1, keepdims=True)
        lse = (m[:, 0] + np.log(np.exp(s - m).sum(axis=1)))
        loss = np.sum(w * (lse - s[np.arange(len(y)), y]))
        p = softmax(s)
        grad = (w[:, None] * (onehot - p)).sum(axis=0)
        return loss, grad

    r = minimize(f, np.zeros(k), jac=True, method="L-BFGS-B",
                 options={"maxiter": 10000, "gtol": 1e-12, "ftol": 1e-15})
    b = r.x - r.x.max()
    return np.exp(b) / np.exp(b).sum()


def train_probe(x, y, k, loss):
    """The linear probe LTLearn's finetune(ds, ...) trains, mirrored step by step."""
    n, d = x.shape
    rng = SplitMix64(SEED)
    bound = 1 / np.sqrt(d)
    W = np.array([(rng.uniform() * 2 - 1) * bound for _ in range(d * k)], dtype=np.float32).reshape(d, k)
    b = np.array([(rng.uniform() * 2 - 1) * bound for _ in range(k)], dtype=np.float32)
    order_rng = SplitMix64(SEED).derived(0xBA7C)
    counts = np.bincount(y, minlength=k)
    offset = (np.log(counts / counts.sum() + 1e-12).astype(np.float32) if loss == "la"
              else np.zeros(k, dtype=np.float32))
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    mu, wd = np.float32(MOMENTUM), np.float32(WD)
    step = 0
    for e in range(EPOCHS):
        lr = np.float32(LR * 0.5 * (1 + np.cos(np.pi * e / EPOCHS)))
        perm = order_rng.permutation(n)
        for s in range(0, n, BATCH):
            idx = perm[s:s + BATCH]
            xb, yb = x[idx], y[idx]
            p = softmax(xb @ W + b + offset)
            p[np.arange(len(idx)), yb] -= 1
            p /= np.float32(len(idx))
            gW = xb.T @ p + wd * W
            gb = p.sum(axis=0) + wd * b
            if step == 0:
                vW, vb = gW, gb
            else:
                vW = mu * vW + gW
                vb = mu * vb + gb
            W = W - lr * vW
            b = b - lr * vb
            step += 1
    return W, b


def per_class(z, y, k):
    pred = z.argmax(axis=1)
    return np.array([np.mean(pred[y == c] == c) for c in range(k)])


def groups_of_counts(counts):
    return np.where(counts > 100, "many", np.where(counts < 20, "few", "medium"))


def groups_of_prior(q):
    k = len(q)
    order = sorted(range(k), key=lambda c: (-q[c], c))
    n_many, n_medium = int(np.floor(0.3 * k + 0.5)), int(np.floor(0.6 * k + 0.5))
    g = np.empty(k, dtype=object)
    for rank, c in enumerate(order):
        g[c] = "many" if rank < n_many else ("medium" if rank < n_medium else "few")
    return g


def group_means(pc, groups):
    return {g: (float(100 * pc[groups == g].mean()) if (groups == g).any() else None)
            for g in ["many", "medium", "few"]}


def grid(pc, pg, dg):
    """Mean per-class accuracy (%) in each P-group (rows) x D-group (columns) cell."""
    out = []
    for p in ["many", "medium", "few"]:
        row = []
        for d in ["many", "medium", "few"]:
            sel = (pg == p) & (dg == d)
            row.append(float(100 * pc[sel].mean()) if sel.any() else None)
        out.append(row)
    return out


def ece(probs, y, bins=15):
    conf = probs.max(axis=1).astype(np.float64)
    correct = probs.argmax(axis=1) == y
    b = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    e = 0.0
    for i in range(bins):
        sel = b == i
        if sel.any():
            e += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())
    return float(e)


def nll(probs, y):
    return float(np.mean(-np.log(np.maximum(probs[np.arange(len(y)), y].astype(np.float64), 1e-12))))


def main():
    ytr, yva, yte = load("train_labels.npy"), load("val_labels.npy"), load("test_labels.npy")
    k = int(max(ytr.max(), yva.max(), yte.max())) + 1
    counts = np.bincount(ytr, minlength=k)
    dg = groups_of_counts(counts)
    out = {"settings": {"epochs": EPOCHS, "batch": BATCH, "lr": LR, "wd": WD, "momentum": MOMENTUM,
                        "seed": SEED, "std_eps": STD_EPS, "numpy": np.__version__},
           "train_counts": counts.tolist(), "models": {}}
    rows, priors, la_test = [], [], []
    for m in MODELS:
        x = load(f"train_{m}_features.npy").astype(np.float32)
        xt = load(f"test_{m}_features.npy").astype(np.float32)
        mu = x.astype(np.float64).mean(axis=0).astype(np.float32)
        sd = (x.astype(np.float64).std(axis=0) + STD_EPS).astype(np.float32)
        x, xt = (x - mu) / sd, (xt - mu) / sd
        zv = load(f"val_{m}_zeroshot.npy").astype(np.float32)
        zt = load(f"test_{m}_zeroshot.npy").astype(np.float32)
        q = gla_prior(zv, yva, k)
        pg = groups_of_prior(q)
        zg = zt - np.log(q).astype(np.float32)
        r = {"prior": q.tolist()}
        pcs = {"zs": per_class(zt, yte, k), "zs_gla": per_class(zg, yte, k)}
        accs = {"zs": 100 * np.mean(zt.argmax(1) == yte), "zs_gla": 100 * np.mean(zg.argmax(1) == yte)}
        for loss in ["ce", "la"]:
            W, b = train_probe(x, ytr, k, loss)
            z = xt @ W + b
            if loss == "la":
                la_test.append(z)
            p = softmax(z.astype(np.float64))
            pcs[loss] = per_class(z, yte, k)
            accs[loss] = 100 * np.mean(z.argmax(1) == yte)
            r[f"{loss}_ece"] = 100 * ece(p, yte)
            r[f"{loss}_nll"] = nll(p, yte)
        for name, pc in pcs.items():
            r[f"{name}_all"] = float(accs[name])
            r[f"{name}_d"] = group_means(pc, dg)
            r[f"{name}_p"] = group_means(pc, pg)
            r[f"{name}_grid"] = grid(pc, pg, dg)
        out["models"][m] = r
        priors.append(q)
        rows.append([r["zs_all"], r["zs_gla_all"],
                     r["ce_all"], r["ce_d"]["many"], r["ce_d"]["medium"], r["ce_d"]["few"],
                     r["la_all"], r["la_d"]["many"], r["la_d"]["medium"], r["la_d"]["few"],
                     r["zs_p"]["many"], r["zs_p"]["few"], r["la_p"]["many"], r["la_p"]["few"],
                     r["ce_ece"], r["la_ece"], r["ce_nll"], r["la_nll"]])
        print(f"{m}: zero-shot {r['zs_all']:.2f} +GLA {r['zs_gla_all']:.2f} CE {r['ce_all']:.2f} "
              f"LA {r['la_all']:.2f} (D-few CE {r['ce_d']['few']:.2f} LA {r['la_d']['few']:.2f})", flush=True)
    backdoor = []
    for size in [1, 2, 3]:
        accs = [100 * np.mean(np.mean([softmax(la_test[i].astype(np.float64)) for i in s], axis=0).argmax(1) == yte)
                for s in itertools.combinations(range(len(MODELS)), size)]
        backdoor.append([size, float(np.mean(accs)), float(min(accs)), float(max(accs))])
    out["backdoor"] = [{"M": b[0], "mean": b[1], "min": b[2], "max": b[3]} for b in backdoor]
    print("backdoor:", " ".join(f"M={b[0]} {b[1]:.2f}" for b in backdoor))
    header = ("zs,zs_gla,ce_all,ce_dmany,ce_dmedium,ce_dfew,la_all,la_dmany,la_dmedium,la_dfew,"
              "zs_pmany,zs_pfew,la_pmany,la_pfew,ce_ece,la_ece,ce_nll,la_nll")
    np.savetxt(os.path.join(HERE, "reference.csv"), np.array(rows), delimiter=",", header=header,
               comments="", fmt="%.6f")
    np.savetxt(os.path.join(HERE, "reference_backdoor.csv"), np.array(backdoor), delimiter=",",
               header="M,mean,min,max", comments="", fmt="%.6f")
    np.save(os.path.join(HERE, "reference_prior.npy"), np.array(priors, dtype=np.float64))
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
