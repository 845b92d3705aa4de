"""What the routing operations take and answer: routes, actions, endorsements, assignments, the inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints

from chalicelib.kernel.schema import (
    FILLED_LINE_PATTERN,
    Answer,
    BookId,
    Command,
    FilledLine,
    OpaqueId,
    Paragraphs,
    Query,
    ShortLine,
    integral,
)

ReviewKind = Literal["proofread", "review"]
Position = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=FILLED_LINE_PATTERN)
]


def _one_of_user_or_position(schema: dict[str, Any]) -> None:
    schema["oneOf"] = [
        {
            "required": ["user_id"],
            "properties": {"user_id": {"type": "string"}, "position": {"type": "null"}},
        },
        {
            "required": ["position"],
            "properties": {"position": {"type": "string"}, "user_id": {"type": "null"}},
        },
    ]


class AssigneeSpec(Command):
    """A person (user id) or a position (its holder, or whoever acts for it)."""

    model_config = ConfigDict(**Command.model_config, json_schema_extra=_one_of_user_or_position)

    user_id: OpaqueId | None = None
    position: Position | None = None


class SignerSpec(AssigneeSpec):
    """A signer, and optionally who will sign for them under an active delegation."""

    delegate: OpaqueId | None = Field(
        default=None,
        description=(
            "user id of the person who will sign for this signer under their active delegation"
            " (รักษาราชการแทน / ปฏิบัติราชการแทน): the draft shows their block, and only they sign this step"
        ),
    )


class ReviewStep(Command):
    kind: ReviewKind = Field(description="proofread (ทาน) or review (ตรวจ)")
    assignee: AssigneeSpec


class RoutePlan(Command):
    """After the author's draft: the proof-read and review steps in order, then the signers in order."""

    reviews: list[ReviewStep] = Field(default_factory=list, max_length=15)
    signers: list[SignerSpec] = Field(min_length=1, max_length=10)
    book: BookId | None = Field(default=None, description="the book it is numbered in; default by kind")


class StartRoute(Command):
    """Start the document's route: its plan, or the agency's template for its kind."""

    plan: RoutePlan | None = Field(default=None, description="default: the agency's template")


class RouteAction(Command):
    action: Literal["forward", "return", "reject", "comment"]
    comment: Paragraphs = Field(default="", max_length=2000)
    to_step: Annotated[int, Field(ge=0, le=25), BeforeValidator(integral)] | None = Field(
        default=None, description="for return: the step to go back to (0: the author)"
    )


class Withdraw(Command):
    reason: FilledLine


class StepView(Answer):
    index: int
    kind: str
    kind_th: str
    user_id: str | None
    position: str | None
    delegate: str | None = Field(default=None, description="a sign step's named delegate, who signs it")
    state: Literal["done", "current", "waiting"]


class NumberView(Answer):
    book: str
    year: int
    number: int
    ref_line: str | None


class RouteView(Answer):
    document_id: str
    state: str
    current: int
    book: str
    steps: list[StepView]
    number: NumberView | None
    revision: int = Field(description="the draft's current revision")
    seen_revision: int | None = Field(
        description="the revision you last acted on (compare with revisions/diff)"
    )
    stuck: str | None = Field(description="why the platform could not take the next step, if it could not")
    your_turn: bool
    may_withdraw: bool = Field(
        description="whether you may withdraw the route now (its starter or saraban; open, unsigned)"
    )


class KindPath(Query):
    kind: Literal["external", "internal", "stamped", "directive", "public_relations", "record"]


class RouteTemplate(Answer):
    kind: str
    plan: RoutePlan


class EndorseCommand(Command):
    """A เกษียน: the note (summary, facts, recommendation), the decision, and to whom it goes next."""

    note: Paragraphs = Field(default="", max_length=2000)
    decision: Literal["acknowledge", "act", "agree", "approve"] | None = Field(
        default=None, description="ทราบ, ดำเนินการ, เห็นชอบ, อนุมัติ"
    )
    decision_text: ShortLine = Field(default="", description="a decision in the executive's own words")
    addressed_to: AssigneeSpec | None = Field(default=None, description="who it goes to next")


class Endorsement(Answer):
    id: str
    note: str
    decision: str | None
    decision_th: str | None
    addressed_to: str | None
    by: str
    by_name: str
    by_position: str
    at: datetime


class AssignCommand(Command):
    model_config = ConfigDict(
        **Command.model_config,
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["unit_id"],
                    "properties": {"unit_id": {"type": "string"}, "user_id": {"type": "null"}},
                },
                {
                    "required": ["user_id"],
                    "properties": {"user_id": {"type": "string"}, "unit_id": {"type": "null"}},
                },
            ]
        },
    )

    unit_id: ShortLine | None = None
    user_id: OpaqueId | None = None
    note: Paragraphs = Field(default="", max_length=2000)


class AssignmentPath(Query):
    document_id: OpaqueId
    assignment_id: OpaqueId


class AssignmentUpdate(Command):
    state: Literal["acknowledged", "done"]
    report: Paragraphs = Field(default="", max_length=2000, description="what was done")


class Assignment(Answer):
    id: str
    to: str = Field(description="unit:<id> or user:<id>")
    to_name: str
    note: str
    state: str
    by: str
    at: datetime
    updated_at: datetime
    report: str


class Handling(Answer):
    """An incoming letter's endorsements and assignments, in order."""

    document_id: str
    endorsements: list[Endorsement]
    assignments: list[Assignment]
    action: str = Field(description="the register's การปฏิบัติ, as it stands")
    may_handle: bool = Field(
        default=False, description="the caller may endorse and assign it (saraban, executives, its addressee)"
    )


class InboxQuery(Query):
    kind: Literal["step", "endorse", "assignment", "task"] | None = None
    state: Literal["open", "overdue"] = Field(default="open", description="overdue: only items past due")
    limit: Annotated[int, Field(ge=1, le=100)] = 30
    cursor: (
        Annotated[
            str,
            StringConstraints(max_length=200, pattern=r"^[0-9]#[0-9T:.+Z-]+#[0-9T:.+Z-]+#[A-Za-z0-9_-]+$"),
        ]
        | None
    ) = None


class InboxItem(Answer):
    id: str
    document_id: str
    kind: str
    kind_th: str
    title: str
    urgency: str
    due_at: datetime | None
    overdue: bool
    created_at: datetime
    holder: str
    detail: str


class InboxPage(Answer):
    items: list[InboxItem]
    counts: dict[str, int] = Field(description="open items per kind")
    cursor: str | None
