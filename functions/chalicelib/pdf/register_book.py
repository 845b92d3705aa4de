"""A register book's year printed as a PDF, laid out in the register's columns (A4 landscape).

Every page repeats the title, the subtitle (the agency) and the column header row, and ends with
"หน้า n/N". Cells wrap with :func:`chalicelib.pdf.thai_text.break_lines`, so Thai never breaks inside
a word; a row moves to the next page rather than splitting, unless it is taller than a whole page.
Lines inside a cell are spaced by their ink (:func:`chalicelib.pdf.thai_text.baseline_clearance`):
1.25 em where nothing collides, more where a stacked mark (ขั้น) sits under a below-base vowel (ชุม),
so marks never run into the line above. The first lines of a row share one baseline.
A cancelled row (its number stays in the book, docs/rules.md) is printed grey and struck
through; the reason is the caller's text in the last column (หมายเหตุ), which is left unstruck.
The title and the cells are printed as the caller gives them; ``thai_numerals`` writes the footer's
page numbers and time in Thai digits (the caller writes its own numbers in the title and cells).

Why not fpdf2: its HarfBuzz shaping draws Thai well, but its ToUnicode map drops the second glyph of
SARA AM (ำ is shaped as NIKHAHIT + SARA AA), so "สำนักงาน" and "ดำเนินการ" extract with stray control
characters, and its ``{nb}`` page-total alias is documented as incompatible with text shaping
(fpdf2 #1090). The book is therefore written with pyHanko's writer and
:class:`chalicelib.pdf.shaped_font.ShapedFontEngine` (the same engine as the receipt stamp), with the
layout done here: pages are laid out first, so the page total is known before anything is drawn.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Final, Literal

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from chalicelib.pdf.shaped_font import ShapedFontEngine
from chalicelib.pdf.thai_text import (
    BOLD_FONT,
    REGULAR_FONT,
    FontMetrics,
    InkBox,
    baseline_clearance,
    break_lines,
    font_metrics,
    ink_depth,
    ink_top,
)
from chalicelib.thai import thai_date, thai_digits, thai_time

MM: Final = 72 / 25.4
PAGE_WIDTH: Final = 297 * MM  # A4 landscape
PAGE_HEIGHT: Final = 210 * MM
MARGIN: Final = 10 * MM
TITLE_SIZE: Final = 18.0
SUBTITLE_SIZE: Final = 15.0
HEADER_SIZE: Final = 12.0
BODY_SIZE: Final = 12.0
FOOTER_SIZE: Final = 11.0
# Line spacing follows the ink (thai_text.baseline_clearance): at least these, more where stacked
# marks (ขั้น, ที่: 1.25 em high) meet below-base vowels (ชุม: 0.37 em deep) of the line above.
MIN_LEADING: Final = 1.25  # x font size
MIN_ABOVE: Final = 0.95  # x font size: first baseline below the cell's top padding
MIN_BELOW: Final = 0.3  # x font size: last baseline above the cell's bottom padding
INK_GAP: Final = 0.1  # x font size: white space kept between the ink of two lines
CELL_PAD_X: Final = 1.2 * MM
CELL_PAD_Y: Final = 0.7 * MM
FOOTER_HEIGHT: Final = 8 * MM
RULE_WIDTH: Final = 0.5
HEADER_FILL: Final = 0.88
CANCELLED_GREY: Final = 0.5
EMPTY_BOOK_TEXT: Final = "ไม่มีรายการ"

Align = Literal["L", "C", "R"]


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    align: Align = "L"


# The register forms, 277 mm wide (A4 landscape less 10 mm margins), balanced so that a typical line
# (a sender or a unit of 40-80 characters, a subject of 40-120, an action of a few words) takes one to
# three lines at 12 pt: the long texts get the width, a date may wrap after its month (๒๘ พ.ค. /
# ๒๕๖๙), a number column is as narrow as its heading allows (three lines at most).
INCOMING_COLUMNS: Final = (
    Column("เลขทะเบียนรับ", 17, "C"),
    Column("ลงวันที่รับ", 27, "C"),
    Column("ที่", 30),
    Column("ลงวันที่", 20, "C"),
    Column("จาก", 42),
    Column("ถึง", 28),
    Column("เรื่อง", 51),
    Column("การปฏิบัติ", 32),
    Column("หมายเหตุ", 30),
)
OUTGOING_COLUMNS: Final = (
    Column("เลขทะเบียนส่ง", 17, "C"),
    Column("วันที่ลงทะเบียน", 22, "C"),
    Column("ที่", 32),
    Column("ลงวันที่", 20, "C"),
    Column("จาก", 36),
    Column("ถึง", 38),
    Column("เรื่อง", 58),
    Column("การปฏิบัติ", 24),
    Column("หมายเหตุ", 30),
)
CIRCULAR_COLUMNS: Final = (  # ถึง lists every recipient of the circular
    Column("เลขทะเบียนส่ง", 17, "C"),
    Column("วันที่ลงทะเบียน", 22, "C"),
    Column("ที่", 34),
    Column("ลงวันที่", 20, "C"),
    Column("จาก", 28),
    Column("ถึง", 52),
    Column("เรื่อง", 58),
    Column("การปฏิบัติ", 16),
    Column("หมายเหตุ", 30),
)
ORDER_COLUMNS: Final = (
    Column("เลขที่คำสั่ง", 22, "C"),
    Column("ลงวันที่", 27, "C"),
    Column("เรื่อง", 95),
    Column("ผู้ลงนาม", 50),
    Column("หน่วยงานเจ้าของเรื่อง", 47),
    Column("หมายเหตุ", 36),
)
ANNOUNCEMENT_COLUMNS: Final = (
    Column("เลขทะเบียน", 20, "C"),
    Column("ลงวันที่", 27, "C"),
    Column("เรื่อง", 97),
    Column("ผู้ลงนาม", 50),
    Column("หน่วยงานเจ้าของเรื่อง", 47),
    Column("หมายเหตุ", 36),
)
# By register form (the registers' `Layout` values).
FORMS: Final[dict[str, tuple[Column, ...]]] = {
    "incoming": INCOMING_COLUMNS,
    "outgoing": OUTGOING_COLUMNS,
    "circular": CIRCULAR_COLUMNS,
    "order": ORDER_COLUMNS,
    "announcement": ANNOUNCEMENT_COLUMNS,
}


@dataclass(frozen=True)
class _Cell:
    lines: tuple[str, ...]
    align: Align
    leading: float = 0.0  # baseline to baseline, set when the row is measured


@dataclass
class _Row:
    """A table row: its cells (each with its own leading) and the first baseline they share."""

    cells: list[_Cell]
    size: float
    bold: bool
    above: float  # top padding edge to the first baseline
    height: float  # including padding
    cancelled: bool = False


class _Drawing:
    """Content-stream operators for one page, in PDF points with the origin at the lower left."""

    def __init__(self, regular: ShapedFontEngine, bold: ShapedFontEngine) -> None:
        self.regular = regular
        self.bold = bold
        self.ops: list[bytes] = []

    def aligned(
        self,
        text: str,
        left: float,
        width: float,
        baseline: float,
        size: float,
        align: Align,
        *,
        bold: bool = False,
        grey: bool = False,
    ) -> tuple[float, float]:
        """Draw one line aligned in [left, left + width]; returns the x range it covers."""
        engine = self.bold if bold else self.regular
        shaped = engine.shape_line(text, size)
        if align == "C":
            x = left + (width - shaped.width_pt) / 2
        elif align == "R":
            x = left + width - shaped.width_pt
        else:
            x = left
        if shaped.ops:
            self.ops.append(
                b"BT %g g %s %g Tf 1 0 0 1 %.3f %.3f Tm %s ET"
                % (CANCELLED_GREY if grey else 0, b"/F2" if bold else b"/F1", size, x, baseline, shaped.ops)
            )
        return x, x + shaped.width_pt

    def line(
        self, x0: float, y0: float, x1: float, y1: float, *, grey: float = 0.0, width: float = RULE_WIDTH
    ) -> None:
        self.ops.append(b"%g G %g w %.3f %.3f m %.3f %.3f l S" % (grey, width, x0, y0, x1, y1))

    def fill(self, x: float, y: float, w: float, h: float, grey: float) -> None:
        self.ops.append(b"%g g %.3f %.3f %.3f %.3f re f 0 g" % (grey, x, y, w, h))


def _line_x(text: str, font: FontMetrics, size: float, width: float, align: Align) -> float:
    """Where a line starts inside a box of ``width`` (the box's left edge is 0)."""
    if align == "L":
        return 0.0
    spare = width - font.width(text, size)
    return spare / 2 if align == "C" else spare


def _row(cells: list[_Cell], widths: Sequence[float], size: float, *, bold: bool = False) -> _Row:
    """Measure a row: each cell's leading keeps its lines from touching; first baselines are shared."""
    font = font_metrics(BOLD_FONT if bold else REGULAR_FONT)
    above, below = MIN_ABOVE * size, MIN_BELOW * size
    measured: list[_Cell] = []
    depth = below
    for cell, width in zip(cells, widths, strict=True):
        inner = width - 2 * CELL_PAD_X
        ink = [font.ink(line, size, _line_x(line, font, size, inner, cell.align)) for line in cell.lines]
        leading = MIN_LEADING * size
        for upper, lower in itertools.pairwise(ink):
            leading = max(leading, baseline_clearance(upper, lower) + INK_GAP * size)
        measured.append(_Cell(cell.lines, cell.align, leading))
        if ink:
            above = max(above, ink_top(ink[0]) + INK_GAP * size)
            depth = max(depth, (len(ink) - 1) * leading + ink_depth(ink[-1]) + INK_GAP * size)
    return _Row(measured, size, bold, above, 2 * CELL_PAD_Y + above + depth)


def _text_row(texts: Sequence[str], aligns: Sequence[Align], widths: Sequence[float]) -> _Row:
    cells = [
        _Cell(tuple(break_lines(text, size_pt=BODY_SIZE, width_pt=width - 2 * CELL_PAD_X)), align)
        for text, align, width in zip(texts, aligns, widths, strict=True)
    ]
    return _row(cells, widths, BODY_SIZE)


def _split_row(row: _Row, widths: Sequence[float], max_height: float) -> list[_Row]:
    """Cut a row taller than a page into pieces that each fit on one."""
    total = max(len(cell.lines) for cell in row.cells)
    pieces: list[_Row] = []
    start = 0
    while start < total:
        count = 1
        while start + count < total:  # grow the piece while it still fits
            candidate = _row(
                [_Cell(c.lines[start : start + count + 1], c.align) for c in row.cells], widths, row.size
            )
            if candidate.height > max_height:
                break
            count += 1
        piece = _row([_Cell(c.lines[start : start + count], c.align) for c in row.cells], widths, row.size)
        piece.cancelled = row.cancelled
        pieces.append(piece)
        start += count
    return pieces


def _column_widths(columns: Sequence[Column]) -> list[float]:
    """Column widths in points, scaled down proportionally if they exceed the printable width."""
    widths = [column.width_mm * MM for column in columns]
    available = PAGE_WIDTH - 2 * MARGIN
    total = sum(widths)
    return [w * available / total for w in widths] if total > available else widths


class _Book:
    """The laid-out book: heading, column headers and the rows of every page."""

    def __init__(self, title: str, subtitle: str, columns: Sequence[Column]) -> None:
        self.widths = _column_widths(columns)
        self.columns = columns
        self.table_width = sum(self.widths)
        self.left = (PAGE_WIDTH - self.table_width) / 2
        self.content_width = PAGE_WIDTH - 2 * MARGIN
        self.heading = [
            (text, TITLE_SIZE, True)
            for text in break_lines(
                title, font_path=BOLD_FONT, size_pt=TITLE_SIZE, width_pt=self.content_width
            )
        ]
        if subtitle:
            self.heading += [
                (text, SUBTITLE_SIZE, False)
                for text in break_lines(subtitle, size_pt=SUBTITLE_SIZE, width_pt=self.content_width)
            ]
        self.header_cells = [
            _Cell(
                tuple(
                    break_lines(
                        column.title, font_path=BOLD_FONT, size_pt=HEADER_SIZE, width_pt=w - 2 * CELL_PAD_X
                    )
                ),
                "C",
            )
            for column, w in zip(columns, self.widths, strict=True)
        ]
        self.header = _row(self.header_cells, self.widths, HEADER_SIZE, bold=True)
        self.heading_baselines = _heading_baselines(self.heading)
        last_text, last_size, last_bold = self.heading[-1]
        last_font = font_metrics(BOLD_FONT if last_bold else REGULAR_FONT)
        heading_bottom = self.heading_baselines[-1] - ink_depth(last_font.ink(last_text, last_size))
        self.table_top = heading_bottom - 2 * MM
        self.body_top = self.table_top - self.header.height
        self.body_height = self.body_top - (MARGIN + FOOTER_HEIGHT)
        if self.body_height < (MIN_ABOVE + MIN_BELOW) * BODY_SIZE + 2 * CELL_PAD_Y:
            raise ValueError("title and column headers leave no room for rows")
        self.pages: list[list[_Row]] = [[]]
        self.merged = False  # the empty book's single row spans all columns

    def paginate(self, rows: Sequence[Sequence[str]], cancelled: Collection[int]) -> None:
        """Fill pages with rows; a row moves to the next page whole unless it is taller than a page."""
        laid_out: list[_Row] = []
        aligns = [column.align for column in self.columns]
        for index, texts in enumerate(rows):
            row = _text_row(texts, aligns, self.widths)
            row.cancelled = index in cancelled
            too_tall = row.height > self.body_height
            laid_out.extend(_split_row(row, self.widths, self.body_height) if too_tall else [row])
        if not rows:
            self.merged = True
            laid_out.append(_text_row([EMPTY_BOOK_TEXT], ["C"], [self.table_width]))
        used = 0.0
        for row in laid_out:
            if used + row.height > self.body_height + 1e-6 and self.pages[-1]:
                self.pages.append([])
                used = 0.0
            self.pages[-1].append(row)
            used += row.height

    def draw_page(
        self, draw: _Drawing, page: Sequence[_Row], number: int, footer_left: str, digits: bool
    ) -> None:
        for (text, size, is_bold), baseline in zip(self.heading, self.heading_baselines, strict=True):
            draw.aligned(text, MARGIN, self.content_width, baseline, size, "C", bold=is_bold)
        left, right = self.left, self.left + self.table_width
        draw.fill(left, self.body_top, self.table_width, self.header.height, HEADER_FILL)
        _draw_row(draw, self.header, self.widths, left, self.table_top, middle=True)
        top = self.body_top
        for row in page:
            _draw_row(draw, row, [self.table_width] if self.merged else self.widths, left, top)
            top -= row.height
            draw.line(left, top, right, top)
        draw.line(left, self.table_top, right, self.table_top)
        draw.line(left, self.body_top, right, self.body_top)
        edges = [left + sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        for i, x in enumerate(edges):
            outer = i in (0, len(edges) - 1)
            draw.line(x, self.table_top, x, top if outer or not self.merged else self.body_top)
        footer_base = MARGIN + MIN_BELOW * FOOTER_SIZE
        label = f"หน้า {number}/{len(self.pages)}"
        draw.aligned(
            thai_digits(label) if digits else label, MARGIN, self.content_width, footer_base, FOOTER_SIZE, "C"
        )
        if footer_left:
            draw.aligned(footer_left, left, self.table_width, footer_base, FOOTER_SIZE, "L")


def render_register_book(
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    cancelled_rows: Collection[int] = (),
    generated_at: datetime | None = None,
    thai_numerals: bool = False,
) -> bytes:
    """The register as a PDF: ``rows`` are the cells of each entry, in the order of ``columns``.

    ``cancelled_rows`` holds indexes into ``rows``. ``generated_at`` (time zone aware) is printed in
    the footer; ``thai_numerals`` writes the page numbers and that time in Thai digits.
    """
    if not columns:
        raise ValueError("a register needs at least one column")
    for index, row in enumerate(rows):
        if len(row) != len(columns):
            raise ValueError(f"row {index} has {len(row)} cells for {len(columns)} columns")
    if generated_at is not None and generated_at.tzinfo is None:
        raise ValueError("generated_at must be time zone aware")
    book = _Book(title, subtitle, columns)
    book.paginate(rows, set(cancelled_rows))
    footer_left = ""
    if generated_at is not None:
        footer_left = f"พิมพ์เมื่อ {thai_date(generated_at)} เวลา {thai_time(generated_at)}"
        footer_left = thai_digits(footer_left) if thai_numerals else footer_left

    writer = PdfFileWriter()
    writer.document_meta.title = title
    writer.document_meta.subject = subtitle or None
    if generated_at is not None:
        writer.document_meta.created = generated_at
    writer.root[generic.NameObject("/Lang")] = generic.TextStringObject("th-TH")
    regular = ShapedFontEngine(writer, REGULAR_FONT)
    bold = ShapedFontEngine(writer, BOLD_FONT)
    fonts = generic.DictionaryObject(
        {generic.NameObject("/F1"): regular.as_resource(), generic.NameObject("/F2"): bold.as_resource()}
    )
    resources = writer.add_object(generic.DictionaryObject({generic.NameObject("/Font"): fonts}))
    media_box = (0, 0, round(PAGE_WIDTH, 2), round(PAGE_HEIGHT, 2))
    for number, page in enumerate(book.pages, start=1):
        draw = _Drawing(regular, bold)
        book.draw_page(draw, page, number, footer_left, thai_numerals)
        content = generic.StreamObject(stream_data=b"\n".join(draw.ops))
        content.compress()
        writer.insert_page(PageObject(writer.add_object(content), media_box, resources))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _heading_baselines(heading: Sequence[tuple[str, float, bool]]) -> list[float]:
    """Baselines of the title and subtitle lines, from the top margin down, spaced by their ink."""
    baselines: list[float] = []
    previous: list[InkBox] = []
    for text, size, bold in heading:
        ink = font_metrics(BOLD_FONT if bold else REGULAR_FONT).ink(text, size)
        if not baselines:
            baselines.append(PAGE_HEIGHT - MARGIN - max(MIN_ABOVE * size, ink_top(ink)))
        else:
            step = max(MIN_LEADING * size, baseline_clearance(previous, ink) + INK_GAP * size)
            baselines.append(baselines[-1] - step)
        previous = ink
    return baselines


def _draw_row(
    draw: _Drawing, row: _Row, widths: Sequence[float], left: float, top: float, *, middle: bool = False
) -> None:
    """Draw a row's text from ``top``; ``middle`` centres each cell's lines vertically (header row)."""
    x = left
    last = len(row.cells) - 1
    most_lines = max(len(cell.lines) for cell in row.cells)
    for index, (cell, width) in enumerate(zip(row.cells, widths, strict=True)):
        offset = (most_lines - len(cell.lines)) * cell.leading / 2 if middle else 0.0
        baseline = top - CELL_PAD_Y - row.above - offset
        for text in cell.lines:
            x0, x1 = draw.aligned(
                text,
                x + CELL_PAD_X,
                width - 2 * CELL_PAD_X,
                baseline,
                row.size,
                cell.align,
                bold=row.bold,
                grey=row.cancelled,
            )
            if row.cancelled and text.strip() and index != last:
                mid = baseline + 0.28 * row.size
                draw.line(x0, mid, x1, mid, grey=CANCELLED_GREY, width=0.6)
            baseline -= cell.leading
        x += width
