"""Render a document's digital form into its official-letter PDF (the draft that will be signed)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.domain.access import Principal
from chalicelib.domain.documents import DocumentKind
from chalicelib.domain.files import FileRole, FileStatus
from chalicelib.domain.thai import to_bangkok
from chalicelib.errors import InvalidInput
from chalicelib.services.documents import file_view, readable_document, require_editor
from chalicelib.settings import get_settings
from chalicelib.store import documents as store
from chalicelib.store import keys, objects
from chalicelib.store.audit import AuditEvent
from chalicelib.store.directory import AgencyProfile, agency_profile
from chalicelib.store.models import FileItem, UserItem


def form_of(kind: DocumentKind, sub_kind: str | None) -> str:
    """Which standard form a document's kind is written on."""
    if kind in (DocumentKind.EXTERNAL, DocumentKind.STAMPED):
        return "external"
    if kind is DocumentKind.INTERNAL:
        return "memo"
    if kind is DocumentKind.DIRECTIVE and sub_kind in (None, "order"):
        return "order"
    if kind is DocumentKind.PUBLIC_RELATIONS and sub_kind in (None, "announcement"):
        return "announcement"
    raise InvalidInput(
        "ยังไม่มีแบบฟอร์มสำหรับหนังสือชนิดนี้",
        f"no standard form for {kind.value}/{sub_kind}: external, internal, order and announcement render",
    )


def letter_content(
    profile: AgencyProfile, content: dict[str, Any], signer: UserItem | None, today: date
) -> Any:
    from chalicelib.pdf.letters import LetterContent, Signatory

    kind = DocumentKind(content["kind"])
    unit = profile.units.get(content.get("owner_unit_id") or "")
    reference = (content.get("reference") or "").removeprefix("ที่").strip() or None
    recipient = content.get("recipient") or {}
    body = tuple(p.strip() for p in str(content.get("body", "")).split("\n\n") if p.strip())
    deadline = content.get("urgent_deadline")
    return LetterContent(
        form=form_of(kind, content.get("sub_kind")),  # type: ignore[arg-type]
        agency_name=profile.name,
        agency_address=tuple(profile.settings.get("address", ())),
        owning_unit=unit.name if unit else "",
        contact_lines=tuple(profile.settings.get("contact_lines", ())),
        reference=reference,
        date=date.fromisoformat(content["letter_date"]) if content.get("letter_date") else today,
        subject=content.get("subject", ""),
        salutation_to=" ".join(
            x for x in (recipient.get("position") or recipient.get("name"), recipient.get("agency")) if x
        ),
        references=tuple(content.get("references", ())),
        enclosures=tuple(content.get("enclosures", ())),
        body=body,
        signatory=Signatory(name=signer.name, position=signer.position) if signer else None,
        urgency=content.get("urgency", "normal"),
        urgent_deadline=datetime.fromisoformat(deadline) if deadline else None,
        secrecy=content.get("secrecy", "normal"),
        thai_numerals=profile.thai_numerals,
        emblem=base64.b64decode(profile.settings["emblem_png_b64"])
        if profile.settings.get("emblem_png_b64")
        else None,
    )


def render_document(principal: Principal, document_id: str, *, now: datetime) -> dict[str, Any]:
    from chalicelib.pdf.letters import LetterError, render_letter

    stored = readable_document(principal, document_id)
    require_editor(principal, stored)
    profile = agency_profile(principal.agency_id)
    assert profile is not None
    content = dict(stored.item.content)
    content["kind"] = stored.item.kind
    signer = None
    signers = content.get("signers") or []
    if signers:
        try:
            signer = UserItem.get(keys.agency_pk(principal.agency_id), f"USER#{signers[0]}")
        except UserItem.DoesNotExist:
            raise InvalidInput("ไม่พบผู้ลงนามในทะเบียนผู้ใช้", "the first signer is not in the directory") from None
    try:
        rendered = render_letter(letter_content(profile, content, signer, to_bangkok(now).date()))
    except LetterError as error:
        raise InvalidInput(
            f"ข้อมูลไม่พอสำหรับแบบฟอร์ม: {error}", f"the form cannot be rendered: {error}"
        ) from error
    file_id = store.new_id()
    object_key = keys.file_object_key(principal.agency_id, document_id, file_id)
    digest = hashlib.sha256(rendered.pdf).digest()
    item = FileItem(
        stored.item.pk,
        f"FILE#{file_id}",
        role=FileRole.MAIN.value,
        filename=f"{document_id}.pdf",
        declared_type="application/pdf",
        # Pending like any upload: the upload handler checks the bytes that land and pins their
        # version. If they never land, the clean-up expires the record: nothing half-done remains.
        status=FileStatus.PENDING.value,
        object_key=object_key,
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
        expires_at=now + timedelta(seconds=get_settings().upload_url_seconds),
        gsi2pk=keys.pending_upload_pk(principal.agency_id),
        gsi2sk=(now + timedelta(seconds=get_settings().upload_url_seconds)).astimezone(UTC).isoformat(),
    )
    store.put_pending_file(
        item,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "document.rendered",
            f"document/{document_id}",
            now,
            after={
                "file_id": file_id,
                "pages": rendered.pages,
                "sha256": digest.hex(),
                "signature_field": rendered.signature_field,
            },
        ),
    )
    objects.write(
        object_key, rendered.pdf, content_type="application/pdf", sha256_b64=base64.b64encode(digest).decode()
    )
    return {
        "file": file_view(item),
        "pages": rendered.pages,
        "signature_field": {
            "name": rendered.signature_field,
            "page": rendered.signature_page,
            "box": list(rendered.signature_box),
        },
    }
