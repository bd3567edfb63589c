#!/usr/bin/env bash
# Fuzzes with libFuzzer for a bounded time (`make fuzz`, `make fuzz TARGET=files`). Two
# targets: `lang` runs inputs as programs through lexer + parser + interpreter; `files`
# runs them through LTTensor's file readers (.npy, memory-mapped .npy, .npz, safetensors,
# CSV: the first byte of an input picks the reader, the rest is the file).
#
#   scripts/fuzz.sh              run each target in turn for FUZZ_SECONDS (default 60) on
#                                FUZZ_JOBS jobs (default 1); FUZZ_TARGET=lang|files|all
#                                (default all) picks the targets
#   scripts/fuzz.sh --build      only build
#   scripts/fuzz.sh FILE...      replay inputs (e.g. a crash-* artifact) without libFuzzer;
#                                inputs named files-* or FUZZ_TARGET=files replay through
#                                the file readers
#   FUZZ_NO_BUILD=1 scripts/fuzz.sh   run the fuzzer as last built
#   FUZZ_CONFIG=release scripts/fuzz.sh   optimised build: several times the executions per
#                                second, fewer checks (debug keeps Swift's debug assertions)
#
# The fuzz package (fuzz/) builds from a snapshot of Sources/ taken here.
# lang: the seed corpus is every golden program; new interesting inputs collect in
# fuzz/work/corpus, crashes in fuzz/work/artifacts. Turn each crash into
# Tests/LTStdlibTests/Golden/regression/<name>.lt plus a fix.
# files: the seeds are small valid files of each format (written by
# `ltnb-fuzz-files --write-seeds`) and the NumPy-made files of Tests/LTTensorTests/Fixtures;
# the corpus collects in fuzz/work/files/corpus, crashes (files-crash-*, files-oom-*,
# files-timeout-*) in fuzz/work/files/artifacts. Turn each into a test in
# Tests/LTTensorTests plus a fix. A reader may allocate at most 512 MB for an input (they
# are at most 8 KB), so a size that is not checked before allocating shows up as an oom.
set -euo pipefail
cd "$(dirname "$0")/.."
# A program may ask for any tensor up to the machine's memory (zeros(1.1e9) is 4.4 GB and
# legitimate); under libFuzzer's RSS limit that is an out-of-memory report, not a bug.
# Tensors are capped at 256 MiB here instead, so such a program gets its "too large" error.
export LTNB_MAX_TENSOR_MB="${LTNB_MAX_TENSOR_MB:-256}"
root=$PWD
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
work=fuzz/work
config=${FUZZ_CONFIG:-debug}
target=${FUZZ_TARGET:-all}
case "$target" in lang|files|all) ;; *) echo "fuzz: FUZZ_TARGET must be lang, files or all, not '$target'" >&2; exit 2 ;; esac
scratch=fuzz/.build-fuzz-$config

# Refresh fuzz/Snapshot from Sources/ (or, with FUZZ_SOURCES=head, from the last commit for
# every module but LTLang, when others' work in progress does not compile), keeping
# modification times so builds stay incremental.
snapshot() {
    local from=Sources
    if [ "${FUZZ_SOURCES:-tree}" = head ]; then
        from=fuzz/.head/Sources
        rm -rf fuzz/.head && mkdir -p fuzz/.head
        git archive HEAD Sources | tar -x -C fuzz/.head
        rm -rf fuzz/.head/Sources/LTLang && cp -rp Sources/LTLang fuzz/.head/Sources/LTLang
    fi
    local modules="LTLang LTStdlib LTPlot LTTensor CLTKernels LTBytes LTNumberText CNumberFormat"
    local had_learn=no
    [ -d fuzz/Snapshot/LTLearn ] && had_learn=yes
    if grep -rq "^import LTLearn" "$from/LTStdlib"; then modules="$modules LTLearn"; else rm -rf fuzz/Snapshot/LTLearn; fi
    for t in $modules; do
        mkdir -p "fuzz/Snapshot/$t"
        (cd "$from/$t" && find . -type f) | while read -r f; do
            if [ ! -e "fuzz/Snapshot/$t/$f" ] || ! cmp -s "$from/$t/$f" "fuzz/Snapshot/$t/$f"; then
                mkdir -p "$(dirname "fuzz/Snapshot/$t/$f")"
                cp "$from/$t/$f" "fuzz/Snapshot/$t/$f"
            fi
        done
        (cd "fuzz/Snapshot/$t" && find . -type f) | while read -r f; do
            [ -e "$from/$t/$f" ] || rm -f "fuzz/Snapshot/$t/$f"
        done
    done
    # fuzz/Package.swift lists LTLearn when Snapshot/LTLearn exists; make SwiftPM reread it.
    local has_learn=no
    [ -d fuzz/Snapshot/LTLearn ] && has_learn=yes
    [ "$had_learn" = "$has_learn" ] || touch fuzz/Package.swift
}

