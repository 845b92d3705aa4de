"""Booking rooms and vehicles, as the use cases read (docs/rules.md, "Booking rooms and vehicles"):

- the agency admin (or a resource's officer) keeps the resources and their rules;
- a user books a resource for a time range, or a series; the day plans it touches are written back
  only if nobody changed them meanwhile (domain.py says why this is conflict-free for any length);
- a resource that needs approval holds the slot as pending until its approver decides or the hold
  ends (`expire_holds`, scheduled);
- the booker or an officer cancels, within the rules' deadline; the officer records a no-show.
Every change writes the audit log; approvers and bookers are notified in the same transaction.
"""

from __future__ import annotations

import random
import time as time_module
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from chalicelib.bookings import domain, models, store
from chalicelib.bookings.domain import BookingState, Entry, Span
from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Busy, Conflict, Forbidden, NotFound, UnknownReference
from chalicelib.kernel.principal import Principal, Role
from chalicelib.notifications import service as notifications
from chalicelib.notifications.mail import Attachment
from chalicelib.thai import BANGKOK

ATTEMPTS = 12  # optimistic retries when other bookings change the same dates meanwhile


# -- resources ---------------------------------------------------------------------------------------
def _rules(item: store.ResourceItem) -> domain.Rules:
    raw = models.BookingRules.model_validate(item.rules or {})
    return domain.Rules(
        opens=time.fromisoformat(raw.opens),
        closes=time.fromisoformat(raw.closes),
        min_notice_minutes=raw.min_notice_minutes,
        max_minutes=raw.max_minutes,
        cancel_before_minutes=raw.cancel_before_minutes,
        approval=raw.approval,
        hold_hours=raw.hold_hours,
    )


def _view(item: store.ResourceItem, caller_agency: str, *, has_feed: bool = False) -> models.ResourceView:
    """`caller_agency`: a driver's user is named to their own agency only (another agency's user ids
    mean nothing to a partner and are not theirs to see). `has_feed`: see `_manages_feed`."""
    details = item.details or {}
    own_driver = item.kind == "driver" and keys.agency_of_pk(item.pk) == caller_agency
    return models.ResourceView(
        id=store.resource_id_of(item),
        owner=keys.agency_of_pk(item.pk),
        shared_with=list(item.shared_with),
        kind=item.kind,
        name=item.name,
        capacity=int(details.get("capacity", 0)),
        equipment=list(details.get("equipment", [])),
        building=details.get("building", ""),
        floor=details.get("floor", ""),
        plate=details.get("plate", ""),
        vehicle_type=details.get("vehicle_type", ""),
        user_id=(details.get("user_id") or None) if own_driver else None,
        status=item.status,
        approvers=list(item.approvers),
        officers=list(item.officers),
        bookable_by=list(item.bookable_by),
        rules=models.BookingRules.model_validate(item.rules or {}),
        has_calendar_feed=has_feed,
    )


def _manages_feed(principal: Principal, item: store.ResourceItem) -> bool:
    """Whether the caller may make or revoke the resource's calendar address: the admin or an officer of
    the agency that owns it (a partner's admin may not: feeds are kept under the owner's agency).
    Only they are told whether one exists: nobody else can act on it, and it spares a read per row."""
    return _owner(item) == principal.agency_id and _is_officer(principal, item)


def _has_feed(principal: Principal, item: store.ResourceItem) -> bool:
    return _manages_feed(principal, item) and (
        store.owned_feed(principal.agency_id, "resource", store.resource_id_of(item)) is not None
    )


def create_resource(
    principal: Principal, command: models.ResourceCommand, *, now: datetime
) -> models.ResourceView:
    principal.require(Role.ADMIN)
    resource_id = keys.new_id()
    details = command.model_dump(
        include={"capacity", "equipment", "building", "floor", "plate", "vehicle_type", "user_id"}
    )
    item = store.new_resource(
        principal.agency_id,
        resource_id,
        kind=command.kind,
        name=command.name,
        details=details,
        rules=command.rules.model_dump(),
        approvers=list(command.approvers),
        officers=list(command.officers),
        bookable_by=list(command.bookable_by),
        updated_at=now,
    )
    tx = ddb.Transaction()
    tx.put("resource", item, condition=store.ResourceItem.pk.does_not_exist())
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "booking.resource_created",
            f"resource/{resource_id}",
            now,
            after={"kind": command.kind, "name": command.name},
        ),
    )
    tx.commit()
    return _view(item, principal.agency_id)  # new: no calendar address yet


