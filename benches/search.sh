#!/usr/bin/env bash
# Load benchmark of offer search and availability, with /healthz as the ceiling.
#
#   benches/search.sh            # PostgreSQL on 127.0.0.1:5432 (user postgres)
#   benches/search.sh --sqlite   # the same against a SQLite file
#
# For each data size (10,000 then 1,000,000 landings over 10,000 published offers) it creates a
# fresh database, runs `softlanding migrate` and the generator `gen-data` (benches/data/), starts
# `softlanding serve` on loopback with production settings, and measures every endpoint with
# oha (wrk when oha cannot be installed) from a second process: a warm-up, then a timed run. It
# prints p50, p99 and requests per second per endpoint and size, and how much p50 grew between
# sizes.
#
# Settings (environment variables):
#   BENCH_PG_URL       server to create the database on   postgres://postgres@127.0.0.1:5432
#   BENCH_DB           database name                      softlanding_bench
#   BENCH_PORT         port the service listens on        18080
#   BENCH_OFFERS       published offers                   10000
#   BENCH_LANDINGS     landings, one run per size         "10000 1000000"
#   BENCH_SEED         gen-data seed                      1
#   BENCH_DURATION     measured run per endpoint          12s
#   BENCH_WARMUP       warm-up per endpoint               3s
#   BENCH_CONCURRENCY  concurrent connections             8
#   BENCH_TOOL         oha, or wrk (from Debian)          oha (wrk when oha does not install)
#   BENCH_KEEP=1       keep the last database and the server's data directory
#   CARGO_TARGET_DIR   where the release build, oha and the results go (default: target/)
set -euo pipefail

backend=postgres
for arg in "$@"; do
    case "$arg" in
        --sqlite) backend=sqlite ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "search.sh: unknown argument $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
pg_url=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
db_name=${BENCH_DB:-softlanding_bench}
port=${BENCH_PORT:-18080}
offers=${BENCH_OFFERS:-10000}
sizes=${BENCH_LANDINGS:-10000 1000000}
seed=${BENCH_SEED:-1}
duration=${BENCH_DURATION:-12s}
warmup=${BENCH_WARMUP:-3s}
concurrency=${BENCH_CONCURRENCY:-8}
base=http://127.0.0.1:$port

stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$target/bench-results/search-$backend-$stamp
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
    if [[ "$backend" == postgres ]]; then
        psql -q "$pg_url/postgres" -v ON_ERROR_STOP=1 \
            -c "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" >/dev/null
    else
        rm -f "$work"/bench.db*
    fi
}

cleanup() {
    stop_server
    if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
        drop_database || true
        rm -rf "$work"
    else
        echo "kept: database ${backend} ($db_name or $work/bench.db), data in $work" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------

say "building the release binaries"
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --release --locked --quiet \
    -p softlanding --bin softlanding -p softlanding-bench-data --bin gen-data)
# Copies, so that another build into a shared target directory cannot swap them mid-run.
bin=$work/softlanding
generator=$work/gen-data
cp "$target/release/softlanding" "$bin"
cp "$target/release/gen-data" "$generator"
"$generator" --help >/dev/null

tool=${BENCH_TOOL:-oha}
oha=
if [[ "$tool" == oha ]]; then
    oha=$(command -v oha || true)
    if [[ -z "$oha" && -x "$target/bench-tools/bin/oha" ]]; then
        oha=$target/bench-tools/bin/oha
    fi
    if [[ -z "$oha" ]]; then
        say "installing oha into $target/bench-tools"
        if cargo install oha --locked --quiet --root "$target/bench-tools"; then
            oha=$target/bench-tools/bin/oha
        else
            tool=wrk
        fi
    fi
fi
if [[ "$tool" == wrk ]] && ! command -v wrk >/dev/null; then
    say "installing wrk from Debian"
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
for needed in curl python3; do
    command -v "$needed" >/dev/null || { echo "search.sh needs $needed" >&2; exit 1; }
done
if [[ "$backend" == postgres ]]; then
    command -v psql >/dev/null || { echo "search.sh needs psql for PostgreSQL" >&2; exit 1; }
fi

# --- one data size ----------------------------------------------------------------------

