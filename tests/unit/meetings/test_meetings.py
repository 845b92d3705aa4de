"""Meetings in-process: a committee's meetings numbered per Buddhist year, the room booked (and given
back when the meeting cannot be written), the invitation drafted with the agenda in its order, papers
opened only to invitees cleared for them, answers, attendance with the online identity check and the
quorum, a resolution, an action item in its owner's inbox, the minutes drafted from what was recorded
and rendered, and certified at the next meeting with a correction."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from chalicelib.bookings import models as booking_models
from chalicelib.bookings import service as bookings
from chalicelib.documents import models as document_models
from chalicelib.documents import service as documents
from chalicelib.kernel.errors import Conflict, Forbidden, NotFound
from chalicelib.kernel.principal import Principal, Role
from chalicelib.meetings import domain, models, service
from chalicelib.routing import models as routing_models
from chalicelib.routing import service as routing
from chalicelib.saraban import Secrecy

AGENCY = "meet-test"
OTHER = "meet-other"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
START = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok


def parse(model: Any, data: dict[str, Any]) -> Any:
    """A command as it comes over HTTP (commands are strict: an enum arrives as its JSON value)."""
    return model.model_validate_json(json.dumps(data))


def person(user: str, *roles: Role, clearance: Secrecy = Secrecy.NORMAL) -> Principal:
    return Principal(AGENCY, user, user, f"คุณ{user}", "", ("office",), frozenset(roles), clearance)


ADMIN = person("u-admin", Role.ADMIN)
CHAIR = person("u-chair", Role.DIRECTOR, clearance=Secrecy.SECRET)
SECRETARY = person("u-secretary", Role.HEAD, Role.STAFF, clearance=Secrecy.CONFIDENTIAL)
MEMBER = person("u-member", Role.STAFF)
ABSENTEE = person("u-absentee", Role.STAFF)
STRANGER = person("u-stranger", Role.STAFF)


@pytest.fixture(scope="module")
def committee(aws: Any) -> models.CommitteeView:
    from chalicelib.directory.store import onboard_records

    names = {
        "u-chair": ("ประภาพร วงศ์ไทย", "อธิบดี", 2),
        "u-secretary": ("วิชัย มั่นคง", "ผู้อำนวยการกลุ่มงาน", 1),
        "u-member": ("สมชาย รักงาน", "นักวิเคราะห์นโยบายและแผน", 0),
        "u-absentee": ("กาญจนา ศรีสุข", "นักจัดการงานทั่วไป", 0),
        "u-stranger": ("ณรงค์ นอกวง", "นักวิชาการ", 0),
        "u-admin": ("ธนากร ระบบดี", "นักวิชาการคอมพิวเตอร์", 0),
    }
    people = {
        user: {"username": user, "name": name, "position": position, "units": ["office"], "clearance": level}
        for user, (name, position, level) in names.items()
    }
    for user, fields in people.items():
        fields["roles"] = [r.value for r in person(user).roles] or ["staff"]
    units = {"office": {"name": "สำนักงานเลขานุการกรม", "code": "ทส 0101"}}
    onboard_records(
        AGENCY, {"name": "กรมทดสอบการประชุม", "ministry_code": "ทส"}, units, people, actor="t", at=NOW
    )
    onboard_records(OTHER, {"name": "กรมผู้ร่วมประชุม", "ministry_code": "ทส"}, {}, {}, actor="t", at=NOW)
    command = parse(
        models.CommitteeCommand,
        {
            "name": "คณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
            "order_reference": "คำสั่งกรม ที่ 5/2569",
            "members": [
                {"user_id": "u-chair", "role": "chair"},
                {"user_id": "u-member"},
                {"user_id": "u-absentee"},
                {"agency_id": OTHER, "name": "นายสมหมาย ร่วมใจ", "position": "ผู้แทนกรมผู้ร่วมประชุม"},
                {"user_id": "u-secretary", "role": "secretary"},
            ],
        },
    )
    return service.create_committee(ADMIN, command, now=NOW)


def schedule(committee: models.CommitteeView, **extra: Any) -> models.MeetingView:
    command = parse(
        models.ScheduleMeeting,
        {
            "committee_id": committee.id,
            "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=2)).isoformat(),
            "mode": "hybrid",
            "online_link": "https://meet.example.go.th/ssb",
            "agenda": [
                {"section": "for_decision", "title": "การกำหนดรูปแบบเลขที่หนังสือ", "presenter": "กลุ่มงานสารบรรณ"},
                {"section": "announcements", "title": "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"},
            ],
            **extra,
        },
    )
    return service.schedule(SECRETARY, command, now=NOW)


def test_a_committee_has_one_chair_and_a_secretary_who_keeps_its_meetings(aws: Any, committee: Any) -> None:
    assert committee.members[0].role_th == "ประธานกรรมการ"
    assert committee.members[0].name == "ประภาพร วงศ์ไทย"  # from the directory, not from the caller
    no_chair = parse(
        models.CommitteeCommand,
        {
            "name": "คณะทำงาน",
            "members": [{"user_id": "u-member"}, {"user_id": "u-secretary", "role": "secretary"}],
        },
    )
    with pytest.raises(Conflict):
        service.create_committee(ADMIN, no_chair, now=NOW)
    no_secretary = parse(
        models.CommitteeCommand,
        {"name": "คณะทำงาน", "members": [{"user_id": "u-chair", "role": "chair"}, {"name": "บุคคลภายนอก"}]},
    )
    with pytest.raises(Conflict):
        service.create_committee(ADMIN, no_secretary, now=NOW)
    with pytest.raises(Forbidden):
        service.create_committee(MEMBER, no_chair, now=NOW)


def test_quorum_is_half_of_all_members_by_default() -> None:
    assert [domain.quorum_needed(n, "half") for n in (4, 5, 9)] == [2, 3, 5]
    assert [domain.quorum_needed(n, "more_than_half") for n in (4, 5)] == [3, 3]
    assert domain.quorum_needed(9, "two_thirds") == 6
    counted = domain.presence(
        [
            ("chair", "in_person", False),
            ("member", "online", False),
            ("member", "in_person", True),
            ("guest", "in_person", False),
            ("member", "absent", False),
        ],
        "half",
        delegates_count=False,
    )
    assert (counted.members, counted.present, counted.online, counted.needed) == (4, 2, 1, 2)
    assert counted.quorate


def test_the_whole_meeting_from_invitation_to_certified_minutes(
    aws: Any, committee: Any, tmp_path: Path
) -> None:
    room = bookings.create_resource(
        ADMIN,
        parse(booking_models.ResourceCommand, {"kind": "room", "name": "ห้องประชุมชั้น 5", "capacity": 20}),
        now=NOW,
    )
    secret_paper = documents.create_document(
        SECRETARY,
        parse(
            document_models.DocumentDraft,
            {
                "kind": "internal",
                "subject": "ผลการตรวจสอบระบบ",
                "secrecy": "confidential",
                "body": "รายละเอียด",
            },
        ),
        now=NOW,
    )
    van = bookings.create_resource(
        ADMIN,
        parse(booking_models.ResourceCommand, {"kind": "vehicle", "name": "รถตู้ ฮข 1234", "capacity": 10}),
        now=NOW,
    )
    other_room = bookings.create_resource(
        ADMIN,
        parse(booking_models.ResourceCommand, {"kind": "room", "name": "ห้องประชุมเล็ก", "capacity": 8}),
        now=NOW,
    )
    first = schedule(
        committee,
        room_id=room.id,
        vehicles=[van.id],
        agenda=[
            {"section": "for_decision", "title": "การกำหนดรูปแบบเลขที่หนังสือ", "papers": [secret_paper.id]},
            {"section": "announcements", "title": "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"},
        ],
    )
    assert first.number == "1/2569" and first.place == "ห้องประชุมชั้น 5" and first.booking_id
    assert [i.section for i in first.agenda] == ["announcements", "for_decision"]  # the agenda's order
    assert first.other_agencies == [OTHER]
    # The invitation: an external letter (another agency is invited) with the agenda in order.
    invitation = documents.get_document(SECRETARY, first.invitation_document_id)
    assert invitation.kind == "external" and invitation.subject.startswith("ขอเชิญประชุมคณะกรรมการพัฒนา")
    assert (
        "ระเบียบวาระที่ 4 เรื่องเพื่อพิจารณา" in invitation.body
        and "ในวันที่ 10 ธันวาคม 2569 เวลา 09.00" in invitation.body
    )
    assert documents.get_document(MEMBER, first.invitation_document_id).id  # invitees may read it
    # The confidential paper opens to the invitees cleared for it only.
    paper = next(p for i in service.meeting(CHAIR, first.id).agenda for p in i.papers)
    assert paper.readable
    assert not next(p for i in service.meeting(MEMBER, first.id).agenda for p in i.papers).readable
    assert len(first.vehicle_bookings) == 1
    # The same room at the same time: the second meeting is refused and writes nothing.
    with pytest.raises(Conflict):
        schedule(committee, room_id=room.id)
    # A free room but the same van: refused, and the free room is given back at once.
    with pytest.raises(Conflict):
        schedule(committee, room_id=other_room.id, vehicles=[van.id])
    again = bookings.book(
        ADMIN,
        other_room.id,
        parse(
            booking_models.BookCommand,
            {"start": START.isoformat(), "end": (START + timedelta(hours=1)).isoformat(), "title": "ประชุมอื่น"},
        ),
        now=NOW,
    )
    assert again.state == "confirmed"
    with pytest.raises(NotFound):
        service.meeting(STRANGER, first.id)

    # Answers: the absentee must say why; the secretary answers for the other agency's member.
    with pytest.raises(Conflict):
        service.answer(ABSENTEE, first.id, models.AnswerCommand(answer="absent"), now=NOW)
    service.answer(
        ABSENTEE, first.id, models.AnswerCommand(answer="absent", reason="ไปราชการต่างจังหวัด"), now=NOW
    )
    service.answer(MEMBER, first.id, models.AnswerCommand(answer="attend"), now=NOW)
    with pytest.raises(NotFound):  # not invited: the meeting is not theirs to see
        service.answer(STRANGER, first.id, models.AnswerCommand(answer="attend"), now=NOW)
    invitees = {i.name: i for i in service.attendance(SECRETARY, first.id).invitees}
    outsider = invitees["นายสมหมาย ร่วมใจ"]
    with pytest.raises(Forbidden):  # only a secretary answers for someone else
        service.answer(
            MEMBER, first.id, models.AnswerCommand(invitee_id=outsider.id, answer="attend"), now=NOW
        )
    service.answer(
        SECRETARY, first.id, models.AnswerCommand(invitee_id=outsider.id, answer="attend"), now=NOW
    )

    # Attendance: online needs the identity check first; the quorum shows.
    def mark(name: str, presence: str, **extra: Any) -> models.Invitee:
        command = parse(
            models.AttendanceCommand, {"invitee_id": invitees[name].id, "presence": presence, **extra}
        )
        return service.take_attendance(SECRETARY, first.id, command, now=NOW)

    with pytest.raises(Conflict):
        mark("สมชาย รักงาน", "online")
    joined = mark("สมชาย รักงาน", "online", identified_by="ThaiD", at=START.isoformat())
    left = mark("สมชาย รักงาน", "online", left=True, at=(START + timedelta(minutes=50)).isoformat())
    assert joined.sessions == [[START, None]] and left.sessions == [[START, START + timedelta(minutes=50)]]
    mark("ประภาพร วงศ์ไทย", "in_person")
    mark("วิชัย มั่นคง", "in_person")
    mark("กาญจนา ศรีสุข", "absent")
    view = service.attendance(SECRETARY, first.id)
    assert (view.members, view.present, view.online, view.needed, view.quorate) == (5, 3, 1, 3, True)
    assert view.answered == {"absent": 1, "attend": 2, "pending": 2}

    # A resolution and an action item that lands in its owner's inbox.
    decision = next(i for i in first.agenda if i.section == "for_decision")
    service.resolve(
        SECRETARY,
        first.id,
        decision.id,
        parse(
            models.ResolutionCommand,
            {
                "discussion": "ที่ประชุมพิจารณาแล้ว",
                "resolution": "เห็นชอบรูปแบบเลขที่หนังสือ",
                "votes": {"agree": 3, "disagree": 0, "abstain": 0},
            },
        ),
        now=NOW,
    )
    with_action = service.add_action(
        SECRETARY,
        first.id,
        models.ActionCommand(
            item_id=decision.id, owner="u-member", text="ปรับปรุงทะเบียนหนังสือ", due_on=date(2026, 12, 20)
        ),
        now=NOW,
    )
    action = with_action.actions[0]
    inbox = routing.inbox(MEMBER, routing_models.InboxQuery(kind="task"), now=NOW)
    task = next(i for i in inbox.items if i.document_id == first.invitation_document_id)
    assert task.kind == "task" and "ปรับปรุงทะเบียนหนังสือ" in task.title and task.due_at is not None
    assert inbox.counts["task"] == 1
    service.finish_action(MEMBER, first.id, action.id, now=NOW)
    after = routing.inbox(MEMBER, routing_models.InboxQuery(kind="task"), now=NOW)
    assert after.counts["task"] == 0
    with pytest.raises(Conflict):
        service.finish_action(MEMBER, first.id, action.id, now=NOW)

    # Minutes only after the meeting is closed; a hybrid meeting gives its recording.
    with pytest.raises(Conflict):
        service.draft_minutes(SECRETARY, first.id, models.MinutesCommand(), now=NOW)
    close = {"started_at": START.isoformat(), "ended_at": (START + timedelta(minutes=95)).isoformat()}
    with pytest.raises(Conflict):
        service.close(SECRETARY, first.id, parse(models.CloseCommand, close), now=NOW)
    service.close(
        SECRETARY,
        first.id,
        parse(models.CloseCommand, {**close, "recording": "s3://meetings/1-2569.mp4"}),
        now=NOW,
    )
    minuted = service.draft_minutes(SECRETARY, first.id, models.MinutesCommand(), now=NOW)
    assert minuted.state == "minuted" and minuted.minutes_document_id
    minutes = documents.load(AGENCY, minuted.minutes_document_id)
    assert minutes is not None
    content = minutes.item.content
    assert content["signers"] == ["u-secretary", "u-chair"]
    meeting = content["structure"]["meeting"]
    assert meeting["number"] == "1/2569" and meeting["started_at"] == "09:00:00"
    assert [p["name"] for p in meeting["attendees"]] == ["ประภาพร วงศ์ไทย", "สมชาย รักงาน", "วิชัย มั่นคง"]
    assert {p["name"] for p in meeting["absent"]} == {"กาญจนา ศรีสุข", "นายสมหมาย ร่วมใจ"}
    assert next(p for p in meeting["absent"] if p["name"] == "กาญจนา ศรีสุข")["role"] == "ไปราชการต่างจังหวัด"
    assert any("(ผ่านสื่ออิเล็กทรอนิกส์)" in p["role"] for p in meeting["attendees"])
    assert [a["title"] for a in meeting["agenda"]][:2] == [
        "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
        "เรื่องรับรองรายงานการประชุม",
    ]
    assert "มติที่ประชุม เห็นชอบรูปแบบเลขที่หนังสือ (เห็นชอบ 3 เสียง" in meeting["agenda"][3]["text"]
    _look_at_the_minutes(minutes, tmp_path)

    # The next meeting takes the minutes under item 2; they are certified only once signed and numbered.
    second = schedule(
        committee,
        starts_at=(START + timedelta(days=7)).isoformat(),
        ends_at=(START + timedelta(days=7, hours=2)).isoformat(),
    )
    assert second.number == "2/2569" and second.previous_meeting_id == first.id
    confirm = next(i for i in second.agenda if i.section == "confirm_minutes")
    assert confirm.number == "2" and confirm.papers[0].document_id == minuted.minutes_document_id
    correction = models.CertifyCommand(corrections=["หน้า 2 บรรทัดที่ 3 แก้คำว่า ทะเบียน"])
    with pytest.raises(Conflict):  # unsigned: circulated and certified only once signed and numbered
        service.certify(SECRETARY, second.id, correction, now=NOW)
    with pytest.raises(Conflict):
        service.circulate(SECRETARY, first.id, now=NOW)
    _as_if_signed_on_its_route(minuted.minutes_document_id or "")
    service.circulate(SECRETARY, first.id, now=NOW)
    certified = service.certify(SECRETARY, second.id, correction, now=NOW)
    resolved = next(i for i in certified.agenda if i.section == "confirm_minutes")
    assert resolved.resolution.startswith("ที่ประชุมรับรองรายงานการประชุมครั้งที่ 1/2569 โดยมีการแก้ไข")
    earlier = service.meeting(SECRETARY, first.id)
    assert (earlier.state, earlier.certified_at_meeting, earlier.corrections) == (
        "certified",
        second.id,
        ["หน้า 2 บรรทัดที่ 3 แก้คำว่า ทะเบียน"],
    )
    with pytest.raises(Conflict):  # once
        service.certify(SECRETARY, second.id, models.CertifyCommand(), now=NOW)
    listed = service.listing(MEMBER)
    assert [m.number for m in listed.items] == ["2/2569", "1/2569"]
    assert service.listing(STRANGER).items == []


def _as_if_signed_on_its_route(document_id: str) -> None:
    """What the route leaves on minutes signed by both signers and numbered (the HTTP test in
    tests/integration/test_meetings_api.py signs them for real)."""
    from chalicelib.kernel import ddb

    item = documents.document_item(AGENCY, document_id)
    assert item is not None
    tx = ddb.Transaction()
    documents.add_document_update(
        tx,
        item,
        {
            "registrations": [{"book": "outgoing", "year": 2569, "number": 7}],
            "signatures": [{"by": s} for s in item.content["signers"]],
        },
        now=NOW,
    )
    tx.commit()


def _look_at_the_minutes(minutes: Any, tmp_path: Path) -> None:
    """The minutes through the letters toolkit, as PDF and as a PNG of the first page."""
    from chalicelib.directory import service as directory
    from chalicelib.documents.rendering import letter_content
    from chalicelib.pdf.letters import render_letter

    content = {**minutes.item.content, "kind": minutes.item.kind}
    rendered = render_letter(
        letter_content(directory.require_profile(AGENCY), content, None, date(2026, 12, 10))
    )
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(rendered.pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    assert list(tmp_path.glob("page*.png"))
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "รายงานการประชุม" in text and "1/2569" in text


def test_papers_guests_answers_owners_and_a_late_item_two(aws: Any, committee: Any) -> None:
    """A classified paper only its author puts on an agenda; those invited besides the committee are
    guests, not counted; the secretary answers only for people outside the agency; an action owner who
    was not invited still sees the meeting to close the action; a meeting scheduled before the last
    minutes existed gets its item 2 when it certifies them."""
    week = START + timedelta(days=14)
    theirs = documents.create_document(
        CHAIR,
        parse(
            document_models.DocumentDraft,
            {"kind": "internal", "subject": "งบประมาณ", "secrecy": "confidential", "grants": ["u-secretary"]},
        ),
        now=NOW,
    )
    assert documents.get_document(SECRETARY, theirs.id).id  # the secretary reads it, but may not pass it on
    with pytest.raises(Conflict):
        schedule(committee, agenda=[{"section": "for_decision", "title": "งบประมาณ", "papers": [theirs.id]}])
    earlier = next(m for m in service.listing(SECRETARY).items if m.number == "2/2569")
    third = schedule(
        committee,
        starts_at=week.isoformat(),
        ends_at=(week + timedelta(hours=1)).isoformat(),
        invitees=[{"user_id": "u-stranger"}],
    )
    assert not any(i.section == "confirm_minutes" for i in third.agenda)  # no minutes of 2/2569 yet
    present = service.attendance(SECRETARY, third.id)
    guest = next(i for i in present.invitees if i.user_id == "u-stranger")
    assert guest.role == "guest" and present.members == 5
    member = next(i for i in present.invitees if i.user_id == "u-member")
    with pytest.raises(Forbidden):
        service.answer(
            SECRETARY, third.id, models.AnswerCommand(invitee_id=member.id, answer="attend"), now=NOW
        )

    # An action of meeting 2/2569 for someone not invited to it.
    item = service.meeting(SECRETARY, earlier.id).agenda[0]
    owned = service.add_action(
        SECRETARY,
        earlier.id,
        models.ActionCommand(
            item_id=item.id, owner="u-stranger", text="สำรวจความต้องการ", due_on=date(2026, 12, 31)
        ),
        now=NOW,
    )
    assert service.meeting(STRANGER, earlier.id).id == earlier.id
    service.finish_action(STRANGER, earlier.id, owned.actions[0].id, now=NOW)

    # 2/2569 is held and minuted; the third meeting certifies it and item 2 appears.
    chair = next(i for i in service.attendance(SECRETARY, earlier.id).invitees if i.user_id == "u-chair")
    service.take_attendance(
        SECRETARY, earlier.id, models.AttendanceCommand(invitee_id=chair.id, presence="in_person"), now=NOW
    )
    times = {
        "started_at": (START + timedelta(days=7)).isoformat(),
        "ended_at": (START + timedelta(days=7, hours=1)).isoformat(),
    }
    service.close(
        SECRETARY, earlier.id, parse(models.CloseCommand, {**times, "recording": "ที่เก็บบันทึก 2/2569"}), now=NOW
    )
    minuted = service.draft_minutes(SECRETARY, earlier.id, models.MinutesCommand(), now=NOW)
    _as_if_signed_on_its_route(minuted.minutes_document_id or "")
    certified = service.certify(SECRETARY, third.id, models.CertifyCommand(), now=NOW)
    item_two = next(i for i in certified.agenda if i.section == "confirm_minutes")
    assert item_two.number == "2" and item_two.resolution.endswith("โดยไม่มีการแก้ไข")
    assert item_two.papers[0].document_id == minuted.minutes_document_id


def test_a_meeting_scheduled_in_bangkok_time_shows_its_state_in_the_list(aws: Any, committee: Any) -> None:
    """The list is keyed by the start in UTC, as the meeting reads back: a start sent with +07:00 (as a
    Thai browser sends it) is found again when the meeting is closed, not left showing นัดประชุมแล้ว."""
    bangkok = START.astimezone(timezone(timedelta(hours=7)))
    meeting = schedule(
        committee, starts_at=bangkok.isoformat(), ends_at=(bangkok + timedelta(hours=2)).isoformat()
    )
    close = {"started_at": START.isoformat(), "ended_at": (START + timedelta(minutes=95)).isoformat()}
    service.close(
        SECRETARY,
        meeting.id,
        parse(models.CloseCommand, {**close, "recording": "s3://meetings/bangkok.mp4"}),
        now=NOW,
    )
    listed = next(m for m in service.listing(SECRETARY).items if m.id == meeting.id)
    assert listed.state == "held"
