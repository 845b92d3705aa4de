"""Official letters: each form's Thai extracts back, urgency and secrecy marks, page numbers, the reserved
signature field, and signing that field with the signing core."""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
from chalicelib.pdf.letter_layout import (
    BODY_BOTTOM,
    CENTRE,
    CONTENT_WIDTH,
    INDENT,
    LEFT,
    PAGE_HEIGHT,
    RIGHT,
    wrap_indented,
)
from chalicelib.pdf.letters import (
    LetterContent,
    LetterError,
    LetterParty,
    RenderedLetter,
    Signatory,
    render_letter,
)
from chalicelib.pdf.thai_text import (
    BOLD_FONT,
    REGULAR_FONT,
    baseline_clearance,
    font_metrics,
    text_width,
    thai_subwords,
)
from chalicelib.thai import thai_digits
from PIL import Image, ImageDraw
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from tests.unit.pdf.conftest import squash, xobject_placements

BANGKOK = ZoneInfo("Asia/Bangkok")
CM = 72 / 2.54
BODY = (
    "ตามที่กระทรวงมหาดไทยได้มีหนังสือแจ้งให้ส่วนราชการทุกแห่งจัดทำแผนการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ "
    "ประจำปีงบประมาณ พ.ศ. 2569 และรายงานผลการดำเนินงานภายในวันที่ 30 ธันวาคม 2569 นั้น",
    "ในการนี้ กรมการปกครองพิจารณาแล้วเห็นว่า เพื่อให้การดำเนินงานเป็นไปด้วยความเรียบร้อยและมีประสิทธิภาพ "
    "จึงขอเชิญผู้แทนของหน่วยงานท่านเข้าร่วมประชุมชี้แจงแนวทางการใช้งานระบบ ในวันที่ 5 ธันวาคม 2569 "
    "เวลา 09.30 น. ณ ห้องประชุมชั้น 3 อาคารกรมการปกครอง ถนนอัษฎางค์",
    "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบขอได้โปรดแจ้งรายชื่อผู้แทนให้ทราบภายในวันที่ 1 ธันวาคม 2569 ด้วย จะขอบคุณยิ่ง",
)
DELEGATED = Signatory("นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง", "delegated", "อธิบดีกรมการปกครอง")
ACTING = Signatory("นางสาวสมหญิง รักงาน", "รองอธิบดีกรมการปกครอง", "acting", "อธิบดีกรมการปกครอง")
CONTACTS = ("โทร 0 2222 1141", "โทรสาร 0 2222 1142", "ไปรษณีย์อิเล็กทรอนิกส์ saraban2@dopa.go.th")


def external(**changes: object) -> LetterContent:
    content = LetterContent(
        form="external",
        agency_name="กรมการปกครอง",
        agency_address=("ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200"),
        owning_unit="กองกลาง",
        contact_lines=CONTACTS,
        reference="มท 0301/123",
        date=date(2026, 11, 21),
        subject="ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์",
        salutation_to=LetterParty(position="ผู้ว่าราชการจังหวัดนนทบุรี").display(),
        references=("หนังสือกระทรวงมหาดไทย ที่ มท 0201/ว 456 ลงวันที่ 1 ตุลาคม 2569",),
        enclosures=("กำหนดการประชุม จำนวน 1 ชุด", "แบบตอบรับการเข้าร่วมประชุม จำนวน 1 ฉบับ"),
        body=BODY,
        signatory=DELEGATED,
    )
    return dataclasses.replace(content, **changes)  # type: ignore[arg-type]


def memo(**changes: object) -> LetterContent:
    content = LetterContent(
        form="memo",
        agency_name="กรมการปกครอง",
        owning_unit="กองกลาง สำนักงานเลขานุการกรม",
        contact_lines=("โทร 1141",),
        reference="มท 0301.1/456",
        date=date(2026, 11, 21),
        subject="ขออนุมัติเดินทางไปราชการ",
        salutation_to="อธิบดีกรมการปกครอง",
        body=BODY,
        signatory=ACTING,
    )
    return dataclasses.replace(content, **changes)  # type: ignore[arg-type]


def directive(form: str = "order", **changes: object) -> LetterContent:
    content = LetterContent(
        form="order" if form == "order" else "announcement",
        agency_name="กรมการปกครอง",
        reference="45/2569" if form == "order" else None,
        date=date(2026, 11, 21),
        subject="แต่งตั้งคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
        body=(*BODY[:2], "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"),
        signatory=Signatory("นายสมชาย ใจดี", "อธิบดีกรมการปกครอง"),
    )
    return dataclasses.replace(content, **changes)  # type: ignore[arg-type]


def long_letter(**changes: object) -> LetterContent:
    """An external letter that runs to three pages."""
    return external(body=BODY * 4, **changes)


# -- reading the PDF back ----------------------------------------------------------------------------


@dataclass
class Span:
    """One shaped line as drawn: its /ActualText, position, size, fill colour and weight."""

    text: str
    x: float
    y: float
    size: float
    colour: tuple[float, float, float]
    bold: bool

    @property
    def width(self) -> float:
        return text_width(self.text, font_path=BOLD_FONT if self.bold else REGULAR_FONT, size_pt=self.size)


