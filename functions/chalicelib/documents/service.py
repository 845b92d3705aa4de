"""Use cases on documents: create one, read one, its history, ask for an upload or a download URL.

The public face of the documents module: other modules read a document through `readable` (the
reader's clearance and grants are checked there) and change the document item only through the
transaction parts at the end of this file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.directory import service as directory
from chalicelib.documents import domain, models, store
from chalicelib.documents.domain import DocumentState, FileRole, FileStatus
from chalicelib.documents.store import DocumentItem, FileItem, StoredDocument
from chalicelib.kernel import audit, ddb, envelope, keys, objects
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Conflict, NotFound, PayloadTooLarge
from chalicelib.kernel.principal import Principal, Role, may_read_document, may_see_level
from chalicelib.kernel.settings import get_settings
from chalicelib.saraban import (
    KIND_LABELS_TH,
    TOP_SECRET_NEUTRAL_SUBJECT,
    URGENCY_LABELS_TH,
    DocumentKind,
    Secrecy,
    Urgency,
    sub_kind_label,
)

__all__ = ["DocumentItem", "DocumentState", "FileItem", "StoredDocument"]


def not_found(document_id: str) -> NotFound:
    # The same answer for "no such document", "another agency's" and "not cleared for it".
    return NotFound("ไม่พบหนังสือ", f"document {document_id} not found", document_id=document_id)


def new_document_item(principal: Principal, draft: models.DocumentDraft, *, now: datetime) -> DocumentItem:
    """A new document from a draft, after the rules on who may create what."""
    level = draft.secrecy_level
    domain.require_clearance_to_create(principal, level)
    if level is Secrecy.TOP_SECRET:
        domain.refuse_top_secret_content(
            [
                ("subject", draft.subject),
                ("body", draft.body),
                ("references", draft.references),
                ("enclosures", draft.enclosures),
            ]
        )
    if draft.owner_unit_id is not None:
        directory.require_profile(principal.agency_id).require_unit(draft.owner_unit_id)
    content = draft.content()
    if level is Secrecy.TOP_SECRET:
        content["subject"] = TOP_SECRET_NEUTRAL_SUBJECT
    if content.get("owner_unit_id") is None and principal.units:
        content["owner_unit_id"] = principal.units[0]
    return store.new_document(
        principal.agency_id,
        keys.new_id(),
        content=content,
        kind=draft.kind.value,
        secrecy=int(level),
        state=DocumentState.DRAFT.value,
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
        grants=sorted(set(draft.grants)),
        registrations=[],
        version=1,
    )


def document_id_of(item: DocumentItem) -> str:
    return keys.document_of_pk(item.pk)[1]


def created_event(principal: Principal, item: DocumentItem, now: datetime) -> AuditEvent:
    return AuditEvent(
        principal.agency_id,
        principal.user_id,
        "document.created",
        f"document/{document_id_of(item)}",
        now,
        after={"content": item.content, "secrecy": item.secrecy, "grants": item.grants, "state": item.state},
    )


def create_document(
    principal: Principal, draft: models.DocumentDraft, *, now: datetime
) -> models.DocumentView:
    item = new_document_item(principal, draft, now=now)
    store.put_new_document(item, created_event(principal, item, now))
    return document_view(principal, StoredDocument(item, []))


def may_read(principal: Principal, item: DocumentItem) -> bool:
    secrecy = Secrecy(int(item.secrecy))
    if may_read_document(principal, secrecy=secrecy, created_by=item.created_by, grants=item.grants):
        return True
    # A classified letter that came in is in the saraban officers' charge until it is passed on
    # (registered, then routed): those cleared for its level open it (docs/rules.md, "Secrecy in the
    # exchange"); everyone else needs a grant or a step on its route.
    return _received_from_outside(item) and principal.has(Role.SARABAN) and may_see_level(principal, secrecy)


# Other modules may open a document to more readers (the people on its route, for as long as their
# step needs it): each rule sees the caller and the whole partition. Clearance always applies first.
AccessRule = Callable[[Principal, StoredDocument], bool]
_access_rules: list[AccessRule] = []


def use_access_rule(rule: AccessRule) -> None:
    if rule not in _access_rules:
        _access_rules.append(rule)


def may_open(principal: Principal, stored: StoredDocument) -> bool:
    if may_read(principal, stored.item):
        return True
    if not may_see_level(principal, Secrecy(int(stored.item.secrecy))):
        return False
    return any(rule(principal, stored) for rule in _access_rules)


def _received_from_outside(item: DocumentItem) -> bool:
    return item.created_by.startswith("system:") and "exchange" in item.content


def readable(principal: Principal, document_id: str, *, consistent: bool = False) -> StoredDocument:
    """The document with its files, if the principal may read it; otherwise 404."""
    stored = store.load(principal.agency_id, document_id, consistent=consistent)
    if stored is None or not may_open(principal, stored):
        raise not_found(document_id)
    return stored


def load(agency_id: str, document_id: str, *, consistent: bool = True) -> StoredDocument | None:
    """For workers acting for the system (no principal): the document as stored."""
    return store.load(agency_id, document_id, consistent=consistent)


def document_item(agency_id: str, document_id: str) -> DocumentItem | None:
    return store.document_item(agency_id, document_id)


def current_main_file(stored: StoredDocument) -> FileItem | None:
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


def get_document(principal: Principal, document_id: str) -> models.DocumentView:
    return document_view(principal, readable(principal, document_id))


def history(principal: Principal, document_id: str) -> models.History:
    """The document's audit trail: who did what, when, with the before and after."""
    stored = readable(principal, document_id)
    events = audit.history(principal.agency_id, f"document/{document_id}")
    if principal.user_id != stored.item.created_by:
        for event in events:  # who holds a grant is the author's to see, as on the document itself
            for side in ("before", "after"):
                if isinstance(event.get(side), dict):
                    event[side] = {k: v for k, v in event[side].items() if k != "grants"}
    return models.History.model_validate({"document_id": document_id, "events": events})


