"""What the booking routes take and answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BeforeValidator, Field, StringConstraints, model_validator

from chalicelib.kernel.schema import (
    AgencyId,
    Answer,
    Command,
    Line,
    OpaqueId,
    Query,
    QueryDay,
    Refused,
    ShortLine,
    WholeNumber,
    integral,
)

Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class BookingRules(Command):
    opens: Clock = Field(default="07:00", description="rooms: bookable from (Bangkok time)")
    closes: Clock = Field(default="20:00", description="rooms: bookable until")
    min_notice_minutes: WholeNumber = Field(default=0, ge=0, le=60 * 24 * 30)
    max_minutes: WholeNumber = Field(default=12 * 60, ge=15, le=60 * 24 * 30, description="longest booking")
    cancel_before_minutes: WholeNumber = Field(
        default=0, ge=0, le=60 * 24 * 30, description="cancellation deadline"
    )
    approval: bool = Field(default=False, description="true: pending until an approver decides")
    hold_hours: WholeNumber = Field(
        default=48, ge=1, le=24 * 14, description="how long a pending booking holds its slot"
    )


class ResourceCommand(Command):
    kind: Literal["room", "vehicle", "driver"] = Field(description="a driver is booked like a resource")
    name: ShortLine = Field(min_length=1)
    capacity: WholeNumber = Field(
        default=0, ge=0, le=10_000, description="rooms: seats; vehicles: passengers"
    )
    equipment: list[ShortLine] = Field(default_factory=list, max_length=30)
    building: ShortLine = ""
    floor: ShortLine = ""
    plate: ShortLine = Field(default="", description="vehicles: ทะเบียนรถ")
    vehicle_type: ShortLine = Field(default="", description="vehicles: รถเก๋ง, รถตู้, รถกระบะ ...")
    user_id: OpaqueId | None = Field(default=None, description="drivers: the driver's user, if they have one")
    approvers: list[OpaqueId] = Field(default_factory=list, max_length=20)
    officers: list[OpaqueId] = Field(default_factory=list, max_length=20)
    bookable_by: list[ShortLine] = Field(
        default_factory=list, max_length=50, description="unit ids; empty: all"
    )
    rules: BookingRules = Field(default_factory=BookingRules)


class ResourceChange(Command):
    """What the admin or the resource's officer changes; fields left out stay as they are."""

    name: ShortLine | None = Field(default=None, min_length=1)
    status: Literal["available", "maintenance"] | None = Field(
        default=None, description="maintenance: nobody books it until it is available again"
    )
    capacity: Annotated[int, Field(ge=0, le=10_000), BeforeValidator(integral)] | None = None
    equipment: list[ShortLine] | None = Field(default=None, max_length=30)
    building: ShortLine | None = None
    floor: ShortLine | None = None
    plate: ShortLine | None = None
    vehicle_type: ShortLine | None = None
    approvers: list[OpaqueId] | None = Field(default=None, max_length=20)
    officers: list[OpaqueId] | None = Field(default=None, max_length=20)
    bookable_by: list[ShortLine] | None = Field(default=None, max_length=50)
    rules: BookingRules | None = None


class ResourceView(Answer):
    id: str
    owner: str = Field(description="the agency the resource is of (another's, when it is shared with you)")
    shared_with: list[str]
    kind: str
    name: str
    capacity: int
    equipment: list[str]
    building: str
    floor: str
    plate: str
    vehicle_type: str
    user_id: str | None = Field(
        description="drivers of your own agency: the driver's user, if they have one (null otherwise)"
    )
    status: str
    approvers: list[str]
    officers: list[str]
    bookable_by: list[str]
    rules: BookingRules
    has_calendar_feed: bool = Field(
        description="whether it has a calendar address now; told only to its agency's admin and officers "
        "(false for others), who make and revoke it"
    )


class ResourceList(Answer):
    items: list[ResourceView]


class ResourcePath(Query):
    resource_id: OpaqueId


class BookingPath(Query):
    resource_id: OpaqueId
    booking_id: OpaqueId


class Recurrence(
    Command,
    # until or count, not both (the validator below), said in the schema too
    json_schema_extra={
        "oneOf": [
            {"required": ["until"], "properties": {"until": {"type": "string"}, "count": {"type": "null"}}},
            {"required": ["count"], "properties": {"count": {"type": "integer"}, "until": {"type": "null"}}},
        ]
    },
):
    freq: Literal["daily", "weekly", "monthly"]
    interval: WholeNumber = Field(default=1, ge=1, le=12)
    by_weekday: list[Weekday] = Field(default_factory=list, max_length=7, description="weekly: the days")
    by_month_day: Annotated[int, Field(ge=1, le=31), BeforeValidator(integral)] | None = Field(
        default=None, description="monthly: the date"
    )
    by_set_position: Annotated[int, Field(ge=-1, le=5), BeforeValidator(integral)] | None = Field(
        default=None, description="monthly by weekday: 1 = first, -1 = last (with by_weekday)"
    )
    until: date | None = Field(default=None, description="the last date (inclusive)")
    count: Annotated[int, Field(ge=1, le=90), BeforeValidator(integral)] | None = None

    @model_validator(mode="after")
    def _one_end(self) -> Recurrence:
        if (self.until is None) == (self.count is None):
            raise Refused("ระบุวันสิ้นสุด (until) หรือจำนวนครั้ง (count) อย่างใดอย่างหนึ่ง", "give either until or count")
        return self


