"""PyTorch CPU side of bench/learn: the LA linear probe LTLearn runs, same init and batch order.

Written as a PyTorch user would: an nn.Linear head, torch.optim.SGD (momentum 0.9,
weight decay 5e-4 added to the gradient, as LTLearn and bench_learn.py do), the cosine
learning rate set per epoch, F.cross_entropy on the logit-adjusted logits
z + log(pi + 1e-12) (mean over the batch), float32, autograd for the gradient.
Runs REPEATS times from the same start and prints the best wall and CPU time.
Usage: bench_torch.py DIR N D K EPOCHS BATCH LR THREADS [REPEATS]
"""
import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

d_, n, d, k, epochs, batch = sys.argv[1], *map(int, sys.argv[2:7])
lr = float(sys.argv[7])
threads = int(sys.argv[8])
repeats = int(sys.argv[9]) if len(sys.argv) > 9 else 1
torch.set_num_threads(threads)
x = torch.from_numpy(np.fromfile(f"{d_}/x.f32", dtype=np.float32).reshape(n, d))
y_np = np.fromfile(f"{d_}/y.i32", dtype=np.int32)
y = torch.from_numpy(y_np.astype(np.int64))
tx = torch.from_numpy(np.fromfile(f"{d_}/tx.f32", dtype=np.float32).reshape(-1, d))
ty = torch.from_numpy(np.fromfile(f"{d_}/ty.i32", dtype=np.int32).astype(np.int64))
W0 = np.fromfile(f"{d_}/w0.f32", dtype=np.float32).reshape(d, k)
b0 = np.fromfile(f"{d_}/b0.f32", dtype=np.float32)
perm = torch.from_numpy(np.fromfile(f"{d_}/perm.i32", dtype=np.int32).reshape(epochs, n).astype(np.int64))
counts = np.bincount(y_np, minlength=k)
offset = torch.from_numpy(np.log(counts / counts.sum() + 1e-12).astype(np.float32))


def train():
    head = torch.nn.Linear(d, k)
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(W0.T.copy()))
        head.bias.copy_(torch.from_numpy(b0))
    opt = torch.optim.SGD(head.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    total = 0.0
    for e in range(epochs):
        for group in opt.param_groups:
            group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * e / epochs))
        total = 0.0
        for s in range(0, n, batch):
            idx = perm[e, s:s + batch]
            loss = F.cross_entropy(head(x[idx]) + offset, y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
    return head, total


best_wall = best_cpu = float("inf")
for r in range(repeats):
    load = open("/proc/loadavg").read().split()[:3]
    w0, c0 = time.perf_counter(), time.process_time()
    head, total = train()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    print(f"  PyTorch run {r + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU (load {' '.join(load)})")
    best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
with torch.no_grad():
    acc = float((head(tx).argmax(dim=1) == ty).double().mean())
print(f"torch_time {best_wall:.3f}")
print(f"torch_cpu {best_cpu:.3f}")
print(f"torch_acc {acc:.6f}")
print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads: best {best_wall:.2f} s wall, "
      f"{best_cpu:.2f} s CPU, test accuracy {acc:.4f}, final loss {total / n}")
