"""Timestamp renewal on the local stack (IAM enforced): a B-LTA letter sent to storage joins the due
list in the storing transaction; once due, the daily job, as its own role, archives a renewed version
above the locked one, locked as it is, and moves the due item on (docs/rules.md, "Timestamps renewed")."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from devstack.stack import operator_session, read_state
from infra.resources import resource_name
from tests.integration.conftest import Stack
from tests.integration.test_iam_enforced import decisions, invoke, role_name, signed_letter

pytestmark = pytest.mark.integration

RECORDS = ("mdes-ops", "ops.records")


def test_a_stored_lta_letter_is_due_listed_and_renewed_by_the_jobs_own_role(stack: Stack) -> None:
    state = read_state(stack.port)
    document_id = signed_letter(stack)
    answer = stack.call(
        "POST", f"/v1/documents/{document_id}/storage", RECORDS, json={"class_code": "general"}
    )
    assert answer.status_code == 201, answer.text
    first_lock = answer.json()["files"][0]["locked_until"]
    session = operator_session(state)
    table = state.function_environment["EOFFICE_TABLE_RECORDS"]
    dynamodb = session.client("dynamodb", endpoint_url=state.backend_url)

    def due_items() -> list[dict[str, dict[str, str]]]:
        found = dynamodb.query(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "mdes-ops#RENEWAL"}},
            ConsistentRead=True,
        )["Items"]
        return [item for item in found if item["document_id"]["S"] == document_id]

    # Signed at B-LTA (kept ten years): listed when its TSA's certificate is two years from its end.
    listed = due_items()
    assert len(listed) == 1 and listed[0]["reason"]["S"] == "certificate ends"
    now = datetime.now(UTC)
    assert listed[0]["sk"]["S"] > now.strftime("%Y-%m-%dT%H:%M:%SZ")  # not due yet: the job leaves it
    # Made due (as if that end had come within the window): the item moved to yesterday.
    yesterday = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    dynamodb.delete_item(TableName=table, Key={"pk": listed[0]["pk"], "sk": listed[0]["sk"]})
    dynamodb.put_item(TableName=table, Item={**listed[0], "sk": {"S": f"{yesterday}#{document_id}"}})

    before = decisions(state).get(role_name("renew_timestamps"), {"allowed": 0, "refused": []})
    ran = invoke(state, "renew_timestamps")
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert json.loads(ran.stdout.strip().splitlines()[-1])["renewed"] >= 1
    refused = decisions(state)[role_name("renew_timestamps")]["refused"][len(before["refused"]) :]
    assert refused == [], refused[:3]  # its policy is all it needed

    # A second version above the locked first, locked as it; the due item back at its real date.
    s3 = session.client("s3", endpoint_url=state.backend_url)
    key = f"mdes-ops/{document_id}/letter"
    listed_versions = s3.list_object_versions(Bucket=resource_name("local", "archive"), Prefix=key)[
        "Versions"
    ]
    assert len([v for v in listed_versions if v["Key"] == key]) == 2
    view = stack.call("GET", f"/v1/documents/{document_id}/storage", RECORDS).json()
    assert view["files"][0]["locked_until"] == first_lock
    assert [item["sk"]["S"] for item in due_items()] == [listed[0]["sk"]["S"]]
