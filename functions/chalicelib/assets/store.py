"""Asset items: the agency's asset settings (pk=agency, sk=ASSETCONF), each asset (pk=agency#ASSETS,
sk=ASSET#id), a counter per class and fiscal year for numbering (sk=ASSETNO#class#year), and a
stock-take with its findings (pk=agency#STOCKTAKE#year)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.kernel import ddb, keys


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


def save_assets(items: list[AssetItem]) -> None:
    """Many new assets at once (an import), in transactions of 100, each asset only if it is not there
    yet: transactions, not BatchWriteItem, so that the API's role needs no batch action (which could
    also delete) and two imports of the same rows at once cannot overwrite each other."""
    for start in range(0, len(items), 100):
        tx = ddb.Transaction()
        for n, item in enumerate(items[start : start + 100]):
            tx.put(f"asset-{n}", item, condition=AssetItem.pk.does_not_exist())
        tx.commit()