def require_editor(principal: Principal, stored: StoredDocument) -> None:
    domain.require_editor(
        principal,
        created_by=stored.item.created_by,
        owner_unit=stored.item.content.get("owner_unit_id"),
        signed=bool(stored.item.signatures),
    )


def request_upload(
    principal: Principal, document_id: str, command: models.UploadCommand, *, now: datetime
) -> models.UploadTicket:
    stored = readable(principal, document_id)
    if Secrecy(int(stored.item.secrecy)) is Secrecy.TOP_SECRET:
        raise domain.refuse_top_secret_files()
    require_editor(principal, stored)
    role = FileRole(command.role)
    if role is FileRole.MAIN and command.content_type != "application/pdf":
        raise domain.main_not_pdf_refused()
    if role is FileRole.MAIN and any(
        f.role == FileRole.MAIN and f.status in (FileStatus.PENDING, FileStatus.READY) for f in stored.files
    ):
        raise domain.main_file_taken()
    file_id = keys.new_id()
    item = pending_file(
        principal,
        stored,
        file_id,
        role=role,
        filename=command.filename,
        declared_type=command.content_type,
        now=now,
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
                "role": role.value,
                "declared_type": command.content_type,
            },
        ),
    )
    return upload_ticket(item)


def upload_ticket(item: FileItem) -> models.UploadTicket:
    """The presigned POST a pending file's bytes go up with (checked when they land)."""
    settings = get_settings()
    upload = objects.presigned_upload(
        item.object_key,
        content_type=item.declared_type,
        max_bytes=settings.max_upload_bytes,
        expires=settings.upload_url_seconds,
    )
    return models.UploadTicket(
        file_id=item.file_id,
        status=FileStatus.PENDING.value,
        upload=models.PresignedPost(url=upload["url"], fields=upload["fields"]),
        expires_in=settings.upload_url_seconds,
        max_bytes=settings.max_upload_bytes,
    )


def pending_file(
    principal: Principal,
    stored: StoredDocument,
    file_id: str,
    *,
    role: FileRole,
    filename: str,
    declared_type: str,
    now: datetime,
) -> FileItem:
    """A file record waiting for its bytes: the upload handler checks what lands and pins its version;
    if nothing lands, the clean-up expires it, so nothing half-done remains."""
    expires = now + timedelta(seconds=get_settings().upload_url_seconds)
    return store.new_file(
        principal.agency_id,
        stored.document_id,
        file_id,
        role=role.value,
        filename=domain.safe_filename(filename),
        declared_type=declared_type,
        status=FileStatus.PENDING.value,
        object_key=keys.file_object_key(principal.agency_id, stored.document_id, file_id),
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
        expires_at=expires,
        gsi2pk=keys.pending_upload_pk(principal.agency_id),
        gsi2sk=expires.astimezone(UTC).isoformat(),
    )