def change_resource(
    principal: Principal, resource_id: str, command: models.ResourceChange, *, now: datetime
) -> models.ResourceView:
    """The admin or the resource's officer changes it: its details, rules, people, or its status
    (in maintenance, nobody books it; bookings already made stay, for the officer to cancel)."""
    item = _resource(principal, resource_id)
    if not _is_officer(principal, item):
        raise Forbidden("แก้ไขได้เฉพาะผู้ดูแลระบบของหน่วยงานหรือเจ้าหน้าที่ผู้ดูแล", "only the admin or its officer")
    given = command.model_dump(exclude_unset=True, mode="json")
    details = {**(item.details or {}), **{k: v for k, v in given.items() if k in DETAIL_FIELDS}}
    actions = [store.ResourceItem.details.set(details), store.ResourceItem.updated_at.set(now)]
    for name in ("name", "status", "approvers", "officers", "bookable_by", "rules"):
        if name in given:
            actions.append(getattr(store.ResourceItem, name).set(given[name]))
    tx = ddb.Transaction()
    tx.update("resource", item, actions, condition=store.ResourceItem.updated_at == item.updated_at)
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "booking.resource_changed",
            f"resource/{resource_id}",
            now,
            after=given,
        ),
    )
    if not tx.commit_unless_refused("resource"):
        raise Conflict("มีผู้แก้ไขรายการนี้พร้อมกัน โปรดลองอีกครั้ง", "the resource changed meanwhile: try again")
    changed = _resource(principal, resource_id)
    return _view(changed, principal.agency_id, has_feed=_has_feed(principal, changed))


DETAIL_FIELDS = ("capacity", "equipment", "building", "floor", "plate", "vehicle_type")


def list_resources(principal: Principal) -> models.ResourceList:
    """The agency's own rooms, vehicles and drivers, then those other agencies share with it."""
    items = sorted(store.resources(principal.agency_id), key=lambda r: (r.kind, r.name))
    lent = [store.resource(s.owner, s.resource) for s in store.shared_with(principal.agency_id)]
    kept = [r for r in lent if r is not None and principal.agency_id in r.shared_with]
    # One read for all the agency's resource feeds, and only when the caller manages any of them.
    manages_any = any(_manages_feed(principal, i) for i in items)
    feeds = store.resource_feeds(principal.agency_id) if manages_any else set()
    return models.ResourceList(
        items=[
            _view(
                i,
                principal.agency_id,
                has_feed=_manages_feed(principal, i) and store.resource_id_of(i) in feeds,
            )
            for i in items + sorted(kept, key=lambda r: (r.kind, r.name))
        ]
    )


def _resource(principal: Principal, resource_id: str, owner: str | None = None) -> store.ResourceItem:
    """The caller's agency's resource, or (with `owner`) one another agency shares with it: shared
    both ways (the owner's list and the partner's pointer), or it does not exist for the caller."""
    agency = owner or principal.agency_id
    if agency != principal.agency_id and store.shared(principal.agency_id, agency, resource_id) is None:
        raise NotFound("ไม่พบห้องหรือรถที่ระบุ", f"no resource {resource_id}")
    item = store.resource(agency, resource_id)
    if item is None or (agency != principal.agency_id and principal.agency_id not in item.shared_with):
        raise NotFound("ไม่พบห้องหรือรถที่ระบุ", f"no resource {resource_id}")
    return item


def _owner(item: store.ResourceItem) -> str:
    return keys.agency_of_pk(item.pk)


