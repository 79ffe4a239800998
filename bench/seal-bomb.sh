#!/usr/bin/env bash
# Time and peak memory of `check` and `render` on hostile input: a seal PNG of 20000×20000 pixels
# (a decompression bomb of a few hundred KB) and an answer whose detail is 10,000 lines (which
# `check` measures in its table cell to warn that it fills more than two pages: that measuring is
# in the figure of `check`).
# Usage: bench/seal-bomb.sh [BIN]   (default: target/release/secform, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/secform}
[ -x "$bin" ] || cargo build --release --locked --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import json, struct, sys, zlib
d = sys.argv[1]
w = h = 20000
row = b"\0" + b"\0" * ((w + 7) // 8)
z = zlib.compressobj(1)
idat = b"".join(z.compress(row) for _ in range(h)) + z.flush()
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)) \
    + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
open(f"{d}/bomb.png", "wb").write(png)
a = json.load(open("samples/main-contractor.json", encoding="utf-8"))
a["seal"] = {"image": "bomb.png"}
json.dump(a, open(f"{d}/bomb.json", "w", encoding="utf-8"), ensure_ascii=False)
b = json.load(open("samples/main-contractor.json", encoding="utf-8"))
b["items"]["12"]["detail"] = "\n".join(f"{i}行目：施錠保管と持出記録を確認した。" for i in range(1, 10001))
json.dump(b, open(f"{d}/long.json", "w", encoding="utf-8"), ensure_ascii=False)
PY
echo "bomb.png: $(stat -c %s "$tmp/bomb.png") bytes"
measure() {
  /usr/bin/time -f "%e s, %M KB peak" "$@" >/dev/null 2>"$tmp/time" || true
  tail -1 "$tmp/time"
}
echo "check  (seal bomb):          $(measure "$bin" check "$tmp/bomb.json")"
echo "render (seal bomb):          $(measure "$bin" render "$tmp/bomb.json" -o "$tmp/bomb.pdf")"
echo "check  (10,000-line detail): $(measure "$bin" check "$tmp/long.json")"
echo "render (10,000-line detail): $(measure "$bin" render "$tmp/long.json" -o "$tmp/long.pdf")"
