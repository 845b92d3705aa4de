"""Routing: a letter's way from desk to desk, and what waits on each desk (the inbox).

Outgoing letters follow their route (domain.py): the people on it act in turn; approving the last
review step hands the letter to the platform, which takes its number, renders it and opens the first
signer's turn (`settle`, driven by the records stream). Incoming letters are endorsed (เกษียน) and
assigned; the register's การปฏิบัติ column follows. See docs/rules.md, "Routing, endorsement and
assignment".
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.directory import service as directory
from chalicelib.documents import service as documents
from chalicelib.documents.service import StoredDocument
from chalicelib.kernel import ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Conflict, DomainError, Forbidden, NotFound, UnknownReference
from chalicelib.kernel.principal import Principal, Role, system_principal
from chalicelib.notifications import service as notifications
from chalicelib.registers import models as register_models
from chalicelib.registers import service as registers
from chalicelib.registers.domain import Direction
from chalicelib.routing import domain, models, store
from chalicelib.routing.domain import Action, Assignee, RouteState, Step, StepKind
from chalicelib.saraban import DocumentKind, Secrecy
from chalicelib.signatures import service as signatures

SYSTEM_ACTOR = "system:routing"
# How long an item may wait by urgency when the letter sets no ด่วนภายใน (hours; an agency setting,
# routing.due_hours, since no rule fixes them: docs/rules.md).
DEFAULT_DUE_HOURS = {"most_urgent": 4, "very_urgent": 24, "urgent": 72}


# -- reading a route -------------------------------------------------------------------------------
def _route(item: store.RouteItem) -> domain.Route:
    steps = tuple(
        Step(
            StepKind(s["kind"]),
            Assignee(user_id=s.get("user_id"), position=s.get("position"), delegate=s.get("delegate")),
        )
        for s in item.steps
    )
    return domain.Route(steps, int(item.current), RouteState(item.state), item.book, int(item.attempt))


def _steps_json(route: domain.Route) -> list[dict[str, Any]]:
    return [
        {
            "kind": s.kind.value,
            "user_id": s.assignee.user_id,
            "position": s.assignee.position,
            **({"delegate": s.assignee.delegate} if s.assignee.delegate else {}),
        }
        for s in route.steps
    ]


def _apply(item: store.RouteItem, route: domain.Route) -> None:
    item.steps = _steps_json(route)
    item.current = route.current
    item.state = route.state.value
    item.book = route.book
    item.attempt = route.attempt


def _signing(stored: StoredDocument) -> bool:
    """A signer's job waits in the queue (its worker signs whatever the route then says)."""
    return any(job.status == "queued" for job in signatures.jobs_of(stored))


def _route_item(stored: StoredDocument) -> store.RouteItem | None:
    return store.document_items(stored.others)[0]


def view(
    principal: Principal, stored: StoredDocument, item: store.RouteItem | None = None
) -> models.RouteView:
    item = item or _route_item(stored)
    if item is None:
        raise NotFound("หนังสือนี้ยังไม่มีเส้นทาง", "the document has no route yet")
    route = _route(item)
    now = datetime.now(UTC)
    steps = [
        models.StepView(
            index=i,
            kind=s.kind.value,
            kind_th=domain.STEP_LABELS_TH[s.kind],
            user_id=s.assignee.user_id,
            position=s.assignee.position,
            delegate=s.assignee.delegate,
            state="done" if i < route.current else "current" if i == route.current else "waiting",
        )
        for i, s in enumerate(route.steps)
    ]
    number = item.number
    return models.RouteView(
        document_id=stored.document_id,
        state=route.state.value,
        current=route.current,
        book=route.book,
        steps=steps,
        number=models.NumberView.model_validate(number) if number else None,
        revision=documents.current_revision(stored),
        seen_revision=(item.seen or {}).get(principal.user_id),
        stuck=item.stuck,
        may_withdraw=domain.may_withdraw(
            principal,
            route,
            started_by=item.created_by,
            signed=bool(stored.item.signatures),
            signing=_signing(stored),
        ),
        your_turn=route.state.open
        and route.state is not RouteState.NUMBERING
        and domain.may_act(principal, route.step.assignee, now=now),
    )


