"""Routing benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/route_bench.py [--quick] [--runs 3] [--users 1000] [--per-user 100] [--calls 300]
      [--raw-calls 3] [--letters 5] [--events 200] [--event-runs 2] [--skip-events]

1. Inbox at scale, in-process moto (mock_aws, devstack's patches): one agency, --users users and
   --per-user open inbox items each (mixed kinds, urgencies, a third with due dates), seeded with
   PynamoDB batch_write. Then `routing.service.inbox()` for random users, p50/p99 over --calls calls,
   median over --runs runs; the baseline is one GetItem of a user item, interleaved with it. Also the
   DynamoDB requests per inbox call and the part of each call spent in moto (botocore before-sign ->
   needs-retry: the backend's work plus botocore's response parsing). moto as is answers a GSI Query by
   sorting every item of the table (seconds at 100,000 items), so the timed runs hand moto the queried
   gsi3 partition, as DynamoDB reads it (IndexPartitions); --raw-calls calls are timed on moto as is.
2. Last approval -> signed, numbered PDF on the local stack over HTTP, through the event pump and the
   sign worker: a memo with one sign step (approval -> "signing": number taken, letter rendered and
   checked; the director's sign -> "signed"). Median of --letters letters. Baseline, interleaved: the
   same memo without a route, POST /render then POST /sign, waiting for the file check and the signature.
   States are polled every 50 ms, which bounds the resolution.
3. Pump throughput: --events incoming letters registered, one assignment each posted by the director
   (4 clients), timed until every register line's การปฏิบัติ (`action`) is filled. Baseline: the rate at
   which the API accepted the assignments. Median over --event-runs runs. The register is polled every
   0.5 s (a page of 200 lines each time) so that the polling takes little from the pump.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

AGENCY = "mdes-dept"
DIRECTOR_POSITION = "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ"
POLL_SECONDS = 0.05


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- 1. the inbox at scale, in-process ------------------------------------------------------------------


class Meter:
    """DynamoDB requests and the time spent in the backend, from botocore's events."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.backend_s = 0.0
        self._started = 0.0

    def start(self, event_name: str, **_: Any) -> None:
        self.calls[event_name.rsplit(".", 1)[-1]] += 1
        self._started = time.perf_counter()

    def stop(self, **_: Any) -> None:
        self.backend_s += time.perf_counter() - self._started


