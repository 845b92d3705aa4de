"""Registers over HTTP: numbering, reference lines, idempotency, concurrency, cancel, list, export."""

from __future__ import annotations

import csv
import io
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.integration.conftest import DEPT_SARABAN, DEPT_STAFF, OPS_SARABAN, OPS_STAFF, Stack


def letter(subject: str, **extra: Any) -> dict[str, Any]:
    return {"document": {"kind": "external", "subject": subject, "owner_unit_id": "policy", **extra}}


def test_outgoing_registration_composes_the_reference_line(stack: Stack) -> None:
    answer = stack.call(
        "POST", "/v1/registers/outgoing/entries", OPS_SARABAN, json=letter("ขอความอนุเคราะห์ข้อมูล")
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["book"] == "outgoing" and body["year"] >= 2569
    assert body["ref_line"] == f"ที่ ดศ 0201.3/{body['number']}"
    document = stack.call("GET", f"/v1/documents/{body['document_id']}", OPS_SARABAN).json()
    assert document["reference"] == body["ref_line"] and document["state"] == "registered"


def test_retry_with_the_same_idempotency_key_takes_no_second_number(stack: Stack) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = stack.call(
        "POST", "/v1/registers/circular/entries", OPS_SARABAN, json=letter("แจ้งเวียน"), headers=key
    )
    again = stack.call(
        "POST", "/v1/registers/circular/entries", OPS_SARABAN, json=letter("แจ้งเวียน"), headers=key
    )
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert "/ว " in first.json()["ref_line"]
    other = stack.call(
        "POST", "/v1/registers/circular/entries", OPS_SARABAN, json=letter("เรื่องอื่น"), headers=key
    )
    assert other.status_code == 409 and other.json()["title_th"]


def test_sixteen_concurrent_clients_get_exactly_one_to_n(stack: Stack) -> None:
    per_client = 5

    def client(i: int) -> list[int]:
        numbers = []
        for j in range(per_client):
            answer = stack.call(
                "POST",
                "/v1/registers/certificate/entries",
                DEPT_SARABAN,
                json={
                    "document": {
                        "kind": "record",
                        "sub_kind": "certificate",
                        "subject": f"รับรอง {i}-{j}",
                        "owner_unit_id": "services",
                    }
                },
            )
            assert answer.status_code == 201, answer.text
            numbers.append(answer.json()["number"])
        return numbers

    with ThreadPoolExecutor(16) as pool:
        taken = [n for numbers in pool.map(client, range(16)) for n in numbers]
    assert sorted(taken) == list(range(1, 16 * per_client + 1))
    listed: list[int] = []
    cursor = None
    while True:
        params = {"limit": "30", **({"cursor": cursor} if cursor else {})}
        page = stack.call("GET", "/v1/registers/certificate", DEPT_SARABAN, params=params).json()
        listed += [e["number"] for e in page["entries"]]
        cursor = page["cursor"]
        if not cursor:
            break
    assert listed == list(range(1, 16 * per_client + 1))


def test_cancel_keeps_the_number_with_reason_and_who(stack: Stack) -> None:
    made = stack.call(
        "POST",
        "/v1/registers/order/entries",
        OPS_SARABAN,
        json={"document": {"kind": "directive", "sub_kind": "order", "subject": "แต่งตั้งคณะกรรมการ"}},
    ).json()
    assert made["ref_line"] == f"ที่ {made['number']}/{made['year']}"
    path = f"/v1/registers/order/entries/{made['year']}/{made['number']}/cancel"
    assert stack.call("POST", path, OPS_STAFF, json={"reason": "x"}).status_code == 403
    assert stack.call("POST", path, OPS_SARABAN, json={}).status_code == 422
    cancelled = stack.call("POST", path, OPS_SARABAN, json={"reason": "ออกคำสั่งซ้ำ"})
    assert cancelled.status_code == 200 and cancelled.json()["cancel"]["reason"] == "ออกคำสั่งซ้ำ"
    assert stack.call("POST", path, OPS_SARABAN, json={"reason": "again"}).status_code == 409
    listed = stack.call("GET", "/v1/registers/order", OPS_SARABAN, params={"limit": "200"}).json()["entries"]
    entry = next(e for e in listed if e["number"] == made["number"])
    assert entry["cancelled"] and entry["cancel"]["by_name"]


def test_list_filters_by_urgency_and_thai_text(stack: Stack) -> None:
    tag = uuid.uuid4().hex[:6]
    stack.call(
        "POST",
        "/v1/registers/outgoing/entries",
        OPS_SARABAN,
        json=letter(f"ขอเชิญประชุมคณะทำงาน {tag}", urgency="most_urgent"),
    )
    stack.call("POST", "/v1/registers/outgoing/entries", OPS_SARABAN, json=letter(f"ส่งรายงานผล {tag}"))
    found = stack.call("GET", "/v1/registers/outgoing", OPS_SARABAN, params={"q": f"ประชุม {tag}"}).json()[
        "entries"
    ]
    assert [e["subject"] for e in found] == [f"ขอเชิญประชุมคณะทำงาน {tag}"]
    urgent = stack.call(
        "GET", "/v1/registers/outgoing", OPS_SARABAN, params={"urgency": "most_urgent", "limit": "200"}
    )
    assert urgent.status_code == 200 and urgent.json()["entries"]
    assert all(e["urgency"] == "most_urgent" for e in urgent.json()["entries"])
    bad = stack.call("GET", "/v1/registers/outgoing", OPS_SARABAN, params={"from": "21/11/2569"})
    assert bad.status_code == 422 and bad.headers["Content-Type"].startswith("application/problem+json")


def test_csv_export_has_bom_and_thai(stack: Stack) -> None:
    stack.call("POST", "/v1/registers/outgoing/entries", OPS_SARABAN, json=letter("รายงานการใช้จ่ายงบประมาณ"))
    answer = stack.call("GET", "/v1/registers/outgoing/export.csv", OPS_SARABAN)
    assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][0] == "เลขทะเบียนส่ง" and rows[0][-1] == "สถานะ"
    assert any(r[6] == "รายงานการใช้จ่ายงบประมาณ" for r in rows[1:])


