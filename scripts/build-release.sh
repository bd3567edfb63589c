#!/usr/bin/env bash
# Builds the release ltnb binary, the one way `make build`, `make run` and the benchmarks
# all build it (one set of flags, so none of them rebuilds what another built), and prints
# the binary's path on stdout; build output goes to stderr. Extra arguments go to
# `swift build` (e.g. --scratch-path DIR).
# --static-swift-stdlib links the Swift runtime and Foundation into the binary: start-up
# of `ltnb -e 1` falls from 12.5 ms to 6.9 ms (the dynamic loader no longer maps and
# relocates libFoundation and ICU); the binary is 100 MB instead of 30 MB. docs/decisions.md.
# libstdc++ and libgcc_s (which the Swift runtime needs) are linked statically too when
# their archives are installed (libstdc++-NN-dev and libgcc-NN-dev, which the toolchain
# needs anyway): loading and relocating libstdc++.so cost every process 0.5 ms of a 3.9 ms
# start-up, and libgcc_s.so's constructor probes the CPU with cpuid, which traps in a VM
# (0.2 ms). The Swift driver names `-lstdc++` and `-lgcc_s` itself; one-line linker
# scripts with those names, found first on the library path, make them the archives.
# Symbols from static archives are not exported (the driver passes --exclude-libs ALL),
# so libzmq, which the kernel dlopens with its own libstdc++.so and libgcc_s.so, does not
# bind to these copies. docs/decisions.md, "Start-up".
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release --static-swift-stdlib)
swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
script_dir="$PWD/.build/static-libstdc++"
static_libs=0
for pair in libstdc++.so:libstdc++.a libgcc_s.so:libgcc_eh.a; do
    name="${pair%%:*}"
    archive="$("$swift_bin/clang" -print-file-name="${pair##*:}" 2>/dev/null || true)"
    [[ "$archive" == /* && -f "$archive" ]] || continue
    mkdir -p "$script_dir"
    script="INPUT($archive)"
    [[ -f "$script_dir/$name" && "$(cat "$script_dir/$name")" == "$script" ]] || echo "$script" > "$script_dir/$name"
    static_libs=1
done
if [[ $static_libs == 1 ]]; then flags+=(-Xlinker -L"$script_dir"); fi
swift build "${flags[@]}" --product ltnb "$@" >&2
echo "$(swift build "${flags[@]}" --show-bin-path "$@")/ltnb"
