"""Uploads over HTTP: presigned POST -> S3 -> SQS -> upload handler; receipt stamp on incoming letters."""

from __future__ import annotations

import hashlib
import io
import time
from typing import Any

import requests

from tests.integration.conftest import DEPT_SARABAN, OPS_SARABAN, Stack


def small_pdf(text: str = "Official letter") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())


def upload(
    stack: Stack,
    user: tuple[str, str],
    document_id: str,
    data: bytes,
    content_type: str = "application/pdf",
    filename: str = "หนังสือ.pdf",
) -> str:
    answer = stack.call(
        "POST",
        f"/v1/documents/{document_id}/files",
        user,
        json={"filename": filename, "content_type": content_type},
    )
    assert answer.status_code == 201, answer.text
    grant = answer.json()
    form = grant["upload"]
    posted = requests.post(
        form["url"], data=form["fields"], files={"file": (filename, data, content_type)}, timeout=30
    )
    assert posted.status_code in (200, 201, 204), posted.text
    return str(grant["file_id"])


def wait_for(
    stack: Stack, user: tuple[str, str], document_id: str, done: Any, timeout: float = 30
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = stack.call("GET", f"/v1/documents/{document_id}", user).json()
        if done(document):
            return dict(document)
        time.sleep(0.2)
    raise AssertionError(f"timed out: {document}")


def incoming_letter(stack: Stack) -> str:
    answer = stack.call(
        "POST",
        "/v1/documents",
        OPS_SARABAN,
        json={
            "kind": "external",
            "subject": "ขอเชิญร่วมประชุมหารือ",
            "reference": f"ที่ ดศ 0301/{time.time_ns() % 10**9}",  # each test its own letter
            "letter_date": "2026-11-20",
            "sender": {"position": "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ"},
        },
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_uploaded_pdf_is_checked_recorded_and_receipt_stamped(stack: Stack) -> None:
    document_id = incoming_letter(stack)
    original = small_pdf()
    file_id = upload(stack, OPS_SARABAN, document_id, original)
    ready = wait_for(stack, OPS_SARABAN, document_id, lambda d: d["files"][0]["status"] != "pending")
    recorded = ready["files"][0]
    assert recorded["status"] == "ready", recorded
    assert recorded["size"] == len(original) and recorded["sha256"] == hashlib.sha256(original).hexdigest()

    entry = stack.call(
        "POST", "/v1/registers/incoming/entries", OPS_SARABAN, json={"document_id": document_id}
    )
    assert entry.status_code == 201, entry.text
    number = entry.json()["received_number"]
    wait_for(stack, OPS_SARABAN, document_id, lambda d: d["files"][0]["receipt_stamped"])

    links = {
        v: stack.call(
            "GET", f"/v1/documents/{document_id}/files/{file_id}/download", OPS_SARABAN, params={"variant": v}
        ).json()
        for v in ("original", "stamped")
    }
    kept = requests.get(links["original"]["url"], timeout=30).content
    stamped = requests.get(links["stamped"]["url"], timeout=30).content
    assert kept == original  # the original is kept unchanged
    assert stamped.startswith(original) and len(stamped) > len(original)  # an incremental update on top
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(stamped)).pages[0]
    # The stamp is a field's appearance added on top (the page's own content is untouched).
    text = "".join(
        page.extract_xform_text(annot.get_object()["/AP"]["/N"].get_object())
        for annot in page.get("/Annots", [])
        if "/AP" in annot.get_object()
    )
    assert "เลขรับ" in text and str(number) in text


def test_a_file_that_is_not_a_pdf_is_rejected_and_its_bytes_removed(stack: Stack) -> None:
    document_id = incoming_letter(stack)
    upload(stack, OPS_SARABAN, document_id, b"MZ\x90\x00 this is an executable")
    rejected = wait_for(stack, OPS_SARABAN, document_id, lambda d: d["files"][0]["status"] != "pending")
    file = rejected["files"][0]
    assert file["status"] == "rejected"
    assert file["rejection"]["code"] == "type-not-allowed" and file["rejection"]["message_th"]
    session, backend_url = stack.backend()
    s3 = session.client("s3", endpoint_url=backend_url)
    versions = s3.list_object_versions(
        Bucket="eoffice-local-files", Prefix=f"mdes-ops/documents/{document_id}/"
    )
    assert not versions.get("Versions") and not versions.get("DeleteMarkers")


def test_an_encrypted_pdf_is_rejected_with_a_reason(stack: Stack) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_page()
    document_id = incoming_letter(stack)
    upload(stack, OPS_SARABAN, document_id, bytes(pdf.output()))
    file = wait_for(stack, OPS_SARABAN, document_id, lambda d: d["files"][0]["status"] != "pending")["files"][
        0
    ]
    assert file["status"] == "rejected" and file["rejection"]["code"] == "pdf-encrypted"


def test_upload_urls_are_scoped_to_one_object_of_the_agency(stack: Stack) -> None:
    document_id = incoming_letter(stack)
    answer = stack.call(
        "POST",
        f"/v1/documents/{document_id}/files",
        OPS_SARABAN,
        json={"filename": "a.pdf", "content_type": "application/pdf"},
    ).json()
    fields = dict(answer["upload"]["fields"])
    assert fields["key"].startswith(f"mdes-ops/documents/{document_id}/files/")
    assert (
        stack.call(
            "POST",
            f"/v1/documents/{document_id}/files",
            DEPT_SARABAN,
            json={"filename": "a.pdf", "content_type": "application/pdf"},
        ).status_code
        == 404
    )


def test_registered_first_then_uploaded_is_stamped_too(stack: Stack) -> None:
    document_id = incoming_letter(stack)
    entry = stack.call(
        "POST", "/v1/registers/incoming/entries", OPS_SARABAN, json={"document_id": document_id}
    )
    assert entry.status_code == 201
    upload(stack, OPS_SARABAN, document_id, small_pdf("Registered before the scan arrived"))
    document = wait_for(
        stack, OPS_SARABAN, document_id, lambda d: d["files"] and d["files"][0]["receipt_stamped"]
    )
    assert document["files"][0]["status"] == "ready"


def test_cli_lists_users_and_issues_tokens(stack: Stack) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    listing = subprocess.run(
        [sys.executable, "-m", "devstack.cli", "users", "--json", "--port", str(stack.port)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    agencies = {a["id"]: a for a in json.loads(listing.stdout)["agencies"]}
    assert set(agencies) == {"mdes-ops", "mdes-dept"}
    roles = {r for u in agencies["mdes-ops"]["users"] for r in u["roles"]}
    assert roles >= {"saraban", "staff", "head", "director", "admin", "records"}
    assert any(u["clearance"] == "secret" for u in agencies["mdes-ops"]["users"])
    token = subprocess.run(
        [
            sys.executable,
            "-m",
            "devstack.cli",
            "token",
            "--agency",
            "mdes-dept",
            "--user",
            "saraban",
            "--port",
            str(stack.port),
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    me = stack.call("GET", "/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["agency"]["id"] == "mdes-dept" and me["roles"] == ["saraban"]
    # The agency's own book comes with its name, beside the standard ones.
    names = {b["id"]: b["name_th"] for b in me["register_books"]}
    assert names["certificate"] == "หนังสือรับรอง" and names["incoming"] == "หนังสือรับ"
    assert sorted(names) == me["books"]


def test_a_second_upload_to_the_same_url_is_never_served(stack: Stack) -> None:
    document_id = incoming_letter(stack)
    answer = stack.call(
        "POST",
        f"/v1/documents/{document_id}/files",
        OPS_SARABAN,
        json={"filename": "a.pdf", "content_type": "application/pdf"},
    ).json()
    form = answer["upload"]
    original = small_pdf("the checked letter")
    requests.post(
        form["url"], data=form["fields"], files={"file": ("a.pdf", original, "application/pdf")}, timeout=30
    )
    wait_for(stack, OPS_SARABAN, document_id, lambda d: d["files"][0]["status"] == "ready")
    swapped = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": ("a.pdf", b"<html><script>alert(1)</script>", "application/pdf")},
        timeout=30,
    )
    assert swapped.status_code in (200, 201, 204)  # S3 accepts it until the URL expires...
    session, backend_url = stack.backend()
    s3 = session.client("s3", endpoint_url=backend_url)
    key = form["fields"]["key"]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # ...and the upload handler removes that later version
        versions = s3.list_object_versions(Bucket="eoffice-local-files", Prefix=key).get("Versions", [])
        if len(versions) == 1:
            break
        time.sleep(0.2)
    assert len(versions) == 1
    link = stack.call(
        "GET", f"/v1/documents/{document_id}/files/{answer['file_id']}/download", OPS_SARABAN
    ).json()
    assert requests.get(link["url"], timeout=30).content == original
