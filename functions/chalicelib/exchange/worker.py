"""Exchange worker: carries each queued delivery to its recipient (SQS; a circular is many messages)."""

from __future__ import annotations

from typing import Any

from chalicelib.exchange.models import DeliveryMessage
from chalicelib.exchange.service import deliver, mark_stuck
from chalicelib.kernel import batch, clock
from chalicelib.kernel.log import logger

MAX_RECEIVES = 3  # the queue's maxReceiveCount (infra/resources.py): then the message goes to the DLQ


def _record(record: Any) -> None:
    message = DeliveryMessage.model_validate_json(record.body)
    try:
        outcome = deliver(message, now=clock.utcnow())
    except Exception as error:
        if int(record.attributes.approximate_receive_count or 1) >= MAX_RECEIVES:
            # The last try before the dead-letter queue: the sender sees it stuck, with the reason.
            mark_stuck(message, f"{type(error).__name__}: {error}")
        raise
    logger.info(
        "delivery",
        extra={"document_id": message.document, "recipient": message.recipient, "outcome": outcome},
    )


handle = batch.sqs_handler(_record)
