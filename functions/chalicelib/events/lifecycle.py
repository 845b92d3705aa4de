"""Lifecycle handler: reacts to changes in the records table (DynamoDB stream).

An incoming letter gets its receipt-stamped copy when both its registration and its ready PDF
exist, whichever arrived last.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.api.http import utcnow
from chalicelib.services.receipts import stamp_if_due

logger = Logger(service="eoffice-lifecycle")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def stamp_candidate(record: DynamoDBRecord) -> tuple[str, str] | None:
    """(agency, document) when a record may complete an incoming letter: a ready file or a new entry."""
    if record.dynamodb is None or record.event_name is None or record.event_name.name == "REMOVE":
        return None
    image = record.dynamodb.new_image or {}
    pk, sk = str(image.get("pk", "")), str(image.get("sk", ""))
    if sk.startswith("FILE#") and image.get("status") == "ready" and not image.get("stamped_key"):
        agency, _, document = pk.partition("#DOC#")
        return (agency, document) if document else None
    if sk.startswith("ENTRY#") and record.event_name.name == "INSERT":
        return pk.split("#", 1)[0], str(image.get("document_id", ""))
    return None


def _record_handler(record: DynamoDBRecord) -> None:
    candidate = stamp_candidate(record)
    if candidate is None:
        return
    agency, document = candidate
    outcome = stamp_if_due(agency, document, now=utcnow())
    logger.info("receipt stamp", extra={"document_id": document, "outcome": outcome.value})


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    answer = process_partial_response(
        event=event, record_handler=_record_handler, processor=processor, context=context
    )
    return dict(answer)
