"""Imported registers (docs/rules.md, "Imported registers"): an agency's paper-era books come in as CSV in
the register's columns, each line a registered record in an imported book with its original number and
dates, so the records it already holds come under retention and the yearly destruction like any other.

An imported book is its own partition family (pk=agency#LEGACY#<book>#<year>) with no counter: its
numbers are the paper book's, written conditionally, and a live book's counter is never read or moved.
Each year's line count (pk=agency#LEGACYYEARS) is added in the transaction that writes the lines, so the
books are listed with their years without reading the years' partitions.
A call is checked whole before anything is written; lines imported before (same book, year and number)
are reported as such and left alone, so a call cut short is simply made again.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from chalicelib.archive import models, store
from chalicelib.archive.domain import BUDDHIST_OFFSET
from chalicelib.documents import models as document_models
from chalicelib.documents import service as documents
from chalicelib.documents.domain import DocumentState, FileRole, FileStatus
from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.errors import Conflict, InvalidInput
from chalicelib.kernel.principal import Principal, Role
from chalicelib.thai import arabic_digits

MAX_LINES = 500
LINES_PER_TX = 20  # each line writes its document, its entry, its pending scan and its audit event
TX_ITEMS = 100  # DynamoDB's most items in one transaction: with the book and the years' counts, a cap
YEARS = (2400, 2800)  # models.Year: the พ.ศ. years a book's year is read back in
BOOK_PREFIX = "legacy:"  # the registration's book: an imported book, never a live one
COLUMNS = {  # the register's column titles (Thai, as printed; English as the API names them)
    "number": ("เลขทะเบียน", "เลขทะเบียนรับ", "เลขทะเบียนส่ง", "number"),
    "registered_on": ("วันที่ลงทะเบียน", "ลงวันที่รับ", "วันที่", "registered_on"),
    "reference": ("ที่", "reference"),
    "letter_date": ("ลงวันที่", "letter_date"),
    "sender": ("จาก", "from"),
    "recipient": ("ถึง", "to"),
    "subject": ("เรื่อง", "subject"),
    "action": ("การปฏิบัติ", "action"),
    "remark": ("หมายเหตุ", "remark"),
    "file_code": ("รหัสแฟ้ม", "file_code"),
    "class_code": ("ประเภทการเก็บ", "class_code"),
    "closed_on": ("วันที่ปฏิบัติเสร็จ", "closed_on"),
    "file": ("ไฟล์", "file"),
}
REQUIRED = ("number", "registered_on", "subject")
_THAI_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_FIELD_MAX = 500
# Direction overrides and invisible marks: text that reads otherwise than it is stored (a register line
# must say what it holds). Thai needs none of them.
_HIDDEN = frozenset("\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


@dataclass(frozen=True)
class _Line:
    line: int
    number: int
    registered_on: date
    fields: dict[str, str]
    letter_date: date | None
    closed_on: date
    class_code: str

    @property
    def year(self) -> int:
        return self.registered_on.year + BUDDHIST_OFFSET


def parse_day(value: str, *, line: int, column: str) -> date:
    """2005-03-15, or 15/3/2548 as Thai registers write it (a year from 2400 on is พ.ศ.); Thai digits
    are read too."""
    text = arabic_digits(value.strip())
    try:
        if match := _THAI_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year - BUDDHIST_OFFSET if year >= 2400 else year, month, day)
        found = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"บรรทัด {line} คอลัมน์ {column}: วันที่ {value!r} ไม่ถูกต้อง (ใช้ 2005-03-15 แบบ ค.ศ. หรือ 15/3/2548)",
            f"line {line}, column {column}: {value!r} is not a date (2005-03-15 or 15/3/2548)",
        ) from None
    # The ISO form is ค.ศ. (docs/rules.md, "Imported registers": "2005-03-15 or 15/3/2548"; the import
    # screen refuses it too), so a year from 2400 on is a พ.ศ. year written in it by mistake. Refused, not
    # guessed: read as ค.ศ. it would file the line ~543 years late, and the ISO form is the one a program
    # writes, where a real ค.ศ. year is as likely as a slip.
    if found.year >= 2400:
        thai = f"{found.day}/{found.month}/{found.year}"
        iso = f"{found.year - BUDDHIST_OFFSET}-{found.month:02d}-{found.day:02d}"
        raise InvalidInput(
            f"บรรทัด {line} คอลัมน์ {column}: วันที่ {value!r} เป็นปี พ.ศ. ในรูปแบบ ค.ศ. (เขียน {thai} หรือ {iso})",
            f"line {line}, column {column}: {value!r} has a Buddhist year in the ISO form, which is "
            f"Gregorian (write {thai} or {iso})",
        )
    return found


def parse(command: models.LegacyImport, classes: set[str]) -> list[_Line]:
    """Every line checked, or the first fault named with its line and column."""
    reader = csv.reader(io.StringIO(command.csv.lstrip("\ufeff")))
    try:
        where = _columns([h.strip() for h in next(reader)])
    except StopIteration:
        raise InvalidInput("ไม่มีหัวตาราง", "the CSV has no header line") from None
    lines: list[_Line] = []
    seen: set[tuple[int, int]] = set()
    for line, cells in enumerate(reader, start=command.first_line):
        if not any(c.strip() for c in cells):
            continue
        if len(lines) == MAX_LINES:
            raise InvalidInput(f"นำเข้าได้ครั้งละไม่เกิน {MAX_LINES} รายการ", f"at most {MAX_LINES} lines a call")
        parsed = _read_line(
            line,
            {n: (cells[i].strip() if i < len(cells) else "") for n, i in where.items()},
            command,
            classes,
        )
        if (parsed.year, parsed.number) in seen:
            raise InvalidInput(
                f"บรรทัด {line}: เลขทะเบียน {parsed.number} ปี {parsed.year} ซ้ำในไฟล์",
                f"line {line}: number {parsed.number} of {parsed.year} is given twice",
            )
        seen.add((parsed.year, parsed.number))
        lines.append(parsed)
    if not lines:
        raise InvalidInput("ไม่มีรายการให้นำเข้า", "the CSV has no lines")
    return lines


def _columns(header: list[str]) -> dict[str, int]:
    where: dict[str, int] = {}
    for name, titles in COLUMNS.items():
        found = [i for i, h in enumerate(header) if h in titles]
        if found:
            where[name] = found[0]
    missing = [COLUMNS[n][0] for n in REQUIRED if n not in where]
    if missing:
        raise InvalidInput(
            f"ไม่มีคอลัมน์ {', '.join(missing)}", f"the header lacks the columns {', '.join(missing)}"
        )
    return where


def _read_line(line: int, fields: dict[str, str], command: models.LegacyImport, classes: set[str]) -> _Line:
    for name, value in fields.items():
        if len(value) > _FIELD_MAX or any(ord(c) < 32 or c in _HIDDEN for c in value):
            raise InvalidInput(
                f"บรรทัด {line} คอลัมน์ {COLUMNS[name][0]} ยาวเกินหรือมีอักขระควบคุมหรืออักขระที่มองไม่เห็น",
                f"line {line}, column {name}: over {_FIELD_MAX} long, or holds control or hidden characters",
            )
    number = int(arabic_digits(fields["number"])) if arabic_digits(fields["number"]).isdigit() else 0
    if number < 1:
        raise InvalidInput(
            f"บรรทัด {line}: เลขทะเบียน {fields['number']!r} ไม่ใช่จำนวนเต็มบวก",
            f"line {line}: number {fields['number']!r} is not a positive whole number",
        )
    if not fields["subject"]:
        raise InvalidInput(f"บรรทัด {line}: ไม่มีเรื่อง", f"line {line}: no subject")
    registered_on = parse_day(fields["registered_on"], line=line, column="วันที่ลงทะเบียน")
    low, high = YEARS
    if not low <= registered_on.year + BUDDHIST_OFFSET <= high:  # a book's year is read back within these
        raise InvalidInput(
            f"บรรทัด {line}: วันที่ลงทะเบียน {fields['registered_on']!r} อยู่นอกปี พ.ศ. {low}–{high}",
            f"line {line}: registered on {fields['registered_on']!r}, outside the years {low}–{high} BE",
        )
    letter_date = (
        parse_day(fields["letter_date"], line=line, column="ลงวันที่") if fields.get("letter_date") else None
    )
    closed_on = (
        parse_day(fields["closed_on"], line=line, column="วันที่ปฏิบัติเสร็จ")
        if fields.get("closed_on")
        else registered_on
    )
    class_code = fields.get("class_code") or command.class_code
    if class_code not in classes:
        raise InvalidInput(
            f"บรรทัด {line}: ไม่มีประเภทการเก็บ {class_code}", f"line {line}: no retention class {class_code}"
        )
    if fields.get("file") and not fields["file"].lower().endswith(".pdf"):
        raise InvalidInput(
            f"บรรทัด {line}: ไฟล์ต้องเป็น PDF", f"line {line}: the scan {fields['file']!r} must be a PDF"
        )
    return _Line(line, number, registered_on, fields, letter_date, closed_on, class_code)


def import_book(
    principal: Principal, command: models.LegacyImport, *, now: datetime
) -> models.LegacyImported:
    principal.require(Role.RECORDS)
    from chalicelib.archive import service

    settings = service.settings_of(principal.agency_id)
    classes = {c.code: c for c in settings.classes}
    lines = parse(command, set(classes))
    book = store.legacy_book(principal.agency_id, command.book_id)
    if book is not None and book.direction != command.direction:
        raise Conflict(
            f"ทะเบียน {command.book_id} นำเข้าไว้แล้วเป็นทะเบียน{'รับ' if book.direction == 'incoming' else 'ส่ง'}",
            f"book {command.book_id} was imported as {book.direction}",
        )
    existing = {
        (year, int(entry.sk)): entry.document_id
        for year in {line.year for line in lines}
        for entry in store.legacy_entries(principal.agency_id, command.book_id, year)
    }
    answers: list[models.LegacyLine] = []
    fresh = [line for line in lines if (line.year, line.number) not in existing]
    for line in lines:
        if (line.year, line.number) in existing:
            document_id = existing[(line.year, line.number)]
            answers.append(
                models.LegacyLine(
                    line=line.line,
                    year=line.year,
                    number=line.number,
                    document_id=document_id,
                    already=True,
                    upload=_scan_still_awaited(principal, document_id, line.fields["file"], now=now)
                    if line.fields.get("file")
                    else None,
                )
            )
    drafts = {line.line: _draft(line, classes[line.class_code]) for line in fresh}  # all, before any write
    for index, batch in enumerate(_batches(fresh)):
        tx = ddb.Transaction()
        if index == 0 and book is None:
            tx.put(
                "book",
                store.new_legacy_book(
                    principal.agency_id,
                    command.book_id,
                    name=command.book_name,
                    direction=command.direction,
                    created_at=now,
                ),
                condition=store.LegacyBookItem.pk.does_not_exist(),
            )
        made = [_line(tx, principal, command, line, drafts[line.line], now) for line in batch]
        # The years' counts go with their lines: exact, since each line's entry is written only if absent.
        for year in sorted({line.year for line in batch}):
            count = sum(1 for line in batch if line.year == year)
            store.add_legacy_lines(tx, principal.agency_id, command.book_id, year, count)
        try:
            tx.commit()
        except ddb.Cancelled as cancelled:
            raise Conflict(
                "มีการนำเข้าทะเบียนเล่มนี้พร้อมกัน โปรดลองอีกครั้ง (รายการที่นำเข้าแล้วจะไม่ซ้ำ)",
                "the book was being imported meanwhile: run the call again (imported lines are kept once)",
            ) from cancelled
        answers.extend(made)
    answers.sort(key=lambda a: a.line)
    return models.LegacyImported(
        book_id=command.book_id,
        imported=sum(1 for a in answers if not a.already),
        already=sum(1 for a in answers if a.already),
        lines=answers,
    )


def _scan_still_awaited(
    principal: Principal, document_id: str, filename: str, *, now: datetime
) -> document_models.UploadTicket | None:
    """An upload for a line imported before whose scan never arrived: a new presigned POST for its pending
    file, or, when that file lapsed unsent (or its bytes were refused), a new pending file. Importing the
    same CSV again is how the records officer sends the missing scans; a scan that arrived is never asked
    for again."""
    stored = documents.load(principal.agency_id, document_id)
    if stored is None:
        return None
    mains = [f for f in stored.files if f.role == FileRole.MAIN]
    if any(f.status == FileStatus.READY for f in mains):
        return None
    pending = next((f for f in mains if f.status == FileStatus.PENDING), None)
    if pending is not None:
        return documents.upload_ticket(pending)
    file = documents.pending_file(
        principal,
        stored,
        keys.new_id(),
        role=FileRole.MAIN,
        filename=filename,
        declared_type="application/pdf",
        now=now,
    )
    tx = ddb.Transaction()
    tx.put("file", file, condition=type(file).pk.does_not_exist())
    audit.record(tx, principal, "file.upload_requested", f"document/{document_id}", now, filename=filename)
    tx.commit()
    return documents.upload_ticket(file)


def _batches(fresh: list[_Line]) -> list[list[_Line]]:
    """The lines in transactions of LINES_PER_TX, fewer when their items would pass TX_ITEMS (a line
    writes 3 items, 4 with a scan; each year in a transaction adds its count, the first one the book)."""
    batches: list[list[_Line]] = []
    batch: list[_Line] = []
    items = 1
    for line in fresh:
        scan = 1 if line.fields.get("file") else 0
        cost = 3 + scan + (0 if any(b.year == line.year for b in batch) else 1)
        if batch and (len(batch) == LINES_PER_TX or items + cost > TX_ITEMS):
            batches.append(batch)
            batch, items = [], 1
            cost = 4 + scan
        batch.append(line)
        items += cost
    if batch:
        batches.append(batch)
    return batches


def _draft(line: _Line, retention: models.RetentionClass) -> document_models.DocumentDraft:
    """The line as a document draft, checked like any draft (so a fault is found before any write)."""
    fields = line.fields
    try:
        draft = document_models.DocumentDraft.model_validate_json(
            json.dumps(
                {
                    "kind": "external",
                    "subject": fields["subject"],
                    "reference": fields.get("reference") or None,
                    "letter_date": line.letter_date.isoformat() if line.letter_date else None,
                    "sender": {"name": fields.get("sender", "")},
                    "recipient": {"name": fields.get("recipient", "")},
                    "retention_years": retention.years or 10,
                    "permanent": retention.permanent,
                }
            )
        )
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidInput(
            f"บรรทัด {line.line}: {first['msg']}",
            f"line {line.line}: {'.'.join(map(str, first['loc']))}: {first['msg']}",
        ) from error
    return draft


def _line(
    tx: ddb.Transaction,
    principal: Principal,
    command: models.LegacyImport,
    line: _Line,
    draft: document_models.DocumentDraft,
    now: datetime,
) -> models.LegacyLine:
    fields = line.fields
    incoming = command.direction == "incoming"
    item = documents.new_document_item(principal, draft, now=now)
    document_id = documents.document_id_of(item)
    registered_at = datetime(
        line.registered_on.year, line.registered_on.month, line.registered_on.day, tzinfo=now.tzinfo
    )
    item.state = DocumentState.REGISTERED.value
    item.content = {
        **item.content,
        "closed_on": line.closed_on.isoformat(),
        "retention_class": line.class_code,
        "imported": {
            "book": command.book_id,
            "action": fields.get("action", ""),
            "remark": fields.get("remark", ""),
            "file_code": fields.get("file_code", ""),
        },
    }
    item.registrations = [
        {
            "book": f"{BOOK_PREFIX}{command.book_id}",
            "year": line.year,
            "number": line.number,
            "ref_line": fields.get("reference") or None,
            "registered_at": registered_at.isoformat(),
        }
    ]
    documents.add_new_document(tx, item)
    tx.put(
        f"entry-{line.line}",
        store.new_legacy_entry(
            principal.agency_id,
            command.book_id,
            line.year,
            line.number,
            document_id=document_id,
            columns={
                **fields,
                "registered_on": line.registered_on.isoformat(),
                "direction": "incoming" if incoming else "outgoing",
            },
            imported_at=now,
            imported_by=principal.user_id,
        ),
        condition=store.LegacyEntryItem.pk.does_not_exist(),
    )
    upload = None
    if fields.get("file"):
        file = documents.pending_file(
            principal,
            documents.StoredDocument(item, []),
            keys.new_id(),
            role=FileRole.MAIN,
            filename=fields["file"],
            declared_type="application/pdf",
            now=now,
        )
        tx.put(f"file-{line.line}", file, condition=type(file).pk.does_not_exist())
        upload = documents.upload_ticket(file)
    audit.record(
        tx,
        principal,
        "archive.legacy_imported",
        f"document/{document_id}",
        now,
        book=command.book_id,
        year=line.year,
        number=line.number,
        content=item.content,
    )
    return models.LegacyLine(
        line=line.line,
        year=line.year,
        number=line.number,
        document_id=document_id,
        already=False,
        upload=upload,
    )


def books(principal: Principal) -> models.LegacyBooks:
    """The agency's imported books with the years they hold (two queries: the books and their years)."""
    principal.require(Role.RECORDS, Role.SARABAN, Role.ADMIN)
    years = store.legacy_years(principal.agency_id)
    return models.LegacyBooks(
        books=[
            models.LegacyBookSummary(
                book_id=item.sk,
                name=item.name,
                direction=item.direction,
                created_at=item.created_at,
                years=[
                    models.LegacyBookYear(year=year, lines=lines)
                    for year, lines in sorted(years.get(item.sk, {}).items())
                ],
            )
            for item in store.legacy_books(principal.agency_id)
        ]
    )


def book(principal: Principal, book_id: str, year: int) -> models.LegacyBook:
    """An imported book's year, in its numbers' order."""
    principal.require(Role.RECORDS, Role.SARABAN, Role.ADMIN)
    found = store.legacy_book(principal.agency_id, book_id)
    if found is None:
        from chalicelib.kernel.errors import NotFound

        raise NotFound(f"ไม่มีทะเบียนนำเข้า {book_id}", f"no imported book {book_id}")
    entries = []
    for entry in store.legacy_entries(principal.agency_id, book_id, year):
        columns: dict[str, Any] = entry.columns
        entries.append(
            models.LegacyEntry(
                number=int(entry.sk),
                document_id=entry.document_id,
                registered_on=date.fromisoformat(columns["registered_on"]),
                reference=columns.get("reference", ""),
                letter_date=columns.get("letter_date", ""),
                sender=columns.get("sender", ""),
                recipient=columns.get("recipient", ""),
                subject=columns.get("subject", ""),
                action=columns.get("action", ""),
                remark=columns.get("remark", ""),
                file_code=columns.get("file_code", ""),
            )
        )
    return models.LegacyBook(
        book_id=book_id, name=found.name, direction=found.direction, year=year, entries=entries
    )
