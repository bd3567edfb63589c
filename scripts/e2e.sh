#!/usr/bin/env bash
# End-to-end checks of a built ltnb binary: exit codes, stdout/stderr split, stdin mode.
# Usage: scripts/e2e.sh PATH/TO/ltnb
set -uo pipefail
BIN="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
check() {  # name, expected exit code, expected stdout, command...
    local name="$1" code="$2" want="$3"; shift 3
    local out rc
    out=$("$@" 2>"$tmp/err"); rc=$?
    if [ "$rc" -eq "$code" ] && [ "$out" == "$want" ]; then pass=$((pass+1))
    else fail=$((fail+1)); echo "FAIL $name: exit $rc (want $code), stdout '$out' (want '$want')"; cat "$tmp/err"; fi
}
check "eval" 0 "3" "$BIN" -e '1 + 2'
check "version" 0 "0.1.0" "$BIN" --version
check "runtime error exits 1" 1 "" "$BIN" -e 'nope + 1'
check "usage error exits 2" 2 "" "$BIN" --no-such-flag
check "missing file exits 1" 1 "" "$BIN" exec "$tmp/missing.lt"
printf 'x = 20\nx + 1\n' > "$tmp/a.lt"
check "exec file" 0 "21" "$BIN" exec "$tmp/a.lt"
check "exec stdin" 0 "21" "$BIN" exec - < "$tmp/a.lt"
check "piped stdin" 0 "21" "$BIN" < "$tmp/a.lt"
check "help names a builtin" 0 "len(x)" bash -c "'$BIN' help len | head -1"
grep -q "unknown name 'nope'" <("$BIN" -e 'nope + 1' 2>&1) && pass=$((pass+1)) || { fail=$((fail+1)); echo "FAIL diagnostic on stderr"; }
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
