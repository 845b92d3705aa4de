"""Booking rules as plain values: spans and their dates, clashes, the resource's rules, and series
expanded in Bangkok time around month ends, leap days and the year boundary (พ.ศ. 2569 -> 2570)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from chalicelib.bookings.domain import (
    BookingState,
    Entry,
    Rules,
    Span,
    clashes,
    dates_of,
    occurrences,
    refuse_clashes,
)
from chalicelib.kernel.errors import Conflict, InvalidInput
from chalicelib.thai import BANGKOK, buddhist_year

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BANGKOK)


def test_a_span_touches_the_local_dates_it_covers_and_midnight_ends_it() -> None:
    day = date(2026, 12, 1)
    assert Span(at(day, 9), at(day, 12)).dates() == [day]
    assert Span(at(day, 22), at(day + timedelta(days=2), 0)).dates() == [day, day + timedelta(days=1)]
    overnight = Span(datetime(2026, 12, 1, 16, 30, tzinfo=UTC), datetime(2026, 12, 1, 18, 0, tzinfo=UTC))
    assert overnight.dates() == [date(2026, 12, 1), date(2026, 12, 2)]  # 23:30 to 01:00 in Bangkok


def test_clashes_ignore_touching_ends_released_and_lapsed_pending_bookings() -> None:
    day = date(2026, 12, 1)
    entries = [
        Entry("a", at(day, 9), at(day, 10), BookingState.CONFIRMED, None, "ประชุมกอง", "u1"),
        Entry("b", at(day, 13), at(day, 14), BookingState.PENDING, NOW + timedelta(hours=1), "รออนุมัติ", "u2"),
        Entry("c", at(day, 15), at(day, 16), BookingState.PENDING, NOW - timedelta(hours=1), "หมดเวลา", "u3"),
        Entry("d", at(day, 16), at(day, 17), BookingState.CANCELLED, None, "ยกเลิก", "u4"),
    ]
    plans = {day: entries}
    assert clashes([Span(at(day, 10), at(day, 13))], plans, NOW) == []  # touching is not overlapping
    found = clashes([Span(at(day, 9, 30), at(day, 13, 30))], plans, NOW)
    assert sorted(c.other.booking for c in found) == ["a", "b"]
    assert clashes([Span(at(day, 15), at(day, 17))], plans, NOW) == []
    with pytest.raises(Conflict) as refused:
        refuse_clashes(found, "owner", "owner")
    assert "ประชุมกอง" in refused.value.message_th and "รออนุมัติ" in refused.value.message_th
    with pytest.raises(Conflict) as shared:
        refuse_clashes(found, "partner", "owner")  # a shared resource, booked from another agency
    assert "ประชุมกอง" not in shared.value.message_th and "มีผู้จองแล้ว" in shared.value.message_th


def test_the_rules_refuse_what_the_resource_does_not_allow() -> None:
    day = date(2026, 12, 1)
    rules = Rules(min_notice_minutes=60, max_minutes=180, cancel_before_minutes=120)
    rules.check(Span(at(day, 9), at(day, 12)), NOW, vehicle=False)
    with pytest.raises(InvalidInput):  # backwards: the request itself is wrong (422)
        rules.check(Span(at(day, 12), at(day, 9)), NOW, vehicle=False)
    for bad in (  # against this resource's rules and the clock (409)
        Span(at(day, 6), at(day, 8)),  # before opening
        Span(at(day, 8), at(day, 12)),  # too long
        Span(at(date(2026, 11, 29), 10, 30), at(date(2026, 11, 29), 11)),  # 30 minutes' notice
    ):
        with pytest.raises(Conflict):
            rules.check(bad, NOW, vehicle=False)
    rules.check(Span(at(day, 22), at(day + timedelta(days=1), 1)), NOW, vehicle=True)  # a trip overnight
    assert rules.may_cancel(at(day, 9), at(day, 7)) and not rules.may_cancel(at(day, 9), at(day, 7, 30))


def test_weekly_series_keep_their_local_time_across_the_year_boundary() -> None:
    first = Span(at(date(2026, 12, 15), 9), at(date(2026, 12, 15), 11))
    found = occurrences(first, {"freq": "weekly", "by_weekday": ["TU"], "count": 4})
    assert [s.start.astimezone(BANGKOK).date() for s in found] == [
        date(2026, 12, 15),
        date(2026, 12, 22),
        date(2026, 12, 29),
        date(2027, 1, 5),
    ]
    assert {s.start.astimezone(BANGKOK).time() for s in found} == {time(9)}
    assert [buddhist_year(s.start) for s in found] == [2569, 2569, 2569, 2570]


def test_monthly_on_the_31st_skips_short_months_and_the_last_friday_is_found() -> None:
    first = Span(at(date(2027, 1, 31), 13), at(date(2027, 1, 31), 14))
    found = occurrences(first, {"freq": "monthly", "by_month_day": 31, "until": "2027-06-30"})
    assert [s.start.date() for s in found] == [date(2027, 1, 31), date(2027, 3, 31), date(2027, 5, 31)]
    last_friday = occurrences(
        Span(at(date(2027, 1, 29), 9), at(date(2027, 1, 29), 10)),
        {"freq": "monthly", "by_weekday": ["FR"], "by_set_position": -1, "count": 3},
    )
    assert [s.start.date() for s in last_friday] == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26)]


def test_a_leap_day_series_and_the_limits_of_one_request() -> None:
    leap = Span(at(date(2028, 2, 28), 9), at(date(2028, 2, 28), 10))
    daily = occurrences(leap, {"freq": "daily", "count": 3})
    assert [s.start.date() for s in daily] == [date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)]
    with pytest.raises(InvalidInput):
        occurrences(leap, {"freq": "daily", "count": 200})
    long_trip = Span(at(date(2027, 1, 1), 8), at(date(2027, 6, 1), 8))
    with pytest.raises(InvalidInput):
        dates_of([long_trip])
