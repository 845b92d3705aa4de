"""The shaped font engine: Thai drawn with HarfBuzz extracts back exactly (pure-Python check, pypdf)."""

from __future__ import annotations

import io

import pypdf
import pytest
from chalicelib.pdf.shaped_font import ShapedFontEngine, ShapedFontFactory
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.stamp import TextStamp, TextStampStyle

from tests.unit.pdf.conftest import make_pdf

# SARA AM (two glyphs, one shared with SARA AA), tone marks that GSUB swaps for low or left-shifted
# variants, ญ and ฐ that lose their tails above a below-vowel, Thai digits, Latin with a diacritic.
TRICKY = [
    "ที่ นั้น นี่ ทั้ง มั้ง บุหรี่ ผู้อำนวยการ ฤๅษี ญี่ปุ่น ฐาน ปั้ม น้ำ กำ ป่า ฝั่ง",
    "สำนักงานเขตพื้นที่การศึกษา เลขรับ ๑๓๖ e-Office naïve",
    "ปี่ ป่ำ กา ดำเนินการ ๒๕๖๙ คำสั่งที่ 45/2569",
]


def _pdf_with_lines(lines: list[str], size: float = 16) -> bytes:
    writer = PdfFileWriter()
    engine = ShapedFontEngine(writer)
    ops = [b"BT /F1 %g Tf" % size]
    for index, line in enumerate(lines):
        shaped = engine.shape_line(line, size)
        ops.append(b"1 0 0 1 50 %d Tm %s" % (780 - 30 * index, shaped.ops))
    ops.append(b"ET")
    fonts = generic.DictionaryObject({generic.NameObject("/F1"): engine.as_resource()})
    resources = generic.DictionaryObject({generic.NameObject("/Font"): fonts})
    content = writer.add_object(generic.StreamObject(stream_data=b"\n".join(ops)))
    writer.insert_page(PageObject(content, (0, 0, 595, 842), resources))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_thai_extracts_back_exactly_with_pypdf() -> None:
    data = _pdf_with_lines(TRICKY)
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert text.split("\n") == TRICKY


def test_glyphs_in_two_roles_get_two_character_ids() -> None:
    """า alone and า as the second half of ำ are one glyph but must map to different text."""
    data = _pdf_with_lines(["กา กำ"])
    font = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    descendant = font["/DescendantFonts"][0].get_object()
    assert isinstance(descendant["/CIDToGIDMap"].get_object(), pypdf.generic.StreamObject)
    cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
    assert "<>" in cmap  # the extra SARA AA stands for no text of its own
    assert "<0e33>" in cmap  # NIKHAHIT carries the whole SARA AM


def test_a_font_without_extra_roles_keeps_the_identity_map() -> None:
    data = _pdf_with_lines(["abc"])
    font = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    assert font["/DescendantFonts"][0].get_object()["/CIDToGIDMap"] == "/Identity"


def test_the_font_is_embedded_as_a_subset() -> None:
    data = _pdf_with_lines(["ทดสอบ"])
    font = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert str(descriptor["/FontName"]).split("+")[1] == "Laksaman"
    assert len(descriptor["/FontFile2"].get_object().get_data()) < 60_000  # the full font is 113 KB


def test_shaping_after_the_font_was_written_is_refused() -> None:
    writer = PdfFileWriter()
    engine = ShapedFontEngine(writer)
    engine.shape_line("ก", 12)
    engine.prepare_write()
    with pytest.raises(RuntimeError):
        engine.shape_line("ข", 12)


def test_it_is_a_drop_in_pyhanko_font_engine_for_text_stamps() -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(make_pdf()))
    style = TextStampStyle(
        stamp_text="ผู้อำนวยการ\nสำนักงานเขตพื้นที่",
        text_box_style=TextBoxStyle(font=ShapedFontFactory(font_size=14), font_size=14, leading=20),
    )
    TextStamp(writer, style, box=layout.BoxConstraints(width=200, height=80)).apply(0, 300, 700)
    out = io.BytesIO()
    writer.write(out)
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "ผู้อำนวยการ\nสำนักงานเขตพื้นที่" in text


def test_language_tag_is_checked() -> None:
    with pytest.raises(ValueError):
        ShapedFontEngine(PdfFileWriter(), lang="th) Tj (")
