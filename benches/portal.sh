#!/usr/bin/env bash
# The portal's pages under load, on SQLite and on PostgreSQL: requests per second and latency
# of each page an SME sees, then of each page of the host cluster's manager with 500 requests
# pending approval (filled through the API first, untimed), with 8 concurrent clients against a
# release `softlanding serve` on the demo network; each page's weight with its assets, and
# whether any page refers to another origin. See benches/portal.rs for what is requested and
# checked.
#
#   benches/portal.sh                      # both backends
#   BACKENDS=postgres benches/portal.sh    # one of them
#
# Settings (environment):
#   PG_ADMIN_URL   a PostgreSQL server where a database may be created and dropped
#                  (default postgres://postgres@127.0.0.1:5432/postgres)
#   PORT           where the server listens (default: a free loopback port)
#   PORTAL_ARGS    extra flags for the benchmark, e.g. "--requests 5000 --clients 16",
#                  "--pending 1000", or "--only /manage" (see `portal --help`)
#   KEEP_DB=1      keep the PostgreSQL database afterwards (it is named in the output)
#   SERVER_EXTRA_ENV  extra server settings, e.g. "SOFTLANDING__DATABASE__POOL_SIZE=4"
#   SETTLE=0       on PostgreSQL, skip the VACUUM ANALYZE the run does before the pages and after
#                  filling the queue (what autovacuum does on a live server; the CI machine's
#                  PostgreSQL runs with autovacuum off, and without statistics or a visibility
#                  map the manager's counts and lists cost several times as much)
#
# It fails when a page answers anything but 200 HTML (or /manage without every pending
# request), weighs over 150 KB with its assets, or refers to another origin, or when the queue
# cannot be filled; the latency target (p99 at most 10 ms for every page, 20 ms for /manage with
# its queue full) is reported, not enforced.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BACKENDS=${BACKENDS:-sqlite postgres}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}

WORK=$(mktemp -d -t softlanding-portal.XXXXXX)
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
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A loopback port nothing listens on: PORT when set, else one the kernel hands out.
free_port() {
    if [[ -n "${PORT:-}" ]]; then
        echo "$PORT"
    elif command -v python3 >/dev/null; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    else
        local p
        for _ in $(seq 50); do
            p=$((20000 + RANDOM % 40000))
            if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
                echo "$p"
                return
            fi
        done
        echo "portal.sh: found no free port; set PORT" >&2
        exit 1
    fi
}

echo "== building (release)"
# The server and the benchmark, once, in release. Another checkout of softlanding that shares
# the target directory builds the same artifacts under the same names, so the runs use copies
# taken right after the build.
executables() {
    grep -o '"executable":"[^"]*"' | cut -d'"' -f4
}
BUILT_SERVER=$(cargo build --release -p softlanding --bin softlanding \
    --message-format=json-render-diagnostics | executables | grep '/softlanding$' || true)
BUILT_BENCH=$(cargo bench --no-run -p softlanding --bench portal \
    --message-format=json-render-diagnostics | executables | grep '/portal-[^/]*$' || true)
if [[ ! -x "$BUILT_SERVER" || ! -x "$BUILT_BENCH" ]]; then
    echo "portal.sh: the build produced no server or benchmark" >&2
    exit 1
fi
mkdir -p "$WORK/bin"
SERVER="$WORK/bin/softlanding"
BENCH="$WORK/bin/portal"
cp "$BUILT_SERVER" "$SERVER"
cp "$BUILT_BENCH" "$BENCH"

