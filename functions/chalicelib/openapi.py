"""The OpenAPI 3.1 document, generated from the operations the modules declare and their models.

Nothing here is written by hand per route: each `Api.operation` records its path, parameters, body,
answer, problems and summaries (kernel/http.py), and the schemas come from the pydantic models. A
test checks that the document validates and that every served route is in it.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.kernel.http import OPERATIONS, Operation

REF = "#/components/schemas/{model}"
PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEM_TITLES = {
    400: "Malformed request (not JSON, nested too deeply)",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found (also another agency's record)",
    405: "Method not allowed",
    409: "Conflicts with the current state (or names something the agency does not have)",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid input: `errors` names each field",
    500: "Internal error (with an incident id)",
    503: "Busy, retry",
}
RESPONSE_HEADERS = {
    "Location": {"description": "where the created or queued resource is", "schema": {"type": "string"}},
    "Idempotent-Replayed": {
        "description": "true when this answers an earlier request again",
        "schema": {"type": "string", "enum": ["true"]},
    },
}


def _model_schemas() -> tuple[dict[Any, Any], dict[str, Any]]:
    wanted: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = []
    for op in OPERATIONS:
        if op.body is not None:
            wanted.append((op.body, "validation"))
        if op.answer is not None:
            wanted.append((op.answer, "serialization"))
    unique = list(dict.fromkeys(wanted))
    refs, definitions = models_json_schema(unique, ref_template=REF)
    return dict(refs), dict(definitions.get("$defs", {}))


def _parameters(
    model: type[BaseModel] | None, where: str, definitions: dict[str, Any]
) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(by_alias=True, ref_template=REF)
    definitions.update(schema.get("$defs", {}))
    required = set(schema.get("required", []))
    parameters = []
    for name, field_schema in schema.get("properties", {}).items():
        prop = {k: v for k, v in field_schema.items() if k != "title"}
        description = prop.pop("description", "")
        # An optional query parameter is given or not: `null` is not something a URL can say.
        if "anyOf" in prop and {"type": "null"} in prop["anyOf"]:
            options = [o for o in prop.pop("anyOf") if o != {"type": "null"}]
            prop = (
                {**options[0], **{k: v for k, v in prop.items() if k != "default"}}
                if len(options) == 1
                else {
                    "anyOf": options,
                    **{k: v for k, v in prop.items() if k != "default"},
                }
            )
        parameter: dict[str, Any] = {
            "name": name,
            "in": where,
            "required": where == "path" or name in required,
        }
        if description:
            parameter["description"] = description
        parameter["schema"] = prop
        parameters.append(parameter)
    return parameters


def _problems(codes: tuple[int, ...]) -> dict[str, Any]:
    return {
        str(code): {
            "description": PROBLEM_TITLES[code],
            "content": {"application/problem+json": {"schema": PROBLEM}},
        }
        for code in codes
    }


def _operation(op: Operation, refs: dict[Any, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    parameters = _parameters(op.params, "path", definitions) + _parameters(op.query, "query", definitions)
    for name, schema, required in op.request_headers:
        parameters.append({"name": name, "in": "header", "required": required, "schema": schema})
    answer_content: dict[str, Any]
    if op.answer is not None:
        answer_content = {op.answer_media: {"schema": refs[(op.answer, "serialization")]}}
    elif op.answer_media == "application/json":
        answer_content = {op.answer_media: {"schema": {"type": "object"}}}
    else:
        answer_content = {op.answer_media: {"schema": {"type": "string", "format": "binary"}}}
    for media in op.other_media:
        answer_content[media] = {"schema": {"type": "string"}}
    response: dict[str, Any] = {"description": op.summary, "content": answer_content}
    if op.status == 204:  # No Content: nothing to describe
        response = {"description": op.summary}
    if op.answer_headers:
        response["headers"] = {name: RESPONSE_HEADERS[name] for name in op.answer_headers}
    responses = {str(op.status), *(["200"] if "Idempotent-Replayed" in op.answer_headers else [])}
    document: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "description": "\n\n".join(x for x in (op.summary_th, op.description) if x),
        "x-summary-th": op.summary_th,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": {**{code: response for code in sorted(responses)}, **_problems(op.problems)},
    }
    if op.body is not None:
        document["requestBody"] = {
            "required": True,
            "content": {media: {"schema": refs[(op.body, "validation")]} for media in op.request_media},
        }
    elif op.request_media and "application/json" not in op.request_media and "*/*" not in op.request_media:
        binary = {"schema": {"type": "string", "format": "binary"}}
        document["requestBody"] = {"required": True, "content": {media: binary for media in op.request_media}}
    document["security"] = [{"bearer": []}] if op.authenticated else []
    return document


@cache
def openapi_document() -> dict[str, Any]:
    refs, definitions = _model_schemas()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs, definitions)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "e-Office platform API (ระบบสารบรรณอิเล็กทรอนิกส์)",
            "version": "1",
            "description": "Registers, documents, signing and validation for Thai government agencies. "
            "Errors are RFC 9457 problem details with English (title, detail) and Thai (title_th, "
            "detail_th) messages. Text is well-formed Unicode with no control characters but tab and "
            "newline in multi-line fields.",
        },
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "the OIDC ID token of the agency user pool (Cognito; ThaiD federated)",
                }
            },
            "schemas": {**definitions, "Problem": _problem_schema()},
        },
    }


def _problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 9457 problem details, with Thai messages; extension members may follow",
        "required": ["type", "status", "title"],
        "properties": {
            "type": {"type": "string"},
            "status": {"type": "integer"},
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "title_th": {"type": "string"},
            "detail_th": {"type": "string"},
            "code": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string"},
                        "in": {"type": "string"},
                        "message": {"type": "string"},
                        "message_th": {
                            "type": "string",
                            "description": "the same refusal in Thai, when said",
                        },
                    },
                },
            },
        },
        "additionalProperties": True,
    }
