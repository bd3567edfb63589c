#!/usr/bin/env bash
# Builds bench/learn in release and runs the LA linear probe (100k x 512 features, 1000
# classes, 10 epochs, batch 256) in LTLearn and in NumPy with the same initial weights and
# batch order, printing both accuracies and the time ratio. Usage: bench/learn/run.sh [N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/../.." && pwd)"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
(cd "$pkg" && swift build -c release --product LearnBench >/dev/null)
bin="$(cd "$pkg" && swift build -c release --show-bin-path)/LearnBench"
LEARN_BENCH_PY="$here/bench_learn.py" "$bin" "${1:-100000}"
