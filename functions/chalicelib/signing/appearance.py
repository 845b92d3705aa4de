"""The visible signature: Thai text in the signature field, shaped by HarfBuzz in an embedded font.

    (นายสมชาย ใจดี)
    ผู้อำนวยการกองกลาง
    ปฏิบัติราชการแทน อธิบดีกรมการปกครอง
    ลงนามเมื่อ 21 พฤศจิกายน 2569 เวลา 16.05 น.

The font is TLWG Laksaman (the free build of TH Sarabun) at functions/chalicelib/pdf/fonts. pyHanko embeds
a subset and writes ActualText, so the text extracts back as written. Text boxes do not wrap: every line
is one line here, and the box is shrunk to fit the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

from chalicelib.signature_block import OnBehalf, OnBehalfKind, SignatureBlock, capacity_reason
from chalicelib.signing.fonts import LeanGlyphAccumulatorFactory

FONT_DIR = Path(__file__).resolve().parent.parent / "pdf" / "fonts"
DEFAULT_FONT = FONT_DIR / "Laksaman.ttf"
TEXT_PARAM = "eoffice_text"

__all__ = [
    "TEXT_PARAM",
    "AppearanceSettings",
    "OnBehalf",
    "OnBehalfKind",
    "SignatureBlock",
    "capacity_reason",
    "stamp_style",
]


@dataclass(frozen=True)
class AppearanceSettings:
    font_path: Path = DEFAULT_FONT
    # The body's size, each line centred: the signed block is the block the draft showed and that was
    # proof-read (the signing time is in the signature dictionary and the validation report).
    font_size: int = 16
    leading_factor: float = 1.4  # Thai marks above and below the base line need room
    border_width: int = 0


@cache
def stamp_style(settings: AppearanceSettings = AppearanceSettings()) -> TextStampStyle:
    """The pyHanko stamp style (cached: the style is immutable, the font is opened per document).

    The GlyphAccumulatorFactory font size equals the TextBoxStyle one: when they differ, multi-line
    stamps drift (pyHanko #733). The factory is pyHanko's minus per-document overhead (fonts.py).
    """
    size = settings.font_size
    font = LeanGlyphAccumulatorFactory(str(settings.font_path), font_size=size)
    box_style = TextBoxStyle(
        font=font,
        font_size=size,
        leading=round(size * settings.leading_factor),
        border_width=settings.border_width,
        box_layout_rule=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(2),
        ),
    )
    return TextStampStyle(
        stamp_text=f"%({TEXT_PARAM})s",
        text_box_style=box_style,
        background=None,
        border_width=settings.border_width,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
            margins=Margins.uniform(2),
        ),
    )
