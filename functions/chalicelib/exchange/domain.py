"""Exchange rules as plain values: what may be sent, a delivery's states, its id.

Electronic exchange is the default channel between agencies except for ลับที่สุด, which never travels
in the system (docs/rules.md, "Exchange between agencies"). ลับ and ลับมาก travel only end-to-end
encrypted; until envelope encryption exists they are refused with that reason, not sent in the clear.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Any

from chalicelib.kernel.errors import Conflict, InvalidInput
from chalicelib.saraban import Secrecy


class DeliveryState(StrEnum):
    QUEUED = "queued"  # sent, waiting for the platform to carry it
    DELIVERED = "delivered"  # in the recipient's incoming queue
    ACCEPTED = "accepted"  # registered by the recipient: their เลขรับ
    REJECTED = "rejected"  # sent back with a reason
    INVALID = "invalid"  # not acceptable as it is (wrong recipient, unreadable, signature invalid)
    QUARANTINED = "quarantined"  # e-mail held with its reason (forged, oversized, malformed, no letter)

    @property
    def sent_back(self) -> bool:
        """Rejected or found invalid: the sender may correct the letter and send it again."""
        return self in (DeliveryState.REJECTED, DeliveryState.INVALID)


STATE_TH = {
    DeliveryState.QUEUED: "รอส่ง",
    DeliveryState.DELIVERED: "ส่งถึงแล้ว รอลงรับ",
    DeliveryState.ACCEPTED: "ลงรับแล้ว",
    DeliveryState.REJECTED: "ส่งคืน",
    DeliveryState.INVALID: "ไม่ถูกต้อง",
    DeliveryState.QUARANTINED: "กักไว้ตรวจสอบ",
}


def require_sendable(document: Any) -> None:
    """A letter goes out signed and numbered in an outgoing book, and never ลับที่สุด (ลับ and ลับมาก
    travel sealed: docs/rules.md, "Secrecy in the exchange")."""
    secrecy = Secrecy(int(document.secrecy))
    if secrecy is Secrecy.TOP_SECRET:
        raise Conflict(
            "หนังสือลับที่สุดไม่ส่งทางระบบ (ส่งโดยเจ้าหน้าที่นำสารตามระเบียบว่าด้วยการรักษาความลับของทางราชการ)",
            "a ลับที่สุด letter never travels in the system (docs/rules.md, 'Exchange between agencies')",
        )
    if not document.signatures:
        raise Conflict("หนังสือยังไม่ได้ลงนาม", "the letter is not signed yet: only a signed letter is sent")
    if not any(not r.get("cancelled") and r.get("ref_line") for r in document.registrations):
        raise Conflict("หนังสือยังไม่ได้ออกเลขที่หนังสือ", "the letter has no number in an outgoing book yet")


def check_recipients(sender: str, recipients: list[str]) -> list[str]:
    unique = list(dict.fromkeys(recipients))
    if sender in unique:
        raise InvalidInput("ส่งถึงหน่วยงานของตนเองไม่ได้", "an agency does not send a letter to itself")
    return unique


def delivery_id(sender: str, document_id: str, recipient: str, attempt: int) -> str:
    """The same send, retried, is the same delivery (its recipient's document is created once)."""
    digest = hashlib.sha256(f"{sender}|{document_id}|{recipient}|{attempt}".encode()).hexdigest()
    return f"x{digest[:31]}"


def require_open_for_ecms(document: Any) -> None:
    """e-CMS carries no key of the receiver's: a classified letter cannot be sealed for it."""
    if Secrecy(int(document.secrecy)) is not Secrecy.NORMAL:
        raise Conflict(
            "หนังสือลับและลับมากส่งทาง e-CMS ไม่ได้ เพราะเข้ารหัสถึงผู้รับไม่ได้ โปรดส่งโดยเจ้าหน้าที่นำสาร",
            "a ลับ or ลับมาก letter is not sent through e-CMS: it cannot be sealed for the receiver",
        )
