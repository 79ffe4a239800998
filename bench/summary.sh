#!/bin/sh
# The summary benchmark: `secform summary` over N varied answer sets (default 10,000, one JSON Lines
# file from bench/gen-forms.awk) as CSV, as a workbook and as PDF, three runs each, wall time and
# peak memory from GNU time.
# Target on the 2-core machine (issue 14): ≤ 2 s and ≤ 100 MB for 10,000 entities, in every format
# (the PDF is some 450 pages, painted as they are laid out: README, Performance).
#
# Usage: bench/summary.sh [N]        (needs GNU time: apt-get install time)
set -eu

n=${1:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/release/secform
work=$(mktemp -d "${TMPDIR:-/tmp}/secform-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

(cd "$root" && cargo build --release --quiet)
LC_ALL=C awk -v n="$n" -v seed=7 -f "$root/bench/gen-forms.awk" > "$work/forms.jsonl"
for format in csv xlsx pdf; do
  for run in 1 2 3; do
    /usr/bin/time -f "$format run $run: %e s, %M KB peak" \
      "$bin" summary "$work/forms.jsonl" -o "$work/summary.$format" --quiet
  done
done
echo "$(($(wc -l < "$work/summary.csv") - 1)) entities in the CSV, $(wc -c < "$work/summary.pdf") bytes of PDF"
