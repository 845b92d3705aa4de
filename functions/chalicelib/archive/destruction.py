"""The yearly destruction of records (ระเบียบงานสารบรรณ ข้อ 66–70; docs/rules.md, "Destruction"), as the
use cases read:

1. Within the days after a year ends (settings: 1 January and 60 days), the survey lists every stored
   record whose keep-until year has passed, from the keep-until shelf (a query, never a scan), on the
   บัญชีหนังสือขอทำลาย (แบบที่ 25). Held records, records kept forever, classified records (they are
   destroyed under the secrecy regulation, not this list) and records still on an open list are left off.
2. The head of the agency appoints the committee: a chair and at least two members, each of a level
   ข้อ 67 allows (checked against their position).
3. The committee marks each line: X (destroy) or kept longer, with the reason. A longer keep is written
   back at once: the record's keep-until year, its line in the ทะเบียนหนังสือเก็บ, its archived files'
   locks, and a new archived copy of the letter with the new ตรากำหนดเก็บ.
4. The chair reports; the head approves: แบบที่ 25 becomes a document for the head to sign.
5. The signed list goes to the National Archives (ข้อ 69); their answer names the records they keep,
   or, with no answer in the settings' days, their consent is deemed, and the list says so.
6. Destruction removes every byte of each approved record, in the files and the archive buckets (S3
   refuses while a lock holds), keeps its register lines and a tombstone with what went, when and by
   whose decision, and drafts the committee's บันทึกการทำลาย for them to sign.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.archive import lists as yearly_list
from chalicelib.archive import models, store
from chalicelib.archive.domain import Retention
from chalicelib.documents import models as document_models
from chalicelib.documents import service as documents
from chalicelib.documents.domain import FileRole
from chalicelib.kernel import audit, ddb, keys, log, objects
from chalicelib.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.kernel.principal import Principal, Role, may_see_level, system_principal
from chalicelib.saraban import Secrecy
from chalicelib.thai import buddhist_year, thai_date, to_bangkok

ACTOR = "system:archive"
ROWS_PER_TX = 90  # rows and the list's own update in one transaction, under DynamoDB's 100
EXTENDS_PER_CALL = 10  # each rewrites a stamped letter: bounded so a call ends well inside 29 s
STATE_TH = {
    "surveying": "กำลังจัดทำบัญชี",
    "surveyed": "จัดทำบัญชีแล้ว รอแต่งตั้งคณะกรรมการทำลายหนังสือ",
    "reviewing": "คณะกรรมการกำลังพิจารณา",
    "reported": "คณะกรรมการรายงานแล้ว รอหัวหน้าส่วนราชการอนุมัติ",
    "approved": "อนุมัติแล้ว รอลงนามในบัญชีและส่งสำนักหอจดหมายเหตุแห่งชาติ",
    "sent": "ส่งสำนักหอจดหมายเหตุแห่งชาติแล้ว รอคำตอบ",
    "consented": "สำนักหอจดหมายเหตุแห่งชาติเห็นชอบแล้ว รอทำลาย",
    "destroying": "กำลังทำลาย",
    "destroyed": "ทำลายแล้ว",
}
FORM_25_COLUMNS = (  # แบบที่ 25 (ข้อ 66)
    ("ลำดับที่", 16.0, "C"),
    ("รหัสแฟ้ม", 28.0, "L"),
    ("ที่", 36.0, "L"),
    ("ลงวันที่", 24.0, "C"),
    ("เรื่อง", 83.0, "L"),
    ("การพิจารณา", 40.0, "C"),
    ("หมายเหตุ", 50.0, "L"),
)


# -- 1. the survey -----------------------------------------------------------------------------------
def survey_now(
    principal: Principal, command: models.SurveyCommand, *, now: datetime
) -> models.DestructionListView:
    """The records officer runs the survey at once (an agency may survey more often than yearly)."""
    principal.require(Role.RECORDS)
    if command.year > buddhist_year(now):
        raise InvalidInput(
            "สำรวจได้เฉพาะปีที่ผ่านมาแล้วหรือปีปัจจุบัน", f"{command.year} has not begun: survey a year that has"
        )
    existing = store.destruction_list(principal.agency_id, command.year)
    if existing is not None and existing.state != "surveying":
        raise Conflict(f"มีบัญชีหนังสือขอทำลายประจำปี พ.ศ. {command.year} แล้ว", f"the {command.year} list exists")
    survey(principal.agency_id, command.year, now=now, actor=principal.user_id)
    return view(principal, command.year)


def survey(agency_id: str, year: int, *, now: datetime, actor: str) -> store.DestructionListItem:
    """แบบที่ 25 for the records kept to `year` or before. The list is claimed first ("surveying": two
    surveys at once cannot both write rows), then the rows, then the list is "surveyed": a survey cut
    short is simply run again (it writes the same rows and drops any left over)."""
    claimed = store.destruction_list(agency_id, year)
    if claimed is None:
        fresh = store.new_destruction_list(
            agency_id, year, state="surveying", rows=0, surveyed_at=now, counts={}
        )
        tx = ddb.Transaction()
        tx.put("list", fresh, condition=store.DestructionListItem.pk.does_not_exist())
        if not tx.commit_unless_refused("list"):
            raise Conflict(f"มีบัญชีหนังสือขอทำลายประจำปี พ.ศ. {year} แล้ว", f"the {year} list was made meanwhile")
        claimed = store.destruction_list(agency_id, year)
        assert claimed is not None
    elif claimed.state != "surveying":
        raise Conflict(f"มีบัญชีหนังสือขอทำลายประจำปี พ.ศ. {year} แล้ว", f"the {year} list exists")
    left_off = store.held_ids(agency_id) | _on_open_lists(agency_id, but=year)
    number = 0
    tx = ddb.Transaction()
    pending = 0
    due = [
        shelf
        for shelf in store.due_for_destruction(agency_id, year)
        if shelf.document_id not in left_off and int(shelf.secrecy or 0) <= Secrecy.NORMAL
    ]
    # The form's order: by keep-until year, then by file (รหัสแฟ้ม), the letter's date and its ที่.
    # (Code-point order: the hourly job carries no Thai collator, and file codes start with consonants.)
    due.sort(key=lambda s: (int(s.keep_until or 0), s.file_code, s.letter_date, s.reference, s.document_id))
    for shelf in due:
        number += 1
        tx.put(
            f"row-{number}",
            store.new_row(
                agency_id,
                year,
                number,
                document_id=shelf.document_id,
                file_code=shelf.file_code,
                reference=shelf.reference,
                letter_date=shelf.letter_date,
                subject=shelf.subject,
                secrecy=int(shelf.secrecy or 0),
                keep_until=int(shelf.keep_until or 0),
            ),
        )
        pending += 1
        if pending == ROWS_PER_TX:
            tx.commit()
            tx, pending = ddb.Transaction(), 0
    for stale in store.rows(agency_id, year, after=number):  # from an earlier, longer run cut short
        tx.delete(f"stale-{stale.sk}", stale)
        pending += 1
        if pending == ROWS_PER_TX:
            tx.commit()
            tx, pending = ddb.Transaction(), 0
    if pending:
        tx.commit()
    tx = ddb.Transaction()
    _update_list(
        tx,
        claimed,
        [store.DestructionListItem.rows.set(number), store.DestructionListItem.surveyed_at.set(now)],
        state="surveyed",
    )
    audit.add_to(
        tx,
        audit.AuditEvent(
            agency_id,
            actor,
            "archive.destruction_surveyed",
            f"destruction/{year}",
            now,
            after={"rows": number},
        ),
    )
    _commit(tx)
    found = store.destruction_list(agency_id, year)
    assert found is not None
    return found


def _on_open_lists(agency_id: str, *, but: int) -> set[str]:
    """Records on another list whose procedure has not finished with them: listed once, not twice."""
    found: set[str] = set()
    for listed in store.destruction_lists(agency_id):
        if listed.state == "destroyed" or int(listed.sk) == but:
            continue
        found |= {r.document_id for r in store.rows(agency_id, int(listed.sk)) if not r.outcome}
    # A record on an unfinished 20-year transfer is the Archives' to take, not the destruction's.
    for transfer in store.transfer_lists(agency_id):
        if transfer.state != "transferred":
            found |= {
                r.document_id
                for r in store.transfer_rows(agency_id, int(transfer.sk))
                if r.on_list == "transfer" and not r.outcome
            }
    return found


def survey_due(*, now: datetime, agencies: Iterable[str]) -> int:
    """The scheduled survey (from the hourly clean-up): for each agency, inside its survey days after a
    year ends, the last year's list when it has none yet. How many lists were made."""
    made = 0
    for agency_id in agencies:
        try:
            settings = _settings(agency_id)
            today = to_bangkok(now).date()
            month, day = (int(p) for p in settings.survey_from.split("-"))
            start = date(today.year, month, day)
            if not start <= today < start + timedelta(days=settings.survey_days):
                continue
            year = buddhist_year(today) - 1
            existing = store.destruction_list(agency_id, year)
            if existing is None or existing.state == "surveying":  # none yet, or one cut short
                survey(agency_id, year, now=now, actor=ACTOR)
                made += 1
        except Exception:  # one agency's failure never stops the others; the next hour tries again
            log.logger.exception("destruction survey failed", extra={"agency": agency_id})
    return made


