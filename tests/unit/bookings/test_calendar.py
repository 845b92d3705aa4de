"""The iCalendar the bookings produce, parsed back with the same library: every field, the Bangkok
VTIMEZONE, the METHOD an invitation needs, and a feed whose token can be revoked."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
import pytest
from chalicelib.bookings import calendar, models, service
from chalicelib.kernel.errors import NotFound
from chalicelib.kernel.principal import Principal, Role
from chalicelib.saraban import Secrecy
from chalicelib.thai import BANGKOK

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
START = datetime(2027, 1, 4, 9, 0, tzinfo=BANGKOK)


def test_an_invitation_is_a_request_with_organizer_attendee_and_bangkok_times() -> None:
    raw = calendar.invitation(
        calendar.uid("b1", START),
        START,
        START + timedelta(hours=2),
        "ประชุมคณะกรรมการ ครั้งที่ 1/2570",
        "ห้องประชุม 1 ชั้น 3",
        organizer=("ระบบสารบรรณอิเล็กทรอนิกส์", "no-reply@eoffice.go.th"),
        attendee=("นางสมศรี ใจดี", "somsri@agency.go.th"),
        now=NOW,
    )
    parsed = icalendar.Calendar.from_ical(raw)
    assert str(parsed["method"]) == "REQUEST" and str(parsed["version"]) == "2.0"
    [zone] = parsed.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Asia/Bangkok"
    [standard] = zone.walk("STANDARD")
    assert standard["tzoffsetto"].td == timedelta(hours=7)
    [event] = parsed.walk("VEVENT")
    assert event["uid"] == "b1-20270104T020000Z@eoffice.go.th"
    assert event.decoded("dtstart") == START and event.decoded("dtend") == START + timedelta(hours=2)
    assert event["dtstart"].params["TZID"] == "Asia/Bangkok"
    assert str(event["summary"]) == "ประชุมคณะกรรมการ ครั้งที่ 1/2570"
    assert str(event["location"]) == "ห้องประชุม 1 ชั้น 3"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:no-reply@eoffice.go.th"
    assert event["organizer"].params["CN"] == "ระบบสารบรรณอิเล็กทรอนิกส์"
    assert str(event["attendee"]) == "mailto:somsri@agency.go.th"
    assert event["attendee"].params["PARTSTAT"] == "ACCEPTED"
    assert event.decoded("dtstamp") == NOW


def person(user: str, *roles: Role) -> Principal:
    return Principal("feed-test", user, user, f"คุณ {user}", "", ("office",), frozenset(roles), Secrecy.NORMAL)


@pytest.fixture(scope="module")
def room(aws: Any) -> str:
    command = models.ResourceCommand.model_validate({"kind": "room", "name": "ห้องประชุมเล็ก"})
    return service.create_resource(person("admin", Role.ADMIN), command, now=NOW).id


def test_a_feed_lists_the_bookings_and_a_new_token_revokes_the_old(room: str) -> None:
    booker, admin = person("booker"), person("admin", Role.ADMIN)
    day = date(2027, 1, 5)
    command = models.BookCommand.model_validate(
        {
            "start": datetime.combine(day, time(9), BANGKOK),
            "end": datetime.combine(day, time(10), BANGKOK),
            "title": "ประชุมประจำสัปดาห์",
            "recurrence": {"freq": "weekly", "by_weekday": ["TU"], "count": 3},
        }
    )
    booked = service.book(booker, room, command, now=NOW)
    service.cancel(
        booker,
        room,
        booked.id,
        models.CancelCommand(scope="one", occurrence=booked.occurrences[1].start),
        now=NOW,
    )
    first = service.new_feed(admin, "resource", room, now=NOW).path.rsplit("/", 1)[1]
    parsed = icalendar.Calendar.from_ical(service.feed(first, now=NOW))
    assert str(parsed["method"]) == "PUBLISH"
    events = sorted(parsed.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert {str(e["location"]) for e in events} == {"ห้องประชุมเล็ก"}
    mine = service.new_feed(booker, "user", "booker", now=NOW).path.rsplit("/", 1)[1]
    assert len(icalendar.Calendar.from_ical(service.feed(mine, now=NOW)).walk("VEVENT")) == 3
    second = service.new_feed(admin, "resource", room, now=NOW).path.rsplit("/", 1)[1]
    with pytest.raises(NotFound):
        service.feed(first, now=NOW)  # the new address revoked the old
    service.feed(second, now=NOW)
    service.revoke_feed(admin, "resource", room, now=NOW)
    with pytest.raises(NotFound):
        service.feed(second, now=NOW)


def test_the_resource_says_whether_it_has_a_calendar_address_to_those_who_manage_it(aws: Any) -> None:
    admin, officer, user = person("admin", Role.ADMIN), person("officer"), person("user")
    command = models.ResourceCommand.model_validate(
        {"kind": "room", "name": "ห้องประชุมใหญ่", "officers": ["officer"]}
    )
    made = service.create_resource(admin, command, now=NOW)
    assert made.has_calendar_feed is False

    def listed(who: Principal) -> bool:
        [view] = [r for r in service.list_resources(who).items if r.id == made.id]
        return view.has_calendar_feed

    assert not listed(admin) and not listed(officer)
    service.new_feed(officer, "resource", made.id, now=NOW)
    assert listed(admin) and listed(officer)
    assert not listed(user)  # not one who manages it: not told
    renamed = service.change_resource(officer, made.id, models.ResourceChange(name="ห้องประชุมใหญ่ 2"), now=NOW)
    assert renamed.has_calendar_feed is True
    service.revoke_feed(admin, "resource", made.id, now=NOW)
    assert not listed(admin) and not listed(officer)
    renamed = service.change_resource(officer, made.id, models.ResourceChange(name="ห้องประชุมใหญ่ 3"), now=NOW)
    assert renamed.has_calendar_feed is False
