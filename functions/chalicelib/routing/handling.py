"""An incoming letter's handling: endorsements (เกษียน) up the line and assignments to units or people,
and the register's การปฏิบัติ column that follows them (docs/rules.md, "Routing, endorsement and
assignment"). Endorsements are never changed once written; an assignment moves assigned →
acknowledged → done."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.directory import service as directory
from chalicelib.documents import service as documents
from chalicelib.documents.service import StoredDocument
from chalicelib.kernel import keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Conflict, Forbidden, NotFound, UnknownReference
from chalicelib.kernel.principal import Principal, Role
from chalicelib.registers import service as registers
from chalicelib.registers.domain import Direction
from chalicelib.routing import domain, models, store
from chalicelib.routing.domain import AssignmentState
from chalicelib.routing.service import SYSTEM_ACTOR, _open_item

_EXECUTIVE = (Role.SARABAN, Role.HEAD, Role.DIRECTOR)


def _incoming(stored: StoredDocument) -> None:
    if not any(
        not r.get("cancelled") and registers.direction_of(stored.agency_id, r["book"]) is Direction.INCOMING
        for r in stored.item.registrations
    ):
        raise Conflict(
            "เกษียนและมอบหมายได้เฉพาะหนังสือที่ลงทะเบียนรับแล้ว",
            "only a letter registered in an incoming book is endorsed and assigned",
        )


def _own_open_items(
    principal: Principal, stored: StoredDocument, kind: str, *, now: datetime
) -> list[store.InboxItem]:
    holders = set(domain.holders_for(principal, now=now))
    _, inbox, _, _ = store.document_items(stored.others)
    return [i for i in inbox if i.kind == kind and i.state == "open" and i.holder in holders]


def _may_handle(principal: Principal, stored: StoredDocument, *, now: datetime) -> list[store.InboxItem]:
    """The saraban officer and executives handle incoming letters; so does anyone it was sent to."""
    mine = _own_open_items(principal, stored, "endorse", now=now)
    if not mine and not any(principal.has(role) for role in _EXECUTIVE):
        raise Forbidden("ท่านไม่มีสิทธิ์เกษียนหรือมอบหมายหนังสือนี้", "you may not endorse or assign this letter")
    return mine


def _holder(agency_id: str, spec: models.AssigneeSpec) -> tuple[str, str]:
    """(holder key, display name)."""
    if spec.user_id is not None:
        signer = directory.signer(agency_id, spec.user_id)
        if signer is None or not signer.active:
            raise UnknownReference("ไม่พบผู้ใช้", f"no active user {spec.user_id} in the agency")
        return (
            f"user:{spec.user_id}",
            f"{signer.name} ({signer.position})" if signer.position else signer.name,
        )
    position = spec.position or ""
    if not directory.acting_for_position(agency_id, position):
        raise UnknownReference("ไม่พบผู้ดำรงตำแหน่งนี้", f"nobody holds or acts for {position!r}")
    return f"pos:{position}", position


def endorse(
    principal: Principal, document_id: str, command: models.EndorseCommand, *, now: datetime
) -> models.Handling:
    stored = documents.readable(principal, document_id, consistent=True)
    _incoming(stored)
    mine = _may_handle(principal, stored, now=now)
    item_id = keys.new_id()
    target = _holder(principal.agency_id, command.addressed_to) if command.addressed_to else None
    decision = command.decision_text or (domain.DECISIONS_TH[command.decision] if command.decision else None)
    endorsement = store.EndorsementItem(
        keys.document_pk(principal.agency_id, document_id),
        keys.endorsement_sk(now.isoformat(), item_id),
        note=command.note,
        decision=decision,
        addressed_to=target[1] if target else None,
        by=principal.user_id,
        by_name=principal.name,
        by_position=principal.position,
        at=now,
    )
    changes = store.Changes()
    changes.put("endorsement", endorsement)
    for item in mine:
        changes.close(item)
    if target is not None:
        _open_item(
            changes,
            principal.agency_id,
            stored,
            kind="endorse",
            holder=target[0],
            ref=item_id,
            detail=command.note[:200],
            now=now,
        )
    changes.audit(
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "document.endorsed",
            f"document/{document_id}",
            now,
            after={"note": command.note, "decision": decision, "addressed_to": target[1] if target else None},
        )
    )
    changes.commit()
    return handling(principal, document_id, now=now)


def assign(
    principal: Principal, document_id: str, command: models.AssignCommand, *, now: datetime
) -> models.Handling:
    stored = documents.readable(principal, document_id, consistent=True)
    _incoming(stored)
    _may_handle(principal, stored, now=now)
    if command.unit_id is not None:
        unit = directory.require_profile(principal.agency_id).require_unit(command.unit_id)
        to, name = f"unit:{unit.id}", unit.name
    else:
        to, name = _holder(principal.agency_id, models.AssigneeSpec(user_id=command.user_id))
    item_id = keys.new_id()
    assignment = store.AssignmentItem(
        keys.document_pk(principal.agency_id, document_id),
        keys.assignment_sk(item_id),
        to=to,
        to_name=name,
        note=command.note,
        state=AssignmentState.ASSIGNED.value,
        by=principal.user_id,
        at=now,
        updated_at=now,
    )
    changes = store.Changes()
    changes.put("assignment", assignment)
    _open_item(
        changes,
        principal.agency_id,
        stored,
        kind="assignment",
        holder=to,
        ref=item_id,
        detail=command.note[:200],
        now=now,
    )
    changes.audit(
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "document.assigned",
            f"document/{document_id}",
            now,
            after={"assignment": item_id, "to": to, "note": command.note},
        )
    )
    changes.commit()
    return handling(principal, document_id, now=now)


def update_assignment(
    principal: Principal,
    document_id: str,
    assignment_id: str,
    command: models.AssignmentUpdate,
    *,
    now: datetime,
) -> models.Handling:
    stored = documents.readable(principal, document_id, consistent=True)
    _, inbox, _, assignments = store.document_items(stored.others)
    assignment = next((a for a in assignments if a.sk == keys.assignment_sk(assignment_id)), None)
    if assignment is None:
        raise NotFound("ไม่พบงานที่มอบหมาย", f"no assignment {assignment_id} on this letter")
    if assignment.to not in domain.holders_for(principal, now=now):
        raise Forbidden("งานนี้ไม่ได้มอบหมายให้ท่าน", "this assignment is not yours (nor your unit's)")
    state = domain.next_assignment_state(AssignmentState(assignment.state), AssignmentState(command.state))
    changes = store.Changes()
    changes.update(
        "assignment",
        assignment,
        [
            store.AssignmentItem.state.set(state.value),
            store.AssignmentItem.updated_at.set(now),
            store.AssignmentItem.report.set(command.report or assignment.report),
        ],
        condition=store.AssignmentItem.state == assignment.state,
    )
    if state is AssignmentState.DONE:
        for item in inbox:
            if item.kind == "assignment" and item.ref == assignment_id and item.state == "open":
                changes.close(item)
    changes.audit(
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            f"assignment.{state.value}",
            f"document/{document_id}",
            now,
            before={"state": assignment.state},
            after={"state": state.value, "report": command.report},
        )
    )
    changes.commit()
    return handling(principal, document_id, now=now)


def handling(principal: Principal, document_id: str, *, now: datetime | None = None) -> models.Handling:
    stored = documents.readable(principal, document_id, consistent=True)
    _incoming(stored)  # a draft or an outgoing letter has no handling: 409 says which letters have one
    _, _, endorsements, assignments = store.document_items(stored.others)
    moment = now or datetime.now(UTC)
    return models.Handling(
        document_id=document_id,
        may_handle=bool(_own_open_items(principal, stored, "endorse", now=moment))
        or any(principal.has(role) for role in _EXECUTIVE),
        endorsements=[_endorsement_view(e) for e in endorsements],
        assignments=[_assignment_view(a) for a in assignments],
        action=action_text(endorsements, assignments),
    )


def _endorsement_view(item: store.EndorsementItem) -> models.Endorsement:
    decision = item.decision
    code = next((k for k, v in domain.DECISIONS_TH.items() if v == decision), None)
    return models.Endorsement(
        id=item.sk.rsplit("#", 1)[-1],
        note=item.note,
        decision=code or decision,
        decision_th=decision,
        addressed_to=item.addressed_to,
        by=item.by,
        by_name=item.by_name,
        by_position=item.by_position,
        at=item.at,
    )


def _assignment_view(item: store.AssignmentItem) -> models.Assignment:
    return models.Assignment(
        id=item.sk.removeprefix(keys.ASSIGNMENT_PREFIX),
        to=item.to,
        to_name=item.to_name,
        note=item.note,
        state=item.state,
        by=item.by,
        at=item.at,
        updated_at=item.updated_at,
        report=item.report,
    )


_STATE_TH = {"assigned": "มอบหมายแล้ว", "acknowledged": "รับทราบแล้ว", "done": "ดำเนินการแล้ว"}


def action_text(endorsements: list[store.EndorsementItem], assignments: list[store.AssignmentItem]) -> str:
    """The register's การปฏิบัติ: where the letter went and what became of it, in a line."""
    parts = []
    if endorsements:
        last = endorsements[-1]
        parts.append(
            f"เกษียนถึง {last.addressed_to}" if last.addressed_to else f"{last.decision or 'เกษียนแล้ว'}"
        )
    if assignments:
        parts.append(
            "มอบ " + ", ".join(f"{a.to_name} ({_STATE_TH.get(a.state, a.state)})" for a in assignments)
        )
    return "; ".join(parts)


