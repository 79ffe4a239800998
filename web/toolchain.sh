#!/usr/bin/env bash
# The toolchain for building secform's core for wasm32-unknown-unknown on these machines (Debian 12,
# rustup with the host target only): see shared/notes/wasm-toolchain.md.
#
# Usage:
#   web/toolchain.sh [--lock Cargo.lock] [--env-file FILE] [--no-install] [--no-bindgen]
#   eval "$(web/toolchain.sh)"            # or: web/toolchain.sh --env-file /tmp/wasm.env; . /tmp/wasm.env
#
# Idempotent: installs only what is missing (apt: rustc-web cargo-web rust-web-src clang wasi-libc,
# lld only when no rust-lld is found; wasm-bindgen-cli at the version of wasm-bindgen in the lock,
# when the lock has one), then prints the environment to stdout as `export` lines, nothing else:
# every message goes to stderr. --no-install only checks and prints (fails when something lacks);
# --no-bindgen leaves wasm-bindgen-cli alone (building the core does not need it).
#
# The environment printed:
#   RUSTC=/usr/bin/rustc                Debian's rustc-web (1.96), which has its std sources
#   WASM_CARGO=/usr/bin/cargo           the cargo to call (rustup's proxies stay first on PATH)
#   RUSTC_BOOTSTRAP=1                   for -Zbuild-std on a stable compiler
#   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=<rust-lld or wasm-ld>
#   CC_wasm32_unknown_unknown=clang     libdeflate's C code (libdeflater)
#   AR_wasm32_unknown_unknown=<llvm-ar> an archiver that writes a symbol index of wasm objects
#   CFLAGS_wasm32_unknown_unknown="-isystem <wasi-libc include>"  string.h, stddef.h, ...
#   WASM_BINDGEN=<path of wasm-bindgen> (only when the lock has wasm-bindgen)
set -euo pipefail

lock=""
env_file=""
install=1
bindgen_wanted=1
while [ $# -gt 0 ]; do
  case "$1" in
    --lock) lock="$2"; shift 2 ;;
    --env-file) env_file="$2"; shift 2 ;;
    --no-install) install=0; shift ;;
    --no-bindgen) bindgen_wanted=0; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "toolchain.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [ -z "$lock" ]; then
  lock="$(cd "$(dirname "$0")/.." && pwd)/Cargo.lock"
fi

