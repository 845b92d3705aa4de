"""Exchange between agencies on the platform, over HTTP on the local stack (IAM enforced): a signed
letter of mdes-ops goes to mdes-dept, is checked on arrival, accepted with dept's own number, and ops
sees that number in its outgoing register; a second letter is sent back with a reason and sent again;
a replayed delivery changes nothing; neither agency reads the other's copy."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from devstack.stack import ROOT, operator_session, read_state
from tests.integration.conftest import Stack
from tests.integration.test_iam_enforced import signed_letter, until

pytestmark = pytest.mark.integration

OPS = ("mdes-ops", "ops.saraban")
DEPT = ("mdes-dept", "dept.saraban")


def incoming(stack: Stack, delivery_id: str) -> dict[str, Any] | None:
    answer = stack.call("GET", "/v1/exchange/incoming", DEPT)
    assert answer.status_code == 200, answer.text
    return next((i for i in answer.json()["items"] if i["delivery_id"] == delivery_id), None)


def sends(stack: Stack, document_id: str) -> list[dict[str, Any]]:
    answer = stack.call("GET", f"/v1/documents/{document_id}/sends", OPS)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["deliveries"])


def send(stack: Stack, document_id: str) -> dict[str, Any]:
    sent = stack.call("POST", f"/v1/documents/{document_id}/sends", OPS, json={"recipients": ["mdes-dept"]})
    assert sent.status_code == 202, sent.text
    return dict(sent.json()["deliveries"][-1])


def arrived(stack: Stack, delivery_id: str) -> dict[str, Any]:
    return dict(
        until(
            lambda: (i := incoming(stack, delivery_id)) and i["file_status"] == "ready" and i,
            timeout=90,
        )
    )


def test_the_agencies_a_letter_can_go_to_are_listed_in_thai_order(stack: Stack) -> None:
    listed = stack.call("GET", "/v1/exchange/agencies", OPS, params={"q": "ดิจิทัล"}).json()["items"]
    assert [a["id"] for a in listed] == ["mdes-dept"]  # not itself
    assert stack.call("GET", "/v1/exchange/agencies", OPS, params={"q": "zzz"}).json()["items"] == []


def test_a_letter_is_sent_checked_on_arrival_accepted_and_its_number_goes_back(stack: Stack) -> None:
    document_id = signed_letter(stack)
    queued = send(stack, document_id)
    assert queued["state"] == "queued" and queued["recipient_name"] == "กรมพัฒนาดิจิทัลภาครัฐ (สาธิต)"
    delivery_id = queued["delivery_id"]
    letter = arrived(stack, delivery_id)
    assert letter["state"] == "delivered" and letter["sender"] == "mdes-ops"
    assert letter["signatures_valid"] is True  # validated on arrival, before anyone accepts it
    assert letter["reference"].startswith("ดศ 0201")
    assert sends(stack, document_id)[0]["state"] == "delivered"
    again = stack.call("POST", f"/v1/documents/{document_id}/sends", OPS, json={"recipients": ["mdes-dept"]})
    assert again.status_code == 409  # already with them
    # Neither side reads the other's records.
    assert stack.call("GET", f"/v1/documents/{delivery_id}", OPS).status_code == 404
    assert stack.call("GET", f"/v1/documents/{document_id}", DEPT).status_code == 404
    assert stack.call("GET", "/v1/exchange/incoming", ("mdes-dept", "dept.staff1")).status_code == 403

    accepted = stack.call("POST", f"/v1/exchange/incoming/{delivery_id}/accept", DEPT)
    assert accepted.status_code == 201, accepted.text
    number = accepted.json()["number"]
    assert accepted.json()["book"] == "incoming"
    twice = stack.call("POST", f"/v1/exchange/incoming/{delivery_id}/accept", DEPT)
    assert twice.status_code == 409
    outcome = sends(stack, document_id)[0]
    assert outcome["state"] == "accepted" and f"เลขรับ {number} " in outcome["number_line"]
    # The sender's outgoing register says where the letter went and what became of it.
    document = stack.call("GET", f"/v1/documents/{document_id}", OPS).json()
    registration = document["registrations"][0]
    page = stack.call("GET", "/v1/registers/outgoing", OPS, params={"year": registration["year"]}).json()
    line = next(e for e in page["entries"] if e["number"] == registration["number"])
    assert "ลงรับแล้ว" in line["action"] and f"เลขรับ {number}" in line["action"]

    # The platform's replay of the same delivery changes nothing.
    state = read_state(stack.port)
    sqs = operator_session(state).client("sqs", endpoint_url=state.backend_url)
    url = sqs.get_queue_url(QueueName=state.function_environment["EOFFICE_QUEUE_EXCHANGE"])["QueueUrl"]
    replay = {"sender": "mdes-ops", "document": document_id, "recipient": "mdes-dept", "attempt": 1}
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(replay))
    until(
        lambda: (
            not int(
                sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"][
                    "ApproximateNumberOfMessages"
                ]
            )
        )
    )
    letters = [
        i
        for i in stack.call("GET", "/v1/exchange/incoming", DEPT).json()["items"]
        if i["delivery_id"] == delivery_id
    ]
    assert len(letters) == 1 and letters[0]["state"] == "accepted"


def test_a_letter_sent_back_is_corrected_and_sent_again(stack: Stack) -> None:
    document_id = signed_letter(stack)
    first = send(stack, document_id)
    arrived(stack, first["delivery_id"])
    refused = stack.call(
        "POST", f"/v1/exchange/incoming/{first['delivery_id']}/reject", DEPT, json={"reason": " "}
    )
    assert refused.status_code == 422  # a reason is required
    back = stack.call(
        "POST", f"/v1/exchange/incoming/{first['delivery_id']}/reject", DEPT, json={"reason": "ส่งผิดหน่วยงาน"}
    )
    assert back.status_code == 200 and back.json()["state"] == "rejected", back.text
    outcome = sends(stack, document_id)[0]
    assert outcome["state"] == "rejected" and outcome["reason"] == "ส่งผิดหน่วยงาน"
    second = send(stack, document_id)
    assert second["attempt"] == 2 and second["delivery_id"] != first["delivery_id"]
    arrived(stack, second["delivery_id"])
    found_invalid = stack.call(
        "POST", f"/v1/exchange/incoming/{second['delivery_id']}/invalid", DEPT, json={"reason": "อ่านไม่ออก"}
    )
    assert found_invalid.status_code == 200 and found_invalid.json()["state"] == "invalid"
    assert [d["state"] for d in sends(stack, document_id)] == ["rejected", "invalid"]


def test_an_unsigned_letter_or_an_unknown_agency_is_refused(stack: Stack) -> None:
    draft = stack.call(
        "POST", "/v1/documents", OPS, json={"kind": "external", "subject": "ร่าง", "owner_unit_id": "policy"}
    ).json()
    unsigned = stack.call(
        "POST", f"/v1/documents/{draft['id']}/sends", OPS, json={"recipients": ["mdes-dept"]}
    )
    assert unsigned.status_code == 409 and "not signed" in unsigned.json()["detail"]
    document_id = signed_letter(stack)
    unknown = stack.call(
        "POST", f"/v1/documents/{document_id}/sends", OPS, json={"recipients": ["no-such-agency"]}
    )
    assert unknown.status_code == 409 and unknown.json()["title_th"] == "ไม่พบหน่วยงานผู้รับในระบบ", unknown.text
    itself = stack.call("POST", f"/v1/documents/{document_id}/sends", OPS, json={"recipients": ["mdes-ops"]})
    assert itself.status_code == 422


def test_a_circular_reaches_fifty_onboarded_agencies_every_delivery_accounted_for(
    stack: Stack, tmp_path: Path
) -> None:
    example = yaml.safe_load((ROOT / "examples" / "agency.yaml").read_text(encoding="utf-8"))
    (tmp_path / "emblem-sample.svg").write_bytes((ROOT / "examples" / "emblem-sample.svg").read_bytes())
    files, ids = [], []
    for i in range(50):
        data = {**example, "id": f"circ-{i:02d}", "name": f"หน่วยงานรับหนังสือเวียน {i:02d}"}
        data["ecms"] = {**example["ecms"], "department_id": f"0013800{i:03d}"}  # each its own e-CMS id
        data["people"] = [
            {**p, "username": f"circ{i:02d}.{p['username'].split('.')[-1]}", "signer": False}
            for p in example["people"]
        ]
        path = tmp_path / f"circ-{i:02d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        files.append(str(path))
        ids.append(data["id"])
    onboarded = subprocess.run(
        [str(Path(sys.executable).parent / "eoffice"), "onboard", *files, "--port", str(stack.port)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert onboarded.returncode == 0 and "50 onboarded" in onboarded.stdout, onboarded.stderr[-2000:]
    document_id = signed_letter(stack)
    sent = stack.call("POST", f"/v1/documents/{document_id}/sends", OPS, json={"recipients": ids})
    assert sent.status_code == 202, sent.text
    assert len(sent.json()["deliveries"]) == 50

    def all_delivered() -> bool:
        return all(d["state"] == "delivered" for d in sends(stack, document_id))

    until(all_delivered, timeout=180)
    assert sorted(d["recipient"] for d in sends(stack, document_id)) == ids


def drop_mail(stack: Stack, agency: str, raw: bytes, tmp_path: Path) -> str:
    eml = tmp_path / "message.eml"
    eml.write_bytes(raw)
    dropped = subprocess.run(
        [
            str(Path(sys.executable).parent / "eoffice"),
            "mail",
            "drop",
            "--agency",
            agency,
            str(eml),
            "--port",
            str(stack.port),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    from chalicelib.exchange.mail import delivery_id_of

    return delivery_id_of(dropped.stdout.strip())


def test_a_letter_by_e_mail_lands_in_the_incoming_queue_and_is_accepted(stack: Stack, tmp_path: Path) -> None:
    from tests.integration.test_files_api import small_pdf
    from tests.unit.exchange.test_mail_intake import mail

    data = small_pdf("Letter by e-mail")
    delivery_id = drop_mail(
        stack, "mdes-dept", mail(attachments=[("หนังสือ.pdf", "application/pdf", data)]), tmp_path
    )
    arrived_letter = arrived(stack, delivery_id)
    assert arrived_letter["sender"] == "email" and arrived_letter["sender_name"] == "สำนักงานจังหวัด"
    assert arrived_letter["subject"] == "ขอเชิญประชุม" and arrived_letter["state"] == "delivered"
    accepted = stack.call("POST", f"/v1/exchange/incoming/{delivery_id}/accept", DEPT)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["book"] == "incoming"


def test_forged_mail_is_quarantined_and_an_executable_is_refused_by_the_checks(
    stack: Stack, tmp_path: Path
) -> None:
    from tests.unit.exchange.test_mail_intake import mail

    forged = drop_mail(
        stack, "mdes-dept", mail(X_SES_Spf_Verdict="FAIL", X_SES_Dkim_Verdict="FAIL"), tmp_path
    )
    held = until(lambda: incoming(stack, forged))
    assert held["state"] == "quarantined" and "forged" in held["reason"]
    refused = stack.call("POST", f"/v1/exchange/incoming/{forged}/accept", DEPT)
    assert refused.status_code == 409
    program = drop_mail(
        stack,
        "mdes-dept",
        mail(attachments=[("run.pdf", "application/pdf", b"MZ\x90\x00 an executable")]),
        tmp_path,
    )
    checked = until(lambda: (i := incoming(stack, program)) and i["file_status"] != "pending" and i)
    assert checked["file_status"] == "rejected"
    cannot = stack.call("POST", f"/v1/exchange/incoming/{program}/accept", DEPT)
    assert cannot.status_code == 409


def test_a_delivery_that_keeps_failing_shows_stuck_and_is_redriven(stack: Stack) -> None:
    from tests.integration.test_iam_enforced import without

    state = read_state(stack.port)
    document_id = signed_letter(stack)
    with without(state, "deliver_letters", "s3:GetObject"):
        send(stack, document_id)

        def stuck() -> str | None:
            found = sends(stack, document_id)[0]
            return found["stuck"] if found["state"] == "queued" else None  # nothing announced yet

        why = until(stuck, timeout=90)
        assert "AccessDenied" in why
    redriven = stack.call("POST", f"/v1/documents/{document_id}/sends/mdes-dept/redrive", OPS)
    assert redriven.status_code == 202, redriven.text
    until(lambda: sends(stack, document_id)[0]["state"] == "delivered", timeout=90)
    assert sends(stack, document_id)[0]["stuck"] is None
    again = stack.call("POST", f"/v1/documents/{document_id}/sends/mdes-dept/redrive", OPS)
    assert again.status_code == 409  # nothing stuck any more


def test_a_letter_to_an_agency_off_the_platform_goes_through_e_cms_and_its_number_comes_back(
    stack: Stack,
) -> None:
    from tests.integration.test_iam_enforced import invoke

    state = read_state(stack.port)
    outside = {"department_id": "0015500050", "ministry_id": "15", "job_title": "ผู้ว่าราชการจังหวัดเชียงใหม่"}
    document_id = signed_letter(stack)
    sent = stack.call("POST", f"/v1/documents/{document_id}/sends", OPS, json={"ecms": [outside]})
    assert sent.status_code == 202, sent.text
    until(lambda: sends(stack, document_id)[0]["state"] == "delivered")  # the node took it
    second = stack.call(
        "POST",
        f"/v1/documents/{document_id}/sends",
        OPS,
        json={"ecms": [{**outside, "department_id": "0015500051"}]},
    )
    assert second.status_code == 409  # one agency off the platform at a time
    polled = invoke(state, "poll_ecms")  # what the schedule runs every minute
    assert polled.returncode == 0, polled.stderr[-2000:]
    outcome = sends(stack, document_id)[0]
    assert outcome["recipient"] == "ecms-0015500050" and outcome["recipient_name"] == outside["job_title"]
    assert outcome["state"] == "accepted" and outcome["number_line"].startswith("เลขรับ 50"), outcome
    # Sent back by the receiver (the fake node sends back letters to departments ending in 9).
    refused_letter = signed_letter(stack)
    stack.call(
        "POST",
        f"/v1/documents/{refused_letter}/sends",
        OPS,
        json={"ecms": [{**outside, "department_id": "0015500059"}]},
    )
    until(lambda: sends(stack, refused_letter)[0]["state"] == "delivered")
    assert invoke(state, "poll_ecms").returncode == 0
    back = sends(stack, refused_letter)[0]
    assert back["state"] == "rejected" and back["reason"] == "ไม่ใช่หนังสือถึงหน่วยงานนี้"
    nobody = stack.call("POST", f"/v1/documents/{refused_letter}/sends", OPS, json={})
    assert nobody.status_code == 422


def test_a_letter_from_an_agency_off_the_platform_comes_in_through_e_cms_and_is_answered(
    stack: Stack,
) -> None:
    """An outside agency's letter, posted to the fake node, is taken by poll_ecms into dept's incoming
    queue (found by dept's e-CMS department id), checked on arrival, received (the node hears so and
    deletes it from its queue), and accepted: the node gets dept's เลขรับ as the AcceptID. A ลับที่สุด
    letter and one to a department the platform does not know are answered, never dropped."""
    import requests
    from chalicelib.exchange import ecms

    from devstack.demo import ECMS_IDS
    from tests.integration.test_iam_enforced import invoke

    state = read_state(stack.port)
    node = state.function_environment["EOFFICE_ECMS_URL"]
    own = signed_letter(stack)  # a signed PDF to carry, as an outside agency's system would
    pdf = requests.get(stack.call("GET", f"/v1/documents/{own}/pdf", OPS).json()["url"], timeout=30).content
    outside = ecms.Party("ผู้ว่าราชการจังหวัดเชียงใหม่", "15", "0015500050")
    dept = ecms.Party("อธิบดี", ECMS_IDS["mdes-dept"]["ministry_id"], ECMS_IDS["mdes-dept"]["department_id"])

    def letter_in(letter_id: str, *, secrecy_code: str = "001", to: ecms.Party = dept) -> str:
        letter = ecms.Letter(
            id=letter_id,
            date=date(2026, 11, 27),
            subject="ขอความอนุเคราะห์ข้อมูลการใช้ระบบสารบรรณ",
            secret_code=secrecy_code,
            speed_code="002",
            sender=outside,
            receiver=to,
            send_date=datetime(2026, 11, 27, 9, 30),
            main_letter=pdf,
            attachment_text="แบบสอบถาม 1 ชุด",
        )
        answer = requests.post(
            f"{node}/outside",
            data=ecms.letter_request(letter, message_id="outside", to=node),
            headers={"SOAPAction": "CorrespondenceLetterOutboundRequest"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return ecms.read_process_id(answer.content)

    def seen_by_node() -> dict[str, Any]:
        return dict(requests.get(f"{node}/answered", timeout=30).json())

    # The node wants the platform's credentials (from Secrets Manager, EOFFICE_ECMS_SECRET): none, no entry.
    anonymous = requests.post(
        node,
        data=ecms.poll_request(message_id="m", to=node),
        headers={"SOAPAction": "CorrespondenceNotifierInboundRequest"},
        timeout=30,
    )
    assert anonymous.status_code == 401
    process = letter_in("ชม 0017.3/4411")
    top_secret = letter_in("ชม 0017.3/4412", secrecy_code="004")
    stranger = letter_in("ชม 0017.3/4413", to=ecms.Party("นายอำเภอ", "15", "0015599999"))
    polled = invoke(state, "poll_ecms")
    assert polled.returncode == 0, polled.stderr[-2000:]
    node_state = seen_by_node()
    assert {process, top_secret, stranger} <= set(node_state["deleted"]) and not node_state["waiting"]
    answers = {a["letter_id"]: a for a in node_state["answered"]}
    assert answers["ชม 0017.3/4411"]["kind"] == "ReceiveLetterNotifier"
    assert answers["ชม 0017.3/4412"]["kind"] == "RejectLetterNotifier"
    assert "ลับที่สุด" in answers["ชม 0017.3/4412"]["reason"]
    assert answers["ชม 0017.3/4413"]["kind"] == "InvalidLetterNotifier"
    assert "0015599999" in answers["ชม 0017.3/4413"]["reason"]

    letters = stack.call("GET", "/v1/exchange/incoming", DEPT).json()["items"]
    came = next(i for i in letters if i["reference"] == "ชม 0017.3/4411")
    assert came["sender"] == "ecms" and "ผู้ว่าราชการจังหวัดเชียงใหม่" in came["sender_name"]
    assert sum(i["reference"].startswith("ชม 0017.3/441") for i in letters) == 1  # nothing else kept
    checked = arrived(stack, came["delivery_id"])
    assert checked["signatures_valid"] is True  # validated on arrival, before anyone accepts it
    shown = stack.call("GET", f"/v1/documents/{came['document_id']}", DEPT)
    assert shown.status_code == 200, shown.text  # shown like any document of the agency's
    assert shown.json()["urgency"] == "urgent" and shown.json()["reference"] == "ชม 0017.3/4411"
    ops_letters = stack.call("GET", "/v1/exchange/incoming", OPS).json()["items"]
    assert all(i["reference"] != "ชม 0017.3/4411" for i in ops_letters)  # only the agency it is for

    accepted = stack.call("POST", f"/v1/exchange/incoming/{came['delivery_id']}/accept", DEPT)
    assert accepted.status_code == 201, accepted.text
    number = str(accepted.json()["number"])

    def accept_answered() -> bool:
        return any(
            a["kind"] == "AcceptLetterNotifier" and a["letter_id"] == "ชม 0017.3/4411"
            for a in seen_by_node()["answered"]
        )

    until(accept_answered, timeout=60)  # the exchange worker tells the node
    accept = next(a for a in seen_by_node()["answered"] if a["kind"] == "AcceptLetterNotifier")
    assert accept["accept_id"] == number
    # Polling again finds nothing left: every letter was taken or answered exactly once.
    assert invoke(state, "poll_ecms").returncode == 0
    assert len(seen_by_node()["answered"]) == len(node_state["answered"]) + 1


def test_a_secret_letter_travels_sealed_and_opens_only_for_the_recipients_cleared_users(stack: Stack) -> None:
    """A ลับ letter of ops reaches dept sealed for the two agencies' secrecy keys: the bucket holds no
    readable PDF (the raw object, read from the emulator), the arrival checks still validate its
    signature, dept's cleared saraban officer opens it through the API (and that is recorded), an
    uncleared colleague cannot, and there is no download link that would bypass the check."""
    import requests
    from chalicelib.kernel.keys import file_object_key

    document_id = signed_letter(stack, "confidential")
    original = requests.get(
        stack.call("GET", f"/v1/documents/{document_id}/pdf", OPS).json()["url"], timeout=30
    ).content
    delivery = send(stack, document_id)
    came = arrived(stack, delivery["delivery_id"])
    assert came["signatures_valid"] is True  # checked opened, in check_uploads

    copy = stack.call("GET", f"/v1/documents/{came['document_id']}", DEPT).json()
    (file,) = copy["files"]
    assert copy["secrecy"] == "confidential" and file["status"] == "ready"
    session, backend_url = stack.backend()
    bucket = read_state(stack.port).function_environment["EOFFICE_BUCKET_FILES"]
    key = file_object_key("mdes-dept", came["document_id"], file["id"])
    raw = session.client("s3", endpoint_url=backend_url).get_object(Bucket=bucket, Key=key)["Body"].read()
    assert not raw.startswith(b"%PDF") and b"%PDF" not in raw and raw[:2] == b"\x02\x05"  # an ESDK message
    assert original[:200] not in raw

    content = f"/v1/documents/{came['document_id']}/files/{file['id']}/content"
    opened = stack.call("GET", content, DEPT, headers={"Accept": "application/pdf"})
    assert opened.status_code == 200, opened.text
    assert opened.content == original  # the very bytes ops signed
    uncleared = stack.call(
        "GET", content, ("mdes-dept", "dept.staff1"), headers={"Accept": "application/pdf"}
    )
    assert uncleared.status_code == 404  # clearance 0: the document does not exist for them
    link = stack.call("GET", f"/v1/documents/{came['document_id']}/files/{file['id']}/download", DEPT)
    assert link.status_code == 409 and "content" in link.json()["detail"]
    history = stack.call("GET", f"/v1/documents/{came['document_id']}/history", DEPT).json()["events"]
    assert any(h["action"] == "file.opened" for h in history)

    # Accepted: the receipt-stamped copy is made opened and stored sealed again.
    assert (
        stack.call("POST", f"/v1/exchange/incoming/{delivery['delivery_id']}/accept", DEPT).status_code == 201
    )

    def stamped() -> bool:
        files = stack.call("GET", f"/v1/documents/{came['document_id']}", DEPT).json()["files"]
        return bool(files[0]["receipt_stamped"])

    until(stamped, timeout=90)
    stamped_copy = stack.call(
        "GET", content, DEPT, params={"variant": "stamped"}, headers={"Accept": "application/pdf"}
    )
    assert stamped_copy.status_code == 200 and stamped_copy.content.startswith(b"%PDF")
    assert stamped_copy.content != original
