"""The asset register for the demo (`eoffice dev`, not the tests' quiet stacks): mdes-ops' settings (the
number format, a few classes with their useful lives, ops.staff2 as supply officer, the holidays), a
handful of assets registered by the supply officer (one sent for repair, one moved to another unit),
and the last fiscal year's stock-take with ops.staff1 appointed by the head and one asset checked. Made
over HTTP as the demo users, through the same API a browser uses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import requests

log = logging.getLogger(__name__)
AGENCY = "mdes-ops"
CLASSES: tuple[dict[str, Any], ...] = (
    {"code": "7440-001", "name": "ครุภัณฑ์คอมพิวเตอร์", "life_years": 5},
    {"code": "7110-006", "name": "ครุภัณฑ์สำนักงาน", "life_years": 8},
    {"code": "5820-002", "name": "ครุภัณฑ์โฆษณาและเผยแพร่", "life_years": 5},
    {"code": "2310-001", "name": "ครุภัณฑ์ยานพาหนะและขนส่ง", "life_years": 8},
)
ASSETS = (  # (class, description, acquired on, price, funding, unit, location)
    (
        "7440-001",
        "เครื่องคอมพิวเตอร์โน้ตบุ๊ก สำหรับงานประมวลผล",
        "2025-03-15",
        "36500.00",
        "เงินงบประมาณ",
        "policy",
        "ห้อง 401",
    ),
    ("7440-001", "เครื่องพิมพ์เลเซอร์ ขาวดำ", "2024-11-20", "12900.00", "เงินงบประมาณ", "office", "ห้องธุรการ"),
    ("7110-006", "โต๊ะทำงานพร้อมลิ้นชัก", "2023-06-01", "4500.00", "เงินงบประมาณ", "policy", "ห้อง 401"),
    ("7110-006", "เก้าอี้สำนักงาน", "2023-06-01", "2900.00", "เงินงบประมาณ", "policy", "ห้อง 401"),
    (
        "5820-002",
        "เครื่องฉายภาพโปรเจคเตอร์",
        "2025-10-10",
        "28000.00",
        "เงินนอกงบประมาณ",
        "office",
        "ห้องประชุม ชั้น 5",
    ),
    ("2310-001", "รถยนต์ส่วนกลาง ขนาด 1 ตัน", "2022-01-12", "850000.00", "เงินงบประมาณ", "office", "ลานจอดรถ"),
)
HOLIDAYS = ("2026-10-13", "2026-10-23", "2026-12-07", "2026-12-10", "2026-12-31")


def _fiscal_year(day: date) -> int:
    return day.year + 543 + (1 if day.month >= 10 else 0)


def seed(state: Any, token: Callable[[str], str]) -> int:
    """`token(username)` gives a demo user's ID token. How many assets were registered."""
    api = f"{state.api_url}/v1"

    def headers(username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(username)}"}

    def user(username: str) -> str:
        return str(state.users[username]["sub"])

    admin = headers("ops.admin")
    if requests.get(f"{api}/assets/settings", headers=admin, timeout=30).status_code == 409:
        requests.put(
            f"{api}/assets/settings",
            headers=admin,
            json={
                "number_format": "{class_code}-{fiscal_year}-{seq:04d}",
                "classes": list(CLASSES),
                "supply_officers": [user("ops.staff2")],
                "holidays": list(HOLIDAYS),
                "residual_baht": "1",
            },
            timeout=30,
        ).raise_for_status()
    officer = headers("ops.staff2")
    held = requests.get(f"{api}/assets", headers=officer, timeout=30)
    held.raise_for_status()
    if held.json()["items"]:
        log.info("the demo assets are there already")
        return 0
    made: list[str] = []
    for class_code, description, acquired, price, funding, unit, location in ASSETS:
        answer = requests.post(
            f"{api}/assets",
            headers=officer,
            json={
                "class_code": class_code,
                "description": description,
                "acquired_on": acquired,
                "price": price,
                "funding": funding,
                "unit_id": unit,
                "location": location,
                "custodian": user("ops.staff1") if unit == "policy" else user("ops.saraban"),
            },
            timeout=30,
        )
        answer.raise_for_status()
        made.append(str(answer.json()["id"]))
    requests.post(
        f"{api}/assets/{made[1]}/status",
        headers=officer,
        json={"status": "repair", "note": "หมึกพิมพ์รั่ว ส่งซ่อมตามใบแจ้งซ่อม 12/2569"},
        timeout=30,
    ).raise_for_status()
    requests.post(
        f"{api}/assets/{made[0]}/transfer",
        headers=officer,
        json={
            "unit_id": "office",
            "custodian": user("ops.head"),
            "location": "ห้องผู้อำนวยการ",
            "note": "โอนตามบันทึกขอโอน",
        },
        timeout=30,
    ).raise_for_status()
    year = _fiscal_year(date.today()) - 1  # the year just ended is the one checked from October
    head = headers("ops.head")
    if requests.get(f"{api}/stocktakes/{year}", headers=head, timeout=30).status_code == 404:
        requests.post(
            f"{api}/stocktakes",
            headers=head,
            json={"fiscal_year": year, "checkers": [user("ops.staff1")]},
            timeout=30,
        ).raise_for_status()
        requests.post(
            f"{api}/stocktakes/{year}/scans",
            headers=headers("ops.staff1"),
            json={"code": f"eoffice:asset:{made[2]}", "result": "found"},
            timeout=30,
        ).raise_for_status()
    return len(made)
