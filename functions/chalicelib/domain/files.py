"""Files attached to documents: what may be uploaded, judged by the bytes, not by the name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class FileStatus(StrEnum):
    PENDING = "pending"  # upload URL issued, nothing checked yet
    READY = "ready"
    REJECTED = "rejected"
    EXPIRED = "expired"  # never uploaded within the URL's life; cleaned up by the schedule


class FileRole(StrEnum):
    MAIN = "main"  # the letter itself
    ENCLOSURE = "enclosure"  # สิ่งที่ส่งมาด้วย


# Magic numbers of the types an official letter or its enclosures come in.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
ALLOWED_TYPES = frozenset(kind for _, kind in _SIGNATURES)
PDF_HEADER_WINDOW = 1024  # readers accept %PDF- anywhere in the first KiB


def sniff_content_type(head: bytes) -> str | None:
    """The media type the first bytes prove, or None for anything not allowed."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return "application/pdf"
    return None


def _keep(char: str) -> bool:
    # Letters, combining marks (Thai vowels and tone marks are Mn) and digits; a little punctuation.
    return unicodedata.category(char)[0] in "LMN" or char in "._-() "


def safe_filename(name: str) -> str:
    """A display name with no path parts or control characters (Thai letters and marks are kept)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub("_+", "_", "".join(c if _keep(c) else "_" for c in base)).strip(" .")
    return cleaned[:120] or "file"


@dataclass(frozen=True)
class Rejection:
    """Why an upload was refused, shown on the document in Thai and English."""

    code: str
    message_th: str
    message_en: str


def too_large(size: int, limit: int) -> Rejection:
    return Rejection(
        "too-large",
        f"ไฟล์มีขนาด {size:,} ไบต์ เกินกำหนด {limit:,} ไบต์",
        f"the file is {size:,} bytes, over the limit of {limit:,}",
    )


def not_allowed_type() -> Rejection:
    return Rejection(
        "type-not-allowed",
        "ชนิดไฟล์ไม่ได้รับอนุญาต (รับเฉพาะ PDF, PNG, JPEG, TIFF ตามเนื้อไฟล์จริง)",
        "the content is not an allowed type (PDF, PNG, JPEG or TIFF, judged by its bytes)",
    )


def declared_type_mismatch(declared: str, actual: str) -> Rejection:
    return Rejection(
        "type-mismatch",
        f"ชนิดไฟล์ที่แจ้ง ({declared}) ไม่ตรงกับเนื้อไฟล์ ({actual})",
        f"the declared type {declared} does not match the content ({actual})",
    )


def pdf_encrypted() -> Rejection:
    return Rejection(
        "pdf-encrypted",
        "ไฟล์ PDF ถูกเข้ารหัสหรือตั้งรหัสผ่าน ระบบไม่สามารถตรวจสอบและประทับตรารับได้",
        "the PDF is encrypted or password-protected; it cannot be checked or stamped",
    )


def pdf_unreadable(reason: str) -> Rejection:
    return Rejection(
        "pdf-unreadable",
        "ไฟล์ PDF เสียหายหรืออ่านไม่ได้",
        f"the PDF does not parse: {reason}"[:300],
    )


def main_file_not_pdf() -> Rejection:
    return Rejection(
        "main-not-pdf",
        "ไฟล์หนังสือหลักต้องเป็น PDF",
        "the main file of a letter must be a PDF",
    )
