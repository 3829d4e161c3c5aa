#!/usr/bin/env bash
# Approvals under load, on PostgreSQL and on SQLite: approvals per second and latency with 32
# concurrent clients against a release `softlanding serve`, then a check that no offer day was
# overbooked. See benches/approvals.rs for what is prepared and checked.
#
#   benches/approvals.sh                      # both backends
#   BACKENDS=postgres benches/approvals.sh    # one of them
#
# Settings (environment):
#   PG_ADMIN_URL   a PostgreSQL server where a database may be created and dropped
#                  (default postgres://postgres@127.0.0.1:5432/postgres)
#   PORT           where the server listens (default 18181, loopback)
#   PG_POOL_SIZE   the server's pool on PostgreSQL (default: the service's own, 2 per core + 2)
#   SQLITE_POOL_SIZE                      ... on SQLite (default: the service's own, 8)
#   APPROVALS_ARGS extra flags for the generator, e.g. "--landings 5000 --clients 64", or
#                  "--webhooks": local receivers subscribed to landing.* for the host and the
#                  partner clusters, every delivery checked after the run
#   KEEP_DB=1      keep the PostgreSQL database afterwards (it is named in the output)
#   SERVER_BIN     run this softlanding binary as the server instead of the one just built (an
#                  older build, say, to compare two builds alternately on the same machine)
#   SERVER_EXTRA_ENV  extra server settings, e.g. "SOFTLANDING__WORKER__POLL_INTERVAL_MS=60000"
#   MAIL_ROOT      where the file mail transport writes (default: a directory in /dev/shm when
#                  it exists, else beside the databases). The transport stands in for the SMTP
#                  relay and writes one file per email, some 60,000 a run: on a disk file system
#                  creating them costs the server as much CPU as a tenth of the approvals, and
#                  more on each run after the previous run deleted its files.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BACKENDS=${BACKENDS:-postgres sqlite}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${PORT:-18181}
PG_POOL_SIZE=${PG_POOL_SIZE:-}
SQLITE_POOL_SIZE=${SQLITE_POOL_SIZE:-}
CLIENTS=32

WORK=$(mktemp -d -t softlanding-approvals.XXXXXX)
if [[ -z "${MAIL_ROOT:-}" && -d /dev/shm && -w /dev/shm ]]; then
    MAIL=$(mktemp -d -p /dev/shm softlanding-approvals-mail.XXXXXX)
else
    MAIL=$(mktemp -d -p "${MAIL_ROOT:-$WORK}" mail.XXXXXX)
fi
SERVER_PID=""
PG_DB=""

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

drop_pg_db() {
    if [[ -n "$PG_DB" && -z "${KEEP_DB:-}" ]]; then
        psql "$PG_ADMIN_URL" -qX -v ON_ERROR_STOP=1 \
            -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null || true
    fi
    PG_DB=""
}