def test_outgoing_lines_have_their_date_and_unit_and_a_cancelled_line_its_state(stack: Stack) -> None:
    tag = uuid.uuid4().hex[:6]
    made = stack.call("POST", "/v1/registers/outgoing/entries", OPS_SARABAN, json=letter(f"ขอข้อมูล {tag}"))
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["letter_date"]
    path = f"/v1/registers/outgoing/entries/{body['year']}/{body['number']}/cancel"
    cancelled = stack.call("POST", path, OPS_SARABAN, json={"reason": "ยกเลิกเพราะพิมพ์ผิด"})
    assert cancelled.status_code == 200 and cancelled.json()["remark"].startswith("ยกเลิกเพราะพิมพ์ผิด (")
    line = cancelled.json()
    assert line["letter_date"] == body["letter_date"] and line["from"] == "กองยุทธศาสตร์และแผนงาน"
    answer = stack.call("GET", "/v1/registers/outgoing/export.csv", OPS_SARABAN, params={"q": tag})
    header, row = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert row[header.index("จาก")] == "กองยุทธศาสตร์และแผนงาน" and row[header.index("ลงวันที่")]
    assert row[-2:] == [line["remark"], "ยกเลิก"] and "ยกเลิก: ยกเลิก" not in row[-2]


def test_an_order_book_has_its_own_columns(stack: Stack) -> None:
    stack.call(
        "POST",
        "/v1/registers/order/entries",
        OPS_SARABAN,
        json={
            "document": {
                "kind": "directive",
                "sub_kind": "order",
                "subject": "แต่งตั้งคณะทำงาน",
                "owner_unit_id": "policy",
            }
        },
    )
    answer = stack.call("GET", "/v1/registers/order/export.csv", OPS_SARABAN)
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["เลขที่คำสั่ง", "ลงวันที่", "เรื่อง", "ผู้ลงนาม", "หน่วยงานเจ้าของเรื่อง", "หมายเหตุ", "สถานะ"]


def test_the_same_incoming_letter_twice_is_a_conflict_naming_the_first(stack: Stack) -> None:
    reference = f"ศธ 04254/ว {uuid.uuid4().int % 100000}"
    body = {
        "document": {
            "kind": "external",
            "subject": "ขอเชิญประชุม",
            "reference": reference,
            "letter_date": "2026-05-28",
            "sender": {"agency": "สำนักงานเขตพื้นที่การศึกษา"},
        }
    }
    first = stack.call("POST", "/v1/registers/incoming/entries", OPS_SARABAN, json=body)
    assert first.status_code == 201, first.text
    again = stack.call("POST", "/v1/registers/incoming/entries", OPS_SARABAN, json=body)
    assert again.status_code == 409, again.text
    problem = again.json()
    assert problem["code"] == "duplicate-letter"
    assert problem["earlier"]["number"] == first.json()["number"]
    assert str(first.json()["number"]) in problem["title_th"]
    wanted = stack.call(
        "POST", "/v1/registers/incoming/entries", OPS_SARABAN, json={**body, "duplicate_of_ok": True}
    )
    assert wanted.status_code == 201, wanted.text
    assert wanted.json()["duplicate_of"]["number"] == first.json()["number"]
    listed = stack.call("GET", "/v1/registers/incoming", OPS_SARABAN, params={"limit": "200"}).json()[
        "entries"
    ]
    line = next(e for e in listed if e["number"] == wanted.json()["number"])
    assert line["remark"].startswith(f"อาจซ้ำกับเลขทะเบียน {first.json()['number']}")


def test_pdf_export_is_a_pdf(stack: Stack) -> None:
    answer = stack.call("GET", "/v1/registers/outgoing/export.pdf", OPS_SARABAN)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.content.startswith(b"%PDF-") and answer.headers["Content-Type"] == "application/pdf"


def test_only_saraban_registers(stack: Stack) -> None:
    answer = stack.call("POST", "/v1/registers/outgoing/entries", DEPT_STAFF, json=letter("x"))
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
