"""Asset rules as plain values: the fiscal year, straight-line depreciation, working days.

- The fiscal year runs 1 October to 30 September; fiscal year 2570 (พ.ศ.) is 1 Oct 2026 to 30 Sep 2027.
- Depreciation is straight line over the class's useful life, down to a residual value of 1 baht
  (the Comptroller General's practice: the asset stays on the register at 1 baht until disposed);
  the life, the residual and the proration (by days held) are settings, not constants.
- The stock-take (ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560 ข้อ 213):
  checkers who are not supply officers start on the first working day of the fiscal year and report
  within 30 working days; working days skip weekends and the agency's holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

BUDDHIST_OFFSET = 543
CENT = Decimal("0.01")


def fiscal_year_of(day: date) -> int:
    """The fiscal year (พ.ศ.) a date falls in."""
    return day.year + BUDDHIST_OFFSET + (1 if day.month >= 10 else 0)


def fiscal_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a fiscal year (พ.ศ.)."""
    year = fiscal_year - BUDDHIST_OFFSET
    return date(year - 1, 10, 1), date(year, 9, 30)


@dataclass(frozen=True)
class Depreciation:
    cost: Decimal
    this_year: Decimal  # depreciation charged in the fiscal year
    accumulated: Decimal  # to the end of the fiscal year
    net: Decimal  # book value at the end of the fiscal year


def depreciation(
    cost: Decimal, acquired: date, life_years: int, fiscal_year: int, *, residual: Decimal = Decimal(1)
) -> Depreciation:
    """Straight line: (cost - residual) / life a year; a fiscal year the asset is held only in part is
    charged its share by days (days held / days in that year, so a leap year changes nothing), and
    the book value never goes below the residual."""
    base = max(cost - residual, Decimal(0))
    annual = base / Decimal(life_years) if life_years > 0 else base
    accumulated = Decimal(0)
    this_year = Decimal(0)
    for year in range(fiscal_year_of(acquired), fiscal_year + 1):
        start, end = fiscal_bounds(year)
        held = (end - max(start, acquired)).days + 1
        charge = min(annual * held / ((end - start).days + 1), base - accumulated).quantize(
            CENT, ROUND_HALF_UP
        )
        accumulated += charge
        this_year = charge
    if fiscal_year < fiscal_year_of(acquired):
        this_year = Decimal(0)
    return Depreciation(cost, this_year, accumulated, cost - accumulated)


def working_days_after(start: date, count: int, holidays: set[date]) -> date:
    """The `count`-th working day counting `start` as the first (if it is one)."""
    day, seen = start, 0
    while True:
        if day.weekday() < 5 and day not in holidays:
            seen += 1
            if seen == count:
                return day
        day += timedelta(days=1)


def first_working_day(day: date, holidays: set[date]) -> date:
    return working_days_after(day, 1, holidays)
