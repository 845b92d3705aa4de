"""Key composition for the records table and the files bucket: the agency id always comes first."""

from __future__ import annotations

import re

_AGENCY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
_OPAQUE_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")


def check_agency(agency_id: str) -> str:
    if not _AGENCY_ID.match(agency_id):
        raise ValueError(f"bad agency id {agency_id!r}")
    return agency_id


def is_opaque_id(value: str) -> bool:
    return bool(_OPAQUE_ID.match(value))


def agency_pk(agency_id: str) -> str:
    return check_agency(agency_id)


def document_pk(agency_id: str, document_id: str) -> str:
    return f"{check_agency(agency_id)}#DOC#{document_id}"


def pending_upload_pk(agency_id: str) -> str:
    return f"{check_agency(agency_id)}#PENDING-UPLOAD"


def book_pk(agency_id: str, book: str, year: int) -> str:
    return f"{check_agency(agency_id)}#BOOK#{book}#{year}"


def entry_sk(number: int) -> str:
    return f"ENTRY#{number:08d}"


def idempotency_pk(agency_id: str, key: str) -> str:
    return f"{check_agency(agency_id)}#IDEM#{key}"


def audit_pk(agency_id: str, day: str) -> str:
    return f"{check_agency(agency_id)}#AUDIT#{day}"


def audit_target_pk(agency_id: str, target: str) -> str:
    return f"{check_agency(agency_id)}#TARGET#{target}"


def file_object_key(agency_id: str, document_id: str, file_id: str) -> str:
    """S3 key of an uploaded original; the agency prefix is what the IAM policies scope to."""
    return f"{check_agency(agency_id)}/documents/{document_id}/files/{file_id}/original"


def stamped_object_key(agency_id: str, document_id: str, file_id: str) -> str:
    return f"{check_agency(agency_id)}/documents/{document_id}/files/{file_id}/received-stamped.pdf"


_OBJECT_KEY = re.compile(
    r"^(?P<agency>[a-z0-9][a-z0-9-]{1,39})/documents/(?P<document>[A-Za-z0-9_-]{6,64})"
    r"/files/(?P<file>[A-Za-z0-9_-]{6,64})/original$"
)


def parse_file_object_key(key: str) -> tuple[str, str, str] | None:
    """(agency, document, file) of an uploaded original, or None for any other key."""
    match = _OBJECT_KEY.match(key)
    if not match:
        return None
    return match["agency"], match["document"], match["file"]
