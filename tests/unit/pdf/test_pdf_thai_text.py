"""Thai line breaking: words never split, lines never wider than asked, clusters never torn apart."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from chalicelib.pdf.shaped_font import ShapedFontEngine
from chalicelib.pdf.thai_text import (
    BOLD_FONT,
    baseline_clearance,
    break_lines,
    font_metrics,
    grapheme_clusters,
    ink_depth,
    ink_top,
    justify,
    keep_together_spans,
    pieces_of,
    text_width,
    thai_subwords,
    thai_words,
)
from pyhanko.pdf_utils.writer import PdfFileWriter

SENTENCE = (
    "ขอเชิญประชุมคณะกรรมการพิจารณาจัดซื้อจัดจ้างครุภัณฑ์คอมพิวเตอร์ประจำปีงบประมาณ"
    "ณห้องประชุมสำนักงานเขตพื้นที่การศึกษาโดยให้ผู้อำนวยการโรงเรียนทุกแห่งเข้าร่วมพร้อมกัน"
)


def _boundaries(pieces: list[str]) -> set[int]:
    positions, at = {0}, 0
    for piece in pieces:
        at += len(piece)
        positions.add(at)
    return positions


@pytest.mark.parametrize("size", [12.0, 16.0])
def test_a_thai_sentence_breaks_only_between_words_and_every_line_fits(size: float) -> None:
    words = thai_words(SENTENCE)
    assert len(words) > 15  # the segmenter really found words in a text without spaces
    word_ends = _boundaries(words)
    widest_word = max(text_width(word, size_pt=size) for word in words)
    for wanted in (widest_word, widest_word * 1.3, 150.0, 240.0, 400.0):
        width = max(wanted, widest_word)
        lines = break_lines(SENTENCE, size_pt=size, width_pt=width)
        assert "".join(lines) == SENTENCE
        assert all(line for line in lines)
        line_ends = _boundaries(lines)
        assert line_ends <= word_ends, f"a line broke inside a word at width {width}"
        for line in lines:
            assert text_width(line, size_pt=size) <= width + 1e-9
        if width < text_width(SENTENCE, size_pt=size):
            assert len(lines) > 1


def test_lines_are_filled_greedily_rather_than_broken_early() -> None:
    width = 200.0
    lines = break_lines(SENTENCE, size_pt=14, width_pt=width)
    words = thai_words(SENTENCE)
    for line, following in itertools.pairwise(lines):
        next_word = thai_words(following)[0]
        assert next_word in words
        assert text_width(line + next_word, size_pt=14) > width  # the next word really did not fit


def _rejoin(text: str, lines: list[str]) -> str:
    """Join lines back, restoring the single space that a break at whitespace dropped."""
    out = lines[0]
    for line in lines[1:]:
        out += (" " if text[len(out)] == " " else "") + line
    return out


def test_spaces_are_break_points_and_are_dropped_at_a_break() -> None:
    text = "ที่ ศธ 04254/ว 405 ลงวันที่ 21 พฤศจิกายน 2569 เรื่อง ขอความอนุเคราะห์"
    lines = break_lines(text, size_pt=14, width_pt=90)
    assert _rejoin(text, lines) == text
    assert all(line == line.strip() for line in lines)
    assert any(line.startswith("04254/ว") or " 04254/ว" in line for line in lines)  # not cut at "/"
    assert "ศธ 04254/ว 405" not in lines  # (the width really forces breaks here)


def test_a_word_wider_than_the_line_breaks_between_grapheme_clusters_only() -> None:
    word = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา"
    width = text_width("ผู้อำ", size_pt=16)
    lines = break_lines(word, size_pt=16, width_pt=width)
    assert "".join(lines) == word
    assert len(lines) > 3
    assert _boundaries(lines) <= _boundaries(grapheme_clusters(word))
    for line in lines:
        assert text_width(line, size_pt=16) <= width + 1e-9
        assert unicodedata.category(line[0]) not in ("Mn", "Mc")  # no line starts with a mark
        assert line[-1] not in "เแโใไ"  # a leading vowel stays with its consonant


def test_a_compound_name_wider_than_the_line_breaks_at_its_dictionary_words() -> None:
    name = "สำนักงานปลัดกระทรวงศึกษาธิการ"
    width = text_width("กระทรวงศึกษาธิการ", size_pt=12) + 1
    # newmm keeps สำนักงานปลัดกระทรวง | ศึกษาธิการ; the first is too wide, so it is cut at its own words.
    assert break_lines(name, size_pt=12, width_pt=width) == ["สำนักงาน", "ปลัดกระทรวง", "ศึกษาธิการ"]


def test_grapheme_clusters_keep_marks_and_leading_vowels_with_their_consonant() -> None:
    assert grapheme_clusters("เก่งน้ำผู้ฤๅษี") == ["เก่", "ง", "น้ำ", "ผู้", "ฤๅ", "ษี"]
    assert "".join(grapheme_clusters(SENTENCE)) == SENTENCE


def test_the_repetition_mark_never_starts_a_line() -> None:
    text = "ทดสอบระบบงานสารบรรณ ต่าง ๆ"
    width = text_width("ต่าง ๆ", size_pt=14) + 1
    lines = break_lines(text, size_pt=14, width_pt=width)
    assert "ต่าง ๆ" in lines
    assert not any(line.startswith("ๆ") for line in lines)


def test_explicit_newlines_are_kept_including_empty_lines() -> None:
    assert break_lines("บรรทัดแรก\n\nบรรทัดที่สาม\r\nสี่", size_pt=14, width_pt=500) == [
        "บรรทัดแรก",
        "",
        "บรรทัดที่สาม",
        "สี่",
    ]
    assert break_lines("", size_pt=14, width_pt=100) == [""]


def test_a_paragraph_indent_is_kept_on_its_first_line() -> None:
    lines = break_lines("\tตามที่ได้แจ้งไว้แล้วนั้น", size_pt=14, width_pt=500)
    assert lines == ["\tตามที่ได้แจ้งไว้แล้วนั้น"]


def test_bold_is_measured_with_the_bold_font() -> None:
    text = "ทะเบียนหนังสือรับ"
    assert text_width(text, font_path=BOLD_FONT, size_pt=14) != text_width(text, size_pt=14)
    width = text_width(text, size_pt=14)  # fits in regular, not in the wider bold
    assert len(break_lines(text, size_pt=14, width_pt=width)) == 1
    for line in break_lines(text, font_path=BOLD_FONT, size_pt=14, width_pt=width):
        assert text_width(line, font_path=BOLD_FONT, size_pt=14) <= width


def test_measured_width_is_the_drawn_width() -> None:
    engine = ShapedFontEngine(PdfFileWriter())
    for text in ("สำนักงานเขตพื้นที่", "ผู้อำนวยการ ๒๕๖๙", "e-Office ที่ 21/2569", "ญี่ปุ่น ฐาน ปั้ม"):
        assert engine.shape_line(text, 13).width_pt == pytest.approx(text_width(text, size_pt=13))


def test_thai_after_latin_is_still_shaped_as_thai() -> None:
    """A buffer that starts in Latin must not lose the Thai mark positioning (script runs)."""
    metrics = font_metrics()
    alone = metrics.shape("ปั้ม")
    after_latin = metrics.shape("A ปั้ม")[2:]
    assert [(g.gid, g.x_offset, g.y_offset) for g in after_latin] == [
        (g.gid, g.x_offset, g.y_offset) for g in alone
    ]
    assert any(g.x_offset for g in alone)  # the tone mark over ป really is moved by GPOS


def test_line_clearance_follows_the_ink() -> None:
    font = font_metrics()
    plain = baseline_clearance(font.ink("กานดา", 12), font.ink("กานดา", 12))
    stacked = baseline_clearance(font.ink("กานดา", 12), font.ink("ทั้งนี้", 12))
    deep_over_stacked = baseline_clearance(font.ink("ชุมชุม", 12), font.ink("ทั้งนี้", 12))
    apart = baseline_clearance(font.ink("ชุม", 12), font.ink("ทั้ง", 12, x=200))
    assert plain < 12 < stacked < deep_over_stacked  # 1 em; stacked marks reach 1.25 em
    assert deep_over_stacked > 1.55 * 12
    assert apart == 0  # nothing above the marks when they are far apart horizontally
    assert ink_top(font.ink("ทั้ง", 12)) > ink_top(font.ink("ทาง", 12))
    assert ink_depth(font.ink("ฎู", 12)) > ink_depth(font.ink("ชุม", 12)) > ink_depth(font.ink("ชม", 12))


def test_works_where_the_home_directory_cannot_be_written(tmp_path: Path) -> None:
    """On Lambda only /tmp is writable; pythainlp must not try to create ~/pythainlp-data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")}
    env["HOME"] = str(tmp_path / "missing" / "home")  # makedirs of ~/pythainlp-data would fail...
    (tmp_path / "missing").write_text("a file, not a directory")  # ...because its parent is a file
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    code = (
        "from chalicelib.pdf.thai_text import break_lines\n"
        "print(break_lines('สำนักงานปลัดกระทรวง', size_pt=12, width_pt=50))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "สำนักงาน" in result.stdout


def test_sizes_must_be_positive() -> None:
    with pytest.raises(ValueError):
        break_lines("ทดสอบ", size_pt=0, width_pt=100)
    with pytest.raises(ValueError):
        break_lines("ทดสอบ", size_pt=12, width_pt=-1)


# -- what must stay on one line ----------------------------------------------------------------------


def _never_split(text: str, span: str, *, size: float = 16.0, words: tuple[str, ...] = ()) -> None:
    """At every width from the span's own up to the whole text's, the span ends up on one line."""
    assert span in text
    narrowest = text_width(span, size_pt=size) + 0.01
    widest = text_width(text, size_pt=size)
    checked = 0
    width = narrowest
    while width < widest:
        lines = break_lines(text, size_pt=size, width_pt=width, words=words)
        assert any(span in line for line in lines), (width, lines)
        assert all(text_width(line, size_pt=size) <= width + 1e-9 for line in lines)
        checked += len(lines) > 1
        width += 7.0
    assert checked > 3  # the text really was broken, at many widths


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("สอบถามรายละเอียดเพิ่มเติมได้ที่ โทร 0 2141 6747 ในวันและเวลาราชการ", "โทร 0 2141 6747"),
        ("สอบถามรายละเอียดเพิ่มเติมได้ที่หมายเลข 02-141-6747 ต่อ 12 ในวันและเวลาราชการ", "02-141-6747 ต่อ 12"),
        ("ติดต่อเจ้าหน้าที่ผู้รับผิดชอบที่หมายเลข ๐ ๒๑๔๑ ๖๗๔๗ ได้ทุกวัน", "๐ ๒๑๔๑ ๖๗๔๗"),
    ],
)
def test_a_telephone_number_is_never_split(text: str, span: str) -> None:
    _never_split(text, span)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("ขอให้ส่งแบบรายงานกลับภายในวันที่ 15 ธันวาคม 2569 เพื่อจะได้รวบรวมเสนอต่อไป", "15 ธันวาคม 2569"),
        ("ขอให้ส่งแบบรายงานกลับภายในวันที่ 15 ธ.ค. 69 เพื่อจะได้รวบรวมเสนอต่อไป", "15 ธ.ค. 69"),
        ("สั่ง ณ วันที่ ๒๑ พฤศจิกายน พ.ศ. ๒๕๖๙ เป็นต้นไปจนกว่าจะมีคำสั่งเปลี่ยนแปลง", "๒๑ พฤศจิกายน พ.ศ. ๒๕๖๙"),
    ],
)
def test_a_date_is_never_split(text: str, span: str) -> None:
    _never_split(text, span)


