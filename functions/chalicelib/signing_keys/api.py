"""Routes: the agency's inventory of signer keys (agency admin)."""

from __future__ import annotations

from chalicelib.kernel.http import AnyCall, Api
from chalicelib.signing_keys import models, service

api = Api(__name__, tag="signing-keys")


@api.operation(
    "GET",
    "/signing-keys",
    id="listSigningKeys",
    summary="The agency's signer keys: state, use, retirement (agency admin)",
    summary_th="ทะเบียนกุญแจลงนามของหน่วยงาน: สถานะ การใช้งาน และการปลดระวาง (ผู้ดูแลระบบของหน่วยงาน)",
    answer=models.SigningKeyInventory,
    problems=(403,),
)
def list_signing_keys(call: AnyCall) -> models.SigningKeyInventory:
    return service.inventory(call.principal)
