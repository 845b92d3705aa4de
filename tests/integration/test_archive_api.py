"""The archive over HTTP on the local stack (IAM enforced): a signed, registered letter sent to storage
takes its keep-until year and a line in the stored register, and its file lands locked in the archive
bucket; the storage itself refuses to delete it; a legal hold is placed and lifted; a record kept
forever is held with no end."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import botocore.exceptions
import pypdf
import pytest

from devstack.stack import ROOT, operator_session, read_state
from infra.resources import resource_name
from tests.integration.conftest import Stack
from tests.integration.test_iam_enforced import invoke, signed_letter

pytestmark = pytest.mark.integration

BANGKOK = ZoneInfo("Asia/Bangkok")

RECORDS = ("mdes-ops", "ops.records")
STAFF = ("mdes-ops", "ops.staff1")


def ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def test_a_stored_record_is_locked_by_the_storage_itself(stack: Stack) -> None:
    document_id = signed_letter(stack)
    assert stack.call("POST", f"/v1/documents/{document_id}/storage", STAFF, json={}).status_code == 403
    stored = ok(
        stack.call(
            "POST",
            f"/v1/documents/{document_id}/storage",
            RECORDS,
            json={"class_code": "general", "file_code": "ดศ 02.1/2569", "note": "เรื่องเสร็จ"},
        ),
        201,
    )
    year = datetime.now(UTC).year + 543
    assert stored["state"] == "stored" and stored["keep_until"] == year + 10
    assert stored["stamp"] == f"เก็บถึง พ.ศ. {year + 10}"
    letter = stored["files"][0]
    assert letter["file"] == "letter" and not letter["legal_hold"]
    assert letter["locked_until"].startswith(f"{year + 10 - 543 + 1}-01-01")
    again = stack.call("POST", f"/v1/documents/{document_id}/storage", RECORDS, json={})
    assert again.status_code == 409
    line = next(
        e
        for e in ok(stack.call("GET", "/v1/archive/register", RECORDS, params={"year": year}))["entries"]
        if e["document_id"] == document_id
    )
    assert line["keep"] == f"เก็บถึง พ.ศ. {year + 10}" and line["file_code"] == "ดศ 02.1/2569"
    assert line["reference"].startswith("ที่ ดศ") or line["reference"].startswith("ดศ")

    # Even the operator's own credentials cannot delete the locked version: S3 refuses.
    state = read_state(stack.port)
    s3 = operator_session(state).client("s3", endpoint_url=state.backend_url)
    bucket = resource_name("local", "archive")
    key = f"mdes-ops/{document_id}/letter"
    version = s3.list_object_versions(Bucket=bucket, Prefix=key)["Versions"][0]["VersionId"]
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        s3.delete_object(Bucket=bucket, Key=key, VersionId=version)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    # The archived letter carries its ตรากำหนดเก็บ, and its signature still validates.
    archived = s3.get_object(Bucket=bucket, Key=key, VersionId=version)["Body"].read()
    page = pypdf.PdfReader(io.BytesIO(archived)).pages[0]
    stamps = [
        str(a.get_object().get("/TU"))
        for a in page["/Annots"]
        if a.get_object().get("/T") == "RetentionStamp"
    ]
    assert stamps == [f"ตรากำหนดเก็บ เก็บถึง พ.ศ. {year + 10}"] and letter["note"] == ""
    report = ok(
        stack.call(
            "POST", "/v1/validate", RECORDS, data=archived, headers={"Content-Type": "application/pdf"}
        )
    )
    assert report["all_valid"], report
    s3.put_object(Bucket=bucket, Key=key, Body=b"overwritten?")  # a new version on top, nothing more
    assert s3.get_object(Bucket=bucket, Key=key, VersionId=version)["Body"].read() == archived

    # A legal hold: placed on the record and on its archived file, then lifted with a reason.
    held = ok(
        stack.call(
            "POST",
            "/v1/archive/holds",
            RECORDS,
            json={
                "document_ids": [document_id],
                "reason": "คดีปกครองหมายเลขดำที่ 12/2569",
                "reference": "ศาลปกครอง",
            },
        )
    )
    assert held["held"] == [document_id]
    view = ok(stack.call("GET", f"/v1/documents/{document_id}/storage", RECORDS))
    assert view["held"] and view["files"][0]["legal_hold"]
    ok(stack.call("POST", f"/v1/documents/{document_id}/hold/lift", RECORDS, json={"reason": "คดีสิ้นสุด"}))
    view = ok(stack.call("GET", f"/v1/documents/{document_id}/storage", RECORDS))
    assert not view["held"] and not view["files"][0]["legal_hold"]
    history = ok(stack.call("GET", f"/v1/documents/{document_id}/history", RECORDS))["events"]
    assert {"archive.entered", "archive.stored", "archive.held", "archive.hold_lifted"} <= {
        e["action"] for e in history
    }


def test_a_record_kept_forever_is_held_with_no_end(stack: Stack) -> None:
    document_id = signed_letter(stack)
    stored = ok(
        stack.call("POST", f"/v1/documents/{document_id}/storage", RECORDS, json={"class_code": "permanent"}),
        201,
    )
    assert stored["keep_until"] is None and stored["stamp"] == "ห้ามทำลาย"
    assert stored["files"][0]["legal_hold"] and stored["files"][0]["locked_until"].startswith(
        str(datetime.now(UTC).year + 100)
    )
    # Lifting a hold never unlocks a record kept forever.
    held = {"document_ids": [document_id], "reason": "ตรวจสอบ", "reference": ""}
    ok(stack.call("POST", "/v1/archive/holds", RECORDS, json=held))
    ok(stack.call("POST", f"/v1/documents/{document_id}/hold/lift", RECORDS, json={"reason": "เสร็จ"}))
    assert ok(stack.call("GET", f"/v1/documents/{document_id}/storage", RECORDS))["files"][0]["legal_hold"]
    unknown = stack.call(
        "POST", f"/v1/documents/{signed_letter(stack)}/storage", RECORDS, json={"class_code": "x"}
    )
    assert unknown.status_code == 409


def test_the_audit_trail_is_sealed_exported_and_verified_offline(stack: Stack, tmp_path: Path) -> None:
    """clean_up seals the ended days (as its own role); `eoffice audit export` writes them with their
    events; `eoffice audit verify` checks the file with nothing else and says the chain is intact."""
    state = read_state(stack.port)
    assert invoke(state, "clean_up").returncode == 0
    today = datetime.now(UTC).astimezone(BANGKOK).date()
    exported = tmp_path / "trail.json"
    export = subprocess.run(
        [
            sys.executable,
            "-m",
            "devstack.cli",
            "audit",
            "export",
            "--agency",
            "mdes-ops",
            "--port",
            str(stack.port),
            "--since",
            (today - timedelta(days=7)).isoformat(),
            "--until",
            (today - timedelta(days=1)).isoformat(),
            "--out",
            str(exported),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert export.returncode == 0, export.stderr[-2000:]
    assert len(json.loads(exported.read_text(encoding="utf-8"))["days"]) == 7
    verified = subprocess.run(
        [sys.executable, "-m", "devstack.cli", "audit", "verify", str(exported)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0 and "the chain is intact" in verified.stdout, (
        verified.stdout + verified.stderr
    )
    assert "7 day(s) timestamped" in verified.stdout, verified.stdout  # by the demo PKI's TSA
    tampered = json.loads(exported.read_text(encoding="utf-8"))
    tampered["days"][3]["head"] = "f" * 64
    exported.write_text(json.dumps(tampered), encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "devstack.cli", "audit", "verify", str(exported)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1 and "BROKEN" in refused.stdout
