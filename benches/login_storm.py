"""A storm of concurrent password logins against a running softlanding, with plain reads timed
meanwhile and the server's resident memory sampled from /proc. Python 3.11 standard library
only; `benches/login_storm.sh` builds and starts the server and runs this.

It talks only to 127.0.0.1, opens one connection per login, and stops by itself: every request
has a timeout and the storm is a fixed number of waves.

What it prints, one `name value` a line, then a `summary|` line for the script:
  baseline read p50/p99   GET /api/v1/clusters alone, before the storm
  storm read p50/p99      the same request, one after another, while the logins run
  rss_start / rss_peak    VmRSS before the storm, highest VmRSS sampled during it
  rss_after / hwm         VmRSS after it, and the kernel's high-water mark VmHWM
  logins by status        how many logins were answered 200, 400, 429, 503 and anything else
"""

import argparse
import asyncio
import statistics
import time
import urllib.parse

HOST = "127.0.0.1"


def read_status(pid: int) -> dict:
    """VmRSS and VmHWM of the process, in KiB, and its thread count."""
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                out[key] = int(value.split()[0])
    return out


async def request(port: int, raw: bytes, timeout: float) -> tuple[int, bytes]:
    """Sends one request on a fresh connection; answers the status and the body."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
    try:
        writer.write(raw)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


def login_request(port: int, email: str, password: str, forwarded: str | None) -> bytes:
    body = urllib.parse.urlencode(
        {"grant_type": "password", "username": email, "password": password}
    ).encode()
    headers = [
        "POST /api/v1/auth/token HTTP/1.1",
        f"Host: {HOST}:{port}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
        "Connection: close",
    ]
    if forwarded:
        headers.append(f"X-Forwarded-For: {forwarded}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


def watch(port: int, pid: int, conn) -> None:
    """In a process of its own, so the storm's event loop does not delay it: times plain reads
    (GET /api/v1/clusters on a kept-alive connection, one after another) and samples the
    server's VmRSS, first alone, then until told to stop; sends back what it measured."""
    import http.client

    client = http.client.HTTPConnection(HOST, port, timeout=30)

    def one() -> float:
        start = time.perf_counter()
        client.request("GET", "/api/v1/clusters")
        response = client.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"a read answered {response.status}")
        return elapsed

    baseline = [one() for _ in range(300)]
    rss_start = read_status(pid)["VmRSS"]
    conn.send("ready")
    reads, peak, threads, last_sample = [], rss_start, 0, 0.0
    deadline = time.monotonic() + 600
    while not conn.poll() and time.monotonic() < deadline:
        reads.append(one())
        now = time.monotonic()
        if now - last_sample >= 0.01:
            status = read_status(pid)
            peak = max(peak, status["VmRSS"])
            threads = max(threads, status["Threads"])
            last_sample = now
        time.sleep(0.002)
    peak = max(peak, read_status(pid)["VmRSS"])
    client.close()
    conn.send((baseline, reads, rss_start, peak, threads))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--logins", type=int, default=512, help="logins per wave, all at once")
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--right-every", type=int, default=4,
                        help="one login in this many has the right password")
    parser.add_argument("--spread", action="store_true",
                        help="each login names its own client in X-Forwarded-For "
                             "(the server must trust 127.0.0.1 as a proxy)")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    import multiprocessing

    here, there = multiprocessing.Pipe()
    watcher = multiprocessing.Process(target=watch, args=(args.port, args.pid, there))
    watcher.start()
    if not here.poll(120) or here.recv() != "ready":
        watcher.kill()
        raise SystemExit("the reads did not start")

    statuses: dict[int, int] = {}

    async def login(i: int):
        right = i % args.right_every == 0
        password = args.password if right else f"not the password {i}"
        forwarded = None
        if args.spread:
            # Loopback-range values: only header text, never an address contacted.
            forwarded = f"127.{1 + i // 65536 % 250}.{i // 256 % 256}.{i % 256}"
        try:
            status, _ = await request(
                args.port, login_request(args.port, args.email, password, forwarded), args.timeout
            )
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            status = 0
        statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    for wave in range(args.waves):
        offset = wave * args.logins
        await asyncio.gather(*(login(offset + i) for i in range(args.logins)))
    storm_secs = time.perf_counter() - started
    here.send("stop")
    if not here.poll(60):
        watcher.kill()
        raise SystemExit("the reads did not stop")
    baseline, storm_reads, rss_start, peak, threads = here.recv()
    watcher.join(10)
    time.sleep(0.5)
    after = read_status(args.pid)

    other = sum(n for s, n in statuses.items() if s not in (200, 400, 429, 503))
    print(f"storm                {args.waves} waves of {args.logins} concurrent logins "
          f"in {storm_secs:.2f} s ({'many client addresses' if args.spread else 'one address'})")
    print(f"baseline read        p50 {percentile(baseline, 50):.2f} ms  "
          f"p99 {percentile(baseline, 99):.2f} ms  ({len(baseline)} reads)")
    print(f"read during storm    p50 {percentile(storm_reads, 50):.2f} ms  "
          f"p99 {percentile(storm_reads, 99):.2f} ms  max {max(storm_reads, default=0):.2f} ms  "
          f"({len(storm_reads)} reads)")
    print(f"resident memory      start {rss_start / 1024:.1f} MiB  peak {peak / 1024:.1f} MiB  "
          f"after {after['VmRSS'] / 1024:.1f} MiB  VmHWM {after['VmHWM'] / 1024:.1f} MiB")
    print(f"server threads       at most {threads} sampled ({after['Threads']} after)")
    print("logins               " + "  ".join(
        f"{s}: {statuses.get(s, 0)}" for s in (200, 400, 429, 503)) + f"  other: {other}")
    print("summary|" + "|".join(str(x) for x in (
        f"{peak / 1024:.1f}", f"{after['VmHWM'] / 1024:.1f}",
        f"{percentile(storm_reads, 50):.2f}", f"{percentile(storm_reads, 99):.2f}",
        statuses.get(200, 0), statuses.get(400, 0), statuses.get(429, 0),
        statuses.get(503, 0), other,
    )))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
