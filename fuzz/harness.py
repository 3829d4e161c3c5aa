#!/usr/bin/env python3
"""Helpers for fuzz/run.sh (stdlib only): tokens, seeding ids, the schemathesis config, the summary.

Only ever talks to the base URL it is given, which run.sh sets to http://127.0.0.1:PORT.
"""

import base64
import datetime as dt
import glob
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

DEMO_PASSWORD = "softlanding-demo"


def call(base, method, path, token=None, json_body=None, form=None):
    assert base.startswith("http://127.0.0.1:"), base
    headers = {}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        body = e.read()
        status = e.code
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = body.decode(errors="replace")
    return status, parsed


def parse_seed(seed_file):
    """Reads `softlanding seed-demo` output: the accounts and what each one is."""
    accounts = []
    for line in open(seed_file, encoding="utf-8"):
        m = re.match(r"^\s+(\S+@\S+)\s+(.+?)\s*$", line)
        if m:
            accounts.append((m.group(1), m.group(2)))
    manager = next(e for e, what in accounts if what.startswith("cluster manager"))
    member = next(e for e, what in accounts if what.startswith("member of"))
    return {"manager": manager, "sme_member": member}


def password_token(base, username, password):
    status, body = call(
        base,
        "POST",
        "/api/v1/auth/token",
        form={"grant_type": "password", "username": username, "password": password},
    )
    if status != 200:
        raise SystemExit(f"token for {username}: HTTP {status} {body}")
    return body["access_token"]


def role_token(base, role, state):
    if role == "anonymous":
        return ""
    if role == "admin":
        return password_token(base, state["admin_email"], state["admin_password"])
    if role in ("manager", "sme_member"):
        return password_token(base, state["logins"][role], DEMO_PASSWORD)
    if role == "api_client":
        # A fresh client for every run: the manager's fuzzing may revoke earlier ones.
        manager = password_token(base, state["logins"]["manager"], DEMO_PASSWORD)
        status, body = call(
            base,
            "POST",
            f"/api/v1/clusters/{state['manager_cluster_id']}/api-clients",
            token=manager,
            json_body={"name": "fuzz portal"},
        )
        if status != 201:
            raise SystemExit(f"creating an API client: HTTP {status} {body}")
        status, tok = call(
            base,
            "POST",
            "/api/v1/auth/token",
            form={
                "grant_type": "client_credentials",
                "client_id": body["client_id"],
                "client_secret": body["client_secret"],
            },
        )
        if status != 200:
            raise SystemExit(f"client_credentials grant: HTTP {status} {tok}")
        return tok["access_token"]
    raise SystemExit(f"unknown role {role}")


def items(base, path, token):
    status, body = call(base, "GET", path + ("&" if "?" in path else "?") + "limit=100", token=token)
    if status != 200 or not isinstance(body, dict):
        return []
    return body.get("items") or []


def try_landings(base, member_token, offers, sme_home_cluster):
    """Requests a few landings as the SME member so landing operations have real ids."""
    made = []
    today = dt.date.today()
    for offer in offers:
        if offer.get("cluster_id") == sme_home_cluster or offer.get("state") != "published":
            continue
        for start_in in (14, 21, 28, 35):
            start = today + dt.timedelta(days=start_in)
            body = {
                "offer_id": offer["id"],
                "start_date": start.isoformat(),
                "end_date": (start + dt.timedelta(days=1)).isoformat(),
                "headcount": 1,
                "purpose": "Meet potential distribution partners in the region.",
                "requested_services": [offer.get("kind", "desk_space")],
            }
            status, resp = call(base, "POST", "/api/v1/landings", token=member_token, json_body=body)
            if status == 201:
                made.append(resp["id"])
                break
        if len(made) >= 4:
            break
    return made


