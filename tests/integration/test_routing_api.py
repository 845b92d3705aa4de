"""Routes over HTTP on the local stack with its event pump: a memo drafted, proof-read, reviewed at two
levels, returned once, approved, numbered and signed under a delegation; an incoming letter endorsed
and assigned; a withdrawn route cancelling its number."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from devstack.stack import read_state
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

SARABAN = ("mdes-dept", "dept.saraban")
AUTHOR = ("mdes-dept", "dept.staff1")
PROOFREADER = ("mdes-dept", "dept.staff2")
HEAD = ("mdes-dept", "dept.head")
DIRECTOR = ("mdes-dept", "dept.director")
ADMIN = ("mdes-dept", "dept.admin")
DIRECTOR_POSITION = "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ"


def until(check: Callable[[], Any], timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.3)


def route(stack: Stack, user: tuple[str, str], document_id: str) -> dict[str, Any]:
    answer = stack.call("GET", f"/v1/documents/{document_id}/route", user)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def act(stack: Stack, user: tuple[str, str], document_id: str, action: str, **extra: Any) -> dict[str, Any]:
    answer = stack.call(
        "POST", f"/v1/documents/{document_id}/route/actions", user, json={"action": action, **extra}
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def inbox_documents(stack: Stack, user: tuple[str, str]) -> list[str]:
    page = stack.call("GET", "/v1/inbox", user)
    assert page.status_code == 200, page.text
    return [item["document_id"] for item in page.json()["items"]]


def test_a_memo_travels_its_route_and_is_signed_numbered_under_a_delegation(stack: Stack) -> None:
    users = read_state(stack.port).users
    sub = {name: users[name]["sub"] for name in ("dept.staff2", "dept.head", "dept.director")}
    delegation = {
        "kind": "on_behalf",
        "from_user": sub["dept.director"],
        "order_reference": "คำสั่งกรม ที่ 12/2569",
    }
    put = stack.call(
        "PUT", f"/v1/users/{sub['dept.head']}/delegations", ADMIN, json={"delegations": [delegation]}
    )
    assert put.status_code == 200, put.text
    try:
        _memo_route(stack, sub)
    finally:
        stack.call("PUT", f"/v1/users/{sub['dept.head']}/delegations", ADMIN, json={"delegations": []})


def _memo_route(stack: Stack, sub: dict[str, str]) -> None:
    made = stack.call(
        "POST",
        "/v1/documents",
        AUTHOR,
        json={
            "kind": "internal",
            "subject": "ขออนุมัติจัดประชุมเชิงปฏิบัติการ",
            "recipient": {"position": DIRECTOR_POSITION},
            "body": "ด้วยกองบริการดิจิทัลจะจัดประชุมเชิงปฏิบัติการ\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            "owner_unit_id": "services",
        },
    )
    assert made.status_code == 201, made.text
    document_id = made.json()["id"]
    plan = {
        "reviews": [
            {"kind": "proofread", "assignee": {"user_id": sub["dept.staff2"]}},
            {"kind": "review", "assignee": {"user_id": sub["dept.head"]}},
            {"kind": "review", "assignee": {"position": DIRECTOR_POSITION}},
        ],
        "signers": [{"position": DIRECTOR_POSITION}],
    }
    started = stack.call("POST", f"/v1/documents/{document_id}/route", AUTHOR, json={"plan": plan})
    assert started.status_code == 201, started.text
    assert started.json()["state"] == "drafting" and started.json()["your_turn"]
    assert act(stack, AUTHOR, document_id, "forward")["current"] == 1
    # Not the head's turn yet; the proof-reader sees it in the inbox and may open the document.
    refused = stack.call(
        "POST", f"/v1/documents/{document_id}/route/actions", HEAD, json={"action": "forward"}
    )
    assert refused.status_code == 403
    assert document_id in inbox_documents(stack, PROOFREADER)
    assert stack.call("GET", f"/v1/documents/{document_id}", PROOFREADER).status_code == 200
    act(stack, PROOFREADER, document_id, "forward")
    returned = act(stack, HEAD, document_id, "return", to_step=0, comment="ขอแก้ไขวันที่ประชุม")
    assert returned["state"] == "drafting" and returned["seen_revision"] == 1
    revised = stack.call(
        "PUT",
        f"/v1/documents/{document_id}",
        AUTHOR,
        json={
            "kind": "internal",
            "subject": "ขออนุมัติจัดประชุมเชิงปฏิบัติการ",
            "recipient": {"position": DIRECTOR_POSITION},
            "body": "ด้วยกองบริการดิจิทัลจะจัดประชุมเชิงปฏิบัติการ ในวันที่ 15 ธันวาคม 2569\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            "owner_unit_id": "services",
        },
    )
    assert revised.status_code == 200 and revised.json()["current"] == 2, revised.text
    act(stack, AUTHOR, document_id, "forward")
    act(stack, PROOFREADER, document_id, "forward")
    seen = route(stack, HEAD, document_id)
    assert (seen["seen_revision"], seen["revision"]) == (1, 2)  # the head sees it changed since
    diff = stack.call("GET", f"/v1/documents/{document_id}/revisions/diff", HEAD, params={"from": "1"}).json()
    assert [c["field"] for c in diff["changes"]] == ["body"] and any(
        "15 ธันวาคม" in line for line in diff["changes"][0]["diff"]
    )
    act(stack, HEAD, document_id, "forward")
    direct = stack.call("POST", f"/v1/documents/{document_id}/sign", DIRECTOR)  # around the route
    assert direct.status_code == 409 and "on its route" in direct.json()["detail"], direct.text
    approved = act(stack, DIRECTOR, document_id, "forward")  # the last review: the platform numbers it
    assert approved["state"] == "numbering"

    signing = until(lambda: (r := route(stack, AUTHOR, document_id))["state"] == "signing" and r)
    assert signing["number"]["ref_line"].startswith("ที่ ดศ 0301.4/")
    assert document_id in inbox_documents(stack, HEAD)  # the head acts for the director's position
    act(stack, HEAD, document_id, "forward")  # signs, ปฏิบัติราชการแทน
    done = until(lambda: (r := route(stack, AUTHOR, document_id))["state"] == "signed" and r)
    assert done["stuck"] is None
    document = stack.call("GET", f"/v1/documents/{document_id}", AUTHOR).json()
    assert document["state"] == "signed" and document["reference"] == signing["number"]["ref_line"]
    assert document["letter_date"] and document["signatures"][0]["capacity"]["kind"] == "on_behalf"

    link = stack.call("GET", f"/v1/documents/{document_id}/pdf", AUTHOR).json()["url"]
    pdf = requests.get(link, timeout=30).content
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    number = str(signing["number"]["number"])
    thai = number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert f"0301.4/{number}" in text or f"๐๓๐๑.๔/{thai}" in text, text[:400]
    report = stack.call(
        "POST", "/v1/validate", AUTHOR, data=pdf, headers={"Content-Type": "application/pdf"}
    ).json()
    assert report["all_valid"] and report["signatures"][0]["bottom_line"], report
    assert document_id not in inbox_documents(stack, HEAD)


def test_an_incoming_letter_is_endorsed_assigned_acknowledged_and_done(stack: Stack) -> None:
    registered = stack.call(
        "POST",
        "/v1/registers/incoming/entries",
        SARABAN,
        json={
            "document": {
                "kind": "external",
                "subject": "ขอความร่วมมือสำรวจความพร้อมระบบดิจิทัล",
                "reference": "ที่ ดศ 0201.3/77",
                "letter_date": "2026-11-20",
                "sender": {"position": "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"},
                "urgency": "urgent",
            }
        },
    )
    assert registered.status_code == 201, registered.text
    entry = registered.json()
    document_id = entry["document_id"]
    sent = stack.call(
        "POST",
        f"/v1/documents/{document_id}/endorsements",
        SARABAN,
        json={"note": "เรียน อธิบดี เพื่อโปรดทราบและพิจารณา", "addressed_to": {"position": DIRECTOR_POSITION}},
    )
    assert sent.status_code == 201, sent.text
    assert document_id in inbox_documents(stack, DIRECTOR)
    decided = stack.call(
        "POST",
        f"/v1/documents/{document_id}/endorsements",
        DIRECTOR,
        json={"note": "มอบ กองบริการดิจิทัล และสำนักงานเลขานุการกรม ดำเนินการ", "decision": "act"},
    )
    assert decided.status_code == 201 and decided.json()["endorsements"][1]["decision_th"] == "ดำเนินการ"
    assert document_id not in inbox_documents(stack, DIRECTOR)
    for unit in ("services", "office"):
        answer = stack.call(
            "POST", f"/v1/documents/{document_id}/assignments", DIRECTOR, json={"unit_id": unit}
        )
        assert answer.status_code == 201, answer.text
    assignments = {a["to"]: a["id"] for a in answer.json()["assignments"]}
    assert document_id in inbox_documents(stack, AUTHOR)  # staff of กองบริการดิจิทัล
    services = f"/v1/documents/{document_id}/assignments/{assignments['unit:services']}"
    assert stack.call("POST", services, AUTHOR, json={"state": "acknowledged"}).status_code == 200
    assert (
        stack.call("POST", services, AUTHOR, json={"state": "done", "report": "ส่งแบบสำรวจแล้ว"}).status_code
        == 200
    )
    office = f"/v1/documents/{document_id}/assignments/{assignments['unit:office']}"
    assert (
        stack.call("POST", office, AUTHOR, json={"state": "acknowledged"}).status_code == 403
    )  # not their unit
    assert stack.call("POST", office, ADMIN, json={"state": "acknowledged"}).status_code == 200
    assert document_id not in inbox_documents(stack, AUTHOR)

    def line() -> dict[str, Any] | None:
        entries = stack.call("GET", "/v1/registers/incoming", SARABAN, params={"limit": "200"}).json()[
            "entries"
        ]
        found = next(e for e in entries if e["number"] == entry["number"])
        return found if found["action"] and "รับทราบแล้ว" in found["action"] else None

    copy = stack.call("GET", f"/v1/documents/{document_id}/endorsed.pdf", SARABAN)
    assert copy.status_code == 200 and copy.content.startswith(b"%PDF")
    from pypdf import PdfReader

    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(copy.content)).pages)
    assert "ดำเนินการ" in printed and "เพื่อโปรดทราบและพิจารณา" in printed, printed[:300]
    action = until(line)["action"]
    assert "กองบริการดิจิทัล (ดำเนินการแล้ว)" in action and "สำนักงานเลขานุการกรม (รับทราบแล้ว)" in action
    handled = stack.call("GET", f"/v1/documents/{document_id}/handling", SARABAN)
    assert handled.status_code == 200 and len(handled.json()["assignments"]) == 2
    assert handled.json()["may_handle"] is True  # the saraban officer endorses and assigns
    # staff of the unit it was assigned to act on it, but do not endorse or assign it (no endorse item)
    assert stack.call("GET", f"/v1/documents/{document_id}/handling", AUTHOR).json()["may_handle"] is False
    draft = stack.call(
        "POST",
        "/v1/documents",
        AUTHOR,
        json={"kind": "internal", "subject": "ร่างบันทึก", "recipient": {"position": DIRECTOR_POSITION}},
    )
    assert draft.status_code == 201, draft.text
    # Only a letter in an incoming book has a handling; a draft is told so (409), not shown an empty one.
    unhandled = stack.call("GET", f"/v1/documents/{draft.json()['id']}/handling", AUTHOR)
    assert unhandled.status_code == 409 and "ลงทะเบียนรับ" in unhandled.json()["detail_th"]
    notes = stack.call("GET", "/v1/notifications", DIRECTOR).json()
    assert notes["unread"] >= 1 and any(n["document_id"] == document_id for n in notes["notifications"])
    first = next(n for n in notes["notifications"] if n["document_id"] == document_id)
    read = stack.call("POST", f"/v1/notifications/{first['id']}/read", DIRECTOR).json()
    assert read["unread"] == notes["unread"] - 1


def test_a_withdrawn_route_cancels_its_number_with_the_reason(stack: Stack) -> None:
    users = read_state(stack.port).users
    made = stack.call(
        "POST",
        "/v1/documents",
        AUTHOR,
        json={
            "kind": "internal",
            "subject": "บันทึกที่จะถอนเรื่อง",
            "recipient": {"position": DIRECTOR_POSITION},
            "body": "ทดสอบ",
            "owner_unit_id": "services",
        },
    )
    document_id = made.json()["id"]
    plan = {"signers": [{"user_id": users["dept.director"]["sub"]}]}
    assert (
        stack.call("POST", f"/v1/documents/{document_id}/route", AUTHOR, json={"plan": plan}).status_code
        == 201
    )
    act(stack, AUTHOR, document_id, "forward")
    numbered = until(lambda: (r := route(stack, AUTHOR, document_id))["number"] and r)
    number = numbered["number"]
    withdrawn = stack.call(
        "POST", f"/v1/documents/{document_id}/route/withdraw", AUTHOR, json={"reason": "เปลี่ยนแผนงาน"}
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"

    def cancelled() -> dict[str, Any] | None:
        entries = stack.call(
            "GET", "/v1/registers/outgoing", SARABAN, params={"limit": "200", "year": str(number["year"])}
        ).json()["entries"]
        found = next(e for e in entries if e["number"] == number["number"])
        return found if found["cancelled"] else None

    line = until(cancelled)
    assert "ถอนเรื่อง: เปลี่ยนแผนงาน" in line["cancel"]["reason"]
    assert route(stack, AUTHOR, document_id)["number"] is None


def test_people_on_the_route_of_a_classified_letter_may_open_it_within_their_clearance(stack: Stack) -> None:
    users = read_state(stack.port).users
    secret = ("mdes-dept", "dept.secret")  # cleared ลับมาก, no grant on this letter
    made = stack.call(
        "POST",
        "/v1/documents",
        HEAD,
        json={
            "kind": "internal",
            "subject": "รายงานผลการตรวจสอบความมั่นคงปลอดภัย",
            "secrecy": "confidential",
            "recipient": {"position": DIRECTOR_POSITION},
            "body": "ตามที่ได้รับมอบหมาย",
            "owner_unit_id": "services",
        },
    )
    assert made.status_code == 201, made.text
    document_id = made.json()["id"]
    assert stack.call("GET", f"/v1/documents/{document_id}", secret).status_code == 404
    plan = {
        "reviews": [{"kind": "review", "assignee": {"user_id": users["dept.secret"]["sub"]}}],
        "signers": [{"user_id": users["dept.director"]["sub"]}],
    }
    assert (
        stack.call("POST", f"/v1/documents/{document_id}/route", HEAD, json={"plan": plan}).status_code == 201
    )
    assert stack.call("GET", f"/v1/documents/{document_id}", secret).status_code == 404  # not yet their step
    act(stack, HEAD, document_id, "forward")
    assert stack.call("GET", f"/v1/documents/{document_id}", secret).status_code == 200
    assert document_id in inbox_documents(stack, secret)
    assert stack.call("GET", f"/v1/documents/{document_id}", AUTHOR).status_code == 404  # not on the route
    withdrawn = stack.call(
        "POST", f"/v1/documents/{document_id}/route/withdraw", HEAD, json={"reason": "ทดสอบ"}
    )
    assert withdrawn.status_code == 200


def _block_lines(pdf: bytes) -> list[str]:
    """The lines of the first signature field's appearance (the block the signer's field shows)."""
    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/T") == "Sig1" and "/AP" in annot:
                text = page.extract_xform_text(annot["/AP"]["/N"].get_object())
                return [line.strip() for line in text.splitlines() if line.strip()]
    raise AssertionError("no Sig1 appearance")


def test_a_delegate_named_on_the_route_is_the_block_proof_read_and_the_only_one_who_signs(
    stack: Stack,
) -> None:
    users = read_state(stack.port).users
    sub = {name: users[name]["sub"] for name in ("dept.head", "dept.director")}
    delegation = {"kind": "acting", "from_user": sub["dept.director"], "order_reference": "คำสั่งกรม ที่ 13/2569"}
    put = stack.call(
        "PUT", f"/v1/users/{sub['dept.head']}/delegations", ADMIN, json={"delegations": [delegation]}
    )
    assert put.status_code == 200, put.text
    try:
        made = stack.call(
            "POST",
            "/v1/documents",
            AUTHOR,
            json={
                "kind": "internal",
                "subject": "ขออนุมัติเดินทางไปราชการ",
                "recipient": {"position": DIRECTOR_POSITION},
                "body": "ด้วยกองบริการดิจิทัลขออนุมัติเดินทางไปราชการ\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
                "owner_unit_id": "services",
            },
        )
        assert made.status_code == 201, made.text
        document_id = made.json()["id"]
        # A delegate who holds no delegation from the signer is refused when the route starts.
        wrong = {"signers": [{"position": DIRECTOR_POSITION, "delegate": users["dept.staff2"]["sub"]}]}
        refused = stack.call("POST", f"/v1/documents/{document_id}/route", AUTHOR, json={"plan": wrong})
        assert refused.status_code == 409 and "delegation" in refused.json()["detail"], refused.text
        plan = {"signers": [{"position": DIRECTOR_POSITION, "delegate": sub["dept.head"]}]}
        started = stack.call("POST", f"/v1/documents/{document_id}/route", AUTHOR, json={"plan": plan})
        assert started.status_code == 201, started.text
        assert started.json()["steps"][-1]["delegate"] == sub["dept.head"]
        act(stack, AUTHOR, document_id, "forward")  # to the sign step: numbered, rendered
        signing = until(lambda: (r := route(stack, AUTHOR, document_id))["state"] == "signing" and r)
        link = stack.call("GET", f"/v1/documents/{document_id}/pdf", AUTHOR).json()["url"]
        proof_read = _block_lines(requests.get(link, timeout=30).content)
        head = stack.call("GET", "/v1/me", HEAD).json()
        assert proof_read == [f"({head['name']})", head["position"], f"รักษาราชการแทน {DIRECTOR_POSITION}"]
        # The director's own signature would not be the block that was proof-read.
        director = stack.call(
            "POST", f"/v1/documents/{document_id}/route/actions", DIRECTOR, json={"action": "forward"}
        )
        assert director.status_code == 403, director.text
        assert signing["steps"][-1]["delegate"] == sub["dept.head"]
        act(stack, HEAD, document_id, "forward")  # signs, รักษาราชการแทน
        until(lambda: route(stack, AUTHOR, document_id)["state"] == "signed")
        signed_link = stack.call("GET", f"/v1/documents/{document_id}/pdf", AUTHOR).json()["url"]
        signed = requests.get(signed_link, timeout=30).content
        from tests.unit.signing.signing_helpers import appearance_text

        # pyHanko's appearance marks each line with its ActualText (its ToUnicode alone garbles ผู้).
        assert [line.strip() for line in appearance_text(signed, "Sig1")] == proof_read
        document = stack.call("GET", f"/v1/documents/{document_id}", AUTHOR).json()
        assert document["signatures"][0]["capacity"]["kind"] == "acting"
    finally:
        stack.call("PUT", f"/v1/users/{sub['dept.head']}/delegations", ADMIN, json={"delegations": []})
