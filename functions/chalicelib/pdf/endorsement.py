"""เกษียนหนังสือ: an executive's endorsement written in the free space of a letter, signatures kept valid.

An endorsement block holds a note (``เรียน ผอ. เพื่อโปรดทราบและพิจารณา``), a decision (ทราบ, อนุมัติ,
...), the routing line (``มอบ กองแผนงาน``: written as given, the verb included), and the endorser's
name, position and date (``21 พ.ย. 2569``). Several blocks stack in the order given: the saraban
officer's note first, then each executive's.

:func:`endorse_pdf` adds the blocks to page 1 (or the last page) of a letter as ONE incremental update:
the original file is an exact byte prefix of the result and the page's content stream is not touched.
Each block is a widget annotation with its own appearance stream (/AP /N, a form XObject drawing
HarfBuzz-shaped Laksaman through :class:`chalicelib.pdf.shaped_font.ShapedFontEngine`, so the Thai
extracts back through ToUnicode and /ActualText). The widget belongs to a new, read-only, unsigned
signature field named ``Endorsement<n>``, not to a FreeText or Stamp annotation, because of how
signatures are validated here: pyHanko's difference analysis (``chalicelib.signing.validation``)
reports any new markup annotation after a signature as an unexplained change (modification level
OTHER, the signature's bottom line fails), while a new signature field with an appearance is an
accepted change (FORM_FILLING). The field is read-only (/Ff 1) and its annotation locked (/F 132),
so viewers neither offer to sign it nor let it be moved.

A certified document (a DocMDP signature at any level, or a signed field whose /Lock sets one) is not
modified: :class:`EndorsementNotAllowed` is raised and the caller files :func:`endorsement_page` (a
standalone A4 page with the same blocks) next to the letter instead. P=1 and P=2 forbid the change
outright; P=3 allows annotations in ISO 32000, but the validator used here (pyHanko) flags every
visible new field or annotation after a certification, so P=3 is refused as well. A FieldMDP lock
that covers the new field name is refused the same way.

Placement rule (all in the page as displayed: CropBox within MediaBox, /Rotate honoured, so the
block reads upright):

1. Occupied: every mark the page content draws, found by interpreting its content stream (text runs
   sized from the fonts' widths, with room above and below for stacked Thai marks; filled and
   stroked paths, segment by segment; images; form XObjects, recursively), every existing
   annotation's /Rect (signature fields, earlier endorsements), and a 10 mm edge (12 mm at the
   bottom). Everything is kept 2 mm clear. White fills are not marks. A large scanned image is
   looked at pixel by pixel (dark pixels are marks) when Pillow can decode it; other images count
   whole.
2. The blocks of one call go together, in order: as a column (right edges aligned, 3 mm apart), else
   as a row (tops aligned). The group goes directly below the last endorsement already on the page
   (right edges aligned), else to its right (tops aligned), else in the highest free spot not above
   it. Then (and first, on a page without endorsements) the highest free spot in the lower half of
   the page, then anywhere on the page. Free spots are searched from the right edge leftwards. If the
   group fits nowhere, the blocks are placed one by one by the same rule.
3. The block is sized to its text: lines are wrapped at Thai word boundaries
   (:func:`chalicelib.pdf.thai_text.break_lines`) within 80 mm, then 68, then 56 mm, at 14 pt, then
   13, then 12; the box shrinks to the longest line (at least 45 mm). The first size and width that
   fit a free spot win. If a block fits nowhere, :class:`NoRoomForEndorsement` is raised.
4. A page whose content cannot be interpreted (a parse error, too many operators) is treated as
   unknown: only the bottom-right quarter of the page above the footer margin is used, still
   avoiding the existing annotations.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any, Final, Literal

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content_stream_parser import parse_content_stream
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import fields

from chalicelib.pdf.shaped_font import ShapedFontEngine
from chalicelib.pdf.stamp_errors import PdfStampError
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
from chalicelib.thai import thai_date_short

MM: Final = 72 / 25.4
A4: Final = (210 * MM, 297 * MM)
FIELD_PREFIX: Final = "Endorsement"
WIDTHS: Final = (80 * MM, 68 * MM, 56 * MM)  # the widest box a block is wrapped to, tried in order
SIZES: Final = (14.0, 13.0, 12.0)  # points, tried in order (each with every width)
MIN_WIDTH: Final = 45 * MM
PADDING: Final = 2.5 * MM  # left and right, inside the box
PADDING_Y: Final = 1.5 * MM
EDGE: Final = 10 * MM  # kept free at the top, left and right of the page
FOOTER: Final = 12 * MM  # kept free at the bottom
CLEARANCE: Final = 2 * MM  # white kept around every mark, annotation and block
SPACING: Final = 3 * MM  # between two endorsement blocks
CELL: Final = 1 * MM  # resolution of the free-space search
INK: Final = (0.05, 0.15, 0.55)  # pen blue
BORDER: Final = (0.55, 0.62, 0.8)
BORDER_WIDTH: Final = 0.5
MIN_LEADING: Final = 1.2  # x font size
MIN_ABOVE: Final = 0.8
MIN_BELOW: Final = 0.25
INK_GAP: Final = 0.1
GROUP_GAP: Final = 0.35  # x font size, before the decision, the routing line and the signature lines
PAGE_LEFT: Final = 30 * MM  # endorsement_page: the letter margins
PAGE_TOP: Final = 25 * MM
PAGE_BOTTOM: Final = 20 * MM
BLOCK_GAP: Final = 6 * MM
OPERATOR_BUDGET: Final = 300_000  # content operators interpreted per page, forms included
FORM_DEPTH: Final = 8
SCAN_MIN_SHARE: Final = 0.2  # images covering more of the page than this are read pixel by pixel
SCAN_MAX_PIXELS: Final = 40_000_000
DARK: Final = 170  # 0-255 grey level below which a scanned pixel is ink

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Final[Matrix] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_FIELD_NAME = re.compile(re.escape(FIELD_PREFIX) + r"(\d+)")
_INLINE_MARK: Final = "/EndorsementInlineImage"


class EndorsementNotAllowed(PdfStampError):
    """The document's signatures forbid adding the endorsement: file :func:`endorsement_page` instead."""

    def __init__(self, message: str, permission: int | None = None) -> None:
        super().__init__(message)
        self.permission = permission  # the DocMDP /P in force, None for a field lock


