"""Thai text measurement, line breaking and justification for PDF layout.

Thai is written without spaces between words, so a line may only break where a dictionary segmenter
(pythainlp ``newmm``) finds a word boundary, or at whitespace. Widths come from the font's real
advances after HarfBuzz shaping, run by run (Thai runs are shaped as Thai even inside Latin text),
so a measured line is exactly as wide as the same line drawn by :mod:`chalicelib.pdf.shaped_font`.

The segmenter's dictionary is pythainlp's default word list plus :data:`GOVERNMENT_WORDS` (names of
ministries and departments, roads of the government centres, words of official writing that the
default list splits: แจ้งวัฒนะ, ภัยคุกคาม, กรมพัฒนาดิจิทัลภาครัฐ), plus the ``words`` a caller gives
(a letter gives its agency's and units' names): such a name is one word, so no line breaks inside it.

Before breaking, a pre-pass (:func:`keep_together_spans`) finds what a reader must see on one line and
makes each span one unbreakable token, spaces included:

* number groups: telephone numbers (``0 2141 6747``, ``02-141-6747``, with ``โทร`` and ``ต่อ 12``);
* dates: day, Thai month (full or abbreviated), year (``15 ธันวาคม 2569``, ``15 ธ.ค. 69``,
  ``21 พฤศจิกายน พ.ศ. 2569``), or a month and its year;
* an era and its year (``พ.ศ. 2526``, ``ค.ศ. 2024``);
* a number and its classifier (``จำนวน 1 ฉบับ``, ``3 ชุด``, ``10 คน``: :data:`CLASSIFIERS`);
* ``ที่`` with a letter's number (``ที่ ดศ 0201.3/4``, ``ที่ มท 0201/ว 456``, ``ที่ 45/2569``) and other
  labelled numbers (``เลขที่ 120``, ``หมู่ที่ 3``, ``ครั้งที่ 2``, ``ข้อ 5``, ``ชั้น 7``);
* a title and the name after it (``นายสมชาย ใจดี``, ``นางสาวสมหญิง รักงาน``), and an address label
  with its name (``ถนนแจ้งวัฒนะ``, ``เขตหลักสี่``, ``อาคารรัฐประศาสนภักดี``).

A span is kept only where it starts and ends at word boundaries (``วันที่ 5/12`` is not ``ที่ 5/12``,
``นายอำเภอ`` is no title). Thai digits count as digits everywhere.

Break rules, in order of preference:

1. whitespace, and boundaries between two Thai words (a word ending and the next starting with a Thai
   letter); a long name (a word of at least ``2 x NAME_PART_EM`` em) that does not fit the rest of a
   line and would leave more than ``HOLE_FRACTION`` of it empty is cut at its own dictionary words,
   each part at least ``NAME_PART_EM`` em (กระทรวงดิจิทัล | เพื่อเศรษฐกิจและสังคม); shorter names
   (กรมพัฒนาดิจิทัลภาครัฐ) move to the next line whole;
2. inside a "glued" chunk (Thai next to Latin, digits or punctuation without a space, e.g. ``พ.ศ.2526``,
   ``(ครั้งที่``) or a kept-together span (at its spaces first), only when it alone is wider than the line;
3. only when one word alone is wider than the line: between the dictionary words of a compound
   (สำนักงาน|ปลัดกระทรวง), then between syllables, and last between grapheme clusters (a base
   character with its above/below vowels and tone marks; a leading vowel เ แ โ ใ ไ with the
   consonant after it). A grapheme cluster is never split; one wider than the line overflows.

Characters that may not start a line (ๆ ฯ and closing punctuation) stay with what precedes them, even
across a space (``ไป ๆ``).

Lines are filled greedily; for text that will be justified, ``balanced=True`` chooses among the same
break opportunities by total fit (the sum of the cubed empty fractions of the lines), so that no line
is left very loose because the next word just missed it.

:func:`justify` spreads a line's missing width the way Thai distributed justification does: over
the gaps between grapheme clusters of Thai text (more at word boundaries, most at spaces), never
inside a cluster, never before ะ ๆ or closing punctuation, never inside a number or a Latin word. It
returns where the extra space goes; the drawing code moves the pen there (TJ offsets), so the text
layer holds exactly the line's characters.

For vertical layout, :meth:`FontMetrics.ink` gives each glyph's ink box and
:func:`baseline_clearance` the baseline distance at which two lines' ink does not touch: Thai stacks
marks to 1.25 em above the baseline and hangs vowels 0.4 em below it, so a fixed leading either
wastes space or lets marks collide.

pythainlp and uharfbuzz are imported here, so only the PDF paths pay for them (pythainlp's
dictionary takes about 0.3 s to load on first use, its syllable dictionary as much again the first
time a word is wider than a line).
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final

import uharfbuzz as hb

from chalicelib.thai import THAI_MONTHS, THAI_MONTHS_ABBR

FONT_DIR: Final = Path(__file__).resolve().parent / "fonts"
REGULAR_FONT: Final = FONT_DIR / "Laksaman.ttf"
BOLD_FONT: Final = FONT_DIR / "Laksaman-Bold.ttf"

_THAI_FIRST, _THAI_LAST = 0x0E01, 0x0E5B
_SARA_AM, _LAKKHANGYAO = "\u0e33", "\u0e45"
_LEADING_VOWELS: Final = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ
# May not begin a line: they belong to the word before them.
_NO_LINE_START: Final = frozenset("ๆฯ)]},.;:!?%”’»…") | {"\u0e30", _SARA_AM, _LAKKHANGYAO}
# May not end a line: they belong to the word after them.
_NO_LINE_END: Final = frozenset("([{“‘«")
_WIDTH_CACHE_LIMIT: Final = 50_000
_SHAPE_CACHE_LIMIT: Final = 5_000

NAME_PART_EM: Final = 6.0  # a long name is cut only into parts at least this wide (6 em: 3.4 cm at 16 pt)
HOLE_FRACTION: Final = 0.15  # ... and only when keeping it whole would leave more of the line empty
MAX_STRETCH: Final = 0.3  # justify only lines that lack at most this fraction of the width
# A long name is not cut just after these: they lead the words after them.
_CONNECTIVES: Final = frozenset({"และ", "เพื่อ", "ของ", "แห่ง", "ว่าด้วย", "ใน", "กับ", "การ", "ความ"})
_CUT_COST: Final = HOLE_FRACTION**3  # total fit: a cut inside a long name costs as a line 15 % empty
_LINE_COST: Final = 0.002  # ... and each line a little, so that lines are not added to spread space
# Shares of the extra space per gap: a word boundary takes no more than a gap between two clusters, or
# it would read as a space (a phrase break in Thai).
_SPACE_WEIGHT, _WORD_WEIGHT, _CLUSTER_WEIGHT = 3, 1, 1

# Words the segmenter must know whole: names of ministries and departments, roads and buildings of
# the government centres, and terms of official writing that the default dictionary splits.
GOVERNMENT_WORDS: Final = frozenset(
    {
        # ministries (the 20 กระทรวง and สำนักนายกรัฐมนตรี)
        "สำนักนายกรัฐมนตรี",
        "กระทรวงกลาโหม",
        "กระทรวงการคลัง",
        "กระทรวงการต่างประเทศ",
        "กระทรวงการท่องเที่ยวและกีฬา",
        "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
        "กระทรวงการอุดมศึกษา",
        "กระทรวงเกษตรและสหกรณ์",
        "กระทรวงคมนาคม",
        "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม",
        "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        "กระทรวงพลังงาน",
        "กระทรวงพาณิชย์",
        "กระทรวงมหาดไทย",
        "กระทรวงยุติธรรม",
        "กระทรวงแรงงาน",
        "กระทรวงวัฒนธรรม",
        "กระทรวงศึกษาธิการ",
        "กระทรวงสาธารณสุข",
        "กระทรวงอุตสาหกรรม",
        # departments and offices often written to
        "กรมพัฒนาดิจิทัลภาครัฐ",
        "สำนักงานพัฒนารัฐบาลดิจิทัล",
        "สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์",
        "สำนักงานคณะกรรมการการรักษาความมั่นคงปลอดภัยไซเบอร์แห่งชาติ",
        "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล",
        "สำนักงานคณะกรรมการดิจิทัลเพื่อเศรษฐกิจและสังคมแห่งชาติ",
        "สำนักงานคณะกรรมการพัฒนาระบบราชการ",
        "สำนักงานคณะกรรมการข้อมูลข่าวสารของราชการ",
        "สำนักงานสถิติแห่งชาติ",
        "สำนักเลขาธิการคณะรัฐมนตรี",
        "สำนักงานปลัดสำนักนายกรัฐมนตรี",
        "กรมการปกครอง",
        "กรมส่งเสริมการปกครองท้องถิ่น",
        "กรมบัญชีกลาง",
        "กรมประชาสัมพันธ์",
        "กรมอุตุนิยมวิทยา",
        "สำนักงานเลขานุการกรม",
        # roads and buildings of the government centres
        "แจ้งวัฒนะ",
        "ราชดำเนิน",
        "ราชดำเนินนอก",
        "ราชดำเนินกลาง",
        "หลักสี่",
        "ศูนย์ราชการ",
        "รัฐประศาสนภักดี",
        # terms of official writing
        "ภาครัฐ",
        "ภัยคุกคาม",
        "คุกคาม",
        "ดิจิทัล",
        "รัฐบาลดิจิทัล",
        "ไซเบอร์",
        "สารบรรณ",
        "หน่วยงานของรัฐ",
    }
)

# Classifiers kept with the number before them ("จำนวน 1 ฉบับ", "3 ชุด", "10 คน").
CLASSIFIERS: Final = (
    "ฉบับ",
    "ชุด",
    "คน",
    "ท่าน",
    "ราย",
    "รายการ",
    "แผ่น",
    "หน้า",
    "เล่ม",
    "เครื่อง",
    "แห่ง",
    "หน่วย",
    "ครั้ง",
    "เรื่อง",
    "โครงการ",
    "อัตรา",
    "ตำแหน่ง",
    "วัน",
    "เดือน",
    "ปี",
    "ชั่วโมง",
    "นาที",
    "บาท",
    "กล่อง",
    "ชิ้น",
)


@dataclass(frozen=True, slots=True)
class ShapedGlyph:
    """One glyph out of HarfBuzz, in font units; ``cluster`` is the index of its first character."""

    gid: int
    cluster: int
    x_advance: int
    y_advance: int
    x_offset: int
    y_offset: int


@dataclass(frozen=True, slots=True)
class InkBox:
    """Where one glyph puts ink, relative to the start of its line and to the baseline (y up)."""

    x0: float
    x1: float
    bottom: float
    top: float


class FontMetrics:
    """A font file loaded for shaping and measuring; get one through :func:`font_metrics` (cached)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = path.read_bytes()
        face = hb.Face(self.data)
        self._font: Any = hb.Font(face)
        self.units_per_em: int = int(face.upem)
        extents = self._font.get_font_extents("ltr")
        self.ascender: int = int(extents.ascender)  # hhea values, font units
        self.descender: int = int(extents.descender)  # negative
        self._widths: dict[str, int] = {}
        self._shapes: dict[str, tuple[ShapedGlyph, ...]] = {}
        self._extents: dict[int, tuple[int, int, int, int]] = {}  # gid -> x0, x1, bottom, top

    def shape(self, text: str) -> tuple[ShapedGlyph, ...]:
        """Glyphs for ``text``, shaped run by run (Thai runs with the Thai shaper), left to right.

        Cluster level 1 (monotone characters) keeps marks in their own clusters, so every glyph
        can be traced back to the characters it shows.
        """
        cached = self._shapes.get(text)
        if cached is None:
            if len(self._shapes) >= _SHAPE_CACHE_LIMIT:
                self._shapes.clear()
            cached = self._shapes[text] = self._shape(text)
        return cached

    def _shape(self, text: str) -> tuple[ShapedGlyph, ...]:
        glyphs: list[ShapedGlyph] = []
        for start, run, is_thai in _script_runs(text):
            buf = hb.Buffer()
            buf.cluster_level = 1
            buf.add_str(run)
            if is_thai:
                buf.script = "Thai"
                buf.language = "th"
            buf.guess_segment_properties()
            buf.direction = "ltr"
            hb.shape(self._font, buf, {})
            glyphs.extend(
                ShapedGlyph(
                    gid=int(info.codepoint),
                    cluster=start + int(info.cluster),
                    x_advance=int(pos.x_advance),
                    y_advance=int(pos.y_advance),
                    x_offset=int(pos.x_offset),
                    y_offset=int(pos.y_offset),
                )
                for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
            )
        return tuple(glyphs)

    def advance_units(self, text: str) -> int:
        """The shaped advance of ``text`` in font units."""
        cached = self._widths.get(text)
        if cached is None:
            if len(self._widths) >= _WIDTH_CACHE_LIMIT:
                self._widths.clear()
            cached = self._widths[text] = sum(g.x_advance for g in self.shape(text))
        return cached

    def width(self, text: str, size_pt: float) -> float:
        """The shaped advance of ``text`` in points at ``size_pt``."""
        return self.advance_units(text) * size_pt / self.units_per_em

    def _glyph_extents(self, gid: int) -> tuple[int, int, int, int]:
        extents = self._extents.get(gid)
        if extents is None:
            found = self._font.get_glyph_extents(gid)
            if found is None:
                extents = (0, 0, 0, 0)
            else:
                x0, top = int(found.x_bearing), int(found.y_bearing)
                extents = (x0, x0 + int(found.width), top + int(found.height), top)
            self._extents[gid] = extents
        return extents

    def ink(self, text: str, size_pt: float, x: float = 0.0) -> list[InkBox]:
        """Ink of each glyph of ``text`` set at ``size_pt`` from ``x``: points, y up from the baseline."""
        scale = size_pt / self.units_per_em
        boxes = []
        pen = 0
        for glyph in self.shape(text):
            x0, x1, bottom, top = self._glyph_extents(glyph.gid)
            if x1 > x0:
                left = pen + glyph.x_offset
                boxes.append(
                    InkBox(
                        x + (left + x0) * scale,
                        x + (left + x1) * scale,
                        (bottom + glyph.y_offset) * scale,
                        (top + glyph.y_offset) * scale,
                    )
                )
            pen += glyph.x_advance
        return boxes

    def ascent(self, size_pt: float) -> float:
        return self.ascender * size_pt / self.units_per_em

    def descent(self, size_pt: float) -> float:
        """Below the baseline, as a positive number of points."""
        return -self.descender * size_pt / self.units_per_em


