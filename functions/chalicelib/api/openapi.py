"""The OpenAPI 3.1 description of every route (a test checks it against the app's routes)."""

from __future__ import annotations

from functools import cache
from typing import Any

from chalicelib.domain.documents import DocumentDraft

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _problem_responses(*codes: int) -> dict[str, Any]:
    names = {
        415: "Unsupported media type",
        500: "Internal error (with an incident id)",
        400: "Malformed request",
        401: "Not authenticated",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict",
        413: "Too large",
        422: "Invalid input",
        503: "Busy, retry",
    }
    return {
        str(code): {"description": names[code], "content": {"application/problem+json": {"schema": PROBLEM}}}
        for code in codes
    }


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _path_param(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


BOOK = _path_param(
    "book", "register book: incoming, outgoing, circular, order, announcement or agency-defined"
)
DOC = _path_param("document_id", "document id")
AUTH = _problem_responses(401, 403)
LIST_FILTERS = [
    _query("year", "Buddhist year (พ.ศ.), default the current year", {"type": "integer"}),
    _query("from", "registered on or after (YYYY-MM-DD, Bangkok time)", {"type": "string", "format": "date"}),
    _query("to", "registered on or before (YYYY-MM-DD)", {"type": "string", "format": "date"}),
    _query("urgency", "normal | urgent | very_urgent | most_urgent"),
    _query("secrecy", "normal | confidential | secret (never above your clearance)"),
    _query("q", "Thai or English text in the subject"),
]

ENTRY = {
    "type": "object",
    "required": ["book", "year", "number", "registered_at", "document_id"],
    "properties": {
        "book": {"type": "string"},
        "year": {"type": "integer", "description": "Buddhist year (พ.ศ.)"},
        "number": {"type": "integer", "minimum": 1},
        "ref_line": {"type": ["string", "null"], "examples": ["ที่ ดศ 0201/123"]},
        "registered_at": {"type": "string", "format": "date-time"},
        "document_id": {"type": "string"},
        "received_number": {"type": "integer", "description": "เลขรับ (incoming books)"},
    },
}


@cache
def openapi_document() -> dict[str, Any]:
    draft_schema = DocumentDraft.model_json_schema(ref_template="#/components/schemas/{model}")
    components = draft_schema.pop("$defs", {})
    components["DocumentDraft"] = draft_schema
    components["Problem"] = {
        "type": "object",
        "description": "RFC 9457 problem details, with the messages in Thai and English",
        "required": ["type", "status", "title", "title_th"],
        "properties": {
            "type": {"type": "string"},
            "status": {"type": "integer"},
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "title_th": {"type": "string"},
            "detail_th": {"type": "string"},
            "code": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object"}, "description": "per-field problems"},
            "incident": {"type": "string", "description": "quote it to support (500s)"},
        },
        "additionalProperties": True,
    }
    components["RegisterEntry"] = ENTRY
    document = {"type": "object", "description": "a document with its files, registrations and state"}
    paths: dict[str, Any] = {
        "/v1/health": {
            "get": {
                "operationId": "health",
                "summary": "Liveness",
                "security": [],
                "responses": {"200": _json({"type": "object"})},
            }
        },
        "/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "responses": {"200": _json({"type": "object"})},
            }
        },
        "/v1/me": {
            "get": {
                "operationId": "getMe",
                "summary": "The caller: agency, units, roles, clearance",
                "responses": {"200": _json({"type": "object"}), **AUTH},
            }
        },
        "/v1/users": {
            "get": {
                "operationId": "listUsers",
                "summary": "The agency's users in Thai dictionary order (ids for choosing signers)",
                "responses": {"200": _json({"type": "object"}), **AUTH},
            }
        },
        "/v1/users/{user_id}/delegations": {
            "put": {
                "operationId": "setDelegations",
                "summary": "Record a user's delegations (ปฏิบัติราชการแทน / รักษาราชการแทน); agency admin",
                "parameters": [_path_param("user_id", "the delegate")],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["delegations"],
                                "properties": {
                                    "delegations": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["kind", "from_user", "order_reference"],
                                            "properties": {
                                                "kind": {"enum": ["acting", "on_behalf"]},
                                                "from_user": {"type": "string"},
                                                "until": {"type": "string", "format": "date-time"},
                                                "order_reference": {"type": "string"},
                                            },
                                        },
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {"200": _json({"type": "object"}), **AUTH, **_problem_responses(404, 422)},
            }
        },
        "/v1/documents": {
            "post": {
                "operationId": "createDocument",
                "summary": "Create a document (draft)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/DocumentDraft"}}
                    },
                },
                "responses": {"201": _json(document, "Created"), **AUTH, **_problem_responses(400, 422)},
            }
        },
        "/v1/documents/{document_id}": {
            "get": {
                "operationId": "getDocument",
                "summary": "A document with its files, registrations and state",
                "parameters": [DOC],
                "responses": {"200": _json(document), **AUTH, **_problem_responses(404)},
            }
        },
        "/v1/documents/{document_id}/files": {
            "post": {
                "operationId": "requestFileUpload",
                "summary": "A presigned POST for uploading one file",
                "parameters": [DOC],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["filename", "content_type"],
                                "properties": {
                                    "filename": {"type": "string"},
                                    "content_type": {
                                        "enum": ["application/pdf", "image/png", "image/jpeg", "image/tiff"]
                                    },
                                    "role": {"enum": ["main", "enclosure"], "default": "main"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _json({"type": "object"}, "Upload URL issued"),
                    **AUTH,
                    **_problem_responses(404, 422),
                },
            }
        },
        "/v1/documents/{document_id}/files/{file_id}/download": {
            "get": {
                "operationId": "getFileDownloadUrl",
                "summary": "A short-lived URL for one file",
                "parameters": [
                    DOC,
                    _path_param("file_id", "file id"),
                    _query("variant", "original | stamped (the receipt-stamped copy)"),
                ],
                "responses": {"200": _json({"type": "object"}), **AUTH, **_problem_responses(404, 422)},
            }
        },
        "/v1/registers/{book}/entries": {
            "post": {
                "operationId": "registerEntry",
                "summary": "Take the next number in a book for a document",
                "parameters": [
                    BOOK,
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 128},
                        "description": "a retried request with the same key returns the first answer",
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "document_id": {"type": "string"},
                                    "document": {"$ref": "#/components/schemas/DocumentDraft"},
                                    "unit_id": {
                                        "type": "string",
                                        "description": "owning unit for the ที่ line",
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _json({"$ref": "#/components/schemas/RegisterEntry"}, "Registered"),
                    "200": _json({"$ref": "#/components/schemas/RegisterEntry"}, "Replayed"),
                    **AUTH,
                    **_problem_responses(400, 404, 409, 422, 503),
                },
            }
        },
        "/v1/registers/{book}/entries/{year}/{number}/cancel": {
            "post": {
                "operationId": "cancelEntry",
                "summary": "Cancel an entry; it keeps its number",
                "parameters": [
                    BOOK,
                    _path_param("year", "พ.ศ.", {"type": "integer"}),
                    _path_param("number", "entry number", {"type": "integer"}),
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["reason"],
                                "properties": {"reason": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {"200": _json({"type": "object"}), **AUTH, **_problem_responses(404, 409, 422)},
            }
        },
        "/v1/registers/{book}": {
            "get": {
                "operationId": "listRegister",
                "summary": "A book's year in number order, paged by cursor",
                "parameters": [
                    BOOK,
                    *LIST_FILTERS,
                    _query("cursor", "from the previous page"),
                    _query("limit", "1-200, default 50", {"type": "integer"}),
                ],
                "responses": {"200": _json({"type": "object"}), **AUTH, **_problem_responses(404, 422)},
            }
        },
        "/v1/registers/{book}/export.csv": {
            "get": {
                "operationId": "exportRegisterCsv",
                "summary": "The book's year as CSV (UTF-8 with BOM)",
                "parameters": [BOOK, *LIST_FILTERS],
                "responses": {
                    "200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                    **AUTH,
                    **_problem_responses(404, 422),
                },
            }
        },
        "/v1/registers/{book}/export.pdf": {
            "get": {
                "operationId": "exportRegisterPdf",
                "summary": "The book's year as a PDF in the register's columns",
                "parameters": [BOOK, *LIST_FILTERS],
                "responses": {
                    "200": {
                        "description": "PDF",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    **AUTH,
                    **_problem_responses(404, 422),
                },
            }
        },
        "/v1/documents/{document_id}/history": {
            "get": {
                "operationId": "getDocumentHistory",
                "summary": "The document's audit trail: who, what, when, before and after",
                "parameters": [DOC],
                "responses": {"200": _json({"type": "object"}), **AUTH, **_problem_responses(404)},
            }
        },
        "/v1/documents/{document_id}/render": {
            "post": {
                "operationId": "renderDocument",
                "summary": "Render the form (letter, memo, order, announcement) into the draft PDF",
                "parameters": [DOC],
                "responses": {
                    "201": _json({"type": "object"}, "Rendered"),
                    **AUTH,
                    **_problem_responses(404, 409, 422),
                },
            }
        },
        "/v1/documents/{document_id}/sign": {
            "post": {
                "operationId": "signDocument",
                "summary": "Sign when your turn has come (or under an active delegation): queues the job",
                "parameters": [DOC],
                "responses": {
                    "202": _json({"type": "object"}, "Signature job queued; GET the document for its state"),
                    **AUTH,
                    **_problem_responses(404, 409, 422),
                },
            }
        },
        "/v1/documents/{document_id}/pdf": {
            "get": {
                "operationId": "getDocumentPdfUrl",
                "summary": "A short-lived URL for the document's current PDF (the latest signed version)",
                "parameters": [DOC],
                "responses": {"200": _json({"type": "object"}), **AUTH, **_problem_responses(404, 422)},
            }
        },
        "/v1/validate": {
            "post": {
                "operationId": "validatePdf",
                "summary": "Check every signature of a PDF against the agency's trust list",
                "parameters": [
                    _query("format", "json (default) or html: a readable report in Thai and English")
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                },
                "responses": {
                    "200": {
                        "description": "the validation report",
                        "content": {
                            "application/json": {"schema": {"type": "object"}},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    **AUTH,
                    **_problem_responses(413, 422),
                },
            }
        },
    }
    for item in paths.values():
        for operation in item.values():
            # Every body can be malformed; anything can fail unexpectedly.
            extra = (400, 415, 500) if "requestBody" in operation else (500,)
            operation["responses"] = {**_problem_responses(*extra), **operation["responses"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "e-Office API",
            "version": "1.0.0",
            "description": "ระบบสารบรรณอิเล็กทรอนิกส์: registers, documents, files. Errors are RFC 9457 "
            "problems with Thai (title_th, detail_th) and English messages.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": components,
        },
        "paths": paths,
    }
