"""Routes: retention classes, sending a record to storage, legal holds, the ทะเบียนหนังสือเก็บ."""

from __future__ import annotations

from chalicelib.archive import models, service
from chalicelib.kernel.http import AnyCall, Api

api = Api(__name__, tag="archive")


@api.operation(
    "GET",
    "/archive/settings",
    id="getArchiveSettings",
    summary="The agency's retention classes (the regulation's periods unless the agency set its own)",
    summary_th="ประเภทและอายุการเก็บหนังสือ",
    answer=models.ArchiveSettings,
)
def get_settings(call: AnyCall) -> models.ArchiveSettings:
    return service.get_settings(call.principal)


@api.operation(
    "PUT",
    "/archive/settings",
    id="putArchiveSettings",
    summary="Set the agency's retention classes: years or kept forever, and the rule each comes from",
    summary_th="ตั้งค่าประเภทและอายุการเก็บหนังสือ",
    body=models.ArchiveSettings,
    answer=models.ArchiveSettings,
    problems=(403, 409),
)
def put_settings(call: AnyCall) -> models.ArchiveSettings:
    return service.put_settings(call.principal, call.body, now=call.now)


@api.operation(
    "POST",
    "/documents/{document_id}/storage",
    id="sendToStorage",
    summary="Send a finished record to storage: keep-until year, a line in the stored register, files "
    "locked write-once",
    summary_th="ส่งเก็บหนังสือ",
    params=models.DocumentPath,
    body=models.StoreCommand,
    answer=models.ArchiveView,
    status=201,
    problems=(403, 404, 409),
)
def send_to_storage(call: AnyCall) -> models.ArchiveView:
    return service.send_to_storage(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/documents/{document_id}/storage",
    id="getStorage",
    summary="A stored record: its class, keep-until year and stamp, its hold, its files' locks",
    summary_th="การเก็บหนังสือ",
    params=models.DocumentPath,
    answer=models.ArchiveView,
    problems=(404,),
)
def storage(call: AnyCall) -> models.ArchiveView:
    return service.view(call.principal, call.params.document_id)


@api.operation(
    "POST",
    "/archive/holds",
    id="placeLegalHolds",
    summary="Place a legal hold on records: never destroyed while held, their archived files held by S3",
    summary_th="ระงับการทำลายหนังสือ",
    body=models.HoldCommand,
    answer=models.Held,
    problems=(403, 404),
)
def place_holds(call: AnyCall) -> models.Held:
    return service.place_hold(call.principal, call.body, now=call.now)


@api.operation(
    "POST",
    "/documents/{document_id}/hold/lift",
    id="liftLegalHold",
    summary="Lift a record's legal hold, with the reason",
    summary_th="ยกเลิกการระงับการทำลาย",
    params=models.DocumentPath,
    body=models.LiftCommand,
    answer=models.Held,
    problems=(403, 404),
)
def lift_hold(call: AnyCall) -> models.Held:
    return service.lift_hold(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/archive/register",
    id="storedRegister",
    summary="The stored-records register (ทะเบียนหนังสือเก็บ) of a year",
    summary_th="ทะเบียนหนังสือเก็บ",
    query=models.RegisterQuery,
    answer=models.StoredRegister,
    problems=(403,),
)
def stored_register(call: AnyCall) -> models.StoredRegister:
    return service.register(call.principal, call.query)
