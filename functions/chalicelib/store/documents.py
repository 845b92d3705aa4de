"""Documents and their files in the records table."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.files import FileStatus
from chalicelib.settings import get_settings
from chalicelib.store import keys
from chalicelib.store.audit import AuditEvent, audit_item
from chalicelib.store.models import DocumentItem, FileItem, SignJobItem


def new_id() -> str:
    """Time-ordered, unguessable: 11 hex digits of milliseconds, 10 of randomness."""
    return f"{int(time.time() * 1000):011x}{secrets.token_hex(5)}"


_connection_lock = threading.Lock()
_connections: dict[str, Connection] = {}


def connection() -> Connection:
    """One connection per region for transactions: creating one loads botocore's model (~10 ms)."""
    region = get_settings().region
    with _connection_lock:
        if region not in _connections:
            _connections[region] = Connection(region=region)
            _connections[region].client  # noqa: B018 (create the client once, under the lock)
        return _connections[region]


@dataclass(frozen=True)
class StoredDocument:
    item: DocumentItem
    files: list[FileItem]
    sign_jobs: list[SignJobItem]


def put_new_document(item: DocumentItem, event: AuditEvent) -> None:
    with TransactWrite(connection=connection()) as tx:
        tx.save(item, condition=DocumentItem.pk.does_not_exist())
        tx.save(audit_item(event))


def load_document(agency_id: str, document_id: str, *, consistent: bool = False) -> StoredDocument | None:
    """The document and its files in one query of its partition (strongly consistent for handlers
    reacting to a write they must see)."""
    if not keys.is_opaque_id(document_id):
        return None
    pk = keys.document_pk(agency_id, document_id)
    document: DocumentItem | None = None
    files: list[FileItem] = []
    jobs: list[SignJobItem] = []
    raw_items = DocumentItem._get_connection().query(pk, consistent_read=consistent).get("Items", [])
    for raw in raw_items:
        sort_key = raw["sk"]["S"]
        if sort_key == "DOC":
            document = DocumentItem.from_raw_data(raw)
        elif sort_key.startswith("FILE#"):
            files.append(FileItem.from_raw_data(raw))
        elif sort_key.startswith("SIGNJOB#"):
            jobs.append(SignJobItem.from_raw_data(raw))
    if document is None:
        return None
    return StoredDocument(document, files, jobs)


def put_pending_file(item: FileItem, event: AuditEvent) -> None:
    with TransactWrite(connection=connection()) as tx:
        tx.condition_check(DocumentItem, item.pk, "DOC", condition=DocumentItem.pk.exists())
        tx.save(item, condition=FileItem.pk.does_not_exist())
        tx.save(audit_item(event))


def get_file(agency_id: str, document_id: str, file_id: str) -> FileItem | None:
    try:
        return FileItem.get(keys.document_pk(agency_id, document_id), f"FILE#{file_id}", consistent_read=True)
    except FileItem.DoesNotExist:
        return None


def settle_file(
    item: FileItem,
    changes: dict[str, Any],
    event: AuditEvent,
    *,
    from_status: FileStatus = FileStatus.PENDING,
) -> bool:
    """Move a file out of `from_status` once; False if another delivery already did."""
    actions = [getattr(FileItem, name).set(value) for name, value in changes.items()]
    actions += [FileItem.gsi2pk.remove(), FileItem.gsi2sk.remove()]  # no longer pending: leave the index
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(item, actions=actions, condition=FileItem.status == from_status.value)
            tx.save(audit_item(event))
    except TransactWriteError as error:
        from chalicelib.store.registers import failed_items

        # PynamoDB sends puts (the audit item) before updates (the file).
        if failed_items(error, ["audit", "file"]).get("file") == "ConditionalCheckFailed":
            return False
        raise
    return True


def set_file_fields(item: FileItem, changes: dict[str, Any], event: AuditEvent) -> None:
    actions = [getattr(FileItem, name).set(value) for name, value in changes.items()]
    with TransactWrite(connection=connection()) as tx:
        tx.update(item, actions=actions, condition=FileItem.pk.exists())
        tx.save(audit_item(event))


def update_document(item: DocumentItem, changes: dict[str, Any], event: AuditEvent, *, now: datetime) -> None:
    """Optimistic update: refused if the document changed since `item` was read."""
    actions = [getattr(DocumentItem, name).set(value) for name, value in changes.items()]
    actions += [DocumentItem.version.add(1), DocumentItem.updated_at.set(now)]
    with TransactWrite(connection=connection()) as tx:
        tx.update(item, actions=actions, condition=DocumentItem.version == item.version)
        tx.save(audit_item(event))
