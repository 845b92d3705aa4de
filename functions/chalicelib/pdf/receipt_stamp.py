"""The receipt stamp (ตรารับหนังสือ) on page 1 of an incoming letter, signatures kept valid.

The saraban officer's stamp is a 5 x 2.5 cm box at the top right of the first page with the agency's
name and the lines เลขรับ (equal to the register number), วันที่ and เวลา (docs/rules.md,
"Registers and running numbers"). The three values start at the same x, after the widest label.

:func:`stamp_receipt` adds it as ONE incremental update (the original file is an exact byte prefix of
the result) that does not touch the page's content stream: the stamp is the widget of a new,
read-only, unsigned signature field named ``ReceiptStamp`` whose appearance stream (/AP /N) draws the
box, the way :mod:`chalicelib.pdf.endorsement` adds endorsement blocks. A letter the sender signed
therefore still validates: pyHanko's difference analysis (``chalicelib.signing.validation``) reports a
new signature field with an appearance as form filling (modification level FORM_FILLING, a permitted
change), where a changed page content stream, or a new FreeText/Stamp annotation, is an unexplained
change that fails the signature. Every letter is stamped this way, signed or not.

A certified letter (DocMDP P=1, 2 or 3) or one whose signature locks new fields (FieldMDP) is not
modified: :class:`StampNotAllowed` is raised, and the caller keeps :func:`receipt_page` (a one-page
A4 PDF with the same stamp) next to the letter instead.

The stamp is placed at the top right of the page as displayed: the page's CropBox (within its
MediaBox) and /Rotate are honoured (the appearance carries a /Matrix that turns it upright). Text is
shaped with HarfBuzz in TLWG Laksaman through :class:`chalicelib.pdf.shaped_font.ShapedFontEngine`,
which keeps the Thai extractable (ToUnicode and ActualText).

The date is written in its short form (``21 พ.ย. 2569``): the full month names do not fit a 5 cm box
at a readable size. Lines are spaced by their ink (stacked Thai marks never touch the line above).
A long agency name is set smaller, on up to two lines; a two-line name with the three data lines
does not fit 2.5 cm at a readable size, so then the box grows taller (about 2.8 cm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import TYPE_CHECKING, Final

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

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

if TYPE_CHECKING:
    from chalicelib.pdf.shaped_font import ShapedFontEngine
from chalicelib.pdf.stamp_errors import PdfStampError

# The field machinery (page geometry, field names, the certification check, the Thai font set-up) is
# the endorsement module's, imported where it is used.

MM: Final = 72 / 25.4
A4: Final = (210 * MM, 297 * MM)
STAMP_WIDTH: Final = 50 * MM
STAMP_MIN_HEIGHT: Final = 25 * MM
PAGE_MARGIN: Final = 7 * MM  # from the top and right edges of the visible page
PADDING: Final = 2.5 * MM  # left and right
PADDING_Y: Final = 1.5 * MM  # top and bottom
BORDER_WIDTH: Final = 0.8
INK: Final = (0.05, 0.15, 0.55)  # stamp-pad blue
FIELD_NAME: Final = "ReceiptStamp"  # the stamp's signature field (ReceiptStamp2, ... if taken)
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
# receipt_page: the stamp at the top right within the letter margins, the heading and ``about`` below.
PAGE_LEFT: Final = 30 * MM
PAGE_RIGHT: Final = 20 * MM
PAGE_TOP: Final = 15 * MM
PAGE_BOTTOM: Final = 20 * MM
_FIELD_NUMBER: Final = re.compile(re.escape(FIELD_NAME) + r"(\d*)")


class StampNotAllowed(PdfStampError):
    """The letter's signatures forbid adding the stamp (a certification or a field lock): keep
    :func:`receipt_page` next to the letter instead."""

    def __init__(self, message: str, permission: int | None = None) -> None:
        super().__init__(message)
        self.permission = permission  # the DocMDP /P in force, None for a field lock


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


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Final[Matrix] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _appearance(
    lines: list[_Line],
    height: float,
    regular: ShapedFontEngine,
    bold: ShapedFontEngine,
    fonts: generic.DictionaryObject,
    matrix: Matrix = _IDENTITY,
) -> generic.StreamObject:
    """The stamp as a form XObject with its BBox at (0, 0, STAMP_WIDTH, height), drawn upright;
    ``matrix`` (the form's /Matrix) turns it for a rotated page."""
    red, green, blue = INK
    half = BORDER_WIDTH / 2
    ops = [
        b"q %g %g %g RG %g %g %g rg %g w" % (red, green, blue, red, green, blue, BORDER_WIDTH),
        b"%g %g %.3f %.3f re S" % (half, half, STAMP_WIDTH - BORDER_WIDTH, height - BORDER_WIDTH),
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
    entries: dict[str, generic.PdfObject] = {
        "/Type": generic.NameObject("/XObject"),
        "/Subtype": generic.NameObject("/Form"),
        "/BBox": generic.ArrayObject(generic.FloatObject(round(v, 3)) for v in (0, 0, STAMP_WIDTH, height)),
        "/Resources": generic.DictionaryObject({generic.NameObject("/Font"): fonts}),
    }
    if matrix != _IDENTITY:
        entries["/Matrix"] = generic.ArrayObject(generic.NumberObject(int(v)) for v in matrix)
    form = generic.StreamObject(
        {generic.NameObject(key): value for key, value in entries.items()}, stream_data=b"\n".join(ops)
    )
    form.compress()
    return form


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


def _field_name(taken: set[str]) -> str:
    """ReceiptStamp, or ReceiptStamp<n> (one more than the highest) if the letter already has one."""
    numbers = [int(m.group(1) or 1) for name in taken if (m := _FIELD_NUMBER.fullmatch(name))]
    return f"{FIELD_NAME}{max(numbers) + 1}" if numbers else FIELD_NAME


def _not_allowed(permission: int | None) -> StampNotAllowed:
    if permission is None:
        return StampNotAllowed(
            "a signature on the letter locks its form fields (FieldMDP): the receipt stamp, a new "
            "field, would invalidate it, so keep a separate receipt page instead"
        )
    meaning = {
        1: "no changes at all",
        2: "form filling and signing only",
        3: "annotations, but this system's validator flags any visible addition after certification",
    }.get(permission, "an unknown set of changes")
    return StampNotAllowed(
        f"the letter is certified (DocMDP P={permission}: {meaning}); stamping it would invalidate "
        "the certification, so keep a separate receipt page instead",
        permission=permission,
    )


def stamp_receipt(original_pdf: bytes, stamp: ReceiptStamp) -> bytes:
    """Add the receipt stamp to page 1 of ``original_pdf`` as one incremental update (module doc).

    Raises :class:`StampNotAllowed` when a certification (DocMDP) or a field lock (FieldMDP) of the
    letter forbids the new field, and :class:`PdfStampError` if the input is not a readable,
    unencrypted PDF with a page.
    """
    from pyhanko.sign import fields

    from chalicelib.pdf import endorsement

    writer = _open(original_pdf)
    try:
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise PdfStampError(f"cannot find page 1: {err}") from err
    name = _field_name(endorsement._field_names(writer))
    try:
        endorsement._check_permissions(writer.prev, [name])
    except endorsement.EndorsementNotAllowed as err:
        raise _not_allowed(err.permission) from err
    geometry = endorsement._geometry(page, 1)

    lines, height = _layout(stamp)
    right = max(STAMP_WIDTH, geometry.width - PAGE_MARGIN)  # the page as displayed, y up
    top = max(height, geometry.height - PAGE_MARGIN)
    rect = geometry.rect_to_user((right - STAMP_WIDTH, top - height, right, top))
    regular, bold, fonts = endorsement._font_engines(writer)
    form = _appearance(lines, height, regular, bold, fonts, geometry.form_matrix)
    try:
        _, field_ref = fields.prepare_sig_field(
            name,
            writer.root,
            update_writer=writer,
            existing_fields_only=False,
            box=tuple(round(v, 2) for v in rect),
            include_on_page=page_ref,
        )
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise PdfStampError(f"cannot add the receipt stamp field: {err}") from err
    widget = field_ref.get_object()
    widget[generic.NameObject("/Ff")] = generic.NumberObject(1)  # read-only: nobody signs into it
    widget[generic.NameObject("/TU")] = generic.TextStringObject(
        "ตรารับหนังสือ " + " ".join(" ".join(part.text for part in line.parts) for line in lines)
    )
    widget[generic.NameObject("/AP")] = generic.DictionaryObject(
        {generic.NameObject("/N"): writer.add_object(form)}
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def receipt_page(stamp: ReceiptStamp, *, about: str | None = None) -> bytes:
    """A one-page A4 PDF showing the stamp, kept next to a letter that cannot be stamped.

    The stamp sits at the top right as on a letter (within 20 mm of the right edge, 15 mm of the top),
    with the heading ตรารับหนังสือ under it and ``about`` (which letter:
    ``หนังสือที่ มท 0301/123 ลงวันที่ 21 พฤศจิกายน 2569 เรื่อง ...``) under the heading, wrapped; text
    that would run past the bottom margin is cut with an ellipsis.
    """
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    from chalicelib.pdf.endorsement import _font_engines

    page_width, page_height = A4
    content_width = page_width - PAGE_LEFT - PAGE_RIGHT
    writer = PdfFileWriter()
    writer.root[generic.NameObject("/Lang")] = generic.TextStringObject("th-TH")
    writer.document_meta.title = "ตรารับหนังสือ"
    regular, bold, fonts = _font_engines(writer)
    lines, height = _layout(stamp)
    stamp_x = page_width - PAGE_RIGHT - STAMP_WIDTH
    stamp_y = page_height - PAGE_TOP - height
    ops = [b"q 1 0 0 1 %.3f %.3f cm /Stamp Do Q" % (stamp_x, stamp_y)]

    y = stamp_y - 6 * MM
    rows: list[tuple[str, float, bool]] = [("ตรารับหนังสือ", 18, True)]
    if about and about.strip():
        paragraph = "\n".join(" ".join(line.split()) for line in about.strip().splitlines())
        rows += [(line, 14, False) for line in break_lines(paragraph, size_pt=14, width_pt=content_width)]
    room = 1 + int((y - 18 * 1.4 - PAGE_BOTTOM) // (14 * 1.4))  # the heading, then lines of ``about``
    if len(rows) > room:
        rows = [*rows[: room - 1], (rows[room - 1][0].rstrip() + " …", 14, False)]
    for text, size, is_heading in rows:
        y -= size * 1.4
        font = BOLD_FONT if is_heading else REGULAR_FONT
        width = text_width(text, font_path=font, size_pt=size)
        x = PAGE_LEFT + ((content_width - width) / 2 if is_heading else 0)
        shaped = (bold if is_heading else regular).shape_line(text, size)
        ops.append(
            b"BT 0 g %s %g Tf 1 0 0 1 %.3f %.3f Tm %s ET"
            % (b"/F2" if is_heading else b"/F1", size, x, y, shaped.ops)
        )
    resources = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Font"): fonts,
                generic.NameObject("/XObject"): generic.DictionaryObject(
                    {
                        generic.NameObject("/Stamp"): writer.add_object(
                            _appearance(lines, height, regular, bold, fonts)
                        )
                    }
                ),
            }
        )
    )
    content = generic.StreamObject(stream_data=b"\n".join(ops))
    content.compress()
    media_box = (0, 0, round(page_width, 2), round(page_height, 2))
    writer.insert_page(PageObject(writer.add_object(content), media_box, resources))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
