"""Writes the scale benchmark's inputs: N x K float32 logits (.npy, written in row
blocks so a 14 GB file never sits in memory), a second member for backdoor, and
int32 labels. Logits are 3 * N(0, 1) with +11 on the true class, so accuracy is
neither 0 nor 1. Usage: gen.py DIR N K [members]"""
import os
import sys

import numpy as np


def main():
    out, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    members = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    y = rng.integers(0, k, n, dtype=np.int32)
    np.save(os.path.join(out, "labels.npy"), y)
    block = max(1, (64 << 20) // (4 * k))
    for m in range(members):
        path = os.path.join(out, f"logits{m}.npy")
        z = np.lib.format.open_memmap(path + ".tmp", mode="w+", dtype=np.float32, shape=(n, k))
        for s in range(0, n, block):
            e = min(n, s + block)
            b = rng.standard_normal((e - s, k), dtype=np.float32)
            b *= 3
            b[np.arange(e - s), y[s:e]] += 11
            z[s:e] = b
        z.flush()
        del z
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
