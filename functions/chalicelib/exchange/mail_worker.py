"""Mail worker: each raw message SES stored in the mail bucket (S3 -> SQS) into the agency's incoming
queue, or its quarantine with the reason (exchange/mail.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.exchange.mail import take_in
from chalicelib.kernel import batch, clock
from chalicelib.kernel.log import logger
from chalicelib.kernel.objects import created_objects


def _record(record: Any) -> None:
    for key, version in created_objects(record.body):
        outcome = take_in(key, version_id=version, now=clock.utcnow())
        logger.info("mail taken in", extra={"object_key": key, "outcome": outcome})


handle = batch.sqs_handler(_record)
