"""Borrowing stored records (ระเบียบงานสารบรรณ ข้อ 62–65; docs/rules.md, "Borrowing"), as the use cases
read. The loan card is the บัตรยืมหนังสือ: รายการ (the record, with its file code), ผู้ยืม, ผู้รับ, วันยืม,
กำหนดส่งคืน, ผู้ส่งคืน, วันส่งคืน; with the purpose and the approver.

1. Request: a user borrows for themselves, or the records officer asks for a user of the agency or for a
   person of another agency; the official purpose is stated (ข้อ 62–65). The borrower must be cleared for
   the record's secrecy level; a person of another agency borrows no classified record (their clearance
   is not the agency's to check: the secrecy regulation's own procedure applies) and holds a position at
   least head of a กอง (setting `loan_between_agencies_levels`).
2. Approval: a head of unit or above (roles head or director); between agencies also of a position at
   least head of a กอง. Nobody approves their own loan.
3. Hand-out by the records officer, who records ผู้รับ (who actually takes it) and the day: the loan goes
   on the due index (pk=agency#LOANS, sk=<due>#<loan>), so overdue loans are a query.
4. Return, recorded by the records officer with ผู้ส่งคืน and the day; the loan leaves the due index.
5. Every day (from the hourly clean-up) each overdue loan's borrower and the records officers are
   reminded, once a day a loan (a marker written with the notices, conditionally).

A held record may be lent (a hold forbids destruction, not reading); a destroyed one has no bytes left and
a transferred one is the National Archives': neither is lent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from chalicelib.archive import models, store
from chalicelib.documents import service as documents
from chalicelib.kernel import audit, ddb, keys, log
from chalicelib.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.kernel.principal import Principal, Role, may_see_level
from chalicelib.notifications import service as notifications
from chalicelib.saraban import Secrecy
from chalicelib.thai import thai_date, to_bangkok

STATE_TH = {
    "requested": "รออนุมัติ",
    "approved": "อนุมัติแล้ว รอรับหนังสือ",
    "refused": "ไม่อนุมัติ",
    "lent": "ยืมอยู่",
    "returned": "ส่งคืนแล้ว",
}
APPROVERS = (Role.HEAD, Role.DIRECTOR)  # a head of unit or above (ข้อ 62–65)
READERS = frozenset({Role.RECORDS, Role.ADMIN, Role.HEAD, Role.DIRECTOR})


def _settings(agency_id: str) -> models.ArchiveSettings:
    from chalicelib.archive import service

    return service.settings_of(agency_id)


def _today(now: datetime) -> date:
    return to_bangkok(now).date()


# -- 1. the request ----------------------------------------------------------------------------------
def request(principal: Principal, command: models.LoanRequest, *, now: datetime) -> models.LoanView:
    if command.borrower_user_id is not None and command.outsider is not None:
        raise InvalidInput(
            "ระบุผู้ยืมเป็นผู้ใช้ในหน่วยงาน หรือบุคคลของส่วนราชการอื่น อย่างใดอย่างหนึ่ง",
            "name the borrower as a user of the agency or as a person of another agency, not both",
        )
    if command.due <= _today(now):
        raise InvalidInput("กำหนดส่งคืนต้องอยู่หลังวันนี้", "the due date is after today")
    for_other = command.outsider is not None or command.borrower_user_id not in (None, principal.user_id)
    if for_other:
        principal.require(Role.RECORDS)  # only the records officer asks on someone else's behalf
    agency_id = principal.agency_id
    stored = documents.readable(principal, command.document_id)
    archived = _lendable(agency_id, command.document_id)
    secrecy = Secrecy(int(stored.item.secrecy))
    if command.outsider is not None:
        outsider = command.outsider
        if secrecy > Secrecy.NORMAL:
            raise Conflict(
                f"หนังสือนี้มีชั้นความลับ ({secrecy.label_th}) ให้ยืมแก่บุคคลของส่วนราชการอื่นตามระเบียบนี้ไม่ได้ "
                "ให้ดำเนินการตามระเบียบว่าด้วยการรักษาความลับของทางราชการ",
                "a classified record is not lent to another agency's person here: the secrecy regulation's "
                "procedure applies",
            )
        _require_division_head(agency_id, outsider.position, f"{outsider.name} ({outsider.position})", "ผู้ยืม")
        borrower: dict[str, Any] = {
            "user_id": None,
            "name": outsider.name,
            "position": outsider.position,
            "agency": outsider.agency,
        }
    else:
        who = principal if not for_other else _user(agency_id, command.borrower_user_id or "")
        if not may_see_level(who, secrecy):
            raise Conflict(
                f"{who.name} ไม่มีสิทธิ์เข้าถึงหนังสือชั้นความลับ{secrecy.label_th} จึงยืมหนังสือนี้ไม่ได้",
                f"the borrower is not cleared for the record's secrecy level ({secrecy.name})",
            )
        borrower = {"user_id": who.user_id, "name": who.name, "position": who.position, "agency": ""}
    content = stored.item.content
    loan_id = keys.new_id()
    item = store.new_loan(
        agency_id,
        loan_id,
        document_id=command.document_id,
        subject=str(content.get("subject", ""))[:500],
        file_code=archived.file_code,
        secrecy=int(secrecy),
        purpose=command.purpose,
        borrower=borrower,
        between_agencies="yes" if command.outsider is not None else "",
        state="requested",
        requested_by=principal.user_id,
        requested_at=now,
        due=command.due.isoformat(),
    )
    tx = ddb.Transaction()
    tx.put("loan", item, condition=store.LoanItem.pk.does_not_exist())
    audit.record(
        tx,
        principal,
        "archive.loan_requested",
        f"document/{command.document_id}",
        now,
        loan=loan_id,
        borrower=borrower,
        purpose=command.purpose,
        due=command.due.isoformat(),
    )
    tx.commit()
    return _view(item, now)


def _lendable(agency_id: str, document_id: str) -> store.ArchivedItem:
    archived = store.archived(agency_id, document_id)
    if archived is not None and archived.state == "destroyed":
        raise Conflict("หนังสือนี้ถูกทำลายแล้ว จึงให้ยืมไม่ได้", "the record was destroyed: nothing is left to lend")
    if archived is not None and archived.state == "transferred":
        raise Conflict("หนังสือนี้ส่งมอบให้สำนักหอจดหมายเหตุแห่งชาติแล้ว", "the record went to the National Archives")
    if archived is None or archived.state != "stored":
        raise Conflict("ยืมได้เฉพาะหนังสือที่ส่งเก็บแล้ว", "only a stored record is lent")
    return archived


def _user(agency_id: str, user_id: str) -> Principal:
    from chalicelib.directory import service as directory

    found = directory.principal_for(agency_id, user_id)
    if found is None:
        raise InvalidInput(f"ไม่พบผู้ใช้ {user_id} ในหน่วยงาน", f"no active user {user_id} in the agency")
    return found


def _require_division_head(agency_id: str, position: str, who: str, as_th: str) -> None:
    """Between agencies both the borrower and the approver are at least head of a กอง (ข้อ 62–65,
    unconfirmed): the position's title names one of the settings' words."""
    levels = _settings(agency_id).loan_between_agencies_levels
    if not any(level in position for level in levels):
        raise Forbidden(
            f"{as_th} {who} ต้องดำรงตำแหน่งตั้งแต่ผู้อำนวยการกองหรือเทียบเท่าขึ้นไป สำหรับการยืมระหว่างส่วนราชการ",
            f"between agencies the {'borrower' if as_th == 'ผู้ยืม' else 'approver'} is at least head of a "
            f"division: the position {position!r} names none of {', '.join(levels)}",
        )


# -- 2. approval -------------------------------------------------------------------------------------
def decide(
    principal: Principal, loan_id: str, command: models.LoanDecision, *, now: datetime
) -> models.LoanView:
    if not any(principal.has(role) for role in APPROVERS):
        raise Forbidden(
            "ผู้อนุมัติการยืมต้องเป็นหัวหน้าหน่วยงานขึ้นไป",
            "the approver of a loan is a head of unit or above (roles head or director)",
            required_roles=[r.value for r in APPROVERS],
        )
    item = _loan(principal, loan_id)
    if item.borrower.get("user_id") == principal.user_id:
        raise Forbidden("ผู้ยืมอนุมัติการยืมของตนเองไม่ได้", "nobody approves their own loan")
    if item.between_agencies:
        _require_division_head(
            principal.agency_id, principal.position, f"{principal.name} ({principal.position})", "ผู้อนุมัติ"
        )
    _in_state(item, "requested")
    state = "approved" if command.approve else "refused"
    approver = {
        "user_id": principal.user_id,
        "name": principal.name,
        "position": principal.position,
        "agency": "",
    }
    _change(
        principal,
        item,
        [
            store.LoanItem.approver.set(approver),
            store.LoanItem.decided_at.set(now),
            store.LoanItem.decision_note.set(command.note),
        ],
        f"archive.loan_{state}",
        now,
        state=state,
        tell=f"{'อนุมัติ' if command.approve else 'ไม่อนุมัติ'}การยืมหนังสือ: {item.subject}",
        note=command.note,
    )
    return _view(_loan(principal, loan_id), now)


# -- 3. hand-out and 4. return -----------------------------------------------------------------------
def hand_out(
    principal: Principal, loan_id: str, command: models.LoanHandOut, *, now: datetime
) -> models.LoanView:
    principal.require(Role.RECORDS)
    item = _loan(principal, loan_id)
    _in_state(item, "approved")
    _lendable(principal.agency_id, item.document_id)  # destroyed or transferred since the approval
    if date.fromisoformat(item.due) <= _today(now):
        raise Conflict("เลยกำหนดส่งคืนแล้ว ให้ยื่นคำขอยืมใหม่", "the due date has passed: request the loan again")
    receiver = _name(command.receiver_name, command.receiver_position)
    today = _today(now).isoformat()
    _change(
        principal,
        item,
        [store.LoanItem.receiver.set(receiver), store.LoanItem.lent_on.set(today)],
        "archive.loan_lent",
        now,
        state="lent",
        due_put=store.new_loan_due(principal.agency_id, item.due, loan_id, item.document_id),
        receiver=receiver,
    )
    return _view(_loan(principal, loan_id), now)


def give_back(
    principal: Principal, loan_id: str, command: models.LoanReturn, *, now: datetime
) -> models.LoanView:
    principal.require(Role.RECORDS)
    item = _loan(principal, loan_id)
    _in_state(item, "lent")
    returner = _name(command.returner_name, command.returner_position)
    _change(
        principal,
        item,
        [store.LoanItem.returner.set(returner), store.LoanItem.returned_on.set(_today(now).isoformat())],
        "archive.loan_returned",
        now,
        state="returned",
        due_delete=store.new_loan_due(principal.agency_id, item.due, loan_id, item.document_id),
        returner=returner,
    )
    return _view(_loan(principal, loan_id), now)


def _name(name: str, position: str) -> str:
    return f"{name} ({position})" if position else name


# -- 5. overdue loans and their reminders ------------------------------------------------------------
def overdue(agency_id: str, now: datetime) -> list[store.LoanItem]:
    """Loans out past their due date, most overdue first: a query on the due index."""
    found = []
    for due in store.loans_due_before(agency_id, _today(now).isoformat()):
        item = store.loan(agency_id, due.loan_id)
        if item is not None and item.state == "lent":
            found.append(item)
    return found


def remind_due(*, now: datetime, agencies: Iterable[str] | None = None) -> int:
    """From the hourly clean-up: each overdue loan's borrower (a user of the agency) and the records
    officers are told, once a day a loan (the day's marker is written with the notices, conditionally)."""
    if agencies is None:
        from chalicelib.directory import service as directory

        agencies = [listed.id for listed in directory.listed_agencies()]
    sent = 0
    day = _today(now).isoformat()
    for agency_id in agencies:
        try:
            sent += _remind(agency_id, day, now)
        except Exception:  # one agency's failure never stops the others; the next hour tries again
            log.logger.exception("loan reminders failed", extra={"agency": agency_id})
    return sent


def _remind(agency_id: str, day: str, now: datetime) -> int:
    from chalicelib.directory import service as directory

    late = overdue(agency_id, now)
    if not late:
        return 0
    officers = directory.with_role(agency_id, Role.RECORDS.value)
    sent = 0
    for item in late:
        loan_id = item.sk.removeprefix("LOAN#")
        borrower = item.borrower.get("user_id")
        tx = ddb.Transaction()
        tx.put(
            "marker",
            store.new_loan_reminder(agency_id, loan_id, day, now),
            condition=store.LoanReminderItem.pk.does_not_exist(),
        )
        notifications.to_users(
            tx,
            agency_id,
            [u for u in [borrower, *officers] if u],
            at=now,
            document_id=item.document_id,
            # A notice reaches every records officer, whatever their clearance: a classified record's
            # subject stays behind the API, which checks the reader (docs/rules.md, "Borrowing").
            text=f"เลยกำหนดส่งคืนหนังสือที่ยืม: {item.subject if int(item.secrecy or 0) == 0 else 'หนังสือชั้นความลับ'} "
            f"ผู้ยืม {item.borrower.get('name', '')} "
            f"(กำหนดส่งคืน {thai_date(date.fromisoformat(item.due))})",
        )
        audit.add_to(
            tx,
            audit.AuditEvent(
                agency_id,
                "system:archive",
                "archive.loan_reminded",
                f"document/{item.document_id}",
                now,
                after={"loan": loan_id, "due": item.due},
            ),
        )
        if tx.commit_unless_refused("marker"):
            sent += 1
    return sent


# -- reading -----------------------------------------------------------------------------------------
def listing(principal: Principal, query: models.LoansQuery, *, now: datetime) -> models.Loans:
    """The records officer, approvers and administrators see the agency's loans; others their own."""
    items: Iterable[store.LoanItem] = (
        overdue(principal.agency_id, now) if query.overdue else store.loans(principal.agency_id)
    )
    return models.Loans(
        loans=[
            _view(item, now)
            for item in items
            if _may_read(principal, item) and may_see_level(principal, Secrecy(int(item.secrecy)))
        ][:200]
    )


def view(principal: Principal, loan_id: str, *, now: datetime) -> models.LoanView:
    return _view(_loan(principal, loan_id), now)


def _may_read(principal: Principal, item: store.LoanItem) -> bool:
    return bool(READERS & principal.roles) or principal.user_id in (
        item.borrower.get("user_id"),
        item.requested_by,
    )


def _loan(principal: Principal, loan_id: str) -> store.LoanItem:
    item = store.loan(principal.agency_id, loan_id)
    if (
        item is None
        or not _may_read(principal, item)
        or not may_see_level(principal, Secrecy(int(item.secrecy)))
    ):
        raise NotFound("ไม่พบบัตรยืมหนังสือ", f"no loan {loan_id}")
    return item


def _view(item: store.LoanItem, now: datetime) -> models.LoanView:
    due = date.fromisoformat(item.due)
    approver = item.approver
    return models.LoanView(
        loan_id=item.sk.removeprefix("LOAN#"),
        document_id=item.document_id,
        item=f"{item.subject} (รหัสแฟ้ม {item.file_code})" if item.file_code else item.subject,
        file_code=item.file_code,
        purpose=item.purpose,
        borrower=models.LoanPerson(**item.borrower),
        between_agencies=bool(item.between_agencies),
        state=item.state,  # type: ignore[arg-type]
        state_th=STATE_TH[item.state],
        requested_by=item.requested_by,
        requested_at=item.requested_at,
        approver=models.LoanPerson(**approver) if approver else None,
        decision_note=item.decision_note,
        receiver=item.receiver,
        lent_on=date.fromisoformat(item.lent_on) if item.lent_on else None,
        due=due,
        returner=item.returner,
        returned_on=date.fromisoformat(item.returned_on) if item.returned_on else None,
        overdue=item.state == "lent" and due < _today(now),
    )


# -- the card's own state ----------------------------------------------------------------------------
def _in_state(item: store.LoanItem, *states: str) -> None:
    if item.state not in states:
        raise Conflict(
            f"บัตรยืมอยู่ในขั้น {STATE_TH[item.state]}", f"the loan is {item.state}, not {' or '.join(states)}"
        )


def _change(
    principal: Principal,
    item: store.LoanItem,
    actions: list[Any],
    action: str,
    now: datetime,
    *,
    state: str,
    tell: str = "",
    due_put: store.LoanDueItem | None = None,
    due_delete: store.LoanDueItem | None = None,
    **after: Any,
) -> None:
    """A change of the card under its version, its due-index item and its audit event in one
    transaction; the borrower (a user) and whoever asked are told of a decision."""
    tx = ddb.Transaction()
    tx.update(
        "loan",
        item,
        [*actions, store.LoanItem.state.set(state), store.LoanItem.version.add(1)],
        condition=(store.LoanItem.version == item.version) & (store.LoanItem.state == item.state),
    )
    if due_put is not None:
        tx.put("due", due_put)
    if due_delete is not None:
        tx.delete("due", due_delete)
    loan_id = item.sk.removeprefix("LOAN#")
    audit.record(tx, principal, action, f"document/{item.document_id}", now, loan=loan_id, **after)
    if tell:
        told = [u for u in (item.borrower.get("user_id"), item.requested_by) if u and u != principal.user_id]
        notifications.to_users(tx, principal.agency_id, told, at=now, document_id=item.document_id, text=tell)
    if not tx.commit_unless_refused("loan"):
        raise Conflict("บัตรยืมเปลี่ยนไประหว่างนี้ โปรดลองอีกครั้ง", "the loan changed meanwhile: try again")
