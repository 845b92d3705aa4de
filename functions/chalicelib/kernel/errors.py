"""Domain errors: each carries a Thai and an English message and maps to an RFC 9457 problem.

The operation decorator (kernel/http.py) turns them into `application/problem+json` answers; nothing
below it knows HTTP beyond the status number each error class declares. Each module raises these (or
subclasses of them), so a client sees one problem vocabulary across the API.
"""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_BASE = "https://eoffice.go.th/problems/"


class DomainError(Exception):
    """A rule refused the request. `code` names the problem type; messages are for people."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"

    def __init__(self, message_th: str, message_en: str, **extra: Any) -> None:
        super().__init__(message_en)
        self.message_th = message_th
        self.message_en = message_en
        self.extra = extra

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.code,
            "status": self.status,
            "title": self.message_en,
            "detail": self.message_en,
            "title_th": self.message_th,
            "detail_th": self.message_th,
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class InvalidInput(DomainError):
    status = 422
    code = "invalid-input"


class MalformedRequest(DomainError):
    status = 400
    code = "malformed-request"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """Also what a caller sees for another agency's record: existence is never revealed."""

    status = 404
    code = "not-found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class SecrecyRefused(DomainError):
    """ลับที่สุด content may not be carried by an e-saraban system (ข้อ 29, amendment 2564)."""

    status = 422
    code = "secrecy-refused"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload-too-large"


class Busy(DomainError):
    """Contention did not settle within the retry budget; the client may retry safely."""

    status = 503
    code = "busy"


class UnknownReference(DomainError):
    """The request names something the agency does not have (a unit, a user, a book).

    409, not 422: the request is well formed; it conflicts with the agency's directory as it is now.
    """

    status = 409
    code = "unknown-reference"


class MethodNotAllowed(DomainError):
    status = 405
    code = "method-not-allowed"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported-media-type"
