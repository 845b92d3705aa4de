"""Routes: validate the signatures on a PDF."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api.http import authenticate, current_request, handled, json_response, query_params
from chalicelib.errors import InvalidInput
from chalicelib.services import signatures

bp = Blueprint(__name__)


@bp.route("/validate", methods=["POST"], content_types=["application/pdf"])
@handled(bp)
def validate_pdf() -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    body = request.raw_body or b""
    report = signatures.validate(principal, body.encode() if isinstance(body, str) else bytes(body))
    fmt = query_params(request).get("format", "json")
    if fmt == "json":
        return json_response(report)
    if fmt == "html":
        return Response(
            body=signatures.html_report(report),
            status_code=200,
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
    raise InvalidInput("รูปแบบรายงานไม่ถูกต้อง", "format must be json or html")
