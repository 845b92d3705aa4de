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
