"""Deadlines: inbox items past their due time (ด่วนภายใน, or the urgency's allowance) are flagged
overdue once, and the people they wait for are notified."""

from __future__ import annotations

from datetime import datetime

from chalicelib.kernel import keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.notifications import service as notifications
from chalicelib.routing import store
from chalicelib.routing.service import SYSTEM_ACTOR, _users_of


def flag_overdue(*, now: datetime) -> int:
    flagged = 0
    for shard in range(keys.SHARDS):
        for due in store.due_before(shard, now):
            agency_id, document_id = keys.document_of_pk(due.pk)
            item = store.inbox_item(agency_id, document_id, due.inbox)
            notes = (
                [
                    notifications.new(
                        agency_id, user, at=now, document_id=document_id, text=f"เกินกำหนด: {item.title}"
                    )
                    for user in _users_of(agency_id, item.holder)
                ]
                if item is not None and item.state == "open"
                else []
            )
            event = AuditEvent(
                agency_id,
                SYSTEM_ACTOR,
                "inbox.overdue",
                f"document/{document_id}",
                now,
                after={"inbox": due.inbox},
            )
            if store.mark_overdue(due, item, notes, event):
                flagged += 1
    return flagged
