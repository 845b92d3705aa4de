"""Signing over HTTP: turns in order, the sign worker (SQS), validation of the result."""

from __future__ import annotations

from typing import Any

import requests

from devstack.stack import read_state
from tests.integration.conftest import DEPT_SARABAN, OPS_SARABAN, OPS_STAFF, Stack
from tests.integration.test_files_api import small_pdf, upload, wait_for

OPS_HEAD = ("mdes-ops", "ops.head")
OPS_DIRECTOR = ("mdes-ops", "ops.director")


def signed_count(document: dict[str, Any]) -> int:
    return len(document["signatures"])


def test_two_signers_in_order_and_the_result_validates(stack: Stack) -> None:
    users = read_state(stack.port).users
    head, director = users["ops.head"]["sub"], users["ops.director"]["sub"]
    made = stack.call(
        "POST",
        "/v1/documents",
        OPS_SARABAN,
        json={
            "kind": "external",
            "subject": "ขอความร่วมมือส่งข้อมูล",
            "signers": [head, director],
            "retention_years": 5,
        },
    )
    assert made.status_code == 201, made.text
    document_id = made.json()["id"]
    assert stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_HEAD).status_code == 409  # no PDF yet
    upload(stack, OPS_SARABAN, document_id, small_pdf("Letter to be signed"))
    wait_for(stack, OPS_SARABAN, document_id, lambda d: d["files"][0]["status"] == "ready")

    assert stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_DIRECTOR).status_code == 403  # not yet
    assert stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_STAFF).status_code == 403
    first = stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_HEAD)
    assert first.status_code == 202, first.text
    again = stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_HEAD)
    assert again.status_code == 202  # the same job, not a second one
    assert stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_STAFF).status_code == 403
    wait_for(stack, OPS_SARABAN, document_id, lambda d: signed_count(d) == 1, timeout=60)
    assert (
        stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_HEAD).status_code == 403
    )  # now the director's turn
    second = stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_DIRECTOR)
    assert second.status_code == 202, second.text
    document = wait_for(stack, OPS_SARABAN, document_id, lambda d: signed_count(d) == 2, timeout=60)
    assert [s["signer"] for s in document["signatures"]] == [head, director]
    signing = stack.call("GET", f"/v1/documents/{document_id}/signing", OPS_SARABAN).json()
    assert signing["signed"] == 2 and [j["status"] for j in signing["jobs"]] == ["done", "done"]
    assert stack.call("POST", f"/v1/documents/{document_id}/sign", OPS_DIRECTOR).status_code == 409
    events = stack.call("GET", f"/v1/documents/{document_id}/history", OPS_SARABAN).json()["events"]
    actions = [e["action"] for e in events]
    for action in (
        "document.created",
        "file.upload_requested",
        "file.ready",
        "document.sign_requested",
        "document.signed",
    ):
        assert action in actions, actions
    signed = [e for e in events if e["action"] == "document.signed"]
    assert [e["after"]["signer"] for e in signed] == [head, director] and signed[0]["before"] == {
        "signatures": 0
    }
    assert stack.call("GET", f"/v1/documents/{document_id}/history", DEPT_SARABAN).status_code == 404

    link = stack.call("GET", f"/v1/documents/{document_id}/pdf", OPS_SARABAN).json()
    pdf = requests.get(link["url"], timeout=30).content
    report = stack.call(
        "POST", "/v1/validate", OPS_SARABAN, data=pdf, headers={"Content-Type": "application/pdf"}
    ).json()
    signatures = [s for s in report["signatures"] if s["kind"] == "signature"]
    assert len(signatures) == 2
    assert all(s["intact"] and s["valid"] and s["trusted"] for s in signatures), report
    assert [s["pades_level"] for s in signatures] == [
        "B-T",
        "B-T",
    ]  # retention 5 years: B-T by the default policy
    assert signatures[0]["modified_after_signing"] and not signatures[1]["modified_after_signing"]
    assert report["all_valid"]
    page = stack.call(
        "POST",
        "/v1/validate",
        OPS_SARABAN,
        params={"format": "html"},
        data=pdf,
        headers={"Content-Type": "application/pdf"},
    )
    assert page.status_code == 200 and "รายงานผลการตรวจสอบลายมือชื่อ" in page.text and "Signature 2" in page.text

    # The signed letter, received by the other agency: validated on upload, the result on the document.
    received = stack.call(
        "POST", "/v1/documents", DEPT_SARABAN, json={"kind": "external", "subject": "รับหนังสือ"}
    ).json()
    upload(stack, DEPT_SARABAN, received["id"], pdf)
    arrived = wait_for(stack, DEPT_SARABAN, received["id"], lambda d: d["files"][0]["status"] != "pending")
    check = arrived["files"][0]["signature_check"]
    assert check["signatures"] == 2 and check["all_valid"], check

    tampered = bytearray(pdf)
    position = pdf.index(b"/MediaBox") + len(b"/MediaBox [0 0 5")  # one digit of the page size, signed bytes
    tampered[position] = ord("4") if tampered[position] != ord("4") else ord("3")
    broken = stack.call(
        "POST", "/v1/validate", OPS_SARABAN, data=bytes(tampered), headers={"Content-Type": "application/pdf"}
    ).json()
    assert not broken["all_valid"]
    assert not any(s["intact"] for s in broken["signatures"] if s["kind"] == "signature")


def test_validate_reports_garbage_as_unreadable(stack: Stack) -> None:
    answer = stack.call(
        "POST", "/v1/validate", OPS_SARABAN, data=b"not a pdf", headers={"Content-Type": "application/pdf"}
    )
    report = answer.json()
    assert answer.status_code == 200 and report["readable"] is False and not report["all_valid"]
    assert report["error_th"] and report["signatures"] == []


