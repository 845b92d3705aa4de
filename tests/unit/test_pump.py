"""The local event pump honours partial batch failures: a message that keeps failing is retried and
then moved to the dead-letter queue by the queue's redrive policy; the others are deleted."""

from __future__ import annotations

import time
from typing import Any

from devstack.pump import Pump


def test_failing_message_is_retried_then_dead_lettered(aws: Any) -> None:
    sqs = aws.client("sqs")
    resources_urls = {"uploads": sqs.get_queue_url(QueueName="eoffice-local-uploads")["QueueUrl"]}
    dlq = sqs.get_queue_url(QueueName="eoffice-local-uploads-dlq")["QueueUrl"]
    seen: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        failures = []
        for record in event["Records"]:
            seen.append(record["body"])
            if record["body"] == "bad":
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    pump = Pump(aws, "ap-southeast-7")
    sqs.send_message(QueueUrl=resources_urls["uploads"], MessageBody="good")
    sqs.send_message(QueueUrl=resources_urls["uploads"], MessageBody="bad")
    pump.add_queue(resources_urls["uploads"], "check_uploads", handler)
    deadline = time.monotonic() + 20
    dead: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not dead:
        time.sleep(0.5)
        dead = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", [])
    pump.stop()
    assert [m["Body"] for m in dead] == ["bad"]
    assert seen.count("good") == 1 and seen.count("bad") == 3  # maxReceiveCount in infra/resources.py
    left = sqs.get_queue_attributes(QueueUrl=resources_urls["uploads"], AttributeNames=["All"])["Attributes"]
    assert left["ApproximateNumberOfMessages"] == "0"


def test_a_stream_batch_that_keeps_failing_goes_to_the_failures_queue(aws: Any) -> None:
    import json

    ddb = aws.client("dynamodb")
    sqs = aws.client("sqs")
    stream_arn = ddb.describe_table(TableName="eoffice-local-records")["Table"]["LatestStreamArn"]
    failures = sqs.get_queue_url(QueueName="eoffice-local-stream-failures")["QueueUrl"]
    calls: list[int] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(len(event["Records"]))
        return {
            "batchItemFailures": [
                {"itemIdentifier": r["dynamodb"]["SequenceNumber"]} for r in event["Records"]
            ]
        }

    pump = Pump(aws, "ap-southeast-7")
    pump.add_stream(stream_arn, "on_records_change", handler, on_failure_queue_url=failures)
    assert pump.idle.wait(10)  # reading from the stream's end
    ddb.put_item(TableName="eoffice-local-records", Item={"pk": {"S": "pump-test"}, "sk": {"S": "x"}})
    deadline = time.monotonic() + 20
    messages: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not messages:
        time.sleep(0.3)
        messages = sqs.receive_message(QueueUrl=failures).get("Messages", [])
    pump.stop()
    assert len(calls) == 4  # the first try and three retries
    info = json.loads(messages[0]["Body"])
    assert info["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert info["DDBStreamBatchInfo"]["batchSize"] == 1
