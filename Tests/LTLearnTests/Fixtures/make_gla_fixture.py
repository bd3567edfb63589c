"""Writes gla_class_balanced.json: SciPy's fit of GLA's class-balanced objective on an
imbalanced labelled set, the reference for PriorTests.glaClassBalancedMatchesScipy.

Run from this folder: python3 make_gla_fixture.py   (numpy 2.x, scipy 1.x).

Objective (GLA, Zhu et al. NeurIPS 2023, with every sample weighted by 1 / (K n_y)):
    L(b) = sum_i w_i [logsumexp(z_i - b) - (z_i - b)_{y_i}],   w_i = 1 / (K n_{y_i}),
solved in b = log q with L-BFGS-B to gtol 1e-12 in float64; q = softmax(b). The plain
sample-mean fit is stored too, to show how far the two estimates are apart here.
"""
import json
import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax

rng = np.random.default_rng(11)
K = 10
counts = np.array([120, 80, 60, 40, 30, 20, 12, 8, 5, 3])  # an imbalanced labelled set
labels = np.repeat(np.arange(K), counts)
N = len(labels)
means = 2.0 * np.eye(K) + rng.normal(0, 0.5, size=(K, K))
true_q = rng.dirichlet(np.ones(K) * 2)
z = (means[labels] + rng.normal(0, 1, size=(N, K)) + np.log(true_q)).astype(np.float32)
zd = z.astype(np.float64)


def fit(w):
    """argmin_b sum_i w_i CE(softmax(z_i - b), y_i), weights summing to 1."""
    mass = np.bincount(labels, weights=w, minlength=K)

    def obj(b):
        s = zd - b
        lse = logsumexp(s, axis=1)
        p = np.exp(s - lse[:, None])
        return mass @ b + w @ lse, mass - w @ p

    res = minimize(obj, np.zeros(K), jac=True, method="L-BFGS-B",
                   options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10000})
    q = softmax(res.x)
    s = zd - np.log(q)
    ce = float(w @ (logsumexp(s, axis=1) - s[np.arange(N), labels]))
    return q, ce


balanced_w = 1.0 / (K * counts[labels])
q_cb, ce_cb = fit(balanced_w)
q_mean, ce_mean = fit(np.full(N, 1.0 / N))
json.dump({
    "k": K, "labels": labels.tolist(), "logits": z.flatten().tolist(),
    "true_prior": true_q.tolist(),
    "gla_class_balanced_prior": q_cb.tolist(), "gla_class_balanced_ce": ce_cb,
    "gla_sample_mean_prior": q_mean.tolist(), "gla_sample_mean_ce": ce_mean,
}, open("gla_class_balanced.json", "w"))
l1 = lambda a, b: float(np.abs(a - b).sum())
print("L1 to true prior: class-balanced", round(l1(q_cb, true_q), 4),
      "sample mean", round(l1(q_mean, true_q), 4))
