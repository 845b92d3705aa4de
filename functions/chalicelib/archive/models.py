"""What the archive routes take and answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from chalicelib.documents import models as document_models
from chalicelib.kernel.schema import (
    Answer,
    Command,
    FilledLine,
    Line,
    OpaqueId,
    Query,
    QueryDay,
    ShortLine,
    WholeNumber,
    integral,
)

ClassCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.-]{1,30}$")]
Years = Annotated[int, Field(ge=1, le=100), BeforeValidator(integral)]
Year = Annotated[int, Field(ge=2400, le=2800), BeforeValidator(integral)]


class RetentionClass(Command):
    code: ClassCode
    name: ShortLine = Field(min_length=1)
    years: Years | None = Field(default=None, description="how long it is kept; none: kept forever")
    permanent: bool = Field(default=False, description="ห้ามทำลาย: kept forever")
    rule: Line = Field(default="", description="the rule the period comes from (ข้อ 57, another law)")


MonthDay = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
Days = Annotated[int, Field(ge=1, le=366), BeforeValidator(integral)]
LevelWord = Annotated[str, StringConstraints(min_length=2, max_length=40, pattern=r"^[^\x00-\x1f]+$")]
# ข้อ 67 (as amended in 2560): the committee's members are normally civil servants of วิชาการ
# ระดับปฏิบัติการ or ทั่วไป ระดับชำนาญงาน and above; a member's position must name one of these levels.
COMMITTEE_LEVELS = (
    "ปฏิบัติการ",
    "ชำนาญการ",
    "ชำนาญการพิเศษ",
    "เชี่ยวชาญ",
    "ทรงคุณวุฒิ",
    "ชำนาญงาน",
    "อาวุโส",
    "ทักษะพิเศษ",
    # management levels by their full names: "บริหาร" alone would also match บริหารงานทั่วไป
    "อำนวยการต้น",
    "อำนวยการสูง",
    "บริหารต้น",
    "บริหารสูง",
)


# Borrowing between agencies (ข้อ 62–65, unconfirmed): the borrower and the approver are each at least the
# head of a กอง or its equal; a position's title shows it by one of these words (the อำนวยการ type, as
# ผู้อำนวยการกอง (อำนวยการต้น), the บริหาร type's levels, and the titles of the heads of agencies). Not
# "บริหาร" alone: it is also in "บริหารทั่วไป", a field of work, not a level.
DIVISION_HEAD_LEVELS = (
    "อำนวยการ",
    "บริหารต้น",
    "บริหารสูง",
    "อธิบดี",
    "ปลัดกระทรวง",
    "เลขาธิการ",
    "หัวหน้าส่วนราชการ",
)


class ArchiveSettings(Command):
    classes: list[RetentionClass] = Field(min_length=1, max_length=100)
    survey_from: MonthDay = Field(
        default="01-01", description="the yearly destruction survey starts on this day (MM-DD, ข้อ 66)"
    )
    survey_days: Days = Field(default=60, description="days after survey_from it may run (ข้อ 66: 60)")
    archives_answer_days: Days = Field(
        default=60,
        description="no answer from the National Archives in this many days: consent (ข้อ 69, unconfirmed)",
    )
    committee_levels: list[LevelWord] = Field(
        default_factory=lambda: list(COMMITTEE_LEVELS),
        min_length=1,
        max_length=30,
        description="words of the position levels a destruction committee member may hold (ข้อ 67)",
    )
    transfer_years: Years = Field(
        default=20, description="age at which records go to the National Archives (ข้อ 58)"
    )
    loan_between_agencies_levels: list[LevelWord] = Field(
        default_factory=lambda: list(DIVISION_HEAD_LEVELS),
        min_length=1,
        max_length=30,
        description="words of the positions at least head of a กอง: borrower and approver of a loan to "
        "another agency must each hold one (ข้อ 62–65, unconfirmed)",
    )


class StoreCommand(Command):
    """Send a finished matter to storage (การเก็บเมื่อปฏิบัติเสร็จแล้ว)."""

    class_code: ClassCode | None = Field(
        default=None, description="default: the document's own retention (retention_years, permanent)"
    )
    file_code: ShortLine = Field(default="", description="รหัสแฟ้ม")
    note: Line = Field(default="", description="หมายเหตุ")
    closed_on: date | None = Field(default=None, description="when the matter closed (default: today)")


class StoreManyCommand(StoreCommand):
    """Several finished matters sent to storage together, as with one บัญชีหนังสือส่งเก็บ (แบบที่ 19)."""

    document_ids: list[OpaqueId] = Field(min_length=1, max_length=10, description="each stamped and locked")


class StorageListQuery(Query):
    stored_on: QueryDay = Field(description="the day the records were sent to storage")


class DocumentPath(Query):
    document_id: OpaqueId


class ArchivedFile(Answer):
    file: str
    note: str = Field(description="why the letter carries no retention stamp, when it does not")
    locked_until: datetime | None
    legal_hold: bool


class ArchiveView(Answer):
    document_id: str
    state: str
    class_code: str
    keep_until: int | None = Field(description="เก็บถึง พ.ศ.; none: kept forever")
    stamp: str = Field(description="the ตรากำหนดเก็บ: เก็บถึง พ.ศ. ... or ห้ามทำลาย")
    stored_on: date
    register_line: str = Field(description="its line in the ทะเบียนหนังสือเก็บ: <year>/<number>")
    held: bool
    hold_reason: str
    files: list[ArchivedFile]
    destroyed_at: datetime | None = Field(description="when its bytes were destroyed; its tombstone stays")
    destroyed_under: str = Field(description="the destruction list and line that decided it")


class StoredMany(Answer):
    stored: list[ArchiveView]
    already: list[str] = Field(description="stored before: unchanged")


class HoldCommand(Command):
    document_ids: list[OpaqueId] = Field(min_length=1, max_length=25)
    reason: FilledLine
    reference: ShortLine = Field(default="", description="the order, case or request the hold is for")


class LiftCommand(Command):
    reason: FilledLine


class Held(Answer):
    held: list[str]
    already: list[str] = Field(description="held before: unchanged")
    lifted: list[str] = Field(default_factory=list)


class RegisterQuery(Query):
    year: Year


class StoredLine(Answer):
    number: int
    stored_on: date
    reference: str
    letter_date: str
    subject: str
    file_code: str
    keep: str
    note: str
    document_id: str


class StoredRegister(Answer):
    year: int
    entries: list[StoredLine]


# -- the yearly destruction list (archive/destruction.py; docs/rules.md, "Destruction") -----------------
class ListPath(Query):
    year: Year


class SurveyCommand(Command):
    year: Year = Field(description="the พ.ศ. year whose end the survey is for: records kept to it or before")


class CommitteeCommand(Command):
    """The head's order appointing the destruction committee (ข้อ 66–67)."""

    order_reference: FilledLine = Field(description="the appointing order, e.g. คำสั่ง ที่ 12/2570")
    chair: OpaqueId
    members: list[OpaqueId] = Field(min_length=2, max_length=20, description="at least two (ข้อ 67)")


