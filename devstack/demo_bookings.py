"""Rooms, vehicles and bookings for the demo (`eoffice dev`, not the tests' quiet stacks): each agency gets
a meeting room that needs its section head's approval, a small room booked at once, an official van with
its driver; the week view then shows a pending and a confirmed booking, and a trip request (แบบ 3) waits
for the head's opinion. Made over HTTP as the demo users, through the same API a browser uses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from devstack import demo

log = logging.getLogger(__name__)
BANGKOK = ZoneInfo("Asia/Bangkok")
AGENCIES = (  # (agency, its user prefix, the province its trip goes to)
    ("mdes-ops", "ops", "นนทบุรี"),
    ("mdes-dept", "dept", "ปทุมธานี"),
)


def _at(day: datetime, clock: str) -> str:
    hours, minutes = (int(part) for part in clock.split(":"))
    return day.replace(hour=hours, minute=minutes, second=0, microsecond=0).isoformat()


def seed(state: Any, token: Callable[[str], str]) -> int:
    """`token(username)` gives a demo user's ID token. How many resources, bookings and trips were made."""
    made = 0
    tomorrow = datetime.now(BANGKOK) + timedelta(days=1)
    later = tomorrow + timedelta(days=1)
    for agency, prefix, province in AGENCIES:
        admin = {"Authorization": f"Bearer {token(f'{prefix}.admin')}"}
        url = f"{state.api_url}/v1/resources"
        listed = requests.get(url, headers=admin, timeout=30)
        listed.raise_for_status()
        if listed.json()["items"]:
            log.info("%s already has rooms and vehicles: no demo bookings made", agency)
            continue
        head = str(state.users[f"{prefix}.head"]["sub"])
        officer = str(state.users[f"{prefix}.admin"]["sub"])
        resources: dict[str, str] = {}
        bodies: list[tuple[str, dict[str, Any]]] = [
            (
                "big",
                {
                    "kind": "room",
                    "name": "ห้องประชุมใหญ่ ชั้น 9",
                    "capacity": 40,
                    "building": "อาคารศูนย์ราชการ",
                    "floor": "9",
                    "equipment": ["โปรเจกเตอร์", "ไมโครโฟน", "ระบบประชุมทางไกล"],
                    "approvers": [head],
                    "officers": [officer],
                    "rules": {"approval": True},
                },
            ),
            (
                "small",
                {
                    "kind": "room",
                    "name": "ห้องประชุมเล็ก 902",
                    "capacity": 8,
                    "building": "อาคารศูนย์ราชการ",
                    "floor": "9",
                    "equipment": ["จอโทรทัศน์"],
                    "officers": [officer],
                },
            ),
            (
                "van",
                {
                    "kind": "vehicle",
                    "name": "รถตู้ส่วนกลาง",
                    "capacity": 10,
                    "plate": "ฮข 4521 กรุงเทพมหานคร",
                    "vehicle_type": "รถตู้",
                    "officers": [officer],
                    "rules": {"max_minutes": 7 * 24 * 60},
                },
            ),
            ("driver", {"kind": "driver", "name": "นายสมหมาย ขับปลอดภัย", "officers": [officer]}),
        ]
        for key, body in bodies:
            answer = requests.post(url, headers=admin, json=body, timeout=30)
            answer.raise_for_status()
            resources[key] = str(answer.json()["id"])
            made += 1
        staff = {"Authorization": f"Bearer {token(f'{prefix}.staff1')}"}
        for key, day, start, end, title, attendees in (
            ("big", tomorrow, "09:00", "12:00", "ประชุมคณะทำงานพัฒนาระบบสารบรรณอิเล็กทรอนิกส์", 25),
            ("small", later, "13:30", "15:00", "หารือแนวทางจัดทำแผนปฏิบัติการประจำปี", 6),
        ):
            booked = requests.post(
                f"{url}/{resources[key]}/bookings",
                headers=staff,
                json={"start": _at(day, start), "end": _at(day, end), "title": title, "attendees": attendees},
                timeout=30,
            )
            booked.raise_for_status()
            made += 1
        trip_day = tomorrow + timedelta(days=6)
        director = next(
            u.position for a in demo.AGENCIES if a.id == agency for u in a.users if "director" in u.roles
        )
        trip = requests.post(
            f"{state.api_url}/v1/trips",
            headers={"Authorization": f"Bearer {token(f'{prefix}.staff2')}"},
            json={
                "to_position": director,
                "place": f"ศาลากลางจังหวัด{province}",
                "province": province,
                "purpose": "ประชุมชี้แจงการใช้ระบบสารบรรณอิเล็กทรอนิกส์กับหน่วยงานในจังหวัด",
                "passengers": ["สมชาย รักงาน"],
                "departure": _at(trip_day, "08:30"),
                "back": _at(trip_day, "16:30"),
            },
            timeout=30,
        )
        trip.raise_for_status()
        made += 1
    return made
