"""Sign worker: runs queued signature jobs (SQS). pyHanko and the fonts load here, never in the API."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.api.http import utcnow
from chalicelib.services.signing import run_job

logger = Logger(service="eoffice-sign")
processor = BatchProcessor(event_type=EventType.SQS)
MAX_RECEIVES = 3  # the queue's maxReceiveCount (infra/resources.py): then the message goes to the DLQ


def _record_handler(record: SQSRecord) -> None:
    job = json.loads(record.body)
    receives = int(record.attributes.approximate_receive_count or 1)
    outcome = run_job(
        job["agency"], job["document"], int(job["slot"]), now=utcnow(), last_attempt=receives >= MAX_RECEIVES
    )
    logger.info("sign job", extra={"document_id": job["document"], "slot": job["slot"], "outcome": outcome})


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    answer = process_partial_response(
        event=event, record_handler=_record_handler, processor=processor, context=context
    )
    return dict(answer)