def get_route(principal: Principal, document_id: str) -> models.RouteView:
    return view(principal, documents.readable(principal, document_id))


# -- who may read a document because of its route or its handling -----------------------------------
def may_read_on_route(principal: Principal, stored: StoredDocument) -> bool:
    """Everyone on the route (up to the current step) and everyone an incoming letter was endorsed or
    assigned to may open it, within their clearance (documents checks the clearance first)."""
    route_item, inbox, _, _ = store.document_items(stored.others)
    now = datetime.now(UTC)
    if route_item is not None:
        route = _route(route_item)
        reached = route.steps[: route.current + 1]  # the steps the letter has come to, never ones ahead
        if any(domain.may_act(principal, step.assignee, now=now) for step in reached):
            return True
    holders = set(domain.holders_for(principal, now=now))
    return any(item.holder in holders for item in inbox)


def guard_signing(principal: Principal, stored: StoredDocument, now: datetime) -> None:
    """A letter on a route is signed at its sign step only, by whoever may act there."""
    item = _route_item(stored)
    if item is None or not RouteState(item.state).open:
        return
    route = _route(item)
    if route.state is not RouteState.SIGNING:
        raise Conflict(
            "หนังสืออยู่ระหว่างเส้นทาง ลงนามได้เมื่อถึงขั้นลงนาม",
            f"the letter is on its route ({route.state.value}): it is signed at its sign step",
        )
    domain.require_turn(principal, route, now=now)


# -- starting and acting on a route ----------------------------------------------------------------
def start(
    principal: Principal, document_id: str, command: models.StartRoute, *, now: datetime
) -> models.RouteView:
    stored = documents.readable(principal, document_id, consistent=True)
    documents.require_editor(principal, stored)
    existing = _route_item(stored)
    if existing is not None and RouteState(existing.state).open:
        raise Conflict("หนังสือนี้อยู่ระหว่างเส้นทางแล้ว", "the document is already on its way")
    if Secrecy(int(stored.item.secrecy)) is Secrecy.TOP_SECRET:
        raise Conflict("หนังสือชั้นลับที่สุดไม่เดินทางในระบบ", "a ลับที่สุด document does not travel in the system")
    domain.require_addressee(stored.item.kind, stored.item.content)
    plan = _plan_of(principal, stored, command)
    book = plan.book or domain.default_book(DocumentKind(stored.item.kind), None)
    if registers.direction_of(principal.agency_id, book) is not Direction.OUTGOING:
        raise UnknownReference("ไม่พบทะเบียนส่งที่ระบุ", f"{book!r} is not an outgoing book of the agency")
    route = domain.plan(stored.item.created_by, _steps(principal.agency_id, plan), book)
    signer_ids = [_signer_of(principal.agency_id, a) for a in route.signers]
    delegates = [
        _planned_delegate(principal.agency_id, a, holder, now=now)
        for a, holder in zip(route.signers, signer_ids, strict=True)
    ]
    item = existing or store.new_route(
        principal.agency_id, document_id, created_by=principal.user_id, created_at=now
    )
    _apply(item, route)
    item.number, item.render_file_id, item.stuck = None, None, None
    item.seen = {principal.user_id: documents.current_revision(stored)}
    changes = store.Changes()
    changes.route(item, fresh=existing is None, now=now)
    documents.add_document_update(
        changes.tx,
        stored.item,
        {"content": {**stored.item.content, "signers": signer_ids, "signing_delegates": delegates}},
        now=now,
    )
    _open_step(changes, principal.agency_id, stored, route, route.current, now=now)
    changes.audit(
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "route.started",
            f"document/{document_id}",
            now,
            after={"steps": _steps_json(route), "book": book, "signers": signer_ids, "delegates": delegates},
        )
    )
    changes.commit()
    return get_route(principal, document_id)


