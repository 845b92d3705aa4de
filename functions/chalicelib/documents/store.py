"""Documents and their files in the records table: one partition per document.

Other modules keep their per-document state in their own items of the same partition (sign jobs:
SIGNJOB#nn), so one query reads a document with everything about it, and features never contend on
the document item's version. They change the document item itself only through the transaction parts
below, which the documents service hands out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent


class DocumentItem(ddb.Record):
    """pk=agency#DOC#id, sk=DOC."""

    content = JSONAttribute()
    kind = UnicodeAttribute()
    secrecy = NumberAttribute()
    state = UnicodeAttribute()
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    grants = ListAttribute[str](default=list)
    registrations = JSONAttribute(default=list)
    signatures = JSONAttribute(default=list)  # done signatures in order, each with its signed object
    version = NumberAttribute(default=1)


class PendingUploadIndex(GlobalSecondaryIndex["FileItem"]):
    """gsi2: files whose upload has not arrived yet, by expiry (sparse: settled files leave it)."""

    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class FileItem(ddb.Record):
    """pk=agency#DOC#id, sk=FILE#id: one uploaded file and what the checks found."""

    role = UnicodeAttribute()
    filename = UnicodeAttribute()
    declared_type = UnicodeAttribute()
    status = UnicodeAttribute()
    object_key = UnicodeAttribute()
    content_type = UnicodeAttribute(null=True)
    size = NumberAttribute(null=True)
    sha256 = UnicodeAttribute(null=True)
    version_id = UnicodeAttribute(null=True)  # the S3 object version the checks passed: the only one served
    rejection = JSONAttribute(null=True)
    signature_check = JSONAttribute(null=True)  # what validating the signatures found at upload
    active_content = JSONAttribute(null=True)  # what the checks found (and refused) in a PDF
    stamped_key = UnicodeAttribute(null=True)
    stamped_sha256 = UnicodeAttribute(null=True)
    stamp_note = UnicodeAttribute(null=True)  # why the receipt stamp is a separate page, when it is
    # A classified letter from another agency: its bytes (and its stamped copy) are sealed between these
    # parties (kernel/envelope.py); {"sender", "recipient", "document"}.
    sealed = JSONAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)  # agency#PENDING-UPLOAD while pending
    gsi2sk = UnicodeAttribute(null=True)  # expiry (ISO, UTC)
    pending_uploads = PendingUploadIndex()

    @property
    def file_id(self) -> str:
        return keys.suffix(self.sk, keys.FILE_PREFIX)


class VersionItem(ddb.Record):
    """pk=agency#DOC#id, sk=VERSION#0001: the document's content as one revision left it."""

    revision = NumberAttribute()
    content = JSONAttribute()
    by = UnicodeAttribute()
    at = UTCDateTimeAttribute()


@dataclass(frozen=True)
class StoredDocument:
    item: DocumentItem
    files: list[FileItem]
    others: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # raw items of other modules

    def versions(self) -> list[VersionItem]:
        return sorted(
            (VersionItem.from_raw_data(raw) for raw in self.others.get(keys.VERSION_PREFIX, [])),
            key=lambda v: int(v.revision),
        )

    @property
    def document_id(self) -> str:
        return keys.document_of_pk(self.item.pk)[1]

    @property
    def agency_id(self) -> str:
        return keys.document_of_pk(self.item.pk)[0]


def new_document(agency_id: str, document_id: str, **fields: Any) -> DocumentItem:
    return DocumentItem(keys.document_pk(agency_id, document_id), keys.DOCUMENT_SK, **fields)


def new_file(agency_id: str, document_id: str, file_id: str, **fields: Any) -> FileItem:
    return FileItem(keys.document_pk(agency_id, document_id), keys.file_sk(file_id), **fields)


def load(agency_id: str, document_id: str, *, consistent: bool = False) -> StoredDocument | None:
    """The document, its files and every other item of its partition in one query (strongly consistent
    for handlers reacting to a write they must see)."""
    if not keys.is_opaque_id(document_id):
        return None
    document: DocumentItem | None = None
    files: list[FileItem] = []
    others: dict[str, list[dict[str, Any]]] = {}
    for raw in ddb.partition(keys.document_pk(agency_id, document_id), consistent=consistent):
        sort_key = ddb.sort_key(raw)
        if sort_key == keys.DOCUMENT_SK:
            document = DocumentItem.from_raw_data(raw)
        elif sort_key.startswith(keys.FILE_PREFIX):
            files.append(FileItem.from_raw_data(raw))
        else:
            others.setdefault(sort_key.split("#", 1)[0] + "#", []).append(raw)
    if document is None:
        return None
    return StoredDocument(document, files, others)


