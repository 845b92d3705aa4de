"""Official documents (หนังสือราชการ): kinds, urgency, secrecy and the fields a letter carries.

Kinds and sub-kinds follow ข้อ 10 of the ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ; see
reference/saraban.md, "Kinds of documents" and "Urgency and secrecy".
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from chalicelib.errors import InvalidInput, SecrecyRefused


class DocumentKind(StrEnum):
    EXTERNAL = "external"  # หนังสือภายนอก
    INTERNAL = "internal"  # หนังสือภายใน (บันทึกข้อความ)
    STAMPED = "stamped"  # หนังสือประทับตรา
    DIRECTIVE = "directive"  # หนังสือสั่งการ
    PUBLIC_RELATIONS = "public_relations"  # หนังสือประชาสัมพันธ์
    RECORD = "record"  # หนังสือที่เจ้าหน้าที่ทำขึ้นหรือรับไว้เป็นหลักฐานในราชการ


KIND_LABELS_TH = {
    DocumentKind.EXTERNAL: "หนังสือภายนอก",
    DocumentKind.INTERNAL: "หนังสือภายใน",
    DocumentKind.STAMPED: "หนังสือประทับตรา",
    DocumentKind.DIRECTIVE: "หนังสือสั่งการ",
    DocumentKind.PUBLIC_RELATIONS: "หนังสือประชาสัมพันธ์",
    DocumentKind.RECORD: "หนังสือที่เจ้าหน้าที่ทำขึ้น",
}

SUB_KINDS: dict[DocumentKind, dict[str, str]] = {
    DocumentKind.DIRECTIVE: {"order": "คำสั่ง", "regulation": "ระเบียบ", "bylaw": "ข้อบังคับ"},
    DocumentKind.PUBLIC_RELATIONS: {"announcement": "ประกาศ", "statement": "แถลงการณ์", "news": "ข่าว"},
    DocumentKind.RECORD: {
        "certificate": "หนังสือรับรอง",
        "minutes": "รายงานการประชุม",
        "note": "บันทึก",
        "other": "หนังสืออื่น",
    },
}


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"  # ด่วน
    VERY_URGENT = "very_urgent"  # ด่วนมาก
    MOST_URGENT = "most_urgent"  # ด่วนที่สุด


URGENCY_LABELS_TH = {
    Urgency.NORMAL: "ปกติ",
    Urgency.URGENT: "ด่วน",
    Urgency.VERY_URGENT: "ด่วนมาก",
    Urgency.MOST_URGENT: "ด่วนที่สุด",
}


class Secrecy(IntEnum):
    """Ordered so that a clearance covers every level at or below it."""

    NORMAL = 0
    CONFIDENTIAL = 1  # ลับ
    SECRET = 2  # ลับมาก
    TOP_SECRET = 3  # ลับที่สุด

    @property
    def label_th(self) -> str:
        return SECRECY_LABELS_TH[self]

    @property
    def api_name(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: Any) -> Secrecy:
        if isinstance(value, Secrecy):
            return value
        if isinstance(value, str):
            for level in cls:
                if value in (level.api_name, level.label_th):
                    return level
        raise InvalidInput(
            f"ชั้นความลับไม่ถูกต้อง: {value!r}",
            f"unknown secrecy level {value!r}: use normal, confidential, secret or top_secret",
        )


SECRECY_LABELS_TH = {
    Secrecy.NORMAL: "ปกติ",
    Secrecy.CONFIDENTIAL: "ลับ",
    Secrecy.SECRET: "ลับมาก",
    Secrecy.TOP_SECRET: "ลับที่สุด",
}

# What a ลับที่สุด register entry shows instead of its subject: the content is never stored.
TOP_SECRET_NEUTRAL_SUBJECT = "หนังสือชั้นลับที่สุด (ไม่บันทึกเนื้อหาในระบบ)"  # noqa: S105 (not a secret)

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class Party(BaseModel):
    """A sender or recipient: a person by position in an agency (จาก / ถึง / เรียน)."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText = ""
    position: ShortText = ""
    agency: ShortText = ""

    def display(self) -> str:
        return " ".join(part for part in (self.position or self.name, self.agency) if part)