def _plan_of(principal: Principal, stored: StoredDocument, command: models.StartRoute) -> models.RoutePlan:
    if command.plan is not None:
        return command.plan
    template = store.template(principal.agency_id, stored.item.kind)
    if template is None:
        raise Conflict(
            "ยังไม่มีแม่แบบเส้นทางสำหรับหนังสือชนิดนี้ กรุณาระบุขั้นตอน",
            f"no route template for {stored.item.kind}: give the plan",
        )
    return models.RoutePlan.model_validate_json(json.dumps(template.steps))


def _steps(agency_id: str, plan: models.RoutePlan) -> list[Step]:
    """The plan as steps, each assignee known to the agency (a person, or a position someone holds)."""
    steps = [Step(StepKind(r.kind), _known(agency_id, r.assignee)) for r in plan.reviews]
    return steps + [
        Step(StepKind.SIGN, replace(_known(agency_id, a), delegate=a.delegate)) for a in plan.signers
    ]


def _known(agency_id: str, spec: models.AssigneeSpec) -> Assignee:
    if spec.user_id is not None:
        if directory.signer(agency_id, spec.user_id) is None:
            raise UnknownReference("ไม่พบผู้ใช้ในหน่วยงาน", f"no user {spec.user_id} in the agency")
        return Assignee(user_id=spec.user_id)
    if not directory.acting_for_position(agency_id, spec.position or ""):
        raise UnknownReference("ไม่พบผู้ดำรงตำแหน่งนี้", f"nobody holds or acts for {spec.position!r}")
    return Assignee(position=spec.position)


def _signer_of(agency_id: str, assignee: Assignee) -> str:
    """A sign step's signer: the named user, or the position's holder (a delegate then signs for them)."""
    if assignee.user_id is not None:
        if directory.signer(agency_id, assignee.user_id) is None:
            raise UnknownReference("ไม่พบผู้ลงนามในทะเบียนผู้ใช้", f"no user {assignee.user_id} in the agency")
        return assignee.user_id
    holder = directory.holder_of(agency_id, assignee.position or "")
    if holder is None:
        raise UnknownReference("ไม่พบผู้ดำรงตำแหน่งผู้ลงนาม", f"nobody holds the position {assignee.position!r}")
    return holder


def _planned_delegate(agency_id: str, assignee: Assignee, holder: str, *, now: datetime) -> str | None:
    """A named delegate must hold an active delegation from the signer for the signer's position now:
    the draft then shows their block (docs/rules.md, "Signing authority and delegation")."""
    if assignee.delegate is None:
        return None
    seat = directory.signer(agency_id, holder)
    if seat is None or directory.delegation_from(agency_id, assignee.delegate, seat, now=now) is None:
        raise Conflict(
            "ผู้ลงนามแทนที่ระบุไม่มีคำสั่งมอบหมายให้ลงนามแทนผู้ลงนามนี้ที่ยังมีผลอยู่",
            f"{assignee.delegate} holds no active delegation from the signer {holder} for their position",
        )
    return assignee.delegate


def act(
    principal: Principal, document_id: str, command: models.RouteAction, *, now: datetime
) -> models.RouteView:
    stored = documents.readable(principal, document_id, consistent=True)
    item = _route_item(stored)
    if item is None:
        raise NotFound("หนังสือนี้ยังไม่มีเส้นทาง", "the document has no route yet")
    route = _route(item)
    action = Action(command.action)
    if action is not Action.COMMENT:
        domain.require_turn(principal, route, now=now)
    if action is Action.RETURN and stored.item.signatures:
        raise Conflict(
            "หนังสือลงนามแล้ว ส่งคืนแก้ไขไม่ได้", "the letter is already signed: it cannot go back for changes"
        )
    outcome = domain.act(route, action, to_step=command.to_step, numbered=item.number is not None)
    event = AuditEvent(
        principal.agency_id,
        principal.user_id,
        f"route.{action.value}",
        f"document/{document_id}",
        now,
        before={"state": route.state.value, "step": route.current},
        after={"state": outcome.route.state.value, "step": outcome.route.current, "comment": command.comment},
    )
    if outcome.request_signature:
        signatures.request_signature(principal, document_id, now=now)  # queues the job (or finds it queued)
    changes = store.Changes()
    _apply(item, outcome.route)
    item.seen = {**(item.seen or {}), principal.user_id: documents.current_revision(stored)}
    if outcome.cancel_number and item.number:
        item.number = {**item.number, "cancel": command.comment or f"route {action.value}"}
    changes.route(item, fresh=False, now=now)
    _close_and_open(changes, principal.agency_id, stored, outcome, now=now)
    changes.audit(event)
    changes.commit()
    return get_route(principal, document_id)


