"""Official vehicles: the trip request (แบบ 3, ใบขออนุญาตใช้รถส่วนกลาง) and the trip log (แบบ 4,
บันทึกการใช้รถส่วนกลาง), under the ระเบียบสำนักนายกรัฐมนตรีว่าด้วยรถราชการ พ.ศ. 2523 (docs/rules.md,
"Booking rooms and vehicles"):

1. a user requests a trip (`request`): destination, purpose, passengers, departure and return;
2. a section head of the requester's unit gives the supervisor's opinion (`opinion`);
3. the director approves or declines with a reason (`decide`);
4. the vehicle's officer assigns a vehicle and a driver (`assign`): both are booked for the trip's
   time in one transaction, with the same conflict-free day plans as any booking, so neither the car
   nor the driver is ever in two places;
5. the trip is logged (`log`): odometer out and in, fuel, times; the vehicle's odometer only goes up;
6. the month's report per vehicle (`report`): trips, distance, fuel.
The approved request prints as the form (`form_pdf`); every step writes the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from chalicelib.bookings import domain, models, service, store
from chalicelib.bookings.domain import BookingState, Entry, Span
from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Conflict, Forbidden, NotFound
from chalicelib.kernel.principal import Principal, Role
from chalicelib.notifications import service as notifications
from chalicelib.thai import BANGKOK, thai_date, thai_time


class TripState(StrEnum):
    REQUESTED = "requested"
    REVIEWED = "reviewed"  # the supervisor gave an opinion
    APPROVED = "approved"
    DECLINED = "declined"
    ASSIGNED = "assigned"  # a vehicle and a driver are booked
    COMPLETED = "completed"  # logged


STATE_TH = {
    TripState.REQUESTED: "รอความเห็นผู้บังคับบัญชา",
    TripState.REVIEWED: "รออนุมัติ",
    TripState.APPROVED: "อนุมัติแล้ว รอจัดรถ",
    TripState.DECLINED: "ไม่อนุมัติ",
    TripState.ASSIGNED: "จัดรถและพนักงานขับรถแล้ว",
    TripState.COMPLETED: "บันทึกการใช้รถแล้ว",
}


def _view(item: store.TripItem) -> models.TripView:
    """The trip as its viewers see it (every caller has passed `_may_see`): the driver's user is the
    one who may log it, the requester's units those whose head gives the opinion."""
    request = _request(item)
    log = item.log or {}
    agency = keys.agency_of_pk(item.pk)
    vehicle = store.resource(agency, item.vehicle) if item.vehicle else None
    driver = store.resource(agency, item.driver) if item.driver else None
    driver_user = (driver.details or {}).get("user_id") if driver and driver.kind == "driver" else None
    return models.TripView(
        id=store.trip_id_of(item),
        state=item.state,
        state_th=STATE_TH[TripState(item.state)],
        requester=item.requester,
        requester_name=item.requester_name,
        requester_position=item.requester_position,
        to_position=request.to_position,
        place=request.place,
        province=request.province,
        purpose=request.purpose,
        passengers=list(request.passengers),
        departure=request.departure,
        back=request.back,
        opinion=item.opinion,
        recommend=None if item.recommend is None else item.recommend == "yes",
        decided_by=item.decided_by,
        reason=item.reason,
        vehicle_id=item.vehicle,
        vehicle=_name(vehicle),
        driver_id=item.driver,
        driver=_name(driver),
        driver_user_id=driver_user or None,
        requester_units=list(item.requester_units),
        distance_km=int(log["odometer_in"]) - int(log["odometer_out"]) if log else None,
    )


def province(name: str) -> str:
    """จ. before a province's name; Bangkok is not a จังหวัด (it is written กรุงเทพมหานคร alone)."""
    plain = name.strip().removeprefix("จ.").removeprefix("จังหวัด").strip()
    return plain if plain.startswith("กรุงเทพ") else f"จ.{plain}"


def _request(item: store.TripItem) -> models.TripRequest:
    """The request as it was sent (commands are strict: read back from JSON, as they came in)."""
    import json

    return models.TripRequest.model_validate_json(json.dumps(item.request))


def _name(found: store.ResourceItem | None) -> str | None:
    if found is None:
        return None
    plate = (found.details or {}).get("plate")
    return f"{found.name} {plate}".strip() if plate else found.name


