"""The shared vocabulary of official correspondence: kinds of documents, urgency, secrecy, with Thai labels.

Below every module and toolkit; no AWS, no HTTP. Kinds and sub-kinds follow ข้อ 10 of the
ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ; urgency ข้อ 15, secrecy the ระเบียบว่าด้วยการรักษาความลับของทางราชการ
(docs/rules.md, "Kinds of documents" and "Urgency and secrecy").
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any


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
        raise ValueError(f"unknown secrecy level {value!r}: use normal, confidential, secret or top_secret")


SECRECY_LABELS_TH = {
    Secrecy.NORMAL: "ปกติ",
    Secrecy.CONFIDENTIAL: "ลับ",
    Secrecy.SECRET: "ลับมาก",
    Secrecy.TOP_SECRET: "ลับที่สุด",
}

# What a ลับที่สุด register entry shows instead of its subject: the content is never stored.
TOP_SECRET_NEUTRAL_SUBJECT = "หนังสือชั้นลับที่สุด (ไม่บันทึกเนื้อหาในระบบ)"  # noqa: S105 (not a secret)


def sub_kind_label(kind: DocumentKind, sub_kind: str | None) -> str:
    if sub_kind is None:
        return KIND_LABELS_TH[kind]
    return SUB_KINDS[kind][sub_kind]
