"""A trip (แบบ 3) requested, given the supervisor's opinion, approved, assigned a vehicle and a
driver, logged (แบบ 4) and reported; a driver is never booked twice; the odometer never runs back;
the approved request prints as the form."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from chalicelib.bookings import models, service, trips
from chalicelib.kernel.errors import Conflict, Forbidden
from chalicelib.kernel.principal import Principal, Role
from chalicelib.notifications import service as notifications
from chalicelib.saraban import Secrecy
from chalicelib.thai import BANGKOK

AGENCY = "trip-test"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
DAY = date(2026, 12, 10)


def person(user: str, *roles: Role, unit: str = "plan", position: str = "") -> Principal:
    return Principal(AGENCY, user, user, f"คุณ{user}", position, (unit,), frozenset(roles), Secrecy.NORMAL)


STAFF = person("staff", Role.STAFF, position="นักวิเคราะห์นโยบายและแผน")
HEAD = person("head", Role.HEAD, Role.STAFF)
DIRECTOR = person("director", Role.DIRECTOR, unit="office")
OFFICER = person("transport", Role.STAFF, unit="office")
ADMIN = person("admin", Role.ADMIN, unit="office")


@pytest.fixture(scope="module")
def fleet(aws: Any) -> dict[str, str]:
    from chalicelib.directory.store import onboard_records

    people = {
        p.user_id: {
            "username": p.user_id,
            "name": p.name,
            "units": list(p.units),
            "roles": [r.value for r in p.roles],
        }
        for p in (STAFF, HEAD, DIRECTOR, OFFICER, ADMIN)
    }
    people["driver1"] = {"username": "driver1", "name": "สมปอง ขับดี", "units": ["office"], "roles": ["staff"]}
    onboard_records(
        AGENCY,
        {"name": "กรมทดสอบยานพาหนะ", "ministry_code": "ทส", "settings": {}},
        {},
        people,
        actor="t",
        at=NOW,
    )

    def add(kind: str, name: str, **fields: Any) -> str:
        command = models.ResourceCommand.model_validate(
            {"kind": kind, "name": name, "officers": ["transport"], **fields}
        )
        return service.create_resource(ADMIN, command, now=NOW).id

    return {
        "van": add("vehicle", "รถตู้", plate="นข 1234 กรุงเทพมหานคร", vehicle_type="รถตู้", capacity=11),
        "car": add("vehicle", "รถเก๋ง", plate="กท 5678 กรุงเทพมหานคร", vehicle_type="รถเก๋ง", capacity=4),
        "driver": add("driver", "นายสมปอง ขับดี", user_id="driver1"),
    }


def ask(place: str, start: int, end: int, day: date = DAY) -> models.TripView:
    command = models.TripRequest.model_validate_json(
        models.TripRequest.model_construct(
            to_position="อธิบดี",
            place=place,
            province="นครราชสีมา",
            purpose="ประชุมติดตามโครงการจังหวัด",
            passengers=["นายสมชาย รักงาน", "นางสาวกาญจนา ศรีสุข"],
            departure=datetime.combine(day, time(start), BANGKOK),
            back=datetime.combine(day, time(end), BANGKOK),
        ).model_dump_json()
    )
    return trips.request(STAFF, command, now=NOW)


def approved(place: str, start: int, end: int, day: date = DAY) -> str:
    trip = ask(place, start, end, day)
    trips.opinion(HEAD, trip.id, models.Opinion(recommend=True), now=NOW)
    trips.decide(DIRECTOR, trip.id, models.TripDecision(approve=True), now=NOW)
    return trip.id


def test_a_trip_goes_from_request_to_report(fleet: dict[str, str]) -> None:
    trip = ask("ศาลากลางจังหวัด อ.เมือง", 7, 18)
    assert trip.state == "requested"
    assert any("ขอใช้รถ" in n.text for n in notifications.listing(HEAD).notifications)
    with pytest.raises(Forbidden):
        trips.opinion(OFFICER, trip.id, models.Opinion(recommend=True), now=NOW)  # not the requester's head
    with pytest.raises(Forbidden):
        trips.decide(HEAD, trip.id, models.TripDecision(approve=True), now=NOW)
    trips.opinion(HEAD, trip.id, models.Opinion(recommend=True, opinion="สมควรอนุญาต"), now=NOW)
    told = notifications.listing(DIRECTOR).notifications[0]  # newest first: names the trip, leads to it
    assert (told.text, told.document_id) == (
        "ขออนุมัติใช้รถไปศาลากลางจังหวัด อ.เมือง จ.นครราชสีมา: คุณstaff",
        f"trip/{trip.id}",
    )
    decided = trips.decide(DIRECTOR, trip.id, models.TripDecision(approve=True), now=NOW)
    assert decided.state == "approved"
    with pytest.raises(Forbidden):
        trips.assign(
            STAFF, trip.id, models.Assignment(vehicle_id=fleet["van"], driver_id=fleet["driver"]), now=NOW
        )
    assigned = trips.assign(
        OFFICER, trip.id, models.Assignment(vehicle_id=fleet["van"], driver_id=fleet["driver"]), now=NOW
    )
    assert assigned.state == "assigned" and assigned.vehicle == "รถตู้ นข 1234 กรุงเทพมหานคร"
    assert assigned.driver == "นายสมปอง ขับดี"
    driver = person("driver1", Role.STAFF, unit="office")
    assert any("จัดรถแล้ว" in n.text for n in notifications.listing(driver).notifications)
    log = models.TripLogCommand.model_validate_json(
        '{"odometer_out": 45210, "odometer_in": 45742, "fuel_litres": 42.5,'
        f' "left_at": "{DAY}T07:05:00+07:00", "returned_at": "{DAY}T18:20:00+07:00"}}'
    )
    done = trips.log(driver, trip.id, log, now=NOW)
    assert done.state == "completed" and done.distance_km == 532
    report = trips.report(OFFICER, fleet["van"], models.ReportQuery(month="2026-12"))
    assert (report.trips, report.distance_km, report.fuel_litres) == (1, 532, 42.5)
    assert report.lines[0].place == "ศาลากลางจังหวัด อ.เมือง จ.นครราชสีมา"


def test_a_driver_is_never_in_two_places_and_a_decline_needs_its_reason(fleet: dict[str, str]) -> None:
    other_day = date(2026, 12, 11)
    first = approved("อำเภอปากช่อง", 8, 12, other_day)
    second = approved("อำเภอสีคิ้ว", 10, 15, other_day)  # overlaps the first
    trips.assign(
        OFFICER, first, models.Assignment(vehicle_id=fleet["car"], driver_id=fleet["driver"]), now=NOW
    )
    with pytest.raises(Conflict) as clash:  # another vehicle, the same driver
        trips.assign(
            OFFICER, second, models.Assignment(vehicle_id=fleet["van"], driver_id=fleet["driver"]), now=NOW
        )
    assert "ไปราชการ อำเภอปากช่อง" in clash.value.message_th
    assert trips.get(STAFF, second).state == "approved"  # nothing half-written: the van was not booked either
    free = service.availability(OFFICER, fleet["van"], models.AvailabilityQuery(first_day=other_day), now=NOW)
    assert all("สีคิ้ว" not in b.title for b in free.days[0].busy)
    third = ask("อำเภอโชคชัย", 16, 17)
    trips.opinion(HEAD, third.id, models.Opinion(recommend=False), now=NOW)
    with pytest.raises(Conflict):
        trips.decide(DIRECTOR, third.id, models.TripDecision(approve=False), now=NOW)
    assert (
        trips.decide(
            DIRECTOR, third.id, models.TripDecision(approve=False, reason="ใช้รถโดยสารประจำทาง"), now=NOW
        ).state
        == "declined"
    )


def test_the_odometer_never_runs_back(fleet: dict[str, str]) -> None:
    trip = approved("อำเภอพิมาย", 19, 21, date(2026, 12, 12))
    trips.assign(
        OFFICER, trip, models.Assignment(vehicle_id=fleet["van"], driver_id=fleet["driver"]), now=NOW
    )
    back = models.TripLogCommand.model_validate_json(
        '{"odometer_out": 45000, "odometer_in": 45100,'
        ' "left_at": "2026-12-12T19:00:00+07:00", "returned_at": "2026-12-12T21:00:00+07:00"}'
    )
    with pytest.raises(Conflict) as refused:
        trips.log(OFFICER, trip, back, now=NOW)  # below the 45,742 logged before
    assert "45,742" in refused.value.message_th
    with pytest.raises(ValueError):
        models.TripLogCommand.model_validate_json(
            f'{{"odometer_out": 46000, "odometer_in": 45999, "left_at": "{DAY}T19:00:00+07:00",'
            f' "returned_at": "{DAY}T21:00:00+07:00"}}'
        )


def test_the_approved_request_prints_as_the_form(fleet: dict[str, str], tmp_path: Any) -> None:
    from pypdf import PdfReader

    trip = approved("ศูนย์ราชการจังหวัด", 6, 7, date(2026, 12, 13))
    pdf = trips.form_pdf(STAFF, trip)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in (
        "แบบ 3 ใบขออนุญาตใช้รถส่วนกลาง",
        "กรมทดสอบยานพาหนะ",
        "ศูนย์ราชการจังหวัด จังหวัดนครราชสีมา",
        "อนุมัติ",
        "สมควรอนุญาต",
        "3 คน",
    ):
        assert expected in text, expected
    (tmp_path / "trip-form.pdf").write_bytes(pdf)


def test_the_trip_names_its_driver_and_the_units_it_was_asked_from(fleet: dict[str, str]) -> None:
    trip = approved("อำเภอบัวใหญ่", 8, 17, date(2026, 12, 14))
    before = trips.get(STAFF, trip)
    assert (before.driver_user_id, before.requester_units) == (None, ["plan"])
    assigned = trips.assign(
        OFFICER, trip, models.Assignment(vehicle_id=fleet["car"], driver_id=fleet["driver"]), now=NOW
    )
    assert (assigned.driver_user_id, assigned.requester_units) == ("driver1", ["plan"])
    driver = person("driver1", Role.STAFF, unit="office")
    seen = {t.id: t for t in trips.listing(driver).items}  # the driver sees the trip they drive
    assert seen[trip].driver_user_id == "driver1"
    log = models.TripLogCommand.model_validate_json(
        '{"odometer_out": 1200, "odometer_in": 1390, "left_at": "2026-12-14T08:10:00+07:00",'
        ' "returned_at": "2026-12-14T16:40:00+07:00"}'
    )
    with pytest.raises(Forbidden):  # neither the driver nor the vehicle's officer
        trips.log(person("clerk", Role.STAFF, unit="office"), trip, log, now=NOW)
    with pytest.raises(Forbidden):  # the requester does not log their own trip
        trips.log(STAFF, trip, log, now=NOW)
    done = trips.log(driver, trip, log, now=NOW)
    assert (done.state, done.distance_km, done.driver_user_id) == ("completed", 190, "driver1")


def test_a_driver_resource_names_its_user_to_its_own_agency_only(fleet: dict[str, str]) -> None:
    from chalicelib.directory.store import onboard_records

    partner_id = "trip-partner"
    onboard_records(
        partner_id,
        {"name": "กรมคู่ความร่วมมือ", "ministry_code": "ทส", "settings": {}},
        {},
        {},
        actor="t",
        at=NOW,
    )
    lent = service.create_resource(
        ADMIN,
        models.ResourceCommand.model_validate(
            {"kind": "driver", "name": "นายสมศักดิ์ ยืมได้", "user_id": "driver1"}
        ),
        now=NOW,
    )
    assert lent.user_id == "driver1"
    odd = models.ResourceCommand.model_validate({"kind": "vehicle", "name": "รถกระบะ", "user_id": "driver1"})
    assert service.create_resource(ADMIN, odd, now=NOW).user_id is None  # only a driver has a user
    ours = {r.id: r for r in service.list_resources(STAFF).items}
    assert (ours[fleet["driver"]].user_id, ours[fleet["van"]].user_id) == ("driver1", None)
    service.share(ADMIN, lent.id, models.Sharing(agencies=[partner_id]), now=NOW)
    partner = Principal(partner_id, "p1", "p1", "คุณp1", "", ("hq",), frozenset({Role.STAFF}), Secrecy.NORMAL)
    theirs = {r.id: r for r in service.list_resources(partner).items}
    assert theirs[lent.id].kind == "driver" and theirs[lent.id].user_id is None


def test_bangkok_is_not_written_as_a_province() -> None:
    assert trips.province("นครราชสีมา") == "จ.นครราชสีมา"
    assert trips.province("จังหวัดเชียงใหม่") == "จ.เชียงใหม่"
    assert trips.province("กรุงเทพมหานคร") == "กรุงเทพมหานคร"