@pytest.mark.parametrize("span", ["พ.ศ. 2526", "ค.ศ. 2024", "พ.ศ. ๒๕๒๖"])
def test_an_era_stays_with_its_year(span: str) -> None:
    _never_split(f"ตามระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ {span} และที่แก้ไขเพิ่มเติม", span)


@pytest.mark.parametrize("span", ["จำนวน 1 ฉบับ", "3 ชุด", "10 คน", "จำนวน ๒ เล่ม"])
def test_a_number_stays_with_its_classifier(span: str) -> None:
    _never_split(f"ขอส่งแบบรายงานผลการประเมินความเสี่ยงมาพร้อมนี้ {span} เพื่อโปรดพิจารณา", span)


@pytest.mark.parametrize("span", ["ที่ ดศ 0201.3/4", "ที่ มท 0201/ว 456", "ที่ ดศ ๐๒๐๑.๓/๔", "ที่ 45/2569"])
def test_the_reference_stays_with_ti(span: str) -> None:
    _never_split(f"อ้างถึงหนังสือกรมพัฒนาดิจิทัลภาครัฐ {span} ลงวันที่ 1 ตุลาคม 2569", span)


@pytest.mark.parametrize("span", ["นายสมชาย ใจดี", "นางสาวสมหญิง รักงาน", "นางมาลี ศรีสุข"])
def test_a_title_stays_with_the_name(span: str) -> None:
    _never_split(f"สอบถามรายละเอียดเพิ่มเติมได้ที่ {span} เจ้าหน้าที่ผู้รับผิดชอบโครงการ", span)


