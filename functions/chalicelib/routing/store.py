"""The routing module's items: a document's route, its inbox items and due markers, endorsements and
assignments (all in the document's partition), notifications (per user) and route templates (per
agency). The inbox is the sparse gsi3 index: an open item is in its holder's partition, ordered by
urgency, due time and age; a done item leaves the index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.notifications import service as notifications
from chalicelib.notifications.service import NotificationItem


class HolderIndex(GlobalSecondaryIndex["InboxItem"]):
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class _DueIndex(GlobalSecondaryIndex["DueItem"]):
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class _StuckIndex(GlobalSecondaryIndex["RouteItem"]):
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class RouteItem(ddb.Record):
    """pk=agency#DOC#id, sk=ROUTE: the document's route and where it stands."""

    steps = JSONAttribute()
    current = NumberAttribute()
    state = UnicodeAttribute()
    book = UnicodeAttribute()
    attempt = NumberAttribute(default=1)
    number = JSONAttribute(null=True)  # {book, year, number, ref_line} once taken
    render_file_id = UnicodeAttribute(null=True)
    seen = JSONAttribute(default=dict)  # user id -> the draft revision they last acted on
    stuck = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = NumberAttribute(default=1)
    gsi3pk = UnicodeAttribute(null=True)  # STUCK#nn while stuck
    gsi3sk = UnicodeAttribute(null=True)
    by_stuck = _StuckIndex()


class InboxItem(ddb.Record):
    """pk=agency#DOC#id, sk=INBOX#<id>: something waiting for a user, a position or a unit."""

    kind = UnicodeAttribute()  # step | endorse | assignment
    holder = UnicodeAttribute()  # user:<id> | pos:<position> | unit:<id>
    title = UnicodeAttribute()
    urgency = UnicodeAttribute()
    due_at = UTCDateTimeAttribute(null=True)
    overdue = BooleanAttribute(default=False)
    detail = UnicodeAttribute(default="")
    ref = UnicodeAttribute(default="")  # the step index, endorsement or assignment it stands for
    state = UnicodeAttribute()  # open | done
    created_at = UTCDateTimeAttribute()
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    by_holder = HolderIndex()


class DueItem(ddb.Record):
    """pk=agency#DOC#id, sk=DUE#<inbox id>: an open inbox item with a deadline, in a due queue."""

    inbox = UnicodeAttribute()
    gsi3pk = UnicodeAttribute()  # DUE#nn
    gsi3sk = UnicodeAttribute()  # <due iso>#<agency>#<document>#<inbox id>
    by_due = _DueIndex()


class EndorsementItem(ddb.Record):
    """pk=agency#DOC#id, sk=ENDORSE#<time>#<id>: one เกษียน, never changed."""

    note = UnicodeAttribute(default="")
    decision = UnicodeAttribute(null=True)
    addressed_to = UnicodeAttribute(null=True)
    by = UnicodeAttribute()
    by_name = UnicodeAttribute()
    by_position = UnicodeAttribute(default="")
    at = UTCDateTimeAttribute()


class AssignmentItem(ddb.Record):
    """pk=agency#DOC#id, sk=ASSIGN#<id>: a letter given to a unit or a person to act on."""

    to = UnicodeAttribute()
    to_name = UnicodeAttribute()
    note = UnicodeAttribute(default="")
    state = UnicodeAttribute()
    by = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    report = UnicodeAttribute(default="")


class RouteTemplateItem(ddb.Record):
    """pk=agency, sk=ROUTETPL#<kind>: the steps a kind of document takes by default."""

    steps = JSONAttribute()  # the plan: {"reviews": [...], "signers": [...], "book": ...}
    book = UnicodeAttribute(null=True)


