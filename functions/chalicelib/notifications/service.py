"""Notifications (docs/rules.md, "Notifications"):

1. Other modules notify users in their own transactions (`add_to`): the in-app list (`listing`) shows
   each at once.
2. The records stream (`react`) puts each new notification of a user who wants e-mail in the outbox.
3. A scheduled job (`send_due`, every five minutes) e-mails what waits: one message per notification,
   or one digest when more than EACH_AT_MOST wait at once or the user chose a daily digest. An outbox
   item is taken (deleted, conditionally) before its e-mail goes, so a retried or overlapping run
   never sends it twice; the in-app notification stays whatever happens to the e-mail.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.directory import service as directory
from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import NotFound
from chalicelib.kernel.log import logger
from chalicelib.kernel.principal import Principal
from chalicelib.notifications import mail, models, store
from chalicelib.notifications.store import NotificationItem
from chalicelib.thai import to_bangkok

__all__ = ["NotificationItem"]

EACH_AT_MOST = 5  # more than this waiting for one user at once go as one digest

# What an operation attaches to its notification's e-mail (a booking: its calendar invitation), by the
# prefix of the notification's document id; wired in app.py, as this module knows no operation.
AttachmentMaker = Callable[[str, str, str, datetime], "mail.Attachment | None"]
_attachments: dict[str, AttachmentMaker] = {}


def use_attachment(prefix: str, maker: AttachmentMaker) -> None:
    _attachments[prefix] = maker


def _attachment(agency_id: str, user_id: str, document_id: str, now: datetime) -> mail.Attachment | None:
    maker = next((m for prefix, m in _attachments.items() if document_id.startswith(prefix)), None)
    return maker(agency_id, user_id, document_id, now) if maker else None


PER_CHANGE = 20  # a transaction holds 100 items: one change notifies at most this many people
OUTBOX_DAYS = 7
EMAIL_TH = {"each": "ส่งอีเมลทุกรายการ", "digest": "สรุปวันละครั้ง", "off": "ไม่รับอีเมล"}


def new(agency_id: str, user_id: str, *, at: datetime, document_id: str, text: str) -> NotificationItem:
    return store.new_notification(agency_id, user_id, at=at, document_id=document_id, text=text[:300])


def add_to(tx: ddb.Transaction, items: list[NotificationItem]) -> None:
    """Notifications written with the change they tell of (at most PER_CHANGE people)."""
    for item in items[:PER_CHANGE]:
        tx.put(f"notify-{item.pk}-{item.sk}", item)


def to_users(
    tx: ddb.Transaction, agency_id: str, users: list[str], *, at: datetime, document_id: str, text: str
) -> None:
    add_to(tx, [new(agency_id, u, at=at, document_id=document_id, text=text) for u in dict.fromkeys(users)])


# -- the in-app list -------------------------------------------------------------------------------
def listing(principal: Principal) -> models.Notifications:
    items = store.notifications(principal.agency_id, principal.user_id)
    return models.Notifications(
        unread=store.unread_count(principal.agency_id, principal.user_id),
        notifications=[
            models.Notification(id=n.sk, document_id=n.document_id, text=n.text, at=n.at, read=bool(n.read))
            for n in items
        ],
    )


def unread(agency_id: str, user_id: str) -> int:
    """How many of a user's notifications are unread (push tells the browser the number)."""
    return store.unread_count(agency_id, user_id)


def read(principal: Principal, notification_id: str) -> models.Notifications:
    item = store.notification(principal.agency_id, principal.user_id, notification_id)
    if item is None:
        raise NotFound("ไม่พบการแจ้งเตือน", f"no notification {notification_id}")
    if not item.read:
        store.mark_read(item)
    return listing(principal)


# -- e-mail settings ------------------------------------------------------------------------------
def settings(principal: Principal) -> models.NotificationSettingsView:
    found = store.preference(principal.agency_id, principal.user_id)
    choice = found.email if found else "each"
    contact = directory.mail_contact(principal.agency_id, principal.user_id)
    return models.NotificationSettingsView.model_validate(
        {
            "email": choice,
            "email_th": EMAIL_TH[choice],
            "digest_hour": int(found.digest_hour) if found else 8,
            "address": contact.email if contact else None,
        }
    )


