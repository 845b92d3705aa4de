"""Archive items: the agency's retention classes (pk=agency, sk=ARCHIVECONF); in a document's partition,
its archive record (sk=ARCHIVED) and its legal hold (sk=HOLD); the ทะเบียนหนังสือเก็บ per year
(pk=agency#STORED#<year>: sk=COUNTER, and each line at sk=<number>)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.kernel import ddb, keys

ARCHIVED_SK = "ARCHIVED"
HOLD_SK = "HOLD"


class SettingsItem(ddb.Record):
    settings = JSONAttribute()


class ArchivedItem(ddb.Record):
    state = UnicodeAttribute()  # storing | stored | destroyed (its tombstone kept) | transferred (ข้อ 58)
    class_code = UnicodeAttribute()
    keep_until = NumberAttribute(null=True)  # พ.ศ.; none: kept forever
    file_code = UnicodeAttribute(default="")
    note = UnicodeAttribute(default="")
    entry = UnicodeAttribute()  # <year>/<number> in the ทะเบียนหนังสือเก็บ
    stored_at = UTCDateTimeAttribute()
    stored_by = UnicodeAttribute()
    files = JSONAttribute(default=list)  # [{"file", "key", "version", "source", "source_version"}]
    letter_year = NumberAttribute(null=True)  # ค.ศ.: its place on the 20-year shelf (LETTERYEAR)


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


# -- the indexes the yearly jobs read (never a scan) -----------------------------------------------------
class ShelfItem(ddb.Record):
    """A stored record on one of the agency's shelves, with what its lists print (แบบที่ 21 and 25):
    pk=agency#KEEPUNTIL, sk=<keep-until พ.ศ.>#<document> (the destruction survey reads the years that
    ended); pk=agency#LETTERYEAR, sk=<the letter's ค.ศ. year>#<document> (the 20-year transfer). A record
    kept forever is on the second shelf only."""

    document_id = UnicodeAttribute()
    file_code = UnicodeAttribute(default="")
    reference = UnicodeAttribute(default="")
    letter_date = UnicodeAttribute(default="")
    subject = UnicodeAttribute(default="")
    secrecy = NumberAttribute(default=0)
    keep_until = NumberAttribute(null=True)


class HeldIndexItem(ddb.Record):
    """pk=agency#HELD, sk=<document>: every record under a legal hold, read whole by the survey."""

    reason = UnicodeAttribute()


def keep_shelf_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#KEEPUNTIL"


def age_shelf_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#LETTERYEAR"


def keep_shelf_sk(keep_until: int, document_id: str) -> str:
    return f"{keep_until:04d}#{document_id}"


def new_shelf(pk: str, sk: str, **fields: Any) -> ShelfItem:
    return ShelfItem(pk, sk, **fields)


def due_for_destruction(agency_id: str, through_year: int) -> Iterator[ShelfItem]:
    """Stored records whose keep-until year is `through_year` or earlier, oldest first (a query on one
    partition, page by page)."""
    return ShelfItem.query(keep_shelf_pk(agency_id), ShelfItem.sk < f"{through_year + 1:04d}#")


def letters_of_year(agency_id: str, year_ce: int) -> Iterator[ShelfItem]:
    return ShelfItem.query(age_shelf_pk(agency_id), ShelfItem.sk.startswith(f"{year_ce:04d}#"))


def held_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#HELD"


def new_held_index(agency_id: str, document_id: str, reason: str) -> HeldIndexItem:
    return HeldIndexItem(held_pk(agency_id), document_id, reason=reason)


def held_ids(agency_id: str) -> set[str]:
    return {i.sk for i in HeldIndexItem.query(held_pk(agency_id), attributes_to_get=["sk"])}


# -- the yearly destruction list (แบบที่ 25) and what became of each record ------------------------------
class DestructionListItem(ddb.Record):
    """pk=agency#DESTRUCTION, sk=<พ.ศ. year surveyed>: the list's procedure (archive/destruction.py)."""

    state = UnicodeAttribute()
    rows = NumberAttribute()
    surveyed_at = UTCDateTimeAttribute()
    committee = JSONAttribute(null=True)  # {"order", "chair", "members": [...], "by", "at"}
    reported_at = UTCDateTimeAttribute(null=True)
    approved = JSONAttribute(null=True)  # {"by", "at", "note"}
    list_document_id = UnicodeAttribute(null=True)  # แบบที่ 25 as a document, signed by the head
    sent = JSONAttribute(null=True)  # {"on", "via", "reference", "by"}
    answer = JSONAttribute(null=True)  # {"kind": "answered"|"deemed", "on", "reference", "selected"}
    counts = JSONAttribute(default=dict)  # {"destroy": n, "extend": n, "archives": n}
    destroyed = NumberAttribute(default=0)
    record_document_id = UnicodeAttribute(null=True)  # the บันทึกการทำลาย
    version = NumberAttribute(default=1)


