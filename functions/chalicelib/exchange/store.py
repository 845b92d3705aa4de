"""The exchange's items: each delivery as the sender sees it (under the letter) and as the recipient
sees it (its incoming queue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.kernel import ddb, keys


class SendItem(ddb.Record):
    """pk=<sender>#DOC#<doc>, sk=SEND#<recipient>#<attempt>: one delivery, as the sender sees it."""

    delivery_id = UnicodeAttribute()
    recipient_name = UnicodeAttribute()
    state = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    number_line = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    stuck = UnicodeAttribute(null=True)  # why the platform could not carry it (after its last attempt)
    party = JSONAttribute(null=True)  # an e-CMS receiver: job title, ministry and department ids


class DeliveryItem(ddb.Record):
    """pk=<recipient>#EXCHANGE-IN, sk=DELIVERY#<id>: a letter delivered to the agency."""

    sender = UnicodeAttribute()
    sender_name = UnicodeAttribute()
    sender_document = UnicodeAttribute()
    attempt = NumberAttribute()
    subject = UnicodeAttribute(default="")
    reference = UnicodeAttribute(default="")
    letter_date = UnicodeAttribute(null=True)
    state = UnicodeAttribute()
    received_at = UTCDateTimeAttribute()
    at = UTCDateTimeAttribute()
    number_line = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    party = JSONAttribute(null=True)  # a letter from e-CMS: its ProcessID, ที่, date, subject, sender ids


def sends_of(sender: str, document_id: str) -> list[SendItem]:
    return list(
        SendItem.query(keys.document_pk(sender, document_id), SendItem.sk.startswith(keys.SEND_PREFIX))
    )


def send_item(sender: str, document_id: str, recipient: str, attempt: int) -> SendItem | None:
    return ddb.get_or_none(SendItem, keys.document_pk(sender, document_id), keys.send_sk(recipient, attempt))


def new_send(sender: str, document_id: str, recipient: str, attempt: int, **fields: Any) -> SendItem:
    return SendItem(keys.document_pk(sender, document_id), keys.send_sk(recipient, attempt), **fields)


def delivery(recipient: str, delivery_id: str) -> DeliveryItem | None:
    return ddb.get_or_none(DeliveryItem, keys.exchange_in_pk(recipient), keys.delivery_sk(delivery_id))


def new_delivery(recipient: str, delivery_id: str, **fields: Any) -> DeliveryItem:
    return DeliveryItem(keys.exchange_in_pk(recipient), keys.delivery_sk(delivery_id), **fields)


def deliveries(recipient: str) -> list[DeliveryItem]:
    return list(
        DeliveryItem.query(keys.exchange_in_pk(recipient), DeliveryItem.sk.startswith(keys.DELIVERY_PREFIX))
    )


def delivery_id_of(item: DeliveryItem) -> str:
    return keys.suffix(item.sk, keys.DELIVERY_PREFIX)


def set_state(
    tx: ddb.Transaction,
    label: str,
    item: SendItem | DeliveryItem,
    state: str,
    at: datetime,
    *,
    expected: str,
    number_line: str | None = None,
    reason: str | None = None,
) -> None:
    """Move a delivery on, only from the state it was read in (a concurrent decision loses)."""
    model = type(item)
    actions = [model.state.set(state), model.at.set(at)]
    if number_line is not None:
        actions.append(model.number_line.set(number_line))
    if reason is not None:
        actions.append(model.reason.set(reason))
    tx.update(label, item, actions, condition=model.state == expected)


def mark_stuck(item: SendItem, why: str | None) -> None:
    """The delivery's last attempt failed (why), or it is being redriven (None)."""
    item.update(actions=[SendItem.stuck.set(why) if why else SendItem.stuck.remove()])


class EcmsOutItem(ddb.Record):
    """pk=PLATFORM#ECMS-OUT, sk=<letter id>: the letter handed to the e-CMS node, and whose send it is."""

    sender = UnicodeAttribute()
    document = UnicodeAttribute()
    recipient = UnicodeAttribute()
    attempt = NumberAttribute()
    process_id = UnicodeAttribute(default="")


def ecms_out(letter_id: str) -> EcmsOutItem | None:
    return ddb.get_or_none(EcmsOutItem, keys.ECMS_OUT_PK, letter_id)


def new_ecms_out(letter_id: str, **fields: Any) -> EcmsOutItem:
    return EcmsOutItem(keys.ECMS_OUT_PK, letter_id, **fields)
