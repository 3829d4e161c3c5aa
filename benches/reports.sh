#!/usr/bin/env bash
# Reports and matches at scale, on PostgreSQL: a year's reciprocity report for the admin, a
# year's summary (the admin's and one manager's), and one SME's matches, against a release
# `softlanding serve` over 10,000 published offers and 1,000,000 landings.
#
#   benches/reports.sh
#
# It creates a fresh database, runs `softlanding migrate` and the generator `gen-data`
# (benches/data/: 40 clusters, their partnerships, SMEs, offers and landings in mixed states
# from 2026-09 to 2027-12), starts the server on loopback with production settings (but the
# outbox worker paused: at start the sweep queues some 22,000 reminder emails for the landings
# about to begin, and with no SMTP relay here the worker's failing attempts would run alongside
# the measured requests), logs in as
# the generated coordinator, a cluster manager and an SME member, and times each request from
# one client, one request at a time (a report is one person's click, not a load): a few
# warm-up requests, then BENCH_REQUESTS timed ones. It prints p50, p99 and the mean per
# endpoint, and checks each answer's status.
#
# Settings (environment variables):
#   BENCH_PG_URL       server to create the database on   postgres://postgres@127.0.0.1:5432
#   BENCH_DB           database name                      softlanding_reports_bench
#   BENCH_PORT         port the service listens on        18082
#   BENCH_OFFERS       published offers                   10000
#   BENCH_LANDINGS     landings                           1000000
#   BENCH_SEED         gen-data seed                      1
#   BENCH_REQUESTS     timed requests per endpoint        60
#   BENCH_WARMUP       warm-up requests per endpoint      5
#   BENCH_KEEP=1       keep the database and the server's data directory
#   BENCH_REUSE=1      measure the kept database again (no drop, migrate or gen-data)
#   CARGO_TARGET_DIR   where the release build and the results go (default: target/)
set -euo pipefail

case "${1:-}" in
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    "") ;;
    *)
        echo "reports.sh: unknown argument $1 (try --help)" >&2
        exit 2
        ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
pg_url=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
db_name=${BENCH_DB:-softlanding_reports_bench}
port=${BENCH_PORT:-18082}
offers=${BENCH_OFFERS:-10000}
landings=${BENCH_LANDINGS:-1000000}
seed=${BENCH_SEED:-1}
requests=${BENCH_REQUESTS:-60}
warmup=${BENCH_WARMUP:-5}
base=http://127.0.0.1:$port
password=softlanding-bench

stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$target/bench-results/reports-$stamp
work=$(mktemp -d)
mkdir -p "$results"
server_pid=

say() { printf '\n== %s\n' "$*" >&2; }

stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
}

drop_database() {
    psql -q "$pg_url/postgres" -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" >/dev/null
}

cleanup() {
    stop_server
    if [[ "${BENCH_KEEP:-0}" != 1 && "${BENCH_REUSE:-0}" != 1 ]]; then
        drop_database || true
        rm -rf "$work"
    else
        echo "kept: database $db_name" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for needed in curl python3 psql; do
    command -v "$needed" >/dev/null || { echo "reports.sh needs $needed" >&2; exit 1; }
done

say "building the release binaries"
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --release --locked --quiet \
    -p softlanding --bin softlanding -p softlanding-bench-data --bin gen-data)
# Copies, so that another build into a shared target directory cannot swap them mid-run.
bin=$work/softlanding
generator=$work/gen-data
cp "$target/release/softlanding" "$bin"
cp "$target/release/gen-data" "$generator"

common_env() {
    echo "SOFTLANDING_CONFIG_DIR=$root/config"
    echo "SOFTLANDING__DATA_DIR=$work/data"
    echo "SOFTLANDING__DATABASE__URL=$pg_url/$db_name?sslmode=disable"
    echo "SOFTLANDING__LOG__LEVEL=warn"
}

development() {
    local vars
    mapfile -t vars < <(common_env)
    env "${vars[@]}" SOFTLANDING__ENVIRONMENT=development "$@"
}

if [[ "${BENCH_REUSE:-0}" != 1 ]]; then
    say "PostgreSQL: $offers offers, $landings landings"
    drop_database
    psql -q "$pg_url/postgres" -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db_name\"" >/dev/null
    development "$bin" migrate >/dev/null
    started=$SECONDS
    development "$generator" --offers "$offers" --landings "$landings" --seed "$seed" \
        | tee "$results/gen-data.txt" >&2
    echo "gen-data: $((SECONDS - started)) s" >&2
else
    say "PostgreSQL: measuring the kept database $db_name again"
    development "$bin" migrate >/dev/null