def test_an_address_label_stays_with_its_name() -> None:
    text = "ศูนย์ราชการเฉลิมพระเกียรติ อาคารรัฐประศาสนภักดี ถนนแจ้งวัฒนะ แขวงทุ่งสองห้อง เขตหลักสี่"
    for span in ("ถนนแจ้งวัฒนะ", "แขวงทุ่งสองห้อง", "เขตหลักสี่", "อาคารรัฐประศาสนภักดี"):
        _never_split(text, span)


def test_keep_together_spans_only_at_word_boundaries() -> None:
    spans = keep_together_spans(
        "ลงวันที่ 5/12/2569 นายอำเภอเมือง นางพยาบาล ปี 2569 เดือนนี้ จำนวน 1 ฉบับ ที่ ดศ 0201.3/4"
    )
    assert spans == ["จำนวน 1 ฉบับ", "ที่ ดศ 0201.3/4"]  # no ที่ inside วันที่, no title in นายอำเภอ


def test_a_reference_without_its_label_stays_whole_in_a_narrow_cell() -> None:
    # a register's ที่ column holds the sender's reference alone: never "มท 0301.4/ว" then "12345"
    reference = "มท 0301.4/ว 12345"
    assert keep_together_spans(f"ตามหนังสือ {reference} ลงวันที่") == [reference]
    width = text_width(reference, size_pt=12) + 2
    assert break_lines(reference, size_pt=12, width_pt=width) == [reference]
    assert break_lines(f"{reference} (สำเนา)", size_pt=12, width_pt=width)[0] == reference


