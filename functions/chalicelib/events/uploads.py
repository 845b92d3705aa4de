"""Upload handler: S3 ObjectCreated events, delivered through SQS, checked one object at a time.

Partial batch failures are reported (Powertools BatchProcessor), so one bad message is retried and
eventually lands in the dead-letter queue without holding back the rest of the batch.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.api.http import utcnow
from chalicelib.services.uploads import check_uploaded_object

logger = Logger(service="eoffice-uploads")
processor = BatchProcessor(event_type=EventType.SQS)


def created_objects(message_body: str) -> list[tuple[str, str | None]]:
    """(key, version) of the objects an S3 notification names (keys arrive URL-encoded)."""
    notification = json.loads(message_body)
    if notification.get("Event") == "s3:TestEvent":
        return []
    return [
        (unquote_plus(record["s3"]["object"]["key"]), record["s3"]["object"].get("versionId"))
        for record in notification.get("Records", [])
        if str(record.get("eventName", "")).startswith("ObjectCreated")
    ]


def _record_handler(record: SQSRecord) -> None:
    for key, version in created_objects(record.body):
        outcome = check_uploaded_object(key, now=utcnow(), version_id=version)
        logger.info("upload checked", extra={"object_key": key, "outcome": outcome.value})


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    answer = process_partial_response(
        event=event, record_handler=_record_handler, processor=processor, context=context
    )
    return dict(answer)
