#!/usr/bin/env bash
# Webhook deliveries: 10,000 offer.published events fanned out to 10 local receivers (one
# cluster and one endpoint each, registered through the API) = 100,000 signed deliveries,
# written while the server is stopped, then drained by a release `softlanding serve`. Two runs
# per backend, each on a fresh database: every receiver answers 204 (`drain`), and the same with
# receiver 0 accepting connections and never answering (`hang`). See benches/webhooks.rs for
# what is checked. Approvals with webhooks subscribed: APPROVALS_ARGS=--webhooks
# benches/approvals.sh.
#
#   benches/webhooks.sh                       # PostgreSQL, both runs
#   RUNS=drain benches/webhooks.sh            # one of them
#   BACKENDS="postgres sqlite" benches/webhooks.sh
#
# Settings (environment):
#   PG_ADMIN_URL   a PostgreSQL server where a database may be created and dropped
#                  (default postgres://postgres@127.0.0.1:5432/postgres)
#   PORT           where the server listens (default 18182, loopback)
#   WEBHOOKS_ARGS  extra flags for the benchmark, e.g. "--events 2000 --receivers 4"
#   KEEP_DB=1      keep the PostgreSQL databases afterwards (they are named in the output)
#   SERVER_EXTRA_ENV  extra server settings, e.g. "SOFTLANDING__WEBHOOKS__CONCURRENCY=128
#                  SOFTLANDING__LOG__LEVEL=debug"
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BACKENDS=${BACKENDS:-postgres}
RUNS=${RUNS:-drain hang}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${PORT:-18182}

LOAD_BEFORE=$(uptime | sed 's/.*load average: //')
WORK=$(mktemp -d -t softlanding-webhooks.XXXXXX)
PG_DB=""

drop_pg_db() {
    if [[ -n "$PG_DB" && -z "${KEEP_DB:-}" ]]; then
        psql "$PG_ADMIN_URL" -qX -v ON_ERROR_STOP=1 \
            -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null || true
    fi
    PG_DB=""
}

