"""The agency as the rules see it: its profile and unit tree, and delegations of authority.

A delegation (ปฏิบัติราชการแทน / รักษาราชการแทน) is recorded by the agency admin from the written
order; only the holder of a position can delegate it, and a delegate cannot pass it on
(docs/rules.md, "Signing authority and delegation").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.kernel.errors import Conflict, UnknownReference

DELEGATION_KINDS = {"acting": "รักษาราชการแทน", "on_behalf": "ปฏิบัติราชการแทน"}


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    code: str
    parent: str | None
    contact_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencyProfile:
    agency_id: str
    name: str
    name_en: str
    ministry_code: str
    settings: dict[str, Any]
    units: dict[str, Unit] = field(default_factory=dict)

    @property
    def thai_numerals(self) -> bool:
        return bool(self.settings.get("thai_numerals", False))

    def unit(self, unit_id: str | None) -> Unit | None:
        return self.units.get(unit_id) if unit_id else None

    def require_unit(self, unit_id: str) -> Unit:
        unit = self.units.get(unit_id)
        if unit is None:
            raise UnknownReference("ไม่พบส่วนราชการ", f"the agency has no unit {unit_id!r}", unit_id=unit_id)
        return unit


@dataclass(frozen=True)
class Holder:
    """The user a delegation comes from, as the directory knows them."""

    user_id: str
    position: str


def checked_delegation(
    *,
    delegate_id: str,
    kind: str,
    holder: Holder | None,
    order_reference: str,
    until: datetime | None,
    now: datetime,
) -> dict[str, Any]:
    """One delegation as it is stored, or the rule it breaks."""
    if holder is None or holder.user_id == delegate_id or not holder.position:
        raise UnknownReference(
            "ไม่พบผู้มอบอำนาจหรือตำแหน่งของผู้มอบ", "from_user must be another user of the agency, with a position"
        )
    if until is not None and until <= now:
        # Well formed, but the order has already ended: it conflicts with the present, not the schema.
        raise Conflict(
            "วันสิ้นสุดของการมอบอำนาจผ่านไปแล้ว", "until has passed: the delegation would never be active"
        )
    # The position delegated is the holder's own: a delegation cannot be passed on.
    return {
        "kind": kind,
        "kind_th": DELEGATION_KINDS[kind],
        "position": holder.position,
        "from_user": holder.user_id,
        "until": until.isoformat() if until else None,
        "order_reference": order_reference,
    }


MAX_EMBLEM_BYTES = 2 * 1024 * 1024
EMBLEM_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


def letterhead_contact(settings: dict[str, Any]) -> tuple[str, ...]:
    """The agency's contact lines under a letter (โทร. โทรสาร ไปรษณีย์อิเล็กทรอนิกส์), from its settings."""
    head = settings.get("letterhead") or {}
    lines = []
    if head.get("telephone"):
        lines.append(f"โทร. {head['telephone']}")
    if head.get("fax"):
        lines.append(f"โทรสาร {head['fax']}")
    if head.get("email"):
        lines.append(f"ไปรษณีย์อิเล็กทรอนิกส์ {head['email']}")
    return tuple(lines)
