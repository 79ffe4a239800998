#!/usr/bin/env bash
# The browser tab's figures (issue 25; README.md, "インストールなしで使う"), with the same work done
# natively beside them so that the cost of WebAssembly is visible:
#   - what the browser downloads (wasm + JS + HTML + CSS; the font is inside the wasm), raw and
#     compressed (gzip -9 and brotli, as a static host that compresses would send it);
#   - navigation → first preview, keystroke → repainted preview, and the PDF download, in Debian's
#     headless chromium over WebDriver (the ignored test tests/it/web_app.rs, RUNS times);
#   - natively: the preview's work (cargo bench --bench serve) and the PDF (cargo bench --bench
#     render, the sample).
# Targets: ≤ 6 MB compressed, first preview ≤ 2 s, keystroke ≤ 50 ms, PDF ≤ 200 ms.
# Usage: bench/web.sh [RUNS]   (default 3). Builds the app first (web/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"

web/build.sh
if ! command -v brotli >/dev/null || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends brotli chromium chromium-driver >/dev/null
fi

echo "== what the browser downloads (target/web)"
total_raw=0 total_gz=0 total_br=0
printf '%-28s %12s %12s %12s\n' file raw gzip-9 brotli
for f in target/web/*; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -c -q 11 "$f" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '%-28s %12d %12d %12d\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-28s %12d %12d %12d\n' total "$total_raw" "$total_gz" "$total_br"
awk -v r="$total_raw" -v g="$total_gz" -v b="$total_br" \
  'BEGIN { printf "in MB: %.2f raw, %.2f gzip, %.2f brotli (target: <= 6 MB compressed)\n", r/1e6, g/1e6, b/1e6 }'

echo "== in headless chromium ($runs runs of tests/it/web_app.rs)"
cargo test --locked --test it --no-run --quiet 2>/dev/null
for _ in $(seq "$runs"); do
  cargo test --locked --quiet --test it web_app:: -- --ignored --nocapture 2>&1 | grep '^web app figures' \
    || { echo "the browser test failed: cargo test --test it web_app:: -- --ignored" >&2; exit 1; }
done

echo "== natively (criterion, release)"
cargo bench --locked --bench serve -- --noplot "read \+ check \+ layout \+ svg" 2>/dev/null | grep -E '^serve|time:'
cargo bench --locked --bench render -- --noplot "sample json to pdf bytes" 2>/dev/null | grep -E '^form|time:'
