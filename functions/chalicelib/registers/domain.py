"""Register books (ทะเบียนหนังสือ) and where registration numbers come from.

Each agency keeps one running-number book per kind of register. A book-year runs from 1 on
1 January (Asia/Bangkok) to the end of the calendar year, gap-free; a number is never reused and a
cancelled entry keeps its number. The reference line (ที่) of an outgoing letter is composed from
the owning unit's code and the number (docs/rules.md, "Registers and running numbers").

This module is pure: the store turns `next_number` into a conditional write.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.kernel.errors import Conflict, InvalidInput
from chalicelib.kernel.principal import Principal, Role, may_see_level
from chalicelib.saraban import Secrecy
from chalicelib.thai import arabic_digits, buddhist_year, thai_date_short


class Direction(StrEnum):
    INCOMING = "incoming"  # ทะเบียนหนังสือรับ: records เลขรับ, the date and time received
    OUTGOING = "outgoing"  # the number goes on the letter (ที่ ...)


class Layout(StrEnum):
    """The register form a book is kept in: which columns it has (`LAYOUT_COLUMNS`)."""

    INCOMING = "incoming"  # ทะเบียนหนังสือรับ
    OUTGOING = "outgoing"  # ทะเบียนหนังสือส่ง
    CIRCULAR = "circular"  # ทะเบียนหนังสือเวียน: like outgoing, ถึง lists every recipient
    ORDER = "order"  # ทะเบียนคำสั่ง
    ANNOUNCEMENT = "announcement"  # ทะเบียนประกาศ


@dataclass(frozen=True)
class BookDefinition:
    """A register book. `ref_format` composes the ที่ line; None when the book has none.

    Tokens: {unit_code} the owning unit's code (e.g. ดศ 0201), {number}, {year} (พ.ศ.).
    `layout` is its register form; None: the form of its direction (incoming or outgoing).
    """

    id: str
    name_th: str
    name_en: str
    direction: Direction
    ref_format: str | None
    layout: Layout | None = None

    @property
    def form(self) -> Layout:
        if self.layout is not None:
            return self.layout
        return Layout.INCOMING if self.direction is Direction.INCOMING else Layout.OUTGOING

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
        BookDefinition(
            "circular",
            "หนังสือเวียน",
            "circular",
            Direction.OUTGOING,
            "ที่ {unit_code}/ว {number}",
            Layout.CIRCULAR,
        ),
        BookDefinition("order", "คำสั่ง", "orders", Direction.OUTGOING, "ที่ {number}/{year}", Layout.ORDER),
        BookDefinition(
            "announcement", "ประกาศ", "announcements", Direction.OUTGOING, None, Layout.ANNOUNCEMENT
        ),
    )
}


@dataclass(frozen=True)
class RegisterColumn:
    """One column of a register form: what its cells hold (`key`) and its heading."""

    key: str
    title: str


def _columns(*pairs: tuple[str, str]) -> tuple[RegisterColumn, ...]:
    return tuple(RegisterColumn(key, title) for key, title in pairs)


# The columns of each register form (docs/rules.md, "Registers and running numbers"). Keys: number
# (the running number), order_number (the order's number as on its ที่ line), registered_at (date,
# and time for incoming), reference (the letter's ที่: the sender's as written for incoming, the
# agency's own for outgoing), letter_date, from, to, subject, action (การปฏิบัติ), signer, owner_unit,
# remark (หมายเหตุ: possible duplicate, cancellation).
LAYOUT_COLUMNS: dict[Layout, tuple[RegisterColumn, ...]] = {
    Layout.INCOMING: _columns(
        ("number", "เลขทะเบียนรับ"),
        ("registered_at", "ลงวันที่รับ"),
        ("reference", "ที่"),
        ("letter_date", "ลงวันที่"),
        ("from", "จาก"),
        ("to", "ถึง"),
        ("subject", "เรื่อง"),
        ("action", "การปฏิบัติ"),
        ("remark", "หมายเหตุ"),
    ),
    Layout.OUTGOING: _columns(
        ("number", "เลขทะเบียนส่ง"),
        ("registered_at", "วันที่ลงทะเบียน"),
        ("reference", "ที่"),
        ("letter_date", "ลงวันที่"),
        ("from", "จาก"),
        ("to", "ถึง"),
        ("subject", "เรื่อง"),
        ("action", "การปฏิบัติ"),
        ("remark", "หมายเหตุ"),
    ),
    Layout.CIRCULAR: _columns(
        ("number", "เลขทะเบียนส่ง"),
        ("registered_at", "วันที่ลงทะเบียน"),
        ("reference", "ที่"),
        ("letter_date", "ลงวันที่"),
        ("from", "จาก"),
        ("to", "ถึง"),
        ("subject", "เรื่อง"),
        ("action", "การปฏิบัติ"),
        ("remark", "หมายเหตุ"),
    ),
    Layout.ORDER: _columns(
        ("order_number", "เลขที่คำสั่ง"),
        ("letter_date", "ลงวันที่"),
        ("subject", "เรื่อง"),
        ("signer", "ผู้ลงนาม"),
        ("owner_unit", "หน่วยงานเจ้าของเรื่อง"),
        ("remark", "หมายเหตุ"),
    ),
    Layout.ANNOUNCEMENT: _columns(
        ("number", "เลขทะเบียน"),
        ("letter_date", "ลงวันที่"),
        ("subject", "เรื่อง"),
        ("signer", "ผู้ลงนาม"),
        ("owner_unit", "หน่วยงานเจ้าของเรื่อง"),
        ("remark", "หมายเหตุ"),
    ),
}
# The CSV adds the line's state after the form's columns (the printed book strikes a cancelled line).
STATUS_TITLE = "สถานะ"
STATUS_NORMAL = "ปกติ"
STATUS_CANCELLED = "ยกเลิก"

BOOK_ID = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
_ALLOWED_TOKENS = {"unit_code", "number", "year"}


def custom_book(
    book_id: str,
    name_th: str,
    name_en: str,
    direction: str,
    ref_format: str | None,
    layout: str | None = None,
) -> BookDefinition:
    """An agency-defined book (e.g. certificates, หนังสือรับรอง), checked like the standard ones."""
    if layout is not None and layout not in set(Layout):
        raise InvalidInput(
            "รูปแบบทะเบียนไม่ถูกต้อง", f"layout {layout!r} must be one of {[v.value for v in Layout]}"
        )
    if not BOOK_ID.match(book_id):
        raise InvalidInput("รหัสทะเบียนไม่ถูกต้อง", f"book id {book_id!r} must match {BOOK_ID.pattern}")
    if ref_format is not None:
        tokens = set(re.findall(r"{(\w*)}", ref_format))
        if not tokens <= _ALLOWED_TOKENS or "number" not in tokens:
            raise InvalidInput(
                "รูปแบบเลขที่หนังสือไม่ถูกต้อง",
                f"ref_format {ref_format!r} must contain {{number}} and only {sorted(_ALLOWED_TOKENS)}",
            )
    return BookDefinition(
        book_id, name_th, name_en, Direction(direction), ref_format, Layout(layout) if layout else None
    )


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
    """The standard books and the agency's own (its settings' "books"), which may override them; a
    standard book overridden without a "layout" keeps its own form (orders stay orders)."""
    books = dict(STANDARD_BOOKS)
    for spec in settings.get("books", []):
        standard = STANDARD_BOOKS.get(spec["id"])
        layout = spec.get("layout") or (standard.layout.value if standard and standard.layout else None)
        book = custom_book(
            spec["id"], spec["name_th"], spec["name_en"], spec["direction"], spec.get("ref_format"), layout
        )
        books[book.id] = book
    return books


def party_line(party: dict[str, Any] | None) -> str:
    if not party:
        return ""
    return " ".join(p for p in (party.get("position") or party.get("name"), party.get("agency")) if p)


def entry_columns(
    content: Mapping[str, Any],
    kind: str,
    direction: Direction,
    received_at: datetime | None,
    *,
    owner_unit: str = "",
    agency_name: str = "",
    signers: Sequence[str] = (),
    recipients: Sequence[str] = (),
    duplicate_of: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The snapshot of register columns kept on the entry, taken from the document as registered
    (so with the letter date an outgoing number gives it).

    จาก: the sender of an incoming letter; the owning unit of an outgoing one (or the sender named
    on it, or the agency). ถึง: the recipients listed at registration (a circular's distribution),
    else the letter's recipient. ผู้ลงนาม: the letter's signers, else its sender.
    """
    sender = party_line(content.get("sender"))
    source = sender if direction is Direction.INCOMING else (owner_unit or sender or agency_name)
    listed = [r for r in recipients if r]
    return {
        "reference": content.get("reference"),
        "letter_date": content.get("letter_date"),
        "from": source,
        "to": ", ".join(listed) if listed else party_line(content.get("recipient")),
        "recipients": listed,
        "subject": content.get("subject", ""),
        "signer": ", ".join(s for s in signers if s) or sender,
        "owner_unit": owner_unit,
        "kind": kind,
        "received_at": received_at.isoformat() if received_at else None,
        "direction": direction.value,
        "duplicate_of": dict(duplicate_of) if duplicate_of else None,
    }


