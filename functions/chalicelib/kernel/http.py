"""The HTTP door: one `operation` decorator per route, and the problems every route can answer.

    api = Api(__name__, tag="registers")

    @api.operation("POST", "/registers/{book}/entries", id="registerEntry",
                   summary="Register a letter", summary_th="ลงทะเบียนหนังสือ",
                   params=BookPath, body=RegistrationCommand, answer=RegisterEntry, status=201)
    def register_entry(call: Call[RegistrationCommand, None, BookPath]) -> Reply:
        ...

The decorator authenticates the caller, parses the path parameters, the query string and the JSON
body into their models (a 422 naming each bad field, in Thai and English), runs the view, serialises
its answer from the answer model, maps domain errors to RFC 9457 problems, and records the operation
so that the OpenAPI document (chalicelib/openapi.py) is generated from exactly what is served.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from chalice.app import Blueprint, Request, Response
from pydantic import BaseModel, ValidationError

from chalicelib.kernel import clock, identity
from chalicelib.kernel.errors import (
    DomainError,
    InvalidInput,
    MalformedRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from chalicelib.kernel.log import logger
from chalicelib.kernel.principal import Principal
from chalicelib.saraban import Secrecy

PROBLEM_JSON = "application/problem+json"
JSON = "application/json"
MAX_JSON_BYTES = 256 * 1024
# Problems any operation can answer: a malformed body, invalid fields, an internal error.
COMMON_PROBLEMS = (400, 422, 500)
AUTH_PROBLEMS = (401, 403)

B = TypeVar("B")
Q = TypeVar("Q")
P = TypeVar("P")


@dataclass(frozen=True)
class Operation:
    """One route as the OpenAPI document describes it."""

    method: str
    path: str  # under /v1, as routed
    operation_id: str
    summary: str
    summary_th: str
    tag: str
    params: type[BaseModel] | None
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    answer: type[BaseModel] | None
    status: int
    problems: tuple[int, ...]
    authenticated: bool
    request_media: tuple[str, ...]  # what the body may be sent as
    answer_media: str  # application/json, or text/csv, application/pdf, text/html
    other_media: tuple[str, ...] = ()  # other forms of the same answer (a validation report as HTML)
    answer_headers: tuple[str, ...] = ()  # documented response headers (Location, Idempotent-Replayed)
    request_headers: tuple[tuple[str, dict[str, Any], bool], ...] = ()  # (name, schema, required)
    description: str = ""


OPERATIONS: list[Operation] = []


@dataclass(frozen=True)
class Call[B, Q, P]:
    """What a view gets: the caller and the parsed request."""

    principal: Principal
    body: B
    query: Q
    params: P
    headers: Mapping[str, str]
    raw_body: bytes
    now: datetime


@dataclass(frozen=True)
class Reply:
    """A view's answer when it sets the status or headers; a bare model means the operation's status."""

    answer: BaseModel | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | str | None = None  # a non-JSON answer (CSV, PDF, HTML)


AnyCall = Call[Any, Any, Any]
View = Callable[[AnyCall], "Reply | BaseModel"]


class Api:
    """A module's routes: a Chalice blueprint whose every route goes through `operation`."""

    def __init__(self, import_name: str, *, tag: str) -> None:
        self.blueprint = Blueprint(import_name)
        self.tag = tag

    def operation(
        self,
        method: str,
        path: str,
        *,
        id: str,
        summary: str,
        summary_th: str,
        params: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        body: type[BaseModel] | None = None,
        answer: type[BaseModel] | None = None,
        status: int = 200,
        problems: tuple[int, ...] = (),
        public: bool = False,
        request_media: tuple[str, ...] = (JSON,),
        answer_media: str = JSON,
        other_media: tuple[str, ...] = (),
        answer_headers: tuple[str, ...] = (),
        request_headers: tuple[tuple[str, dict[str, Any], bool], ...] = (),
        description: str = "",
    ) -> Callable[[View], View]:
        auth = () if public else AUTH_PROBLEMS
        extra = (415,) if method in ("POST", "PUT", "PATCH") else ()
        op = Operation(
            method=method,
            path="/v1" + path,
            operation_id=id,
            summary=summary,
            summary_th=summary_th,
            tag=self.tag,
            params=params,
            query=query,
            body=body,
            answer=answer,
            status=status,
            problems=tuple(sorted({*COMMON_PROBLEMS, *auth, *extra, *problems})),
            authenticated=not public,
            request_media=request_media,
            answer_media=answer_media,
            other_media=other_media,
            answer_headers=answer_headers,
            request_headers=request_headers,
            description=description,
        )

        def decorate(view: View) -> View:
            OPERATIONS.append(op)
            blueprint = self.blueprint

            def route(**path_params: str) -> Response:
                request = blueprint.current_request
                assert request is not None
                return _run(op, view, request, path_params)

            route.__name__ = view.__name__
            route.__doc__ = view.__doc__
            # Any media type reaches the operation: it checks the type after authenticating, so that a
            # caller without a token learns nothing but 401 (kernel checks it in `_run`).
            blueprint.route(path, methods=[method], content_types=["*/*"])(route)
            return view

        return decorate


