"""A register book's year as CSV (opens in Excel with Thai intact) and as a printable PDF."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.kernel.principal import Principal
from chalicelib.registers import models
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
        return thai_date_short(datetime.fromisoformat(value)) if "T" in value else _letter_date(value)
    except ValueError:
        return value


def _letter_date(value: str) -> str:
    from datetime import date

    return thai_date_short(date.fromisoformat(value))


def register_rows(
    book: BookDefinition, entries: list[dict[str, Any]], *, thai_numerals: bool = False
) -> list[list[str]]:
    """The register's columns (แบบทะเบียนหนังสือรับ / ส่ง) for each entry, in number order."""
    rows = []
    for e in entries:
        registered = datetime.fromisoformat(e["registered_at"])
        when = thai_date_short(registered)
        if book.direction is Direction.INCOMING:
            when = f"{when} {thai_time(registered)}"
        remark = ""
        if e["cancelled"]:
            cancel = e.get("cancel") or {}
            remark = f"ยกเลิก: {cancel.get('reason', '')} ({cancel.get('by_name', '')})"
        number = str(e["number"])
        reference = (
            e.get("reference") or "" if book.direction is Direction.INCOMING else e.get("ref_line") or ""
        )
        row = [
            number,
            when,
            reference,
            _date(e.get("letter_date")),
            e.get("from", ""),
            e.get("to", ""),
            e.get("subject", ""),
            e.get("action") or "",
            remark,
        ]
        rows.append([thai_digits(c) for c in row] if thai_numerals else row)
    return rows


def _headers(book: BookDefinition) -> list[str]:
    number = "เลขทะเบียนรับ" if book.direction is Direction.INCOMING else "เลขทะเบียนส่ง"
    return [number, "วันที่ลงทะเบียน", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]


def register_csv(principal: Principal, book_id: str, query: models.ListQuery, *, now: datetime) -> Export:
    _, book = book_of(principal, book_id)
    year, entries = _all_entries(principal, book_id, query, now)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_headers(book))
    writer.writerows([_cell(c) for c in row] for row in register_rows(book, entries))
    # UTF-8 with BOM: Excel then reads Thai as UTF-8 instead of the ANSI code page.
    return Export(f"register-{book.id}-{year}.csv", "\ufeff".encode() + out.getvalue().encode("utf-8"))


def register_pdf(principal: Principal, book_id: str, query: models.ListQuery, *, now: datetime) -> Export:
    profile, book = book_of(principal, book_id)
    year, entries = _all_entries(principal, book_id, query, now)
    from chalicelib.pdf.register_book import INCOMING_COLUMNS, OUTGOING_COLUMNS, render_register_book

    columns = INCOMING_COLUMNS if book.direction is Direction.INCOMING else OUTGOING_COLUMNS
    rows = register_rows(book, entries, thai_numerals=profile.thai_numerals)
    title = f"ทะเบียน{book.name_th}"
    if year:
        title += f" ประจำปี พ.ศ. {year}"
    body = render_register_book(
        title,
        profile.name,
        columns,
        rows,
        cancelled_rows={i for i, e in enumerate(entries) if e["cancelled"]},
        generated_at=now,
    )
    return Export(f"register-{book.id}-{year or ''}.pdf", body)
