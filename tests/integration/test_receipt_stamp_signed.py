"""A signed letter received by another agency keeps its signatures valid once receipt-stamped."""

from __future__ import annotations

import pytest
import requests

from devstack.stack import read_state
from tests.integration.conftest import DEPT_SARABAN, OPS_DIRECTOR, OPS_SARABAN, Stack
from tests.integration.test_files_api import upload, wait_for

pytestmark = pytest.mark.integration


def test_a_stamped_signed_letter_validates_intact_and_trusted(stack: Stack) -> None:
    director = read_state(stack.port).users["ops.director"]["sub"]
    made = stack.call(
        "POST",
        "/v1/documents",
        OPS_SARABAN,
        json={
            "kind": "external",
            "subject": "ขอความร่วมมือตอบแบบสำรวจ",
            "recipient": {"position": "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ"},
            "owner_unit_id": "policy",
            "body": "ด้วยกระทรวงขอความร่วมมือ\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            "signers": [director],
        },
    ).json()
    assert stack.call(
        "POST", "/v1/registers/outgoing/entries", OPS_SARABAN, json={"document_id": made["id"]}
    ).ok
    assert stack.call("POST", f"/v1/documents/{made['id']}/render", OPS_SARABAN).status_code == 201
    wait_for(stack, OPS_SARABAN, made["id"], lambda d: d["files"] and d["files"][0]["status"] == "ready")
    assert stack.call("POST", f"/v1/documents/{made['id']}/sign", OPS_DIRECTOR).status_code == 202
    wait_for(stack, OPS_SARABAN, made["id"], lambda d: len(d["signatures"]) == 1, timeout=60)
    signed = requests.get(
        stack.call("GET", f"/v1/documents/{made['id']}/pdf", OPS_SARABAN).json()["url"], timeout=30
    ).content

    received = stack.call(
        "POST",
        "/v1/documents",
        DEPT_SARABAN,
        json={"kind": "external", "subject": "ขอความร่วมมือตอบแบบสำรวจ", "reference": "ที่ ดศ 0201.3/1"},
    ).json()
    file_id = upload(stack, DEPT_SARABAN, received["id"], signed)
    wait_for(stack, DEPT_SARABAN, received["id"], lambda d: d["files"][0]["status"] == "ready")
    entry = stack.call(
        "POST", "/v1/registers/incoming/entries", DEPT_SARABAN, json={"document_id": received["id"]}
    )
    assert entry.status_code == 201, entry.text
    document = wait_for(stack, DEPT_SARABAN, received["id"], lambda d: d["files"][0]["receipt_stamped"])
    assert document["files"][0]["receipt_stamp_note"] is None  # stamped on the letter, not on a separate page
    link = stack.call(
        "GET",
        f"/v1/documents/{received['id']}/files/{file_id}/download",
        DEPT_SARABAN,
        params={"variant": "stamped"},
    ).json()["url"]
    stamped = requests.get(link, timeout=30).content
    assert stamped.startswith(signed) and len(stamped) > len(signed)  # one incremental update on top
    report = stack.call(
        "POST", "/v1/validate", DEPT_SARABAN, data=stamped, headers={"Content-Type": "application/pdf"}
    ).json()
    assert report["all_valid"], report
    signature = next(s for s in report["signatures"] if s["kind"] == "signature")
    assert signature["intact"] and signature["trusted"] and signature["bottom_line"]
    assert signature["modified_after_signing"] and signature["modification_level"] == "FORM_FILLING"
