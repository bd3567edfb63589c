#!/usr/bin/env bash
# Builds the release ltnb binary, the one way `make build`, `make run` and the benchmarks
# all build it (one set of flags, so none of them rebuilds what another built), and prints
# the binary's path on stdout; build output goes to stderr. Extra arguments go to
# `swift build` (e.g. --scratch-path DIR).
# --static-swift-stdlib links the Swift runtime and Foundation into the binary: start-up
# of `ltnb -e 1` falls from 12.5 ms to 6.9 ms (the dynamic loader no longer maps and
# relocates libFoundation and ICU); the binary is 100 MB instead of 30 MB. docs/decisions.md.
# libstdc++ (which the Swift runtime needs) is linked statically too when its archive is
# installed (libstdc++-NN-dev, which the toolchain needs anyway): loading and relocating
# libstdc++.so cost every process 0.5 ms of a 3.9 ms start-up. The Swift driver lists
# `-lstdc++` itself; a one-line linker script named libstdc++.so, found first on the
# library path, makes that name the archive. Symbols from static archives are not
# exported (the driver passes --exclude-libs ALL), so libzmq, which the kernel dlopens
# with its own libstdc++.so, does not bind to this copy. docs/decisions.md.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release --static-swift-stdlib)
swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
archive="$("$swift_bin/clang" -print-file-name=libstdc++.a 2>/dev/null || true)"
if [[ "$archive" == /* && -f "$archive" ]]; then
    script_dir="$PWD/.build/static-libstdc++"
    mkdir -p "$script_dir"
    script="INPUT($archive)"
    [[ -f "$script_dir/libstdc++.so" && "$(cat "$script_dir/libstdc++.so")" == "$script" ]] || echo "$script" > "$script_dir/libstdc++.so"
    flags+=(-Xlinker -L"$script_dir")
fi
swift build "${flags[@]}" --product ltnb "$@" >&2
echo "$(swift build "${flags[@]}" --show-bin-path "$@")/ltnb"
