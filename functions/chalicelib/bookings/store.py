"""Booking items: the agency's resources (pk=agency, sk=RESOURCE#id), each resource's day plans
(pk=agency#RES#id, sk=DAY#yyyy-mm-dd: that date's intervals and a version), its bookings
(pk=agency#RES#id, sk=BOOKING#id), each booker's list (pk=agency#BOOKER#user, sk=<start>#id), and
the pending bookings' hold deadlines in a platform queue spread over shards (pk=BOOKHOLD#nn)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.kernel import ddb, keys


class ResourceItem(ddb.Record):
    kind = UnicodeAttribute()  # room | vehicle
    name = UnicodeAttribute()
    details = JSONAttribute(default=dict)  # capacity, equipment, building, floor / plate, type, seats
    rules = JSONAttribute(default=dict)  # domain.Rules as JSON
    approvers = ListAttribute[str](default=list)
    officers = ListAttribute[str](default=list)  # who manage it (besides the agency admin)
    bookable_by = ListAttribute[str](default=list)  # unit ids; empty: everyone in the agency
    shared_with = ListAttribute[str](default=list)  # other agencies whose users may book it
    status = UnicodeAttribute(default="available")  # available | maintenance
    odometer = NumberAttribute(null=True)  # vehicles: the last reading logged (it never goes down)
    updated_at = UTCDateTimeAttribute()


class _BookedDayIndex(GlobalSecondaryIndex["DayItem"]):
    """The day plans of a date, platform-wide and spread over shards: what the reminder job reads."""

    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)  # BOOKDAY#<yyyy-mm-dd>#<shard>
    gsi3sk = UnicodeAttribute(range_key=True)  # <agency>#<resource>


class DayItem(ddb.Record):
    entries = JSONAttribute(default=list)
    version = NumberAttribute(default=0)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    by_date = _BookedDayIndex()


class ReminderItem(ddb.Record):
    """pk=agency#RES#id, sk=REMINDED#<booking>#<start>: this occurrence's reminder went (once)."""

    at = UTCDateTimeAttribute()


class BookingItem(ddb.Record):
    title = UnicodeAttribute()
    booker = UnicodeAttribute()
    booker_name = UnicodeAttribute(default="")
    booker_agency = UnicodeAttribute(null=True)  # another agency's user, on a shared resource
    state = UnicodeAttribute()
    spans = JSONAttribute()  # [[start, end], ...] the occurrences (one for a single booking)
    recurrence = JSONAttribute(null=True)  # the series' rule as asked (for the invitation's RRULE)
    cancelled = JSONAttribute(default=list)  # starts of occurrences cancelled one by one
    hold_until = UTCDateTimeAttribute(null=True)
    attendees = NumberAttribute(default=0)
    note = UnicodeAttribute(default="")
    reason = UnicodeAttribute(null=True)  # why declined or cancelled
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


class BookerItem(ddb.Record):
    """A booker's pointer to their booking (their list, by start)."""

    resource = UnicodeAttribute()
    booking = UnicodeAttribute()
    owner = UnicodeAttribute(null=True)  # the agency the resource is of, when it is another's


class SharedItem(ddb.Record):
    """pk=<partner agency>, sk=SHARED#<owner>#<resource>: a resource another agency shares with it."""

    owner = UnicodeAttribute()
    resource = UnicodeAttribute()


class HoldItem(ddb.Record):
    """A pending booking's deadline, in a platform-wide due queue (no agency data beyond the ids)."""

    agency = UnicodeAttribute()
    resource = UnicodeAttribute()
    booking = UnicodeAttribute()