RowNumber = Annotated[int, Field(ge=1, le=1_000_000), BeforeValidator(integral)]


class RowDecision(Command):
    number: RowNumber = Field(description="ลำดับที่ on the list")
    decision: Literal["destroy", "extend", "undecided"] = Field(
        description="destroy: X in การพิจารณา; extend: kept longer (final: written back to the record)"
    )
    extend_years: Years | None = Field(default=None, description="extend: years added to its keep-until year")
    reason: Line = Field(default="", description="extend: why it is kept longer (หมายเหตุ)")


class ReviewCommand(Command):
    decisions: list[RowDecision] = Field(min_length=1, max_length=200)


class ApproveCommand(Command):
    note: Line = Field(default="", description="the head's note on the approval")


class SentCommand(Command):
    sent_on: date = Field(description="the day the signed list went to the National Archives")
    via: Literal["exchange", "post", "hand"] = Field(description="how it went")
    reference: ShortLine = Field(default="", description="the covering letter's ที่, or the parcel's number")


class AnswerCommand(Command):
    """The National Archives' answer (ข้อ 69): the numbers they keep, the rest may be destroyed."""

    received_on: date
    reference: FilledLine = Field(description="the Archives' letter: its ที่ and date")
    selected: list[RowNumber] = Field(default_factory=list, max_length=1000, description="rows they keep")


class RowsQuery(Query):
    after: Annotated[int, Field(ge=0, le=1_000_000), BeforeValidator(integral)] = 0
    limit: Annotated[int, Field(ge=1, le=500), BeforeValidator(integral)] = 100


class CommitteeMember(Answer):
    user_id: str
    name: str
    position: str
    role: Literal["chair", "member"]


