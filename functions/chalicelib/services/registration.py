"""Registering letters in the books (ลงทะเบียนรับ / ลงทะเบียนส่ง / ออกเลข), cancelling, listing.

The use case: find the book, read the counter, the document and any earlier answer to the same
Idempotency-Key in one request, apply the rules, take the next number in one conditional
transaction, and on contention read again and retry.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.domain.access import Principal, Role, may_read_document, may_see_level
from chalicelib.domain.documents import TOP_SECRET_NEUTRAL_SUBJECT, DocumentDraft, Secrecy, Urgency
from chalicelib.domain.registers import BookDefinition, Direction, book_year, check_cancel_reason, next_number
from chalicelib.domain.thai import BANGKOK, normalize_thai
from chalicelib.errors import Busy, Conflict, InvalidInput, NotFound
from chalicelib.services.documents import (
    DocumentState,
    created_event,
    document_id_of,
    new_document_item,
    not_found,
)
from chalicelib.services.validation import parse_model
from chalicelib.store import keys
from chalicelib.store import registers as store
from chalicelib.store.audit import AuditEvent
from chalicelib.store.directory import AgencyProfile, agency_profile
from chalicelib.store.models import DocumentItem, EntryItem

MAX_ATTEMPTS = 60
IDEMPOTENCY_KEY_MAX = 128


def book_of(principal: Principal, book_id: str) -> tuple[AgencyProfile, BookDefinition]:
    profile = agency_profile(principal.agency_id)
    book = profile.books.get(book_id) if profile else None
    if profile is None or book is None:
        raise NotFound("ไม่พบทะเบียน", f"no register book {book_id!r}", book=book_id)
    return profile, book


def _fingerprint(book_id: str, body: dict[str, Any]) -> str:
    canonical = json.dumps({"book": book_id, "body": body}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_idempotency_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable() or "#" in key:
        raise InvalidInput(
            "Idempotency-Key ไม่ถูกต้อง",
            f"Idempotency-Key must be 1-{IDEMPOTENCY_KEY_MAX} printable characters, no '#'",
        )
    return key


def entry_columns(
    document: DocumentItem, direction: Direction, received_at: datetime | None
) -> dict[str, Any]:
    """The snapshot of register columns kept on the entry (จาก, ถึง, ที่, ลงวันที่, เรื่อง)."""
    content = document.content
    return {
        "reference": content.get("reference"),
        "letter_date": content.get("letter_date"),
        "from": _party(content.get("sender")),
        "to": _party(content.get("recipient")),
        "subject": content.get("subject", ""),
        "kind": document.kind,
        "received_at": received_at.isoformat() if received_at else None,
        "direction": direction.value,
    }


def _party(party: dict[str, Any] | None) -> str:
    if not party:
        return ""
    return " ".join(p for p in (party.get("position") or party.get("name"), party.get("agency")) if p)


def register(
    principal: Principal,
    book_id: str,
    body: dict[str, Any],
    *,
    idempotency_key: str | None,
    clock: Callable[[], datetime],
) -> tuple[dict[str, Any], bool]:
    """Take the next number in a book for a document. Returns (entry, replayed)."""
    principal.require(Role.SARABAN)
    profile, book = book_of(principal, book_id)
    key = check_idempotency_key(idempotency_key)
    # A key is the caller's own: another officer's request with the same key is a different request.
    scoped_key = f"{principal.user_id}:{key}" if key else None
    fingerprint = _fingerprint(book_id, body)
    document_id, draft = _document_ref(body)
    unit_override = body.get("unit_id")
    if unit_override is not None and (
        not isinstance(unit_override, str) or unit_override not in profile.units
    ):
        raise InvalidInput("ไม่พบส่วนราชการ", f"unknown unit_id {unit_override!r}")

    reads: store.RegistrationReads | None = None
    retried_at_once = False
    for attempt in range(MAX_ATTEMPTS):
        now = clock()
        year = book_year(now)
        if reads is None or reads.year != year:
            reads = store.read_for_registration(principal.agency_id, book.id, year, document_id, scoped_key)
        if reads.replay is not None:
            return _replayed(reads.replay, fingerprint), True
        if draft is not None:
            document = new_document_item(principal, draft, now=now)
            new_document: DocumentItem | None = document
        else:
            document = _registrable(principal, reads.document, document_id or "", book)
            new_document = None
        number = next_number(reads.counter)
        unit_code = _unit_code(profile, document, unit_override)
        ref_line = book.ref_line(number=number, year_be=year, unit_code=unit_code)
        entry, result = _entry(principal, book, year, number, ref_line, document, now)
        registration = {k: result[k] for k in ("book", "year", "number", "ref_line", "registered_at")}
        update_actions = _document_after_registration(document, registration, book, ref_line, now)
        audit = _registration_events(principal, book, result, registration, document, now)
        if new_document is not None:
            audit.insert(0, created_event(principal, new_document, now))
            new_document.registrations = [registration]
            new_document.state = DocumentState.REGISTERED
            if book.direction is Direction.OUTGOING and ref_line:
                new_document.content = {**new_document.content, "reference": ref_line}
        try:
            store.commit_registration(
                store.NewEntry(
                    agency_id=principal.agency_id,
                    book=book.id,
                    year=year,
                    number=number,
                    entry=entry,
                    document_update=None if new_document is not None else (document, update_actions),
                    new_document=new_document,
                    idempotency=(scoped_key, fingerprint, result) if scoped_key else None,
                    audit=audit,
                ),
                now=now,
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
        except (store.DocumentChanged, store.ReplayRace):
            reads = None  # what changed is in the next read
        retried_at_once = False
        time.sleep(random.random() * min(0.5, 0.004 * 2 ** min(attempt, 7)))  # full jitter, capped
    raise Busy("ระบบมีผู้ใช้งานทะเบียนนี้พร้อมกันจำนวนมาก กรุณาลองใหม่", "the book is busy; retry the request")


def _document_after_registration(
    document: DocumentItem,
    registration: dict[str, Any],
    book: BookDefinition,
    ref_line: str | None,
    now: datetime,
) -> list[Any]:
    actions = [
        DocumentItem.registrations.set([*document.registrations, registration]),
        DocumentItem.state.set(DocumentState.REGISTERED),
        DocumentItem.version.add(1),
        DocumentItem.updated_at.set(now),
    ]
    if book.direction is Direction.OUTGOING and ref_line:
        # An outgoing letter carries its new number as its own ที่.
        actions.append(DocumentItem.content.set({**document.content, "reference": ref_line}))
    return actions


def _registration_events(
    principal: Principal,
    book: BookDefinition,
    result: dict[str, Any],
    registration: dict[str, Any],
    document: DocumentItem,
    now: datetime,
) -> list[AuditEvent]:
    return [
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "register.entry.created",
            f"register/{book.id}/{result['year']}/{result['number']}",
            now,
            after=result,
        ),
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "document.registered",
            f"document/{result['document_id']}",
            now,
            before={"state": document.state, "registrations": document.registrations},
            after={"state": DocumentState.REGISTERED, "registration": registration},
        ),
    ]


def _document_ref(body: dict[str, Any]) -> tuple[str | None, DocumentDraft | None]:
    document_id = body.get("document_id")
    inline = body.get("document")
    if (document_id is None) == (inline is None):
        raise InvalidInput(
            "ระบุ document_id หรือ document อย่างใดอย่างหนึ่ง",
            "give either document_id or an inline document, not both",
        )
    if document_id is not None:
        if not isinstance(document_id, str) or not keys.is_opaque_id(document_id):
            raise not_found(str(document_id))
        return document_id, None
    if not isinstance(inline, dict):
        raise InvalidInput("document ต้องเป็นออบเจกต์", "document must be an object")
    return None, parse_model(DocumentDraft, inline)


def _registrable(
    principal: Principal, document: DocumentItem | None, document_id: str, book: BookDefinition
) -> DocumentItem:
    if document is None or not may_read_document(
        principal,
        secrecy=Secrecy(int(document.secrecy)),
        created_by=document.created_by,
        grants=document.grants,
    ):
        raise not_found(document_id)
    if any(r.get("book") == book.id and not r.get("cancelled") for r in document.registrations):
        raise Conflict(
            f"หนังสือนี้ลงทะเบียน{book.name_th}แล้ว",
            f"this document is already registered in the {book.name_en} book",
        )
    return document


def _unit_code(profile: AgencyProfile, document: DocumentItem, unit_override: str | None) -> str | None:
    unit_id = unit_override or document.content.get("owner_unit_id")
    unit = profile.units.get(unit_id) if unit_id else None
    return unit.code if unit else None


def _entry(
    principal: Principal,
    book: BookDefinition,
    year: int,
    number: int,
    ref_line: str | None,
    document: DocumentItem,
    now: datetime,
) -> tuple[EntryItem, dict[str, Any]]:
    direction = book.direction
    columns = entry_columns(document, direction, now if direction is Direction.INCOMING else None)
    subject = columns["subject"]
    entry = EntryItem(
        keys.book_pk(principal.agency_id, book.id, year),
        keys.entry_sk(number),
        number=number,
        document_id=document_id_of(document),
        ref_line=ref_line,
        registered_at=now,
        registered_by=principal.user_id,
        columns=columns,
        urgency=document.content.get("urgency", Urgency.NORMAL.value),
        secrecy=int(document.secrecy),
        subject_search=normalize_thai(subject) if subject != TOP_SECRET_NEUTRAL_SUBJECT else "",
        cancelled=False,
    )
    result: dict[str, Any] = {
        "book": book.id,
        "year": year,
        "number": number,
        "ref_line": ref_line,
        "registered_at": now.isoformat(),
        "document_id": document_id_of(document),
    }
    if direction is Direction.INCOMING:
        result["received_number"] = number  # เลขรับ
    return entry, result


def _replayed(replay: Any, fingerprint: str) -> dict[str, Any]:
    if replay.fingerprint != fingerprint:
        raise Conflict(
            "Idempotency-Key นี้ถูกใช้กับคำขออื่นแล้ว",
            "this Idempotency-Key was used for a different request",
        )
    return dict(replay.result)


def cancel(
    principal: Principal, book_id: str, year: int, number: int, body: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    """Cancel an entry: it keeps its number, marked cancelled with the reason and who cancelled it."""
    principal.require(Role.SARABAN, Role.ADMIN)
    _, book = book_of(principal, book_id)
    reason = body.get("reason")
    if not isinstance(reason, str):
        raise InvalidInput("ต้องระบุเหตุผลการยกเลิกเป็นข้อความ", "reason must be a text")
    reason = check_cancel_reason(reason)
    entry = store.get_entry(principal.agency_id, book.id, year, number)
    if entry is None or not _listable(principal, Secrecy(int(entry.secrecy))):
        raise NotFound("ไม่พบรายการในทะเบียน", f"no entry {number} in the {book.id} book for {year}")
    if entry.cancelled:
        raise Conflict("รายการนี้ถูกยกเลิกแล้ว", "this entry is already cancelled")
    cancel_info = {
        "reason": reason,
        "by": principal.user_id,
        "by_name": principal.name,
        "at": now.isoformat(),
    }
    target = f"register/{book.id}/{year}/{number}"
    for _ in range(MAX_ATTEMPTS):
        # The document forgets the registration in the same transaction: it may be registered anew.
        document = store.get_document_item(principal.agency_id, entry.document_id)
        update = (
            _document_after_cancel(document, book.id, year, number, entry.ref_line, now) if document else None
        )
        try:
            done = store.cancel_entry(
                entry,
                cancel_info,
                AuditEvent(
                    principal.agency_id,
                    principal.user_id,
                    "register.entry.cancelled",
                    target,
                    now,
                    before={"cancelled": False},
                    after={"cancelled": True, **cancel_info},
                ),
                document_update=update,
            )
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
    document: DocumentItem, book: str, year: int, number: int, ref_line: str | None, now: datetime
) -> tuple[DocumentItem, list[Any]]:
    registrations = [
        {**r, "cancelled": True}
        if (r.get("book"), r.get("year"), r.get("number")) == (book, year, number)
        else r
        for r in document.registrations
    ]
    active = [r for r in registrations if not r.get("cancelled")]
    actions = [
        DocumentItem.registrations.set(registrations),
        DocumentItem.state.set(DocumentState.REGISTERED if active else DocumentState.DRAFT),
        DocumentItem.version.add(1),
        DocumentItem.updated_at.set(now),
    ]
    if ref_line and document.content.get("reference") == ref_line:
        actions.append(DocumentItem.content.set({**document.content, "reference": None}))
    return document, actions


def _listable(principal: Principal, secrecy: Secrecy) -> bool:
    """Entries a caller may see in a book: up to their clearance, and every ลับที่สุด line, which
    holds no content at all (its number must still show, or the book would seem to have a gap)."""
    return secrecy is Secrecy.TOP_SECRET or may_see_level(principal, secrecy)


def entry_view(principal: Principal, book: BookDefinition, year: int, entry: EntryItem) -> dict[str, Any]:
    columns = dict(entry.columns)
    secrecy = Secrecy(int(entry.secrecy))
    if secrecy in (Secrecy.CONFIDENTIAL, Secrecy.SECRET) and not principal.has(Role.SARABAN):
        # Cleared for the level but the grant is checked on the document itself: show the line only.
        columns["subject"] = f"(หนังสือชั้น{secrecy.label_th})"
    return {
        "book": book.id,
        "year": year,
        "number": int(entry.number),
        "ref_line": entry.ref_line,
        "registered_at": entry.registered_at.isoformat(),
        "registered_by": entry.registered_by,
        "document_id": entry.document_id,
        "urgency": entry.urgency,
        "secrecy": secrecy.api_name,
        "cancelled": bool(entry.cancelled),
        "cancel": entry.cancel,
        **columns,
    }


def _date_param(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(f"รูปแบบวันที่ {name} ไม่ถูกต้อง", f"{name} must be a date YYYY-MM-DD") from error


def list_book(principal: Principal, book_id: str, query: dict[str, str], *, now: datetime) -> dict[str, Any]:
    _, book = book_of(principal, book_id)
    year = _int_param(query.get("year"), "year", default=book_year(now), low=2400, high=2800)
    limit = _int_param(query.get("limit"), "limit", default=50, low=1, high=200)
    cursor = query.get("cursor")
    after = store.decode_cursor(cursor) if cursor else None
    if cursor and after is None:
        raise InvalidInput("cursor ไม่ถูกต้อง", "the cursor is not one this API issued")
    condition = _filters(principal, query)
    page = store.list_entries(
        principal.agency_id, book.id, year, limit=limit, after_sort_key=after, filter_condition=condition
    )
    return {
        "book": book.id,
        "book_th": book.name_th,
        "year": year,
        "entries": [entry_view(principal, book, year, e) for e in page.entries],
        "cursor": page.cursor,
    }


def _int_param(value: str | None, name: str, *, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or len(value) > 9:  # digits only (Thai digits too); no signs or spaces
        raise InvalidInput(f"{name} ต้องเป็นตัวเลข", f"{name} must be a whole number")
    number = int(value)
    if not low <= number <= high:
        raise InvalidInput(f"{name} อยู่นอกช่วงที่กำหนด", f"{name} must be between {low} and {high}")
    return number


def _filters(principal: Principal, query: dict[str, str]) -> Any:
    """DynamoDB filter for the query string; secrecy is always capped at the caller's clearance."""
    secrecy_cap = principal.clearance
    condition = (EntryItem.secrecy <= int(secrecy_cap)) | (EntryItem.secrecy == int(Secrecy.TOP_SECRET))
    if "secrecy" in query:
        level = Secrecy.parse(query["secrecy"])
        if level > secrecy_cap:
            level = secrecy_cap  # never above clearance: the filter quietly finds nothing more
            condition &= EntryItem.secrecy == -1
        condition &= EntryItem.secrecy == int(level)
    if "urgency" in query:
        try:
            urgency = Urgency(query["urgency"])
        except ValueError as error:
            raise InvalidInput(
                "ชั้นความเร็วไม่ถูกต้อง", "urgency must be normal, urgent, very_urgent or most_urgent"
            ) from error
        condition &= EntryItem.urgency == urgency.value
    start = _date_param(query.get("from"), "from")
    end = _date_param(query.get("to"), "to")
    if start and end and start > end:
        raise InvalidInput("ช่วงวันที่ไม่ถูกต้อง", "from is after to")
    if start:
        condition &= EntryItem.registered_at >= _day_start(start)
    if end:
        condition &= EntryItem.registered_at < _day_start(end, next_day=True)
    text = query.get("q", "").strip()
    if text:
        if len(text) > 100:
            raise InvalidInput("คำค้นยาวเกินไป", "q is longer than 100 characters")
        if not principal.has(Role.SARABAN):
            # A classified entry's subject is masked for others: it must not be findable either.
            condition &= EntryItem.secrecy == int(Secrecy.NORMAL)
        # Every word must appear (Thai has no spaces, so the user's spaces separate search terms).
        for term in normalize_thai(text).split()[:8]:
            condition &= EntryItem.subject_search.contains(term)
    return condition


def _day_start(day: date, *, next_day: bool = False) -> datetime:
    start = datetime(day.year, day.month, day.day, tzinfo=BANGKOK)
    return start + timedelta(days=1) if next_day else start