def _trip(principal: Principal, trip_id: str) -> store.TripItem:
    found = store.trip(principal.agency_id, trip_id)
    if found is None:
        raise NotFound("ไม่พบคำขอใช้รถ", f"no trip {trip_id}")
    return found


def _sees_every_trip(principal: Principal) -> bool:
    """The director, the admin and the fleet's officers see every trip (one query, once per call)."""
    if principal.has(Role.DIRECTOR) or principal.has(Role.ADMIN):
        return True
    return any(
        principal.user_id in r.officers for r in store.resources(principal.agency_id) if r.kind == "vehicle"
    )


def _may_see(principal: Principal, item: store.TripItem, *, sees_every: bool | None = None) -> bool:
    if sees_every if sees_every is not None else _sees_every_trip(principal):
        return True
    return (
        principal.user_id == item.requester
        or (principal.has(Role.HEAD) and bool(set(principal.units) & set(item.requester_units)))
        or _drives(principal, item)
    )


def _drives(principal: Principal, item: store.TripItem) -> bool:
    driver = store.resource(principal.agency_id, item.driver) if item.driver else None
    return driver is not None and (driver.details or {}).get("user_id") == principal.user_id


def _move(
    principal: Principal,
    item: store.TripItem,
    expected: TripState,
    state: TripState,
    action: str,
    now: datetime,
    *,
    changes: list[object] | None = None,
    tell: list[str] | None = None,
    text: str = "",
    extra: object = None,
) -> None:
    tx = ddb.Transaction()
    actions = [store.TripItem.state.set(state.value), store.TripItem.updated_at.set(now), *(changes or [])]
    tx.update("trip", item, actions, condition=store.TripItem.state == expected.value)
    trip_id = store.trip_id_of(item)
    if tell:
        notifications.to_users(
            tx, principal.agency_id, tell, at=now, document_id=f"trip/{trip_id}", text=text
        )
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            f"trip.{action}",
            f"trip/{trip_id}",
            now,
            before={"state": expected.value},
            after={"state": state.value, "detail": extra},
        ),
    )
    if not tx.commit_unless_refused("trip"):
        raise Conflict("คำขอนี้มีผู้ดำเนินการพร้อมกัน", "someone acted on this trip at the same moment")


def request(principal: Principal, command: models.TripRequest, *, now: datetime) -> models.TripView:
    trip_id = keys.new_id()
    item = store.new_trip(
        principal.agency_id,
        trip_id,
        state=TripState.REQUESTED.value,
        requester=principal.user_id,
        requester_name=principal.name,
        requester_position=principal.position,
        requester_units=list(principal.units),
        request=command.model_dump(mode="json"),
        created_at=now,
        updated_at=now,
    )
    from chalicelib.directory import service as directory

    heads = [u for unit in principal.units for u in directory.members_of_unit(principal.agency_id, unit)]
    heads = [
        u
        for u in dict.fromkeys(heads)
        if u != principal.user_id and u in set(directory.with_role(principal.agency_id, "head"))
    ]
    tx = ddb.Transaction()
    tx.put("trip", item, condition=store.TripItem.pk.does_not_exist())
    notifications.to_users(
        tx,
        principal.agency_id,
        heads,
        at=now,
        document_id=f"trip/{trip_id}",
        text=f"ขอใช้รถไป{command.place} {province(command.province)}: {principal.name} (รอความเห็น)",
    )
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "trip.requested",
            f"trip/{trip_id}",
            now,
            after={"place": command.place},
        ),
    )
    tx.commit()
    return _view(item)


def get(principal: Principal, trip_id: str) -> models.TripView:
    item = _trip(principal, trip_id)
    if not _may_see(principal, item):
        raise NotFound("ไม่พบคำขอใช้รถ", f"no trip {trip_id}")
    return _view(item)


def listing(principal: Principal) -> models.TripList:
    every = _sees_every_trip(principal)
    return models.TripList(
        items=[_view(i) for i in store.trips(principal.agency_id) if _may_see(principal, i, sees_every=every)]
    )


