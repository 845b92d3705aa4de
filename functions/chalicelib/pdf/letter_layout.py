"""Page layout for official letters: rows of shaped Thai text flowed onto A4 portrait pages.

The forms themselves (what goes where on a หนังสือภายนอก, บันทึกข้อความ, คำสั่ง, ประกาศ) are composed in
:mod:`chalicelib.pdf.letters`; this module knows pages, not letters:

* the page geometry of the typing rules (docs/rules.md, "Layout of official letters"): A4, left
  margin 3 cm, right margin 2 cm, 16 pt TH Sarabun (the shipped TLWG Laksaman), single spacing,
  6 pt before each heading line and paragraph;
* :class:`Row`: one line of output (text runs sharing a baseline, optional dotted fill or a short rule),
  and :class:`SignatureSlot`: the box where the signer's block stands and the signature field goes;
* :func:`wrap` and :func:`wrap_indented` break text with :func:`chalicelib.pdf.thai_text.break_lines`
  (dates, telephone numbers, ``จำนวน 1 ฉบับ``, names kept on one line; ``words``: the agency's names);
  :func:`justified` sets a body line flush with both margins;
* :func:`paginate`: rows flow top-down, consecutive lines are spaced by their ink
  (:func:`chalicelib.pdf.thai_text.baseline_clearance`) so stacked Thai marks never touch the line
  above, and rows marked ``keep_with_next`` move to the next page together (no lone first or last
  line of a paragraph, the closing stays with the signature);
* :func:`write_pdf`: draws the pages with pyHanko's writer and
  :class:`chalicelib.pdf.shaped_font.ShapedFontEngine` (Thai extracts back exactly), with the
  decorations every page carries: secrecy marks in red at the top and bottom centre, the page number
  ``- 2 -`` at the top centre from page 2 on, and the continuation word (``/ในการนี้...``) at the
  bottom right of every page that continues; then reserves the empty signature field.

Body lines are justified the Thai way (:func:`chalicelib.pdf.thai_text.justify`): the missing width is
spread over the gaps between grapheme clusters, more at word boundaries and spaces. PDF's ``Tc`` and
``Tw`` cannot do it (``Tc`` also moves zero-width marks off their base; ``Tw`` only acts on the
single-byte code 32, never in a CID font), so a justified line is drawn piece by piece, the pieces cut
between clusters and each shaped on its own, the pen moved between them by TJ offsets small enough
that extractors do not read them as spaces; one ``/ActualText`` covers the whole line, and the text
layer holds exactly the line's characters.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING, Final

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import fields

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
    is_thai,
    justify,
    pieces_of,
    thai_words,
)

if TYPE_CHECKING:
    from PIL.Image import Image

MM: Final = 72 / 25.4
CM: Final = 10 * MM
PAGE_WIDTH: Final = 210 * MM  # A4 portrait
PAGE_HEIGHT: Final = 297 * MM
LEFT: Final = 3 * CM  # left margin 3 cm, right margin 2 cm (the typing rules)
RIGHT: Final = PAGE_WIDTH - 2 * CM
CONTENT_WIDTH: Final = RIGHT - LEFT
CENTRE: Final = LEFT + CONTENT_WIDTH / 2  # the emblem's axis; the date starts here
BODY_SIZE: Final = 16.0
# About "single" spacing of TH Sarabun 16 pt in a word processor; more where the ink of two lines
# would touch (a tone mark over an upper vowel under a hanging ุ or ฎ of the line above).
LEADING: Final = 1.5  # x font size
HEADING_LEADING: Final = 1.2  # x font size: the large urgency lines
MIN_ABOVE: Final = 0.95  # x font size: row top to baseline, at least
MIN_BELOW: Final = 0.3  # x font size: baseline to row bottom, at least
INK_GAP: Final = 0.1  # x font size: white kept between the ink of two lines
PARAGRAPH_SPACE: Final = 6.0  # pt before เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย and each paragraph
INDENT: Final = 2.5 * CM  # first line of a body paragraph

EMBLEM_TOP: Final = 1.5 * CM  # the garuda's top edge, from the top of the paper
LETTER_EMBLEM_HEIGHT: Final = 3.0 * CM
MEMO_EMBLEM_HEIGHT: Final = 1.5 * CM
EMBLEM_MAX_PIXELS: Final = 800  # emblem images are scaled down to this height (about 680 dpi at 3 cm)

CONTINUATION_TOP: Final = 3.0 * CM  # top of the text on pages 2 and later
BODY_BOTTOM: Final = 2.7 * CM  # lowest ink of the text, from the bottom of the paper
PAGE_NUMBER_BASELINE: Final = 2.1 * CM  # from the top
CONTINUATION_WORD_BASELINE: Final = 1.9 * CM  # from the bottom
MARK_SIZE: Final = 24.0  # secrecy marks
MARK_TOP_BASELINE: Final = 1.15 * CM  # from the top: above the garuda (which starts at 1.5 cm)
MARK_BOTTOM_BASELINE: Final = 0.85 * CM  # from the bottom
URGENCY_SIZE: Final = 32.0  # "ไม่เล็กกว่า 32 พอยท์"
URGENCY_GAP: Final = 0.4 * CM  # between the urgency mark and the emblem (or the memo title)

BLACK: Final = (0.0, 0.0, 0.0)
RED: Final = (0.85, 0.0, 0.0)
GREY: Final = (0.55, 0.55, 0.55)

Colour = tuple[float, float, float]


def _f(value: float) -> bytes:
    """A PDF number: at most 3 decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


