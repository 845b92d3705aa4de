"""Hostile input and hostile files against the running stack: each class of finding of the hardening
review, with the request that showed it (docs/api.md)."""

from __future__ import annotations

import csv
import io
import json
import time
from typing import Any

import pytest
import requests

from tests.hostile.corpus import (
    clean_images,
    clean_pdfs,
    hostile_images,
    hostile_pdfs,
    image_case,
    image_expectations,
    pdf_case,
    pdf_expectations,
)
from tests.integration.conftest import (
    DEPT_SARABAN,
    OPS_ADMIN,
    OPS_RECORDS,
    OPS_SARABAN,
    OPS_SECRET,
    OPS_STAFF,
    Stack,
)

pytestmark = pytest.mark.integration
BAD_TEXT = "ยกเลิกเพราะพิมพ์ผิด \ud800"  # a JavaScript client cut inside an emoji


def raw_json(stack: Stack, method: str, path: str, user: tuple[str, str], body: str) -> requests.Response:
    """Send JSON text as written (requests would refuse to encode a lone surrogate)."""
    return stack.call(method, path, user, data=body.encode(), headers={"Content-Type": "application/json"})


def new_document(stack: Stack, user: tuple[str, str], **fields: Any) -> str:
    body = {"kind": "internal", "subject": "บันทึกทดสอบ", **fields}
    answer = stack.call("POST", "/v1/documents", user, json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def register(stack: Stack, book: str = "outgoing", **document: Any) -> dict[str, Any]:
    body = {"document": {"kind": "external", "subject": "หนังสือทดสอบ", "owner_unit_id": "policy", **document}}
    answer = stack.call("POST", f"/v1/registers/{book}/entries", OPS_SARABAN, json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


# -- text that is not valid Unicode ---------------------------------------------------------------
def test_a_lone_surrogate_is_refused_at_the_door_naming_the_field(stack: Stack) -> None:
    entry = register(stack)
    cancel = f"/v1/registers/outgoing/entries/{entry['year']}/{entry['number']}/cancel"
    answer = raw_json(stack, "POST", cancel, OPS_SARABAN, '{"reason": "พิมพ์ผิด \\ud800"}')
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "reason", answer.text
    registration = raw_json(
        stack,
        "POST",
        "/v1/registers/outgoing/entries",
        OPS_SARABAN,
        '{"document": {"kind": "external", "subject": "\\udfff ทดสอบ"}}',
    )
    assert registration.status_code == 422 and registration.json()["errors"][0]["field"] == "document.subject"
    users = stack.call("GET", "/v1/users", OPS_ADMIN).json()["users"]
    staff, director = (
        next(u["id"] for u in users if u["username"] == n) for n in ("ops.staff1", "ops.director")
    )
    delegation = json.dumps(
        {"delegations": [{"kind": "on_behalf", "from_user": director, "order_reference": "คำสั่ง \ud800"}]}
    )
    answer = raw_json(stack, "PUT", f"/v1/users/{staff}/delegations", OPS_ADMIN, delegation)
    assert (
        answer.status_code == 422 and answer.json()["errors"][0]["field"] == "delegations.0.order_reference"
    )
    # The book still lists and exports.
    assert stack.call("GET", "/v1/registers/outgoing", OPS_SARABAN).status_code == 200
    assert stack.call("GET", "/v1/registers/outgoing/export.csv", OPS_SARABAN).status_code == 200


def test_control_characters_are_refused_but_tab_and_newline_in_a_body_are_kept(stack: Stack) -> None:
    bell = stack.call("POST", "/v1/documents", OPS_STAFF, json={"kind": "internal", "subject": "ทดสอบ\x07"})
    assert bell.status_code == 422 and bell.json()["errors"][0]["field"] == "subject"
    body = "ย่อหน้าแรก\n\n\tย่อหน้าที่สอง"
    made = stack.call(
        "POST", "/v1/documents", OPS_STAFF, json={"kind": "internal", "subject": "ก", "body": body}
    )
    assert made.status_code == 201 and made.json()["body"] == body


def test_a_row_stored_before_the_fix_lists_exports_and_can_be_repaired(stack: Stack) -> None:
    entry = register(stack, subject="หนังสือที่จะเสียหาย")
    session, endpoint = stack.backend()
    table = session.client("dynamodb", endpoint_url=endpoint)
    from devstack.resources import STAGE
    from infra.resources import resource_name

    key = {
        "pk": {"S": f"mdes-ops#BOOK#outgoing#{entry['year']}"},
        "sk": {"S": f"ENTRY#{entry['number']:08d}"},
    }
    item = table.get_item(TableName=resource_name(STAGE, "records"), Key=key)["Item"]
    # What the unfixed API stored: the JSON attribute holds an escaped lone surrogate.
    columns = json.loads(item["columns"]["S"])
    columns["subject"] = "หนังสือที่จะเสียหาย \ud800"
    item["columns"] = {"S": json.dumps(columns)}
    table.put_item(TableName=resource_name(STAGE, "records"), Item=item)

    listed = stack.call("GET", "/v1/registers/outgoing", OPS_SARABAN, params={"limit": "200"})
    assert listed.status_code == 200
    line = next(e for e in listed.json()["entries"] if e["number"] == entry["number"])
    assert line["subject"] == "หนังสือที่จะเสียหาย \ufffd" and line["needs_repair"]
    exported = stack.call("GET", "/v1/registers/outgoing/export.csv", OPS_SARABAN)
    assert exported.status_code == 200 and "หนังสือที่จะเสียหาย \ufffd" in exported.content.decode("utf-8-sig")
    pdf = stack.call(
        "GET", "/v1/registers/outgoing/export.pdf", OPS_SARABAN, headers={"Accept": "application/pdf"}
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    repair = f"/v1/registers/outgoing/entries/{entry['year']}/{entry['number']}/repair"
    assert stack.call("POST", repair, OPS_STAFF).status_code == 403
    repaired = stack.call("POST", repair, OPS_RECORDS)
    assert repaired.status_code == 200 and repaired.json()["subject"] == "หนังสือที่จะเสียหาย \ufffd"
    assert not repaired.json()["needs_repair"]
    stored = table.get_item(TableName=resource_name(STAGE, "records"), Key=key)["Item"]
    assert "\\ud800" not in stored["columns"]["S"]


# -- malformed input is a 4xx, never a 500 --------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/documents"),
        ("POST", "/v1/registers/outgoing/entries"),
        ("POST", "/v1/registers/outgoing/entries/2569/1/cancel"),
        ("PUT", "/v1/users/abcdef/delegations"),
        ("POST", "/v1/documents/abcdef123/files"),
    ],
)
def test_deeply_nested_json_is_a_malformed_request(stack: Stack, method: str, path: str) -> None:
    body = "[" * 50_000 + "]" * 50_000  # 100 KB, under the body cap
    answer = raw_json(stack, method, path, OPS_SARABAN, body)
    assert answer.status_code == 400 and answer.headers["Content-Type"].startswith("application/problem+json")


def test_numbers_dates_and_types_in_odd_shapes_are_4xx(stack: Stack) -> None:
    for params in ({"year": "²⁵⁶⁹"}, {"limit": "1e2"}, {"year": "2569\n"}, {"limit": "-5"}):
        assert stack.call("GET", "/v1/registers/outgoing", OPS_SARABAN, params=params).status_code == 422
    assert (
        stack.call(
            "POST", "/v1/registers/outgoing/entries/²⁵⁶⁹/1/cancel", OPS_SARABAN, json={"reason": "x"}
        ).status_code
        == 422
    )
    thai_digits = stack.call("GET", "/v1/registers/outgoing", OPS_SARABAN, params={"year": "๒๕๖๙"})
    assert thai_digits.status_code == 200 and thai_digits.json()["year"] == 2569
    for span in ({"from": "0001-01-01"}, {"to": "9999-12-31"}, {"from": "9999-12-31", "to": "0001-01-01"}):
        assert stack.call("GET", "/v1/registers/outgoing", OPS_SARABAN, params=span).status_code == 200
    for wrong in ({"retention_years": "10"}, {"permanent": "yes"}, {"grants": "abcdefg"}, {"subject": ["x"]}):
        answer = stack.call(
            "POST", "/v1/documents", OPS_STAFF, json={"kind": "internal", "subject": "ก", **wrong}
        )
        assert answer.status_code == 422, (wrong, answer.text)


def test_the_frameworks_own_refusals_are_problems(stack: Stack) -> None:
    wrong_type = stack.call(
        "POST", "/v1/documents", OPS_STAFF, data=b"x", headers={"Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415 and wrong_type.json()["title_th"]
    wrong_method = stack.call("DELETE", "/v1/me", OPS_STAFF)
    assert wrong_method.status_code == 405 and wrong_method.json()["title_th"]
    assert wrong_method.headers["Content-Type"].startswith("application/problem+json")
    no_token = stack.call("POST", "/v1/validate", data=b"x")  # auth comes before the media type
    assert no_token.status_code == 401


def test_a_token_whose_agency_claim_is_not_an_agency_id_is_401(stack: Stack) -> None:
    from devstack.demo import DEMO_PASSWORD
    from devstack.stack import operator_session, read_state

    state = read_state(stack.port)
    cognito = operator_session(state).client("cognito-idp", endpoint_url=state.backend_url)
    username = f"odd-{time.time_ns()}"
    cognito.admin_create_user(
        UserPoolId=state.user_pool_id,
        Username=username,
        UserAttributes=[{"Name": "custom:agency_id", "Value": "MDES OPS/../x"}],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=state.user_pool_id, Username=username, Password=DEMO_PASSWORD, Permanent=True
    )
    token = cognito.admin_initiate_auth(
        UserPoolId=state.user_pool_id,
        ClientId=state.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": DEMO_PASSWORD},
    )["AuthenticationResult"]["IdToken"]
    answer = stack.call("GET", "/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and answer.json()["title_th"]


def test_users_cannot_write_their_own_agency_attribute(stack: Stack) -> None:
    from devstack.stack import operator_session, read_state

    state = read_state(stack.port)
    cognito = operator_session(state).client("cognito-idp", endpoint_url=state.backend_url)
    client = cognito.describe_user_pool_client(UserPoolId=state.user_pool_id, ClientId=state.client_id)
    writable = client["UserPoolClient"].get("WriteAttributes", [])
    assert writable and "custom:agency_id" not in writable


# -- secrecy at the top level ----------------------------------------------------------------------
def test_a_top_secret_line_shows_no_parties_or_reference_to_the_uncleared(stack: Stack) -> None:
    answer = stack.call(
        "POST",
        "/v1/registers/incoming/entries",
        OPS_SARABAN,
        json={
            "document": {
                "kind": "external",
                "secrecy": "top_secret",
                "reference": "ที่ กห 0201/999",
                "letter_date": "2026-11-20",
                "sender": {"position": "ปลัดกระทรวงกลาโหม"},
                "recipient": {"position": "ปลัดกระทรวงดิจิทัลฯ"},
            }
        },
    )
    assert answer.status_code == 201, answer.text
    number = answer.json()["number"]

    def line(user: tuple[str, str]) -> dict[str, Any]:
        entries = stack.call("GET", "/v1/registers/incoming", user, params={"limit": "200"}).json()["entries"]
        return next(e for e in entries if e["number"] == number)

    for reader in (OPS_STAFF, OPS_SECRET):
        seen = line(reader)
        assert seen["secrecy"] == "top_secret" and seen["from"] == "" and seen["to"] == ""
        assert seen["reference"] is None and seen["letter_date"] is None
        assert "ไม่บันทึกเนื้อหา" in seen["subject"]
    keeper = line(OPS_SARABAN)  # the officer who registered it
    assert keeper["from"] == "ปลัดกระทรวงกลาโหม" and keeper["reference"] == "ที่ กห 0201/999"
    exported = stack.call("GET", "/v1/registers/incoming/export.csv", OPS_STAFF).content.decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(exported)) if r and r[0] == str(number)]
    assert rows and "ปลัดกระทรวงกลาโหม" not in ",".join(rows[0]) and "กห 0201/999" not in ",".join(rows[0])


# -- hostile files through the real upload path ---------------------------------------------------
def _upload(stack: Stack, document_id: str, name: str, data: bytes, content_type: str, role: str) -> str:
    answer = stack.call(
        "POST",
        f"/v1/documents/{document_id}/files",
        OPS_STAFF,
        json={"filename": name, "content_type": content_type, "role": role},
    )
    assert answer.status_code == 201, answer.text
    form = answer.json()["upload"]
    posted = requests.post(
        form["url"], data=form["fields"], files={"file": (name, data, content_type)}, timeout=60
    )
    assert posted.status_code in (200, 201, 204), posted.text
    return str(answer.json()["file_id"])


def _settled(
    stack: Stack, uploads: dict[str, tuple[str, str]], timeout: float = 240
) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    found: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline and len(found) < len(uploads):
        for name, (document_id, file_id) in uploads.items():
            if name in found:
                continue
            files = stack.call("GET", f"/v1/documents/{document_id}", OPS_STAFF).json()["files"]
            file = next(f for f in files if f["id"] == file_id)
            if file["status"] != "pending":
                found[name] = file
        time.sleep(0.3)
    assert len(found) == len(uploads), sorted(set(uploads) - set(found))
    return found


def test_every_hostile_and_clean_pdf_goes_through_the_upload_checks(stack: Stack) -> None:
    expectations = pdf_expectations()
    names = sorted({*hostile_pdfs(), *clean_pdfs()})
    uploads = {}
    for name in names:
        document_id = new_document(stack, OPS_STAFF)
        uploads[name] = (
            document_id,
            _upload(stack, document_id, name, pdf_case(name), "application/pdf", "main"),
        )
    settled = _settled(stack, uploads)
    for name in names:
        expect, file = expectations[name], settled[name]
        if not expect.refused:
            assert file["status"] == "ready", (name, file)
            continue
        assert file["status"] == "rejected", (name, file)
        wanted = (
            "pdf-encrypted"
            if expect.encrypted
            else "pdf-unreadable"
            if expect.unreadable is not None
            else "pdf-active-content"
        )
        assert file["rejection"]["code"] == wanted, (name, file["rejection"])
        assert file["rejection"]["message_th"] and file["rejection"]["message_en"]


def test_every_hostile_and_clean_image_goes_through_the_upload_checks(stack: Stack) -> None:
    expectations = image_expectations()
    names = sorted({*hostile_images(), *clean_images()})
    document_id = new_document(stack, OPS_STAFF)
    uploads = {}
    for name in names:
        extension = name.rsplit(".", 1)[-1]
        kind = {"png": "image/png", "jpg": "image/jpeg", "tif": "image/tiff"}[extension]
        uploads[name] = (document_id, _upload(stack, document_id, name, image_case(name), kind, "enclosure"))
    settled = _settled(stack, uploads)
    for name in names:
        if expectations[name] is None:
            assert settled[name]["status"] == "ready", (name, settled[name])
        else:
            assert settled[name]["status"] == "rejected", (name, settled[name])


def test_a_nesting_bomb_is_unreadable_for_validation_too(stack: Stack) -> None:
    bomb = pdf_case("nesting_50000_arrays.pdf")
    answer = stack.call(
        "POST", "/v1/validate", OPS_SARABAN, data=bomb, headers={"Content-Type": "application/pdf"}
    )
    assert answer.status_code == 200 and answer.json()["readable"] is False
    other_agency = stack.call(
        "POST", "/v1/validate", DEPT_SARABAN, data=bomb, headers={"Content-Type": "application/pdf"}
    )
    assert other_agency.status_code == 200
