"""Daily: disable the keys of people who may no longer sign; schedule the deletion of those due."""

from __future__ import annotations

from datetime import datetime

from chalicelib.signing_keys.service import retire_due


def run(*, now: datetime) -> dict[str, int]:
    return retire_due(now=now)
