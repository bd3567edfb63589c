"""Times each benchmark in ltnb, python3 and (if installed) lua5.4 in one run.

Each command runs RUNS times; the table shows the median wall-clock and user-CPU
seconds and the ratio (other / ltnb, so > 1 means ltnb is faster). On a busy machine
the user-CPU column is the steadier one.
"""
import os, resource, shutil, statistics, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
ltnb = sys.argv[1]
runs = int(os.environ.get("RUNS", "5"))
benchmarks = ["fib", "fib30", "loop", "mapfilter", "grid", "builtins"]
others = [("python3", ["python3"], "py")]
lua = shutil.which("lua5.4") or shutil.which("lua")
if lua:
    others.append(("lua5.4", [lua], "lua"))


def measure(cmd):
    walls, users, out = [], [], None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(cmd, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        users.append(after.ru_utime - before.ru_utime)
        if result.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{result.stderr}")
        out = result.stdout.strip()
    return statistics.median(walls), statistics.median(users), out


print(f"{'benchmark':<11} {'runtime':<8} {'wall s':>8} {'user s':>8} {'wall ratio':>11} {'user ratio':>11}")
for name in benchmarks:
    base_wall, base_user, base_out = measure([ltnb, "exec", os.path.join(here, name + ".lt")])
    print(f"{name:<11} {'ltnb':<8} {base_wall:8.3f} {base_user:8.3f}")
    for label, cmd, ext in others:
        wall, user, out = measure(cmd + [os.path.join(here, f"{name}.{ext}")])
        if out != base_out:
            sys.exit(f"{name}: {label} printed {out!r}, ltnb {base_out!r}")
        print(f"{'':<11} {label:<8} {wall:8.3f} {user:8.3f} {wall / base_wall:10.2f}x {user / max(base_user, 1e-3):10.2f}x")

starts = []
for _ in range(max(runs, 20)):
    start = time.perf_counter()
    subprocess.run([ltnb, "-e", "1"], capture_output=True, check=True)
    starts.append(time.perf_counter() - start)
print(f"cold start  ltnb -e 1 {statistics.median(starts) * 1000:8.1f} ms (median of {len(starts)}, goal < 50 ms)")