def opinion(principal: Principal, trip_id: str, command: models.Opinion, *, now: datetime) -> models.TripView:
    item = _trip(principal, trip_id)
    if (
        not principal.has(Role.HEAD)
        or not set(principal.units) & set(item.requester_units)
        or principal.user_id == item.requester
    ):
        raise Forbidden("ความเห็นให้โดยผู้บังคับบัญชาของผู้ขอ", "the requester's section head gives the opinion")
    from chalicelib.directory import service as directory

    asked = _request(item)  # the director's notification names the trip, as the head's did
    _move(
        principal,
        item,
        TripState.REQUESTED,
        TripState.REVIEWED,
        "reviewed",
        now,
        changes=[
            store.TripItem.opinion.set(
                command.opinion or ("สมควรอนุญาต" if command.recommend else "ไม่สมควรอนุญาต")
            ),
            store.TripItem.recommend.set("yes" if command.recommend else "no"),
            store.TripItem.opinion_by.set(principal.user_id),
        ],
        tell=directory.with_role(principal.agency_id, "director"),
        text=f"ขออนุมัติใช้รถไป{asked.place} {province(asked.province)}: {item.requester_name}",
        extra={"recommend": command.recommend},
    )
    return get(principal, trip_id)


def decide(
    principal: Principal, trip_id: str, command: models.TripDecision, *, now: datetime
) -> models.TripView:
    principal.require(Role.DIRECTOR)
    item = _trip(principal, trip_id)
    if not command.approve and not command.reason.strip():
        raise Conflict("ไม่อนุมัติต้องระบุเหตุผล", "a decline gives its reason")
    state = TripState.APPROVED if command.approve else TripState.DECLINED
    officers = sorted(
        {o for r in store.resources(principal.agency_id) if r.kind == "vehicle" for o in r.officers}
    )
    _move(
        principal,
        item,
        TripState.REVIEWED,
        state,
        state.value,
        now,
        changes=[
            store.TripItem.decided_by.set(principal.user_id),
            *([store.TripItem.reason.set(command.reason)] if command.reason else []),
        ],
        tell=[item.requester, *(officers if command.approve else [])],
        text=f"คำขอใช้รถไป{_request(item).place}: {STATE_TH[state]}",
        extra={"reason": command.reason or None},
    )
    return get(principal, trip_id)


def assign(
    principal: Principal, trip_id: str, command: models.Assignment, *, now: datetime
) -> models.TripView:
    item = _trip(principal, trip_id)
    vehicle = store.resource(principal.agency_id, command.vehicle_id)
    driver = store.resource(principal.agency_id, command.driver_id)
    if vehicle is None or vehicle.kind != "vehicle" or driver is None or driver.kind != "driver":
        raise NotFound("ไม่พบรถหรือพนักงานขับรถที่ระบุ", "no such vehicle or driver")
    if principal.user_id not in vehicle.officers and not principal.has(Role.ADMIN):
        raise Forbidden("จัดรถได้เฉพาะเจ้าหน้าที่ผู้ดูแลรถ", "only the vehicle's officer assigns it")
    if vehicle.status != "available":
        raise Conflict("รถคันนี้งดใช้ชั่วคราว (ซ่อมบำรุง)", f"the vehicle is in {vehicle.status}")
    if TripState(item.state) is not TripState.APPROVED:
        raise Conflict(
            f"คำขอนี้{STATE_TH[TripState(item.state)]}", f"the trip is {item.state}: assigned once approved"
        )
    request = _request(item)
    span = Span(request.departure, request.back)
    days = domain.dates_of([span])
    title = f"ไปราชการ {request.place} {province(request.province)} ({item.requester_name})"
    trip_id_ = store.trip_id_of(item)
    bookings = {command.vehicle_id: keys.new_id(), command.driver_id: keys.new_id()}

    def change_for(resource_id: str) -> Callable[[service.Plans], service.Plans]:
        entry = Entry(
            bookings[resource_id],
            span.start,
            span.end,
            BookingState.CONFIRMED,
            None,
            title,
            item.requester,
            principal.agency_id,
        )

        def change(plans: service.Plans) -> service.Plans:
            domain.refuse_clashes(
                domain.clashes([span], plans, now), principal.agency_id, principal.agency_id
            )
            for day in span.dates():
                plans.setdefault(day, []).append(entry)
            return plans

        return change

    def parts(tx: ddb.Transaction) -> None:
        for resource_id, booking_id in bookings.items():
            tx.put(
                f"booking-{resource_id}",
                store.new_booking(
                    principal.agency_id,
                    resource_id,
                    booking_id,
                    title=title,
                    booker=item.requester,
                    booker_name=item.requester_name,
                    state=BookingState.CONFIRMED.value,
                    spans=[[span.start.isoformat(), span.end.isoformat()]],
                    note=f"trip/{trip_id_}",
                    created_at=now,
                    updated_at=now,
                ),
                condition=store.BookingItem.pk.does_not_exist(),
            )
        tx.update(
            "trip",
            item,
            [
                store.TripItem.state.set(TripState.ASSIGNED.value),
                store.TripItem.vehicle.set(command.vehicle_id),
                store.TripItem.driver.set(command.driver_id),
                store.TripItem.vehicle_booking.set(bookings[command.vehicle_id]),
                store.TripItem.driver_booking.set(bookings[command.driver_id]),
                store.TripItem.updated_at.set(now),
            ],
            condition=store.TripItem.state == TripState.APPROVED.value,
        )
        driver_user = (driver.details or {}).get("user_id")
        notifications.to_users(
            tx,
            principal.agency_id,
            [item.requester, *([driver_user] if driver_user else [])],
            at=now,
            document_id=f"trip/{trip_id_}",
            text=f"จัดรถแล้ว: {vehicle.name} พนักงานขับรถ {driver.name} ({span.label()})",
        )
        audit.add_to(
            tx,
            AuditEvent(
                principal.agency_id,
                principal.user_id,
                "trip.assigned",
                f"trip/{trip_id_}",
                now,
                after={"vehicle": command.vehicle_id, "driver": command.driver_id},
            ),
        )

    service.commit_plans(  # the vehicle and the driver, both or neither
        principal.agency_id,
        [
            (command.vehicle_id, days, change_for(command.vehicle_id)),
            (command.driver_id, days, change_for(command.driver_id)),
        ],
        parts,
        now=now,
    )
    return get(principal, trip_id)