def _settings(agency_id: str) -> models.ArchiveSettings:
    from chalicelib.archive import service

    return service.settings_of(agency_id)


def destruction_jobs(*, now: datetime, budget_seconds: float) -> dict[str, int]:
    """The procedure's scheduled part, for every agency (from the hourly clean-up)."""
    from chalicelib.directory import service as directory

    agencies = [listed.id for listed in directory.listed_agencies()]
    return {
        "destruction_lists_made": survey_due(now=now, agencies=agencies),
        "records_destroyed": destroy_due(now=now, agencies=agencies, budget_seconds=budget_seconds),
    }


# -- 2. the committee --------------------------------------------------------------------------------
def appoint(
    principal: Principal, year: int, command: models.CommitteeCommand, *, now: datetime
) -> models.DestructionListView:
    """ข้อ 66–67: the head of the agency appoints a chair and at least two members, of the levels the
    rule allows (the agency's settings name the level words; a member's position must carry one)."""
    principal.require(Role.DIRECTOR)
    item = _list(principal.agency_id, year)
    _in_state(item, "surveyed", "reviewing")
    people = [command.chair, *command.members]
    if len(set(people)) != len(people):
        raise InvalidInput("ประธานและกรรมการต้องเป็นคนละคนกัน", "the chair and each member are different people")
    levels = _settings(principal.agency_id).committee_levels
    members = []
    for user_id in people:
        member = _user(principal.agency_id, user_id)
        if not any(level in member.position for level in levels):
            raise Conflict(
                f"{member.name} ({member.position or 'ไม่ระบุตำแหน่ง'}) มีระดับตำแหน่งไม่ถึงที่ระเบียบกำหนดสำหรับ"
                "กรรมการทำลายหนังสือ (ข้อ 67: ประเภทวิชาการระดับปฏิบัติการ หรือประเภททั่วไประดับชำนาญงานขึ้นไป)",
                f"{user_id}'s position {member.position!r} names none of the levels ข้อ 67 allows: "
                f"{', '.join(levels)}",
            )
        members.append(
            {
                "user_id": user_id,
                "name": member.name,
                "position": member.position,
                "role": "chair" if user_id == command.chair else "member",
            }
        )
    committee = {
        "order": command.order_reference,
        "members": members,
        "by": principal.user_id,
        "at": now.isoformat(),
    }
    _change(
        principal,
        item,
        [store.DestructionListItem.committee.set(committee)],
        "archive.destruction_committee_appointed",
        now,
        state="reviewing",
        order=command.order_reference,
        members=people,
    )
    return view(principal, year)


