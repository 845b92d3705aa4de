"""Meeting items. A committee is one item (pk=agency#COMMITTEES, sk=COMMITTEE#id) with a counter per
Buddhist year for its meetings' numbers (sk=MEETNO#committee#year). A meeting is one partition
(pk=agency#MEETING#id): the meeting (sk=MEETING), each invitee (sk=INVITEE#id), each agenda item
(sk=ITEM#id), each action item (sk=ACTION#id); so the meeting-day view is one query. The agency's list
of meetings is an index partition (pk=agency#MEETINGS, sk=<start>#id)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.kernel import ddb, keys


class CommitteeItem(ddb.Record):
    name = UnicodeAttribute()
    order_reference = UnicodeAttribute(default="")
    members = JSONAttribute()  # [{id, user_id, agency_id, name, position, role}]
    quorum = UnicodeAttribute()
    delegates_count = BooleanAttribute(default=False)
    meetings = ListAttribute[str](default=list)  # its meetings' ids, in order: the last is "the previous"
    updated_at = UTCDateTimeAttribute()


class CounterItem(ddb.Record):
    value = NumberAttribute(default=0)


class MeetingItem(ddb.Record):
    committee_id = UnicodeAttribute(null=True)
    title = UnicodeAttribute()
    number = UnicodeAttribute(default="")
    starts_at = UTCDateTimeAttribute()
    ends_at = UTCDateTimeAttribute()
    mode = UnicodeAttribute()
    place = UnicodeAttribute(default="")
    online_link = UnicodeAttribute(default="")
    recorded = BooleanAttribute(default=True)
    recording = UnicodeAttribute(default="")
    room_id = UnicodeAttribute(null=True)
    booking_id = UnicodeAttribute(null=True)
    vehicle_bookings = ListAttribute[str](default=list)
    state = UnicodeAttribute()  # scheduled | held | minuted | certified | cancelled
    organiser = UnicodeAttribute()
    managers = ListAttribute[str](default=list)
    recorder = UnicodeAttribute()
    quorum = UnicodeAttribute(default="half")
    delegates_count = BooleanAttribute(default=False)
    invitation = UnicodeAttribute()
    minutes = UnicodeAttribute(null=True)
    previous = UnicodeAttribute(null=True)
    certified_at = UnicodeAttribute(null=True)  # the later meeting that certified these minutes
    corrections = ListAttribute[str](default=list)
    started_at = UTCDateTimeAttribute(null=True)
    ended_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute(default=1)


class InviteeItem(ddb.Record):
    order = NumberAttribute(default=0)  # as listed: the committee's order (chair first), then the others
    user_id = UnicodeAttribute(null=True)
    agency_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute()
    position = UnicodeAttribute(default="")
    role = UnicodeAttribute()
    answer = UnicodeAttribute(default="pending")
    reason = UnicodeAttribute(default="")
    delegate = UnicodeAttribute(default="")
    presence = UnicodeAttribute(default="unknown")
    identified_by = UnicodeAttribute(default="")
    sessions = JSONAttribute(default=list)  # online: [[joined iso, left iso | None], ...]
    version = NumberAttribute(default=0)  # two secretaries marking one attendee: one wins, one is told


class AgendaItem(ddb.Record):
    order = NumberAttribute()
    section = UnicodeAttribute()
    title = UnicodeAttribute()
    presenter = UnicodeAttribute(default="")
    duration_minutes = NumberAttribute(default=0)
    papers = ListAttribute[str](default=list)
    discussion = UnicodeAttribute(default="")
    resolution = UnicodeAttribute(default="")
    votes = JSONAttribute(null=True)


class ActionItem(ddb.Record):
    item_id = UnicodeAttribute()
    owner = UnicodeAttribute()
    owner_name = UnicodeAttribute(default="")
    text = UnicodeAttribute()
    due_on = UnicodeAttribute()
    state = UnicodeAttribute(default="open")
    inbox = UnicodeAttribute()  # the owner's inbox item, on the invitation document


class ListedMeeting(ddb.Record):
    """pk=agency#MEETINGS, sk=<start iso>#<id>: the agency's meetings in date order."""

    title = UnicodeAttribute()
    number = UnicodeAttribute(default="")
    state = UnicodeAttribute()
    readers = ListAttribute[str](default=list)  # the users who see it listed (besides admin, director)


def committees_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#COMMITTEES"


