"""Registering letters in the books (ลงทะเบียนรับ / ลงทะเบียนส่ง / ออกเลข), cancelling, listing.

The use case: find the book, read the counter, the document and any earlier answer to the same
Idempotency-Key in one request, apply the rules, take the next number in one conditional
transaction, and on contention read again and retry (docs/rules.md, "Registers and running numbers").
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.directory import service as directory
from chalicelib.directory.service import AgencyProfile
from chalicelib.documents import service as documents
from chalicelib.documents.service import DocumentItem, DocumentState
from chalicelib.kernel import ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Busy, Conflict, InvalidInput, NotFound
from chalicelib.kernel.principal import Principal, Role
from chalicelib.registers import domain, models, store
from chalicelib.registers.domain import BookDefinition, Direction, book_year, next_number
from chalicelib.registers.store import EntryItem
from chalicelib.saraban import TOP_SECRET_NEUTRAL_SUBJECT, Secrecy, Urgency
from chalicelib.thai import BANGKOK, normalize_thai, to_bangkok

MAX_ATTEMPTS = 60
IDEMPOTENCY_KEY_MAX = 128
# Visible ASCII but '#' (which separates key parts): the same pattern as the OpenAPI header (api.py).
IDEMPOTENCY_KEY_PATTERN = r"^[!-\"$-~]{1,128}$"
IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)


def book_of(principal: Principal, book_id: str) -> tuple[AgencyProfile, BookDefinition]:
    profile = directory.agency_profile(principal.agency_id)
    book = domain.books_of(profile.settings).get(book_id) if profile else None
    if profile is None or book is None:
        raise NotFound("ไม่พบทะเบียน", f"no register book {book_id!r}", book=book_id)
    return profile, book


def book_ids(agency_id: str) -> list[str]:
    return [book.id for book in books(agency_id)]


def books(agency_id: str) -> list[BookDefinition]:
    """The agency's register books (the standard ones and any it defines), by id."""
    profile = directory.agency_profile(agency_id)
    found = domain.books_of(profile.settings) if profile else {}
    return [found[book_id] for book_id in sorted(found)]


def direction_of(agency_id: str, book_id: str) -> Direction | None:
    profile = directory.agency_profile(agency_id)
    book = domain.books_of(profile.settings).get(book_id) if profile else None
    return book.direction if book else None


