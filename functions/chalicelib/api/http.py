"""HTTP plumbing shared by the blueprints: the principal, JSON bodies, problem details, the clock."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from chalice.app import Blueprint, Request, Response

from chalicelib.domain.access import Principal
from chalicelib.errors import DomainError, Forbidden, MalformedRequest
from chalicelib.identity import tokens
from chalicelib.store.directory import principal_for

logger = Logger(service="eoffice-api")

PROBLEM_JSON = "application/problem+json"
MAX_JSON_BYTES = 256 * 1024

F = TypeVar("F", bound=Callable[..., Any])


def utcnow() -> datetime:
    return datetime.now(UTC)


def current_request(bp: Blueprint) -> Request:
    request = bp.current_request
    assert request is not None
    return request


def authenticate(request: Request) -> Principal:
    """The caller from a verified token and the agency directory; the agency never comes from input."""
    identity = tokens.verify(tokens.bearer_token(request.headers.get("authorization")))
    principal = principal_for(identity.agency_id, identity.subject)
    if principal is None:
        raise Forbidden(
            "ไม่พบผู้ใช้ในทะเบียนผู้ใช้ของหน่วยงาน", "the user is not in the agency's directory or is inactive"
        )
    logger.append_keys(agency_id=identity.agency_id, user_id=identity.subject)
    return principal


def json_body(request: Request) -> dict[str, Any]:
    raw = request.raw_body or b""
    if len(raw) > MAX_JSON_BYTES:
        raise MalformedRequest("ข้อมูลมีขนาดใหญ่เกินไป", f"the JSON body is over {MAX_JSON_BYTES} bytes")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedRequest("ข้อมูล JSON ไม่ถูกต้อง", f"the body is not valid JSON: {error}") from error
    if not isinstance(body, dict):
        raise MalformedRequest("ข้อมูลต้องเป็นออบเจกต์ JSON", "the body must be a JSON object")
    return body


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False, default=str),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


def problem_response(error: DomainError, path: str | None) -> Response:
    return Response(
        body=json.dumps(error.problem(path), ensure_ascii=False, default=str),
        status_code=error.status,
        headers={"Content-Type": f"{PROBLEM_JSON}; charset=utf-8"},
    )


def requested_path(request: Request) -> str:
    """The path asked for (a problem's `instance`), not the route template: API Gateway gives it
    as `path`; the local gateway only in the request context."""
    event = request.to_original_event()
    return str(event.get("path") or (event.get("requestContext") or {}).get("path") or request.path)


def handled(bp: Blueprint) -> Callable[[F], F]:
    """Map domain errors to RFC 9457 problems; anything unexpected is logged and answered as a 500."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            request = bp.current_request
            path = requested_path(request) if request is not None else None
            try:
                return view(*args, **kwargs)
            except DomainError as error:
                if error.status >= 500:
                    logger.warning("request refused", extra={"code": error.code})
                return problem_response(error, path)
            except Exception:
                incident = uuid.uuid4().hex
                logger.exception("unhandled error", extra={"incident": incident})
                return Response(
                    body=json.dumps(
                        {
                            "type": "about:blank",
                            "status": 500,
                            "title": "Internal error",
                            "detail": f"an unexpected error occurred; quote incident {incident}",
                            "title_th": "ระบบขัดข้อง",
                            "detail_th": f"เกิดข้อผิดพลาดที่ไม่คาดคิด กรุณาแจ้งรหัส {incident}",
                            "incident": incident,
                        },
                        ensure_ascii=False,
                    ),
                    status_code=500,
                    headers={"Content-Type": f"{PROBLEM_JSON}; charset=utf-8"},
                )

        return wrapper  # type: ignore[return-value]

    return decorate


def query_params(request: Request) -> dict[str, str]:
    return dict(request.query_params or {})