def share(
    principal: Principal, resource_id: str, command: models.Sharing, *, now: datetime
) -> models.ResourceView:
    """The agency admin shares a resource with other agencies on the platform (or stops sharing)."""
    from chalicelib.directory import service as directory

    principal.require(Role.ADMIN)
    item = _resource(principal, resource_id)
    wanted = list(dict.fromkeys(a for a in command.agencies if a != principal.agency_id))
    unknown = [a for a in wanted if directory.listed_agency(a) is None]
    if unknown:
        raise UnknownReference("ไม่พบหน่วยงาน " + ", ".join(unknown), f"no agencies {unknown} on the platform")
    tx = ddb.Transaction()
    tx.update(
        "resource",
        item,
        [store.ResourceItem.shared_with.set(wanted), store.ResourceItem.updated_at.set(now)],
        condition=store.ResourceItem.updated_at == item.updated_at,
    )
    for partner in set(wanted) - set(item.shared_with):
        tx.put(f"share-{partner}", store.new_shared(partner, principal.agency_id, resource_id))
    for partner in set(item.shared_with) - set(wanted):
        tx.delete(f"unshare-{partner}", store.new_shared(partner, principal.agency_id, resource_id))
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "booking.resource_shared",
            f"resource/{resource_id}",
            now,
            before={"shared_with": list(item.shared_with)},
            after={"shared_with": wanted},
        ),
    )
    if not tx.commit_unless_refused("resource"):
        raise Conflict("มีผู้แก้ไขรายการนี้พร้อมกัน โปรดลองอีกครั้ง", "the resource changed meanwhile: try again")
    changed = _resource(principal, resource_id)
    return _view(changed, principal.agency_id, has_feed=_has_feed(principal, changed))


def _is_officer(principal: Principal, item: store.ResourceItem) -> bool:
    return principal.has(Role.ADMIN) or principal.user_id in item.officers


# -- availability ------------------------------------------------------------------------------------
def availability(
    principal: Principal, resource_id: str, query: models.AvailabilityQuery, *, now: datetime
) -> models.Availability:
    item = _resource(principal, resource_id, query.owner)
    owner = _owner(item)
    rules = _rules(item)
    last = query.first_day + timedelta(days=query.days - 1)
    plans = store.day_plans(owner, resource_id, query.first_day, last)
    days = []
    for i in range(query.days):
        day = query.first_day + timedelta(days=i)
        entries = [Entry.of(e) for e in (plans[day].entries if day in plans else [])]
        holding = sorted((e for e in entries if e.holds_at(now)), key=lambda e: e.start)
        opens, closes = (rules.opens, rules.closes) if item.kind == "room" else (time(0), time(23, 59, 59))
        window_start = datetime.combine(day, opens, BANGKOK)
        window_end = (
            datetime.combine(day, closes, BANGKOK)
            if item.kind == "room"
            else datetime.combine(day + timedelta(days=1), time(0), BANGKOK)
        )
        free, cursor = [], window_start
        for entry in holding:
            if entry.start > cursor:
                free.append(models.Free(start=cursor, end=min(entry.start, window_end)))
            cursor = max(cursor, entry.end)
        if cursor < window_end:
            free.append(models.Free(start=cursor, end=window_end))
        busy = [
            models.Busy(
                start=e.start,
                end=e.end,
                booking=e.booking,
                title=domain.visible_title(e, principal.agency_id, owner),
                state=e.state.value,
            )
            for e in holding
        ]
        days.append(models.DayAvailability(day=day, busy=busy, free=[f for f in free if f.end > f.start]))
    return models.Availability(resource_id=resource_id, days=days)


# -- writing day plans (optimistic concurrency) --------------------------------------------------------
Plans = dict[date, list[Entry]]


Target = tuple[str, list[date], Callable[[Plans], Plans]]  # a resource, its dates, how they change


def _commit(
    agency_id: str,
    resource_id: str,
    days: list[date],
    change: Callable[[Plans], Plans],
    parts: Callable[[ddb.Transaction], None],
    *,
    now: datetime,
) -> None:
    commit_plans(agency_id, [(resource_id, days, change)], parts, now=now)


