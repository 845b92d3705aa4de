"""Typed queue messages: a message class names its queue; it is sent and parsed through that class.

class SignJobMessage(Message):
    queue: ClassVar[str] = "sign"          # the queue's suffix in infra/resources.py
    agency: str
    ...
queues.send(SignJobMessage(agency=..., document=..., slot=0))
job = SignJobMessage.model_validate_json(record.body)
"""

from __future__ import annotations

import os
from functools import cache
from typing import ClassVar

from chalicelib.kernel.aws import client
from chalicelib.kernel.schema import Message
from chalicelib.kernel.settings import get_settings


class QueueMessage(Message):
    queue: ClassVar[str]  # the queue's suffix (resource name: eoffice-<stage>-<suffix>)


def queue_name(suffix: str) -> str:
    """The queue's name, as infra/resources.py passes it to every function (EOFFICE_QUEUE_<SUFFIX>)."""
    variable = "EOFFICE_QUEUE_" + suffix.upper().replace("-", "_")
    return os.environ.get(variable) or f"eoffice-{get_settings().stage}-{suffix}"


@cache
def queue_url(suffix: str) -> str:
    name = queue_name(suffix)
    return str(client("sqs").get_queue_url(QueueName=name)["QueueUrl"])


def send(message: QueueMessage) -> None:
    client("sqs").send_message(QueueUrl=queue_url(message.queue), MessageBody=message.model_dump_json())
