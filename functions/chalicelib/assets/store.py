"""Asset items: the agency's asset settings (pk=agency, sk=ASSETCONF), each asset (pk=agency#ASSETS,
sk=ASSET#id), a counter per class and fiscal year for numbering (sk=ASSETNO#class#year), and a
stock-take with its findings (pk=agency#STOCKTAKE#year)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent


class SettingsItem(ddb.Record):
    settings = JSONAttribute()


class AssetItem(ddb.Record):
    number = UnicodeAttribute()
    class_code = UnicodeAttribute()
    description = UnicodeAttribute()
    acquired_on = UnicodeAttribute()
    document = UnicodeAttribute(default="")
    price = UnicodeAttribute()
    funding = UnicodeAttribute(default="")
    location = UnicodeAttribute(default="")
    unit_id = UnicodeAttribute(default="")
    custodian = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="in_use")
    updated_at = UTCDateTimeAttribute()


class CounterItem(ddb.Record):
    value = NumberAttribute(default=0)


class StocktakeItem(ddb.Record):
    checkers = ListAttribute[str](default=list)
    starts_on = UnicodeAttribute()
    report_due = UnicodeAttribute()
    report = UnicodeAttribute(null=True)  # the report's document, once drafted


class FindingItem(ddb.Record):
    """pk=agency#STOCKTAKE#year, sk=<asset id>: what the checkers found (the last word counts)."""

    result = UnicodeAttribute()
    note = UnicodeAttribute(default="")
    by = UnicodeAttribute()


def assets_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#ASSETS"


def settings(agency_id: str) -> dict[str, Any] | None:
    found = ddb.get_or_none(SettingsItem, keys.agency_pk(agency_id), "ASSETCONF")
    return dict(found.settings) if found else None


def save_settings(tx: ddb.Transaction, agency_id: str, value: dict[str, Any]) -> None:
    tx.put("settings", SettingsItem(keys.agency_pk(agency_id), "ASSETCONF", settings=value))


def asset(agency_id: str, asset_id: str) -> AssetItem | None:
    return ddb.get_or_none(AssetItem, assets_pk(agency_id), f"ASSET#{asset_id}")


def new_asset(agency_id: str, asset_id: str, **fields: Any) -> AssetItem:
    return AssetItem(assets_pk(agency_id), f"ASSET#{asset_id}", **fields)


def assets(agency_id: str) -> list[AssetItem]:
    return list(AssetItem.query(assets_pk(agency_id), AssetItem.sk.startswith("ASSET#")))


def asset_id_of(item: AssetItem) -> str:
    return item.sk.removeprefix("ASSET#")


def counter(agency_id: str, class_code: str, fiscal_year: int) -> CounterItem | None:
    return ddb.get_or_none(CounterItem, assets_pk(agency_id), f"ASSETNO#{class_code}#{fiscal_year}")


def new_counter(agency_id: str, class_code: str, fiscal_year: int, value: int) -> CounterItem:
    return CounterItem(assets_pk(agency_id), f"ASSETNO#{class_code}#{fiscal_year}", value=value)


def stocktake(agency_id: str, fiscal_year: int) -> StocktakeItem | None:
    return ddb.get_or_none(StocktakeItem, f"{keys.check_agency(agency_id)}#STOCKTAKE", str(fiscal_year))


def new_stocktake(agency_id: str, fiscal_year: int, **fields: Any) -> StocktakeItem:
    return StocktakeItem(f"{keys.check_agency(agency_id)}#STOCKTAKE", str(fiscal_year), **fields)


def new_finding(agency_id: str, fiscal_year: int, asset_id: str, **fields: Any) -> FindingItem:
    return FindingItem(f"{keys.check_agency(agency_id)}#STOCKTAKE#{fiscal_year}", asset_id, **fields)


def findings(agency_id: str, fiscal_year: int) -> list[FindingItem]:
    return list(FindingItem.query(f"{keys.check_agency(agency_id)}#STOCKTAKE#{fiscal_year}"))


class NumberItem(ddb.Record):
    """pk=agency#ASSETS, sk=NUMBER#<number>: the asset that holds a number. Written with every asset
    (registered or imported), conditionally: two assets never share a number, by construction."""

    asset = UnicodeAttribute()


def number_marker(agency_id: str, number: str, asset_id: str) -> NumberItem:
    return NumberItem(assets_pk(agency_id), f"NUMBER#{number}", asset=asset_id)


def add_number(tx: ddb.Transaction, agency_id: str, number: str, asset_id: str) -> None:
    tx.put("number", number_marker(agency_id, number, asset_id), condition=NumberItem.pk.does_not_exist())


def number_holders(agency_id: str, numbers: list[str]) -> dict[str, str]:
    """Which of these numbers are taken, and by which asset (read 25 at a time, never the register)."""
    held: dict[str, str] = {}
    for start in range(0, len(numbers), 25):
        part = numbers[start : start + 25]
        found = ddb.read_many(*((NumberItem, assets_pk(agency_id), f"NUMBER#{n}") for n in part))
        held |= {n: item.asset for n, item in zip(part, found, strict=True) if item is not None}
    return held


IMPORTED_PER_TRANSACTION = 49  # each with its number item, and the part's audit event: 99 items


def save_assets(items: list[AssetItem], event: Callable[[list[AssetItem]], AuditEvent]) -> None:
    """Many new assets at once (an import), each with its number and each part with its audit event,
    in transactions of 99 items, each asset only if neither it nor its number is there yet:
    transactions, not BatchWriteItem, so that the API's role needs no batch action (which could also
    delete), two imports of the same rows at once cannot overwrite each other, and no asset is written
    without its audit event."""
    for start in range(0, len(items), IMPORTED_PER_TRANSACTION):
        part = items[start : start + IMPORTED_PER_TRANSACTION]
        tx = ddb.Transaction()
        for n, item in enumerate(part):
            tx.put(f"asset-{n}", item, condition=AssetItem.pk.does_not_exist())
            tx.put(
                f"number-{n}",
                number_marker(item.pk.split("#")[0], item.number, asset_id_of(item)),
                condition=NumberItem.pk.does_not_exist(),
            )
        audit.add_to(tx, event(part))
        tx.commit()
