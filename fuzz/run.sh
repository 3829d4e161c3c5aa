#!/usr/bin/env bash
# Property-based fuzzing of softlanding over its own OpenAPI, once per role, with schemathesis.
#   fuzz/run.sh [binary] [sqlite|postgres]
# Exits 1 when any 5xx (or a panic, or a dead server) was seen, 0 otherwise, 2 on setup failure.
# Knobs (environment): FUZZ_ROLE_SECONDS (240), FUZZ_MAX_EXAMPLES (40), FUZZ_WORKERS (2),
#   FUZZ_ROLES (anonymous,api_client,sme_member,manager,admin), FUZZ_SEED, FUZZ_WORK_DIR,
#   PG_URL (postgres://postgres@127.0.0.1:5432).
# Only ever targets 127.0.0.1. Leaves its logs and reports in the work dir it prints.
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$FUZZ_DIR/.." && pwd)"
BIN="${1:-$REPO/target/debug/softlanding}"
BACKEND="${2:-sqlite}"
ROLE_SECONDS="${FUZZ_ROLE_SECONDS:-240}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-40}"
WORKERS="${FUZZ_WORKERS:-2}"
ROLES="${FUZZ_ROLES:-anonymous,api_client,sme_member,manager,admin}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
ADMIN_EMAIL="coordinator@example.org"
ADMIN_PASSWORD="fuzz-admin-$RANDOM$RANDOM-password"

