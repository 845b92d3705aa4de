"""Request state in the logs never carries over from the previous caller."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalicelib.kernel import batch, log


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    handler = log.logger.registered_handler
    buffer = io.StringIO()
    previous = handler.setStream(buffer)  # type: ignore[attr-defined]
    yield buffer
    handler.setStream(previous)  # type: ignore[attr-defined]


def last_line(buffer: io.StringIO) -> dict[str, Any]:
    return dict(json.loads(buffer.getvalue().splitlines()[-1]))


def test_a_new_request_forgets_the_previous_callers_keys(lines: io.StringIO) -> None:
    log.start("first")
    log.identify("mdes-ops", "u-1")
    log.logger.warning("during the first request")
    assert last_line(lines)["user_id"] == "u-1"
    log.start("second")  # a request that fails before authentication
    log.logger.warning("refused")
    line = last_line(lines)
    assert "user_id" not in line and "agency_id" not in line and line["correlation_id"] == "second"


def test_each_event_batch_starts_clean(lines: io.StringIO) -> None:
    log.identify("mdes-ops", "left-over")
    seen: list[Any] = []
    handle = batch.sqs_handler(lambda record: (seen.append(record.body), log.logger.warning("handled")))
    event = {"Records": [{"messageId": "m1", "body": "{}", "attributes": {}, "eventSource": "aws:sqs"}]}
    assert handle(event, None) == {"batchItemFailures": []}
    assert seen == ["{}"] and "user_id" not in last_line(lines)


def test_each_thread_logs_its_own_caller(lines: io.StringIO) -> None:
    import threading

    barrier = threading.Barrier(2)

    def request(user: str) -> None:
        log.start(f"corr-{user}")
        log.identify("mdes-ops", user)
        barrier.wait()  # both requests are identified before either logs
        log.logger.warning("handled")

    threads = [threading.Thread(target=request, args=(u,)) for u in ("u-a", "u-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    logged = [json.loads(line) for line in lines.getvalue().splitlines()[-2:]]
    assert {(x["user_id"], x["correlation_id"]) for x in logged} == {("u-a", "corr-u-a"), ("u-b", "corr-u-b")}
