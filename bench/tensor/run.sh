#!/usr/bin/env bash
# Builds bench/tensor in release and runs it next to NumPy, 1 and 2 threads.
# Both sides run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, as on a
# user's machine. The two sides alternate for ROUNDS rounds (default 3) and
# report.py prints the best of each, with the load average at every round:
# on a shared machine one run of each side says little.
# Usage: bench/tensor/run.sh [PACKAGE_DIR]   (default: repo root)
# Set NPY_MB to change the size of the .npy load test (default 1024; 0 skips it),
# THREADS to change the thread counts (default "1 2").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="${1:-$(cd "$here/../.." && pwd)}"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
npy="${TMPDIR:-/tmp}/lttensor-bench.npy"
mb="${NPY_MB:-1024}"
rounds="${ROUNDS:-3}"
if [ "$mb" != "0" ] && [ ! -f "$npy" ]; then
  python3 -c "import numpy as np; np.save('$npy', np.random.default_rng(0).standard_normal(($mb * 1024 * 256 // 512, 512), dtype=np.float32))"
fi
[ "$mb" = "0" ] && npy=""
(cd "$pkg" && swift build -c release --product TensorBench >/dev/null)
bin="$(cd "$pkg" && swift build -c release --show-bin-path)/TensorBench"
out="$(mktemp -d)"
for t in ${THREADS:-1 2}; do
  for r in $(seq "$rounds"); do
    uptime > "$out/uptime-$t-$r.txt"
    python3 "$here/numpy_bench.py" "$t" "$npy" > "$out/np-$t-$r.json"
    "$bin" --threads "$t" --npy "$npy" --json > "$out/lt-$t-$r.json"
  done
done
python3 "$here/report.py" "$out"
echo
echo "raw JSON: $out"