def withdraw(
    principal: Principal, document_id: str, command: models.Withdraw, *, now: datetime
) -> models.RouteView:
    stored = documents.readable(principal, document_id, consistent=True)
    item = _route_item(stored)
    if item is None:
        raise NotFound("หนังสือนี้ยังไม่มีเส้นทาง", "the document has no route yet")
    if not domain.is_withdrawer(principal, started_by=item.created_by):
        raise Forbidden(
            "เฉพาะผู้เริ่มเส้นทางหรือเจ้าหน้าที่สารบรรณถอนเรื่องได้", "only who started the route may withdraw it"
        )
    if stored.item.signatures:
        raise Conflict("หนังสือลงนามแล้ว ถอนเรื่องไม่ได้", "the letter is already signed: it cannot be withdrawn")
    if _signing(stored):
        raise Conflict(
            "กำลังลงนามหนังสือนี้อยู่ ถอนเรื่องไม่ได้ในขณะนี้",
            "a signature is being made: the letter cannot be withdrawn now",
        )
    outcome = domain.withdraw(_route(item), numbered=item.number is not None)
    _apply(item, outcome.route)
    if outcome.cancel_number and item.number:
        item.number = {**item.number, "cancel": f"ถอนเรื่อง: {command.reason}"}
    changes = store.Changes()
    changes.route(item, fresh=False, now=now)
    _close_and_open(changes, principal.agency_id, stored, outcome, now=now)
    changes.audit(
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "route.withdrawn",
            f"document/{document_id}",
            now,
            after={"reason": command.reason},
        )
    )
    changes.commit()
    return get_route(principal, document_id)


# -- inbox items and notifications ---------------------------------------------------------------
def _due_at(agency_id: str, content: dict[str, Any], now: datetime) -> datetime | None:
    if content.get("urgent_deadline"):
        return datetime.fromisoformat(content["urgent_deadline"])
    profile = directory.agency_profile(agency_id)
    hours = {
        **DEFAULT_DUE_HOURS,
        **((profile.settings.get("routing") or {}).get("due_hours", {}) if profile else {}),
    }
    wait = hours.get(content.get("urgency", "normal"))
    return now + timedelta(hours=float(wait)) if wait else None


def _open_item(
    changes: store.Changes,
    agency_id: str,
    stored: StoredDocument,
    *,
    kind: str,
    holder: str,
    ref: str,
    detail: str,
    now: datetime,
) -> None:
    content = stored.item.content
    item_id = keys.new_id()
    due = _due_at(agency_id, content, now)
    urgency = content.get("urgency", "normal")
    item = store.new_inbox(
        agency_id,
        stored.document_id,
        item_id,
        holder=holder,
        rank=int(domain.UrgencyRank.of(urgency)),
        kind=kind,
        title=content.get("subject", ""),
        urgency=urgency,
        due_at=due,
        detail=detail,
        ref=ref,
        created_at=now,
    )
    changes.open(item, store.due_marker(agency_id, stored.document_id, item_id, due) if due else None)
    changes.notify(
        [
            notifications.new(
                agency_id,
                user,
                at=now,
                document_id=stored.document_id,
                text=f"{_KIND_TH[kind]}: {item.title}",
            )
            for user in _users_of(agency_id, holder)
        ]
    )


_KIND_TH = {
    "step": "รอดำเนินการตามเส้นทาง",
    "endorse": "รอเกษียน",
    "assignment": "ได้รับมอบหมาย",
    "task": "งานที่ต้องดำเนินการ",
}


