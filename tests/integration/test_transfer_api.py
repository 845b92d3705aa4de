"""The 20-year transfer and a loan over HTTP on the local stack, IAM enforced: paper-era records of 2548
imported, their scans uploaded and checked, stored; this year's transfer list holds them (ข้อ 58); one
moves to the agency's own list; the package is made by the API's own role (archive bucket, locked),
downloaded through its presigned link as the National Archives would, untarred and validated with bagit;
a byte changed fails. A record on the agency's list is then lent and returned. (The clock-driven parts,
overdue reminders and multi-part bags, are in tests/unit/archive/test_loans.py and test_transfer.py.)"""

from __future__ import annotations

import io
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import bagit
import pytest
import requests

from devstack.iam import role_name
from devstack.stack import read_state
from tests.integration.conftest import Stack
from tests.integration.test_destruction_api import import_and_store
from tests.integration.test_iam_enforced import DIRECTOR, decisions

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:'count' is passed as positional argument:DeprecationWarning"),
]

RECORDS = ("mdes-ops", "ops.records")
STAFF = ("mdes-ops", "ops.staff1")
CSV = """เลขทะเบียน,วันที่ลงทะเบียน,ที่,ลงวันที่,จาก,เรื่อง,รหัสแฟ้ม,ประเภทการเก็บ,ไฟล์
201,3/2/2548,กค 0401/512,1/2/2548,กรมบัญชีกลาง,รายงานผลการเบิกจ่าย,กค 05/2548,permanent,a.pdf
202,4/2/2548,มท 0210/59,2/2/2548,กรมการปกครอง,แนวทางการจัดทำทะเบียน,มท 05/2548,permanent,b.pdf
"""


def ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def test_a_years_records_are_bagged_for_the_national_archives_and_one_is_lent(
    stack: Stack, tmp_path: Path
) -> None:
    state = read_state(stack.port)
    ids, _ = import_and_store(stack, "incoming-t2548", "ทะเบียนหนังสือรับ", CSV)

    year = datetime.now(UTC).astimezone(ZoneInfo("Asia/Bangkok")).year + 543
    assert stack.call("POST", "/v1/archive/transfers", STAFF, json={"year": year}).status_code == 403
    drafted = ok(stack.call("POST", "/v1/archive/transfers", RECORDS, json={"year": year}), 201)
    assert drafted["title"] == f"บัญชีส่งมอบหนังสือครบ 20 ปี ประจำปี พ.ศ. {year}"
    rows = ok(stack.call("GET", f"/v1/archive/transfers/{year}/rows", RECORDS, params={"limit": 500}))["rows"]
    mine = {r["document_id"]: r["number"] for r in rows if r["document_id"] in ids}
    assert len(mine) == 2  # letters of 2548: 20 years old or more this year
    ok(
        stack.call(
            "POST",
            f"/v1/archive/transfers/{year}/moves",
            RECORDS,
            json={"numbers": [mine[ids[1]]], "to": "self", "reason": "ยังใช้เป็นแนวทางปฏิบัติ"},
        )
    )
    pdf = stack.call(
        "GET",
        f"/v1/archive/transfers/{year}/form.pdf",
        RECORDS,
        params={"which": "self"},
        headers={"Accept": "application/pdf"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    before = decisions(state).get(role_name("api_handler"), {"refused": []})["refused"]
    bags = []
    for part in range(1, 20):  # other tests' old records may be on the list too: every part
        made = ok(stack.call("POST", f"/v1/archive/transfers/{year}/package", RECORDS), 201)
        got = requests.get(made["download_url"], timeout=30)
        assert got.status_code == 200, got.text
        folder = tmp_path / f"part-{part}"
        folder.mkdir()
        with tarfile.open(fileobj=io.BytesIO(got.content), mode="r:gz") as archive:
            archive.extractall(folder, filter="data")
        (root,) = list(folder.iterdir())
        bag = bagit.Bag(str(root))
        bag.validate()  # as the National Archives would, on their side
        bags.append(bag)
        if made["remaining"] == 0:
            break
    assert decisions(state)[role_name("api_handler")]["refused"][len(before) :] == []  # within its policy
    listed = [p for bag in bags for p in bag.payload_entries() if p.endswith("/letter.pdf")]
    assert any(ids[0] in p for p in listed) and not any(ids[1] in p for p in listed)
    assert ok(stack.call("GET", f"/v1/documents/{ids[0]}/storage", RECORDS))["state"] == "transferred"
    letter = next(Path(bags[0].path).glob("data/records/*/letter.pdf"))
    letter.write_bytes(letter.read_bytes()[:-1] + b"\x00")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(bags[0].path).validate()

    # The record the agency kept is lent: asked, approved by the head, handed out, returned.
    due = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    card = ok(
        stack.call(
            "POST",
            "/v1/archive/loans",
            STAFF,
            json={"document_id": ids[1], "purpose": "ใช้ประกอบการจัดทำคู่มือ", "due": due},
        ),
        201,
    )
    refused = stack.call(
        "POST", "/v1/archive/loans", STAFF, json={"document_id": ids[0], "purpose": "x", "due": due}
    )
    assert refused.status_code == 409  # transferred: the Archives' now
    loan = card["loan_id"]
    ok(stack.call("POST", f"/v1/archive/loans/{loan}/decision", DIRECTOR, json={"approve": True}))
    ok(stack.call("POST", f"/v1/archive/loans/{loan}/hand-out", RECORDS, json={"receiver_name": "ผู้รับแทน"}))
    lent = ok(stack.call("GET", "/v1/archive/loans", STAFF))["loans"]
    assert [c["state"] for c in lent if c["loan_id"] == loan] == ["lent"]
    back = ok(
        stack.call("POST", f"/v1/archive/loans/{loan}/return", RECORDS, json={"returner_name": "ผู้ส่งคืน"})
    )
    assert back["state"] == "returned"