def resource_pk(agency_id: str, resource_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#RES#{resource_id}"


def resource(agency_id: str, resource_id: str) -> ResourceItem | None:
    return ddb.get_or_none(ResourceItem, keys.agency_pk(agency_id), f"RESOURCE#{resource_id}")


def new_resource(agency_id: str, resource_id: str, **fields: Any) -> ResourceItem:
    return ResourceItem(keys.agency_pk(agency_id), f"RESOURCE#{resource_id}", **fields)


def resources(agency_id: str) -> list[ResourceItem]:
    return list(ResourceItem.query(keys.agency_pk(agency_id), ResourceItem.sk.startswith("RESOURCE#")))


def resource_id_of(item: ResourceItem) -> str:
    return item.sk.removeprefix("RESOURCE#")


def day_plans(agency_id: str, resource_id: str, first: date, last: date) -> dict[date, DayItem]:
    """The day plans between two dates, in one query (consistent: what a write is checked against)."""
    found = DayItem.query(
        resource_pk(agency_id, resource_id),
        DayItem.sk.between(f"DAY#{first.isoformat()}", f"DAY#{last.isoformat()}"),
        consistent_read=True,
    )
    return {date.fromisoformat(item.sk.removeprefix("DAY#")): item for item in found}


def new_day(agency_id: str, resource_id: str, day: date, **fields: Any) -> DayItem:
    pk, sk = resource_pk(agency_id, resource_id), f"DAY#{day.isoformat()}"
    return DayItem(pk, sk, gsi3pk=booked_day_pk(day, pk), gsi3sk=f"{agency_id}#{resource_id}", **fields)


def booked_day_pk(day: date, resource_pk_: str) -> str:
    return f"BOOKDAY#{day.isoformat()}#{keys.shard_of(resource_pk_):02d}"


def booked_days(day: date, shard: int) -> Iterator[DayItem]:
    yield from DayItem.by_date.query(f"BOOKDAY#{day.isoformat()}#{shard:02d}")


def new_reminder(
    agency_id: str, resource_id: str, booking_id: str, start: datetime, at: datetime
) -> ReminderItem:
    return ReminderItem(
        resource_pk(agency_id, resource_id),
        f"REMINDED#{booking_id}#{start.astimezone(UTC).isoformat()}",
        at=at,
    )


def booking(agency_id: str, resource_id: str, booking_id: str) -> BookingItem | None:
    return ddb.get_or_none(BookingItem, resource_pk(agency_id, resource_id), f"BOOKING#{booking_id}")


def new_booking(agency_id: str, resource_id: str, booking_id: str, **fields: Any) -> BookingItem:
    return BookingItem(resource_pk(agency_id, resource_id), f"BOOKING#{booking_id}", **fields)


def booking_id_of(item: BookingItem) -> str:
    return item.sk.removeprefix("BOOKING#")


def new_pointer(
    agency_id: str, user_id: str, start: datetime, resource_id: str, booking_id: str, owner: str | None = None
) -> BookerItem:
    return BookerItem(
        f"{keys.check_agency(agency_id)}#BOOKER#{user_id}",
        f"{start.astimezone(UTC).isoformat()}#{booking_id}",
        resource=resource_id,
        booking=booking_id,
        owner=owner if owner != agency_id else None,
    )


def shared(partner: str, owner: str, resource_id: str) -> SharedItem | None:
    return ddb.get_or_none(SharedItem, keys.agency_pk(partner), f"SHARED#{owner}#{resource_id}")


def new_shared(partner: str, owner: str, resource_id: str) -> SharedItem:
    return SharedItem(
        keys.agency_pk(partner), f"SHARED#{owner}#{resource_id}", owner=owner, resource=resource_id
    )


def shared_with(partner: str) -> list[SharedItem]:
    return list(SharedItem.query(keys.agency_pk(partner), SharedItem.sk.startswith("SHARED#")))


def pointers(agency_id: str, user_id: str, since: datetime, *, limit: int = 100) -> list[BookerItem]:
    return list(
        BookerItem.query(
            f"{keys.check_agency(agency_id)}#BOOKER#{user_id}",
            BookerItem.sk >= since.astimezone(UTC).isoformat(),
            limit=limit,
        )
    )


def new_hold(agency_id: str, resource_id: str, booking_id: str, until: datetime) -> HoldItem:
    shard = keys.shard_of(booking_id)
    return HoldItem(
        f"BOOKHOLD#{shard:02d}",
        f"{until.astimezone(UTC).isoformat()}#{agency_id}#{booking_id}",
        agency=agency_id,
        resource=resource_id,
        booking=booking_id,
    )


def holds_due(shard: int, now: datetime, *, limit: int = 500) -> Iterator[HoldItem]:
    yield from HoldItem.query(
        f"BOOKHOLD#{shard:02d}", HoldItem.sk < now.astimezone(UTC).isoformat(), limit=limit
    )


class FeedItem(ddb.Record):
    """pk=PLATFORM#CALFEED, sk=<SHA-256 of a feed's secret token>: whose calendar the token opens."""

    agency = UnicodeAttribute()
    kind = UnicodeAttribute()  # user | resource
    subject = UnicodeAttribute()


class OwnedFeedItem(ddb.Record):
    """pk=agency, sk=CALFEED#<kind>#<subject>: the current token's hash (a new one revokes it)."""

    token_hash = UnicodeAttribute()


FEEDS_PK = "PLATFORM#CALFEED"


def feed(token_hash: str) -> FeedItem | None:
    return ddb.get_or_none(FeedItem, FEEDS_PK, token_hash, consistent=False)


def new_feed(token_hash: str, **fields: Any) -> FeedItem:
    return FeedItem(FEEDS_PK, token_hash, **fields)


def owned_feed(agency_id: str, kind: str, subject: str) -> OwnedFeedItem | None:
    return ddb.get_or_none(OwnedFeedItem, keys.agency_pk(agency_id), f"CALFEED#{kind}#{subject}")


def resource_feeds(agency_id: str) -> set[str]:
    """The ids of the agency's resources that have a calendar address now."""
    prefix = "CALFEED#resource#"
    found = OwnedFeedItem.query(keys.agency_pk(agency_id), OwnedFeedItem.sk.startswith(prefix))
    return {item.sk.removeprefix(prefix) for item in found}


def new_owned_feed(agency_id: str, kind: str, subject: str, token_hash: str) -> OwnedFeedItem:
    return OwnedFeedItem(keys.agency_pk(agency_id), f"CALFEED#{kind}#{subject}", token_hash=token_hash)


def bookings_of(agency_id: str, resource_id: str) -> list[BookingItem]:
    return list(BookingItem.query(resource_pk(agency_id, resource_id), BookingItem.sk.startswith("BOOKING#")))


class TripItem(ddb.Record):
    """pk=agency#TRIPS, sk=TRIP#id: a trip request (แบบ 3) and what became of it."""

    state = UnicodeAttribute()
    requester = UnicodeAttribute()
    requester_name = UnicodeAttribute()
    requester_position = UnicodeAttribute(default="")
    requester_units = ListAttribute[str](default=list)
    request = JSONAttribute()  # the TripRequest as sent
    opinion = UnicodeAttribute(null=True)
    recommend = UnicodeAttribute(null=True)  # "yes" | "no"
    opinion_by = UnicodeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    vehicle = UnicodeAttribute(null=True)
    driver = UnicodeAttribute(null=True)
    vehicle_booking = UnicodeAttribute(null=True)
    driver_booking = UnicodeAttribute(null=True)
    log = JSONAttribute(null=True)  # แบบ 4: odometer out and in, fuel, times
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


class TripLogItem(ddb.Record):
    """pk=agency#RES#vehicle, sk=TRIPLOG#yyyy-mm#trip: a logged trip, for the vehicle's month."""

    trip = UnicodeAttribute()
    day = UnicodeAttribute()
    requester_name = UnicodeAttribute()
    place = UnicodeAttribute()
    odometer_out = NumberAttribute()
    odometer_in = NumberAttribute()
    fuel_litres = NumberAttribute(default=0)


def trips_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#TRIPS"


def trip(agency_id: str, trip_id: str) -> TripItem | None:
    return ddb.get_or_none(TripItem, trips_pk(agency_id), f"TRIP#{trip_id}")


def new_trip(agency_id: str, trip_id: str, **fields: Any) -> TripItem:
    return TripItem(trips_pk(agency_id), f"TRIP#{trip_id}", **fields)


def trips(agency_id: str, *, limit: int = 200) -> list[TripItem]:
    return list(TripItem.query(trips_pk(agency_id), scan_index_forward=False, limit=limit))


def trip_id_of(item: TripItem) -> str:
    return item.sk.removeprefix("TRIP#")


def new_trip_log(agency_id: str, vehicle_id: str, month: str, trip_id: str, **fields: Any) -> TripLogItem:
    return TripLogItem(
        resource_pk(agency_id, vehicle_id), f"TRIPLOG#{month}#{trip_id}", trip=trip_id, **fields
    )


def trip_logs(agency_id: str, vehicle_id: str, month: str) -> list[TripLogItem]:
    return list(
        TripLogItem.query(resource_pk(agency_id, vehicle_id), TripLogItem.sk.startswith(f"TRIPLOG#{month}#"))
    )
