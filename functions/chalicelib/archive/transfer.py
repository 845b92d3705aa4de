"""The yearly transfer of records 20 years old to the National Archives (ระเบียบงานสารบรรณ ข้อ 58–59;
docs/rules.md, "The 20-year transfer"), as the use cases read:

1. The records officer drafts the year's บัญชีส่งมอบหนังสือครบ 20 ปี (แบบที่ 21): every stored record whose
   letter reaches the age (setting `transfer_years`, 20) in that year or had reached it before, read from
   the letter-year shelf (a query, never a scan), and the records the National Archives chose to keep on
   a destruction list (ข้อ 69). Left off: classified records (the secrecy regulation governs them; the
   list says how many) and records on an earlier year's list. Held records go to the agency's own list.
2. The officer moves lines to the บัญชีหนังสือครบ 20 ปีที่ขอเก็บเอง (ข้อ 58: the agency keeps what it still
   needs), with the reason, and back; both lists print in the form's columns.
3. The package: each call bags the next records of the list (BagIt, RFC 8493, with the `bagit` library):
   their archived files as archived (a signed letter at PAdES B-LTA with its renewed timestamps), the
   register's fields in `metadata/records.csv` and `.json` with each file's SHA-256, and แบบที่ 21. The
   bag is stored in the archive bucket, locked, and answered as a short-lived link; its records are
   marked transferred and leave the shelves, each with its audit event.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tarfile
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from chalicelib.archive import lists as yearly_list
from chalicelib.archive import models, store
from chalicelib.kernel import audit, ddb, objects
from chalicelib.kernel.errors import Conflict, InvalidInput, NotFound
from chalicelib.kernel.principal import Principal, Role
from chalicelib.saraban import Secrecy
from chalicelib.thai import buddhist_year, thai_date, to_bangkok

ROWS_PER_TX = 90  # rows and the list's own update in one transaction, under DynamoDB's 100
# A package per call: at most this many records, read, bagged, tarred and stored well inside the API's
# 29 s (a letter and its enclosures are a few MB; S3 reads and writes run at tens of MB/s in a region),
# and at most PACKAGE_BYTES of files, so the bag and its tar fit in the function's 512 MB of /tmp.
RECORDS_PER_PACKAGE = 40
PACKAGE_BYTES = 150_000_000
# Marking a record transferred writes five items (its line, its archive record, two shelves, its audit
# event): this many records a transaction, under DynamoDB's 100.
RECORDS_PER_TX = 19
# The package is locked as archive_put locks records: it proves what was handed over, until the National
# Archives have received and checked it and an audit can compare it; the records' own archived versions
# stay locked under their own dates, so the package is a copy and a few years are enough.
PACKAGE_LOCK_YEARS = 5
LINK_SECONDS = 900
STATE_TH = {
    "drafted": "จัดทำบัญชีแล้ว",
    "packaging": "กำลังจัดชุดส่งมอบ",
    "transferred": "ส่งมอบครบแล้ว",
}
FORM_21_COLUMNS = (  # แบบที่ 21 (ข้อ 58): the agency's own list has the same columns
    ("ลำดับที่", 16.0, "C"),
    ("รหัสแฟ้ม", 30.0, "L"),
    ("ที่", 40.0, "L"),
    ("ลงวันที่", 28.0, "C"),
    ("เรื่อง", 113.0, "L"),
    ("หมายเหตุ", 50.0, "L"),
)
CSV_COLUMNS = (
    "ลำดับที่",
    "รหัสแฟ้ม",
    "ที่",
    "ลงวันที่",
    "เรื่อง",
    "หมายเหตุ",
    "document_id",
    "เก็บถึง พ.ศ.",
    "files (path=sha256)",
)


def _settings(agency_id: str) -> models.ArchiveSettings:
    from chalicelib.archive import service

    return service.settings_of(agency_id)


def title(year: int, age: int, which: str = "transfer") -> str:
    if which == "self":
        return f"บัญชีหนังสือครบ {age} ปีที่ขอเก็บเอง ประจำปี พ.ศ. {year}"
    return f"บัญชีส่งมอบหนังสือครบ {age} ปี ประจำปี พ.ศ. {year}"


# -- 1. the draft ------------------------------------------------------------------------------------
def draft(principal: Principal, command: models.TransferCommand, *, now: datetime) -> models.TransferListView:
    """ข้อ 58: the year's list of the records whose letters are `transfer_years` old or older by then.
    Rows are written first and the list last (conditionally), so a draft cut short is made again."""
    principal.require(Role.RECORDS)
    agency_id, year = principal.agency_id, command.year
    if year > buddhist_year(now):
        raise InvalidInput("จัดทำบัญชีได้เฉพาะปีที่ผ่านมาแล้วหรือปีปัจจุบัน", f"{year} has not begun: list a year that has")
    if store.transfer_list(agency_id, year) is not None:
        raise Conflict(f"มีบัญชีส่งมอบหนังสือประจำปี พ.ศ. {year} แล้ว", f"the {year} transfer list exists")
    age = _settings(agency_id).transfer_years
    lines, classified = _candidates(agency_id, year, age)
    held = store.held_ids(agency_id)
    ordered = sorted(
        lines.values(),
        key=lambda r: (r["year"], r["file_code"], r["letter_date"], r["reference"], r["document_id"]),
    )
    tx, pending, counts = ddb.Transaction(), 0, {"transfer": 0, "self": 0, "transferred": 0}
    for number, line in enumerate(ordered, start=1):
        on_list = "self" if line["document_id"] in held else "transfer"
        note = "อยู่ระหว่างระงับการทำลาย ส่วนราชการเก็บไว้เอง" if on_list == "self" else line["note"]
        counts[on_list] += 1
        tx.put(
            f"row-{number}",
            store.new_transfer_row(
                agency_id,
                year,
                number,
                document_id=line["document_id"],
                on_list=on_list,
                file_code=line["file_code"],
                reference=line["reference"],
                letter_date=line["letter_date"],
                subject=line["subject"],
                keep_until=line["keep_until"],
                note=note,
            ),
        )
        pending += 1
        if pending == ROWS_PER_TX:
            tx.commit()
            tx, pending = ddb.Transaction(), 0
    for stale in store.transfer_rows(agency_id, year, after=len(ordered)):  # from a longer run cut short
        tx.delete(f"stale-{stale.sk}", stale)
        pending += 1
        if pending == ROWS_PER_TX:
            tx.commit()
            tx, pending = ddb.Transaction(), 0
    item = store.new_transfer_list(
        agency_id,
        year,
        state="drafted",
        rows=len(ordered),
        age_years=age,
        classified=classified,
        drafted_at=now,
        drafted_by=principal.user_id,
        counts=counts,
        packages=[],
    )
    tx.put("list", item, condition=store.TransferListItem.pk.does_not_exist())
    audit.record(
        tx,
        principal,
        "archive.transfer_drafted",
        f"transfer/{year}",
        now,
        rows=len(ordered),
        kept_by_agency=counts["self"],
        classified_left_off=classified,
    )
    if not tx.commit_unless_refused("list"):
        raise Conflict(f"มีบัญชีส่งมอบหนังสือประจำปี พ.ศ. {year} แล้ว", f"the {year} list was made meanwhile")
    return _view(item)


def _candidates(agency_id: str, year: int, age: int) -> tuple[dict[str, dict[str, Any]], int]:
    """The draft's lines by record, and how many classified records were left off."""
    listed = _on_transfer_lists(agency_id)
    classified = 0
    lines: dict[str, dict[str, Any]] = {}
    # Letters of (year - age) or before, in ค.ศ.: 20 years old in the list's year, or older.
    for shelf in store.letters_through(agency_id, year - 543 - age):
        if shelf.document_id in listed:
            continue
        if int(shelf.secrecy or 0) > Secrecy.NORMAL:
            classified += 1  # the secrecy regulation, not this list (ข้อ 58's exception)
            continue
        lines[shelf.document_id] = {
            "year": shelf.sk[:4],
            "document_id": shelf.document_id,
            "file_code": shelf.file_code,
            "reference": shelf.reference,
            "letter_date": shelf.letter_date,
            "subject": shelf.subject,
            "keep_until": int(shelf.keep_until) if shelf.keep_until is not None else None,
            "note": "",
        }
    for kept in _kept_by_archives(agency_id, year):  # ข้อ 69: the Archives chose them from a destruction list
        if kept["document_id"] in listed:
            continue
        if kept.pop("secrecy") > Secrecy.NORMAL:
            classified += 1
            continue
        lines.setdefault(kept["document_id"], kept)["note"] = kept["note"]
    return lines, classified