class NoRoomForEndorsement(PdfStampError):
    """The page has no free space large enough for the blocks: file :func:`endorsement_page` instead."""


@dataclass(frozen=True)
class EndorsementBlock:
    note: str  # may hold explicit line breaks
    decision: str | None  # ทราบ, ดำเนินการ, เห็นชอบ, อนุมัติ, or free text
    addressed_to: str | None  # the routing line as written: "มอบ กองแผนงาน", "เรียน รอง ผอ."
    name: str
    position: str
    at: datetime  # time zone aware; the date is shown in Bangkok time

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("at must be time zone aware")
        if not self.name.strip():
            raise ValueError("name is empty")
        if not any((text or "").strip() for text in (self.note, self.decision, self.addressed_to)):
            raise ValueError("an endorsement needs a note, a decision or a routing line")


# -- the block's layout ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockLine:
    text: str
    bold: bool
    size: float
    x: float  # from the box's left edge
    baseline: float  # from the box's top edge, downwards


@dataclass(frozen=True)
class BlockLayout:
    lines: tuple[BlockLine, ...]
    width: float
    height: float
    size: float


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _paragraph(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines())


def layout_block(
    block: EndorsementBlock, *, size: float, max_width: float, thai_numerals: bool = False
) -> BlockLayout:
    """Lines of ``block`` wrapped within ``max_width`` at ``size``, and the box that holds them.

    The note, decision (bold) and routing line are set flush left; the name (in parentheses), the
    position and the date are centred, as under a handwritten signature. Lines are spaced by their
    ink, so stacked Thai marks never touch the line above.
    """
    inner = max_width - 2 * PADDING
    # (text, bold, centred, extra space before in x size)
    rows: list[tuple[str, bool, bool, float]] = []

    def add(text: str, *, bold: bool = False, centred: bool = False, gap: float = 0.0) -> None:
        if not text:
            return
        font = BOLD_FONT if bold else REGULAR_FONT
        for index, line in enumerate(break_lines(text, font_path=font, size_pt=size, width_pt=inner)):
            rows.append((line, bold, centred, gap if index == 0 and rows else 0.0))

    add(_paragraph(block.note))
    add(_one_line(block.decision), bold=True, gap=GROUP_GAP / 2)
    add(_one_line(block.addressed_to), gap=GROUP_GAP / 2)
    add(f"({_one_line(block.name)})", centred=True, gap=GROUP_GAP)
    add(_one_line(block.position), centred=True)
    add(thai_date_short(block.at, thai_numerals=thai_numerals), centred=True)

    widths = [
        text_width(text, font_path=BOLD_FONT if bold else REGULAR_FONT, size_pt=size)
        for text, bold, _, _ in rows
    ]
    box_width = min(max_width, max(MIN_WIDTH, max(widths) + 2 * PADDING))
    lines: list[BlockLine] = []
    previous: list[InkBox] = []
    baseline = PADDING_Y
    for (text, bold, centred, gap), width in zip(rows, widths, strict=True):
        x = (box_width - width) / 2 if centred else PADDING
        ink = font_metrics(BOLD_FONT if bold else REGULAR_FONT).ink(text, size, x)
        if not lines:
            baseline += max(MIN_ABOVE * size, ink_top(ink) + INK_GAP * size)
        else:
            step = max(MIN_LEADING * size, baseline_clearance(previous, ink) + INK_GAP * size)
            baseline += step + gap * size
        lines.append(BlockLine(text, bold, size, x, baseline))
        previous = ink
    height = baseline + max(MIN_BELOW * size, ink_depth(previous) + INK_GAP * size) + PADDING_Y
    return BlockLayout(tuple(lines), box_width, height, size)


def _appearance(
    layout: BlockLayout,
    regular: ShapedFontEngine,
    bold: ShapedFontEngine,
    fonts: generic.DictionaryObject,
    matrix: Matrix = IDENTITY,
) -> generic.StreamObject:
    """The block as a form XObject with its BBox at (0, 0, width, height)."""
    width, height = layout.width, layout.height
    half = BORDER_WIDTH / 2
    ops = [
        b"q %g w %g %g %g RG" % (BORDER_WIDTH, *BORDER),
        b"%g %g %.3f %.3f re S" % (half, half, width - BORDER_WIDTH, height - BORDER_WIDTH),
        b"%g %g %g rg BT" % INK,
    ]
    for line in layout.lines:
        engine = bold if line.bold else regular
        shaped = engine.shape_line(line.text, line.size)
        ops.append(
            b"%s %g Tf 1 0 0 1 %.3f %.3f Tm %s"
            % (b"/F2" if line.bold else b"/F1", line.size, line.x, height - line.baseline, shaped.ops)
        )
    ops += [b"ET Q"]
    entries: dict[str, generic.PdfObject] = {
        "/Type": generic.NameObject("/XObject"),
        "/Subtype": generic.NameObject("/Form"),
        "/BBox": generic.ArrayObject(generic.FloatObject(round(v, 3)) for v in (0, 0, width, height)),
        "/Resources": generic.DictionaryObject({generic.NameObject("/Font"): fonts}),
    }
    if matrix != IDENTITY:
        entries["/Matrix"] = generic.ArrayObject(generic.NumberObject(int(v)) for v in matrix)
    form = generic.StreamObject(
        {generic.NameObject(key): value for key, value in entries.items()}, stream_data=b"\n".join(ops)
    )
    form.compress()
    return form


def _font_engines(
    writer: Any,
) -> tuple[ShapedFontEngine, ShapedFontEngine, generic.DictionaryObject]:
    regular = ShapedFontEngine(writer, REGULAR_FONT)
    bold = ShapedFontEngine(writer, BOLD_FONT)
    fonts = generic.DictionaryObject(
        {generic.NameObject("/F1"): regular.as_resource(), generic.NameObject("/F2"): bold.as_resource()}
    )
    return regular, bold, fonts


# -- the page as displayed -------------------------------------------------------------------------


def _normalise(box: Sequence[float]) -> Rect:
    return min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])


