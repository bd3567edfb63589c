"""NumPy side of bench/tensor: the same workloads as main.swift, printed as JSON.

Usage: python3 numpy_bench.py THREADS NPY_PATH
Thread count is set through OPENBLAS_NUM_THREADS before numpy is imported.
"""
import json
import os
import sys
import time

threads = sys.argv[1] if len(sys.argv) > 1 else "1"
os.environ["OPENBLAS_NUM_THREADS"] = threads
os.environ["OMP_NUM_THREADS"] = threads
import numpy as np  # noqa: E402

npy_path = sys.argv[2] if len(sys.argv) > 2 else ""


def best(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[0]   # best: the machines are shared, the minimum is the least disturbed run


rng = np.random.default_rng(0)
out = {"threads": int(threads), "numpy": np.__version__}
for n in (256, 512, 1024, 2048):
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    reps = 41 if n <= 512 else (9 if n == 1024 else 3)
    out[f"matmul{n}"] = best(lambda: a @ b, reps)
a = rng.standard_normal((1024, 1024))
b = rng.standard_normal((1024, 1024))
out["dmatmul1024"] = best(lambda: a @ b, 5)
w = rng.standard_normal((1024, 1024), dtype=np.float32)
v = rng.standard_normal(1024, dtype=np.float32)
out["vecmat1024"] = best(lambda: v @ w, 101)
out["matvec1024"] = best(lambda: w @ v, 101)
a = rng.standard_normal((64, 128, 128), dtype=np.float32)
b = rng.standard_normal((64, 128, 128), dtype=np.float32)
out["bmm"] = best(lambda: a @ b, 21)
x = rng.standard_normal(4_000_000, dtype=np.float32)
y = rng.standard_normal(4_000_000, dtype=np.float32)
out["exp"] = best(lambda: np.exp(x), 51)
out["add"] = best(lambda: x + y, 51)
out["mulscalar"] = best(lambda: x * 1.5, 51)
out["div"] = best(lambda: x / y, 51)
out["less"] = best(lambda: x < y, 51)
xs = rng.standard_normal(100_000, dtype=np.float32)
ys = rng.standard_normal(100_000, dtype=np.float32)
out["addsmall"] = best(lambda: xs + ys, 401)
out["sum"] = best(lambda: x.sum(), 51)
z = rng.standard_normal((4096, 1000), dtype=np.float32) * 3


def softmax():
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


out["softmax"] = best(softmax, 11)
out["rowsum"] = best(lambda: z.sum(axis=1), 11)
s = rng.standard_normal(1_000_000, dtype=np.float32)
out["argsort"] = best(lambda: np.argsort(s, kind="stable"), 7)
if npy_path and os.path.exists(npy_path):
    out["npyload"] = best(lambda: np.load(npy_path), 3)
    out["npymmapsum"] = best(lambda: float(np.load(npy_path, mmap_mode="r").sum(dtype=np.float64)), 3)
print(json.dumps(out))
