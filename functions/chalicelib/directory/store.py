"""The directory's items: the agency (settings), its units, its users. One partition per agency."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent


class AgencyItem(ddb.Record):
    """pk=agency, sk=AGENCY: the agency's name, ministry code and settings."""

    name = UnicodeAttribute()
    name_en = UnicodeAttribute(default="")
    ministry_code = UnicodeAttribute()
    settings = JSONAttribute(default=dict)


class UnitItem(ddb.Record):
    """pk=agency, sk=UNIT#id: a unit in the agency's tree; `code` is its owner code (ดศ 0201.3)."""

    name = UnicodeAttribute()
    code = UnicodeAttribute(default="")
    parent = UnicodeAttribute(null=True)
    contact_lines = ListAttribute[str](default=list)  # the unit's lines at the foot of its letters


class UserItem(ddb.Record):
    """pk=agency, sk=USER#sub: the directory entry the principal is built from."""

    username = UnicodeAttribute()
    name = UnicodeAttribute()
    title = UnicodeAttribute(
        default=""
    )  # คำนำหน้าชื่อ / ยศ (นาย, นางสาว, ว่าที่ร้อยตรี ...), printed before the name
    position = UnicodeAttribute(default="")
    units = ListAttribute[str](default=list)
    roles = ListAttribute[str](default=list)
    clearance = NumberAttribute(default=0)
    delegations = JSONAttribute(default=list)
    active = BooleanAttribute(default=True)
    # Who signs: the KMS key id and the certificate chain (PEM) the agency's CA issued for its key.
    signing = JSONAttribute(null=True)


def new_agency(agency_id: str, **fields: Any) -> AgencyItem:
    return AgencyItem(keys.agency_pk(agency_id), keys.AGENCY_SK, **fields)


def new_unit(agency_id: str, unit_id: str, **fields: Any) -> UnitItem:
    return UnitItem(keys.agency_pk(agency_id), keys.unit_sk(unit_id), **fields)


def new_user(agency_id: str, user_id: str, **fields: Any) -> UserItem:
    return UserItem(keys.agency_pk(agency_id), keys.user_sk(user_id), **fields)


def full_name(item: UserItem) -> str:
    """The name as an official document prints it: title and name, written together (นายสมชาย ใจดี)."""
    return f"{item.title}{item.name}"


def user_id_of(item: UserItem) -> str:
    return keys.suffix(item.sk, keys.USER_PREFIX)


def agency_and_units(agency_id: str) -> tuple[AgencyItem | None, list[tuple[str, UnitItem]]]:
    """The agency item and its units in one query (sort keys below USER#: users are read one by one)."""
    agency: AgencyItem | None = None
    units: list[tuple[str, UnitItem]] = []
    for raw in ddb.partition(keys.agency_pk(agency_id), sort_key_condition=AgencyItem.sk < keys.USER_PREFIX):
        sort_key = ddb.sort_key(raw)
        if sort_key == keys.AGENCY_SK:
            agency = AgencyItem.from_raw_data(raw)
        elif sort_key.startswith(keys.UNIT_PREFIX):
            units.append((keys.suffix(sort_key, keys.UNIT_PREFIX), UnitItem.from_raw_data(raw)))
    return agency, units


def user(agency_id: str, user_id: str, *, consistent: bool = False) -> UserItem | None:
    if not user_id:
        return None
    return ddb.get_or_none(UserItem, keys.agency_pk(agency_id), keys.user_sk(user_id), consistent=consistent)


def users(agency_id: str) -> list[UserItem]:
    """The agency's users (one partition: the directory lives under the agency id)."""
    return list(UserItem.query(keys.agency_pk(agency_id), UserItem.sk.startswith(keys.USER_PREFIX)))


def save_delegations(item: UserItem, delegations: list[dict[str, Any]], event: AuditEvent) -> None:
    tx = ddb.Transaction()
    tx.update("user", item, [UserItem.delegations.set(delegations)], condition=UserItem.pk.exists())
    audit.add_to(tx, event)
    tx.commit()


def save_letterhead(
    agency: AgencyItem, settings: dict[str, Any], units: dict[str, list[str]], event: AuditEvent
) -> None:
    """The agency's letterhead settings and its units' contact lines, with the event, or none of them."""
    tx = ddb.Transaction()
    tx.update("agency", agency, [AgencyItem.settings.set(settings)], condition=AgencyItem.pk.exists())
    for unit_id, lines in units.items():
        unit = UnitItem(keys.agency_pk(agency.pk), keys.unit_sk(unit_id))
        tx.update(
            f"unit-{unit_id}", unit, [UnitItem.contact_lines.set(lines)], condition=UnitItem.pk.exists()
        )
    audit.add_to(tx, event)
    tx.commit()


def agency_item(agency_id: str) -> AgencyItem | None:
    return ddb.get_or_none(AgencyItem, keys.agency_pk(agency_id), keys.AGENCY_SK)