def _on_transfer_lists(agency_id: str) -> set[str]:
    """Records on any year's list: listed once (transferred, or kept by the agency by its choice)."""
    found: set[str] = set()
    for listed in store.transfer_lists(agency_id):
        found |= {r.document_id for r in store.transfer_rows(agency_id, int(listed.sk))}
    return found


def _kept_by_archives(agency_id: str, year: int) -> list[dict[str, Any]]:
    """Lines the National Archives chose to keep from destruction lists of this year or before, whose
    records are still stored: they are handed over with this year's list (ข้อ 69)."""
    found = []
    for listed in store.destruction_lists(agency_id):
        if int(listed.sk) > year:
            continue
        for row in store.rows(agency_id, int(listed.sk)):
            if row.decision != "archives":
                continue
            archived = store.archived(agency_id, row.document_id)
            if archived is None or archived.state != "stored":
                continue
            found.append(
                {
                    "year": f"{int(archived.letter_year or 0):04d}",
                    "document_id": row.document_id,
                    "file_code": row.file_code,
                    "reference": row.reference,
                    "letter_date": row.letter_date,
                    "subject": row.subject,
                    "keep_until": int(row.keep_until),
                    "secrecy": int(row.secrecy),
                    "note": f"สำนักหอจดหมายเหตุแห่งชาติขอเก็บ (บัญชีหนังสือขอทำลาย พ.ศ. {listed.sk} "
                    f"ลำดับที่ {int(row.sk)})",
                }
            )
    return found


