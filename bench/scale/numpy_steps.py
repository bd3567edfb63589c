"""One benchmark step in NumPy, blockwise over a memory-mapped file as a NumPy user
would write it (65536-row blocks of at most 32 MiB: np.load(mmap_mode='r'), then
argmax / softmax per block). Prints the step's seconds and a checksum of its result.
Usage: numpy_steps.py STEP DIR"""
import sys
import time

import numpy as np

BINS = 15


def blocks(z):
    rows = max(1, (32 << 20) // (4 * z.shape[1]))
    for s in range(0, z.shape[0], rows):
        yield s, np.asarray(z[s:s + rows])


def softmax(b):
    e = np.exp(b - b.max(axis=1, keepdims=True))
    e /= e.sum(axis=1, keepdims=True)
    return e


def per_class(z, y):
    k = z.shape[1]
    tot = np.zeros(k, np.int64)
    ok = np.zeros(k, np.int64)
    for s, b in blocks(z):
        yy = y[s:s + len(b)]
        hit = b.argmax(axis=1) == yy
        tot += np.bincount(yy, minlength=k)
        ok += np.bincount(yy[hit], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ok / tot


def calibration(z, y):
    n = z.shape[0]
    cnt = np.zeros(BINS)
    conf = np.zeros(BINS)
    hit = np.zeros(BINS)
    nll = 0.0
    for s, b in blocks(z):
        yy = y[s:s + len(b)]
        p = softmax(b)
        c = p.max(axis=1)
        ok = p.argmax(axis=1) == yy
        idx = np.clip(np.ceil(c * BINS).astype(np.int64) - 1, 0, BINS - 1)
        cnt += np.bincount(idx, minlength=BINS)
        conf += np.bincount(idx, weights=c, minlength=BINS)
        hit += np.bincount(idx, weights=ok, minlength=BINS)
        nll -= np.log(np.maximum(p[np.arange(len(b)), yy], 1e-12)).sum(dtype=np.float64)
    m = cnt > 0
    ece = float(np.sum(cnt[m] / n * np.abs(hit[m] / cnt[m] - conf[m] / cnt[m])))
    return ece, nll / n


def main():
    step, d = sys.argv[1], sys.argv[2]
    y = np.load(f"{d}/labels.npy")
    t0 = time.perf_counter()
    if step == "load":
        z = np.load(f"{d}/logits0.npy")
        r = float(z[-1, -1])
    else:
        z = np.load(f"{d}/logits0.npy", mmap_mode="r")
        if step == "accuracy":
            r = sum(int((b.argmax(axis=1) == y[s:s + len(b)]).sum()) for s, b in blocks(z)) / len(y)
        elif step == "per_class_accuracy":
            r = float(np.nanmean(per_class(z, y)))
        elif step == "group_accuracy":
            pc = per_class(z, y)
            k = len(pc)
            r = [float(np.nanmean(pc[g])) for g in (slice(0, k * 3 // 10), slice(k * 3 // 10, k * 6 // 10), slice(k * 6 // 10, k))]
        elif step == "ece":
            r = calibration(z, y)[0]
        elif step == "nll":
            r = calibration(z, y)[1]
        elif step == "argmax":
            r = int(np.concatenate([b.argmax(axis=1) for _, b in blocks(z)]).sum())
        elif step == "softmax":
            out = np.empty(z.shape, np.float32)
            for s, b in blocks(z):
                out[s:s + len(b)] = softmax(b)
            r = float(out[-1].sum())
        elif step == "backdoor":
            w = np.load(f"{d}/logits1.npy", mmap_mode="r")
            right = 0
            for (s, b), (_, c) in zip(blocks(z), blocks(w)):
                p = 0.5 * softmax(b) + 0.5 * softmax(c)
                right += int((p.argmax(axis=1) == y[s:s + len(b)]).sum())
            r = right / len(y)
        else:
            raise SystemExit(f"unknown step {step}")
    print(f"{time.perf_counter() - t0:.6f} {r}")


if __name__ == "__main__":
    main()
