"""Meetings from invitation to certified minutes, as the use cases read (docs/rules.md, "Meetings"):

1. A committee is kept with its members and roles; its secretaries keep its meetings.
2. Scheduling a meeting numbers it (ครั้งที่ n/พ.ศ.), books its room through the booking operation, and
   drafts the invitation letter with the agenda: a document of the agency that then follows the route,
   is signed and numbered, and goes to other agencies' members through the exchange, like any letter.
   The agenda's papers are opened to the agency's invitees cleared for them.
3. Invitees answer (attend, absent with a reason, a delegate); on the day the secretary takes attendance
   (in person, or online with the identity check and the times joined and left) and the quorum shows.
4. Each item gets its resolution (votes where taken); action items land in their owners' inboxes.
5. After the meeting its minutes are drafted as a รายงานการประชุม from what was recorded, signed by the
   recorder (and the chair), numbered on the route, circulated to the members, and certified at the
   next meeting under its agenda item 2, with the corrections recorded.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from pydantic import ValidationError

from chalicelib.bookings import models as booking_models
from chalicelib.bookings import service as bookings
from chalicelib.directory import service as directory
from chalicelib.documents import models as document_models
from chalicelib.documents import service as documents
from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.errors import Conflict, DomainError, Forbidden, NotFound, UnknownReference
from chalicelib.kernel.principal import Principal, Role
from chalicelib.meetings import domain, models, store
from chalicelib.meetings.domain import ROLE_TH, Section
from chalicelib.notifications import service as notifications
from chalicelib.routing import service as routing
from chalicelib.saraban import Secrecy
from chalicelib.thai import BANGKOK, buddhist_year, thai_date, thai_time, to_bangkok

KEEPERS = (Role.ADMIN, Role.DIRECTOR, Role.HEAD, Role.SARABAN)  # who may set up a committee
STATE_TH = {
    "scheduled": "นัดประชุมแล้ว",
    "held": "ประชุมแล้ว",
    "minuted": "จัดทำรายงานการประชุมแล้ว",
    "certified": "รับรองรายงานการประชุมแล้ว",
}
ANSWER_TH = {"attend": "เข้าร่วมประชุม", "absent": "ไม่เข้าร่วมประชุม", "delegate": "มอบผู้แทน"}
PER_TRANSACTION = 90  # invitees written per batch: a transaction holds 100 items
MINUTES_BYTES = 150_000  # the minutes' structure, as UTF-8 JSON (see draft_minutes)


# -- committees ----------------------------------------------------------------------------------------
def _people(principal: Principal, commands: Iterable[models.MemberCommand]) -> list[dict[str, Any]]:
    """Members or invitees as stored: a user of the agency with their name and position from the
    directory; a person of another agency on the platform; a person from outside, by name."""
    people: list[dict[str, Any]] = []
    seen: set[str] = set()
    for command in commands:
        person: dict[str, Any] = {
            "id": keys.new_id(),
            "user_id": None,
            "agency_id": None,
            "name": command.name,
            "position": command.position,
            "role": command.role,
        }
        if command.user_id is not None:
            signer = directory.signer(principal.agency_id, command.user_id)
            if signer is None or not signer.active:
                raise UnknownReference("ไม่พบผู้ใช้ในหน่วยงาน", f"no active user {command.user_id} in the agency")
            person |= {"user_id": command.user_id, "name": signer.name, "position": signer.position}
            who = f"user:{command.user_id}"
        elif command.agency_id is not None and command.agency_id != principal.agency_id:
            if directory.listed_agency(command.agency_id) is None:
                raise UnknownReference("ไม่พบหน่วยงานในระบบ", f"no agency {command.agency_id} on the platform")
            person["agency_id"] = command.agency_id
            who = f"{command.agency_id}:{command.name}"
        else:
            who = f"name:{command.name}"
        if not person["name"].strip():
            raise Conflict("กรุณาระบุชื่อผู้เข้าร่วมประชุม", "a person who is not a user of the agency needs a name")
        if who in seen:
            raise Conflict(f"ระบุ {person['name']} ซ้ำ", f"{person['name']} is listed twice")
        seen.add(who)
        people.append(person)
    return people


def create_committee(
    principal: Principal, command: models.CommitteeCommand, *, now: datetime
) -> models.CommitteeView:
    principal.require(*KEEPERS)
    members = _people(principal, command.members)
    if sum(1 for m in members if m["role"] == "chair") != 1:
        raise Conflict("คณะกรรมการต้องมีประธานหนึ่งคน", "a committee has exactly one chair")
    if not _keepers(members):
        raise Conflict(
            "คณะกรรมการต้องมีเลขานุการหรือผู้ช่วยเลขานุการที่เป็นผู้ใช้ของหน่วยงาน",
            "a committee needs a secretary (or assistant secretary) who is a user of the agency",
        )
    if any(m["role"] == "guest" for m in members):
        raise Conflict("ผู้เข้าร่วมประชุมไม่ใช่กรรมการ", "a guest is invited to a meeting, not a member")
    committee_id = keys.new_id()
    item = store.new_committee(
        principal.agency_id,
        committee_id,
        name=command.name,
        order_reference=command.order_reference,
        members=members,
        quorum=command.quorum,
        delegates_count=command.delegates_count,
        updated_at=now,
    )
    tx = ddb.Transaction()
    tx.put("committee", item, condition=store.CommitteeItem.pk.does_not_exist())
    audit.record(
        tx, principal, "meetings.committee_created", f"committee/{committee_id}", now, name=command.name
    )
    tx.commit()
    return _committee_view(item)


def _keepers(members: list[dict[str, Any]]) -> list[str]:
    return [m["user_id"] for m in members if m["role"] in domain.MANAGING_ROLES and m["user_id"]]


def _member_view(person: dict[str, Any]) -> models.Member:
    return models.Member(
        id=person["id"],
        user_id=person.get("user_id"),
        agency_id=person.get("agency_id"),
        name=person["name"],
        position=person.get("position", ""),
        role=person["role"],
        role_th=ROLE_TH[person["role"]],
    )


def _committee_view(item: store.CommitteeItem) -> models.CommitteeView:
    return models.CommitteeView(
        id=store.id_of(item),
        name=item.name,
        order_reference=item.order_reference,
        members=[_member_view(m) for m in item.members],
        quorum=item.quorum,
        delegates_count=bool(item.delegates_count),
        meetings_held=len(item.meetings or []),
    )


def committees(principal: Principal) -> models.CommitteeList:
    return models.CommitteeList(items=[_committee_view(c) for c in store.committees(principal.agency_id)])


def _committee(principal: Principal, committee_id: str) -> store.CommitteeItem:
    found = store.committee(principal.agency_id, committee_id)
    if found is None:
        raise NotFound("ไม่พบคณะกรรมการ", f"no committee {committee_id}")
    return found


def committee(principal: Principal, committee_id: str) -> models.CommitteeView:
    return _committee_view(_committee(principal, committee_id))


# -- scheduling ----------------------------------------------------------------------------------------
def schedule(principal: Principal, command: models.ScheduleMeeting, *, now: datetime) -> models.MeetingView:
    """Number the meeting, book its room, draft its invitation, open its papers to the invitees."""
    board = _committee(principal, command.committee_id) if command.committee_id else None
    if board is not None:
        if principal.user_id not in _keepers(board.members) and not principal.has(Role.ADMIN):
            raise Forbidden(
                "เลขานุการของคณะกรรมการเป็นผู้นัดประชุม", "the committee's secretaries schedule its meetings"
            )
        title = board.name
        # Those invited besides the committee attend (ผู้เข้าร่วมประชุม): they are not its members and
        # do not count toward its quorum, whatever role they were given.
        guests = [p | {"role": "guest"} for p in _people(principal, command.invitees)]
        invitees = [dict(m) for m in board.members] + guests
        managers = sorted({*_keepers(board.members), principal.user_id})
    else:
        if not command.title.strip():
            raise Conflict("กรุณาระบุชื่อการประชุม", "an ad hoc meeting needs its title")
        title = command.title
        invitees = _people(principal, command.invitees)
        managers = [principal.user_id]
    if not invitees:
        raise Conflict("กรุณาระบุผู้เข้าร่วมประชุม", "a meeting needs invitees")
    _check_unique(invitees)
    recorder = command.recorder or next(iter(_keepers(board.members)), None) if board else command.recorder
    recorder = recorder or principal.user_id
    if directory.signer(principal.agency_id, recorder) is None:
        raise UnknownReference("ไม่พบผู้จดรายงานการประชุม", f"no user {recorder} in the agency")
    if command.mode != "in_person" and not command.online_link.strip():
        raise Conflict("การประชุมผ่านสื่ออิเล็กทรอนิกส์ต้องระบุช่องทางเข้าร่วม", "an online meeting needs its link")
    previous = _last_meeting(principal.agency_id, board)
    agenda = _agenda(principal, command.agenda, previous)
    grants = _paper_grants(principal, agenda, invitees)  # every read before anything is booked
    # The room and any vehicles are booked first, each in the booking operation's own transaction
    # (its rules and conflicts apply); if anything after fails they are given back, not left held.
    held: list[tuple[str, booking_models.BookingView]] = []
    try:
        for resource_id in [*([command.room_id] if command.room_id else []), *command.vehicles]:
            held.append(
                (
                    resource_id,
                    bookings.book(
                        principal,
                        resource_id,
                        booking_models.BookCommand(
                            start=command.starts_at,
                            end=command.ends_at,
                            title=f"ประชุม{title}"[:500],
                            attendees=min(len(invitees), 10_000) if resource_id == command.room_id else 0,
                        ),
                        now=now,
                    ),
                )
            )
        booking = held[0][1] if command.room_id else None
        place = command.place or (booking.resource_name if booking else "")
        vehicles = [b.id for _, b in held[1 if command.room_id else 0 :]]
        meeting_id = _write_meeting(
            principal,
            command,
            board,
            title,
            invitees,
            managers,
            recorder,
            previous,
            agenda,
            grants,
            booking,
            vehicles,
            place,
            now,
        )
    except BaseException:
        for resource_id, made in held:
            with contextlib.suppress(DomainError):  # given back already, or never held: nothing to undo
                bookings.cancel(
                    principal,
                    resource_id,
                    made.id,
                    booking_models.CancelCommand(reason="การนัดประชุมไม่สำเร็จ"),
                    now=now,
                )
        raise
    return meeting(principal, meeting_id)


def _check_unique(invitees: list[dict[str, Any]]) -> None:
    users = [i["user_id"] for i in invitees if i["user_id"]]
    if len(users) != len(set(users)):
        raise Conflict("ผู้เข้าร่วมประชุมซ้ำกับกรรมการ", "an invitee is already a member of the committee")


def _last_meeting(agency_id: str, board: store.CommitteeItem | None) -> store.Loaded | None:
    if board is None or not board.meetings:
        return None
    return store.load(agency_id, board.meetings[-1])


def _agenda(
    principal: Principal, commands: list[models.AgendaItemCommand], previous: store.Loaded | None
) -> list[tuple[models.AgendaItemCommand, list[document_models.DocumentView | Any]]]:
    """The items in the agenda's order, each with its papers (documents the organiser may read). A
    committee's meeting after one whose minutes were drafted certifies them under item 2."""
    items = list(commands)
    minutes = previous.meeting.minutes if previous else None
    if minutes and not any(i.section is Section.CONFIRM_MINUTES for i in items):
        assert previous is not None
        items.append(
            models.AgendaItemCommand(
                section=Section.CONFIRM_MINUTES,
                title=f"รับรองรายงานการประชุมครั้งที่ {previous.meeting.number}",
                papers=[minutes],
            )
        )
    items.sort(key=lambda i: i.section.order)
    return [(item, [documents.readable(principal, paper) for paper in item.papers]) for item in items]