cleanup() {
    # The benchmark stops the server it started, on every exit of its own.
    drop_pg_db
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building (release)"
# The approvals benchmark's release profile: one build of the server serves both benchmarks.
# Another checkout sharing the target directory builds the same names, so the run uses copies.
BUILD=(cargo build --config 'profile.approvals.inherits="release"' --profile approvals
    -p softlanding --bin softlanding --bench webhooks --message-format=json-render-diagnostics)
ARTIFACTS=$("${BUILD[@]}" | grep -o '"executable":"[^"]*"' | cut -d'"' -f4)
BUILT_SERVER=$(grep '/softlanding$' <<<"$ARTIFACTS" || true)
BUILT_BENCH=$(grep '/webhooks-[^/]*$' <<<"$ARTIFACTS" || true)
if [[ ! -x "$BUILT_SERVER" || ! -x "$BUILT_BENCH" ]]; then
    echo "webhooks.sh: the build produced no server or benchmark" >&2
    exit 1
fi
mkdir -p "$WORK/bin"
SERVER="$WORK/bin/softlanding"
BENCH="$WORK/bin/webhooks"
cp "$BUILT_SERVER" "$SERVER"
cp "$BUILT_BENCH" "$BENCH"

# The service's production settings, except the file mail transport and loopback targets
# (the environment stays `development`, where private targets are allowed) and a fixed JWT
# secret. Sets SERVER_ENV.
server_env() {
    local url=$1 data=$2
    SERVER_ENV=(
        -u RUST_LOG
        SOFTLANDING_CONFIG_DIR="$ROOT/config"
        SOFTLANDING__ENVIRONMENT=development
        SOFTLANDING__DATA_DIR="$data"
        SOFTLANDING__SERVER__HOST=127.0.0.1
        SOFTLANDING__SERVER__PORT="$PORT"
        SOFTLANDING__SERVER__PUBLIC_URL="http://127.0.0.1:$PORT"
        SOFTLANDING__DATABASE__URL="$url"
        SOFTLANDING__AUTH__JWT_SECRET="webhooks-benchmark-secret-0123456789abcdef"
        SOFTLANDING__MAIL__TRANSPORT=file
        SOFTLANDING__WEBHOOKS__ALLOW_PRIVATE_TARGETS=true
        SOFTLANDING__LOG__LEVEL=warn
        SOFTLANDING__LOG__JSON=true
    )
    if [[ -n "${SERVER_EXTRA_ENV:-}" ]]; then
        local extra
        read -ra extra <<<"$SERVER_EXTRA_ENV"
        SERVER_ENV+=("${extra[@]}")
    fi
}

SUMMARY=()

run_one() {
    local backend=$1 run=$2 url data hang
    data="$WORK/$backend-$run"
    mkdir -p "$data"
    case "$run" in
    drain) hang=0 ;;
    hang) hang=1 ;;
    *)
        echo "webhooks.sh: unknown run $run (drain or hang)" >&2
        exit 1
        ;;
    esac
    case "$backend" in
    postgres)
        PG_DB="softlanding_webhooks_$$_$run"
        psql "$PG_ADMIN_URL" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
        url="${PG_ADMIN_URL%/*}/$PG_DB?sslmode=disable"
        ;;
    sqlite)
        url="sqlite://$data/softlanding.db"
        ;;
    *)
        echo "webhooks.sh: unknown backend $backend" >&2
        exit 1
        ;;
    esac
    echo
    echo "== $backend, $run: migrate, register, enqueue, serve and drain"
    if [[ "$backend" == postgres ]]; then
        echo "   database $PG_DB"
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "webhooks.sh: something already listens on 127.0.0.1:$PORT; set PORT" >&2
        exit 1
    fi
    server_env "$url" "$data"
    env "${SERVER_ENV[@]}" "$SERVER" migrate >/dev/null

    local out="$data/bench.out" status=0
    # The benchmark starts and stops the server itself, with this environment.
    # shellcheck disable=SC2086 # WEBHOOKS_ARGS is a list of flags
    env "${SERVER_ENV[@]}" "$BENCH" --database-url "$url" --base-url "http://127.0.0.1:$PORT" \
        --server "$SERVER" --server-log "$data/server.log" --label "$backend" --hang "$hang" \
        ${WEBHOOKS_ARGS:-} | tee "$out" || status=$?
    if [[ -s "$data/server.log" ]]; then
        echo "   server log: $(wc -l <"$data/server.log") lines at warn and above, first:"
        head -n 3 "$data/server.log" | cut -c1-300 | sed 's/^/   /'
    fi
    if [[ "$backend" == postgres ]]; then
        drop_pg_db
    fi
    SUMMARY+=("$(grep '^summary|' "$out" || echo "summary|$backend|$run|-|-|-|-|-|-|-|-|-|-|-|FAILED")")
    return "$status"
}

failed=0
for backend in $BACKENDS; do
    for run in $RUNS; do
        run_one "$backend" "$run" || failed=1
    done
done

echo
echo "== webhook deliveries, $(date -u +%Y-%m-%d), $(nproc) cores, load average before the build: $LOAD_BEFORE"
{
    echo "backend|receivers|events|answering|delivered|drain s|deliveries/s|per receiver/s|min|max|attempt p50 ms|p99 ms|faults|check"
    for line in "${SUMMARY[@]}"; do
        echo "${line#summary|}"
    done
} | column -t -s '|'

# Each answering receiver's rate with one receiver hanging, against the run where all answer.
for backend in $BACKENDS; do
    drain=$(printf '%s\n' "${SUMMARY[@]}" | awk -F'|' -v b="$backend" '$2==b && $3=="all answer" {print $9}')
    hang=$(printf '%s\n' "${SUMMARY[@]}" | awk -F'|' -v b="$backend" '$2==b && $3 ~ /hang/ {print $9}')
    if [[ -n "$drain" && -n "$hang" && "$drain" != "-" && "$hang" != "-" ]]; then
        awk -v b="$backend" -v d="$drain" -v h="$hang" 'BEGIN {
            printf "%s: each answering receiver %.0f deliveries/s with one hanging, %.0f with none: %+.1f%%\n",
                b, h, d, 100 * (h - d) / d }'
    fi
done
exit "$failed"
