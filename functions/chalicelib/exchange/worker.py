"""Exchange worker: carries each queued delivery to its recipient (SQS; a circular is many messages),
and each decision on a letter from e-CMS to the node."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.exchange.models import DeliveryMessage, EcmsAnswerMessage
from chalicelib.exchange.service import deliver, mark_stuck
from chalicelib.kernel import batch, clock
from chalicelib.kernel.log import logger

MAX_RECEIVES = 3  # the queue's maxReceiveCount (infra/resources.py): then the message goes to the DLQ


def _record(record: Any) -> None:
    if "delivery" in json.loads(record.body):  # only EcmsAnswerMessage has that field
        _answer(EcmsAnswerMessage.model_validate_json(record.body))
        return
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


def _answer(message: EcmsAnswerMessage) -> None:
    from chalicelib.exchange.ecms_intake import answer

    outcome = answer(message.agency, message.delivery, now=clock.utcnow())
    logger.info("e-CMS answer", extra={"delivery": message.delivery, "outcome": outcome})