def add_task(
    tx: ddb.Transaction,
    agency_id: str,
    document_id: str,
    *,
    user_id: str,
    title: str,
    due_at: datetime,
    detail: str,
    now: datetime,
) -> str:
    """Something another operation asks a person to do about a document (a meeting's action item), in
    that operation's transaction: an inbox item of kind "task" with its deadline (flagged overdue like
    any other) and a notification. Returns the inbox item's id, for `close_task`."""
    changes = store.Changes(tx)
    item_id = keys.new_id()
    item = store.new_inbox(
        agency_id,
        document_id,
        item_id,
        holder=f"user:{user_id}",
        rank=int(domain.UrgencyRank.of("normal")),
        kind="task",
        title=title[:500],
        urgency="normal",
        due_at=due_at,
        detail=detail[:500],
        ref="",
        created_at=now,
    )
    changes.open(item, store.due_marker(agency_id, document_id, item_id, due_at))
    changes.notify(
        [
            notifications.new(
                agency_id, user_id, at=now, document_id=document_id, text=f"{_KIND_TH['task']}: {title}"
            )
        ]
    )
    return item_id


def close_task(tx: ddb.Transaction, agency_id: str, document_id: str, inbox_id: str) -> None:
    """The task is done: it leaves its holder's inbox (refused under "inbox-..." if already closed)."""
    item = store.inbox_item(agency_id, document_id, inbox_id)
    if item is not None and item.state == "open":
        store.Changes(tx).close(item)


def _users_of(agency_id: str, holder: str) -> list[str]:
    """The people a holder stands for now: a user; a position's holder and deputies; a unit's staff."""
    kind, _, value = holder.partition(":")
    if kind == "user":
        return [value]
    if kind == "pos":
        return directory.acting_for_position(agency_id, value)
    return directory.members_of_unit(agency_id, value)


def principals_shown(agency_id: str, holder: str, *, now: datetime) -> list[Principal]:
    """Whose inbox shows a holder's items now (push tells them of a change): the people the holder
    stands for, and for a user the people acting for them; each kept only if `inbox` reads this holder
    for them (domain.holders_for), so nobody hears of an item their inbox does not show."""
    candidates = _users_of(agency_id, holder)
    kind, _, user_id = holder.partition(":")
    if kind == "user":
        seat = directory.signer(agency_id, user_id)
        if seat is not None and seat.position:  # a delegate acts for the user's position
            candidates += directory.acting_for_position(agency_id, seat.position, now=now)
    found = []
    for candidate in dict.fromkeys(candidates):
        principal = directory.principal_for(agency_id, candidate)
        if principal is not None and holder in domain.holders_for(principal, now=now):
            found.append(principal)
    return found


def open_count(principal: Principal, *, now: datetime) -> int:
    """How many open items the caller's inbox holds (every holder it reads)."""
    return sum(store.open_count(principal.agency_id, h) for h in domain.holders_for(principal, now=now))


def _open_step(
    changes: store.Changes,
    agency_id: str,
    stored: StoredDocument,
    route: domain.Route,
    index: int,
    *,
    now: datetime,
) -> None:
    step = route.steps[index]
    holder = step.assignee.holder_keys()[0]
    _open_item(
        changes,
        agency_id,
        stored,
        kind="step",
        holder=holder,
        ref=str(index),
        detail=f"ขั้น{domain.STEP_LABELS_TH[step.kind]}",
        now=now,
    )


def _close_and_open(
    changes: store.Changes, agency_id: str, stored: StoredDocument, outcome: domain.Outcome, *, now: datetime
) -> None:
    _, inbox, _, _ = store.document_items(stored.others)
    if outcome.closed_step is not None:
        for item in inbox:
            if item.kind == "step" and item.state == "open" and item.ref == str(outcome.closed_step):
                changes.close(item)
    if outcome.opened_step is not None:
        _open_step(changes, agency_id, stored, outcome.route, outcome.opened_step, now=now)


