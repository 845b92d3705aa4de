"""Routes: sign a document (queued to the sign worker), its signing state, its PDF, and validation."""

from __future__ import annotations

from chalicelib.documents.models import DocumentPath
from chalicelib.kernel.http import AnyCall, Api, Reply
from chalicelib.signatures import models, service, validation

api = Api(__name__, tag="signatures")


@api.operation(
    "POST",
    "/documents/{document_id}/sign",
    id="signDocument",
    summary="Sign the document in your turn (or under a delegation): queued, 202",
    summary_th="ลงนามหนังสือตามลำดับ (หรือตามที่ได้รับมอบอำนาจ)",
    params=DocumentPath,
    answer=models.SignJob,
    status=202,
    problems=(404, 409),
    answer_headers=("Location", "Idempotent-Replayed"),
    request_media=("application/json", "*/*"),
)
def sign_document(call: AnyCall) -> Reply:
    document_id = call.params.document_id
    job, created = service.request_signature(call.principal, document_id, now=call.now)
    headers = {"Location": f"/v1/documents/{document_id}/signing"}
    if not created:
        headers["Idempotent-Replayed"] = "true"  # the turn's job was already queued: the same job
    return Reply(job, headers=headers)


@api.operation(
    "GET",
    "/documents/{document_id}/signing",
    id="documentSigning",
    summary="The document's signers, how many have signed, and each turn's job",
    summary_th="สถานะการลงนามของหนังสือ",
    params=DocumentPath,
    answer=models.Signing,
    problems=(404,),
)
def document_signing(call: AnyCall) -> models.Signing:
    return service.signing(call.principal, call.params.document_id)


@api.operation(
    "GET",
    "/documents/{document_id}/pdf",
    id="documentPdfUrl",
    summary="A download URL for the document's PDF as it stands (the latest signed version)",
    summary_th="ที่อยู่ดาวน์โหลด PDF ฉบับล่าสุดของหนังสือ",
    params=DocumentPath,
    answer=models.DownloadLink,
    problems=(404,),
)
def document_pdf_url(call: AnyCall) -> models.DownloadLink:
    return service.signed_download(call.principal, call.params.document_id)


@api.operation(
    "GET",
    "/documents/{document_id}/pdf/content",
    id="documentPdfContent",
    summary="The document's PDF as it stands (the latest signed version), through the API",
    summary_th="เปิด PDF ฉบับล่าสุดของหนังสือผ่านระบบ",
    params=DocumentPath,
    problems=(404, 413),
    answer_media="application/pdf",
    request_headers=(("Accept", {"type": "string", "enum": ["application/pdf", "*/*"]}, False),),
)
def document_pdf_content(call: AnyCall) -> Reply:
    filename, body = service.current_content(call.principal, call.params.document_id)
    return Reply(body=body, headers={"Content-Disposition": f'inline; filename="{filename}"'})


@api.operation(
    "POST",
    "/validate",
    id="validatePdf",
    summary="Validate the signatures of any PDF against the agency's trust list (JSON or HTML report)",
    summary_th="ตรวจสอบลายมือชื่ออิเล็กทรอนิกส์ในไฟล์ PDF",
    query=models.ValidateQuery,
    answer=models.ValidationReport,
    problems=(413,),
    request_media=("application/pdf",),
    other_media=("text/html",),
)
def validate_pdf(call: AnyCall) -> Reply:
    report = validation.validate(call.principal, call.raw_body)
    if call.query.format == "html":
        return Reply(
            body=validation.html_report(report), headers={"Content-Type": "text/html; charset=utf-8"}
        )
    return Reply(report)