def setup(base, seed_file, admin_email, admin_password, out_dir):
    logins = parse_seed(seed_file)
    state = {"logins": logins, "admin_email": admin_email, "admin_password": admin_password}
    admin = role_token(base, "admin", state)
    manager = role_token(base, "manager", state)
    member = role_token(base, "sme_member", state)
    _, me = call(base, "GET", "/api/v1/me", token=manager)
    state["manager_cluster_id"] = me["cluster_id"]
    _, me_member = call(base, "GET", "/api/v1/me", token=member)
    sme_id = me_member.get("sme_id")

    clusters = [c["id"] for c in items(base, "/api/v1/clusters", admin)]
    offers_full = items(base, "/api/v1/offers", admin)
    offers = [o["id"] for o in offers_full]
    smes_full = items(base, "/api/v1/smes", admin)
    smes = [s["id"] for s in smes_full]
    home = next((s["home_cluster_id"] for s in smes_full if s["id"] == sme_id), None)
    made = try_landings(base, member, offers_full, home)
    landings = [x["id"] for x in items(base, "/api/v1/landings", admin)] or made
    partnerships = [p["id"] for p in items(base, "/api/v1/partnerships", admin)]
    managers, members, blackouts, outbox = [], [], [], []
    for c in clusters:
        managers += [m.get("id") or m.get("user_id") for m in items(base, f"/api/v1/clusters/{c}/managers", admin)]
    for s in smes:
        members += [m.get("id") or m.get("user_id") for m in items(base, f"/api/v1/smes/{s}/members", admin)]
    # One blackout on a manager's offer, so blackout deletion has a real id.
    for o in offers_full:
        if o.get("cluster_id") == state["manager_cluster_id"]:
            day = (dt.date.today() + dt.timedelta(days=60)).isoformat()
            call(base, "POST", f"/api/v1/offers/{o['id']}/blackouts", token=manager,
                 json_body={"start_date": day, "end_date": day, "reason": "fuzz"})
    for o in offers:
        blackouts += [b["id"] for b in items(base, f"/api/v1/offers/{o}/blackouts", admin)]
    outbox = [x["id"] for x in items(base, "/api/v1/admin/outbox", admin)]
    # A spare API client whose client_id the fuzzer may use (and revoke).
    status, spare = call(base, "POST", f"/api/v1/clusters/{state['manager_cluster_id']}/api-clients",
                         token=manager, json_body={"name": "spare"})
    api_clients = [spare["client_id"]] if status == 201 else []

    ids = {
        "clusters": clusters,
        "offers": offers,
        "smes": smes,
        "landings": landings,
        "partnerships": partnerships,
        "managers": [m for m in managers if m],
        "members": [m for m in members if m],
        "blackouts": blackouts,
        "outbox": outbox,
        "api_clients": api_clients,
    }
    state["ids"] = ids
    with open(os.path.join(out_dir, "state.json"), "w") as f:
        json.dump(state, f, indent=1)
    write_config(ids, os.path.join(out_dir, "schemathesis.toml"))
    print("seeded ids: " + ", ".join(f"{k}={len(v)}" for k, v in ids.items()))


def toml_str(s):
    return json.dumps(s)


def write_config(ids, path):
    """Known ids go into path parameters half of the time, per resource (`{id}` differs by path)."""
    lines = []
    lines.append("[dictionaries]")
    for name, values in ids.items():
        values = values or ["00000000-0000-0000-0000-000000000000"]
        lines.append(f"{name} = {{ values = [{', '.join(toml_str(v) for v in values)}] }}")
    today = dt.date.today()
    dates = [
        (today + dt.timedelta(days=14)).isoformat(), (today + dt.timedelta(days=15)).isoformat(),
        today.isoformat(), (today - dt.timedelta(days=1)).isoformat(),
        "+262142-12-31", "-262143-01-01", "-4713-01-01", "-0001-12-31", "0000-01-01",
        "+10000-01-01", "9999-12-31", "1970-01-01", "2028-02-29", "2027-02-29", " 2027-06-01 ",
    ]
    lines.append(f"dates = {{ values = [{', '.join(toml_str(v) for v in dates)}] }}")
    lines.append("")
    # Known ids and edge dates in the plain-string fields that name them (the schema has no format).
    lines.append("[parameters]")
    known = {
        "query.from": "dates", "query.to": "dates",
        "body.start_date": "dates", "body.end_date": "dates",
        "body.available_from": "dates", "body.available_until": "dates",
        "body.offer_id": "offers", "body.home_cluster_id": "clusters",
        "body.partner_cluster_id": "clusters",
        "query.cluster_id": "clusters", "query.offer_id": "offers", "query.sme_id": "smes",
        "query.home_cluster_id": "clusters", "query.host_cluster_id": "clusters",
    }
    for key, dictionary in known.items():
        lines.append(f'"{key}" = {{ dictionary = "{dictionary}", probability = 0.4 }}')
    lines.append("")
    bindings = [
        (r"^/api/v1/clusters/\{id\}", {"id": "clusters"}),
        (r"^/api/v1/clusters/\{id\}/managers/\{user_id\}$", {"id": "clusters", "user_id": "managers"}),
        (r"^/api/v1/clusters/\{id\}/api-clients/\{client_id\}$", {"id": "clusters", "client_id": "api_clients"}),
        (r"^/api/v1/offers/\{id\}", {"id": "offers"}),
        (r"^/api/v1/offers/\{id\}/blackouts/\{bid\}$", {"id": "offers", "bid": "blackouts"}),
        (r"^/api/v1/landings/\{id\}", {"id": "landings"}),
        (r"^/api/v1/partnerships/\{id\}", {"id": "partnerships"}),
        (r"^/api/v1/smes/\{id\}", {"id": "smes"}),
        (r"^/api/v1/smes/\{id\}/members/\{member_id\}$", {"id": "smes", "member_id": "members"}),
        (r"^/api/v1/admin/outbox/\{id\}", {"id": "outbox"}),
    ]
    # An operation takes the most specific binding: exclude the longer patterns from the shorter.
    for regex, params in bindings:
        lines.append("[[operations]]")
        lines.append(f"include-path-regex = {toml_str(regex)}")
        more_specific = [r for r, p in bindings if r != regex and r.startswith(regex.rstrip('$'))
                         and len(p) > len(params)]
        if more_specific:
            lines.append(f"exclude-path-regex = {toml_str('|'.join(more_specific))}")
        inner = ", ".join(f'"path.{k}" = {{ dictionary = "{v}", probability = 0.6 }}' for k, v in params.items())
        lines.append(f"parameters = {{ {inner} }}")
        lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


