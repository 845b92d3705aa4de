"""Load model: push against 60-s polling over one event script, on the local stack. Prints figures,
asserts nothing; the extrapolation to 1.9 million users is arithmetic on the measured figures.

  .venv/bin/python bench/load_model.py [--users 40] [--window-minutes 30] [--scale 10] [--boost 2]

1. A local stack (IAM enforced, each function its own process); two agencies onboarded from a
   generated settings file with --users people each (a director, a saraban officer, an admin, sections
   of a head and staff): `load-push` for the push run, `load-poll` for the polling run. Every simulated
   user is a real user of the pool with a token of their own (no shared identities).
2. The morning peak, compressed: --window-minutes simulated minutes run in window / --scale wall
   minutes. Each run replays the same event script (same seed):
   - incoming letters: the saraban officer registers one and endorses it to the director; the director
     endorses it to a section head; the head assigns it to one of the section's staff; the staff member
     reports it done;
   - memos: a staff member drafts one, routes it (review by the head, review by the director, the
     director signs) and sends it on; the head forwards it; the director returns it to the author.
   Steps follow each other 1-5 simulated minutes apart; steps falling after the window are dropped.
   Rates: --letters and --memos per 1,000 users per 8-hour day, x --peak-factor for the morning peak,
   x --boost (default 2) so that a short run has enough changes to time; figures are printed as
   measured (boosted) and re-modelled at the unboosted rate (fixed part + event part / boost).
3. (a) push: each user holds a WebSocket (token as subprotocol), pings every 5 simulated minutes, and
   reconnects after 2 simulated hours of connection (connection ages spread evenly at the start, as in
   a steady state), reading the inbox after each reconnect and after each inbox message.
   (b) polling: each user GETs /v1/inbox every 60 simulated seconds (60 / --scale wall seconds), at an
   evenly spread phase. Both read /v1/inbox?limit=100; neither reads notifications.
   Before each window every user connects (push) and reads the inbox once: not counted (steady state);
   that read calibrates the read units of one inbox read.
4. Counted during the window: HTTP requests at the client, by purpose; at the backend
   (devstack/backend.py, `/_devstack/meter`): DynamoDB requests by operation, read units computed from
   the items moto reads, approximate write units, non-empty stream and queue batches (one Lambda
   invocation each), posts to connections; WebSocket handler invocations at the client (connect,
   ping, disconnect: one Lambda invocation each, as the gateway makes them). The time from a change
   (the action's HTTP answer) to the concerned user seeing it (an inbox read that lists the document),
   p50/p99, for items opened for someone.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions"), str(ROOT / "bench")]

SUBPROTOCOL = "eoffice.v1"
DIRECTOR = "ผู้อำนวยการสำนักงานทดสอบภาระงาน"
DAY_MINUTES = 8 * 60
PING_MINUTES = 5
CONNECTION_MINUTES = 120


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


# -- the agency ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Agency:
    id: str
    director: str
    saraban: str
    sections: list[tuple[str, str, list[str]]]  # (unit id, head username, staff usernames)
    subs: dict[str, str] = field(default_factory=dict)

    def head_position(self, unit: str) -> str:
        return f"ผู้อำนวยการกลุ่มงาน {unit}"


def agency_settings(folder: Path, agency_id: str, users: int) -> tuple[Path, Agency]:
    import yaml

    example = yaml.safe_load((ROOT / "examples" / "agency.yaml").read_text(encoding="utf-8"))
    (folder / "emblem-sample.svg").write_bytes((ROOT / "examples" / "emblem-sample.svg").read_bytes())
    prefix = agency_id.replace("-", "")
    sections = max(1, (users - 3) // 8)
    units = [{"id": "office", "name": "สำนักงานผู้อำนวยการ", "code": "นร 9901"}]
    units.append({"id": "saraban", "name": "งานสารบรรณ", "code": "นร 9901.1", "parent": "office"})
    people = [
        {
            "username": f"{prefix}.director",
            "title": "นาย",
            "name": "ผู้อำนวยการ ทดสอบ",
            "position": DIRECTOR,
            "units": ["office"],
            "roles": ["director"],
            "clearance": "secret",
            "signer": True,
        },
        {
            "username": f"{prefix}.saraban",
            "title": "นาง",
            "name": "สารบรรณ ทดสอบ",
            "position": "เจ้าพนักงานธุรการ",
            "units": ["saraban"],
            "roles": ["saraban"],
        },
        {
            "username": f"{prefix}.admin",
            "title": "นาย",
            "name": "ผู้ดูแล ทดสอบ",
            "position": "นักวิชาการคอมพิวเตอร์",
            "units": ["office"],
            "roles": ["admin"],
        },
    ]
    plan: list[tuple[str, str, list[str]]] = []
    staff_total = users - 3 - sections
    for k in range(sections):
        unit = f"sec{k + 1}"
        units.append({"id": unit, "name": f"กลุ่มงานที่ {k + 1}", "code": f"นร 9901.{k + 2}", "parent": "office"})
        head = f"{prefix}.head{k + 1}"
        people.append(
            {
                "username": head,
                "title": "นางสาว",
                "name": f"หัวหน้า ที่{k + 1}",
                "position": f"ผู้อำนวยการกลุ่มงาน {unit}",
                "units": [unit],
                "roles": ["head", "staff"],
                "signer": True,
            }
        )
        staff = [
            f"{prefix}.s{k + 1}x{j + 1}"
            for j in range(staff_total // sections + (k < staff_total % sections))
        ]
        for name in staff:
            people.append(
                {
                    "username": name,
                    "title": "นาย",
                    "name": f"เจ้าหน้าที่ {name.rsplit('.', 1)[-1]}",
                    "position": "นักวิชาการ",
                    "units": [unit],
                    "roles": ["staff"],
                }
            )
        plan.append((unit, head, staff))
    data = {
        **{k: v for k, v in example.items() if k not in ("ecms", "people", "units", "letterhead", "signing")},
        "id": agency_id,
        "units": units,
        "people": people,
        "letterhead": {**example["letterhead"], "units": []},
        "signing": {"key_spec": "RSA_3072", "expiry_warning_days": 60},
    }
    data["tags"] = {**example.get("tags", {}), "cost-centre": agency_id}
    path = folder / f"{agency_id}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path, Agency(agency_id, f"{prefix}.director", f"{prefix}.saraban", plan)


def onboard_agency(port: int, folder: Path, agency_id: str, users: int) -> Agency:
    from onboard_bench import target

    from onboarding.apply import onboard
    from onboarding.settings import load

    path, agency = agency_settings(folder, agency_id, users)
    where = target(port)
    from chalicelib.kernel import ddb

    ddb.bind()
    done = onboard(load(path), path.parent, where)
    return Agency(agency.id, agency.director, agency.saraban, agency.sections, dict(done.users))


def tokens(port: int, usernames: list[str]) -> dict[str, str]:
    from devstack.demo import DEMO_PASSWORD
    from devstack.stack import operator_session, read_state

    state = read_state(port)
    client = operator_session(state).client("cognito-idp", endpoint_url=state.backend_url)
    found = {}
    for username in usernames:
        answer = client.admin_initiate_auth(
            UserPoolId=state.user_pool_id,
            ClientId=state.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": DEMO_PASSWORD},
        )
        found[username] = str(answer["AuthenticationResult"]["IdToken"])
    return found


# -- one run -------------------------------------------------------------------------------------------
class Tally:
    """What the clients did and saw, under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counting = False
        self.http: Counter[str] = Counter()
        self.ws: Counter[str] = Counter()
        self.pending: dict[str, list[tuple[str, float]]] = defaultdict(list)  # user -> (document, since)
        self.latencies: list[float] = []
        self.fetch_ms: list[float] = []

    def count(self, kind: str, what: str, n: int = 1) -> None:
        with self.lock:
            if self.counting:
                (self.http if kind == "http" else self.ws)[what] += n

    def changed(self, user: str, document_id: str) -> None:
        with self.lock:
            self.pending[user].append((document_id, time.monotonic()))

    def seen(self, user: str, documents: set[str], at: float) -> None:
        with self.lock:
            waiting = self.pending.get(user, [])
            keep = []
            for document_id, since in waiting:
                if document_id in documents:
                    self.latencies.append(at - since)
                else:
                    keep.append((document_id, since))
            self.pending[user] = keep