def put_pending_file(item: FileItem, event: AuditEvent) -> None:
    store.put_pending_file(item, event)


def download_url(principal: Principal, document_id: str, file_id: str, variant: str) -> models.DownloadLink:
    stored = readable(principal, document_id)
    found = next((f for f in stored.files if f.file_id == file_id), None)
    if found is None or found.status != FileStatus.READY:
        raise NotFound("ไม่พบไฟล์", f"file {file_id} not found or not ready")
    if found.sealed:
        raise Conflict(
            "หนังสือลับเปิดอ่านได้ในระบบเท่านั้น ไม่มีลิงก์ดาวน์โหลด",
            f"a sealed (classified) file has no download link: GET /v1/documents/{document_id}/files/"
            f"{file_id}/content opens it for a cleared reader",
        )
    version: str | None = None
    if variant == "stamped":
        if not found.stamped_key:
            raise NotFound("ยังไม่มีไฟล์ที่ประทับตรารับ", "no receipt-stamped copy of this file yet")
        key, name = found.stamped_key, f"stamped-{found.filename}"
    else:
        key, name, version = found.object_key, found.filename, found.version_id
    seconds = get_settings().download_url_seconds
    url = objects.presigned_download(key, filename=name, expires=seconds, version_id=version)
    return models.DownloadLink(url=url, expires_in=seconds)


CONTENT_LIMIT_BYTES = 5 * 1024 * 1024  # a Lambda answer is at most 6 MB, and binary goes as base64


def file_content(principal: Principal, document_id: str, file_id: str, variant: str) -> tuple[str, bytes]:
    """A ready file's bytes for a reader who may open the document (clearance included), opened with
    the agency's key when sealed: the one way a classified letter from another agency is read."""
    from urllib.parse import quote

    stored = readable(principal, document_id)
    found = next((f for f in stored.files if f.file_id == file_id), None)
    if found is None or found.status != FileStatus.READY:
        raise NotFound("ไม่พบไฟล์", f"file {file_id} not found or not ready")
    if variant == "stamped" and not found.stamped_key:
        raise NotFound("ยังไม่มีไฟล์ที่ประทับตรารับ", "no receipt-stamped copy of this file yet")
    if int(found.size or 0) > CONTENT_LIMIT_BYTES:
        raise PayloadTooLarge(
            "ไฟล์ใหญ่เกินกว่าจะเปิดผ่านระบบ โปรดใช้ลิงก์ดาวน์โหลด",
            f"the file is over {CONTENT_LIMIT_BYTES} bytes: use its download link",
        )
    data = file_bytes(principal.agency_id, found, stamped=variant == "stamped")
    if found.sealed:  # opening a sealed letter is itself recorded: who read it, when
        tx = ddb.Transaction()
        audit.add_to(
            tx,
            AuditEvent(
                principal.agency_id,
                principal.user_id,
                "file.opened",
                f"document/{document_id}",
                datetime.now(UTC),
                after={"file_id": file_id, "variant": variant},
            ),
        )
        tx.commit()
    return quote(found.filename), data


