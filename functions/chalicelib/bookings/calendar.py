"""iCalendar for bookings (RFC 5545), made with the icalendar library: feeds that calendar programs
subscribe to (METHOD:PUBLISH), and the invitation for a confirmed booking (METHOD:REQUEST, with
ORGANIZER and ATTENDEE, which Outlook and Google Calendar need to take it as an invitation). Times are
written with TZID=Asia/Bangkok and the matching VTIMEZONE, so no program shifts them by a zone."""

from __future__ import annotations

from datetime import UTC, datetime

PRODID = "-//e-Office platform//Saraban//TH"
UID_DOMAIN = "eoffice.go.th"


def _calendar(method: str, name: str) -> object:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Bangkok")
    return calendar


def _event(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    *,
    status: str,
    stamp: datetime,
    sequence: int = 0,
) -> object:
    import icalendar

    from chalicelib.thai import BANGKOK

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start.astimezone(BANGKOK))
    event.add("dtend", end.astimezone(BANGKOK))
    event.add("summary", summary)
    event.add("location", location)
    event.add("status", status)  # CONFIRMED | TENTATIVE | CANCELLED
    event.add("sequence", sequence)
    return event


def feed(name: str, events: list[tuple[str, datetime, datetime, str, str, str]], *, now: datetime) -> bytes:
    """A subscription feed: (uid, start, end, summary, location, status) for each occurrence."""
    calendar = _calendar("PUBLISH", name)
    for uid, start, end, summary, location, status in events:
        calendar.add_component(_event(uid, start, end, summary, location, status=status, stamp=now))  # type: ignore[attr-defined]
    return _finish(calendar)


def invitation(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    *,
    organizer: tuple[str, str],
    attendee: tuple[str, str],
    now: datetime,
) -> bytes:
    """The invitation for a booking's occurrence: organizer and attendee as (name, e-mail)."""
    import icalendar

    calendar = _calendar("REQUEST", summary)
    event = _event(uid, start, end, summary, location, status="CONFIRMED", stamp=now)
    organizer_address = icalendar.vCalAddress(f"mailto:{organizer[1]}")
    organizer_address.params["cn"] = icalendar.vText(organizer[0])
    event.add("organizer", organizer_address)  # type: ignore[attr-defined]
    attendee_address = icalendar.vCalAddress(f"mailto:{attendee[1]}")
    attendee_address.params["cn"] = icalendar.vText(attendee[0])
    attendee_address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee_address.params["partstat"] = icalendar.vText("ACCEPTED")
    event.add("attendee", attendee_address)  # type: ignore[attr-defined]
    calendar.add_component(event)  # type: ignore[attr-defined]
    return _finish(calendar)


def _finish(calendar: object) -> bytes:
    from datetime import date

    # The VTIMEZONE for every TZID used; Bangkok keeps +07:00 all year, the range only bounds the rules.
    calendar.add_missing_timezones(first_date=date(1970, 1, 1), last_date=date(2100, 1, 1))  # type: ignore[attr-defined]
    return bytes(calendar.to_ical())  # type: ignore[attr-defined]


def uid(booking_id: str, start: datetime) -> str:
    return f"{booking_id}-{start.astimezone(UTC):%Y%m%dT%H%M%SZ}@{UID_DOMAIN}"