# -- running an operation ------------------------------------------------------------------------
def _run(op: Operation, view: View, request: Request, path_params: dict[str, str]) -> Response:
    path = requested_path(request)
    try:
        principal = authenticate(request) if op.authenticated else _ANONYMOUS
        _check_media_type(op, request)
        raw = _raw_body(request)
        call: AnyCall = Call(
            principal=principal,
            params=parse(op.params, path_params, "path") if op.params else None,
            query=parse(op.query, dict(request.query_params or {}), "query") if op.query else None,
            body=parse_json_body(op.body, raw) if op.body else None,
            headers=request.headers,
            raw_body=raw,
            now=clock.utcnow(),
        )
        result = view(call)
        response = _respond(op, result)
        # Sampled requests only (kernel/log.py): ids and outcome, never the body.
        logger.debug("request", extra={"operation": op.operation_id, "status": response.status_code})
        return response
    except DomainError as error:
        if error.status >= 500:
            logger.warning("request refused", extra={"code": error.code})
        return problem_response(error, path)
    except Exception:
        return internal_error()


_ANONYMOUS = Principal(
    agency_id="",
    user_id="",
    username="",
    name="",
    position="",
    units=(),
    roles=frozenset(),
    clearance=Secrecy.NORMAL,
)  # public operations (health, the OpenAPI document) see no one


def _check_media_type(op: Operation, request: Request) -> None:
    if op.method not in ("POST", "PUT", "PATCH") or "*/*" in op.request_media:
        return
    sent = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if sent not in op.request_media:
        raise UnsupportedMediaType(
            "ไม่รองรับชนิดข้อมูลที่ส่งมา",
            f"unsupported Content-Type {sent!r}: send {' or '.join(op.request_media)}",
        )


def _raw_body(request: Request) -> bytes:
    raw = request.raw_body or b""
    return raw.encode() if isinstance(raw, str) else bytes(raw)


def authenticate(request: Request) -> Principal:
    """The caller from a verified token and the agency directory; the agency never comes from input."""
    return identity.principal_from(request.headers.get("authorization"))


