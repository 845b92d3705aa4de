"""Tenant isolation and error answers over HTTP."""

from __future__ import annotations

import base64
import json

from tests.integration.conftest import DEPT_SARABAN, OPS_SARABAN, OPS_SECRET, OPS_STAFF, OPS_STAFF2, Stack


def make_document(stack: Stack, user: tuple[str, str], **fields: object) -> dict[str, object]:
    answer = stack.call(
        "POST", "/v1/documents", user, json={"kind": "internal", "subject": "บันทึกภายใน", **fields}
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_another_agency_cannot_read_or_register_or_upload_to_a_document(stack: Stack) -> None:
    document = make_document(stack, OPS_STAFF)
    doc_id = document["id"]
    assert stack.call("GET", f"/v1/documents/{doc_id}", OPS_STAFF2).status_code == 200
    for method, path, body in (
        ("GET", f"/v1/documents/{doc_id}", None),
        ("POST", f"/v1/documents/{doc_id}/files", {"filename": "a.pdf", "content_type": "application/pdf"}),
        ("POST", "/v1/registers/incoming/entries", {"document_id": doc_id}),
        ("GET", f"/v1/documents/{doc_id}/files/0000000000000000/download", None),
    ):
        answer = stack.call(method, path, DEPT_SARABAN, json=body)
        # The same 404 as for an id that never existed: existence is not revealed.
        assert answer.status_code == 404, (path, answer.text)
    never = stack.call("GET", "/v1/documents/19a0000000000000000ff", DEPT_SARABAN).json()
    theirs = stack.call("GET", f"/v1/documents/{doc_id}", DEPT_SARABAN).json()
    assert (never["status"], never["code"], never["title_th"]) == (
        theirs["status"],
        theirs["code"],
        theirs["title_th"],
    )


def test_a_cursor_cannot_reach_another_agency(stack: Stack) -> None:
    # A cursor is an entry number: it can name a place in a book, never a book, and a forged one
    # (a partition key in it, as an earlier cursor format might have carried) is refused at the door.
    forged = base64.urlsafe_b64encode(
        json.dumps({"sk": "ENTRY#00000000", "pk": "mdes-ops#BOOK#outgoing#2569"}).encode()
    )
    answer = stack.call(
        "GET", "/v1/registers/outgoing", DEPT_SARABAN, params={"cursor": forged.decode().rstrip("=")}
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "cursor"
    page = stack.call("GET", "/v1/registers/outgoing", DEPT_SARABAN, params={"cursor": "0"})
    assert page.status_code == 200
    assert all(not e["ref_line"] or "ดศ 0201" not in e["ref_line"] for e in page.json()["entries"])


def test_unknown_book_is_404_and_path_tricks_are_refused_at_the_door(stack: Stack) -> None:
    assert stack.call("GET", "/v1/registers/nope", OPS_SARABAN).status_code == 404
    trick = stack.call("GET", "/v1/documents/..%2F..%2Fetc", OPS_SARABAN)
    assert trick.status_code == 422 and trick.json()["errors"][0]["field"] == "document_id"


def test_requests_without_a_valid_token_are_refused(stack: Stack) -> None:
    assert stack.call("GET", "/v1/me").status_code == 401
    bad = stack.call("GET", "/v1/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert bad.status_code == 401 and bad.json()["title_th"] and bad.json()["title"]
    token = stack.token(*OPS_SARABAN)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["custom:agency_id"] = "mdes-dept"  # claim another agency: the signature no longer matches
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    answer = stack.call("GET", "/v1/me", headers={"Authorization": f"Bearer {header}.{forged}.{signature}"})
    assert answer.status_code == 401


def test_malformed_input_is_4xx_with_thai_and_english(stack: Stack) -> None:
    answer = stack.call(
        "POST", "/v1/documents", OPS_STAFF, data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["type"].endswith("malformed-request") and problem["title_th"] and problem["detail"]
    invalid = stack.call("POST", "/v1/documents", OPS_STAFF, json={"kind": "letter", "subject": "x"})
    assert invalid.status_code == 422 and "kind" in invalid.json()["detail"]
    extra = stack.call(
        "POST", "/v1/documents", OPS_STAFF, json={"kind": "internal", "subject": "x", "agency": "mdes-dept"}
    )
    assert extra.status_code == 422  # the agency never comes from the body
    both = stack.call(
        "POST",
        "/v1/registers/outgoing/entries",
        OPS_SARABAN,
        json={"document_id": "abcdefabcdef", "document": {}},
    )
    assert both.status_code == 422


def test_secret_documents_need_clearance_and_a_grant(stack: Stack) -> None:
    from devstack.stack import read_state

    secret_sub = read_state(stack.port).users["ops.secret"]["sub"]
    assert (
        stack.call(
            "POST", "/v1/documents", OPS_STAFF, json={"kind": "internal", "subject": "x", "secrecy": "secret"}
        ).status_code
        == 403
    )
    document = make_document(stack, ("mdes-ops", "ops.director"), secrecy="secret", grants=[secret_sub])
    assert stack.call("GET", f"/v1/documents/{document['id']}", OPS_SECRET).status_code == 200
    assert stack.call("GET", f"/v1/documents/{document['id']}", OPS_STAFF).status_code == 404
    assert (
        stack.call("GET", f"/v1/documents/{document['id']}", OPS_SARABAN).status_code == 404
    )  # ลับ clearance < ลับมาก


def test_top_secret_content_is_refused_and_only_a_neutral_entry_is_kept(stack: Stack) -> None:
    refused = stack.call(
        "POST",
        "/v1/documents",
        OPS_SECRET,
        json={"kind": "external", "subject": "แผนลับ", "secrecy": "top_secret"},
    )
    assert refused.status_code == 422 and refused.json()["code"] == "secrecy-refused"
    assert "ข้อ 29" in refused.json()["detail_th"]
    entry = stack.call(
        "POST",
        "/v1/registers/incoming/entries",
        OPS_SARABAN,
        json={"document": {"kind": "external", "secrecy": "top_secret"}},
    )
    assert entry.status_code == 201, entry.text
    upload = stack.call(
        "POST",
        f"/v1/documents/{entry.json()['document_id']}/files",
        OPS_SARABAN,
        json={"filename": "x.pdf", "content_type": "application/pdf"},
    )
    assert upload.status_code in (404, 422)


def test_openapi_describes_every_route(stack: Stack) -> None:
    import sys

    sys.path.insert(0, "functions")
    import app

    document = stack.call("GET", "/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    for path, methods in app.app.routes.items():
        for method in methods:
            operation = document["paths"][path][method.lower()]
            assert operation["operationId"], (path, method)
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_answers_carry_a_correlation_id(stack: Stack) -> None:
    given = stack.call("GET", "/v1/health", headers={"X-Correlation-Id": "abc-123"})
    assert given.headers["X-Correlation-Id"] == "abc-123"
    assert stack.call("GET", "/v1/health").headers["X-Correlation-Id"]
