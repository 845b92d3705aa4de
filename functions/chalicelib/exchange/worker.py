"""Exchange worker: carries each queued delivery to its recipient (SQS; a circular is many messages)."""

from __future__ import annotations

from typing import Any

from chalicelib.exchange.models import DeliveryMessage
from chalicelib.exchange.service import deliver
from chalicelib.kernel import batch, clock
from chalicelib.kernel.log import logger


def _record(record: Any) -> None:
    message = DeliveryMessage.model_validate_json(record.body)
    outcome = deliver(message, now=clock.utcnow())
    logger.info(
        "delivery",
        extra={"document_id": message.document, "recipient": message.recipient, "outcome": outcome},
    )


handle = batch.sqs_handler(_record)
