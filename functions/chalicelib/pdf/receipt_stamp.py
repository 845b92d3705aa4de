"""The receipt stamp (ตรารับหนังสือ) on page 1 of an incoming letter.

The saraban officer's stamp is a 5 x 2.5 cm box at the top right of the first page with the agency's
name and the lines เลขรับ (equal to the register number), วันที่ and เวลา (docs/rules.md,
"Registers and running numbers"). It is added as an incremental update with pyHanko: the original
file is an exact byte prefix of the result, so a signature already on the letter stays intact.

The stamp is a form XObject placed at the top right of the page as displayed: the page's CropBox
(else MediaBox) and /Rotate are honoured, so it reads upright in the viewer. Text is shaped with
HarfBuzz in TLWG Laksaman through :class:`chalicelib.pdf.shaped_font.ShapedFontEngine`, which keeps
the Thai extractable (ToUnicode and ActualText).

The date is written in its short form (``21 พ.ย. 2569``): the full month names do not fit a 5 cm box
at a readable size. Lines are spaced by their ink (stacked Thai marks never touch the line above).
A long agency name is set smaller, on up to two lines; a two-line name with the three data lines
does not fit 2.5 cm at a readable size, so then the box grows taller (about 2.8 cm).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any, Final

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree

from chalicelib.pdf.shaped_font import ShapedFontEngine
from chalicelib.pdf.thai_text import (
    BOLD_FONT,
    REGULAR_FONT,
    InkBox,
    baseline_clearance,
    break_lines,
    font_metrics,
    ink_depth,
    ink_top,
    text_width,
)
from chalicelib.thai import thai_date_short, thai_digits, thai_time

MM: Final = 72 / 25.4
STAMP_WIDTH: Final = 50 * MM
STAMP_MIN_HEIGHT: Final = 25 * MM
PAGE_MARGIN: Final = 7 * MM  # from the top and right edges of the visible page
PADDING: Final = 2.5 * MM  # left and right
PADDING_Y: Final = 1.5 * MM  # top and bottom
BORDER_WIDTH: Final = 0.8
INK: Final = (0.05, 0.15, 0.55)  # stamp-pad blue
# (agency name size, body size, most lines for the name), largest first; 11 pt is the smallest
# that stays readable in Laksaman. If none fits 2.5 cm, the first whose name fits its line limit is
# used and the box grows.
SIZES: Final = ((14, 13, 1), (13, 13, 1), (13, 12, 1), (12, 12, 2), (11, 11, 2))
# Lines are spaced by their ink (thai_text.baseline_clearance), with these floors, in x font size.
MIN_LEADING: Final = 1.15
MIN_ABOVE: Final = 0.8
MIN_BELOW: Final = 0.25
INK_GAP: Final = 0.08
LABEL_GAP: Final = 1.5 * MM


class PdfStampError(ValueError):
    """The input cannot be stamped: not a readable PDF, encrypted, or without pages."""


@dataclass(frozen=True)
class ReceiptStamp:
    agency_name: str
    number: int  # เลขรับ: the incoming register number
    received_at: datetime  # time zone aware; shown in Bangkok time
    thai_numerals: bool = False

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is None:
            raise ValueError("received_at must be time zone aware")
        if self.number < 1:
            raise ValueError("the receipt number starts at 1")
        if not self.agency_name.strip():
            raise ValueError("agency_name is empty")


@dataclass(frozen=True)
class _Text:
    text: str
    font: str  # "/F1" regular or "/F2" bold
    size: float
    x: float  # from the stamp's left edge


@dataclass(frozen=True)
class _Line:
    parts: tuple[_Text, ...]  # drawn on one baseline (a label and its value, or a name line)
    baseline: float = 0.0  # from the top of the box, downwards

    @property
    def size(self) -> float:
        return max(part.size for part in self.parts)

    def ink(self) -> list[InkBox]:
        return [
            box
            for part in self.parts
            for box in font_metrics(BOLD_FONT if part.font == "/F2" else REGULAR_FONT).ink(
                part.text, part.size, part.x
            )
        ]


def _lines(stamp: ReceiptStamp, name_size: float, body_size: float) -> tuple[list[_Line], int]:
    """The stamp's lines at these sizes, and how many of them the agency name takes."""
    inner = STAMP_WIDTH - 2 * PADDING
    name = " ".join(stamp.agency_name.split())
    name_lines = break_lines(name, font_path=BOLD_FONT, size_pt=name_size, width_pt=inner)
    number = str(stamp.number)
    rows = [
        ("เลขรับ", thai_digits(number) if stamp.thai_numerals else number),
        ("วันที่", thai_date_short(stamp.received_at, thai_numerals=stamp.thai_numerals)),
        ("เวลา", thai_time(stamp.received_at, thai_numerals=stamp.thai_numerals)),
    ]
    lines = []
    for text in name_lines:
        width = text_width(text, font_path=BOLD_FONT, size_pt=name_size)
        lines.append(_Line((_Text(text, "/F2", name_size, (STAMP_WIDTH - width) / 2),)))
    value_x = PADDING + LABEL_GAP + max(text_width(label, size_pt=body_size) for label, _ in rows)
    for label, value in rows:
        lines.append(
            _Line((_Text(label, "/F1", body_size, PADDING), _Text(value, "/F1", body_size, value_x)))
        )
    return lines, len(name_lines)


