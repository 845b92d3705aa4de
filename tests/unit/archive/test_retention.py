"""The keep-until year, the stamp's words and the lock's end, as the rules in docs/rules.md "Archive"
set them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chalicelib.archive.domain import Retention


def test_a_record_is_kept_to_the_buddhist_year_and_locked_until_that_year_ends() -> None:
    ten = Retention(10, permanent=False)
    keep_until = ten.keep_until(date(2026, 11, 30))  # closed in 2569
    assert keep_until == 2579
    assert Retention.stamp(keep_until) == "เก็บถึง พ.ศ. 2579"
    stored = date(2026, 11, 30)
    assert Retention.locked_until(keep_until, stored_on=stored) == datetime(
        2037, 1, 1, tzinfo=UTC
    )  # 2579 ends
    # Closed on the last day of a year or the first of the next: a year apart.
    assert ten.keep_until(date(2026, 12, 31)) == 2579 and ten.keep_until(date(2027, 1, 1)) == 2580


def test_a_record_kept_forever_has_no_end() -> None:
    forever = Retention(None, permanent=True)
    assert forever.keep_until(date(2026, 11, 30)) is None
    assert Retention.stamp(None) == "ห้ามทำลาย"
    # S3 needs a date: a century of compliance lock, with a legal hold besides (archive/service.py).
    assert Retention.locked_until(None, stored_on=date(2026, 11, 30)) == datetime(2126, 1, 1, tzinfo=UTC)
    assert Retention(10, permanent=True).keep_until(date(2026, 1, 1)) is None  # permanent wins
