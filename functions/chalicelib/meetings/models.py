"""What the meeting routes take and answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from chalicelib.kernel.schema import (
    AgencyId,
    Answer,
    Command,
    Line,
    OpaqueId,
    Paragraphs,
    Query,
    Refused,
    ShortLine,
    WholeNumber,
)
from chalicelib.meetings.domain import Section

Role = Literal["chair", "vice_chair", "member", "secretary", "assistant_secretary", "guest"]
QuorumRule = Literal["half", "more_than_half", "two_thirds"]
AnswerKind = Literal["attend", "absent", "delegate"]
PresenceKind = Literal["in_person", "online", "absent"]


def _in_order(start: datetime, end: datetime) -> None:
    # Time order is not expressible in JSON Schema: refused here (422), allowed in schemathesis.toml.
    if end <= start:
        raise Refused("เวลาเลิกประชุมต้องอยู่หลังเวลาเริ่ม", "the meeting must end after it starts")


class MemberCommand(Command):
    """A member of a committee or an invitee of a meeting: a user of the agency (user_id), or a person
    of another agency on the platform (agency_id, name, position), or a person from outside (name)."""

    user_id: OpaqueId | None = Field(default=None, description="a user of the caller's agency")
    agency_id: AgencyId | None = Field(default=None, description="another agency on the platform")
    name: ShortLine = Field(default="", description="needed unless user_id names a user")
    position: ShortLine = ""
    role: Role = "member"


class CommitteeCommand(Command):
    name: Line = Field(min_length=1, description="คณะกรรมการ...: as on its appointing order")
    order_reference: ShortLine = Field(default="", description="the appointing order (คำสั่งที่ .../...)")
    members: list[MemberCommand] = Field(min_length=1, max_length=100)
    quorum: QuorumRule = Field(default="half", description="half: at least half of all members (มาตรา 79)")
    delegates_count: bool = Field(
        default=False, description="a member's delegate counts toward the quorum (per the appointing order)"
    )


class Member(Answer):
    id: str
    user_id: str | None
    agency_id: str | None
    name: str
    position: str
    role: str
    role_th: str


class CommitteeView(Answer):
    id: str
    name: str
    order_reference: str
    members: list[Member]
    quorum: str
    delegates_count: bool
    meetings_held: int


class CommitteeList(Answer):
    items: list[CommitteeView]


class CommitteePath(Query):
    committee_id: OpaqueId


class AgendaItemCommand(Command):
    section: Section
    title: Line = Field(min_length=1)
    presenter: ShortLine = ""
    duration_minutes: WholeNumber = Field(default=0, ge=0, le=600, description="time allowed")
    papers: list[OpaqueId] = Field(
        default_factory=list, max_length=20, description="documents of the agency: the item's papers"
    )


class ScheduleMeeting(Command):
    """A meeting of a committee (committee_id: its members are invited) or ad hoc (title and invitees)."""

    committee_id: OpaqueId | None = None
    title: Line = Field(default="", description="ad hoc meetings: the meeting's name")
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    mode: Literal["in_person", "online", "hybrid"] = "in_person"
    room_id: OpaqueId | None = Field(default=None, description="a room of the booking operation: booked now")
    vehicles: list[OpaqueId] = Field(
        default_factory=list, max_length=5, description="vehicles booked for the meeting's times (the trip)"
    )
    place: Line = Field(default="", description="where, when no room is booked")
    online_link: Line = Field(default="", description="online and hybrid meetings: where to join")
    recorded: bool = Field(
        default=True,
        description="online meetings are recorded (มาตรา 11); false only for meetings the rules exempt",
    )
    invitees: list[MemberCommand] = Field(default_factory=list, max_length=200, description="besides members")
    agenda: list[AgendaItemCommand] = Field(default_factory=list, max_length=50)
    recorder: OpaqueId | None = Field(default=None, description="ผู้จดรายงานการประชุม: the secretary if none")

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> ScheduleMeeting:
        _in_order(self.starts_at, self.ends_at)
        return self


class MeetingPath(Query):
    meeting_id: OpaqueId


class ItemPath(Query):
    meeting_id: OpaqueId
    item_id: OpaqueId


class ActionPath(Query):
    meeting_id: OpaqueId
    action_id: OpaqueId


class Paper(Answer):
    document_id: str
    subject: str
    readable: bool = Field(description="whether the caller may open it (grant and clearance)")


class Votes(Command):
    agree: WholeNumber = Field(default=0, ge=0, le=1000)
    disagree: WholeNumber = Field(default=0, ge=0, le=1000)
    abstain: WholeNumber = Field(default=0, ge=0, le=1000)


class AgendaItemView(Answer):
    id: str
    number: str
    section: str
    section_th: str
    title: str
    presenter: str
    duration_minutes: int
    papers: list[Paper]
    discussion: str
    resolution: str
    votes: Votes | None


class ActionView(Answer):
    id: str
    item_id: str
    owner: str
    owner_name: str
    text: str
    due_on: date
    state: str


class Invitee(Answer):
    id: str
    user_id: str | None
    agency_id: str | None
    name: str
    position: str
    role: str
    role_th: str
    answer: str
    reason: str
    delegate: str
    presence: str
    identified_by: str
    sessions: list[list[datetime | None]] = Field(description="online: each [joined, left]")


class MeetingView(Answer):
    id: str
    committee_id: str | None
    title: str
    number: str
    starts_at: datetime
    ends_at: datetime
    mode: str
    place: str
    online_link: str
    recorded: bool
    recording: str
    booking_id: str | None
    room_id: str | None
    vehicle_bookings: list[str]
    state: str
    state_th: str
    invitation_document_id: str
    minutes_document_id: str | None
    previous_meeting_id: str | None
    certified_at_meeting: str | None
    corrections: list[str]
    recorder: str
    managers: list[str] = Field(
        default_factory=list, description="who keeps the meeting: agenda, attendance, minutes"
    )
    started_at: datetime | None
    ended_at: datetime | None
    agenda: list[AgendaItemView]
    actions: list[ActionView]
    invitees: int
    other_agencies: list[str] = Field(description="agencies with invitees: the letters go there by exchange")


class MeetingSummary(Answer):
    id: str
    title: str
    number: str
    starts_at: datetime
    state: str


class MeetingList(Answer):
    items: list[MeetingSummary]


class AnswerCommand(Command):
    """An invitee's answer; the secretary records it for invitees outside the agency (invitee_id)."""

    invitee_id: OpaqueId | None = Field(default=None, description="the secretary answering for someone")
    answer: AnswerKind
    reason: Line = Field(default="", description="absent: why")
    delegate: ShortLine = Field(default="", description="delegate: who comes instead, and their position")


