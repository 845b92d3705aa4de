"""iCalendar for bookings (RFC 5545), made with the icalendar library: feeds that calendar programs
subscribe to (METHOD:PUBLISH), and the invitation for a confirmed booking (METHOD:REQUEST, with
ORGANIZER and ATTENDEE, which Outlook and Google Calendar need to take it as an invitation). Times are
written with TZID=Asia/Bangkok and the matching VTIMEZONE, so no program shifts them by a zone."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.thai import BANGKOK

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
    rrule: dict[str, object] | None = None,
    exdates: list[datetime] | None = None,
) -> bytes:
    """The invitation for a booking (a series: its first occurrence with the RRULE the booking was
    asked with, and EXDATEs for occurrences cancelled): organizer and attendee as (name, e-mail)."""
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
    if rrule:
        event.add("rrule", _rrule(rrule))  # type: ignore[attr-defined]
        for moment in exdates or []:
            event.add("exdate", moment.astimezone(BANGKOK))  # type: ignore[attr-defined]
    calendar.add_component(event)  # type: ignore[attr-defined]
    return _finish(calendar)


def _rrule(rule: dict[str, object]) -> dict[str, object]:
    """The booking's rule (bookings/models.Recurrence) in RFC 5545's words."""
    from datetime import date

    found: dict[str, object] = {"freq": str(rule["freq"]).upper(), "interval": rule.get("interval", 1)}
    if rule.get("by_weekday"):
        found["byday"] = list(rule["by_weekday"])  # type: ignore[call-overload]
    if rule.get("by_set_position"):
        found["bysetpos"] = rule["by_set_position"]
    if rule.get("by_month_day"):
        found["bymonthday"] = rule["by_month_day"]
    if rule.get("until"):
        # UNTIL in UTC when DTSTART has a time zone (RFC 5545 3.3.10): the end of that Bangkok day.
        end = datetime.combine(date.fromisoformat(str(rule["until"])), datetime.max.time(), BANGKOK)
        found["until"] = end.replace(microsecond=0).astimezone(UTC)
    elif rule.get("count"):
        found["count"] = rule["count"]
    return found


def _finish(calendar: object) -> bytes:
    from datetime import date

    # The VTIMEZONE for every TZID used; Bangkok keeps +07:00 all year, the range only bounds the rules.
    calendar.add_missing_timezones(first_date=date(1970, 1, 1), last_date=date(2100, 1, 1))  # type: ignore[attr-defined]
    return bytes(calendar.to_ical())  # type: ignore[attr-defined]


def uid(booking_id: str, start: datetime) -> str:
    return f"{booking_id}-{start.astimezone(UTC):%Y%m%dT%H%M%SZ}@{UID_DOMAIN}"