def _stack(lines: list[_Line]) -> tuple[list[_Line], float]:
    """Baselines that keep each line's ink clear of the next, and the height of the block."""
    placed: list[_Line] = []
    previous: list[InkBox] = []
    baseline = 0.0
    for line in lines:
        ink = line.ink()
        size = line.size
        if not placed:
            baseline = max(MIN_ABOVE * size, ink_top(ink) + INK_GAP * size)
        else:
            baseline += max(MIN_LEADING * size, baseline_clearance(previous, ink) + INK_GAP * size)
        placed.append(_Line(line.parts, baseline))
        previous = ink
    size = lines[-1].size
    return placed, baseline + max(MIN_BELOW * size, ink_depth(previous) + INK_GAP * size)


def _layout(stamp: ReceiptStamp) -> tuple[list[_Line], float]:
    """The stamp's lines (baselines from its top) and its height: the largest sizes that fit 2.5 cm."""
    inner_height = STAMP_MIN_HEIGHT - 2 * PADDING_Y
    chosen: tuple[list[_Line], float] | None = None
    for name_size, body_size, most_name_lines in SIZES:
        lines, name_lines = _lines(stamp, name_size, body_size)
        if name_lines > most_name_lines:
            continue
        stacked = _stack(lines)
        if stacked[1] <= inner_height:
            chosen = stacked
            break
        chosen = chosen or stacked  # nothing fits yet: remember the largest acceptable sizes
    if chosen is None:  # a name too long for two lines even at the smallest size
        name_size, body_size, _ = SIZES[-1]
        chosen = _stack(_lines(stamp, name_size, body_size)[0])
    placed, height = chosen
    box_height = max(STAMP_MIN_HEIGHT, height + 2 * PADDING_Y)
    top = (box_height - height) / 2  # centre the block vertically
    return [_Line(line.parts, top + line.baseline) for line in placed], box_height


def _form_xobject(
    writer: IncrementalPdfFileWriter, stamp: ReceiptStamp
) -> tuple[generic.StreamObject, float]:
    lines, height = _layout(stamp)
    regular = ShapedFontEngine(writer, REGULAR_FONT)
    bold = ShapedFontEngine(writer, BOLD_FONT)
    red, green, blue = INK
    half = BORDER_WIDTH / 2
    ops = [
        b"q %g %g %g RG %g %g %g rg %g w" % (red, green, blue, red, green, blue, BORDER_WIDTH),
        b"%g %g %g %g re S" % (half, half, STAMP_WIDTH - BORDER_WIDTH, height - BORDER_WIDTH),
        b"BT",
    ]
    for line in lines:
        for part in line.parts:
            engine = bold if part.font == "/F2" else regular
            shaped = engine.shape_line(part.text, part.size)
            ops.append(
                b"%s %g Tf 1 0 0 1 %.3f %.3f Tm %s"
                % (part.font.encode(), part.size, part.x, height - line.baseline, shaped.ops)
            )
    ops += [b"ET", b"Q"]
    form = generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject(
                generic.FloatObject(v) for v in (0, 0, STAMP_WIDTH, height)
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(
                {
                    generic.NameObject("/Font"): generic.DictionaryObject(
                        {
                            generic.NameObject("/F1"): regular.as_resource(),
                            generic.NameObject("/F2"): bold.as_resource(),
                        }
                    )
                }
            ),
        },
        stream_data=b"\n".join(ops),
    )
    form.compress()
    return form, height