def _write_meeting(
    principal: Principal,
    command: models.ScheduleMeeting,
    board: store.CommitteeItem | None,
    title: str,
    invitees: list[dict[str, Any]],
    managers: list[str],
    recorder: str,
    previous: store.Loaded | None,
    agenda: list[tuple[models.AgendaItemCommand, list[Any]]],
    grants: list[tuple[Any, list[str]]],
    booking: booking_models.BookingView | None,
    vehicles: list[str],
    place: str,
    now: datetime,
) -> str:
    agency_id = principal.agency_id
    meeting_id = keys.new_id()
    year = buddhist_year(command.starts_at)
    counted = store.counter(agency_id, store.id_of(board), year) if board else None
    sequence = (int(counted.value) if counted else 0) + 1
    number = domain.meeting_number(sequence, year) if board else ""
    # The invitees and the agenda's items first, in batches: without the meeting item (written last,
    # all or nothing with the number, the invitation, the papers' grants and the audit events) they
    # belong to no meeting and are never read.
    parts: list[ddb.Record] = []
    for order, person in enumerate(invitees):
        fields = {k: v for k, v in person.items() if k != "id"}
        parts.append(store.new_invitee(agency_id, meeting_id, person["id"], order=order, **fields))
    for order, (agenda_item, _) in enumerate(agenda):
        parts.append(
            store.new_agenda_item(
                agency_id,
                meeting_id,
                keys.new_id(),
                order=order,
                section=agenda_item.section.value,
                title=agenda_item.title,
                presenter=agenda_item.presenter,
                duration_minutes=agenda_item.duration_minutes,
                papers=list(agenda_item.papers),
            )
        )
    for start in range(0, len(parts), PER_TRANSACTION):
        tx = ddb.Transaction()
        for n, part in enumerate(parts[start : start + PER_TRANSACTION]):
            tx.put(f"part-{n}", part)
        tx.commit()
    tx = ddb.Transaction()
    invitation = documents.new_document_item(
        principal, _invitation_draft(principal, command, title, number, place, invitees, agenda), now=now
    )
    # Every invitee of the agency reads it, however many (a draft's own list stops at 100).
    invitation.grants = sorted({i["user_id"] for i in invitees if i["user_id"]})
    documents.add_new_document(tx, invitation)
    invitation_id = documents.document_id_of(invitation)
    audit.add_to(tx, documents.created_event(principal, invitation, now))
    item = store.new_meeting(
        agency_id,
        meeting_id,
        committee_id=store.id_of(board) if board else None,
        title=title,
        number=number,
        starts_at=command.starts_at,
        ends_at=command.ends_at,
        mode=command.mode,
        place=place,
        online_link=command.online_link,
        recorded=command.recorded,
        room_id=command.room_id,
        booking_id=booking.id if booking else None,
        vehicle_bookings=vehicles,
        state="scheduled",
        organiser=principal.user_id,
        managers=managers,
        recorder=recorder,
        quorum=board.quorum if board else "half",
        delegates_count=bool(board.delegates_count) if board else False,
        invitation=invitation_id,
        previous=store.meeting_id_of(previous.meeting) if previous else None,
    )
    tx.put("meeting", item, condition=store.MeetingItem.pk.does_not_exist())
    tx.put("listed", store.listed(agency_id, item, meeting_id, _readers(item, invitees)))
    for stored, added in grants:
        documents.add_document_update(
            tx, stored.item, {"grants": sorted({*stored.item.grants, *added})}, now=now
        )
        audit.record(
            tx,
            principal,
            "document.granted",
            f"document/{stored.document_id}",
            now,
            grants=added,
            meeting=meeting_id,
        )
    if board is not None:
        tx.put(
            "counter",
            store.new_counter(agency_id, store.id_of(board), year, sequence),
            condition=(store.CounterItem.value == sequence - 1)
            if counted
            else store.CounterItem.pk.does_not_exist(),
        )
        tx.update(
            "committee",
            board,
            [
                store.CommitteeItem.meetings.set([*(board.meetings or []), meeting_id]),
                store.CommitteeItem.updated_at.set(now),
            ],
            condition=store.CommitteeItem.updated_at == board.updated_at,
        )
    audit.record(
        tx,
        principal,
        "meetings.scheduled",
        f"meeting/{meeting_id}",
        now,
        title=title,
        number=number,
        invitees=len(invitees),
        invitation=invitation_id,
        booking=booking.id if booking else None,
        vehicles=vehicles,
    )
    try:
        tx.commit()
    except ddb.Cancelled as cancelled:
        if cancelled.failed("counter") or cancelled.failed("committee") or cancelled.failed("document"):
            raise Conflict(
                "มีการแก้ไขคณะกรรมการหรือเอกสารประกอบการประชุมพร้อมกัน โปรดลองอีกครั้ง",
                "the committee or a paper changed meanwhile: try again",
            ) from cancelled
        raise
    return meeting_id


