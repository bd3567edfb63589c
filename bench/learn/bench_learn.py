"""NumPy side of bench/learn: the LA linear probe LTLearn runs, same init and batch order.

SGD momentum 0.9 (PyTorch semantics, weight decay added to the gradient), wd 5e-4,
cosine learning rate per epoch, LA loss CE(z + log(pi + 1e-12), y), float32 throughout.
Runs REPEATS times from the same start and prints the best wall and CPU time.
Usage: bench_learn.py DIR N D K EPOCHS BATCH LR [REPEATS]
"""
import sys, time
import numpy as np

d_, n, d, k, epochs, batch = sys.argv[1], *map(int, sys.argv[2:7])
lr = float(sys.argv[7])
repeats = int(sys.argv[8]) if len(sys.argv) > 8 else 1
x = np.fromfile(f"{d_}/x.f32", dtype=np.float32).reshape(n, d)
y = np.fromfile(f"{d_}/y.i32", dtype=np.int32)
tx = np.fromfile(f"{d_}/tx.f32", dtype=np.float32).reshape(-1, d)
ty = np.fromfile(f"{d_}/ty.i32", dtype=np.int32)
W0 = np.fromfile(f"{d_}/w0.f32", dtype=np.float32).reshape(d, k)
b0 = np.fromfile(f"{d_}/b0.f32", dtype=np.float32)
perm = np.fromfile(f"{d_}/perm.i32", dtype=np.int32).reshape(epochs, n)
counts = np.bincount(y, minlength=k)
offset = np.log(counts / counts.sum() + 1e-12).astype(np.float32)
mu, wd = np.float32(0.9), np.float32(5e-4)


def train():
    W, b = W0.copy(), b0.copy()
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    step = 0
    total = 0.0
    for e in range(epochs):
        lr_e = np.float32(lr * 0.5 * (1 + np.cos(np.pi * e / epochs)))
        total = 0.0
        for s in range(0, n, batch):
            idx = perm[e, s:s + batch]
            xb, yb = x[idx], y[idx]
            z = xb @ W + b + offset
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            total += -np.log(p[np.arange(len(idx)), yb]).sum()
            p[np.arange(len(idx)), yb] -= 1
            p /= np.float32(len(idx))
            gW = xb.T @ p + wd * W
            gb = p.sum(axis=0) + wd * b
            if step == 0:
                vW, vb = gW, gb
            else:
                vW = mu * vW + gW
                vb = mu * vb + gb
            W -= lr_e * vW
            b -= lr_e * vb
            step += 1
    return W, b, total


best_wall = best_cpu = float("inf")
for r in range(repeats):
    load = open("/proc/loadavg").read().split()[:3]
    w0, c0 = time.perf_counter(), time.process_time()
    W, b, total = train()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    print(f"  NumPy run {r + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU (load {' '.join(load)})")
    best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
acc = float(((tx @ W + b).argmax(axis=1) == ty).mean())
print(f"numpy_time {best_wall:.3f}")
print(f"numpy_cpu {best_cpu:.3f}")
print(f"numpy_acc {acc:.6f}")
print(f"NumPy:   best {best_wall:.2f} s wall, {best_cpu:.2f} s CPU, test accuracy {acc:.4f}, final loss {total / n}")
