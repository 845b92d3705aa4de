"""Use cases on documents: create one, read one, ask for an upload or a download URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.domain.access import Principal, Role, may_read_document
from chalicelib.domain.documents import (
    KIND_LABELS_TH,
    TOP_SECRET_NEUTRAL_SUBJECT,
    URGENCY_LABELS_TH,
    DocumentDraft,
    DocumentKind,
    Secrecy,
    Urgency,
    sub_kind_label,
)
from chalicelib.domain.files import ALLOWED_TYPES, FileRole, FileStatus, safe_filename
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound, SecrecyRefused
from chalicelib.settings import get_settings
from chalicelib.store import documents as store
from chalicelib.store import keys, objects
from chalicelib.store.audit import AuditEvent
from chalicelib.store.directory import agency_profile
from chalicelib.store.models import DocumentItem, FileItem


class DocumentState:
    DRAFT = "draft"
    REGISTERED = "registered"


def not_found(document_id: str) -> NotFound:
    # The same answer for "no such document", "another agency's" and "not cleared for it".
    return NotFound("ไม่พบหนังสือ", f"document {document_id} not found", document_id=document_id)


def check_draft_for(principal: Principal, draft: DocumentDraft) -> None:
    """Rules on who may create what: clearance for the level, units that exist and are the author's."""
    level = draft.secrecy_level
    # A ลับที่สุด entry carries no content, but only the saraban or the cleared may make one.
    top_secret_allowed = principal.has(Role.SARABAN) or principal.clearance >= Secrecy.SECRET
    if level > principal.clearance and not (level is Secrecy.TOP_SECRET and top_secret_allowed):
        raise Forbidden(
            "ท่านไม่มีสิทธิ์ชั้นความลับระดับนี้",
            f"your clearance does not cover {level.api_name} documents",
        )
    profile = agency_profile(principal.agency_id)
    if draft.owner_unit_id is not None and (profile is None or draft.owner_unit_id not in profile.units):
        raise InvalidInput("ไม่พบส่วนราชการเจ้าของเรื่อง", f"unknown owner unit {draft.owner_unit_id!r}")


def new_document_item(principal: Principal, draft: DocumentDraft, *, now: datetime) -> DocumentItem:
    check_draft_for(principal, draft)
    document_id = store.new_id()
    content = draft.model_dump(mode="json", exclude={"grants"})
    if draft.secrecy_level is Secrecy.TOP_SECRET:
        content["subject"] = TOP_SECRET_NEUTRAL_SUBJECT
    if content.get("owner_unit_id") is None and principal.units:
        content["owner_unit_id"] = principal.units[0]
    return DocumentItem(
        keys.document_pk(principal.agency_id, document_id),
        "DOC",
        content=content,
        kind=draft.kind.value,
        secrecy=int(draft.secrecy_level),
        state=DocumentState.DRAFT,
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
        grants=sorted(set(draft.grants)),
        registrations=[],
        version=1,
    )


def document_id_of(item: DocumentItem) -> str:
    return item.pk.rsplit("#", 1)[-1]


def created_event(principal: Principal, item: DocumentItem, now: datetime) -> AuditEvent:
    return AuditEvent(
        principal.agency_id,
        principal.user_id,
        "document.created",
        f"document/{document_id_of(item)}",
        now,
        after={"content": item.content, "secrecy": item.secrecy, "grants": item.grants, "state": item.state},
    )


def create_document(principal: Principal, draft: DocumentDraft, *, now: datetime) -> dict[str, Any]:
    item = new_document_item(principal, draft, now=now)
    store.put_new_document(item, created_event(principal, item, now))
    return document_view(principal, item, [])


def readable_document(principal: Principal, document_id: str) -> store.StoredDocument:
    stored = store.load_document(principal.agency_id, document_id)
    if stored is None or not may_read_document(
        principal,
        secrecy=Secrecy(int(stored.item.secrecy)),
        created_by=stored.item.created_by,
        grants=stored.item.grants,
    ):
        raise not_found(document_id)
    return stored


