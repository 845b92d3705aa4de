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
    text_width,
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
