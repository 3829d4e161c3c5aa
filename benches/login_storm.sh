#!/usr/bin/env bash
# A storm of concurrent password logins against a release `softlanding serve` on SQLite: the
# server's resident memory (peak VmRSS and VmHWM from /proc), how plain reads
# (GET /api/v1/clusters) fare meanwhile, and how the logins were answered (200, 400 wrong
# password, 429 rate limited, 503 busy). benches/login_storm.py sends the requests.
#
#   benches/login_storm.sh                 # 3 waves of 512 logins from many client addresses
#   SPREAD=0 benches/login_storm.sh        # all from one address (the limits answer most)
#
# Settings (environment):
#   LOGINS, WAVES   logins per wave, all at once, and waves (default 512 and 3)
#   SPREAD          1 (default): each login names its own client in X-Forwarded-For, the server
#                   trusting 127.0.0.1 as its proxy, so the per-address limits do not stop the
#                   storm before it reaches the password checks; 0: every login from 127.0.0.1
#   SERVER_BIN      a softlanding binary to run instead of building this checkout
#   SERVER_EXTRA_ENV  extra server settings, e.g. "SOFTLANDING__AUTH__HASH_QUEUE=64"
#
# Only 127.0.0.1 is contacted; the server listens on a free loopback port, its database and
# data live in a temporary directory, and both go on any exit.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOGINS=${LOGINS:-512}
WAVES=${WAVES:-3}
SPREAD=${SPREAD:-1}
EMAIL=storm-admin@softlanding.test
PASSWORD="storm benchmark password 0123"

WORK=$(mktemp -d -t softlanding-login-storm.XXXXXX)
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${SERVER_BIN:-}" ]]; then
    echo "== building (release)"
    cargo build --release -p softlanding --bin softlanding --quiet
    SERVER_BIN="$ROOT/target/release/softlanding"
fi
# A copy, so another build in the same target directory does not swap it mid-run.
cp "$SERVER_BIN" "$WORK/softlanding"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENV=(
    -u RUST_LOG
    SOFTLANDING_CONFIG_DIR="$ROOT/config"
    SOFTLANDING__ENVIRONMENT=development
    SOFTLANDING__DATA_DIR="$WORK/data"
    SOFTLANDING__SERVER__HOST=127.0.0.1
    SOFTLANDING__SERVER__PORT="$PORT"
    SOFTLANDING__SERVER__PUBLIC_URL="http://127.0.0.1:$PORT"
    SOFTLANDING__DATABASE__URL="sqlite://$WORK/data/softlanding.db"
    SOFTLANDING__AUTH__JWT_SECRET="login-storm-benchmark-secret-0123456789abcdef"
    SOFTLANDING__MAIL__TRANSPORT=file
    SOFTLANDING__LOG__LEVEL=error
)
STORM_ARGS=()
if [[ "$SPREAD" == 1 ]]; then
    ENV+=(SOFTLANDING__SERVER__TRUSTED_PROXIES='["127.0.0.1"]')
    STORM_ARGS+=(--spread)
fi
# shellcheck disable=SC2206
ENV+=(${SERVER_EXTRA_ENV:-})
mkdir -p "$WORK/data"

echo "== create-admin, serve on 127.0.0.1:$PORT"
env "${ENV[@]}" "$WORK/softlanding" migrate >"$WORK/migrate.log" 2>&1
printf '%s\n' "$PASSWORD" | env "${ENV[@]}" "$WORK/softlanding" create-admin --email "$EMAIL" \
    >"$WORK/admin.log" 2>&1
# `env` execs the server, so this pid is the server's.
env "${ENV[@]}" "$WORK/softlanding" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "login_storm.sh: the server did not start; its log:" >&2
        tail -n 20 "$WORK/server.log" >&2
        exit 1
    fi
    sleep 0.1
done

echo "== $WAVES waves of $LOGINS concurrent logins (one in four with the right password)"
timeout 900 python3 "$ROOT/benches/login_storm.py" --port "$PORT" --pid "$SERVER_PID" \
    --email "$EMAIL" --password "$PASSWORD" --logins "$LOGINS" --waves "$WAVES" \
    "${STORM_ARGS[@]}" | grep -v '^summary|'
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "login_storm.sh: the server stopped during the run; its log:" >&2
    tail -n 20 "$WORK/server.log" >&2
    exit 1
fi
