"""Routes: documents and their files."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api.http import (
    authenticate,
    current_request,
    handled,
    json_body,
    json_response,
    query_params,
    utcnow,
)
from chalicelib.domain.documents import DocumentDraft
from chalicelib.services import documents, rendering, signing
from chalicelib.services.validation import parse_model

bp = Blueprint(__name__)


@bp.route("/documents", methods=["POST"])
@handled(bp)
def create_document() -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    draft = parse_model(DocumentDraft, json_body(request))
    view = documents.create_document(principal, draft, now=utcnow())
    return json_response(view, 201, {"Location": f"/v1/documents/{view['id']}"})


@bp.route("/documents/{document_id}", methods=["GET"])
@handled(bp)
def get_document(document_id: str) -> Response:
    principal = authenticate(current_request(bp))
    return json_response(documents.get_document(principal, document_id))


@bp.route("/documents/{document_id}/files", methods=["POST"])
@handled(bp)
def request_file_upload(document_id: str) -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    answer = documents.request_upload(principal, document_id, json_body(request), now=utcnow())
    return json_response(answer, 201)


@bp.route("/documents/{document_id}/history", methods=["GET"])
@handled(bp)
def document_history(document_id: str) -> Response:
    principal = authenticate(current_request(bp))
    return json_response(documents.history(principal, document_id))


@bp.route("/documents/{document_id}/render", methods=["POST"])
@handled(bp)
def render_document(document_id: str) -> Response:
    principal = authenticate(current_request(bp))
    return json_response(rendering.render_document(principal, document_id, now=utcnow()), 201)


@bp.route("/documents/{document_id}/sign", methods=["POST"])
@handled(bp)
def sign_document(document_id: str) -> Response:
    principal = authenticate(current_request(bp))
    job, created = signing.request_signature(principal, document_id, now=utcnow())
    headers = {"Location": f"/v1/documents/{document_id}"}
    if not created:
        headers["Idempotent-Replayed"] = "true"  # the turn's job was already queued: the same job
    return json_response(job, 202, headers)


@bp.route("/documents/{document_id}/pdf", methods=["GET"])
@handled(bp)
def document_pdf_url(document_id: str) -> Response:
    principal = authenticate(current_request(bp))
    return json_response(signing.signed_download(principal, document_id))


@bp.route("/documents/{document_id}/files/{file_id}/download", methods=["GET"])
@handled(bp)
def file_download_url(document_id: str, file_id: str) -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    variant = query_params(request).get("variant", "original")
    return json_response(documents.download_url(principal, document_id, file_id, variant))
