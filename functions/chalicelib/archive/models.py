"""What the archive routes take and answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints

from chalicelib.kernel.schema import Answer, Command, FilledLine, Line, OpaqueId, Query, ShortLine, integral

ClassCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.-]{1,30}$")]
Years = Annotated[int, Field(ge=1, le=100), BeforeValidator(integral)]
Year = Annotated[int, Field(ge=2400, le=2800), BeforeValidator(integral)]


class RetentionClass(Command):
    code: ClassCode
    name: ShortLine = Field(min_length=1)
    years: Years | None = Field(default=None, description="how long it is kept; none: kept forever")
    permanent: bool = Field(default=False, description="ห้ามทำลาย: kept forever")
    rule: Line = Field(default="", description="the rule the period comes from (ข้อ 57, another law)")


class ArchiveSettings(Command):
    classes: list[RetentionClass] = Field(min_length=1, max_length=100)


class StoreCommand(Command):
    """Send a finished matter to storage (การเก็บเมื่อปฏิบัติเสร็จแล้ว)."""

    class_code: ClassCode | None = Field(
        default=None, description="default: the document's own retention (retention_years, permanent)"
    )
    file_code: ShortLine = Field(default="", description="รหัสแฟ้ม")
    note: Line = Field(default="", description="หมายเหตุ")
    closed_on: date | None = Field(default=None, description="when the matter closed (default: today)")


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
