"""The archive, as the use cases read (docs/rules.md, "Archive"):

1. The agency keeps its retention classes (settings; the regulation's periods are the defaults).
2. The records officer sends a finished matter to storage: its keep-until year (พ.ศ.) is computed from
   its class, it takes the next line of the year's ทะเบียนหนังสือเก็บ, and its files are copied into
   the write-once archive bucket, locked as they land: compliance mode until its keep-until year ends,
   or a legal hold when it is kept forever. S3 itself then refuses to delete or overwrite them.
3. The records officer places and lifts legal holds (with the reason and reference): a held record's
   archived files carry an S3 legal hold, and a held record is never destroyed.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from chalicelib.archive import domain, models, store
from chalicelib.archive.domain import Retention
from chalicelib.documents import service as documents
from chalicelib.documents.domain import FileRole, FileStatus
from chalicelib.kernel import audit, ddb, keys, objects
from chalicelib.kernel.errors import Conflict, NotFound, UnknownReference
from chalicelib.kernel.principal import Principal, Role, may_see_level
from chalicelib.saraban import Secrecy
from chalicelib.signatures import service as signatures
from chalicelib.thai import buddhist_year, to_bangkok


def get_settings(principal: Principal) -> models.ArchiveSettings:
    return settings_of(principal.agency_id)


def settings_of(agency_id: str) -> models.ArchiveSettings:
    raw = store.settings(agency_id) or {"classes": list(domain.DEFAULT_CLASSES)}
    return models.ArchiveSettings.model_validate_json(json.dumps(raw))


def put_settings(
    principal: Principal, command: models.ArchiveSettings, *, now: datetime
) -> models.ArchiveSettings:
    principal.require(Role.ADMIN, Role.RECORDS)
    codes = [c.code for c in command.classes]
    if len(set(codes)) != len(codes):
        raise Conflict("รหัสประเภทการเก็บซ้ำกัน", "a retention class code is given twice")
    month, day = (int(p) for p in command.survey_from.split("-"))
    try:
        date(2001, month, day)  # a common year: the survey's first day must come every year (not 02-29)
    except ValueError as error:
        raise Conflict(
            f"ไม่มีวันที่ {command.survey_from}", f"survey_from {command.survey_from} is no day"
        ) from error
    if any(c.years is None and not c.permanent for c in command.classes):
        raise Conflict("ระบุจำนวนปีที่เก็บ หรือระบุว่าห้ามทำลาย", "a class gives its years or is permanent")
    tx = ddb.Transaction()
    store.save_settings(tx, principal.agency_id, command.model_dump(mode="json"))
    audit.record(tx, principal, "archive.settings_changed", "archive/settings", now, classes=codes)
    tx.commit()
    return command


def _retention(
    principal: Principal, content: dict[str, Any], class_code: str | None
) -> tuple[str, Retention]:
    if class_code is None:  # the document's own: retention_years and permanent, given when it was drafted
        permanent = bool(content.get("permanent"))
        return ("permanent" if permanent else f"{int(content.get('retention_years', 10))}y"), Retention(
            None if permanent else int(content.get("retention_years", 10)), permanent
        )
    found = next((c for c in get_settings(principal).classes if c.code == class_code), None)
    if found is None:
        raise UnknownReference(f"ไม่มีประเภทการเก็บ {class_code}", f"no retention class {class_code}")
    return found.code, Retention(found.years, found.permanent)


def send_to_storage(
    principal: Principal, document_id: str, command: models.StoreCommand, *, now: datetime
) -> models.ArchiveView:
    """การเก็บเมื่อปฏิบัติเสร็จแล้ว (ข้อ 53): a registered record, its keep-until year, its line in the
    ทะเบียนหนังสือเก็บ, and its files locked in the archive. Written first as "storing", then the files
    are copied and the record becomes "stored": a call cut short is simply made again and finishes."""
    principal.require(Role.RECORDS)
    stored = documents.readable(principal, document_id, consistent=True)
    if not stored.item.registrations:
        raise Conflict("ส่งเก็บได้เฉพาะหนังสือที่ลงทะเบียนแล้ว", "only a registered record is sent to storage")
    if not _sources(stored):
        raise Conflict("หนังสือนี้ยังไม่มีไฟล์ให้จัดเก็บ", "the record has no file to store")
    item = store.archived(principal.agency_id, document_id)
    if item is not None and item.state == "stored":
        raise Conflict("หนังสือนี้ส่งเก็บแล้ว", f"the record is stored: line {item.entry}")
    if item is None:
        item = _enter(principal, stored, command, now)
    return _lock_files(principal, stored, item, now)


def send_many_to_storage(
    principal: Principal, command: models.StoreManyCommand, *, now: datetime
) -> models.StoredMany:
    """Several records sent together (the บัญชีหนังสือส่งเก็บ of that day lists them): every one checked
    before any is stored; one already stored is answered as such."""
    principal.require(Role.RECORDS)
    if len(set(command.document_ids)) != len(command.document_ids):
        raise Conflict("ระบุหนังสือซ้ำกัน", "a document is given twice")
    fresh: list[str] = []
    already: list[str] = []
    for document_id in command.document_ids:
        stored = documents.readable(principal, document_id, consistent=True)
        if not stored.item.registrations or not _sources(stored):
            raise Conflict(
                f"หนังสือ {document_id} ยังไม่ได้ลงทะเบียนหรือยังไม่มีไฟล์ จึงส่งเก็บไม่ได้",
                f"document {document_id} is not registered or has no file: nothing was stored",
            )
        item = store.archived(principal.agency_id, document_id)
        (already if item is not None and item.state == "stored" else fresh).append(document_id)
    one = models.StoreCommand.model_validate(command.model_dump(exclude={"document_ids"}))
    return models.StoredMany(
        stored=[send_to_storage(principal, d, one, now=now) for d in fresh], already=already
    )


def storage_list_pdf(
    principal: Principal, query: models.StorageListQuery, *, now: datetime
) -> tuple[str, bytes]:
    """บัญชีหนังสือส่งเก็บ (แบบที่ 19, ข้อ 53.2) of the records sent to storage on one day, from that year's
    ทะเบียนหนังสือเก็บ, with the lines the reader is cleared for."""
    from chalicelib.archive import lists as yearly_list
    from chalicelib.directory import service as directory
    from chalicelib.pdf.register_book import Column, render_register_book
    from chalicelib.thai import thai_date

    principal.require(Role.RECORDS, Role.ADMIN, Role.SARABAN)
    year = buddhist_year(query.stored_on)
    lines = [
        line
        for line in store.lines(principal.agency_id, year)
        if line.stored_on == query.stored_on.isoformat()
        and may_see_level(principal, Secrecy(int(line.secrecy)))
    ]

    profile = directory.require_profile(principal.agency_id)
    pdf = render_register_book(
        f"บัญชีหนังสือส่งเก็บ ประจำปี พ.ศ. {year}",
        f"{profile.name}  วันที่ {thai_date(query.stored_on)}",
        [Column(t, w, a) for t, w, a in FORM_19_COLUMNS],  # type: ignore[arg-type]
        [
            [
                str(n),
                line.file_code,
                line.reference,
                yearly_list.short_date(line.letter_date),
                line.subject,
                line.keep,
                line.note,
            ]
            for n, line in enumerate(lines, start=1)
        ],
        generated_at=now,
    )
    return f"form-19-{query.stored_on.isoformat()}.pdf", pdf


FORM_19_COLUMNS = (  # แบบที่ 19: what the unit sends, with the keep-until the storage unit stamps
    ("ลำดับที่", 16.0, "C"),
    ("รหัสแฟ้ม", 28.0, "L"),
    ("ที่", 36.0, "L"),
    ("ลงวันที่", 24.0, "C"),
    ("เรื่อง", 89.0, "L"),
    ("กำหนดเก็บ", 36.0, "C"),
    ("หมายเหตุ", 48.0, "L"),
)


def _enter(
    principal: Principal, stored: documents.StoredDocument, command: models.StoreCommand, now: datetime
) -> store.ArchivedItem:
    content = stored.item.content
    # An imported record brings its class, its closing day and its file code (archive/legacy.py).
    imported = content.get("imported") or {}
    class_code, retention = _retention(
        principal, content, command.class_code or content.get("retention_class")
    )
    file_code = command.file_code or str(imported.get("file_code", ""))
    today = to_bangkok(now).date()
    # Counted from the year the matter closed (ข้อ 57), which may be before the day it is stored.
    closed_on = command.closed_on or (
        date.fromisoformat(content["closed_on"]) if content.get("closed_on") else today
    )
    keep_until = retention.keep_until(closed_on)
    letter_year = letter_year_of(content, closed_on)
    year = buddhist_year(today)
    registration = stored.item.registrations[0]
    for _ in range(8):  # the register's number is taken with the line, conditionally: a race retries
        current = store.counter(principal.agency_id, year)
        number = (int(current.value) if current else 0) + 1
        item = store.new_archived(
            principal.agency_id,
            stored.document_id,
            state="storing",
            class_code=class_code,
            keep_until=keep_until,
            file_code=file_code,
            note=command.note,
            entry=f"{year}/{number}",
            stored_at=now,
            stored_by=principal.user_id,
            letter_year=letter_year,
        )
        tx = ddb.Transaction()
        tx.put(
            "counter",
            store.new_counter(principal.agency_id, year, number),
            condition=(store.CounterItem.value == number - 1)
            if current
            else store.CounterItem.pk.does_not_exist(),
        )
        tx.put("archived", item, condition=store.ArchivedItem.pk.does_not_exist())
        tx.put(
            "line",
            store.new_line(
                principal.agency_id,
                year,
                number,
                document_id=stored.document_id,
                stored_on=today.isoformat(),
                reference=str(content.get("reference") or registration.get("ref_line") or ""),
                letter_date=str(content.get("letter_date") or ""),
                subject=str(content.get("subject", ""))[:500],
                file_code=file_code,
                keep=Retention.stamp(keep_until),
                note=command.note,
                secrecy=int(stored.item.secrecy),
            ),
        )
        _shelve(tx, principal.agency_id, stored, file_code, keep_until, letter_year=letter_year)
        audit.record(
            tx,
            principal,
            "archive.entered",
            f"document/{stored.document_id}",
            now,
            entry=f"{year}/{number}",
            class_code=class_code,
            keep_until=keep_until,
        )
        try:
            if tx.commit_unless_refused("counter"):
                return item
        except ddb.Cancelled as cancelled:
            if cancelled.failed("archived"):
                raise Conflict("หนังสือนี้กำลังส่งเก็บ", "the record is being stored meanwhile") from cancelled
            raise
    raise Conflict("มีการส่งเก็บพร้อมกันจำนวนมาก โปรดลองอีกครั้ง", "the register kept changing: try again")


def letter_year_of(content: dict[str, Any], closed_on: date) -> int:
    """The ค.ศ. year of the letter's own date (its age for the 20-year transfer, ข้อ 58); the year its
    matter closed when the letter carries no date."""
    try:
        return date.fromisoformat(str(content.get("letter_date"))).year
    except ValueError:
        return closed_on.year


def _shelve(
    tx: ddb.Transaction,
    agency_id: str,
    stored: documents.StoredDocument,
    file_code: str,
    keep_until: int | None,
    *,
    letter_year: int,
) -> None:
    """The record on the shelves the yearly jobs query: by keep-until year (the destruction survey; not
    a record kept forever) and by its letter's year (the 20-year transfer), each with the lists' columns."""
    content = stored.item.content
    letter_date = str(content.get("letter_date") or "")
    registration = stored.item.registrations[0] if stored.item.registrations else {}
    columns = {
        "document_id": stored.document_id,
        "file_code": file_code,
        "reference": str(content.get("reference") or registration.get("ref_line") or ""),
        "letter_date": letter_date,
        "subject": str(content.get("subject", ""))[:500],
        "secrecy": int(stored.item.secrecy),
        "keep_until": keep_until,
    }
    if keep_until is not None:
        tx.put(
            "keep-shelf",
            store.new_shelf(
                store.keep_shelf_pk(agency_id), store.keep_shelf_sk(keep_until, stored.document_id), **columns
            ),
        )
    tx.put(
        "age-shelf",
        store.new_shelf(store.age_shelf_pk(agency_id), f"{letter_year:04d}#{stored.document_id}", **columns),
    )


def _sources(stored: documents.StoredDocument) -> list[tuple[str, str, str | None]]:
    """(name, key, version) of what is archived: the letter as signed (or as checked), its enclosures."""
    found: list[tuple[str, str, str | None]] = []
    letter = signatures.current_pdf(stored)
    if letter is not None:
        found.append(("letter", letter[0], letter[1]))
    for file in stored.files:
        if file.role == FileRole.ENCLOSURE.value and file.status == FileStatus.READY.value:
            found.append((f"enclosure-{file.file_id}", file.object_key, file.version_id))
    return found


def _lock_files(
    principal: Principal, stored: documents.StoredDocument, item: store.ArchivedItem, now: datetime
) -> models.ArchiveView:
    keep_until = int(item.keep_until) if item.keep_until is not None else None
    until = Retention.locked_until(keep_until, stored_on=to_bangkok(item.stored_at).date())
    held = store.hold(principal.agency_id, stored.document_id) is not None
    copied = []
    for name, key, version in _sources(stored):
        data = objects.read(key, version_id=version)
        note = ""
        if name == "letter":
            data, note = stamped(data, keep_until)
        target = f"{principal.agency_id}/{stored.document_id}/{name}"
        archived_version = objects.archive_put(
            target, data, retain_until=until, legal_hold=held or keep_until is None
        )
        copied.append({"file": name, "key": target, "version": archived_version, "source": key, "note": note})
    tx = ddb.Transaction()
    from chalicelib.archive import renewal  # B-LTA letters: their next document timestamp, due-listed

    renewal.schedule(tx, principal.agency_id, stored.document_id, copied, now=now)
    tx.update(
        "archived",
        item,
        [store.ArchivedItem.files.set(copied), store.ArchivedItem.state.set("stored")],
        condition=store.ArchivedItem.state == "storing",
    )
    audit.record(
        tx,
        principal,
        "archive.stored",
        f"document/{stored.document_id}",
        now,
        files=[c["key"] for c in copied],
        locked_until=until.isoformat(),
        legal_hold=held or keep_until is None,
    )
    if not tx.commit_unless_refused("archived"):
        raise Conflict("หนังสือนี้ส่งเก็บแล้ว", "the record was stored meanwhile")
    if not held and store.hold(principal.agency_id, stored.document_id) is not None:
        _set_legal_holds(principal.agency_id, stored.document_id, on=True)  # held while it was storing
    return view(principal, stored.document_id)


def stamped(pdf: bytes, keep_until: int | None) -> tuple[bytes, str]:
    """The letter with its ตรากำหนดเก็บ (ข้อ 73) at the bottom right of page 1, its signatures still
    valid; when its signatures forbid the addition (or it is sealed), the letter as it is, and why."""
    from chalicelib.pdf.retention_stamp import StampNotAllowed, stamp_retention
    from chalicelib.pdf.stamp_errors import PdfStampError

    try:
        return stamp_retention(pdf, Retention.stamp(keep_until), forever=keep_until is None), ""
    except StampNotAllowed as error:
        return pdf, f"ไม่ได้ประทับตรากำหนดเก็บ: ลายมือชื่อรับรองเอกสารไม่อนุญาตให้เพิ่ม ({error})"
    except PdfStampError as error:
        return pdf, f"ไม่ได้ประทับตรากำหนดเก็บ: {error}"


def view(principal: Principal, document_id: str) -> models.ArchiveView:
    documents.readable(principal, document_id)
    item = store.archived(principal.agency_id, document_id)
    if item is None:
        raise NotFound("หนังสือนี้ยังไม่ได้ส่งเก็บ", f"document {document_id} is not in storage")
    hold = store.hold(principal.agency_id, document_id)
    keep_until = int(item.keep_until) if item.keep_until is not None else None
    files = []
    tombstone = store.tombstone(principal.agency_id, document_id) if item.state == "destroyed" else None
    for copied in [] if tombstone else item.files or []:  # a destroyed record's files are gone
        lock = objects.archive_lock(copied["key"], copied["version"])
        until = lock.get("RetainUntilDate")
        files.append(
            models.ArchivedFile(
                file=copied["file"],
                note=copied.get("note", ""),
                locked_until=until if isinstance(until, datetime) else None,
                legal_hold=lock.get("LegalHold") == "ON",
            )
        )
    return models.ArchiveView(
        document_id=document_id,
        state=item.state,
        class_code=item.class_code,
        keep_until=keep_until,
        stamp=Retention.stamp(keep_until),
        stored_on=to_bangkok(item.stored_at).date(),
        register_line=item.entry,
        held=hold is not None,
        hold_reason=hold.reason if hold else "",
        files=files,
        destroyed_at=tombstone.destroyed_at if tombstone else None,
        destroyed_under=f"บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {int(tombstone.list_year)} ลำดับที่ {int(tombstone.row)}"
        if tombstone
        else "",
    )


# -- legal holds --------------------------------------------------------------------------------------
def place_hold(principal: Principal, command: models.HoldCommand, *, now: datetime) -> models.Held:
    """A legal hold on each record (stored or not yet): never listed for destruction, and its archived
    files held by S3 until the hold is lifted."""
    principal.require(Role.RECORDS)
    for document_id in command.document_ids:  # every one readable before any is held
        documents.readable(principal, document_id)
    held: list[str] = []
    already: list[str] = []
    for document_id in command.document_ids:
        tx = ddb.Transaction()
        tx.put(
            "hold",
            store.new_hold(
                principal.agency_id,
                document_id,
                reason=command.reason,
                reference=command.reference,
                by=principal.user_id,
                at=now,
            ),
            condition=store.HoldItem.pk.does_not_exist(),
        )
        tx.put("held-index", store.new_held_index(principal.agency_id, document_id, command.reason))
        # A record whose destruction has begun cannot be held any more (archive/destruction.py claims it).
        tx.check(
            "archived",
            store.ArchivedItem,
            keys.document_pk(principal.agency_id, document_id),
            store.ARCHIVED_SK,
            store.ArchivedItem.pk.does_not_exist() | (store.ArchivedItem.state != "destroying"),
        )
        audit.record(
            tx,
            principal,
            "archive.held",
            f"document/{document_id}",
            now,
            reason=command.reason,
            reference=command.reference,
        )
        try:
            committed = tx.commit_unless_refused("hold")
        except ddb.Cancelled as cancelled:
            if cancelled.failed("archived"):
                raise Conflict(
                    "หนังสือนี้อยู่ระหว่างการทำลาย จึงระงับการทำลายไม่ได้แล้ว",
                    f"document {document_id} is being destroyed: it can no longer be held",
                ) from cancelled
            raise
        (held if committed else already).append(document_id)
        _set_legal_holds(principal.agency_id, document_id, on=True)  # again for "already": idempotent
    return models.Held(held=held, already=already)


def lift_hold(
    principal: Principal, document_id: str, command: models.LiftCommand, *, now: datetime
) -> models.Held:
    principal.require(Role.RECORDS)
    documents.readable(principal, document_id)
    current = store.hold(principal.agency_id, document_id)
    if current is None:
        raise NotFound("หนังสือนี้ไม่มีการระงับการทำลาย", f"document {document_id} is not held")
    tx = ddb.Transaction()
    tx.delete("hold", current, condition=store.HoldItem.pk.exists())
    tx.delete("held-index", store.new_held_index(principal.agency_id, document_id, current.reason))
    audit.record(
        tx,
        principal,
        "archive.hold_lifted",
        f"document/{document_id}",
        now,
        reason=command.reason,
        held_for=current.reason,
    )
    tx.commit()
    _set_legal_holds(principal.agency_id, document_id, on=False)
    return models.Held(held=[], already=[], lifted=[document_id])


def _set_legal_holds(agency_id: str, document_id: str, *, on: bool) -> None:
    """The archived files follow the record's hold; a record kept forever keeps its own legal hold."""
    item = store.archived(agency_id, document_id)
    if item is None or item.keep_until is None:
        return
    for copied in item.files or []:
        for version in [copied["version"], *copied.get("earlier", [])]:  # renewed letters keep their past
            objects.archive_legal_hold(copied["key"], version, on=on)