def _readers(item: store.MeetingItem, invitees: list[dict[str, Any]]) -> list[str]:
    return sorted({*item.managers, item.recorder, *(i["user_id"] for i in invitees if i["user_id"])})


def _when(command: models.ScheduleMeeting, place: str) -> str:
    start, end = to_bangkok(command.starts_at), to_bangkok(command.ends_at)
    where = {
        "in_person": f"ณ {place}" if place else "",
        "online": "ผ่านสื่ออิเล็กทรอนิกส์",
        "hybrid": f"ณ {place} และผ่านสื่ออิเล็กทรอนิกส์" if place else "ผ่านสื่ออิเล็กทรอนิกส์",
    }[command.mode]
    hours = f"{thai_time(start).removesuffix(' น.')} – {thai_time(end)}"
    return f"ในวันที่ {thai_date(start)} เวลา {hours} {where}".strip()


def _invitation_draft(
    principal: Principal,
    command: models.ScheduleMeeting,
    title: str,
    number: str,
    place: str,
    invitees: list[dict[str, Any]],
    agenda: list[tuple[models.AgendaItemCommand, list[Any]]],
) -> document_models.DocumentDraft:
    """หนังสือเชิญประชุม: a memo within the agency, an external letter when other agencies are invited;
    the agenda in its order in the body, the papers counted among the enclosures."""
    profile = directory.require_profile(principal.agency_id)
    outside = any(i["agency_id"] for i in invitees)
    numbered = f"{title} ครั้งที่ {number}" if number else title
    lines = [f"ระเบียบวาระที่ {n} {text}" for n, text in _agenda_lines([a for a, _ in agenda])]
    body = "\n\n".join(
        [
            f"ด้วย{profile.name}กำหนดประชุม{numbered} {_when(command, place)}",
            "โดยมีระเบียบวาระการประชุม ดังนี้\n" + "\n".join(lines) if lines else "",
            f"ช่องทางเข้าร่วมประชุม: {command.online_link}" if command.mode != "in_person" else "",
            "จึงเรียนมาเพื่อโปรดเข้าร่วมประชุมตามวัน เวลา และสถานที่ดังกล่าว",
        ]
    )
    papers = sum(len(p) for _, p in agenda)
    addressed = f"กรรมการ{title.removeprefix('คณะกรรมการ')}ทุกท่าน" if command.committee_id else "ผู้เข้าร่วมประชุม"
    return document_models.DocumentDraft.model_validate_json(
        json.dumps(
            {
                "kind": "external" if outside else "internal",
                "subject": f"ขอเชิญประชุม{numbered}"[:500],
                "recipient": {"position": addressed[:200]},
                "body": "\n\n".join(p for p in body.split("\n\n") if p),
                "enclosures": [f"เอกสารประกอบการประชุม จำนวน {papers} เรื่อง"] if papers else [],
            }
        )
    )


def _agenda_lines(items: list[Any]) -> list[tuple[str, str]]:
    """(number, text) of each section and item, in order: a section with no item is "ไม่มี"."""
    lines: list[tuple[str, str]] = []
    for index, section in enumerate(domain.sections_of(i.section for i in items), start=1):
        mine = [i for i in items if Section(i.section) is section]
        lines.append((str(index), section.th if mine else f"{section.th} (ไม่มี)"))
        lines += [(f"{index}.{m}", i.title) for m, i in enumerate(mine, start=1)] if mine else []
    return lines


