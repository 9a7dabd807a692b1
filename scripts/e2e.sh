#!/usr/bin/env bash
# The browser suite: headless Chromium against the real gajok binary (see e2e/README.md).
#
#   scripts/e2e.sh                  install what is missing, build, run every e2e/tests/*.test.js
#   scripts/e2e.sh --screenshots    the same, and write the README screenshots to docs/screenshots
#   scripts/e2e.sh tests/04-reports.test.js    only some test files (paths relative to e2e/)
#
# On a fresh Debian machine (as root, as CI is) it installs chromium and fonts-noto-cjk (so
# Hangul renders in screenshots), Node.js if there is none, then `npm ci` in e2e/ and
# `cargo build --locked -p gajok`. Exits non-zero on any failure.
# Environment: GAJOK_CARGO_LOCK=FILE wraps the cargo build in `flock FILE`;
# GAJOK_E2E_MAX_LOAD_MS (default 300) is the page-load target the suite reports (a failure only
# with GAJOK_E2E_ENFORCE_LOAD=1, as scripts/page-load.sh sets); GAJOK_E2E_PROFILE=release tests
# an optimised build instead of the debug one.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

screenshots=""
files=()
for a in "$@"; do
  case "$a" in
    --screenshots) screenshots="docs/screenshots" ;;
    *) files+=("$a") ;;
  esac
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. Chromium, Korean fonts and Node.js from Debian, only when missing.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ "${#need[@]}" -gt 0 ]; then
  echo "e2e: installing ${need[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

# 2. The test dependencies, exactly as locked (playwright-core and axe-core; no browser download).
(cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)

# 3. The binary under test.
lock=()
[ -n "${GAJOK_CARGO_LOCK:-}" ] && lock=(flock "$GAJOK_CARGO_LOCK")
profile="${GAJOK_E2E_PROFILE:-debug}"
case "$profile" in
  debug) "${lock[@]}" cargo build --locked -p gajok ;;
  release) "${lock[@]}" cargo build --locked --release -p gajok ;;
  *) echo "e2e: GAJOK_E2E_PROFILE must be debug or release, not $profile" >&2; exit 2 ;;
esac
export GAJOK_BIN="${CARGO_TARGET_DIR:-$root/target}/$profile/gajok"
[ -x "$GAJOK_BIN" ] || { echo "e2e: no binary at $GAJOK_BIN" >&2; exit 1; }

# 4. The suite: one test file at a time (each starts its own server and browser).
[ -n "$screenshots" ] && export GAJOK_E2E_SCREENSHOTS="$screenshots"
cd e2e
if [ "${#files[@]}" -eq 0 ]; then
  files=(tests/*.test.js)
fi
args=(--test)
node --help | grep -q -- '--test-concurrency' && args+=(--test-concurrency=1)
start=$(date +%s)
status=0
node "${args[@]}" "${files[@]}" || status=$?
echo "e2e: ${#files[@]} files in $(( $(date +%s) - start )) s, exit $status"
exit "$status"