class AttendanceCommand(Command):
    invitee_id: OpaqueId
    presence: PresenceKind
    identified_by: ShortLine = Field(
        default="", description="online: how the attendee's identity was checked (มาตรา 8)"
    )
    at: AwareDatetime | None = Field(default=None, description="online: when they joined (or left)")
    left: bool = Field(default=False, description="online: record leaving, not joining")


class AttendanceView(Answer):
    members: int
    present: int
    online: int
    needed: int
    quorate: bool
    answered: dict[str, int]
    invitees: list[Invitee]


class ResolutionCommand(Command):
    discussion: Paragraphs = Field(default="", max_length=20_000, description="what was said, in brief")
    resolution: Paragraphs = Field(min_length=1, max_length=5_000, description="มติที่ประชุม")
    votes: Votes | None = None


class ActionCommand(Command):
    item_id: OpaqueId
    owner: OpaqueId = Field(description="a user of the agency")
    text: Line = Field(min_length=1)
    due_on: date


class CloseCommand(Command):
    started_at: AwareDatetime
    ended_at: AwareDatetime
    recording: Line = Field(default="", description="online: where the recording is kept (มาตรา 11)")

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> CloseCommand:
        _in_order(self.started_at, self.ended_at)
        return self


class MinutesCommand(Command):
    chair_signs: bool = Field(default=True, description="the chair signs after the recorder")


class CertifyCommand(Command):
    corrections: list[Line] = Field(default_factory=list, max_length=50, description="แก้ไข: each correction")