GRANTED_PAPERS_AT_MOST = 40  # classified papers opened by one scheduling: its transaction's share


def _paper_grants(
    principal: Principal,
    agenda: list[tuple[models.AgendaItemCommand, list[Any]]],
    invitees: list[dict[str, Any]],
) -> list[tuple[Any, list[str]]]:
    """Which classified papers open to which invitees: those of the agency cleared for the paper's level
    (docs/rules.md "Meetings"). A normal paper needs no grant (the agency reads it); a classified one
    is opened only by its author, since a grant passes on what the author was trusted with."""
    users = sorted({i["user_id"] for i in invitees if i["user_id"]})
    clearance: dict[str, Secrecy] = {}
    for user in users:
        person = directory.principal_for(principal.agency_id, user)
        if person is not None:
            clearance[user] = person.clearance
    grants: list[tuple[Any, list[str]]] = []
    seen: set[str] = set()
    for _, papers in agenda:
        for stored in papers:
            level = Secrecy(int(stored.item.secrecy))
            if stored.document_id in seen or level is Secrecy.NORMAL:
                continue
            seen.add(stored.document_id)
            if stored.item.created_by != principal.user_id:
                raise Conflict(
                    "เอกสารชั้นความลับนำเข้าวาระได้โดยเจ้าของเรื่องเท่านั้น",
                    f"a classified paper ({stored.document_id}) is put on an agenda by its author only",
                )
            added = [
                u for u in users if u in clearance and clearance[u] >= level and u not in stored.item.grants
            ]
            if added:
                grants.append((stored, added))
    if len(grants) > GRANTED_PAPERS_AT_MOST:
        raise Conflict(
            f"เอกสารชั้นความลับเกิน {GRANTED_PAPERS_AT_MOST} เรื่องต่อการประชุม",
            f"at most {GRANTED_PAPERS_AT_MOST} classified papers are opened by one meeting",
        )
    return grants


# -- reading -------------------------------------------------------------------------------------------
def _loaded(principal: Principal, meeting_id: str) -> store.Loaded:
    found = store.load(principal.agency_id, meeting_id)
    if found is None or not _may_see(principal, found):
        # The same answer for "no such meeting" and "not one of yours".
        raise NotFound("ไม่พบการประชุม", f"no meeting {meeting_id}")
    return found


def _may_see(principal: Principal, loaded: store.Loaded) -> bool:
    return (
        principal.has(Role.ADMIN)
        or principal.has(Role.DIRECTOR)
        or principal.user_id in loaded.meeting.managers
        or principal.user_id == loaded.meeting.recorder
        or any(i.user_id == principal.user_id for i in loaded.invitees)
        or any(a.owner == principal.user_id for a in loaded.actions)  # to report their action item
    )


def _kept(principal: Principal, meeting_id: str) -> store.MeetingItem:
    """The meeting's own item, for a change only its secretaries make (one read, not the partition);
    anyone else gets what `_loaded` and `_manager` say (404 to outsiders, 403 to invitees)."""
    head = store.meeting_item(principal.agency_id, meeting_id)
    if head is None or (principal.user_id not in head.managers and principal.user_id != head.recorder):
        _manager(principal, _loaded(principal, meeting_id))
    assert head is not None
    return head


def _manager(principal: Principal, loaded: store.Loaded) -> None:
    if principal.user_id not in loaded.meeting.managers and principal.user_id != loaded.meeting.recorder:
        raise Forbidden("เฉพาะเลขานุการของการประชุม", "only the meeting's secretaries and recorder do this")


def _paper(principal: Principal, document_id: str) -> models.Paper:
    item = documents.document_item(principal.agency_id, document_id)
    if item is None:
        return models.Paper(document_id=document_id, subject="", readable=False)
    readable = documents.may_read(principal, item)
    return models.Paper(
        document_id=document_id,
        subject=str(item.content.get("subject", "")) if readable else "",
        readable=readable,
    )


def _item_views(principal: Principal, agenda: list[store.AgendaItem]) -> list[models.AgendaItemView]:
    numbers: dict[str, str] = {}
    for index, section in enumerate(domain.sections_of(i.section for i in agenda), start=1):
        mine = [i for i in agenda if i.section == section.value]
        for m, item in enumerate(mine, start=1):
            numbers[item.sk] = str(index) if len(mine) == 1 else f"{index}.{m}"
    return [
        models.AgendaItemView(
            id=store.id_of(i),
            number=numbers[i.sk],
            section=i.section,
            section_th=Section(i.section).th,
            title=i.title,
            presenter=i.presenter,
            duration_minutes=int(i.duration_minutes),
            papers=[_paper(principal, p) for p in i.papers],
            discussion=i.discussion,
            resolution=i.resolution,
            votes=models.Votes.model_validate(i.votes) if i.votes else None,
        )
        for i in agenda
    ]


def _view(principal: Principal, loaded: store.Loaded) -> models.MeetingView:
    item = loaded.meeting
    return models.MeetingView(
        id=store.meeting_id_of(item),
        committee_id=item.committee_id,
        title=item.title,
        number=item.number,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        mode=item.mode,
        place=item.place,
        online_link=item.online_link,
        recorded=bool(item.recorded),
        recording=item.recording,
        booking_id=item.booking_id,
        room_id=item.room_id,
        vehicle_bookings=list(item.vehicle_bookings or []),
        state=item.state,
        state_th=STATE_TH.get(item.state, item.state),
        invitation_document_id=item.invitation,
        minutes_document_id=item.minutes,
        previous_meeting_id=item.previous,
        certified_at_meeting=item.certified_at,
        corrections=list(item.corrections),
        recorder=item.recorder,
        managers=sorted(item.managers or []),
        started_at=item.started_at,
        ended_at=item.ended_at,
        agenda=_item_views(principal, loaded.agenda),
        actions=[
            models.ActionView(
                id=store.id_of(a),
                item_id=a.item_id,
                owner=a.owner,
                owner_name=a.owner_name,
                text=a.text,
                due_on=datetime.fromisoformat(a.due_on).date(),
                state=a.state,
            )
            for a in sorted(loaded.actions, key=lambda a: a.sk)
        ],
        invitees=len(loaded.invitees),
        other_agencies=sorted({i.agency_id for i in loaded.invitees if i.agency_id}),
    )


def meeting(principal: Principal, meeting_id: str) -> models.MeetingView:
    return _view(principal, _loaded(principal, meeting_id))


def listing(principal: Principal) -> models.MeetingList:
    everyone = principal.has(Role.ADMIN) or principal.has(Role.DIRECTOR)
    return models.MeetingList(
        items=[
            models.MeetingSummary(
                id=i.sk.rsplit("#", 1)[1],
                title=i.title,
                number=i.number,
                starts_at=datetime.fromisoformat(i.sk.rsplit("#", 1)[0]),
                state=i.state,
            )
            for i in store.listing(principal.agency_id)
            if everyone or principal.user_id in i.readers
        ]
    )