class IndexPartitions:
    """Hands moto's GSI Query only the items of the queried index partition, as DynamoDB reads them
    (devstack's patch does the same for base-table queries). moto as is looks at and sorts every item of
    the table for each GSI Query. The map is rebuilt whenever the table has been written since."""

    def __init__(self) -> None:
        self.enabled = False
        self._maps: dict[int, tuple[Any, dict[tuple[str, Any], list[Any]]]] = {}

    def install(self) -> None:
        from moto.dynamodb.models.table import Table

        inner = Table.query

        def query(table: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
            index_name = kwargs.get("index_name") or (args[6] if len(args) > 6 else None)
            if not self.enabled or not index_name:
                return inner(table, hash_key, *args, **kwargs)
            index = table.get_index(index_name)
            attribute = next(k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH")
            conditions = kwargs.get("hash_key_conditions") or (args[9] if len(args) > 9 else None) or []
            value = next((v for name, v in conditions if name == attribute), hash_key)
            partition = self._partitions(table, attribute).get((attribute, value.value), [])
            table.all_items = lambda: list(partition)
            try:
                return inner(table, hash_key, *args, **kwargs)
            finally:
                del table.all_items

        Table.query = query  # type: ignore[method-assign]

    def _partitions(self, table: Any, attribute: str) -> dict[tuple[str, Any], list[Any]]:
        version = (len(table.items), len(table.stream_shard.items) if table.stream_shard else None, attribute)
        known = self._maps.get(id(table))
        if known is None or known[0] != version:
            partitions: dict[tuple[str, Any], list[Any]] = defaultdict(list)
            for partition in table.items.values():
                for item in partition.values() if table.range_key_attr else [partition]:
                    if attribute in item.attrs:
                        partitions[(attribute, item.attrs[attribute].value)].append(item)
            known = self._maps[id(table)] = (version, partitions)
        return known[1]


def seed_directory_and_inbox(
    agency: str, users: int, per_user: int, now: datetime, rng: random.Random
) -> list[Any]:
    from chalicelib.directory import store as directory_store
    from chalicelib.kernel.principal import Principal, Role
    from chalicelib.routing.domain import UrgencyRank
    from chalicelib.routing.store import InboxItem, new_inbox
    from chalicelib.saraban import Secrecy

    units = [f"unit{n:02d}" for n in range(10)]
    directory_store.new_agency(agency, name="กรมทดสอบ", ministry_code="ทส", settings={}).save()
    for unit in units:
        directory_store.new_unit(agency, unit, name=f"กอง {unit}", code="ทส 0101").save()
    principals = []
    with directory_store.UserItem.batch_write() as batch:
        for n in range(users):
            user_id, name, position, unit = f"user{n:05d}", f"ผู้ใช้ {n}", f"นักวิชาการ {n % 50}", units[n % 10]
            batch.save(
                directory_store.new_user(
                    agency,
                    user_id,
                    username=user_id,
                    name=name,
                    position=position,
                    units=[unit],
                    roles=["staff"],
                    clearance=0,
                )
            )
            principals.append(
                Principal(
                    agency, user_id, user_id, name, position, (unit,), frozenset({Role.STAFF}), Secrecy.NORMAL
                )
            )
    kinds = ["step"] * 5 + ["endorse"] * 3 + ["assignment"] * 2
    urgencies = ["normal"] * 14 + ["urgent"] * 3 + ["very_urgent"] * 2 + ["most_urgent"]
    with InboxItem.batch_write() as batch:
        for n in range(users):
            for _ in range(per_user):
                urgency = rng.choice(urgencies)
                created = now - timedelta(minutes=rng.randrange(60 * 24 * 60))
                due = created + timedelta(hours=rng.randrange(4, 24 * 14)) if rng.random() < 0.3 else None
                batch.save(
                    new_inbox(
                        agency,
                        f"{rng.getrandbits(84):021x}",
                        f"{rng.getrandbits(84):021x}",
                        holder=f"user:user{n:05d}",
                        rank=int(UrgencyRank.of(urgency)),
                        kind=rng.choice(kinds),
                        title=f"ขอความอนุเคราะห์ข้อมูลประกอบการประชุม ครั้งที่ {rng.randrange(1000)}",
                        urgency=urgency,
                        due_at=due,
                        detail="ขั้นตอนที่ 1",
                        created_at=created,
                    )
                )
    return principals


def time_inbox(
    principals: list[Any], meter: Meter, calls: int, now: datetime, rng: random.Random
) -> dict[str, list[float]]:
    """`calls` inbox() calls for random users, each after a GetItem of a user item (the baseline)."""
    from chalicelib.directory import store as directory_store
    from chalicelib.routing import service as routing
    from chalicelib.routing.models import InboxQuery

    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(calls):
        # Interleaved so that drift on this shared machine hits both cases alike.
        principal = rng.choice(principals)
        started = time.perf_counter()
        directory_store.user(principal.agency_id, principal.user_id)
        samples["getitem"].append((time.perf_counter() - started) * 1000)
        meter.backend_s = 0.0
        started = time.perf_counter()
        routing.inbox(principal, InboxQuery(), now=now)
        samples["inbox"].append((time.perf_counter() - started) * 1000)
        samples["inbox backend"].append(meter.backend_s * 1000)
        samples["inbox outside"].append(samples["inbox"][-1] - samples["inbox backend"][-1])
    return samples


def inbox_at_scale(
    users: int, per_user: int, calls: int, runs: int, raw_calls: int, seed: int
) -> dict[str, Any]:
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # noqa: S106 (moto accepts any credentials)
        AWS_DEFAULT_REGION="ap-southeast-7",
        AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    import boto3
    import botocore.session
    from chalicelib.directory import service as directory
    from chalicelib.kernel import ddb
    from chalicelib.kernel.settings import get_settings
    from chalicelib.routing import service as routing
    from chalicelib.routing.models import InboxQuery
    from moto import mock_aws

    from devstack.backend import install_patches
    from devstack.resources import create_all

    meter = Meter()
    original = botocore.session.Session.create_client

    def metered_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-sign.dynamodb", meter.start)
        client.meta.events.register("needs-retry.dynamodb", meter.stop)
        return client

    rng = random.Random(seed)
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    install_patches()
    partitions = IndexPartitions()
    partitions.install()
    botocore.session.Session.create_client = metered_client  # type: ignore[method-assign]
    try:
        with mock_aws():
            get_settings.cache_clear()
            create_all(boto3.Session(region_name="ap-southeast-7"))
            ddb.bind()
            directory.forget_profiles()
            meter.calls.clear()
            started = time.perf_counter()
            principals = seed_directory_and_inbox("bench-agency", users, per_user, now, rng)
            seeding_s, seed_requests = time.perf_counter() - started, sum(meter.calls.values())

            partitions.enabled = True
            routing.inbox(principals[0], InboxQuery(), now=now)  # warm-up (and the partition map)
            meter.calls.clear()
            probe = principals[1:11]
            for principal in probe:
                page = routing.inbox(principal, InboxQuery(), now=now)
            per_call = {k: v / len(probe) for k, v in meter.calls.items()}
            figures: dict[str, list[float]] = defaultdict(list)
            for _ in range(runs):
                for case, values in time_inbox(principals, meter, calls, now, rng).items():
                    figures[f"{case} p50"].append(percentile(values, 0.5))
                    figures[f"{case} p99"].append(percentile(values, 0.99))
            partitions.enabled = False
            raw = time_inbox(principals, meter, raw_calls, now, rng) if raw_calls else {}
    finally:
        botocore.session.Session.create_client = original  # type: ignore[method-assign]
        directory.forget_profiles()
    return {
        "figures": {k: statistics.median(v) for k, v in figures.items()},
        "raw": raw,
        "seeding_s": seeding_s,
        "seed_requests": seed_requests,
        "per_call_requests": per_call,
        "page_size": len(page.items),
        "counted": sum(page.counts.values()),
    }


# -- the local stack over HTTP --------------------------------------------------------------------------


def token(port: int, agency: str, user: str) -> str:
    out = subprocess.check_output(
        [
            sys.executable,
            "-m",
            "devstack.cli",
            "token",
            "--agency",
            agency,
            "--user",
            user,
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'functions'}"},
    )
    return out.decode().strip()


class Client:
    def __init__(self, url: str, bearer: str) -> None:
        import requests

        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {bearer}"

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        answer = self.session.request(method, f"{self.url}{path}", timeout=60, **kwargs)
        if answer.status_code != expect:
            raise SystemExit(f"{method} {path}: {answer.status_code} {answer.text[:400]}")
        return answer.json()


def wait(check: Callable[[], Any], timeout: float = 120, interval: float = POLL_SECONDS) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting")
        time.sleep(interval)


def memo(subject: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "internal",
        "subject": subject,
        "recipient": {"position": DIRECTOR_POSITION},
        "body": "ด้วยกองบริการดิจิทัลจะจัดประชุมเชิงปฏิบัติการ ในวันที่ 15 ธันวาคม 2569\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
        "owner_unit_id": "services",
        **extra,
    }


def routed_letter(author: Client, director: Client, director_sub: str, n: int) -> tuple[float, float, float]:
    document_id = author.call("POST", "/v1/documents", 201, json=memo(f"ขออนุมัติจัดประชุม ครั้งที่ {n}"))["id"]
    plan = {"plan": {"signers": [{"user_id": director_sub}]}}
    if (
        author.session.post(
            f"{author.url}/v1/documents/{document_id}/route", json=plan, timeout=60
        ).status_code
        == 422
    ):
        steps = {"steps": [{"kind": "sign", "assignee": {"user_id": director_sub}}]}  # the API before "plan"
        author.call("POST", f"/v1/documents/{document_id}/route", 201, json=steps)
    route = f"/v1/documents/{document_id}/route"
    started = time.perf_counter()
    forwarded = author.call("POST", f"{route}/actions", json={"action": "forward"})
    if forwarded["state"] != "numbering":
        raise SystemExit(f"expected numbering after the last approval, got {forwarded['state']}")
    signing = wait(lambda: (r := author.call("GET", route))["state"] == "signing" and r)
    numbered = time.perf_counter()
    if not signing["number"]:
        raise SystemExit("signing without a number")
    director.call("POST", f"{route}/actions", json={"action": "forward"})
    done = wait(lambda: (r := author.call("GET", route))["state"] in ("signed", "failed") and r)
    signed = time.perf_counter()
    if done["state"] != "signed" or done["stuck"]:
        raise SystemExit(f"route ended {done['state']}: {done['stuck']}")
    return numbered - started, signed - numbered, signed - started


def plain_letter(author: Client, director: Client, director_sub: str, n: int) -> tuple[float, float, float]:
    made = author.call(
        "POST", "/v1/documents", 201, json=memo(f"ขออนุมัติจัดประชุม (ไม่มีเส้นทาง) {n}", signers=[director_sub])
    )
    document = f"/v1/documents/{made['id']}"
    started = time.perf_counter()
    rendered = author.call("POST", f"{document}/render", 201)
    file_id = rendered["file"]["id"]

    def ready() -> bool:
        files = author.call("GET", document)["files"]
        status = next((f["status"] for f in files if f["id"] == file_id), None)
        if status == "rejected":
            raise SystemExit("the rendered letter was rejected by the file checks")
        return status == "ready"

    wait(ready)
    checked = time.perf_counter()
    director.call("POST", f"{document}/sign", 202)
    wait(lambda: len(author.call("GET", document)["signatures"]) == 1)
    signed = time.perf_counter()
    return checked - started, signed - checked, signed - started


def approval_to_signed(url: str, bearers: dict[str, str], director_sub: str, letters: int) -> dict[str, Any]:
    author, director = Client(url, bearers["dept.staff1"]), Client(url, bearers["dept.director"])
    figures: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    routed_letter(author, director, director_sub, -1)  # warm-up: first imports in the workers
    plain_letter(author, director, director_sub, -1)
    for n in range(letters):
        figures["route"].append(routed_letter(author, director, director_sub, n))
        figures["plain"].append(plain_letter(author, director, director_sub, n))
    return figures


def unfilled(saraban: Client, year: int, entries: dict[int, str]) -> set[int]:
    """The numbers among `entries` whose register line has no การปฏิบัติ yet."""
    missing, last = set(entries), max(entries)
    cursor = str(min(entries) - 1) if min(entries) > 1 else None
    while True:
        params = {"limit": "200", "year": str(year), **({"cursor": cursor} if cursor else {})}
        page = saraban.call("GET", "/v1/registers/incoming", params=params)
        missing -= {line["number"] for line in page["entries"] if line.get("action")}
        cursor = page["cursor"]
        if not cursor or not page["entries"] or page["entries"][-1]["number"] >= last:
            return missing


def all_filled(saraban: Client, year: int, entries: dict[int, str]) -> bool:
    return not unfilled(saraban, year, entries)


def pump_throughput(url: str, bearers: dict[str, str], events: int, runs: int) -> list[dict[str, float]]:
    saraban = Client(url, bearers["dept.saraban"])
    results = []
    for run in range(runs):

        def register(i: int, run: int = run) -> tuple[int, str]:
            entry = Client(url, bearers["dept.saraban"]).call(
                "POST",
                "/v1/registers/incoming/entries",
                201,
                json={
                    "document": {
                        "kind": "external",
                        "subject": f"ขอความร่วมมือสำรวจข้อมูล {run}-{i}",
                        "reference": f"ที่ ดศ 0201.3/{run}{i + 1:04d}",  # a new letter every run
                        "letter_date": "2026-11-20",
                        "sender": {"position": "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"},
                    }
                },
            )
            return int(entry["number"]), str(entry["document_id"])

        with ThreadPoolExecutor(4) as pool:
            entries = dict(pool.map(register, range(events)))
        year = saraban.call("GET", "/v1/registers/incoming", params={"limit": "1"})["year"]
        time.sleep(2.0)  # let the pump finish with the registrations
        already = events - len(unfilled(saraban, year, entries))
        if already:
            raise SystemExit(f"{already} lines had an action before any assignment: cannot time them")
        documents = list(entries.values())
        shares = [documents[k::4] for k in range(4)]

        def assign(share: list[str]) -> None:
            director = Client(url, bearers["dept.director"])
            for document_id in share:
                director.call(
                    "POST", f"/v1/documents/{document_id}/assignments", 201, json={"unit_id": "services"}
                )

        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(assign, shares))
        posted = time.perf_counter()
        wait(partial(all_filled, saraban, year, entries), timeout=300, interval=0.5)
        reflected = time.perf_counter()
        results.append(
            {
                "posted/s": events / (posted - started),
                "reflected/s": events / (reflected - started),
                "lag after the last POST s": reflected - posted,
            }
        )
    return results


def print_inbox(args: argparse.Namespace, inbox: dict[str, Any]) -> None:
    items = args.users * args.per_user
    print(
        f"\nInbox at scale, in-process moto: {args.users:,} users, {items:,} open items "
        f"({args.per_user} per user); {args.runs} runs x {args.calls} calls, medians of per-run figures"
    )
    print(
        f"  seeding: {inbox['seeding_s']:.1f} s ({items / inbox['seeding_s']:,.0f} items/s, "
        f"{inbox['seed_requests']:,} requests)"
    )
    print(f"{'case':<48}{'p50 ms':>10}{'p99 ms':>10}")
    f = inbox["figures"]
    for label, case in (
        ("GetItem of a user item (baseline)", "getitem"),
        ("inbox(), gsi3 partition handed to moto", "inbox"),
        ("  in moto + botocore's response parsing", "inbox backend"),
        ("  the rest (platform code, request building)", "inbox outside"),
    ):
        print(f"{label:<48}{f[f'{case} p50']:>10.1f}{f[f'{case} p99']:>10.1f}")
    if inbox["raw"]:
        raw = inbox["raw"]
        print(
            f"{'inbox(), moto as is (' + str(len(raw['inbox'])) + ' calls; p50, max)':<48}"
            f"{statistics.median(raw['inbox']):>10.1f}{max(raw['inbox']):>10.1f}"
        )
        print(
            f"{'  in moto + botocore response parsing':<48}"
            f"{statistics.median(raw['inbox backend']):>10.1f}{max(raw['inbox backend']):>10.1f}"
        )
    requests = inbox["per_call_requests"]
    print(
        f"  DynamoDB requests per inbox call: {sum(requests.values()):g} "
        f"({', '.join(f'{k} {v:g}' for k, v in sorted(requests.items()))} on gsi3: user, position, unit); "
        f"page of {inbox['page_size']}, counts over {inbox['counted']} items"
    )
    verdict = "met" if f["inbox p99"] < 50 else "NOT met"
    print(f"  aim p99 < 50 ms: {verdict} with the index partition; moto as is scans the whole table")


def print_letters(args: argparse.Namespace, letters: dict[str, Any]) -> None:
    print(f"\nLast approval -> signed PDF on the local stack over HTTP (median of {args.letters} letters)")
    print(f"{'case':<44}{'numbered+rendered':>19}{'sign->signed':>14}{'total':>9}")
    for label, case in (
        ("route: approval -> signing -> signed", "route"),
        ("no route: render, sign (baseline)", "plain"),
    ):
        values = letters[case]
        a, b, total = (statistics.median(v[k] for v in values) * 1000 for k in range(3))
        print(f"{label:<44}{a:>16.0f} ms{b:>11.0f} ms{total:>6.0f} ms")
    print("  (the baseline's first column is render + the file check, without a number)")


def print_pump(args: argparse.Namespace, pump: list[dict[str, float]]) -> None:
    if pump:
        print(
            f"\nPump: {args.events} assignments by 4 clients -> register action column filled "
            f"(median of {len(pump)} runs)"
        )
        for key in pump[0]:
            print(
                f"  {key:<28}{statistics.median(r[key] for r in pump):>8.1f}"
                f"  (runs: {', '.join(f'{r[key]:.1f}' for r in pump)})"
            )
    elif args.skip_events:
        print("\nPump throughput: skipped (--skip-events)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes: a check that it all runs")
    parser.add_argument("--runs", type=int, default=3, help="runs of the inbox timing")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--per-user", type=int, default=100, help="open inbox items per user")
    parser.add_argument("--calls", type=int, default=300, help="inbox calls per run")
    parser.add_argument(
        "--raw-calls", type=int, default=3, help="inbox calls on moto as is (seconds each at 100,000 items)"
    )
    parser.add_argument("--letters", type=int, default=5, help="letters per case in part 2")
    parser.add_argument("--events", type=int, default=200, help="assignments per run in part 3")
    parser.add_argument("--event-runs", type=int, default=2)
    parser.add_argument("--skip-events", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.quick:
        args.runs, args.users, args.per_user, args.calls, args.raw_calls = 2, 100, 20, 50, 3
        args.letters, args.events, args.event_runs = 2, 20, 1

    started = time.perf_counter()
    print_inbox(
        args, inbox_at_scale(args.users, args.per_user, args.calls, args.runs, args.raw_calls, args.seed)
    )
    print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)

    from devstack.launch import local_stack
    from devstack.stack import read_state

    os.environ.update(AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local")  # noqa: S106 (the local stack's)
    with local_stack() as stack:
        bearers = {u: token(stack.port, AGENCY, u) for u in ("dept.staff1", "dept.director", "dept.saraban")}
        director_sub = read_state(stack.port).users["dept.director"]["sub"]
        started = time.perf_counter()
        print_letters(args, approval_to_signed(stack.url, bearers, director_sub, args.letters))
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
        started = time.perf_counter()
        print_pump(
            args,
            [] if args.skip_events else pump_throughput(stack.url, bearers, args.events, args.event_runs),
        )
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
