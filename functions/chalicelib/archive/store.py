"""Archive items: the agency's retention classes (pk=agency, sk=ARCHIVECONF); in a document's partition,
its archive record (sk=ARCHIVED) and its legal hold (sk=HOLD); the ทะเบียนหนังสือเก็บ per year
(pk=agency#STORED#<year>: sk=COUNTER, and each line at sk=<number>)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.kernel import ddb, keys

ARCHIVED_SK = "ARCHIVED"
HOLD_SK = "HOLD"


class SettingsItem(ddb.Record):
    settings = JSONAttribute()


class ArchivedItem(ddb.Record):
    state = UnicodeAttribute()  # storing (files being copied) | stored
    class_code = UnicodeAttribute()
    keep_until = NumberAttribute(null=True)  # พ.ศ.; none: kept forever
    file_code = UnicodeAttribute(default="")
    note = UnicodeAttribute(default="")
    entry = UnicodeAttribute()  # <year>/<number> in the ทะเบียนหนังสือเก็บ
    stored_at = UTCDateTimeAttribute()
    stored_by = UnicodeAttribute()
    files = JSONAttribute(default=list)  # [{"file", "key", "version", "source", "source_version"}]


class HoldItem(ddb.Record):
    reason = UnicodeAttribute()
    reference = UnicodeAttribute(default="")
    by = UnicodeAttribute()
    at = UTCDateTimeAttribute()


class CounterItem(ddb.Record):
    value = NumberAttribute(default=0)


class LineItem(ddb.Record):
    document_id = UnicodeAttribute()
    stored_on = UnicodeAttribute()
    reference = UnicodeAttribute(default="")
    letter_date = UnicodeAttribute(default="")
    subject = UnicodeAttribute(default="")
    file_code = UnicodeAttribute(default="")
    keep = UnicodeAttribute()
    note = UnicodeAttribute(default="")
    secrecy = NumberAttribute(default=0)  # the record's level: its line shows only to those cleared


def settings(agency_id: str) -> dict[str, Any] | None:
    found = ddb.get_or_none(SettingsItem, keys.agency_pk(agency_id), "ARCHIVECONF")
    return dict(found.settings) if found else None


def save_settings(tx: ddb.Transaction, agency_id: str, value: dict[str, Any]) -> None:
    tx.put("settings", SettingsItem(keys.agency_pk(agency_id), "ARCHIVECONF", settings=value))


def archived(agency_id: str, document_id: str) -> ArchivedItem | None:
    return ddb.get_or_none(ArchivedItem, keys.document_pk(agency_id, document_id), ARCHIVED_SK)


def new_archived(agency_id: str, document_id: str, **fields: Any) -> ArchivedItem:
    return ArchivedItem(keys.document_pk(agency_id, document_id), ARCHIVED_SK, **fields)


def hold(agency_id: str, document_id: str) -> HoldItem | None:
    return ddb.get_or_none(HoldItem, keys.document_pk(agency_id, document_id), HOLD_SK)


def new_hold(agency_id: str, document_id: str, **fields: Any) -> HoldItem:
    return HoldItem(keys.document_pk(agency_id, document_id), HOLD_SK, **fields)


def register_pk(agency_id: str, year: int) -> str:
    return f"{keys.check_agency(agency_id)}#STORED#{year}"


def counter(agency_id: str, year: int) -> CounterItem | None:
    return ddb.get_or_none(CounterItem, register_pk(agency_id, year), "COUNTER")


def new_counter(agency_id: str, year: int, value: int) -> CounterItem:
    return CounterItem(register_pk(agency_id, year), "COUNTER", value=value)


def new_line(agency_id: str, year: int, number: int, **fields: Any) -> LineItem:
    return LineItem(register_pk(agency_id, year), f"{number:06d}", **fields)


def lines(agency_id: str, year: int) -> list[LineItem]:
    return list(LineItem.query(register_pk(agency_id, year), LineItem.sk < "COUNTER"))


class SealItem(ddb.Record):
    """pk=agency#AUDITSEAL, sk=<day>: a sealed day of the agency's audit chain (archive/trail.py)."""

    head = UnicodeAttribute()
    prev = UnicodeAttribute()
    events = NumberAttribute()
    file_key = UnicodeAttribute()
    file_version = UnicodeAttribute()
    tst = UnicodeAttribute(null=True)  # the RFC 3161 token over SHA-256(head), base64
    sealed_at = UTCDateTimeAttribute()


def seals_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#AUDITSEAL"


def new_seal(agency_id: str, day: str, **fields: Any) -> SealItem:
    return SealItem(seals_pk(agency_id), day, **fields)


def last_seal(agency_id: str) -> SealItem | None:
    return next(iter(SealItem.query(seals_pk(agency_id), scan_index_forward=False, limit=1)), None)


def seals(agency_id: str, since: str, until: str) -> list[SealItem]:
    return list(SealItem.query(seals_pk(agency_id), SealItem.sk.between(since, until)))