def log(
    principal: Principal, trip_id: str, command: models.TripLogCommand, *, now: datetime
) -> models.TripView:
    """แบบ 4: the trip as driven. The vehicle's odometer is moved on only from a reading not above the
    one going out (a conditional write): it never runs backwards, whatever order the logs come in."""
    item = _trip(principal, trip_id)
    if TripState(item.state) is not TripState.ASSIGNED or item.vehicle is None:
        raise Conflict("บันทึกการใช้รถได้เมื่อจัดรถแล้ว", "a trip is logged once a vehicle is assigned")
    vehicle = store.resource(principal.agency_id, item.vehicle)
    driver = store.resource(principal.agency_id, item.driver or "")
    driver_user = (driver.details or {}).get("user_id") if driver else None
    officer = vehicle is not None and (principal.user_id in vehicle.officers or principal.has(Role.ADMIN))
    if not officer and principal.user_id != driver_user:
        raise Forbidden(
            "บันทึกได้เฉพาะพนักงานขับรถหรือเจ้าหน้าที่ผู้ดูแลรถ", "the driver or the vehicle's officer logs a trip"
        )
    assert vehicle is not None
    last = int(vehicle.odometer) if vehicle.odometer is not None else None
    if last is not None and command.odometer_out < last:
        raise Conflict(
            f"เลขไมล์ก่อนออก ({command.odometer_out:,}) น้อยกว่าเลขไมล์ล่าสุดของรถ ({last:,})",
            f"odometer_out {command.odometer_out} is below the vehicle's last reading {last}",
        )
    request = _request(item)
    local = command.left_at.astimezone(BANGKOK)
    tx = ddb.Transaction()
    tx.update(
        "vehicle",
        vehicle,
        [store.ResourceItem.odometer.set(command.odometer_in)],
        condition=store.ResourceItem.odometer.does_not_exist()
        | (store.ResourceItem.odometer <= command.odometer_out),
    )
    tx.update(
        "trip",
        item,
        [
            store.TripItem.state.set(TripState.COMPLETED.value),
            store.TripItem.log.set(command.model_dump(mode="json")),
            store.TripItem.updated_at.set(now),
        ],
        condition=store.TripItem.state == TripState.ASSIGNED.value,
    )
    tx.put(
        "log",
        store.new_trip_log(
            principal.agency_id,
            item.vehicle,
            f"{local:%Y-%m}",
            store.trip_id_of(item),
            day=local.date().isoformat(),
            requester_name=item.requester_name,
            place=f"{request.place} {province(request.province)}",
            odometer_out=command.odometer_out,
            odometer_in=command.odometer_in,
            fuel_litres=command.fuel_litres,
        ),
    )
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "trip.logged",
            f"trip/{store.trip_id_of(item)}",
            now,
            after={
                "odometer_out": command.odometer_out,
                "odometer_in": command.odometer_in,
                "fuel": command.fuel_litres,
            },
        ),
    )
    try:
        tx.commit()
    except ddb.Cancelled as cancelled:
        if cancelled.failed("vehicle"):
            raise Conflict(
                "เลขไมล์ของรถถูกบันทึกสูงกว่านี้ไปแล้ว", "the vehicle's odometer moved past this reading"
            ) from cancelled
        raise Conflict("คำขอนี้บันทึกการใช้รถแล้ว", "the trip is already logged") from cancelled
    return get(principal, trip_id)


