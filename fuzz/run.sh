#!/usr/bin/env bash
# Fuzzes secform's readers: each target for a bounded time, under a memory and a per-input time
# limit, from the seeds fuzz/seeds.py makes (plus what earlier runs kept in fuzz/corpus/).
#
#   fuzz/run.sh [SECONDS_A_TARGET] [TARGET...]     # default: 60 s each, json workbook pdf seal
#
# A crash, a hang past -timeout or a memory blow-up past -rss_limit_mb leaves the input in
# fuzz/artifacts/<target>/ and makes the script exit 1 (after the other targets ran). Minimise
# one with `cargo +nightly fuzz tmin <target> <file>` and keep it in fuzz/regressions/<target>/:
# `cargo test --test fuzz_regressions` replays that folder.
#
# Needs the nightly toolchain (rustup) and cargo-fuzz (installed here from crates.io when
# missing, at the pinned version). SECFORM names the secform binary the seeds are made with
# (default: the root's release build, else its debug build, else one built here).
set -euo pipefail
if [ -n "${SECFORM:-}" ]; then SECFORM=$(realpath "$SECFORM"); fi
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(json workbook pdf seal); fi

# The limits: an answer file is kilobytes, so a reader that needs hundreds of megabytes for one
# (or a single allocation that large) is a blow-up; ten seconds for one input is a hang.
rss_limit_mb=${FUZZ_RSS_LIMIT_MB:-512}
timeout_s=${FUZZ_TIMEOUT:-10}

CARGO_FUZZ_VERSION=0.13.2
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz/run.sh: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! cargo fuzz --version 2>/dev/null | grep -qF "$CARGO_FUZZ_VERSION"; then
  cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION"
fi

secform=${SECFORM:-}
if [ -z "$secform" ]; then
  if [ -x ../target/release/secform ]; then
    secform=../target/release/secform
  else
    (cd .. && cargo build --locked --quiet --bin secform)
    secform=../target/debug/secform
  fi
fi

# No sanitizer and 16 codegen units: the readers are safe Rust, so a bug shows as a panic, a hang
# or a blow-up, which libFuzzer catches without ASan; and cargo-fuzz's default (ASan, one codegen
# unit) takes far longer to build the whole library than the fuzzing itself runs.
build_flags=(--release --sanitizer "${FUZZ_SANITIZER:-none}" --codegen-units "${FUZZ_CODEGEN_UNITS:-16}")
echo "== fuzz: build ($(date -u +%T))"
cargo +nightly fuzz build "${build_flags[@]}"

echo "== fuzz: seeds"
python3 seeds.py "$secform" corpus

failed=()
for t in "${targets[@]}"; do
  echo "== fuzz: $t, ${seconds} s ($(date -u +%T))"
  mkdir -p "artifacts/$t"
  if ! cargo +nightly fuzz run "${build_flags[@]}" "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb="$rss_limit_mb" -timeout="$timeout_s" \
    -print_final_stats=1 2>"artifacts/$t.log"; then
    failed+=("$t")
    # The run's end: the error, its stack, the input it saved.
    grep -v '^#[0-9]' "artifacts/$t.log" | tail -n 60 >&2
  else
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "artifacts/$t.log" || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: no crash, hang or blow-up in ${targets[*]}"