class BookCommand(Command):
    start: AwareDatetime = Field(description="with its offset, e.g. 2026-12-01T09:00:00+07:00")
    end: AwareDatetime
    title: Line = Field(min_length=1, description="เรื่อง / วัตถุประสงค์")
    attendees: WholeNumber = Field(default=0, ge=0, le=10_000)
    note: Line = ""
    recurrence: Recurrence | None = None


class Decision(Command):
    approve: bool
    reason: Line = ""


class CancelCommand(Command):
    scope: Literal["all", "one", "rest"] = Field(
        default="all", description="the whole booking or series; one occurrence; this one and the rest"
    )
    occurrence: AwareDatetime | None = Field(default=None, description="the occurrence's start (one, rest)")
    reason: Line = ""
    no_show: bool = Field(default=False, description="the officer records that nobody came")


class Occurrence(Answer):
    start: datetime
    end: datetime
    cancelled: bool


class BookingView(Answer):
    id: str
    resource_id: str
    resource_name: str
    title: str
    booker: str
    booker_name: str
    state: str
    state_th: str
    occurrences: list[Occurrence]
    hold_until: datetime | None
    reason: str | None
    attendees: int


class BookingList(Answer):
    items: list[BookingView]


class OwnerQuery(Query):
    owner: AgencyId | None = Field(default=None, description="a resource another agency shares: its agency")


class Sharing(Command):
    agencies: list[AgencyId] = Field(max_length=50, description="the agencies whose users may book it")


class AvailabilityQuery(Query):
    owner: AgencyId | None = Field(default=None, description="a resource another agency shares: its agency")
    first_day: QueryDay = Field(description="the first date (Bangkok)")
    days: WholeNumber = Field(default=1, ge=1, le=31)


class Busy(Answer):
    start: datetime
    end: datetime
    booking: str
    title: str
    state: str


class Free(Answer):
    start: datetime
    end: datetime


class DayAvailability(Answer):
    day: date
    busy: list[Busy]
    free: list[Free]


class Availability(Answer):
    resource_id: str
    days: list[DayAvailability]


class FeedView(Answer):
    path: str = Field(description="the feed's address under the API (keep it secret: it opens the calendar)")
    note_th: str


class FeedPath(Query):
    token: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{40,64}$")]


# -- trips: แบบ 3 (ใบขออนุญาตใช้รถส่วนกลาง) and แบบ 4 (บันทึกการใช้รถส่วนกลาง) ---------------------------
class TripRequest(Command):
    to_position: ShortLine = Field(min_length=1, description="เรียน: the approver's position")
    place: ShortLine = Field(min_length=1, description="ไปที่ (ท้องที่)")
    province: ShortLine = Field(min_length=1, description="จังหวัด")
    purpose: Line = Field(min_length=1, description="เพื่อ")
    passengers: list[ShortLine] = Field(default_factory=list, max_length=60, description="ผู้ร่วมเดินทาง")
    departure: AwareDatetime
    back: AwareDatetime = Field(description="return date and time")

    @model_validator(mode="after")
    def _order(self) -> TripRequest:
        if self.back <= self.departure:
            raise Refused("เวลากลับต้องหลังเวลาออกเดินทาง", "the return must be after the departure")
        return self


class TripPath(Query):
    trip_id: OpaqueId


class Opinion(Command):
    recommend: bool = Field(description="the supervisor's view: สมควรอนุญาต or not")
    opinion: Line = ""


class TripDecision(Command):
    approve: bool
    reason: Line = ""


class Assignment(Command):
    vehicle_id: OpaqueId
    driver_id: OpaqueId = Field(description="the driver's resource id")


class TripLogCommand(Command):
    odometer_out: WholeNumber = Field(ge=0, le=9_999_999, description="เลขไมล์ก่อนออก")
    odometer_in: WholeNumber = Field(ge=0, le=9_999_999, description="เลขไมล์เมื่อกลับ")
    fuel_litres: float = Field(default=0, ge=0, le=2000)
    left_at: AwareDatetime
    returned_at: AwareDatetime
    note: Line = ""

    @model_validator(mode="after")
    def _forward(self) -> TripLogCommand:
        if self.odometer_in < self.odometer_out:
            raise Refused(
                "เลขไมล์เมื่อกลับต้องไม่น้อยกว่าเลขไมล์ก่อนออก",
                "the odometer never runs backwards: odometer_in < odometer_out",
            )
        if self.returned_at <= self.left_at:
            raise Refused("เวลากลับต้องหลังเวลาออก", "the return must be after leaving")
        return self


class TripView(Answer):
    id: str
    state: str
    state_th: str
    requester: str
    requester_name: str
    requester_position: str
    to_position: str
    place: str
    province: str
    purpose: str
    passengers: list[str]
    departure: datetime
    back: datetime
    opinion: str | None
    recommend: bool | None
    decided_by: str | None
    reason: str | None
    vehicle_id: str | None
    vehicle: str | None
    driver_id: str | None
    driver: str | None
    driver_user_id: str | None = Field(description="the assigned driver's user, when the driver has one")
    requester_units: list[str] = Field(description="the requester's units when the trip was asked (unit ids)")
    distance_km: int | None


class TripList(Answer):
    items: list[TripView]


class ReportQuery(Query):
    month: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")] = Field(
        description="yyyy-mm (Christian era, Bangkok time)"
    )


class TripReportLine(Answer):
    trip_id: str
    day: date
    requester_name: str
    place: str
    odometer_out: int
    odometer_in: int
    distance_km: int
    fuel_litres: float


class TripReport(Answer):
    vehicle_id: str
    vehicle: str
    month: str
    trips: int
    distance_km: int
    fuel_litres: float
    lines: list[TripReportLine]