def _font(bold: bool) -> str:
    return str(BOLD_FONT if bold else REGULAR_FONT)


def width(text: str, size: float = BODY_SIZE, *, bold: bool = False) -> float:
    return font_metrics(_font(bold)).width(text, size)


def wrap(
    text: str,
    width_pt: float,
    size: float = BODY_SIZE,
    *,
    bold: bool = False,
    words: Iterable[str] = (),
    balanced: bool = False,
) -> list[str]:
    """Lines of ``text`` no wider than ``width_pt`` (Thai breaks only between words, see break_lines).

    ``words`` are names the segmenter must know whole (the agency's and its units' names);
    ``balanced`` chooses the breaks by total fit, for a justified paragraph.
    """
    return break_lines(
        text,
        font_path=_font(bold),
        size_pt=size,
        width_pt=max(width_pt, size),
        words=words,
        balanced=balanced,
    )


def wrap_indented(
    text: str,
    first_width: float,
    width_pt: float,
    size: float = BODY_SIZE,
    *,
    words: Iterable[str] = (),
    balanced: bool = False,
) -> list[str]:
    """Like :func:`wrap`, but the first line is ``first_width`` wide (a paragraph's first-line indent)."""
    text = text.strip()
    if not text:
        return []
    return break_lines(
        text,
        font_path=_font(False),
        size_pt=size,
        width_pt=max(width_pt, size),
        first_width_pt=max(first_width, size),
        words=words,
        balanced=balanced,
    )


@dataclass(frozen=True)
class Run:
    """Text on a row, from ``x`` (its left edge).

    ``spacing`` (a justified line): extra points before character positions of ``text``; the run is
    then drawn as :meth:`pieces`, each shaped on its own.
    """

    text: str
    x: float
    size: float = BODY_SIZE
    bold: bool = False
    colour: Colour = BLACK
    spacing: tuple[tuple[int, float], ...] = ()

    def pieces(self) -> list[tuple[str, float]]:
        """(text, offset from ``x``) of each separately drawn piece: one piece unless justified."""
        if not self.spacing:
            return [(self.text, 0.0)]
        placed: list[tuple[str, float]] = []
        offset = 0.0
        texts = pieces_of(self.text, [at for at, _ in self.spacing])
        extras = [0.0, *(extra for _, extra in self.spacing)]
        for text, extra in zip(texts, extras, strict=True):
            offset += extra
            placed.append((text, offset))
            offset += width(text, self.size, bold=self.bold)
        return placed

    @property
    def width(self) -> float:
        if not self.spacing:
            return width(self.text, self.size, bold=self.bold)
        text, offset = self.pieces()[-1]
        return offset + width(text, self.size, bold=self.bold)

    def ink(self) -> list[InkBox]:
        metrics = font_metrics(_font(self.bold))
        return [
            box for text, offset in self.pieces() for box in metrics.ink(text, self.size, self.x + offset)
        ]


def run_at(
    text: str,
    x: float,
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    colour: Colour = BLACK,
    align: str = "L",
) -> Run:
    """A run whose left edge (align "L"), centre ("C") or right edge ("R") is at ``x``."""
    w = width(text, size, bold=bold)
    left = x - w / 2 if align == "C" else x - w if align == "R" else x
    return Run(text, left, size, bold, colour)


