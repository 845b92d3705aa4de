"""Behaviour that a review found wrong once: secrecy through search, cancel and register again,
ลับที่สุด lines in the book, who may change a document, CSV injection, malformed input."""

from __future__ import annotations

import csv
import io
import uuid

from devstack.stack import read_state
from tests.integration.conftest import OPS_SARABAN, OPS_STAFF, OPS_STAFF2, Stack

OPS_HEAD = ("mdes-ops", "ops.head")


def test_search_does_not_reveal_classified_subjects(stack: Stack) -> None:
    tag = uuid.uuid4().hex[:8]
    made = stack.call(
        "POST",
        "/v1/registers/incoming/entries",
        OPS_SARABAN,
        json={
            "document": {"kind": "external", "subject": f"สอบสวนนายสมชาย {tag}", "secrecy": "confidential"}
        },
    )
    assert made.status_code == 201
    # ops.head is cleared for ลับ but holds no grant: the subject is masked, and not searchable either.
    found = stack.call("GET", "/v1/registers/incoming", OPS_HEAD, params={"q": tag}).json()["entries"]
    assert found == []
    listed = stack.call("GET", "/v1/registers/incoming", OPS_HEAD, params={"limit": "200"}).json()["entries"]
    line = next(e for e in listed if e["number"] == made.json()["number"])
    assert tag not in line["subject"]
    # The saraban, who registers and sees the subjects, can search them.
    assert stack.call("GET", "/v1/registers/incoming", OPS_SARABAN, params={"q": tag}).json()["entries"]


def test_a_cancelled_registration_frees_the_document_for_a_new_number(stack: Stack) -> None:
    made = stack.call(
        "POST",
        "/v1/registers/outgoing/entries",
        OPS_SARABAN,
        json={"document": {"kind": "external", "subject": "ขอความอนุเคราะห์", "owner_unit_id": "policy"}},
    ).json()
    path = f"/v1/registers/outgoing/entries/{made['year']}/{made['number']}/cancel"
    assert stack.call("POST", path, OPS_SARABAN, json={"reason": None}).status_code == 422
    assert stack.call("POST", path, OPS_SARABAN, json={"reason": "ออกเลขผิดเล่ม"}).status_code == 200
    document = stack.call("GET", f"/v1/documents/{made['document_id']}", OPS_SARABAN).json()
    assert document["state"] == "draft" and document["reference"] is None
    assert document["registrations"][0]["cancelled"] is True
    again = stack.call(
        "POST", "/v1/registers/outgoing/entries", OPS_SARABAN, json={"document_id": made["document_id"]}
    )
    assert again.status_code == 201 and again.json()["number"] > made["number"]


def test_top_secret_lines_show_in_the_book_and_can_be_cancelled(stack: Stack) -> None:
    made = stack.call(
        "POST",
        "/v1/registers/incoming/entries",
        OPS_SARABAN,
        json={"document": {"kind": "external", "secrecy": "top_secret"}},
    ).json()
    listed = stack.call("GET", "/v1/registers/incoming", OPS_SARABAN, params={"limit": "200"}).json()[
        "entries"
    ]
    line = next(e for e in listed if e["number"] == made["number"])
    assert line["secrecy"] == "top_secret" and "ลับที่สุด" in line["subject"]
    path = f"/v1/registers/incoming/entries/{made['year']}/{made['number']}/cancel"
    assert stack.call("POST", path, OPS_SARABAN, json={"reason": "ส่งคืนต้นเรื่อง"}).status_code == 200
    made_by_staff = stack.call(
        "POST", "/v1/documents", OPS_STAFF, json={"kind": "external", "secrecy": "top_secret"}
    )
    assert made_by_staff.status_code == 403  # neither saraban nor cleared


def test_only_the_author_unit_or_saraban_change_a_document(stack: Stack) -> None:
    document = stack.call(
        "POST",
        "/v1/documents",
        OPS_SARABAN,
        json={"kind": "external", "subject": "หนังสือของสารบรรณ", "owner_unit_id": "saraban"},
    ).json()
    grant = {"filename": "x.pdf", "content_type": "application/pdf"}
    assert (
        stack.call("POST", f"/v1/documents/{document['id']}/files", OPS_STAFF2, json=grant).status_code == 403
    )
    assert stack.call("POST", f"/v1/documents/{document['id']}/render", OPS_STAFF2).status_code == 403
    assert (
        stack.call("POST", f"/v1/documents/{document['id']}/files", OPS_SARABAN, json=grant).status_code
        == 201
    )


def test_csv_cells_never_start_a_formula(stack: Stack) -> None:
    evil = '=HYPERLINK("http://evil.example","x")'
    stack.call(
        "POST",
        "/v1/registers/outgoing/entries",
        OPS_SARABAN,
        json={"document": {"kind": "external", "subject": evil, "owner_unit_id": "policy"}},
    )
    answer = stack.call("GET", "/v1/registers/outgoing/export.csv", OPS_SARABAN)
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert "'" + evil in [r[6] for r in rows[1:]]
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_malformed_input_is_a_4xx(stack: Stack) -> None:
    document = stack.call(
        "POST", "/v1/documents", OPS_STAFF, json={"kind": "internal", "subject": "x"}
    ).json()
    for body in (
        {"filename": "a.pdf", "content_type": "application/pdf", "role": []},
        {"filename": "a.pdf", "content_type": ["application/pdf"]},
    ):
        answer = stack.call("POST", f"/v1/documents/{document['id']}/files", OPS_STAFF, json=body)
        assert answer.status_code == 422, answer.text
    assert (
        stack.call(
            "GET", "/v1/registers/outgoing/export.csv", OPS_SARABAN, params={"year": "2569\n"}
        ).status_code
        == 422
    )
    thai_year = stack.call("GET", "/v1/registers/outgoing/export.csv", OPS_SARABAN, params={"year": "๒๕๖๙"})
    assert thai_year.status_code == 200 and "2569" in thai_year.headers["Content-Disposition"]
    huge = "9" * 5000
    assert (
        stack.call(
            "POST", f"/v1/registers/outgoing/entries/2569/{huge}/cancel", OPS_SARABAN, json={"reason": "x"}
        ).status_code
        == 422
    )
    problem = stack.call("GET", f"/v1/documents/{document['id']}zz", OPS_STAFF).json()
    assert problem["instance"] == f"/v1/documents/{document['id']}zz"


def test_idempotency_keys_belong_to_their_user(stack: Stack) -> None:
    users = read_state(stack.port).users
    assert users["ops.saraban"]["roles"] == ["saraban"]
    key = {"Idempotency-Key": uuid.uuid4().hex}
    body = {"document": {"kind": "external", "subject": "ซ้ำกุญแจ", "owner_unit_id": "policy"}}
    first = stack.call("POST", "/v1/registers/circular/entries", OPS_SARABAN, json=body, headers=key)
    assert first.status_code == 201
    # The same key from another user is another request: their own key space.
    other = stack.call(
        "POST", "/v1/registers/circular/entries", ("mdes-ops", "ops.admin"), json=body, headers=key
    )
    assert other.status_code == 403  # (and the admin may not register at all)
