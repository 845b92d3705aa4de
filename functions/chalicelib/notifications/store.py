"""The notifications' items: each user's in-app notifications (pk=agency#NOTIF#user), their e-mail
settings (pk=agency, sk=NOTIFYPREF#user) and the e-mail outbox (pk=MAILOUT#nn, spread over shards)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.kernel import ddb, keys


class NotificationItem(ddb.Record):
    """pk=agency#NOTIF#user, sk=<id> (time-ordered): an in-app notification."""

    document_id = UnicodeAttribute()
    text = UnicodeAttribute()
    read = BooleanAttribute(default=False)
    at = UTCDateTimeAttribute()


class PreferenceItem(ddb.Record):
    """pk=agency, sk=NOTIFYPREF#user: how the user wants e-mail (each, digest, off)."""

    email = UnicodeAttribute(default="each")
    digest_hour = NumberAttribute(default=8)  # Asia/Bangkok
    last_digest_on = UnicodeAttribute(null=True)  # the Bangkok date of the last digest sent
    updated_at = UTCDateTimeAttribute(null=True)


class OutboxItem(ddb.Record):
    """pk=MAILOUT#nn, sk=<agency>#<user>#<notification id>: a notification waiting to be e-mailed."""

    agency = UnicodeAttribute()
    user = UnicodeAttribute()
    document_id = UnicodeAttribute()
    text = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    ttl = NumberAttribute(null=True)  # a week: mail that could not go by then is not worth sending


def new_notification(agency_id: str, user_id: str, *, at: datetime, **fields: Any) -> NotificationItem:
    # The id is time-ordered (kernel/keys.py new_id): the sort key is the id, newest last.
    return NotificationItem(keys.notifications_pk(agency_id, user_id), keys.new_id(), at=at, **fields)


def notifications(agency_id: str, user_id: str, *, limit: int = 50) -> list[NotificationItem]:
    return list(
        NotificationItem.query(
            keys.notifications_pk(agency_id, user_id), scan_index_forward=False, limit=limit
        )
    )


def unread_count(agency_id: str, user_id: str) -> int:
    return int(
        NotificationItem.count(
            keys.notifications_pk(agency_id, user_id),
            filter_condition=NotificationItem.read == False,  # noqa: E712 (a condition)
        )
    )


def notification(agency_id: str, user_id: str, notification_id: str) -> NotificationItem | None:
    return ddb.get_or_none(NotificationItem, keys.notifications_pk(agency_id, user_id), notification_id)


def mark_read(item: NotificationItem) -> None:
    item.update(actions=[NotificationItem.read.set(True)])


def preference(agency_id: str, user_id: str) -> PreferenceItem | None:
    return ddb.get_or_none(PreferenceItem, keys.agency_pk(agency_id), keys.notify_pref_sk(user_id))


def new_preference(agency_id: str, user_id: str, **fields: Any) -> PreferenceItem:
    return PreferenceItem(keys.agency_pk(agency_id), keys.notify_pref_sk(user_id), **fields)


def new_outbox(agency_id: str, user_id: str, notification_id: str, **fields: Any) -> OutboxItem:
    pk = keys.mail_out_pk(keys.shard_of(f"{agency_id}#{user_id}"))
    return OutboxItem(
        pk, f"{agency_id}#{user_id}#{notification_id}", agency=agency_id, user=user_id, **fields
    )


def outbox(shard: int, *, limit: int = 1000) -> Iterator[OutboxItem]:
    yield from OutboxItem.query(keys.mail_out_pk(shard), limit=limit)


def take(item: OutboxItem) -> bool:
    """Remove it from the outbox before its e-mail goes; False when another run already took it."""
    from pynamodb.exceptions import DeleteError

    try:
        item.delete(condition=OutboxItem.pk.exists())
    except DeleteError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False
    return True
