"""Meetings benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/meeting_bench.py [--invitees 200] [--reads 60]

In-process moto (mock_aws, devstack's patches), one agency with --invitees users: a committee of 100 of
them and the rest invited besides, one meeting scheduled (invitees written in batches, the meeting and
its invitation in one transaction), every invitee answered and marked present. Then, --reads times each:
1. the meeting-day attendance view (`meetings.service.attendance`: every invitee, answers, quorum);
2. the baseline in the same run: reading the meeting's partition alone (`meetings.store.load`), the one
   query the view starts from.
Printed: p50 and p99 of each, the view's cost over the baseline, and the time to schedule and to mark
one invitee present (p50).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

AGENCY = "bench-meetings"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:  # noqa: PLR0915 (one straight run of set-up and measures)
    parser = argparse.ArgumentParser()
    parser.add_argument("--invitees", type=int, default=200)
    parser.add_argument("--reads", type=int, default=60)
    args = parser.parse_args()

    import boto3
    from chalicelib.directory.store import onboard_records
    from chalicelib.kernel import ddb
    from chalicelib.kernel.principal import Principal, Role
    from chalicelib.kernel.settings import get_settings
    from chalicelib.meetings import models, service, store
    from chalicelib.saraban import Secrecy
    from moto import mock_aws

    from devstack.backend import install_patches
    from devstack.resources import create_all

    users = [f"user-{i:04d}" for i in range(args.invitees)]
    admin = Principal(
        AGENCY, "u-admin", "admin", "admin", "", ("office",), frozenset({Role.ADMIN}), Secrecy.NORMAL
    )
    secretary = Principal(
        AGENCY, users[1], "sec", "sec", "", ("office",), frozenset({Role.HEAD}), Secrecy.NORMAL
    )
    install_patches()
    with mock_aws():
        get_settings.cache_clear()
        create_all(boto3.Session(region_name="ap-southeast-7"))
        ddb.bind()
        people = {
            user: {
                "username": user,
                "name": f"ผู้ทดสอบ {i}",
                "position": "นักวิชาการ",
                "units": ["office"],
                "roles": ["staff"],
            }
            for i, user in enumerate(users)
        }
        people["u-admin"] = {"username": "admin", "name": "ผู้ดูแล", "units": ["office"], "roles": ["admin"]}
        units = {"office": {"name": "สำนักงาน", "code": "ทส 0101"}}
        onboard_records(
            AGENCY, {"name": "กรมทดสอบ", "ministry_code": "ทส"}, units, people, actor="bench", at=NOW
        )
        members = [{"user_id": users[0], "role": "chair"}, {"user_id": users[1], "role": "secretary"}]
        members += [{"user_id": u} for u in users[2:100]]
        committee = service.create_committee(
            admin,
            models.CommitteeCommand.model_validate_json(
                json.dumps({"name": "คณะกรรมการทดสอบ", "members": members})
            ),
            now=NOW,
        )
        command = models.ScheduleMeeting.model_validate_json(
            json.dumps(
                {
                    "committee_id": committee.id,
                    "starts_at": (NOW + timedelta(days=7)).isoformat(),
                    "ends_at": (NOW + timedelta(days=7, hours=3)).isoformat(),
                    "place": "ห้องประชุมใหญ่",
                    "invitees": [{"user_id": u, "role": "guest"} for u in users[100:]],
                    "agenda": [{"section": "for_decision", "title": f"เรื่องที่ {n}"} for n in range(1, 11)],
                }
            )
        )
        begin = time.perf_counter()
        meeting = service.schedule(secretary, command, now=NOW)
        schedule_ms = (time.perf_counter() - begin) * 1000
        invitees = service.attendance(secretary, meeting.id).invitees
        marks: list[float] = []
        for invitee in invitees:
            begin = time.perf_counter()
            service.take_attendance(
                secretary,
                meeting.id,
                models.AttendanceCommand(invitee_id=invitee.id, presence="in_person"),
                now=NOW,
            )
            marks.append((time.perf_counter() - begin) * 1000)

        views: list[float] = []
        loads: list[float] = []
        for _ in range(args.reads):
            begin = time.perf_counter()
            store.load(AGENCY, meeting.id)
            loads.append((time.perf_counter() - begin) * 1000)
            begin = time.perf_counter()
            view = service.attendance(secretary, meeting.id)
            views.append((time.perf_counter() - begin) * 1000)
        assert view.present == view.members  # the run measured what it meant to (everyone marked)

    print(
        f"meeting with {len(invitees)} invitees ({view.members} members, quorum {view.needed}); "
        "in-process moto"
    )
    print(f"  schedule (invitees in batches, meeting + invitation in one transaction): {schedule_ms:.0f} ms")
    print(f"  mark one invitee present: p50 {statistics.median(marks):.1f} ms")
    print(
        f"  attendance view ({args.reads} reads): p50 {statistics.median(views):.1f} ms, "
        f"p99 {percentile(views, 0.99):.1f} ms"
    )
    print(
        f"  baseline, the partition read alone: p50 {statistics.median(loads):.1f} ms, "
        f"p99 {percentile(loads, 0.99):.1f} ms"
    )
    print(f"  view / baseline (p50): {statistics.median(views) / statistics.median(loads):.2f}x")


if __name__ == "__main__":
    main()