def _fingerprint(book_id: str, command: models.RegistrationCommand) -> str:
    body = command.model_dump(mode="json", exclude_none=True)
    # Fields added later count only when given, so an earlier request's fingerprint stays the same.
    for name, default in (("recipients", []), ("duplicate_of_ok", False)):
        if body.get(name) == default:
            body.pop(name, None)
    canonical = json.dumps({"book": book_id, "body": body}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_idempotency_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not IDEMPOTENCY_KEY.match(key):
        raise InvalidInput(
            "Idempotency-Key ไม่ถูกต้อง",
            f"Idempotency-Key must be 1-{IDEMPOTENCY_KEY_MAX} visible ASCII characters, no '#'",
            errors=[{"field": "Idempotency-Key", "in": "header", "message": "malformed"}],
        )
    return key


def register(
    principal: Principal,
    book_id: str,
    command: models.RegistrationCommand,
    *,
    idempotency_key: str | None,
    clock: Callable[[], datetime],
) -> tuple[models.RegisterEntry, bool]:
    """Take the next number in a book for a document. Returns (entry, replayed)."""
    principal.require(Role.SARABAN)
    profile, book = book_of(principal, book_id)
    key = check_idempotency_key(idempotency_key)
    # A key is the caller's own: another officer's request with the same key is a different request.
    scoped_key = f"{principal.user_id}:{key}" if key else None
    fingerprint = _fingerprint(book_id, command)
    if command.unit_id is not None:
        profile.require_unit(command.unit_id)
    document_ref = (
        (DocumentItem, keys.document_pk(principal.agency_id, command.document_id), keys.DOCUMENT_SK)
        if command.document_id
        else None
    )
    reads: store.RegistrationReads | None = None
    retried_at_once = False
    names: dict[str, str] = {}  # signers' names, read once
    for attempt in range(MAX_ATTEMPTS):
        now = clock()
        year = book_year(now)
        if reads is None or reads.year != year:
            reads = store.read_for_registration(principal.agency_id, book.id, year, document_ref, scoped_key)
        if reads.replay is not None:
            return _replayed(reads.replay, fingerprint), True
        if command.document is not None:
            document = documents.new_document_item(principal, command.document, now=now)
        else:
            document = _registrable(principal, reads.document, command.document_id or "", book)
        number = next_number(reads.counter)
        made = _compose(
            principal, profile, book, command, document, year=year, number=number, now=now, names=names
        )
        entry, result, registration, ref_line = made.entry, made.result, made.registration, made.ref_line
        events = _registration_events(principal, book, result, registration, document, now)
        tx = ddb.Transaction()
        changes = _document_after_registration(document, registration, book, ref_line)
        if command.document is not None:
            events.insert(0, documents.created_event(principal, document, now))
            for name, value in changes.items():
                setattr(document, name, value)
            documents.add_new_document(tx, document)
        else:
            documents.add_document_update(tx, document, changes, now=now)
        try:
            store.commit_registration(
                tx,
                agency_id=principal.agency_id,
                book=book.id,
                year=year,
                number=number,
                entry=entry,
                idempotency=(scoped_key, fingerprint, result.model_dump(mode="json")) if scoped_key else None,
                events=events,
                now=now,
                letter=made.letter,
            )
            return result, False
        except store.NumberTaken as taken:
            # Another registration took the number. The refusal carries the counter it left: retry at
            # once with it (no second read); a value that has gone stale again means contention, so
            # then back off with jitter and read afresh.
            if taken.current is not None and not retried_at_once:
                reads, retried_at_once = replace(reads, counter=taken.current), True
                continue
            reads = None
        except (store.DocumentChanged, store.ReplayRace, store.LetterTaken):
            reads = None  # what changed is in the next read (a letter's marker: read by _same_letter)
        retried_at_once = False
        time.sleep(random.random() * min(0.5, 0.004 * 2 ** min(attempt, 7)))  # full jitter, capped
    raise Busy("ระบบมีผู้ใช้งานทะเบียนนี้พร้อมกันจำนวนมาก กรุณาลองใหม่", "the book is busy; retry the request")


@dataclass(frozen=True)
class _Composed:
    """A registration as it will be written: the entry, the answer, the document's record of it."""

    entry: EntryItem
    result: models.RegisterEntry
    registration: dict[str, Any]
    ref_line: str | None
    letter: store.LetterItem | None


def _compose(
    principal: Principal,
    profile: AgencyProfile,
    book: BookDefinition,
    command: models.RegistrationCommand,
    document: DocumentItem,
    *,
    year: int,
    number: int,
    now: datetime,
    names: dict[str, str],
) -> _Composed:
    # Dated first: the entry's columns are a snapshot of the document as registered.
    dated = _date_outgoing(document, book, now)
    unit = profile.unit(command.unit_id or document.content.get("owner_unit_id"))
    ref_line = book.ref_line(number=number, year_be=year, unit_code=unit.code if unit else None)
    letter, earlier = _same_letter(principal, book, year, number, document, command, now)
    columns = domain.entry_columns(
        document.content,
        document.kind,
        book.direction,
        now if book.direction is Direction.INCOMING else None,
        owner_unit=unit.name if unit else "",
        agency_name=profile.name,
        signers=_signer_names(principal.agency_id, document, book, names),
        recipients=command.recipients,
        duplicate_of=earlier,
    )
    entry, result = _entry(principal, book, year, number, ref_line, document, columns, letter, now)
    registration = {
        "book": book.id,
        "year": year,
        "number": number,
        "ref_line": ref_line,
        "registered_at": now.isoformat(),
        **({"dated": dated} if dated else {}),
    }
    return _Composed(entry, result, registration, ref_line, letter)


def _date_outgoing(document: DocumentItem, book: BookDefinition, now: datetime) -> str | None:
    """ลงวันที่ of an outgoing letter is the day its number is taken (docs/rules.md, "Registers"):
    set on the document (and so in the entry's columns) unless the letter already has its date. The
    date set, or None: the registration remembers it, so that a cancellation can take it back."""
    if book.direction is Direction.OUTGOING and not document.content.get("letter_date"):
        day = to_bangkok(now).date().isoformat()
        document.content = {**document.content, "letter_date": day}
        return day
    return None


def _same_letter(
    principal: Principal,
    book: BookDefinition,
    year: int,
    number: int,
    document: DocumentItem,
    command: models.RegistrationCommand,
    now: datetime,
) -> tuple[store.LetterItem | None, dict[str, Any] | None]:
    """An incoming letter already in the book (same sender, ที่ and ลงวันที่, this book-year or the
    last) is refused naming the earlier entry, unless the caller says it is wanted again
    (`duplicate_of_ok`); then the entry notes the earlier one. Returns the marker to write (the
    first registration of a letter) and the earlier entry (a registration accepted as a duplicate)."""
    if book.direction is not Direction.INCOMING:
        return None, None
    digest = domain.letter_key(document.content)
    if digest is None:
        return None, None
    found = store.find_letter(principal.agency_id, book.id, [year, year - 1], digest)
    if found is None:
        marker = store.new_letter(
            principal.agency_id,
            book.id,
            year,
            digest,
            number=number,
            registered_at=now,
            registered_by=principal.user_id,
            secrecy=int(document.secrecy),
        )
        return marker, None
    earlier = {
        "book": found.book,
        "year": int(found.year),
        "number": int(found.number),
        "registered_at": found.registered_at.isoformat(),
    }
    if not command.duplicate_of_ok:
        named = domain.may_see_parties(principal, Secrecy(int(found.secrecy)), found.registered_by)
        raise domain.refuse_duplicate(book, earlier if named else None)
    return None, earlier


def _signer_names(
    agency_id: str, document: DocumentItem, book: BookDefinition, names: dict[str, str]
) -> list[str]:
    """ผู้ลงนาม of an outgoing letter: its signers as the directory names them (position, else name)."""
    if book.direction is not Direction.OUTGOING:
        return []
    shown = []
    for user_id in document.content.get("signers") or []:
        if user_id not in names:
            signer = directory.signer(agency_id, user_id)
            names[user_id] = (signer.position or signer.name) if signer else ""
        shown.append(names[user_id])
    return shown


def _document_after_registration(
    document: DocumentItem, registration: dict[str, Any], book: BookDefinition, ref_line: str | None
) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "registrations": [*document.registrations, registration],
        "state": DocumentState.REGISTERED.value,
    }
    if book.direction is Direction.OUTGOING:
        # An outgoing letter carries its new number as its own ที่, and the day as its date.
        changes["content"] = {**document.content, **({"reference": ref_line} if ref_line else {})}
    return changes


