"""Upload handler: S3 ObjectCreated events, delivered through SQS, checked one object at a time."""

from __future__ import annotations

from typing import Any

from chalicelib.documents.uploads import check_uploaded_object
from chalicelib.kernel import batch, clock
from chalicelib.kernel.log import logger
from chalicelib.kernel.objects import created_objects


def _record(record: Any) -> None:
    for key, version in created_objects(record.body):
        outcome = check_uploaded_object(key, now=clock.utcnow(), version_id=version)
        logger.info("upload checked", extra={"object_key": key, "outcome": outcome.value})


handle = batch.sqs_handler(_record)
