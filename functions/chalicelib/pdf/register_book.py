"""A register book's year printed as a PDF, laid out in the register's columns (A4 landscape).

Every page repeats the title, the subtitle (the agency) and the column header row, and ends with
"หน้า n/N". Cells wrap with :func:`chalicelib.pdf.thai_text.break_lines`, so Thai never breaks inside
a word; a row moves to the next page rather than splitting, unless it is taller than a whole page.
A cancelled row (its number stays in the book, reference/saraban.md) is printed grey and struck
through; the reason is the caller's text in the last column (หมายเหตุ), which is left unstruck.

Why not fpdf2: its HarfBuzz shaping draws Thai well, but its ToUnicode map drops the second glyph of
SARA AM (ำ is shaped as NIKHAHIT + SARA AA), so "สำนักงาน" and "ดำเนินการ" extract with stray control
characters, and its ``{nb}`` page-total alias is documented as incompatible with text shaping
(fpdf2 #1090). The book is therefore written with pyHanko's writer and
:class:`chalicelib.pdf.shaped_font.ShapedFontEngine` (the same engine as the receipt stamp), with the
layout done here: pages are laid out first, so the page total is known before anything is drawn.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Final, Literal

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from chalicelib.domain.thai import thai_date, thai_digits, thai_time
from chalicelib.pdf.shaped_font import ShapedFontEngine
from chalicelib.pdf.thai_text import BOLD_FONT, REGULAR_FONT, break_lines

MM: Final = 72 / 25.4
PAGE_WIDTH: Final = 297 * MM  # A4 landscape
PAGE_HEIGHT: Final = 210 * MM
MARGIN: Final = 10 * MM
TITLE_SIZE: Final = 18.0
SUBTITLE_SIZE: Final = 15.0
HEADER_SIZE: Final = 12.0
BODY_SIZE: Final = 12.0
FOOTER_SIZE: Final = 11.0
LEADING: Final = 1.2  # x font size
ABOVE_BASELINE: Final = 0.95  # x font size: room for stacked Thai marks above the first baseline
BELOW_BASELINE: Final = 0.35  # x font size: room for below-base vowels under the last baseline
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


INCOMING_COLUMNS: Final = (
    Column("เลขทะเบียนรับ", 18, "C"),
    Column("ลงวันที่รับ", 27, "C"),
    Column("ที่", 33),
    Column("ลงวันที่", 27, "C"),
    Column("จาก", 37),
    Column("ถึง", 30),
    Column("เรื่อง", 58),
    Column("การปฏิบัติ", 30),
    Column("หมายเหตุ", 17),
)  # 277 mm: A4 landscape less 10 mm margins; a date (13 ม.ค. 2569) fits one line at 12 pt
OUTGOING_COLUMNS: Final = (
    Column("เลขทะเบียนส่ง", 18, "C"),
    Column("วันที่ลงทะเบียน", 27, "C"),
    *INCOMING_COLUMNS[2:],
)


@dataclass(frozen=True)
class _Cell:
    lines: tuple[str, ...]
    align: Align


@dataclass
class _Row:
    cells: list[_Cell]
    height: float
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


def _line_height(size: float) -> float:
    return LEADING * size


def _block_height(lines: int, size: float) -> float:
    """Height of ``lines`` lines of text, from the top of the marks to the bottom of the descenders."""
    return ABOVE_BASELINE * size + (max(lines, 1) - 1) * _line_height(size) + BELOW_BASELINE * size


def _make_row(texts: Sequence[str], columns: Sequence[Column], widths: Sequence[float], size: float) -> _Row:
    cells = [
        _Cell(tuple(break_lines(text, size_pt=size, width_pt=width - 2 * CELL_PAD_X)), column.align)
        for text, column, width in zip(texts, columns, widths, strict=True)
    ]
    lines = max(len(cell.lines) for cell in cells)
    return _Row(cells, _block_height(lines, size) + 2 * CELL_PAD_Y)


def _split_row(row: _Row, max_height: float, size: float) -> list[_Row]:
    """Cut a row taller than a page into pieces of as many lines as fit."""
    per_piece = max(1, int((max_height - 2 * CELL_PAD_Y - _block_height(1, size)) // _line_height(size)) + 1)
    total = max(len(cell.lines) for cell in row.cells)
    pieces = []
    for start in range(0, total, per_piece):
        cells = [_Cell(cell.lines[start : start + per_piece], cell.align) for cell in row.cells]
        lines = max(1, *(len(cell.lines) for cell in cells))
        pieces.append(_Row(cells, _block_height(lines, size) + 2 * CELL_PAD_Y, row.cancelled))
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
        lines = max(len(cell.lines) for cell in self.header_cells)
        self.header_height = _block_height(lines, HEADER_SIZE) + 2 * CELL_PAD_Y
        self.table_top = (
            PAGE_HEIGHT - MARGIN - sum(_line_height(size) for _, size, _ in self.heading) - 2 * MM
        )
        self.body_top = self.table_top - self.header_height
        self.body_height = self.body_top - (MARGIN + FOOTER_HEIGHT)
        if self.body_height < _block_height(1, BODY_SIZE) + 2 * CELL_PAD_Y:
            raise ValueError("title and column headers leave no room for rows")
        self.pages: list[list[_Row]] = [[]]
        self.merged = False  # the empty book's single row spans all columns

    def paginate(self, rows: Sequence[Sequence[str]], cancelled: Collection[int]) -> None:
        """Fill pages with rows; a row moves to the next page whole unless it is taller than a page."""
        laid_out: list[_Row] = []
        for index, texts in enumerate(rows):
            row = _make_row(texts, self.columns, self.widths, BODY_SIZE)
            row.cancelled = index in cancelled
            too_tall = row.height > self.body_height
            laid_out.extend(_split_row(row, self.body_height, BODY_SIZE) if too_tall else [row])
        if not rows:
            self.merged = True
            laid_out.append(_make_row([EMPTY_BOOK_TEXT], [Column("", 0, "C")], [self.table_width], BODY_SIZE))
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
        line_top = PAGE_HEIGHT - MARGIN
        for text, size, is_bold in self.heading:
            baseline = line_top - ABOVE_BASELINE * size
            draw.aligned(text, MARGIN, self.content_width, baseline, size, "C", bold=is_bold)
            line_top -= _line_height(size)
        left, right = self.left, self.left + self.table_width
        draw.fill(left, self.body_top, self.table_width, self.header_height, HEADER_FILL)
        _draw_cells(
            draw,
            self.header_cells,
            self.widths,
            left,
            self.table_top,
            HEADER_SIZE,
            bold=True,
            middle=self.header_height,
        )
        top = self.body_top
        for row in page:
            widths = [self.table_width] if self.merged else self.widths
            _draw_cells(
                draw, row.cells, widths, left, top, BODY_SIZE, grey=row.cancelled, strike=row.cancelled
            )
            top -= row.height
            draw.line(left, top, right, top)
        draw.line(left, self.table_top, right, self.table_top)
        draw.line(left, self.body_top, right, self.body_top)
        edges = [left + sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        for i, x in enumerate(edges):
            outer = i in (0, len(edges) - 1)
            draw.line(x, self.table_top, x, top if outer or not self.merged else self.body_top)
        footer_base = MARGIN + BELOW_BASELINE * FOOTER_SIZE
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


def _draw_cells(
    draw: _Drawing,
    cells: Sequence[_Cell],
    widths: Sequence[float],
    left: float,
    top: float,
    size: float,
    *,
    bold: bool = False,
    grey: bool = False,
    strike: bool = False,
    middle: float | None = None,
) -> None:
    """Draw cell text from ``top``; ``middle`` (a row height) centres each cell's block vertically."""
    x = left
    last = len(cells) - 1
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        offset = 0.0
        if middle is not None:
            offset = (middle - 2 * CELL_PAD_Y - _block_height(len(cell.lines), size)) / 2
        baseline = top - CELL_PAD_Y - offset - ABOVE_BASELINE * size
        for text in cell.lines:
            x0, x1 = draw.aligned(
                text, x + CELL_PAD_X, width - 2 * CELL_PAD_X, baseline, size, cell.align, bold=bold, grey=grey
            )
            if strike and text.strip() and index != last:
                mid = baseline + 0.28 * size
                draw.line(x0, mid, x1, mid, grey=CANCELLED_GREY, width=0.6)
            baseline -= _line_height(size)
        x += width
