"""Audit trail benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/audit_bench.py [--events 100000] [--runs 3]

1. Verification (`archive.trail.verify`, offline, pure Python): an export of --events events over
   ten sealed days, checked end to end; events per second.
2. The baseline in the same run: SHA-256 over the same canonical bytes alone (no JSON, no comparison),
   what the chain cannot do without.
3. Sealing in in-process moto (`archive.trail.seal_due`): one day of --seal-events events read,
   chained and archived write-once; events per second.
Median of --runs runs each.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]


def _export(events: int) -> dict[str, object]:
    from chalicelib.archive import trail

    days = []
    previous = trail.GENESIS
    per_day = events // 10
    for d in range(10):
        day = (date(2026, 11, 1) + timedelta(days=d)).isoformat()
        head, links, listed = previous, [], []
        for n in range(per_day):
            event = {
                "sk": f"{day}T10:{n // 60 % 60:02d}:{n % 60:02d}.{n:06d}+07:00#{n:08x}",
                "actor": "u-clerk",
                "action": "document.created",
                "target": f"document/{d}-{n}",
                "at": f"{day}T03:00:00+00:00",
                "before": None,
                "after": {"subject": "ขอความอนุเคราะห์ข้อมูลสถิติ", "n": n},
            }
            head = trail.link(
                head, json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
            )
            links.append({"sk": event["sk"], "link": head})
            listed.append(event)
        days.append(
            {"day": day, "prev": previous, "head": head, "tst": None, "links": links, "events": listed}
        )
        previous = head
    return {"agency": "bench", "days": days}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seal-events", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from chalicelib.archive import trail

    exported = _export(args.events)
    canonical = [
        json.dumps(e, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        for day in exported["days"]  # type: ignore[attr-defined]
        for e in day["events"]
    ]
    verify, baseline = [], []
    for _ in range(args.runs):
        begin = time.perf_counter()
        verdict = trail.verify(exported)
        verify.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        for data in canonical:
            hashlib.sha256(data).digest()
        baseline.append(time.perf_counter() - begin)
    assert verdict.ok and verdict.events == len(canonical)
    sealing = _seal(args.seal_events, args.runs)
    v, b = statistics.median(verify), statistics.median(baseline)
    print(f"audit trail, {len(canonical):,} events over {verdict.days} sealed days (median of {args.runs})")
    print(f"  verify (offline):        {v:.2f} s, {len(canonical) / v:,.0f} events/s")
    print(f"  SHA-256 alone (baseline): {b:.2f} s, {len(canonical) / b:,.0f} events/s ({v / b:.1f}x)")
    print(
        f"  seal one day of {args.seal_events:,} events (moto): {sealing:.2f} s, "
        f"{args.seal_events / sealing:,.0f} events/s"
    )


def _seal(events: int, runs: int) -> float:
    import boto3
    from chalicelib.archive import trail
    from chalicelib.kernel import audit, ddb
    from chalicelib.kernel.audit import AuditEvent
    from chalicelib.kernel.settings import get_settings
    from moto import mock_aws

    from devstack.backend import install_patches
    from devstack.resources import create_all

    install_patches()
    timings = []
    with mock_aws():
        get_settings.cache_clear()
        create_all(boto3.Session(region_name="ap-southeast-7"))
        ddb.bind()
        for run in range(runs):
            agency = f"bench-trail-{run}"
            day = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
            with audit.AuditItem.batch_write() as batch:
                for n in range(events):
                    event = AuditEvent(
                        agency, "u", "document.created", f"document/{n}", day + timedelta(seconds=n)
                    )
                    batch.save(audit.audit_item(event))
            begin = time.perf_counter()
            trail.seal(agency, day.date(), previous=trail.GENESIS, tsa_url=None, now=day + timedelta(days=2))
            timings.append(time.perf_counter() - begin)
    return statistics.median(timings)


if __name__ == "__main__":
    main()