def _user(agency_id: str, user_id: str) -> Principal:
    from chalicelib.directory import service as directory

    found = directory.principal_for(agency_id, user_id)
    if found is None:
        raise InvalidInput(f"ไม่พบผู้ใช้ {user_id} ในหน่วยงาน", f"no active user {user_id} in the agency")
    return found


def _member_role(principal: Principal, item: store.DestructionListItem) -> str:
    for member in (item.committee or {}).get("members", []):
        if member["user_id"] == principal.user_id:
            return str(member["role"])
    raise Forbidden(
        "เฉพาะคณะกรรมการทำลายหนังสือที่ได้รับแต่งตั้ง", "only the appointed destruction committee does this"
    )


# -- 3. the review -----------------------------------------------------------------------------------
def review(
    principal: Principal, year: int, command: models.ReviewCommand, *, now: datetime
) -> models.DestructionListView:
    """ข้อ 68: a member of the committee marks lines X (destroy) or keeps them longer, with the reason.
    A longer keep is final and written back to the record at once; X may be changed until the report."""
    item = _list(principal.agency_id, year)
    _member_role(principal, item)
    _in_state(item, "reviewing")
    numbers = [d.number for d in command.decisions]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("ลำดับที่ซ้ำกันในการพิจารณาครั้งเดียว", "a line is decided twice in one call")
    extends = [d for d in command.decisions if d.decision == "extend"]
    if len(extends) > EXTENDS_PER_CALL:
        raise InvalidInput(
            f"ขยายเวลาเก็บได้ครั้งละไม่เกิน {EXTENDS_PER_CALL} รายการ",
            f"at most {EXTENDS_PER_CALL} extensions a call: each stamps the letter again",
        )
    rows = {}
    for decision in command.decisions:  # every line checked before any is changed
        row = store.row(principal.agency_id, year, decision.number)
        if row is None:
            raise NotFound(f"ไม่มีลำดับที่ {decision.number} ในบัญชี", f"the list has no line {decision.number}")
        if row.decision == "extend":
            raise Conflict(
                f"ลำดับที่ {decision.number} ขยายเวลาเก็บถึง พ.ศ. {row.extended_to} แล้ว",
                f"line {decision.number} was kept longer already: that is final",
            )
        if decision.decision == "extend" and (decision.extend_years is None or not decision.reason.strip()):
            raise InvalidInput(
                f"ลำดับที่ {decision.number}: ระบุจำนวนปีที่ขยายและเหตุผล",
                f"line {decision.number}: an extension gives its years and its reason",
            )
        rows[decision.number] = row
    marks = [d for d in command.decisions if d.decision != "extend"]
    for start in range(0, len(marks), ROWS_PER_TX):
        _mark(principal, year, [(d, rows[d.number]) for d in marks[start : start + ROWS_PER_TX]], now)
    for decision in extends:
        _extend(principal, year, rows[decision.number], decision, now)
    return view(principal, year)


def _mark(
    principal: Principal,
    year: int,
    chunk: list[tuple[models.RowDecision, store.DestructionRowItem]],
    now: datetime,
) -> None:
    item = _list(principal.agency_id, year)
    counts = dict(item.counts or {})
    tx = ddb.Transaction()
    for decision, row in chunk:
        value = "" if decision.decision == "undecided" else "destroy"
        if row.decision == value:
            continue
        if row.decision:
            counts[row.decision] = counts.get(row.decision, 0) - 1
        if value:
            counts[value] = counts.get(value, 0) + 1
        tx.update(
            f"row-{row.sk}",
            row,
            [
                store.DestructionRowItem.decision.set(value),
                store.DestructionRowItem.decided_by.set(principal.user_id),
            ],
            condition=store.DestructionRowItem.decision == row.decision,
        )
    _update_list(tx, item, [store.DestructionListItem.counts.set(counts)], state="reviewing")
    audit.record(
        tx,
        principal,
        "archive.destruction_marked",
        f"destruction/{year}",
        now,
        lines={d.number: d.decision for d, _ in chunk},
    )
    _commit(tx)


