"""Routes: documents, their files, their history and their rendered form."""

from __future__ import annotations

from chalicelib.documents import models, rendering, service
from chalicelib.kernel.http import AnyCall, Api, Reply

api = Api(__name__, tag="documents")


@api.operation(
    "POST",
    "/documents",
    id="createDocument",
    summary="Create a document (a letter's digital form)",
    summary_th="สร้างหนังสือ",
    body=models.DocumentDraft,
    answer=models.DocumentView,
    status=201,
    problems=(403, 409),
    answer_headers=("Location",),
)
def create_document(call: AnyCall) -> Reply:
    view = service.create_document(call.principal, call.body, now=call.now)
    return Reply(view, headers={"Location": f"/v1/documents/{view.id}"})


@api.operation(
    "GET",
    "/documents/{document_id}",
    id="getDocument",
    summary="A document with its files, registrations and signatures",
    summary_th="ข้อมูลหนังสือ ไฟล์ การลงทะเบียน และลายมือชื่อ",
    params=models.DocumentPath,
    answer=models.DocumentView,
    problems=(404,),
)
def get_document(call: AnyCall) -> models.DocumentView:
    return service.get_document(call.principal, call.params.document_id)


@api.operation(
    "POST",
    "/documents/{document_id}/files",
    id="requestFileUpload",
    summary="Ask for an upload URL for the letter (main, PDF) or an enclosure",
    summary_th="ขอที่อยู่สำหรับอัปโหลดไฟล์หนังสือหรือสิ่งที่ส่งมาด้วย",
    params=models.DocumentPath,
    body=models.UploadCommand,
    answer=models.UploadTicket,
    status=201,
    problems=(404, 409),
)
def request_file_upload(call: AnyCall) -> models.UploadTicket:
    return service.request_upload(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/documents/{document_id}/files/{file_id}/download",
    id="fileDownloadUrl",
    summary="A short-lived download URL for a checked file (original or receipt-stamped copy)",
    summary_th="ที่อยู่สำหรับดาวน์โหลดไฟล์ (ต้นฉบับหรือฉบับประทับตรารับ)",
    params=models.FilePath,
    query=models.DownloadQuery,
    answer=models.DownloadLink,
    problems=(404, 409),
)
def file_download_url(call: AnyCall) -> models.DownloadLink:
    params = call.params
    return service.download_url(call.principal, params.document_id, params.file_id, call.query.variant)


@api.operation(
    "GET",
    "/documents/{document_id}/files/{file_id}/content",
    id="fileContent",
    summary="A checked file's bytes through the API: how a cleared reader opens a sealed (classified) file",
    summary_th="เปิดไฟล์ผ่านระบบ (ไฟล์หนังสือลับเปิดได้ทางนี้เท่านั้น สำหรับผู้มีสิทธิ์ชั้นความลับ)",
    params=models.FilePath,
    query=models.DownloadQuery,
    problems=(404, 413),
    answer_media="application/pdf",
    request_headers=(("Accept", {"type": "string", "enum": ["application/pdf", "*/*"]}, False),),
)
def file_content(call: AnyCall) -> Reply:
    params = call.params
    filename, body = service.file_content(
        call.principal, params.document_id, params.file_id, call.query.variant
    )
    return Reply(body=body, headers={"Content-Disposition": f"inline; filename*=UTF-8''{filename}"})


@api.operation(
    "GET",
    "/documents/{document_id}/history",
    id="documentHistory",
    summary="The document's audit trail",
    summary_th="ประวัติการดำเนินการกับหนังสือ",
    params=models.DocumentPath,
    answer=models.History,
    problems=(404,),
)
def document_history(call: AnyCall) -> models.History:
    return service.history(call.principal, call.params.document_id)


@api.operation(
    "POST",
    "/documents/{document_id}/render",
    id="renderDocument",
    summary="Render the document's form as its official-letter PDF, the signature field reserved",
    summary_th="จัดทำหนังสือตามแบบฟอร์มเป็น PDF พร้อมช่องลงนาม",
    params=models.DocumentPath,
    answer=models.Rendered,
    status=201,
    problems=(404, 409),
    request_media=("application/json", "*/*"),
)
def render_document(call: AnyCall) -> models.Rendered:
    return rendering.render_document(call.principal, call.params.document_id, now=call.now)


@api.operation(
    "PUT",
    "/documents/{document_id}",
    id="reviseDocument",
    summary="Revise the draft's text: a new revision, kept with who and when",
    summary_th="แก้ไขร่างหนังสือ (เก็บทุกฉบับแก้ไข)",
    params=models.DocumentPath,
    body=models.DocumentDraft,
    answer=models.Revisions,
    problems=(404, 409),
)
def revise_document(call: AnyCall) -> models.Revisions:
    return service.revise(call.principal, call.params.document_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/documents/{document_id}/revisions",
    id="documentRevisions",
    summary="The revisions of the draft, with who made each and what it changed",
    summary_th="ประวัติการแก้ไขร่างหนังสือ",
    params=models.DocumentPath,
    answer=models.Revisions,
    problems=(404,),
)
def document_revisions(call: AnyCall) -> models.Revisions:
    return service.revisions(call.principal, call.params.document_id)


@api.operation(
    "GET",
    "/documents/{document_id}/revisions/diff",
    id="documentRevisionDiff",
    summary="What changed between two revisions (a reviewer's 'since I last saw it')",
    summary_th="สิ่งที่เปลี่ยนแปลงระหว่างฉบับแก้ไข",
    params=models.DocumentPath,
    query=models.DiffQuery,
    answer=models.RevisionDiff,
    problems=(404,),
)
def document_revision_diff(call: AnyCall) -> models.RevisionDiff:
    return service.diff(call.principal, call.params.document_id, call.query)