def justified(
    text: str, x: float, width_pt: float, size: float = BODY_SIZE, *, words: Iterable[str] = ()
) -> Run:
    """A body line set flush left at ``x`` and flush right at ``x + width_pt`` (Thai distributed).

    A line that cannot be justified (no gap, or too short: see :func:`chalicelib.pdf.thai_text.justify`)
    stays ragged.
    """
    spacing = justify(text, width_pt, font_path=_font(False), size_pt=size, words=words)
    return Run(text, x, size, spacing=spacing)


@dataclass
class Row:
    """One line of output: runs on one baseline, optional dotted fills and a short rule."""

    runs: tuple[Run, ...]
    space_before: float = 0.0
    keep_with_next: bool = False
    dots: tuple[tuple[float, float], ...] = ()  # dotted fill lines (x0, x1) just under the baseline
    rule: tuple[float, float] | None = None  # a short solid rule (x0, x1) in place of text
    ink: list[InkBox] = field(init=False)
    size: float = field(init=False)

    def __post_init__(self) -> None:
        self.ink = [box for run in self.runs for box in run.ink()]
        self.size = max((run.size for run in self.runs), default=BODY_SIZE)

    @property
    def above(self) -> float:
        """From the row's top edge to its baseline."""
        return max(MIN_ABOVE * self.size, ink_top(self.ink) + INK_GAP * self.size)

    @property
    def below(self) -> float:
        """From the baseline to the row's bottom edge."""
        return max(MIN_BELOW * self.size, ink_depth(self.ink) + INK_GAP * self.size)

    def text(self) -> str:
        return " ".join(run.text for run in self.runs)


@dataclass
class SignatureSlot:
    """Where the signer's block stands: the box of the signature field.

    ``lines`` (name in parentheses, position, on-behalf line) are drawn into the empty field's own
    appearance, centred and set at the bottom of the box; the signing service replaces that
    appearance with its own (the same lines plus the signing date), so nothing is printed twice.
    ``space_before`` leaves room above the box for a handwritten signature on a printed copy.
    """

    left: float
    box_width: float
    box_height: float
    lines: tuple[str, ...]
    space_before: float = 0.0
    keep_with_next: bool = False
    size: float = BODY_SIZE

    @property
    def above(self) -> float:
        return 0.0

    @property
    def below(self) -> float:
        return self.box_height

    def text(self) -> str:
        return " ".join(self.lines)


Item = Row | SignatureSlot


@dataclass
class Placed:
    item: Item
    y: float  # a row's baseline; a slot's top edge


@dataclass
class ImagePlacement:
    x: float
    y: float
    width: float
    height: float


@dataclass
class FirstPage:
    """What page 1 carries besides the flow: the emblem (image or placeholder; ``None`` on a form without
    one, such as minutes of a meeting) and absolute runs."""

    emblem: ImagePlacement | None
    runs: list[tuple[Run, float]]  # (run, baseline)
    flow_top: float  # where the flowing rows start (y of the first row's top edge)


def row_step(previous: Row, row: Row, leading_factor: float = LEADING) -> float:
    """Baseline-to-baseline distance between two consecutive rows (before ``space_before``)."""
    leading = leading_factor * max(previous.size, row.size)
    return max(leading, baseline_clearance(previous.ink, row.ink) + INK_GAP * row.size)


def _position(previous: Placed | None, item: Item, top: float) -> tuple[float, float]:
    """(y, bottom) of ``item`` placed after ``previous`` (or at the top of the text area)."""
    if previous is None:
        y = top - (item.above if isinstance(item, Row) else 0.0)
    else:
        prev = previous.item
        if isinstance(prev, Row) and isinstance(item, Row):
            y = previous.y - row_step(prev, item) - item.space_before
        else:
            prev_bottom = previous.y - prev.below
            y = prev_bottom - item.space_before - (item.above if isinstance(item, Row) else 0.0)
    bottom = y - item.below
    return y, bottom