say() { echo "toolchain.sh: $*" >&2; }
die() { say "$*"; exit 1; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# rust-lld: in rustup's toolchains (any), or on the PATH; else Debian's lld (wasm-ld).
find_linker() {
  local l
  l="$(command -v rust-lld 2>/dev/null || true)"
  if [ -z "$l" ]; then
    local sysroot
    sysroot="$(rustc --print sysroot 2>/dev/null || true)"
    for d in "$sysroot" "${RUSTUP_HOME:-$HOME/.rustup}"/toolchains/*; do
      [ -n "$d" ] || continue
      for c in "$d"/lib/rustlib/*/bin/rust-lld; do
        if [ -x "$c" ]; then l="$c"; break 2; fi
      done
    done
  fi
  if [ -z "$l" ]; then
    for c in wasm-ld /usr/lib/llvm-*/bin/wasm-ld; do
      c="$(command -v "$c" 2>/dev/null || true)"
      if [ -n "$c" ] && [ -x "$c" ]; then l="$c"; break; fi
    done
  fi
  printf '%s' "$l"
}

missing=()
for p in rustc-web cargo-web rust-web-src clang wasi-libc; do
  installed "$p" || missing+=("$p")
done
linker="$(find_linker)"
[ -n "$linker" ] || missing+=(lld)

if [ ${#missing[@]} -gt 0 ]; then
  [ "$install" = 1 ] || die "missing: ${missing[*]} (run without --no-install)"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  [ -n "$linker" ] || linker="$(find_linker)"
fi
[ -n "$linker" ] || die "no rust-lld nor wasm-ld found"
[ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] || die "no /usr/bin/rustc or /usr/bin/cargo (rustc-web, cargo-web)"

# The std sources -Zbuild-std reads: <sysroot>/lib/rustlib/src/rust/library.
sysroot="$(/usr/bin/rustc --print sysroot)"
[ -f "$sysroot/lib/rustlib/src/rust/library/std/Cargo.toml" ] \
  || die "no std sources under $sysroot/lib/rustlib/src/rust/library (rust-web-src)"

# wasi-libc's headers: the folder holding string.h.
string_h="$(dpkg -L wasi-libc | grep '/string\.h$' | grep -v '/bits/' | head -n1)"
[ -n "$string_h" ] || die "wasi-libc has no string.h"
wasi_include="$(dirname "$string_h")"

# An archiver that understands wasm objects (GNU ar writes no symbol index for them).
ar=""
for c in llvm-ar /usr/lib/llvm-*/bin/llvm-ar /usr/bin/llvm-ar-*; do
  c="$(command -v "$c" 2>/dev/null || true)"
  if [ -n "$c" ] && [ -x "$c" ]; then ar="$c"; break; fi
done
[ -n "$ar" ] || die "no llvm-ar (it comes with clang's llvm)"

# wasm-bindgen-cli at exactly the lock's wasm-bindgen version (the two must match).
bindgen_version=""
if [ "$bindgen_wanted" = 0 ]; then
  :
elif [ -f "$lock" ]; then
  bindgen_version="$(awk '
    /^\[\[package\]\]/ { name = "" }
    /^name = / { name = $3; gsub(/"/, "", name) }
    /^version = / && name == "wasm-bindgen" { v = $3; gsub(/"/, "", v); print v; exit }
  ' "$lock")"
else
  say "no lock at $lock: wasm-bindgen-cli not checked"
fi
bindgen=""
if [ -n "$bindgen_version" ]; then
  bindgen_root="${WASM_BINDGEN_ROOT:-${CARGO_HOME:-$HOME/.cargo}}"
  bindgen="$bindgen_root/bin/wasm-bindgen"
  have="$("$bindgen" --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$bindgen_version" ]; then
    [ "$install" = 1 ] || die "wasm-bindgen-cli $bindgen_version missing (have: ${have:-none})"
    say "installing wasm-bindgen-cli $bindgen_version into $bindgen_root (have: ${have:-none})"
    # rustup's cargo builds the host tool, with the lock wasm-bindgen-cli was published with. That
    # lock can name a version the registry no longer offers (0.2.130's names webpki-roots 1.0.11,
    # which is not in the index): then it resolves afresh, within the same semver ranges.
    # A host tool run once a build: a quick optimisation, no LTO, many codegen units (about half
    # the CPU time of the release profile's defaults on 2 cores).
    export CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false \
      CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=0
    if ! cargo install wasm-bindgen-cli --version "=$bindgen_version" --locked --root "$bindgen_root" >&2; then
      say "wasm-bindgen-cli $bindgen_version: its published lock does not resolve here; without --locked"
      cargo install wasm-bindgen-cli --version "=$bindgen_version" --root "$bindgen_root" >&2
    fi
  fi
fi

q() { printf '%q' "$1"; }
{
  echo "export RUSTC=/usr/bin/rustc"
  echo "export WASM_CARGO=/usr/bin/cargo"
  echo "export RUSTC_BOOTSTRAP=1"
  echo "export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$(q "$linker")"
  echo "export CC_wasm32_unknown_unknown=clang"
  echo "export AR_wasm32_unknown_unknown=$(q "$ar")"
  echo "export CFLAGS_wasm32_unknown_unknown=$(q "-isystem $wasi_include")"
  [ -z "$bindgen" ] || echo "export WASM_BINDGEN=$(q "$bindgen")"
} > "${env_file:-/dev/stdout}"
[ -z "$env_file" ] || say "environment written to $env_file"