@cache
def _load_metrics(path: Path) -> FontMetrics:
    return FontMetrics(path)


@cache
def font_metrics(font_path: str | Path = REGULAR_FONT) -> FontMetrics:
    """The (process-wide cached) metrics of a font file."""
    return _load_metrics(Path(font_path).resolve())


def text_width(text: str, *, font_path: str | Path = REGULAR_FONT, size_pt: float) -> float:
    """Width in points of ``text`` set on one line in the given font and size."""
    return font_metrics(font_path).width(text, size_pt)


def ink_top(boxes: Sequence[InkBox]) -> float:
    """How far the ink rises above the baseline (0 without ink)."""
    return max((box.top for box in boxes), default=0.0)


def ink_depth(boxes: Sequence[InkBox]) -> float:
    """How far the ink reaches below the baseline, as a positive number (0 if none)."""
    return max((-box.bottom for box in boxes), default=0.0)


def baseline_clearance(upper: Sequence[InkBox], lower: Sequence[InkBox]) -> float:
    """The smallest baseline-to-baseline distance at which no glyph of the lower line touches one above it.

    Thai stacks an upper vowel and a tone mark to about 1.25 em above the baseline and hangs
    below-base vowels (ุ ู) and the tails of ฎ ฏ ฤ to 0.4-0.7 em below it, so a fixed leading either
    wastes space or lets marks run into the line above. Only glyphs that overlap horizontally count.
    """
    need = 0.0
    for low in lower:
        for up in upper:
            if low.x0 < up.x1 and up.x0 < low.x1:
                need = max(need, low.top - up.bottom)
    return need