cleanup() {
    stop_server
    drop_pg_db
    rm -rf "$WORK" "$MAIL"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building (release)"
# One build for the server and the generator, with the release settings under a profile of its
# own, so an ordinary `cargo build --release` in the same target directory does not replace
# them. Another checkout of softlanding that shares the target directory builds the same
# artifacts under the same names, though, so the run uses copies taken right after the build.
BUILD=(cargo build --config 'profile.approvals.inherits="release"' --profile approvals
    -p softlanding --bin softlanding --bench approvals --message-format=json-render-diagnostics)
ARTIFACTS=$("${BUILD[@]}" | grep -o '"executable":"[^"]*"' | cut -d'"' -f4)
BUILT_SERVER=$(grep '/softlanding$' <<<"$ARTIFACTS" || true)
BUILT_GENERATOR=$(grep '/approvals-[^/]*$' <<<"$ARTIFACTS" || true)
if [[ ! -x "$BUILT_SERVER" || ! -x "$BUILT_GENERATOR" ]]; then
    echo "approvals.sh: the build produced no server or generator" >&2
    exit 1
fi
mkdir -p "$WORK/bin"
SERVER="$WORK/bin/softlanding"
GENERATOR="$WORK/bin/approvals"
cp "${SERVER_BIN:-$BUILT_SERVER}" "$SERVER"
cp "$BUILT_GENERATOR" "$GENERATOR"

# The service's production settings, except the file mail transport (production refuses it,
# so the environment stays `development`) and a fixed JWT secret. Sets SERVER_ENV.
server_env() {
    local url=$1 pool=$2 data=$3
    SERVER_ENV=(
        -u RUST_LOG
        SOFTLANDING_CONFIG_DIR="$ROOT/config"
        SOFTLANDING__ENVIRONMENT=development
        SOFTLANDING__DATA_DIR="$MAIL/$(basename "$data")"
        SOFTLANDING__SERVER__HOST=127.0.0.1
        SOFTLANDING__SERVER__PORT="$PORT"
        SOFTLANDING__SERVER__PUBLIC_URL="http://127.0.0.1:$PORT"
        SOFTLANDING__DATABASE__URL="$url"
        SOFTLANDING__AUTH__JWT_SECRET="approvals-benchmark-secret-0123456789abcdef"
        SOFTLANDING__MAIL__TRANSPORT=file
        SOFTLANDING__LOG__LEVEL=warn
        SOFTLANDING__LOG__JSON=true
    )
    if [[ -n "$pool" ]]; then
        SERVER_ENV+=(SOFTLANDING__DATABASE__POOL_SIZE="$pool")
    fi
    # SERVER_EXTRA_ENV="K=V ..." adds or overrides settings, e.g. the pool or the worker's pace.
    if [[ -n "${SERVER_EXTRA_ENV:-}" ]]; then
        local extra
        read -ra extra <<<"$SERVER_EXTRA_ENV"
        SERVER_ENV+=("${extra[@]}")
    fi
}

SUMMARY=()

run_backend() {
    local backend=$1 url pool data
    data="$WORK/$backend"
    mkdir -p "$data"
    case "$backend" in
    postgres)
        PG_DB="softlanding_approvals_$$"
        psql "$PG_ADMIN_URL" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
        # Loopback needs no TLS; libpq would otherwise negotiate it on every connection.
        url="${PG_ADMIN_URL%/*}/$PG_DB?sslmode=disable"
        pool=$PG_POOL_SIZE
        ;;
    sqlite)
        url="sqlite://$data/softlanding.db"
        pool=$SQLITE_POOL_SIZE
        ;;
    *)
        echo "approvals.sh: unknown backend $backend" >&2
        exit 1
        ;;
    esac
    echo
    echo "== $backend: migrate, serve (pool ${pool:-as the service defaults}), approve"
    if [[ "$backend" == postgres ]]; then
        echo "   database $PG_DB"
    fi
    # A server already on the port (another run) would answer the generator in place of ours.
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "approvals.sh: something already listens on 127.0.0.1:$PORT; set PORT" >&2
        exit 1
    fi
    server_env "$url" "$pool" "$data"
    env "${SERVER_ENV[@]}" "$SERVER" migrate >/dev/null
    # `env` execs the server, so this pid is the server's.
    env "${SERVER_ENV[@]}" "$SERVER" serve >"$data/server.log" 2>&1 &
    SERVER_PID=$!

    local out="$data/generator.out" status=0
    # shellcheck disable=SC2086 # APPROVALS_ARGS is a list of flags
    "$GENERATOR" --database-url "$url" --base-url "http://127.0.0.1:$PORT" \
        --label "$backend" --clients "$CLIENTS" --server-pid "$SERVER_PID" ${APPROVALS_ARGS:-} |
        tee "$out" || status=$?
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "approvals.sh: the server stopped during the run; its log:" >&2
        tail -n 20 "$data/server.log" >&2
        status=1
    fi
    stop_server
    if [[ -s "$data/server.log" ]]; then
        echo "   server warnings: $(wc -l <"$data/server.log") lines, first:"
        head -n 3 "$data/server.log" | sed 's/^/   /'
    fi
    if [[ "$backend" == postgres ]]; then
        drop_pg_db
    fi
    SUMMARY+=("$(grep '^summary|' "$out" || echo "summary|$backend|$CLIENTS|-|-|-|-|-|-|-|-|-|FAILED|-|-|-|-")")
    return "$status"
}

failed=0
for backend in $BACKENDS; do
    run_backend "$backend" || failed=1
done

echo
echo "== approvals, $CLIENTS concurrent clients, $(date -u +%Y-%m-%d), $(nproc) cores"
{
    echo "backend|clients|approvals/s|requests/s|200|409|other|p50 ms|p95 ms|p99 ms|max ms|overbooking|webhooks|server CPU ms|PostgreSQL CPU ms|stolen %"
    for line in "${SUMMARY[@]}"; do
        echo "${line#summary|}"
    done
} | column -t -s '|'
exit "$failed"
