"""A committee and its meetings for the demo (`eoffice dev`, not the tests' quiet stacks): mdes-dept's
committee for the move to electronic saraban, with the head as its secretary, one meeting held (its
attendance and resolution recorded, closed) and the next one scheduled, so the meetings' screens show
both steps. Made over HTTP as the demo users, through the same API a browser uses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

log = logging.getLogger(__name__)
COMMITTEE = "คณะทำงานขับเคลื่อนการเปลี่ยนผ่านสู่ระบบสารบรรณอิเล็กทรอนิกส์"


def _ok(answer: requests.Response) -> Any:
    answer.raise_for_status()
    return answer.json()


def seed(state: Any, token: Callable[[str], str]) -> int:
    """`token(username)` gives a demo user's ID token. How many meetings were scheduled."""
    api = f"{state.api_url}/v1"
    head = {"Authorization": f"Bearer {token('dept.head')}"}
    sub = {
        name: state.users[name]["sub"]
        for name in ("dept.head", "dept.director", "dept.staff1", "dept.staff2")
    }
    committee = _ok(
        requests.post(
            f"{api}/committees",
            headers=head,
            json={
                "name": COMMITTEE,
                "order_reference": "คำสั่งกรมพัฒนาดิจิทัลภาครัฐ ที่ 45/2569",
                "members": [
                    {"user_id": sub["dept.director"], "role": "chair"},
                    {"user_id": sub["dept.staff1"]},
                    {"user_id": sub["dept.staff2"]},
                    {"name": "นายประเสริฐ วิชาการ", "position": "ผู้ทรงคุณวุฒิด้านรัฐบาลดิจิทัล"},
                    {"user_id": sub["dept.head"], "role": "secretary"},
                ],
            },
            timeout=30,
        )
    )
    today = datetime.now(UTC).replace(hour=2, minute=30, second=0, microsecond=0)  # 09.30 in Bangkok
    scheduled = 0
    for start, agenda in (
        (
            today - timedelta(days=7),
            [
                {"section": "announcements", "title": "กำหนดการเปิดใช้ระบบสารบรรณอิเล็กทรอนิกส์"},
                {"section": "for_decision", "title": "ร่างแผนการเปลี่ยนผ่านสู่ระบบสารบรรณอิเล็กทรอนิกส์"},
            ],
        ),
        (
            today + timedelta(days=7),
            [
                {"section": "carried_over", "title": "ความคืบหน้าการอบรมผู้ใช้งาน"},
                {"section": "for_decision", "title": "แนวทางการจัดเก็บหนังสือเดิมเข้าระบบ"},
            ],
        ),
    ):
        meeting = _ok(
            requests.post(
                f"{api}/meetings",
                headers=head,
                json={
                    "committee_id": committee["id"],
                    "starts_at": start.isoformat(),
                    "ends_at": (start + timedelta(hours=2)).isoformat(),
                    "place": "ห้องประชุมกรม ชั้น 5",
                    "agenda": agenda,
                },
                timeout=30,
            )
        )
        scheduled += 1
        if start > datetime.now(UTC):
            continue
        url = f"{api}/meetings/{meeting['id']}"
        attendance = _ok(requests.get(f"{url}/attendance", headers=head, timeout=30))
        for invitee in attendance["invitees"]:
            presence = "absent" if invitee["user_id"] is None else "in_person"
            _ok(
                requests.post(
                    f"{url}/attendance",
                    headers=head,
                    json={"invitee_id": invitee["id"], "presence": presence},
                    timeout=30,
                )
            )
        decision = next(i for i in meeting["agenda"] if i["section"] == "for_decision")
        _ok(
            requests.put(
                f"{url}/agenda/{decision['id']}/resolution",
                headers=head,
                json={
                    "discussion": "ที่ประชุมพิจารณาร่างแผนและให้ข้อสังเกตเรื่องการอบรมผู้ใช้งาน",
                    "resolution": "เห็นชอบร่างแผน โดยให้เพิ่มการอบรมผู้ใช้งานทุกกอง",
                    "votes": {"agree": 4, "disagree": 0, "abstain": 0},
                },
                timeout=30,
            )
        )
        _ok(
            requests.post(
                f"{url}/actions",
                headers=head,
                json={
                    "item_id": decision["id"],
                    "owner": sub["dept.staff1"],
                    "text": "จัดทำแผนการอบรมผู้ใช้งาน",
                    "due_on": (start + timedelta(days=21)).date().isoformat(),
                },
                timeout=30,
            )
        )
        _ok(
            requests.post(
                f"{url}/close",
                headers=head,
                json={
                    "started_at": (start + timedelta(minutes=5)).isoformat(),
                    "ended_at": (start + timedelta(minutes=110)).isoformat(),
                },
                timeout=30,
            )
        )
    log.info("demo meetings: %d scheduled for %s", scheduled, COMMITTEE)
    return scheduled