# Development (seed-demo refuses production), mail as files, warnings only. Sets SERVER_ENV.
server_env() {
    local url=$1 data=$2 port=$3
    SERVER_ENV=(
        -u RUST_LOG
        SOFTLANDING_CONFIG_DIR="$ROOT/config"
        SOFTLANDING__ENVIRONMENT=development
        SOFTLANDING__DATA_DIR="$data"
        SOFTLANDING__SERVER__HOST=127.0.0.1
        SOFTLANDING__SERVER__PORT="$port"
        SOFTLANDING__SERVER__PUBLIC_URL="http://127.0.0.1:$port"
        SOFTLANDING__DATABASE__URL="$url"
        SOFTLANDING__AUTH__JWT_SECRET="portal-benchmark-secret-0123456789abcdef"
        SOFTLANDING__MAIL__TRANSPORT=file
        SOFTLANDING__LOG__LEVEL=warn
    )
    # SERVER_EXTRA_ENV="K=V ..." adds or overrides settings.
    if [[ -n "${SERVER_EXTRA_ENV:-}" ]]; then
        local extra
        read -ra extra <<<"$SERVER_EXTRA_ENV"
        SERVER_ENV+=("${extra[@]}")
    fi
}

TABLES=()
STATUS=()
LOADS=()

run_backend() {
    local backend=$1 url data port
    data="$WORK/$backend"
    mkdir -p "$data"
    case "$backend" in
    postgres)
        PG_DB="softlanding_portal_$$"
        psql "$PG_ADMIN_URL" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
        # Loopback needs no TLS; libpq would otherwise negotiate it on every connection.
        url="${PG_ADMIN_URL%/*}/$PG_DB?sslmode=disable"
        ;;
    sqlite)
        url="sqlite://$data/softlanding.db"
        ;;
    *)
        echo "portal.sh: unknown backend $backend" >&2
        exit 1
        ;;
    esac
    port=$(free_port)
    echo
    echo "== $backend: seed-demo, serve on 127.0.0.1:$port, request every page (the manager's with a full queue)"
    if [[ "$backend" == postgres ]]; then
        echo "   database $PG_DB"
    fi
    # A server already on the port (another run) would answer the benchmark in place of ours.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "portal.sh: something already listens on 127.0.0.1:$port; set PORT" >&2
        exit 1
    fi
    server_env "$url" "$data" "$port"
    env "${SERVER_ENV[@]}" "$SERVER" seed-demo >"$data/seed.out" 2>&1 || {
        echo "portal.sh: seed-demo failed:" >&2
        cat "$data/seed.out" >&2
        exit 1
    }
    # `env` execs the server, so this pid is the server's.
    env "${SERVER_ENV[@]}" "$SERVER" serve >"$data/server.log" 2>&1 &
    SERVER_PID=$!

    local out="$data/portal.out" status=0 load
    load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
    echo "   load average before the run: $load"
    local settle=()
    if [[ "$backend" == postgres && "${SETTLE:-1}" != 0 ]]; then
        settle=(--settle "$url")
    fi
    # shellcheck disable=SC2086 # PORTAL_ARGS is a list of flags
    "$BENCH" --base-url "http://127.0.0.1:$port" --label "$backend" --server-pid "$SERVER_PID" \
        "${settle[@]}" ${PORTAL_ARGS:-} |
        tee "$out" | grep -v '^md|' || status=$?
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "portal.sh: the server stopped during the run; its log:" >&2
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
    LOADS+=("$load")
    TABLES+=("$(grep '^md|' "$out" | cut -c4- || true)")
    STATUS+=("$([[ $status -eq 0 ]] && echo passed || echo FAILED)")
    return "$status"
}

failed=0
names=()
for backend in $BACKENDS; do
    names+=("$backend")
    run_backend "$backend" || failed=1
done

echo
echo "== portal pages, $(date -u +%Y-%m-%d), $(nproc) cores, ${SECONDS} s in all"
for i in "${!names[@]}"; do
    case "${names[$i]}" in
    sqlite) title=SQLite ;;
    postgres)
        title=PostgreSQL
        [[ "${SETTLE:-1}" != 0 ]] && title+=", vacuumed and analysed as autovacuum would"
        ;;
    *) title=${names[$i]} ;;
    esac
    echo
    echo "#### $title (checks ${STATUS[$i]}; load average before the run ${LOADS[$i]})"
    echo
    if [[ -n "${TABLES[$i]}" ]]; then
        echo "${TABLES[$i]}"
    else
        echo "(no figures: the run stopped before the table)"
    fi
done
exit "$failed"
