"""A register book's year as CSV (opens in Excel with Thai intact) and as a printable PDF.

Both are laid out in the book's own register form (`domain.LAYOUT_COLUMNS`); the CSV adds the line's
state (สถานะ). Only the register's own numbers (its running numbers, its dates, the agency's ที่)
follow the agency's numeral setting in print; what a sender or a user wrote is copied as written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.kernel.principal import Principal
from chalicelib.registers import domain, models
from chalicelib.registers.domain import BookDefinition, Direction
from chalicelib.registers.service import book_of, list_book
from chalicelib.thai import thai_date_short, thai_digits, thai_time

MAX_EXPORT_ROWS = 20_000


@dataclass(frozen=True)
class Export:
    filename: str
    body: bytes


def _all_entries(
    principal: Principal, book_id: str, query: models.ListQuery, now: datetime
) -> tuple[int, list[dict[str, Any]]]:
    """The book-year (as checked by the listing) and its entries, page by page."""
    page_query = query.model_copy(update={"limit": 200, "cursor": None})
    entries: list[dict[str, Any]] = []
    while True:
        page = list_book(principal, book_id, page_query, now=now)
        entries.extend(e.model_dump(mode="json", by_alias=True) for e in page.entries)
        if not page.cursor or len(entries) >= MAX_EXPORT_ROWS:
            return page.year, entries[:MAX_EXPORT_ROWS]
        page_query = page_query.model_copy(update={"cursor": page.cursor})


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection): quote a leading = + - @."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        if "T" in value:
            return thai_date_short(datetime.fromisoformat(value))
        return thai_date_short(date.fromisoformat(value))
    except ValueError:
        return value


def _keep(text: str) -> str:
    return text


def _cells(
    book: BookDefinition, e: dict[str, Any], digits: Callable[[str], str], *, printed: bool
) -> dict[str, str]:
    """Every column an entry may show, by key; `digits` writes the register's own numbers."""
    registered = datetime.fromisoformat(e["registered_at"])
    when = thai_date_short(registered)
    if book.direction is Direction.INCOMING:
        when = f"{when} {thai_time(registered)}"
    ref_line = e.get("ref_line") or ""
    # An incoming letter's ที่ is the sender's, copied as written; an outgoing one's is the agency's own.
    reference = (e.get("reference") or "") if book.direction is Direction.INCOMING else digits(ref_line)
    order_number = ref_line.removeprefix("ที่").strip() or str(e["number"])
    cancel = e.get("cancel") if e["cancelled"] else None
    return {
        "number": digits(str(e["number"])),
        "order_number": digits(order_number),
        "registered_at": digits(when),
        "reference": reference,
        "letter_date": digits(_date(e.get("letter_date"))),
        "from": e.get("from") or "",
        "to": e.get("to") or "",
        "subject": e.get("subject") or "",
        "action": e.get("action") or "",
        "signer": e.get("signer") or "",
        "owner_unit": e.get("owner_unit") or "",
        "remark": domain.remark(e, cancel, year=int(e["year"]), cancel_prefix=printed, digits=digits),
    }


def register_rows(
    book: BookDefinition, entries: list[dict[str, Any]], *, thai_numerals: bool = False, printed: bool = False
) -> list[list[str]]:
    """The book's register columns for each entry, in number order. The CSV (`printed` False) adds
    the state (ปกติ / ยกเลิก) last; the printed book strikes a cancelled line and says why in its
    หมายเหตุ. `thai_numerals` writes the register's own numbers in Thai digits."""
    digits = thai_digits if thai_numerals else _keep
    keys = [column.key for column in domain.LAYOUT_COLUMNS[book.form]]
    rows = []
    for e in entries:
        cells = _cells(book, e, digits, printed=printed)
        row = [cells[key] for key in keys]
        if not printed:
            row.append(domain.STATUS_CANCELLED if e["cancelled"] else domain.STATUS_NORMAL)
        rows.append(row)
    return rows


def headers(book: BookDefinition) -> list[str]:
    """The CSV's header row: the book's columns, then สถานะ."""
    return [column.title for column in domain.LAYOUT_COLUMNS[book.form]] + [domain.STATUS_TITLE]


def register_csv(principal: Principal, book_id: str, query: models.ListQuery, *, now: datetime) -> Export:
    _, book = book_of(principal, book_id)
    year, entries = _all_entries(principal, book_id, query, now)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(book))
    writer.writerows([_cell(c) for c in row] for row in register_rows(book, entries))
    # UTF-8 with BOM: Excel then reads Thai as UTF-8 instead of the ANSI code page.
    return Export(f"register-{book.id}-{year}.csv", "\ufeff".encode() + out.getvalue().encode("utf-8"))


def register_pdf(principal: Principal, book_id: str, query: models.ListQuery, *, now: datetime) -> Export:
    profile, book = book_of(principal, book_id)
    year, entries = _all_entries(principal, book_id, query, now)
    from chalicelib.pdf.register_book import FORMS, render_register_book

    columns = FORMS[book.form.value]
    rows = register_rows(book, entries, thai_numerals=profile.thai_numerals, printed=True)
    title = f"ทะเบียน{book.name_th}"
    if year:
        title += f" ประจำปี พ.ศ. {year}"
    body = render_register_book(
        thai_digits(title) if profile.thai_numerals else title,
        profile.name,
        columns,
        rows,
        cancelled_rows={i for i, e in enumerate(entries) if e["cancelled"]},
        generated_at=now,
        thai_numerals=profile.thai_numerals,
    )
    return Export(f"register-{book.id}-{year or ''}.pdf", body)