class User:
    def __init__(self, url: str, username: str, bearer: str, tally: Tally) -> None:
        import requests

        self.url, self.username, self.bearer, self.tally = url, username, bearer, tally
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {bearer}"

    def call(self, method: str, path: str, expect: int = 200, *, purpose: str = "action", **kw: Any) -> Any:
        self.tally.count("http", purpose)
        answer = self.session.request(method, f"{self.url}{path}", timeout=120, **kw)
        if answer.status_code != expect:
            raise RuntimeError(f"{self.username} {method} {path}: {answer.status_code} {answer.text[:300]}")
        return answer.json()

    def read_inbox(self, purpose: str) -> None:
        started = time.monotonic()
        page = self.call("GET", "/v1/inbox", purpose=purpose, params={"limit": "100"})
        done = time.monotonic()
        with self.tally.lock:
            if self.tally.counting:
                self.tally.fetch_ms.append((done - started) * 1000)
        self.tally.seen(self.username, {item["document_id"] for item in page["items"]}, done)


def polling_loop(user: User, interval: float, stop: threading.Event, rng: random.Random) -> None:
    stop.wait(rng.uniform(0, interval))
    while not stop.is_set():
        began = time.monotonic()
        user.read_inbox("poll")
        stop.wait(max(0.0, interval - (time.monotonic() - began)))


