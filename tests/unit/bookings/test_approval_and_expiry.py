"""A room that needs approval: the booking is pending and holds its slot; the approver approves or
declines with a reason (the booker is told); a pending booking nobody decides on expires, and its
slot is free from its deadline on; cancellation keeps the rules' deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from chalicelib.bookings import models, service
from chalicelib.kernel.errors import Conflict, Forbidden
from chalicelib.kernel.principal import Principal, Role
from chalicelib.notifications import service as notifications
from chalicelib.saraban import Secrecy
from chalicelib.thai import BANGKOK

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
DAY = date(2026, 12, 8)


def person(user: str, *roles: Role, agency: str = "book-test") -> Principal:
    return Principal(agency, user, user, f"คุณ {user}", "", ("office",), frozenset(roles), Secrecy.NORMAL)


ADMIN, BOOKER, APPROVER, OTHER = (
    person("admin", Role.ADMIN),
    person("booker"),
    person("approver"),
    person("other"),
)


def at(hour: int, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour), BANGKOK)


@pytest.fixture(scope="module")
def room(aws: Any) -> str:
    command = models.ResourceCommand.model_validate(
        {
            "kind": "room",
            "name": "ห้องประชุมใหญ่",
            "approvers": ["approver"],
            "rules": {"approval": True, "hold_hours": 24, "cancel_before_minutes": 120},
        }
    )
    return service.create_resource(ADMIN, command, now=NOW).id


def book(room: str, who: Principal, start: int, end: int, title: str, *, now: datetime = NOW) -> Any:
    command = models.BookCommand.model_validate({"start": at(start), "end": at(end), "title": title})
    return service.book(who, room, command, now=now)


def test_pending_holds_the_slot_until_the_approver_decides(room: str) -> None:
    pending = book(room, BOOKER, 9, 11, "ประชุมคณะทำงาน")
    assert pending.state == "pending" and pending.hold_until == NOW + timedelta(hours=24)
    assert any("ขออนุมัติใช้ห้องประชุมใหญ่" in n.text for n in notifications.listing(APPROVER).notifications)
    with pytest.raises(Conflict):
        book(room, OTHER, 10, 12, "ประชุมอื่น")  # the pending booking holds the slot
    with pytest.raises(Forbidden):
        service.decide(OTHER, room, pending.id, models.Decision(approve=True), now=NOW)
    approved = service.decide(APPROVER, room, pending.id, models.Decision(approve=True), now=NOW)
    assert approved.state == "confirmed" and approved.hold_until is None
    assert any("จองแล้ว" in n.text for n in notifications.listing(BOOKER).notifications)
    with pytest.raises(Conflict):
        service.decide(APPROVER, room, pending.id, models.Decision(approve=False, reason="ซ้ำ"), now=NOW)


def test_a_decline_needs_its_reason_and_frees_the_slot(room: str) -> None:
    pending = book(room, BOOKER, 13, 14, "สัมภาษณ์งาน")
    with pytest.raises(Conflict):
        service.decide(APPROVER, room, pending.id, models.Decision(approve=False), now=NOW)
    declined = service.decide(
        APPROVER, room, pending.id, models.Decision(approve=False, reason="ห้องปิดปรับปรุง"), now=NOW
    )
    assert declined.state == "declined" and declined.reason == "ห้องปิดปรับปรุง"
    assert book(room, OTHER, 13, 14, "ใช้แทน").state == "pending"


def test_a_pending_booking_nobody_decides_on_expires_and_frees_its_slot(room: str) -> None:
    pending = book(room, BOOKER, 15, 16, "ประชุมที่ยังไม่อนุมัติ")
    later = NOW + timedelta(hours=25)
    # From its deadline on, the slot is free even before the job records the expiry.
    taker = book(room, OTHER, 15, 16, "จองหลังหมดเวลา", now=later)
    assert taker.state == "pending"
    assert service.expire_holds(now=later) >= 1
    assert service.get_booking(BOOKER, room, pending.id).state == "expired"
    assert service.expire_holds(now=later) == 0
    with pytest.raises(Conflict):
        service.decide(APPROVER, room, pending.id, models.Decision(approve=True), now=later)


def test_cancellation_keeps_the_deadline_but_the_officer_may_and_records_a_no_show(room: str) -> None:
    pending = book(room, BOOKER, 17, 18, "ประชุมช่วงเย็น")
    service.decide(APPROVER, room, pending.id, models.Decision(approve=True), now=NOW)
    late = at(16, DAY)  # an hour before: the rule says two
    with pytest.raises(Conflict):
        service.cancel(BOOKER, room, pending.id, models.CancelCommand(), now=late)
    with pytest.raises(Forbidden):
        service.cancel(BOOKER, room, pending.id, models.CancelCommand(no_show=True), now=late)
    noshow = service.cancel(ADMIN, room, pending.id, models.CancelCommand(no_show=True), now=at(18, DAY))
    assert noshow.state == "no_show"


def test_the_booker_is_reminded_once_a_day_ahead(room: str) -> None:
    booked = book(room, BOOKER, 19, 20, "ประชุมเตรียมงาน", now=NOW)  # pending: not reminded
    day = date(2026, 12, 9)
    confirmed = service.book(
        BOOKER,
        room,
        models.BookCommand.model_validate({"start": at(9, day), "end": at(10, day), "title": "ประชุมทีม"}),
        now=NOW,
    )
    service.decide(APPROVER, room, confirmed.id, models.Decision(approve=True), now=NOW)
    evening_before = at(12, date(2026, 12, 8))
    reminded = service.remind_upcoming(now=evening_before)
    assert reminded >= 1
    assert service.remind_upcoming(now=evening_before) == 0  # once
    texts = [n.text for n in notifications.listing(BOOKER).notifications]
    assert any(t.startswith("เตือนการจองห้องประชุมใหญ่: ประชุมทีม") for t in texts)
    assert not any("เตือนการจอง" in t and "ประชุมเตรียมงาน" in t for t in texts)
    assert booked.state == "pending"


def test_the_admin_puts_a_room_in_maintenance_and_nobody_books_it_until_it_is_back(room: str) -> None:
    with pytest.raises(Forbidden):
        service.change_resource(BOOKER, room, models.ResourceChange(status="maintenance"), now=NOW)
    closed = service.change_resource(
        ADMIN, room, models.ResourceChange(status="maintenance", floor="ชั้น 3"), now=NOW
    )
    assert closed.status == "maintenance" and closed.floor == "ชั้น 3" and closed.name == "ห้องประชุมใหญ่"
    with pytest.raises(Conflict):
        book(room, OTHER, 7, 8, "ประชุมช่วงเช้า")
    service.change_resource(ADMIN, room, models.ResourceChange(status="available"), now=NOW)
    assert book(room, OTHER, 7, 8, "ประชุมช่วงเช้า").state == "pending"
