"""Register books in DynamoDB: where a registration number is actually taken.

A number is taken by one transaction that (1) moves the book-year counter from n-1 to n only if
it still reads n-1, (2) creates entry n only if it does not exist, (3) records the registration on
the document only if the document has not changed, (4) stores the idempotency record and
(5) appends the audit event. All or nothing: a number is never taken without its entry, so the
book stays gap-free, and two writers can never both take n.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactGet, TransactWrite

from chalicelib.store import keys
from chalicelib.store.audit import AuditEvent, audit_item
from chalicelib.store.documents import connection
from chalicelib.store.models import CounterItem, DocumentItem, EntryItem, IdempotencyItem

IDEMPOTENCY_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class RegistrationReads:
    year: int
    counter: int
    document: DocumentItem | None
    replay: IdempotencyItem | None


def read_for_registration(
    agency_id: str, book: str, year: int, document_id: str | None, idempotency_key: str | None
) -> RegistrationReads:
    """Counter, document and any earlier answer for the same Idempotency-Key: one request."""
    with TransactGet(connection=connection()) as tx:
        counter_f = tx.get(CounterItem, keys.book_pk(agency_id, book, year), "COUNTER")
        document_f = (
            tx.get(DocumentItem, keys.document_pk(agency_id, document_id), "DOC") if document_id else None
        )
        replay_f = (
            tx.get(IdempotencyItem, keys.idempotency_pk(agency_id, idempotency_key), "IDEM")
            if idempotency_key
            else None
        )
    return RegistrationReads(
        year=year,
        counter=int(_or_none(counter_f, CounterItem).value if _or_none(counter_f, CounterItem) else 0),
        document=_or_none(document_f, DocumentItem) if document_f else None,
        replay=_or_none(replay_f, IdempotencyItem) if replay_f else None,
    )


def _or_none(future: Any, model: type[Model]) -> Any:
    try:
        return future.get()
    except model.DoesNotExist:
        return None


class NumberTaken(Exception):
    """Another registration took the number first; `current` is the counter it left, when known."""

    def __init__(self, current: int | None = None) -> None:
        super().__init__(current)
        self.current = current


class ReplayRace(Exception):
    """A concurrent request with the same Idempotency-Key committed first."""


class DocumentChanged(Exception):
    """The document changed (or vanished) between the read and the write."""


@dataclass(frozen=True)
class NewEntry:
    agency_id: str
    book: str
    year: int
    number: int
    entry: EntryItem
    document_update: tuple[DocumentItem, list[Any]] | None  # (item as read, update actions)
    new_document: DocumentItem | None
    idempotency: tuple[str, str, dict[str, Any]] | None  # (key, fingerprint, result)
    audit: list[AuditEvent]


def commit_registration(new: NewEntry, *, now: datetime) -> None:
    counter = CounterItem(keys.book_pk(new.agency_id, new.book, new.year), "COUNTER")
    taken = CounterItem.value == new.number - 1 if new.number > 1 else CounterItem.pk.does_not_exist()
    # PynamoDB sends puts before updates, whatever the call order: label each item in that order so
    # that a cancellation reason can be traced to its item.
    puts: list[str] = []
    updates: list[str] = []
    try:
        with TransactWrite(connection=connection()) as tx:
            # ALL_OLD: a lost race reports the counter's value, so the retry needs no second read.
            tx.update(
                counter, actions=[CounterItem.value.set(new.number)], condition=taken, return_values="ALL_OLD"
            )
            updates.append("counter")
            tx.save(new.entry, condition=EntryItem.pk.does_not_exist())
            puts.append("entry")
            if new.new_document is not None:
                tx.save(new.new_document, condition=DocumentItem.pk.does_not_exist())
                puts.append("new_document")
            if new.document_update is not None:
                item, actions = new.document_update
                tx.update(item, actions=actions, condition=DocumentItem.version == item.version)
                updates.append("document")
            if new.idempotency is not None:
                key, fingerprint, result = new.idempotency
                tx.save(
                    IdempotencyItem(
                        keys.idempotency_pk(new.agency_id, key),
                        "IDEM",
                        fingerprint=fingerprint,
                        result=result,
                        ttl=now + IDEMPOTENCY_TTL,
                    ),
                    condition=IdempotencyItem.pk.does_not_exist(),
                )
                puts.append("idempotency")
            for event in new.audit:
                tx.save(audit_item(event))
                puts.append("audit")
    except TransactWriteError as error:
        _raise_cause(error, puts + updates)
        raise


def failed_items(error: TransactWriteError, labels: list[str]) -> dict[str, str]:
    """Which labelled items a cancelled transaction names, with their reason codes."""
    codes = [reason.code if reason else None for reason in error.cancellation_reasons]
    return {label: code for label, code in zip(labels, codes, strict=False) if code and code != "None"}


def _raise_cause(error: TransactWriteError, labels: list[str]) -> None:
    if error.cause_response_code in ("TransactionConflictException", "TransactionInProgressException"):
        raise NumberTaken() from error
    failed = failed_items(error, labels)
    if failed.get("idempotency") == "ConditionalCheckFailed":
        raise ReplayRace() from error
    if failed.get("document") == "ConditionalCheckFailed":
        raise DocumentChanged() from error
    if failed.get("counter") or failed.get("entry") or "TransactionConflict" in failed.values():
        raise NumberTaken(_counter_value(error, labels)) from error


def _counter_value(error: TransactWriteError, labels: list[str]) -> int | None:
    reasons = dict(zip(labels, error.cancellation_reasons, strict=False))
    reason = reasons.get("counter")
    if reason is None or reason.code != "ConditionalCheckFailed" or not reason.raw_item:
        return None
    value = reason.raw_item.get("value", {}).get("N")
    return int(value) if value is not None else None


def get_entry(agency_id: str, book: str, year: int, number: int) -> EntryItem | None:
    try:
        return EntryItem.get(keys.book_pk(agency_id, book, year), keys.entry_sk(number), consistent_read=True)
    except EntryItem.DoesNotExist:
        return None


def get_document_item(agency_id: str, document_id: str) -> DocumentItem | None:
    try:
        return DocumentItem.get(keys.document_pk(agency_id, document_id), "DOC", consistent_read=True)
    except DocumentItem.DoesNotExist:
        return None


def cancel_entry(
    entry: EntryItem,
    cancel: dict[str, Any],
    event: AuditEvent,
    *,
    document_update: tuple[DocumentItem, list[Any]] | None = None,
) -> bool:
    """Mark an entry cancelled once, and the document's registration with it; the number stays in
    the book. False if the entry already was cancelled; DocumentChanged if the document moved."""
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(
                entry,
                actions=[EntryItem.cancelled.set(True), EntryItem.cancel.set(cancel)],
                condition=EntryItem.cancelled == False,  # noqa: E712 (a DynamoDB condition, not a Python test)
            )
            if document_update is not None:
                document, actions = document_update
                tx.update(document, actions=actions, condition=DocumentItem.version == document.version)
            tx.save(audit_item(event))
    except TransactWriteError as error:
        failed = failed_items(error, ["audit", "entry", "document"])
        if failed.get("entry") == "ConditionalCheckFailed":
            return False
        if failed.get("document") == "ConditionalCheckFailed":
            raise DocumentChanged() from error
        raise
    return True


@dataclass(frozen=True)
class EntryPage:
    entries: list[EntryItem]
    cursor: str | None


def encode_cursor(sort_key: str) -> str:
    # The cursor carries only the sort key: the partition always comes from the principal.
    return base64.urlsafe_b64encode(json.dumps({"sk": sort_key}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
        sort_key = value["sk"]
    except (ValueError, KeyError, TypeError):
        return None
    if (
        not isinstance(sort_key, str)
        or not sort_key.startswith("ENTRY#")
        or not sort_key[6:].isdigit()
        or len(sort_key) != 14
    ):
        return None
    return sort_key


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
    condition = EntryItem.sk.startswith("ENTRY#") if after_sort_key is None else EntryItem.sk > after_sort_key
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
            last_key = raw["sk"]["S"]
            if len(found) == limit:
                break
        start = page.get("LastEvaluatedKey")
        if len(found) == limit:
            return EntryPage(found, encode_cursor(last_key) if last_key else None)
        if not start:
            return EntryPage(found, None)
        last_key = start["sk"]["S"]
    return EntryPage(found, encode_cursor(last_key) if last_key else None)