def is_thai(char: str) -> bool:
    return _THAI_FIRST <= ord(char) <= _THAI_LAST


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me") or char in (_SARA_AM, _LAKKHANGYAO, "\u200d")


def _script_runs(text: str) -> Iterator[tuple[int, str, bool]]:
    """Split text into (start, run, is_thai) runs; neutral characters join the run before them."""
    runs: list[tuple[int, list[str], bool | None]] = []
    for index, char in enumerate(text):
        if is_thai(char):
            kind: bool | None = True
        elif unicodedata.category(char).startswith("L"):
            kind = False
        else:
            kind = None  # digits, punctuation, spaces, marks: take the neighbour's script
        if runs and (kind is None or runs[-1][2] in (kind, None)):
            start, chars, previous = runs[-1]
            runs[-1] = (start, chars, previous if kind is None else kind)
            chars.append(char)
        else:
            runs.append((index, [char], kind))
    for start, chars, kind in runs:
        yield start, "".join(chars), bool(kind)


def grapheme_clusters(text: str) -> list[str]:
    """Split text into units that must never be separated by a line break.

    A unit is a base character with the marks after it (Thai above/below vowels, tone marks,
    SARA AM, other combining marks), preceded by any Thai leading vowel (เ แ โ ใ ไ).
    """
    clusters: list[str] = []
    pending_leading = ""
    for char in text:
        if _is_mark(char) and clusters and not pending_leading:
            clusters[-1] += char
        elif char in _LEADING_VOWELS:
            pending_leading += char
        else:
            clusters.append(pending_leading + char)
            pending_leading = ""
    if pending_leading:
        clusters.append(pending_leading)
    return clusters