def _registration_events(
    principal: Principal,
    book: BookDefinition,
    result: models.RegisterEntry,
    registration: dict[str, Any],
    document: DocumentItem,
    now: datetime,
) -> list[AuditEvent]:
    return [
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "register.entry.created",
            f"register/{book.id}/{result.year}/{result.number}",
            now,
            after=result.model_dump(mode="json"),
        ),
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "document.registered",
            f"document/{result.document_id}",
            now,
            before={"state": document.state, "registrations": document.registrations},
            after={"state": DocumentState.REGISTERED.value, "registration": registration},
        ),
    ]


def _registrable(
    principal: Principal, document: DocumentItem | None, document_id: str, book: BookDefinition
) -> DocumentItem:
    if document is None or not documents.may_read(principal, document):
        raise documents.not_found(document_id)
    if any(r.get("book") == book.id and not r.get("cancelled") for r in document.registrations):
        raise Conflict(
            f"หนังสือนี้ลงทะเบียน{book.name_th}แล้ว",
            f"this document is already registered in the {book.name_en} book",
        )
    return document


def _entry(
    principal: Principal,
    book: BookDefinition,
    year: int,
    number: int,
    ref_line: str | None,
    document: DocumentItem,
    columns: dict[str, Any],
    letter: store.LetterItem | None,
    now: datetime,
) -> tuple[EntryItem, models.RegisterEntry]:
    direction = book.direction
    subject = columns["subject"]
    document_id = documents.document_id_of(document)
    entry = store.new_entry(
        principal.agency_id,
        book.id,
        year,
        number,
        document_id=document_id,
        ref_line=ref_line,
        registered_at=now,
        registered_by=principal.user_id,
        columns=columns,
        urgency=document.content.get("urgency", Urgency.NORMAL.value),
        secrecy=int(document.secrecy),
        subject_search=normalize_thai(subject) if subject != TOP_SECRET_NEUTRAL_SUBJECT else "",
        cancelled=False,
        letter_key=letter.sk if letter is not None else None,
    )
    result = models.RegisterEntry(
        book=book.id,
        year=year,
        number=number,
        ref_line=ref_line,
        registered_at=now,
        document_id=document_id,
        received_number=number if direction is Direction.INCOMING else None,  # เลขรับ
        letter_date=columns.get("letter_date"),
        duplicate_of=columns.get("duplicate_of"),
    )
    return entry, result