def push_loop(
    user: User, ws_url: str, scale: float, stop: threading.Event, ready: threading.Barrier, rng: random.Random
) -> None:
    from websockets.sync.client import ClientConnection, connect

    def opened() -> ClientConnection:
        return connect(ws_url, subprotocols=[SUBPROTOCOL, user.bearer], open_timeout=60)  # type: ignore[list-item]

    ping_every = PING_MINUTES * 60 / scale
    lifetime = CONNECTION_MINUTES * 60 / scale
    connection = opened()
    user.read_inbox("start")
    now = time.monotonic()
    next_ping = now + rng.uniform(0, ping_every)
    reconnect_at = now + rng.uniform(0, lifetime)  # connections of every age, as in a steady state
    ready.wait()
    try:
        while not stop.is_set():
            now = time.monotonic()
            if now >= reconnect_at:
                connection.close()
                user.tally.count("ws", "disconnect")
                connection = opened()
                user.tally.count("ws", "connect")
                reconnect_at = time.monotonic() + lifetime
                user.read_inbox("after reconnect")
                continue
            if now >= next_ping:
                connection.send(json.dumps({"action": "ping"}))
                user.tally.count("ws", "ping")
                next_ping += ping_every
                continue
            try:
                text = connection.recv(timeout=max(0.01, min(next_ping, reconnect_at, now + 0.5) - now))
            except TimeoutError:
                continue
            messages = [json.loads(text)]
            while True:  # what arrived meanwhile is read by the same inbox read
                try:
                    messages.append(json.loads(connection.recv(timeout=0)))
                except TimeoutError:
                    break
            user.tally.count("ws", "message received", len(messages))
            if any(m.get("type") == "inbox" for m in messages):
                user.read_inbox("on push")
    finally:
        connection.close()


@dataclass
class Step:
    actor: str
    run: Callable[[dict[str, Any]], None]


