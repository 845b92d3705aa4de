"""Routes: register books (ทะเบียนหนังสือ): register, cancel, list, export."""

from __future__ import annotations

from chalicelib.kernel import log
from chalicelib.kernel.http import AnyCall, Api, Reply
from chalicelib.registers import exports, models, service

api = Api(__name__, tag="registers")

IDEMPOTENCY_HEADER = (
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 128, "pattern": '^[!-"$-~]+$'},
    False,
)


@api.operation(
    "POST",
    "/registers/{book}/entries",
    id="registerEntry",
    summary="Register a letter: take the next number of the book (เลขรับ / เลขส่ง)",
    summary_th="ลงทะเบียนหนังสือ (ออกเลขรับ / เลขส่ง)",
    params=models.BookPath,
    body=models.RegistrationCommand,
    answer=models.RegisterEntry,
    status=201,
    problems=(404, 409, 503),
    answer_headers=("Idempotent-Replayed",),
    request_headers=(IDEMPOTENCY_HEADER,),
    description="A retried request with the same Idempotency-Key gets the first answer (200, "
    "Idempotent-Replayed: true); a number is never taken twice.",
)
def register_entry(call: AnyCall) -> Reply:
    book = call.params.book
    entry, replayed = service.register(
        call.principal,
        book,
        call.body,
        idempotency_key=call.headers.get("idempotency-key"),
        clock=lambda: call.now,
    )
    if replayed:
        return Reply(entry, status=200, headers={"Idempotent-Replayed": "true"})
    log.count("Registrations", book=book)
    return Reply(entry)


@api.operation(
    "POST",
    "/registers/{book}/entries/{year}/{number}/cancel",
    id="cancelEntry",
    summary="Cancel a register entry; it keeps its number, marked cancelled with the reason",
    summary_th="ยกเลิกรายการในทะเบียน (เลขทะเบียนคงอยู่ พร้อมเหตุผล)",
    params=models.EntryPath,
    body=models.CancelCommand,
    answer=models.EntryLine,
    problems=(404, 409, 503),
)
def cancel_entry(call: AnyCall) -> models.EntryLine:
    p = call.params
    return service.cancel(call.principal, p.book, p.year, p.number, call.body, now=call.now)


@api.operation(
    "POST",
    "/registers/{book}/entries/{year}/{number}/repair",
    id="repairEntry",
    summary="Rewrite a line stored with malformed text (records officer): shown as stored, made well formed",
    summary_th="ซ่อมแซมรายการในทะเบียนที่บันทึกอักขระไม่สมบูรณ์ (เจ้าหน้าที่เก็บรักษา)",
    params=models.EntryPath,
    answer=models.EntryLine,
    problems=(404,),
    request_media=("application/json", "*/*"),
)
def repair_entry(call: AnyCall) -> models.EntryLine:
    p = call.params
    return service.repair(call.principal, p.book, p.year, p.number, now=call.now)


@api.operation(
    "GET",
    "/registers/{book}",
    id="listRegister",
    summary="A register book-year, page by page, with filters",
    summary_th="รายการในทะเบียนหนังสือ",
    params=models.BookPath,
    query=models.ListQuery,
    answer=models.BookPage,
    problems=(404,),
)
def list_register(call: AnyCall) -> models.BookPage:
    return service.list_book(call.principal, call.params.book, call.query, now=call.now)


@api.operation(
    "GET",
    "/registers/{book}/export.csv",
    id="exportRegisterCsv",
    summary="The register book-year as CSV (UTF-8 with BOM: opens in Excel with Thai intact)",
    summary_th="ส่งออกทะเบียนเป็น CSV",
    params=models.BookPath,
    query=models.ListQuery,
    problems=(404,),
    answer_media="text/csv; charset=utf-8",
)
def export_register_csv(call: AnyCall) -> Reply:
    export = exports.register_csv(call.principal, call.params.book, call.query, now=call.now)
    return _attachment(export)


@api.operation(
    "GET",
    "/registers/{book}/export.pdf",
    id="exportRegisterPdf",
    summary="The register book-year as a printable PDF (the register's form)",
    summary_th="พิมพ์ทะเบียนเป็น PDF",
    params=models.BookPath,
    query=models.ListQuery,
    problems=(404,),
    answer_media="application/pdf",
    # API Gateway returns a binary answer only to a client that accepts it (application/pdf or */*).
    request_headers=(("Accept", {"type": "string", "enum": ["application/pdf", "*/*"]}, False),),
)
def export_register_pdf(call: AnyCall) -> Reply:
    export = exports.register_pdf(call.principal, call.params.book, call.query, now=call.now)
    return _attachment(export)


def _attachment(export: exports.Export) -> Reply:
    return Reply(
        body=export.body, headers={"Content-Disposition": f'attachment; filename="{export.filename}"'}
    )
