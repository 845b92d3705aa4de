"""A signer is warned ahead of time that their certificate ends (GET /v1/me), within the agency's
warning period; a key still waiting for its certificate says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from chalicelib import meta
from chalicelib.directory.service import Signer


def signer_with(not_after: datetime | None) -> Signer:
    key: dict[str, Any] = {"kms_key_id": "k"}
    if not_after is not None:
        key["not_after"] = not_after.isoformat()
    return Signer("u1", "นายทดสอบ", "ผู้อำนวยการ", True, key)


@pytest.mark.parametrize(("days_left", "soon"), [(10, True), (59, True), (61, False), (400, False)])
def test_the_warning_comes_within_the_agencys_period(
    monkeypatch: pytest.MonkeyPatch, days_left: int, soon: bool
) -> None:
    ends = datetime.now(UTC) + timedelta(days=days_left)
    monkeypatch.setattr(meta.directory, "signer", lambda agency, user: signer_with(ends))
    profile = SimpleNamespace(settings={"signing": {"expiry_warning_days": 60}})
    found = meta._certificate("agency-x", "u1", profile)
    assert found is not None and found.expires_soon is soon
    assert (found.warning_th is not None) is soon
    if soon:
        assert "หมดอายุ" in (found.warning_th or "") and str(ends.year + 543) in (found.warning_th or "")


def test_a_key_without_a_certificate_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meta.directory, "signer", lambda agency, user: signer_with(None))
    found = meta._certificate("agency-x", "u1", None)
    assert found is not None and found.not_after is None and found.warning_th == "กุญแจลงนามยังไม่มีใบรับรอง"
