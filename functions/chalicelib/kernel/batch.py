"""Batch handlers for SQS and DynamoDB-stream events: one record at a time, partial failures reported.

Powertools' BatchProcessor reports each failed record (ReportBatchItemFailures), so one bad message is
retried and in the end dead-lettered without holding back the rest of its batch. Log state is cleared
at the start of every event: nothing of the previous invocation is logged under this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from chalicelib.kernel import log

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def sqs_handler(record_handler: Callable[[Any], None]) -> Handler:
    return _handler(EventType.SQS, record_handler)


def stream_handler(record_handler: Callable[[Any], None]) -> Handler:
    return _handler(EventType.DynamoDBStreams, record_handler)


def _handler(kind: EventType, record_handler: Callable[[Any], None]) -> Handler:
    processor = BatchProcessor(event_type=kind)

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        log.start(getattr(context, "aws_request_id", None))
        answer = process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
        return dict(answer)

    return handle
