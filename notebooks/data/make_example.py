"""Makes the small example of "features exported from PyTorch" used by real-features.ltnb.

It stands in for what a user exports from a real foundation model (see the snippet in the
notebook): image features of a long-tailed training set and of balanced val/test sets, and
the model's zero-shot logits. Here the "model" is simulated with NumPy so the example is
small and needs no download: class means in 32 dimensions, Gaussian noise, and a zero-shot
head whose logits carry a long-tailed pre-training prior (log prior added to the logits).

Run once with `python3 make_example.py`; the .npy files are committed.
"""
import numpy as np

rng = np.random.default_rng(7)
K, D = 10, 32
means = rng.normal(size=(K, D)) * 1.2
prior = 1.0 / np.arange(1, K + 1)          # Zipf pre-training prior over a random order
prior = prior[rng.permutation(K)]
prior /= prior.sum()
text_head = means / np.linalg.norm(means, axis=1, keepdims=True)

def draw(counts):
    y = np.repeat(np.arange(K), counts)
    x = means[y] + rng.normal(size=(len(y), D)) * 1.6
    return x.astype(np.float32), y.astype(np.int32)

def zero_shot(x):
    f = x / np.linalg.norm(x, axis=1, keepdims=True)
    return (10.0 * f @ text_head.T + np.log(prior)).astype(np.float32)

train_counts = np.floor(100 * (1 / 10) ** (np.arange(K) / (K - 1))).astype(int)
train_counts = train_counts[rng.permutation(K)]
for name, counts in [("train", train_counts), ("val", np.full(K, 20)), ("test", np.full(K, 50))]:
    x, y = draw(counts)
    np.save(f"{name}_features.npy", x)
    np.save(f"{name}_labels.npy", y)
    np.save(f"{name}_zeroshot.npy", zero_shot(x))
np.save("true_prior.npy", prior)
