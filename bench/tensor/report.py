"""Merges the JSON of several interleaved rounds of bench/tensor into one table.

Usage: python3 report.py DIR   (files lt-T-R.json, np-T-R.json, uptime-T-R.txt)
Each figure is the best over the rounds (each round already the best of N runs).
"Paired" is the median over rounds of the ratio within a round (the two sides
ran back to back, under about the same load): on a shared machine it is the
steadier of the two ratios. The spread column is LTTensor's worst round over
its best, as a noise gauge.
"""
import glob
import json
import os
import sys

ROWS = [  # key, label, unit, work (units of the rate)
    ("matmul256", "matmul 256", "GFLOP/s", 2 * 256**3 / 1e9),
    ("matmul512", "matmul 512", "GFLOP/s", 2 * 512**3 / 1e9),
    ("matmul1024", "matmul 1024", "GFLOP/s", 2 * 1024**3 / 1e9),
    ("matmul2048", "matmul 2048", "GFLOP/s", 2 * 2048**3 / 1e9),
    ("dmatmul1024", "matmul float64 1024", "GFLOP/s", 2 * 1024**3 / 1e9),
    ("vecmat1024", "vector @ matrix, 1024", "GFLOP/s", 2 * 1024**2 / 1e9),
    ("matvec1024", "matrix @ vector, 1024", "GFLOP/s", 2 * 1024**2 / 1e9),
    ("bmm", "batched matmul 64x128x128", "GFLOP/s", 64 * 2 * 128**3 / 1e9),
    ("exp", "exp, 4M float32", "GB/s", 32e6 / 1e9),
    ("add", "add, 4M float32", "GB/s", 48e6 / 1e9),
    ("mulscalar", "mul by scalar, 4M", "GB/s", 32e6 / 1e9),
    ("div", "div, 4M", "GB/s", 48e6 / 1e9),
    ("less", "less (x < y), 4M", "GB/s", 36e6 / 1e9),
    ("addsmall", "add, 100K (in cache)", "GB/s", 1.2e6 / 1e9),
    ("sum", "sum, 4M float32", "GB/s", 16e6 / 1e9),
    ("softmax", "row softmax 4096x1000", "GB/s", 32.768e6 / 1e9),
    ("rowsum", "row sum 4096x1000", "GB/s", 16.384e6 / 1e9),
    ("argsort", "argsort 1M float32, stable", "Melem/s", 1.0),
    ("npyload", ".npy load 1 GB", "GB/s", 1.073741824 + 128e-9),
    ("npymmapsum", ".npy mmap + chunked sum 1 GB", "GB/s", 1.073741824 + 128e-9),
]


def load(pattern):
    runs = {}
    for p in sorted(glob.glob(pattern)):
        try:
            with open(p) as f:
                runs[os.path.basename(p).split("-", 2)[2]] = json.load(f)
        except (OSError, ValueError):
            pass
    return runs


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def main(d):
    threads = sorted({int(os.path.basename(p).split("-")[1]) for p in glob.glob(os.path.join(d, "lt-*.json"))})
    for t in threads:
        lt = load(os.path.join(d, f"lt-{t}-*.json"))
        np_ = load(os.path.join(d, f"np-{t}-*.json"))
        loads = []
        for p in sorted(glob.glob(os.path.join(d, f"uptime-{t}-*.txt"))):
            with open(p) as f:
                loads.append(f.read().strip().split("load average:")[-1].strip())
        print(f"\n{t} thread(s), best of {len(lt)} interleaved rounds; load averages at each round: " + "; ".join(loads))
        print("\n| workload | LTTensor | NumPy | ratio (NumPy time / LTTensor time) | paired | LTTensor spread |")
        print("|---|---|---|---|---|---|")
        for key, label, unit, work in ROWS:
            a = [r[key] for r in lt.values() if key in r]
            b = [r[key] for r in np_.values() if key in r]
            pairs = [np_[k][key] / lt[k][key] for k in lt if k in np_ and key in lt[k] and key in np_[k]]
            if not a or not b:
                continue
            ta, tb = min(a), min(b)
            rate = lambda s: f"{work / s:.1f} {unit}" if unit != "Melem/s" else f"{s * 1e3:.1f} ms"
            print(f"| {label} | {rate(ta)} | {rate(tb)} | {tb / ta:.2f} | {median(pairs):.2f} | {max(a) / ta:.2f}x |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
