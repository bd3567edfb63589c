#!/usr/bin/env bash
# Checks what `make run` produced: the paper report with all its figures and tables, the
# other reports, and the figure files for LaTeX. Usage: scripts/check-output.sh [DIR]
set -euo pipefail
out="${1:-output}"
fail=0
need() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
need "output/paper.html exists" "[ -s '$out/paper.html' ]"
need "tour and real-features reports" "[ -s '$out/tour.html' ] && [ -s '$out/real-features.html' ]"
need "real-text report" "[ -s '$out/real-text.html' ]"
need "no error cells in real-text.html" "! grep -q 'class=\"ltnb-error' '$out/real-text.html'"
for f in fig-rt-counts fig-rt-grid-zs fig-rt-grid-la fig-rt-curves-ds fig-rt-curves-pp; do
    need "$f.svg written" "[ -s '$out/figures/$f.svg' ]"
done
for t in tbl-rt-gla tbl-rt-methods tbl-rt-m tbl-rt-reference; do
    need "$t.csv written" "[ -s '$out/figures/$t.csv' ]"
done
figures=$(grep -o '<svg' "$out/paper.html" | wc -l)
tables=$(grep -o '<table' "$out/paper.html" | wc -l)
need "paper.html has its 6 figures (found $figures)" "[ $figures -ge 6 ]"
need "paper.html has its tables (found $tables)" "[ $tables -ge 5 ]"
need "no error cells in paper.html" "! grep -q 'class=\"ltnb-error' '$out/paper.html'"
for f in fig-grid-zs fig-grid-la fig-curves-ds fig-curves-pp fig-scratch fig-confounder; do
    need "$f.svg written" "[ -s '$out/figures/$f.svg' ]"
done
for t in tbl-gla tbl-methods tbl-m tbl-order; do
    need "$t.csv and .tex written" "[ -s '$out/figures/$t.csv' ] && [ -s '$out/figures/$t.tex' ]"
done
[ $fail -eq 0 ] && echo "output: paper.html with $figures figures and $tables tables"
exit $fail