def _numbers(value: Any, count: int) -> list[float] | None:
    try:
        numbers = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    return numbers if len(numbers) == count and all(math.isfinite(v) for v in numbers) else None


@dataclass(frozen=True)
class _Geometry:
    """The visible page box (user space) and /Rotate; 'displayed' coordinates have the origin at the
    lower left of the page as shown, y up."""

    box: Rect
    rotate: int

    @property
    def user_width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def user_height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def width(self) -> float:
        return self.user_height if self.rotate in (90, 270) else self.user_width

    @property
    def height(self) -> float:
        return self.user_width if self.rotate in (90, 270) else self.user_height

    def to_display(self, x: float, y: float) -> tuple[float, float]:
        u, v = x - self.box[0], y - self.box[1]
        w, h = self.user_width, self.user_height
        if self.rotate == 90:
            return v, w - u
        if self.rotate == 180:
            return w - u, h - v
        if self.rotate == 270:
            return h - v, u
        return u, v

    def to_user(self, dx: float, dy: float) -> tuple[float, float]:
        w, h = self.user_width, self.user_height
        if self.rotate == 90:
            u, v = w - dy, dx
        elif self.rotate == 180:
            u, v = w - dx, h - dy
        elif self.rotate == 270:
            u, v = dy, h - dx
        else:
            u, v = dx, dy
        return u + self.box[0], v + self.box[1]

    def rect_to_display(self, rect: Rect) -> Rect:
        corners = [self.to_display(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
        return _bbox(corners)

    def rect_to_user(self, rect: Rect) -> Rect:
        corners = [self.to_user(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
        return _bbox(corners)

    @property
    def form_matrix(self) -> Matrix:
        """Turns a form drawn upright (as displayed) into the page's user space."""
        return {
            90: (0.0, 1.0, -1.0, 0.0, 0.0, 0.0),
            180: (-1.0, 0.0, 0.0, -1.0, 0.0, 0.0),
            270: (0.0, -1.0, 1.0, 0.0, 0.0, 0.0),
        }.get(self.rotate, IDENTITY)


def _bbox(points: Sequence[tuple[float, float]]) -> Rect:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _geometry(page: Any, number: int) -> _Geometry:
    media = _numbers(find_inherited_value_in_tree(page, "/MediaBox", "/Parent"), 4)
    if media is None:
        raise PdfStampError(f"page {number} has no usable /MediaBox")
    box = _normalise(media)
    crop = _numbers(find_inherited_value_in_tree(page, "/CropBox", "/Parent"), 4)
    if crop is not None:
        c = _normalise(crop)
        clipped = max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3])
        if clipped[2] > clipped[0] and clipped[3] > clipped[1]:
            box = clipped
    rotate_value = find_inherited_value_in_tree(page, "/Rotate", "/Parent")
    try:
        rotate = int(rotate_value) if rotate_value is not None else 0
    except (TypeError, ValueError) as err:
        raise PdfStampError(f"page {number} has an invalid /Rotate") from err
    if rotate % 90:
        raise PdfStampError(f"page {number} has an invalid /Rotate {rotate}")
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        raise PdfStampError(f"page {number} is empty")
    return _Geometry(box, rotate % 360)


# -- what the page already shows -------------------------------------------------------------------


class _Unreadable(Exception):
    """The page content could not be interpreted (the fallback placement is used)."""


def _multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix that applies ``first`` and then ``then`` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _rect_through(m: Matrix, rect: Rect) -> Rect:
    return _bbox([_apply(m, x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])


@dataclass
class _Font:
    two_byte: bool
    widths: dict[int, float]  # code -> width in text space units per point of size
    default: float
    scale: float = 0.001  # glyph space to text space

    def advance(self, code: int) -> float:
        return self.widths.get(code, self.default) * self.scale


def _read_font(font: Any) -> _Font:
    try:
        font = font.get_object()
        subtype = font.get("/Subtype")
        if subtype == "/Type0":
            descendant = font["/DescendantFonts"][0].get_object()
            widths: dict[int, float] = {}
            spec = list(descendant.get("/W", ()))
            index = 0
            while index + 1 < len(spec) and len(widths) < 70_000:
                first = int(spec[index])
                nxt = (
                    spec[index + 1].get_object()
                    if hasattr(spec[index + 1], "get_object")
                    else spec[index + 1]
                )
                if isinstance(nxt, list):
                    for offset, width in enumerate(nxt):
                        widths[first + offset] = float(width)
                    index += 2
                elif index + 2 < len(spec):
                    width = float(spec[index + 2])
                    for code in range(first, min(int(nxt), first + 70_000) + 1):
                        widths[code] = width
                    index += 3
                else:
                    break
            return _Font(True, widths, float(descendant.get("/DW", 1000)))
        first_char = int(font.get("/FirstChar", 0))
        widths = {first_char + i: float(w) for i, w in enumerate(font.get("/Widths", ()))}
        descriptor = font.get("/FontDescriptor")
        missing = float(descriptor.get_object().get("/MissingWidth", 0)) if descriptor else 0.0
        scale = 0.001
        if subtype == "/Type3":
            matrix = _numbers(font.get("/FontMatrix"), 6)
            scale = abs(matrix[0]) if matrix else 0.001
        default = missing if missing else (500.0 if widths else 600.0)
        return _Font(False, widths, default, scale)
    except (PdfError, KeyError, IndexError, TypeError, ValueError, AttributeError):
        return _Font(False, {}, 600.0)


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    line_width: float = 1.0
    fill_white: bool = False
    stroke_white: bool = False
    font: _Font = field(default_factory=lambda: _Font(False, {}, 600.0))
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0

    def copy(self) -> _State:
        return _State(**self.__dict__)


def _is_white(args: Sequence[Any]) -> bool:
    try:
        values = [float(v) for v in args]
    except (TypeError, ValueError):
        return False
    if len(values) in (1, 3):
        return all(v >= 0.97 for v in values)
    if len(values) == 4:
        return all(v <= 0.03 for v in values)
    return False


def _string_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    original = getattr(value, "original_bytes", None)
    return bytes(original) if original is not None else str(value).encode("latin-1", "replace")


def _strip_inline_images(data: bytes) -> bytes:
    """Replace each inline image (BI ... ID data EI) with a Do of a marker name (pyHanko cannot parse BI)."""
    out = bytearray()
    position = 0
    pattern = re.compile(rb"(?:^|(?<=[\s\]\)>]))BI(?=[\s/])")
    end_pattern = re.compile(rb"\sEI(?=[\s/\[<(]|$)")
    while True:
        start = pattern.search(data, position)
        if start is None:
            break
        data_at = data.find(b"ID", start.end())
        if data_at < 0:
            raise _Unreadable("an inline image without ID")
        end = end_pattern.search(data, data_at + 3)
        if end is None:
            raise _Unreadable("an inline image without EI")
        out += data[position : start.start()] + b" " + _INLINE_MARK.encode() + b" Do "
        position = end.end()
    return bytes(out + data[position:])


class _Scanner:
    """Interprets content streams and collects the user-space boxes of what they draw."""

    def __init__(self, geometry: _Geometry) -> None:
        self.page_area = geometry.user_width * geometry.user_height
        self.marks: list[Rect] = []
        self.budget = OPERATOR_BUDGET
        self._fonts: dict[int, _Font] = {}

    def run(self, streams: list[Any], resources: Any, ctm: Matrix, depth: int, seen: frozenset[int]) -> None:
        parts = []
        for stream in streams:
            data = stream.data
            part = stream
            if b"BI" in data:
                part = generic.StreamObject(stream_data=_strip_inline_images(data))
                part.container_ref = stream.container_ref
            parts.append(part)
        run = _Run(self, resources, ctm, depth, seen)
        for operator in parse_content_stream(parts):
            self.budget -= 1
            if self.budget < 0:
                raise _Unreadable("too many content operators")
            handler = _HANDLERS.get(operator.op)
            if handler is not None:
                handler(run, operator.op, operator.args)

    def font(self, resources: Any, name: Any) -> _Font:
        try:
            font = resources["/Font"].get_object()[str(name)]
        except (KeyError, TypeError, AttributeError, PdfError):
            return _Font(False, {}, 600.0)
        key = id(font.get_object()) if hasattr(font, "get_object") else id(font)
        cached = self._fonts.get(key)
        if cached is None:
            cached = self._fonts[key] = _read_font(font)
        return cached

    def image(self, image: Any, ctm: Matrix) -> list[Rect]:
        whole = _rect_through(ctm, (0.0, 0.0, 1.0, 1.0))
        area = (whole[2] - whole[0]) * (whole[3] - whole[1])
        if area < SCAN_MIN_SHARE * self.page_area:
            return [whole]
        ink = _dark_areas(image, ctm)
        return [whole] if ink is None else ink


_Path = list[list[tuple[float, float]]]


@dataclass
class _Run:
    """The interpreter state of one content stream (a page's, or a form XObject's)."""

    scanner: _Scanner
    resources: Any
    ctm: Matrix
    depth: int
    seen: frozenset[int]
    state: _State = field(init=False)
    stack: list[_State] = field(default_factory=list)
    path: _Path = field(default_factory=list)
    text_matrix: Matrix = IDENTITY
    line_matrix: Matrix = IDENTITY

    def __post_init__(self) -> None:
        self.state = _State(ctm=self.ctm)

    # graphics state
    def save(self, op: str, args: list[Any]) -> None:
        self.stack.append(self.state.copy())

    def restore(self, op: str, args: list[Any]) -> None:
        if self.stack:
            self.state = self.stack.pop()

    def concat(self, op: str, args: list[Any]) -> None:
        if len(args) == 6:
            matrix = tuple(float(v) for v in args)
            self.state.ctm = _multiply(matrix, self.state.ctm)  # type: ignore[arg-type]

    def line_width(self, op: str, args: list[Any]) -> None:
        if args:
            self.state.line_width = float(args[0])

    def colour(self, op: str, args: list[Any]) -> None:
        white = op not in ("cs", "CS") and _is_white(args)
        if op in ("g", "rg", "k", "sc", "scn", "cs"):
            self.state.fill_white = white
        else:
            self.state.stroke_white = white

    # paths
    def move(self, op: str, args: list[Any]) -> None:
        if len(args) == 2:
            self.path.append([_apply(self.state.ctm, float(args[0]), float(args[1]))])

    def segment(self, op: str, args: list[Any]) -> None:
        if not args or len(args) % 2:
            return
        ctm = self.state.ctm
        points = [_apply(ctm, float(args[i]), float(args[i + 1])) for i in range(0, len(args), 2)]
        if not self.path:
            self.path.append([points[0]])
        self.path[-1].extend(points)

    def rectangle(self, op: str, args: list[Any]) -> None:
        if len(args) == 4:
            x, y, w, h = (float(v) for v in args)
            corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
            self.path.append([_apply(self.state.ctm, *corner) for corner in corners])

    def paint(self, op: str, args: list[Any]) -> None:
        path, self.path = self.path, []
        state = self.state
        if op == "n" or not path:
            return
        fill = op not in ("S", "s") and not state.fill_white
        stroke = op in ("S", "s", "B", "B*", "b", "b*") and not state.stroke_white
        ctm = state.ctm
        half = max(0.5, state.line_width * math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])) / 2)
        marks = self.scanner.marks
        for subpath in path:
            if fill and len(subpath) > 2:
                marks.append(_bbox(subpath))
            if stroke:
                closed = op in ("s", "b", "b*") and len(subpath) > 2
                points = [*subpath, subpath[0]] if closed else subpath
                for start, end in zip(points, points[1:] or points, strict=False):
                    x0, y0, x1, y1 = _bbox([start, end])
                    marks.append((x0 - half, y0 - half, x1 + half, y1 + half))

    # text
    def begin_text(self, op: str, args: list[Any]) -> None:
        self.text_matrix = self.line_matrix = IDENTITY

    def text_state(self, op: str, args: list[Any]) -> None:
        state = self.state
        if op == "Tf" and len(args) == 2:
            state.font = self.scanner.font(self.resources, args[0])
            state.size = float(args[1])
        elif args:
            value = float(args[0])
            if op == "Tc":
                state.char_space = value
            elif op == "Tw":
                state.word_space = value
            elif op == "Tz":
                state.scale = value / 100
            elif op == "TL":
                state.leading = value
            elif op == "Ts":
                state.rise = value

    def _next_line(self, tx: float, ty: float) -> None:
        self.text_matrix = self.line_matrix = _multiply((1, 0, 0, 1, tx, ty), self.line_matrix)

    def move_text(self, op: str, args: list[Any]) -> None:
        if op == "Tm" and len(args) == 6:
            self.text_matrix = self.line_matrix = tuple(float(v) for v in args)  # type: ignore[assignment]
        elif op in ("Td", "TD") and len(args) == 2:
            tx, ty = float(args[0]), float(args[1])
            if op == "TD":
                self.state.leading = -ty
            self._next_line(tx, ty)
        elif op == "T*":
            self._next_line(0, -self.state.leading)

    def show(self, op: str, args: list[Any]) -> None:
        if not args:
            return
        if op == '"' and len(args) == 3:
            self.state.word_space, self.state.char_space = float(args[0]), float(args[1])
        if op in ("'", '"'):
            self._next_line(0, -self.state.leading)
        items = args[0] if op == "TJ" else [args[-1]]
        for item in items:
            if isinstance(item, int | float | Decimal):
                shift = -float(item) / 1000 * self.state.size * self.state.scale
                self.text_matrix = _multiply((1, 0, 0, 1, shift, 0), self.text_matrix)
            else:
                self._show(_string_bytes(item))

    def _show(self, data: bytes) -> None:
        state = self.state
        font, size = state.font, state.size
        if font.two_byte:
            codes = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
        else:
            codes = list(data)
        advance = 0.0
        for code in codes:
            advance += font.advance(code) * size + state.char_space
            if code == 32 and not font.two_byte:
                advance += state.word_space
        advance *= state.scale
        if codes and size:
            box = (0.0, state.rise - 0.4 * abs(size), advance, state.rise + 1.15 * abs(size))
            self.scanner.marks.append(_rect_through(_multiply(self.text_matrix, state.ctm), box))
        self.text_matrix = _multiply((1, 0, 0, 1, advance, 0), self.text_matrix)

    # external objects
    def draw(self, op: str, args: list[Any]) -> None:
        if not args:
            return
        name, ctm = str(args[0]), self.state.ctm
        if name == _INLINE_MARK:
            self.scanner.marks.append(_rect_through(ctm, (0.0, 0.0, 1.0, 1.0)))
            return
        try:
            ref = self.resources["/XObject"].get_object().raw_get(name)
        except (KeyError, TypeError, AttributeError, PdfError):
            return
        xobject = ref.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.scanner.marks.extend(self.scanner.image(xobject, ctm))
        elif subtype == "/Form":
            key = getattr(ref, "idnum", id(xobject))
            if self.depth >= FORM_DEPTH or key in self.seen:
                raise _Unreadable("form XObjects nested too deeply")
            matrix = _numbers(xobject.get("/Matrix"), 6)
            if matrix:
                ctm = _multiply(tuple(matrix), ctm)  # type: ignore[arg-type]
            own = xobject.get("/Resources")
            resources = own.get_object() if own is not None else self.resources
            self.scanner.run([xobject], resources, ctm, self.depth + 1, self.seen | {key})


