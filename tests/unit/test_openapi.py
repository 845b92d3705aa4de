"""The generated OpenAPI document: valid 3.1, every served route in it, every operation described."""

import app
from chalicelib.openapi import openapi_document
from openapi_spec_validator import validate


def test_the_document_is_valid_openapi_3_1_with_unique_operation_ids() -> None:
    document = openapi_document()
    validate(document)  # raises on any schema violation
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_every_served_route_is_in_the_document_and_nothing_else() -> None:
    served = {(path, method.lower()) for path, entry in app.app.routes.items() for method in entry}
    described = {(path, method) for path, item in openapi_document()["paths"].items() for method in item}
    assert served == described


def test_every_operation_is_typed_and_described_in_thai_and_english() -> None:
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            where = (path, method)
            assert operation["summary"] and operation["x-summary-th"], where
            assert "500" in operation["responses"] and "422" in operation["responses"], where
            if operation["security"]:
                assert {"401", "403"} <= set(operation["responses"]), where
            ok = next(code for code in operation["responses"] if code.startswith("2"))
            content = operation["responses"][ok].get("content", {})
            assert bool(content) == (ok != "204"), where  # No Content has none
            if "application/json" in content and path != "/v1/openapi.json":
                assert content["application/json"]["schema"] != {"type": "object"}, where
            for parameter in operation["parameters"]:
                if parameter["in"] == "path":
                    schema = parameter["schema"]
                    assert {"pattern", "minimum", "enum"} & set(schema), (where, parameter["name"])


def _draft_rules_agree(body: dict[str, object]) -> tuple[bool, bool]:
    """Whether the published draft schema and the model accept ``body`` (they must agree)."""
    import json

    from chalicelib.documents.models import DocumentDraft
    from jsonschema import Draft202012Validator
    from pydantic import ValidationError

    schema = DocumentDraft.model_json_schema()
    by_schema = Draft202012Validator(schema).is_valid(body)
    try:
        DocumentDraft.model_validate_json(json.dumps(body))  # as the API reads it
        by_model = True
    except ValidationError:
        by_model = False
    return by_schema, by_model


def test_the_published_draft_schema_says_which_forms_carry_a_committee_or_a_meeting() -> None:
    member = {"name": "นายสมชาย ใจดี", "role": "ประธานกรรมการ"}
    committee = {"committee": [member]}
    meeting = {
        "title": "คณะทำงาน",
        "attendees": [{"name": "นายสมชาย ใจดี"}],
        "agenda": [{"title": "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"}],
    }
    minutes = {"meeting": meeting}
    cases = [
        ({"kind": "external", "subject": "ขอเชิญ", "structure": {"committee": [member]}}, False),
        ({"kind": "record", "subject": "บันทึก", "structure": {"committee": [member]}}, False),
        ({"kind": "directive", "sub_kind": "order", "subject": "แต่งตั้ง", "structure": committee}, True),
        ({"kind": "directive", "subject": "แต่งตั้ง", "structure": {"committee": [member]}}, True),
        ({"kind": "external", "subject": "ขอเชิญ", "structure": {"committee": []}}, True),
        ({"kind": "record", "subject": "รายงาน", "structure": {"meeting": meeting}}, False),
        ({"kind": "record", "sub_kind": "minutes", "subject": "รายงาน", "structure": minutes}, True),
        ({"kind": "internal", "secrecy": "top_secret", "structure": {}}, False),
    ]
    for body, accepted in cases:
        assert _draft_rules_agree(body) == (accepted, accepted), body


def test_a_draft_refused_at_the_door_is_told_in_thai_and_in_english() -> None:
    import pytest
    from chalicelib.documents.models import DocumentDraft
    from chalicelib.kernel.errors import InvalidInput
    from chalicelib.kernel.http import parse

    body = {"kind": "record", "urgency": "urgent", "subject": "บันทึกการตรวจ"}
    with pytest.raises(InvalidInput) as refused:
        parse(DocumentDraft, body, "body", strict=True)
    problem = refused.value.problem()
    assert problem["title_th"].startswith("ข้อมูลไม่ถูกต้อง: urgency: ชั้นความเร็วระบุได้เฉพาะ")
    assert "carries no urgency mark" not in problem["title_th"]
    assert problem["title"].startswith("invalid input: urgency: a record carries no urgency mark")
    [error] = problem["errors"]
    assert error["field"] == "urgency" and error["message_th"].startswith("ชั้นความเร็ว")
