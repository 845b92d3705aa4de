"""The one clock: every use case takes `now` from here (tests freeze it with freezegun)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
