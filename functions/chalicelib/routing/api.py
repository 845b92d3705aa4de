"""Routes: a document's route and the actions on it, route templates, the handling of incoming letters
(endorsements, assignments) and the inbox."""

from __future__ import annotations

from chalicelib.documents.models import DocumentPath
from chalicelib.kernel.http import AnyCall, Api, Reply
from chalicelib.routing import handling, models, service

api = Api(__name__, tag="routing")


@api.operation(
    "POST",
    "/documents/{document_id}/route",
    id="startRoute",
    summary="Start the document's route (its steps, or the agency's template for its kind)",
    summary_th="เริ่มเส้นทางของหนังสือ (ร่าง ทาน ตรวจ ลงนาม)",
    params=DocumentPath,
    body=models.StartRoute,
    answer=models.RouteView,
    status=201,
    problems=(404, 409),
)
def start_route(call: AnyCall) -> models.RouteView:
    return service.start(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/documents/{document_id}/route",
    id="getRoute",
    summary="The document's route: its steps, where it stands, its number, whether it is your turn",
    summary_th="เส้นทางของหนังสือและสถานะ",
    params=DocumentPath,
    answer=models.RouteView,
    problems=(404,),
)
def get_route(call: AnyCall) -> models.RouteView:
    return service.get_route(call.principal, call.params.document_id)


@api.operation(
    "POST",
    "/documents/{document_id}/route/actions",
    id="actOnRoute",
    summary="Act at your step: forward (approve; at a sign step: sign), return, reject, or comment",
    summary_th="ดำเนินการในขั้นของท่าน: เสนอต่อ ส่งคืน ไม่อนุมัติ หรือให้ความเห็น",
    params=DocumentPath,
    body=models.RouteAction,
    answer=models.RouteView,
    problems=(404, 409),
)
def act_on_route(call: AnyCall) -> models.RouteView:
    return service.act(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/documents/{document_id}/route/withdraw",
    id="withdrawRoute",
    summary="Withdraw the route (a number already taken is cancelled with the reason)",
    summary_th="ถอนเรื่อง (เลขที่ออกแล้วถูกยกเลิกพร้อมเหตุผล)",
    params=DocumentPath,
    body=models.Withdraw,
    answer=models.RouteView,
    problems=(404, 409),
)
def withdraw_route(call: AnyCall) -> models.RouteView:
    return service.withdraw(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "PUT",
    "/route-templates/{kind}",
    id="setRouteTemplate",
    summary="The steps a kind of document takes by default (agency admin)",
    summary_th="กำหนดแม่แบบเส้นทางตามชนิดหนังสือ (ผู้ดูแลระบบของหน่วยงาน)",
    params=models.KindPath,
    body=models.RoutePlan,
    answer=models.RouteTemplate,
    problems=(409,),
)
def set_route_template(call: AnyCall) -> models.RouteTemplate:
    return service.set_template(call.principal, call.params.kind, call.body, now=call.now)


@api.operation(
    "GET",
    "/route-templates/{kind}",
    id="getRouteTemplate",
    summary="A kind of document's route template",
    summary_th="แม่แบบเส้นทางของหนังสือชนิดนี้",
    params=models.KindPath,
    answer=models.RouteTemplate,
    problems=(404,),
)
def get_route_template(call: AnyCall) -> models.RouteTemplate:
    return service.get_template(call.principal, call.params.kind)


@api.operation(
    "POST",
    "/documents/{document_id}/endorsements",
    id="endorse",
    summary="Endorse an incoming letter (เกษียน): a note, a decision, to whom it goes next",
    summary_th="เกษียนหนังสือ",
    params=DocumentPath,
    body=models.EndorseCommand,
    answer=models.Handling,
    status=201,
    problems=(404, 409),
)
def endorse(call: AnyCall) -> models.Handling:
    return handling.endorse(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/documents/{document_id}/assignments",
    id="assign",
    summary="Assign an incoming letter to a unit or a person to act on",
    summary_th="มอบหมายหนังสือให้หน่วยงานหรือบุคคลดำเนินการ",
    params=DocumentPath,
    body=models.AssignCommand,
    answer=models.Handling,
    status=201,
    problems=(404, 409),
)
def assign(call: AnyCall) -> models.Handling:
    return handling.assign(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/documents/{document_id}/assignments/{assignment_id}",
    id="updateAssignment",
    summary="Acknowledge an assignment, or report it done",
    summary_th="รับทราบหรือรายงานผลการดำเนินการตามที่ได้รับมอบหมาย",
    params=models.AssignmentPath,
    body=models.AssignmentUpdate,
    answer=models.Handling,
    problems=(404, 409),
)
def update_assignment(call: AnyCall) -> models.Handling:
    p = call.params
    return handling.update_assignment(call.principal, p.document_id, p.assignment_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/documents/{document_id}/handling",
    id="documentHandling",
    summary="An incoming letter's endorsements and assignments, and its register action",
    summary_th="การเกษียนและการมอบหมายของหนังสือรับ",
    params=DocumentPath,
    answer=models.Handling,
    problems=(404, 409),
)
def document_handling(call: AnyCall) -> models.Handling:
    return handling.handling(call.principal, call.params.document_id)


@api.operation(
    "GET",
    "/documents/{document_id}/endorsed.pdf",
    id="endorsedCopy",
    summary="The letter with its endorsements (เกษียน) drawn on it; its signatures stay valid",
    summary_th="สำเนาหนังสือพร้อมข้อความเกษียน",
    params=DocumentPath,
    problems=(404,),
    answer_media="application/pdf",
    request_headers=(("Accept", {"type": "string", "enum": ["application/pdf", "*/*"]}, False),),
)
def endorsed_copy(call: AnyCall) -> Reply:
    body = handling.endorsed_copy(call.principal, call.params.document_id)
    return Reply(body=body, headers={"Content-Disposition": 'inline; filename="endorsed.pdf"'})


@api.operation(
    "GET",
    "/inbox",
    id="inbox",
    summary="What waits for you, your positions and your units: most urgent first",
    summary_th="งานที่รอท่านดำเนินการ",
    query=models.InboxQuery,
    answer=models.InboxPage,
)
def get_inbox(call: AnyCall) -> models.InboxPage:
    return service.inbox(call.principal, call.query, now=call.now)
