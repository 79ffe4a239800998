#!/usr/bin/env bash
# Builds secform's static web app into target/web/: index.html, the page's code (page/), the
# engine (crates/web: secform-core compiled to wasm32-unknown-unknown, bound by wasm-bindgen) and
# nothing else. Publish that folder on any static host; see README.md, "インストールなしで使う".
#
# Usage: web/build.sh [OUT_DIR]        (default target/web)
#
# Installs what is missing first (web/toolchain.sh: Debian's rustc-web with its std sources,
# clang, wasi-libc, wasm-bindgen-cli at the lock's version), as .ci/run does. The engine is built
# with the `web` profile (Cargo.toml: release, optimised for size); WASM_PROFILE=NAME picks
# another. The folder is replaced whole at the end, never left half-written.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# OUT_DIR as the caller named it (relative to the caller's folder), without a trailing slash.
out="${1:-$root/target/web}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
while [ "${out%/}" != "$out" ] && [ "$out" != / ]; do out="${out%/}"; done
cd "$root"

# Two steps, so that a failure of toolchain.sh stops here (an `eval "$(…)"` would hide it).
env_lines="$("$here/toolchain.sh" --lock "$root/Cargo.lock")"
eval "$env_lines"
[ -n "${WASM_BINDGEN:-}" ] || { echo "web/build.sh: no wasm-bindgen in Cargo.lock" >&2; exit 1; }

profile="${WASM_PROFILE:-web}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/wasm}"
"$WASM_CARGO" build --profile "$profile" --locked --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort -p secform-web
dir="$profile"
[ "$profile" != dev ] || dir=debug
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/$dir/secform_web.wasm"

mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d "$out.new.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# Without the name and producers sections: 2.5 MB less to download (13.3 → 10.7 MB raw, 5.60 →
# 5.28 MB gzip); a trap then names no function (the native build and its tests do).
"$WASM_BINDGEN" --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$tmp" "$wasm"
cp page/index.html page/app.js page/style.css page/favicon.svg page/worker.js "$tmp/"
# The one file that differs from `secform serve`'s page: the host the page calls.
cp page/host-tab.js "$tmp/host.js"
chmod 755 "$tmp"
rm -rf "$out.old"
[ ! -e "$out" ] || mv "$out" "$out.old"
mv "$tmp" "$out"
rm -rf "$out.old"
trap - EXIT
echo "web/build.sh: the app is in $out" >&2
ls -l "$out" >&2