_HANDLERS: Final[dict[str, Callable[[_Run, str, list[Any]], None]]] = {
    "q": _Run.save,
    "Q": _Run.restore,
    "cm": _Run.concat,
    "w": _Run.line_width,
    **dict.fromkeys(("g", "rg", "k", "sc", "scn", "cs", "G", "RG", "K", "SC", "SCN", "CS"), _Run.colour),
    "m": _Run.move,
    **dict.fromkeys(("l", "c", "v", "y"), _Run.segment),
    "re": _Run.rectangle,
    **dict.fromkeys(("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"), _Run.paint),
    "BT": _Run.begin_text,
    **dict.fromkeys(("Tf", "Tc", "Tw", "Tz", "TL", "Ts"), _Run.text_state),
    **dict.fromkeys(("Td", "TD", "Tm", "T*"), _Run.move_text),
    **dict.fromkeys(("Tj", "TJ", "'", '"'), _Run.show),
    "Do": _Run.draw,
}


def _decode_grey(image: Any) -> Any | None:
    """A large image as a Pillow greyscale picture, or None if it is not a kind decoded here."""
    from PIL import Image

    width, height = int(image["/Width"]), int(image["/Height"])
    if width < 1 or height < 1 or width * height > SCAN_MAX_PIXELS or image.get("/ImageMask"):
        return None
    filters = image.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)] if filters else []
    if names in (["/DCTDecode"], ["/DCT"]):
        picture = Image.open(BytesIO(image.encoded_data))
        picture.draft("L", (max(1, width // 8), max(1, height // 8)))
        return picture.convert("L")
    if not all(name in ("/FlateDecode", "/Fl") for name in names):
        return None
    space = image.get("/ColorSpace")
    space = space.get_object() if space is not None else None
    components = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}.get(str(space))
    if isinstance(space, list) and space and space[0] == "/ICCBased":
        components = int(space[1].get_object().get("/N", 0))
    bits = int(image.get("/BitsPerComponent", 8))
    if (bits, components) == (1, 1):
        return Image.frombytes("1", (width, height), image.data).convert("L")
    if bits == 8 and components in (1, 3, 4):
        mode = {1: "L", 3: "RGB", 4: "CMYK"}[components]
        return Image.frombytes(mode, (width, height), image.data).convert("L")
    return None


def _dark_areas(image: Any, ctm: Matrix) -> list[Rect] | None:
    """The dark parts of a large (scanned) image, as user-space boxes; None if it cannot be decoded."""
    try:
        from PIL import Image

        grey = _decode_grey(image)
        if grey is None:
            return None
        decode = image.get("/Decode")
        inverted = decode is not None and len(decode) >= 2 and float(decode[0]) > float(decode[1])
        # Sample at about one cell per millimetre of the page.
        span = _rect_through(ctm, (0.0, 0.0, 1.0, 1.0))
        cols = max(1, min(400, round((span[2] - span[0]) / CELL)))
        rows = max(1, min(400, round((span[3] - span[1]) / CELL)))
        levels = grey.resize((cols, rows), Image.Resampling.BOX).tobytes()
    except Exception:  # an image that cannot be decoded is taken whole, never an error
        return None
    marks: list[Rect] = []
    for row in range(rows):
        start: int | None = None
        for col in range(cols + 1):
            value = levels[row * cols + col] if col < cols else (0 if inverted else 255)
            dark = (255 - value if inverted else value) < DARK
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                # image space: x to the right, y up, row 0 at the top
                box = (start / cols, 1 - (row + 1) / rows, col / cols, 1 - row / rows)
                marks.append(_rect_through(ctm, box))
                start = None
    return marks


def _page_marks(page: Any, geometry: _Geometry) -> list[Rect] | None:
    """User-space boxes of everything the page content draws; None if the content cannot be read."""
    scanner = _Scanner(geometry)
    try:
        contents = page.get("/Contents")
        if contents is None:
            return []
        contents = contents.get_object()
        streams = [item.get_object() for item in contents] if isinstance(contents, list) else [contents]
        resources = find_inherited_value_in_tree(page, "/Resources", "/Parent")
        resources = resources.get_object() if resources is not None else generic.DictionaryObject()
        scanner.run(streams, resources, IDENTITY, 0, frozenset())
    except (
        _Unreadable,
        PdfError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        AttributeError,
        RecursionError,
    ):
        return None
    return scanner.marks


@dataclass(frozen=True)
class _Annotation:
    rect: Rect  # user space
    endorsement: int | None  # n of an Endorsement<n> field


def _annotations(page: Any) -> list[_Annotation]:
    found = []
    try:
        annots = page.get("/Annots")
        items = annots.get_object() if annots is not None else []
    except (PdfError, KeyError, TypeError, AttributeError):
        return []
    for item in items:
        try:
            annot = item.get_object()
            if annot.get("/Subtype") == "/Popup" or int(annot.get("/F", 0)) & 2:
                continue
            rect = _numbers(annot.get("/Rect"), 4)
            if rect is None:
                continue
            box = _normalise(rect)
            if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
                continue
            title = annot.get("/T")
            match = _FIELD_NAME.fullmatch(str(title)) if title is not None else None
            found.append(_Annotation(box, int(match.group(1)) if match else None))
        except (PdfError, KeyError, TypeError, ValueError, AttributeError):
            continue
    return found


# -- the free-space search -------------------------------------------------------------------------


class _Grid:
    """Free and occupied 1 mm cells of the page as displayed; row 0 is at the bottom."""

    def __init__(self, width: float, height: float) -> None:
        self.cols = max(1, int(width // CELL))
        self.rows = max(1, int(height // CELL))
        self.width, self.height = width, height
        self.blocked = bytearray(self.cols * self.rows)
        self._sums: list[list[int]] | None = None
        margin = (
            (0.0, 0.0, width, FOOTER),
            (0.0, height - EDGE, width, height),
            (0.0, 0.0, EDGE, height),
            (width - EDGE, 0.0, width, height),
        )
        for rect in margin:
            self.block(rect, 0.0)

    def _cells(self, rect: Rect, pad: float) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = rect[0] - pad, rect[1] - pad, rect[2] + pad, rect[3] + pad
        c0 = max(0, math.floor(x0 / CELL + 0.01))
        r0 = max(0, math.floor(y0 / CELL + 0.01))
        c1 = min(self.cols, math.ceil(x1 / CELL - 0.01))
        r1 = min(self.rows, math.ceil(y1 / CELL - 0.01))
        return c0, r0, c1, r1

    def block(self, rect: Rect, pad: float = CLEARANCE) -> None:
        c0, r0, c1, r1 = self._cells(rect, pad)
        if c1 <= c0 or r1 <= r0:
            return
        for row in range(r0, r1):
            start = row * self.cols
            self.blocked[start + c0 : start + c1] = b"\x01" * (c1 - c0)
        self._sums = None

    def _prefix(self) -> list[list[int]]:
        if self._sums is None:
            sums = [[0] * (self.cols + 1) for _ in range(self.rows + 1)]
            for row in range(self.rows):
                running = 0
                above, here = sums[row], sums[row + 1]
                start = row * self.cols
                for col in range(self.cols):
                    running += self.blocked[start + col]
                    here[col + 1] = above[col + 1] + running
            self._sums = sums
        return self._sums

    def _free(self, c0: int, r0: int, c1: int, r1: int) -> bool:
        if c0 < 0 or r0 < 0 or c1 > self.cols or r1 > self.rows:
            return False
        s = self._prefix()
        return s[r1][c1] - s[r0][c1] - s[r1][c0] + s[r0][c0] == 0

    def fits(self, rect: Rect) -> bool:
        c0, r0, c1, r1 = self._cells(rect, 0.0)
        return rect[0] >= 0 and rect[1] >= 0 and self._free(c0, r0, c1, r1)

    def highest_spot(self, width: float, height: float, top: float) -> Rect | None:
        """The highest free box of this size whose top is at most ``top``, rightmost first."""
        wc, hc = math.ceil(width / CELL), math.ceil(height / CELL)
        for top_row in range(min(self.rows, int(top // CELL)), hc - 1, -1):
            for c0 in range(self.cols - wc, -1, -1):
                if self._free(c0, top_row - hc, c0 + wc, top_row):
                    x1, y1 = (c0 + wc) * CELL, top_row * CELL
                    return x1 - width, y1 - height, x1, y1
        return None


# -- certification and locks -----------------------------------------------------------------------


def _docmdp_of(signature: Any) -> int | None:
    """The /P of a signature dictionary's DocMDP transform (2 when absent, as ISO 32000 says)."""
    for item in signature.get("/Reference", ()):
        ref = item.get_object()
        if ref.get("/TransformMethod") == "/DocMDP":
            params = ref.get("/TransformParams")
            value = params.get_object().get("/P") if params is not None else None
            return int(value) if value is not None else 2
    return None


def _check_permissions(reader: PdfFileReader, names: Sequence[str]) -> None:
    """Raise EndorsementNotAllowed if a certification or a field lock forbids the new fields."""
    try:
        levels: list[int] = []
        perms = reader.root.get("/Perms")
        certification = perms.get_object().get("/DocMDP") if perms is not None else None
        if certification is not None:
            level = _docmdp_of(certification.get_object())
            levels.append(level if level is not None else 2)
        for signature in reader.embedded_regular_signatures:
            level = _docmdp_of(signature.sig_object)
            if level is None:
                lock = signature.sig_field.get("/Lock")
                value = lock.get_object().get("/P") if lock is not None else None
                level = int(value) if value is not None else None
            if level is not None:
                levels.append(level)
            try:
                locks = signature.fieldmdp
            except Exception:
                locks = None
                levels.append(1)
            if locks is not None and any(locks.is_locked(name) for name in names):
                raise EndorsementNotAllowed(
                    f"the signature in field {signature.field_name!r} locks the form fields "
                    "(FieldMDP): an endorsement added to this file would invalidate it"
                )
    except EndorsementNotAllowed:
        raise
    except (PdfError, KeyError, IndexError, TypeError, ValueError, AttributeError) as err:
        raise PdfStampError(f"cannot read the document's signatures: {err}") from err
    if levels:
        level = min(levels)
        meaning = {
            1: "no changes at all",
            2: "form filling and signing only, no annotations",
            3: "annotations, but this system's validator flags any visible addition after certification",
        }.get(level, "an unknown set of changes")
        raise EndorsementNotAllowed(
            f"the document is certified (DocMDP P={level}: {meaning}); adding the endorsement would "
            "invalidate the certification, so file a separate endorsement page instead",
            permission=level,
        )


# -- writing ---------------------------------------------------------------------------------------


def _open(pdf: bytes) -> IncrementalPdfFileWriter:
    if b"%PDF-" not in pdf[:1024]:
        raise PdfStampError("not a PDF file (no %PDF- header)")
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise PdfStampError(f"not a readable PDF: {err}") from err
    if reader.encrypted:
        raise PdfStampError("the PDF is encrypted; an endorsement needs an unencrypted file")
    return IncrementalPdfFileWriter(BytesIO(pdf), prev=reader)


def _field_names(writer: IncrementalPdfFileWriter) -> set[str]:
    names: set[str] = set()
    try:
        form = writer.root.get("/AcroForm")
        for item in form.get_object().get("/Fields", ()) if form is not None else ():
            title = item.get_object().get("/T")
            if title is not None:
                names.add(str(title))
    except (PdfError, KeyError, TypeError, AttributeError):
        pass
    return names


@dataclass
class _Placement:
    layout: BlockLayout
    rect: Rect  # displayed


def _spot(
    grid: _Grid, width: float, height: float, previous: Rect | None, tops: Sequence[float]
) -> Rect | None:
    """Where a box of this size goes: under the previous endorsement (right edges aligned), or to its
    right (tops aligned), or the highest free spot not above it; else the highest free spot under
    each of ``tops`` in turn. Free spots are searched rightmost first."""
    if previous is not None:
        tops = (previous[3], *tops)
        below = previous[1] - SPACING
        right = previous[2] + SPACING
        for candidate in (
            (previous[2] - width, below - height, previous[2], below),
            (right, previous[3] - height, right + width, previous[3]),
        ):
            if grid.fits(candidate):
                return candidate
    for top in tops:
        found = grid.highest_spot(width, height, top)
        if found is not None:
            return found
    return None


def _place_group(
    layouts: list[BlockLayout], grid: _Grid, previous: Rect | None, tops: Sequence[float]
) -> list[_Placement] | None:
    """All blocks together: a column (right edges aligned), else a row (tops aligned), in order."""
    gaps = SPACING * (len(layouts) - 1)
    column = (max(x.width for x in layouts), sum(x.height for x in layouts) + gaps)
    found = _spot(grid, *column, previous, tops)
    if found is not None:
        placements, top = [], found[3]
        for layout in layouts:
            rect = (found[2] - layout.width, top - layout.height, found[2], top)
            placements.append(_Placement(layout, rect))
            top = rect[1] - SPACING
        return placements
    if len(layouts) < 2:
        return None
    row = (sum(x.width for x in layouts) + gaps, max(x.height for x in layouts))
    found = _spot(grid, *row, previous, tops)
    if found is None:
        return None
    placements, left = [], found[0]
    for layout in layouts:
        rect = (left, found[3] - layout.height, left + layout.width, found[3])
        placements.append(_Placement(layout, rect))
        left = rect[2] + SPACING
    return placements


def _place(
    blocks: Sequence[EndorsementBlock],
    grid: _Grid,
    previous: Rect | None,
    thai_numerals: bool,
    tops: Sequence[float],
) -> list[_Placement]:
    """Boxes for the blocks: together at the largest size and width that fit, else one by one."""
    for size in SIZES:
        for max_width in WIDTHS:
            layouts = [
                layout_block(block, size=size, max_width=max_width, thai_numerals=thai_numerals)
                for block in blocks
            ]
            group = _place_group(layouts, grid, previous, tops)
            if group is not None:
                for placement in group:
                    grid.block(placement.rect)
                return group
    placements: list[_Placement] = []
    for number, block in enumerate(blocks, start=1):
        found = next(
            (
                group[0]
                for size in SIZES
                for max_width in WIDTHS
                if (
                    group := _place_group(
                        [layout_block(block, size=size, max_width=max_width, thai_numerals=thai_numerals)],
                        grid,
                        previous,
                        tops,
                    )
                )
            ),
            None,
        )
        if found is None:
            raise NoRoomForEndorsement(f"no free space for endorsement {number} of {len(blocks)} on the page")
        grid.block(found.rect)
        placements.append(found)
        previous = found.rect
    return placements


def endorse_pdf(
    pdf: bytes,
    blocks: Sequence[EndorsementBlock],
    *,
    thai_numerals: bool = False,
    page: Literal["first", "last"] = "first",
) -> bytes:
    """Add the endorsement blocks to a copy of ``pdf`` as one incremental update (see the module doc).

    Raises :class:`EndorsementNotAllowed` for a certified (DocMDP) document or one whose field locks
    cover the new fields, :class:`NoRoomForEndorsement` when the page has no free space for them,
    and :class:`PdfStampError` for input that is not a readable, unencrypted PDF with pages.
    ``thai_numerals`` writes the dates in Thai digits; the text given is written as it is.
    """
    if not blocks:
        raise ValueError("no endorsement blocks")
    writer = _open(pdf)
    try:
        count = int(writer.root["/Pages"]["/Count"])
        if count < 1:
            raise PdfStampError("the PDF has no pages")
        index = 0 if page == "first" else count - 1
        page_ref, _ = writer.find_page_for_modification(index)
        page_obj = page_ref.get_object()
    except PdfStampError:
        raise
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise PdfStampError(f"cannot find the page to endorse: {err}") from err

    taken = _field_names(writer)
    numbers = [int(m.group(1)) for name in taken if (m := _FIELD_NAME.fullmatch(name))]
    first_number = max(numbers, default=0) + 1
    names = [f"{FIELD_PREFIX}{first_number + i}" for i in range(len(blocks))]
    _check_permissions(writer.prev, names)

    geometry = _geometry(page_obj, index + 1)
    grid = _Grid(geometry.width, geometry.height)
    annotations = _annotations(page_obj)
    for annotation in annotations:
        grid.block(geometry.rect_to_display(annotation.rect))
    marks = _page_marks(page_obj, geometry)
    if marks is None:  # unknown content: only the bottom-right quarter
        grid.block((0.0, geometry.height / 2, geometry.width, geometry.height), 0.0)
        grid.block((0.0, 0.0, geometry.width / 2, geometry.height), 0.0)
        region_top: tuple[float, ...] = (geometry.height / 2,)
    else:
        for mark in marks:
            grid.block(geometry.rect_to_display(mark))
        region_top = (geometry.height / 2, geometry.height)
    earlier = [a for a in annotations if a.endorsement is not None]
    previous = (
        geometry.rect_to_display(max(earlier, key=lambda a: a.endorsement or 0).rect) if earlier else None
    )
    placements = _place(blocks, grid, previous, thai_numerals, region_top)

    regular, bold, fonts = _font_engines(writer)
    for name, block, placement in zip(names, blocks, placements, strict=True):
        form = _appearance(placement.layout, regular, bold, fonts, geometry.form_matrix)
        user_rect = geometry.rect_to_user(placement.rect)
        try:
            _, field_ref = fields.prepare_sig_field(
                name,
                writer.root,
                update_writer=writer,
                existing_fields_only=False,
                box=tuple(round(v, 2) for v in user_rect),
                include_on_page=page_ref,
            )
        except (PdfError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise PdfStampError(f"cannot add the endorsement field: {err}") from err
        widget = field_ref.get_object()
        widget[generic.NameObject("/Ff")] = generic.NumberObject(1)  # read-only: nobody signs into it
        widget[generic.NameObject("/TU")] = generic.TextStringObject(
            f"เกษียนหนังสือ {' '.join(block.name.split())}"
        )
        widget[generic.NameObject("/AP")] = generic.DictionaryObject(
            {generic.NameObject("/N"): writer.add_object(form)}
        )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def endorsement_page(
    blocks: Sequence[EndorsementBlock],
    *,
    thai_numerals: bool = False,
    about: str | None = None,
) -> bytes:
    """A standalone A4 PDF with the blocks stacked under a heading, for letters that cannot be endorsed.

    ``about`` names the letter (``หนังสือที่ มท 0301/123 ลงวันที่ 21 พฤศจิกายน 2569 เรื่อง ...``) and is
    set under the heading. The blocks are drawn into the page content at 14 pt, up to 150 mm wide; a
    block that does not fit under the previous one starts a new page.
    """
    if not blocks:
        raise ValueError("no endorsement blocks")
    page_width, page_height = A4
    content_width = page_width - PAGE_LEFT - 20 * MM
    writer = PdfFileWriter()
    writer.root[generic.NameObject("/Lang")] = generic.TextStringObject("th-TH")
    writer.document_meta.title = "บันทึกเกษียนหนังสือ"
    regular, bold, fonts = _font_engines(writer)
    resources_xobjects = generic.DictionaryObject()
    pages: list[list[bytes]] = [[]]
    y = page_height - PAGE_TOP

    def heading(text: str, size: float, font_bold: bool, centred: bool) -> None:
        nonlocal y
        font = BOLD_FONT if font_bold else REGULAR_FONT
        for line in break_lines(text, font_path=font, size_pt=size, width_pt=content_width):
            y -= size * 1.4
            width = text_width(line, font_path=font, size_pt=size)
            x = PAGE_LEFT + ((content_width - width) / 2 if centred else 0)
            shaped = (bold if font_bold else regular).shape_line(line, size)
            pages[-1].append(
                b"BT 0 g %s %g Tf 1 0 0 1 %.3f %.3f Tm %s ET"
                % (b"/F2" if font_bold else b"/F1", size, x, y, shaped.ops)
            )

    heading("บันทึกเกษียนหนังสือ", 18, True, True)
    if about:
        heading(_paragraph(about), 14, False, False)
    y -= BLOCK_GAP
    for number, block in enumerate(blocks, start=1):
        layout = layout_block(block, size=14, max_width=content_width, thai_numerals=thai_numerals)
        if y - layout.height < PAGE_BOTTOM and pages[-1]:
            pages.append([])
            y = page_height - PAGE_TOP
        y -= layout.height
        name = f"/E{number}"
        resources_xobjects[generic.NameObject(name)] = writer.add_object(
            _appearance(layout, regular, bold, fonts)
        )
        pages[-1].append(b"q 1 0 0 1 %.3f %.3f cm %s Do Q" % (PAGE_LEFT, y, name.encode()))
        y -= BLOCK_GAP
    resources = writer.add_object(
        generic.DictionaryObject(
            {generic.NameObject("/Font"): fonts, generic.NameObject("/XObject"): resources_xobjects}
        )
    )
    for ops in pages:
        content = generic.StreamObject(stream_data=b"\n".join(ops))
        content.compress()
        media_box = (0, 0, round(page_width, 2), round(page_height, 2))
        writer.insert_page(PageObject(writer.add_object(content), media_box, resources))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
