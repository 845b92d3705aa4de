"""The route of a letter through the agency, as plain values: its steps, whose turn it is, what each
action does, and when a number is taken (docs/rules.md, "Routing, endorsement and assignment").

An outgoing letter goes ร่าง (draft, the author) → ทาน (proof-read) → ตรวจ (review, up the line) →
ลงนาม (sign, one or more signers in order). Approving the last review step moves the route to
`numbering`: the platform takes the next number of the letter's book and renders the letter with its
ที่ and date, and only then does the first signer's turn begin, so what is signed carries its number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum, StrEnum

from chalicelib.kernel.errors import Conflict, Forbidden, InvalidInput
from chalicelib.kernel.principal import Principal, Role
from chalicelib.saraban import DocumentKind, Urgency


class StepKind(StrEnum):
    DRAFT = "draft"  # ร่าง: the author
    PROOFREAD = "proofread"  # ทาน
    REVIEW = "review"  # ตรวจ
    SIGN = "sign"  # ลงนาม


STEP_LABELS_TH = {
    StepKind.DRAFT: "ร่าง",
    StepKind.PROOFREAD: "ทาน",
    StepKind.REVIEW: "ตรวจ",
    StepKind.SIGN: "ลงนาม",
}


class RouteState(StrEnum):
    DRAFTING = "drafting"  # at the author (also after a return to the first step)
    IN_REVIEW = "in_review"  # at a proof-read or review step
    NUMBERING = "numbering"  # approved: the number is being taken and the letter rendered
    SIGNING = "signing"  # at a signer
    SIGNED = "signed"  # every signer has signed: on to sending
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    FAILED = "failed"  # signing failed for good; the number was cancelled

    @property
    def open(self) -> bool:
        return self in (RouteState.DRAFTING, RouteState.IN_REVIEW, RouteState.NUMBERING, RouteState.SIGNING)


class Action(StrEnum):
    FORWARD = "forward"  # approve and pass on (at a sign step: sign)
    RETURN = "return"  # back to an earlier step, with a comment
    REJECT = "reject"
    COMMENT = "comment"


class UrgencyRank(IntEnum):
    """Inbox order: the most urgent first (ด่วนที่สุด, ด่วนมาก, ด่วน, ปกติ)."""

    MOST_URGENT = 0
    VERY_URGENT = 1
    URGENT = 2
    NORMAL = 3

    @classmethod
    def of(cls, urgency: str) -> UrgencyRank:
        return {
            Urgency.MOST_URGENT: cls.MOST_URGENT,
            Urgency.VERY_URGENT: cls.VERY_URGENT,
            Urgency.URGENT: cls.URGENT,
        }.get(Urgency(urgency), cls.NORMAL)


@dataclass(frozen=True)
class Assignee:
    """A step is assigned to a person or to a position (resolved to its holder or acting holder)."""

    user_id: str | None = None
    position: str | None = None
    # A sign step's named delegate: the person who will sign for the assignee under their delegation.
    # The proof-read draft shows their block, so only they sign this step (docs/rules.md, "Signing
    # authority and delegation": the signed block is the block that was proof-read).
    delegate: str | None = None

    def holder_keys(self) -> tuple[str, ...]:
        """The inbox partitions this step shows in."""
        return tuple(
            k
            for k in (self.user_id and f"user:{self.user_id}", self.position and f"pos:{self.position}")
            if k
        )


@dataclass(frozen=True)
class Step:
    kind: StepKind
    assignee: Assignee


@dataclass(frozen=True)
class Route:
    steps: tuple[Step, ...]
    current: int
    state: RouteState
    book: str
    attempt: int = 1  # a number cancelled and taken again is a new attempt (its own idempotency key)

    @property
    def step(self) -> Step:
        return self.steps[self.current]

    @property
    def first_sign(self) -> int:
        return next(i for i, s in enumerate(self.steps) if s.kind is StepKind.SIGN)

    @property
    def signers(self) -> tuple[Assignee, ...]:
        return tuple(s.assignee for s in self.steps if s.kind is StepKind.SIGN)


def default_book(kind: DocumentKind, sub_kind: str | None) -> str:
    """The book a letter of this kind is numbered in (the agency may choose another per route)."""
    if kind is DocumentKind.DIRECTIVE:
        return "order"
    if kind is DocumentKind.PUBLIC_RELATIONS:
        return "announcement"
    return "outgoing"


def require_addressee(kind: str, content: dict[str, object]) -> None:
    """A letter or memo is rendered with its เรียน before it is signed: a route cannot start without it."""
    recipient = content.get("recipient") or {}
    named = isinstance(recipient, dict) and (recipient.get("position") or recipient.get("name"))
    if kind in (DocumentKind.EXTERNAL, DocumentKind.INTERNAL) and not named:
        raise Conflict(
            "ระบุผู้รับ (เรียน) ก่อนเริ่มเส้นทาง หนังสือจะจัดทำตามแบบพร้อมเลขที่ก่อนลงนาม",
            "name the recipient (เรียน) before the route starts: the letter is rendered with it to be signed",
        )


def plan(author: str, steps: list[Step], book: str) -> Route:
    """A route from its steps: the author's draft step first; proof-read and review steps, then one or
    more sign steps, last (the order of the chain of command)."""
    kinds = [s.kind for s in steps]
    if not kinds or kinds[-1] is not StepKind.SIGN:
        raise InvalidInput("เส้นทางต้องจบด้วยขั้นลงนาม", "a route ends with at least one sign step")
    first_sign = kinds.index(StepKind.SIGN)
    if StepKind.DRAFT in kinds or any(k is not StepKind.SIGN for k in kinds[first_sign:]):
        raise InvalidInput(
            "ขั้นทานและตรวจต้องมาก่อนขั้นลงนาม และขั้นร่างเป็นของผู้ร่างเท่านั้น",
            "proof-read and review steps come before the sign steps; the draft step is the author's",
        )
    for step in steps:
        if (step.assignee.user_id is None) == (step.assignee.position is None):
            raise InvalidInput("แต่ละขั้นระบุผู้ใช้หรือตำแหน่งอย่างใดอย่างหนึ่ง", "each step names a user or a position")
    draft = Step(StepKind.DRAFT, Assignee(user_id=author))
    return Route((draft, *steps), current=0, state=RouteState.DRAFTING, book=book)


@dataclass(frozen=True)
class Outcome:
    """What an action did: the route after it, and what the platform must do next."""

    route: Route
    take_number: bool = False  # entered `numbering`
    request_signature: bool = False  # a signer acted at their sign step
    cancel_number: bool = False  # a number had been taken for a letter that will not be signed now
    closed_step: int | None = None  # the step whose inbox item closes
    opened_step: int | None = None  # the step whose inbox item opens


def act(route: Route, action: Action, *, to_step: int | None = None, numbered: bool = False) -> Outcome:
    """Apply an action at the route's current step (who may act is checked by `may_act`)."""
    if action is Action.COMMENT:
        return Outcome(route)
    if not route.state.open or route.state is RouteState.NUMBERING:
        raise Conflict(
            "เส้นทางนี้ไม่อยู่ในสถานะที่ดำเนินการได้", f"the route is {route.state.value}: no action can be taken now"
        )
    here = route.current
    if action is Action.REJECT:
        return Outcome(replace(route, state=RouteState.REJECTED), cancel_number=numbered, closed_step=here)
    if action is Action.RETURN:
        if to_step is None or not 0 <= to_step < here or route.steps[to_step].kind is StepKind.SIGN:
            raise InvalidInput(
                "ส่งคืนได้เฉพาะขั้นก่อนหน้าที่ไม่ใช่ขั้นลงนาม", "return goes to an earlier step that is not a sign step"
            )
        state = RouteState.DRAFTING if to_step == 0 else RouteState.IN_REVIEW
        # A letter sent back for changes will be numbered again when approved: its number is cancelled.
        back = replace(route, current=to_step, state=state, attempt=route.attempt + (1 if numbered else 0))
        return Outcome(back, cancel_number=numbered, closed_step=here, opened_step=to_step)
    if route.step.kind is StepKind.SIGN:
        return Outcome(route, request_signature=True)
    following = here + 1
    if following == route.first_sign:
        return Outcome(
            replace(route, current=following, state=RouteState.NUMBERING), take_number=True, closed_step=here
        )
    return Outcome(
        replace(route, current=following, state=RouteState.IN_REVIEW), closed_step=here, opened_step=following
    )