def file_view(item: FileItem) -> models.FileView:
    return models.FileView(
        id=item.file_id,
        role=item.role,
        filename=item.filename,
        status=item.status,
        content_type=item.content_type or item.declared_type,
        size=int(item.size) if item.size is not None else None,
        sha256=item.sha256,
        rejection=models.Rejection.model_validate(item.rejection) if item.rejection else None,
        receipt_stamped=bool(item.stamped_key),
        receipt_stamp_note=item.stamp_note,
        signature_check=item.signature_check,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def document_view(principal: Principal, stored: StoredDocument) -> models.DocumentView:
    item = stored.item
    content: dict[str, Any] = dict(item.content)
    kind = DocumentKind(item.kind)
    secrecy = Secrecy(int(item.secrecy))
    urgency = Urgency(content.get("urgency", "normal"))
    sub_kind = content.get("sub_kind")
    return models.DocumentView.model_validate(
        {
            **content,
            "id": document_id_of(item),
            "kind": kind,
            "kind_th": sub_kind_label(kind, sub_kind) if sub_kind else KIND_LABELS_TH[kind],
            "urgency_th": URGENCY_LABELS_TH[urgency],
            "secrecy": secrecy.api_name,
            "secrecy_th": secrecy.label_th,
            "state": item.state,
            "registrations": item.registrations,
            "signatures": item.signatures,
            "files": [file_view(f) for f in sorted(stored.files, key=lambda f: f.sk)],
            "created_by": item.created_by,
            "created_at": item.created_at,
            "updated_at": item.updated_at,
            "version": int(item.version),
            "grants": item.grants if principal.user_id == item.created_by else None,
        }
    )


# -- transaction parts for the modules that change a document --------------------------------------
def add_new_document(tx: ddb.Transaction, item: DocumentItem) -> None:
    store.add_new_document(tx, item)


def add_document_update(
    tx: ddb.Transaction, item: DocumentItem, changes: dict[str, Any], *, now: datetime
) -> None:
    """Change fields of the document item (registrations, state, reference, signatures) in another
    module's transaction; cancelled under the label "document" if the document changed since read."""
    store.add_document_update(tx, item, changes, now=now)


def settle_file(
    item: FileItem, changes: dict[str, Any], event: AuditEvent, *, from_status: FileStatus
) -> bool:
    return store.settle_file(item, changes, event, from_status=from_status.value)


def set_file_fields(item: FileItem, changes: dict[str, Any], event: AuditEvent) -> None:
    store.set_file_fields(item, changes, event)


def get_file(agency_id: str, document_id: str, file_id: str) -> FileItem | None:
    return store.get_file(agency_id, document_id, file_id)


# -- revisions of the draft ---------------------------------------------------------------------------
REVISABLE = (
    "subject",
    "sender",
    "recipient",
    "letter_date",
    "urgency",
    "urgent_deadline",
    "references",
    "enclosures",
    "body",
    "sub_kind",
    "retention_years",
    "permanent",
)


def revise(
    principal: Principal, document_id: str, draft: models.DocumentDraft, *, now: datetime
) -> models.Revisions:
    """A new revision of the draft's text, kept as a version with who and when. The kind, the secrecy,
    the number (ที่) and the signers belong to the register and the route: they do not change here."""
    stored = readable(principal, document_id, consistent=True)
    require_editor(principal, stored)
    before = dict(stored.item.content)
    if draft.kind.value != stored.item.kind or draft.secrecy_level is not Secrecy(int(stored.item.secrecy)):
        raise domain.kind_or_secrecy_fixed()
    proposed = draft.content()
    content = {**before, **{name: proposed[name] for name in REVISABLE}}
    if content == before:
        return revisions(principal, document_id)
    known = stored.versions()
    revision = int(known[-1].revision) + 1 if known else 2
    new = []
    if not known:  # the first revision keeps what was there before it
        new.append(
            store.new_version(
                principal.agency_id,
                document_id,
                1,
                content=before,
                by=stored.item.created_by,
                at=stored.item.created_at,
            )
        )
    new.append(
        store.new_version(
            principal.agency_id, document_id, revision, content=content, by=principal.user_id, at=now
        )
    )
    changed = sorted(name for name in REVISABLE if before.get(name) != content.get(name))
    store.save_revision(
        stored.item,
        new,
        content,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "document.revised",
            f"document/{document_id}",
            now,
            before={name: before.get(name) for name in changed},
            after={"revision": revision, **{name: content.get(name) for name in changed}},
        ),
        now=now,
    )
    return revisions(principal, document_id)


def revisions(principal: Principal, document_id: str) -> models.Revisions:
    stored = readable(principal, document_id, consistent=True)
    versions = stored.versions()
    listed = []
    previous: dict[str, Any] | None = None
    for version in versions:
        content = dict(version.content)
        changed = (
            [] if previous is None else sorted(n for n in REVISABLE if previous.get(n) != content.get(n))
        )
        listed.append(
            models.Revision(revision=int(version.revision), by=version.by, at=version.at, changed=changed)
        )
        previous = content
    return models.Revisions(document_id=document_id, current=current_revision(stored), revisions=listed)


def current_revision(stored: StoredDocument) -> int:
    versions = stored.versions()
    return int(versions[-1].revision) if versions else 1


