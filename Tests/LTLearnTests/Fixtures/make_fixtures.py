"""Writes priors.json and metrics.json: reference outputs of NumPy/SciPy for the LTLearn tests.

Run from this folder: python3 make_fixtures.py   (numpy 2.x, scipy 1.x). The tests read the
JSON files only; they do not need Python.

- GLA: q minimising mean_i CE(softmax(z_i - log q), y_i), solved in b = log q with SciPy's
  L-BFGS-B to gtol 1e-12 in float64, then q = softmax(b).
- EM (Saerens et al. 2002): pi <- mean_i softmax(z_i - log p_src + log pi), until the change < 1e-13.
- BBSE (Lipton et al. 2018): w = C^-1 mu with hard predictions, q = nu * max(w, 0), normalised.
- ECE (15 equal-width right-closed bins, empty bins skipped), NLL, macro-F1 (sklearn formula).
"""
import json
import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax

rng = np.random.default_rng(7)
K, PER = 8, 25
labels = np.repeat(np.arange(K), PER)
N = len(labels)
means = 2.5 * np.eye(K) + rng.normal(0, 0.5, size=(K, K))
true_q = rng.dirichlet(np.ones(K) * 2)
# float32 logits: what the Swift side reads
z = (means[labels] + rng.normal(0, 1, size=(N, K)) + np.log(true_q)).astype(np.float32)
zd = z.astype(np.float64)
freq = np.bincount(labels, minlength=K) / N

def gla_obj(b):
    s = zd - b
    lse = logsumexp(s, axis=1)
    p = np.exp(s - lse[:, None])
    f = freq @ b + lse.mean()
    g = freq - p.mean(axis=0)
    return f, g

res = minimize(gla_obj, np.zeros(K), jac=True, method="L-BFGS-B",
               options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10000})
gla_q = softmax(res.x)
gla_ce = float(np.mean(logsumexp(zd - np.log(gla_q), axis=1)
                       - (zd - np.log(gla_q))[np.arange(N), labels]))

# EM: unlabelled target logits from a source-trained model with known source prior
src_prior = rng.dirichlet(np.ones(K) * 3)
tgt_labels = rng.choice(K, size=400, p=rng.dirichlet(np.ones(K) * 3))
z_tgt = (means[tgt_labels] + rng.normal(0, 1, size=(400, K)) + np.log(src_prior)).astype(np.float32)
pi = src_prior.copy()
for _ in range(100000):
    new = softmax(z_tgt.astype(np.float64) - np.log(src_prior) + np.log(pi), axis=1).mean(axis=0)
    done = np.abs(new - pi).max() < 1e-13
    pi = new
    if done:
        break
em_pi = pi

# BBSE: source held-out = z (labels known), target = z_tgt
pred_s = z.argmax(axis=1)
C = np.zeros((K, K))
for p_, y_ in zip(pred_s, labels):
    C[p_, y_] += 1.0 / N
mu = np.bincount(z_tgt.argmax(axis=1), minlength=K) / len(z_tgt)
w = np.linalg.solve(C, mu)
qb = freq * np.clip(w, 0, None)
qb = qb / qb.sum()

json.dump({
    "k": K, "labels": labels.tolist(), "logits": z.flatten().tolist(),
    "gla_prior": gla_q.tolist(), "gla_ce": gla_ce, "true_prior": true_q.tolist(),
    "source_prior": src_prior.tolist(), "target_logits": z_tgt.flatten().tolist(),
    "em_prior": em_pi.tolist(), "bbse_prior": qb.tolist(),
}, open("priors.json", "w"))

# Metrics on softmax(z)
probs = softmax(zd, axis=1).astype(np.float32)
conf = probs.max(axis=1).astype(np.float64)
pred = probs.argmax(axis=1)
correct = (pred == labels).astype(np.float64)
M = 15
edges = np.linspace(0, 1, M + 1)
bin_idx = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, M - 1)  # right-closed
ece = 0.0
for m in range(M):
    sel = bin_idx == m
    if sel.any():
        ece += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())
nll = float(-np.mean(np.log(np.maximum(probs[np.arange(N), labels].astype(np.float64), 1e-12))))
f1s = []
for c in range(K):
    tp = np.sum((pred == c) & (labels == c)); fp = np.sum((pred == c) & (labels != c))
    fn = np.sum((pred != c) & (labels == c))
    if 2 * tp + fp + fn > 0:
        f1s.append(2 * tp / (2 * tp + fp + fn))
json.dump({
    "k": K, "labels": labels.tolist(), "probs": probs.flatten().tolist(),
    "accuracy": float(correct.mean()), "ece15": float(ece), "nll": nll,
    "macro_f1": float(np.mean(f1s)),
}, open("metrics.json", "w"))
print("gla", gla_q.round(4), "ce", gla_ce, "em", em_pi.round(4), "bbse", qb.round(4), "ece", ece)