def numbered_and_rendered(route: Route) -> Route:
    """The number is taken and the rendered letter has passed its checks: the first signer's turn."""
    if route.state is not RouteState.NUMBERING:
        raise Conflict("เส้นทางไม่ได้รอออกเลข", "the route is not waiting for its number")
    return replace(route, state=RouteState.SIGNING)


def signature_recorded(route: Route, signatures_done: int) -> Outcome:
    """A signature was recorded on the document: the next signer's turn, or the route is done."""
    signed_at = route.first_sign + signatures_done - 1  # the step whose signature this is
    if route.state is not RouteState.SIGNING or signed_at != route.current:
        return Outcome(route)  # a replayed event, or one about another route: nothing changes
    if route.current + 1 < len(route.steps):
        advanced = replace(route, current=route.current + 1)
        return Outcome(advanced, closed_step=route.current, opened_step=route.current + 1)
    return Outcome(replace(route, state=RouteState.SIGNED), closed_step=route.current)


def signing_failed(route: Route) -> Outcome:
    if route.state is not RouteState.SIGNING:
        return Outcome(route)
    return Outcome(replace(route, state=RouteState.FAILED), cancel_number=True, closed_step=route.current)


def is_withdrawer(principal: Principal, *, started_by: str) -> bool:
    """Who started the route, or a saraban officer."""
    return principal.user_id == started_by or principal.has(Role.SARABAN)