# Builds one fuzzer product (ltnb-fuzz or ltnb-fuzz-files).
build_product() {
    swift build --package-path fuzz --scratch-path "$scratch" -c "$config" --product "$1" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
        -Xcc -fsanitize=fuzzer-no-link,address
}

build_fuzzer() {
    snapshot
    [ "$target" = files ] || build_product ltnb-fuzz
    [ "$target" = lang ] || build_product ltnb-fuzz-files
}

if [ "${1:-}" = "--build" ]; then build_fuzzer; exit 0; fi
if [ $# -gt 0 ]; then
    snapshot
    swift build --package-path fuzz --scratch-path fuzz/.build-replay --product lt-replay
    mode=()
    if [ "$target" = files ] || [[ "$(basename "$1")" == files-* ]]; then mode=(--files); fi
    exec fuzz/.build-replay/debug/lt-replay "${mode[@]}" "$@"
fi

[ -n "${FUZZ_NO_BUILD:-}" ] || build_fuzzer
parallel=()
# More than one job runs that many fuzzer processes, each logging to fuzz-N.log in the
# target's scratch directory.
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
failed=no

fuzz_lang() {
    mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts" "$work/scratch"
    # Seeds: the golden programs (flattened names).
    find Tests/LTStdlibTests/Golden -name '*.lt' | while read -r f; do
        cp "$f" "$work/seeds/$(echo "${f#Tests/LTStdlibTests/Golden/}" | tr '/' '_')"
    done
    bin="$root/$scratch/$config/ltnb-fuzz"
    # Built-ins that write files do so in a scratch directory.
    (cd "$work/scratch" && ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$bin" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 -max_len=4096 "${parallel[@]}" \
        -dict="$root/fuzz/ltnb.dict" -artifact_prefix="$root/$work/artifacts/" \
        "$root/$work/corpus" "$root/$work/seeds" 2>&1 | grep -v '^#[0-9]*\s*\(NEW\|REDUCE\)' || true)
    echo "fuzz (lang): done after ${seconds}s; crashes:"
    ls "$root/$work/artifacts" 2>/dev/null || true
    [ -z "$(ls "$root/$work/artifacts" 2>/dev/null)" ] || failed=yes
}

fuzz_files() {
    local dir=$work/files
    mkdir -p "$dir/corpus" "$dir/seeds" "$dir/artifacts" "$dir/scratch"
    local bin="$root/$scratch/$config/ltnb-fuzz-files"
    ASAN_OPTIONS=detect_leaks=0 "$bin" --write-seeds "$dir/seeds"
    # The NumPy-made fixtures, each behind the selector byte of its reader (CSV twice: with a
    # header only, and with the last column as labels).
    local f name
    for f in Tests/LTTensorTests/Fixtures/*; do
        name=$(basename "$f")
        case "$name" in
            *.npy) printf '\x00' | cat - "$f" > "$dir/seeds/fixture-$name" ;;
            *.npz) printf '\x02' | cat - "$f" > "$dir/seeds/fixture-$name" ;;
            *.safetensors) printf '\x03' | cat - "$f" > "$dir/seeds/fixture-$name" ;;
            *.csv) printf '\x04' | cat - "$f" > "$dir/seeds/fixture-$name"
                   printf '\x09' | cat - "$f" > "$dir/seeds/fixture-label-$name" ;;
        esac
    done
    (cd "$dir/scratch" && ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$bin" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=8192 -print_final_stats=1 "${parallel[@]}" \
        -dict="$root/fuzz/files.dict" -artifact_prefix="$root/$dir/artifacts/files-" \
        "$root/$dir/corpus" "$root/$dir/seeds" 2>&1 | grep -v '^#[0-9]*\s*\(NEW\|REDUCE\)' || true)
    echo "fuzz (files): done after ${seconds}s; crashes:"
    ls "$root/$dir/artifacts" 2>/dev/null || true
    [ -z "$(ls "$root/$dir/artifacts" 2>/dev/null)" ] || failed=yes
}

[ "$target" = files ] || fuzz_lang
[ "$target" = lang ] || fuzz_files
[ "$failed" = no ]
