#!/usr/bin/env bash
# The README's test command: every test gajok has.
#   1. Rust tests of every crate (SQLite; PostgreSQL too when GAJOK_TEST_POSTGRES_URL is set)
#   2. the browser suite against the real binary in headless Chromium (scripts/e2e.sh)
#   3. an OpenAPI-driven fuzz of the live API (scripts/schemathesis.sh), on SQLite and, when
#      GAJOK_TEST_POSTGRES_URL is set, on PostgreSQL
#   4. libFuzzer targets for every parser of outside input, bounded in time (scripts/fuzz.sh)
# Steps 2-4 install what they need (Debian's chromium and fonts, npm packages, schemathesis
# from PyPI, cargo-fuzz) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust tests"
cargo test --workspace --locked

echo "== Browser suite"
scripts/e2e.sh

echo "== API fuzz (schemathesis)"
GAJOK_BIN="${GAJOK_BIN:-target/debug/gajok}" scripts/schemathesis.sh "${GAJOK_SCHEMATHESIS_SECONDS:-45}"
if [[ -n "${GAJOK_TEST_POSTGRES_URL:-}" ]]; then
    # PostgreSQL refuses what SQLite stores (a NUL in text was a server error only there).
    GAJOK_SCHEMATHESIS_POSTGRES_URL="$GAJOK_TEST_POSTGRES_URL" GAJOK_BIN="${GAJOK_BIN:-target/debug/gajok}" \
        scripts/schemathesis.sh "${GAJOK_SCHEMATHESIS_SECONDS:-45}"
fi

echo "== Parser fuzz (cargo-fuzz)"
scripts/fuzz.sh "${GAJOK_FUZZ_SECONDS:-30}"
