"""Booking rules as plain values: intervals, a day's plan, clashes, recurrence, the resource's rules.

**How a booking stays conflict-free, for ranges of any length.** Time is cut at the agency's midnight
(Asia/Bangkok): a resource has one *day plan* per local date it is booked on, listing that date's
intervals. A booking of any length touches the day plans of the dates it covers; it is written by one
DynamoDB transaction that puts every one of those day plans back only if its version is still the one
read (optimistic concurrency). Two overlapping bookings always share at least one date, so both try
to write that date's plan: the transaction of one succeeds, the other's version check fails, it reads
again, sees the clash and is refused with the clashing booking named. No lock service, no scan; a
booking non-overlapping with another on the same date only retries. A transaction holds 100 items:
a booking (or series) touches at most MAX_DAYS dates, far beyond any resource's maximum length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from chalicelib.kernel.errors import Conflict, InvalidInput
from chalicelib.thai import BANGKOK, thai_date_short, thai_time

MAX_DAYS = 90  # dates one booking or series may touch (one transaction: days + booking + audit)
MAX_OCCURRENCES = 90


class BookingState(StrEnum):
    PENDING = "pending"  # holds the slot until hold_until, waiting for the approver
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # a pending booking nobody decided on in time
    NO_SHOW = "no_show"

    @property
    def holds(self) -> bool:
        return self in (BookingState.PENDING, BookingState.CONFIRMED)


STATE_TH = {
    BookingState.PENDING: "รออนุมัติ",
    BookingState.CONFIRMED: "จองแล้ว",
    BookingState.DECLINED: "ไม่อนุมัติ",
    BookingState.CANCELLED: "ยกเลิก",
    BookingState.EXPIRED: "หมดเวลารออนุมัติ",
    BookingState.NO_SHOW: "ไม่มาใช้",
}


@dataclass(frozen=True)
class Span:
    start: datetime  # aware
    end: datetime

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def dates(self) -> list[date]:
        """The local dates the span touches (an end at midnight does not touch the next date)."""
        first = self.start.astimezone(BANGKOK).date()
        last = (self.end.astimezone(BANGKOK) - timedelta(microseconds=1)).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def label(self) -> str:
        start, end = self.start.astimezone(BANGKOK), self.end.astimezone(BANGKOK)
        same_day = start.date() == end.date()
        tail = thai_time(end) if same_day else f"{thai_date_short(end)} {thai_time(end)}"
        return f"{thai_date_short(start)} {thai_time(start)} - {tail}"


@dataclass(frozen=True)
class Entry:
    """One interval of a booking on a day plan, as stored (JSON)."""

    booking: str
    start: datetime
    end: datetime
    state: BookingState
    hold_until: datetime | None
    title: str
    booker: str
    agency: str = ""  # the booker's agency (another's, on a shared resource)

    def holds_at(self, now: datetime) -> bool:
        if self.state is BookingState.PENDING:
            return self.hold_until is None or self.hold_until > now
        return self.state.holds

    def to_json(self) -> dict[str, Any]:
        return {
            "booking": self.booking,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "state": self.state.value,
            "hold_until": self.hold_until.isoformat() if self.hold_until else None,
            "title": self.title,
            "booker": self.booker,
            "agency": self.agency,
        }

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Entry:
        return cls(
            raw["booking"],
            datetime.fromisoformat(raw["start"]),
            datetime.fromisoformat(raw["end"]),
            BookingState(raw["state"]),
            datetime.fromisoformat(raw["hold_until"]) if raw.get("hold_until") else None,
            raw.get("title", ""),
            raw.get("booker", ""),
            raw.get("agency", ""),
        )


@dataclass(frozen=True)
class Clash:
    span: Span  # the requested occurrence that clashes
    other: Entry


def clashes(
    spans: list[Span], plans: dict[date, list[Entry]], now: datetime, *, ignore: str = ""
) -> list[Clash]:
    found = []
    for span in spans:
        for day in span.dates():
            for entry in plans.get(day, []):
                if (
                    entry.booking != ignore
                    and entry.holds_at(now)
                    and span.overlaps(Span(entry.start, entry.end))
                ):
                    found.append(Clash(span, entry))
    unique = {(c.span, c.other.booking): c for c in found}
    return list(unique.values())


def visible_title(entry: Entry, caller_agency: str, owner: str) -> str:
    """A booking's title as a caller may see it: the owner agency sees all on its resource; another
    agency sees its own users' titles, and of the rest only that the time is taken."""
    if caller_agency in (owner, entry.agency or owner):
        return entry.title
    return "มีผู้จองแล้ว"


