"""Render a document's digital form into its official-letter PDF (the draft that will be signed)."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.directory import service as directory
from chalicelib.directory.service import AgencyProfile
from chalicelib.documents import models
from chalicelib.documents.domain import FileRole
from chalicelib.documents.service import file_view, pending_file, put_pending_file, readable, require_editor
from chalicelib.kernel import keys, objects
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Conflict, UnknownReference
from chalicelib.kernel.principal import Principal
from chalicelib.saraban import DocumentKind
from chalicelib.thai import to_bangkok

if TYPE_CHECKING:
    from chalicelib.pdf.letters import Signatory


def form_of(kind: DocumentKind, sub_kind: str | None) -> str:
    """Which standard form a document's kind is written on."""
    if kind is DocumentKind.EXTERNAL:
        return "external"
    if kind is DocumentKind.STAMPED:
        return "stamped"
    if kind is DocumentKind.INTERNAL:
        return "memo"
    if kind is DocumentKind.DIRECTIVE and sub_kind in (None, "order", "regulation", "bylaw"):
        return sub_kind or "order"
    if kind is DocumentKind.PUBLIC_RELATIONS and sub_kind in (None, "announcement"):
        return "announcement"
    if kind is DocumentKind.RECORD and sub_kind in ("certificate", "minutes"):
        return sub_kind
    raise Conflict(
        "ยังไม่มีแบบฟอร์มสำหรับหนังสือชนิดนี้",
        f"no standard form for {kind.value}/{sub_kind}: external, internal, stamped, directive/order, "
        "directive/regulation, directive/bylaw, announcement, record/certificate and record/minutes render",
    )


def letter_content(
    profile: AgencyProfile, content: dict[str, Any], signatory: Signatory | None, today: date
) -> Any:
    from chalicelib.pdf.letters import LetterContent

    kind = DocumentKind(content["kind"])
    form = form_of(kind, content.get("sub_kind"))
    structure = models.DocumentStructure.model_validate(content.get("structure") or {}, strict=False)
    meeting = _meeting(structure.meeting) if form == "minutes" and structure.meeting else None
    unit = profile.units.get(content.get("owner_unit_id") or "")
    reference = (content.get("reference") or "").removeprefix("ที่").strip() or None
    recipient = content.get("recipient") or {}
    body = _paragraphs(str(content.get("body", "")))
    deadline = content.get("urgent_deadline")
    return LetterContent(
        form=form,  # type: ignore[arg-type]
        agency_name=profile.name,
        agency_address=tuple(
            (profile.settings.get("letterhead") or {}).get("address_lines")
            or profile.settings.get("address", ())
        ),
        owning_unit=unit.name if unit else "",
        contact_lines=_contact_lines(profile, unit),
        reference=reference,
        date=date.fromisoformat(content["letter_date"]) if content.get("letter_date") else today,
        subject=content.get("subject", ""),
        salutation_to=" ".join(
            x for x in (recipient.get("position") or recipient.get("name"), recipient.get("agency")) if x
        )
        if form in ("external", "memo", "stamped")  # เรียน, or ถึง: the other forms name no addressee
        else "",
        references=tuple(content.get("references", ())),
        enclosures=tuple(content.get("enclosures", ())),
        body=body,
        signatory=signatory,
        meeting=meeting,
        committee=tuple(_member(m) for m in structure.committee) if form == "order" else (),
        urgency=content.get("urgency", "normal"),
        urgent_deadline=datetime.fromisoformat(deadline) if deadline else None,
        secrecy=content.get("secrecy", "normal"),
        thai_numerals=profile.thai_numerals,
        emblem=directory.emblem_image(profile),
        # the directory's names, so that line breaking keeps each on one line (or cuts it at its words)
        custom_words=(profile.name, *(u.name for u in profile.units.values() if u.name)),
    )


