"""The event pump: what Lambda's event source mappings do in AWS, done locally.

It polls the SQS queues and the records table's stream on the embedded backend and calls the same
handler functions Lambda would call, with the real event shapes. Partial batch failures are
honoured: failed SQS messages become visible again and, after the queue's maxReceiveCount, move to
the dead-letter queue; a failed stream batch is retried from the first failed record.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("devstack.pump")

Handler = Callable[[dict[str, Any], Any], Any]
STREAM_RETRIES = 3
RETRY_VISIBILITY_SECONDS = 1
IDLE_POLL_SECONDS = 0.05


@dataclass
class LambdaContext:
    """The parts of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 1024
    timeout_ms: int = 60_000
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    invoked_function_arn: str = ""
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"
    function_version: str = "$LATEST"
    _started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.timeout_ms - int((time.monotonic() - self._started) * 1000))


class Pump:
    def __init__(self, session: Any, region: str) -> None:
        self._sqs = session.client("sqs")
        self._streams = session.client("dynamodbstreams")
        self._region = region
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.idle = threading.Event()
        self._on_stop: list[Callable[[], None]] = []

    def wire(
        self, app: Any, module: Any, *, on_failure_queue_url: str | None = None, only: str | None = None
    ) -> None:
        """Poll every SQS queue and DynamoDB stream the Chalice app declares (or `only` one function's),
        for its handler."""
        from chalice.app import DynamoDBEventConfig, SQSEventConfig

        for source in app.event_sources:
            if only is not None and source.name != only:
                continue
            handler = getattr(module, source.handler_string.rsplit(".", 1)[-1])
            if isinstance(source, SQSEventConfig):
                url = self._sqs.get_queue_url(QueueName=source.queue)["QueueUrl"]
                self.add_queue(url, source.name, handler, batch_size=source.batch_size)
            elif isinstance(source, DynamoDBEventConfig):
                self.add_stream(
                    source.stream_arn,
                    source.name,
                    handler,
                    batch_size=source.batch_size,
                    on_failure_queue_url=on_failure_queue_url,
                )

    def add_queue(self, queue_url: str, function_name: str, handler: Handler, batch_size: int = 10) -> None:
        arn = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self._spawn(
            f"sqs:{function_name}",
            lambda: self._poll_queue(queue_url, arn, function_name, handler, batch_size),
        )

    def add_stream(
        self,
        stream_arn: str,
        function_name: str,
        handler: Handler,
        batch_size: int = 100,
        *,
        on_failure_queue_url: str | None = None,
    ) -> None:
        positions: dict[str, str] = {}  # shard -> last sequence number handled: survives a restart

        def poll() -> None:
            self._poll_stream(stream_arn, function_name, handler, batch_size, positions, on_failure_queue_url)

        self._spawn(f"stream:{function_name}", poll)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=self._guard(name, target), name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _guard(self, name: str, target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            while not self._stop.is_set():
                try:
                    target()
                except Exception:
                    if self._stop.is_set():
                        return
                    log.exception("pump %s failed; restarting in 1 s", name)
                    self._stop.wait(1)

        return run

    def on_stop(self, callback: Callable[[], None]) -> None:
        self._on_stop.append(callback)

    def stop(self) -> None:
        self._stop.set()
        for callback in self._on_stop:
            callback()
        for thread in self._threads:
            thread.join(timeout=3)

    # -- SQS ---------------------------------------------------------------------------------
    def _poll_queue(self, url: str, arn: str, function_name: str, handler: Handler, batch_size: int) -> None:
        while not self._stop.is_set():
            answer = self._sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=batch_size,
                WaitTimeSeconds=0,  # a long poll would hold the backend's request lock for its duration
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            messages = answer.get("Messages", [])
            if not messages:
                self._stop.wait(IDLE_POLL_SECONDS)
                continue
            event = {"Records": [self._sqs_record(m, arn) for m in messages]}
            failed = self._invoke(function_name, handler, event, key="messageId")
            done = [m for m in messages if m["MessageId"] not in failed]
            if done:
                self._sqs.delete_message_batch(
                    QueueUrl=url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
                )
            for message in messages:
                if message["MessageId"] in failed:
                    self._sqs.change_message_visibility(
                        QueueUrl=url,
                        ReceiptHandle=message["ReceiptHandle"],
                        VisibilityTimeout=RETRY_VISIBILITY_SECONDS,
                    )

    def _sqs_record(self, message: dict[str, Any], arn: str) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": arn,
            "awsRegion": self._region,
        }

    # -- DynamoDB stream ---------------------------------------------------------------------
    def _poll_stream(
        self,
        stream_arn: str,
        function_name: str,
        handler: Handler,
        batch_size: int,
        positions: dict[str, str],
        on_failure_queue_url: str | None,
    ) -> None:
        description = self._streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]
        iterators = {}
        for shard in description["Shards"]:
            shard_id = shard["ShardId"]
            # First start: from now on. After an error: right after the last record handled.
            where = (
                {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": positions[shard_id]}
                if shard_id in positions
                else {"ShardIteratorType": "LATEST"}
            )
            iterators[shard_id] = self._streams.get_shard_iterator(
                StreamArn=stream_arn, ShardId=shard_id, **where
            )["ShardIterator"]
        while not self._stop.is_set():
            busy = False
            for shard_id, iterator in list(iterators.items()):
                answer = self._streams.get_records(ShardIterator=iterator, Limit=batch_size)
                iterators[shard_id] = answer["NextShardIterator"]
                records = answer.get("Records", [])
                if records:
                    busy = True
                    self._deliver_stream_batch(
                        stream_arn, shard_id, function_name, handler, records, on_failure_queue_url
                    )
                    positions[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
            if not busy:
                self.idle.set()
                self._stop.wait(IDLE_POLL_SECONDS)
            else:
                self.idle.clear()

    def _deliver_stream_batch(
        self,
        stream_arn: str,
        shard_id: str,
        function_name: str,
        handler: Handler,
        records: list[dict[str, Any]],
        on_failure_queue_url: str | None,
    ) -> None:
        pending = [{**r, "eventSourceARN": stream_arn} for r in records]
        for _attempt in range(STREAM_RETRIES + 1):
            failed = self._invoke(function_name, handler, {"Records": pending}, key="sequence")
            if not failed:
                return
            first = next(i for i, r in enumerate(pending) if r["dynamodb"]["SequenceNumber"] in failed)
            pending = pending[first:]
            self._stop.wait(0.2)
        # As Lambda's on-failure destination does: the batch's coordinates go to the failures queue.
        info = {
            "requestContext": {"condition": "RetryAttemptsExhausted", "functionArn": function_name},
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": pending[0]["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": pending[-1]["dynamodb"]["SequenceNumber"],
                "batchSize": len(pending),
                "streamArn": stream_arn,
            },
        }
        log.error(
            "stream batch for %s failed %d retries: sent to the failures queue", function_name, STREAM_RETRIES
        )
        if on_failure_queue_url:
            self._sqs.send_message(QueueUrl=on_failure_queue_url, MessageBody=json.dumps(info))

    # -- invoking -----------------------------------------------------------------------------
    def _invoke(self, function_name: str, handler: Handler, event: dict[str, Any], *, key: str) -> set[str]:
        """Call the handler; the ids of the records it reports as failed (all, if it raised)."""
        context = LambdaContext(function_name=function_name)
        try:
            answer = handler(event, context)
        except Exception:
            log.exception("%s raised; the whole batch fails", function_name)
            return {self._record_id(r, key) for r in event["Records"]}
        failures = (answer or {}).get("batchItemFailures", []) if isinstance(answer, dict) else []
        return {f["itemIdentifier"] for f in failures}

    @staticmethod
    def _record_id(record: dict[str, Any], key: str) -> str:
        return str(record["messageId"] if key == "messageId" else record["dynamodb"]["SequenceNumber"])