def document_item(agency_id: str, document_id: str) -> DocumentItem | None:
    return ddb.get_or_none(DocumentItem, keys.document_pk(agency_id, document_id), keys.DOCUMENT_SK)


def get_file(agency_id: str, document_id: str, file_id: str) -> FileItem | None:
    return ddb.get_or_none(FileItem, keys.document_pk(agency_id, document_id), keys.file_sk(file_id))


# -- writes ----------------------------------------------------------------------------------------
def add_new_document(tx: ddb.Transaction, item: DocumentItem) -> None:
    tx.put("new_document", item, condition=DocumentItem.pk.does_not_exist())


def add_document_update(
    tx: ddb.Transaction, item: DocumentItem, changes: dict[str, Any], *, now: datetime
) -> None:
    """An optimistic update of the document item: refused (label "document") if it changed since read."""
    actions = [getattr(DocumentItem, name).set(value) for name, value in changes.items()]
    actions += [DocumentItem.version.add(1), DocumentItem.updated_at.set(now)]
    tx.update("document", item, actions, condition=DocumentItem.version == item.version)


def put_new_document(item: DocumentItem, event: AuditEvent) -> None:
    tx = ddb.Transaction()
    add_new_document(tx, item)
    audit.add_to(tx, event)
    tx.commit()


def put_pending_file(item: FileItem, event: AuditEvent) -> None:
    tx = ddb.Transaction()
    tx.check("document", DocumentItem, item.pk, keys.DOCUMENT_SK, DocumentItem.pk.exists())
    tx.put("file", item, condition=FileItem.pk.does_not_exist())
    audit.add_to(tx, event)
    tx.commit()


def settle_file(
    item: FileItem, changes: dict[str, Any], event: AuditEvent, *, from_status: str = "pending"
) -> bool:
    """Move a file out of `from_status` once; False if another delivery already did."""
    actions = [getattr(FileItem, name).set(value) for name, value in changes.items()]
    actions += [FileItem.gsi2pk.remove(), FileItem.gsi2sk.remove()]  # no longer pending: leave the index
    tx = ddb.Transaction()
    tx.update("file", item, actions, condition=FileItem.status == from_status)
    audit.add_to(tx, event)
    return tx.commit_unless_refused("file")


def set_file_fields(item: FileItem, changes: dict[str, Any], event: AuditEvent) -> None:
    tx = ddb.Transaction()
    tx.update(
        "file",
        item,
        [getattr(FileItem, n).set(v) for n, v in changes.items()],
        condition=FileItem.pk.exists(),
    )
    audit.add_to(tx, event)
    tx.commit()


def lapsed_uploads(cutoff: str, limit: int) -> Iterator[tuple[str, str, str]]:
    """(agency, document, file) of uploads pending since before `cutoff`: the clean-up's only scan,
    over the sparse pending-upload index."""
    for item in FileItem.pending_uploads.scan(filter_condition=FileItem.gsi2sk < cutoff, limit=limit):
        agency_id, document_id = keys.document_of_pk(item.pk)
        yield agency_id, document_id, item.file_id


def new_version(agency_id: str, document_id: str, revision: int, **fields: Any) -> VersionItem:
    return VersionItem(
        keys.document_pk(agency_id, document_id), keys.version_sk(revision), revision=revision, **fields
    )


def save_revision(
    item: DocumentItem,
    versions: list[VersionItem],
    content: dict[str, Any],
    event: AuditEvent,
    *,
    now: datetime,
) -> None:
    """The new content and its version (and the first version, if none was kept yet), or none of them."""
    tx = ddb.Transaction()
    for version in versions:
        tx.put(f"version-{int(version.revision)}", version, condition=VersionItem.pk.does_not_exist())
    add_document_update(tx, item, {"content": content}, now=now)
    audit.add_to(tx, event)
    tx.commit()
