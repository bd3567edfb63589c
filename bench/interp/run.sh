#!/usr/bin/env bash
# Interpreter benchmarks (`make bench`): fib(25) (mostly start-up) and fib(30) (calls), a 3-million-iteration while loop and
# map/filter/reduce over a 1e6-element list and the paper notebook's grid helper (nested
# loops over K = 1000 classes reading list, tensor and record elements), 600,000 built-in
# calls (floor, abs) in a loop, in ltnb, python3
# and lua5.4 (installed with apt when missing and run as root), plus the cold start of
# `ltnb -e 1`. Prints times and ratios.
#   LTNB=path/to/ltnb bench/interp/run.sh   use that binary instead of building one
#   RUNS=10 bench/interp/run.sh             repeat each command 10 times (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${LTNB:-}" ]; then
    LTNB=$(scripts/build-release.sh)
fi
if ! command -v lua5.4 >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y lua5.4 >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y lua5.4 >/dev/null; } \
        || echo "lua5.4 could not be installed; its column is left out" >&2
fi
python3 bench/interp/compare.py "$LTNB"
