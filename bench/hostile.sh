#!/usr/bin/env bash
# Time and peak memory of the release binary on the hostile inputs of issue 22, made by
# tests/it/hostile.rs (SECFORM_HOSTILE_KEEP keeps a copy of each). Fails when an input is not refused
# (or read) as it should be, or costs more than 100 MB; the times are printed, not judged.
# Usage: bench/hostile.sh [BIN]   (default: target/release/secform, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/secform}")
[ -x "$bin" ] || { cargo build --release --locked --quiet; bin=$(realpath target/release/secform); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SECFORM_HOSTILE_KEEP="$tmp" cargo test --locked --quiet --test it hostile:: >/dev/null
cp samples/seal.png "$tmp/印影.png"
cd "$tmp"
failed=0
# measure WANTED_EXIT LABEL ARGS...
measure() {
  local want=$1 label=$2 code=0
  shift 2
  /usr/bin/time -f "%e %M" -o time.txt "$bin" "$@" >/dev/null 2>stderr.txt || code=$?
  read -r secs kb < <(tail -1 time.txt)
  printf '%-52s exit %s  %5s s  %4s MB peak\n' "$label ($(stat -c %s "$2" 2>/dev/null || echo ?) bytes)" "$code" "$secs" $((kb / 1024))
  if [ "$code" != "$want" ] || [ $((kb / 1024)) -gt 100 ]; then
    echo "  expected exit $want within 100 MB: $(head -c 300 stderr.txt)" >&2
    failed=1
  fi
}
measure 1 "name tree listing itself 4 times"    check loop4.pdf
measure 1 "name tree listing itself 50 times"   check loop50.pdf
measure 1 "ten object streams of 200 MB"        check bomb.pdf
measure 1 "forty object streams of 500 KB"      check many.pdf
measure 1 "150,000 objects"                     check objects.pdf
measure 1 "twenty incremental updates"          check updates.pdf
measure 1 "attachment inflating to 5 MB"        check big.pdf
measure 0 "attachment naming seal.image 印影.png" render received.pdf -o out.pdf
measure 0 "cell at XFD1048576"                  convert XFD1048576.xlsx -o back.json
measure 0 "cell at XFD2000"                     convert XFD2000.xlsx -o back.json
measure 1 "shared strings inflating to 600 MB"  check strings.xlsx
measure 1 "shared strings claiming 10^12"       check count.xlsx
measure 1 "a 1 MB formula shared by 50,000 cells"  check formula.xlsx
exit $failed