def meeting_pk(agency_id: str, meeting_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#MEETING#{meeting_id}"


def listed_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#MEETINGS"


def committee(agency_id: str, committee_id: str) -> CommitteeItem | None:
    return ddb.get_or_none(CommitteeItem, committees_pk(agency_id), f"COMMITTEE#{committee_id}")


def new_committee(agency_id: str, committee_id: str, **fields: Any) -> CommitteeItem:
    return CommitteeItem(committees_pk(agency_id), f"COMMITTEE#{committee_id}", **fields)


def committees(agency_id: str) -> list[CommitteeItem]:
    return list(CommitteeItem.query(committees_pk(agency_id), CommitteeItem.sk.startswith("COMMITTEE#")))


def counter(agency_id: str, committee_id: str, year: int) -> CounterItem | None:
    return ddb.get_or_none(CounterItem, committees_pk(agency_id), f"MEETNO#{committee_id}#{year}")


def new_counter(agency_id: str, committee_id: str, year: int, value: int) -> CounterItem:
    return CounterItem(committees_pk(agency_id), f"MEETNO#{committee_id}#{year}", value=value)


def new_meeting(agency_id: str, meeting_id: str, **fields: Any) -> MeetingItem:
    return MeetingItem(meeting_pk(agency_id, meeting_id), "MEETING", **fields)


def new_invitee(agency_id: str, meeting_id: str, invitee_id: str, /, **fields: Any) -> InviteeItem:
    return InviteeItem(meeting_pk(agency_id, meeting_id), f"INVITEE#{invitee_id}", **fields)


def new_agenda_item(agency_id: str, meeting_id: str, item_id: str, **fields: Any) -> AgendaItem:
    return AgendaItem(meeting_pk(agency_id, meeting_id), f"ITEM#{item_id}", **fields)


def new_action(agency_id: str, meeting_id: str, action_id: str, **fields: Any) -> ActionItem:
    return ActionItem(meeting_pk(agency_id, meeting_id), f"ACTION#{action_id}", **fields)


def listed(agency_id: str, item: MeetingItem, meeting_id: str, readers: list[str]) -> ListedMeeting:
    return ListedMeeting(
        listed_pk(agency_id),
        listed_sk(item, meeting_id),
        title=item.title,
        number=item.number,
        state=item.state,
        readers=readers,
    )


def listed_sk(item: MeetingItem, meeting_id: str) -> str:
    # In UTC, as the item reads back from the table: a meeting scheduled with +07:00 is found again.
    return f"{item.starts_at.astimezone(UTC).isoformat()}#{meeting_id}"


def listed_item(agency_id: str, item: MeetingItem) -> ListedMeeting:
    return ListedMeeting(listed_pk(agency_id), listed_sk(item, meeting_id_of(item)))


def meeting_id_of(item: MeetingItem) -> str:
    return item.pk.rsplit("#", 1)[1]


def listing(agency_id: str, *, limit: int = 200) -> list[ListedMeeting]:
    return list(ListedMeeting.query(listed_pk(agency_id), scan_index_forward=False, limit=limit))


def id_of(item: ddb.Record) -> str:
    return item.sk.split("#", 1)[1]


class Loaded:
    """A meeting's whole partition, read in one query."""

    def __init__(self, meeting: MeetingItem, rest: list[dict[str, Any]]) -> None:
        self.meeting = meeting

        def of(prefix: str) -> list[dict[str, Any]]:
            return [r for r in rest if ddb.sort_key(r).startswith(prefix)]

        self.invitees = sorted(
            (InviteeItem.from_raw_data(r) for r in of("INVITEE#")), key=lambda i: int(i.order)
        )
        self.agenda = sorted((AgendaItem.from_raw_data(r) for r in of("ITEM#")), key=lambda i: int(i.order))
        self.actions = [ActionItem.from_raw_data(r) for r in of("ACTION#")]


def load(agency_id: str, meeting_id: str) -> Loaded | None:
    raw = list(ddb.partition(meeting_pk(agency_id, meeting_id), consistent=True))
    head = next((r for r in raw if ddb.sort_key(r) == "MEETING"), None)
    if head is None:
        return None
    return Loaded(MeetingItem.from_raw_data(head), [r for r in raw if ddb.sort_key(r) != "MEETING"])


def meeting_item(agency_id: str, meeting_id: str) -> MeetingItem | None:
    return ddb.get_or_none(MeetingItem, meeting_pk(agency_id, meeting_id), "MEETING")


def invitee(agency_id: str, meeting_id: str, invitee_id: str) -> InviteeItem | None:
    return ddb.get_or_none(InviteeItem, meeting_pk(agency_id, meeting_id), f"INVITEE#{invitee_id}")
