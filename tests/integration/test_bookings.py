"""Booking on the local stack over HTTP: 32 concurrent overlapping requests for one room, exactly one
confirmed and the rest refused with the winner named; a weekly series over a year refused with its
three clashes listed, then booked once they are gone; another agency sees nothing of the room."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

ADMIN = ("mdes-ops", "ops.admin")
STAFF = [("mdes-ops", u) for u in ("ops.staff1", "ops.staff2", "ops.head", "ops.saraban")]
OTHER = ("mdes-dept", "dept.admin")
BANGKOK = "+07:00"


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).isoformat() + BANGKOK


def room(stack: Stack, name: str, **rules: Any) -> str:
    made = stack.call(
        "POST",
        "/v1/resources",
        ADMIN,
        json={
            "kind": "room",
            "name": name,
            "capacity": 20,
            "equipment": ["จอภาพ", "ไมโครโฟน"],
            "rules": rules,
        },
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def next_weekday(weekday: int, weeks_ahead: int = 2) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def test_of_32_concurrent_overlapping_requests_exactly_one_wins(stack: Stack) -> None:
    resource = room(stack, "ห้องประชุม 1 (ทดสอบพร้อมกัน)")
    day = next_weekday(2)
    for user in STAFF:
        stack.token(*user)  # tokens first: the race is the bookings', not the sign-ins'

    def request(i: int) -> Any:
        start = at(day, 9, (i % 4) * 10)  # 09:00 to 09:30 starts, all overlapping 09:30-10:00
        return stack.call(
            "POST",
            f"/v1/resources/{resource}/bookings",
            STAFF[i % len(STAFF)],
            json={"start": start, "end": at(day, 10, 30), "title": f"ประชุมเรื่องที่ {i:02d}"},
        )

    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(request, range(32)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) == 1 and statuses.count(409) == 31, statuses
    winner = next(a.json() for a in answers if a.status_code == 201)
    assert winner["state"] == "confirmed"
    for refused in (a.json() for a in answers if a.status_code == 409):
        assert winner["title"] in refused["detail_th"] and refused["clashes"][0]["booking"] == winner["id"]
    free = stack.call(
        "GET", f"/v1/resources/{resource}/availability", ADMIN, params={"first_day": day.isoformat()}
    ).json()
    [busy] = free["days"][0]["busy"]
    assert busy["booking"] == winner["id"]
    assert free["days"][0]["free"][0]["end"][11:16] == winner["occurrences"][0]["start"][11:16]


def test_a_weekly_series_over_a_year_is_refused_with_its_three_clashes_then_booked(stack: Stack) -> None:
    resource = room(stack, "ห้องประชุม 2 (ทดสอบจองซ้ำ)")
    first = next_weekday(0)  # a Monday
    clashing = [first + timedelta(weeks=w) for w in (3, 20, 45)]
    singles = []
    for day in clashing:
        made = stack.call(
            "POST",
            f"/v1/resources/{resource}/bookings",
            STAFF[0],
            json={"start": at(day, 10), "end": at(day, 11), "title": "อบรมภายในกอง"},
        )
        assert made.status_code == 201, made.text
        singles.append(made.json()["id"])
    series = {
        "start": at(first, 9, 30),
        "end": at(first, 10, 30),
        "title": "ประชุมผู้บริหารประจำสัปดาห์",
        "recurrence": {
            "freq": "weekly",
            "by_weekday": ["MO"],
            "until": (first + timedelta(days=364)).isoformat(),
        },
    }
    refused = stack.call("POST", f"/v1/resources/{resource}/bookings", STAFF[2], json=series)
    assert refused.status_code == 409, refused.text
    assert sorted(c["start"][:10] for c in refused.json()["clashes"]) == [d.isoformat() for d in clashing]
    assert "อบรมภายในกอง" in refused.json()["detail_th"]
    for booking in singles:  # the booker cancels the three
        gone = stack.call("POST", f"/v1/resources/{resource}/bookings/{booking}/cancel", STAFF[0], json={})
        assert gone.status_code == 200 and gone.json()["state"] == "cancelled", gone.text
    booked = stack.call("POST", f"/v1/resources/{resource}/bookings", STAFF[2], json=series)
    assert booked.status_code == 201, booked.text
    occurrences = booked.json()["occurrences"]
    assert len(occurrences) == 53 and all(o["start"].endswith("09:30:00+07:00") for o in occurrences)
    # One occurrence cancelled, then the rest of the series from week 40.
    series_id = booked.json()["id"]
    one = stack.call(
        "POST",
        f"/v1/resources/{resource}/bookings/{series_id}/cancel",
        STAFF[2],
        json={"scope": "one", "occurrence": occurrences[5]["start"]},
    )
    assert one.status_code == 200 and one.json()["state"] == "confirmed"
    rest = stack.call(
        "POST",
        f"/v1/resources/{resource}/bookings/{series_id}/cancel",
        STAFF[2],
        json={"scope": "rest", "occurrence": occurrences[40]["start"]},
    )
    cancelled = [o["cancelled"] for o in rest.json()["occurrences"]]
    assert cancelled.count(True) == 1 + 13 and cancelled[5] and all(cancelled[40:])
    freed = stack.call(
        "POST",
        f"/v1/resources/{resource}/bookings",
        STAFF[0],
        json={"start": occurrences[5]["start"], "end": occurrences[5]["end"], "title": "ใช้ห้องแทน"},
    )
    assert freed.status_code == 201, freed.text  # the cancelled occurrence's slot is free again


def test_another_agency_sees_nothing_of_a_room(stack: Stack) -> None:
    resource = room(stack, "ห้องประชุมผู้บริหาร (ทดสอบแยกหน่วยงาน)")
    theirs = stack.call("GET", "/v1/resources", OTHER).json()["items"]
    assert resource not in {r["id"] for r in theirs}
    day = next_weekday(3).isoformat()
    assert (
        stack.call(
            "GET", f"/v1/resources/{resource}/availability", OTHER, params={"first_day": day}
        ).status_code
        == 404
    )
    book = stack.call(
        "POST",
        f"/v1/resources/{resource}/bookings",
        OTHER,
        json={"start": at(next_weekday(3), 9), "end": at(next_weekday(3), 10), "title": "x"},
    )
    assert book.status_code == 404
    refused = stack.call("POST", "/v1/resources", STAFF[0], json={"kind": "room", "name": "ห้องของฉัน"})
    assert refused.status_code == 403 and refused.json()["detail_th"]  # only the agency admin adds rooms


def test_a_calendar_program_reads_a_room_through_its_secret_address(stack: Stack) -> None:
    import icalendar

    resource = room(stack, "ห้องประชุม 3 (ทดสอบปฏิทิน)")
    day = next_weekday(4)
    made = stack.call(
        "POST",
        f"/v1/resources/{resource}/bookings",
        STAFF[1],
        json={"start": at(day, 13), "end": at(day, 15), "title": "ประชุมติดตามงาน"},
    )
    assert made.status_code == 201, made.text
    issued = stack.call("POST", f"/v1/resources/{resource}/calendar-feed", ADMIN)
    assert issued.status_code == 201, issued.text
    assert stack.call("POST", f"/v1/resources/{resource}/calendar-feed", STAFF[1]).status_code == 403
    feed = stack.call("GET", issued.json()["path"])  # no sign-in: a calendar program has none
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["summary"]) == "ประชุมติดตามงาน" and event["dtstart"].params["TZID"] == "Asia/Bangkok"
    assert stack.call("DELETE", f"/v1/resources/{resource}/calendar-feed", ADMIN).status_code == 204
    assert stack.call("GET", issued.json()["path"]).status_code == 404


def test_a_trip_over_http_from_the_request_to_the_printed_form(stack: Stack) -> None:
    def add(kind: str, name: str, **fields: Any) -> str:
        made = stack.call("POST", "/v1/resources", ADMIN, json={"kind": kind, "name": name, **fields})
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    van = add("vehicle", "รถตู้ส่วนกลาง (ทดสอบ)", plate="ฮข 4321 กรุงเทพมหานคร", capacity=11)
    driver = add("driver", "นายประจักษ์ ขับปลอดภัย")
    day = next_weekday(1, weeks_ahead=3)
    asked = stack.call(
        "POST",
        "/v1/trips",
        STAFF[0],
        json={
            "to_position": "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
            "place": "ศาลากลางจังหวัด",
            "province": "ขอนแก่น",
            "purpose": "ติดตามโครงการศูนย์ราชการสะดวก",
            "passengers": ["นางสาวกาญจนา ศรีสุข"],
            "departure": at(day, 6),
            "back": at(day, 20),
        },
    )
    assert asked.status_code == 201, asked.text
    trip = asked.json()["id"]
    steps = [
        ("opinion", ("mdes-ops", "ops.head"), {"recommend": True}),
        ("decision", ("mdes-ops", "ops.director"), {"approve": True}),
        ("assignment", ADMIN, {"vehicle_id": van, "driver_id": driver}),
        (
            "log",
            ADMIN,
            {
                "odometer_out": 1200,
                "odometer_in": 2110,
                "fuel_litres": 70,
                "left_at": at(day, 6),
                "returned_at": at(day, 21),
            },
        ),
    ]
    for step, user, body in steps:
        answer = stack.call("POST", f"/v1/trips/{trip}/{step}", user, json=body)
        assert answer.status_code == 200, (step, answer.text)
    assert answer.json()["state"] == "completed" and answer.json()["distance_km"] == 910
    report = stack.call(
        "GET", f"/v1/resources/{van}/trip-report", ADMIN, params={"month": day.strftime("%Y-%m")}
    )
    assert report.json()["distance_km"] == 910 and report.json()["trips"] == 1
    form = stack.call("GET", f"/v1/trips/{trip}/form.pdf", STAFF[0], headers={"Accept": "application/pdf"})
    assert form.status_code == 200 and form.content.startswith(b"%PDF")
    outsider = stack.call("GET", f"/v1/trips/{trip}", OTHER)
    assert outsider.status_code == 404  # another agency: no such trip


def test_a_room_shared_with_another_agency_is_booked_by_it_without_seeing_the_owners_titles(
    stack: Stack,
) -> None:
    resource = room(stack, "ห้องประชุมใหญ่ชั้น 9 (ทดสอบใช้ร่วม)")
    day = next_weekday(2, weeks_ahead=4)
    theirs = ("mdes-dept", "dept.staff1")
    ours = stack.call(
        "POST",
        f"/v1/resources/{resource}/bookings",
        STAFF[0],
        json={"start": at(day, 9), "end": at(day, 10), "title": "ประชุมลับเฉพาะของสำนักงานปลัด"},
    )
    assert ours.status_code == 201
    assert (
        stack.call(
            "PUT", f"/v1/resources/{resource}/sharing", STAFF[0], json={"agencies": ["mdes-dept"]}
        ).status_code
        == 403
    )
    shared = stack.call("PUT", f"/v1/resources/{resource}/sharing", ADMIN, json={"agencies": ["mdes-dept"]})
    assert shared.status_code == 200 and shared.json()["shared_with"] == ["mdes-dept"]
    listed = {r["id"]: r for r in stack.call("GET", "/v1/resources", theirs).json()["items"]}
    assert listed[resource]["owner"] == "mdes-ops"
    seen = stack.call(
        "GET",
        f"/v1/resources/{resource}/availability",
        theirs,
        params={"first_day": day.isoformat(), "owner": "mdes-ops"},
    ).json()
    assert [b["title"] for b in seen["days"][0]["busy"]] == ["มีผู้จองแล้ว"]  # taken, and nothing more
    clash = stack.call(
        "POST",
        f"/v1/resources/{resource}/bookings",
        theirs,
        params={"owner": "mdes-ops"},
        json={"start": at(day, 9, 30), "end": at(day, 11), "title": "อบรมกรม"},
    )
    assert clash.status_code == 409 and "มีผู้จองแล้ว" in clash.json()["detail_th"]
    assert "ประชุมลับเฉพาะ" not in clash.json()["detail_th"]
    booked = stack.call(
        "POST",
        f"/v1/resources/{resource}/bookings",
        theirs,
        params={"owner": "mdes-ops"},
        json={"start": at(day, 13), "end": at(day, 15), "title": "อบรมกรม"},
    )
    assert booked.status_code == 201, booked.text
    owner_view = stack.call(
        "GET", f"/v1/resources/{resource}/availability", ADMIN, params={"first_day": day.isoformat()}
    ).json()
    assert {b["title"] for b in owner_view["days"][0]["busy"]} == {"ประชุมลับเฉพาะของสำนักงานปลัด", "อบรมกรม"}
    assert any(
        b["id"] == booked.json()["id"] for b in stack.call("GET", "/v1/me/bookings", theirs).json()["items"]
    )
    # Sharing stops: the room is gone for dept (its booking stays in the owner's plan).
    assert (
        stack.call("PUT", f"/v1/resources/{resource}/sharing", ADMIN, json={"agencies": []}).status_code
        == 200
    )
    gone = stack.call(
        "GET",
        f"/v1/resources/{resource}/availability",
        theirs,
        params={"first_day": day.isoformat(), "owner": "mdes-ops"},
    )
    assert gone.status_code == 404
    assert resource not in {r["id"] for r in stack.call("GET", "/v1/resources", theirs).json()["items"]}