# -- the dictionary of government names ---------------------------------------------------------------


@pytest.mark.parametrize("word", ["แจ้งวัฒนะ", "คุกคาม", "ภัยคุกคาม", "ดิจิทัล", "ภาครัฐ", "กรมพัฒนาดิจิทัลภาครัฐ"])
def test_government_words_are_never_split_inside(word: str) -> None:
    text = f"ตามที่ได้รับแจ้งจาก{word}เกี่ยวกับการเตรียมความพร้อมของหน่วยงานของรัฐ"
    assert word in thai_words(text)
    _never_split(text, word)


def test_given_names_are_words_of_the_segmenter() -> None:
    name = "ศูนย์ประสานการรักษาความมั่นคงปลอดภัยระบบคอมพิวเตอร์"
    text = f"ขอให้{name}ดำเนินการ"
    assert name not in thai_words(text)
    assert name in thai_words(text, [name])
    assert name in thai_words(text, [f"{name} (สกมช.)"])  # a name's Thai runs


def test_a_long_name_is_cut_at_its_words_rather_than_leave_a_hole() -> None:
    text = "เพื่อจะได้รวบรวมเสนอกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"
    width = text_width("เพื่อจะได้รวบรวมเสนอกระทรวงดิจิทัล", size_pt=16) + 20
    lines = break_lines(text, size_pt=16, width_pt=width)
    # not "เพื่อจะได้รวบรวมเสนอ" and a hole of a third of the line; never cut after เพื่อ
    assert lines == ["เพื่อจะได้รวบรวมเสนอกระทรวงดิจิทัล", "เพื่อเศรษฐกิจและสังคม"]


def test_a_name_too_short_to_cut_moves_whole() -> None:
    text = "ตามที่ได้รับหนังสือจากกรมพัฒนาดิจิทัลภาครัฐ"
    width = text_width("ตามที่ได้รับหนังสือจากกรมพัฒนา", size_pt=16) + 5
    assert break_lines(text, size_pt=16, width_pt=width) == ["ตามที่ได้รับหนังสือจาก", "กรมพัฒนาดิจิทัลภาครัฐ"]


