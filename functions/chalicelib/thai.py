"""Thai calendar, numerals and text rules shared by every part of the system.

Running numbers reset on 1 January in Asia/Bangkok time and documents show the Buddhist year
(พ.ศ. = ค.ศ. + 543); see docs/rules.md, "Calendar and numerals".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip

_TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def now_bangkok() -> datetime:
    return datetime.now(UTC).astimezone(BANGKOK)


def to_bangkok(moment: datetime) -> datetime:
    """The same instant in Bangkok time; a naive datetime is refused, not guessed."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give a time zone")
    return moment.astimezone(BANGKOK)


def buddhist_year(moment: datetime | date) -> int:
    """The พ.ศ. year of an instant (in Bangkok time) or of a calendar date."""
    if isinstance(moment, datetime):
        moment = to_bangkok(moment)
    return moment.year + BUDDHIST_ERA_OFFSET


def gregorian_year(be_year: int) -> int:
    return be_year - BUDDHIST_ERA_OFFSET


def thai_digits(text: str) -> str:
    return text.translate(_TO_THAI_DIGITS)


def arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC_DIGITS)


def _digits(text: str, thai_numerals: bool) -> str:
    return thai_digits(text) if thai_numerals else text


def thai_date(moment: datetime | date, *, thai_numerals: bool = False) -> str:
    """'21 พฤศจิกายน 2569': day, full month name, Buddhist year (the form on official letters)."""
    if isinstance(moment, datetime):
        moment = to_bangkok(moment).date()
    text = f"{moment.day} {THAI_MONTHS[moment.month - 1]} {moment.year + BUDDHIST_ERA_OFFSET}"
    return _digits(text, thai_numerals)


def thai_date_short(moment: datetime | date, *, thai_numerals: bool = False) -> str:
    """'21 พ.ย. 2569': the abbreviated form used in register columns."""
    if isinstance(moment, datetime):
        moment = to_bangkok(moment).date()
    text = f"{moment.day} {THAI_MONTHS_ABBR[moment.month - 1]} {moment.year + BUDDHIST_ERA_OFFSET}"
    return _digits(text, thai_numerals)


def thai_time(moment: datetime, *, thai_numerals: bool = False) -> str:
    """'16.05 น.': the time as written on a receipt stamp."""
    local = to_bangkok(moment)
    return _digits(f"{local.hour:02d}.{local.minute:02d} น.", thai_numerals)


@cache
def _pythainlp_util() -> Any:
    # pythainlp costs ~50 ms to import: only the paths that sort or search Thai text pay for it.
    import pythainlp.util

    return pythainlp.util


def normalize_thai(text: str) -> str:
    """Canonical form for search: Thai digits to Arabic, duplicate or misordered marks fixed, casefolded."""
    return str(_pythainlp_util().normalize(arabic_digits(text))).casefold()


def thai_contains(haystack: str, needle: str) -> bool:
    return normalize_thai(needle) in normalize_thai(haystack)


def thai_sorted(words: Iterable[str]) -> list[str]:
    """Thai dictionary order (leading vowels เ แ โ ใ ไ sort by the consonant after them)."""
    return list(_pythainlp_util().collate(list(words)))
