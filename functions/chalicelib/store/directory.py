"""The agency directory: the agency's settings, its unit tree, its books and its users.

The agency profile (settings, units, books) changes rarely, so a warm function keeps it for a
minute; users are read on every request so that a revoked role takes effect at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain.access import Delegation, Principal, Role
from chalicelib.domain.documents import Secrecy
from chalicelib.domain.registers import STANDARD_BOOKS, BookDefinition, custom_book
from chalicelib.store import keys
from chalicelib.store.audit import AuditEvent
from chalicelib.store.models import AgencyItem, UnitItem, UserItem

PROFILE_TTL_SECONDS = 60.0


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    code: str
    parent: str | None


@dataclass(frozen=True)
class AgencyProfile:
    agency_id: str
    name: str
    name_en: str
    ministry_code: str
    settings: dict[str, Any]
    units: dict[str, Unit]
    books: dict[str, BookDefinition] = field(default_factory=dict)

    @property
    def thai_numerals(self) -> bool:
        return bool(self.settings.get("thai_numerals", False))


_profiles: dict[str, tuple[float, AgencyProfile]] = {}
_lock = threading.Lock()


def agency_profile(agency_id: str) -> AgencyProfile | None:
    now = time.monotonic()
    with _lock:
        cached = _profiles.get(agency_id)
    if cached and now - cached[0] < PROFILE_TTL_SECONDS:
        return cached[1]
    profile = _load_profile(agency_id)
    if profile is not None:
        with _lock:
            _profiles[agency_id] = (now, profile)
    return profile


def forget_profiles() -> None:
    with _lock:
        _profiles.clear()


def _load_profile(agency_id: str) -> AgencyProfile | None:
    # One query reads AGENCY and UNIT#...: sort keys below "USER#" (users are read one by one).
    pk = keys.agency_pk(agency_id)
    agency: AgencyItem | None = None
    units: dict[str, Unit] = {}
    connection = AgencyItem._get_connection()
    start: dict[str, Any] | None = None
    while True:
        page = connection.query(pk, range_key_condition=AgencyItem.sk < "USER#", exclusive_start_key=start)
        for raw in page.get("Items", []):
            sort_key = raw["sk"]["S"]
            if sort_key == "AGENCY":
                agency = AgencyItem.from_raw_data(raw)
            elif sort_key.startswith("UNIT#"):
                unit = UnitItem.from_raw_data(raw)
                unit_id = sort_key.removeprefix("UNIT#")
                units[unit_id] = Unit(unit_id, unit.name, unit.code, unit.parent)
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    if agency is None:
        return None
    books = dict(STANDARD_BOOKS)
    for spec in agency.settings.get("books", []):
        book = custom_book(
            spec["id"], spec["name_th"], spec["name_en"], spec["direction"], spec.get("ref_format")
        )
        books[book.id] = book
    return AgencyProfile(
        agency_id, agency.name, agency.name_en, agency.ministry_code, dict(agency.settings), units, books
    )


def principal_for(agency_id: str, user_id: str) -> Principal | None:
    """The directory's view of a verified token's subject, or None if the agency does not know them."""
    try:
        user = UserItem.get(keys.agency_pk(agency_id), f"USER#{user_id}")
    except UserItem.DoesNotExist:
        return None
    if not user.active:
        return None
    return Principal(
        agency_id=agency_id,
        user_id=user_id,
        username=user.username,
        name=user.name,
        position=user.position,
        units=tuple(user.units),
        roles=frozenset(Role(r) for r in user.roles if r in Role._value2member_map_),
        clearance=Secrecy(int(user.clearance)),
        delegations=tuple(
            Delegation(
                kind=d["kind"],
                position=d["position"],
                from_user=d["from_user"],
                until=datetime.fromisoformat(d["until"]) if d.get("until") else None,
                order_reference=d.get("order_reference", ""),
            )
            for d in user.delegations
        ),
    )


def user_item(agency_id: str, user_id: str) -> UserItem | None:
    try:
        return UserItem.get(keys.agency_pk(agency_id), f"USER#{user_id}", consistent_read=True)
    except UserItem.DoesNotExist:
        return None


def users_of(agency_id: str) -> list[dict[str, Any]]:
    """The agency's active users (one partition: the directory lives under the agency id)."""
    return [
        {
            "id": user.sk.removeprefix("USER#"),
            "username": user.username,
            "name": user.name,
            "position": user.position,
            "units": list(user.units),
            "roles": list(user.roles),
            "can_sign": bool(user.signing),
        }
        for user in UserItem.query(keys.agency_pk(agency_id), UserItem.sk.startswith("USER#"))
        if user.active
    ]


def set_delegations(user: UserItem, delegations: list[dict[str, Any]], event: AuditEvent) -> None:
    from pynamodb.transactions import TransactWrite

    from chalicelib.store.audit import audit_item
    from chalicelib.store.documents import connection

    with TransactWrite(connection=connection()) as tx:
        tx.update(user, actions=[UserItem.delegations.set(delegations)], condition=UserItem.pk.exists())
        tx.save(audit_item(event))
