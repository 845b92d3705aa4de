"""Register books in DynamoDB: where a registration number is actually taken.

A number is taken by one transaction that (1) moves the book-year counter from n-1 to n only if
it still reads n-1, (2) creates entry n only if it does not exist, (3) records the registration on
the document only if the document has not changed, (4) stores the idempotency record and
(5) appends the audit event; for an incoming letter with a ที่ and a date it also (6) puts the letter's
marker (its sender, ที่ and ลงวันที่ in the book-year, `LetterItem`) only if none is there, so the same
letter is not registered twice unnoticed. All or nothing: a number is never taken without its entry, so the
book stays gap-free, and two writers can never both take n (docs/rules.md, "Registers and running
numbers").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent

IDEMPOTENCY_TTL = timedelta(hours=24)


class CounterItem(ddb.Record):
    """pk=agency#BOOK#book#year, sk=COUNTER: the last number taken in a book-year."""

    value = NumberAttribute(default=0)


class EntryItem(ddb.Record):
    """pk=agency#BOOK#book#year, sk=ENTRY#00000042: one line of a register book."""

    number = NumberAttribute()
    document_id = UnicodeAttribute()
    ref_line = UnicodeAttribute(null=True)
    registered_at = UTCDateTimeAttribute()
    registered_by = UnicodeAttribute()
    # A snapshot of the columns the register shows, so that listing a book reads one partition.
    columns = JSONAttribute()
    urgency = UnicodeAttribute()
    secrecy = NumberAttribute()
    subject_search = UnicodeAttribute(default="")
    cancelled = BooleanAttribute(default=False)
    cancel = JSONAttribute(null=True)
    # The sort key of the letter marker this entry owns (incoming letters with a ที่ and a date).
    letter_key = UnicodeAttribute(null=True)


letter_sk = keys.letter_sk  # a letter marker, in the book-year partition beside the counter and entries


class LetterItem(ddb.Record):
    """pk=agency#BOOK#book#year, sk=LETTER#digest: the live entry that first registered one letter
    (same sender, ที่ and ลงวันที่; the digest is `domain.letter_key`). Read by key, never scanned."""

    book = UnicodeAttribute()
    year = NumberAttribute()
    number = NumberAttribute()
    registered_at = UTCDateTimeAttribute()
    registered_by = UnicodeAttribute()
    secrecy = NumberAttribute()


def find_letter(agency_id: str, book: str, years: list[int], digest: str) -> LetterItem | None:
    """The marker of a letter in any of these book-years (the first found, in the order given)."""
    found = ddb.read_many(*[(LetterItem, keys.book_pk(agency_id, book, y), letter_sk(digest)) for y in years])
    return next((item for item in found if item is not None), None)


def new_letter(
    agency_id: str,
    book: str,
    year: int,
    digest: str,
    *,
    number: int,
    registered_at: datetime,
    registered_by: str,
    secrecy: int,
) -> LetterItem:
    return LetterItem(
        keys.book_pk(agency_id, book, year),
        letter_sk(digest),
        book=book,
        year=year,
        number=number,
        registered_at=registered_at,
        registered_by=registered_by,
        secrecy=secrecy,
    )


class IdempotencyItem(ddb.Record):
    """pk=agency#IDEM#key, sk=IDEM: the first answer to a retried request."""

    fingerprint = UnicodeAttribute()
    result = JSONAttribute()
    ttl = TTLAttribute()


@dataclass(frozen=True)
class RegistrationReads:
    year: int
    counter: int
    document: Any  # the document item as read (documents module), or None
    replay: IdempotencyItem | None


def read_for_registration(
    agency_id: str,
    book: str,
    year: int,
    document: tuple[type[Any], str, str] | None,
    idempotency_key: str | None,
) -> RegistrationReads:
    """Counter, document and any earlier answer for the same Idempotency-Key: one request."""
    wanted: list[tuple[type[Any], str, str]] = [
        (CounterItem, keys.book_pk(agency_id, book, year), keys.COUNTER_SK)
    ]
    if document is not None:
        wanted.append(document)
    if idempotency_key:
        wanted.append((IdempotencyItem, keys.idempotency_pk(agency_id, idempotency_key), keys.IDEMPOTENCY_SK))
    found = ddb.read_many(*wanted)
    counter = found.pop(0)
    document_item = found.pop(0) if document is not None else None
    replay = found.pop(0) if idempotency_key else None
    return RegistrationReads(year, int(counter.value) if counter else 0, document_item, replay)


class NumberTaken(Exception):
    """Another registration took the number first; `current` is the counter it left, when known."""

    def __init__(self, current: int | None = None) -> None:
        super().__init__(current)
        self.current = current


class ReplayRace(Exception):
    """A concurrent request with the same Idempotency-Key committed first."""


class DocumentChanged(Exception):
    """The document changed (or vanished) between the read and the write."""


class LetterTaken(Exception):
    """A concurrent registration of the same letter put its marker first."""


def new_entry(agency_id: str, book: str, year: int, number: int, **fields: Any) -> EntryItem:
    return EntryItem(keys.book_pk(agency_id, book, year), keys.entry_sk(number), number=number, **fields)