def spans(page: pypdf.PageObject) -> list[Span]:
    content = page.get_contents()
    assert content is not None
    colour, size, bold, x, y = (0.0, 0.0, 0.0), 0.0, False, 0.0, 0.0
    found = []
    for operands, operator in content.operations:
        if operator == b"rg":
            colour = (float(operands[0]), float(operands[1]), float(operands[2]))
        elif operator == b"g":
            colour = (float(operands[0]),) * 3  # type: ignore[assignment]
        elif operator == b"Tf":
            bold, size = operands[0] == "/F2", float(operands[1])
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif operator == b"BDC" and len(operands) > 1 and "/ActualText" in operands[1]:
            found.append(Span(str(operands[1]["/ActualText"]), x, y, size, colour, bold))
    return found


def is_red(colour: tuple[float, float, float]) -> bool:
    red, green, blue = colour
    return red >= 0.7 and green <= 0.2 and blue <= 0.2


def reader(letter: RenderedLetter) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(letter.pdf))


def page_texts(letter: RenderedLetter) -> list[str]:
    return [page.extract_text() for page in reader(letter).pages]


def widget(letter: RenderedLetter, name: str) -> tuple[int, pypdf.generic.DictionaryObject]:
    for index, page in enumerate(reader(letter).pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/T") == name:
                return index, annot
    raise AssertionError(f"no widget {name!r}")


def field_text(letter: RenderedLetter, name: str = "Sig1") -> list[str]:
    """The lines the reserved field shows until it is signed (its appearance stream), via pypdf."""
    pdf = reader(letter)
    index, annot = widget(letter, name)
    text = pdf.pages[index].extract_xform_text(annot["/AP"]["/N"].get_object())
    return [line for line in text.splitlines() if line.strip()]


def all_text(letter: RenderedLetter) -> str:
    return squash("".join(page_texts(letter)) + "".join(field_text(letter)))


# -- rendered once per module -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def letters() -> dict[str, RenderedLetter]:
    return {
        "external": render_letter(external()),
        "memo": render_letter(memo()),
        "order": render_letter(directive("order")),
        "announcement": render_letter(directive("announcement")),
        "long": render_letter(long_letter(secrecy="secret", urgency="most_urgent")),
        "thai": render_letter(long_letter(thai_numerals=True)),
    }


# -- each form ----------------------------------------------------------------------------------------


def test_external_letter_text_extracts_back_as_written(letters: dict[str, RenderedLetter]) -> None:
    letter = letters["external"]
    pages = page_texts(letter)
    assert letter.pages == len(pages)
    first = pages[0]
    assert "ที่ มท 0301/123 กรมการปกครอง" in first  # ที่ at the left, the agency on the same line
    assert "ถนนอัษฎางค์ เขตพระนคร" in first and "กรุงเทพมหานคร 10200" in first
    assert "21 พฤศจิกายน 2569" in first  # day, full month, Buddhist year
    flat = all_text(letter)
    for expected in (
        "เรื่อง ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์",
        "เรียน ผู้ว่าราชการจังหวัดนนทบุรี",
        "อ้างถึง หนังสือกระทรวงมหาดไทย ที่ มท 0201/ว 456 ลงวันที่ 1 ตุลาคม 2569",
        "สิ่งที่ส่งมาด้วย 1. กำหนดการประชุม จำนวน 1 ชุด",
        "2. แบบตอบรับการเข้าร่วมประชุม จำนวน 1 ฉบับ",
        *BODY,
        "ขอแสดงความนับถือ",
        "กองกลาง",
        *CONTACTS,
    ):
        assert squash(expected) in flat, expected
    assert field_text(letter) == ["(นายสมชาย ใจดี)", "ผู้อำนวยการกองกลาง", "ปฏิบัติราชการแทน อธิบดีกรมการปกครอง"]
    # the contact lines close the letter, at the left margin
    last = spans(reader(letter).pages[-1])
    email = next(span for span in last if span.text == CONTACTS[-1])
    assert email.x == pytest.approx(LEFT, abs=0.01)
    assert min(span.y for span in last if span.size == 16) == email.y


def test_external_letter_head_layout(letters: dict[str, RenderedLetter]) -> None:
    drawn = {span.text: span for span in spans(reader(letters["external"]).pages[0])}
    reference, agency, day = drawn["ที่ มท 0301/123"], drawn["กรมการปกครอง"], drawn["21 พฤศจิกายน 2569"]
    assert reference.x == pytest.approx(LEFT, abs=0.01) and reference.y == agency.y
    assert agency.x > CENTRE and agency.x + agency.width <= RIGHT + 0.01
    assert day.x == pytest.approx(CENTRE, abs=0.01) and day.y < agency.y
    subject = drawn["เรื่อง"]
    assert subject.x == pytest.approx(LEFT, abs=0.01) and subject.y < day.y
    first_line = next(span for span in drawn.values() if span.text.startswith("ตามที่"))
    assert first_line.x == pytest.approx(LEFT + INDENT, abs=0.01)  # first-line indent 2.5 cm
    for span in drawn.values():
        if span.size == 16:
            assert span.x >= LEFT - 0.01 and span.x + span.width <= RIGHT + 0.01, span.text


def test_memo_text_and_header_fields(letters: dict[str, RenderedLetter]) -> None:
    letter = letters["memo"]
    flat = all_text(letter)
    for expected in (
        "บันทึกข้อความ",
        "ส่วนราชการ กองกลาง สำนักงานเลขานุการกรม โทร 1141",
        "ที่ มท 0301.1/456",
        "วันที่ 21 พฤศจิกายน 2569",
        "เรื่อง ขออนุมัติเดินทางไปราชการ",
        "เรียน อธิบดีกรมการปกครอง",
        *BODY,
    ):
        assert squash(expected) in flat, expected
    assert "ขอแสดงความนับถือ" not in flat  # a memo has no closing
    assert field_text(letter) == [
        "(นางสาวสมหญิง รักงาน)",
        "รองอธิบดีกรมการปกครอง",
        "รักษาราชการแทน อธิบดีกรมการปกครอง",
    ]
    drawn = {span.text: span for span in spans(reader(letter).pages[0])}
    title = drawn["บันทึกข้อความ"]
    assert title.bold and title.size >= 29
    assert title.x + title.width / 2 == pytest.approx(CENTRE, abs=0.5)
    for label in ("ส่วนราชการ", "ที่", "วันที่", "เรื่อง"):
        assert drawn[label].bold and drawn[label].size == 20, label
    assert drawn["ที่"].y == drawn["วันที่"].y  # ที่ ... วันที่ ... on one line
    # the emblem placeholder (no image given) is a drawing, never a word in the text layer
    assert "ครุฑ" not in drawn


def test_memo_header_has_dotted_fill_and_no_solid_rule(letters: dict[str, RenderedLetter]) -> None:
    content = reader(letters["memo"]).pages[0].get_contents()
    assert content is not None
    dashes = [operands for operands, operator in content.operations if operator == b"d"]
    assert len(dashes) >= 4  # ส่วนราชการ, ที่, วันที่, เรื่อง
    assert all(operands[0][0] == 0 for operands in dashes)  # round-capped dots, not dashes
    strokes = sum(1 for _, operator in content.operations if operator == b"S")
    assert strokes == len(dashes) + 1  # every stroke is a dotted line (plus the placeholder's circle)


@pytest.mark.parametrize(
    ("form", "head", "dated"), [("order", "คำสั่ง", "สั่ง"), ("announcement", "ประกาศ", "ประกาศ")]
)
def test_order_and_announcement(letters: dict[str, RenderedLetter], form: str, head: str, dated: str) -> None:
    letter = letters[form]
    flat = all_text(letter)
    for expected in (
        f"{head}กรมการปกครอง",
        "เรื่อง แต่งตั้งคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
        *BODY[:2],
        "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
        f"{dated} ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569",  # directives write พ.ศ. before the year
        "(นายสมชาย ใจดี)",
        "อธิบดีกรมการปกครอง",
    ):
        assert squash(expected) in flat, expected
    assert ("ที่45/2569" in flat) == (form == "order")
    drawn = {span.text: span for span in spans(reader(letter).pages[0])}
    title = drawn[f"{head}กรมการปกครอง"]
    assert title.bold
    for span in (title, drawn["เรื่อง แต่งตั้งคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์"]):
        assert span.x + span.width / 2 == pytest.approx(CENTRE, abs=0.5)  # centred under the garuda
    assert field_text(letter) == ["(นายสมชาย ใจดี)", "อธิบดีกรมการปกครอง"]


# -- numerals, urgency, secrecy, pages ---------------------------------------------------------------


def test_thai_numerals_turn_every_digit_thai_except_in_addresses(letters: dict[str, RenderedLetter]) -> None:
    letter = letters["thai"]
    pages = page_texts(letter)
    assert len(pages) >= 2
    flat = squash("".join(pages))
    assert "ที่มท๐๓๐๑/๑๒๓" in flat
    assert "๒๑พฤศจิกายน๒๕๖๙" in flat
    assert "กรุงเทพมหานคร๑๐๒๐๐" in flat
    assert "-๒-" in squash(pages[1])
    assert "saraban2@dopa.go.th" in flat  # an e-mail address keeps its digits
    assert re.findall(r"[0-9]", flat.replace("saraban2@dopa.go.th", "")) == []
    order = render_letter(directive("order", thai_numerals=True))
    assert "ที่๔๕/๒๕๖๙" in all_text(order)
    assert "สั่งณวันที่๒๑พฤศจิกายนพ.ศ.๒๕๖๙" in all_text(order)


@pytest.mark.parametrize(
    ("urgency", "label"),
    [("urgent", "ด่วน"), ("very_urgent", "ด่วนมาก"), ("most_urgent", "ด่วนที่สุด"), ("ด่วนมาก", "ด่วนมาก")],
)
def test_urgency_is_red_bold_at_least_32_pt_top_left_of_page_one(urgency: str, label: str) -> None:
    for content in (external(urgency=urgency), memo(urgency=urgency)):
        letter = render_letter(content)
        pdf = reader(letter)
        marks = [span for span in spans(pdf.pages[0]) if span.text == label]
        assert len(marks) == 1
        (mark,) = marks
        assert is_red(mark.colour) and mark.bold and mark.size >= 32
        if content.form == "memo":  # beside the garuda, above the title's line; else above the letterhead
            title = next(span for span in spans(pdf.pages[0]) if span.text == "บันทึกข้อความ")
            plain = render_letter(memo())
            plain_title = next(span for span in spans(reader(plain).pages[0]) if span.text == "บันทึกข้อความ")
            beside = mark.x >= LEFT + 1.5 * CM
            assert beside or mark.x == pytest.approx(LEFT, abs=0.01)
            assert mark.y > title.y
            if beside:  # the header moves down less than a line (it used to move about 1.6 cm)
                assert plain_title.y - title.y <= 24
        else:
            assert mark.x == pytest.approx(LEFT, abs=0.01)
        assert mark.y > PAGE_HEIGHT - 5 * CM  # at the top, above the letter
        body = [span for span in spans(pdf.pages[0]) if span.size == 16]
        assert all(span.y < mark.y for span in body)
        for page in pdf.pages[1:]:
            assert not any(span.text == label for span in spans(page))


def test_the_urgency_deadline_is_marked_in_red_at_32_pt() -> None:
    deadline = datetime(2026, 11, 25, 12, 0, tzinfo=BANGKOK)
    letter = render_letter(directive("announcement", urgency="urgent", urgent_deadline=deadline))
    drawn = spans(reader(letter).pages[0])
    marks = [span for span in drawn if is_red(span.colour)]
    assert all(span.size >= 32 and span.bold for span in marks)
    assert squash("".join(span.text for span in marks)) == squash(
        "ด่วน ด่วนภายใน 25 พฤศจิกายน 2569 เวลา 12.00 น."
    )
    title = next(span for span in drawn if span.text == "ประกาศกรมการปกครอง")
    assert all(span.y > title.y for span in marks)  # above the letterhead when too wide beside the garuda


def test_secrecy_marks_top_and_bottom_centre_of_every_page(letters: dict[str, RenderedLetter]) -> None:
    letter = letters["long"]
    assert letter.pages == 3
    for number, page in enumerate(reader(letter).pages, start=1):
        marks = [span for span in spans(page) if span.text == "ลับมาก"]
        assert len(marks) == 2, f"page {number}"
        top, bottom = sorted(marks, key=lambda span: -span.y)
        assert top.y > PAGE_HEIGHT - 1.5 * CM and bottom.y < 1.5 * CM
        for mark in marks:
            assert is_red(mark.colour) and mark.bold
            assert mark.x + mark.width / 2 == pytest.approx(CENTRE, abs=0.5)
        others = [span for span in spans(page) if span.text != "ลับมาก"]
        assert all(bottom.y < span.y < top.y for span in others)


def test_no_secrecy_mark_on_a_normal_letter(letters: dict[str, RenderedLetter]) -> None:
    for page in reader(letters["external"]).pages:
        assert not [span for span in spans(page) if span.text in ("ลับ", "ลับมาก")]


def test_page_numbers_from_page_two_and_continuation_words(letters: dict[str, RenderedLetter]) -> None:
    pdf = reader(letters["long"])
    pages = [spans(page) for page in pdf.pages]
    assert not any(re.fullmatch(r"- \d+ -", span.text) for span in pages[0])
    for number, drawn in enumerate(pages[1:], start=2):
        (label,) = [span for span in drawn if re.fullmatch(r"- \d+ -", span.text)]
        assert label.text == f"- {number} -"
        assert label.x + label.width / 2 == pytest.approx(CENTRE, abs=0.5)
        assert label.y > max(span.y for span in drawn if span.size == 16 and span is not label)
    for drawn, following in itertools.pairwise(pages):
        (word,) = [span for span in drawn if span.text.startswith("/") and span.text.endswith("...")]
        assert word.x + word.width == pytest.approx(RIGHT, abs=0.01)  # bottom right
        first_line = max(
            (s for s in following if s.size == 16 and not s.text.startswith("- ")), key=lambda s: s.y
        )
        assert first_line.text.startswith(word.text[1:-3])
    assert not any(span.text.endswith("...") and span.text.startswith("/") for span in pages[-1])


def test_body_lines_break_between_words_with_the_first_line_indented(
    letters: dict[str, RenderedLetter],
) -> None:
    drawn = [span for page in reader(letters["long"]).pages for span in spans(page) if span.size == 16]
    texts = [span.text for span in drawn]
    words = ("กรมการปกครอง", "กองกลาง")  # the agency and the owning unit
    expected = wrap_indented(BODY[1], CONTENT_WIDTH - INDENT, CONTENT_WIDTH, words=words, balanced=True)
    start = texts.index(expected[0])
    assert texts[start : start + len(expected)] == expected
    assert drawn[start].x == pytest.approx(LEFT + INDENT, abs=0.01)
    assert all(span.x == pytest.approx(LEFT, abs=0.01) for span in drawn[start + 1 : start + len(expected)])
    assert squash("".join(expected)) == squash(BODY[1])


def _cid_widths(font: pypdf.generic.DictionaryObject) -> dict[int, float]:
    descendant = font["/DescendantFonts"][0].get_object()
    found: dict[int, float] = {}
    array = descendant["/W"]
    index = 0
    while index < len(array):
        first = int(array[index])
        if isinstance(array[index + 1], pypdf.generic.ArrayObject):
            found.update({first + k: float(value) for k, value in enumerate(array[index + 1])})
            index += 2
        else:
            found.update({cid: float(array[index + 2]) for cid in range(first, int(array[index + 1]) + 1)})
            index += 3
    return found


def line_extents(page: pypdf.PageObject) -> list[tuple[str, float, float, float]]:
    """(text, left, right, baseline) of each drawn line: the pen followed through TJ strings and offsets
    with the fonts' own widths, i.e. where the line really ends on the page."""
    fonts = {name: _cid_widths(ref.get_object()) for name, ref in page["/Resources"]["/Font"].items()}
    content = page.get_contents()
    assert content is not None
    x = y = size = 0.0
    widths: dict[int, float] = {}
    line: tuple[str, float, float] | None = None
    found = []
    for operands, operator in content.operations:
        if operator == b"Tf":
            widths, size = fonts[operands[0]], float(operands[1])
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif operator == b"BDC" and len(operands) > 1 and "/ActualText" in operands[1]:
            line = (str(operands[1]["/ActualText"]), x, y)
        elif operator == b"TJ":
            for element in operands[0]:
                if isinstance(element, (int, float)):
                    x -= float(element) / 1000 * size
                else:
                    data = element.original_bytes if hasattr(element, "original_bytes") else bytes(element)
                    x += (
                        sum(widths[int.from_bytes(data[k : k + 2], "big")] for k in range(0, len(data), 2))
                        * size
                        / 1000
                    )
        elif operator == b"EMC" and line is not None:
            found.append((line[0], line[1], x, line[2]))
            line = None
    return found


def test_body_paragraphs_are_justified_and_extract_exactly(letters: dict[str, RenderedLetter]) -> None:
    letter = letters["long"]
    words = ("กรมการปกครอง", "กองกลาง")
    paragraphs = [
        wrap_indented(text, CONTENT_WIDTH - INDENT, CONTENT_WIDTH, words=words, balanced=True)
        for text in BODY
    ]
    drawn = [extent for page in reader(letter).pages for extent in line_extents(page)]
    texts = [text for text, *_ in drawn]
    justified = 0
    for lines in paragraphs:
        start = texts.index(lines[0])
        for index, line in enumerate(lines):
            text, left, right, _ = drawn[start + index]
            assert text == line
            if index < len(lines) - 1:  # every line but the last ends on the right margin
                assert right == pytest.approx(RIGHT, abs=0.05), line
                assert left == pytest.approx(LEFT + (INDENT if index == 0 else 0), abs=0.01)
                justified += 1
            else:
                assert right < RIGHT - 1, line
    assert justified >= 6
    # the extra space is pen movement, not characters: each line extracts exactly as written
    extracted = {line for page in page_texts(letter) for line in page.splitlines()}
    for lines in paragraphs:
        for line in lines:
            assert line in extracted, line


# -- a letter as a saraban officer reads it ----------------------------------------------------------

LONG_AGENCY = "สำนักงานคณะกรรมการการรักษาความมั่นคงปลอดภัยไซเบอร์แห่งชาติ"
LONG_UNIT = "ศูนย์ประสานการรักษาความมั่นคงปลอดภัยระบบคอมพิวเตอร์แห่งชาติ"
OFFICER_BODY = (
    "ตามที่กรมพัฒนาดิจิทัลภาครัฐได้มีหนังสือ ที่ ดศ 0201.3/4 ลงวันที่ 15 ธันวาคม 2569 แจ้งให้หน่วยงานของรัฐ"
    "ทุกแห่งเตรียมความพร้อมรับมือภัยคุกคามทางไซเบอร์ตามพระราชบัญญัติการรักษาความมั่นคงปลอดภัยไซเบอร์ "
    "พ.ศ. 2562 และระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. 2526 นั้น",
    f"ในการนี้ {LONG_AGENCY}ขอส่งแนวปฏิบัติการรักษาความมั่นคงปลอดภัยไซเบอร์สำหรับหน่วยงานของรัฐ จำนวน 1 ฉบับ "
    "และแบบรายงานผลการประเมินความเสี่ยง จำนวน 3 ชุด มาเพื่อโปรดพิจารณา โดยขอให้มอบหมายเจ้าหน้าที่ไม่น้อยกว่า 10 คน "
    "เข้าร่วมการฝึกซ้อมที่อาคารรัฐประศาสนภักดี ศูนย์ราชการเฉลิมพระเกียรติ ถนนแจ้งวัฒนะ ในวันที่ 20 ม.ค. 2570 "
    "ทั้งนี้ สามารถติดต่อสอบถามรายละเอียดเพิ่มเติมได้ที่ นางสาวสมหญิง รักงาน โทร 0 2141 6747 หรือ 02-141-6748 "
    "ในวันและเวลาราชการ",
    "จึงเรียนมาเพื่อโปรดทราบและพิจารณาดำเนินการต่อไป ทั้งนี้ ขอให้ส่งแบบรายงานกลับภายในวันที่ 31 ธันวาคม 2569 "
    "เพื่อจะได้รวบรวมเสนอกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมต่อไป จะขอบคุณยิ่ง",
)


def officer_letter(**changes: object) -> LetterContent:
    return external(
        agency_name=LONG_AGENCY,
        agency_address=(
            "ศูนย์ราชการเฉลิมพระเกียรติ อาคารรัฐประศาสนภักดี ชั้น 7 เลขที่ 120 หมู่ที่ 3 ถนนแจ้งวัฒนะ "
            "แขวงทุ่งสองห้อง เขตหลักสี่ กรุงเทพมหานคร 10210",
        ),
        owning_unit=LONG_UNIT,
        contact_lines=("โทร 0 2141 6747", "โทรสาร 0 2143 8026"),
        reference="สกมช 0201.3/4",
        date=date(2026, 12, 15),
        references=("หนังสือกรมพัฒนาดิจิทัลภาครัฐ ที่ ดศ 0201.3/4 ลงวันที่ 15 ธันวาคม 2569",),
        enclosures=("แนวปฏิบัติการรักษาความมั่นคงปลอดภัยไซเบอร์ จำนวน 1 ฉบับ", "แบบรายงานผล จำนวน 3 ชุด"),
        body=OFFICER_BODY,
        custom_words=(LONG_AGENCY, LONG_UNIT),
        **changes,
    )


@pytest.mark.parametrize("thai_numerals", [False, True])
def test_what_belongs_together_is_on_one_line(thai_numerals: bool) -> None:
    letter = render_letter(officer_letter(thai_numerals=thai_numerals))
    lines = [text for page in reader(letter).pages for span in spans(page) for text in [span.text]]

    def num(text: str) -> str:
        return thai_digits(text) if thai_numerals else text

    for whole in (
        "0 2141 6747",
        "02-141-6748",
        "15 ธันวาคม 2569",
        "31 ธันวาคม 2569",
        "20 ม.ค. 2570",
        "พ.ศ. 2526",
        "พ.ศ. 2562",
        "จำนวน 1 ฉบับ",
        "จำนวน 3 ชุด",
        "10 คน",
        "ที่ ดศ 0201.3/4",
        "นางสาวสมหญิง รักงาน",
        "ถนนแจ้งวัฒนะ",
        "อาคารรัฐประศาสนภักดี",
        "ภัยคุกคาม",
        "กรมพัฒนาดิจิทัลภาครัฐ",
    ):
        assert any(num(whole) in line for line in lines), whole
    # the long names are cut only between their own words
    flat = squash("".join(lines))
    assert squash(LONG_AGENCY) in flat
    for line in lines:
        for name in (LONG_AGENCY, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"):
            for cut in range(4, len(name) - 3):  # a head or tail of a few letters could be any word
                head, tail = name[:cut], name[cut:]
                if line.endswith(head) or line.startswith(tail):
                    assert cut in _ends(thai_subwords(name, [name])), (name, line)


def _ends(pieces: list[str]) -> set[int]:
    return set(itertools.accumulate(len(piece) for piece in pieces))


def test_the_closing_has_two_lines_of_the_body_above_it_on_its_page() -> None:
    """A one-line last paragraph used to move alone with the closing to a new page."""
    short = "ทั้งนี้ ขอให้แจ้งผลภายในวันที่ 1 ธันวาคม 2569"
    for count in (6, 9):
        letter = render_letter(external(body=(*BODY, *BODY[:2], *([short] * count), "จึงเรียนมาเพื่อโปรดพิจารณา")))
        assert letter.signature_page >= 1  # the closing really is on a later page
        drawn = spans(reader(letter).pages[letter.signature_page])
        closing = next(span for span in drawn if span.text == "ขอแสดงความนับถือ")
        body = [
            span
            for span in drawn
            if span.y > closing.y and span.size == 16 and not span.text.startswith("- ")
        ]
        assert [span.text for span in body][-2:] == [short, "จึงเรียนมาเพื่อโปรดพิจารณา"]


def test_no_line_touches_the_ink_of_the_line_above(letters: dict[str, RenderedLetter]) -> None:
    font = font_metrics(REGULAR_FONT)
    for page in reader(letters["long"]).pages:
        body = sorted((span for span in spans(page) if span.size == 16 and not span.bold), key=lambda s: -s.y)
        rows = [list(group) for _, group in itertools.groupby(body, key=lambda s: round(s.y, 2))]
        for upper, lower in itertools.pairwise(rows):
            ink_up = [box for span in upper for box in font.ink(span.text, 16, span.x)]
            ink_low = [box for span in lower for box in font.ink(span.text, 16, span.x)]
            assert upper[0].y - lower[0].y >= baseline_clearance(ink_up, ink_low) + 1


# -- the reserved signature field --------------------------------------------------------------------


def test_the_signature_field_is_reserved_empty_on_the_signature_page(
    letters: dict[str, RenderedLetter],
) -> None:
    for name, letter in letters.items():
        index, annot = widget(letter, "Sig1")
        assert index == letter.signature_page, name
        assert annot["/FT"] == "/Sig" and "/V" not in annot
        assert int(annot["/F"]) & 4  # printed
        x1, y1, x2, y2 = letter.signature_box
        assert [float(v) for v in annot["/Rect"]] == [x1, y1, x2, y2]
        assert LEFT - 0.01 <= x1 < x2 <= RIGHT + 0.01, name
        assert BODY_BOTTOM <= y1 < y2 <= PAGE_HEIGHT - 2.5 * CM, name
        # pyHanko sees one empty signature field with that name
        found = list(fields.enumerate_sig_fields(PdfFileReader(io.BytesIO(letter.pdf))))
        assert [(field_name, value) for field_name, value, _ in found] == [("Sig1", None)]


def test_the_field_fits_the_signed_block_as_proofread_at_16_pt(letters: dict[str, RenderedLetter]) -> None:
    x1, y1, x2, y2 = letters["external"].signature_box
    widest = max(
        text_width(line, size_pt=16)
        for line in ("(นายสมชาย ใจดี)", "ผู้อำนวยการกองกลาง", "ปฏิบัติราชการแทน อธิบดีกรมการปกครอง")
    )
    assert x2 - x1 >= widest + 8  # 2 pt text box margins and 2 pt stamp margins each side
    assert y2 - y1 >= 3 * 22 + 8  # 3 lines (no date line: the time is in the signature), leading 16 x 1.4
    # and it is centred under the closing
    closing = next(s for s in spans(reader(letters["external"]).pages[-1]) if s.text == "ขอแสดงความนับถือ")
    assert (x1 + x2) / 2 == pytest.approx(closing.x + closing.width / 2, abs=CM)
    assert y2 < closing.y - 4


def test_the_field_does_not_overlap_any_text(letters: dict[str, RenderedLetter]) -> None:
    metrics = {False: font_metrics(REGULAR_FONT), True: font_metrics(BOLD_FONT)}
    for name, letter in letters.items():
        x1, y1, x2, y2 = letter.signature_box
        page = reader(letter).pages[letter.signature_page]
        checked = 0
        for span in spans(page):
            ink = metrics[span.bold].ink(span.text, span.size, span.x)
            for box in ink:
                overlaps_x = box.x0 < x2 and x1 < box.x1
                overlaps_y = span.y + box.bottom < y2 and y1 < span.y + box.top
                assert not (overlaps_x and overlaps_y), (name, span.text)
            checked += 1
        assert checked > 3


def test_a_custom_field_name() -> None:
    letter = render_letter(memo(), signature_field="Director")
    assert letter.signature_field == "Director"
    assert widget(letter, "Director")[0] == letter.signature_page


def test_the_signature_page_carries_the_end_of_the_body(letters: dict[str, RenderedLetter]) -> None:
    letter = letters["long"]
    assert letter.signature_page == letter.pages - 1
    last = squash(page_texts(letter)[letter.signature_page])
    assert squash("จะขอบคุณยิ่ง") in last and squash("ขอแสดงความนับถือ") in last


# -- the emblem --------------------------------------------------------------------------------------


def _emblem(kind: str) -> bytes:
    image = Image.new("RGBA", (240, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).polygon(
        [(120, 0), (240, 160), (160, 300), (80, 300), (0, 160)], fill=(0, 0, 0, 255)
    )
    out = io.BytesIO()
    (image if kind == "PNG" else image.convert("RGB")).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_the_agency_emblem_is_3_cm_high_and_centred(kind: str) -> None:
    letter = render_letter(external(emblem=_emblem(kind)))
    page = reader(letter).pages[0]
    (matrix,) = xobject_placements(page).values()
    width, height, x, y = matrix[0], matrix[3], matrix[4], matrix[5]
    assert height == pytest.approx(3 * CM, abs=0.01)
    assert width == pytest.approx(3 * CM * 240 / 300, abs=0.01)
    assert x + width / 2 == pytest.approx(CENTRE, abs=0.01)
    assert y + height == pytest.approx(PAGE_HEIGHT - 1.5 * CM, abs=0.01)  # 1.5 cm from the top
    assert not any(span.text == "ครุฑ" for span in spans(page))  # no placeholder


def test_the_memo_emblem_is_1_5_cm_at_the_top_left() -> None:
    page = reader(render_letter(memo(emblem=_emblem("PNG")))).pages[0]
    (matrix,) = xobject_placements(page).values()
    assert matrix[3] == pytest.approx(1.5 * CM, abs=0.01)
    assert matrix[4] == pytest.approx(LEFT, abs=0.01)


# -- content a form cannot carry ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (directive("order", subject=""), "subject"),
        (directive("announcement", body=()), "body"),
        (external(salutation_to=""), "เรียน"),
        (memo(salutation_to=" "), "เรียน"),
        (directive("order", salutation_to="ผู้ว่าราชการจังหวัด"), "salutation_to"),
        (directive("order", references=("หนังสือ",)), "references"),
        (directive("announcement", enclosures=("สำเนา",)), "enclosures"),
        (external(secrecy="top_secret"), "ลับที่สุด"),
        (external(secrecy="ลับที่สุด"), "ลับที่สุด"),
        (external(secrecy="hush"), "secrecy"),
        (external(urgency="soon"), "urgency"),
        (external(urgent_deadline=datetime(2026, 11, 25, 12, 0, tzinfo=BANGKOK)), "urgency level"),
        (external(urgency="urgent", urgent_deadline=datetime(2026, 11, 25, 12, 0)), "time zone"),
        (external(signatory=None), "signatory"),
        (external(signatory=Signatory("", "ผู้อำนวยการกองกลาง")), "name"),
        (external(signatory=Signatory("นายสมชาย ใจดี", "ผู้อำนวยการ", "delegated")), "on_behalf_of"),
        (external(agency_name=""), "agency_name"),
        (external(form="circular"), "form"),
        (external(emblem=b"GIF89a not really"), "emblem"),
        (external(emblem=_emblem("PNG")[:200]), "emblem"),  # truncated
        (external(closing=""), "closing"),
    ],
)
def test_content_a_form_cannot_carry_is_refused(content: LetterContent, message: str) -> None:
    with pytest.raises(LetterError, match=message):
        render_letter(content)


@pytest.mark.parametrize("name", ["", "Sig.1", "two words", "x" * 65])
def test_a_bad_field_name_is_refused(name: str) -> None:
    with pytest.raises(LetterError, match="signature field"):
        render_letter(memo(), signature_field=name)


def test_letter_error_is_a_value_error() -> None:
    assert issubclass(LetterError, ValueError)


# -- signing the reserved field with the signing core ------------------------------------------------


@pytest.fixture(scope="module")
def signing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, object, object]]:
    """A local test PKI (certomancer, in process), an in-memory signer and a signing service (B-B)."""
    from chalicelib.signing.key_signer import InMemoryKeySigner
    from chalicelib.signing.pades import PadesSigningService
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from devstack.pki import DEMO_AGENCIES, SignerKey, build_pki

    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    cache = Path(os.environ.get("EOFFICE_PKI_CACHE") or tmp_path_factory.mktemp("pki-keys"))
    pki = build_pki(
        DEMO_AGENCIES, [SignerKey("moi-0201-letters", "moi-0201", "นายสมชาย ใจดี", spki)], cache_dir=cache
    )
    signer = InMemoryKeySigner(key, pki.signer_cert("moi-0201-letters"), pki.signer_chain("moi-0201-letters"))
    with PadesSigningService(trust_roots=pki.trust_roots) as service:
        yield pki, signer, service


