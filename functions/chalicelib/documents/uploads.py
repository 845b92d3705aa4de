"""What happens when an upload lands: check the bytes, record size and SHA-256, ready or reject.

Runs in the upload handler (S3 -> SQS -> Lambda). Safe to run twice for the same object: a file
leaves `pending` once, by a conditional write, and a rejected upload's bytes are purged.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import datetime
from enum import StrEnum

from chalicelib.directory import service as directory
from chalicelib.documents import domain as rules
from chalicelib.documents import store
from chalicelib.documents.domain import FileRole, FileStatus
from chalicelib.kernel import envelope, keys, objects
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.settings import get_settings

SYSTEM_ACTOR = "system:upload-check"


class Outcome(StrEnum):
    READY = "ready"
    REJECTED = "rejected"
    ALREADY_SETTLED = "already-settled"
    NOT_OURS = "not-ours"
    ORPHAN = "orphan"  # no file record asked for this key: nothing of it is kept
    GONE = "gone"
    REPLACEMENT_DISCARDED = "replacement-discarded"


def check_uploaded_object(  # noqa: PLR0911 (one outcome per case, each named)
    object_key: str, *, now: datetime, version_id: str | None = None
) -> Outcome:
    parsed = keys.parse_file_object_key(object_key)
    if parsed is None:
        return Outcome.NOT_OURS
    agency_id, document_id, file_id = parsed
    item = store.get_file(agency_id, document_id, file_id)
    if item is None or item.object_key != object_key:
        objects.purge(object_key)
        return Outcome.ORPHAN
    if item.status != FileStatus.PENDING:
        if item.status in (FileStatus.REJECTED, FileStatus.EXPIRED):
            objects.purge(object_key)  # a crash after settling may have left the bytes behind
        elif (
            item.version_id
            and version_id != item.version_id
            and objects.purge_other_versions(object_key, keep=item.version_id)
        ):
            # The upload URL was used again after the checks passed: that later version is never
            # served (reads are pinned to the checked version), and it is not kept either. (The
            # local backend's events carry no versionId, so compare against what the bucket holds.)
            return Outcome.REPLACEMENT_DISCARDED
        return Outcome.ALREADY_SETTLED
    head = objects.head(object_key)
    if head is None:
        return Outcome.GONE
    limit = get_settings().max_upload_bytes
    size = int(head["ContentLength"])
    rejection: rules.Rejection | None = None
    data = b""
    if size > limit:
        rejection = rules.too_large(size, limit)
    else:
        data = objects.read(object_key, version_id=head.get("VersionId"))
        try:
            if item.sealed:  # a classified letter from another agency: judged opened, kept sealed
                data = envelope.open_sealed(
                    data, envelope.Parties(**item.sealed), directory.secrecy_key(agency_id)
                )
            rejection = _judge(data, declared=item.declared_type, role=FileRole(item.role))
        except Exception as error:  # a file that cannot be judged is refused, its bytes purged
            rejection = rules.pdf_unreadable(f"the checks could not read it ({type(error).__name__})")
    target = f"document/{document_id}"
    if rejection is not None:
        settled = store.settle_file(
            item,
            {
                "status": FileStatus.REJECTED.value,
                "size": size,
                "rejection": asdict(rejection),
                "updated_at": now,
            },
            AuditEvent(
                agency_id,
                SYSTEM_ACTOR,
                "file.rejected",
                target,
                now,
                before={"file_id": file_id, "status": FileStatus.PENDING.value},
                after={"file_id": file_id, "status": FileStatus.REJECTED.value, "reason": rejection.code},
            ),
        )
        objects.purge(object_key)
        return Outcome.REJECTED if settled else Outcome.ALREADY_SETTLED
    digest = hashlib.sha256(data).hexdigest()
    content_type = rules.sniff_content_type(data[: rules.PDF_HEADER_WINDOW]) or item.declared_type
    changes: dict[str, object] = {
        "status": FileStatus.READY.value,
        "size": size,
        "sha256": digest,
        "content_type": content_type,
        "version_id": head.get("VersionId"),
        "updated_at": now,
    }
    if content_type == "application/pdf" and b"/ByteRange" in data:
        changes["signature_check"] = _check_signatures(agency_id, data)
    settled = store.settle_file(
        item,
        changes,
        AuditEvent(
            agency_id,
            SYSTEM_ACTOR,
            "file.ready",
            target,
            now,
            before={"file_id": file_id, "status": FileStatus.PENDING.value},
            after={"file_id": file_id, "status": FileStatus.READY.value, "size": size, "sha256": digest},
        ),
    )
    return Outcome.READY if settled else Outcome.ALREADY_SETTLED


def _judge(data: bytes, *, declared: str, role: FileRole) -> rules.Rejection | None:  # noqa: PLR0911
    actual = rules.sniff_content_type(data[: rules.PDF_HEADER_WINDOW])
    if actual is None:
        return rules.not_allowed_type()
    if role is FileRole.MAIN and actual != "application/pdf":
        return rules.main_file_not_pdf()
    if actual != declared:
        return rules.declared_type_mismatch(declared, actual)
    if actual == "application/pdf":
        # Parsed in a child process with a memory and time budget: a crafted file is judged unreadable.
        from chalicelib.pdf.inspect import inspect_pdf

        facts = inspect_pdf(data)
        if facts.encrypted:
            return rules.pdf_encrypted()
        if not facts.readable:
            return rules.pdf_unreadable(facts.error or "")
        if facts.refused_content:
            # Refused, not stripped: a cleaned copy would no longer be what the sender signed.
            found = facts.refused_content
            return rules.pdf_active_content([a.message_th for a in found], [a.message_en for a in found])
        return None
    from chalicelib.pdf.image_check import verify_image

    problem = verify_image(data, actual)
    return rules.image_malformed(actual, problem) if problem else None


def expire_abandoned_uploads(agency_id: str, document_id: str, file_id: str, *, now: datetime) -> bool:
    """Mark a pending file whose upload URL lapsed as expired (the schedule's clean-up)."""
    item = store.get_file(agency_id, document_id, file_id)
    if item is None or item.status != FileStatus.PENDING or item.expires_at is None or item.expires_at > now:
        return False
    settled = store.settle_file(
        item,
        {"status": FileStatus.EXPIRED.value, "updated_at": now},
        AuditEvent(
            agency_id,
            SYSTEM_ACTOR,
            "file.expired",
            f"document/{document_id}",
            now,
            before={"file_id": file_id, "status": FileStatus.PENDING.value},
            after={"file_id": file_id, "status": FileStatus.EXPIRED.value},
        ),
    )
    if settled:
        objects.purge(item.object_key)
    return settled


def _check_signatures(agency_id: str, data: bytes) -> dict[str, object]:
    """A signed incoming letter is validated on arrival; the result shows on the document."""
    from chalicelib.signing.errors import InvalidPdfError
    from chalicelib.signing.validation import load_roots, report_summary, validate_pdf

    profile = directory.agency_profile(agency_id)
    pems = (profile.settings.get("signing", {}) if profile else {}).get("trust_roots_pem", [])
    try:
        return report_summary(validate_pdf(data, load_roots(pems)).to_dict())
    except InvalidPdfError as error:
        return {"error_th": "ไฟล์ไม่ใช่ PDF ที่อ่านได้", "error": f"not a readable PDF: {error}"}