# -- 2. the agency's own list ------------------------------------------------------------------------
def move(
    principal: Principal, year: int, command: models.TransferMove, *, now: datetime
) -> models.TransferListView:
    """Lines to the list the agency keeps itself (with the reason, printed in หมายเหตุ), or back; only
    while no package has been made, since the packages' count is the list's."""
    principal.require(Role.RECORDS)
    item = _list(principal.agency_id, year)
    _in_state(item, "drafted")
    numbers = sorted(set(command.numbers))
    rows = []
    for number in numbers:  # every line checked before any is moved
        row = store.transfer_row(principal.agency_id, year, number)
        if row is None:
            raise NotFound(f"ไม่มีลำดับที่ {number} ในบัญชี", f"the list has no line {number}")
        rows.append(row)
    counts = dict(item.counts or {})
    moved = [r for r in rows if r.on_list != command.to]
    for start in range(0, len(moved), ROWS_PER_TX - 2):
        chunk = moved[start : start + ROWS_PER_TX - 2]
        tx = ddb.Transaction()
        for row in chunk:
            tx.update(
                f"row-{row.sk}",
                row,
                [
                    store.TransferRowItem.on_list.set(command.to),
                    store.TransferRowItem.note.set(command.reason if command.to == "self" else ""),
                ],
                condition=store.TransferRowItem.on_list == row.on_list,
            )
            counts[row.on_list] = int(counts.get(row.on_list, 0)) - 1
            counts[command.to] = int(counts.get(command.to, 0)) + 1
        _update_list(tx, item, [store.TransferListItem.counts.set(counts)], state="drafted")
        audit.record(
            tx,
            principal,
            "archive.transfer_lines_moved",
            f"transfer/{year}",
            now,
            lines=[int(r.sk) for r in chunk],
            to=command.to,
            reason=command.reason,
        )
        _commit(tx)
        item = _list(principal.agency_id, year)
    return _view(item)


