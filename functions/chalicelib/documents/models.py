"""What the documents operations take and answer, and the draft a letter is created from."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field, ValidationInfo, field_validator

from chalicelib.kernel.schema import (
    HAS_TEXT,
    Answer,
    Command,
    Line,
    OpaqueId,
    Paragraphs,
    Query,
    Refused,
    ShortLine,
    WholeNumber,
)
from chalicelib.saraban import SUB_KINDS, DocumentKind, Secrecy, Urgency

# The API names or the Thai labels (saraban.py): a client may send either.
SecrecyName = Literal["normal", "confidential", "secret", "top_secret", "ปกติ", "ลับ", "ลับมาก", "ลับที่สุด"]


def _draft_rules_schema(schema: dict[str, Any]) -> None:
    """The cross-field rules of a draft, said in the JSON schema too (if/then), so that a client or a
    schema-driven test knows them before the server refuses a draft."""
    rules: list[dict[str, Any]] = []
    for kind in DocumentKind:
        allowed = list(SUB_KINDS.get(kind, {}))
        rules.append(
            {
                "if": {"properties": {"kind": {"const": kind.value}}, "required": ["kind"]},
                "then": {"properties": {"sub_kind": {"enum": [*allowed, None]}}},
            }
        )
    rules.append(
        {
            "if": {"properties": {"urgent_deadline": {"type": "string"}}, "required": ["urgent_deadline"]},
            "then": {
                "properties": {"urgency": {"enum": [u.value for u in Urgency if u is not Urgency.NORMAL]}},
                "required": ["urgency"],
            },
        }
    )
    for kind in UNURGENT_KINDS:
        rules.append(
            {
                "if": {"properties": {"kind": {"const": kind.value}}, "required": ["kind"]},
                "then": {"properties": {"urgency": {"const": "normal"}, "urgent_deadline": {"type": "null"}}},
            }
        )
    rules.append(
        {
            "if": {
                "properties": {"kind": {"const": DocumentKind.PUBLIC_RELATIONS.value}},
                "required": ["kind"],
            },
            "then": {"properties": {"secrecy": {"enum": ["normal", "ปกติ"]}}},
        }
    )
    # A form's lists belong to their form: a meeting to minutes, a committee to an order.
    structure_rules = (
        ("meeting", {"type": "object"}, DocumentKind.RECORD, {"const": "minutes"}, ["kind", "sub_kind"]),
        ("committee", {"minItems": 1}, DocumentKind.DIRECTIVE, {"enum": ["order", None]}, ["kind"]),
    )
    for field, present, kind, sub_kind, required in structure_rules:
        rules.append(
            {
                "if": {
                    "properties": {
                        "structure": {
                            "type": "object",
                            "properties": {field: present},
                            "required": [field],
                        }
                    },
                    "required": ["structure"],
                },
                "then": {
                    "properties": {"kind": {"const": kind.value}, "sub_kind": sub_kind},
                    "required": required,
                },
            }
        )
    top_secret = [Secrecy.TOP_SECRET.api_name, Secrecy.TOP_SECRET.label_th]
    rules.append(
        {
            "if": {"properties": {"secrecy": {"enum": top_secret}}, "required": ["secrecy"]},
            "then": {
                "properties": {
                    "subject": {"maxLength": 0},
                    "body": {"maxLength": 0},
                    "references": {"maxItems": 0},
                    "enclosures": {"maxItems": 0},
                    "structure": {"type": "null"},
                }
            },
            "else": {"properties": {"subject": {"pattern": HAS_TEXT}}, "required": ["subject"]},
        }
    )
    schema["allOf"] = rules


# Forms that carry no urgency mark: directives, public relations and records (docs/rules.md, "Urgency
# and secrecy": ชั้นความเร็ว is marked on letters, memos and stamped letters).
UNURGENT_KINDS = (DocumentKind.DIRECTIVE, DocumentKind.PUBLIC_RELATIONS, DocumentKind.RECORD)


class Party(Command):
    """A sender or recipient: a person by position in an agency (จาก / ถึง / เรียน)."""

    name: ShortLine = ""
    position: ShortLine = ""
    agency: ShortLine = ""


# The meeting's field below is called ``date``: inside the class body that name would shadow the type.
Day = date
FilledShortLine = Annotated[ShortLine, Field(min_length=1)]  # a name that must be there
FilledTitle = Annotated[Line, Field(min_length=1)]


class Person(Command):
    """Someone on a list of the document: an attendee, a committee member, the recorder."""

    name: FilledShortLine
    position: ShortLine = ""
    role: ShortLine = Field(
        default="", description="ประธานกรรมการ, กรรมการ, กรรมการและเลขานุการ; for an absentee, the reason"
    )


class CommitteeMember(Person):
    role: FilledShortLine = Field(description="ประธานกรรมการ, กรรมการ, กรรมการและเลขานุการ, ...")


class AgendaItem(Command):
    title: FilledTitle = Field(description="after ระเบียบวาระที่ n, e.g. เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ")
    text: Paragraphs = Field(default="", description="paragraphs separated by a blank line")


class Recorder(Command):
    name: FilledShortLine
    position: ShortLine = ""


class Meeting(Command):
    """What a รายงานการประชุม records (ระเบียบงานสารบรรณ ข้อ 25)."""

    title: FilledTitle = Field(description="after รายงานการประชุม: the meeting's or committee's name")
    number: ShortLine = Field(default="", description="after ครั้งที่, e.g. 5/2569")
    date: Day | None = Field(default=None, description="เมื่อ: the meeting's date")
    place: Line = Field(default="", description="after ณ")
    attendees: list[Person] = Field(min_length=1, max_length=200, description="ผู้มาประชุม")
    absent: list[Person] = Field(default_factory=list, max_length=200, description="ผู้ไม่มาประชุม")
    guests: list[Person] = Field(default_factory=list, max_length=200, description="ผู้เข้าร่วมประชุม")
    started_at: time | None = Field(default=None, description="เริ่มประชุมเวลา")
    agenda: list[AgendaItem] = Field(min_length=1, max_length=50, description="ระเบียบวาระ, in order")
    ended_at: time | None = Field(default=None, description="เลิกประชุมเวลา")
    recorder: Recorder | None = Field(default=None, description="ผู้จดรายงานการประชุม")


class DocumentStructure(Command):
    """The lists a form prints besides its paragraphs: a meeting's (minutes) or a committee (an order)."""

    meeting: Meeting | None = Field(default=None, description="record/minutes only")
    committee: list[CommitteeMember] = Field(
        default_factory=list, max_length=100, description="directive/order only: the members appointed"
    )