class DestructionRowItem(ddb.Record):
    """pk=agency#DESTRUCTION#<year>, sk=<ลำดับที่, 6 digits>: a line of แบบที่ 25 and the committee's
    decision in its การพิจารณา column."""

    document_id = UnicodeAttribute()
    file_code = UnicodeAttribute(default="")
    reference = UnicodeAttribute(default="")
    letter_date = UnicodeAttribute(default="")
    subject = UnicodeAttribute(default="")
    secrecy = NumberAttribute(default=0)
    keep_until = NumberAttribute()
    decision = UnicodeAttribute(default="")  # "" | destroy | extend | archives (kept by the Archives)
    extended_to = NumberAttribute(null=True)  # พ.ศ.
    reason = UnicodeAttribute(default="")
    decided_by = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute(default="")  # "" | destroyed | skipped: <why>


class TombstoneItem(ddb.Record):
    """In a destroyed record's partition, sk=TOMBSTONE: what was destroyed, when, by whose decision."""

    destroyed_at = UTCDateTimeAttribute()
    list_year = NumberAttribute()
    row = NumberAttribute()
    decision = JSONAttribute()  # the committee's order, the head's approval, the Archives' answer
    files = JSONAttribute()  # [{"bucket", "key", "versions", "sha256"}]


DESTRUCTION_SK = "DESTRUCTION"
TOMBSTONE_SK = "TOMBSTONE"


def lists_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#{DESTRUCTION_SK}"


def rows_pk(agency_id: str, year: int) -> str:
    return f"{keys.check_agency(agency_id)}#{DESTRUCTION_SK}#{year}"


def destruction_list(agency_id: str, year: int, *, consistent: bool = True) -> DestructionListItem | None:
    return ddb.get_or_none(DestructionListItem, lists_pk(agency_id), str(year), consistent=consistent)


def destruction_lists(agency_id: str) -> list[DestructionListItem]:
    return list(DestructionListItem.query(lists_pk(agency_id), scan_index_forward=False))


def new_destruction_list(agency_id: str, year: int, **fields: Any) -> DestructionListItem:
    return DestructionListItem(lists_pk(agency_id), str(year), **fields)


def new_row(agency_id: str, year: int, number: int, **fields: Any) -> DestructionRowItem:
    return DestructionRowItem(rows_pk(agency_id, year), f"{number:06d}", **fields)


def rows(
    agency_id: str, year: int, *, after: int = 0, limit: int | None = None
) -> Iterator[DestructionRowItem]:
    return DestructionRowItem.query(
        rows_pk(agency_id, year), DestructionRowItem.sk > f"{after:06d}", limit=limit
    )


def row(agency_id: str, year: int, number: int) -> DestructionRowItem | None:
    return ddb.get_or_none(DestructionRowItem, rows_pk(agency_id, year), f"{number:06d}")


def new_tombstone(agency_id: str, document_id: str, **fields: Any) -> TombstoneItem:
    return TombstoneItem(keys.document_pk(agency_id, document_id), TOMBSTONE_SK, **fields)


def tombstone(agency_id: str, document_id: str) -> TombstoneItem | None:
    return ddb.get_or_none(TombstoneItem, keys.document_pk(agency_id, document_id), TOMBSTONE_SK)


class RenewalItem(ddb.Record):
    """pk=agency#RENEWAL, sk=<due, UTC ISO>#<document>: when a stored signed letter needs its next
    document timestamp (archive/renewal.py); the daily job queries what is due, never scans."""

    document_id = UnicodeAttribute()
    reason = UnicodeAttribute()  # why then: the TSA certificate ends, or a weak algorithm (now)
    tsa_not_after = UTCDateTimeAttribute(null=True)


def renewals_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#RENEWAL"


def new_renewal(agency_id: str, sk: str, **fields: Any) -> RenewalItem:
    return RenewalItem(renewals_pk(agency_id), sk, **fields)


def renewals_through(agency_id: str, last_sk: str) -> Iterator[RenewalItem]:
    """The agency's due items up to `last_sk`, soonest first (one partition, page by page)."""
    return RenewalItem.query(renewals_pk(agency_id), RenewalItem.sk <= last_sk, consistent_read=True)


# -- imported registers: the paper-era books, beside (never inside) the live ones -------------------------
class LegacyBookItem(ddb.Record):
    """pk=agency#LEGACYBOOKS, sk=<book>: an imported register book (archive/legacy.py)."""

    name = UnicodeAttribute()
    direction = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()


class LegacyEntryItem(ddb.Record):
    """pk=agency#LEGACY#<book>#<พ.ศ. year>, sk=<number, 8 digits>: a line of an imported book with its
    original number; no counter exists here, so a live book's numbers are never touched."""

    document_id = UnicodeAttribute()
    columns = JSONAttribute()
    imported_at = UTCDateTimeAttribute()
    imported_by = UnicodeAttribute()


