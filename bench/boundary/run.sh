#!/usr/bin/env bash
# Builds bench/boundary in release and runs each scenario in its own process (so each
# one's peak resident memory is its own), printing the load average between them.
# Usage: bench/boundary/run.sh [SCENARIO...]  (default: finetune gla predict prior mmap)
# BOUNDARY_N / BOUNDARY_K set the big logits' shape (default 100000 x 8142);
# the mmap scenario writes /tmp/boundary_logits.npy (3.3 GB) once (BOUNDARY_NPY).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/../.." && pwd)"
(cd "$pkg" && swift build -c release --product BoundaryBench >/dev/null)
bin="$(cd "$pkg" && swift build -c release --show-bin-path)/BoundaryBench"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(finetune gla predict prior mmap)
echo "$(uptime)"
for s in "${scenarios[@]}"; do
  "$bin" "$s"
  echo "$(uptime)"
done