def _visible_box(page: Any) -> tuple[float, float, float, float]:
    """The page's CropBox clipped to its MediaBox (both inheritable), as (x0, y0, x1, y1)."""
    media = find_inherited_value_in_tree(page, "/MediaBox", "/Parent")
    if media is None or len(media) != 4:
        raise PdfStampError("page 1 has no usable /MediaBox")
    mx0, my0, mx1, my1 = _normalise([float(v) for v in media])
    crop = find_inherited_value_in_tree(page, "/CropBox", "/Parent")
    if crop is None or len(crop) != 4:
        return mx0, my0, mx1, my1
    cx0, cy0, cx1, cy1 = _normalise([float(v) for v in crop])
    x0, y0, x1, y1 = max(mx0, cx0), max(my0, cy0), min(mx1, cx1), min(my1, cy1)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else (mx0, my0, mx1, my1)


def _normalise(box: list[float]) -> tuple[float, float, float, float]:
    return min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])


def placement_matrix(
    box: tuple[float, float, float, float], rotate: int, stamp_width: float, stamp_height: float
) -> tuple[float, float, float, float, float, float]:
    """The ``cm`` matrix that puts a stamp at the top right of the page as displayed, upright.

    ``rotate`` is the page's /Rotate (clockwise, a multiple of 90). The stamp is drawn in its own
    space (0..w, 0..h); the result maps it into the page's default user space.
    """
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    rotate %= 360
    shown_w, shown_h = (height, width) if rotate in (90, 270) else (width, height)
    # Lower-left corner of the stamp in displayed coordinates (origin at the displayed lower left).
    sx = max(0.0, shown_w - PAGE_MARGIN - stamp_width)
    sy = max(0.0, shown_h - PAGE_MARGIN - stamp_height)
    if rotate == 90:  # displayed (dx, dy) = (v, W - u) for user offsets (u, v)
        return 0, 1, -1, 0, x0 + width - sy, y0 + sx
    if rotate == 180:
        return -1, 0, 0, -1, x0 + width - sx, y0 + height - sy
    if rotate == 270:
        return 0, -1, 1, 0, x0 + sy, y0 + height - sx
    return 1, 0, 0, 1, x0 + sx, y0 + sy


def _open(original_pdf: bytes) -> IncrementalPdfFileWriter:
    if b"%PDF-" not in original_pdf[:1024]:
        raise PdfStampError("not a PDF file (no %PDF- header)")
    try:
        reader = PdfFileReader(BytesIO(original_pdf), strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise PdfStampError(f"not a readable PDF: {err}") from err
    if reader.encrypted:
        raise PdfStampError("the PDF is encrypted; a receipt stamp needs an unencrypted file")
    return IncrementalPdfFileWriter(BytesIO(original_pdf), prev=reader)


def stamp_receipt(original_pdf: bytes, stamp: ReceiptStamp) -> bytes:
    """Add the receipt stamp to page 1 of ``original_pdf`` as an incremental update.

    Raises :class:`PdfStampError` if the input is not a readable, unencrypted PDF with a page.
    """
    writer = _open(original_pdf)
    try:
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        box = _visible_box(page)
        rotate = find_inherited_value_in_tree(page, "/Rotate", "/Parent")
        rotate = int(rotate) if rotate is not None else 0
    except PdfStampError:
        raise
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise PdfStampError(f"cannot find page 1: {err}") from err
    if rotate % 90:
        raise PdfStampError(f"page 1 has an invalid /Rotate {rotate}")

    if "/Contents" not in page:  # a blank page may have no content stream at all
        page[generic.NameObject("/Contents")] = generic.ArrayObject()
        writer.mark_update(page_ref)
    form, height = _form_xobject(writer, stamp)
    name = "/ReceiptStamp" + uuid.uuid4().hex[:12]
    matrix = placement_matrix(box, rotate, STAMP_WIDTH, height)
    # Wrap the page's own content in q/Q so a graphics state it leaves behind cannot move the stamp.
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"q")), prepend=True)
    paint = b"Q q %g %g %g %g %.3f %.3f cm %s Do Q" % (*matrix, name.encode())
    resources = generic.DictionaryObject(
        {
            generic.NameObject("/XObject"): generic.DictionaryObject(
                {generic.NameObject(name): writer.add_object(form)}
            )
        }
    )
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=paint)), resources)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
