#!/usr/bin/env bash
# Builds bench/learn in release and runs, best of REPEATS (default 3) on each side:
# the LA linear probe (N = 100k x 512 features, 1000 classes, 10 epochs, batch 256) in
# LTLearn and in NumPy with the same initial weights and batch order, printing both
# accuracies and the time ratio; then GLA's prior estimate on 20k x 1000 logits against
# SciPy. Usage: bench/learn/run.sh [N] [REPEATS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/../.." && pwd)"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
(cd "$pkg" && swift build -c release --product LearnBench >/dev/null)
bin="$(cd "$pkg" && swift build -c release --show-bin-path)/LearnBench"
echo "$(uptime)"
LEARN_BENCH_PY="$here/bench_learn.py" LEARN_BENCH_GLA_PY="$here/bench_gla.py" \
  "$bin" "${1:-100000}" "${2:-3}"
echo "$(uptime)"
