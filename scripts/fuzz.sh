#!/usr/bin/env bash
# Fuzzes lexer + parser + interpreter with libFuzzer for a bounded time (`make fuzz`).
#
#   scripts/fuzz.sh              run for FUZZ_SECONDS (default 60) on FUZZ_JOBS jobs (default 1)
#   scripts/fuzz.sh --build      only build
#   scripts/fuzz.sh FILE...      replay inputs (e.g. a crash-* artifact) without libFuzzer
#   FUZZ_NO_BUILD=1 scripts/fuzz.sh   run the fuzzer as last built
#   FUZZ_CONFIG=release scripts/fuzz.sh   optimised build: several times the executions per
#                                second, fewer checks (debug keeps Swift's debug assertions)
#
# The fuzz package (fuzz/) builds from a snapshot of Sources/ taken here. The seed corpus
# is every golden program; new interesting inputs collect in fuzz/work/corpus, crashes in
# fuzz/work/artifacts. Turn each crash into Tests/LTStdlibTests/Golden/regression/<name>.lt
# plus a fix.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
work=fuzz/work
config=${FUZZ_CONFIG:-debug}
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
    local modules="LTLang LTStdlib LTPlot LTTensor CLTKernels"
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

build_fuzzer() {
    snapshot
    swift build --package-path fuzz --scratch-path "$scratch" -c "$config" --product ltnb-fuzz \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
        -Xcc -fsanitize=fuzzer-no-link,address
}

if [ "${1:-}" = "--build" ]; then build_fuzzer; exit 0; fi
if [ $# -gt 0 ]; then
    snapshot
    swift build --package-path fuzz --scratch-path fuzz/.build-replay --product lt-replay
    exec fuzz/.build-replay/debug/lt-replay "$@"
fi

[ -n "${FUZZ_NO_BUILD:-}" ] || build_fuzzer
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts" "$work/scratch"
# Seeds: the golden programs (flattened names).
find Tests/LTStdlibTests/Golden -name '*.lt' | while read -r f; do
    cp "$f" "$work/seeds/$(echo "${f#Tests/LTStdlibTests/Golden/}" | tr '/' '_')"
done
bin="$root/$scratch/$config/ltnb-fuzz"
# Built-ins that write files do so in a scratch directory.
cd "$work/scratch"
parallel=()
# More than one job runs that many fuzzer processes, each logging to fuzz-N.log there.
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$bin" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 -max_len=4096 "${parallel[@]}" \
    -dict="$root/fuzz/ltnb.dict" -artifact_prefix="$root/$work/artifacts/" \
    "$root/$work/corpus" "$root/$work/seeds" 2>&1 | grep -v '^#[0-9]*\s*\(NEW\|REDUCE\)' || true
echo "fuzz: done after ${seconds}s; crashes:"
ls "$root/$work/artifacts" 2>/dev/null || true
[ -z "$(ls "$root/$work/artifacts" 2>/dev/null)" ]