def test_a_given_long_name_is_cut_at_its_words_only() -> None:
    name = "สำนักงานคณะกรรมการการรักษาความมั่นคงปลอดภัยไซเบอร์แห่งชาติ"
    text = f"ในการนี้ {name}ขอส่งแนวปฏิบัติ"
    for width in (200.0, 260.0, 330.0):
        lines = break_lines(text, size_pt=16, width_pt=width, words=[name])
        assert _rejoin(text, lines) == text
        cuts = _boundaries(thai_subwords(name, [name]))
        start = text.index(name)
        end = 0
        for line in lines:
            end = text.index(line, end) + len(line)
            inside = end - start
            if 0 < inside < len(name):
                assert inside in cuts, (width, lines)


# -- balanced breaking and justification -------------------------------------------------------------


def test_balanced_breaking_uses_the_same_breaks_and_evens_the_lines() -> None:
    text = " ".join([SENTENCE[:60], SENTENCE[60:], "ในวันที่ 15 ธันวาคม 2569"])
    width = 230.0
    greedy = break_lines(text, size_pt=16, width_pt=width)
    balanced = break_lines(text, size_pt=16, width_pt=width, balanced=True)
    assert _rejoin(text, balanced) == text
    assert all(text_width(line, size_pt=16) <= width + 1e-9 for line in balanced)

    def loosest(lines: list[str]) -> float:
        return max(width - text_width(line, size_pt=16) for line in lines[:-1])

    assert loosest(balanced) <= loosest(greedy)
    assert len(balanced) <= len(greedy) + 1


def test_the_first_line_may_be_narrower() -> None:
    lines = break_lines(SENTENCE, size_pt=16, width_pt=300, first_width_pt=200)
    assert text_width(lines[0], size_pt=16) <= 200
    assert any(text_width(line, size_pt=16) > 200 for line in lines[1:])
    assert "".join(lines) == SENTENCE


def test_justification_fills_the_line_between_clusters_only() -> None:
    line = "ลงวันที่ 15 ธันวาคม 2569 แจ้งให้หน่วยงานของรัฐทุกแห่งเตรียม"
    width = text_width(line, size_pt=16) + 30
    spacing = justify(line, width, size_pt=16)
    assert spacing
    positions = [at for at, _ in spacing]
    pieces = pieces_of(line, positions)
    assert "".join(pieces) == line
    drawn = sum(text_width(piece, size_pt=16) for piece in pieces) + sum(extra for _, extra in spacing)
    assert drawn == pytest.approx(width)
    cluster_ends = _boundaries(grapheme_clusters(line))
    assert set(positions) <= cluster_ends  # never inside a grapheme cluster
    for at, extra in spacing:
        assert extra > 0
        assert not (line[at - 1].isdigit() and line[at].isdigit())  # never inside a number
        assert unicodedata.category(line[at]) not in ("Mn", "Mc")  # a mark stays on its base
        assert line[at - 1] not in "เแโใไ"
    after_space = [extra for at, extra in spacing if line[at - 1] == " "]
    inside_words = [extra for at, extra in spacing if line[at - 1] != " "]
    assert min(after_space) > max(inside_words)  # spaces take more than a gap inside a word


def test_lines_not_to_justify() -> None:
    line = "ขอแสดงความนับถือ"
    assert justify(line, text_width(line, size_pt=16), size_pt=16) == ()  # already full
    assert justify(line, 3 * text_width(line, size_pt=16), size_pt=16) == ()  # far too short
    phone = text_width("0 2141 6747", size_pt=16)
    assert justify("0 2141 6747", phone + 10, size_pt=16) != ()  # spaces are gaps
    assert justify("02-141-6747", phone + 10, size_pt=16) == ()  # a number alone has none


def test_a_time_stays_with_its_na() -> None:
    from chalicelib.pdf.thai_text import keep_together_spans

    assert "09.30 น." in keep_together_spans("ประชุมเวลา 09.30 น. ณ ห้องประชุม")
    assert "๙.๓๐ น." in keep_together_spans("ประชุมเวลา ๙.๓๐ น. ณ ห้องประชุม")
