"""The yearly destruction over HTTP on the local stack, IAM enforced: a paper-era register imported as
CSV, its scans uploaded through their presigned POSTs and checked, the records sent to storage; the
survey lists them on แบบที่ 25; the head appoints the committee (a member below ข้อ 67's level refused);
the committee marks X and keeps one longer; the chair reports, the head approves and signs the list (the
real sign worker); the National Archives keep one line; the hourly clean-up, as its own role, removes the
bytes of the rest and drafts the committee's record. (The 60-day deemed consent needs a clock the test
sets: tests/unit/archive/test_destruction.py.)"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest
import requests

from devstack.iam import role_name
from devstack.stack import operator_session, read_state
from infra.resources import resource_name
from tests.integration.conftest import Stack
from tests.integration.test_iam_enforced import DIRECTOR, decisions, invoke, until
from tests.unit.signing.signing_helpers import make_pdf

pytestmark = pytest.mark.integration

RECORDS = ("mdes-ops", "ops.records")
CHAIR = ("mdes-ops", "ops.admin")  # นักวิชาการคอมพิวเตอร์ชำนาญการ
MEMBER = ("mdes-ops", "ops.staff1")  # นักวิเคราะห์นโยบายและแผนปฏิบัติการ
CSV = """เลขทะเบียน,วันที่ลงทะเบียน,ที่,ลงวันที่,จาก,เรื่อง,รหัสแฟ้ม,ไฟล์
101,3/2/2548,กค 0401/112,1/2/2548,กรมบัญชีกลาง,ขอความร่วมมือรายงานการเบิกจ่าย,กค 01/2548,a.pdf
102,4/2/2548,มท 0210/9,2/2/2548,กรมการปกครอง,ขอเชิญประชุมชี้แจง,มท 02/2548,b.pdf
103,7/2/2548,สธ 0201/77,3/2/2548,กรมควบคุมโรค,แจ้งแนวทางเฝ้าระวังโรค,สธ 01/2548,c.pdf
"""


def ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def import_and_store(stack: Stack, book_id: str, book_name: str, csv: str) -> tuple[list[str], list[Any]]:
    """A paper register imported over HTTP, each line's scan posted to its presigned upload and checked,
    then each record sent to storage: the ids, and each record's storage view."""
    imported = ok(
        stack.call(
            "POST",
            "/v1/archive/legacy-imports",
            RECORDS,
            json={"book_id": book_id, "book_name": book_name, "direction": "incoming", "csv": csv},
        ),
        201,
    )
    ids = [line["document_id"] for line in imported["lines"]]
    for number, line in enumerate(imported["lines"]):
        form = line["upload"]["upload"]
        sent = requests.post(
            form["url"],
            data=form["fields"],
            files={"file": ("scan.pdf", make_pdf(f"scan {number}"), "application/pdf")},
            timeout=30,
        )
        assert sent.status_code in (200, 204), sent.text
    views = []
    for document_id in ids:
        until(
            lambda d=document_id: (
                ok(stack.call("GET", f"/v1/documents/{d}", RECORDS))["files"][0]["status"] == "ready"
            )
        )
        views.append(ok(stack.call("POST", f"/v1/documents/{document_id}/storage", RECORDS, json={}), 201))
    return ids, views