def b64(v):
    if isinstance(v, dict) and "$base64" in v:
        return base64.b64decode(v["$base64"]).decode(errors="replace")
    return v


def shell_quote(s):
    return "'" + s.replace("'", "'\"'\"'") + "'"


def curl_for(req, role):
    parts = ["curl", "-sS", "-X", req["method"]]
    for name, values in (req.get("headers") or {}).items():
        if name.lower() in ("user-agent", "x-schemathesis-testcaseid", "accept-encoding", "connection",
                            "accept", "content-length"):
            continue
        for v in values:
            if name.lower() == "authorization" and role != "anonymous":
                v = "Bearer $TOKEN"
            parts += ["-H", shell_quote(f"{name}: {v}")]
    body = b64(req.get("body")) if req.get("body") is not None else None
    if body is not None:
        parts += ["--data-binary", shell_quote(body)]
    parts.append(shell_quote(req["uri"]))
    return " ".join(parts)


def failures_from_ndjson(path, role):
    """Every recorded interaction that answered 5xx (or failed at the network level)."""
    found = []
    tested = set()
    for line in open(path, encoding="utf-8"):
        if '"ScenarioFinished"' not in line[:40]:
            continue
        ev = json.loads(line)["ScenarioFinished"]
        rec = ev.get("recorder") or {}
        label = rec.get("label", "")
        if rec.get("interactions"):
            tested.add(label.split(" -> ")[0] if " -> " not in label else label)
        for case_id, inter in (rec.get("interactions") or {}).items():
            resp = inter.get("response")
            req = inter["request"]
            if resp is None:
                found.append({"label": label, "status": "no response", "request": req, "request_id": None,
                              "response": None, "phase": ev.get("phase")})
                continue
            if resp["status_code"] >= 500:
                rid = (resp.get("headers") or {}).get("x-request-id", [None])[0]
                found.append({
                    "label": label, "status": resp["status_code"], "request": req, "request_id": rid,
                    "response": b64(resp.get("content")), "phase": ev.get("phase"),
                })
    return found, tested


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def log_lines_for(log_path, request_id):
    if not request_id or not os.path.exists(log_path):
        return []
    out = []
    for line in open(log_path, encoding="utf-8", errors="replace"):
        if request_id in line and "request finished" not in line:
            out.append(ANSI.sub("", line.rstrip()))
    return out


