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
# Type metadata through accessor functions, not by demangling a mangled name at first use
# (the compiler's default, for code size): the first `Set<String>`, `[String]` or
# `Dictionary` each process built was demangled and its `Hashable` requirement looked up
# by scanning the binary's conformance table, about 0.5 ms of every start-up.
flags+=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
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
# Relative relocations packed as DT_RELR (lld's -z pack-relative-relocs; gold has no such
# option): the 85k relocations of the 100 MB position-independent binary take 16 KB
# instead of 2 MB, which the dynamic loader read and applied one 24-byte entry at a time
# (start-up 0.45 ms shorter). glibc runs DT_RELR from 2.36 on, so older ones keep gold.
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if [[ -x "$swift_bin/ld.lld" && -n "$glibc" ]] && printf '2.36\n%s\n' "$glibc" | sort -V -C; then
    flags+=(-Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
    # The functions start-up and the interpreter's common paths run, laid out together at
    # the front of .text (scripts/startup-order.py lists them; each function in its own
    # section so the linker can move it): their first executions fault in a few pages
    # instead of pages spread over 20 MB. A name the code no longer has is skipped.
    flags+=(-Xswiftc -Xfrontend -Xswiftc -function-sections
            -Xlinker --symbol-ordering-file="$PWD/scripts/startup-order.txt"
            -Xlinker --no-warn-symbol-ordering)
fi
binary="$(swift build "${flags[@]}" --show-bin-path "$@")/ltnb"
# SwiftPM does not know the link reads the order file: a newer list forces a relink.
if [[ -f "$binary" && scripts/startup-order.txt -nt "$binary" ]]; then rm -f "$binary"; fi
swift build "${flags[@]}" --product ltnb "$@" >&2
echo "$binary"
