#!/usr/bin/env bash
# Fuzzes every parser of outside input (fuzz/fuzz_targets/*) for a bounded time each and fails
# on a crash. Usage: scripts/fuzz.sh [seconds-per-target] [target...]   (default 30 s, all)
#
# cargo-fuzz needs nightly flags (-Zsanitizer); RUSTC_BOOTSTRAP=1 lets the stable toolchain
# accept them. cargo-fuzz is installed when missing. Set GAJOK_CARGO_LOCK=/path to build
# under `flock` (shared build machines); the fuzzing itself runs outside the lock.
# Crashes are kept in fuzz/artifacts/<target>/ (reproduce: the target binary + that file).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

SECONDS_EACH="${1:-30}"
shift || true
export RUSTC_BOOTSTRAP=1

lock() {
    if [[ -n "${GAJOK_CARGO_LOCK:-}" ]]; then flock "$GAJOK_CARGO_LOCK" "$@"; else "$@"; fi
}

if ! cargo fuzz --version >/dev/null 2>&1; then
    lock cargo install cargo-fuzz --locked
fi

mapfile -t ALL < <(cargo fuzz list)
if [[ $# -gt 0 ]]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi

lock cargo fuzz build --release
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
BIN="target/$TRIPLE/release"

failed=()
summary=()
for t in "${TARGETS[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t" "seeds/$t"
    log="artifacts/$t/last-run.log"
    start=$(date +%s)
    set +e
    "$BIN/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 "corpus/$t" "seeds/$t" >"$log" 2>&1
    rc=$?
    set -e
    took=$(($(date +%s) - start))
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
    if [[ $rc -ne 0 ]]; then
        failed+=("$t")
        summary+=("$t: CRASH after ${took}s (exit $rc), see fuzz/$log and fuzz/artifacts/$t/")
        tail -40 "$log" >&2
    else
        summary+=("$t: ${took}s, ${runs:-?} runs, no crash")
    fi
done

echo "fuzz summary (${SECONDS_EACH}s per target):"
printf '  %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzzing found crashes in: ${failed[*]}" >&2
    exit 1
fi