# -- 3. the package ----------------------------------------------------------------------------------
def package(principal: Principal, year: int, *, now: datetime) -> models.TransferPackage:
    """The next part of the transfer: a BagIt bag of up to RECORDS_PER_PACKAGE records, stored locked in
    the archive bucket, its records marked transferred. A call cut short after the bag was stored is made
    again and finishes marking that part before any other is made."""
    principal.require(Role.RECORDS)
    agency_id = principal.agency_id
    item = _list(agency_id, year)
    # "transferred" too: the last part may have been stored with its records still to be marked.
    _in_state(item, "drafted", "packaging", "transferred")
    rows = list(store.transfer_rows(agency_id, year))
    parts = list(item.packages or [])
    if parts:
        last = parts[-1]
        unfinished = [r for r in rows if int(r.sk) in set(last["lines"]) and not r.outcome]
        if unfinished:
            _mark(principal, year, last, unfinished, now)
            return _answer(agency_id, year, last)
    if item.state == "transferred":
        raise Conflict(f"ส่งมอบบัญชีประจำปี พ.ศ. {year} ครบแล้ว", f"the {year} list is transferred")
    pending = [r for r in rows if r.on_list == "transfer" and not r.outcome]
    if not pending:
        raise Conflict(
            f"ไม่มีรายการที่ต้องส่งมอบในบัญชีประจำปี พ.ศ. {year}", f"the {year} list has nothing left to transfer"
        )
    chosen: list[tuple[store.TransferRowItem, store.ArchivedItem, list[tuple[str, bytes]]]] = []
    size = 0
    for row in pending:
        if len(chosen) == RECORDS_PER_PACKAGE or (chosen and size > PACKAGE_BYTES):
            break
        archived = store.archived(agency_id, row.document_id)
        if archived is None or archived.state != "stored":
            raise Conflict(
                f"ลำดับที่ {int(row.sk)}: หนังสือไม่อยู่ในที่เก็บแล้ว ย้ายไปบัญชีที่ขอเก็บเองพร้อมเหตุผลก่อน",
                f"line {int(row.sk)} is no longer stored: move it off the list, with the reason, first",
            )
        files = [
            (c["file"], objects.read(c["key"], version_id=c["version"], bucket=_archive_bucket()))
            for c in archived.files or []
        ]
        size += sum(len(data) for _, data in files)
        chosen.append((row, archived, files))
    number = len(parts) + 1
    remaining = len(pending) - len(chosen)
    bag_count = f"{number} of {number}" if remaining == 0 else f"{number} of ?"
    blob, manifest = _bag(principal, item, number, bag_count, chosen, now)
    key = f"{agency_id}/transfers/{year}/transfer-{year}-part-{number:03d}.tar.gz"
    version = objects.archive_put(
        key, blob, retain_until=now + timedelta(days=366 * PACKAGE_LOCK_YEARS), legal_hold=False
    )
    part = {
        "part": number,
        "key": key,
        "version": version,
        "sha256": hashlib.sha256(blob).hexdigest(),
        "lines": [int(r.sk) for r, _, _ in chosen],
        "records": len(chosen),
        "bag_count": bag_count,
        "at": now.isoformat(),
        "by": principal.user_id,
    }
    counts = dict(item.counts or {})
    counts["transferred"] = int(counts.get("transferred", 0)) + len(chosen)
    tx = ddb.Transaction()
    _update_list(
        tx,
        item,
        [store.TransferListItem.packages.set([*parts, part]), store.TransferListItem.counts.set(counts)],
        state="transferred" if remaining == 0 else "packaging",
    )
    audit.record(
        tx,
        principal,
        "archive.transfer_packaged",
        f"transfer/{year}",
        now,
        part=number,
        key=key,
        version=version,
        sha256=part["sha256"],
        files=manifest,
    )
    _commit(tx)
    _mark(principal, year, part, [r for r, _, _ in chosen], now)
    return _answer(agency_id, year, part)


def _mark(
    principal: Principal, year: int, part: dict[str, Any], rows: list[store.TransferRowItem], now: datetime
) -> None:
    """Each record of the part transferred: its line, its archive record (state), off both shelves, and
    its own audit event (its history shows where it went), RECORDS_PER_TX records a transaction."""
    agency_id = principal.agency_id
    for start in range(0, len(rows), RECORDS_PER_TX):
        tx = ddb.Transaction()
        for row in rows[start : start + RECORDS_PER_TX]:
            archived = store.archived(agency_id, row.document_id)
            if archived is None:
                continue
            tx.update(
                f"row-{row.sk}",
                row,
                [
                    store.TransferRowItem.outcome.set("transferred"),
                    store.TransferRowItem.package.set(int(part["part"])),
                ],
                condition=store.TransferRowItem.outcome == "",
            )
            tx.update(
                f"archived-{row.sk}",
                archived,
                [store.ArchivedItem.state.set("transferred")],
                condition=store.ArchivedItem.state == "stored",
            )
            if archived.letter_year is not None:
                tx.delete(
                    f"age-{row.sk}",
                    store.new_shelf(
                        store.age_shelf_pk(agency_id),
                        store.age_shelf_sk(int(archived.letter_year), row.document_id),
                    ),
                )
            if archived.keep_until is not None:
                tx.delete(
                    f"keep-{row.sk}",
                    store.new_shelf(
                        store.keep_shelf_pk(agency_id),
                        store.keep_shelf_sk(int(archived.keep_until), row.document_id),
                    ),
                )
            audit.record(
                tx,
                principal,
                "archive.transferred",
                f"document/{row.document_id}",
                now,
                list=year,
                line=int(row.sk),
                package=part["key"],
                package_version=part["version"],
            )
        tx.commit()