def current_main_file(stored: store.StoredDocument) -> FileItem | None:
    """The newest ready main PDF (rendered or uploaded): what is signed and what is stamped."""
    return next(
        (
            f
            for f in sorted(stored.files, key=lambda f: f.sk, reverse=True)
            if f.role == FileRole.MAIN
            and f.status == FileStatus.READY
            and f.content_type == "application/pdf"
        ),
        None,
    )


def get_document(principal: Principal, document_id: str) -> dict[str, Any]:
    stored = readable_document(principal, document_id)
    return document_view(principal, stored.item, stored.files, stored.sign_jobs)


def history(principal: Principal, document_id: str) -> dict[str, Any]:
    """The document's audit trail: who did what, when, with the before and after."""
    stored = readable_document(principal, document_id)
    from chalicelib.store.audit import history as audit_history

    events = audit_history(principal.agency_id, f"document/{document_id}")
    if principal.user_id != stored.item.created_by:
        for event in events:  # who holds a grant is the author's to see, as on the document itself
            for side in ("before", "after"):
                if isinstance(event.get(side), dict):
                    event[side] = {k: v for k, v in event[side].items() if k != "grants"}
    return {"document_id": document_id, "events": events}


def require_editor(principal: Principal, stored: store.StoredDocument) -> None:
    """Who may put a document's content (its files, its rendered form): the author, the owning
    unit's staff and the saraban officers, and nobody once signing has begun."""
    item = stored.item
    owner_unit = item.content.get("owner_unit_id")
    if not (
        principal.user_id == item.created_by
        or principal.has(Role.SARABAN)
        or (owner_unit is not None and owner_unit in principal.units)
    ):
        raise Forbidden(
            "ท่านไม่มีสิทธิ์แก้ไขหนังสือนี้", "only the author, the owning unit or the saraban may change it"
        )
    if item.signatures:
        raise Conflict("หนังสือลงนามแล้ว แก้ไขไม่ได้", "the document is already signed; its content cannot change")


def request_upload(
    principal: Principal, document_id: str, body: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    stored = readable_document(principal, document_id)
    secrecy = Secrecy(int(stored.item.secrecy))
    if secrecy is not Secrecy.TOP_SECRET:
        require_editor(principal, stored)
    if secrecy is Secrecy.TOP_SECRET:
        raise SecrecyRefused(
            "ไม่รับไฟล์ของหนังสือชั้นลับที่สุด (ระเบียบงานสารบรรณ ข้อ 29 แก้ไขเพิ่มเติม พ.ศ. 2564)",
            "files of a ลับที่สุด (top secret) document may not be stored (saraban regulation clause 29, 2564)",
            rule="ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ ข้อ 29 (ฉบับที่ 4) พ.ศ. 2564",
        )
    filename = body.get("filename")
    content_type = body.get("content_type")
    role = body.get("role", FileRole.MAIN.value)
    if not isinstance(filename, str) or not filename.strip():
        raise InvalidInput("ต้องระบุชื่อไฟล์", "filename is required")
    if not isinstance(content_type, str) or not isinstance(role, str):
        raise InvalidInput("content_type และ role ต้องเป็นข้อความ", "content_type and role must be strings")
    if content_type not in ALLOWED_TYPES:
        raise InvalidInput(
            "ชนิดไฟล์ไม่ได้รับอนุญาต",
            f"content_type must be one of {sorted(ALLOWED_TYPES)}",
        )
    if role not in FileRole._value2member_map_:
        raise InvalidInput("ประเภทไฟล์ไม่ถูกต้อง", "role must be main or enclosure")
    if role == FileRole.MAIN and content_type != "application/pdf":
        raise InvalidInput("ไฟล์หนังสือหลักต้องเป็น PDF", "the main file of a letter must be a PDF")
    if role == FileRole.MAIN and any(
        f.role == FileRole.MAIN and f.status in (FileStatus.PENDING, FileStatus.READY) for f in stored.files
    ):
        raise InvalidInput("หนังสือนี้มีไฟล์หลักแล้ว", "this document already has a main file")
    settings = get_settings()
    file_id = store.new_id()
    object_key = keys.file_object_key(principal.agency_id, document_id, file_id)
    item = FileItem(
        stored.item.pk,
        f"FILE#{file_id}",
        role=role,
        filename=safe_filename(filename),
        declared_type=content_type,
        status=FileStatus.PENDING.value,
        object_key=object_key,
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
        expires_at=now + timedelta(seconds=settings.upload_url_seconds),
        gsi2pk=keys.pending_upload_pk(principal.agency_id),
        gsi2sk=(now + timedelta(seconds=settings.upload_url_seconds)).astimezone(UTC).isoformat(),
    )
    store.put_pending_file(
        item,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "file.upload_requested",
            f"document/{document_id}",
            now,
            after={
                "file_id": file_id,
                "filename": item.filename,
                "role": role,
                "declared_type": content_type,
            },
        ),
    )
    upload = objects.presigned_upload(
        object_key,
        content_type=content_type,
        max_bytes=settings.max_upload_bytes,
        expires=settings.upload_url_seconds,
    )
    return {
        "file_id": file_id,
        "status": FileStatus.PENDING.value,
        "upload": {"method": "POST", "url": upload["url"], "fields": upload["fields"]},
        "expires_in": settings.upload_url_seconds,
        "max_bytes": settings.max_upload_bytes,
    }