def _replayed(replay: store.IdempotencyItem, fingerprint: str) -> models.RegisterEntry:
    if replay.fingerprint != fingerprint:
        raise Conflict(
            "Idempotency-Key นี้ถูกใช้กับคำขออื่นแล้ว",
            "this Idempotency-Key was used for a different request",
        )
    return models.RegisterEntry.model_validate(replay.result)


def cancel(
    principal: Principal,
    book_id: str,
    year: int,
    number: int,
    command: models.CancelCommand,
    *,
    now: datetime,
) -> models.EntryLine:
    """Cancel an entry: it keeps its number, marked cancelled with the reason and who cancelled it."""
    principal.require(Role.SARABAN, Role.ADMIN)
    _, book = book_of(principal, book_id)
    reason = domain.check_cancel_reason(command.reason)
    entry = store.get_entry(principal.agency_id, book.id, year, number)
    if entry is None or not domain.listable(principal, Secrecy(int(entry.secrecy))):
        raise NotFound("ไม่พบรายการในทะเบียน", f"no entry {number} in the {book.id} book for {year}")
    if entry.cancelled:
        raise Conflict("รายการนี้ถูกยกเลิกแล้ว", "this entry is already cancelled")
    cancel_info = {
        "reason": reason,
        "by": principal.user_id,
        "by_name": principal.name,
        "at": now.isoformat(),
    }
    event = AuditEvent(
        principal.agency_id,
        principal.user_id,
        "register.entry.cancelled",
        f"register/{book.id}/{year}/{number}",
        now,
        before={"cancelled": False},
        after={"cancelled": True, **cancel_info},
    )
    for _ in range(MAX_ATTEMPTS):
        # The document forgets the registration in the same transaction: it may be registered anew.
        document = documents.document_item(principal.agency_id, entry.document_id)

        def document_part(tx: ddb.Transaction, document: DocumentItem | None = document) -> None:
            if document is not None:
                changes = _document_after_cancel(document, book.id, year, number, entry.ref_line)
                documents.add_document_update(tx, document, changes, now=now)

        try:
            done = store.cancel_entry(entry, cancel_info, event, document_part)
        except store.DocumentChanged:
            continue
        if not done:
            raise Conflict("รายการนี้ถูกยกเลิกแล้ว", "this entry is already cancelled")
        break
    else:
        raise Busy("หนังสือถูกแก้ไขพร้อมกัน กรุณาลองใหม่", "the document kept changing; retry")
    entry.cancelled = True
    entry.cancel = cancel_info
    return entry_view(principal, book, year, entry)