def _is_thai_letter(char: str) -> bool:
    """A Thai letter, vowel or mark: Thai script but not a Thai digit or sign (๐-๙ ๏ ๚ ๛)."""
    return 0x0E01 <= ord(char) <= 0x0E4E


def _read_only_pythainlp() -> None:
    """Keep pythainlp from creating ~/pythainlp-data on first use: Lambda's file system is read-only
    outside /tmp, and only the dictionaries bundled in the wheel are used here. An explicit setting
    of PYTHAINLP_READ_ONLY wins."""
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")


@cache
def _newmm() -> Any:
    _read_only_pythainlp()
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


Vocabulary = frozenset[str]


def vocabulary(words: Iterable[str] = ()) -> Vocabulary:
    """The extra dictionary words in ``words`` (names): each name's Thai runs of two letters or more.

    A name with spaces or punctuation (``สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)``) gives its Thai runs.
    """
    found: set[str] = set()
    for word in words:
        found.update(run for run in re.findall(r"[\u0e01-\u0e4e]+", word) if len(run) >= 2)
    return frozenset(found)


@cache
def _overlay_class() -> type:
    _read_only_pythainlp()
    from pythainlp.util import Trie

    class OverlayTrie(Trie):
        """pythainlp's default word trie (shared, never copied) plus a small trie of extra words."""

        def __init__(self, base: Trie, words: Iterable[str]) -> None:
            super().__init__(words)
            self.base = base

        def prefixes(self, text: str, start: int = 0) -> list[str]:
            found = self.base.prefixes(text, start)
            own = super().prefixes(text, start)
            if not own:
                return found
            return sorted(set(found).union(own), key=len)

        def __contains__(self, key: object) -> bool:
            return isinstance(key, str) and (key in self.base or super().__contains__(key))

        def __len__(self) -> int:
            return len(self.base) + super().__len__()

        def __iter__(self) -> Iterator[str]:
            yield from self.base
            yield from super().__iter__()

    return OverlayTrie


@lru_cache(maxsize=32)
def _trie(extra: Vocabulary) -> Any:
    """The segmenter's dictionary: the default words, :data:`GOVERNMENT_WORDS` and ``extra``."""
    _read_only_pythainlp()
    from pythainlp.tokenize import word_dict_trie

    return _overlay_class()(word_dict_trie(), GOVERNMENT_WORDS | extra)


@lru_cache(maxsize=20_000)
def _segment(text: str, extra: Vocabulary) -> tuple[str, ...]:
    words: list[str] = _newmm()(text, custom_dict=_trie(extra), engine="newmm", keep_whitespace=False)
    return tuple(_align_to_clusters(text, words))


def thai_words(text: str, words: Iterable[str] = ()) -> list[str]:
    """Dictionary word segmentation (newmm) of a Thai run without whitespace.

    The dictionary is pythainlp's, plus :data:`GOVERNMENT_WORDS`, plus the names in ``words``.
    """
    return list(_segment(text, vocabulary(words)))


def _align_to_clusters(text: str, words: Sequence[str]) -> list[str]:
    """Re-cut ``words`` so that no boundary falls inside a grapheme cluster of ``text``."""
    cluster_ends: set[int] = set()
    position = 0
    for cluster in grapheme_clusters(text):
        position += len(cluster)
        cluster_ends.add(position)
    aligned: list[str] = []
    position, start = 0, 0
    for word in words:
        position += len(word)
        if position in cluster_ends:
            aligned.append(text[start:position])
            start = position
    if start < len(text):
        aligned.append(text[start:])
    return aligned


