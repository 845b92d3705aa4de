"""The register book PDF: headings on every page, whole rows, Thai that extracts back, cancelled rows."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
from chalicelib.pdf.register_book import (
    CELL_PAD_X,
    FOOTER_HEIGHT,
    FORMS,
    INCOMING_COLUMNS,
    MARGIN,
    MM,
    OUTGOING_COLUMNS,
    PAGE_WIDTH,
    Column,
    render_register_book,
)
from chalicelib.pdf.thai_text import (
    BOLD_FONT,
    REGULAR_FONT,
    baseline_clearance,
    break_lines,
    font_metrics,
    text_width,
)

from tests.unit.pdf.conftest import squash

BANGKOK = ZoneInfo("Asia/Bangkok")
TITLE = "ทะเบียนหนังสือรับ ประจำปี พ.ศ. 2569"
AGENCY = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1"
SENDERS = [
    "สำนักงานปลัดกระทรวงศึกษาธิการ",
    "กรมส่งเสริมการปกครองท้องถิ่น",
    "โรงเรียนบ้านหนองบัว",
    "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
]


def _subject(n: int) -> str:
    long = "ขอเชิญประชุมคณะกรรมการพิจารณาจัดซื้อจัดจ้างครุภัณฑ์คอมพิวเตอร์ประจำปีงบประมาณ พ.ศ. 2569 "
    return (long if n % 3 == 0 else "ขอความอนุเคราะห์ส่งรายชื่อ ") + f"รายการที่{n:03d}"


def _rows(count: int) -> list[list[str]]:
    return [
        [
            str(n),
            "21 พ.ย. 2569 16.05 น.",
            f"ศธ 04254/ว {n}",
            "18 พ.ย. 2569",
            SENDERS[n % len(SENDERS)],
            "ผู้อำนวยการโรงเรียน",
            _subject(n),
            "ดำเนินการแล้ว" if n % 2 else "",
            "",
        ]
        for n in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def book_120() -> bytes:
    rows = _rows(120)
    rows[4][8] = "ยกเลิก: ลงทะเบียนซ้ำ"
    return render_register_book(
        TITLE,
        AGENCY,
        INCOMING_COLUMNS,
        rows,
        cancelled_rows={4},
        generated_at=datetime(2026, 11, 21, 16, 5, tzinfo=BANGKOK),
    )


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@dataclass
class _Drawn:
    text: str
    x: float
    y: float
    size: float
    grey: float
    bold: bool


def _drawn_text(page: pypdf.PageObject) -> list[_Drawn]:
    """Every shaped line on the page, from its /ActualText span, with its position and fill grey."""
    content = page.get_contents()
    assert content is not None
    grey, size, bold, x, y = 0.0, 0.0, False, 0.0, 0.0
    drawn = []
    for operands, operator in content.operations:
        if operator == b"g":
            grey = float(operands[0])
        elif operator == b"Tf":
            bold, size = operands[0] == "/F2", float(operands[1])
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif operator == b"BDC" and "/ActualText" in operands[1]:
            drawn.append(_Drawn(str(operands[1]["/ActualText"]), x, y, size, grey, bold))
    return drawn


def test_a_120_row_register_paginates_with_heading_and_column_headers_on_every_page(book_120: bytes) -> None:
    pages = _pages(book_120)
    assert 5 < len(pages) < 40
    for number, text in enumerate(pages, start=1):
        flat = squash(text)
        assert squash(TITLE) in flat
        assert squash(AGENCY) in flat
        for column in INCOMING_COLUMNS:
            assert squash(column.title) in flat, f"column {column.title} missing on page {number}"
        assert f"หน้า{number}/{len(pages)}" in flat
        assert "พิมพ์เมื่อ21พฤศจิกายน2569เวลา16.05น." in flat


def test_every_row_is_printed_once_and_whole_on_one_page(book_120: bytes) -> None:
    pages = [squash(text) for text in _pages(book_120)]
    for n in range(1, 121):
        marker = f"รายการที่{n:03d}"
        holding = [i for i, text in enumerate(pages) if marker in text]
        assert len(holding) == 1, f"row {n} on pages {holding}"
        page = pages[holding[0]]
        assert squash(_subject(n)) in page  # every wrapped line of the subject on that same page
        assert squash(f"ศธ 04254/ว {n}") in page


def test_thai_extracts_back_as_written() -> None:
    row = [
        "1",
        "๒๑ พ.ย. ๒๕๖๙ ๑๖.๐๕ น.",
        "ทม 0501.1.13/136",
        "๑๘ พ.ย. ๒๕๖๙",
        "สำนักงานปลัดกระทรวงศึกษาธิการ",
        "ผู้อำนวยการสำนักงานเขตพื้นที่",
        "น้ำท่วมฉับพลัน ญี่ปุ่น ฐานข้อมูล ปั้มน้ำ ฝั่งธนบุรี ฤๅษี บุหรี่ ทั้งนี้ ดำเนินการ",
        "ทราบ ๆ",
        "",
    ]
    (text,) = _pages(render_register_book(TITLE, AGENCY, INCOMING_COLUMNS, [row]))
    flat = squash(text)
    for cell in row:
        assert squash(cell) in flat


def test_cell_text_stays_inside_its_column(book_120: bytes) -> None:
    left = (PAGE_WIDTH - sum(c.width_mm for c in INCOMING_COLUMNS) * MM) / 2
    edges = [left]
    for column in INCOMING_COLUMNS:
        edges.append(edges[-1] + column.width_mm * MM)
    reader = pypdf.PdfReader(io.BytesIO(book_120))
    checked = 0
    for page in reader.pages[:3]:
        for item in _drawn_text(page):
            if item.size != 12 or not (edges[0] <= item.x < edges[-1]):
                continue  # heading and footer lines
            font = BOLD_FONT if item.bold else REGULAR_FONT
            width = text_width(item.text, font_path=font, size_pt=item.size)
            column = max(i for i, edge in enumerate(edges[:-1]) if edge <= item.x + 1e-6)
            assert item.x >= edges[column] + CELL_PAD_X - 0.01, item.text
            assert item.x + width <= edges[column + 1] - CELL_PAD_X + 0.01, item.text
            checked += 1
    assert checked > 100


def test_no_line_touches_the_ink_of_the_line_above_it(book_120: bytes) -> None:
    """Stacked marks (ขั้น, ที่) must clear below-base vowels (ชุม) and letters of the line above."""
    left = (PAGE_WIDTH - sum(c.width_mm for c in INCOMING_COLUMNS) * MM) / 2
    edges = [left]
    for column in INCOMING_COLUMNS:
        edges.append(edges[-1] + column.width_mm * MM)
    font = font_metrics(REGULAR_FONT)
    tight = 0
    for page in pypdf.PdfReader(io.BytesIO(book_120)).pages[:4]:
        body = [item for item in _drawn_text(page) if item.size == 12 and not item.bold]
        for column in range(len(INCOMING_COLUMNS)):
            lines = sorted(
                (item for item in body if edges[column] <= item.x < edges[column + 1]), key=lambda i: -i.y
            )
            for upper, lower in itertools.pairwise(lines):
                need = baseline_clearance(
                    font.ink(upper.text, 12, upper.x), font.ink(lower.text, 12, lower.x)
                )
                assert upper.y - lower.y >= need + 0.5, (upper.text, lower.text)
                tight += need > 1.3 * 12
    assert tight > 10  # the sample really has lines whose marks would collide at a fixed 1.3 em


def test_rows_stay_between_the_column_headers_and_the_footer(book_120: bytes) -> None:
    for page in pypdf.PdfReader(io.BytesIO(book_120)).pages:
        drawn = _drawn_text(page)
        header_bottom = min(item.y for item in drawn if item.bold and item.size == 12)
        body = [item for item in drawn if item.size == 12 and not item.bold]
        assert body
        # below-base vowels reach about 0.35 em under the baseline; the footer band starts above MARGIN
        assert min(item.y for item in body) - 0.35 * 12 >= MARGIN + FOOTER_HEIGHT - 0.01
        assert max(item.y for item in body) < header_bottom


def test_a_cancelled_row_is_grey_and_struck_through(book_120: bytes) -> None:
    first = pypdf.PdfReader(io.BytesIO(book_120)).pages[0]
    drawn = _drawn_text(first)
    greys = {item.grey for item in drawn if item.text.endswith("รายการที่005")}
    assert greys == {0.5}
    assert {item.grey for item in drawn if item.text.endswith("รายการที่004")} == {0.0}
    assert any(item.grey == 0.5 and item.text == "ยกเลิก:" for item in drawn)  # the reason, greyed
    strokes = first.get_contents().get_data()  # type: ignore[union-attr]
    assert strokes.count(b"0.5 G") >= 8  # one strike per text line of the cancelled row
    plain = render_register_book(TITLE, AGENCY, INCOMING_COLUMNS, _rows(5))
    assert b"0.5 G" not in pypdf.PdfReader(io.BytesIO(plain)).pages[0].get_contents().get_data()  # type: ignore[union-attr]


def test_an_empty_register_prints_one_page_saying_so() -> None:
    (text,) = _pages(render_register_book(TITLE, AGENCY, OUTGOING_COLUMNS, []))
    assert "ไม่มีรายการ" in text
    assert "หน้า 1/1" in text
    assert squash("เลขทะเบียนส่ง") in squash(text)


def test_a_row_taller_than_a_page_is_split_rather_than_lost() -> None:
    columns = (Column("ลำดับ", 20, "R"), Column("ข้อความ", 100))
    tall = "\n".join(f"บรรทัดที่ {n}" for n in range(1, 81))
    pages = _pages(render_register_book("ทดสอบ", "", columns, [["1", tall], ["2", "สั้น"]]))
    assert len(pages) >= 2
    joined = "\n".join(pages)
    for n in range(1, 81):
        assert f"บรรทัดที่ {n}\n" in joined + "\n"


def test_thai_numerals_in_the_footer() -> None:
    (text,) = _pages(
        render_register_book(
            TITLE,
            AGENCY,
            INCOMING_COLUMNS,
            _rows(1),
            generated_at=datetime(2026, 11, 21, 9, 5, tzinfo=ZoneInfo("UTC")),
            thai_numerals=True,
        )
    )
    flat = squash(text)
    assert "หน้า๑/๑" in flat
    assert "พิมพ์เมื่อ๒๑พฤศจิกายน๒๕๖๙เวลา๑๖.๐๕น." in flat


def test_the_register_columns() -> None:
    assert [c.title for c in INCOMING_COLUMNS] == [
        "เลขทะเบียนรับ",
        "ลงวันที่รับ",
        "ที่",
        "ลงวันที่",
        "จาก",
        "ถึง",
        "เรื่อง",
        "การปฏิบัติ",
        "หมายเหตุ",
    ]
    assert OUTGOING_COLUMNS[0].title == "เลขทะเบียนส่ง"
    assert len(OUTGOING_COLUMNS) == len(INCOMING_COLUMNS)
    assert [c.title for c in FORMS["order"]] == [
        "เลขที่คำสั่ง",
        "ลงวันที่",
        "เรื่อง",
        "ผู้ลงนาม",
        "หน่วยงานเจ้าของเรื่อง",
        "หมายเหตุ",
    ]
    for name, columns in FORMS.items():
        # every form uses the printable width of A4 landscape, no more
        assert abs(sum(c.width_mm for c in columns) * MM - (PAGE_WIDTH - 2 * MARGIN)) < 1e-6, name
        for column in columns:  # headers stay short: at most three lines in the header row
            inner = column.width_mm * MM - 2 * CELL_PAD_X
            assert len(break_lines(column.title, font_path=BOLD_FONT, size_pt=12, width_pt=inner)) <= 3


def _lines(text: str, column: Column) -> list[str]:
    return break_lines(text, size_pt=12, width_pt=column.width_mm * MM - 2 * CELL_PAD_X)


TYPICAL = {
    "incoming": [
        "12",
        "21 พ.ย. 2569 16.05 น.",
        "ศธ 04254/ว 1234",
        "18 พ.ย. 2569",
        "ผู้อำนวยการสำนักงานปลัดกระทรวงศึกษาธิการ",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
        "ขอเชิญประชุมคณะกรรมการพิจารณาจัดซื้อจัดจ้างครุภัณฑ์คอมพิวเตอร์",
        "อนุมัติ; มอบ นายสมชาย ใจดี (ดำเนินการแล้ว)",
        "อาจซ้ำกับเลขทะเบียน 4 (1 มิ.ย. 2569)",
    ],
    "outgoing": [
        "136",
        "21 พ.ย. 2569",
        "ที่ ดศ 0201.3/136",
        "21 พ.ย. 2569",
        "กองยุทธศาสตร์และแผนงาน",
        "ผู้ว่าราชการจังหวัดนนทบุรี",
        "ขอความอนุเคราะห์ข้อมูลผลการดำเนินงานโครงการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
        "",
        "ส่งทางไปรษณีย์อิเล็กทรอนิกส์",
    ],
    "circular": [
        "99",
        "21 พ.ย. 2569",
        "ที่ ดศ 0201.3/ว 99",
        "21 พ.ย. 2569",
        "กองยุทธศาสตร์และแผนงาน",
        "ผู้ว่าราชการจังหวัดทุกจังหวัด, อธิบดีทุกกรม, เลขาธิการทุกสำนักงาน",
        "ซักซ้อมแนวทางการปฏิบัติงานสารบรรณอิเล็กทรอนิกส์",
        "",
        "",
    ],
    "order": [
        "45/2569",
        "21 พ.ย. 2569",
        "แต่งตั้งคณะกรรมการตรวจรับพัสดุโครงการจัดซื้อครุภัณฑ์คอมพิวเตอร์ ประจำปีงบประมาณ พ.ศ. 2569",
        "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        "กองยุทธศาสตร์และแผนงาน",
        "แก้ไขโดยคำสั่งที่ 52/2569",
    ],
    "announcement": [
        "7",
        "21 พ.ย. 2569",
        "รับสมัครบุคคลเพื่อสรรหาและเลือกสรรเป็นพนักงานราชการทั่วไป ตำแหน่งนักวิชาการคอมพิวเตอร์",
        "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        "สำนักงานเลขานุการกรม",
        "",
    ],
}


@pytest.mark.parametrize("form", sorted(TYPICAL))
def test_a_typical_line_takes_one_to_three_lines(form: str) -> None:
    """The widths follow what the columns hold: no column makes a typical line taller than three."""
    for column, text in zip(FORMS[form], TYPICAL[form], strict=True):
        assert len(_lines(text, column)) <= 3, (form, column.title, _lines(text, column))


def test_remarks_have_room_for_a_name() -> None:
    """หมายเหตุ was 17 mm: a canceller's name split over several lines and rows grew to 8-13 lines."""
    remark = "ยกเลิก: ลงทะเบียนซ้ำกับเลขรับที่ 2 (นางสาวสมหญิง ใจดีมาก)"
    for name, columns in FORMS.items():
        lines = _lines(remark, columns[-1])
        assert columns[-1].title == "หมายเหตุ" and len(lines) <= 5, (name, lines)
        assert any("นางสาวสมหญิง" in line for line in lines), (name, lines)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="row 0"):
        render_register_book(TITLE, AGENCY, INCOMING_COLUMNS, [["1", "2"]])
    with pytest.raises(ValueError):
        render_register_book(TITLE, AGENCY, INCOMING_COLUMNS, [], generated_at=datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        render_register_book(TITLE, AGENCY, [], [])
