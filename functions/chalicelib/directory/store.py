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
    email = UnicodeAttribute(null=True)  # where notifications go (the onboarding file's address)
    # Who signs: the KMS key id and the certificate chain (PEM) the agency's CA issued for its key.
    signing = JSONAttribute(null=True)


class AgencyListing(ddb.Record):
    """pk=PLATFORM#AGENCIES, sk=agency: an agency others may send letters to (name and codes only)."""

    name = UnicodeAttribute()
    name_en = UnicodeAttribute(default="")
    ministry_code = UnicodeAttribute(default="")
    active = BooleanAttribute(default=True)


class EcmsDepartment(ddb.Record):
    """pk=PLATFORM#ECMS-DEPTS, sk=<10-digit department id>: the agency on the platform with that e-CMS id."""

    agency = UnicodeAttribute()


def ecms_department(department_id: str) -> EcmsDepartment | None:
    return ddb.get_or_none(EcmsDepartment, keys.ECMS_DEPARTMENTS_PK, department_id, consistent=False)


def listing(agency_id: str) -> AgencyListing | None:
    return ddb.get_or_none(
        AgencyListing, keys.PLATFORM_AGENCIES_PK, keys.check_agency(agency_id), consistent=False
    )


def listings() -> list[AgencyListing]:
    return list(AgencyListing.query(keys.PLATFORM_AGENCIES_PK))


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


# -- onboarding (onboarding/apply.py) -------------------------------------------------------------
def _put_if_new(item: ddb.Record) -> None:
    from pynamodb.exceptions import PutError

    try:
        item.save(condition=type(item).pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise  # already there (a run that stopped half-way): kept as it is


def onboard_records(
    agency_id: str,
    agency: dict[str, Any],
    units: dict[str, dict[str, Any]],
    people: dict[str, dict[str, Any]],
    *,
    actor: str,
    at: Any,
) -> None:
    """Units and people first (each only if not there yet), then the agency item with its audit event:
    an agency exists, for the API, only once all of it does; running again finishes a stopped run."""
    for unit_id, fields in units.items():
        _put_if_new(new_unit(agency_id, unit_id, **fields))
    for user_id, fields in people.items():
        _put_if_new(new_user(agency_id, user_id, **fields))
    tx = ddb.Transaction()
    tx.put("agency", new_agency(agency_id, **agency), condition=AgencyItem.pk.does_not_exist())
    tx.put(
        "listing",
        AgencyListing(
            keys.PLATFORM_AGENCIES_PK,
            agency_id,
            name=agency["name"],
            name_en=agency.get("name_en", ""),
            ministry_code=agency.get("ministry_code", ""),
        ),
    )
    department = (agency.get("settings", {}).get("ecms") or {}).get("department_id")
    if department:  # letters from e-CMS find the agency by it; two agencies cannot claim one id
        tx.put(
            "ecms-department",
            EcmsDepartment(keys.ECMS_DEPARTMENTS_PK, department, agency=agency_id),
            condition=EcmsDepartment.pk.does_not_exist() | (EcmsDepartment.agency == agency_id),
        )
    audit.add_to(
        tx,
        AuditEvent(
            agency_id,
            actor,
            "agency.onboarded",
            f"agency/{agency_id}",
            at,
            after={"units": sorted(units), "people": sorted(p["username"] for p in people.values())},
        ),
    )
    tx.commit()


def offboard_records(agency_id: str, *, actor: str, at: Any) -> None:
    """Every user inactive and the agency marked offboarded, with the event; the records stay."""
    agency = agency_item(agency_id)
    if agency is None:
        return
    for user_item in users(agency_id):
        if user_item.active:
            user_item.update(actions=[UserItem.active.set(False)])
    tx = ddb.Transaction()
    settings = {**agency.settings, "offboarded_at": at.isoformat()}
    tx.update("agency", agency, [AgencyItem.settings.set(settings)], condition=AgencyItem.pk.exists())
    found = listing(agency_id)
    if found is not None:
        tx.update("listing", found, [AgencyListing.active.set(False)])
    audit.add_to(tx, AuditEvent(agency_id, actor, "agency.offboarded", f"agency/{agency_id}", at))
    tx.commit()


def save_signing(item: UserItem, signing: dict[str, Any], *, actor: str, at: Any) -> None:
    """The signer's key and certificate (a key ceremony's import), with the event."""
    tx = ddb.Transaction()
    tx.update("user", item, [UserItem.signing.set(signing)], condition=UserItem.pk.exists())
    audit.add_to(
        tx,
        AuditEvent(
            item.pk,  # the directory's partition is the agency
            actor,
            "user.certificate_imported",
            f"user/{user_id_of(item)}",
            at,
            before={"not_after": (item.signing or {}).get("not_after")},
            after={"not_after": signing.get("not_after"), "kms_key_id": signing["kms_key_id"]},
        ),
    )
    tx.commit()


def save_signing_settings(agency_id: str, signing: dict[str, Any], *, actor: str, at: Any) -> None:
    """The agency's signing settings (trust roots, TSA, OCSP and CRL endpoints), with the event."""
    agency = agency_item(agency_id)
    if agency is None:
        raise LookupError(agency_id)
    tx = ddb.Transaction()
    merged = {**agency.settings, "signing": {**agency.settings.get("signing", {}), **signing}}
    tx.update("agency", agency, [AgencyItem.settings.set(merged)], condition=AgencyItem.pk.exists())
    audit.add_to(
        tx,
        AuditEvent(agency_id, actor, "agency.signing_settings_set", f"agency/{agency_id}", at, after=signing),
    )
    tx.commit()