@cache
def _syllable_tokenize() -> Any:
    _read_only_pythainlp()
    from pythainlp.tokenize import syllable_tokenize

    return syllable_tokenize


def thai_syllables(word: str) -> list[str]:
    """Syllables of a Thai word (pythainlp's dictionary engine); other text is returned whole."""
    if not word or not all(is_thai(char) or _is_mark(char) for char in word):
        return [word]
    syllables: list[str] = _syllable_tokenize()(word, engine="dict", keep_whitespace=False)
    return _align_to_clusters(word, syllables)


def thai_subwords(word: str, words: Iterable[str] = ()) -> list[str]:
    """A compound word cut into dictionary words at syllable boundaries (fewest pieces).

    ``newmm`` keeps long names such as ``สำนักงานปลัดกระทรวง`` whole; when one is wider than a line,
    breaking it as สำนักงาน|ปลัด|กระทรวง reads far better than at an arbitrary syllable. The
    dictionary is the segmenter's (with ``words``), so a known name inside a longer one stays whole.
    Syllables that belong to no dictionary word stand alone (at a higher cost). Returns ``[word]`` if
    there is no better cut.
    """
    return list(_subwords(word, vocabulary(words)))


@lru_cache(maxsize=2_000)
def _subwords(word: str, extra: Vocabulary) -> tuple[str, ...]:
    syllables = thai_syllables(word)
    if len(syllables) < 2:
        return (word,)
    known = _trie(extra)
    count = len(syllables)
    # best[i]: (cost, pieces) for syllables[:i]
    no_pieces: list[str] = []
    best = [(0.0, no_pieces)] + [(float("inf"), no_pieces)] * count
    for end in range(1, count + 1):
        for start in range(end):
            piece = "".join(syllables[start:end])
            if piece != word and piece in known:
                cost = 1.0
            elif end - start == 1:
                cost = 2.5
            else:
                continue
            total = best[start][0] + cost
            if total < best[end][0]:
                best[end] = (total, [*best[start][1], piece])
    pieces = best[count][1]
    return tuple(pieces) if len(pieces) > 1 else (word,)


# -- what must stay on one line ----------------------------------------------------------------------


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_DIGIT: Final = "[0-9\u0e50-\u0e59]"
_NUMBER: Final = f"{_DIGIT}+"
_MONTH: Final = f"(?:{_alternatives((*THAI_MONTHS, *THAI_MONTHS_ABBR))})"
_ERA: Final = r"(?:พ\.\s?ศ\.|ค\.\s?ศ\.)"
_THAI_RUN: Final = "[\u0e01-\u0e4e]+"
# Each class: a pattern, and whether its match is a span (a predicate on the match).
_KEEP_TOGETHER: Final[tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool]], ...]] = (
    (
        "number group",  # telephone numbers; two or more digit groups with at least 6 digits
        re.compile(
            rf"(?:(?:โทรศัพท์|โทรสาร|โทร\.?|แฟกซ์|มือถือ)\s*)?\+?{_NUMBER}(?:[ \-]{_NUMBER})+"
            rf"(?:\s*(?:ต่อ|#)\s*{_NUMBER})?"
        ),
        lambda match: len(re.findall(_DIGIT, match.group())) >= 6,
    ),
    (
        "date",  # day and month, with the year if any; or month and year
        re.compile(
            rf"{_NUMBER}\s*{_MONTH}(?:\s*(?:{_ERA}\s*)?{_NUMBER})?" rf"|{_MONTH}\s*(?:{_ERA}\s*)?{_NUMBER}"
        ),
        lambda match: True,
    ),
    ("era", re.compile(rf"{_ERA}\s*{_NUMBER}"), lambda match: True),
    (
        "time",  # 09.30 น., 9:30 น.: a time and its น.
        re.compile(rf"{_DIGIT}{{1,2}}[.:]{_DIGIT}{{2}}\s*น\."),
        lambda match: True,
    ),
    (
        "classifier",  # a year is no count: "2569 เดือน..." is not kept unless after จำนวน
        re.compile(
            rf"(?:จำนวน\s*{_NUMBER}|{_DIGIT}{{1,3}})(?:[.,]{_NUMBER})*\s*(?:{_alternatives(CLASSIFIERS)})"
        ),
        lambda match: True,
    ),
    (
        "reference",  # ที่ ดศ 0201.3/4, ที่ มท 0201/ว 456, ที่ 45/2569; and without ที่ (a register's ที่ cell)
        re.compile(
            rf"(?:ที่\s*(?:[ก-ฮ]{{1,6}}\.?\s*)?|[ก-ฮ]{{1,6}}\.?\s*){_NUMBER}(?:\.{_NUMBER})*\s*/\s*(?:ว\.?\s*)?{_NUMBER}"
            rf"(?:/{_NUMBER})?"
        ),
        lambda match: True,
    ),
    (
        "labelled number",
        re.compile(rf"(?:เลขที่|หมู่ที่|ครั้งที่|ฉบับที่|ข้อ|ชั้น|มาตรา|ห้อง|ซอย|หมู่)\s*{_NUMBER}(?:[./\-]{_NUMBER})*"),
        lambda match: True,
    ),
    (
        "name",  # a title, the first name, and the surname after one space
        re.compile(
            rf"(?P<label>นางสาว|นาง|นาย|น\.ส\.\s?|ดร\.\s?|ว่าที่ร้อยตรี\s?){_THAI_RUN}(?:[ \u00a0]{_THAI_RUN})?"
        ),
        lambda match: True,
    ),
    (
        "address",  # ถนนแจ้งวัฒนะ, แขวงทุ่งสองห้อง, เขตหลักสี่: the label and the name written after it
        re.compile(rf"(?P<label>ถนน|ซอย|แขวง|เขต|ตำบล|อำเภอ|จังหวัด|อาคาร)(?P<word>{_THAI_RUN})"),
        lambda match: True,
    ),
)


