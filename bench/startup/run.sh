#!/bin/sh
# Start-up to the REPL's first prompt (goal: under 50 ms; issue 3).
#   bench/startup/run.sh [BINARY] [RUNS]
# Builds the release binary unless BINARY is given, times exec -> "ltnb> " on a
# pseudo-terminal (first_prompt.c) with an empty history and with a full one (10,000
# entries, the cap), and, when hyperfine is installed, also times a whole `ltnb -e 0`
# process for comparison.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=${1:-}
runs=${2:-30}
if [ -z "$binary" ]; then
    binary=$("$root/scripts/build-release.sh" --scratch-path "${SCRATCH:-$root/.build}" 2>/dev/null)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/first_prompt" "$here/first_prompt.c" -lutil
: > "$out/empty"
"$out/first_prompt" "$binary" "$runs" "$out/empty"
i=0
while [ $i -lt 10000 ]; do echo "x$i = tensor([$i, $i + 1]) |> sum"; i=$((i + 1)); done > "$out/full"
"$out/first_prompt" "$binary" "$runs" "$out/full"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 3 --runs "$runs" -N "$binary -e 0" 2>/dev/null | sed -n '1,3p'
fi
