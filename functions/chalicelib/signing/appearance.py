"""The visible signature: Thai text in the signature field, shaped by HarfBuzz in an embedded font.

    (นายสมชาย ใจดี)
    ผู้อำนวยการกองกลาง
    ปฏิบัติราชการแทน อธิบดีกรมการปกครอง

The block the draft letter showed and that was proof-read (chalicelib.pdf.letters draws it as the
empty field's appearance): each line centred on the field's vertical axis, at the body's 16 pt, in
TLWG Laksaman (the free build of TH Sarabun) at functions/chalicelib/pdf/fonts. The signing time is
not drawn (the sign worker passes SignatureBlock.show_signed_at=False): it is in the signature
dictionary. pyHanko embeds a subset and wraps each line in ActualText, so the text extracts back as
written (its ToUnicode CMap alone, one value per glyph, garbles clusters such as ผู้ and ำ). Text
boxes do not wrap: every line is one line here, and the block is shrunk to fit the field if it must
(the letter sizes the field so that it need not).

pyHanko's TextBox starts every line at the same x (only the box as a whole is aligned), so the stamp
here uses CentredTextBox, which offsets each line by half the difference between its HarfBuzz advance
and the widest line's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.layout import (
    AxisAlignment,
    BoxConstraints,
    InnerScaling,
    LayoutError,
    Margins,
    SimpleBoxLayoutRule,
)
from pyhanko.pdf_utils.text import DEFAULT_TEXT_BOX_MARGIN, TextBox, TextBoxStyle
from pyhanko.stamp import TextStamp, TextStampStyle

from chalicelib.signature_block import OnBehalf, OnBehalfKind, SignatureBlock, capacity_reason
from chalicelib.signing.fonts import LeanGlyphAccumulatorFactory

FONT_DIR = Path(__file__).resolve().parent.parent / "pdf" / "fonts"
DEFAULT_FONT = FONT_DIR / "Laksaman.ttf"
TEXT_PARAM = "eoffice_text"

__all__ = [
    "TEXT_PARAM",
    "AppearanceSettings",
    "CentredTextBox",
    "CentredTextStampStyle",
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
    # the draft's body leading (pdf.letter_layout.LEADING), so the signed lines sit as proof-read
    leading_factor: float = 1.5
    border_width: int = 0


class CentredTextBox(TextBox):
    """A pyHanko TextBox whose lines are each centred on the box's axis (horizontal text only).

    TextBox writes every line from the same x; here each line is first moved right by half of what it
    lacks of the widest line's advance, then back to the start of the next line. Line by line the
    operators are pyHanko's own (HarfBuzz positioning, ActualText spans); only the indents differ.
    Fills the attributes TextBox.render reads (pyHanko 0.38, pinned; tests/unit/signing covers it).

    ``room``: the width the box is centred in, when known. pyHanko centres in whole points (it floors
    half the free space), so the natural width is padded by under 2 pt to leave an even number of
    points free, and the lines' axis falls exactly on the room's.
    """

    room: float | None = None

    @property
    def content(self) -> str:
        return self._content or ""

    @content.setter
    def content(self, content: str) -> None:
        if self.style.vertical_text:
            raise LayoutError("CentredTextBox lays out horizontal text only")
        engine = self.font_engine
        size, leading = self.style.font_size, self.leading
        lines = content.split("\n")
        shaped = [engine.shape(line) for line in lines]
        advances = [result.x_advance * size for result in shaped]
        widest = max(advances)
        if self.room is not None and self.room >= widest:
            width = self.room - 2 * math.floor((self.room - widest) / 2)
        else:
            width = round(widest)  # whole points, as TextBox's natural width
        wrapped = []
        for result, advance in zip(shaped, advances, strict=True):
            indent = (width - advance) / 2
            # an engine with complex positioning leaves the line matrix after the last glyph
            back = indent + advance if engine.uses_complex_positioning else indent
            drop = leading + result.y_advance * size
            wrapped.append(b"%g 0 Td %s %g %g Td" % (indent, result.graphics_ops, -back, -drop))
        # TextBox declares these as None (and the width as int) until its own setter runs
        self._content = content  # type: ignore[assignment]
        self._content_lines = lines  # type: ignore[assignment]
        self._wrapped_lines = wrapped  # type: ignore[assignment]
        self._nat_text_width = width  # type: ignore[assignment]
        self._nat_text_height = leading * len(lines)


class CentredTextStamp(TextStamp):
    """pyHanko's TextStamp with a CentredTextBox inside."""

    def _text_layout(self) -> Any:
        style = self.style.text_box_style
        self.text_box = box = CentredTextBox(style, writer=self.writer, resources=self.resources, box=None)
        if self.box.width_defined:
            outer = self._inner_content_layout_rule().margins
            rule = style.box_layout_rule
            inner = rule.margins if rule is not None else Margins.uniform(DEFAULT_TEXT_BOX_MARGIN)
            box.room = self.box.width - outer.left - outer.right - inner.left - inner.right
        params = self.get_default_text_params()
        params.update(self.text_params or {})
        try:
            box.content = self.style.stamp_text % params
        except KeyError as exc:
            raise LayoutError(f"Stamp text parameter '{exc.args[0]}' is missing") from exc
        return box.render()


@dataclass(frozen=True)
class CentredTextStampStyle(TextStampStyle):
    """A TextStampStyle whose stamp centres each line of its text (see CentredTextBox)."""

    def create_stamp(self, writer: Any, box: BoxConstraints, text_params: dict[str, Any]) -> CentredTextStamp:
        return CentredTextStamp(writer=writer, style=self, box=box, text_params=text_params)


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
    return CentredTextStampStyle(
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