def _pieces(text: str, extra: Vocabulary) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text``: Thai runs segmented, other runs whole, no whitespace."""
    pieces: list[tuple[int, int]] = []
    for chunk in re.finditer(r"\S+", text):
        position = chunk.start()
        for _, run, run_is_thai in _script_runs(chunk.group()):
            for word in _segment(run, extra) if run_is_thai else (run,):
                pieces.append((position, position + len(word)))
                position += len(word)
    return pieces


def _spans(text: str, pieces: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Kept-together spans of ``text`` that start and end at word boundaries, overlaps merged."""
    boundaries = {start for start, _ in pieces} | {end for _, end in pieces}
    word_ends = {end: start for start, end in pieces}
    found: list[tuple[int, int]] = []
    for name, pattern, accept in _KEEP_TOGETHER:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start not in boundaries or end not in boundaries or not accept(match):
                continue
            if "label" in pattern.groupindex and match.end("label") not in boundaries:
                continue  # นายอำเภอ, นางพยาบาล: one word, not a title before a name
            if name == "address" and word_ends.get(end) != match.start("word"):
                continue  # the label and exactly one word after it
            found.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def keep_together_spans(text: str, words: Iterable[str] = ()) -> list[str]:
    """The spans of ``text`` that line breaking keeps on one line (see the module's docstring)."""
    extra = vocabulary(words)
    return [text[start:end] for start, end in _spans(text, _pieces(text, extra))]


def _tokens(text: str, extra: Vocabulary) -> list[tuple[int, int]]:
    """The words of ``text``, each kept-together span made one token (spaces included)."""
    pieces = _pieces(text, extra)
    tokens: list[tuple[int, int]] = []
    spans = iter(_spans(text, pieces))
    span = next(spans, None)
    for start, end in pieces:
        while span is not None and span[1] <= start:
            span = next(spans, None)
        if span is not None and span[0] <= start < span[1]:
            if tokens and tokens[-1][0] == span[0]:
                continue  # already covered by the span's token
            tokens.append(span)
        else:
            tokens.append((start, end))
    return tokens


# -- line breaking -----------------------------------------------------------------------------------

# A unit is a run of words with no free break inside; joins inside it are used only as a last resort.
_Unit = list[str]


@dataclass(slots=True)
class _Item:
    space: str  # whitespace before the unit ("" at the start of a paragraph)
    words: _Unit


def _paragraph_items(paragraph: str, extra: Vocabulary) -> tuple[str, list[_Item]]:
    """Leading whitespace, then units with the whitespace before each."""
    body = paragraph.lstrip()
    indent = paragraph[: len(paragraph) - len(body)]
    items: list[_Item] = []
    previous = ""
    last_end = 0
    for start, end in _tokens(body, extra):
        word = body[start:end]
        space = body[last_end:start]
        last_end = end
        if not items:
            items.append(_Item("", [word]))
        elif space:
            if word[0] in _NO_LINE_START or previous[-1] in _NO_LINE_END:
                # "ไป ๆ": the repetition mark never starts a line; it stays, with its space, with the
                # word before.
                items[-1].words.append(space + word)
            else:
                items.append(_Item(space, [word]))
        elif (
            _is_thai_letter(previous[-1])
            and _is_thai_letter(word[0])
            and word[0] not in _NO_LINE_START
            and previous[-1] not in _NO_LINE_END
        ):
            items.append(_Item("", [word]))  # a free break between two Thai words
        else:
            items[-1].words.append(word)  # glued: พ.ศ.2526, (ครั้งที่
        previous = word
    return indent, items


def _is_name(piece: str) -> bool:
    return len(piece) > 1 and all(_is_thai_letter(char) for char in piece)


