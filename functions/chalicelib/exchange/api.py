"""Routes: the agencies on the platform, sending a signed letter to them, and the incoming letters
other agencies sent (accept with a number, send back, or find invalid)."""

from __future__ import annotations

from chalicelib.documents.models import DocumentPath
from chalicelib.exchange import models, service
from chalicelib.kernel.http import AnyCall, Api

api = Api(__name__, tag="exchange")


@api.operation(
    "GET",
    "/exchange/agencies",
    id="listExchangeAgencies",
    summary="The agencies on the platform a letter can be sent to (Thai order; q narrows)",
    summary_th="รายชื่อหน่วยงานที่ส่งหนังสือถึงได้",
    query=models.AgencyQuery,
    answer=models.AgencyList,
)
def list_agencies(call: AnyCall) -> models.AgencyList:
    return service.agencies(call.principal, call.query)


@api.operation(
    "POST",
    "/documents/{document_id}/sends",
    id="sendLetter",
    summary="Send the signed letter to agencies on the platform (one, or many: a circular)",
    summary_th="ส่งหนังสือถึงหน่วยงานอื่นทางระบบ",
    params=DocumentPath,
    body=models.SendLetter,
    answer=models.SendView,
    status=202,
    problems=(403, 404, 409),
)
def send_letter(call: AnyCall) -> models.SendView:
    return service.send(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/documents/{document_id}/sends",
    id="listSends",
    summary="Where the letter was sent, and each recipient's state (accepted with their number, ...)",
    summary_th="สถานะการส่งหนังสือถึงแต่ละหน่วยงาน",
    params=DocumentPath,
    answer=models.SendView,
    problems=(404,),
)
def list_sends(call: AnyCall) -> models.SendView:
    return service.sends(call.principal, call.params.document_id)


@api.operation(
    "GET",
    "/exchange/incoming",
    id="listIncomingLetters",
    summary="Letters other agencies sent to this agency, newest first, with the arrival check",
    summary_th="หนังสือเข้าจากหน่วยงานอื่น รอลงรับ",
    answer=models.IncomingList,
    problems=(403,),
)
def list_incoming(call: AnyCall) -> models.IncomingList:
    return service.incoming(call.principal)


@api.operation(
    "POST",
    "/exchange/incoming/{delivery_id}/accept",
    id="acceptIncomingLetter",
    summary="Accept the letter: register it in the incoming book; its number goes back to the sender",
    summary_th="ลงรับหนังสือ (แจ้งเลขรับกลับไปยังผู้ส่ง)",
    params=models.DeliveryPath,
    answer=models.Accepted,
    status=201,
    problems=(403, 404, 409),
)
def accept(call: AnyCall) -> models.Accepted:
    return service.accept(call.principal, call.params.delivery_id, now=call.now)


@api.operation(
    "POST",
    "/exchange/incoming/{delivery_id}/reject",
    id="rejectIncomingLetter",
    summary="Send the letter back to its sender, with the reason",
    summary_th="ส่งคืนหนังสือพร้อมเหตุผล",
    params=models.DeliveryPath,
    body=models.Decision,
    answer=models.IncomingLetter,
    problems=(403, 404, 409),
)
def reject(call: AnyCall) -> models.IncomingLetter:
    return service.reject(call.principal, call.params.delivery_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/exchange/incoming/{delivery_id}/invalid",
    id="markIncomingLetterInvalid",
    summary="Find the letter invalid (wrong recipient, unreadable, signature invalid), with the reason",
    summary_th="แจ้งว่าหนังสือไม่ถูกต้อง พร้อมเหตุผล",
    params=models.DeliveryPath,
    body=models.Decision,
    answer=models.IncomingLetter,
    problems=(403, 404, 409),
)
def invalid(call: AnyCall) -> models.IncomingLetter:
    return service.invalid(call.principal, call.params.delivery_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/documents/{document_id}/sends/{recipient}/redrive",
    id="redriveSend",
    summary="Carry a stuck delivery again (once its cause is fixed); the same delivery, nothing doubles",
    summary_th="ส่งหนังสือที่ติดขัดอีกครั้ง",
    params=models.SendPath,
    answer=models.SendView,
    status=202,
    problems=(403, 404, 409),
)
def redrive(call: AnyCall) -> models.SendView:
    return service.redrive(call.principal, call.params.document_id, call.params.recipient, now=call.now)
