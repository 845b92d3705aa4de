"""Routes: committees, meetings from invitation to certified minutes (docs/rules.md, "Meetings")."""

from __future__ import annotations

from chalicelib.kernel.http import AnyCall, Api
from chalicelib.meetings import models, service

api = Api(__name__, tag="meetings")


@api.operation(
    "POST",
    "/committees",
    id="createCommittee",
    summary="Set up a committee with its members and their roles",
    summary_th="ตั้งคณะกรรมการ",
    body=models.CommitteeCommand,
    answer=models.CommitteeView,
    status=201,
    problems=(403, 409),
)
def create_committee(call: AnyCall) -> models.CommitteeView:
    return service.create_committee(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/committees",
    id="listCommittees",
    summary="The agency's committees",
    summary_th="คณะกรรมการของหน่วยงาน",
    answer=models.CommitteeList,
)
def list_committees(call: AnyCall) -> models.CommitteeList:
    return service.committees(call.principal)


@api.operation(
    "GET",
    "/committees/{committee_id}",
    id="getCommittee",
    summary="A committee and its members",
    summary_th="รายละเอียดคณะกรรมการ",
    params=models.CommitteePath,
    answer=models.CommitteeView,
    problems=(404,),
)
def get_committee(call: AnyCall) -> models.CommitteeView:
    return service.committee(call.principal, call.params.committee_id)


@api.operation(
    "POST",
    "/meetings",
    id="scheduleMeeting",
    summary="Schedule a meeting: its number, its room booked, its invitation letter drafted with the agenda",
    summary_th="นัดประชุม",
    body=models.ScheduleMeeting,
    answer=models.MeetingView,
    status=201,
    problems=(403, 404, 409, 413),
)
def schedule(call: AnyCall) -> models.MeetingView:
    return service.schedule(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/meetings",
    id="listMeetings",
    summary="The meetings the caller is invited to or keeps, latest first",
    summary_th="การประชุมของฉัน",
    answer=models.MeetingList,
)
def list_meetings(call: AnyCall) -> models.MeetingList:
    return service.listing(call.principal)


@api.operation(
    "GET",
    "/meetings/{meeting_id}",
    id="getMeeting",
    summary="A meeting: agenda with papers and resolutions, action items, its letters",
    summary_th="รายละเอียดการประชุม",
    params=models.MeetingPath,
    answer=models.MeetingView,
    problems=(404,),
)
def get_meeting(call: AnyCall) -> models.MeetingView:
    return service.meeting(call.principal, call.params.meeting_id)


@api.operation(
    "POST",
    "/meetings/{meeting_id}/answers",
    id="answerInvitation",
    summary="Answer an invitation: attend, absent with a reason, or send a delegate",
    summary_th="ตอบรับการเข้าร่วมประชุม",
    params=models.MeetingPath,
    body=models.AnswerCommand,
    answer=models.Invitee,
    problems=(403, 404, 409),
)
def answer(call: AnyCall) -> models.Invitee:
    return service.answer(call.principal, call.params.meeting_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/meetings/{meeting_id}/attendance",
    id="takeAttendance",
    summary="Mark an invitee present (in person, or online: identity checked, joined and left) or absent",
    summary_th="บันทึกผู้มาประชุม",
    params=models.MeetingPath,
    body=models.AttendanceCommand,
    answer=models.Invitee,
    problems=(403, 404, 409),
)
def take_attendance(call: AnyCall) -> models.Invitee:
    return service.take_attendance(call.principal, call.params.meeting_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/meetings/{meeting_id}/attendance",
    id="meetingAttendance",
    summary="The meeting-day view: each invitee's answer and presence, and the quorum",
    summary_th="ผู้เข้าร่วมประชุมและองค์ประชุม",
    params=models.MeetingPath,
    answer=models.AttendanceView,
    problems=(404,),
)
def attendance(call: AnyCall) -> models.AttendanceView:
    return service.attendance(call.principal, call.params.meeting_id)


@api.operation(
    "PUT",
    "/meetings/{meeting_id}/agenda/{item_id}/resolution",
    id="resolveAgendaItem",
    summary="An agenda item's discussion, resolution (มติ) and votes",
    summary_th="บันทึกมติที่ประชุม",
    params=models.ItemPath,
    body=models.ResolutionCommand,
    answer=models.MeetingView,
    problems=(403, 404, 409, 413),
)
def resolve(call: AnyCall) -> models.MeetingView:
    return service.resolve(
        call.principal, call.params.meeting_id, call.params.item_id, call.body, now=call.now
    )


@api.operation(
    "POST",
    "/meetings/{meeting_id}/actions",
    id="assignMeetingAction",
    summary="An action item of a resolution: it lands in its owner's inbox with its due date",
    summary_th="มอบหมายงานตามมติที่ประชุม",
    params=models.MeetingPath,
    body=models.ActionCommand,
    answer=models.MeetingView,
    problems=(403, 404, 409),
)
def add_action(call: AnyCall) -> models.MeetingView:
    return service.add_action(call.principal, call.params.meeting_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/meetings/{meeting_id}/actions/{action_id}/done",
    id="finishMeetingAction",
    summary="The owner (or a secretary) marks an action item done; it leaves the inbox",
    summary_th="รายงานผลการดำเนินการตามมติ",
    params=models.ActionPath,
    answer=models.MeetingView,
    problems=(403, 404, 409),
)
def finish_action(call: AnyCall) -> models.MeetingView:
    return service.finish_action(call.principal, call.params.meeting_id, call.params.action_id, now=call.now)


@api.operation(
    "POST",
    "/meetings/{meeting_id}/close",
    id="closeMeeting",
    summary="The meeting is over: its start and end times, and an online meeting's recording",
    summary_th="ปิดการประชุม",
    params=models.MeetingPath,
    body=models.CloseCommand,
    answer=models.MeetingView,
    problems=(403, 404, 409),
)
def close(call: AnyCall) -> models.MeetingView:
    return service.close(call.principal, call.params.meeting_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/meetings/{meeting_id}/minutes",
    id="draftMinutes",
    summary="Draft the minutes (รายงานการประชุม) from what was recorded, to be rendered, signed and numbered",
    summary_th="จัดทำรายงานการประชุม",
    params=models.MeetingPath,
    body=models.MinutesCommand,
    answer=models.MeetingView,
    status=201,
    problems=(403, 404, 409),
)
def draft_minutes(call: AnyCall) -> models.MeetingView:
    return service.draft_minutes(call.principal, call.params.meeting_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/meetings/{meeting_id}/minutes/circulate",
    id="circulateMinutes",
    summary="Tell the members the signed minutes are out (other agencies' members: by the exchange)",
    summary_th="แจ้งเวียนรายงานการประชุม",
    params=models.MeetingPath,
    answer=models.MeetingView,
    problems=(403, 404, 409),
)
def circulate(call: AnyCall) -> models.MeetingView:
    return service.circulate(call.principal, call.params.meeting_id, now=call.now)


@api.operation(
    "POST",
    "/meetings/{meeting_id}/certify-previous",
    id="certifyPreviousMinutes",
    summary="Agenda item 2: certify the previous meeting's minutes, with the corrections made",
    summary_th="รับรองรายงานการประชุมครั้งที่แล้ว",
    params=models.MeetingPath,
    body=models.CertifyCommand,
    answer=models.MeetingView,
    problems=(403, 404, 409),
)
def certify(call: AnyCall) -> models.MeetingView:
    return service.certify(call.principal, call.params.meeting_id, call.body, now=call.now)
