"""The words of a signature block, as on the letter and in the visible signature.

    (นายสมชาย ใจดี)
    ผู้อำนวยการกองกลาง
    ปฏิบัติราชการแทน อธิบดีกรมการปกครอง
    ลงนามเมื่อ 21 พฤศจิกายน 2569 เวลา 16.05 น.

Vocabulary below both toolkits: the letter form (pdf/letters.py) prints these lines under the
signature field, and the signing toolkit (signing/appearance.py) writes them into it. How the
capacity is worded follows docs/rules.md, "Signing authority and delegation".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.thai import thai_date, thai_time


class OnBehalfKind(StrEnum):
    DELEGATED = "ปฏิบัติราชการแทน"  # authority delegated in writing
    ACTING = "รักษาราชการแทน"  # post vacant or holder unable


@dataclass(frozen=True)
class OnBehalf:
    kind: OnBehalfKind
    principal: str  # e.g. "อธิบดีกรมการปกครอง"

    @property
    def line(self) -> str:
        return f"{self.kind.value} {self.principal}"


@dataclass(frozen=True)
class SignatureBlock:
    """What the visible signature says; the signer's own name and position, as on the letter."""

    name: str
    position: str
    on_behalf: OnBehalf | None = None
    show_signed_at: bool = True
    thai_numerals: bool = False
    name_in_parentheses: bool = True
    signed_at_label: str = "ลงนามเมื่อ"

    def lines(self, signed_at: datetime) -> list[str]:
        name = f"({self.name})" if self.name_in_parentheses else self.name
        out = [name, self.position]
        if self.on_behalf is not None:
            out.append(self.on_behalf.line)
        if self.show_signed_at:
            date = thai_date(signed_at, thai_numerals=self.thai_numerals)
            time = thai_time(signed_at, thai_numerals=self.thai_numerals)
            out.append(f"{self.signed_at_label} {date} เวลา {time}")
        return [line for line in out if line]

    def text(self, signed_at: datetime) -> str:
        for part in (self.name, self.position, self.on_behalf.principal if self.on_behalf else ""):
            if "\n" in part or "\r" in part:
                raise ValueError("signature block fields are single lines")
        return "\n".join(self.lines(signed_at))


def capacity_reason(block: SignatureBlock, authority: str | None = None) -> str:
    """A default /Reason stating in which capacity the signer signs, e.g.
    'ผู้อำนวยการกองกลาง ปฏิบัติราชการแทน อธิบดีกรมการปกครอง (คำสั่ง ที่ 45/2569)'."""
    reason = block.position
    if block.on_behalf is not None:
        reason = f"{reason} {block.on_behalf.line}"
    if authority:
        reason = f"{reason} ({authority})"
    return reason
