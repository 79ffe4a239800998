#!/usr/bin/env bash
# Whole-process time for one form (hyperfine), in-process time a document (cargo bench) and PDF
# sizes. Targets on the 2-core machine: ≤ 15 ms end to end, ≤ 3 ms in process, PDF ≤ 60 KB.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine --warmup 5 --runs 50 --export-markdown "$out/h.md" \
  "target/release/secform render samples/main-contractor.json -o $out/main.pdf" \
  "target/release/secform render --blank -o $out/blank.pdf"
cat "$out/h.md"
for f in main blank; do printf '%s.pdf: %s bytes\n' "$f" "$(stat -c %s "$out/$f.pdf")"; done
cargo bench --bench render -- --noplot 2>/dev/null | grep -E "^form|time:"
