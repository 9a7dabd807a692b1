#!/usr/bin/env bash
# OpenAPI-driven fuzzing of the live JSON API with Schemathesis: starts `gajok serve --demo` on
# a free loopback port over a temporary database, signs in as the demo administrator,
# creates API tokens (POST /api/v1/tokens) for a center worker and for the administrator, and
# runs Schemathesis against /api/v1/openapi.json with each: no 5xx, responses as documented.
# Fails on any failure. Usage: scripts/schemathesis.sh [seconds-per-account]  (default 60)
#
# The database is a temporary SQLite file, or, with GAJOK_SCHEMATHESIS_POSTGRES_URL set to a
# server URL (e.g. postgres://postgres@127.0.0.1:5432/postgres), a fresh PostgreSQL database
# created on that server for the run and dropped after it.
#
# Schemathesis and everything it pulls in are pinned (scripts/schemathesis-requirements.txt, a
# `pip freeze`) and installed from PyPI into target/schemathesis-venv. Set GAJOK_BIN
# to use an already built binary; otherwise `cargo build -p gajok --locked` (under flock when
# GAJOK_CARGO_LOCK is set). The report (JUnit + the server log) is in
# target/schemathesis/<sqlite|postgres>/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

SCHEMATHESIS_VERSION="4.32.5"
MAX_TIME="${1:-60}"
VENV="$ROOT/target/schemathesis-venv"
PG_SERVER="${GAJOK_SCHEMATHESIS_POSTGRES_URL:-}"
BACKEND="$([[ -n "$PG_SERVER" ]] && echo postgres || echo sqlite)"
OUT="$ROOT/target/schemathesis/$BACKEND"
mkdir -p "$OUT"

lock() {
    if [[ -n "${GAJOK_CARGO_LOCK:-}" ]]; then flock "$GAJOK_CARGO_LOCK" "$@"; else "$@"; fi
}

REQUIREMENTS="$ROOT/scripts/schemathesis-requirements.txt"
if [[ ! -x "$VENV/bin/schemathesis" ]] || [[ "$("$VENV/bin/schemathesis" --version)" != *"$SCHEMATHESIS_VERSION"* ]] ||
    ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet -r "$REQUIREMENTS"
    cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi

if [[ -z "${GAJOK_BIN:-}" ]]; then
    lock cargo build -p gajok --locked
    GAJOK_BIN="$ROOT/target/debug/gajok"
fi

WORK="$(mktemp -d)"
PG_DB="gajok_test_schemathesis_$$"
if [[ -n "$PG_SERVER" ]]; then
    psql "$PG_SERVER" -qc "create database $PG_DB"
    DATABASE_URL="${PG_SERVER%/*}/$PG_DB"
else
    DATABASE_URL="sqlite://$WORK/gajok.db"
fi
PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
    if [[ -n "$PG_SERVER" ]]; then psql "$PG_SERVER" -qc "drop database if exists $PG_DB" || true; fi
}
trap cleanup EXIT

echo "== schemathesis: gajok on $BACKEND"
"$GAJOK_BIN" --database-url "$DATABASE_URL" serve --demo --listen "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
healthy() { "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('$BASE/healthz', timeout=2)" 2>/dev/null; }
for _ in $(seq 1 300); do
    if healthy; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$OUT/server.log" >&2; echo "gajok did not start" >&2; exit 1; fi
    sleep 1
done
healthy || { echo "gajok did not answer /healthz" >&2; exit 1; }

# API tokens are created by an administrator (page /admin/users/{id}/tokens or
# POST /api/v1/tokens); the token is shown once.
TOKENS="$("$VENV/bin/python" - "$BASE" <<'PY'
import sys, requests
base = sys.argv[1]
c = requests.Session()
c.get(base + "/login")
csrf = c.cookies.get("gajok_csrf")
r = c.post(base + "/login", data={"username": "admin", "password": "gajok-demo-2026", "_csrf": csrf},
           allow_redirects=False)
assert r.status_code == 303, (r.status_code, r.text[:500])
h = {"x-csrf-token": csrf}
out = []
for name in ("staff", "admin"):
    users = c.get(base + "/api/v1/users", params={"q": name}, headers=h).json()
    uid = next(u["id"] for u in users["items"] if u["username"] == name)
    t = c.post(base + "/api/v1/tokens", json={"user_id": uid, "name": "schemathesis"}, headers=h)
    assert t.status_code == 201, (t.status_code, t.text)
    out.append(f"{name}={t.json()['token']}")
print(" ".join(out))
PY
)"

# Schemathesis keeps a crash cache in the working directory: keep it under target/.
cd "$OUT"
status=0
for pair in $TOKENS; do
    who="${pair%%=*}"
    token="${pair#*=}"
    # The administrator run leaves out DELETE, so it cannot revoke its own token or roles
    # half-way through and turn the rest of the run into 401s.
    extra=()
    [[ "$who" == "admin" ]] && extra=(--exclude-method DELETE)
    echo "== schemathesis as $who on $BACKEND (${MAX_TIME}s)"
    # One worker: with two, Hypothesis parses source files from two threads at once, which
    # CPython 3.11 (this machine's) can fail with "AST constructor recursion depth mismatch" —
    # an error inside the tool that reads as a failed operation.
    set +e
    "$VENV/bin/schemathesis" run "$BASE/api/v1/openapi.json" \
        --url "$BASE" \
        --header "Authorization: Bearer $token" \
        --checks not_a_server_error,response_schema_conformance \
        --max-time "$MAX_TIME" \
        --workers 1 \
        --seed 6 \
        --report junit --report-dir "$OUT/$who" \
        --no-color \
        --generation-database none \
        "${extra[@]}" 2>&1 | tee "$OUT/$who.log"
    rc=${PIPESTATUS[0]}
    set -e
    if [[ $rc -ne 0 ]]; then status=1; fi
done
if [[ $status -ne 0 ]]; then
    echo "schemathesis found failures (logs in $OUT/)" >&2
fi
exit $status