def inbox(principal: Principal, query: models.InboxQuery, *, now: datetime) -> models.InboxPage:
    """What waits for the caller: their own items, their positions' (held or acted for) and their units'.
    Ordered by urgency, then due time, then age; read from the inbox index, never a scan."""
    # Each item stands in one holder's partition: read a page from each, merge, keep the first `limit`.
    holders = domain.holders_for(principal, now=now)
    overdue_at = now if query.state == "overdue" else None
    merged: list[store.InboxItem] = []
    counts: dict[str, int] = dict.fromkeys(_KIND_TH, 0)
    for holder in holders:
        merged += store.inbox_page(
            principal.agency_id,
            holder,
            after=query.cursor,
            kind=query.kind,
            overdue_at=overdue_at,
            limit=query.limit + 1,
        )
        for kind, number in store.inbox_counts(principal.agency_id, holder, tuple(_KIND_TH)).items():
            counts[kind] += number

    def overdue(item: store.InboxItem) -> bool:
        return bool(item.overdue) or (item.due_at is not None and item.due_at < now)

    ordered = sorted(merged, key=lambda i: str(i.gsi3sk))
    page = ordered[: query.limit]
    return models.InboxPage(
        items=[
            models.InboxItem(
                id=i.sk.removeprefix(keys.INBOX_PREFIX),
                document_id=keys.document_of_pk(i.pk)[1],
                kind=i.kind,
                kind_th=_KIND_TH.get(i.kind, i.kind),
                title=i.title,
                urgency=i.urgency,
                due_at=i.due_at,
                overdue=overdue(i),
                created_at=i.created_at,
                holder=i.holder,
                detail=i.detail,
            )
            for i in page
        ],
        counts=counts,
        cursor=str(page[-1].gsi3sk) if len(ordered) > len(page) and page else None,
    )


# -- route templates -------------------------------------------------------------------------------
def set_template(
    principal: Principal, kind: str, plan: models.RoutePlan, *, now: datetime
) -> models.RouteTemplate:
    principal.require(Role.ADMIN)
    domain.plan("template", _steps(principal.agency_id, plan), plan.book or "outgoing")
    saved = plan.model_dump(mode="json")
    store.save_template(
        principal.agency_id,
        kind,
        saved,
        plan.book,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "route.template_set",
            f"route-template/{kind}",
            now,
            after=saved,
        ),
    )
    return models.RouteTemplate(kind=kind, plan=plan)


def get_template(principal: Principal, kind: str) -> models.RouteTemplate:
    template = store.template(principal.agency_id, kind)
    if template is None:
        raise NotFound("ยังไม่มีแม่แบบเส้นทาง", f"no route template for {kind}")
    return models.RouteTemplate(
        kind=kind, plan=models.RoutePlan.model_validate_json(json.dumps(template.steps))
    )


# -- the platform's own steps, driven by the records stream ----------------------------------------
def settle(agency_id: str, document_id: str, *, now: datetime) -> str:
    """Take whatever step is due for a document's route, given what is stored now. Safe to run any
    number of times (replayed stream records, the operator's redrive): each step checks first."""
    stored = documents.load(agency_id, document_id)
    item = _route_item(stored) if stored else None
    if stored is None or item is None:
        return "no-route"
    try:
        outcome = _settle(stored, item, now=now)
    except ddb.Cancelled:
        raise  # another delivery moved the route meanwhile: the stream retries with what it left
    except Exception as error:
        reason = error.message_en if isinstance(error, DomainError) else f"{type(error).__name__}: {error}"
        store.mark_stuck(item, reason, now=now)
        raise
    if item.stuck:
        store.clear_stuck(agency_id, document_id)
    return outcome