def _bag(
    principal: Principal,
    item: store.TransferListItem,
    number: int,
    bag_count: str,
    chosen: list[tuple[store.TransferRowItem, store.ArchivedItem, list[tuple[str, bytes]]]],
    now: datetime,
) -> tuple[bytes, dict[str, str]]:
    """The bag (made in a temporary folder, then tarred and gzipped): data/records/<line>-<id>/<file>,
    data/metadata/records.csv and .json, data/form-21.pdf; bag-info.txt names the agency, the day, the
    list and the part. Returns the tar.gz and each payload file's SHA-256."""
    import bagit

    from chalicelib.directory import service as directory

    agency_id, year = principal.agency_id, int(item.sk)
    profile = directory.require_profile(agency_id)
    name = f"transfer-{year}-part-{number:03d}"
    records = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / name
        for row, archived, files in chosen:
            listed = []
            for file_name, data in files:
                path = f"records/{int(row.sk):06d}-{row.document_id}/{file_name}{_extension(data)}"
                target = root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                listed.append({"path": f"data/{path}", "sha256": hashlib.sha256(data).hexdigest()})
            records.append(
                {
                    "ลำดับที่": int(row.sk),
                    "รหัสแฟ้ม": row.file_code,
                    "ที่": row.reference,
                    "ลงวันที่": row.letter_date,
                    "เรื่อง": row.subject,
                    "หมายเหตุ": row.note,
                    "document_id": row.document_id,
                    "เก็บถึง พ.ศ.": int(archived.keep_until) if archived.keep_until is not None else None,
                    "files": listed,
                }
            )
        (root / "metadata").mkdir()
        (root / "metadata" / "records.json").write_text(
            json.dumps(
                {"list": title(year, int(item.age_years)), "records": records}, ensure_ascii=False, indent=1
            ),
            encoding="utf-8",
        )
        (root / "metadata" / "records.csv").write_text(_csv(records), encoding="utf-8")
        (root / "form-21.pdf").write_bytes(form_pdf(agency_id, year, "transfer", now=now))
        bag = bagit.make_bag(
            str(root),
            {
                "Source-Organization": profile.name,
                "Bagging-Date": to_bangkok(now).date().isoformat(),
                "External-Description": title(year, int(item.age_years)),
                "External-Identifier": f"{agency_id}/transfers/{year}/part-{number}",
                "Bag-Group-Identifier": f"{agency_id}-transfer-{year}",
                "Bag-Count": bag_count,
                "Contact-Name": f"{principal.name} ({principal.position})".strip(),
            },
            processes=1,
            checksums=["sha256", "sha512"],
        )
        manifest = dict(sorted(bag.payload_entries().items()))
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            archive.add(str(root), arcname=name)
    return buffer.getvalue(), {path: digests["sha256"] for path, digests in manifest.items()}