def document_items(
    others: dict[str, list[dict[str, Any]]],
) -> tuple[RouteItem | None, list[InboxItem], list[EndorsementItem], list[AssignmentItem]]:
    """The routing items among a document partition's items (as the documents store read them)."""
    route = next((RouteItem.from_raw_data(r) for r in others.get("ROUTE#", [])), None)
    inbox = [InboxItem.from_raw_data(r) for r in others.get(keys.INBOX_PREFIX, [])]
    endorsements = sorted(
        (EndorsementItem.from_raw_data(r) for r in others.get(keys.ENDORSEMENT_PREFIX, [])),
        key=lambda e: e.sk,
    )
    assignments = sorted(
        (AssignmentItem.from_raw_data(r) for r in others.get(keys.ASSIGNMENT_PREFIX, [])), key=lambda a: a.at
    )
    return route, inbox, endorsements, assignments


def route_item(agency_id: str, document_id: str) -> RouteItem | None:
    return ddb.get_or_none(RouteItem, keys.document_pk(agency_id, document_id), keys.ROUTE_SK)


def new_route(agency_id: str, document_id: str, **fields: Any) -> RouteItem:
    return RouteItem(keys.document_pk(agency_id, document_id), keys.ROUTE_SK, **fields)


def inbox_sort_key(rank: int, due_at: datetime | None, created_at: datetime, item_id: str) -> str:
    due = due_at.astimezone(UTC).isoformat() if due_at else "9999-12-31T00:00:00+00:00"
    return f"{rank}#{due}#{created_at.astimezone(UTC).isoformat()}#{item_id}"


def new_inbox(
    agency_id: str, document_id: str, item_id: str, *, holder: str, rank: int, **fields: Any
) -> InboxItem:
    item = InboxItem(
        keys.document_pk(agency_id, document_id),
        keys.inbox_sk(item_id),
        holder=holder,
        state="open",
        **fields,
    )
    item.gsi3pk = keys.inbox_pk(agency_id, holder)
    item.gsi3sk = inbox_sort_key(rank, item.due_at, item.created_at, item_id)
    return item


def due_marker(agency_id: str, document_id: str, inbox_id: str, due_at: datetime) -> DueItem:
    return DueItem(
        keys.document_pk(agency_id, document_id),
        keys.due_sk(inbox_id),
        inbox=inbox_id,
        gsi3pk=keys.due_pk(keys.shard_of(f"{document_id}#{inbox_id}")),
        gsi3sk=f"{due_at.astimezone(UTC).isoformat()}#{agency_id}#{document_id}#{inbox_id}",
    )


class Changes:
    """One routing use case's writes, committed with the audit events in one transaction."""

    def __init__(self, tx: ddb.Transaction | None = None) -> None:
        self.tx = tx or ddb.Transaction()

    def route(self, item: RouteItem, *, fresh: bool, now: datetime) -> None:
        item.updated_at = now
        if fresh:
            self.tx.put("route", item, condition=RouteItem.pk.does_not_exist())
            return
        expected = item.version
        item.version = expected + 1
        self.tx.put("route", item, condition=RouteItem.version == expected)

    def open(self, item: InboxItem, due: DueItem | None = None) -> None:
        self.tx.put(f"inbox-{item.sk}", item)
        if due is not None:
            self.tx.put(f"due-{item.sk}", due)

    def close(self, item: InboxItem) -> None:
        self.tx.update(
            f"inbox-{item.sk}",
            item,
            [InboxItem.state.set("done"), InboxItem.gsi3pk.remove(), InboxItem.gsi3sk.remove()],
            condition=InboxItem.state == "open",
        )
        if item.due_at is not None:
            self.tx.delete(
                f"due-{item.sk}", DueItem(item.pk, keys.due_sk(item.sk.removeprefix(keys.INBOX_PREFIX)))
            )

    def put(self, label: str, item: ddb.Record) -> None:
        self.tx.put(label, item, condition=type(item).pk.does_not_exist())

    def update(self, label: str, item: ddb.Record, actions: list[Any], condition: Any = None) -> None:
        self.tx.update(label, item, actions, condition=condition)

    def notify(self, items: list[NotificationItem]) -> None:
        notifications.add_to(self.tx, items)

    def audit(self, event: AuditEvent) -> None:
        audit.add_to(self.tx, event)

    def commit(self) -> None:
        self.tx.commit()


