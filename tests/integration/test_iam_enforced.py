"""Every function runs with its own role's credentials against a backend that enforces IAM as AWS does
(devstack/iam.py), with the policies infra/ deploys: a letter's whole life passes, and a permission
taken away is refused exactly where AWS would refuse it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from devstack.iam import DECISIONS_PATH, role_name
from devstack.stack import ROOT, StackState, function_process_environment, operator_session, read_state
from infra.chalice_config import FUNCTIONS as DEPLOYED_FUNCTIONS
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

SARABAN = ("mdes-ops", "ops.saraban")
DIRECTOR = ("mdes-ops", "ops.director")


def until(check: Callable[[], Any], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.3)
    return value


def decisions(state: StackState) -> dict[str, dict[str, Any]]:
    return dict(requests.get(f"{state.backend_url}{DECISIONS_PATH}", timeout=10).json())


def invoke(state: StackState, function: str) -> subprocess.CompletedProcess[str]:
    """`aws lambda invoke` for a scheduled function: its process, with its role's credentials."""
    session = operator_session(state)
    iam = session.client("iam", endpoint_url=state.backend_url)
    arn = iam.get_role(RoleName=role_name(function))["Role"]["Arn"]
    sts = session.client("sts", endpoint_url=state.backend_url)
    credentials = sts.assume_role(RoleArn=arn, RoleSessionName=f"{function}-invoke")["Credentials"]
    role = {
        "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
        "AWS_SESSION_TOKEN": credentials["SessionToken"],
    }
    return subprocess.run(
        [sys.executable, "-m", "devstack.function", "--function", function, "--invoke"],
        cwd=ROOT,
        env=function_process_environment(state.function_environment, role),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def without(state: StackState, function: str, action: str) -> Iterator[None]:
    """The function's role for a while without one action (the policy restored afterwards)."""
    iam = operator_session(state).client("iam", endpoint_url=state.backend_url)
    role = role_name(function)
    policy = iam.get_role_policy(RoleName=role, PolicyName="function")["PolicyDocument"]
    original = policy if isinstance(policy, dict) else json.loads(policy)
    reduced = json.loads(json.dumps(original))
    for statement in reduced["Statement"]:
        statement["Action"] = [a for a in statement["Action"] if a != action]
    reduced["Statement"] = [s for s in reduced["Statement"] if s["Action"]]
    assert reduced != original, f"{function} has no {action} to take away"
    iam.put_role_policy(RoleName=role, PolicyName="function", PolicyDocument=json.dumps(reduced))
    try:
        yield
    finally:
        iam.put_role_policy(RoleName=role, PolicyName="function", PolicyDocument=json.dumps(original))


def rendered_letter(stack: Stack, secrecy: str = "normal") -> str:
    """Drafted, numbered and rendered by the API; the rendering checked by check_uploads; every change
    seen by on_records_change."""
    director = read_state(stack.port).users["ops.director"]["sub"]
    made = stack.call(
        "POST",
        "/v1/documents",
        SARABAN,
        json={
            "kind": "external",
            "subject": "ขอความอนุเคราะห์ข้อมูลสถิติ",
            "recipient": {"position": "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ"},
            "owner_unit_id": "policy",
            "body": "ด้วยกระทรวงต้องการข้อมูลสถิติการใช้บริการ\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            "signers": [director],
            "secrecy": secrecy,
            **({"grants": [director]} if secrecy != "normal" else {}),  # ลับ: need to know
        },
    )
    assert made.status_code == 201, made.text
    document_id = str(made.json()["id"])
    entry = stack.call("POST", "/v1/registers/outgoing/entries", SARABAN, json={"document_id": document_id})
    assert entry.status_code == 201, entry.text
    assert stack.call("POST", f"/v1/documents/{document_id}/render", SARABAN).status_code == 201

    def document() -> dict[str, Any]:
        return dict(stack.call("GET", f"/v1/documents/{document_id}", SARABAN).json())

    until(lambda: document()["files"] and document()["files"][0]["status"] == "ready")
    return document_id


def signed(stack: Stack, document_id: str) -> bool:
    return len(stack.call("GET", f"/v1/documents/{document_id}", SARABAN).json()["signatures"]) == 1


def signed_letter(stack: Stack, secrecy: str = "normal") -> str:
    """A rendered letter signed by sign_documents."""
    document_id = rendered_letter(stack, secrecy)
    assert stack.call("POST", f"/v1/documents/{document_id}/sign", DIRECTOR).status_code == 202
    until(lambda: signed(stack, document_id))
    return document_id


def test_every_function_runs_as_its_own_role_and_needs_nothing_more(stack: Stack, tmp_path: Path) -> None:
    from websockets.sync.client import connect

    state = read_state(stack.port)
    before = decisions(state)  # other tests of the session take permissions away on purpose
    # The receiving agency's saraban officer has the web application open (websocket_connect); the
    # stream posts the letter's arrival to it (execute-api:ManageConnections); then it closes
    # (websocket_disconnect).
    officer = ("mdes-dept", "dept.saraban")
    offered = ["eoffice.v1", stack.token(*officer)]
    with connect(state.websocket_url, subprotocols=offered) as browser:  # type: ignore[arg-type]
        browser.send('{"action": "ping"}')
        document_id = signed_letter(stack)
        link = stack.call("GET", f"/v1/documents/{document_id}/pdf", SARABAN).json()["url"]
        assert requests.get(link, timeout=30).content.startswith(b"%PDF")  # a versioned read, presigned
        # ... and sent to another agency (deliver_letters), whose copy is checked on arrival.
        sent = stack.call(
            "POST", f"/v1/documents/{document_id}/sends", SARABAN, json={"recipients": ["mdes-dept"]}
        )
        assert sent.status_code == 202, sent.text

        def delivered() -> bool:
            deliveries = stack.call("GET", f"/v1/documents/{document_id}/sends", SARABAN).json()["deliveries"]
            return bool(deliveries[0]["state"] == "delivered")

        until(delivered)
        assert json.loads(browser.recv(timeout=10))["type"] == "notification"
    disconnects_before = before.get(role_name("websocket_disconnect"), {}).get("allowed", 0)
    until(
        lambda: (
            decisions(state).get(role_name("websocket_disconnect"), {}).get("allowed", 0) > disconnects_before
        )
    )
    # ... and to an agency off the platform through e-CMS (its notifiers are taken by poll_ecms below).
    outside = {"department_id": "0015500050", "ministry_id": "15", "job_title": "ผู้ว่าราชการจังหวัดเชียงใหม่"}
    assert (
        stack.call(
            "POST", f"/v1/documents/{document_id}/sends", SARABAN, json={"ecms": [outside]}
        ).status_code
        == 202
    )

    def handed_to_ecms() -> bool:
        deliveries = stack.call("GET", f"/v1/documents/{document_id}/sends", SARABAN).json()["deliveries"]
        return any(d["recipient"].startswith("ecms-") and d["state"] == "delivered" for d in deliveries)

    until(handed_to_ecms)
    # ... and a letter arrives by e-mail at the agency's central address (take_in_mail).
    from tests.unit.exchange.test_mail_intake import mail

    eml = tmp_path / "letter.eml"
    eml.write_bytes(mail())
    subprocess.run(
        [
            str(Path(sys.executable).parent / "eoffice"),
            "mail",
            "drop",
            "--agency",
            "mdes-dept",
            str(eml),
            "--port",
            str(stack.port),
        ],
        check=True,
        capture_output=True,
    )
    until(lambda: decisions(state).get(role_name("take_in_mail"), {}).get("allowed", 0) > 0)
    for scheduled in (
        "clean_up",
        "flag_overdue",
        "poll_ecms",
        "send_notifications",
        "renew_timestamps",
        "retire_signing_keys",
    ):
        ran = invoke(state, scheduled)
        assert ran.returncode == 0, ran.stderr[-2000:]
    seen = decisions(state)
    for function in DEPLOYED_FUNCTIONS:
        empty: dict[str, Any] = {"allowed": 0, "refused": []}
        earlier, calls = before.get(role_name(function), empty), seen.get(role_name(function), empty)
        if function != "websocket_message":  # it answers the browser's ping and calls nothing
            assert calls["allowed"] > earlier["allowed"], f"{function} made no call as its role"
        refused = calls["refused"][len(earlier["refused"]) :]
        assert refused == [], f"{function} was refused: {refused[:3]}"


def test_a_permission_taken_away_is_refused_where_aws_would_refuse_it(stack: Stack) -> None:
    state = read_state(stack.port)
    document_id = signed_letter(stack)
    # A checked file's download URL names the version that was checked: its read needs
    # s3:GetObjectVersion (the bucket is versioned).
    file_id = stack.call("GET", f"/v1/documents/{document_id}", SARABAN).json()["files"][0]["id"]

    def link() -> str:
        answer = stack.call("GET", f"/v1/documents/{document_id}/files/{file_id}/download", SARABAN)
        return str(answer.json()["url"])

    assert "versionId=" in link()
    with without(state, "api_handler", "s3:GetObjectVersion"):
        refused = requests.get(link(), timeout=30)
        assert refused.status_code == 403 and b"s3:GetObjectVersion" in refused.content
    assert requests.get(link(), timeout=30).status_code == 200
    # A new document is a transaction whose items are checked one by one: PutItem on the table.
    with without(state, "api_handler", "dynamodb:PutItem"):
        failed = stack.call(
            "POST",
            "/v1/documents",
            SARABAN,
            json={"kind": "external", "subject": "ทดสอบสิทธิ์", "body": "ข้อความ"},
        )
        assert failed.status_code == 500, failed.text
    # The sign worker signs with KMS: without kms:Sign its first attempt is refused; once the
    # permission is back, the message's next delivery signs.
    document_id = rendered_letter(stack)
    with without(state, "sign_documents", "kms:Sign"):
        assert stack.call("POST", f"/v1/documents/{document_id}/sign", DIRECTOR).status_code == 202
        until(lambda: any("kms:Sign" in r for r in decisions(state)[role_name("sign_documents")]["refused"]))
        assert not signed(stack, document_id)
    until(lambda: signed(stack, document_id), timeout=90)


def test_no_role_may_change_or_remove_an_audit_item(stack: Stack) -> None:
    state = read_state(stack.port)
    rendered_letter(stack)  # leaves audit items
    session = operator_session(state)
    table = state.function_environment["EOFFICE_TABLE_RECORDS"]
    operator = session.client("dynamodb", endpoint_url=state.backend_url)
    # A filtered scan answers page by page (1 MB each): read on until an audit item turns up.
    pages = operator.get_paginator("scan").paginate(
        TableName=table,
        FilterExpression="begins_with(pk, :agency) AND contains(pk, :audit)",
        ExpressionAttributeValues={":agency": {"S": "mdes-ops#"}, ":audit": {"S": "#AUDIT#"}},
    )
    day_items = next((page["Items"] for page in pages if page["Items"]), [])
    assert day_items
    key = {"pk": day_items[0]["pk"], "sk": day_items[0]["sk"]}
    for function in DEPLOYED_FUNCTIONS:
        iam = session.client("iam", endpoint_url=state.backend_url)
        arn = iam.get_role(RoleName=role_name(function))["Role"]["Arn"]
        sts = session.client("sts", endpoint_url=state.backend_url)
        credentials = sts.assume_role(RoleArn=arn, RoleSessionName=f"{function}-audit")["Credentials"]
        as_role = session.client(
            "dynamodb",
            endpoint_url=state.backend_url,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
        # The push handlers read no record (websocket_message nothing at all, websocket_disconnect its
        # connection items only); the others may read the audit log.
        if function not in ("websocket_message", "websocket_disconnect"):
            assert as_role.get_item(TableName=table, Key=key)["Item"]["action"] == day_items[0]["action"]
        with pytest.raises(as_role.exceptions.ClientError, match="AccessDenied"):
            as_role.update_item(
                TableName=table,
                Key=key,
                UpdateExpression="SET #a = :a",
                ExpressionAttributeNames={"#a": "action"},
                ExpressionAttributeValues={":a": {"S": "nothing.happened"}},
            )
        with pytest.raises(as_role.exceptions.ClientError, match="AccessDenied"):
            as_role.delete_item(TableName=table, Key=key)
    after = operator.get_item(TableName=table, Key=key)["Item"]
    assert after == day_items[0]
