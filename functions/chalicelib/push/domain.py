"""What push sends, and when: plain values, no AWS (docs/rules.md, "Push").

A message names a change and carries counts, never a letter's content: the subject, the sender, the
text of a notification stay behind the HTTP API, which checks the reader's clearance on every read.
The browser, told that something changed, asks the API again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# The browser offers the token as a WebSocket subprotocol beside this one (a browser cannot set
# Authorization on a WebSocket); the connect answers with this one alone, never echoing the token.
SUBPROTOCOL = "eoffice.v1"
# API Gateway closes a connection after 2 hours whatever happens (and after 10 idle minutes): a
# connection item outlives that by an hour, in case its disconnect never arrived; then TTL removes it.
CONNECTION_LIFETIME = timedelta(hours=3)


def connection_expiry(now: datetime) -> int:
    return int((now + CONNECTION_LIFETIME).timestamp())


def token_from_protocols(header: str | None) -> str | None:
    """The token among the offered subprotocols (`eoffice.v1, <token>`), or None without ours."""
    offered = [p.strip() for p in (header or "").split(",") if p.strip()]
    if SUBPROTOCOL not in offered:
        return None
    others = [p for p in offered if p != SUBPROTOCOL]
    return others[0] if len(others) == 1 else None


@dataclass(frozen=True)
class InboxChange:
    """An inbox item as the stream shows it changed: opened, closed, or found overdue."""

    change: str  # opened | closed | overdue
    holder: str
    kind: str
    document_id: str
    item_id: str


def inbox_change(
    event: str, old: dict[str, Any], new: dict[str, Any], agency_document: tuple[str, str]
) -> InboxChange | None:
    """What an inbox item's stream record means for the people who see it (None: nothing to tell)."""
    image = new or old
    holder = str(image.get("holder", ""))
    if not holder:
        return None
    if event == "INSERT" and new.get("state") == "open":
        change = "opened"
    elif event == "MODIFY" and old.get("state") == "open" and new.get("state") == "done":
        change = "closed"
    elif event == "MODIFY" and new.get("state") == "open" and new.get("overdue") and not old.get("overdue"):
        change = "overdue"
    else:
        return None
    return InboxChange(
        change,
        holder,
        str(image.get("kind", "")),
        agency_document[1],
        str(image.get("sk", "")).removeprefix("INBOX#"),
    )


def inbox_message(change: InboxChange, count: int) -> str:
    return json.dumps(
        {
            "type": "inbox",
            "change": change.change,
            "kind": change.kind,
            "document_id": change.document_id,
            "item_id": change.item_id,
            "count": count,  # the reader's open items, all kinds: the badge
        },
        separators=(",", ":"),
    )


def notification_message(notification_id: str, document_id: str, unread: int) -> str:
    return json.dumps(
        {"type": "notification", "id": notification_id, "document_id": document_id, "unread": unread},
        separators=(",", ":"),
    )