def inbox_page(
    agency_id: str,
    holder: str,
    *,
    after: str | None,
    kind: str | None,
    overdue_at: datetime | None,
    limit: int,
) -> list[InboxItem]:
    """Up to `limit` of a holder's open items in inbox order, after a cursor (index only)."""
    condition = InboxItem.gsi3sk > after if after else None
    wanted = InboxItem.kind == kind if kind else None
    if overdue_at is not None:
        late = (InboxItem.overdue == True) | (InboxItem.due_at < overdue_at)  # noqa: E712 (a condition)
        wanted = late if wanted is None else wanted & late
    pages = InboxItem.by_holder.query(
        keys.inbox_pk(agency_id, holder),
        range_key_condition=condition,
        filter_condition=wanted,
        page_size=limit,
    )
    found: list[InboxItem] = []
    for item in pages:
        found.append(item)
        if len(found) == limit:
            break
    return found


def inbox_counts(agency_id: str, holder: str, kinds: tuple[str, ...]) -> dict[str, int]:
    """How many open items a holder has of each kind (COUNT queries: no item leaves the index)."""
    pk = keys.inbox_pk(agency_id, holder)
    return {
        kind: int(InboxItem.by_holder.count(pk, filter_condition=InboxItem.kind == kind)) for kind in kinds
    }


def open_count(agency_id: str, holder: str) -> int:
    """How many open items a holder has, of every kind (one COUNT query on the index)."""
    return int(InboxItem.by_holder.count(keys.inbox_pk(agency_id, holder)))


def inbox_item(agency_id: str, document_id: str, item_id: str) -> InboxItem | None:
    return ddb.get_or_none(InboxItem, keys.document_pk(agency_id, document_id), keys.inbox_sk(item_id))


def due_before(shard: int, cutoff: datetime, *, limit: int = 500) -> Iterator[DueItem]:
    condition = DueItem.gsi3sk < cutoff.astimezone(UTC).isoformat()
    yield from DueItem.by_due.query(keys.due_pk(shard), range_key_condition=condition, limit=limit)


def mark_overdue(
    due: DueItem, item: InboxItem | None, notes: list[NotificationItem], event: AuditEvent
) -> bool:
    """Flag an inbox item overdue once (its due marker goes), and notify; False if it already went."""
    tx = ddb.Transaction()
    tx.delete("due", due, condition=DueItem.pk.exists())
    if item is not None and item.state == "open":
        tx.update("inbox", item, [InboxItem.overdue.set(True)])
    notifications.add_to(tx, notes)
    audit.add_to(tx, event)
    return tx.commit_unless_refused("due")


def stuck_routes(shard: int, *, limit: int = 200) -> Iterator[RouteItem]:
    yield from RouteItem.by_stuck.query(keys.stuck_pk(shard), limit=limit)


def mark_stuck(route: RouteItem, reason: str, *, now: datetime) -> None:
    """Record on the route why the platform could not take its next step (shown on the document and
    listed for the operator); not conditional: a failure report must never fail itself."""
    route.update(
        actions=[
            RouteItem.stuck.set(reason[:500]),
            RouteItem.gsi3pk.set(keys.stuck_pk(keys.shard_of(route.pk))),
            RouteItem.gsi3sk.set(f"{now.astimezone(UTC).isoformat()}#{route.pk}"),
        ]
    )


def clear_stuck(agency_id: str, document_id: str) -> None:
    fresh = route_item(agency_id, document_id)
    if fresh is not None and fresh.stuck:
        fresh.update(actions=[RouteItem.stuck.remove(), RouteItem.gsi3pk.remove(), RouteItem.gsi3sk.remove()])


def template(agency_id: str, kind: str) -> RouteTemplateItem | None:
    return ddb.get_or_none(RouteTemplateItem, keys.agency_pk(agency_id), keys.route_template_sk(kind))


def save_template(
    agency_id: str, kind: str, steps: dict[str, Any], book: str | None, event: AuditEvent
) -> None:
    tx = ddb.Transaction()
    tx.put(
        "template",
        RouteTemplateItem(keys.agency_pk(agency_id), keys.route_template_sk(kind), steps=steps, book=book),
    )
    audit.add_to(tx, event)
    tx.commit()