def _fold(text: str) -> str:
    """Text as compared for sameness: NFC, Arabic digits, no spaces, case folded."""
    return "".join(arabic_digits(unicodedata.normalize("NFC", text)).casefold().split())


def letter_key(content: Mapping[str, Any]) -> str | None:
    """What makes two incoming registrations the same letter: its sender, its own ที่ and its
    ลงวันที่ (as folded by `_fold`; a leading "ที่" is not part of the reference). None when the letter
    has no ที่ or no date: then nothing can tell a second copy."""
    reference, letter_date = content.get("reference"), content.get("letter_date")
    if not reference or not letter_date:
        return None
    folded = _fold(str(reference))
    folded = folded.removeprefix("ที่")
    if not folded:
        return None
    sender = _fold(party_line(content.get("sender")))
    canonical = "\x1f".join((sender, folded, str(letter_date)))
    return hashlib.sha256(canonical.encode()).hexdigest()[:40]


class DuplicateLetter(Conflict):
    """The same letter (sender, ที่, ลงวันที่) is already registered in the book."""

    code = "duplicate-letter"


def refuse_duplicate(book: BookDefinition, earlier: Mapping[str, Any] | None) -> DuplicateLetter:
    """The refusal of a second registration of a letter, naming the earlier entry when the caller may
    see it (`earlier`: book, year, number, registered_at), with how to register it anyway."""
    hint_th = 'หากต้องการลงทะเบียนซ้ำ ให้ระบุ "duplicate_of_ok": true'
    hint_en = 'send "duplicate_of_ok": true to register it again'
    if earlier is None:
        return DuplicateLetter(
            f"หนังสือฉบับนี้ (จาก ที่ และลงวันที่เดียวกัน) ลงทะเบียน{book.name_th}แล้ว {hint_th}",
            f"this letter (same sender, reference and date) is already in the {book.name_en} book; {hint_en}",
        )
    registered = datetime.fromisoformat(str(earlier["registered_at"]))
    number, year = earlier["number"], earlier["year"]
    return DuplicateLetter(
        f"หนังสือฉบับนี้ (จาก ที่ และลงวันที่เดียวกัน) ลงทะเบียน{book.name_th}แล้ว "
        f"เลขทะเบียน {number}/{year} เมื่อ {thai_date_short(registered)} {hint_th}",
        f"this letter (same sender, reference and date) is already entry {number} of {year} in the "
        f"{book.name_en} book, registered {registered.date().isoformat()}; {hint_en}",
        earlier=dict(earlier),
    )