def download_url(principal: Principal, document_id: str, file_id: str, variant: str) -> dict[str, Any]:
    stored = readable_document(principal, document_id)
    found = next((f for f in stored.files if f.sk == f"FILE#{file_id}"), None)
    if found is None or found.status != FileStatus.READY:
        raise NotFound("ไม่พบไฟล์", f"file {file_id} not found or not ready")
    version: str | None = None
    if variant == "stamped":
        if not found.stamped_key:
            raise NotFound("ยังไม่มีไฟล์ที่ประทับตรารับ", "no receipt-stamped copy of this file yet")
        key, name = found.stamped_key, f"stamped-{found.filename}"
    elif variant == "original":
        key, name, version = found.object_key, found.filename, found.version_id
    else:
        raise InvalidInput("ชนิดไฟล์ที่ขอไม่ถูกต้อง", "variant must be original or stamped")
    seconds = get_settings().download_url_seconds
    url = objects.presigned_download(key, filename=name, expires=seconds, version_id=version)
    return {"url": url, "expires_in": seconds}


def file_view(item: FileItem) -> dict[str, Any]:
    return {
        "id": item.sk.removeprefix("FILE#"),
        "role": item.role,
        "filename": item.filename,
        "status": item.status,
        "content_type": item.content_type or item.declared_type,
        "size": item.size,
        "sha256": item.sha256,
        "rejection": item.rejection,
        "receipt_stamped": bool(item.stamped_key),
        "signature_check": item.signature_check,
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
    }


def document_view(
    principal: Principal, item: DocumentItem, files: list[FileItem], jobs: list[Any] | None = None
) -> dict[str, Any]:
    content = dict(item.content)
    kind = DocumentKind(item.kind)
    secrecy = Secrecy(int(item.secrecy))
    urgency = Urgency(content.get("urgency", "normal"))
    view: dict[str, Any] = {
        "id": document_id_of(item),
        **content,
        "kind_th": sub_kind_label(kind, content.get("sub_kind"))
        if content.get("sub_kind")
        else KIND_LABELS_TH[kind],
        "urgency_th": URGENCY_LABELS_TH[urgency],
        "secrecy": secrecy.api_name,
        "secrecy_th": secrecy.label_th,
        "state": item.state,
        "registrations": item.registrations,
        "signatures": item.signatures,
        "files": [file_view(f) for f in sorted(files, key=lambda f: f.sk)],
        "created_by": item.created_by,
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "version": int(item.version),
    }
    view["sign_jobs"] = [
        {
            "slot": int(j.slot),
            "signer": j.signer,
            "status": j.status,
            "attempts": int(j.attempts),
            "error": j.error,
            "capacity": j.capacity,
            "updated_at": j.updated_at.isoformat(),
        }
        for j in sorted(jobs or [], key=lambda j: int(j.slot))
    ]
    if principal.user_id == item.created_by:
        view["grants"] = item.grants
    return view