fi
# What autovacuum would do on a live server after the load: statistics and the visibility map.
psql -q "$pg_url/$db_name" -v ON_ERROR_STOP=1 -c "VACUUM ANALYZE" >/dev/null

mapfile -t vars < <(common_env)
env "${vars[@]}" \
    SOFTLANDING__ENVIRONMENT=production \
    SOFTLANDING__SERVER__HOST=127.0.0.1 \
    SOFTLANDING__SERVER__PORT="$port" \
    SOFTLANDING__SERVER__PUBLIC_URL="$base" \
    SOFTLANDING__AUTH__JWT_SECRET="bench-$(date +%s%N)-0123456789abcdef0123456789" \
    SOFTLANDING__MAIL__TRANSPORT=smtp \
    SOFTLANDING__MAIL__SMTP__HOST=127.0.0.1 \
    SOFTLANDING__MAIL__SMTP__PORT=2525 \
    SOFTLANDING__MAIL__SMTP__TLS=none \
    SOFTLANDING__WORKER__POLL_INTERVAL_MS=3600000 \
    "$bin" serve >"$results/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
    curl -fs "$base/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped; see $results/serve.log" >&2; exit 1; }
    sleep 0.5
done

token() {
    curl -fs "$base/api/v1/auth/token" -d grant_type=password \
        --data-urlencode "username=$1" --data-urlencode "password=$password" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
admin=$(token coordinator@bench.example)
manager=$(token manager00@clusters.bench.example)
member=$(token sme00000@smes.bench.example)
sme=$(curl -fs -H "Authorization: Bearer $member" "$base/api/v1/me" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["sme_id"])')

# measure <name> <token> <path> [accept]: warm-up, then the timed requests one at a time.
measure() {
    local name=$1 bearer=$2 path=$3 accept=${4:-application/json}
    local out=$results/$name.times
    : >"$out"
    local i code
    for i in $(seq 1 $((warmup + requests))); do
        read -r code seconds < <(curl -s -o "$results/$name.body" -w '%{http_code} %{time_total}\n' \
            -H "Authorization: Bearer $bearer" -H "Accept: $accept" "$base$path")
        [[ "$code" == 200 ]] || { echo "GET $path answered $code: $(head -c 300 "$results/$name.body")" >&2; exit 1; }
        ((i > warmup)) && echo "$seconds" >>"$out"
    done
    python3 - "$out" "$name" <<'PY' | tee -a "$results/summary.txt"
import statistics, sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]))
def pct(p):
    # nearest rank
    return t[min(len(t) - 1, max(0, round(p * len(t) + 0.5) - 1))]
print(f"| {sys.argv[2]:<28} | {pct(0.5):>8.1f} | {pct(0.99):>8.1f} | {statistics.mean(t):>8.1f} | {len(t):>5} |")
PY
}

year="from=2027-01-01&to=2027-12-31"
{
    echo
    echo "softlanding reports benchmark, $(date -u +%F): PostgreSQL, $offers offers, $landings landings,"
    echo "one client, $requests sequential requests per endpoint after $warmup warm-up, $(nproc) CPUs,"
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg) before"
    echo
    echo "| endpoint                     |   p50 ms |   p99 ms |  mean ms |     n |"
    echo "|------------------------------|----------|----------|----------|-------|"
} | tee "$results/summary.txt"
measure reciprocity-admin-year "$admin" "/api/v1/reports/reciprocity?$year"
measure reciprocity-admin-csv "$admin" "/api/v1/reports/reciprocity?$year" text/csv
measure reciprocity-manager-year "$manager" "/api/v1/reports/reciprocity?$year"
measure summary-admin-year "$admin" "/api/v1/reports/summary?$year"
measure summary-manager-year "$manager" "/api/v1/reports/summary?$year"
measure matches-sme "$member" "/api/v1/smes/$sme/matches"
measure matches-sme-window "$member" "/api/v1/smes/$sme/matches?from=2027-03-01&to=2027-05-31&limit=50"
python3 - "$results" <<'PY' >&2
import json, sys
rows = json.load(open(sys.argv[1] + "/reciprocity-admin-year.body"))["items"]
s = json.load(open(sys.argv[1] + "/summary-admin-year.body"))
print(f"\nthe year: {len(rows)} partnerships, {sum(r['landings_a_to_b'] + r['landings_b_to_a'] for r in rows)} used landings, "
      f"{s['landings']} landings in all, approval rate {s['approval_rate']}, "
      f"decision p50 {s['time_to_decision']['median_seconds']} s")
PY
echo "results: $results" >&2
