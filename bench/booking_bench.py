"""Booking benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/booking_bench.py [--rooms 100] [--bookings 200] [--clients 8] [--calls 60]

On a fresh local stack over HTTP (IAM enforced, one lock around each backend request):
1. availability of one room for a month (31 days, a third of them booked) and of 50 rooms for one day:
   p50 and p99 over --calls calls; baseline, interleaved: GET /v1/resources (one query);
2. bookings per second with --clients clients: all on one room (every request contends for the same
   dates: the optimistic writes retry) against the same number spread over --rooms rooms (the
   baseline: no contention). Median of 3 runs each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

ADMIN = ("mdes-ops", "ops.admin")
USERS = [("mdes-ops", u) for u in ("ops.staff1", "ops.staff2", "ops.head", "ops.saraban", "ops.records")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def at(day: date, minutes: int) -> str:
    return (datetime.combine(day, clock(0)) + timedelta(minutes=minutes)).isoformat() + "+07:00"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--bookings", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--calls", type=int, default=60)
    args = parser.parse_args()
    from bench.exchange_bench import Client
    from devstack.launch import local_stack

    with local_stack() as stack:
        client = Client(stack.url, stack.port)
        for user in [ADMIN, *USERS]:
            client.token(*user)

        def room(name: str, **rules: Any) -> str:
            made = client.call(
                "POST", "/v1/resources", ADMIN, json={"kind": "room", "name": name, "rules": rules}
            )
            return str(made.json()["id"])

        rooms = [room(f"ห้องประชุม {i:03d}", opens="00:00", closes="23:59") for i in range(args.rooms)]
        base = date.today() + timedelta(days=30)
        # 1. availability
        month_room = rooms[0]
        for i in range(0, 31, 3):
            client.call(
                "POST",
                f"/v1/resources/{month_room}/bookings",
                USERS[0],
                json={
                    "start": at(base + timedelta(days=i), 9 * 60),
                    "end": at(base + timedelta(days=i), 11 * 60),
                    "title": "ประชุม",
                },
            )
        month, day50, floor = [], [], []
        for _ in range(args.calls):
            begin = time.perf_counter()
            client.call(
                "GET",
                f"/v1/resources/{month_room}/availability",
                USERS[1],
                params={"first_day": base.isoformat(), "days": 31},
            )
            month.append(time.perf_counter() - begin)
            begin = time.perf_counter()
            for r in rooms[:50]:
                client.call(
                    "GET", f"/v1/resources/{r}/availability", USERS[1], params={"first_day": base.isoformat()}
                )
            day50.append(time.perf_counter() - begin)
            begin = time.perf_counter()
            client.call("GET", "/v1/resources", USERS[1])
            floor.append(time.perf_counter() - begin)

        # 2. bookings per second: one room (contention) against spread over the rooms
        def run(targets: list[str], offset_days: int) -> float:
            counter = iter(range(10**9))

            def one(_: int) -> int:
                i = next(counter)
                resource = targets[i % len(targets)]
                day = base + timedelta(days=offset_days + (i // (len(targets) * 46)))
                slot = (
                    i // len(targets)
                ) % 46  # 30-minute slots to 23:00: never overlapping, only contending
                answer = client.call(
                    "POST",
                    f"/v1/resources/{resource}/bookings",
                    USERS[i % len(USERS)],
                    json={"start": at(day, slot * 30), "end": at(day, slot * 30 + 30), "title": f"จอง {i}"},
                )
                return int(answer.status_code)

            begin = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                statuses = list(pool.map(one, range(args.bookings)))
            elapsed = time.perf_counter() - begin
            if statuses.count(201) != len(statuses):
                print(f"    (not all booked: {sorted(set(statuses))})")
            return args.bookings / elapsed

        one_room = [run([rooms[1]], 40 + 10 * k) for k in range(3)]
        spread = [run(rooms[2:], 80 + 10 * k) for k in range(3)]

    report(args, month, day50, floor, one_room, spread)


def report(
    args: argparse.Namespace,
    month: list[float],
    day50: list[float],
    floor: list[float],
    one_room: list[float],
    spread: list[float],
) -> None:
    def p(values: list[float]) -> str:
        return f"p50 {percentile(values, 0.5) * 1000:.0f} ms, p99 {percentile(values, 0.99) * 1000:.0f} ms"

    def runs(values: list[float]) -> str:
        return f"{statistics.median(values):.1f} (runs {', '.join(f'{r:.1f}' for r in values)})"

    print(f"booking on the local stack (IAM enforced, 2 cores), {args.rooms} rooms, {args.clients} clients")
    print(f"  availability, one room for 31 days:  {p(month)}")
    print(f"  availability, 50 rooms for one day:  {p(day50)} (50 calls)")
    print(f"  baseline GET /v1/resources:          {p(floor)}")
    print(f"  bookings/s, all on one room:         {runs(one_room)}")
    print(f"  bookings/s, spread over the rooms:   {runs(spread)}")
    print(f"  contention costs {statistics.median(spread) / statistics.median(one_room):.2f}x")


if __name__ == "__main__":
    main()