class DestructionRow(Answer):
    number: int
    document_id: str
    file_code: str
    reference: str
    letter_date: str
    subject: str
    keep_until: int
    decision: str
    consideration: str = Field(
        description="the การพิจารณา column: X, ขยายเวลาเก็บถึง พ.ศ. ..., or the Archives'"
    )
    reason: str
    outcome: str


class DestructionRows(Answer):
    year: int
    rows: list[DestructionRow]
    next_after: int | None = Field(description="pass as `after` for the next page; none: the last page")


class DestructionListView(Answer):
    year: int
    state: str
    state_th: str
    rows: int
    to_destroy: int
    extended: int
    kept_by_archives: int
    undecided: int
    committee_order: str
    committee: list[CommitteeMember]
    list_document_id: str | None = Field(description="แบบที่ 25 as a document, to be signed by the head")
    sent_on: date | None
    answer: str = Field(description="what the National Archives said, or that their consent is deemed")
    consent_deemed_from: date | None = Field(description="with no answer, consent is deemed from this day")
    destroyed: int
    record_document_id: str | None = Field(description="the committee's บันทึกการทำลาย")


class DestructionLists(Answer):
    lists: list[DestructionListView]


# -- imported registers (archive/legacy.py) ----------------------------------------------------------------
LegacyBookId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{1,31}$")]
LEGACY_CSV_MAX = 200_000  # characters: 500 lines of a register fit, and the body stays under 256 KiB


class LegacyImport(Command):
    """A paper-era register book, typed or exported as CSV in the register's columns (docs/rules.md,
    "Imported registers"). The first line names the columns, in Thai or English: เลขทะเบียน (number),
    วันที่ลงทะเบียน (registered_on), เรื่อง (subject) are needed; ที่ (reference), ลงวันที่ (letter_date),
    จาก (from), ถึง (to), การปฏิบัติ (action), หมายเหตุ (remark), รหัสแฟ้ม (file_code), ประเภทการเก็บ
    (class_code), วันที่ปฏิบัติเสร็จ (closed_on) and ไฟล์ (file: the scan's name, a PDF) may be given.
    Dates as 2005-03-15 or 15/3/2548."""

    book_id: LegacyBookId = Field(description="the imported book's id, e.g. incoming-1995")
    book_name: FilledLine = Field(description="e.g. ทะเบียนหนังสือรับ (สมุดทะเบียนเดิม)")
    direction: Literal["incoming", "outgoing"]
    class_code: ClassCode = Field(default="general", description="retention class of lines that name none")
    csv: str = Field(min_length=1, max_length=LEGACY_CSV_MAX)
    first_line: WholeNumber = Field(
        default=2,
        ge=2,
        le=100_000_000,
        description="the line number, in the whole file, of the first line after this part's header: a long"
        " register is sent in parts, and every line is still named by its line in the officer's file",
    )


class LegacyLine(Answer):
    line: int = Field(description="the CSV line (the header is line 1)")
    year: int
    number: int
    document_id: str
    already: bool = Field(description="imported before (the same number in the same book-year): unchanged")
    upload: document_models.UploadTicket | None = Field(description="where the scan goes up, when named")


class LegacyImported(Answer):
    book_id: str
    imported: int
    already: int
    lines: list[LegacyLine]


class LegacyBookPath(Query):
    book_id: LegacyBookId


class LegacyEntry(Answer):
    number: int
    document_id: str
    registered_on: date
    reference: str
    letter_date: str
    sender: str
    recipient: str
    subject: str
    action: str
    remark: str
    file_code: str


class LegacyBook(Answer):
    book_id: str
    name: str
    direction: str
    year: int
    entries: list[LegacyEntry]


class LegacyBookYear(Answer):
    year: int = Field(description="พ.ศ.: the registration year, as GET /archive/legacy-books/{book}?year=")
    lines: int = Field(description="the lines imported into the book for that year")


class LegacyBookSummary(Answer):
    book_id: str
    name: str
    direction: str = Field(description="incoming | outgoing")
    created_at: datetime = Field(description="when its first lines were imported")
    years: list[LegacyBookYear] = Field(
        description="oldest first; empty for a book imported before the years were counted"
    )


class LegacyBooks(Answer):
    books: list[LegacyBookSummary] = Field(description="by book id")


# -- the 20-year transfer to the National Archives (archive/transfer.py; ข้อ 58–59) ------------------------
class TransferCommand(Command):
    year: Year = Field(description="the พ.ศ. year of the list: records whose letters reach the age by then")


LineNumbers = Annotated[list[RowNumber], Field(min_length=1, max_length=500)]