def paginate(items: Sequence[Item], first_top: float) -> list[list[Placed]]:
    """Flow items onto pages; ``keep_with_next`` chains move to the next page whole.

    A chain that fills a whole page is broken where the page ends; an item taller than the text area
    is placed anyway (it overflows) rather than looping.
    """
    pages: list[list[Placed]] = [[]]
    starts = [0]  # index of the first item of each page
    index = 0
    while index < len(items):
        page = pages[-1]
        top = first_top if len(pages) == 1 else PAGE_HEIGHT - CONTINUATION_TOP
        y, bottom = _position(page[-1] if page else None, items[index], top)
        if bottom >= BODY_BOTTOM - 1e-6 or not page:
            page.append(Placed(items[index], y))
            index += 1
            continue
        start = index
        while start > starts[-1] and items[start - 1].keep_with_next:
            start -= 1
        if start == starts[-1]:  # the chain fills the page: break it here
            start = index
        del page[len(page) - (index - start) :]
        pages.append([])
        starts.append(start)
        index = start
    return pages


def _first_word(item: Item) -> str:
    text = "".join(item.lines[:1]) if isinstance(item, SignatureSlot) else item.text()
    chunk = text.strip().split()[0] if text.strip() else ""
    if chunk and is_thai(chunk[0]):
        words = thai_words(chunk)
        if words:
            return words[0]
    return chunk


class Canvas:
    """Content-stream operators in PDF points (origin at the lower left)."""

    def __init__(self, regular: ShapedFontEngine, bold: ShapedFontEngine) -> None:
        self.regular = regular
        self.bold = bold
        self.ops: list[bytes] = []

    def text(self, run: Run, baseline: float, *, dx: float = 0.0, dy: float = 0.0) -> None:
        engine = self.bold if run.bold else self.regular
        ops = _spaced_ops(engine, run) if run.spacing else engine.shape_line(run.text, run.size).ops
        if not ops:
            return
        r, g, b = run.colour
        self.ops.append(
            b"BT %s %s %s rg %s %s Tf 1 0 0 1 %s %s Tm %s ET"
            % (
                _f(r),
                _f(g),
                _f(b),
                b"/F2" if run.bold else b"/F1",
                _f(run.size),
                _f(run.x + dx),
                _f(baseline + dy),
                ops,
            )
        )

    def dotted(self, x0: float, x1: float, y: float) -> None:
        if x1 - x0 > 1:
            self.ops.append(
                b"q 0 G 0.9 w 1 J [0 2.7] 0 d %s %s m %s %s l S Q" % (_f(x0), _f(y), _f(x1), _f(y))
            )

    def rule(self, x0: float, x1: float, y: float) -> None:
        self.ops.append(b"q 0 G 0.6 w %s %s m %s %s l S Q" % (_f(x0), _f(y), _f(x1), _f(y)))

    def circle(self, cx: float, cy: float, radius: float, grey: float) -> None:
        k = 0.5523 * radius
        points = [
            (cx + radius, cy + k, cx + k, cy + radius, cx, cy + radius),
            (cx - k, cy + radius, cx - radius, cy + k, cx - radius, cy),
            (cx - radius, cy - k, cx - k, cy - radius, cx, cy - radius),
            (cx + k, cy - radius, cx + radius, cy - k, cx + radius, cy),
        ]
        path = [b"%s %s m" % (_f(cx + radius), _f(cy))]
        path += [b" ".join(_f(v) for v in curve) + b" c" for curve in points]
        self.ops.append(b"q %s G 0.6 w " % _f(grey) + b" ".join(path) + b" S Q")

    def image(self, name: bytes, place: ImagePlacement) -> None:
        self.ops.append(
            b"q %s 0 0 %s %s %s cm /%s Do Q"
            % (_f(place.width), _f(place.height), _f(place.x), _f(place.y), name)
        )


def _spaced_ops(engine: ShapedFontEngine, run: Run) -> bytes:
    """A justified line: its pieces shaped one by one, the pen moved right before each by TJ offsets
    below the extractors' word-gap guess, and one ``/ActualText`` for the whole line."""
    metrics = engine.metrics
    space = metrics.advance_units(" ") * 1000 / metrics.units_per_em or 250.0
    step = 0.4 * space  # thousandths of an em, as the engine's own offsets (pypdf: 95 % of half a space)
    ops: list[bytes] = []
    for (text, _), extra in zip(run.pieces(), [0.0, *(extra for _, extra in run.spacing)], strict=True):
        thousandths = extra * 1000 / run.size
        if thousandths > 0:
            count = math.ceil(thousandths / step)
            ops.append(b"[" + b" ".join([_f(-thousandths / count)] * count) + b"] TJ")
        ops.append(engine.shape_line(text, run.size, actual_text=False).ops)
    props = b"/ActualText <feff" + run.text.encode("utf-16-be").hex().encode("ascii") + b">"
    if engine.lang:
        props += b" /Lang (" + engine.lang.encode("ascii") + b")"
    return b"/Span <<" + props + b">> BDC " + b" ".join(op for op in ops if op) + b" EMC"