def commit_plans(
    agency_id: str, targets: list[Target], parts: Callable[[ddb.Transaction], None], *, now: datetime
) -> None:
    """Read the day plans of each resource, let its `change` check and change them (it raises to
    refuse), write them all back only if their versions are unchanged, with the other writes
    (`parts`), in one transaction; again on a lost race. (A trip books a vehicle and a driver at once.)"""
    for attempt in range(ATTEMPTS):
        if attempt:  # lost a race: wait a little, longer each time and at random, so racers spread out
            time_module.sleep(random.uniform(0, 0.02 * 2 ** min(attempt, 5)))
        tx = ddb.Transaction()
        labels = []
        for resource_id, days, change in targets:
            stored = store.day_plans(agency_id, resource_id, days[0], days[-1])
            current = {d: [Entry.of(e) for e in stored[d].entries] if d in stored else [] for d in days}
            changed = change(current)
            for day in days:
                label = f"day-{resource_id}-{day.isoformat()}"
                labels.append(label)
                # Entries that no longer hold anything are dropped as the plan is written (it stays small).
                kept = [e.to_json() for e in changed.get(day, []) if e.holds_at(now) or e.state.holds]
                if day in stored:
                    item = stored[day]
                    tx.update(
                        label,
                        item,
                        [
                            store.DayItem.entries.set(kept),
                            store.DayItem.version.set(int(item.version) + 1),
                            store.DayItem.gsi3pk.set(store.booked_day_pk(day, item.pk)),
                            store.DayItem.gsi3sk.set(f"{agency_id}#{resource_id}"),
                        ],
                        condition=store.DayItem.version == int(item.version),
                    )
                else:
                    tx.put(
                        label,
                        store.new_day(agency_id, resource_id, day, entries=kept, version=1),
                        condition=store.DayItem.pk.does_not_exist(),
                    )
        parts(tx)
        try:
            tx.commit()
            return
        except ddb.Cancelled as cancelled:
            if not any(cancelled.failed(label) for label in labels):
                raise
    raise Busy("มีผู้จองช่วงเวลานี้พร้อมกันจำนวนมาก โปรดลองอีกครั้ง", "the dates kept changing: try again")


# -- booking -----------------------------------------------------------------------------------------
def ref(owner: str, resource_id: str, booking_id: str) -> str:
    """How notifications name a booking (and the invitation hook finds it)."""
    return f"booking/{owner}/{resource_id}/{booking_id}"


def book(
    principal: Principal,
    resource_id: str,
    command: models.BookCommand,
    *,
    now: datetime,
    owner: str | None = None,
) -> models.BookingView:
    item = _resource(principal, resource_id, owner)
    agency = _owner(item)  # the resource's agency: its day plans and bookings live there
    if item.status != "available":
        raise Conflict("ทรัพยากรนี้งดให้บริการชั่วคราว", f"the {item.kind} is in {item.status}")
    own = agency == principal.agency_id
    if own and item.bookable_by and not set(item.bookable_by) & set(principal.units):
        raise Forbidden("หน่วยงานของท่านจองรายการนี้ไม่ได้", "your units may not book this resource")
    rules = _rules(item)
    recurrence = command.recurrence.model_dump(mode="json", exclude_none=True) if command.recurrence else None
    spans = domain.occurrences(Span(command.start, command.end), recurrence)
    for span in spans:
        rules.check(span, now, vehicle=item.kind == "vehicle")
    days = domain.dates_of(spans)
    booking_id = keys.new_id()
    state = BookingState.PENDING if rules.approval else BookingState.CONFIRMED
    hold_until = now + timedelta(hours=rules.hold_hours) if state is BookingState.PENDING else None
    entries = [
        Entry(
            booking_id,
            s.start,
            s.end,
            state,
            hold_until,
            command.title,
            principal.user_id,
            principal.agency_id,
        )
        for s in spans
    ]

    def change(plans: Plans) -> Plans:
        domain.refuse_clashes(domain.clashes(spans, plans, now), principal.agency_id, agency)
        for entry in entries:
            for day in Span(entry.start, entry.end).dates():
                plans.setdefault(day, []).append(entry)
        return plans

    booking = store.new_booking(
        agency,
        resource_id,
        booking_id,
        title=command.title,
        booker=principal.user_id,
        booker_name=principal.name,
        booker_agency=None if own else principal.agency_id,
        state=state.value,
        spans=[[s.start.isoformat(), s.end.isoformat()] for s in spans],
        recurrence=recurrence,
        hold_until=hold_until,
        attendees=command.attendees,
        note=command.note,
        created_at=now,
        updated_at=now,
    )
    named = ref(agency, resource_id, booking_id)

    def parts(tx: ddb.Transaction) -> None:
        tx.put("booking", booking, condition=store.BookingItem.pk.does_not_exist())
        pointer = store.new_pointer(
            principal.agency_id, principal.user_id, spans[0].start, resource_id, booking_id, agency
        )
        tx.put("pointer", pointer)
        if hold_until is None:  # confirmed at once: the booker's confirmation (its e-mail: the invitation)
            text = f"ยืนยันการจอง{item.name}: {command.title} ({spans[0].label()})"
            notifications.to_users(
                tx, principal.agency_id, [principal.user_id], at=now, document_id=named, text=text
            )
        else:
            tx.put("hold", store.new_hold(agency, resource_id, booking_id, hold_until))
            text = f"ขออนุมัติใช้{item.name}: {command.title} ({spans[0].label()})"
            notifications.to_users(tx, agency, list(item.approvers), at=now, document_id=named, text=text)
        after = {"resource": resource_id, "occurrences": len(spans), "first": spans[0].start.isoformat()}
        action = f"booking.{'requested' if hold_until else 'confirmed'}"
        for log in dict.fromkeys([agency, principal.agency_id]):  # both agencies' logs, when shared
            audit.add_to(
                tx,
                AuditEvent(
                    log,
                    principal.user_id,
                    action,
                    f"booking/{booking_id}",
                    now,
                    after={**after, "owner": agency},
                ),
            )

    _commit(agency, resource_id, days, change, parts, now=now)
    return _booking_view(item, booking)