def may_withdraw(principal: Principal, route: Route, *, started_by: str, signed: bool, signing: bool) -> bool:
    """A withdrawer, while the route is open, nothing is signed yet (a signed letter is not withdrawn: it
    is cancelled) and no signature is being made (the signer's job would sign a withdrawn letter)."""
    return is_withdrawer(principal, started_by=started_by) and route.state.open and not (signed or signing)


def withdraw(route: Route, *, numbered: bool) -> Outcome:
    if not route.state.open:
        raise Conflict("เส้นทางนี้สิ้นสุดแล้ว", f"the route is already {route.state.value}")
    return Outcome(
        replace(route, state=RouteState.WITHDRAWN), cancel_number=numbered, closed_step=route.current
    )


def may_act(principal: Principal, assignee: Assignee, *, now: datetime) -> bool:
    """The assigned person; the holder of the assigned position; or whoever holds an active
    delegation for it (รักษาราชการแทน / ปฏิบัติราชการแทน). A step with a named delegate is theirs alone."""
    if assignee.delegate is not None:
        return principal.user_id == assignee.delegate
    if assignee.user_id is not None:
        if principal.user_id == assignee.user_id:
            return True
        return any(d.from_user == assignee.user_id and d.active_at(now) for d in principal.delegations)
    position = assignee.position
    return principal.position == position or any(
        d.position == position and d.active_at(now) for d in principal.delegations
    )


def require_turn(principal: Principal, route: Route, *, now: datetime) -> None:
    if not may_act(principal, route.step.assignee, now=now):
        raise Forbidden(
            "ยังไม่ถึงขั้นของท่านในเส้นทางนี้", "it is not your step on this route (nor one you hold a delegation for)"
        )


def holders_for(principal: Principal, *, now: datetime) -> tuple[str, ...]:
    """The inbox partitions a user reads: their own, their position's, the positions and people they
    act for, and their units'."""
    keys = [f"user:{principal.user_id}"]
    if principal.position:
        keys.append(f"pos:{principal.position}")
    for delegation in principal.delegations:
        if delegation.active_at(now):
            keys += [f"pos:{delegation.position}", f"user:{delegation.from_user}"]
    keys += [f"unit:{unit}" for unit in principal.units]
    return tuple(dict.fromkeys(keys))


DECISIONS_TH = {"acknowledge": "ทราบ", "act": "ดำเนินการ", "agree": "เห็นชอบ", "approve": "อนุมัติ"}


class AssignmentState(StrEnum):
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    DONE = "done"


def next_assignment_state(current: AssignmentState, wanted: AssignmentState) -> AssignmentState:
    order = list(AssignmentState)
    if order.index(wanted) <= order.index(current):
        raise Conflict("งานนี้อยู่ในสถานะนั้นแล้ว", f"the assignment is already {current.value}")
    return wanted
