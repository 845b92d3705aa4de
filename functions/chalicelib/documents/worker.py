"""Upload handler: S3 ObjectCreated events, delivered through SQS, checked one object at a time."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from chalicelib.documents.uploads import check_uploaded_object
from chalicelib.kernel import batch, clock
from chalicelib.kernel.log import logger


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


def _record(record: Any) -> None:
    for key, version in created_objects(record.body):
        outcome = check_uploaded_object(key, now=clock.utcnow(), version_id=version)
        logger.info("upload checked", extra={"object_key": key, "outcome": outcome.value})


handle = batch.sqs_handler(_record)