class TransferMove(Command):
    """Lines moved between the list sent to the National Archives and the one the agency keeps itself."""

    numbers: LineNumbers = Field(description="ลำดับที่ of the draft")
    to: Literal["self", "transfer"] = Field(
        description="self: บัญชีหนังสือครบ 20 ปีที่ขอเก็บเอง; transfer: back to แบบที่ 21"
    )
    reason: FilledLine = Field(description="why (printed in หมายเหตุ when the agency keeps it)")


class TransferFormQuery(Query):
    which: Literal["transfer", "self"] = Field(
        default="transfer", description="transfer: แบบที่ 21; self: the list the agency keeps itself"
    )


class TransferPackagePart(Answer):
    part: int
    records: int
    sha256: str = Field(description="SHA-256 of the package file (tar.gz) as stored")
    bag_count: str = Field(description="the bag's Bag-Count: <part> of <total>, or <part> of ?")
    made_at: datetime


class TransferListView(Answer):
    year: int
    state: str
    state_th: str
    title: str = Field(description="ชื่อบัญชีส่งมอบหนังสือครบ 20 ปี ประจำปี พ.ศ. ...")
    age_years: int = Field(description="the age at which records are listed (setting transfer_years)")
    to_transfer: int
    kept_by_agency: int
    transferred: int
    classified_left_off: int = Field(description="classified records: transferred under the secrecy rules")
    packages: list[TransferPackagePart]


class TransferLists(Answer):
    lists: list[TransferListView]


class TransferRow(Answer):
    number: int = Field(description="ลำดับที่ of the draft (the moves name it)")
    document_id: str
    list: Literal["transfer", "self"]
    file_code: str
    reference: str
    letter_date: str
    subject: str
    note: str = Field(description="หมายเหตุ")
    keep_until: int | None
    outcome: str = Field(description="transferred (with its package part), or empty")
    package: int | None


class TransferRows(Answer):
    year: int
    rows: list[TransferRow]
    next_after: int | None


class TransferPackage(Answer):
    year: int
    part: int
    records: int
    bag_count: str
    sha256: str
    download_url: str = Field(description="presigned, short-lived: the package (BagIt bag, tar.gz)")
    remaining: int = Field(description="lines still to package: call again for the next part")
    state: str


# -- borrowing (archive/loans.py; ข้อ 62–65) ---------------------------------------------------------------
class Outsider(Command):
    """A borrower of another agency (ผู้ยืม: name, position and agency)."""

    name: FilledLine
    position: FilledLine
    agency: FilledLine


class LoanRequest(Command):
    """บัตรยืมหนังสือ: a stored record lent for an official purpose until a due date. Without a borrower
    named, the caller borrows for themselves; the records officer may name a user or an outsider."""

    document_id: OpaqueId = Field(description="รายการ: the stored record")
    purpose: FilledLine = Field(description="the official purpose it is borrowed for (required)")
    due: date = Field(description="กำหนดส่งคืน")
    borrower_user_id: OpaqueId | None = Field(default=None, description="a user of the agency")
    outsider: Outsider | None = Field(default=None, description="a person of another agency")


class LoanPath(Query):
    loan_id: OpaqueId


class LoanDecision(Command):
    approve: bool
    note: Line = Field(default="", description="the approver's note; the reason when refused")


class LoanHandOut(Command):
    receiver_name: FilledLine = Field(description="ผู้รับ: who actually takes the record")
    receiver_position: ShortLine = ""


class LoanReturn(Command):
    returner_name: FilledLine = Field(description="ผู้ส่งคืน")
    returner_position: ShortLine = ""


class LoansQuery(Query):
    overdue: bool = Field(default=False, description="only loans out past their due date")


class LoanPerson(Answer):
    user_id: str | None
    name: str
    position: str
    agency: str


class LoanView(Answer):
    loan_id: str
    document_id: str
    item: str = Field(description="รายการ: the record's subject with its file code")
    file_code: str
    purpose: str
    borrower: LoanPerson
    between_agencies: bool
    state: Literal["requested", "approved", "refused", "lent", "returned"]
    state_th: str
    requested_by: str
    requested_at: datetime
    approver: LoanPerson | None
    decision_note: str
    receiver: str = Field(description="ผู้รับ")
    lent_on: date | None = Field(description="วันยืม")
    due: date = Field(description="กำหนดส่งคืน")
    returner: str = Field(description="ผู้ส่งคืน")
    returned_on: date | None = Field(description="วันส่งคืน")
    overdue: bool


class Loans(Answer):
    loans: list[LoanView]