# -- answers and attendance ----------------------------------------------------------------------------
def _invitee(loaded: store.Loaded, invitee_id: str) -> store.InviteeItem:
    found = next((i for i in loaded.invitees if store.id_of(i) == invitee_id), None)
    if found is None:
        raise NotFound("ไม่พบผู้ได้รับเชิญ", f"no invitee {invitee_id} in this meeting")
    return found


def _open(loaded: store.Loaded) -> None:
    if loaded.meeting.state != "scheduled":
        raise Conflict("การประชุมนี้ปิดแล้ว", f"the meeting is {loaded.meeting.state}")


def _while(tx: ddb.Transaction, item: store.MeetingItem, *states: str) -> None:
    """The change holds only if the meeting is still in one of these states when it commits (a
    resolution landing after the minutes were drafted would be missing from them)."""
    tx.check("state", store.MeetingItem, item.pk, item.sk, store.MeetingItem.state.is_in(*states))


def _commit(tx: ddb.Transaction) -> None:
    """Commit a meeting's change; what changed meanwhile is a 409 to try again, never a 500."""
    try:
        tx.commit()
    except ddb.Cancelled as cancelled:
        for label, th, en in (
            ("state", "สถานะการประชุมเปลี่ยนไปแล้ว", "the meeting moved on meanwhile"),
            ("meeting", "มีผู้แก้ไขการประชุมนี้พร้อมกัน", "the meeting changed meanwhile"),
            ("invitee", "มีผู้บันทึกข้อมูลผู้เข้าร่วมประชุมรายนี้พร้อมกัน", "the invitee changed meanwhile"),
            ("document", "มีผู้แก้ไขหนังสือพร้อมกัน", "the document changed meanwhile"),
        ):
            if cancelled.failed(label):
                raise Conflict(f"{th} โปรดลองอีกครั้ง", f"{en}: try again") from cancelled
        raise


def answer(
    principal: Principal, meeting_id: str, command: models.AnswerCommand, *, now: datetime
) -> models.Invitee:
    """An invitee answers for themself; a secretary records the answer of anyone invited (a letter or a
    call from another agency's member)."""
    loaded = _loaded(principal, meeting_id)
    _open(loaded)
    if command.invitee_id is not None:
        _manager(principal, loaded)
        invitee = _invitee(loaded, command.invitee_id)
        if invitee.user_id is not None and invitee.user_id != principal.user_id:
            raise Forbidden("ผู้ได้รับเชิญในหน่วยงานตอบรับด้วยตนเอง", "an invitee of the agency answers for themself")
    else:
        invitee = next((i for i in loaded.invitees if i.user_id == principal.user_id), None)  # type: ignore[assignment]
        if invitee is None:
            raise Forbidden("ท่านไม่ได้รับเชิญประชุมนี้", "you are not invited to this meeting")
    if command.answer == "absent" and not command.reason.strip():
        raise Conflict("กรุณาระบุเหตุที่ไม่เข้าร่วมประชุม", "an absence gives its reason")
    if command.answer == "delegate" and not command.delegate.strip():
        raise Conflict("กรุณาระบุผู้แทน", "a delegate is named")
    tx = ddb.Transaction()
    tx.update(
        "invitee",
        invitee,
        [
            store.InviteeItem.answer.set(command.answer),
            store.InviteeItem.reason.set(command.reason),
            store.InviteeItem.delegate.set(command.delegate if command.answer == "delegate" else ""),
        ],
    )
    audit.record(
        tx,
        principal,
        "meetings.answered",
        f"meeting/{meeting_id}",
        now,
        invitee=store.id_of(invitee),
        answer=command.answer,
        reason=command.reason,
        delegate=command.delegate,
    )
    _while(tx, loaded.meeting, "scheduled")
    _commit(tx)
    return _invitee_view(_invitee(_loaded(principal, meeting_id), store.id_of(invitee)))


def _invitee_view(item: store.InviteeItem) -> models.Invitee:
    return models.Invitee(
        id=store.id_of(item),
        user_id=item.user_id,
        agency_id=item.agency_id,
        name=item.name,
        position=item.position,
        role=item.role,
        role_th=ROLE_TH.get(item.role, item.role),
        answer=item.answer,
        reason=item.reason,
        delegate=item.delegate,
        presence=item.presence,
        identified_by=item.identified_by,
        sessions=[[_moment(s[0]), _moment(s[1])] for s in item.sessions or []],
    )


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def take_attendance(
    principal: Principal, meeting_id: str, command: models.AttendanceCommand, *, now: datetime
) -> models.Invitee:
    """The secretary marks who is there. Online: the identity check comes first (พ.ร.ก. มาตรา 8), and
    each join and leave is kept with its time, the meeting's electronic traffic record (มาตรา 11)."""
    # The meeting day's most frequent change: two item reads, not the whole partition.
    loaded = store.Loaded(_kept(principal, meeting_id), [])
    _open(loaded)
    invitee = store.invitee(principal.agency_id, meeting_id, command.invitee_id)
    if invitee is None:
        raise NotFound("ไม่พบผู้ได้รับเชิญ", f"no invitee {command.invitee_id} in this meeting")
    sessions = [list(s) for s in invitee.sessions or []]
    if command.presence == "online":
        if loaded.meeting.mode == "in_person":
            raise Conflict("การประชุมนี้ไม่ได้จัดผ่านสื่ออิเล็กทรอนิกส์", "this meeting is held in person only")
        if not (command.identified_by.strip() or invitee.identified_by):
            raise Conflict(
                "ต้องแสดงตนก่อนร่วมประชุมผ่านสื่ออิเล็กทรอนิกส์ (พ.ร.ก.ว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์ มาตรา 8)",
                "an online attendee's identity is checked before they join (identified_by)",
            )
        at = (command.at or now).isoformat()
        if command.left:
            if not sessions or sessions[-1][1] is not None:
                raise Conflict("ผู้เข้าร่วมประชุมยังไม่ได้เข้าร่วม", "the attendee has not joined")
            sessions[-1][1] = at
        elif not sessions or sessions[-1][1] is not None:
            sessions.append([at, None])
    tx = ddb.Transaction()
    tx.update(
        "invitee",
        invitee,
        [
            store.InviteeItem.presence.set(command.presence),
            store.InviteeItem.identified_by.set(command.identified_by or invitee.identified_by),
            store.InviteeItem.sessions.set(sessions),
            store.InviteeItem.version.set(int(invitee.version) + 1),
        ],
        condition=store.InviteeItem.version == invitee.version,
    )
    audit.record(
        tx,
        principal,
        "meetings.attendance",
        f"meeting/{meeting_id}",
        now,
        invitee=command.invitee_id,
        presence=command.presence,
        left=command.left,
        identified_by=command.identified_by,
        at=command.at.isoformat() if command.at else None,
    )
    _while(tx, loaded.meeting, "scheduled")
    _commit(tx)
    invitee.refresh(consistent_read=True)
    return _invitee_view(invitee)


