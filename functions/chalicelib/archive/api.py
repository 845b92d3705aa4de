"""Routes: retention classes, sending a record to storage, legal holds, the ทะเบียนหนังสือเก็บ."""

from __future__ import annotations

from chalicelib.archive import destruction, legacy, models, service
from chalicelib.kernel.http import AnyCall, Api, Reply

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


# -- the yearly destruction list (archive/destruction.py) ---------------------------------------------
@api.operation(
    "GET",
    "/archive/destruction-lists",
    id="destructionLists",
    summary="The agency's destruction lists (แบบที่ 25), newest first, each with its procedure's state",
    summary_th="บัญชีหนังสือขอทำลาย",
    answer=models.DestructionLists,
    problems=(403,),
)
def destruction_lists(call: AnyCall) -> models.DestructionLists:
    return destruction.lists(call.principal)


@api.operation(
    "POST",
    "/archive/destruction-lists",
    id="surveyForDestruction",
    summary="Survey now: list the stored records whose keep-until year has passed (held, permanent, "
    "classified and already listed records left off)",
    summary_th="สำรวจหนังสือครบกำหนดเก็บ",
    body=models.SurveyCommand,
    answer=models.DestructionListView,
    status=201,
    problems=(403, 409),
)
def survey(call: AnyCall) -> models.DestructionListView:
    return destruction.survey_now(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/archive/destruction-lists/{year}",
    id="destructionList",
    summary="A destruction list: its state, its committee, the decisions counted, the Archives' answer",
    summary_th="บัญชีหนังสือขอทำลายประจำปี",
    params=models.ListPath,
    answer=models.DestructionListView,
    problems=(403, 404),
)
def destruction_list(call: AnyCall) -> models.DestructionListView:
    return destruction.view(call.principal, call.params.year)


@api.operation(
    "GET",
    "/archive/destruction-lists/{year}/rows",
    id="destructionListRows",
    summary="The lines of a destruction list in the form's columns, page by page",
    summary_th="รายการในบัญชีหนังสือขอทำลาย",
    params=models.ListPath,
    query=models.RowsQuery,
    answer=models.DestructionRows,
    problems=(403, 404),
)
def destruction_rows(call: AnyCall) -> models.DestructionRows:
    return destruction.rows_page(call.principal, call.params.year, call.query)


