"""Borrowing stored records in-process (บัตรยืมหนังสือ, ข้อ 62–65), with the clock set by the test: a user
asks to borrow a stored record for an official purpose; an approver below the level the rules set is
refused, a head approves; the records officer hands it out (ผู้รับ) and records its return (ผู้ส่งคืน); an
overdue loan is found by a query on the due index and reminded once a day, to the borrower and the records
officer. A classified record is refused to a borrower not cleared for it and to another agency's person;
between agencies the borrower and the approver must be at least head of a กอง."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from chalicelib.archive import legacy, loans, models, service, store
from chalicelib.documents.store import DocumentItem
from chalicelib.kernel import audit, keys
from chalicelib.kernel.errors import Conflict, Forbidden, InvalidInput
from chalicelib.kernel.principal import Principal, Role
from chalicelib.notifications import service as notifications
from chalicelib.saraban import Secrecy

from tests.unit.archive.test_destruction import parse, upload
from tests.unit.signing.signing_helpers import make_pdf

AGENCY = "loans-test"
STORED_AT = datetime(2027, 2, 1, 3, 0, tzinfo=UTC)
ASKED = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)  # 1 มี.ค. 2570, 10:00 in Bangkok
DUE = date(2027, 3, 10)
PEOPLE = {
    "u-records": ("สมศรี เก็บดี", "เจ้าพนักงานธุรการชำนาญงาน", Role.RECORDS, Secrecy.SECRET),
    "u-head": ("วิชัย มั่นคง", "หัวหน้ากลุ่มงานบริหารทั่วไป", Role.HEAD, Secrecy.CONFIDENTIAL),
    "u-director": ("ประภาพร วงศ์ไทย", "ผู้อำนวยการกองกลาง (อำนวยการต้น)", Role.DIRECTOR, Secrecy.SECRET),
    "u-staff": ("สมชาย รักงาน", "นักจัดการงานทั่วไปปฏิบัติการ", Role.STAFF, Secrecy.NORMAL),
    "u-staff2": ("กาญจนา ศรีสุข", "นักวิเคราะห์นโยบายและแผนชำนาญการ", Role.STAFF, Secrecy.NORMAL),
}


def person(user: str) -> Principal:
    name, position, role, clearance = PEOPLE[user]
    return Principal(AGENCY, user, user, name, position, ("office",), frozenset({role}), clearance)


RECORDS, HEAD, DIRECTOR, STAFF, STAFF2 = (person(u) for u in PEOPLE)
CSV = (
    "เลขทะเบียน,วันที่ลงทะเบียน,ที่,ลงวันที่,จาก,เรื่อง,รหัสแฟ้ม,ไฟล์\n"
    "41,3/2/2568,กค 0401/112,1/2/2568,กรมบัญชีกลาง,รายงานการเบิกจ่ายงบประมาณ,กค 01/2568,a.pdf\n"
    "42,4/2/2568,กห 0201/7,2/2/2568,กระทรวงกลาโหม,ความร่วมมือด้านความมั่นคง,กห 01/2568,b.pdf\n"
)


@pytest.fixture(scope="module")
def world(aws: Any) -> dict[str, str]:
    from chalicelib.directory.store import onboard_records

    onboard_records(
        AGENCY,
        {"name": "กรมทดสอบการยืมหนังสือ", "ministry_code": "ทส"},
        {"office": {"name": "สำนักงานเลขานุการกรม", "code": "ทส 0101"}},
        {
            user: {
                "username": user,
                "name": name,
                "position": position,
                "units": ["office"],
                "roles": [role.value],
                "clearance": int(clearance),
            }
            for user, (name, position, role, clearance) in PEOPLE.items()
        },
        actor="t",
        at=STORED_AT,
    )
    imported = legacy.import_book(
        RECORDS,
        parse(
            models.LegacyImport,
            {"book_id": "incoming-2568", "book_name": "ทะเบียนหนังสือรับ", "direction": "incoming", "csv": CSV},
        ),
        now=STORED_AT,
    )
    ids = {line.number: line.document_id for line in imported.lines}
    for line in imported.lines:
        upload(line, make_pdf(f"scan {line.number}"), STORED_AT)
        service.send_to_storage(RECORDS, line.document_id, models.StoreCommand(), now=STORED_AT)
    # The imported register has no secrecy column: record 42 is made ลับ, with the records officer among
    # its readers, as a classified letter registered through the platform would be.
    DocumentItem(keys.document_pk(AGENCY, ids[42]), "DOC").update(
        actions=[
            DocumentItem.secrecy.set(int(Secrecy.CONFIDENTIAL)),
            DocumentItem.grants.set(["u-records", "u-head"]),
        ]
    )
    return {"open": ids[41], "secret": ids[42]}


def ask(principal: Principal, data: dict[str, Any], now: datetime = ASKED) -> models.LoanView:
    return loans.request(principal, parse(models.LoanRequest, data), now=now)


def texts(principal: Principal) -> list[str]:
    return [n.text for n in notifications.listing(principal).notifications if "เลยกำหนดส่งคืน" in n.text]


def test_a_loan_from_request_to_return_with_overdue_reminders_once_a_day(world: dict[str, str]) -> None:
    document_id = world["open"]
    card = ask(
        STAFF, {"document_id": document_id, "purpose": "ใช้ประกอบการตรวจสอบของ สตง.", "due": DUE.isoformat()}
    )
    assert card.state == "requested" and card.borrower.user_id == "u-staff" and card.file_code == "กค 01/2568"
    assert "กค 01/2568" in card.item
    loan_id = card.loan_id

    # ข้อ 62–65: approved by a head of unit or above; a member of staff is refused.
    with pytest.raises(Forbidden) as refused:
        loans.decide(STAFF2, loan_id, models.LoanDecision(approve=True), now=ASKED)
    assert "หัวหน้าหน่วยงานขึ้นไป" in refused.value.message_th
    with pytest.raises(Conflict):  # not approved yet: nothing to hand out
        loans.hand_out(RECORDS, loan_id, models.LoanHandOut(receiver_name="สมชาย รักงาน"), now=ASKED)
    approved = loans.decide(HEAD, loan_id, models.LoanDecision(approve=True, note="อนุมัติ"), now=ASKED)
    assert (
        approved.state == "approved"
        and approved.approver is not None
        and approved.approver.user_id == "u-head"
    )

    with pytest.raises(Forbidden):  # the records officer hands records out
        loans.hand_out(STAFF, loan_id, models.LoanHandOut(receiver_name="สมชาย รักงาน"), now=ASKED)
    lent = loans.hand_out(
        RECORDS,
        loan_id,
        models.LoanHandOut(receiver_name="สมใจ ช่วยงาน", receiver_position="พนักงานราชการ"),
        now=ASKED + timedelta(hours=1),
    )
    assert lent.state == "lent" and lent.receiver == "สมใจ ช่วยงาน (พนักงานราชการ)"
    assert lent.lent_on == date(2027, 3, 1) and not lent.overdue

    # Due on 10 March: not overdue that day; overdue from the 11th, found by the due index.
    due_day = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
    assert loans.listing(RECORDS, models.LoansQuery(overdue=True), now=due_day).loans == []
    assert loans.remind_due(now=due_day, agencies=[AGENCY]) == 0
    late = datetime(2027, 3, 11, 2, 0, tzinfo=UTC)
    listed = loans.listing(RECORDS, models.LoansQuery(overdue=True), now=late).loans
    assert [c.loan_id for c in listed] == [loan_id] and listed[0].overdue
    assert [c.loan_id for c in loans.listing(STAFF, models.LoansQuery(overdue=True), now=late).loans] == [
        loan_id
    ]
    assert loans.listing(STAFF2, models.LoansQuery(), now=late).loans == []  # not theirs

    # Reminded once a day: the hourly job runs again the same day and sends nothing more.
    assert loans.remind_due(now=late, agencies=[AGENCY]) == 1
    assert loans.remind_due(now=late + timedelta(hours=5), agencies=[AGENCY]) == 0
    assert len(texts(STAFF)) == 1 and len(texts(RECORDS)) == 1
    assert loans.remind_due(now=late + timedelta(days=1), agencies=[AGENCY]) == 1
    assert len(texts(STAFF)) == 2

    back = loans.give_back(
        RECORDS,
        loan_id,
        models.LoanReturn(returner_name="สมชาย รักงาน"),
        now=late + timedelta(days=1, hours=3),
    )
    assert (
        back.state == "returned" and back.returned_on == date(2027, 3, 12) and back.returner == "สมชาย รักงาน"
    )
    assert not back.overdue
    after = late + timedelta(days=2)
    assert loans.listing(RECORDS, models.LoansQuery(overdue=True), now=after).loans == []
    assert loans.remind_due(now=after, agencies=[AGENCY]) == 0
    actions = [e["action"] for e in audit.history(AGENCY, f"document/{document_id}")]
    for action in ("requested", "approved", "lent", "reminded", "returned"):
        assert f"archive.loan_{action}" in actions  # every change of the card in the record's history


def test_the_borrower_must_be_cleared_for_the_records_secrecy(world: dict[str, str]) -> None:
    secret = world["secret"]
    data = {"document_id": secret, "purpose": "ใช้ประกอบการประชุม", "due": DUE.isoformat()}
    with pytest.raises(Conflict) as refused:  # ลับ: the records officer asks for a borrower not cleared
        ask(RECORDS, {**data, "borrower_user_id": "u-staff"})
    assert "ชั้นความลับ" in refused.value.message_th
    with pytest.raises(Conflict):  # nor to another agency's person, whose clearance is not ours to check
        ask(
            RECORDS,
            {
                **data,
                "outsider": {"name": "นายสมพร ใจดี", "position": "ผู้อำนวยการกองคลัง", "agency": "กรมศิลปากร"},
            },
        )
    cleared = ask(RECORDS, {**data, "borrower_user_id": "u-head"})  # the head is cleared for ลับ
    assert cleared.state == "requested" and cleared.borrower.name == "วิชัย มั่นคง"
    # Only the records officer asks on someone else's behalf; and a due date is after today.
    with pytest.raises(Forbidden):
        ask(
            STAFF2,
            {
                "document_id": world["open"],
                "purpose": "x",
                "due": DUE.isoformat(),
                "borrower_user_id": "u-staff",
            },
        )
    with pytest.raises(InvalidInput):
        ask(STAFF2, {"document_id": world["open"], "purpose": "x", "due": "2027-03-01"})


def test_between_agencies_the_borrower_and_the_approver_are_heads_of_a_division(
    world: dict[str, str],
) -> None:
    data = {
        "document_id": world["open"],
        "purpose": "ใช้เป็นหลักฐานประกอบการสอบข้อเท็จจริง",
        "due": DUE.isoformat(),
    }
    with pytest.raises(Forbidden) as refused:
        ask(
            RECORDS,
            {
                **data,
                "outsider": {"name": "นายสมพร ใจดี", "position": "นักวิชาการเงินและบัญชี", "agency": "กรมศิลปากร"},
            },
        )
    assert "ผู้อำนวยการกอง" in refused.value.message_th
    card = ask(
        RECORDS,
        {**data, "outsider": {"name": "นายสมพร ใจดี", "position": "ผู้อำนวยการกองคลัง", "agency": "กรมศิลปากร"}},
    )
    assert card.between_agencies and card.borrower.user_id is None and card.borrower.agency == "กรมศิลปากร"
    with pytest.raises(Forbidden):  # a head of a group (role head), but not of a กอง
        loans.decide(HEAD, card.loan_id, models.LoanDecision(approve=True), now=ASKED)
    approved = loans.decide(DIRECTOR, card.loan_id, models.LoanDecision(approve=True), now=ASKED)
    assert approved.state == "approved"


def test_a_held_record_is_lent_and_a_destroyed_one_is_not(world: dict[str, str]) -> None:
    document_id = world["open"]
    service.place_hold(
        RECORDS, parse(models.HoldCommand, {"document_ids": [document_id], "reason": "คดีปกครอง"}), now=ASKED
    )
    data = {"document_id": document_id, "purpose": "ใช้ประกอบคดี", "due": DUE.isoformat()}
    assert ask(STAFF, data).state == "requested"  # a hold forbids destruction, not reading
    archived = store.archived(AGENCY, document_id)
    assert archived is not None
    archived.update(actions=[store.ArchivedItem.state.set("destroyed")])  # as destruction leaves it
    with pytest.raises(Conflict) as refused:
        ask(STAFF, data)
    assert "ทำลายแล้ว" in refused.value.message_th
