"""What the exchange operations take and answer, and the delivery message."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from chalicelib.kernel.queues import QueueMessage
from chalicelib.kernel.schema import (
    AgencyId,
    Answer,
    Command,
    FilledLine,
    OpaqueId,
    Query,
    Refused,
    ShortLine,
)


class AgencyQuery(Query):
    q: ShortLine = Field(default="", description="part of the agency's name (Thai or English) or its id")


class ListedAgency(Answer):
    id: str
    name: str
    name_en: str
    ministry_code: str


class AgencyList(Answer):
    items: list[ListedAgency]


class EcmsRecipient(Command):
    """An agency off the platform, as e-CMS knows it."""

    department_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]
    ministry_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
    job_title: FilledLine = Field(description="to whom, e.g. ผู้ว่าราชการจังหวัดเชียงใหม่")


def _some_recipient(schema: dict[str, Any]) -> None:
    schema["anyOf"] = [
        {"required": ["recipients"], "properties": {"recipients": {"minItems": 1}}},
        {"required": ["ecms"], "properties": {"ecms": {"minItems": 1}}},
    ]


class SendLetter(Command):
    """Send the signed letter to agencies on the platform (one or many: a circular) and to an agency off
    it through e-CMS."""

    recipients: list[AgencyId] = Field(default_factory=list, max_length=2000, description="agency ids")
    ecms: list[EcmsRecipient] = Field(
        default_factory=list, max_length=1, description="an agency off the platform (one at a time: e-CMS)"
    )

    model_config = ConfigDict(**Command.model_config, json_schema_extra=_some_recipient)

    @model_validator(mode="after")
    def _someone(self) -> SendLetter:
        if not self.recipients and not self.ecms:
            raise Refused("ต้องระบุหน่วยงานผู้รับ", "give at least one recipient (recipients or ecms)")
        return self


class DeliveryPath(Query):
    delivery_id: OpaqueId


class SendPath(Query):
    document_id: OpaqueId
    recipient: AgencyId


class DeliveryView(Answer):
    delivery_id: str
    recipient: str
    recipient_name: str
    attempt: int
    state: str
    state_th: str
    at: datetime = Field(description="when the state last changed")
    number_line: str | None = Field(description="the recipient's เลขรับ, once accepted")
    reason: str | None = Field(description="why it was sent back or found invalid")
    stuck: str | None = Field(default=None, description="why the platform could not carry it: redrive it")


class SendView(Answer):
    document_id: str
    deliveries: list[DeliveryView]


class IncomingLetter(Answer):
    """A letter delivered to the agency, waiting for (or past) its acceptance."""

    delivery_id: str
    document_id: str = Field(description="the agency's own copy of the letter (open, download, register)")
    sender: str
    sender_name: str
    subject: str
    reference: str
    letter_date: str | None
    state: str
    state_th: str
    received_at: datetime
    file_status: str = Field(description="pending while the platform checks the file, then ready or rejected")
    signatures_valid: bool | None = Field(description="the arrival check of its signatures, once done")
    number_line: str | None
    reason: str | None


class IncomingList(Answer):
    items: list[IncomingLetter]


class Decision(Command):
    reason: FilledLine = Field(description="why: the sender reads it")


class Accepted(Answer):
    delivery_id: str
    document_id: str
    book: str
    number: int
    ref_line: str | None


class DeliveryMessage(QueueMessage):
    """One recipient's delivery, for the exchange worker (the exchange queue)."""

    queue: ClassVar[str] = "exchange"
    sender: AgencyId
    document: OpaqueId
    recipient: AgencyId
    attempt: int = Field(ge=1, le=999)


class EcmsAnswerMessage(QueueMessage):
    """An agency's decision on a letter that came through e-CMS, for the exchange worker to send to the
    node (through the queue, so a node that is down is retried and, at last, dead-lettered)."""

    queue: ClassVar[str] = "exchange"
    agency: AgencyId
    delivery: OpaqueId