@dataclass(frozen=True)
class Decorations:
    secrecy: str | None  # "ลับ" / "ลับมาก": red, top and bottom centre of every page
    thai_numerals: bool = False


@dataclass(frozen=True)
class FieldReservation:
    page: int  # 0-based
    box: tuple[int, int, int, int]


def _digits(text: str, thai_numerals: bool) -> str:
    from chalicelib.thai import thai_digits

    return thai_digits(text) if thai_numerals else text


def _emblem_xobject(writer: PdfFileWriter, emblem: Image) -> generic.IndirectObject:
    from pyhanko.pdf_utils.images import pil_image

    ref: generic.IndirectObject = pil_image(emblem, writer)
    return ref


def _placeholder(canvas: Canvas, place: ImagePlacement) -> None:
    """A thin grey circle where the agency's emblem goes, until the agency admin sets one
    (PUT /v1/agency/emblem). Nothing is written: no word stands in the text layer for the emblem."""
    radius = min(place.width, place.height) / 2
    cx, cy = place.x + place.width / 2, place.y + place.height / 2
    canvas.circle(cx, cy, radius - 0.5, GREY[0])


def write_pdf(
    pages: Sequence[Sequence[Placed]],
    first: FirstPage,
    decorations: Decorations,
    *,
    emblem: Image | None,
    field_name: str,
    title: str,
) -> tuple[bytes, FieldReservation]:
    """Draw the laid-out pages, reserve the signature field on its slot, and return the PDF bytes."""
    writer = PdfFileWriter()
    writer.document_meta.title = title or None
    writer.root[generic.NameObject("/Lang")] = generic.TextStringObject("th-TH")
    regular = ShapedFontEngine(writer, REGULAR_FONT)
    bold = ShapedFontEngine(writer, BOLD_FONT)
    fonts = generic.DictionaryObject(
        {generic.NameObject("/F1"): regular.as_resource(), generic.NameObject("/F2"): bold.as_resource()}
    )
    page_resources = generic.DictionaryObject({generic.NameObject("/Font"): fonts})
    if emblem is not None:
        page_resources[generic.NameObject("/XObject")] = generic.DictionaryObject(
            {generic.NameObject("/Im1"): _emblem_xobject(writer, emblem)}
        )
    resources = writer.add_object(page_resources)
    media_box = (0, 0, round(PAGE_WIDTH, 2), round(PAGE_HEIGHT, 2))
    slot_found: tuple[int, Placed] | None = None
    for index, page in enumerate(pages):
        canvas = Canvas(regular, bold)
        following = pages[index + 1] if index + 1 < len(pages) else None
        slot = _draw_page(
            canvas, index + 1, page, following, first, decorations, has_emblem=emblem is not None
        )
        if slot is not None:
            slot_found = (index, slot)
        content = generic.StreamObject(stream_data=b"\n".join(canvas.ops))
        content.compress()
        writer.insert_page(PageObject(writer.add_object(content), media_box, resources))
    if slot_found is None:
        raise ValueError("no signature slot in the layout")
    page_index, placed = slot_found
    reservation = _reserve_field(writer, page_index, placed, field_name, fonts, regular, bold)
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), reservation


def _draw_letterhead(canvas: Canvas, first: FirstPage, *, has_emblem: bool) -> None:
    if first.emblem is None:
        pass
    elif has_emblem:
        canvas.image(b"Im1", first.emblem)
    else:
        _placeholder(canvas, first.emblem)
    for run, baseline in first.runs:
        canvas.text(run, baseline)


