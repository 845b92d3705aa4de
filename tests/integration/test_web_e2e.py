"""The web application end to end on the local stack: the built SPA served beside the API, driven by
Playwright in Debian's Chromium (web/e2e/*.spec.ts), axe-core on every screen, screenshots kept in
web/test-results/screens to look at. The letter the director opens is routed here first, over HTTP."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from devstack.stack import ROOT, read_state
from tests.integration.conftest import Stack
from tests.integration.test_routing_api import act, until

pytestmark = pytest.mark.integration

WEB = Path(ROOT) / "web"
AUTHOR = ("mdes-ops", "ops.staff1")
DIRECTOR_POSITION = "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"


def _memo_for_the_director(stack: Stack) -> str:
    made = stack.call(
        "POST",
        "/v1/documents",
        AUTHOR,
        json={
            "kind": "internal",
            "subject": "ขออนุมัติจัดประชุมเชิงปฏิบัติการระบบสารบรรณอิเล็กทรอนิกส์",
            "recipient": {"position": DIRECTOR_POSITION},
            "urgency": "most_urgent",
            "body": "ด้วยกองยุทธศาสตร์และแผนงานจะจัดประชุมเชิงปฏิบัติการ\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            "owner_unit_id": "policy",
            "signers": [read_state(stack.port).users["ops.director"]["sub"]],
        },
    )
    assert made.status_code == 201, made.text
    document_id = str(made.json()["id"])
    # Rendered by the API (the letters toolkit), then checked on arrival like any upload.
    assert stack.call("POST", f"/v1/documents/{document_id}/render", AUTHOR).status_code == 201
    until(
        lambda: (
            stack.call("GET", f"/v1/documents/{document_id}", AUTHOR).json()["files"][0]["status"] == "ready"
        )
    )
    plan = {
        "reviews": [{"kind": "review", "assignee": {"position": DIRECTOR_POSITION}}],
        "signers": [{"position": DIRECTOR_POSITION}],
    }
    started = stack.call("POST", f"/v1/documents/{document_id}/route", AUTHOR, json={"plan": plan})
    assert started.status_code == 201, started.text
    act(stack, AUTHOR, document_id, "forward")
    return document_id


def test_the_web_application_in_a_real_browser(stack: Stack) -> None:
    _memo_for_the_director(stack)
    assert (WEB / "dist" / "index.html").is_file(), "web/dist is built by scripts/bootstrap.sh"
    ran = subprocess.run(
        ["npx", "playwright", "test"],
        cwd=WEB,
        env={
            **os.environ,
            "E2E_BASE_URL": stack.url,
            "E2E_SCREENSHOTS": str(WEB / "test-results" / "screens"),
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, (ran.stdout + ran.stderr)[-6000:]
