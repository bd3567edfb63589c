#!/usr/bin/env bash
# Builds bench/tensor in release and runs it next to NumPy, 1 and 2 threads.
# Both sides run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, as on a
# user's machine. Usage: bench/tensor/run.sh [PACKAGE_DIR]   (default: repo root)
# Set NPY_MB to change the size of the .npy load test (default 1024; 0 skips it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="${1:-$(cd "$here/../.." && pwd)}"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
npy="${TMPDIR:-/tmp}/lttensor-bench.npy"
mb="${NPY_MB:-1024}"
if [ "$mb" != "0" ] && [ ! -f "$npy" ]; then
  python3 -c "import numpy as np; np.save('$npy', np.random.default_rng(0).standard_normal(($mb * 1024 * 256 // 512, 512), dtype=np.float32))"
fi
[ "$mb" = "0" ] && npy=""
(cd "$pkg" && swift build -c release --product TensorBench >/dev/null)
bin="$(cd "$pkg" && swift build -c release --show-bin-path)/TensorBench"
for t in 1 2; do
  json="$(mktemp)"
  python3 "$here/numpy_bench.py" "$t" "$npy" > "$json"
  "$bin" --threads "$t" --numpy "$json" --npy "$npy"
  rm -f "$json"
  echo
done