def _document_after_cancel(
    document: DocumentItem, book: str, year: int, number: int, ref_line: str | None
) -> dict[str, Any]:
    """The document after one of its registrations is cancelled: the registration marked, the state
    back to draft if none is left, and what the number gave the letter taken back (its ที่, and its
    ลงวันที่ when that number dated it), so that a new number dates it afresh."""
    cancelled = [
        r
        for r in document.registrations
        if (r.get("book"), r.get("year"), r.get("number")) == (book, year, number)
    ]
    registrations = [{**r, "cancelled": True} if r in cancelled else r for r in document.registrations]
    active = [r for r in registrations if not r.get("cancelled")]
    changes: dict[str, Any] = {
        "registrations": registrations,
        "state": (DocumentState.REGISTERED if active else DocumentState.DRAFT).value,
    }
    content = dict(document.content)
    if ref_line and content.get("reference") == ref_line:
        content["reference"] = None
    dated = {r.get("dated") for r in cancelled if r.get("dated")}
    if content.get("letter_date") in dated and not any(
        r.get("dated") == content["letter_date"] for r in active
    ):
        content["letter_date"] = None
    if content != document.content:
        changes["content"] = content
    return changes


def entry_view(principal: Principal, book: BookDefinition, year: int, entry: EntryItem) -> models.EntryLine:
    secrecy = Secrecy(int(entry.secrecy))
    columns = domain.visible_columns(principal, secrecy, dict(entry.columns), entry.registered_by)
    remark = domain.remark(columns, entry.cancel if entry.cancelled else None, year=year, cancel_prefix=False)
    return models.EntryLine.model_validate(
        {
            "book": book.id,
            "year": year,
            "number": int(entry.number),
            "ref_line": entry.ref_line,
            "registered_at": entry.registered_at,
            "registered_by": entry.registered_by,
            "document_id": entry.document_id,
            "urgency": entry.urgency,
            "secrecy": secrecy.api_name,
            "cancelled": bool(entry.cancelled),
            "cancel": well_formed(entry.cancel),
            **well_formed(columns),
            "remark": well_formed(remark),
            "needs_repair": well_formed(dict(entry.columns)) != dict(entry.columns)
            or well_formed(entry.cancel) != entry.cancel,
        }
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(value: Any) -> Any:
    """Text as stored before text was checked at the door may hold a lone surrogate: show it with a
    replacement character rather than fail the whole book (docs/api.md, "Text")."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {well_formed(k): well_formed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [well_formed(v) for v in value]
    return value


def repair(principal: Principal, book_id: str, year: int, number: int, *, now: datetime) -> models.EntryLine:
    """Rewrite a line stored before text was checked at the door, so that its text is well formed
    (the records officer's repair path; audited with the text before and after)."""
    principal.require(Role.RECORDS, Role.ADMIN)
    _, book = book_of(principal, book_id)
    entry = store.get_entry(principal.agency_id, book.id, year, number)
    if entry is None or not domain.listable(principal, Secrecy(int(entry.secrecy))):
        raise NotFound("ไม่พบรายการในทะเบียน", f"no entry {number} in the {book.id} book for {year}")
    columns, cancel = well_formed(dict(entry.columns)), well_formed(entry.cancel)
    if columns != entry.columns or cancel != entry.cancel:
        store.rewrite_text(
            entry,
            columns=columns,
            cancel=cancel,
            subject_search=normalize_thai(columns.get("subject") or "") if entry.subject_search else "",
            event=AuditEvent(
                principal.agency_id,
                principal.user_id,
                "register.entry.repaired",
                f"register/{book.id}/{year}/{number}",
                now,
                before={"columns": well_formed(entry.columns), "malformed": True},
                after={"columns": columns},
            ),
        )
        entry.columns, entry.cancel = columns, cancel
    return entry_view(principal, book, year, entry)


def list_book(
    principal: Principal, book_id: str, query: models.ListQuery, *, now: datetime
) -> models.BookPage:
    _, book = book_of(principal, book_id)
    year = query.year or book_year(now)
    after = store.decode_cursor(query.cursor) if query.cursor else None
    page = store.list_entries(
        principal.agency_id,
        book.id,
        year,
        limit=query.limit,
        after_sort_key=after,
        filter_condition=_filters(principal, query),
    )
    return models.BookPage(
        book=book.id,
        book_th=book.name_th,
        year=year,
        entries=[entry_view(principal, book, year, e) for e in page.entries],
        cursor=page.cursor,
    )


def _filters(principal: Principal, query: models.ListQuery) -> Any:
    """DynamoDB filter for the query string; secrecy is always capped at the caller's clearance."""
    secrecy_cap = principal.clearance
    condition = (EntryItem.secrecy <= int(secrecy_cap)) | (EntryItem.secrecy == int(Secrecy.TOP_SECRET))
    if query.secrecy is not None:
        level = Secrecy.parse(query.secrecy)
        if level > secrecy_cap:
            level = secrecy_cap  # never above clearance: the filter quietly finds nothing more
            condition &= EntryItem.secrecy == -1
        condition &= EntryItem.secrecy == int(level)
    if query.urgency is not None:
        condition &= EntryItem.urgency == query.urgency.value
    start, end = query.from_, query.to
    if start and end and start > end:
        condition &= EntryItem.secrecy == -1  # a range with no days in it holds no entries
    if start and (moment := _day_start(start)) is not None:
        condition &= EntryItem.registered_at >= moment
    if end and (moment := _day_start(end, next_day=True)) is not None:
        condition &= EntryItem.registered_at < moment
    text = (query.q or "").strip()
    if text:
        if not principal.has(Role.SARABAN):
            # A classified entry's subject is masked for others: it must not be findable either.
            condition &= EntryItem.secrecy == int(Secrecy.NORMAL)
        # Every word must appear (Thai has no spaces, so the user's spaces separate search terms).
        for term in normalize_thai(text).split()[:8]:
            condition &= EntryItem.subject_search.contains(term)
    return condition


def _day_start(day: date, *, next_day: bool = False) -> datetime | None:
    """The instant a Bangkok day starts; None far outside any book-year (no bound there)."""
    if not 1800 <= day.year <= 2300:
        return None
    try:
        start = datetime(day.year, day.month, day.day, tzinfo=BANGKOK)
        return start + timedelta(days=1) if next_day else start
    except OverflowError:
        return None


def record_action(
    agency_id: str,
    document_id: str,
    action: str,
    *,
    actor: str,
    now: datetime,
    direction: Direction = Direction.INCOMING,
) -> int:
    """Write การปฏิบัติ (where a letter went, what became of it) on its register lines of that
    direction; how many lines changed. Called by routing as endorsements and assignments happen, and by
    the exchange as recipients accept or send back an outgoing letter."""
    document = documents.document_item(agency_id, document_id)
    if document is None:
        return 0
    changed = 0
    for registration in document.registrations:
        if registration.get("cancelled") or direction_of(agency_id, registration["book"]) is not direction:
            continue
        entry = store.get_entry(
            agency_id, registration["book"], int(registration["year"]), int(registration["number"])
        )
        if entry is None or entry.columns.get("action") == action:
            continue
        store.set_action(
            entry,
            action,
            AuditEvent(
                agency_id,
                actor,
                "register.entry.action",
                f"register/{registration['book']}/{registration['year']}/{registration['number']}",
                now,
                before={"action": entry.columns.get("action")},
                after={"action": action},
            ),
        )
        changed += 1
    return changed