def test_rendered_letter_is_signed_in_its_reserved_field(stack: Stack) -> None:
    users = read_state(stack.port).users
    director = users["ops.director"]["sub"]
    made = stack.call(
        "POST",
        "/v1/documents",
        OPS_SARABAN,
        json={
            "kind": "external",
            "subject": "ขอเชิญประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
            "recipient": {"position": "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ"},
            "owner_unit_id": "policy",
            "body": "ด้วยกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมจะจัดประชุมคณะกรรมการ\n\nจึงเรียนมาเพื่อโปรดทราบ",
            "signers": [director],
            "urgency": "very_urgent",
        },
    ).json()
    registered = stack.call(
        "POST", "/v1/registers/outgoing/entries", OPS_SARABAN, json={"document_id": made["id"]}
    )
    assert registered.status_code == 201, registered.text
    rendered = stack.call("POST", f"/v1/documents/{made['id']}/render", OPS_SARABAN)
    assert rendered.status_code == 201, rendered.text
    assert rendered.json()["signature_field"]["name"] == "Sig1"
    wait_for(stack, OPS_SARABAN, made["id"], lambda d: d["files"] and d["files"][0]["status"] == "ready")
    assert stack.call("POST", f"/v1/documents/{made['id']}/sign", OPS_DIRECTOR).status_code == 202
    document = wait_for(stack, OPS_SARABAN, made["id"], lambda d: signed_count(d) == 1, timeout=60)
    assert document["signatures"][0]["level"] == "B-LTA"  # kept 10 years by default: B-LTA
    pdf = requests.get(
        stack.call("GET", f"/v1/documents/{made['id']}/pdf", OPS_SARABAN).json()["url"], timeout=30
    ).content
    report = stack.call(
        "POST", "/v1/validate", OPS_SARABAN, data=pdf, headers={"Content-Type": "application/pdf"}
    ).json()
    signature = next(s for s in report["signatures"] if s["kind"] == "signature")
    assert signature["field_name"] == "Sig1" and signature["bottom_line"], signature
    assert signature["pades_level"] == "B-LTA" and signature["ltv_embedded"]
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert registered.json()["ref_line"] in text and "ด่วนมาก" in text and "ขอเชิญประชุมคณะกรรมการ" in text


def test_a_delegate_signs_on_behalf_with_their_own_key(stack: Stack) -> None:
    users = read_state(stack.port).users
    head, director = users["ops.head"]["sub"], users["ops.director"]["sub"]
    made = stack.call(
        "POST",
        "/v1/documents",
        OPS_SARABAN,
        json={
            "kind": "internal",
            "subject": "ขออนุมัติเดินทางไปราชการ",
            "signers": [director],
            "retention_years": 1,
        },
    ).json()
    upload(stack, OPS_SARABAN, made["id"], small_pdf("Memo"))
    wait_for(stack, OPS_SARABAN, made["id"], lambda d: d["files"][0]["status"] == "ready")
    assert (
        stack.call("POST", f"/v1/documents/{made['id']}/sign", OPS_HEAD).status_code == 403
    )  # no delegation yet
    delegation = {"kind": "on_behalf", "from_user": director, "order_reference": "คำสั่ง ที่ 12/2569"}
    refused = stack.call(
        "PUT", f"/v1/users/{head}/delegations", OPS_SARABAN, json={"delegations": [delegation]}
    )
    assert refused.status_code == 403  # only the agency admin records delegations
    admin = ("mdes-ops", "ops.admin")
    recorded = stack.call("PUT", f"/v1/users/{head}/delegations", admin, json={"delegations": [delegation]})
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["delegations"][0]["position"] == users["ops.director"]["position"]
    # The head's token is unchanged: the principal is rebuilt from the directory on every request.
    assert stack.call("POST", f"/v1/documents/{made['id']}/sign", OPS_HEAD).status_code == 202
    document = wait_for(stack, OPS_SARABAN, made["id"], lambda d: signed_count(d) == 1, timeout=60)
    assert document["signatures"][0]["capacity"]["kind"] == "on_behalf"
    assert document["signatures"][0]["signed_by"] == head
    pdf = requests.get(
        stack.call("GET", f"/v1/documents/{made['id']}/pdf", OPS_SARABAN).json()["url"], timeout=30
    ).content
    report = stack.call(
        "POST", "/v1/validate", OPS_SARABAN, data=pdf, headers={"Content-Type": "application/pdf"}
    ).json()
    signature = report["signatures"][0]
    assert users["ops.head"]["name"] in signature["signer"]["subject"]  # the delegate's own certificate
    assert "ปฏิบัติราชการแทน" in signature["reason"] and "คำสั่ง ที่ 12/2569" in signature["reason"]
    answer = stack.call("GET", "/v1/users", OPS_STAFF).json()
    listed = answer["users"]
    assert {u["id"] for u in listed} >= {head, director}
    held = next(u for u in listed if u["id"] == head)["delegations"]  # the admin sees what was recorded
    assert [(d["kind"], d["order_reference"]) for d in held] == [("on_behalf", "คำสั่ง ที่ 12/2569")]
    units = {u["id"]: u for u in answer["units"]}  # to assign a letter to a unit by name
    assert units["policy"]["name"] == "กองยุทธศาสตร์และแผนงาน" and units["policy"]["parent"] == "office"
    stack.call("PUT", f"/v1/users/{head}/delegations", admin, json={"delegations": []})
