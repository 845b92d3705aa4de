"""Push (docs/rules.md, "Push"): the browser learns at once that its inbox or notifications changed.

1. Connect (`connect`): the token the browser offers is checked exactly as an HTTP request's
   (kernel/identity.py); the connection is remembered under the token's agency and user. Nothing is
   audited: a connection changes no record (the audit log is of records' changes), so it is logged at
   debug level only.
2. Disconnect (`disconnect`): the connection is forgotten; so is one that answers 410 Gone to a post.
3. The records stream (`react`): a new, closed or overdue inbox item is told to the people whose inbox
   shows it (a user, a position's holder and those acting for it, a unit's staff: routing resolves
   them), a new notification to its user. Connections are read under the change's own agency only, so
   nobody of another agency can be addressed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.kernel import clock, identity, keys
from chalicelib.kernel.log import logger
from chalicelib.kernel.principal import Principal
from chalicelib.notifications import service as notifications
from chalicelib.push import domain, gateway, store
from chalicelib.routing import service as routing


# -- connections ---------------------------------------------------------------------------------
def connect(token: str, connection_id: str, *, now: datetime) -> Principal:
    """Remember the connection for the token's holder (Unauthenticated or Forbidden as the HTTP API)."""
    principal = identity.principal_of_token(token)
    store.remember(
        principal.agency_id,
        principal.user_id,
        connection_id,
        now=now,
        ttl=domain.connection_expiry(now),
    )
    logger.debug("push connected", extra={"agency": principal.agency_id, "connection": connection_id})
    return principal


def disconnect(connection_id: str) -> None:
    owner = store.owner(connection_id)
    if owner is None:
        return  # never remembered (a refused connect), or already forgotten
    store.forget(owner.agency, owner.user, connection_id)
    logger.debug("push disconnected", extra={"agency": owner.agency, "connection": connection_id})


def send(agency_id: str, user_id: str, message: str, *, now: datetime) -> int:
    """Post to each of the user's connections; a gone one is forgotten. How many received it."""
    url = gateway.endpoint()
    if url is None:
        return 0  # a stage without the WebSocket API
    received = 0
    for connection_id in store.of_user(agency_id, user_id, now=now):
        try:
            delivered = gateway.post(url, connection_id, message)
        except Exception:  # best effort: the browser's polling catches up; the stream must not stall
            logger.warning("push failed", extra={"agency": agency_id, "connection": connection_id})
            continue
        if delivered:
            received += 1
        else:
            store.forget(agency_id, user_id, connection_id)
            logger.debug("push connection gone", extra={"agency": agency_id, "connection": connection_id})
    return received


# -- from the stream ---------------------------------------------------------------------------------
def react(record: Any) -> None:
    change = getattr(record, "dynamodb", None)
    event = getattr(getattr(record, "event_name", None), "name", None)
    if change is None or event not in ("INSERT", "MODIFY"):
        return
    new: dict[str, Any] = change.new_image or {}
    pk, sk = str(new.get("pk", "")), str(new.get("sk", ""))
    now = clock.utcnow()
    if keys.is_document_pk(pk) and sk.startswith(keys.INBOX_PREFIX):
        _inbox(event, change.old_image or {}, new, keys.document_of_pk(pk), now=now)
    elif "#NOTIF#" in pk and event == "INSERT":
        agency_id, _, user_id = pk.partition("#NOTIF#")
        unread = notifications.unread(agency_id, user_id)
        message = domain.notification_message(sk, str(new.get("document_id", "")), unread)
        send(agency_id, user_id, message, now=now)


def _inbox(
    event: str, old: dict[str, Any], new: dict[str, Any], where: tuple[str, str], *, now: datetime
) -> None:
    found = domain.inbox_change(event, old, new, where)
    if found is None:
        return
    agency_id = where[0]
    told = 0
    for principal in routing.principals_shown(agency_id, found.holder, now=now):
        count = routing.open_count(principal, now=now)
        told += send(agency_id, principal.user_id, domain.inbox_message(found, count), now=now)
    logger.debug("push inbox", extra={"document_id": found.document_id, "change": found.change, "told": told})