def _extend(
    principal: Principal,
    year: int,
    row: store.DestructionRowItem,
    decision: models.RowDecision,
    now: datetime,
) -> None:
    """Kept longer (ข้อ 68.1): the record's keep-until year, its stored-register line, the locks of its
    archived files and a new archived copy of its letter stamped with the new year."""
    from chalicelib.archive import service

    agency_id = principal.agency_id
    archived = store.archived(agency_id, row.document_id)
    if archived is None or archived.state != "stored" or archived.keep_until is None:
        raise Conflict(f"ลำดับที่ {int(row.sk)}: หนังสือไม่อยู่ในที่เก็บแล้ว", f"line {int(row.sk)} is not stored")
    old_keep = int(archived.keep_until)
    new_keep = old_keep + int(decision.extend_years or 0)
    until = Retention.locked_until(new_keep, stored_on=to_bangkok(archived.stored_at).date())
    held = store.hold(agency_id, row.document_id) is not None
    files = []
    for copied in archived.files or []:
        entry = dict(copied)
        for version in [copied["version"], *copied.get("earlier", [])]:  # every version kept as long
            objects.archive_extend(copied["key"], version, retain_until=until)
        if copied["file"] == "letter":  # the ตรากำหนดเก็บ names the new year: a new locked version
            data, note = service.stamped(objects.read(copied["source"]), new_keep)
            entry["version"] = objects.archive_put(copied["key"], data, retain_until=until, legal_hold=held)
            entry["earlier"] = [*copied.get("earlier", []), copied["version"]]
            entry["note"] = note
        files.append(entry)
    item = _list(agency_id, year)
    counts = dict(item.counts or {})
    if row.decision:
        counts[row.decision] = counts.get(row.decision, 0) - 1
    counts["extend"] = counts.get("extend", 0) + 1
    entry_year, entry_number = (int(p) for p in archived.entry.split("/"))
    tx = ddb.Transaction()
    tx.update(
        "archived",
        archived,
        [store.ArchivedItem.keep_until.set(new_keep), store.ArchivedItem.files.set(files)],
        condition=store.ArchivedItem.keep_until == old_keep,
    )
    shelf = store.new_shelf(store.keep_shelf_pk(agency_id), store.keep_shelf_sk(old_keep, row.document_id))
    tx.delete("old-shelf", shelf)
    tx.put(
        "new-shelf",
        store.new_shelf(
            store.keep_shelf_pk(agency_id),
            store.keep_shelf_sk(new_keep, row.document_id),
            document_id=row.document_id,
            file_code=row.file_code,
            reference=row.reference,
            letter_date=row.letter_date,
            subject=row.subject,
            secrecy=int(row.secrecy),
            keep_until=new_keep,
        ),
    )
    tx.update(
        "line",
        store.new_line(agency_id, entry_year, entry_number, keep=""),
        [store.LineItem.keep.set(Retention.stamp(new_keep))],
        condition=store.LineItem.pk.exists(),
    )
    tx.update(
        f"row-{row.sk}",
        row,
        [
            store.DestructionRowItem.decision.set("extend"),
            store.DestructionRowItem.extended_to.set(new_keep),
            store.DestructionRowItem.reason.set(decision.reason),
            store.DestructionRowItem.decided_by.set(principal.user_id),
            store.DestructionRowItem.outcome.set("extended"),
        ],
        condition=store.DestructionRowItem.decision == row.decision,
    )
    _update_list(tx, item, [store.DestructionListItem.counts.set(counts)], state="reviewing")
    audit.record(
        tx,
        principal,
        "archive.retention_extended",
        f"document/{row.document_id}",
        now,
        list=year,
        line=int(row.sk),
        keep_until=new_keep,
        was=old_keep,
        reason=decision.reason,
    )
    _commit(tx)


# -- 4. report and approval --------------------------------------------------------------------------
def report(principal: Principal, year: int, *, now: datetime) -> models.DestructionListView:
    """ข้อ 68.3: the chair reports the committee's decisions to the head, every line decided."""
    item = _list(principal.agency_id, year)
    if _member_role(principal, item) != "chair":
        raise Forbidden("ประธานกรรมการเป็นผู้รายงาน", "the chair reports")
    _in_state(item, "reviewing")
    undecided = _undecided(item)
    if undecided:
        raise Conflict(
            f"ยังมี {undecided} รายการที่คณะกรรมการยังไม่ได้พิจารณา", f"{undecided} lines are not decided yet"
        )
    _change(
        principal,
        item,
        [store.DestructionListItem.reported_at.set(now)],
        "archive.destruction_reported",
        now,
        state="reported",
    )
    return view(principal, year)


def approve(
    principal: Principal, year: int, command: models.ApproveCommand, *, now: datetime
) -> models.DestructionListView:
    """The head approves; แบบที่ 25 as the committee decided it becomes a document for the head to sign
    before it goes to the National Archives (ข้อ 69)."""
    principal.require(Role.DIRECTOR)
    item = _list(principal.agency_id, year)
    if item.state == "approved" and _resume_form(principal.agency_id, item, now):
        return view(principal, year)  # approved before, its form's bytes lost on the way: written now
    _in_state(item, "reported")
    pdf = form_25_pdf(principal.agency_id, year, now=now)
    system = system_principal(principal.agency_id, ACTOR)
    draft = document_models.DocumentDraft.model_validate_json(
        json.dumps(
            {
                "kind": "record",
                "sub_kind": "other",
                "subject": f"บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {year}",
                "signers": [principal.user_id],
                "permanent": True,  # the proof of what was destroyed is itself never destroyed
            }
        )
    )
    document = documents.new_document_item(system, draft, now=now)
    document.grants = sorted(
        {principal.user_id, *(m["user_id"] for m in (item.committee or {}).get("members", []))}
    )
    document_id = documents.document_id_of(document)
    file = documents.pending_file(
        system,
        documents.StoredDocument(document, []),
        keys.new_id(),
        role=FileRole.MAIN,
        filename=f"form-25-{year}.pdf",
        declared_type="application/pdf",
        now=now,
    )
    tx = ddb.Transaction()
    documents.add_new_document(tx, document)
    tx.put("file", file, condition=type(file).pk.does_not_exist())
    audit.add_to(tx, documents.created_event(system, document, now))
    approval = {
        "by": principal.user_id,
        "name": principal.name,
        "position": principal.position,
        "at": now.isoformat(),
        "note": command.note,
    }
    _update_list(
        tx,
        item,
        [
            store.DestructionListItem.approved.set(approval),
            store.DestructionListItem.list_document_id.set(document_id),
        ],
        state="approved",
    )
    audit.record(
        tx, principal, "archive.destruction_approved", f"destruction/{year}", now, document=document_id
    )
    _commit(tx)
    # The bytes land after the records: the upload check then pins them, as for any upload.
    objects.write(file.object_key, pdf, content_type="application/pdf")
    return view(principal, year)


def _resume_form(agency_id: str, item: store.DestructionListItem, now: datetime) -> bool:
    """An approval cut short after its records and before its form's bytes: the pending file gets them."""
    listed = documents.load(agency_id, item.list_document_id or "", consistent=True)
    pending = [f for f in listed.files if f.status == "pending"] if listed else []
    if not pending:
        return False
    objects.write(
        pending[0].object_key, form_25_pdf(agency_id, int(item.sk), now=now), content_type="application/pdf"
    )
    return True


