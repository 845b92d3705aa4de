"""What the register operations take and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from chalicelib.documents.models import DocumentDraft
from chalicelib.kernel.schema import (
    Answer,
    BookId,
    Command,
    FilledLine,
    OpaqueId,
    Query,
    QueryDay,
    Refused,
    ShortLine,
)
from chalicelib.saraban import Urgency
from chalicelib.thai import arabic_digits


def _digits(value: Any) -> Any:
    """Numbers in a URL are digits only (Thai digits ๒๕๖๙ too): no signs, spaces or other scripts."""
    if not isinstance(value, str):
        return value
    digits = arabic_digits(value)
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 9):
        raise Refused("ต้องเป็นจำนวนเต็มที่เขียนด้วยตัวเลข", "must be a whole number written in digits")
    return int(digits)


# Field first: constraints after a BeforeValidator do not reach the JSON schema.
Year = Annotated[int, Field(ge=2400, le=2800, description="Buddhist year (พ.ศ.)"), BeforeValidator(_digits)]


class BookPath(Query):
    book: BookId = Field(description="incoming, outgoing, circular, order, announcement or agency-defined")


class EntryPath(Query):
    book: BookId
    year: Year
    number: Annotated[int, Field(ge=1, le=99_999_999), BeforeValidator(_digits)]


class RegistrationCommand(Command):
    """Register a document already in the system (document_id) or one described inline (document)."""

    model_config = ConfigDict(
        **Command.model_config,
        json_schema_extra={
            "oneOf": [
                {"required": ["document_id"], "properties": {"document_id": {"type": "string"}}},
                {"required": ["document"], "properties": {"document": {"type": "object"}}},
            ]
        },
    )

    document_id: OpaqueId | None = None
    document: DocumentDraft | None = None
    unit_id: ShortLine | None = Field(
        default=None, description="the unit whose code goes in the ที่ line (and whose name is จาก, outgoing)"
    )
    recipients: list[ShortLine] = Field(
        default_factory=list,
        max_length=100,
        description="ถึง: every recipient as written (a circular's distribution); else the letter's recipient",
    )
    duplicate_of_ok: bool = Field(
        default=False,
        description="register an incoming letter although the same letter (same sender, ที่ and ลงวันที่) "
        "is already in the book (otherwise 409 naming the earlier entry); the entry is marked as a "
        "possible duplicate",
    )

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.document_id is None) == (self.document is None):
            raise Refused(
                "ระบุ document_id หรือข้อมูลหนังสือ อย่างใดอย่างหนึ่ง",
                "give either document_id or an inline document, not both",
            )
        return self


class CancelCommand(Command):
    reason: FilledLine = Field(description="why it is cancelled")


class EarlierEntry(Answer):
    """The entry that first registered a letter registered again (`duplicate_of_ok`)."""

    book: str
    year: int
    number: int
    registered_at: datetime


class RegisterEntry(Answer):
    """A registration as the register answers it."""

    book: str
    year: int
    number: int
    ref_line: str | None = Field(examples=["ที่ ดศ 0201/123"])
    registered_at: datetime
    document_id: str
    received_number: int | None = Field(default=None, description="เลขรับ (incoming books)")
    letter_date: str | None = Field(
        default=None, description="ลงวันที่ (an outgoing letter is dated the day its number is taken)"
    )
    duplicate_of: EarlierEntry | None = Field(
        default=None, description="a possible duplicate: the earlier entry of the same letter"
    )


class Cancellation(Answer):
    reason: str
    by: str
    by_name: str
    at: datetime


class EntryLine(Answer):
    """One line of a register book (the columns of แบบทะเบียนหนังสือรับ / ส่ง)."""

    book: str
    year: int
    number: int
    ref_line: str | None
    registered_at: datetime
    registered_by: str
    document_id: str
    urgency: str
    secrecy: str
    cancelled: bool
    cancel: Cancellation | None
    reference: str | None
    letter_date: str | None
    from_: str = Field(
        alias="from",
        serialization_alias="from",
        description="จาก: the sender (incoming), the owning unit (outgoing)",
    )
    to: str = Field(description="ถึง: the recipients")
    recipients: list[str] = Field(
        default_factory=list, description="ถึง, one by one, when listed at registration"
    )
    subject: str
    signer: str = Field(default="", description="ผู้ลงนาม (outgoing books: orders, announcements)")
    owner_unit: str = Field(default="", description="หน่วยงานเจ้าของเรื่อง: the owning unit's name")
    kind: str
    received_at: str | None
    direction: str
    needs_repair: bool = Field(
        default=False,
        description="stored with malformed text (before text was checked at the door): shown with U+FFFD;"
        " the records officer repairs it",
    )
    action: str | None = Field(default=None, description="การปฏิบัติ: where the letter went, what became of it")
    duplicate_of: EarlierEntry | None = Field(
        default=None, description="a possible duplicate: the earlier entry of the same letter"
    )
    remark: str = Field(default="", description="หมายเหตุ: possible duplicate, cancellation (reason and who)")

    model_config = ConfigDict(**Answer.model_config, populate_by_name=True)


class BookPage(Answer):
    book: str
    book_th: str
    year: int
    entries: list[EntryLine]
    cursor: str | None


class ListQuery(Query):
    year: Year | None = None
    limit: Annotated[int, Field(ge=1, le=200), BeforeValidator(_digits)] = 50
    cursor: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,8}$")] | None = Field(
        default=None, description="continue after this entry number (the previous page's cursor)"
    )
    from_: QueryDay | None = Field(default=None, alias="from", description="registered on or after (Bangkok)")
    to: QueryDay | None = Field(default=None, description="registered on or before (Bangkok)")
    urgency: Urgency | None = None
    secrecy: Literal["normal", "confidential", "secret", "top_secret"] | None = Field(
        default=None, description="never above your clearance"
    )
    q: Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")] | None = Field(
        default=None, description="words in the subject (Thai or English)"
    )

    model_config = ConfigDict(**Query.model_config, populate_by_name=True)


class ExportQuery(ListQuery):
    """The same filters as the listing; every page of the book-year is exported."""
