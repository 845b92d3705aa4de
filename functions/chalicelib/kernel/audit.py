"""The agency's audit log: one append-only item per state change, written in the same transaction.

Every use case that changes state adds its event to its transaction (`add_to`), so a change and its
record are committed together or not at all."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.kernel import keys
from chalicelib.kernel.ddb import Record, Transaction
from chalicelib.kernel.principal import Principal
from chalicelib.thai import to_bangkok


class TargetIndex(GlobalSecondaryIndex["AuditItem"]):
    """gsi1: a record's own history (sparse: only audit items carry gsi1pk)."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class AuditItem(Record):
    """pk=agency#AUDIT#yyyy-mm-dd, sk=<iso time>#<id>: append-only history of state changes."""

    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    target = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    before = JSONAttribute(null=True)
    after = JSONAttribute(null=True)
    gsi1pk = UnicodeAttribute(null=True)  # agency#TARGET#<target>: a record's own history
    gsi1sk = UnicodeAttribute(null=True)
    by_target = TargetIndex()


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


def add_to(tx: Transaction, event: AuditEvent) -> None:
    # Never over an existing item: IAM denies updates and deletes of audit items (docs/rules.md, "The
    # audit log") but cannot forbid a put over one; the condition does.
    tx.put("audit", audit_item(event), condition=AuditItem.sk.does_not_exist())


def record(
    tx: Transaction, principal: Principal, action: str, target: str, now: datetime, /, **after: Any
) -> None:
    """The caller's change, recorded in its transaction (the common case of `add_to`); the leading
    arguments are positional only, so that `after` may hold any name (an action item, a time)."""
    add_to(tx, AuditEvent(principal.agency_id, principal.user_id, action, target, now, after=after))


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
