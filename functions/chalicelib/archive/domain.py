"""Archive rules as plain values (docs/rules.md, "Archive").

- A record is kept for its retention class's years, counted in Buddhist years from the year its matter
  closed (การเก็บเมื่อปฏิบัติเสร็จแล้ว, ระเบียบงานสารบรรณ ข้อ 53 and 57): "เก็บถึง พ.ศ. <year>". It may
  be listed for destruction only after that year ends, so its lock runs to 1 January of the next year.
- A record kept forever is stamped "ห้ามทำลาย" and never ends its lock.
- The classes are the agency's settings: the regulation's periods (at least 10 years by default, at
  least 1 year for routine recurring matters, forever for records of lasting value) are how the
  defaults are set, not constants (several of ข้อ 57's sub-clauses are unconfirmed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

BUDDHIST_OFFSET = 543
FOREVER_YEARS = 100  # S3 needs a date: "forever" is a century of compliance lock and a legal hold


@dataclass(frozen=True)
class Retention:
    years: int | None  # None: kept forever
    permanent: bool

    def keep_until(self, closed_on: date) -> int | None:
        """The Buddhist year the record is kept to (เก็บถึง พ.ศ.), or None when it is kept forever."""
        if self.permanent or self.years is None:
            return None
        return closed_on.year + BUDDHIST_OFFSET + self.years

    @staticmethod
    def stamp(keep_until: int | None) -> str:
        """The ตรากำหนดเก็บ's words (ข้อ 73)."""
        return "ห้ามทำลาย" if keep_until is None else f"เก็บถึง พ.ศ. {keep_until}"

    @staticmethod
    def locked_until(keep_until: int | None, *, stored_on: date) -> datetime:
        """When the storage may release the record: the start of the year after its keep-until year; a
        record kept forever is locked for FOREVER_YEARS as well as held (a legal hold alone is one
        call away from off)."""
        if keep_until is None:
            return datetime(stored_on.year + FOREVER_YEARS, 1, 1, tzinfo=UTC)
        return datetime(keep_until - BUDDHIST_OFFSET + 1, 1, 1, tzinfo=UTC)


DEFAULT_CLASSES = (
    {"code": "general", "name": "หนังสือทั่วไป", "years": 10, "rule": "ข้อ 57: เก็บไว้ไม่น้อยกว่า 10 ปี"},
    {"code": "routine", "name": "เรื่องประจำที่เกิดขึ้นเป็นประจำ", "years": 1, "rule": "ข้อ 57: ไม่น้อยกว่า 1 ปี"},
    {"code": "permanent", "name": "หนังสือที่ต้องเก็บไว้ตลอดไป", "permanent": True, "rule": "ข้อ 57: ห้ามทำลาย"},
)
