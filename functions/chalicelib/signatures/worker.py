"""Sign worker: runs queued signature jobs (SQS). pyHanko and the fonts load here, never in the API."""

from __future__ import annotations

from typing import Any

from chalicelib.kernel import batch, clock
from chalicelib.kernel.log import logger
from chalicelib.signatures.models import SignJobMessage
from chalicelib.signatures.service import run_job

MAX_RECEIVES = 3  # the queue's maxReceiveCount (infra/resources.py): then the message goes to the DLQ


def _record(record: Any) -> None:
    message = SignJobMessage.model_validate_json(record.body)
    receives = int(record.attributes.approximate_receive_count or 1)
    outcome = run_job(message, now=clock.utcnow(), last_attempt=receives >= MAX_RECEIVES)
    logger.info("sign job", extra={"document_id": message.document, "slot": message.slot, "outcome": outcome})


handle = batch.sqs_handler(_record)
