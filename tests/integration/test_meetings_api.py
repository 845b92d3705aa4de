"""A meeting end to end over HTTP on the local stack: a committee of mdes-dept with a member from
mdes-ops; the meeting scheduled, its room booked, its invitation routed, signed by the director and
sent to the other agency through the exchange; two members answer, one is absent; attendance and the
quorum; a resolution and an action item in the owner's inbox; the minutes rendered (looked at as PNG),
signed by the recorder and the chair, numbered in the outgoing book, circulated, and certified at the
next meeting with a correction."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from devstack.stack import read_state
from tests.integration.conftest import Stack
from tests.integration.test_iam_enforced import until

pytestmark = pytest.mark.integration

ADMIN = ("mdes-dept", "dept.admin")
SECRETARY = ("mdes-dept", "dept.head")  # กรรมการและเลขานุการ, the recorder; signs the minutes
CHAIR = ("mdes-dept", "dept.director")
MEMBER = ("mdes-dept", "dept.staff1")
ABSENT = ("mdes-dept", "dept.staff2")
SARABAN = ("mdes-dept", "dept.saraban")
OPS_SARABAN = ("mdes-ops", "ops.saraban")
OPS_STAFF = ("mdes-ops", "ops.staff1")


def ok(answer: requests.Response, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def route_to_signed(stack: Stack, document_id: str, signers: list[dict[str, str]]) -> dict[str, Any]:
    """The author (the secretary) starts the route and sends it on; each signer signs in turn."""
    ok(
        stack.call(
            "POST", f"/v1/documents/{document_id}/route", SECRETARY, json={"plan": {"signers": signers}}
        ),
        201,
    )
    ok(
        stack.call(
            "POST", f"/v1/documents/{document_id}/route/actions", SECRETARY, json={"action": "forward"}
        )
    )
    users = read_state(stack.port).users
    by_sub = {users[name]["sub"]: ("mdes-dept", name) for name in ("dept.head", "dept.director")}
    for signer in signers:
        who = by_sub[signer["user_id"]]
        until(lambda w=who: _my_turn(stack, w, document_id))
        ok(stack.call("POST", f"/v1/documents/{document_id}/route/actions", who, json={"action": "forward"}))
    until(lambda: ok(stack.call("GET", f"/v1/documents/{document_id}/route", SECRETARY))["state"] == "signed")
    return dict(ok(stack.call("GET", f"/v1/documents/{document_id}", SECRETARY)))


def _my_turn(stack: Stack, user: tuple[str, str], document_id: str) -> bool:
    route = stack.call("GET", f"/v1/documents/{document_id}/route", user).json()
    return bool(route.get("state") == "signing" and route.get("your_turn"))


def test_a_meeting_from_invitation_to_certified_minutes(stack: Stack, tmp_path: Path) -> None:
    users = read_state(stack.port).users
    sub = {name: users[name]["sub"] for name in ("dept.head", "dept.director", "dept.staff1", "dept.staff2")}
    committee = ok(
        stack.call(
            "POST",
            "/v1/committees",
            ADMIN,
            json={
                "name": "คณะกรรมการขับเคลื่อนรัฐบาลดิจิทัล",
                "order_reference": "คำสั่งกรม ที่ 21/2569",
                "members": [
                    {"user_id": sub["dept.director"], "role": "chair"},
                    {"user_id": sub["dept.staff1"]},
                    {"user_id": sub["dept.staff2"]},
                    {
                        "agency_id": "mdes-ops",
                        "name": "นายปกรณ์ ประสานงาน",
                        "position": "ผู้แทนสำนักงานปลัดกระทรวง",
                    },
                    {"user_id": sub["dept.head"], "role": "secretary"},
                ],
            },
        ),
        201,
    )
    room = ok(
        stack.call(
            "POST", "/v1/resources", ADMIN, json={"kind": "room", "name": "ห้องประชุมขับเคลื่อน", "capacity": 30}
        ),
        201,
    )
    start = (datetime.now(UTC) + timedelta(days=3)).replace(hour=2, minute=0, second=0, microsecond=0)
    meeting = ok(
        stack.call(
            "POST",
            "/v1/meetings",
            SECRETARY,
            json={
                "committee_id": committee["id"],
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=2)).isoformat(),
                "room_id": room["id"],
                "agenda": [
                    {"section": "for_decision", "title": "แผนการเปลี่ยนผ่านสู่ระบบสารบรรณอิเล็กทรอนิกส์"},
                    {"section": "announcements", "title": "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"},
                ],
            },
        ),
        201,
    )
    assert (
        meeting["booking_id"]
        and meeting["place"] == "ห้องประชุมขับเคลื่อน"
        and meeting["other_agencies"] == ["mdes-ops"]
    )
    booking = ok(stack.call("GET", f"/v1/resources/{room['id']}/bookings/{meeting['booking_id']}", SECRETARY))
    assert booking["title"].startswith("ประชุมคณะกรรมการขับเคลื่อน") and booking["state"] == "confirmed"

    # The invitation: routed, signed by the director (the chair), numbered, and sent to mdes-ops.
    invitation = route_to_signed(
        stack, meeting["invitation_document_id"], [{"user_id": sub["dept.director"]}]
    )
    assert invitation["reference"].startswith("ที่ ดศ")
    sent = stack.call(
        "POST", f"/v1/documents/{invitation['id']}/sends", SARABAN, json={"recipients": ["mdes-ops"]}
    )
    assert sent.status_code == 202, sent.text
    delivered = until(
        lambda: next(
            (
                i
                for i in ok(stack.call("GET", "/v1/exchange/incoming", OPS_SARABAN))["items"]
                if i["subject"] == invitation["subject"] and i["file_status"] == "ready"
            ),
            None,
        )
    )
    assert delivered["signatures_valid"] is True
    assert stack.call("GET", f"/v1/meetings/{meeting['id']}", OPS_STAFF).status_code == 404  # not theirs

    # Answers: one attends, one is absent with a reason, the secretary records the other agency's.
    mid = meeting["id"]
    ok(stack.call("POST", f"/v1/meetings/{mid}/answers", MEMBER, json={"answer": "attend"}))
    ok(
        stack.call(
            "POST", f"/v1/meetings/{mid}/answers", ABSENT, json={"answer": "absent", "reason": "ลาพักผ่อน"}
        )
    )
    invitees = {
        i["name"]: i for i in ok(stack.call("GET", f"/v1/meetings/{mid}/attendance", SECRETARY))["invitees"]
    }
    outside = invitees["นายปกรณ์ ประสานงาน"]
    ok(
        stack.call(
            "POST",
            f"/v1/meetings/{mid}/answers",
            SECRETARY,
            json={"invitee_id": outside["id"], "answer": "attend"},
        )
    )
    for invitee in invitees.values():
        presence = "absent" if invitee["user_id"] == sub["dept.staff2"] else "in_person"
        ok(
            stack.call(
                "POST",
                f"/v1/meetings/{mid}/attendance",
                SECRETARY,
                json={"invitee_id": invitee["id"], "presence": presence},
            )
        )
    view = ok(stack.call("GET", f"/v1/meetings/{mid}/attendance", SECRETARY))
    assert (view["members"], view["present"], view["needed"], view["quorate"]) == (5, 4, 3, True)

    # A resolution, and an action item that lands in the member's inbox.
    decision = next(i for i in meeting["agenda"] if i["section"] == "for_decision")
    ok(
        stack.call(
            "PUT",
            f"/v1/meetings/{mid}/agenda/{decision['id']}/resolution",
            SECRETARY,
            json={"resolution": "เห็นชอบแผนการเปลี่ยนผ่าน", "votes": {"agree": 4, "disagree": 0, "abstain": 0}},
        )
    )
    due = (start + timedelta(days=14)).date().isoformat()
    ok(
        stack.call(
            "POST",
            f"/v1/meetings/{mid}/actions",
            SECRETARY,
            json={
                "item_id": decision["id"],
                "owner": sub["dept.staff1"],
                "text": "จัดทำแผนปฏิบัติการ",
                "due_on": due,
            },
        )
    )
    inbox = ok(stack.call("GET", "/v1/inbox", MEMBER, params={"kind": "task"}))
    assert any("จัดทำแผนปฏิบัติการ" in i["title"] and i["kind"] == "task" for i in inbox["items"]), inbox
    assert stack.call("GET", f"/v1/documents/{invitation['id']}", MEMBER).status_code == 200  # it opens

    # The minutes: drafted from the record, rendered, signed by the recorder and the chair, numbered.
    ok(
        stack.call(
            "POST",
            f"/v1/meetings/{mid}/close",
            SECRETARY,
            json={"started_at": start.isoformat(), "ended_at": (start + timedelta(minutes=100)).isoformat()},
        )
    )
    minuted = ok(stack.call("POST", f"/v1/meetings/{mid}/minutes", SECRETARY, json={}), 201)
    minutes_id = minuted["minutes_document_id"]
    assert (
        stack.call("POST", f"/v1/meetings/{mid}/minutes/circulate", SECRETARY).status_code == 409
    )  # unsigned
    minutes = route_to_signed(
        stack, minutes_id, [{"user_id": sub["dept.head"]}, {"user_id": sub["dept.director"]}]
    )
    assert minutes["registrations"] and len(minutes["signatures"]) == 2
    link = ok(stack.call("GET", f"/v1/documents/{minutes_id}/pdf", MEMBER))["url"]
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(requests.get(link, timeout=30).content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "minutes")], check=True)
    assert list(tmp_path.glob("minutes*.png"))
    report = ok(
        stack.call(
            "POST", "/v1/validate", MEMBER, data=pdf.read_bytes(), headers={"Content-Type": "application/pdf"}
        )
    )
    signed_by = [s["signer"]["subject"] for s in report["signatures"] if s["kind"] == "signature"]
    assert report["all_valid"] and len(signed_by) == 2, report  # the recorder, then the chair
    assert "วิชัย มั่นคง" in signed_by[0] and "ประภาพร วงศ์ไทย" in signed_by[1]
    circulated = ok(stack.call("POST", f"/v1/meetings/{mid}/minutes/circulate", SECRETARY))
    assert circulated["state"] == "minuted"
    notes = ok(stack.call("GET", "/v1/notifications", ABSENT))["notifications"]
    assert any(n["document_id"] == minutes_id for n in notes)

    # The next meeting certifies them under item 2, with a correction.
    later = start + timedelta(days=7)
    second = ok(
        stack.call(
            "POST",
            "/v1/meetings",
            SECRETARY,
            json={
                "committee_id": committee["id"],
                "starts_at": later.isoformat(),
                "ends_at": (later + timedelta(hours=1)).isoformat(),
                "place": "ห้องประชุม 2",
            },
        ),
        201,
    )
    item_two = next(i for i in second["agenda"] if i["section"] == "confirm_minutes")
    assert item_two["number"] == "2" and item_two["papers"][0]["document_id"] == minutes_id
    ok(
        stack.call(
            "POST",
            f"/v1/meetings/{second['id']}/certify-previous",
            SECRETARY,
            json={"corrections": ["ระเบียบวาระที่ 4 แก้ไขชื่อแผนเป็น แผนการเปลี่ยนผ่านฉบับที่ 1"]},
        )
    )
    first = ok(stack.call("GET", f"/v1/meetings/{mid}", MEMBER))
    assert first["state"] == "certified" and first["certified_at_meeting"] == second["id"]
    history = ok(stack.call("GET", f"/v1/documents/{minutes_id}/history", SECRETARY))
    assert any(e["action"] == "document.certified" for e in history["events"]), history


def test_the_stock_take_report_is_signed_and_registered(stack: Stack) -> None:
    """Assets over HTTP: the settings, an existing register imported, a checker who is not a supply
    officer appointed (a supply officer refused), findings, and the report routed, signed, numbered."""
    users = read_state(stack.port).users
    head, staff = users["dept.head"]["sub"], users["dept.staff2"]["sub"]
    settings = {
        "classes": [{"code": "7440-001", "name": "ครุภัณฑ์สำนักงาน", "life_years": 10}],
        "supply_officers": [staff],
        "holidays": ["2026-10-13", "2026-10-23"],
    }
    ok(stack.call("PUT", "/v1/assets/settings", ADMIN, json=settings))
    rows = [
        {
            "number": f"ทส-{n:04d}",
            "class_code": "7440-001",
            "description": f"โต๊ะทำงาน {n}",
            "acquired_on": "2020-01-15",
            "price": "4500.00",
        }
        for n in range(1, 4)
    ]
    imported = ok(stack.call("POST", "/v1/assets-import", ABSENT, json={"rows": rows}))
    assert imported["imported"] == 3
    year = 2569
    refused = stack.call("POST", "/v1/stocktakes", CHAIR, json={"fiscal_year": year, "checkers": [staff]})
    assert refused.status_code == 409 and "ข้อ 213" in refused.json()["detail_th"]
    ok(stack.call("POST", "/v1/stocktakes", CHAIR, json={"fiscal_year": year, "checkers": [head]}), 201)
    assets = {a["number"]: a["id"] for a in ok(stack.call("GET", "/v1/assets", SECRETARY))["items"]}
    ok(
        stack.call(
            "POST",
            f"/v1/stocktakes/{year}/findings",
            SECRETARY,
            json={"asset_id": assets["ทส-0001"], "result": "damaged"},
        )
    )
    report = ok(stack.call("POST", f"/v1/stocktakes/{year}/report", SECRETARY), 201)
    signed = route_to_signed(stack, report["document_id"], [{"user_id": head}])
    assert signed["registrations"] and signed["reference"].startswith("ที่ ดศ")
    assert signed["subject"] == f"รายงานผลการตรวจสอบพัสดุประจำปีงบประมาณ {year}"
