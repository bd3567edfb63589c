#!/usr/bin/env bash
# The Jupyter side of `make test`: makes a venv from PyPI with the pinned clients
# (Tests/jupyter/requirements.txt; no ipykernel), installs the ltnb kernelspec into a
# private prefix, and runs Tests/jupyter (jupyter_kernel_test's conformance suite with
# ltnb samples, protocol behaviour, nbconvert --execute on the tour). Fails when a test
# fails. When the venv cannot be made it says so; under CI that is a failure too, since
# CI must run these tests for real.
# Usage: scripts/jupyter-tests.sh PATH/TO/ltnb
set -euo pipefail
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.build/venv-jupyter"
REQ="$ROOT/Tests/jupyter/requirements.txt"
WORK="$ROOT/.build/jupyter-test"

unavailable() {
    echo "JUPYTER TESTS NOT RUN: $1"
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    exit 0
}

stamp="$VENV/.requirements.sha256"
want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "jupyter tests: making $VENV from PyPI (pinned in Tests/jupyter/requirements.txt)"
    python3 -m venv "$VENV" >/dev/null 2>&1 || unavailable "python3 -m venv failed (is python3-venv installed?)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ" >"$WORK.pip.log" 2>&1 \
        || { tail -5 "$WORK.pip.log"; unavailable "pip could not install the Jupyter packages (log: $WORK.pip.log)"; }
    echo "$want" > "$stamp"
fi

# Jupyter's folders all under .build, so the tests neither read nor touch the user's own.
rm -rf "$WORK"
mkdir -p "$WORK"
export JUPYTER_PATH="$WORK/share/jupyter" JUPYTER_DATA_DIR="$WORK/data" JUPYTER_CONFIG_DIR="$WORK/config"
export JUPYTER_RUNTIME_DIR="$WORK/runtime" JUPYTER_PLATFORM_DIRS=1 LTNB="$BIN"
export LTNB_KERNEL_LOG="$WORK/kernels.log"
"$BIN" kernel install --prefix "$WORK"
"$VENV/bin/python" -m jupyter kernelspec list 2>&1 | grep -v "Native kernel (python3) is not available"

cd "$ROOT"
# The kernels' own logs go to kernels.log, shown when a test fails.
if ! "$VENV/bin/python" -m unittest -v Tests/jupyter/test_kernel.py Tests/jupyter/test_nbconvert.py; then
    echo "--- kernel logs ($LTNB_KERNEL_LOG) ---"
    tail -50 "$LTNB_KERNEL_LOG" 2>/dev/null || true
    echo "JUPYTER TESTS FAILED"
    exit 1
fi
echo "jupyter tests: $(grep -c 'dropped a message' "$LTNB_KERNEL_LOG" || true) malformed or wrongly signed messages dropped and logged by the kernels (sent on purpose by the tests)"