@pytest.mark.parametrize("form", ["external", "memo", "order"])
def test_the_reserved_field_signs_and_validates_intact(
    letters: dict[str, RenderedLetter], signing: tuple[object, object, object], form: str
) -> None:
    from chalicelib.signing.appearance import OnBehalf, OnBehalfKind, SignatureBlock
    from chalicelib.signing.pades import PadesSigningService
    from chalicelib.signing.policy import PadesLevel
    from chalicelib.signing.validation import validate_pdf

    from tests.unit.signing.signing_helpers import appearance_text

    pki, signer, service = signing
    assert isinstance(service, PadesSigningService)
    letter = letters[form]
    block = SignatureBlock(
        "นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง", OnBehalf(OnBehalfKind.DELEGATED, "อธิบดีกรมการปกครอง")
    )
    signed = service.sign(letter.pdf, signer, level=PadesLevel.B_B, field="Sig1", block=block)  # type: ignore[arg-type]
    assert signed.pdf.startswith(letter.pdf)  # an incremental revision: the letter itself is untouched
    (report,) = validate_pdf(signed.pdf, pki.trust_roots).signatures  # type: ignore[attr-defined]
    assert report.field_name == "Sig1"
    assert report.intact and report.valid and report.trusted
    assert report.coverage == "ENTIRE_FILE"
    # the service's appearance replaced the printed block in the same box: the block shows once
    shown = appearance_text(signed.pdf, "Sig1")
    assert shown[:3] == ["(นายสมชาย ใจดี)", "ผู้อำนวยการกองกลาง", "ปฏิบัติราชการแทน อธิบดีกรมการปกครอง"]
    assert shown[3].startswith("ลงนามเมื่อ")
    index, annot = widget(RenderedLetter(signed.pdf, letter.pages, "Sig1", 0, (0, 0, 0, 0)), "Sig1")
    assert index == letter.signature_page
    assert [float(v) for v in annot["/Rect"]] == list(letter.signature_box)
    assert "/V" in annot


@pytest.mark.parametrize(
    "content", [external(date=None, reference=None), memo(date=None, reference=None), directive(date=None)]
)
def test_a_draft_without_number_or_date_renders_with_the_labels_alone(content: LetterContent) -> None:
    letter = render_letter(content)
    flat = all_text(letter)
    assert "ที่" in flat
    assert "21พฤศจิกายน" not in flat and "0301" not in flat
    assert widget(letter, "Sig1")[0] == letter.signature_page


def test_the_content_types_resolve() -> None:
    """``date`` is both a field and a type name: the annotations must still resolve (schema tools)."""
    hints = typing.get_type_hints(LetterContent)
    assert hints["date"] == date | None
    assert hints["urgent_deadline"] == datetime | None