def attendance(principal: Principal, meeting_id: str) -> models.AttendanceView:
    """The meeting-day view: every invitee with their answer and presence, and the quorum."""
    loaded = _loaded(principal, meeting_id)
    counted = domain.presence(
        [(i.role, i.presence, i.answer == "delegate") for i in loaded.invitees],
        loaded.meeting.quorum,
        delegates_count=bool(loaded.meeting.delegates_count),
    )
    answered: dict[str, int] = {}
    for invitee in loaded.invitees:
        answered[invitee.answer] = answered.get(invitee.answer, 0) + 1
    ordered = loaded.invitees  # as listed: the committee's order, then the others invited
    return models.AttendanceView(
        members=counted.members,
        present=counted.present,
        online=counted.online,
        needed=counted.needed,
        quorate=counted.quorate,
        answered=answered,
        invitees=[_invitee_view(i) for i in ordered],
    )


# -- resolutions and action items ----------------------------------------------------------------------
def _item(loaded: store.Loaded, item_id: str) -> store.AgendaItem:
    found = next((i for i in loaded.agenda if store.id_of(i) == item_id), None)
    if found is None:
        raise NotFound("ไม่พบระเบียบวาระ", f"no agenda item {item_id} in this meeting")
    return found


def _unminuted(loaded: store.Loaded) -> None:
    if loaded.meeting.state not in ("scheduled", "held"):
        raise Conflict(
            "จัดทำรายงานการประชุมแล้ว แก้ไขได้โดยการรับรองในการประชุมครั้งถัดไป",
            "the minutes are drafted: corrections are made when the next meeting certifies them",
        )


def resolve(
    principal: Principal, meeting_id: str, item_id: str, command: models.ResolutionCommand, *, now: datetime
) -> models.MeetingView:
    """มติที่ประชุม on an item, with what was discussed and the votes where taken."""
    loaded = _loaded(principal, meeting_id)
    _manager(principal, loaded)
    _unminuted(loaded)
    item = _item(loaded, item_id)
    tx = ddb.Transaction()
    tx.update(
        "item",
        item,
        [
            store.AgendaItem.discussion.set(command.discussion),
            store.AgendaItem.resolution.set(command.resolution),
            store.AgendaItem.votes.set(command.votes.model_dump() if command.votes else None),
        ],
    )
    audit.record(
        tx,
        principal,
        "meetings.resolved",
        f"meeting/{meeting_id}",
        now,
        item=item_id,
        resolution=command.resolution[:1000],
        votes=command.votes.model_dump() if command.votes else None,
    )
    _while(tx, loaded.meeting, "scheduled", "held")
    _commit(tx)
    return meeting(principal, meeting_id)


def add_action(
    principal: Principal, meeting_id: str, command: models.ActionCommand, *, now: datetime
) -> models.MeetingView:
    """An action item of a resolution: it lands in its owner's inbox (on the meeting's invitation, which
    the owner is given to read), with its due date flagged like any deadline."""
    loaded = _loaded(principal, meeting_id)
    _manager(principal, loaded)
    item = _item(loaded, command.item_id)
    owner = directory.signer(principal.agency_id, command.owner)
    if owner is None or not owner.active:
        raise UnknownReference("ไม่พบผู้รับผิดชอบในหน่วยงาน", f"no active user {command.owner} in the agency")
    invitation = documents.document_item(principal.agency_id, loaded.meeting.invitation)
    if invitation is None:
        raise NotFound("ไม่พบหนังสือเชิญประชุม", "the meeting's invitation is gone")
    action_id = keys.new_id()
    due_at = datetime.combine(command.due_on, time(16, 30), tzinfo=BANGKOK)  # the end of the working day
    tx = ddb.Transaction()
    inbox_id = routing.add_task(
        tx,
        principal.agency_id,
        loaded.meeting.invitation,
        user_id=command.owner,
        title=f"{command.text} (มติการประชุม{loaded.meeting.title} {loaded.meeting.number})".strip(),
        due_at=due_at,
        detail=f"meeting:{meeting_id}#{store.id_of(item)}",
        now=now,
    )
    tx.put(
        "action",
        store.new_action(
            principal.agency_id,
            meeting_id,
            action_id,
            item_id=command.item_id,
            owner=command.owner,
            owner_name=owner.name,
            text=command.text,
            due_on=command.due_on.isoformat(),
            inbox=inbox_id,
        ),
    )
    if command.owner not in invitation.grants and invitation.created_by != command.owner:
        documents.add_document_update(
            tx, invitation, {"grants": sorted({*invitation.grants, command.owner})}, now=now
        )
    audit.record(
        tx,
        principal,
        "meetings.action_assigned",
        f"meeting/{meeting_id}",
        now,
        action_item=action_id,
        owner=command.owner,
        due_on=command.due_on.isoformat(),
        text=command.text,
    )
    _commit(tx)
    return meeting(principal, meeting_id)


def finish_action(
    principal: Principal, meeting_id: str, action_id: str, *, now: datetime
) -> models.MeetingView:
    loaded = _loaded(principal, meeting_id)
    action = next((a for a in loaded.actions if store.id_of(a) == action_id), None)
    if action is None:
        raise NotFound("ไม่พบงานที่ได้รับมอบหมาย", f"no action item {action_id}")
    if principal.user_id != action.owner and principal.user_id not in loaded.meeting.managers:
        raise Forbidden("เฉพาะผู้รับผิดชอบหรือเลขานุการ", "only the owner or a secretary closes an action item")
    tx = ddb.Transaction()
    tx.update(
        "action", action, [store.ActionItem.state.set("done")], condition=store.ActionItem.state == "open"
    )
    routing.close_task(tx, principal.agency_id, loaded.meeting.invitation, action.inbox)
    audit.record(tx, principal, "meetings.action_done", f"meeting/{meeting_id}", now, action_item=action_id)
    if not tx.commit_unless_refused("action"):
        raise Conflict("งานนี้เสร็จแล้ว", "the action item is already done")
    return meeting(principal, meeting_id)


