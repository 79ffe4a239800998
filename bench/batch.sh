#!/bin/sh
# The batch benchmark: renders N varied forms (default 1,000; different companies and wording, so no
# cache can help) with `secform batch`, and reports the wall time (hyperfine) and the peak memory
# (/usr/bin/time -v), without and with --merge.
#
# Usage: bench/batch.sh [N] [JOBS]       (needs hyperfine and GNU time: apt-get install hyperfine time)
# Output goes to a temporary folder on the same disk as $TMPDIR (default /tmp): each PDF is written
# through a temporary file, fsync and rename, so the disk matters; TMPDIR=/dev/shm leaves it out.
set -eu

n=${1:-1000}
jobs=${2:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/release/secform
work=$(mktemp -d "${TMPDIR:-/tmp}/secform-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

(cd "$root" && cargo build --release --quiet)
LC_ALL=C awk -v n="$n" -v seed=1 -f "$root/bench/gen-forms.awk" > "$work/forms.jsonl"
echo "$n forms, --jobs $jobs, $(nproc) cores, output in $work"

run="$bin batch $work/forms.jsonl --out-dir $work/out --jobs $jobs --quiet"
hyperfine --warmup 1 --runs 10 --prepare "rm -rf $work/out" \
    --export-json "$work/times.json" \
    "$run" "$run --merge $work/out/all.pdf"

for merge in "" "--merge $work/out/all.pdf"; do
    rm -rf "$work/out"
    /usr/bin/time -v $run $merge 2> "$work/time.txt"
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    echo "peak RSS ${merge:+(with --merge) }$((rss / 1024)) MB"
done
ls "$work/out" | grep -c '\.pdf$' | xargs echo "files written (last run):"
# Per-document figures of the first command (without --merge): wall time and CPU time (user +
# system, which a busy machine disturbs less than the wall time) divided by N.
for field in mean user system; do
    sed -n "s/.*\"$field\": *\([0-9.]*\).*/\1/p" "$work/times.json" | head -1
done | tr '\n' ' ' | awk -v n="$n" -v jobs="$jobs" '{
    printf "per document: %.2f ms wall (--jobs %s), %.2f ms CPU\n", $1 * 1000 / n, jobs, ($2 + $3) * 1000 / n
}'