def _booking_view(resource: store.ResourceItem, item: store.BookingItem) -> models.BookingView:
    state = BookingState(item.state)
    cancelled = set(item.cancelled or [])
    return models.BookingView(
        id=store.booking_id_of(item),
        resource_id=store.resource_id_of(resource),
        resource_name=resource.name,
        title=item.title,
        booker=item.booker,
        booker_name=item.booker_name,
        state=state.value,
        state_th=domain.STATE_TH[state],
        occurrences=[
            models.Occurrence(
                start=datetime.fromisoformat(s), end=datetime.fromisoformat(e), cancelled=s in cancelled
            )
            for s, e in item.spans
        ],
        hold_until=item.hold_until,
        reason=item.reason,
        attendees=int(item.attendees),
    )


def get_booking(
    principal: Principal, resource_id: str, booking_id: str, owner: str | None = None
) -> models.BookingView:
    resource = _resource(principal, resource_id, owner)
    return _booking_view(resource, _booking(principal, _owner(resource), resource_id, booking_id))


def _booking(principal: Principal, agency: str, resource_id: str, booking_id: str) -> store.BookingItem:
    """A booking of the resource's agency; on a shared resource, another agency sees only its own."""
    found = store.booking(agency, resource_id, booking_id)
    foreign = (
        principal.agency_id != agency and found is not None and found.booker_agency != principal.agency_id
    )
    if found is None or foreign:
        raise NotFound("ไม่พบการจอง", f"no booking {booking_id}")
    return found