def commit_registration(
    tx: ddb.Transaction,
    *,
    agency_id: str,
    book: str,
    year: int,
    number: int,
    entry: EntryItem,
    idempotency: tuple[str, str, dict[str, Any]] | None,
    events: list[AuditEvent],
    now: datetime,
    letter: LetterItem | None = None,
) -> None:
    """Add the counter, the entry, the idempotency record, the letter's marker (if any) and the events
    to `tx` (which may already hold the document's part) and commit; a lost race is told apart from a
    stale document and from a second registration of the same letter."""
    counter = CounterItem(keys.book_pk(agency_id, book, year), keys.COUNTER_SK)
    taken = CounterItem.value == number - 1 if number > 1 else CounterItem.pk.does_not_exist()
    # ALL_OLD: a lost race reports the counter's value, so the retry needs no second read.
    tx.update("counter", counter, [CounterItem.value.set(number)], condition=taken, return_old=True)
    tx.put("entry", entry, condition=EntryItem.pk.does_not_exist())
    if idempotency is not None:
        key, fingerprint, result = idempotency
        tx.put(
            "idempotency",
            IdempotencyItem(
                keys.idempotency_pk(agency_id, key),
                keys.IDEMPOTENCY_SK,
                fingerprint=fingerprint,
                result=result,
                ttl=now + IDEMPOTENCY_TTL,
            ),
            condition=IdempotencyItem.pk.does_not_exist(),
        )
    if letter is not None:
        tx.put("letter", letter, condition=LetterItem.pk.does_not_exist())
    for event in events:
        audit.add_to(tx, event)
    try:
        tx.commit()
    except ddb.Cancelled as cancelled:
        if cancelled.failed("idempotency"):
            raise ReplayRace() from cancelled
        if cancelled.failed("letter"):
            raise LetterTaken() from cancelled
        if cancelled.failed("document") or cancelled.failed("new_document"):
            raise DocumentChanged() from cancelled
        if cancelled.conflict or cancelled.reasons.get("counter") or cancelled.reasons.get("entry"):
            old = cancelled.items.get("counter", {}).get("value", {}).get("N")
            raise NumberTaken(
                int(old) if old is not None and cancelled.failed("counter") else None
            ) from cancelled
        raise


def get_entry(agency_id: str, book: str, year: int, number: int) -> EntryItem | None:
    return ddb.get_or_none(EntryItem, keys.book_pk(agency_id, book, year), keys.entry_sk(number))


def cancel_entry(
    entry: EntryItem,
    cancel: dict[str, Any],
    event: AuditEvent,
    document_part: Callable[[ddb.Transaction], None],
) -> bool:
    """Mark an entry cancelled once, and the document's registration with it (the part the documents
    module adds); the number stays in the book. The letter marker the entry owns goes with it, so the
    letter may be registered again. False if the entry already was cancelled; DocumentChanged if the
    document moved."""
    tx = ddb.Transaction()
    tx.update(
        "entry",
        entry,
        [EntryItem.cancelled.set(True), EntryItem.cancel.set(cancel)],
        condition=EntryItem.cancelled == False,  # noqa: E712 (a DynamoDB condition, not a Python test)
    )
    if entry.letter_key:
        # Only the owning entry writes this key while it is live, and it is cancelled once.
        tx.delete("letter", LetterItem(entry.pk, entry.letter_key))
    document_part(tx)
    audit.add_to(tx, event)
    try:
        tx.commit()
    except ddb.Cancelled as cancelled:
        if cancelled.failed("entry"):
            return False
        if cancelled.failed("document"):
            raise DocumentChanged() from cancelled
        raise
    return True


@dataclass(frozen=True)
class EntryPage:
    entries: list[EntryItem]
    cursor: str | None


def encode_cursor(sort_key: str) -> str:
    """The cursor is the number of the last line returned: it names a place in the book, never the
    book itself (the partition always comes from the principal)."""
    return str(int(sort_key.removeprefix(keys.ENTRY_PREFIX)))


def decode_cursor(cursor: str) -> str:
    return keys.entry_sk(int(cursor))


def list_entries(
    agency_id: str,
    book: str,
    year: int,
    *,
    limit: int,
    after_sort_key: str | None,
    filter_condition: Any = None,
    max_reads: int = 10,
) -> EntryPage:
    """Entries in number order, `limit` at most, after the cursor; bounded reads per page."""
    pk = keys.book_pk(agency_id, book, year)
    condition = (
        EntryItem.sk.startswith(keys.ENTRY_PREFIX)
        if after_sort_key is None
        else EntryItem.sk > after_sort_key
    )
    found: list[EntryItem] = []
    start: dict[str, Any] | None = None
    last_key: str | None = None
    for _ in range(max_reads):
        page = EntryItem._get_connection().query(
            pk,
            range_key_condition=condition,
            filter_condition=filter_condition,
            exclusive_start_key=start,
            limit=max(limit - len(found), 1) * 2 if filter_condition is not None else limit - len(found),
        )
        for raw in page.get("Items", []):
            found.append(EntryItem.from_raw_data(raw))
            last_key = ddb.sort_key(raw)
            if len(found) == limit:
                break
        start = page.get("LastEvaluatedKey")
        if len(found) == limit:
            return EntryPage(found, encode_cursor(last_key) if last_key else None)
        if not start:
            return EntryPage(found, None)
        last_key = ddb.sort_key(start)
    return EntryPage(found, encode_cursor(last_key) if last_key else None)


def rewrite_text(
    entry: EntryItem, *, columns: dict[str, Any], cancel: Any, subject_search: str, event: AuditEvent
) -> None:
    tx = ddb.Transaction()
    tx.update(
        "entry",
        entry,
        [
            EntryItem.columns.set(columns),
            EntryItem.cancel.set(cancel),
            EntryItem.subject_search.set(subject_search),
        ],
        condition=EntryItem.pk.exists(),
    )
    audit.add_to(tx, event)
    tx.commit()


def set_action(entry: EntryItem, action: str, event: AuditEvent) -> None:
    tx = ddb.Transaction()
    tx.update(
        "entry",
        entry,
        [EntryItem.columns.set({**entry.columns, "action": action})],
        condition=EntryItem.pk.exists(),
    )
    audit.add_to(tx, event)
    tx.commit()
