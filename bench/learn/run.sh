#!/usr/bin/env bash
# Builds bench/learn in release and runs, best of REPEATS (default 3) on each side:
# the LA linear probe (N = 100k x 512 features, 1000 classes, 10 epochs, batch 256) in
# LTLearn and in NumPy with the same initial weights and batch order, printing both
# accuracies and the time ratio; then GLA's prior estimate on 20k x 1000 logits against
# SciPy. The probe also runs in PyTorch CPU (same init, batch order and threads) when
# torch installs into the venv .build/venv-bench-torch: from a local CPU wheel in
# $TORCH_WHEEL_DIR (default /opt/wheels), else PyTorch's CPU index, else PyPI.
# Usage: bench/learn/run.sh [N] [REPEATS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/../.." && pwd)"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
(cd "$pkg" && swift build -c release --product LearnBench >/dev/null)
bin="$(cd "$pkg" && swift build -c release --show-bin-path)/LearnBench"
venv="$pkg/.build/venv-bench-torch"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch, numpy' 2>/dev/null; then
  python3 -m venv "$venv" && {
    wheel="$(ls "${TORCH_WHEEL_DIR:-/opt/wheels}"/torch-*cpu*.whl 2>/dev/null | tail -1 || true)"
    if [ -n "$wheel" ]; then "$venv/bin/pip" install -q "$wheel" numpy
    else "$venv/bin/pip" install -q torch numpy --index-url https://download.pytorch.org/whl/cpu \
      || "$venv/bin/pip" install -q torch numpy; fi
  } >&2 || echo "torch could not be installed: the PyTorch side is skipped" >&2
fi
if "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  export LEARN_BENCH_TORCH_PYTHON="$venv/bin/python" LEARN_BENCH_TORCH_PY="$here/bench_torch.py"
fi
echo "$(uptime)"
LEARN_BENCH_PY="$here/bench_learn.py" LEARN_BENCH_GLA_PY="$here/bench_gla.py" \
  "$bin" "${1:-100000}" "${2:-3}"
echo "$(uptime)"