def report(principal: Principal, vehicle_id: str, query: models.ReportQuery) -> models.TripReport:
    vehicle = store.resource(principal.agency_id, vehicle_id)
    if vehicle is None or vehicle.kind != "vehicle":
        raise NotFound("ไม่พบรถที่ระบุ", f"no vehicle {vehicle_id}")
    logged = sorted(
        store.trip_logs(principal.agency_id, vehicle_id, query.month), key=lambda t: (t.day, t.odometer_out)
    )
    views = [
        models.TripReportLine(
            trip_id=t.trip,
            day=datetime.fromisoformat(t.day).date(),
            requester_name=t.requester_name,
            place=t.place,
            odometer_out=int(t.odometer_out),
            odometer_in=int(t.odometer_in),
            distance_km=int(t.odometer_in) - int(t.odometer_out),
            fuel_litres=float(t.fuel_litres),
        )
        for t in logged
    ]
    return models.TripReport(
        vehicle_id=vehicle_id,
        vehicle=vehicle.name,
        month=query.month,
        trips=len(views),
        distance_km=sum(v.distance_km for v in views),
        fuel_litres=round(sum(v.fuel_litres for v in views), 2),
        lines=views,
    )


def form_pdf(principal: Principal, trip_id: str) -> bytes:
    """แบบ 3 as a printable PDF, with Thai shaped and broken at words (the register's renderer)."""
    from chalicelib.directory import service as directory
    from chalicelib.pdf.register_book import Column, render_register_book

    view = get(principal, trip_id)
    asked = _trip(principal, trip_id).created_at
    profile = directory.agency_profile(principal.agency_id)

    def when(moment: datetime) -> str:
        return f"{thai_date(moment.astimezone(BANGKOK))} เวลา {thai_time(moment.astimezone(BANGKOK))}"

    rows = [
        ["วันที่ขอ", thai_date(asked.astimezone(BANGKOK))],
        ["เรียน", view.to_position],
        ["ข้าพเจ้า", f"{view.requester_name} ตำแหน่ง {view.requester_position}".strip()],
        ["ขออนุญาตใช้รถไปที่", f"{view.place} จังหวัด{view.province}"],
        ["เพื่อ", view.purpose],
        [
            "มีคนนั่ง",
            f"{len(view.passengers) + 1} คน"
            + (f" ({', '.join(view.passengers)})" if view.passengers else ""),
        ],
        ["ออกเดินทาง", when(view.departure)],
        ["กลับ", when(view.back)],
        ["ความเห็นผู้บังคับบัญชา", view.opinion or "-"],
        [
            "คำสั่ง",
            {
                "approved": "อนุมัติ",
                "assigned": "อนุมัติ",
                "completed": "อนุมัติ",
                "declined": f"ไม่อนุมัติ ({view.reason})",
            }.get(view.state, "รอพิจารณา"),
        ],
        ["รถหมายเลขทะเบียน", view.vehicle or "-"],
        ["พนักงานขับรถ", view.driver or "-"],
    ]
    return render_register_book(
        "แบบ 3 ใบขออนุญาตใช้รถส่วนกลาง",
        profile.name if profile else principal.agency_id,
        (Column("รายการ", 70), Column("รายละเอียด", 207)),
        rows,
        generated_at=datetime.now(BANGKOK),
        thai_numerals=bool(profile and profile.thai_numerals),
    )
