#!/usr/bin/env bash
# Interpreter benchmarks (`make bench`): fib(25), a 3-million-iteration while loop and
# map/filter/reduce over a 1e6-element list, in ltnb, python3 and lua5.4 (when installed;
# `apt-get install -y lua5.4`), plus the cold start of `ltnb -e 1`. Prints times and ratios.
#   LTNB=path/to/ltnb bench/interp/run.sh   use that binary instead of building one
#   RUNS=10 bench/interp/run.sh             repeat each command 10 times (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${LTNB:-}" ]; then
    swift build -c release --product ltnb
    LTNB=.build/release/ltnb
fi
python3 bench/interp/compare.py "$LTNB"