def legacy_books_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#LEGACYBOOKS"


def legacy_book(agency_id: str, book_id: str) -> LegacyBookItem | None:
    return ddb.get_or_none(LegacyBookItem, legacy_books_pk(agency_id), book_id)


def legacy_books(agency_id: str) -> list[LegacyBookItem]:
    return list(LegacyBookItem.query(legacy_books_pk(agency_id), consistent_read=True))


def new_legacy_book(agency_id: str, book_id: str, **fields: Any) -> LegacyBookItem:
    return LegacyBookItem(legacy_books_pk(agency_id), book_id, **fields)


class LegacyYearItem(ddb.Record):
    """pk=agency#LEGACYYEARS, sk=<book>#<พ.ศ. year>: how many lines a book holds in a year, counted in
    the transactions that write them, so the books and their years are two queries, never a scan of
    the years' partitions (book ids hold no "#")."""

    lines = NumberAttribute(default=0)


def legacy_years_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#LEGACYYEARS"


def add_legacy_lines(tx: ddb.Transaction, agency_id: str, book_id: str, year: int, lines: int) -> None:
    """Count `lines` more in the book's year (made at its first line): an ADD, so two imports of one
    book add up rather than overwrite, and a cancelled transaction counts nothing."""
    item = LegacyYearItem(legacy_years_pk(agency_id), f"{book_id}#{year}")
    tx.update(f"year-{year}", item, [LegacyYearItem.lines.add(lines)])


def legacy_years(agency_id: str) -> dict[str, dict[int, int]]:
    """Each imported book's years and their line counts: {book: {year: lines}}."""
    found: dict[str, dict[int, int]] = {}
    for item in LegacyYearItem.query(legacy_years_pk(agency_id), consistent_read=True):
        book_id, _, year = item.sk.rpartition("#")
        found.setdefault(book_id, {})[int(year)] = int(item.lines)
    return found


def legacy_pk(agency_id: str, book_id: str, year: int) -> str:
    return f"{keys.check_agency(agency_id)}#LEGACY#{book_id}#{year}"


def new_legacy_entry(agency_id: str, book_id: str, year: int, number: int, **fields: Any) -> LegacyEntryItem:
    return LegacyEntryItem(legacy_pk(agency_id, book_id, year), f"{number:08d}", **fields)


def legacy_entries(agency_id: str, book_id: str, year: int) -> list[LegacyEntryItem]:
    return list(LegacyEntryItem.query(legacy_pk(agency_id, book_id, year)))


# -- the 20-year transfer (archive/transfer.py; ข้อ 58–59) -----------------------------------------------
class TransferListItem(ddb.Record):
    """pk=agency#TRANSFER, sk=<พ.ศ. year>: the year's บัญชีส่งมอบหนังสือครบ 20 ปี and its packages."""

    state = UnicodeAttribute()  # drafted | packaging | transferred
    rows = NumberAttribute()
    age_years = NumberAttribute()
    classified = NumberAttribute(default=0)  # left off: the secrecy regulation governs them
    drafted_at = UTCDateTimeAttribute()
    drafted_by = UnicodeAttribute()
    counts = JSONAttribute(default=dict)  # {"transfer": n, "self": n, "transferred": n}
    packages = JSONAttribute(default=list)  # [{"part", "key", "version", "sha256", "lines", ...}]
    version = NumberAttribute(default=1)


class TransferRowItem(ddb.Record):
    """pk=agency#TRANSFER#<year>, sk=<ลำดับที่, 6 digits>: a line of the draft, on one of the two lists."""

    document_id = UnicodeAttribute()
    on_list = UnicodeAttribute(default="transfer")  # transfer (แบบที่ 21) | self (ขอเก็บเอง)
    file_code = UnicodeAttribute(default="")
    reference = UnicodeAttribute(default="")
    letter_date = UnicodeAttribute(default="")
    subject = UnicodeAttribute(default="")
    keep_until = NumberAttribute(null=True)
    note = UnicodeAttribute(default="")
    outcome = UnicodeAttribute(default="")  # "" | transferred
    package = NumberAttribute(null=True)


TRANSFER_SK = "TRANSFER"


def transfers_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#{TRANSFER_SK}"


def transfer_rows_pk(agency_id: str, year: int) -> str:
    return f"{keys.check_agency(agency_id)}#{TRANSFER_SK}#{year}"


def transfer_list(agency_id: str, year: int) -> TransferListItem | None:
    return ddb.get_or_none(TransferListItem, transfers_pk(agency_id), str(year))


def transfer_lists(agency_id: str) -> list[TransferListItem]:
    return list(TransferListItem.query(transfers_pk(agency_id), scan_index_forward=False))