def _cell(value: str) -> str:
    """A spreadsheet at the receiving end must not run a cell as a formula (CSV injection): a leading
    = + - @ is quoted, as the registers' exports do."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow(
            [
                *(_cell(str(record[c])) for c in CSV_COLUMNS[:7]),
                "" if record["เก็บถึง พ.ศ."] is None else record["เก็บถึง พ.ศ."],
                "; ".join(f"{f['path']}={f['sha256']}" for f in record["files"]),
            ]
        )
    return out.getvalue()


def _extension(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    return ".bin"


def _archive_bucket() -> str:
    from chalicelib.kernel.settings import get_settings

    return get_settings().archive_bucket


def _answer(agency_id: str, year: int, part: dict[str, Any]) -> models.TransferPackage:
    item = _list(agency_id, year)
    remaining = sum(
        1 for r in store.transfer_rows(agency_id, year) if r.on_list == "transfer" and not r.outcome
    )
    url = objects.s3().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": _archive_bucket(),
            "Key": part["key"],
            "VersionId": part["version"],
            "ResponseContentDisposition": f'attachment; filename="{part["key"].rsplit("/", 1)[-1]}"',
        },
        ExpiresIn=LINK_SECONDS,
    )
    return models.TransferPackage(
        year=year,
        part=int(part["part"]),
        records=int(part["records"]),
        bag_count=str(part["bag_count"]),
        sha256=str(part["sha256"]),
        download_url=str(url),
        remaining=remaining,
        state=item.state,
    )


# -- reading -----------------------------------------------------------------------------------------
def _reader(principal: Principal) -> None:
    principal.require(Role.RECORDS, Role.DIRECTOR, Role.ADMIN)


def lists(principal: Principal) -> models.TransferLists:
    _reader(principal)
    return models.TransferLists(lists=[_view(i) for i in store.transfer_lists(principal.agency_id)])


def view(principal: Principal, year: int) -> models.TransferListView:
    _reader(principal)
    return _view(_list(principal.agency_id, year))


def _view(item: store.TransferListItem) -> models.TransferListView:
    counts = item.counts or {}
    return models.TransferListView(
        year=int(item.sk),
        state=item.state,
        state_th=STATE_TH[item.state],
        title=title(int(item.sk), int(item.age_years)),
        age_years=int(item.age_years),
        to_transfer=int(counts.get("transfer", 0)),
        kept_by_agency=int(counts.get("self", 0)),
        transferred=int(counts.get("transferred", 0)),
        classified_left_off=int(item.classified or 0),
        packages=[
            models.TransferPackagePart(
                part=int(p["part"]),
                records=int(p["records"]),
                sha256=p["sha256"],
                bag_count=p["bag_count"],
                made_at=datetime.fromisoformat(p["at"]),
            )
            for p in item.packages or []
        ],
    )


def rows_page(principal: Principal, year: int, query: models.RowsQuery) -> models.TransferRows:
    _reader(principal)
    _list(principal.agency_id, year)
    page = list(store.transfer_rows(principal.agency_id, year, after=query.after, limit=query.limit))
    return models.TransferRows(
        year=year,
        rows=[
            models.TransferRow(
                number=int(r.sk),
                document_id=r.document_id,
                list="self" if r.on_list == "self" else "transfer",
                file_code=r.file_code,
                reference=r.reference,
                letter_date=r.letter_date,
                subject=r.subject,
                note=r.note,
                keep_until=int(r.keep_until) if r.keep_until is not None else None,
                outcome=r.outcome,
                package=int(r.package) if r.package is not None else None,
            )
            for r in page
        ],
        next_after=int(page[-1].sk) if len(page) == query.limit else None,
    )


def form(principal: Principal, year: int, which: str, *, now: datetime) -> tuple[str, bytes]:
    _reader(principal)
    _list(principal.agency_id, year)
    name = "form-21" if which == "transfer" else "kept-by-agency"
    return f"{name}-{year}.pdf", form_pdf(principal.agency_id, year, which, now=now)


def form_pdf(agency_id: str, year: int, which: str, *, now: datetime) -> bytes:
    """แบบที่ 21 (or the agency's own list, in the same columns): ชื่อบัญชี ... ประจำปี พ.ศ., the agency
    (กระทรวง ทบวง กรม กอง), วันที่; the renderer numbers each sheet (หน้า n/N stands for แผ่นที่)."""
    from chalicelib.directory import service as directory
    from chalicelib.pdf.register_book import Column, render_register_book

    item = _list(agency_id, year)
    profile = directory.require_profile(agency_id)
    rows = [
        [str(n), r.file_code, r.reference, _short_date(r.letter_date), r.subject, r.note]
        for n, r in enumerate(
            (r for r in store.transfer_rows(agency_id, year) if r.on_list == which), start=1
        )
    ]
    return render_register_book(
        title(year, int(item.age_years), which),
        f"กระทรวง ทบวง กรม กอง {profile.name}  วันที่ {thai_date(now)}",
        [Column(t, width, align) for t, width, align in FORM_21_COLUMNS],  # type: ignore[arg-type]
        rows,
        generated_at=now,
    )


def _short_date(value: str) -> str:
    return yearly_list.short_date(value)


# -- the list's own state ----------------------------------------------------------------------------
def _list(agency_id: str, year: int) -> store.TransferListItem:
    item = store.transfer_list(agency_id, year)
    if item is None:
        raise NotFound(f"ไม่มีบัญชีส่งมอบหนังสือประจำปี พ.ศ. {year}", f"no transfer list for {year}")
    return item


def _in_state(item: store.TransferListItem, *states: str) -> None:
    yearly_list.require_state(item, STATE_TH, *states)


def _update_list(
    tx: ddb.Transaction, item: store.TransferListItem, actions: list[Any], *, state: str
) -> None:
    yearly_list.update(tx, item, actions, state=state)


def _commit(tx: ddb.Transaction) -> None:
    yearly_list.commit(tx, what_th="บัญชีส่งมอบหนังสือ", what_en="transfer list")
