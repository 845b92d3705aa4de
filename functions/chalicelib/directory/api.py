"""Routes: the agency's users (to choose signers) and delegations of signing authority."""

from __future__ import annotations

from chalicelib.directory import models, service
from chalicelib.kernel.http import AnyCall, Api

api = Api(__name__, tag="directory")


@api.operation(
    "GET",
    "/users",
    id="listUsers",
    summary="The agency's active users, in Thai dictionary order",
    summary_th="รายชื่อผู้ใช้ของหน่วยงาน เรียงตามพจนานุกรม",
    answer=models.UserList,
)
def list_users(call: AnyCall) -> models.UserList:
    return service.list_users(call.principal)


@api.operation(
    "PUT",
    "/users/{user_id}/delegations",
    id="setDelegations",
    summary="Record a user's delegations from the written order (agency admin)",
    summary_th="บันทึกการมอบอำนาจตามคำสั่ง (ผู้ดูแลระบบของหน่วยงาน)",
    params=models.UserPath,
    body=models.DelegationsCommand,
    answer=models.Delegations,
    problems=(404, 409),
)
def set_delegations(call: AnyCall) -> models.Delegations:
    return service.set_delegations(call.principal, call.params.user_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/agency/letterhead",
    id="getLetterhead",
    summary="What the agency's letters carry: address, contact, units' contact lines, the emblem",
    summary_th="หัวกระดาษและตราสัญลักษณ์ของหน่วยงาน",
    answer=models.Letterhead,
    problems=(404,),
)
def get_letterhead(call: AnyCall) -> models.Letterhead:
    return service.letterhead(call.principal)


@api.operation(
    "PUT",
    "/agency/letterhead",
    id="setLetterhead",
    summary="Set the agency's address and contact lines, and its units' (agency admin)",
    summary_th="กำหนดที่อยู่และข้อมูลติดต่อของหน่วยงาน (ผู้ดูแลระบบของหน่วยงาน)",
    body=models.LetterheadCommand,
    answer=models.Letterhead,
    problems=(404, 409),
)
def set_letterhead(call: AnyCall) -> models.Letterhead:
    return service.set_letterhead(call.principal, call.body, now=call.now)


@api.operation(
    "PUT",
    "/agency/emblem",
    id="setEmblem",
    summary="Set the agency's emblem (ครุฑ): PNG, JPEG or SVG, checked by its bytes (agency admin)",
    summary_th="กำหนดตราสัญลักษณ์ของหน่วยงาน (ผู้ดูแลระบบของหน่วยงาน)",
    answer=models.Letterhead,
    problems=(404, 413),
    request_media=("image/png", "image/jpeg", "image/svg+xml"),
)
def set_emblem(call: AnyCall) -> models.Letterhead:
    media = (call.headers.get("content-type") or "").split(";")[0].strip().lower()
    return service.set_emblem(call.principal, call.raw_body, media, now=call.now)
