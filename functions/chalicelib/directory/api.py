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
