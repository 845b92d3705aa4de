"""The rules of documents and their files, as plain values: states, who may change a document, what
may be uploaded (judged by the bytes, not the name), and what a ลับที่สุด document may hold.

No AWS here: the service applies these to what the store reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from chalicelib.kernel.errors import Conflict, Forbidden, InvalidInput, SecrecyRefused
from chalicelib.kernel.principal import Principal, Role
from chalicelib.saraban import Secrecy

TOP_SECRET_RULE = "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ ข้อ 29 (ฉบับที่ 4) พ.ศ. 2564"  # noqa: S105 (a regulation, not a secret)


class DocumentState(StrEnum):
    DRAFT = "draft"
    REGISTERED = "registered"


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


def pdf_active_content(found_th: list[str], found_en: list[str]) -> Rejection:
    """docs/rules.md, "Signatures on PDF": an official letter carries no active content."""
    return Rejection(
        "pdf-active-content",
        "ไฟล์ PDF มีเนื้อหาที่ทำงานได้เอง (สคริปต์ คำสั่งเปิดโปรแกรม หรือไฟล์แนบฝัง) จึงรับเป็นหนังสือราชการไม่ได้: "
        + "; ".join(found_th[:5]),
        "the PDF carries active content (scripts, launch actions, embedded files or forms that submit), "
        "which an official document may not: " + "; ".join(found_en[:5]),
    )


def image_malformed(kind: str, reason: str) -> Rejection:
    return Rejection(
        "image-malformed",
        "ไฟล์ภาพไม่ถูกต้องตามรูปแบบที่แจ้ง หรือมีข้อมูลอื่นแฝงอยู่",
        f"the file is not a well-formed {kind}: {reason}"[:300],
    )


def main_file_not_pdf() -> Rejection:
    return Rejection(
        "main-not-pdf",
        "ไฟล์หนังสือหลักต้องเป็น PDF",
        "the main file of a letter must be a PDF",
    )


def require_editor(principal: Principal, *, created_by: str, owner_unit: str | None, signed: bool) -> None:
    """Who may put a document's content (its files, its rendered form): the author, the owning
    unit's staff and the saraban officers, and nobody once signing has begun."""
    if not (
        principal.user_id == created_by
        or principal.has(Role.SARABAN)
        or (owner_unit is not None and owner_unit in principal.units)
    ):
        raise Forbidden(
            "ท่านไม่มีสิทธิ์แก้ไขหนังสือนี้", "only the author, the owning unit or the saraban may change it"
        )
    if signed:
        raise Conflict("หนังสือลงนามแล้ว แก้ไขไม่ได้", "the document is already signed; its content cannot change")


def require_clearance_to_create(principal: Principal, level: Secrecy) -> None:
    """Clearance for the level; a ลับที่สุด entry carries no content, but only the saraban or the
    cleared may make one."""
    top_secret_allowed = principal.has(Role.SARABAN) or principal.clearance >= Secrecy.SECRET
    if level > principal.clearance and not (level is Secrecy.TOP_SECRET and top_secret_allowed):
        raise Forbidden("ท่านไม่มีสิทธิ์ชั้นความลับระดับนี้", f"your clearance does not cover {level.api_name} documents")


def refuse_top_secret_files() -> SecrecyRefused:
    return SecrecyRefused(
        "ไม่รับไฟล์ของหนังสือชั้นลับที่สุด (ระเบียบงานสารบรรณ ข้อ 29 แก้ไขเพิ่มเติม พ.ศ. 2564)",
        "files of a ลับที่สุด (top secret) document may not be stored (saraban regulation clause 29, 2564)",
        rule=TOP_SECRET_RULE,
    )


def refuse_top_secret_content(carried_fields: Iterable[tuple[str, object]]) -> None:
    """ลับที่สุด: the register entry may exist, the content may not (ข้อ 29 as amended in 2564)."""
    carried = [name for name, value in carried_fields if value]
    if carried:
        raise SecrecyRefused(
            "ระบบสารบรรณอิเล็กทรอนิกส์ไม่รับเก็บเนื้อหาของหนังสือชั้นลับที่สุด "
            "(ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ ข้อ 29 แก้ไขเพิ่มเติม พ.ศ. 2564) "
            "ลงทะเบียนได้เฉพาะรายการโดยไม่ระบุเรื่อง",
            "ลับที่สุด (top secret) content may not be stored or sent by an e-saraban system (saraban "
            "regulation, clause 29 as amended in 2564); only a register entry without a subject is kept. "
            f"Remove: {', '.join(carried)}",
            rule=TOP_SECRET_RULE,
            fields=carried,
        )


def main_not_pdf_refused() -> InvalidInput:
    return InvalidInput("ไฟล์หนังสือหลักต้องเป็น PDF", "the main file of a letter must be a PDF")


def main_file_taken() -> Conflict:
    return Conflict("หนังสือนี้มีไฟล์หลักแล้ว", "this document already has a main file")


def kind_or_secrecy_fixed() -> Conflict:
    return Conflict(
        "เปลี่ยนชนิดหรือชั้นความลับของหนังสือในการแก้ไขร่างไม่ได้ ให้สร้างหนังสือใหม่",
        "a revision cannot change the kind or the secrecy of a document: create a new one",
    )
