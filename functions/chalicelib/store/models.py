"""PynamoDB models over the single records table.

Every partition key starts with the agency id; `keys` below is the only place keys are composed,
and it takes the agency from the principal, never from a request.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.settings import Settings, get_settings


class _Record(Model):
    class Meta:
        table_name = "eoffice-local-records"
        region = "ap-southeast-7"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class AgencyItem(_Record):
    """pk=agency, sk=AGENCY: the agency's name, ministry code and settings."""

    name = UnicodeAttribute()
    name_en = UnicodeAttribute(default="")
    ministry_code = UnicodeAttribute()
    settings = JSONAttribute(default=dict)


class UnitItem(_Record):
    """pk=agency, sk=UNIT#id: a unit in the agency's tree; `code` is its owner code (ดศ 0201.3)."""

    name = UnicodeAttribute()
    code = UnicodeAttribute(default="")
    parent = UnicodeAttribute(null=True)


class UserItem(_Record):
    """pk=agency, sk=USER#sub: the directory entry the principal is built from."""

    username = UnicodeAttribute()
    name = UnicodeAttribute()
    position = UnicodeAttribute(default="")
    units = ListAttribute[str](default=list)
    roles = ListAttribute[str](default=list)
    clearance = NumberAttribute(default=0)
    delegations = JSONAttribute(default=list)
    active = BooleanAttribute(default=True)
    # Who signs: the KMS key id and the certificate chain (PEM) the agency's CA issued for its key.
    signing = JSONAttribute(null=True)


class DocumentItem(_Record):
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


class FileItem(_Record):
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
    stamped_key = UnicodeAttribute(null=True)
    stamped_sha256 = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)  # agency#PENDING-UPLOAD while pending
    gsi2sk = UnicodeAttribute(null=True)  # expiry (ISO, UTC)
    pending_uploads = PendingUploadIndex()


class SignJobItem(_Record):
    """pk=agency#DOC#id, sk=SIGNJOB#00: the signature of the document's n-th signer, queued to the worker."""

    slot = NumberAttribute()
    signer = UnicodeAttribute()  # user id of the signer in the document's order
    requested_by = UnicodeAttribute()  # who signs: the signer, or the holder of a delegation for them
    capacity = JSONAttribute()  # {"kind": "own" | "acting" | "on_behalf", "position": ..., "for": ...}
    status = UnicodeAttribute()  # queued | done | failed
    attempts = NumberAttribute(default=0)
    error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


class CounterItem(_Record):
    """pk=agency#BOOK#book#year, sk=COUNTER: the last number taken in a book-year."""

    value = NumberAttribute(default=0)


class EntryItem(_Record):
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


class IdempotencyItem(_Record):
    """pk=agency#IDEM#key, sk=IDEM: the first answer to a retried request."""

    fingerprint = UnicodeAttribute()
    result = JSONAttribute()
    ttl = TTLAttribute()


class TargetIndex(GlobalSecondaryIndex["AuditItem"]):
    """gsi1: a record's own history (sparse: only audit items carry gsi1pk)."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class AuditItem(_Record):
    """pk=agency#AUDIT#yyyy-mm-dd, sk=<iso time>#<id>: append-only history of state changes."""

    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    target = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    before = JSONAttribute(null=True)
    after = JSONAttribute(null=True)
    gsi1pk = UnicodeAttribute(null=True)  # agency#TARGET#<target>: a record's own history
    gsi1sk = UnicodeAttribute(null=True)
    by_target = TargetIndex()


ALL_MODELS: tuple[type[_Record], ...] = (
    AgencyItem,
    UnitItem,
    UserItem,
    DocumentItem,
    FileItem,
    SignJobItem,
    CounterItem,
    EntryItem,
    IdempotencyItem,
    AuditItem,
)


def bind(settings: Settings | None = None) -> None:
    """Point every model at the configured table and region (and drop cached connections)."""
    settings = settings or get_settings()
    for model in ALL_MODELS:
        model.Meta.table_name = settings.records_table
        model.Meta.region = settings.region
        model._connection = None


def plain(item: Model) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.get_attributes()}