def new_transfer_list(agency_id: str, year: int, **fields: Any) -> TransferListItem:
    return TransferListItem(transfers_pk(agency_id), str(year), **fields)


def new_transfer_row(agency_id: str, year: int, number: int, **fields: Any) -> TransferRowItem:
    return TransferRowItem(transfer_rows_pk(agency_id, year), f"{number:06d}", **fields)


def transfer_rows(
    agency_id: str, year: int, *, after: int = 0, limit: int | None = None
) -> Iterator[TransferRowItem]:
    return TransferRowItem.query(
        transfer_rows_pk(agency_id, year), TransferRowItem.sk > f"{after:06d}", limit=limit
    )


def transfer_row(agency_id: str, year: int, number: int) -> TransferRowItem | None:
    return ddb.get_or_none(TransferRowItem, transfer_rows_pk(agency_id, year), f"{number:06d}")


def letters_through(agency_id: str, year_ce: int) -> Iterator[ShelfItem]:
    """Stored records whose letters are of `year_ce` or before, oldest first (the 20-year shelf)."""
    return ShelfItem.query(age_shelf_pk(agency_id), ShelfItem.sk < f"{year_ce + 1:04d}#")


def age_shelf_sk(letter_year: int, document_id: str) -> str:
    return f"{letter_year:04d}#{document_id}"


# -- borrowing (archive/loans.py; ข้อ 62–65) -----------------------------------------------------------
class LoanItem(ddb.Record):
    """pk=agency#LOANS, sk=LOAN#<loan id>: a บัตรยืมหนังสือ and its state."""

    document_id = UnicodeAttribute()
    subject = UnicodeAttribute(default="")
    file_code = UnicodeAttribute(default="")
    secrecy = NumberAttribute(default=0)
    purpose = UnicodeAttribute()
    borrower = JSONAttribute()  # {"user_id" | None, "name", "position", "agency"}
    between_agencies = UnicodeAttribute(default="")  # "yes" when the borrower is of another agency
    state = UnicodeAttribute()  # requested | approved | refused | lent | returned
    requested_by = UnicodeAttribute()
    requested_at = UTCDateTimeAttribute()
    approver = JSONAttribute(null=True)  # {"user_id", "name", "position", "agency"}
    decided_at = UTCDateTimeAttribute(null=True)
    decision_note = UnicodeAttribute(default="")
    receiver = UnicodeAttribute(default="")
    lent_on = UnicodeAttribute(null=True)  # ISO date
    due = UnicodeAttribute()  # ISO date
    returner = UnicodeAttribute(default="")
    returned_on = UnicodeAttribute(null=True)
    version = NumberAttribute(default=1)


class LoanDueItem(ddb.Record):
    """pk=agency#LOANS, sk=<due, ISO date>#<loan id>: a loan out (handed out, not returned), by its due
    date; overdue loans are a query (sk before today), never a scan. Dates sort before "LOAN#" and
    "REMINDED#", so one partition holds the cards, this index and the reminders' markers."""

    loan_id = UnicodeAttribute()
    document_id = UnicodeAttribute()


class LoanReminderItem(ddb.Record):
    """pk=agency#LOANS, sk=REMINDED#<loan id>#<Bangkok day>: that day's reminder went (once)."""

    at = UTCDateTimeAttribute()


def loans_pk(agency_id: str) -> str:
    return f"{keys.check_agency(agency_id)}#LOANS"


def loan(agency_id: str, loan_id: str) -> LoanItem | None:
    return ddb.get_or_none(LoanItem, loans_pk(agency_id), f"LOAN#{loan_id}")


def new_loan(agency_id: str, loan_id: str, **fields: Any) -> LoanItem:
    return LoanItem(loans_pk(agency_id), f"LOAN#{loan_id}", **fields)


def loans(agency_id: str) -> Iterator[LoanItem]:
    return LoanItem.query(loans_pk(agency_id), LoanItem.sk.startswith("LOAN#"), scan_index_forward=False)


def new_loan_due(agency_id: str, due: str, loan_id: str, document_id: str) -> LoanDueItem:
    return LoanDueItem(loans_pk(agency_id), f"{due}#{loan_id}", loan_id=loan_id, document_id=document_id)


def loans_due_before(agency_id: str, day: str) -> Iterator[LoanDueItem]:
    """Loans out whose due date is before `day` (ISO): the overdue ones, most overdue first."""
    return LoanDueItem.query(loans_pk(agency_id), LoanDueItem.sk < f"{day}#", consistent_read=True)


def new_loan_reminder(agency_id: str, loan_id: str, day: str, at: Any) -> LoanReminderItem:
    return LoanReminderItem(loans_pk(agency_id), f"REMINDED#{loan_id}#{day}", at=at)
