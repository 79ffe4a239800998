#!/bin/sh
# The summary benchmark: `secform summary` over N varied answer sets (default 10,000, one JSON Lines
# file from bench/gen-forms.awk), three runs, wall time and peak memory from GNU time.
# Target on the 2-core machine (issue 14): ≤ 2 s and ≤ 100 MB for 10,000 entities.
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
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s, %M KB peak" "$bin" summary "$work/forms.jsonl" -o "$work/summary.csv"
done
echo "$(($(wc -l < "$work/summary.csv") - 1)) entities in the CSV"