class _LineFiller:
    """Greedy line filling; widths are compared in font units (exact integers from HarfBuzz)."""

    def __init__(
        self,
        metrics: FontMetrics,
        size_pt: float,
        width_pt: float,
        indent: str,
        extra: Vocabulary,
        *,
        first_width_pt: float | None = None,
    ) -> None:
        self.metrics = metrics
        self.full_limit = width_pt * metrics.units_per_em / size_pt
        self.limit = (
            self.full_limit if first_width_pt is None else first_width_pt * metrics.units_per_em / size_pt
        )
        self.min_part = NAME_PART_EM * metrics.units_per_em
        self.extra = extra
        self.lines: list[str] = []
        self.current = indent  # a paragraph's indent, kept only if the first unit fits after it
        self.has_content = False

    def fits(self, text: str) -> bool:
        return self.metrics.advance_units(text) <= self.limit

    def flush(self) -> None:
        self.lines.append(self.current.rstrip())
        self.current = ""
        self.has_content = False
        self.limit = self.full_limit

    def name_cuts(self, pieces: Sequence[str]) -> list[int]:
        """Where a unit may be cut inside a long name: offsets in the unit's text (see _cut_long_name)."""
        advance = self.metrics.advance_units
        cuts: list[int] = []
        offset = 0
        for piece in pieces:
            if _is_name(piece) and advance(piece) >= 2 * self.min_part:
                parts = _subwords(piece, self.extra)
                for cut in range(1, len(parts)):
                    if parts[cut - 1] in _CONNECTIVES:
                        continue  # "และ", "เพื่อ" begin the next line: กระทรวงดิจิทัล | เพื่อเศรษฐกิจและสังคม
                    head, tail = "".join(parts[:cut]), "".join(parts[cut:])
                    if advance(head) >= self.min_part and advance(tail) >= self.min_part:
                        cuts.append(offset + len(head))
            offset += len(piece)
        return cuts

    def _start(self, text: str) -> bool:
        """Put ``text`` at the start of the (empty) current line if it fits; keep the indent if possible."""
        if self.fits(self.current + text):
            self.current += text
        elif self.fits(text):
            self.current = text
        else:
            return False
        self.has_content = True
        return True

    def add(self, space: str, pieces: Sequence[str]) -> None:
        """Append a unit: free break before it, weak breaks between its pieces."""
        text = "".join(pieces)
        if self.has_content:
            if self.fits(self.current + space + text):
                self.current += space + text
                return
            if self._cut_long_name(space, pieces):
                return
            self.flush()
        if self._start(text):
            return
        for piece in pieces:  # wider than a line: break between the words of the unit
            self._place(piece, level=1)

    def _cut_long_name(self, space: str, pieces: Sequence[str]) -> bool:
        """End the line inside a long name (at one of its dictionary words) rather than leave a hole.

        Only when the name would leave more than ``HOLE_FRACTION`` of the line empty, and only into
        parts of at least ``NAME_PART_EM`` em each; the longest head that fits is taken.
        """
        if self.limit - self.metrics.advance_units(self.current) <= HOLE_FRACTION * self.limit:
            return False
        text = "".join(pieces)
        heads = [cut for cut in self.name_cuts(pieces) if self.fits(self.current + space + text[:cut])]
        if not heads:
            return False
        cut = max(heads)
        self.current += space + text[:cut]
        self.flush()
        self.add("", _recut(pieces, cut))
        return True

    def _place(self, piece: str, *, level: int) -> None:
        """Place a word (level 1), a dictionary sub-word (2), a syllable (3) or a grapheme cluster (4).

        A piece that does not fit on a line of its own is split into the next level's pieces; a
        kept-together span is split at its spaces first.
        """
        if level == 1 and re.search(r"\S\s", piece):
            for part in re.findall(r"\s*\S+", piece):
                self._place(part, level=1)
            return
        if self.has_content:
            if self.fits(self.current + piece):
                self.current += piece
                return
            self.flush()
        piece = piece.lstrip()
        if self._start(piece):
            return
        if level < 4:
            for part in self._split(piece, level):
                self._place(part, level=level + 1)
            return
        # One grapheme cluster wider than the whole line: nothing to do but let it overflow.
        self.current = piece
        self.has_content = True

    def _split(self, piece: str, level: int) -> Sequence[str]:
        if level == 1:
            return _subwords(piece, self.extra)
        if level == 2:
            return thai_syllables(piece)
        return grapheme_clusters(piece)


def _recut(pieces: Sequence[str], cut: int) -> list[str]:
    """The pieces of a unit after its first ``cut`` characters."""
    rest: list[str] = []
    offset = 0
    for piece in pieces:
        if offset + len(piece) > cut:
            rest.append(piece[max(0, cut - offset) :])
        offset += len(piece)
    return rest


@dataclass(frozen=True, slots=True)
class _Atom:
    space: str  # kept when the atom follows another on a line, dropped at a break
    text: str
    penalty: float  # of a break before it (a cut inside a long name costs)


def _atoms(filler: _LineFiller, items: Sequence[_Item]) -> list[_Atom]:
    """The units of a paragraph, each long name cut where it may be (at a cost)."""
    atoms: list[_Atom] = []
    for item in items:
        text = "".join(item.words)
        start = 0
        for cut in [*filler.name_cuts(item.words), len(text)]:
            if start == 0:
                atoms.append(_Atom(item.space, text[:cut], 0.0))
            else:
                atoms.append(_Atom("", text[start:cut], _CUT_COST))
            start = cut
    return atoms