def refuse_clashes(found: list[Clash], caller_agency: str, owner: str) -> None:
    """Refused with each clash named as far as the caller may see it (visible_title)."""
    if not found:
        return
    lines_th, lines_en = [], []
    for clash in found[:10]:
        who = visible_title(clash.other, caller_agency, owner)
        lines_th.append(f"{clash.span.label()} ชนกับ {who} ({STATE_TH[clash.other.state]})")
        lines_en.append(f"{clash.span.start.isoformat()} clashes with booking {clash.other.booking}")
    more = f" และอีก {len(found) - 10} รายการ" if len(found) > 10 else ""
    raise Conflict(
        "ช่วงเวลาที่ขอจองไม่ว่าง: " + "; ".join(lines_th) + more,
        f"{len(found)} occurrence(s) clash: " + "; ".join(lines_en),
        clashes=[
            {"start": c.span.start.isoformat(), "end": c.span.end.isoformat(), "booking": c.other.booking}
            for c in found
        ],
    )


# -- the resource's rules ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rules:
    opens: time = time(7, 0)
    closes: time = time(20, 0)
    min_notice_minutes: int = 0
    max_minutes: int = 12 * 60
    cancel_before_minutes: int = 0
    approval: bool = False  # pending until an approver decides
    hold_hours: int = 48  # how long a pending booking holds its slot

    def check(self, span: Span, now: datetime, *, vehicle: bool) -> None:
        if span.end <= span.start:
            raise InvalidInput("เวลาสิ้นสุดต้องหลังเวลาเริ่ม", "the end must be after the start")
        # The rest depend on the resource's rules and the clock, not on the request's form: 409.
        if span.start < now + timedelta(minutes=self.min_notice_minutes):
            raise Conflict(
                f"ต้องจองล่วงหน้าอย่างน้อย {self.min_notice_minutes} นาที",
                f"book at least {self.min_notice_minutes} minutes ahead",
            )
        if (span.end - span.start) > timedelta(minutes=self.max_minutes):
            raise Conflict(
                f"จองได้ไม่เกิน {self.max_minutes // 60} ชั่วโมง {self.max_minutes % 60} นาทีต่อครั้ง",
                f"at most {self.max_minutes} minutes per booking",
            )
        if not vehicle:  # a room is used within its opening hours; a trip may run overnight
            start, end = span.start.astimezone(BANGKOK), span.end.astimezone(BANGKOK)
            if start.date() != end.date() or start.time() < self.opens or end.time() > self.closes:
                raise Conflict(
                    f"ห้องเปิดให้จอง {self.opens:%H.%M}-{self.closes:%H.%M} น. ภายในวันเดียว",
                    f"the room is booked between {self.opens:%H:%M} and {self.closes:%H:%M}, within one day",
                )

    def may_cancel(self, start: datetime, now: datetime) -> bool:
        return now <= start - timedelta(minutes=self.cancel_before_minutes)


# -- recurrence ------------------------------------------------------------------------------------
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def occurrences(first: Span, recurrence: dict[str, Any] | None) -> list[Span]:
    """The series' occurrences, expanded with dateutil's rrule in Bangkok local time (so 09:00 stays
    09:00 on every date, and a monthly rule on the 31st skips months without one, as RFC 5545 says)."""
    if not recurrence:
        return [first]
    from dateutil import rrule

    local_start = first.start.astimezone(BANGKOK).replace(tzinfo=None)
    length = first.end - first.start
    freq = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY}[recurrence["freq"]]
    kwargs: dict[str, Any] = {"dtstart": local_start, "interval": recurrence.get("interval", 1)}
    weekdays = [getattr(rrule, d) for d in recurrence.get("by_weekday") or []]
    if recurrence.get("by_set_position"):  # monthly by weekday: the 2nd Tuesday, the last Friday
        kwargs["byweekday"] = weekdays
        kwargs["bysetpos"] = recurrence["by_set_position"]
    elif weekdays:
        kwargs["byweekday"] = weekdays
    if recurrence.get("by_month_day"):
        kwargs["bymonthday"] = recurrence["by_month_day"]
    if recurrence.get("until"):
        kwargs["until"] = datetime.combine(date.fromisoformat(recurrence["until"]), time(23, 59, 59))
    else:
        kwargs["count"] = recurrence.get("count") or 1
    try:
        rule = rrule.rrule(freq, **kwargs)
    except ValueError as error:  # a combination the recurrence rules do not allow
        raise InvalidInput("รูปแบบการจองซ้ำไม่ถูกต้อง", f"the recurrence is not valid: {error}") from error
    found = []
    for local in rule:
        start = local.replace(tzinfo=BANGKOK)
        found.append(Span(start, start + length))
        if len(found) > MAX_OCCURRENCES:
            raise InvalidInput(
                f"ชุดการจองมีได้ไม่เกิน {MAX_OCCURRENCES} ครั้งต่อคำขอ",
                f"a series has at most {MAX_OCCURRENCES} occurrences per request",
            )
    if not found:
        raise InvalidInput("รูปแบบการจองซ้ำไม่มีวันใดตรงเงื่อนไข", "the recurrence yields no occurrence")
    return found


def dates_of(spans: list[Span]) -> list[date]:
    days = sorted({d for s in spans for d in s.dates()})
    if len(days) > MAX_DAYS:
        raise InvalidInput(
            f"คำขอหนึ่งครอบคลุมได้ไม่เกิน {MAX_DAYS} วัน", f"one request covers at most {MAX_DAYS} dates"
        )
    return days