case "$BACKEND" in sqlite|postgres) ;; *) echo "backend must be sqlite or postgres" >&2; exit 2 ;; esac
[[ "$BIN" = /* ]] || BIN="$REPO/$BIN"
command -v schemathesis >/dev/null || { echo "schemathesis is not installed: pip install schemathesis" >&2; exit 2; }

WORK="${FUZZ_WORK_DIR:-$(mktemp -d "/tmp/softlanding-fuzz-$BACKEND.XXXXXX")}"
mkdir -p "$WORK/reports"
SERVER_PID=""
DB_NAME=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$DB_NAME" ]]; then
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. A private copy of the binary (it may be mid-rebuild: wait until it is stable and runs).
for attempt in $(seq 60); do
  if [[ -x "$BIN" ]]; then
    s1=$(stat -c %s:%Y "$BIN"); sleep 2; s2=$(stat -c %s:%Y "$BIN" 2>/dev/null || echo gone)
    if [[ "$s1" == "$s2" ]]; then
      cp "$BIN" "$WORK/softlanding" && "$WORK/softlanding" --version >/dev/null 2>&1 && break
    fi
  fi
  echo "waiting for a complete binary at $BIN ($attempt)" >&2; sleep 10
done
"$WORK/softlanding" --version >/dev/null 2>&1 || { echo "no usable binary at $BIN" >&2; exit 2; }
cp -r "$REPO/config" "$WORK/config"

# 2. Environment: a temp data dir, a fresh database, a free loopback port.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export SOFTLANDING_CONFIG_DIR="$WORK/config"
export SOFTLANDING__ENVIRONMENT=development
export SOFTLANDING__DATA_DIR="$WORK/data"
export SOFTLANDING__SERVER__HOST=127.0.0.1
export SOFTLANDING__SERVER__PORT="$PORT"
export SOFTLANDING__SERVER__PUBLIC_URL="$BASE"
export SOFTLANDING__MAIL__TRANSPORT=file
# The fuzzer sends wrong passwords from 127.0.0.1 (and may learn the demo e-mails): without this the
# login limiter would lock the accounts whose tokens the later role runs need.
export SOFTLANDING__AUTH__LOGIN_MAX_FAILURES_PER_ACCOUNT=1000000
export SOFTLANDING__AUTH__LOGIN_MAX_FAILURES_PER_ADDRESS=1000000
export NO_COLOR=1
if [[ "$BACKEND" == postgres ]]; then
  DB_NAME="fuzz_$(date +%s)_$RANDOM"
  psql "$PG_URL/postgres" -qc "CREATE DATABASE \"$DB_NAME\"" >/dev/null
  export SOFTLANDING__DATABASE__URL="$PG_URL/$DB_NAME"
else
  export SOFTLANDING__DATABASE__URL="sqlite://$WORK/db.sqlite"
fi
echo "work dir: $WORK  backend: $BACKEND  url: $BASE  binary: $BIN"

cd "$WORK"
./softlanding seed-demo > seed.txt 2> seed.err || { cat seed.txt seed.err >&2; exit 2; }
echo "$ADMIN_PASSWORD" | ./softlanding create-admin --email "$ADMIN_EMAIL" >> seed.txt 2>> seed.err \
  || { cat seed.err >&2; exit 2; }

start_server() {
  ./softlanding serve >> server.log 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 120); do
    if curl -fsS -m 2 "$BASE/readyz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "server did not become ready; see $WORK/server.log" >&2
  return 1
}
start_server || exit 2
curl -fsS "$BASE/openapi.json" -o openapi.json
python3 "$FUZZ_DIR/harness.py" setup "$BASE" seed.txt "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$WORK" \
  || { echo "setup failed" >&2; exit 2; }

# 3. One schemathesis run per role, each with a fresh token and a wall-clock bound.
IFS=',' read -r -a ROLE_LIST <<< "$ROLES"
for role in "${ROLE_LIST[@]}"; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null || ! curl -fsS -m 5 "$BASE/readyz" >/dev/null 2>&1; then
    echo "server was down before role $role (exit/unready); restarting" | tee -a crashes.txt
    start_server || exit 2
  fi
  token=$(python3 "$FUZZ_DIR/harness.py" token "$BASE" "$role" state.json) || { echo "no token for $role" >&2; exit 2; }
  auth=()
  [[ -n "$token" ]] && auth=(-H "Authorization: Bearer $token")
  echo "=== role $role: up to ${ROLE_SECONDS}s, $MAX_EXAMPLES examples/operation, $WORKERS workers"
  echo "=== role $role start $(date -u +%FT%TZ)" >> server.log
  seed_args=()
  [[ -n "${FUZZ_SEED:-}" ]] && seed_args=(--seed "$FUZZ_SEED")
  set +e
  PYTHONPATH="$FUZZ_DIR${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=st_hooks \
  timeout --kill-after=20 $((ROLE_SECONDS + 60)) \
    schemathesis --config-file "$WORK/schemathesis.toml" run "$BASE/openapi.json" \
      "${auth[@]}" \
      --checks not_a_server_error \
      --max-examples "$MAX_EXAMPLES" \
      --max-time "$ROLE_SECONDS" \
      --workers "$WORKERS" \
      --request-timeout 30 \
      --continue-on-failure \
      --suppress-health-check all \
      --warnings off \
      --no-color \
      --generation-database none \
      "${seed_args[@]}" \
      --report json,ndjson,junit --report-dir "reports/$role" > "schemathesis-$role.log" 2>&1
  rc=$?
  set -e
  echo "    schemathesis exit $rc; log: $WORK/schemathesis-$role.log"
  grep -E "^(  Tested|  Selected|  [0-9]+ generated)|Test cases:" -A1 "schemathesis-$role.log" | grep -v '^--$' | sed 's/^/    /' || true
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "server process died during role $role" | tee -a crashes.txt
  elif [[ "$role" != anonymous ]]; then
    # A token that stopped working means fuzzing changed the account itself: report it.
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE/api/v1/me")
    [[ "$code" == 200 ]] || echo "    note: after the run, GET /me with role $role's token answers $code"
  fi
done

# 4. The summary: every 5xx with its reproduction, and what the server logged about it.
set +e
python3 "$FUZZ_DIR/harness.py" summarize "$WORK" "$ROLES" | tee summary.txt
status=${PIPESTATUS[0]}
exit "$status"