class DocumentDraft(Command):
    """What a client sends to create a document; the agency and the author come from the token."""

    model_config = ConfigDict(**Command.model_config, json_schema_extra=_draft_rules_schema)

    kind: DocumentKind
    sub_kind: str | None = Field(default=None, description="per kind: directive order|regulation|bylaw, ...")
    secrecy: SecrecyName = Field(
        default="normal", description="normal | confidential | secret | top_secret (or the Thai label)"
    )
    subject: Line = Field(default="", validate_default=True)
    sender: Party = Field(default_factory=Party)
    recipient: Party = Field(default_factory=Party)
    reference: ShortLine | None = Field(default=None, description="the letter's own ที่, as written on it")
    letter_date: date | None = None
    urgency: Urgency = Urgency.NORMAL
    urgent_deadline: AwareDatetime | None = Field(default=None, description="ด่วนภายใน: date and time")
    references: list[Line] = Field(default_factory=list, max_length=20, description="อ้างถึง")
    enclosures: list[Line] = Field(default_factory=list, max_length=50, description="สิ่งที่ส่งมาด้วย")
    body: Paragraphs = ""
    owner_unit_id: ShortLine | None = None
    grants: list[OpaqueId] = Field(default_factory=list, max_length=100, description="user ids given access")
    signers: list[OpaqueId] = Field(
        default_factory=list, max_length=10, description="user ids of the signers, in signing order"
    )
    retention_years: WholeNumber = Field(default=10, ge=1, le=100, description="how long the record is kept")
    permanent: bool = Field(default=False, description="ห้ามทำลาย: kept forever")
    structure: DocumentStructure | None = Field(
        default=None, description="lists the form prints: meeting (minutes), committee (order)"
    )

    # The rules are checked per field, so that a refusal names the field it is about.
    @field_validator("sub_kind")
    @classmethod
    def _sub_kind_of_its_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        allowed = SUB_KINDS.get(kind) if kind is not None else None
        if value is not None and (allowed is None or value not in allowed):
            choices = ", ".join(allowed or {}) or "none"
            raise Refused(
                f"ประเภทย่อย {value!r} ไม่ใช่ของหนังสือประเภท {kind}: {choices}",
                f"sub_kind {value!r} does not belong to kind {kind}: {choices}",
            )
        return value

    @field_validator("urgency")
    @classmethod
    def _urgency_on_letters_only(cls, value: Urgency, info: ValidationInfo) -> Urgency:
        kind = info.data.get("kind")
        if value is not Urgency.NORMAL and kind in UNURGENT_KINDS:
            raise Refused(
                "ชั้นความเร็วระบุได้เฉพาะหนังสือภายนอก หนังสือภายใน และหนังสือประทับตรา "
                f"(ระเบียบงานสารบรรณ ข้อ 15) ไม่ใช่ {kind}",
                f"a {kind} carries no urgency mark: ชั้นความเร็ว is marked on letters and memos "
                "(ระเบียบงานสารบรรณ ข้อ 15)",
            )
        return value

    @field_validator("secrecy")
    @classmethod
    def _public_is_not_secret(cls, value: str, info: ValidationInfo) -> str:
        if (
            info.data.get("kind") is DocumentKind.PUBLIC_RELATIONS
            and Secrecy.parse(value) is not Secrecy.NORMAL
        ):
            raise Refused(
                "หนังสือประชาสัมพันธ์ (ประกาศ แถลงการณ์ ข่าว) แจ้งให้ประชาชนทราบ "
                "(ระเบียบงานสารบรรณ ข้อ 10) จึงไม่มีชั้นความลับ",
                "a public relations document (ประกาศ, แถลงการณ์, ข่าว) informs the public "
                "(ระเบียบงานสารบรรณ ข้อ 10): it carries no secrecy",
            )
        return value

    @field_validator("urgent_deadline")
    @classmethod
    def _deadline_needs_urgency(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is not None and info.data.get("urgency", Urgency.NORMAL) is Urgency.NORMAL:
            raise Refused(
                "ระบุ ด่วนภายใน ได้เมื่อหนังสือมีชั้นความเร็ว", "urgent_deadline (ด่วนภายใน) needs an urgency level"
            )
        return value

    @field_validator("subject")
    @classmethod
    def _subject_required(cls, value: str, info: ValidationInfo) -> str:
        secrecy = info.data.get("secrecy", "normal")
        if not re.search(HAS_TEXT, value) and Secrecy.parse(secrecy) is not Secrecy.TOP_SECRET:
            raise Refused("กรุณาระบุเรื่อง", "subject (เรื่อง) is required")
        return value

    @field_validator("structure")
    @classmethod
    def _structure_fits_the_kind(
        cls, value: DocumentStructure | None, info: ValidationInfo
    ) -> DocumentStructure | None:
        if value is None:
            return value
        kind, sub_kind = info.data.get("kind"), info.data.get("sub_kind")
        if value.meeting is not None and (kind is not DocumentKind.RECORD or sub_kind != "minutes"):
            raise Refused(
                f"ข้อมูลการประชุมใช้กับรายงานการประชุม (record/minutes) เท่านั้น ไม่ใช่ {kind}/{sub_kind}",
                "structure.meeting belongs to minutes of a meeting (kind record, sub_kind minutes), "
                f"not to {kind}/{sub_kind}",
            )
        if value.committee and (kind is not DocumentKind.DIRECTIVE or sub_kind not in (None, "order")):
            raise Refused(
                f"รายชื่อคณะกรรมการใช้กับคำสั่ง (directive/order) เท่านั้น ไม่ใช่ {kind}/{sub_kind}",
                "structure.committee belongs to an order (kind directive, sub_kind order), "
                f"not to {kind}/{sub_kind}",
            )
        if Secrecy.parse(info.data.get("secrecy", "normal")) is Secrecy.TOP_SECRET:
            raise Refused(
                "เนื้อหาชั้นลับที่สุดส่งผ่านระบบสารบรรณอิเล็กทรอนิกส์ไม่ได้ (ข้อ 29 ฉบับ 2564) "
                "ร่างชั้นลับที่สุดจึงไม่มีรายชื่อหรือข้อมูลการประชุม",
                "ลับที่สุด (top secret) content may not be carried by an e-saraban system (ข้อ 29, 2564): "
                "a ลับที่สุด draft carries no structure",
            )
        return value

    @property
    def secrecy_level(self) -> Secrecy:
        return Secrecy.parse(self.secrecy)

    def content(self) -> dict[str, Any]:
        """What is stored as the document's content (grants are kept on the item itself)."""
        content = self.model_dump(mode="json", exclude={"grants"})
        content["secrecy"] = self.secrecy_level.api_name
        return content


class DocumentPath(Query):
    document_id: OpaqueId


class FilePath(Query):
    document_id: OpaqueId
    file_id: OpaqueId


class DownloadQuery(Query):
    variant: Literal["original", "stamped"] = "original"


def _main_is_pdf(schema: dict[str, Any]) -> None:
    schema["if"] = {"properties": {"role": {"const": "enclosure"}}, "required": ["role"]}
    schema["else"] = {"properties": {"content_type": {"const": "application/pdf"}}}


class UploadCommand(Command):
    """A file to attach: the letter itself (main, a PDF) or an enclosure (PDF or image)."""

    model_config = ConfigDict(**Command.model_config, json_schema_extra=_main_is_pdf)

    filename: ShortLine = Field(min_length=1)
    content_type: Literal["application/pdf", "image/png", "image/jpeg", "image/tiff"]
    role: Literal["main", "enclosure"] = "main"


class PresignedPost(Answer):
    method: Literal["POST"] = "POST"
    url: str
    fields: dict[str, str]


class UploadTicket(Answer):
    file_id: str
    status: str
    upload: PresignedPost
    expires_in: int
    max_bytes: int


class DownloadLink(Answer):
    url: str
    expires_in: int


class Rejection(Answer):
    code: str
    message_th: str
    message_en: str


class FileView(Answer):
    id: str
    role: str
    filename: str
    status: str
    content_type: str
    size: int | None
    sha256: str | None
    rejection: Rejection | None
    receipt_stamped: bool
    receipt_stamp_note: str | None = Field(default=None, description="why the stamp is a separate page")
    signature_check: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime


class PartyView(Answer):
    name: str = ""
    position: str = ""
    agency: str = ""


class Registration(Answer):
    book: str
    year: int
    number: int
    ref_line: str | None
    registered_at: datetime
    cancelled: bool = False


class SignatureRecord(Answer):
    slot: int
    signer: str
    signed_by: str
    capacity: dict[str, Any]
    level: str
    signed_at: datetime
    sha256: str
    source_sha256: str


class DocumentView(Answer):
    id: str
    kind: DocumentKind
    kind_th: str
    sub_kind: str | None
    subject: str
    sender: PartyView
    recipient: PartyView
    reference: str | None
    letter_date: date | None
    urgency: Urgency
    urgency_th: str
    urgent_deadline: datetime | None
    secrecy: str
    secrecy_th: str
    references: list[str]
    enclosures: list[str]
    body: str
    owner_unit_id: str | None
    signers: list[str]
    retention_years: int
    permanent: bool
    state: str
    registrations: list[Registration]
    signatures: list[SignatureRecord]
    files: list[FileView]
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int
    grants: list[str] | None = Field(default=None, description="shown to the author only")


class AuditEntry(Answer):
    at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class History(Answer):
    document_id: str
    events: list[AuditEntry]


class SignatureField(Answer):
    name: str
    page: int
    box: list[float]


class Rendered(Answer):
    file: FileView
    pages: int
    signature_field: SignatureField


class Revision(Answer):
    revision: int
    by: str
    at: datetime
    changed: list[str] = Field(description="the fields this revision changed")


class Revisions(Answer):
    document_id: str
    current: int
    revisions: list[Revision]


class DiffQuery(Query):
    from_: Annotated[int, Field(ge=1, le=9999)] = Field(alias="from", description="the revision seen before")
    to: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        default=None, description="default: the current one"
    )

    model_config = ConfigDict(**Query.model_config, populate_by_name=True)


class FieldChange(Answer):
    field: str
    before: Any
    after: Any
    diff: list[str] = Field(description="for text: a unified diff, line by line")


class RevisionDiff(Answer):
    document_id: str
    from_revision: int
    to_revision: int
    by: list[str] = Field(description="who made the revisions in between")
    changes: list[FieldChange]