def script(agency: Agency, args: argparse.Namespace, rng: random.Random) -> list[tuple[float, list[Step]]]:
    """(start in simulated minutes, steps) for each letter and memo of the window; the same for both
    runs (the seed), only the agency differs."""
    per_minute = args.users / 1000 / DAY_MINUTES * args.peak_factor * args.boost
    chains: list[tuple[float, list[Step]]] = []
    d = agency

    def letter(unit: str, head: str, staff: str, n: int) -> list[Step]:
        def register(c: dict[str, Any]) -> None:
            saraban = c["users"][d.saraban]
            entry = saraban.call(
                "POST",
                "/v1/registers/incoming/entries",
                201,
                json={
                    "document": {
                        "kind": "external",
                        "subject": f"ขอความร่วมมือสำรวจข้อมูล {n}",
                        "reference": f"ที่ ทด 0001/{n + 1}",
                        "letter_date": "2026-11-20",
                        "sender": {"position": "ปลัดกระทรวงทดสอบ"},
                    }
                },
            )
            c["doc"] = entry["document_id"]
            saraban.call(
                "POST",
                f"/v1/documents/{c['doc']}/endorsements",
                201,
                json={"note": "เสนอเพื่อโปรดพิจารณา", "addressed_to": {"position": DIRECTOR}},
            )
            c["change"](d.director, c["doc"])

        def endorse(c: dict[str, Any]) -> None:
            c["users"][d.director].call(
                "POST",
                f"/v1/documents/{c['doc']}/endorsements",
                201,
                json={"decision": "act", "addressed_to": {"position": d.head_position(unit)}},
            )
            c["change"](head, c["doc"])

        def assign(c: dict[str, Any]) -> None:
            handling = c["users"][head].call(
                "POST", f"/v1/documents/{c['doc']}/assignments", 201, json={"user_id": d.subs[staff]}
            )
            c["assignment"] = handling["assignments"][-1]["id"]
            c["change"](staff, c["doc"])

        def done(c: dict[str, Any]) -> None:
            c["users"][staff].call(
                "POST", f"/v1/documents/{c['doc']}/assignments/{c['assignment']}", json={"state": "done"}
            )

        return [Step(d.saraban, register), Step(d.director, endorse), Step(head, assign), Step(staff, done)]

    def memo(unit: str, head: str, author: str, n: int) -> list[Step]:
        def draft(c: dict[str, Any]) -> None:
            writer = c["users"][author]
            c["doc"] = writer.call(
                "POST",
                "/v1/documents",
                201,
                json={
                    "kind": "internal",
                    "subject": f"ขออนุมัติจัดประชุม ครั้งที่ {n}",
                    "recipient": {"position": DIRECTOR},
                    "body": "ด้วยกลุ่มงานจะจัดประชุม\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
                    "owner_unit_id": unit,
                },
            )["id"]
            plan = {
                "reviews": [
                    {"kind": "review", "assignee": {"user_id": d.subs[head]}},
                    {"kind": "review", "assignee": {"position": DIRECTOR}},
                ],
                "signers": [{"position": DIRECTOR}],
            }
            writer.call("POST", f"/v1/documents/{c['doc']}/route", 201, json={"plan": plan})
            writer.call("POST", f"/v1/documents/{c['doc']}/route/actions", json={"action": "forward"})
            c["change"](head, c["doc"])

        def forward(c: dict[str, Any]) -> None:
            c["users"][head].call(
                "POST", f"/v1/documents/{c['doc']}/route/actions", json={"action": "forward"}
            )
            c["change"](d.director, c["doc"])

        def back(c: dict[str, Any]) -> None:
            c["users"][d.director].call(
                "POST",
                f"/v1/documents/{c['doc']}/route/actions",
                json={"action": "return", "to_step": 0, "comment": "ขอให้แก้ไขวันที่"},
            )
            c["change"](author, c["doc"])

        return [Step(author, draft), Step(head, forward), Step(d.director, back)]

    for kind, per_day in (("letter", args.letters), ("memo", args.memos)):
        expected = per_day * per_minute * args.window_minutes
        count = int(expected) + (rng.random() < expected - int(expected))
        for n in range(count):
            unit, head, staff = rng.choice(agency.sections)
            person = rng.choice(staff)
            number = n + (0 if kind == "letter" else 10_000)
            steps = (
                letter(unit, head, person, number) if kind == "letter" else memo(unit, head, person, number)
            )
            chains.append((rng.uniform(0, args.window_minutes), steps))
    return sorted(chains, key=lambda c: c[0])


def drive(
    chains: list[tuple[float, list[Step]]],
    users: dict[str, User],
    tally: Tally,
    start: float,
    args: argparse.Namespace,
    rng: random.Random,
    errors: list[str],
) -> int:
    """Run the steps at their times (wall = start + simulated minutes * 60 / scale); how many ran."""
    end = start + args.window_minutes * 60 / args.scale
    queue: list[tuple[float, int, int, dict[str, Any], list[Step]]] = []
    for n, (at, steps) in enumerate(chains):
        context: dict[str, Any] = {"users": users, "change": tally.changed}
        heapq.heappush(queue, (start + at * 60 / args.scale, n, 0, context, steps))
    ran = 0
    while queue:
        at, n, index, context, steps = heapq.heappop(queue)
        if at >= end:
            continue
        time.sleep(max(0.0, at - time.monotonic()))
        try:
            steps[index].run(context)
        except Exception as error:  # the chain stops; the run goes on and the error is reported
            errors.append(str(error)[:300])
            continue
        ran += 1
        if index + 1 < len(steps):
            delay = rng.uniform(1, 5) * 60 / args.scale
            heapq.heappush(queue, (max(at, time.monotonic()) + delay, n, index + 1, context, steps))
    return ran


def meter(backend_url: str) -> Counter[str]:
    import requests

    return Counter(requests.get(f"{backend_url}/_devstack/meter", timeout=60).json())


