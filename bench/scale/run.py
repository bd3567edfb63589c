"""Runs each step of the scale benchmark in its own process, NumPy and ltnb
alternately, with the file in the page cache, and prints time, the ratio and
memory: peak RSS (VmHWM, file pages included) and peak anonymous memory (RssAnon,
sampled every 5 ms from /proc), so "memory flat in the file's size" is visible.
Usage: run.py LTNB DIR STEP... (ROUNDS env: best of that many, default 2)"""
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def ltnb_script(step, d, k):
    g1, g2 = k * 3 // 10, k * 6 // 10
    body = {
        "load": f'r = load_npy("{d}/logits0.npy")[-1, -1]',
        "accuracy": "r = accuracy(m, y)",
        "per_class_accuracy": "r = nanmean(per_class_accuracy(m, y))",
        "group_accuracy": "a = group_accuracy(m, y, g); r = [a.many, a.medium, a.few]",
        "ece": "r = ece(m, y, from_logits: true)",
        "nll": "r = nll(m, y, from_logits: true)",
        "argmax": "r = sum(argmax(m, axis: 1))",
        "softmax": "r = sum(softmax(m)[-1])",
        "backdoor": "r = accuracy(backdoor([m, n]), y)",
    }[step]
    pre = [f'y = load_npy("{d}/labels.npy")', f'm = load_npy("{d}/logits0.npy", mmap: true)']
    if step == "backdoor":
        pre.append(f'n = load_npy("{d}/logits1.npy", mmap: true)')
    if step == "group_accuracy":
        pre.append(f'g = map(range({k}), fn(c) => if c < {g1} {{ "many" }} else if c < {g2} {{ "medium" }} else {{ "few" }})')
    if step == "per_class_accuracy":
        pre.append("fn nanmean(t) { v = filter(t.tolist(), fn(x) => x == x); sum(v) / len(v) }")
    return "\n".join(pre + ["r = nil", f"t = time(fn() {{ {body} }})", "print(t, r)"]) + "\n"


def measure(cmd):
    """Runs cmd; returns (its stdout, peak RSS MiB, peak anonymous MiB)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    hwm = anon = 0
    status = f"/proc/{p.pid}/status"
    while p.poll() is None:
        try:
            with open(status) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        hwm = max(hwm, int(line.split()[1]))
                    elif line.startswith("RssAnon:"):
                        anon = max(anon, int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
        time.sleep(0.005)
    out, err = p.communicate()
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {err.strip()[-2000:]}")
    return out.strip().splitlines()[-1], hwm / 1024, anon / 1024


def main():
    ltnb, d, steps = sys.argv[1], sys.argv[2], sys.argv[3:]
    rounds = int(os.environ.get("ROUNDS", "2"))
    z = np.load(f"{d}/logits0.npy", mmap_mode="r")
    n, k = z.shape
    size = os.path.getsize(f"{d}/logits0.npy") / 2**30
    del z
    print(f"\n{n} x {k} float32 logits, {size:.2f} GiB, file in the page cache; best of {rounds} rounds, "
          f"threads: ltnb {os.environ.get('LTNB_NUM_THREADS', 'all cores')}, NumPy 1 (its argmax/exp are single-threaded)")
    print(f"{'step':<20} {'NumPy s':>8} {'ltnb s':>8} {'ratio':>6}   {'NumPy peak/anon MiB':>20} {'ltnb peak/anon MiB':>19}   results (NumPy | ltnb)")
    rows = []
    for step in steps:
        script = os.path.join(d, f"step-{step}.lt")
        with open(script, "w") as f:
            f.write(ltnb_script(step, d, k))
        best = {}
        for _ in range(rounds):
            for side, cmd in (("np", [sys.executable, os.path.join(HERE, "numpy_steps.py"), step, d]),
                              ("lt", [ltnb, "exec", script])):
                out, hwm, anon = measure(cmd)
                t, result = out.split(" ", 1)
                if side not in best or float(t) < best[side][0]:
                    best[side] = (float(t), hwm, anon, result)
        a, b = best["np"], best["lt"]
        print(f"{step:<20} {a[0]:8.3f} {b[0]:8.3f} {b[0] / a[0]:6.2f}   {a[1]:10.0f} / {a[2]:7.0f} {b[1]:10.0f} / {b[2]:6.0f}   {a[3][:40]} | {b[3][:40]}",
              flush=True)
        rows.append({"step": step, "numpy": a, "ltnb": b})
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump({"n": n, "k": k, "rows": rows}, f)


if __name__ == "__main__":
    main()