# -- after the meeting ---------------------------------------------------------------------------------
def _change(
    tx: ddb.Transaction, loaded: store.Loaded, actions: list[Any], *, state: str | None = None
) -> None:
    """The meeting item changed under its version (two secretaries at once: one wins, one is told)."""
    item = loaded.meeting
    extra = [store.MeetingItem.state.set(state)] if state else []
    tx.update(
        "meeting",
        item,
        [*actions, *extra, store.MeetingItem.version.set(int(item.version) + 1)],
        condition=store.MeetingItem.version == item.version,
    )
    if state:
        tx.update(
            "listed",
            store.listed_item(keys.check_agency(item.pk.split("#")[0]), item),
            [store.ListedMeeting.state.set(state)],
        )


def close(
    principal: Principal, meeting_id: str, command: models.CloseCommand, *, now: datetime
) -> models.MeetingView:
    """The meeting is over: its times, and for an online meeting the recording's reference (มาตรา 11)."""
    loaded = _loaded(principal, meeting_id)
    _manager(principal, loaded)
    _open(loaded)
    item = loaded.meeting
    if item.mode != "in_person" and item.recorded and not command.recording.strip():
        raise Conflict(
            "การประชุมผ่านสื่ออิเล็กทรอนิกส์ต้องบันทึกเสียงหรือภาพและเสียงไว้ (มาตรา 11): ระบุที่เก็บบันทึก",
            "an online meeting keeps its recording (มาตรา 11): give where it is kept",
        )
    tx = ddb.Transaction()
    _change(
        tx,
        loaded,
        [
            store.MeetingItem.started_at.set(command.started_at),
            store.MeetingItem.ended_at.set(command.ended_at),
            store.MeetingItem.recording.set(command.recording),
        ],
        state="held",
    )
    audit.record(
        tx,
        principal,
        "meetings.held",
        f"meeting/{meeting_id}",
        now,
        started_at=command.started_at.isoformat(),
        ended_at=command.ended_at.isoformat(),
        recording=command.recording,
    )
    _commit(tx)
    return meeting(principal, meeting_id)


def _person(name: str, position: str, role: str) -> dict[str, str]:
    return {"name": name[:200], "position": position[:200], "role": role[:200]}


def _minutes_structure(loaded: store.Loaded) -> dict[str, Any]:
    """What the รายงานการประชุม records (ระเบียบงานสารบรรณ ข้อ 25), from what the meeting recorded."""
    item = loaded.meeting
    attendees, absent, guests = [], [], []
    for person in loaded.invitees:
        there = person.presence in ("in_person", "online")
        online = " (ผ่านสื่ออิเล็กทรอนิกส์)" if person.presence == "online" else ""
        role = ROLE_TH.get(person.role, person.role)
        if there and person.answer == "delegate":
            entry = _person(person.delegate, "", f"แทน{person.name}{online}")
        else:
            entry = _person(person.name, person.position, role + online)
        if not there:
            absent.append(_person(person.name, person.position, person.reason or "ไม่ได้แจ้งเหตุ"))
        elif person.role == "guest":
            guests.append(entry)
        else:
            attendees.append(entry)
    if not attendees:
        raise Conflict("ยังไม่ได้บันทึกผู้มาประชุม", "no member is recorded present: take attendance first")
    agenda = []
    for index, section in enumerate(domain.sections_of(i.section for i in loaded.agenda), start=1):
        mine = [i for i in loaded.agenda if i.section == section.value]
        parts: list[str] = []
        for m, agenda_item in enumerate(mine, start=1):
            heading = agenda_item.title if len(mine) == 1 else f"{index}.{m} {agenda_item.title}"
            parts += [heading] if len(mine) > 1 or agenda_item.title != section.th else []
            parts += [agenda_item.discussion] if agenda_item.discussion.strip() else []
            parts.append(f"มติที่ประชุม {agenda_item.resolution or 'รับทราบ'}{_votes(agenda_item.votes)}")
        agenda.append({"title": section.th, "text": "\n\n".join(parts) if parts else "ไม่มี"})
    recorder = directory.signer(keys.check_agency(item.pk.split("#")[0]), item.recorder)
    started = to_bangkok(item.started_at) if item.started_at else None
    ended = to_bangkok(item.ended_at) if item.ended_at else None
    return {
        "meeting": {
            "title": item.title,
            "number": item.number,
            "date": started.date().isoformat() if started else to_bangkok(item.starts_at).date().isoformat(),
            "place": _place_of(item),
            "attendees": attendees[:200],
            "absent": absent[:200],
            "guests": guests[:200],
            "started_at": started.time().replace(second=0, microsecond=0, tzinfo=None).isoformat()
            if started
            else None,
            "agenda": agenda,
            "ended_at": ended.time().replace(second=0, microsecond=0, tzinfo=None).isoformat()
            if ended
            else None,
            "recorder": {"name": recorder.name, "position": recorder.position} if recorder else None,
        }
    }


def _place_of(item: store.MeetingItem) -> str:
    """ณ ...: the room, and for an online meeting the electronic means (within the form's one line)."""
    if item.mode == "in_person":
        return item.place
    online = "ผ่านสื่ออิเล็กทรอนิกส์"
    return f"{item.place[: 490 - len(online)]} และ{online}" if item.place.strip() else online


def _votes(votes: dict[str, int] | None) -> str:
    if not votes:
        return ""
    return (
        f" (เห็นชอบ {votes.get('agree', 0)} เสียง ไม่เห็นชอบ {votes.get('disagree', 0)} เสียง "
        f"งดออกเสียง {votes.get('abstain', 0)} เสียง)"
    )


