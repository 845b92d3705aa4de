"""A booking confirmed at once tells its booker, and the e-mail carries the calendar invitation: an
inline text/calendar part with METHOD:REQUEST (how Outlook and Google take it as an invitation) and
the invite.ics file; a series goes as one event with its RRULE, occurrences cancelled as EXDATEs."""

from __future__ import annotations

import email
from datetime import UTC, date, datetime, time
from email import policy
from types import SimpleNamespace
from typing import Any

import icalendar
import pytest
from chalicelib.bookings import models, service
from chalicelib.kernel.principal import Principal, Role
from chalicelib.notifications import service as notifications
from chalicelib.notifications import store as notification_store
from chalicelib.saraban import Secrecy
from chalicelib.thai import BANGKOK

AGENCY = "invite-test"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
BOOKER = Principal(
    AGENCY, "booker", "booker", "นางสมศรี ใจดี", "", ("office",), frozenset({Role.STAFF}), Secrecy.NORMAL
)
ADMIN = Principal(AGENCY, "admin", "admin", "admin", "", ("office",), frozenset({Role.ADMIN}), Secrecy.NORMAL)


@pytest.fixture(scope="module")
def room(aws: Any) -> str:
    from chalicelib.directory.store import onboard_records

    people = {
        "booker": {"username": "booker", "name": "สมศรี ใจดี", "title": "นาง", "email": "somsri@invite.go.th"},
        "admin": {"username": "admin", "name": "admin", "roles": ["admin"]},
    }
    onboard_records(
        AGENCY,
        {"name": "กรมทดสอบเชิญประชุม", "ministry_code": "ทส", "settings": {}},
        {},
        people,
        actor="t",
        at=NOW,
    )
    notifications.use_attachment("booking/", service.invitation_for)  # as app.py wires it
    command = models.ResourceCommand.model_validate({"kind": "room", "name": "ห้องประชุมชั้น 5"})
    return service.create_resource(ADMIN, command, now=NOW).id


def sent_raw() -> list[str]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    messages = ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-7"].sent_messages
    return [m.raw_data for m in messages if hasattr(m, "raw_data")]


def stream_the_notifications() -> None:
    """What the records stream does with the new notifications (notifications.react)."""
    for item in notification_store.notifications(AGENCY, "booker"):
        image = {
            "pk": item.pk,
            "sk": item.sk,
            "document_id": item.document_id,
            "text": item.text,
            "at": item.at.isoformat(),
        }
        notifications.react(
            SimpleNamespace(
                event_name=SimpleNamespace(name="INSERT"), dynamodb=SimpleNamespace(new_image=image)
            )
        )


def test_a_confirmed_series_is_mailed_with_its_invitation(room: str) -> None:
    day = date(2027, 1, 5)
    command = models.BookCommand.model_validate_json(
        models.BookCommand.model_construct(
            start=datetime.combine(day, time(9), BANGKOK),
            end=datetime.combine(day, time(10, 30), BANGKOK),
            title="ประชุมผู้บริหารประจำสัปดาห์",
            recurrence=models.Recurrence.model_construct(
                freq="weekly", interval=1, by_weekday=["TU"], until=date(2027, 3, 30)
            ),
        ).model_dump_json(exclude_none=True)
    )
    booked = service.book(BOOKER, room, command, now=NOW)
    service.cancel(
        BOOKER,
        room,
        booked.id,
        models.CancelCommand(scope="one", occurrence=booked.occurrences[2].start),
        now=NOW,
    )
    before = len(sent_raw())
    stream_the_notifications()
    assert notifications.send_due(now=NOW) >= 1
    raw = sent_raw()[before:]
    assert len(raw) == 1
    message = email.message_from_string(raw[0], policy=policy.default)
    assert message["To"] == "somsri@invite.go.th"
    assert str(message["Subject"]).startswith("[สารบรรณ] ยืนยันการจองห้องประชุมชั้น 5")
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "ยืนยันการจอง" in parts["text/plain"].get_content()
    inline = next(
        p for p in message.walk() if p.get_content_type() == "text/calendar" and not p.get_filename()
    )
    assert inline.get_param("method") == "REQUEST"
    attached = next(p for p in message.walk() if p.get_filename() == "invite.ics")
    calendar = icalendar.Calendar.from_ical(attached.get_payload(decode=True))
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime.combine(day, time(9), BANGKOK)
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU"]
    assert rule["UNTIL"][0] == datetime(2027, 3, 30, 16, 59, 59, tzinfo=UTC)  # the end of 30 March in Bangkok
    exdates = [d.dt for d in event["exdate"].dts]  # one EXDATE: the occurrence cancelled
    assert exdates == [datetime.combine(date(2027, 1, 19), time(9), BANGKOK)]
    assert str(event["attendee"]) == "mailto:somsri@invite.go.th"
    assert str(event["location"]) == "ห้องประชุมชั้น 5"