def _spans(item: store.BookingItem) -> list[Span]:
    return [Span(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in item.spans]


def _restate(
    principal_agency: str,
    resource_id: str,
    item: store.BookingItem,
    *,
    state: BookingState,
    starts: set[str] | None,
    now: datetime,
    parts: Callable[[ddb.Transaction], None],
) -> None:
    """Move the booking's entries (all, or those starting at `starts`) to a new state on its day plans."""
    booking_id = store.booking_id_of(item)
    chosen = [s for s in _spans(item) if starts is None or s.start.isoformat() in starts]
    days = domain.dates_of(chosen)

    def change(plans: Plans) -> Plans:
        for day, entries in plans.items():
            plans[day] = [
                Entry(e.booking, e.start, e.end, state, None, e.title, e.booker, e.agency)
                if e.booking == booking_id and (starts is None or e.start.isoformat() in starts)
                else e
                for e in entries
            ]
        return plans

    _commit(principal_agency, resource_id, days, change, parts, now=now)


def decide(
    principal: Principal, resource_id: str, booking_id: str, command: models.Decision, *, now: datetime
) -> models.BookingView:
    resource = _resource(principal, resource_id)
    if principal.user_id not in resource.approvers and not principal.has(Role.ADMIN):
        raise Forbidden("ท่านไม่ได้เป็นผู้อนุมัติการใช้รายการนี้", "only the resource's approvers decide")
    item = _booking(principal, principal.agency_id, resource_id, booking_id)
    if BookingState(item.state) is not BookingState.PENDING:
        raise Conflict(
            f"การจองนี้{domain.STATE_TH[BookingState(item.state)]}แล้ว", f"the booking is {item.state}"
        )
    if item.hold_until is not None and item.hold_until <= now:
        raise Conflict("การจองนี้หมดเวลารออนุมัติแล้ว", "the pending booking's hold has ended")
    if not command.approve and not command.reason.strip():
        raise Conflict("ไม่อนุมัติต้องระบุเหตุผล", "a decline gives its reason")
    state = BookingState.CONFIRMED if command.approve else BookingState.DECLINED
    _settle(principal.agency_id, principal.user_id, resource, item, state, command.reason or None, now=now)
    return _booking_view(resource, _booking(principal, principal.agency_id, resource_id, booking_id))


def _settle(
    agency_id: str,
    actor: str,
    resource: store.ResourceItem,
    item: store.BookingItem,
    state: BookingState,
    reason: str | None,
    *,
    now: datetime,
    starts: set[str] | None = None,
) -> None:
    booking_id = store.booking_id_of(item)
    resource_id = store.resource_id_of(resource)
    whole = starts is None or starts >= {s for s, _ in item.spans} - set(item.cancelled or [])

    def parts(tx: ddb.Transaction) -> None:
        actions = [store.BookingItem.updated_at.set(now)]
        if whole:
            actions += [store.BookingItem.state.set(state.value), store.BookingItem.hold_until.remove()]
            if reason:
                actions.append(store.BookingItem.reason.set(reason))
        else:
            actions.append(
                store.BookingItem.cancelled.set(sorted(set(item.cancelled or []) | (starts or set())))
            )
        tx.update("booking", item, actions, condition=store.BookingItem.state == item.state)
        if item.hold_until is not None and whole:
            tx.delete("hold", store.new_hold(agency_id, resource_id, booking_id, item.hold_until))
        if actor != item.booker:
            text = f"{resource.name}: {item.title} — {domain.STATE_TH[state]}" + (
                f" ({reason})" if reason else ""
            )
            notifications.to_users(
                tx,
                item.booker_agency or agency_id,
                [item.booker],
                at=now,
                document_id=ref(agency_id, resource_id, booking_id),
                text=text,
            )
        audit.add_to(
            tx,
            AuditEvent(
                agency_id,
                actor,
                f"booking.{state.value}",
                f"booking/{booking_id}",
                now,
                before={"state": item.state},
                after={
                    "state": state.value if whole else item.state,
                    "reason": reason,
                    "occurrences": sorted(starts) if starts else "all",
                },
            ),
        )

    _restate(agency_id, resource_id, item, state=state, starts=starts, now=now, parts=parts)


def cancel(
    principal: Principal,
    resource_id: str,
    booking_id: str,
    command: models.CancelCommand,
    *,
    now: datetime,
    owner: str | None = None,
) -> models.BookingView:
    resource = _resource(principal, resource_id, owner)
    agency = _owner(resource)
    item = _booking(principal, agency, resource_id, booking_id)
    officer = agency == principal.agency_id and _is_officer(principal, resource)
    booker = principal.user_id == item.booker and principal.agency_id == (item.booker_agency or agency)
    if not booker and not officer:
        raise Forbidden("ยกเลิกได้เฉพาะผู้จองหรือเจ้าหน้าที่ผู้ดูแล", "only the booker or the resource's officer cancels")
    if not BookingState(item.state).holds:
        raise Conflict(
            f"การจองนี้{domain.STATE_TH[BookingState(item.state)]}แล้ว", f"the booking is {item.state}"
        )
    open_starts = [s for s, _ in item.spans if s not in set(item.cancelled or [])]
    if command.scope == "all":
        starts = set(open_starts)
    else:
        if command.occurrence is None:
            raise Conflict("ระบุครั้งที่ต้องการยกเลิก", "give the occurrence's start for one or rest")
        pick = command.occurrence.isoformat()
        chosen = next((s for s in open_starts if datetime.fromisoformat(s) == command.occurrence), None)
        if chosen is None:
            raise NotFound("ไม่พบครั้งที่ระบุในชุดการจองนี้", f"no open occurrence starting {pick}")
        starts = (
            {chosen}
            if command.scope == "one"
            else {s for s in open_starts if datetime.fromisoformat(s) >= command.occurrence}
        )
    rules = _rules(resource)
    if command.no_show:
        if not officer:
            raise Forbidden("บันทึกการไม่มาใช้ได้เฉพาะเจ้าหน้าที่ผู้ดูแล", "only the officer records a no-show")
        state = BookingState.NO_SHOW
    else:
        late = [s for s in starts if not rules.may_cancel(datetime.fromisoformat(s), now)]
        if late and not officer:
            raise Conflict(
                f"เลยกำหนดยกเลิกแล้ว (ต้องยกเลิกก่อนเริ่ม {rules.cancel_before_minutes} นาที)",
                f"past the cancellation deadline ({rules.cancel_before_minutes} minutes before the start)",
            )
        state = BookingState.CANCELLED
    whole = starts >= set(open_starts)
    _settle(
        agency,
        principal.user_id,
        resource,
        item,
        state,
        command.reason or None,
        now=now,
        starts=None if whole else starts,
    )
    return _booking_view(resource, _booking(principal, agency, resource_id, booking_id))


def my_bookings(principal: Principal, *, now: datetime) -> models.BookingList:
    found = []
    for pointer in store.pointers(principal.agency_id, principal.user_id, now - timedelta(days=1)):
        agency = pointer.owner or principal.agency_id
        resource = store.resource(agency, pointer.resource)
        item = store.booking(agency, pointer.resource, pointer.booking)
        if resource is not None and item is not None:
            found.append(_booking_view(resource, item))
    return models.BookingList(items=found)


# -- pending holds (scheduled) -----------------------------------------------------------------------
def expire_holds(*, now: datetime) -> int:
    """Pending bookings nobody decided on before their hold ended: expired, their slots freed."""
    expired = 0
    for shard in range(keys.SHARDS):
        for hold in store.holds_due(shard, now):
            resource = store.resource(hold.agency, hold.resource)
            item = store.booking(hold.agency, hold.resource, hold.booking)
            if resource is None or item is None or BookingState(item.state) is not BookingState.PENDING:
                hold.delete()
                continue
            try:
                _settle(hold.agency, "system:bookings", resource, item, BookingState.EXPIRED, None, now=now)
                expired += 1
            except ddb.Cancelled:
                continue  # decided at the same moment: the next run finds the hold gone
    return expired


# -- calendar feeds (iCalendar) ------------------------------------------------------------------------
def _hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(principal: Principal, kind: str, subject: str, *, now: datetime) -> models.FeedView:
    """A secret feed address for a user's bookings or a resource's; a new one revokes the old."""
    import secrets

    if kind == "resource" and not _is_officer(principal, _resource(principal, subject)):
        raise Forbidden("เฉพาะเจ้าหน้าที่ผู้ดูแลสร้างปฏิทินของห้องหรือรถ", "only the resource's officer makes its feed")
    token = secrets.token_urlsafe(32)
    old = store.owned_feed(principal.agency_id, kind, subject)
    tx = ddb.Transaction()
    if old is not None:
        tx.delete("old", store.new_feed(old.token_hash))
    tx.put("owned", store.new_owned_feed(principal.agency_id, kind, subject, _hash(token)))
    tx.put("feed", store.new_feed(_hash(token), agency=principal.agency_id, kind=kind, subject=subject))
    audit.add_to(
        tx,
        AuditEvent(principal.agency_id, principal.user_id, "booking.feed_issued", f"{kind}/{subject}", now),
    )
    tx.commit()
    return models.FeedView(
        path=f"/v1/calendar/{token}",
        note_th="ที่อยู่นี้เปิดปฏิทินได้โดยไม่ต้องเข้าสู่ระบบ โปรดเก็บเป็นความลับ ขอที่อยู่ใหม่เมื่อใดที่อยู่เดิมจะใช้ไม่ได้",
    )


def revoke_feed(principal: Principal, kind: str, subject: str, *, now: datetime) -> None:
    if kind == "resource" and not _is_officer(principal, _resource(principal, subject)):
        raise Forbidden(
            "เฉพาะเจ้าหน้าที่ผู้ดูแลยกเลิกปฏิทินของห้องหรือรถ", "only the resource's officer revokes its feed"
        )
    old = store.owned_feed(principal.agency_id, kind, subject)
    if old is None:
        raise NotFound("ยังไม่มีที่อยู่ปฏิทิน", "no feed to revoke")
    tx = ddb.Transaction()
    tx.delete("old", store.new_feed(old.token_hash))
    tx.delete("owned", old)
    audit.add_to(
        tx,
        AuditEvent(principal.agency_id, principal.user_id, "booking.feed_revoked", f"{kind}/{subject}", now),
    )
    tx.commit()


def feed(token: str, *, now: datetime) -> bytes:
    """The calendar a secret token opens: a resource's bookings, or a user's (from 30 days back)."""
    from chalicelib.bookings import calendar

    found = store.feed(_hash(token))
    if found is None:
        raise NotFound("ไม่พบปฏิทิน (ที่อยู่อาจถูกยกเลิกแล้ว)", "no such feed (it may have been revoked)")
    pairs: list[tuple[store.ResourceItem, store.BookingItem]] = []
    if found.kind == "resource":
        resource = store.resource(found.agency, found.subject)
        if resource is not None:
            pairs = [(resource, b) for b in store.bookings_of(found.agency, found.subject)]
        name = resource.name if resource else "ปฏิทิน"
    else:
        for pointer in store.pointers(found.agency, found.subject, now - timedelta(days=30), limit=500):
            resource = store.resource(found.agency, pointer.resource)
            booking = store.booking(found.agency, pointer.resource, pointer.booking)
            if resource is not None and booking is not None:
                pairs.append((resource, booking))
        name = "การจองของฉัน"
    events = []
    for resource, booking in pairs:
        state = BookingState(booking.state)
        if not state.holds:
            continue
        cancelled = set(booking.cancelled or [])
        for span in _spans(booking):
            status = (
                "CANCELLED"
                if span.start.isoformat() in cancelled
                else ("TENTATIVE" if state is BookingState.PENDING else "CONFIRMED")
            )
            uid = calendar.uid(store.booking_id_of(booking), span.start)
            events.append((uid, span.start, span.end, booking.title, resource.name, status))
    return calendar.feed(name, events, now=now)


def invitation_for(agency_id: str, user_id: str, document_id: str, now: datetime) -> Attachment | None:
    """The calendar invitation a booking's confirmation e-mail carries (notifications' attachment hook):
    only for a confirmed booking, only to its booker; a series as one event with its RRULE and the
    occurrences cancelled one by one as EXDATEs."""
    from chalicelib.bookings import calendar
    from chalicelib.directory import service as directory
    from chalicelib.notifications.mail import sender_address

    _, owner, resource_id, booking_id = document_id.split("/", 3)
    resource = store.resource(owner, resource_id)
    item = store.booking(owner, resource_id, booking_id)
    contact = directory.mail_contact(agency_id, user_id)  # the booker, in their own agency
    mine = item is not None and item.booker == user_id and (item.booker_agency or owner) == agency_id
    if resource is None or item is None or contact is None or not mine:
        return None
    if BookingState(item.state) is not BookingState.CONFIRMED:
        return None
    first = _spans(item)[0]
    data = calendar.invitation(
        calendar.uid(booking_id, first.start),
        first.start,
        first.end,
        item.title,
        resource.name,
        organizer=("ระบบสารบรรณอิเล็กทรอนิกส์", sender_address()),
        attendee=(contact.name, contact.email),
        now=now,
        rrule=item.recurrence,
        exdates=[datetime.fromisoformat(s) for s in item.cancelled or []],
    )
    return Attachment("invite.ics", "text/calendar; method=REQUEST", data)


# -- reminders (scheduled) ---------------------------------------------------------------------------
REMIND_AHEAD = timedelta(hours=24)


def remind_upcoming(*, now: datetime) -> int:
    """Tell each booker of an occurrence starting within REMIND_AHEAD, once (a marker written with the
    notice, conditionally); the day plans of today and tomorrow are read through their date index."""
    from chalicelib.kernel.ddb import Cancelled

    sent = 0
    today = now.astimezone(BANGKOK).date()
    for day in (today, today + timedelta(days=1)):
        for shard in range(keys.SHARDS):
            for plan in store.booked_days(day, shard):
                agency_id, resource_id = str(plan.gsi3sk).split("#", 1)
                resource = store.resource(agency_id, resource_id)
                for entry in (Entry.of(e) for e in plan.entries):
                    due = entry.state is BookingState.CONFIRMED and now < entry.start <= now + REMIND_AHEAD
                    if not due or entry.start.astimezone(BANGKOK).date() != day or resource is None:
                        continue
                    tx = ddb.Transaction()
                    tx.put(
                        "marker",
                        store.new_reminder(agency_id, resource_id, entry.booking, entry.start, now),
                        condition=store.ReminderItem.pk.does_not_exist(),
                    )
                    notifications.to_users(
                        tx,
                        entry.agency or agency_id,
                        [entry.booker],
                        at=now,
                        document_id=ref(agency_id, resource_id, entry.booking),
                        text=f"เตือนการจอง{resource.name}: {entry.title} "
                        f"({Span(entry.start, entry.end).label()})",
                    )
                    try:
                        tx.commit()
                        sent += 1
                    except Cancelled:
                        continue  # reminded already
    return sent