def parse_json_body(model: type[BaseModel], raw: bytes) -> Any:
    if len(raw) > MAX_JSON_BYTES:
        raise PayloadTooLarge("ข้อมูลมีขนาดใหญ่เกินไป", f"the JSON body is over {MAX_JSON_BYTES} bytes")
    try:
        # The standard library first: it reads lone surrogates (valid JSON escapes), so the field that
        # holds one can be named; nesting beyond the parser's depth is a malformed body, not a 500.
        data = json.loads(raw or b"{}")
    except RecursionError as error:
        raise MalformedRequest("ข้อมูล JSON ซ้อนกันลึกเกินไป", "the JSON body is nested too deeply") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedRequest("ข้อมูล JSON ไม่ถูกต้อง", f"the body is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise InvalidInput("ข้อมูลต้องเป็นออบเจกต์ JSON", "the body must be a JSON object")
    _refuse_malformed_text(data, ())
    return parse(model, data, "body", strict=True)


def _refuse_malformed_text(value: Any, path: tuple[str, ...]) -> None:
    """A lone UTF-16 surrogate is valid JSON (a JavaScript client cutting a string inside an emoji
    sends one) but not text: refuse it, naming the field, before anything is hashed or stored."""
    if isinstance(value, str):
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            field = ".".join(path) or "(body)"
            raise InvalidInput(
                f"ข้อความในช่อง {field} มีอักขระที่ไม่สมบูรณ์ (surrogate)",
                f"{field}: the text is not well-formed Unicode (a lone surrogate)",
                errors=[{"field": field, "in": "body", "message": "not well-formed Unicode"}],
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_malformed_text(key, path)
            _refuse_malformed_text(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_malformed_text(item, (*path, str(index)))


def parse(model: type[BaseModel], data: dict[str, Any], where: str, *, strict: bool | None = None) -> Any:
    """A model from client data, or a 422 naming every bad field (Thai and English)."""
    try:
        if strict:
            # JSON-mode validation in strict mode: a date may be its ISO text, but "10" is not 10.
            return model.model_validate_json(json.dumps(data, ensure_ascii=False), strict=True)
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid(error, where) from None
    except UnicodeEncodeError:
        raise InvalidInput("ข้อความมีอักขระที่ไม่ถูกต้อง", f"the {where} holds malformed text") from None


def invalid(error: ValidationError, where: str) -> InvalidInput:
    from chalicelib.kernel.schema import Refused

    problems, thai = [], []
    for e in error.errors(include_url=False, include_input=False):
        field = ".".join(str(p) for p in e["loc"]) or f"({where})"
        message = e["msg"].removeprefix("Value error, ")
        cause = e.get("ctx", {}).get("error")
        problem = {"field": field, "in": where, "message": message}
        if isinstance(cause, Refused):
            problem["message_th"] = cause.th
        problems.append(problem)
        thai.append(f"{field}: {problem.get('message_th', message)}")
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:5])
    return InvalidInput("ข้อมูลไม่ถูกต้อง: " + "; ".join(thai[:5]), "invalid input: " + summary, errors=problems)


def _respond(op: Operation, result: Reply | BaseModel) -> Response:
    reply = result if isinstance(result, Reply) else Reply(result)
    status = reply.status or op.status
    if reply.body is not None:
        return Response(
            body=reply.body, status_code=status, headers={"Content-Type": op.answer_media, **reply.headers}
        )
    if reply.answer is None:
        return Response(body="", status_code=status, headers=dict(reply.headers))
    return json_response(reply.answer.model_dump(mode="json", by_alias=True), status, reply.headers)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


def problem_response(error: DomainError, path: str | None, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(error.problem(path), ensure_ascii=False, default=str),
        status_code=error.status,
        headers={"Content-Type": f"{PROBLEM_JSON}; charset=utf-8", **(headers or {})},
    )


def internal_error() -> Response:
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


def requested_path(request: Request) -> str:
    """The path asked for (a problem's `instance`), not the route template: API Gateway gives it
    as `path`; the local gateway only in the request context."""
    event = request.to_original_event()
    return str(event.get("path") or (event.get("requestContext") or {}).get("path") or request.path)


# -- what the framework answers itself ------------------------------------------------------------
_FRAMEWORK_PROBLEMS: dict[int, tuple[str, str, str]] = {
    405: ("method-not-allowed", "ไม่รองรับวิธีการเรียกนี้", "this method is not allowed on this path"),
    415: (
        "unsupported-media-type",
        "ไม่รองรับชนิดข้อมูลที่ส่งมา",
        "unsupported Content-Type: send the media type this operation accepts",
    ),
    400: ("malformed-request", "คำขอไม่ถูกต้อง", "the request is malformed"),
}


def as_problem(request: Request | None, response: Response) -> Response:
    """Chalice answers 405, 415 and binary-Accept 400s itself ({"Code": ..., "Message": ...}):
    turn those into problem details like every other error (an HTTP middleware calls this)."""
    body = response.body
    if response.status_code not in _FRAMEWORK_PROBLEMS or not isinstance(body, dict) or "Code" not in body:
        return response
    code, title_th, title_en = _FRAMEWORK_PROBLEMS[response.status_code]
    problem: dict[str, Any] = {
        "type": f"https://eoffice.go.th/problems/{code}",
        "status": response.status_code,
        "title": title_en,
        "detail": str(body.get("Message") or title_en),
        "title_th": title_th,
        "detail_th": title_th,
        "code": code,
    }
    if request is not None:
        problem["instance"] = requested_path(request)
    headers = {k: v for k, v in (response.headers or {}).items() if k.lower() != "content-type"}
    return Response(
        body=json.dumps(problem, ensure_ascii=False),
        status_code=response.status_code,
        headers={**headers, "Content-Type": f"{PROBLEM_JSON}; charset=utf-8"},
    )
