#!/bin/sh
# Proves that vendor/krilla is krilla 0.8.2 exactly as published on crates.io, with the changes of
# vendor/krilla.patch and nothing else (vendor/README.md says what they are and why). The
# published file is checked against the checksum the registry's Cargo.lock entry had.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
version=0.8.2
sha256=27da593198b20eeba65caeb73c2bbeec3e53ab08fa549898312ce81c4fce5e33
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

crate=$work/krilla-$version.crate
cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/krilla-$version.crate 2>/dev/null | head -1)
if [ -n "$cached" ]; then
    cp "$cached" "$crate"
else
    curl -fsSL --retry 3 -o "$crate" "https://static.crates.io/crates/krilla/krilla-$version.crate"
fi
echo "$sha256  $crate" | sha256sum -c --quiet -

tar -xzf "$crate" -C "$work"
upstream=$work/krilla-$version
# What the vendored copy leaves out: the examples (never built as a dependency), the crate's own
# lock file and its original manifest, and cargo's extraction marker.
rm -rf "$upstream/examples" "$upstream/Cargo.lock" "$upstream/Cargo.toml.orig" "$upstream/.cargo-ok"
(cd "$upstream" && git apply --whitespace=nowarn "$here/krilla.patch")
diff -r "$upstream" "$here/krilla"
echo "vendor/krilla = krilla $version + vendor/krilla.patch"