def _first_signatory(agency_id: str, content: dict[str, Any], now: datetime) -> Signatory | None:
    """The block the first signer's field shows: the signer's own, or, when the route names a delegate
    who will sign, the delegate's with its รักษาราชการแทน / ปฏิบัติราชการแทน line (docs/rules.md,
    "Signing authority and delegation"), so that what is proof-read is what is signed."""
    from chalicelib.pdf.letters import Signatory

    signers = content.get("signers") or []
    if not signers:
        return None
    seat = directory.signer(agency_id, signers[0])
    if seat is None:
        raise UnknownReference("ไม่พบผู้ลงนามในทะเบียนผู้ใช้", "the first signer is not in the directory")
    delegate_id = (content.get("signing_delegates") or [None])[0]
    if delegate_id is None:
        return Signatory(name=seat.name, position=seat.position)
    delegate = directory.signer(agency_id, delegate_id)
    delegation = directory.delegation_from(agency_id, delegate_id, seat, now=now)
    if delegate is None or delegation is None:
        raise Conflict(
            "ผู้ลงนามแทนที่ระบุไม่มีคำสั่งมอบหมายที่ยังมีผลอยู่ กรุณาเริ่มเส้นทางใหม่",
            "the named delegate no longer holds an active delegation from the signer: start the route again",
        )
    return Signatory(
        name=delegate.name,
        position=delegate.position,
        on_behalf_kind="acting" if delegation.kind == "acting" else "delegated",
        on_behalf_of=seat.position,
    )


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("\n\n") if p.strip())


def _member(person: models.Person) -> Any:
    from chalicelib.pdf.letters import Member

    return Member(name=person.name, position=person.position, role=person.role)


def _meeting(meeting: models.Meeting) -> Any:
    """The draft's meeting as the minutes form takes it (the recorder's block is printed when the
    document names no signer)."""
    from chalicelib.pdf.letters import AgendaItem, Meeting, Member

    recorder = meeting.recorder
    return Meeting(
        title=meeting.title,
        number=meeting.number,
        date=meeting.date,
        place=meeting.place,
        attendees=tuple(_member(p) for p in meeting.attendees),
        absent=tuple(_member(p) for p in meeting.absent),
        guests=tuple(_member(p) for p in meeting.guests),
        started_at=meeting.started_at,
        agenda=tuple(AgendaItem(item.title, _paragraphs(item.text)) for item in meeting.agenda),
        ended_at=meeting.ended_at,
        recorder=Member(recorder.name, recorder.position) if recorder else None,
    )


def _contact_lines(profile: AgencyProfile, unit: Any) -> tuple[str, ...]:
    """The owning unit's contact lines, else the agency's (telephone, fax, e-mail from its letterhead)."""
    if unit is not None and unit.contact_lines:
        return tuple(unit.contact_lines)
    return directory.letterhead_contact(profile) or tuple(profile.settings.get("contact_lines", ()))


def render_document(
    principal: Principal, document_id: str, *, now: datetime, file_id: str | None = None
) -> models.Rendered:
    """The letter's form as PDF, stored as the document's new main file. With `file_id` (a route's
    reaction), rendering again under the same id finds the first rendering and changes nothing."""
    from chalicelib.pdf.letters import LetterError, render_letter

    stored = readable(principal, document_id, consistent=file_id is not None)
    require_editor(principal, stored)
    done = next((f for f in stored.files if f.file_id == file_id), None) if file_id else None
    if done is not None:
        return models.Rendered(
            file=file_view(done), pages=0, signature_field=models.SignatureField(name="", page=0, box=[])
        )
    profile = directory.require_profile(principal.agency_id)
    content = dict(stored.item.content)
    content["kind"] = stored.item.kind
    try:
        rendered = render_letter(
            letter_content(
                profile, content, _first_signatory(principal.agency_id, content, now), to_bangkok(now).date()
            )
        )
    except LetterError as error:
        raise Conflict(f"ข้อมูลไม่พอสำหรับแบบฟอร์ม: {error}", f"the form cannot be rendered: {error}") from error
    # An official letter is kept for years: written as PDF/A-2b (XMP, sRGB output intent, fonts
    # embedded) before it is signed (pdf/pdfa.py); the signature field and its box are unchanged.
    from chalicelib.pdf.pdfa import make_pdfa

    pdf = make_pdfa(
        rendered.pdf,
        title=content.get("subject") or stored.item.kind,
        author=profile.name,
        keywords=content.get("reference") or "",
        created=now,
    )
    file_id = file_id or keys.new_id()
    digest = hashlib.sha256(pdf).digest()
    # Pending like any upload: the upload handler checks the bytes that land and pins their version.
    item = pending_file(
        principal,
        stored,
        file_id,
        role=FileRole.MAIN,
        filename=f"{document_id}.pdf",
        declared_type="application/pdf",
        now=now,
    )
    put_pending_file(
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
        item.object_key,
        pdf,
        content_type="application/pdf",
        sha256_b64=base64.b64encode(digest).decode(),
    )
    return models.Rendered(
        file=file_view(item),
        pages=rendered.pages,
        signature_field=models.SignatureField(
            name=rendered.signature_field, page=rendered.signature_page, box=list(rendered.signature_box)
        ),
    )
