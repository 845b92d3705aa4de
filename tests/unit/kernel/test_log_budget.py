"""The log byte budget per request (docs/capacity.md, "Logs and storage"), measured: one typical API
request through the in-process app, every byte its logger writes counted; no body ever logged; DEBUG
lines only for the sampled share of requests."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalicelib.kernel import identity, log

SECRET_WORDS = "ข้อความลับในเนื้อหนังสือ-body-must-not-be-logged"


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Everything the app's logger writes (Powertools' handler, swapped to a buffer)."""
    buffer = io.StringIO()
    handler = log.logger.registered_handler
    previous = handler.setStream(buffer)  # type: ignore[attr-defined]
    yield buffer
    handler.setStream(previous)  # type: ignore[attr-defined]


@pytest.fixture
def client(aws: Any, new_agency: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    from chalice.test import Client
    from chalicelib.directory.store import new_user

    agency = new_agency()
    new_user(
        agency,
        "admin1",
        username="admin1",
        name="ผู้ดูแล",
        position="นักวิชาการ",
        units=["office"],
        roles=["admin"],
    ).save()
    verified = identity.VerifiedIdentity(subject="admin1", agency_id=agency, username="admin1")
    monkeypatch.setattr(identity, "verify", lambda token: verified)
    from app import app

    with Client(app) as test_client:
        yield test_client, agency


def request_bytes(client: Any, buffer: io.StringIO, *, sample_rate: float) -> int:
    log.logger.sampling_rate = sample_rate  # type: ignore[attr-defined]
    start = len(buffer.getvalue().encode())
    answer = client.http.get("/v1/signing-keys", headers={"Authorization": "Bearer t"})
    assert answer.status_code == 200, answer.body
    return len(buffer.getvalue().encode()) - start


def test_a_typical_request_stays_within_the_budget_and_logs_no_body(
    client: tuple[Any, str], captured: io.StringIO
) -> None:
    http, _ = client
    measured = request_bytes(http, captured, sample_rate=0.0)
    print(f"log bytes for one API request at INFO: {measured}")
    assert measured <= log.LOG_BYTES_PER_REQUEST
    # A refused write whose body carries letter text: the words never reach the log.
    refused = http.http.post(
        "/v1/documents",
        headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
        body=json.dumps({"subject": SECRET_WORDS, "kind": "no-such-kind"}),
    )
    assert refused.status_code >= 400
    assert SECRET_WORDS not in captured.getvalue()


def test_debug_lines_come_only_with_the_sampled_requests(
    client: tuple[Any, str], captured: io.StringIO
) -> None:
    http, _ = client
    sampled = request_bytes(http, captured, sample_rate=1.0)
    unsampled = request_bytes(http, captured, sample_rate=0.0)
    print(f"log bytes for one API request, sampled for DEBUG: {sampled}; not sampled: {unsampled}")
    assert sampled > unsampled  # the per-request DEBUG line (kernel/http.py) is there only when sampled
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    assert any(line["level"] == "DEBUG" and line["message"] == "request" for line in lines)
    assert sampled <= log.LOG_BYTES_PER_REQUEST  # even a sampled request keeps to the budget