def draft_minutes(
    principal: Principal, meeting_id: str, command: models.MinutesCommand, *, now: datetime
) -> models.MeetingView:
    """The รายงานการประชุม as a document of the agency (record/minutes): rendered by the letters
    toolkit, then routed to be signed by the recorder (and the chair), numbered and kept like any record."""
    loaded = _loaded(principal, meeting_id)
    _manager(principal, loaded)
    item = loaded.meeting
    if item.state != "held":
        raise Conflict(
            "บันทึกเวลาเลิกประชุมก่อนจัดทำรายงานการประชุม", f"the meeting is {item.state}: close it first"
        )
    chair = next((i.user_id for i in loaded.invitees if i.role == "chair" and i.user_id), None)
    signers = [item.recorder] + ([chair] if command.chair_signs and chair and chair != item.recorder else [])
    structure = _minutes_structure(loaded)
    # The minutes are one document item, and its creation event one audit item: each under DynamoDB's
    # 400 KB, with room for the rest. Longer records go as an enclosure, not through this form.
    if len(json.dumps(structure, ensure_ascii=False).encode()) > MINUTES_BYTES:
        raise Conflict(
            "บันทึกการประชุมยาวเกินกว่าจะจัดทำเป็นรายงานการประชุมฉบับเดียว ย่อการอภิปรายหรือแนบเป็นเอกสาร",
            f"the meeting's record is over {MINUTES_BYTES} bytes: shorten the discussions or enclose them",
        )
    try:
        draft = document_models.DocumentDraft.model_validate_json(
            json.dumps(
                {
                    "kind": "record",
                    "sub_kind": "minutes",
                    "subject": f"รายงานการประชุม{item.title} ครั้งที่ {item.number}".strip()[:500]
                    if item.number
                    else f"รายงานการประชุม{item.title}"[:500],
                    "structure": structure,
                    "signers": signers,
                }
            )
        )
    except ValidationError as error:
        raise Conflict(
            "บันทึกการประชุมไม่พอดีกับแบบรายงานการประชุม (ระเบียบวาระใดยาวเกิน 50,000 ตัวอักษร)",
            f"the meeting's record does not fit the minutes form: {error.errors()[0]['msg']}",
        ) from error
    minutes = documents.new_document_item(principal, draft, now=now)
    # The members and the secretaries read them, however many (a draft's own list stops at 100).
    minutes.grants = sorted({*(i.user_id for i in loaded.invitees if i.user_id), *item.managers})
    minutes_id = documents.document_id_of(minutes)
    tx = ddb.Transaction()
    documents.add_new_document(tx, minutes)
    _change(tx, loaded, [store.MeetingItem.minutes.set(minutes_id)], state="minuted")
    audit.record(
        tx, principal, "meetings.minuted", f"meeting/{meeting_id}", now, minutes=minutes_id, signers=signers
    )
    audit.add_to(tx, documents.created_event(principal, minutes, now))
    _commit(tx)
    return meeting(principal, meeting_id)


def circulate(principal: Principal, meeting_id: str, *, now: datetime) -> models.MeetingView:
    """The signed and numbered minutes go to the members: the agency's members are notified (they were
    given the document when it was drafted); other agencies' members get it through the exchange
    (the view's other_agencies), sent by the saraban like any letter."""
    loaded = _loaded(principal, meeting_id)
    _manager(principal, loaded)
    item = loaded.meeting
    if not _signed_minutes(principal.agency_id, item.minutes):
        raise Conflict(
            "รายงานการประชุมยังไม่ได้ลงนามและลงทะเบียน", "the minutes are circulated once signed and registered"
        )
    users = sorted({i.user_id for i in loaded.invitees if i.user_id})
    text = f"รายงานการประชุม{item.title} {item.number}: โปรดตรวจสอบก่อนการรับรองในการประชุมครั้งถัดไป"
    # A change notifies at most notifications.PER_CHANGE people: a committee's members go in parts,
    # the first with the audit event.
    for start in range(0, max(len(users), 1), notifications.PER_CHANGE):
        tx = ddb.Transaction()
        part = users[start : start + notifications.PER_CHANGE]
        notifications.add_to(
            tx,
            [
                notifications.new(
                    principal.agency_id, user, at=now, document_id=item.minutes or "", text=text
                )
                for user in part
            ],
        )
        if start == 0:
            audit.record(tx, principal, "meetings.circulated", f"meeting/{meeting_id}", now, to=users)
        tx.commit()
    return meeting(principal, meeting_id)


def _signed_minutes(agency_id: str, minutes_id: str | None) -> bool:
    """The minutes are signed by all their signers and numbered (registered) on their route."""
    minutes = documents.document_item(agency_id, minutes_id) if minutes_id else None
    return (
        minutes is not None
        and bool(minutes.registrations)
        and len(minutes.signatures or []) >= len(minutes.content.get("signers", []))
    )


def certify(
    principal: Principal, meeting_id: str, command: models.CertifyCommand, *, now: datetime
) -> models.MeetingView:
    """Agenda item 2 of this meeting: the previous meeting's minutes are certified, as they are or with
    the corrections the meeting makes; the corrections are kept with those minutes and written as this
    item's resolution."""
    loaded = _loaded(principal, meeting_id)
    _manager(principal, loaded)
    _unminuted(loaded)
    if not loaded.meeting.previous:
        raise Conflict("ไม่มีรายงานการประชุมครั้งก่อนให้รับรอง", "there is no previous meeting to certify")
    previous = store.load(principal.agency_id, loaded.meeting.previous)
    if previous is None or previous.meeting.state != "minuted":
        state = previous.meeting.state if previous else "gone"
        raise Conflict(
            "รายงานการประชุมครั้งก่อนยังไม่พร้อมรับรอง หรือรับรองแล้ว",
            f"the previous meeting's minutes cannot be certified now ({state})",
        )
    if not _signed_minutes(principal.agency_id, previous.meeting.minutes):
        raise Conflict(
            "รายงานการประชุมครั้งก่อนยังไม่ได้ลงนามและลงทะเบียน",
            "the previous minutes are certified once signed and registered",
        )
    number = previous.meeting.number
    resolution = (
        f"ที่ประชุมรับรองรายงานการประชุมครั้งที่ {number} โดยไม่มีการแก้ไข"
        if not command.corrections
        else f"ที่ประชุมรับรองรายงานการประชุมครั้งที่ {number} โดยมีการแก้ไข ดังนี้\n"
        + "\n".join(f"{n}) {text}" for n, text in enumerate(command.corrections, start=1))
    )
    tx = ddb.Transaction()
    _change(
        tx,
        previous,
        [
            store.MeetingItem.certified_at.set(meeting_id),
            store.MeetingItem.corrections.set(list(command.corrections)),
        ],
        state="certified",
    )
    confirm = next((i for i in loaded.agenda if i.section == Section.CONFIRM_MINUTES.value), None)
    if confirm is not None:
        tx.update("item", confirm, [store.AgendaItem.resolution.set(resolution)])
    else:  # scheduled before the last minutes were drafted: item 2 is added now
        tx.put(
            "item",
            store.new_agenda_item(
                principal.agency_id,
                meeting_id,
                keys.new_id(),
                order=len(loaded.agenda),
                section=Section.CONFIRM_MINUTES.value,
                title=f"รับรองรายงานการประชุมครั้งที่ {number}",
                papers=[previous.meeting.minutes] if previous.meeting.minutes else [],
                resolution=resolution,
            ),
        )
    _while(tx, loaded.meeting, "scheduled", "held")
    audit.record(
        tx,
        principal,
        "meetings.minutes_certified",
        f"meeting/{loaded.meeting.previous}",
        now,
        at_meeting=meeting_id,
        corrections=list(command.corrections),
    )
    if previous.meeting.minutes:
        audit.record(
            tx,
            principal,
            "document.certified",
            f"document/{previous.meeting.minutes}",
            now,
            at_meeting=meeting_id,
            corrections=list(command.corrections),
        )
    _commit(tx)
    return meeting(principal, meeting_id)