def register(principal: Principal, query: models.RegisterQuery) -> models.StoredRegister:
    """The ทะเบียนหนังสือเก็บ of a year: วันเก็บ, ลำดับที่, ที่, ลงวันที่, เรื่อง, รหัสแฟ้ม, กำหนดเก็บ, หมายเหตุ."""
    principal.require(Role.RECORDS, Role.ADMIN, Role.SARABAN)
    return models.StoredRegister(
        year=query.year,
        entries=[
            models.StoredLine(
                number=int(line.sk),
                stored_on=date.fromisoformat(line.stored_on),
                reference=line.reference,
                letter_date=line.letter_date,
                subject=line.subject,
                file_code=line.file_code,
                keep=line.keep,
                note=line.note,
                document_id=line.document_id,
            )
            for line in store.lines(principal.agency_id, query.year)
            # a classified record's line only for those cleared for its level (docs/rules.md,
            # "Secrecy in the registers")
            if may_see_level(principal, Secrecy(int(line.secrecy)))
        ],
    )


# -- the verifiable audit trail (archive/trail.py) ------------------------------------------------------
def seal_audit(*, now: datetime) -> int:
    """Seal every agency's ended days of audit events (hourly, from the clean-up job), each timestamped
    by the agency's own time-stamping authority when its signing settings name one."""
    from chalicelib.archive import trail
    from chalicelib.directory import service as directory

    agencies = []
    for listed in directory.listed_agencies():
        profile = directory.agency_profile(listed.id)
        signing = (profile.settings.get("signing") or {}) if profile else {}
        agencies.append((listed.id, signing.get("tsa_url")))
    return trail.seal_due(now=now, agencies=agencies)