def form_25_pdf(agency_id: str, year: int, *, now: datetime) -> bytes:
    """บัญชีหนังสือขอทำลาย (แบบที่ 25) with the committee's การพิจารณา, as the register forms print."""
    from chalicelib.directory import service as directory
    from chalicelib.pdf.register_book import Column, render_register_book

    profile = directory.require_profile(agency_id)
    rows = [
        [
            str(int(row.sk)),
            row.file_code,
            row.reference,
            _short_date(row.letter_date),
            row.subject,
            consideration(row),
            row.reason,
        ]
        for row in store.rows(agency_id, year)
    ]
    return render_register_book(
        f"บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {year}",
        f"{profile.name}  วันที่ {thai_date(now)}",
        [Column(title, width, align) for title, width, align in FORM_25_COLUMNS],  # type: ignore[arg-type]
        rows,
        generated_at=now,
    )


def consideration(row: store.DestructionRowItem) -> str:
    """The การพิจารณา column (ข้อ 68): X to destroy, the new year when kept longer."""
    if row.decision == "destroy":
        return "ทำลายแล้ว" if row.outcome == "destroyed" else "X"
    if row.decision == "extend":
        return f"ขยายเวลาเก็บถึง พ.ศ. {row.extended_to}"
    if row.decision == "archives":
        return "สำนักหอจดหมายเหตุแห่งชาติขอเก็บ"
    return ""


def _short_date(value: str) -> str:
    return yearly_list.short_date(value)


def record_sent(
    principal: Principal, year: int, command: models.SentCommand, *, now: datetime
) -> models.DestructionListView:
    """ข้อ 69: the list, signed by the head, went to the National Archives; their days count from here."""
    principal.require(Role.RECORDS)
    item = _list(principal.agency_id, year)
    _in_state(item, "approved")
    listed = documents.load(principal.agency_id, item.list_document_id or "")
    if listed is None or not listed.item.signatures:
        raise Conflict("หัวหน้าส่วนราชการยังไม่ได้ลงนามในบัญชีหนังสือขอทำลาย", "the head has not signed the list yet")
    if command.sent_on > to_bangkok(now).date():
        raise InvalidInput("วันที่ส่งต้องไม่เป็นวันในอนาคต", "sent_on is in the future")
    approved_on = to_bangkok(datetime.fromisoformat((item.approved or {})["at"])).date()
    if command.sent_on < approved_on:  # the Archives' 60 days cannot start before the head approved
        raise InvalidInput(
            "วันที่ส่งต้องไม่ก่อนวันที่หัวหน้าส่วนราชการอนุมัติ", f"sent_on is before the approval on {approved_on}"
        )
    sent = {
        "on": command.sent_on.isoformat(),
        "via": command.via,
        "reference": command.reference,
        "by": principal.user_id,
    }
    _change(
        principal,
        item,
        [store.DestructionListItem.sent.set(sent)],
        "archive.destruction_list_sent",
        now,
        state="sent",
        **sent,
    )
    return view(principal, year)


