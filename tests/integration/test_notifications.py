"""Notifications by e-mail on the local stack: a letter delivered to dept tells dept's saraban officers,
in-app and by e-mail through SES (the embedded backend keeps what it sent); nobody in the sending
agency hears of dept's copy; a user chooses a daily digest and sees where their mail goes."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from devstack.stack import read_state
from tests.integration.conftest import Stack
from tests.integration.test_exchange import DEPT, OPS, arrived, send
from tests.integration.test_iam_enforced import invoke, signed_letter, until

pytestmark = pytest.mark.integration


def mailbox(stack: Stack) -> list[dict[str, Any]]:
    state = read_state(stack.port)
    return list(requests.get(f"{state.backend_url}/_devstack/ses", timeout=30).json())


def send_due(stack: Stack) -> None:
    ran = invoke(read_state(stack.port), "send_notifications")
    assert ran.returncode == 0, ran.stderr[-2000:]


def test_a_delivered_letter_is_mailed_to_the_recipients_saraban_officers_only(stack: Stack) -> None:
    document_id = signed_letter(stack)
    came = arrived(stack, send(stack, document_id)["delivery_id"])
    in_app = stack.call("GET", "/v1/notifications", DEPT).json()["notifications"]
    assert any(
        n["document_id"] == came["document_id"] and n["text"].startswith("หนังสือเข้าจาก") for n in in_app
    )

    def mailed() -> list[dict[str, Any]]:
        send_due(stack)  # what the schedule runs every 5 minutes (the stream may be a moment behind)
        return [m for m in mailbox(stack) if m["subject"].startswith("[สารบรรณ] หนังสือเข้าจาก สำนักงานปลัด")]

    found = until(mailed, timeout=90)
    # Only dept's saraban officer hears of dept's copy: no one in ops, no other dept user.
    assert {address for m in found for address in m["to"]} == {"dept.saraban@mdes-dept.demo.eoffice.go.th"}
    assert found[0]["body"].startswith("เรียน นางสมศรี ใจดี") and came["subject"] in found[0]["subject"]


def test_a_user_chooses_a_daily_digest_and_sees_the_address(stack: Stack) -> None:
    shown = stack.call("GET", "/v1/me/notification-settings", OPS)
    assert shown.status_code == 200 and shown.json()["address"] == "ops.saraban@mdes-ops.demo.eoffice.go.th"
    changed = stack.call(
        "PUT", "/v1/me/notification-settings", OPS, json={"email": "digest", "digest_hour": 7}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["email_th"] == "สรุปวันละครั้ง" and changed.json()["digest_hour"] == 7
    wrong = stack.call("PUT", "/v1/me/notification-settings", OPS, json={"email": "hourly"})
    assert wrong.status_code == 422 and wrong.json()["detail_th"]
    back = stack.call("PUT", "/v1/me/notification-settings", OPS, json={"email": "each"})
    assert back.status_code == 200


def test_a_booking_confirmation_is_mailed_with_its_calendar_invitation(stack: Stack) -> None:
    """Through the stack's SES (raw MIME, under send_notifications' own role): the invitation rides
    along as invite.ics, so the booker's calendar takes the meeting."""
    from tests.integration.test_bookings import ADMIN, at, next_weekday

    made = stack.call("POST", "/v1/resources", ADMIN, json={"kind": "room", "name": "ห้องประชุมทดสอบอีเมล"})
    assert made.status_code == 201, made.text
    day = next_weekday(3, weeks_ahead=5)
    booked = stack.call(
        "POST",
        f"/v1/resources/{made.json()['id']}/bookings",
        OPS,
        json={"start": at(day, 14), "end": at(day, 15), "title": "ประชุมเตรียมงบประมาณ"},
    )
    assert booked.status_code == 201, booked.text
    until(
        lambda: any(
            "ประชุมเตรียมงบประมาณ" in n["text"]
            for n in stack.call("GET", "/v1/notifications", OPS).json()["notifications"]
        )
    )

    def confirmation() -> dict[str, Any] | None:
        send_due(stack)  # the stream may not have put it in the outbox yet: the job runs again
        return next((m for m in mailbox(stack) if "ยืนยันการจองห้องประชุมทดสอบอีเมล" in m["subject"]), None)

    mail = until(confirmation, timeout=90)
    assert mail["to"] == ["ops.saraban@mdes-ops.demo.eoffice.go.th"] and mail["attachments"] == ["invite.ics"]