database_url() {
    if [[ "$backend" == postgres ]]; then
        echo "$pg_url/$db_name?sslmode=disable"
    else
        echo "sqlite://$work/bench.db"
    fi
}

fresh_database() {
    drop_database
    if [[ "$backend" == postgres ]]; then
        psql -q "$pg_url/postgres" -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db_name\"" >/dev/null
    fi
}

# The settings every command of the binary runs with.
common_env() {
    echo "SOFTLANDING_CONFIG_DIR=$root/config"
    echo "SOFTLANDING__DATA_DIR=$work/data"
    echo "SOFTLANDING__DATABASE__URL=$(database_url)"
    echo "SOFTLANDING__LOG__LEVEL=warn"
}

# Runs a maintenance command in the development environment: `softlanding migrate`, or the
# generator (`development <binary> <arguments>`).
development() {
    local vars
    mapfile -t vars < <(common_env)
    env "${vars[@]}" SOFTLANDING__ENVIRONMENT=development "$@"
}

# Serves in the production environment; `env` execs the binary, so $! is the server.
start_server() {
    local vars
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
        "$bin" serve >"$results/serve-$1.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do
        if curl -fs "$base/readyz" >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "the server stopped; see $results/serve-$1.log" >&2
            exit 1
        fi
        sleep 0.5
    done
    echo "the server did not become ready; see $results/serve-$1.log" >&2
    exit 1
}

# measure <size> <name> <url file>: warm-up, then the timed run; writes <size>-<name>.json.
measure() {
    local size=$1 name=$2 urls=$3 out=$results/$size-$name
    if [[ "$tool" == oha ]]; then
        "$oha" --no-tui --urls-from-file -w -c "$concurrency" -z "$warmup" \
            --output-format quiet "$urls" >/dev/null
        "$oha" --no-tui --urls-from-file -w -c "$concurrency" -z "$duration" \
            --output-format json "$urls" >"$out.raw.json"
        python3 - "$out.raw.json" "$out.json" <<'PY'
import json, sys
raw = json.load(open(sys.argv[1]))
codes = raw.get("statusCodeDistribution", {})
p = raw["latencyPercentiles"]
json.dump({
    "p50_ms": p["p50"] * 1000, "p99_ms": p["p99"] * 1000,
    "rps": raw["summary"]["requestsPerSec"],
    "ok": sum(n for c, n in codes.items() if c == "200"),
    "not_ok": sum(n for c, n in codes.items() if c != "200")
              + sum(raw.get("errorDistribution", {}).values()),
}, open(sys.argv[2], "w"))
PY
    else
        local lua=$work/urls.lua
        python3 - "$urls" >"$lua" <<'PY'
import sys
from urllib.parse import urlsplit
paths = []
for line in open(sys.argv[1]):
    u = urlsplit(line.strip())
    if u.path:
        paths.append(u.path + ("?" + u.query if u.query else ""))
print("local paths = {" + ",".join(repr(p).replace("'", '"') for p in paths) + "}")
print("local n = 0")
print("request = function() n = n + 1; return wrk.format('GET', paths[(n % #paths) + 1]) end")
print("local bad = 0")
print("response = function(status) if status ~= 200 then bad = bad + 1 end end")
PY
        local first
        first=$(head -n1 "$urls")
        wrk -t2 -c"$concurrency" -d"$warmup" -s "$lua" "$first" >/dev/null
        wrk -t2 -c"$concurrency" -d"$duration" --latency -s "$lua" "$first" >"$out.wrk.txt"
        python3 - "$out.wrk.txt" "$out.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
pct = dict(re.findall(r"^\s+(\d+)%\s+(\S+)", text, re.M))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
total = int(re.search(r"(\d+) requests in", text).group(1))
bad = int(non2xx.group(1)) if non2xx else 0
json.dump({"p50_ms": ms(pct["50"]), "p99_ms": ms(pct["99"]),
           "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
           "ok": total - bad, "not_ok": bad}, open(sys.argv[2], "w"))
PY
    fi
    python3 - "$out.json" "$name" <<'PY' >&2
import json, sys
r = json.load(open(sys.argv[1]))
print(f"   {sys.argv[2]:<22} p50 {r['p50_ms']:8.2f} ms   p99 {r['p99_ms']:8.2f} ms   {r['rps']:9.0f} req/s"
      + (f"   ({r['not_ok']} failed)" if r["not_ok"] else ""))
PY
}