def change_settings(
    principal: Principal, command: models.NotificationSettings, *, now: datetime
) -> models.NotificationSettingsView:
    before = store.preference(principal.agency_id, principal.user_id)
    tx = ddb.Transaction()
    tx.put(
        "preference",
        store.new_preference(
            principal.agency_id,
            principal.user_id,
            email=command.email,
            digest_hour=command.digest_hour,
            last_digest_on=before.last_digest_on if before else None,
            updated_at=now,
        ),
    )
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "notifications.settings_changed",
            f"user/{principal.user_id}",
            now,
            before={"email": before.email, "digest_hour": int(before.digest_hour)} if before else None,
            after={"email": command.email, "digest_hour": command.digest_hour},
        ),
    )
    tx.commit()
    return settings(principal)


# -- from the stream into the outbox ------------------------------------------------------------------
def react(record: object) -> None:
    """A new in-app notification of a user who wants e-mail waits in the outbox (idempotent: the
    outbox item is named by the notification)."""
    change = getattr(record, "dynamodb", None)
    name = getattr(getattr(record, "event_name", None), "name", None)
    if change is None or name != "INSERT":
        return
    image = change.new_image or {}
    pk, sk = str(image.get("pk", "")), str(image.get("sk", ""))
    if "#NOTIF#" not in pk:
        return
    agency_id, _, user_id = pk.partition("#NOTIF#")
    found = store.preference(agency_id, user_id)
    if (found and found.email == "off") or directory.mail_contact(agency_id, user_id) is None:
        return
    at = datetime.fromisoformat(str(image.get("at")).replace("Z", "+00:00"))
    store.new_outbox(
        agency_id,
        user_id,
        sk,
        document_id=str(image.get("document_id", "")),
        text=str(image.get("text", "")),
        at=at,
        ttl=int(time.time() + timedelta(days=OUTBOX_DAYS).total_seconds()),
    ).save()


# -- the e-mail (scheduled) ---------------------------------------------------------------------------
def send_due(*, now: datetime) -> int:
    """E-mail what waits in the outbox; how many messages went."""
    sent = 0
    for shard in range(keys.SHARDS):
        waiting: dict[tuple[str, str], list[store.OutboxItem]] = defaultdict(list)
        for item in store.outbox(shard):
            waiting[(item.agency, item.user)].append(item)
        for (agency_id, user_id), items in waiting.items():
            sent += _send_to(agency_id, user_id, items, now=now)
    return sent


def _send_to(agency_id: str, user_id: str, items: list[store.OutboxItem], *, now: datetime) -> int:
    found = store.preference(agency_id, user_id)
    choice = found.email if found else "each"
    contact = directory.mail_contact(agency_id, user_id)
    today = to_bangkok(now).date().isoformat()
    not_yet = found is not None and (
        to_bangkok(now).hour < int(found.digest_hour) or found.last_digest_on == today
    )
    if choice == "digest" and not_yet:
        return 0  # kept for the day's digest
    taken = [i for i in items if store.take(i)]
    if not taken or choice == "off" or contact is None:
        return 0  # settings changed since it was queued: in-app only
    waiting = [mail.Waiting(i.document_id, i.text, i.at) for i in taken]
    if choice == "each" and len(waiting) <= EACH_AT_MOST:
        messages = [
            replace(
                mail.one(contact.name, contact.email, w),
                attachment=_attachment(agency_id, user_id, w.document_id, now),
            )
            for w in waiting
        ]
    else:
        messages = [mail.digest(contact.name, contact.email, waiting)]
    for message in messages:
        mail.send(message)
    if choice == "digest" and found is not None:
        found.update(actions=[store.PreferenceItem.last_digest_on.set(today)])
    logger.info(
        "notification mail", extra={"agency": agency_id, "messages": len(messages), "items": len(taken)}
    )
    return len(messages)
