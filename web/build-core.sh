#!/usr/bin/env bash
# "The core builds for wasm32": builds one package of the workspace for wasm32-unknown-unknown with
# Debian's rustc-web and std built from its sources (web/toolchain.sh installs and sets up the rest).
#
# Usage:
#   web/build-core.sh PACKAGE [more cargo build arguments]
#   e.g. web/build-core.sh secform-core
#        web/build-core.sh secform-web --features foo
#
# Runs, from the repository's root (the folder above web/):
#   /usr/bin/cargo build --release --locked --target wasm32-unknown-unknown \
#       -Zbuild-std=std,panic_abort -p PACKAGE [arguments]
# with the environment web/toolchain.sh prints. Artifacts go to $CARGO_TARGET_DIR, by default
# target/wasm (Debian's compiler's artifacts kept apart from rustup's in target/): the library or
# module is then under target/wasm/wasm32-unknown-unknown/release/.
#
# WASM_PROFILE=dev builds the dev profile instead of release (CI's check that it builds: no
# optimisation to wait for).
# WASM_ROOT=DIR builds another workspace (its Cargo.lock) instead of this repository's.
# Set WASM_TOOLCHAIN_NO_INSTALL=1 to only check the toolchain (fail when something is missing);
# WASM_WITH_BINDGEN=1 to have toolchain.sh install wasm-bindgen-cli too (the lock's version).
set -euo pipefail

if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
  sed -n '2,19p' "$0" >&2
  exit 2
fi
package="$1"
shift

here="$(cd "$(dirname "$0")" && pwd)"
root="${WASM_ROOT:-$(dirname "$here")}"
cd "$root"

args=(--lock "$root/Cargo.lock")
[ "${WASM_TOOLCHAIN_NO_INSTALL:-0}" = 1 ] && args+=(--no-install)
[ "${WASM_WITH_BINDGEN:-0}" = 1 ] || args+=(--no-bindgen)
env_out="$("$here/toolchain.sh" "${args[@]}")"
eval "$env_out"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/wasm}"
set -x
"$WASM_CARGO" build --profile "${WASM_PROFILE:-release}" --locked --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort -p "$package" "$@"
