"""The agency's audit log: one append-only item per state change, written in the same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.thai import to_bangkok
from chalicelib.store import keys
from chalicelib.store.models import AuditItem


@dataclass(frozen=True)
class AuditEvent:
    agency_id: str
    actor: str
    action: str  # e.g. document.created, register.entry.created, register.entry.cancelled
    target: str  # e.g. document/<id>, register/incoming/2569/42
    at: datetime
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def audit_item(event: AuditEvent) -> AuditItem:
    # Day partitions in Bangkok time keep one agency's log spread and easy to read by date.
    local = to_bangkok(event.at)
    stamp = f"{local.isoformat(timespec='microseconds')}#{secrets.token_hex(4)}"
    return AuditItem(
        keys.audit_pk(event.agency_id, local.date().isoformat()),
        stamp,
        actor=event.actor,
        action=event.action,
        target=event.target,
        at=event.at,
        before=event.before,
        after=event.after,
        gsi1pk=keys.audit_target_pk(event.agency_id, event.target),
        gsi1sk=stamp,
    )


def history(agency_id: str, target: str, limit: int = 200) -> list[dict[str, Any]]:
    """A record's own history, oldest first (through the sparse gsi1 index)."""
    items = AuditItem.by_target.query(keys.audit_target_pk(agency_id, target), limit=limit)
    return [
        {
            "at": item.at.isoformat(),
            "actor": item.actor,
            "action": item.action,
            "before": item.before,
            "after": item.after,
        }
        for item in items
    ]