def remark(
    columns: Mapping[str, Any],
    cancel: Mapping[str, Any] | None,
    *,
    year: int,
    cancel_prefix: bool,
    digits: Callable[[str], str] = str,
) -> str:
    """หมายเหตุ: a possible duplicate (the earlier entry) and a cancellation (its reason, once, and
    who cancelled). `cancel_prefix` starts the reason with "ยกเลิก:" (the printed book, which has no
    state column) unless the reason already says so; `digits` writes the register's own numbers."""
    parts: list[str] = []
    earlier = columns.get("duplicate_of")
    if earlier:
        number = str(earlier.get("number", ""))
        if earlier.get("year") and int(earlier["year"]) != year:
            number += f"/{earlier['year']}"
        when = ""
        if earlier.get("registered_at"):
            try:
                when = f" ({thai_date_short(datetime.fromisoformat(str(earlier['registered_at'])))})"
            except ValueError:
                when = ""
        parts.append(f"อาจซ้ำกับเลขทะเบียน {digits(number + when)}")
    if cancel is not None:
        reason = str(cancel.get("reason") or "").strip()
        if cancel_prefix and not reason.startswith(STATUS_CANCELLED):
            reason = f"{STATUS_CANCELLED}: {reason}" if reason else STATUS_CANCELLED
        by = str(cancel.get("by_name") or "").strip()
        parts.append(f"{reason} ({by})" if by else reason)
    return "; ".join(p for p in parts if p)


def listable(principal: Principal, secrecy: Secrecy) -> bool:
    """Entries a caller may see in a book: up to their clearance, and every ลับที่สุด line (its
    number must show, or the book would seem to have a gap; what the line shows: `visible_columns`)."""
    return secrecy is Secrecy.TOP_SECRET or may_see_level(principal, secrecy)


# What a ลับที่สุด line keeps for those who are not its registering saraban officer (docs/rules.md,
# "Secrecy in the registers"): its number, date of registration, urgency and the neutral subject.
# Each hidden column with the value it shows instead.
TOP_SECRET_HIDDEN: dict[str, Any] = {
    "reference": None,
    "letter_date": None,
    "from": "",
    "to": "",
    "recipients": [],
    "signer": "",
    "owner_unit": "",
    "duplicate_of": None,
}


def may_see_parties(principal: Principal, secrecy: Secrecy, registered_by: str) -> bool:
    """Whether a caller sees who sent a line's letter, its ที่ and its date: all of it on the lines
    they may list, but on a ลับที่สุด line only the saraban officer cleared ลับมาก and the officer who
    registered it. (Also whether a second registration of a letter is told which line has it.)"""
    if secrecy is Secrecy.TOP_SECRET:
        cleared = principal.has(Role.SARABAN) and principal.clearance >= Secrecy.SECRET
        return cleared or principal.user_id == registered_by
    return may_see_level(principal, secrecy)


def visible_columns(
    principal: Principal, secrecy: Secrecy, columns: dict[str, Any], registered_by: str
) -> dict[str, Any]:
    """The columns of a line as this caller may see them."""
    shown = dict(columns)
    if secrecy is Secrecy.TOP_SECRET:
        if not may_see_parties(principal, secrecy, registered_by):
            shown.update(TOP_SECRET_HIDDEN)
    elif secrecy in (Secrecy.CONFIDENTIAL, Secrecy.SECRET) and not principal.has(Role.SARABAN):
        # Cleared for the level but the grant is checked on the document itself: show the line only.
        shown["subject"] = f"(หนังสือชั้น{secrecy.label_th})"
    return shown