run_size() {
    local size=$1
    say "$backend: $offers offers, $size landings"
    fresh_database
    # The binary must carry this tree's migrations, all of them.
    local applied expected
    applied=$(development "$bin" migrate | sed -n 's/^applied //p' | sort | tr '\n' ' ')
    expected=$(ls "$root/migrations/$backend" | sed 's/_.*//; s/-//g' | sort | tr '\n' ' ')
    if [[ "$applied" != "$expected" ]]; then
        echo "the binary applied [$applied], this tree has [$expected]: not this tree's build?" >&2
        exit 1
    fi
    local started=$SECONDS
    development "$generator" \
        --offers "$offers" --landings "$size" --seed "$seed" | tee "$results/gen-data-$size.txt" >&2
    echo $((SECONDS - started)) >"$results/gen-data-$size.seconds"
    start_server "$size"

    echo "$base/healthz" >"$work/healthz.urls"
    # The search of the issue, then the same range with a country and a word.
    echo "$base/api/v1/offers?from=2027-03-01&to=2027-03-05&headcount=2" >"$work/search.urls"
    echo "$base/api/v1/offers?country=DE&q=investors&from=2027-03-01&to=2027-03-05&headcount=2" \
        >"$work/search-country-q.urls"
    # A month for a group of four: every open day of June must have room.
    echo "$base/api/v1/offers?from=2027-06-01&to=2027-06-30&headcount=4" >"$work/search-month.urls"
    # A year of availability for offers spread over the id order (the same ones at every size).
    curl -fs "$base/api/v1/offers?limit=100" | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
for item in items[::20]:
    print(sys.argv[1] + "/api/v1/offers/" + item["id"] + "/availability?from=2027-01-01&to=2027-12-31")
' "$base" >"$work/availability.urls"

    for name in healthz search search-country-q search-month availability; do
        local check
        check=$(head -n1 "$work/$name.urls")
        curl -fs -o /dev/null "$check" || { echo "GET $check failed" >&2; exit 1; }
        measure "$size" "$name" "$work/$name.urls"
    done
    stop_server
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "results go to $results ($tool, $concurrency connections, $duration per endpoint after $warmup warm-up; load average $load_before on $(nproc) CPUs)"
for size in $sizes; do
    run_size "$size"
done

# --- report ------------------------------------------------------------------------------

python3 - "$results" "$backend" "$offers" "$tool" "$concurrency" "$duration" "$load_before" $sizes <<'PY' | tee "$results/summary.txt"
import json, os, sys, datetime
results, backend, offers, tool, conc, duration, load_before, *sizes = sys.argv[1:]
names = ["healthz", "search", "search-country-q", "search-month", "availability"]
def load(size, name):
    return json.load(open(os.path.join(results, f"{size}-{name}.json")))
print()
print(f"softlanding search benchmark, {datetime.date.today()}: {backend}, {offers} published offers, "
      f"{tool} with {conc} connections for {duration} per endpoint, {os.cpu_count()} CPUs, "
      f"load average {load_before} before")
print()
print(f"| {'endpoint':<18} | {'landings':>9} | {'p50 ms':>8} | {'p99 ms':>8} | {'req/s':>8} | {'failed':>6} |")
print(f"|{'-'*20}|{'-'*11}|{'-'*10}|{'-'*10}|{'-'*10}|{'-'*8}|")
for name in names:
    for size in sizes:
        r = load(size, name)
        print(f"| {name:<18} | {int(size):>9} | {r['p50_ms']:>8.2f} | {r['p99_ms']:>8.2f} | {r['rps']:>8.0f} | {r['not_ok']:>6} |")
for size in sizes:
    seconds = open(os.path.join(results, f"gen-data-{size}.seconds")).read().strip()
    print(f"gen-data with {size} landings: {seconds} s")
if len(sizes) >= 2:
    first, last = sizes[0], sizes[-1]
    growth = ", ".join(
        f"{n} {load(last, n)['p50_ms'] / load(first, n)['p50_ms']:.2f}x"
        for n in names[1:])
    print(f"p50 growth from {first} to {last} landings: {growth}")
PY