def record_answer(
    principal: Principal, year: int, command: models.AnswerCommand, *, now: datetime
) -> models.DestructionListView:
    """The Archives' answer: the lines they keep are separated for transfer and never destroyed here;
    the rest may be destroyed."""
    principal.require(Role.RECORDS)
    item = _list(principal.agency_id, year)
    _in_state(item, "sent")
    if command.received_on < date.fromisoformat(item.sent["on"]):
        raise InvalidInput("วันที่ได้รับคำตอบอยู่ก่อนวันที่ส่งบัญชี", "received_on is before the list was sent")
    selected = sorted(set(command.selected))
    rows = []
    for number in selected:  # every line checked first; one kept already (a call cut short) is fine
        row = store.row(principal.agency_id, year, number)
        if row is None or row.decision not in ("destroy", "archives"):
            raise Conflict(
                f"ลำดับที่ {number} ไม่ใช่รายการที่ขอทำลาย", f"line {number} is not one the committee marked X"
            )
        if row.decision == "destroy":
            rows.append(row)
    for start in range(0, len(rows), ROWS_PER_TX // 2):
        tx = ddb.Transaction()
        for row in rows[start : start + ROWS_PER_TX // 2]:
            tx.update(
                f"row-{row.sk}",
                row,
                [
                    store.DestructionRowItem.decision.set("archives"),
                    store.DestructionRowItem.outcome.set("archives"),
                ],
                condition=store.DestructionRowItem.decision == "destroy",
            )
            # Kept by the Archives: off the destruction's shelf for good (the transfer takes it).
            tx.delete(
                f"shelf-{row.sk}",
                store.new_shelf(
                    store.keep_shelf_pk(principal.agency_id),
                    store.keep_shelf_sk(int(row.keep_until), row.document_id),
                ),
            )
        tx.commit()
    item = _list(principal.agency_id, year)
    counts = _recount(principal.agency_id, year)  # from the rows themselves: right after any retry
    answer = {
        "kind": "answered",
        "on": command.received_on.isoformat(),
        "reference": command.reference,
        "selected": selected,
    }
    _change(
        principal,
        item,
        [store.DestructionListItem.answer.set(answer), store.DestructionListItem.counts.set(counts)],
        "archive.destruction_answered",
        now,
        state="consented",
        reference=command.reference,
        kept_by_archives=selected,
    )
    return view(principal, year)


def _recount(agency_id: str, year: int) -> dict[str, int]:
    counted: dict[str, int] = {}
    for row in store.rows(agency_id, year):
        if row.decision:
            counted[row.decision] = counted.get(row.decision, 0) + 1
    return counted


def consent_deemed_from(item: store.DestructionListItem, settings: models.ArchiveSettings) -> date | None:
    if not item.sent:
        return None
    return date.fromisoformat(item.sent["on"]) + timedelta(days=settings.archives_answer_days)


def deem_consent(agency_id: str, item: store.DestructionListItem, *, now: datetime) -> bool:
    """No answer within the settings' days (ข้อ 69; 60 days, unconfirmed): consent is deemed, and said."""
    deemed_from = consent_deemed_from(item, _settings(agency_id))
    if item.state != "sent" or deemed_from is None or to_bangkok(now).date() < deemed_from:
        return False
    answer = {"kind": "deemed", "on": deemed_from.isoformat(), "reference": "", "selected": []}
    tx = ddb.Transaction()
    _update_list(tx, item, [store.DestructionListItem.answer.set(answer)], state="consented")
    audit.add_to(
        tx,
        audit.AuditEvent(
            agency_id,
            ACTOR,
            "archive.destruction_consent_deemed",
            f"destruction/{item.sk}",
            now,
            after=answer,
        ),
    )
    return tx.commit_unless_refused("list")


# -- 6. destruction ----------------------------------------------------------------------------------
def destroy(principal: Principal, year: int, *, now: datetime) -> models.DestructionListView:
    """The records officer starts the destruction the head approved and the Archives consented to; the
    hourly job removes the bytes (least privilege: only it may delete) and drafts the joint record."""
    principal.require(Role.RECORDS)
    item = _list(principal.agency_id, year)
    if item.state == "sent" and deem_consent(principal.agency_id, item, now=now):
        item = _list(principal.agency_id, year)
    _in_state(item, "consented")
    _change(principal, item, [], "archive.destruction_started", now, state="destroying")
    return view(principal, year)


def destroy_due(*, now: datetime, agencies: Iterable[str], budget_seconds: float) -> int:
    """From the hourly clean-up: deem consents that are due, then destroy the approved records of every
    list being destroyed, until the time budget is spent (the next run goes on). How many records went."""
    deadline = time.monotonic() + budget_seconds
    destroyed = 0
    for agency_id in agencies:
        try:
            for listed in store.destruction_lists(agency_id):
                if listed.state == "sent":
                    deem_consent(agency_id, listed, now=now)
                elif listed.state == "destroying":
                    destroyed += _destroy_list(agency_id, listed, now=now, deadline=deadline)
        except Exception:  # one agency's failure never stops the others; the next run goes on
            log.logger.exception("destruction failed", extra={"agency": agency_id})
        if time.monotonic() > deadline:
            break
    return destroyed


def _destroy_list(
    agency_id: str, listed: store.DestructionListItem, *, now: datetime, deadline: float
) -> int:
    year = int(listed.sk)
    done = 0
    for row in store.rows(agency_id, year):
        if row.decision != "destroy" or row.outcome:
            continue
        if time.monotonic() > deadline:
            return done
        try:
            done += _destroy_record(agency_id, listed, row, now=now)
        except Exception:  # one record's failure stops neither the list nor the agency: retried next run
            log.logger.exception("destroying a record failed", extra={"agency": agency_id, "line": row.sk})
    listed = _list(agency_id, year)
    if listed.state == "destroying" and not any(
        r.decision == "destroy" and not r.outcome for r in store.rows(agency_id, year)
    ):
        _draft_record(agency_id, listed, now=now)
    return done


def _destroy_record(
    agency_id: str, listed: store.DestructionListItem, row: store.DestructionRowItem, *, now: datetime
) -> int:
    """One record, in three steps, each safe to run again: (1) every archived version under its folder
    checked (not only the ones the record names: a retried store or renewal may have left another),
    then the record claimed as "destroying" in one transaction that also checks it is not held, so a
    hold placed from then on is refused; (2) the bytes removed from both buckets; (3) the tombstone,
    the record "destroyed" and the line's outcome, in one transaction."""
    document_id = row.document_id
    year = int(listed.sk)
    archived = store.archived(agency_id, document_id)
    if archived is None or archived.state not in ("stored", "destroying"):
        _row_outcome(agency_id, year, row, "skipped: not stored", now)
        return 0
    if archived.state == "stored":
        skipped = _why_not(agency_id, document_id, now)
        if skipped:
            _row_outcome(agency_id, year, row, skipped, now)
            return 0
        claim = ddb.Transaction()
        claim.update(
            "archived",
            archived,
            [store.ArchivedItem.state.set("destroying")],
            condition=store.ArchivedItem.state == "stored",
        )
        claim.check(
            "hold",
            store.HoldItem,
            keys.document_pk(agency_id, document_id),
            store.HOLD_SK,
            store.HoldItem.pk.does_not_exist(),
        )
        try:
            if not claim.commit_unless_refused("archived"):
                return 0  # changed meanwhile: the next run reads it again
        except ddb.Cancelled as cancelled:
            if cancelled.failed("hold"):  # held between the check and the claim
                _row_outcome(agency_id, year, row, "skipped: held", now)
                return 0
            raise
        archived = store.archived(agency_id, document_id)
        assert archived is not None
    removed = objects.destroy_prefix(f"{agency_id}/{document_id}/", archive=True, digests=True)
    removed += objects.destroy_prefix(f"{agency_id}/documents/{document_id}/", archive=False, digests=True)
    earlier = store.tombstone(agency_id, document_id)  # a run cut short after step 2 removed some already
    decision = {
        "list": year,
        "line": int(row.sk),
        "committee_order": (listed.committee or {}).get("order", ""),
        "marked_by": row.decided_by,
        "approved_by": (listed.approved or {}).get("by"),
        "archives": listed.answer,
    }
    tx = ddb.Transaction()
    tx.put(
        "tombstone",
        store.new_tombstone(
            agency_id,
            document_id,
            destroyed_at=now,
            list_year=year,
            row=int(row.sk),
            decision=decision,
            files=[*(earlier.files if earlier else []), *removed],
        ),
    )
    tx.update(
        "archived",
        archived,
        [store.ArchivedItem.state.set("destroyed")],
        condition=store.ArchivedItem.state == "destroying",
    )
    if archived.keep_until is not None:
        tx.delete(
            "keep-shelf",
            store.new_shelf(
                store.keep_shelf_pk(agency_id), store.keep_shelf_sk(int(archived.keep_until), document_id)
            ),
        )
    if archived.letter_year is not None:
        tx.delete(
            "age-shelf",
            store.new_shelf(store.age_shelf_pk(agency_id), f"{int(archived.letter_year):04d}#{document_id}"),
        )
    tx.update(
        f"row-{row.sk}",
        row,
        [store.DestructionRowItem.outcome.set("destroyed")],
        condition=store.DestructionRowItem.outcome == "",
    )
    tx.update("list", listed, [store.DestructionListItem.destroyed.add(1)])
    _forget_the_text(tx, agency_id, document_id, year, now)
    audit.add_to(
        tx,
        audit.AuditEvent(
            agency_id,
            ACTOR,
            "archive.destroyed",
            f"document/{document_id}",
            now,
            after={"decision": decision, "files": [f"{r['key']}@{r['version']}" for r in removed]},
        ),
    )
    tx.commit()
    return 1


def _why_not(agency_id: str, document_id: str, now: datetime) -> str:
    """Why a record may not be destroyed now: held, or a version in its archive folder still locked or
    held by S3 (every version there, whether the record names it or not)."""
    if store.hold(agency_id, document_id) is not None:
        return "skipped: held"  # ระงับการทำลาย placed after the survey: never destroyed while held
    for key, version in objects.archive_versions(f"{agency_id}/{document_id}/"):
        lock = objects.archive_lock(key, version)
        until = lock.get("RetainUntilDate")
        if isinstance(until, datetime) and until > now:
            return f"skipped: locked until {until.date().isoformat()}"
        if lock.get("LegalHold") == "ON":
            return "skipped: held in storage"
    return ""


def _forget_the_text(tx: ddb.Transaction, agency_id: str, document_id: str, year: int, now: datetime) -> None:
    """The document's own text goes with its files (ข้อ 68.4: destroyed so it cannot be read); what a
    register line shows (ที่, ลงวันที่, เรื่อง, parties) stays, as the registers keep it."""
    stored = documents.load(agency_id, document_id)
    if stored is None:
        return
    content = {
        **stored.item.content,
        "body": "",
        "references": [],
        "enclosures": [],
        "structure": None,
        "destroyed": {"list": year, "at": now.isoformat()},
    }
    documents.add_document_update(tx, stored.item, {"content": content}, now=now)


def _row_outcome(
    agency_id: str, year: int, row: store.DestructionRowItem, outcome: str, now: datetime
) -> None:
    tx = ddb.Transaction()
    tx.update(
        f"row-{row.sk}",
        row,
        [store.DestructionRowItem.outcome.set(outcome)],
        condition=store.DestructionRowItem.outcome == "",
    )
    audit.add_to(
        tx,
        audit.AuditEvent(
            agency_id,
            ACTOR,
            "archive.destruction_skipped",
            f"document/{row.document_id}",
            now,
            after={"list": year, "why": outcome},
        ),
    )
    tx.commit()


def _draft_record(agency_id: str, listed: store.DestructionListItem, *, now: datetime) -> None:
    """ข้อ 68.5: the committee's joint record (บันทึกการทำลาย), a memo to the head signed by them all."""
    year = int(listed.sk)
    committee = (listed.committee or {}).get("members", [])
    rows = list(store.rows(agency_id, year))
    destroyed = sum(1 for r in rows if r.outcome == "destroyed")
    skipped = [r for r in rows if r.outcome.startswith("skipped")]
    extended = sum(1 for r in rows if r.decision == "extend")
    kept = sum(1 for r in rows if r.decision == "archives")
    approved = listed.approved or {}  # as the head was when approving (they may have left since)
    paragraphs = [
        f"ตาม{(listed.committee or {}).get('order', 'คำสั่งแต่งตั้ง')} แต่งตั้งคณะกรรมการทำลายหนังสือ "
        f"ประจำปี พ.ศ. {year} นั้น",
        f"คณะกรรมการได้พิจารณาบัญชีหนังสือขอทำลาย จำนวน {len(rows)} รายการ ให้ขยายเวลาเก็บ {extended} รายการ "
        f"สำนักหอจดหมายเหตุแห่งชาติขอเก็บ {kept} รายการ และได้ทำลายหนังสือตามที่ได้รับอนุมัติ จำนวน {destroyed} รายการ "
        f"เสร็จสิ้นเมื่อวันที่ {thai_date(now)} โดยลบไฟล์หนังสือทุกฉบับและเนื้อความออกจากระบบจนไม่อาจอ่านได้อีก "
        "คงไว้แต่รายการในทะเบียน ประวัติการดำเนินการ และหลักฐานการทำลาย",
    ]
    if skipped:
        paragraphs.append(
            f"มี {len(skipped)} รายการที่ยังไม่ได้ทำลาย ได้แก่ลำดับที่ "
            + ", ".join(f"{int(r.sk)} ({_skipped_th(r.outcome)})" for r in skipped[:50])
            + (" เป็นต้น" if len(skipped) > 50 else "")
        )
    # A joint record (ข้อ 68.5): the memo's form prints one signature block, so every member is named
    # here, and each signs in turn.
    paragraphs.append(
        "ลงนามร่วมกันโดยคณะกรรมการ ได้แก่ "
        + " ".join(
            f"{m['name']} {'ประธานกรรมการ' if m['role'] == 'chair' else 'กรรมการ'}"
            for m in sorted(committee, key=lambda m: m["role"] != "chair")
        )
    )
    paragraphs.append("จึงเรียนมาเพื่อโปรดทราบ")
    system = system_principal(agency_id, ACTOR)
    chair = [m["user_id"] for m in committee if m["role"] == "chair"]
    # The members, then the chair, who signs last; a letter has at most ten signers, the chair always one.
    signers = [*[m["user_id"] for m in committee if m["role"] != "chair"][: 10 - len(chair)], *chair]
    draft = document_models.DocumentDraft.model_validate_json(
        json.dumps(
            {
                "kind": "internal",
                "subject": f"รายงานผลการทำลายหนังสือ ประจำปี พ.ศ. {year}",
                "recipient": {"name": str(approved.get("position") or approved.get("name") or "")},
                "body": "\n\n".join(paragraphs),
                "signers": signers,
                "permanent": True,
            }
        )
    )
    document = documents.new_document_item(system, draft, now=now)
    document.grants = sorted({str(approved.get("by", "")), *(m["user_id"] for m in committee)} - {""})
    record_id = documents.document_id_of(document)
    tx = ddb.Transaction()
    documents.add_new_document(tx, document)
    audit.add_to(tx, documents.created_event(system, document, now))
    _update_list(tx, listed, [store.DestructionListItem.record_document_id.set(record_id)], state="destroyed")
    audit.add_to(
        tx,
        audit.AuditEvent(
            agency_id,
            ACTOR,
            "archive.destruction_finished",
            f"destruction/{year}",
            now,
            after={"destroyed": destroyed, "record": record_id},
        ),
    )
    tx.commit()


def _skipped_th(outcome: str) -> str:
    if outcome == "skipped: held":
        return "ระงับการทำลาย"
    if outcome.startswith("skipped: locked until"):
        return "ยังอยู่ในกำหนดเก็บของที่เก็บ"
    if outcome == "skipped: held in storage":
        return "ที่เก็บยังระงับการลบไว้"
    return "ไม่อยู่ในที่เก็บ"


# -- reading -----------------------------------------------------------------------------------------
def _reader(principal: Principal, item: store.DestructionListItem | None = None) -> None:
    if {Role.RECORDS, Role.DIRECTOR, Role.ADMIN} & principal.roles:
        return
    if item is not None:
        _member_role(principal, item)
        return
    principal.require(Role.RECORDS, Role.DIRECTOR, Role.ADMIN)


def lists(principal: Principal) -> models.DestructionLists:
    _reader(principal)
    return models.DestructionLists(
        lists=[_view(principal.agency_id, i) for i in store.destruction_lists(principal.agency_id)]
    )


def view(principal: Principal, year: int) -> models.DestructionListView:
    item = _list(principal.agency_id, year)
    _reader(principal, item)
    return _view(principal.agency_id, item)


def _view(agency_id: str, item: store.DestructionListItem) -> models.DestructionListView:
    counts = item.counts or {}
    committee = item.committee or {}
    answer = item.answer or {}
    settings = _settings(agency_id)
    if answer.get("kind") == "deemed":
        said = (
            f"ไม่ได้รับคำตอบจากสำนักหอจดหมายเหตุแห่งชาติภายใน {settings.archives_answer_days} วัน "
            f"จึงถือว่าเห็นชอบตั้งแต่วันที่ {thai_date(date.fromisoformat(answer['on']))} (ข้อ 69)"
        )
    elif answer.get("kind") == "answered":
        said = f"สำนักหอจดหมายเหตุแห่งชาติตอบตาม {answer['reference']}: ขอเก็บ {len(answer['selected'])} รายการ"
    else:
        said = ""
    return models.DestructionListView(
        year=int(item.sk),
        state=item.state,
        state_th=STATE_TH[item.state],
        rows=int(item.rows),
        to_destroy=int(counts.get("destroy", 0)),
        extended=int(counts.get("extend", 0)),
        kept_by_archives=int(counts.get("archives", 0)),
        undecided=_undecided(item),
        committee_order=str(committee.get("order", "")),
        committee=[models.CommitteeMember(**m) for m in committee.get("members", [])],
        list_document_id=item.list_document_id,
        sent_on=date.fromisoformat(item.sent["on"]) if item.sent else None,
        answer=said,
        consent_deemed_from=consent_deemed_from(item, settings) if item.state == "sent" else None,
        destroyed=int(item.destroyed or 0),
        record_document_id=item.record_document_id,
    )


def rows_page(principal: Principal, year: int, query: models.RowsQuery) -> models.DestructionRows:
    item = _list(principal.agency_id, year)
    _reader(principal, item)
    page = list(store.rows(principal.agency_id, year, after=query.after, limit=query.limit))
    return models.DestructionRows(
        year=year,
        rows=[
            models.DestructionRow(
                number=int(r.sk),
                document_id=r.document_id,
                file_code=r.file_code,
                reference=r.reference,
                letter_date=r.letter_date,
                subject=r.subject,
                keep_until=int(r.keep_until),
                decision=r.decision,
                consideration=consideration(r),
                reason=r.reason,
                outcome=r.outcome,
            )
            for r in page
            if may_see_level(principal, Secrecy(int(r.secrecy)))
        ],
        next_after=int(page[-1].sk) if len(page) == query.limit else None,
    )


def form_25(principal: Principal, year: int, *, now: datetime) -> tuple[str, bytes]:
    item = _list(principal.agency_id, year)
    _reader(principal, item)
    return f"form-25-{year}.pdf", form_25_pdf(principal.agency_id, year, now=now)


# -- the list's own state ----------------------------------------------------------------------------
def _list(agency_id: str, year: int) -> store.DestructionListItem:
    item = store.destruction_list(agency_id, year)
    if item is None:
        raise NotFound(f"ไม่มีบัญชีหนังสือขอทำลายประจำปี พ.ศ. {year}", f"no destruction list for {year}")
    return item


def _in_state(item: store.DestructionListItem, *states: str) -> None:
    yearly_list.require_state(item, STATE_TH, *states)


def _undecided(item: store.DestructionListItem) -> int:
    counts = item.counts or {}
    return int(item.rows) - sum(int(v) for v in counts.values())


def _update_list(
    tx: ddb.Transaction, item: store.DestructionListItem, actions: list[Any], *, state: str
) -> None:
    yearly_list.update(tx, item, actions, state=state)


def _change(
    principal: Principal,
    item: store.DestructionListItem,
    actions: list[Any],
    action: str,
    now: datetime,
    *,
    state: str | None = None,
    **after: Any,
) -> None:
    tx = ddb.Transaction()
    _update_list(tx, item, actions, state=state or item.state)
    audit.record(tx, principal, action, f"destruction/{item.sk}", now, **after)
    _commit(tx)


def _commit(tx: ddb.Transaction) -> None:
    yearly_list.commit(tx, what_th="บัญชีหนังสือขอทำลาย", what_en="destruction list")