def _balanced(filler: _LineFiller, indent: str, items: Sequence[_Item]) -> list[str] | None:
    """Total-fit breaking (as TeX's, simplified): the breaks that minimise the sum over the lines but
    the last of the cubed fraction of the line left empty, plus a small cost per line and the cost
    of each cut inside a long name. A justified paragraph then has no very loose line where greedy
    filling would leave one (a long word that just missed the line before). ``None`` when a unit is
    wider than a line: greedy filling splits it."""
    advance, full, first = filler.metrics.advance_units, filler.full_limit, filler.limit
    atoms = _atoms(filler, items)
    count = len(atoms)
    best: list[float] = [0.0] + [float("inf")] * count
    back = [0] * (count + 1)
    for start in range(count):
        limit = first if start == 0 else full
        line = (indent if start == 0 else "") + atoms[start].text
        if advance(line) > limit:
            return None  # one atom wider than the line (every start is reached: each atom fits alone)
        for end in range(start + 1, count + 1):
            if end > start + 1:
                line += atoms[end - 1].space + atoms[end - 1].text
            used = advance(line)
            if used > limit:
                break
            empty = (limit - used) / limit
            cost = _LINE_COST + (0.0 if end == count else empty**3 + atoms[end].penalty)
            if best[start] + cost < best[end]:
                best[end], back[end] = best[start] + cost, start
    if not count or best[count] == float("inf"):
        return None
    starts = [count]
    while starts[-1]:
        starts.append(back[starts[-1]])
    starts.reverse()
    return [
        (
            (indent if start == 0 else "")
            + atoms[start].text
            + "".join(a.space + a.text for a in atoms[start + 1 : end])
        ).rstrip()
        for start, end in itertools.pairwise(starts)
    ]


def break_lines(
    text: str,
    *,
    font_path: str | Path = REGULAR_FONT,
    size_pt: float,
    width_pt: float,
    words: Iterable[str] = (),
    first_width_pt: float | None = None,
    balanced: bool = False,
) -> list[str]:
    """Break ``text`` into lines no wider than ``width_pt`` when set in the font at ``size_pt``.

    Explicit newlines are kept (an empty line stays an empty string). Lines never break inside a
    Thai word unless that word alone is wider than the line or is a long name (see the module's
    docstring), never inside a kept-together span unless it alone is wider than the line, and never
    inside a grapheme cluster; a single cluster wider than the line is the only thing that can
    overflow. Whitespace at a break is dropped; a paragraph's leading indent is kept. ``words`` are
    names the segmenter must know (an agency's and its units' names).

    ``first_width_pt``: the width of the text's first line (a paragraph's first-line indent).
    Lines are filled greedily, or with ``balanced`` (for justified text) by total fit: the same
    break opportunities, chosen so that no line is much looser than the others.
    """
    if size_pt <= 0 or width_pt <= 0 or (first_width_pt is not None and first_width_pt <= 0):
        raise ValueError("size_pt and widths must be positive")
    metrics = font_metrics(font_path)
    extra = vocabulary(words)
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        indent, items = _paragraph_items(paragraph, extra)
        filler = _LineFiller(
            metrics, size_pt, width_pt, indent, extra, first_width_pt=None if lines else first_width_pt
        )
        found = _balanced(filler, indent, items) if balanced else None
        if found is None:
            for item in items:
                filler.add(item.space, item.words)
            filler.flush()
            found = filler.lines
        lines.extend(found)
    return lines


# -- justification -----------------------------------------------------------------------------------


def _gaps(line: str, extra: Vocabulary) -> list[tuple[int, int]]:
    """(position, weight) of each place where a justified line may take extra space.

    After a space (most), at a Thai word boundary, between two grapheme clusters of Thai text
    (least); never inside a cluster, before ะ ๆ ฯ or closing punctuation, after opening punctuation,
    or between two characters that are not Thai letters (digits of a number, a Latin word).
    """
    word_starts = {start for start, _ in _pieces(line, extra)}
    gaps: list[tuple[int, int]] = []
    position = 0
    previous = ""
    for cluster in grapheme_clusters(line):
        if previous and not cluster[0].isspace():
            before, after = previous[-1], cluster[0]
            if before.isspace():
                gaps.append((position, _SPACE_WEIGHT))
            elif (
                after not in _NO_LINE_START
                and before not in _NO_LINE_END
                and (_is_thai_letter(before) or _is_thai_letter(after))
            ):
                gaps.append((position, _WORD_WEIGHT if position in word_starts else _CLUSTER_WEIGHT))
        previous = cluster
        position += len(cluster)
    return gaps


def justify(
    line: str,
    width_pt: float,
    *,
    font_path: str | Path = REGULAR_FONT,
    size_pt: float,
    words: Iterable[str] = (),
    max_stretch: float = MAX_STRETCH,
) -> tuple[tuple[int, float], ...]:
    """Where to add space in ``line`` so that it is exactly ``width_pt`` wide: (position, points).

    Thai distributed justification: the missing width is shared among the gaps of :func:`_gaps`,
    three shares after a space, two at a word boundary, one between two clusters of a word. The
    line is then drawn as pieces cut at those positions, each shaped on its own (:func:`pieces_of`),
    the pen moved by the extra space before each; the pieces' own widths are what is measured here.
    Returns ``()`` (leave the line ragged) when the line has no gap, is already full, or lacks more
    than ``max_stretch`` of the width.
    """
    if not line.strip():
        return ()
    gaps = _gaps(line, vocabulary(words))
    if not gaps:
        return ()
    metrics = font_metrics(font_path)
    natural = sum(metrics.width(piece, size_pt) for piece in pieces_of(line, [at for at, _ in gaps]))
    missing = width_pt - natural
    if missing <= 1e-6 or missing > max_stretch * width_pt:
        return ()
    share = missing / sum(weight for _, weight in gaps)
    return tuple((at, weight * share) for at, weight in gaps)


def pieces_of(line: str, positions: Iterable[int]) -> list[str]:
    """``line`` cut at ``positions`` (ascending)."""
    pieces: list[str] = []
    start = 0
    for at in positions:
        pieces.append(line[start:at])
        start = at
    pieces.append(line[start:])
    return pieces
