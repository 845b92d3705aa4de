"""Routes: register books (ทะเบียนหนังสือ): register, cancel, list, export."""

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
from chalicelib.errors import InvalidInput
from chalicelib.services import exports, registration

bp = Blueprint(__name__)


@bp.route("/registers/{book}/entries", methods=["POST"])
@handled(bp)
def register_entry(book: str) -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    entry, replayed = registration.register(
        principal,
        book,
        json_body(request),
        idempotency_key=request.headers.get("idempotency-key"),
        clock=utcnow,
    )
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    if not replayed:
        count_registration(book)
    return json_response(entry, 200 if replayed else 201, headers)


def count_registration(book: str) -> None:
    """An EMF metric (stdout, no API call): registrations per book."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(name="Registrations", unit=MetricUnit.Count, value=1, namespace="eOffice") as metric:
        metric.add_dimension(name="book", value=book)


@bp.route("/registers/{book}/entries/{year}/{number}/cancel", methods=["POST"])
@handled(bp)
def cancel_entry(book: str, year: str, number: str) -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    if not (year.isdigit() and number.isdigit() and len(year) == 4 and len(number) <= 8):
        raise InvalidInput(
            "ปี (พ.ศ. 4 หลัก) และเลขทะเบียนต้องเป็นตัวเลข",
            "year must be a 4-digit พ.ศ. year and number at most 8 digits",
        )
    view = registration.cancel(principal, book, int(year), int(number), json_body(request), now=utcnow())
    return json_response(view)


@bp.route("/registers/{book}", methods=["GET"])
@handled(bp)
def list_register(book: str) -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    return json_response(registration.list_book(principal, book, query_params(request), now=utcnow()))


@bp.route("/registers/{book}/export.csv", methods=["GET"])
@handled(bp)
def export_register_csv(book: str) -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    export = exports.register_csv(principal, book, query_params(request), now=utcnow())
    return attachment(export, "text/csv; charset=utf-8")


@bp.route("/registers/{book}/export.pdf", methods=["GET"])
@handled(bp)
def export_register_pdf(book: str) -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    export = exports.register_pdf(principal, book, query_params(request), now=utcnow())
    return attachment(export, "application/pdf")


def attachment(export: exports.Export, content_type: str) -> Response:
    disposition = f'attachment; filename="{export.filename}"'
    return Response(
        body=export.body,
        status_code=200,
        headers={"Content-Type": content_type, "Content-Disposition": disposition},
    )
