"""A few letters for the demo (`eoffice dev`, not the tests' quiet stacks): each agency's director finds a
memo waiting in the inbox, routed to them for review and signature, so the web application's first
screen shows the work it is for. Made over HTTP as the demo users, through the same API a browser uses."""

from __future__ import annotations

import logging
import time
from typing import Any

import requests

from devstack import demo

log = logging.getLogger(__name__)
MEMOS = (  # (agency, author, owning unit, the director's position, subject, urgency)
    (
        "mdes-ops",
        "ops.staff1",
        "policy",
        "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        "ขออนุมัติจัดประชุมเชิงปฏิบัติการระบบสารบรรณอิเล็กทรอนิกส์",
        "most_urgent",
    ),
    (
        "mdes-dept",
        "dept.staff1",
        "services",
        "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ",
        "ขอความเห็นชอบแผนการพัฒนาบริการดิจิทัล ประจำปีงบประมาณ พ.ศ. 2570",
        "urgent",
    ),
)


def seed(state: Any, token: Any) -> int:
    """`token(username)` gives a demo user's ID token. How many memos were routed."""
    routed = 0
    for agency, author, unit, position, subject, urgency in MEMOS:
        director = next(u for a in demo.AGENCIES if a.id == agency for u in a.users if "director" in u.roles)
        headers = {"Authorization": f"Bearer {token(author)}"}
        made = requests.post(
            f"{state.api_url}/v1/documents",
            headers=headers,
            json={
                "kind": "internal",
                "subject": subject,
                "recipient": {"position": position},
                "urgency": urgency,
                "owner_unit_id": unit,
                "signers": [state.users[director.username]["sub"]],
                "body": f"ด้วย{subject}\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            },
            timeout=30,
        )
        made.raise_for_status()
        document_id = made.json()["id"]
        url = f"{state.api_url}/v1/documents/{document_id}"
        requests.post(f"{url}/render", headers=headers, timeout=60).raise_for_status()
        deadline = time.monotonic() + 60
        while not any(
            f["status"] == "ready" for f in requests.get(url, headers=headers, timeout=30).json()["files"]
        ):
            if time.monotonic() > deadline:
                raise TimeoutError("the demo memo's rendering was not checked in time")
            time.sleep(0.3)
        plan: dict[str, Any] = {
            "reviews": [{"kind": "review", "assignee": {"position": position}}],
            "signers": [{"position": position}],
        }
        requests.post(f"{url}/route", headers=headers, json={"plan": plan}, timeout=30).raise_for_status()
        forwarded = requests.post(
            f"{url}/route/actions", headers=headers, json={"action": "forward"}, timeout=30
        )
        forwarded.raise_for_status()
        routed += 1
    return routed