def _settle(stored: StoredDocument, item: store.RouteItem, *, now: datetime) -> str:  # noqa: PLR0911 (a step each)
    agency_id, document_id = stored.agency_id, stored.document_id
    system = system_principal(agency_id, SYSTEM_ACTOR)
    if item.number and item.number.get("cancel"):
        _cancel_number(system, item, now=now)
        return "changed"
    route = _route(item)
    if route.state is RouteState.NUMBERING:
        if not item.number:
            entry, _ = registers.register(
                system,
                route.book,
                register_models.RegistrationCommand(document_id=document_id),
                idempotency_key=f"route-{document_id}-{route.attempt}",
                clock=lambda: now,
            )
            item.number = {
                "book": entry.book,
                "year": entry.year,
                "number": entry.number,
                "ref_line": entry.ref_line,
            }
            _save(item, now=now)
            return "changed"
        if not item.render_file_id:
            item.render_file_id = keys.new_id()
            _save(item, now=now)  # claimed first: a second delivery renders under the same id
            return "changed"
        file = next((f for f in stored.files if f.file_id == item.render_file_id), None)
        if file is None:
            from chalicelib.documents import rendering

            rendering.render_document(system, document_id, now=now, file_id=item.render_file_id)
            return "rendering"
        if file.status == "rejected":
            raise RuntimeError(f"the rendered letter was refused by the file checks: {file.rejection}")
        if file.status != "ready":
            return "waiting-for-checks"
        route = domain.numbered_and_rendered(route)
        changes = store.Changes()
        _apply(item, route)
        changes.route(item, fresh=False, now=now)
        _open_step(changes, agency_id, stored, route, route.current, now=now)
        changes.audit(
            AuditEvent(
                agency_id,
                SYSTEM_ACTOR,
                "route.numbered",
                f"document/{document_id}",
                now,
                after={"number": item.number, "file_id": item.render_file_id},
            )
        )
        changes.commit()
        return "changed"
    if route.state is RouteState.SIGNING:
        return _follow_signatures(stored, item, route, now=now)
    return "nothing-due"


def _follow_signatures(
    stored: StoredDocument, item: store.RouteItem, route: domain.Route, *, now: datetime
) -> str:
    agency_id, document_id = stored.agency_id, stored.document_id
    done = len(stored.item.signatures)
    outcome = domain.signature_recorded(route, done)
    if outcome.route == route:
        jobs = signatures.jobs_of(stored)
        failed = next((j for j in jobs if j.slot == done and j.status == "failed"), None)
        if failed is None:
            return "nothing-due"
        outcome = domain.signing_failed(route)
        item.number = {**(item.number or {}), "cancel": f"การลงนามล้มเหลว: {failed.error or ''}"[:400]}
    changes = store.Changes()
    _apply(item, outcome.route)
    changes.route(item, fresh=False, now=now)
    _close_and_open(changes, agency_id, stored, outcome, now=now)
    if outcome.route.state is RouteState.SIGNED:
        documents.add_document_update(changes.tx, stored.item, {"state": "signed"}, now=now)
    changes.audit(
        AuditEvent(
            agency_id,
            SYSTEM_ACTOR,
            f"route.{outcome.route.state.value}",
            f"document/{document_id}",
            now,
            after={"step": outcome.route.current, "signatures": done},
        )
    )
    changes.commit()
    return "changed"


def _cancel_number(system: Principal, item: store.RouteItem, *, now: datetime) -> None:
    """A number taken for a letter that will not be signed now is cancelled, kept in the book with the
    reason, never reused (docs/rules.md, "Registers and running numbers")."""
    number = dict(item.number or {})
    reason = str(number.pop("cancel"))
    with contextlib.suppress(Conflict):  # already cancelled by an earlier delivery
        registers.cancel(
            system,
            number["book"],
            int(number["year"]),
            int(number["number"]),
            register_models.CancelCommand(reason=reason or "ยกเลิกตามเส้นทาง"),
            now=now,
        )
    item.number, item.render_file_id = None, None
    _save(item, now=now)


def _save(item: store.RouteItem, *, now: datetime) -> None:
    changes = store.Changes()
    changes.route(item, fresh=False, now=now)
    changes.commit()


def stuck(limit: int = 200) -> list[tuple[str, str, str]]:
    """(agency, document, reason) of every route the platform could not move on (the operator's list)."""
    found = []
    for shard in range(keys.SHARDS):
        for item in store.stuck_routes(shard, limit=limit):
            agency_id, document_id = keys.document_of_pk(item.pk)
            found.append((agency_id, document_id, item.stuck or ""))
    return found