def test_a_year_of_records_is_surveyed_reviewed_approved_and_destroyed(stack: Stack) -> None:
    state = read_state(stack.port)
    users = state.users
    ids, views = import_and_store(stack, "incoming-2548", "ทะเบียนหนังสือรับ พ.ศ. 2548", CSV)
    for stored in views:
        assert stored["keep_until"] == 2558 and stored["files"][0]["locked_until"].startswith("2016-01-01")
    assert [
        e["number"]
        for e in ok(
            stack.call("GET", "/v1/archive/legacy-books/incoming-2548", RECORDS, params={"year": 2548})
        )["entries"]
    ] == [101, 102, 103]

    # The survey for this year: records kept to it or before (the scheduled one makes last year's).
    year = datetime.now(UTC).astimezone(ZoneInfo("Asia/Bangkok")).year + 543
    listed = ok(stack.call("POST", "/v1/archive/destruction-lists", RECORDS, json={"year": year}), 201)
    rows = ok(stack.call("GET", f"/v1/archive/destruction-lists/{year}/rows", RECORDS))["rows"]
    mine = {r["document_id"]: r["number"] for r in rows if r["document_id"] in ids}
    assert len(mine) == 3 and listed["rows"] == len(rows)
    others = [r["number"] for r in rows if r["document_id"] not in ids]  # other tests' records, if due

    committee = {
        "order_reference": "คำสั่ง ที่ 3/2570",
        "chair": users["ops.admin"]["sub"],
        "members": [users["ops.staff1"]["sub"], users["ops.staff2"]["sub"]],
    }
    refused = stack.call("PUT", f"/v1/archive/destruction-lists/{year}/committee", DIRECTOR, json=committee)
    assert refused.status_code == 409 and "ข้อ 67" in refused.json()["detail_th"]  # นักจัดการงานทั่วไป: no level
    committee["members"] = [users["ops.staff1"]["sub"], users["ops.saraban"]["sub"]]
    assert (
        stack.call(
            "PUT", f"/v1/archive/destruction-lists/{year}/committee", RECORDS, json=committee
        ).status_code
        == 403
    )
    ok(stack.call("PUT", f"/v1/archive/destruction-lists/{year}/committee", DIRECTOR, json=committee))

    first, second, third = (mine[d] for d in ids)
    decisions_ = [{"number": n, "decision": "destroy"} for n in (first, third, *others)]
    decisions_.append({"number": second, "decision": "extend", "extend_years": 20, "reason": "ยังใช้อ้างอิง"})
    reviewed = ok(
        stack.call(
            "POST", f"/v1/archive/destruction-lists/{year}/review", MEMBER, json={"decisions": decisions_}
        )
    )
    assert reviewed["undecided"] == 0 and reviewed["extended"] == 1
    assert ok(stack.call("GET", f"/v1/documents/{ids[1]}/storage", RECORDS))["stamp"] == "เก็บถึง พ.ศ. 2578"
    ok(stack.call("POST", f"/v1/archive/destruction-lists/{year}/report", CHAIR))
    approved = ok(
        stack.call("POST", f"/v1/archive/destruction-lists/{year}/approve", DIRECTOR, json={"note": "อนุมัติ"})
    )
    list_id = approved["list_document_id"]
    form_25 = stack.call(
        "GET",
        f"/v1/archive/destruction-lists/{year}/form.pdf",
        RECORDS,
        headers={"Accept": "application/pdf"},
    )
    assert form_25.status_code == 200
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(form_25.content)).pages)
    assert "บัญชีหนังสือขอทำลาย" in text and "กค 0401/112" in text

    # The head signs the list (the sign worker, with the head's key); then it goes to the Archives.
    until(
        lambda: ok(stack.call("GET", f"/v1/documents/{list_id}", DIRECTOR))["files"][0]["status"] == "ready"
    )
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Bangkok")).date().isoformat()
    early = stack.call(
        "POST", f"/v1/archive/destruction-lists/{year}/sent", RECORDS, json={"sent_on": today, "via": "hand"}
    )
    assert early.status_code == 409  # not signed yet
    assert stack.call("POST", f"/v1/documents/{list_id}/sign", DIRECTOR).status_code == 202
    until(lambda: len(ok(stack.call("GET", f"/v1/documents/{list_id}", DIRECTOR))["signatures"]) == 1)
    ok(
        stack.call(
            "POST",
            f"/v1/archive/destruction-lists/{year}/sent",
            RECORDS,
            json={"sent_on": today, "via": "hand"},
        )
    )
    early = stack.call("POST", f"/v1/archive/destruction-lists/{year}/destroy", RECORDS)
    assert early.status_code == 409  # no answer and the 60 days have not passed
    answered = ok(
        stack.call(
            "POST",
            f"/v1/archive/destruction-lists/{year}/answer",
            RECORDS,
            json={"received_on": today, "reference": "วธ 0403/77", "selected": [third]},
        )
    )
    assert answered["state"] == "consented" and answered["kept_by_archives"] == 1

    # Destruction: started by the records officer, done by the hourly job as its own role.
    ok(stack.call("POST", f"/v1/archive/destruction-lists/{year}/destroy", RECORDS))
    before = decisions(state).get(role_name("clean_up"), {"refused": []})["refused"]
    ran = invoke(state, "clean_up")
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert decisions(state)[role_name("clean_up")]["refused"][len(before) :] == []
    done = ok(stack.call("GET", f"/v1/archive/destruction-lists/{year}", RECORDS))
    assert (
        done["state"] == "destroyed" and done["destroyed"] == 1 + len(others) and done["record_document_id"]
    )
    s3 = operator_session(state).client("s3", endpoint_url=state.backend_url)
    gone = s3.list_object_versions(Bucket=resource_name("local", "archive"), Prefix=f"mdes-ops/{ids[0]}/")
    assert not gone.get("Versions")
    files = s3.list_object_versions(
        Bucket=resource_name("local", "files"), Prefix=f"mdes-ops/documents/{ids[0]}/"
    )
    assert not files.get("Versions")
    assert ok(stack.call("GET", f"/v1/documents/{ids[0]}/storage", RECORDS))["state"] == "destroyed"
    for kept in (ids[1], ids[2]):  # kept longer; kept by the Archives
        assert ok(stack.call("GET", f"/v1/documents/{kept}/storage", RECORDS))["state"] == "stored"
    history = ok(stack.call("GET", f"/v1/documents/{ids[0]}/history", RECORDS))["events"]
    assert "archive.destroyed" in {e["action"] for e in history}
    record = ok(stack.call("GET", f"/v1/documents/{done['record_document_id']}", CHAIR))
    assert record["subject"] == f"รายงานผลการทำลายหนังสือ ประจำปี พ.ศ. {year}"