class DocumentDraft(BaseModel):
    """What a client sends to create a document; the agency and the author come from the token."""

    model_config = ConfigDict(extra="forbid")

    kind: DocumentKind
    sub_kind: str | None = None
    subject: Text = ""
    sender: Party = Field(default_factory=Party)
    recipient: Party = Field(default_factory=Party)
    reference: ShortText | None = Field(default=None, description="the letter's own ที่, as written on it")
    letter_date: date | None = None
    urgency: Urgency = Urgency.NORMAL
    urgent_deadline: datetime | None = Field(default=None, description="ด่วนภายใน: date and time")
    secrecy: str = Field(default="normal", description="normal | confidential | secret | top_secret")
    references: list[Text] = Field(default_factory=list, max_length=20, description="อ้างถึง")
    enclosures: list[Text] = Field(default_factory=list, max_length=50, description="สิ่งที่ส่งมาด้วย")
    body: Annotated[str, StringConstraints(max_length=50_000)] = ""
    owner_unit_id: ShortText | None = None
    grants: list[ShortText] = Field(default_factory=list, max_length=100)
    signers: list[ShortText] = Field(
        default_factory=list, max_length=10, description="user ids of the signers, in signing order"
    )
    retention_years: int = Field(default=10, ge=1, le=100, description="how long the record is kept")
    permanent: bool = Field(default=False, description="ห้ามทำลาย: kept forever")

    @model_validator(mode="after")
    def _check_rules(self) -> Self:
        allowed = SUB_KINDS.get(self.kind)
        if self.sub_kind is not None and (allowed is None or self.sub_kind not in allowed):
            choices = ", ".join(allowed or {}) or "none"
            raise ValueError(f"sub_kind {self.sub_kind!r} does not belong to kind {self.kind}: {choices}")
        if self.urgent_deadline is not None:
            if self.urgency is Urgency.NORMAL:
                raise ValueError("urgent_deadline (ด่วนภายใน) needs an urgency level")
            if self.urgent_deadline.tzinfo is None:
                raise ValueError("urgent_deadline needs a time zone, e.g. +07:00")
        secrecy = Secrecy.parse(self.secrecy)
        self.secrecy = secrecy.api_name
        if secrecy is Secrecy.TOP_SECRET:
            refuse_top_secret_content(self)
        elif not self.subject:
            raise ValueError("subject (เรื่อง) is required")
        return self

    @property
    def secrecy_level(self) -> Secrecy:
        return Secrecy.parse(self.secrecy)


def refuse_top_secret_content(draft: DocumentDraft) -> None:
    """ลับที่สุด: the register entry may exist, the content may not (ข้อ 29 as amended in 2564)."""
    carried = [
        name
        for name, value in (
            ("subject", draft.subject),
            ("body", draft.body),
            ("references", draft.references),
            ("enclosures", draft.enclosures),
        )
        if value
    ]
    if carried:
        raise SecrecyRefused(
            "ระบบสารบรรณอิเล็กทรอนิกส์ไม่รับเก็บเนื้อหาของหนังสือชั้นลับที่สุด "
            "(ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ ข้อ 29 แก้ไขเพิ่มเติม พ.ศ. 2564) "
            "ลงทะเบียนได้เฉพาะรายการโดยไม่ระบุเรื่อง",
            "ลับที่สุด (top secret) content may not be stored or sent by an e-saraban system (saraban "
            "regulation, clause 29 as amended in 2564); only a register entry without a subject is kept. "
            f"Remove: {', '.join(carried)}",
            rule="ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ ข้อ 29 (ฉบับที่ 4) พ.ศ. 2564",
            fields=carried,
        )


def sub_kind_label(kind: DocumentKind, sub_kind: str | None) -> str:
    if sub_kind is None:
        return KIND_LABELS_TH[kind]
    return SUB_KINDS[kind][sub_kind]