def note_action(agency_id: str, document_id: str, *, now: datetime) -> int:
    """Bring the register's การปฏิบัติ up to date (the records stream calls this after each change)."""
    stored = documents.load(agency_id, document_id)
    if stored is None:
        return 0
    _, _, endorsements, assignments = store.document_items(stored.others)
    text = action_text(endorsements, assignments)
    return registers.record_action(agency_id, document_id, text, actor=SYSTEM_ACTOR, now=now) if text else 0


def endorsed_copy(principal: Principal, document_id: str) -> bytes:
    """The letter with its endorsements drawn on page 1, for printing or forwarding: fields with their
    own appearance added in an incremental update, so the sender's signatures stay valid. A letter whose
    certification forbids any addition gets a separate endorsement page instead (pdf/endorsement.py)."""
    from chalicelib.pdf.endorsement import (
        EndorsementBlock,
        EndorsementNotAllowed,
        NoRoomForEndorsement,
        endorse_pdf,
        endorsement_page,
    )

    stored = documents.readable(principal, document_id)
    _, _, endorsements, _ = store.document_items(stored.others)
    if not endorsements:
        raise NotFound("หนังสือนี้ยังไม่มีการเกษียน", "the letter has no endorsements yet")
    main = documents.current_main_file(stored)
    profile = directory.agency_profile(principal.agency_id)
    numerals = bool(profile and profile.thai_numerals)
    blocks = [
        EndorsementBlock(
            note=e.note,
            decision=e.decision,
            addressed_to=f"ถึง {e.addressed_to}" if e.addressed_to else None,
            name=e.by_name,
            position=e.by_position,
            at=e.at,
        )
        for e in endorsements
    ]
    if main is None:
        return endorsement_page(blocks, thai_numerals=numerals, about=stored.item.content.get("subject"))
    original = documents.file_bytes(principal.agency_id, main, stamped=True)  # opened if sealed
    try:
        return endorse_pdf(original, blocks, thai_numerals=numerals)
    except (EndorsementNotAllowed, NoRoomForEndorsement):
        return endorsement_page(blocks, thai_numerals=numerals, about=stored.item.content.get("subject"))