def run(mode: str, agency: Agency, bearers: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    from devstack.stack import read_state

    state = read_state(args.port)
    tally = Tally()
    users = {name: User(state.api_url, name, bearers[name], tally) for name in agency.subs}
    stop = threading.Event()
    rng = random.Random(args.seed)
    threads: list[threading.Thread] = []
    before_calibration = meter(state.backend_url)
    if mode == "push":
        ready = threading.Barrier(len(users) + 1)
        for n, user in enumerate(users.values()):
            threads.append(
                threading.Thread(
                    target=push_loop,
                    args=(user, state.websocket_url, args.scale, stop, ready, random.Random(args.seed + n)),
                    daemon=True,
                )
            )
            threads[-1].start()
        ready.wait(timeout=600)
        calibration_reads = len(users)
    else:
        for user in users.values():
            user.read_inbox("start")
        calibration_reads = len(users)
    calibrated = meter(state.backend_url) - before_calibration
    per_read = calibrated["dynamodb.read_units"] / calibration_reads
    if mode == "poll":
        interval = args.poll_seconds / args.scale
        for n, user in enumerate(users.values()):
            threads.append(
                threading.Thread(
                    target=polling_loop,
                    args=(user, interval, stop, random.Random(args.seed + n)),
                    daemon=True,
                )
            )
            threads[-1].start()
    chains = script(agency, args, random.Random(args.seed))
    errors: list[str] = []
    start = time.monotonic()
    with tally.lock:
        tally.counting = True
    before = meter(state.backend_url)
    ran = drive(chains, users, tally, start, args, rng, errors)
    time.sleep(max(0.0, start + args.window_minutes * 60 / args.scale - time.monotonic()))
    with tally.lock:
        tally.counting = False
    backend = meter(state.backend_url) - before
    wall = time.monotonic() - start
    time.sleep(args.poll_seconds / args.scale + 3)  # the last changes may still be seen (not counted)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    unseen = sum(len(v) for v in tally.pending.values())
    return {
        "mode": mode,
        "http": tally.http,
        "ws": tally.ws,
        "backend": backend,
        "latencies": tally.latencies,
        "unseen": unseen,
        "fetch_ms": tally.fetch_ms,
        "steps": ran,
        "chains": len(chains),
        "errors": errors,
        "per_read_units": per_read,
        "wall": wall,
    }


# -- figures -------------------------------------------------------------------------------------------
FIXED_HTTP = {"poll", "after reconnect", "start"}


def figures(result: dict[str, Any], args: argparse.Namespace) -> dict[str, tuple[float, float]]:
    """Per 1,000 users per simulated second: (as measured at the boosted event rate, re-modelled at the
    assumed rate: the fixed part plus the event part / boost)."""
    per = 1000 / args.users / (args.window_minutes * 60)
    http, ws, b = result["http"], result["ws"], result["backend"]
    fixed_http = sum(v for k, v in http.items() if k in FIXED_HTTP)
    event_http = sum(http.values()) - fixed_http
    fixed_reads = fixed_http * result["per_read_units"]
    all_reads = b["dynamodb.read_units"]
    ws_invocations = ws["connect"] + ws["disconnect"] + ws["ping"]
    fixed_writes = 4 * (ws["connect"] + ws["disconnect"])  # a transaction of two items each (push/store.py)
    stream = b["lambda.stream_batches"] + b["lambda.sqs_batches"]
    out = {
        "HTTP requests /s": (sum(http.values()), fixed_http + event_http / args.boost),
        "  inbox reads /s": (
            sum(v for k, v in http.items() if k != "action"),
            fixed_http + http["on push"] / args.boost,
        ),
        "  actions /s": (http["action"], http["action"] / args.boost),
        "DynamoDB read units /s": (all_reads, fixed_reads + max(0.0, all_reads - fixed_reads) / args.boost),
        "DynamoDB write units /s (approx)": (
            b["dynamodb.write_units_approx"],
            fixed_writes + max(0.0, b["dynamodb.write_units_approx"] - fixed_writes) / args.boost,
        ),
        "Lambda invocations /s": (
            sum(http.values()) + ws_invocations + stream,
            fixed_http + event_http / args.boost + ws_invocations + stream / args.boost,
        ),
        "  API (one per HTTP request)": (sum(http.values()), fixed_http + event_http / args.boost),
        "  WebSocket connect/ping/disconnect": (ws_invocations, ws_invocations),
        "  stream and queue batches": (stream, stream / args.boost),
        "push messages /s": (b["push.posts"], b["push.posts"] / args.boost),
        "WebSocket messages in (pings) /s": (ws["ping"], ws["ping"]),
    }
    return {k: (a * per, m * per) for k, (a, m) in out.items()}


@dataclass(frozen=True)
class Quota:
    name: str
    default: float
    unit: str
    source: str


def extrapolate(
    push: dict[str, tuple[float, float]],
    poll: dict[str, tuple[float, float]],
    args: argparse.Namespace,
    lat: dict[str, float],
) -> list[tuple[str, float, str, float, float, str]]:
    """Peak needs at 1.9 M users (users online at the peak: --online-share), from the re-modelled figures
    (assumed rate; the per-second figures are already at the morning peak's event rate)."""
    online = args.platform_users * args.online_share / 1000  # thousands of users online at the peak

    def need(fig: dict[str, tuple[float, float]], key: str) -> float:
        return fig[key][1] * online

    rows: list[tuple[str, float, str, float, float, str]] = []

    def row(name: str, default: float, push_need: float, poll_need: float, note: str) -> None:
        rows.append((name, default, note, push_need, poll_need, ""))

    api_s = args.api_ms / 1000
    ws_s = args.ws_ms / 1000
    stream_s = args.stream_ms / 1000
    # API Gateway's account throttle counts REST, WebSocket messages and @connections callbacks together.
    push_gateway = (
        need(push, "HTTP requests /s")
        + need(push, "WebSocket messages in (pings) /s")
        + need(push, "push messages /s")
        + online * 1000 / (CONNECTION_MINUTES * 60) * 2
    )
    poll_gateway = need(poll, "HTTP requests /s")
    row(
        "API Gateway account throttle, rps (REST + WebSocket + callbacks)",
        args.gateway_rps,
        push_gateway,
        poll_gateway,
        "2,500 in newer Regions (assumed for ap-southeast-7), 10,000 in most",
    )
    row(
        "API Gateway burst",
        args.gateway_rps / 2,
        push_gateway * 2,
        poll_gateway * 2,
        "peak seconds at 2x the peak-hour mean (assumption)",
    )
    reconnects = online * 1000 / (CONNECTION_MINUTES * 60)
    row(
        "API Gateway WebSocket new connections /s",
        500,
        reconnects + args.signin_per_s,
        0,
        "2-h reconnects + morning sign-ins opening a socket",
    )
    row(
        "Lambda concurrent executions",
        1000,
        need(push, "  API (one per HTTP request)") * api_s
        + need(push, "  WebSocket connect/ping/disconnect") * ws_s
        + need(push, "  stream and queue batches") * stream_s
        + need(push, "push messages /s") * args.post_ms / 1000,
        need(poll, "  API (one per HTTP request)") * api_s
        + need(poll, "  stream and queue batches") * stream_s,
        f"rps x duration (assumed: API {args.api_ms} ms, WebSocket {args.ws_ms} ms, "
        f"stream batch {args.stream_ms} ms + {args.post_ms} ms a post)",
    )
    row(
        "DynamoDB table read units /s (on-demand, per table)",
        40000,
        need(push, "DynamoDB read units /s"),
        need(poll, "DynamoDB read units /s"),
        "one table; new tables warm at 12,000 RRU/s",
    )
    row(
        "DynamoDB table write units /s (on-demand, per table)",
        40000,
        need(push, "DynamoDB write units /s (approx)"),
        need(poll, "DynamoDB write units /s (approx)"),
        "approx: 1 KB per item written",
    )
    row(
        "Cognito UserFederation (federated sign-in) rps",
        25,
        args.signin_per_s,
        args.signin_per_s,
        "morning sign-ins through ThaiD, same in both runs",
    )
    row(
        "Cognito UserAuthentication rps",
        120,
        args.signin_per_s,
        args.signin_per_s,
        "if sign-in counts here too (hosted UI / InitiateAuth)",
    )
    row(
        "Cognito UserToken (refresh) rps",
        120,
        online * 1000 / 3600,
        online * 1000 / 3600,
        "ID token of 1 h refreshed by every online user",
    )
    row(
        "KMS asymmetric RSA Sign rps (shared)",
        500,
        args.signs_per_s,
        args.signs_per_s,
        "signatures at the peak (both runs)",
    )
    out = []
    for name, default, note, p, q, _ in rows:
        worst = max(p, q)
        exceeds = f"{worst / default:.1f}x" if worst > default else "no"
        if p > default and q <= default:
            exceeds += " (push only)"
        elif q > default and p <= default:
            exceeds += " (polling only)"
        elif p > default:
            exceeds = f"push {p / default:.1f}x, polling {q / default:.1f}x"
        out.append((name, default, note, p, q, exceeds))
    return out


def print_all(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    push, poll = (figures(results[m], args) for m in ("push", "poll"))
    scale_note = (
        f"{args.window_minutes} simulated minutes in {args.window_minutes / args.scale:.1f} wall minutes"
    )
    print(
        f"\nLoad model, {args.users} users per run ({scale_note}; scale {args.scale:g}x: a 60-s poll "
        f"every {args.poll_seconds / args.scale:.1f} s, a ping every {PING_MINUTES * 60 / args.scale:.0f} s)"
    )
    print(
        f"event rate: {args.letters} letters + {args.memos} memos per 1,000 users per 8-h day, "
        f"x{args.peak_factor:g} at the peak, x{args.boost:g} boost in the run"
    )
    for mode in ("push", "poll"):
        r = results[mode]
        print(
            f"  {mode}: {r['chains']} letters/memos, {r['steps']} steps run, "
            f"{len(r['latencies'])} changes seen, {r['unseen']} not seen by the end, "
            f"{len(r['errors'])} errors; inbox read p50 {percentile(r['fetch_ms'], 0.5):.0f} ms; "
            f"{r['per_read_units']:.1f} read units per inbox read (calibration); "
            f"window {r['wall']:.0f} s wall"
        )
        for error in r["errors"][:3]:
            print(f"    error: {error}")
    print(
        "\nPer 1,000 users online, per second (simulated time). 'measured': the run at the boosted event "
        "rate;\n'model': fixed part + event part / boost (the assumed peak rate), used below."
    )
    print(
        f"{'figure':<38}{'push meas.':>12}{'poll meas.':>12}{'push model':>12}{'poll model':>12}"
        f"{'poll/push':>11}"
    )
    for key in push:
        a, b = push[key], poll[key]
        ratio = f"{b[1] / a[1]:.1f}x" if a[1] else "-"
        print(f"{key:<38}{a[0]:>12.3f}{b[0]:>12.3f}{a[1]:>12.3f}{b[1]:>12.3f}{ratio:>11}")
    lat = {}
    for mode in ("push", "poll"):
        values = results[mode]["latencies"]
        lat[mode] = (percentile(values, 0.5), percentile(values, 0.99))
    push_lat, poll_lat = lat["push"], lat["poll"]
    print(
        f"change -> seen, push (wall s: the pipeline is not compressed): p50 {push_lat[0]:.2f}, "
        f"p99 {push_lat[1]:.2f}"
    )
    print(
        f"change -> seen, polling (simulated s: wall x {args.scale:g}): p50 {poll_lat[0] * args.scale:.1f}, "
        f"p99 {poll_lat[1] * args.scale:.1f}"
    )
    verdict = push["HTTP requests /s"][1] and poll["HTTP requests /s"][1] / push["HTTP requests /s"][1]
    measured = poll["HTTP requests /s"][0] / push["HTTP requests /s"][0]
    print(
        f"HTTP requests, polling / push: {verdict:.1f}x at the assumed rate, {measured:.1f}x as measured "
        f"(boosted); aim >= 20x: {'met' if verdict >= 20 else 'NOT met'}"
    )

    print(
        f"\nExtrapolated (arithmetic, not measured) to {args.platform_users:,} users, "
        f"{args.online_share:.0%} online at the morning peak; per-second figures at the peak event rate"
    )
    print(f"{'quota':<62}{'default':>10}{'push':>12}{'polling':>12}  exceeds by")
    for name, default, note, p, q, exceeds in extrapolate(push, poll, args, {}):
        print(f"{name:<62}{default:>10,.0f}{p:>12,.0f}{q:>12,.0f}  {exceeds}")
        print(f"    {note}")
    per_day(push, poll, args)


def per_day(
    push: dict[str, tuple[float, float]], poll: dict[str, tuple[float, float]], args: argparse.Namespace
) -> None:
    """Volumes per agency per month (22 working days of 8 h), for docs/capacity.md's cost table: the
    fixed part over the day, the event part at the day's mean (peak / peak factor)."""
    users = args.platform_users / args.agencies
    online = users * args.online_share / 1000
    seconds = 22 * 8 * 3600

    def month(fig: dict[str, tuple[float, float]], key: str) -> float:
        return fig[key][1] * online * seconds

    print(
        f"\nPer agency per month ({users:.0f} users, {args.online_share:.0%} online 8 h a day, 22 days; "
        "the event part at the peak rate: an upper bound)"
    )
    print(f"{'volume':<38}{'push':>16}{'polling':>16}")
    for key in (
        "HTTP requests /s",
        "DynamoDB read units /s",
        "DynamoDB write units /s (approx)",
        "Lambda invocations /s",
        "push messages /s",
        "WebSocket messages in (pings) /s",
    ):
        print(f"{key.replace(' /s', ''):<38}{month(push, key):>16,.0f}{month(poll, key):>16,.0f}")
    print(f"{'WebSocket connection minutes':<38}{online * 1000 * 22 * 8 * 60:>16,.0f}{0:>16,}")


def main() -> None:
    # websockets' sync client asks for a context manager; these connections outlive any one block.
    warnings.filterwarnings("ignore", category=DeprecationWarning, message="connect\\(\\) must be used")
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=40, help="users per run (each its own identity)")
    parser.add_argument("--window-minutes", type=float, default=30, help="simulated minutes of the peak")
    parser.add_argument("--scale", type=float, default=10, help="simulated seconds per wall second")
    parser.add_argument("--boost", type=float, default=2, help="event rate multiplier for timing samples")
    parser.add_argument("--poll-seconds", type=float, default=60)
    parser.add_argument("--letters", type=float, default=400, help="incoming letters per 1,000 users per day")
    parser.add_argument("--memos", type=float, default=400, help="memos routed per 1,000 users per day")
    parser.add_argument("--peak-factor", type=float, default=2.0)
    parser.add_argument("--platform-users", type=int, default=1_900_000)
    parser.add_argument("--agencies", type=int, default=6356)
    parser.add_argument("--online-share", type=float, default=0.5, help="users online at the peak")
    parser.add_argument("--gateway-rps", type=float, default=2500)
    parser.add_argument("--api-ms", type=int, default=100, help="assumed API function duration on AWS")
    parser.add_argument("--ws-ms", type=int, default=20)
    parser.add_argument("--stream-ms", type=int, default=150)
    parser.add_argument(
        "--post-ms", type=int, default=15, help="per post_to_connection, inside the stream batch"
    )
    parser.add_argument(
        "--signin-per-s", type=float, default=0.0, help="default: 60 % of online users in 30 min"
    )
    parser.add_argument(
        "--signs-per-s", type=float, default=0.0, help="default: 100 per agency-month at peak x2"
    )
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    online = args.platform_users * args.online_share
    args.signin_per_s = args.signin_per_s or online * 0.6 / 1800
    args.signs_per_s = args.signs_per_s or 100 * args.agencies / (22 * 8 * 3600) * args.peak_factor

    from devstack.launch import StackDidNotStart, local_stack

    os.environ.update(AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local")  # noqa: S106 (the local stack's)
    started = time.perf_counter()
    for attempt in (1, 2):  # a busy machine: the stack's ports can be taken between choice and bind
        try:
            with local_stack(timeout=400) as stack, tempfile.TemporaryDirectory() as folder:
                args.port = stack.port
                print(f"stack up in {time.perf_counter() - started:.0f} s", flush=True)
                results = {}
                for mode in ("push", "poll"):
                    agency = onboard_agency(stack.port, Path(folder), f"load-{mode}", args.users)
                    bearers = tokens(stack.port, list(agency.subs))
                    print(
                        f"{mode}: {len(agency.subs)} users onboarded ({time.perf_counter() - started:.0f} s)",
                        flush=True,
                    )
                    results[mode] = run(mode, agency, bearers, args)
                    print(f"{mode}: done ({time.perf_counter() - started:.0f} s)", flush=True)
                print_all(results, args)
                print(f"\n({time.perf_counter() - started:.0f} s in all)")
                return
        except StackDidNotStart:
            if attempt == 2:
                raise
            print("the stack did not start; trying once more", flush=True)


if __name__ == "__main__":
    main()