def summarize(work_dir, roles):
    log_path = os.path.join(work_dir, "server.log")
    total_5xx = 0
    report = {}
    print("=" * 78)
    print(f"SUMMARY  (work dir: {work_dir})")
    for role in roles:
        files = sorted(glob.glob(os.path.join(work_dir, "reports", role, "ndjson-*.ndjson")))
        jfiles = sorted(glob.glob(os.path.join(work_dir, "reports", role, "json-*.json")))
        ops_tested = "?"
        generated = "?"
        if jfiles:
            j = json.load(open(jfiles[-1]))
            ops_tested = f"{j['operations']['tested']}/{j['operations']['selected']}"
            generated = j["test_cases"]["generated"]
            if j.get("errors"):
                generated = f"{generated} (schemathesis errors: {j['errors']})"
        fails = []
        for f in files:
            fs, _ = failures_from_ndjson(f, role)
            fails += fs
        # One line per distinct (operation, status); keep the smallest request as the example.
        distinct = {}
        for x in fails:
            key = (x["request"]["method"], x["label"], x["status"])
            size = len(json.dumps(x["request"].get("body") or ""))
            if key not in distinct or size < distinct[key][0]:
                distinct[key] = (size, x, distinct.get(key, (0, None, 0))[2] + 1)
            else:
                distinct[key] = (distinct[key][0], distinct[key][1], distinct[key][2] + 1)
        report[role] = [
            {"operation": k[1], "status": k[2], "count": v[2], "request": v[1]["request"],
             "body": b64(v[1]["request"].get("body")), "response": v[1]["response"],
             "request_id": v[1]["request_id"], "log": log_lines_for(log_path, v[1]["request_id"])}
            for k, v in distinct.items()
        ]
        total_5xx += len(fails)
        print("-" * 78)
        print(f"role {role}: operations tested {ops_tested}, test cases {generated}, "
              f"5xx answers {len(fails)} ({len(distinct)} distinct operation/status)")
        for entry in report[role]:
            req = entry["request"]
            print(f"  * {entry['status']} {entry['operation']}  (x{entry['count']})")
            print(f"    request: {req['method']} {req['uri']}")
            if entry["body"] is not None:
                print(f"    body: {str(entry['body'])[:600]}")
            if entry["response"]:
                print(f"    response: {str(entry['response'])[:300]}")
            print(f"    curl: {curl_for(req, role)}")
            for line in entry["log"][:3]:
                print(f"    log: {line[:600]}")
    # The server's own view: every 5xx it answered, and any panic.
    statuses = {}
    panics = []
    errors = []
    if os.path.exists(log_path):
        lines = [ANSI.sub("", x.rstrip()) for x in open(log_path, encoding="utf-8", errors="replace")]
        for i, line in enumerate(lines):
            m = re.search(r"request finished status=(5\d\d) route=(\S+).*method=(\S+)", line)
            if m:
                key = f"{m.group(3)} {m.group(2)} -> {m.group(1)}"
                statuses[key] = statuses.get(key, 0) + 1
            if "panicked at" in line:
                message = lines[i + 1] if i + 1 < len(lines) else ""
                panics.append(re.sub(r"\(\d+\)", "", line) + " " + message)
            elif " ERROR " in line:
                errors.append(line)
    print("-" * 78)
    print("server log: 5xx answers by route: " + (json.dumps(statuses, indent=1) if statuses else "none"))
    distinct_errors = {}
    for e in errors:
        msg = re.sub(r"^\S+\s+ERROR\s+", "", e)
        msg = re.sub(r"request_id=\S+", "request_id=…", msg)
        msg = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", msg)
        distinct_errors[msg[:400]] = distinct_errors.get(msg[:400], 0) + 1
    print(f"server log: ERROR lines {len(errors)}, distinct:")
    for msg, n in sorted(distinct_errors.items(), key=lambda kv: -kv[1]):
        print(f"  x{n}: {msg}")
    print(f"server log: panics {len(panics)}, distinct:")
    for p in sorted(set(panics)):
        print(f"  x{panics.count(p)}: {p[:600]}")
    with open(os.path.join(work_dir, "summary.json"), "w") as f:
        json.dump({"roles": report, "log_5xx": statuses, "log_errors": distinct_errors, "panics": panics},
                  f, indent=1, default=str)
    crashed = os.path.exists(os.path.join(work_dir, "crashes.txt"))
    if crashed:
        print("server process died during the run: see crashes.txt")
    print("=" * 78)
    bad = total_5xx > 0 or bool(statuses) or bool(panics) or crashed
    print("RESULT: " + ("5xx/panic FOUND" if bad else "no 5xx"))
    return 1 if bad else 0


def main():
    cmd = sys.argv[1]
    if cmd == "setup":
        base, seed_file, email, pw, out_dir = sys.argv[2:7]
        setup(base, seed_file, email, pw, out_dir)
    elif cmd == "token":
        base, role, state_file = sys.argv[2:5]
        print(role_token(base, role, json.load(open(state_file))))
    elif cmd == "summarize":
        work_dir = sys.argv[2]
        sys.exit(summarize(work_dir, sys.argv[3].split(",")))
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