def _draw_page(
    canvas: Canvas,
    number: int,
    page: Sequence[Placed],
    following: Sequence[Placed] | None,
    first: FirstPage,
    decorations: Decorations,
    *,
    has_emblem: bool,
) -> Placed | None:
    """Draw one page; returns the placed signature slot if it is on this page."""
    slot: Placed | None = None
    if number == 1:
        _draw_letterhead(canvas, first, has_emblem=has_emblem)
    else:
        label = _digits(f"- {number} -", decorations.thai_numerals)
        canvas.text(run_at(label, CENTRE, align="C"), PAGE_HEIGHT - PAGE_NUMBER_BASELINE)
    for placed in page:
        item = placed.item
        if isinstance(item, SignatureSlot):
            slot = placed  # drawn into the signature field's appearance, not on the page
            continue
        for run in item.runs:
            canvas.text(run, placed.y)
        for x0, x1 in item.dots:
            canvas.dotted(x0, x1, placed.y - 2.2)
        if item.rule is not None:
            canvas.rule(item.rule[0], item.rule[1], placed.y + 0.55 * item.size)
    if following:
        word = _first_word(following[0].item)
        if word:
            canvas.text(run_at(f"/{word}...", RIGHT, align="R"), CONTINUATION_WORD_BASELINE)
    if decorations.secrecy:
        mark = run_at(decorations.secrecy, CENTRE, size=MARK_SIZE, bold=True, colour=RED, align="C")
        canvas.text(mark, PAGE_HEIGHT - MARK_TOP_BASELINE)
        canvas.text(mark, MARK_BOTTOM_BASELINE)
    return slot


def slot_box(placed: Placed) -> tuple[int, int, int, int]:
    """The slot's box in whole points (pyHanko takes integers), never larger than the slot itself."""
    slot = placed.item
    assert isinstance(slot, SignatureSlot)
    x1, y2 = math.ceil(slot.left), math.floor(placed.y)
    x2 = math.floor(slot.left + slot.box_width)
    y1 = math.ceil(placed.y - slot.box_height)
    return x1, y1, x2, y2


def _reserve_field(
    writer: PdfFileWriter,
    page_index: int,
    placed: Placed,
    name: str,
    fonts: generic.DictionaryObject,
    regular: ShapedFontEngine,
    bold: ShapedFontEngine,
) -> FieldReservation:
    slot = placed.item
    assert isinstance(slot, SignatureSlot)
    box = slot_box(placed)
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(sig_field_name=name, on_page=page_index, box=box, readable_field_name="ลงนาม"),
    )
    x1, y1, x2, y2 = box
    canvas = Canvas(regular, bold)
    for run, baseline in slot_lines(slot.lines, x2 - x1, slot.size):
        canvas.text(run, baseline)
    appearance = generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject(
                [
                    generic.NumberObject(0),
                    generic.NumberObject(0),
                    generic.NumberObject(x2 - x1),
                    generic.NumberObject(y2 - y1),
                ]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject({generic.NameObject("/Font"): fonts}),
        },
        stream_data=b"\n".join(canvas.ops),
    )
    appearance.compress()
    for _, _, field_ref in fields.enumerate_sig_fields(writer, with_name=name):
        widget = field_ref.get_object()
        widget[generic.NameObject("/AP")] = generic.DictionaryObject(
            {generic.NameObject("/N"): writer.add_object(appearance)}
        )
    return FieldReservation(page_index, box)


def slot_lines(lines: Sequence[str], box_width: float, size: float = BODY_SIZE) -> list[tuple[Run, float]]:
    """The printed block inside the field's box: lines centred, the last one near the bottom edge.

    Coordinates are relative to the box's lower left corner.
    """
    runs = [run_at(line, box_width / 2, size=size, align="C") for line in lines]
    if not runs:
        return []
    inks = [run.ink() for run in runs]
    baselines = [max(4.0, ink_depth(inks[-1]) + 2.0)]
    for upper, lower in zip(reversed(inks[:-1]), reversed(inks[1:]), strict=True):
        step = max(LEADING * size, baseline_clearance(upper, lower) + INK_GAP * size)
        baselines.append(baselines[-1] + step)
    baselines.reverse()
    return list(zip(runs, baselines, strict=True))


def block_height(lines: Sequence[str], box_width: float, size: float = BODY_SIZE) -> float:
    """Height the printed block takes inside a box of ``box_width`` (see :func:`slot_lines`)."""
    placed = slot_lines(lines, box_width, size)
    if not placed:
        return 0.0
    run, baseline = placed[0]
    return baseline + ink_top(run.ink()) + 2.0