def diff(principal: Principal, document_id: str, query: models.DiffQuery) -> models.RevisionDiff:
    """What changed between two revisions: the reviewer's "since I last saw it"."""
    import difflib

    stored = readable(principal, document_id)
    versions = {int(v.revision): v for v in stored.versions()}
    current = current_revision(stored)
    if not versions:
        versions = {
            1: store.new_version(
                principal.agency_id,
                document_id,
                1,
                content=dict(stored.item.content),
                by=stored.item.created_by,
                at=stored.item.created_at,
            )
        }
    to = query.to or current
    if query.from_ not in versions or to not in versions:
        raise NotFound("ไม่พบฉบับแก้ไขที่ขอ", f"the document has revisions 1 to {current}")
    old, new = dict(versions[query.from_].content), dict(versions[to].content)
    changes = []
    for name in REVISABLE:
        if old.get(name) == new.get(name):
            continue
        lines: list[str] = []
        if isinstance(old.get(name), str) or isinstance(new.get(name), str):
            lines = list(
                difflib.unified_diff(
                    str(old.get(name) or "").splitlines(),
                    str(new.get(name) or "").splitlines(),
                    lineterm="",
                    n=1,
                )
            )[2:]
        changes.append(models.FieldChange(field=name, before=old.get(name), after=new.get(name), diff=lines))
    between = sorted({versions[n].by for n in versions if query.from_ < n <= to})
    return models.RevisionDiff(
        document_id=document_id, from_revision=query.from_, to_revision=to, by=between, changes=changes
    )


def add_received_copy(
    tx: ddb.Transaction,
    agency_id: str,
    document_id: str,
    *,
    content: dict[str, Any],
    kind: str,
    secrecy: int,
    files: list[tuple[str, str, str]],
    actor: str,
    now: datetime,
    sealed: dict[str, str] | None = None,
) -> list[FileItem]:
    """A letter that came from outside (another agency, the central e-mail): this agency's own
    document, its files (file id, filename, declared type; the first is the letter, the rest its
    enclosures) waiting for their bytes, which are then checked like any upload (type, active content,
    signatures); in another module's transaction."""
    from chalicelib.kernel.principal import system_principal

    item = store.new_document(
        agency_id,
        document_id,
        content={**_draft_defaults(), **content},  # what a draft would have, so it shows like any other
        kind=kind,
        secrecy=secrecy,
        state=DocumentState.DRAFT.value,
        created_by=actor,
        created_at=now,
        updated_at=now,
        grants=[],
        registrations=[],
        version=1,
    )
    store.add_new_document(tx, item)
    made = []
    for i, (file_id, filename, declared_type) in enumerate(files):
        file = pending_file(
            system_principal(agency_id, actor),
            StoredDocument(item, []),
            file_id,
            role=FileRole.MAIN if i == 0 else FileRole.ENCLOSURE,
            filename=filename,
            declared_type=declared_type,
            now=now,
        )
        file.sealed = sealed
        tx.put(f"file-{i}", file, condition=FileItem.pk.does_not_exist())
        made.append(file)
    return made


def _draft_defaults() -> dict[str, Any]:
    from pydantic_core import to_jsonable_python

    fields = models.DocumentDraft.model_fields
    return {
        name: to_jsonable_python(field.get_default(call_default_factory=True, validated_data={}))
        for name, field in fields.items()
        if not field.is_required() and name != "grants"
    }


# -- sealed files (classified letters between agencies; kernel/envelope.py) ----------------------------
def file_bytes(agency_id: str, item: FileItem, *, stamped: bool = False) -> bytes:
    """A ready file's bytes as checked (or its receipt-stamped copy), opened with the agency's own key
    when the file is sealed."""
    if stamped and item.stamped_key:
        data = objects.read(item.stamped_key)
    else:
        data = objects.read(item.object_key, version_id=item.version_id)
    if not item.sealed:
        return data
    return envelope.open_sealed(data, envelope.Parties(**item.sealed), directory.secrecy_key(agency_id))


def sealed_like(agency_id: str, item: FileItem, data: bytes) -> bytes:
    """Bytes derived from a file (its receipt-stamped copy), sealed as the file is: for this agency's
    key alone, since the copy is the agency's own."""
    if not item.sealed:
        return data
    return envelope.seal(data, envelope.Parties(**item.sealed), [directory.secrecy_key(agency_id)])
