"""Register books (ทะเบียนหนังสือ) and where registration numbers come from.

Each agency keeps one running-number book per kind of register. A book-year runs from 1 on
1 January (Asia/Bangkok) to the end of the calendar year, gap-free; a number is never reused and a
cancelled entry keeps its number. The reference line (ที่) of an outgoing letter is composed from
the owning unit's code and the number (docs/rules.md, "Registers and running numbers").

This module is pure: the store turns `next_number` into a conditional write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.kernel.errors import InvalidInput
from chalicelib.kernel.principal import Principal, Role, may_see_level
from chalicelib.saraban import Secrecy
from chalicelib.thai import buddhist_year


class Direction(StrEnum):
    INCOMING = "incoming"  # ทะเบียนหนังสือรับ: records เลขรับ, the date and time received
    OUTGOING = "outgoing"  # the number goes on the letter (ที่ ...)


@dataclass(frozen=True)
class BookDefinition:
    """A register book. `ref_format` composes the ที่ line; None when the book has none.

    Tokens: {unit_code} the owning unit's code (e.g. ดศ 0201), {number}, {year} (พ.ศ.).
    """

    id: str
    name_th: str
    name_en: str
    direction: Direction
    ref_format: str | None

    def ref_line(self, *, number: int, year_be: int, unit_code: str | None) -> str | None:
        if self.ref_format is None:
            return None
        if "{unit_code}" in self.ref_format and not unit_code:
            raise InvalidInput(
                f"ทะเบียน{self.name_th}ต้องระบุส่วนราชการเจ้าของเรื่องที่มีรหัส",
                f"the {self.name_en} book needs an owning unit with a code to compose the reference line",
            )
        return self.ref_format.format(number=number, year=year_be, unit_code=unit_code or "")


# The books every agency has. Formats from docs/rules.md; the announcement book's format is
# unconfirmed, so agencies may override any of these in their settings (docs/rules.md).
STANDARD_BOOKS: dict[str, BookDefinition] = {
    book.id: book
    for book in (
        BookDefinition("incoming", "หนังสือรับ", "incoming", Direction.INCOMING, None),
        BookDefinition("outgoing", "หนังสือส่ง", "outgoing", Direction.OUTGOING, "ที่ {unit_code}/{number}"),
        BookDefinition("circular", "หนังสือเวียน", "circular", Direction.OUTGOING, "ที่ {unit_code}/ว {number}"),
        BookDefinition("order", "คำสั่ง", "orders", Direction.OUTGOING, "ที่ {number}/{year}"),
        BookDefinition("announcement", "ประกาศ", "announcements", Direction.OUTGOING, None),
    )
}

BOOK_ID = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
_ALLOWED_TOKENS = {"unit_code", "number", "year"}


def custom_book(
    book_id: str, name_th: str, name_en: str, direction: str, ref_format: str | None
) -> BookDefinition:
    """An agency-defined book (e.g. certificates, หนังสือรับรอง), checked like the standard ones."""
    if not BOOK_ID.match(book_id):
        raise InvalidInput("รหัสทะเบียนไม่ถูกต้อง", f"book id {book_id!r} must match {BOOK_ID.pattern}")
    if ref_format is not None:
        tokens = set(re.findall(r"{(\w*)}", ref_format))
        if not tokens <= _ALLOWED_TOKENS or "number" not in tokens:
            raise InvalidInput(
                "รูปแบบเลขที่หนังสือไม่ถูกต้อง",
                f"ref_format {ref_format!r} must contain {{number}} and only {sorted(_ALLOWED_TOKENS)}",
            )
    return BookDefinition(book_id, name_th, name_en, Direction(direction), ref_format)


def book_year(moment: datetime) -> int:
    """The พ.ศ. year a registration at `moment` counts in: the calendar year in Bangkok time."""
    return buddhist_year(moment)


def next_number(current: int | None) -> int:
    """The number after the last one taken in a book-year (numbers start at 1)."""
    if current is not None and current < 0:
        raise ValueError("a counter never goes below zero")
    return (current or 0) + 1


CANCEL_REASON_MAX = 500


def check_cancel_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("ต้องระบุเหตุผลการยกเลิก", "a cancellation needs a reason")
    if len(reason) > CANCEL_REASON_MAX:
        raise InvalidInput("เหตุผลยาวเกินไป", f"the reason is longer than {CANCEL_REASON_MAX} characters")
    return reason


def books_of(settings: dict[str, Any]) -> dict[str, BookDefinition]:
    """The standard books and the agency's own (its settings' "books"), which may override them."""
    books = dict(STANDARD_BOOKS)
    for spec in settings.get("books", []):
        book = custom_book(
            spec["id"], spec["name_th"], spec["name_en"], spec["direction"], spec.get("ref_format")
        )
        books[book.id] = book
    return books


def party_line(party: dict[str, Any] | None) -> str:
    if not party:
        return ""
    return " ".join(p for p in (party.get("position") or party.get("name"), party.get("agency")) if p)


def entry_columns(
    content: dict[str, Any], kind: str, direction: Direction, received_at: datetime | None
) -> dict[str, Any]:
    """The snapshot of register columns kept on the entry (จาก, ถึง, ที่, ลงวันที่, เรื่อง)."""
    return {
        "reference": content.get("reference"),
        "letter_date": content.get("letter_date"),
        "from": party_line(content.get("sender")),
        "to": party_line(content.get("recipient")),
        "subject": content.get("subject", ""),
        "kind": kind,
        "received_at": received_at.isoformat() if received_at else None,
        "direction": direction.value,
    }


def listable(principal: Principal, secrecy: Secrecy) -> bool:
    """Entries a caller may see in a book: up to their clearance, and every ลับที่สุด line (its
    number must show, or the book would seem to have a gap; what the line shows: `visible_columns`)."""
    return secrecy is Secrecy.TOP_SECRET or may_see_level(principal, secrecy)


# What a ลับที่สุด line keeps for those who are not its registering saraban officer (docs/rules.md,
# "Secrecy in the registers"): its number, date of registration, urgency and the neutral subject.
TOP_SECRET_HIDDEN = ("reference", "letter_date", "from", "to")


def visible_columns(
    principal: Principal, secrecy: Secrecy, columns: dict[str, Any], registered_by: str
) -> dict[str, Any]:
    """The columns of a line as this caller may see them."""
    shown = dict(columns)
    if secrecy is Secrecy.TOP_SECRET:
        if (
            not (principal.has(Role.SARABAN) and principal.clearance >= Secrecy.SECRET)
            and principal.user_id != registered_by
        ):
            for name in TOP_SECRET_HIDDEN:
                shown[name] = None if name in ("reference", "letter_date") else ""
    elif secrecy in (Secrecy.CONFIDENTIAL, Secrecy.SECRET) and not principal.has(Role.SARABAN):
        # Cleared for the level but the grant is checked on the document itself: show the line only.
        shown["subject"] = f"(หนังสือชั้น{secrecy.label_th})"
    return shown