@api.operation(
    "GET",
    "/archive/destruction-lists/{year}/form.pdf",
    id="destructionListPdf",
    summary="The list as แบบที่ 25, printable, with the committee's การพิจารณา",
    summary_th="พิมพ์บัญชีหนังสือขอทำลาย (แบบที่ 25)",
    params=models.ListPath,
    problems=(403, 404),
    answer_media="application/pdf",
    request_headers=(("Accept", {"type": "string", "enum": ["application/pdf", "*/*"]}, False),),
)
def destruction_pdf(call: AnyCall) -> Reply:
    filename, body = destruction.form_25(call.principal, call.params.year, now=call.now)
    return Reply(body=body, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@api.operation(
    "PUT",
    "/archive/destruction-lists/{year}/committee",
    id="appointDestructionCommittee",
    summary="The head appoints the destruction committee: a chair and at least two members of the levels "
    "ข้อ 67 allows",
    summary_th="แต่งตั้งคณะกรรมการทำลายหนังสือ",
    params=models.ListPath,
    body=models.CommitteeCommand,
    answer=models.DestructionListView,
    problems=(403, 404, 409),
)
def appoint_committee(call: AnyCall) -> models.DestructionListView:
    return destruction.appoint(call.principal, call.params.year, call.body, now=call.now)


@api.operation(
    "POST",
    "/archive/destruction-lists/{year}/review",
    id="reviewDestructionList",
    summary="A committee member marks lines X (destroy) or keeps them longer with the reason (written "
    "back to the record, its register line and its stamp)",
    summary_th="พิจารณาบัญชีหนังสือขอทำลาย",
    params=models.ListPath,
    body=models.ReviewCommand,
    answer=models.DestructionListView,
    problems=(403, 404, 409),
)
def review_list(call: AnyCall) -> models.DestructionListView:
    return destruction.review(call.principal, call.params.year, call.body, now=call.now)


@api.operation(
    "POST",
    "/archive/destruction-lists/{year}/report",
    id="reportDestructionList",
    summary="The chair reports the committee's decisions to the head (every line decided)",
    summary_th="รายงานผลการพิจารณา",
    params=models.ListPath,
    answer=models.DestructionListView,
    problems=(403, 404, 409),
)
def report_list(call: AnyCall) -> models.DestructionListView:
    return destruction.report(call.principal, call.params.year, now=call.now)


@api.operation(
    "POST",
    "/archive/destruction-lists/{year}/approve",
    id="approveDestructionList",
    summary="The head approves: แบบที่ 25 becomes a document for the head to sign",
    summary_th="อนุมัติบัญชีหนังสือขอทำลาย",
    params=models.ListPath,
    body=models.ApproveCommand,
    answer=models.DestructionListView,
    problems=(403, 404, 409),
)
def approve_list(call: AnyCall) -> models.DestructionListView:
    return destruction.approve(call.principal, call.params.year, call.body, now=call.now)


@api.operation(
    "POST",
    "/archive/destruction-lists/{year}/sent",
    id="destructionListSent",
    summary="Record that the signed list went to the National Archives (their answer days count from it)",
    summary_th="บันทึกการส่งบัญชีให้สำนักหอจดหมายเหตุแห่งชาติ",
    params=models.ListPath,
    body=models.SentCommand,
    answer=models.DestructionListView,
    problems=(403, 404, 409),
)
def list_sent(call: AnyCall) -> models.DestructionListView:
    return destruction.record_sent(call.principal, call.params.year, call.body, now=call.now)


@api.operation(
    "POST",
    "/archive/destruction-lists/{year}/answer",
    id="archivesAnswer",
    summary="Record the National Archives' answer: the lines they keep are separated, the rest may go",
    summary_th="บันทึกคำตอบของสำนักหอจดหมายเหตุแห่งชาติ",
    params=models.ListPath,
    body=models.AnswerCommand,
    answer=models.DestructionListView,
    problems=(403, 404, 409),
)
def archives_answer(call: AnyCall) -> models.DestructionListView:
    return destruction.record_answer(call.principal, call.params.year, call.body, now=call.now)


@api.operation(
    "POST",
    "/archive/destruction-lists/{year}/destroy",
    id="destroyRecords",
    summary="Start the destruction the head approved and the Archives consented to (or whose consent is "
    "deemed): the hourly job removes the bytes and drafts the committee's record",
    summary_th="ทำลายหนังสือ",
    params=models.ListPath,
    answer=models.DestructionListView,
    problems=(403, 404, 409),
)
def destroy_records(call: AnyCall) -> models.DestructionListView:
    return destruction.destroy(call.principal, call.params.year, now=call.now)


# -- imported registers (archive/legacy.py) -------------------------------------------------------------
@api.operation(
    "POST",
    "/archive/legacy-imports",
    id="importLegacyRegister",
    summary="Import a paper-era register (CSV in the register's columns, up to 500 lines a call) into an "
    "imported book: original numbers and dates, live counters untouched; each named scan gets an upload",
    summary_th="นำเข้าทะเบียนหนังสือเดิม",
    body=models.LegacyImport,
    answer=models.LegacyImported,
    status=201,
    problems=(403, 409, 413),
)
def import_legacy(call: AnyCall) -> models.LegacyImported:
    return legacy.import_book(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/archive/legacy-books/{book_id}",
    id="legacyBook",
    summary="An imported register book's year, in its original numbers' order",
    summary_th="ทะเบียนหนังสือเดิมที่นำเข้า",
    params=models.LegacyBookPath,
    query=models.RegisterQuery,
    answer=models.LegacyBook,
    problems=(403, 404),
)
def legacy_book(call: AnyCall) -> models.LegacyBook:
    return legacy.book(call.principal, call.params.book_id, call.query.year)
