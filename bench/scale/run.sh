#!/usr/bin/env bash
# The scale benchmark: iNaturalist-sized logits (K = 8142 classes) scored from a
# memory-mapped .npy by ltnb and by NumPy, blockwise, in the same run.
# Sizes (rows) default to 33000 (1 GiB) and 100000 (3.1 GiB); SIZES="437000"
# is the 14 GiB case (STEPS to choose steps: the default set needs two members
# for backdoor, i.e. twice the disk). Files go to SCALE_DIR (default
# .build/scale) and are deleted afterwards unless KEEP=1.
# Usage: bench/scale/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/../.." && pwd)"
k=8142
sizes="${SIZES:-33000 100000}"
steps="${STEPS:-load accuracy group_accuracy per_class_accuracy ece nll argmax softmax backdoor}"
root="${SCALE_DIR:-$pkg/.build/scale}"
ltnb="$("$pkg/scripts/build-release.sh" 2>/dev/null)"
members=1
case " $steps " in *" backdoor "*) members=2 ;; esac
for n in $sizes; do
  d="$root/$n"
  if [ ! -f "$d/labels.npy" ] || [ ! -f "$d/logits$((members - 1)).npy" ]; then
    echo "writing $n x $k logits ($members member(s)) to $d ..."
    python3 "$here/gen.py" "$d" "$n" "$k" "$members"
  fi
  # Written back and in the page cache: timing right after writing measures writeback
  # (measured: backdoor 2.8 s instead of 0.6 s at 1 GiB).
  sync
  cat "$d"/logits*.npy > /dev/null
  python3 "$here/run.py" "$ltnb" "$d" $steps
  [ "${KEEP:-0}" = "1" ] || rm -rf "$d"
done
