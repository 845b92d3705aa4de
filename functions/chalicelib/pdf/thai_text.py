"""Thai text measurement and line breaking for PDF layout.

Thai is written without spaces between words, so a line may only break where a dictionary segmenter
(pythainlp ``newmm``) finds a word boundary, or at whitespace. Widths come from the font's real
advances after HarfBuzz shaping, run by run (Thai runs are shaped as Thai even inside Latin text),
so a measured line is exactly as wide as the same line drawn by :mod:`chalicelib.pdf.shaped_font`.

Break rules, in order of preference:

1. whitespace, and boundaries between two Thai words;
2. inside a "glued" chunk (Thai next to Latin, digits or punctuation without a space, e.g. ``พ.ศ.``,
   ``(ครั้งที่``), only when that chunk alone is wider than the line;
3. only when one word alone is wider than the line: between the dictionary words of a compound
   (สำนักงาน|ปลัดกระทรวง), then between syllables, and last between grapheme clusters (a base
   character with its above/below vowels and tone marks; a leading vowel เ แ โ ใ ไ with the
   consonant after it). A grapheme cluster is never split; one wider than the line overflows.

Characters that may not start a line (ๆ ฯ and closing punctuation) stay with what precedes them, even
across a space (``ไป ๆ``).

For vertical layout, :meth:`FontMetrics.ink` gives each glyph's ink box and
:func:`baseline_clearance` the baseline distance at which two lines' ink does not touch: Thai stacks
marks to 1.25 em above the baseline and hangs vowels 0.4 em below it, so a fixed leading either
wastes space or lets marks collide.

pythainlp and uharfbuzz are imported here, so only the PDF paths pay for them (pythainlp's
dictionary takes about 0.3 s to load on first use, its syllable dictionary as much again the first
time a word is wider than a line).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import uharfbuzz as hb

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


def thai_words(text: str) -> list[str]:
    """Dictionary word segmentation (newmm) of a Thai run without whitespace."""
    words: list[str] = _newmm()(text, engine="newmm", keep_whitespace=False)
    return _align_to_clusters(text, words)


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


@cache
def _dictionary() -> frozenset[str]:
    _read_only_pythainlp()
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def thai_subwords(word: str) -> list[str]:
    """A compound word cut into dictionary words at syllable boundaries (fewest pieces).

    ``newmm`` keeps long names such as ``สำนักงานปลัดกระทรวง`` whole; when one is wider than a line,
    breaking it as สำนักงาน|ปลัด|กระทรวง reads far better than at an arbitrary syllable. Syllables
    that belong to no dictionary word stand alone (at a higher cost). Returns ``[word]`` if there is
    no better cut.
    """
    syllables = thai_syllables(word)
    if len(syllables) < 2:
        return [word]
    words = _dictionary()
    count = len(syllables)
    # best[i]: (cost, pieces) for syllables[:i]
    no_pieces: list[str] = []
    best = [(0.0, no_pieces)] + [(float("inf"), no_pieces)] * count
    for end in range(1, count + 1):
        for start in range(end):
            piece = "".join(syllables[start:end])
            if piece in words and piece != word:
                cost = 1.0
            elif end - start == 1:
                cost = 2.5
            else:
                continue
            total = best[start][0] + cost
            if total < best[end][0]:
                best[end] = (total, [*best[start][1], piece])
    pieces = best[count][1]
    return pieces if len(pieces) > 1 else [word]


# A unit is a run of words with no free break inside; joins inside it are used only as a last resort.
_Unit = list[str]


def _chunk_units(chunk: str) -> list[_Unit]:
    """Words of a whitespace-free chunk, grouped into units split at free break opportunities."""
    pieces: list[tuple[str, bool]] = []
    for _, run, run_is_thai in _script_runs(chunk):
        if run_is_thai:
            pieces.extend((word, True) for word in thai_words(run))
        else:
            pieces.append((run, False))
    units: list[_Unit] = []
    previous: tuple[str, bool] | None = None
    for word, word_is_thai in pieces:
        free = (
            previous is not None
            and previous[1]
            and word_is_thai
            and word[0] not in _NO_LINE_START
            and previous[0][-1] not in _NO_LINE_END
        )
        if units and not free:
            units[-1].append(word)
        else:
            units.append([word])
        previous = (word, word_is_thai)
    return units


@dataclass(slots=True)
class _Item:
    space: str  # whitespace before the unit ("" at the start of a paragraph)
    words: _Unit


def _paragraph_items(paragraph: str) -> tuple[str, list[_Item]]:
    """Leading whitespace, then units with the whitespace before each."""
    parts = re.split(r"(\s+)", paragraph)
    leading = parts[0] == "" and len(parts) > 1
    indent = parts[1] if leading else ""
    items: list[_Item] = []
    space = ""
    for part in parts[2:] if leading else parts:
        if not part:
            continue
        if part.isspace():
            space = part
            continue
        units = _chunk_units(part)
        if items and space and part[0] in _NO_LINE_START:
            # "ไป ๆ": the repetition mark never starts a line; it stays (with its space) with the word before.
            items[-1].words.extend([space + units[0][0], *units[0][1:]])
            units = units[1:]
        elif items and space and items[-1].words[-1][-1] in _NO_LINE_END:
            items[-1].words.extend([space + units[0][0], *units[0][1:]])
            units = units[1:]
        for index, unit in enumerate(units):
            items.append(_Item(space if index == 0 else "", unit))
        space = ""
    return indent, items


class _LineFiller:
    """Greedy line filling; widths are compared in font units (exact integers from HarfBuzz)."""

    def __init__(self, metrics: FontMetrics, size_pt: float, width_pt: float, indent: str) -> None:
        self.metrics = metrics
        self.limit = width_pt * metrics.units_per_em / size_pt
        self.lines: list[str] = []
        self.current = indent  # a paragraph's indent, kept only if the first unit fits after it
        self.has_content = False

    def fits(self, text: str) -> bool:
        return self.metrics.advance_units(text) <= self.limit

    def flush(self) -> None:
        self.lines.append(self.current.rstrip())
        self.current = ""
        self.has_content = False

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
            self.flush()
        if self._start(text):
            return
        for piece in pieces:  # wider than a line: break between the words of the unit
            self._place(piece, level=1)

    def _place(self, piece: str, *, level: int) -> None:
        """Place a word (level 1), a dictionary sub-word (2), a syllable (3) or a grapheme cluster (4).

        A piece that does not fit on a line of its own is split into the next level's pieces.
        """
        if self.has_content:
            if self.fits(self.current + piece):
                self.current += piece
                return
            self.flush()
        piece = piece.lstrip()
        if self._start(piece):
            return
        if level < 4:
            splitter = _SPLITTERS[level]
            for part in splitter(piece):
                self._place(part, level=level + 1)
            return
        # One grapheme cluster wider than the whole line: nothing to do but let it overflow.
        self.current = piece
        self.has_content = True


_SPLITTERS: Final[dict[int, Callable[[str], list[str]]]] = {
    1: thai_subwords,
    2: thai_syllables,
    3: grapheme_clusters,
}


def break_lines(
    text: str, *, font_path: str | Path = REGULAR_FONT, size_pt: float, width_pt: float
) -> list[str]:
    """Break ``text`` into lines no wider than ``width_pt`` when set in the font at ``size_pt``.

    Explicit newlines are kept (an empty line stays an empty string). Lines never break inside a
    Thai word unless that word alone is wider than the line, and never inside a grapheme cluster;
    a single cluster wider than the line is the only thing that can overflow. Whitespace at a
    break is dropped; a paragraph's leading indent is kept.
    """
    if size_pt <= 0 or width_pt <= 0:
        raise ValueError("size_pt and width_pt must be positive")
    metrics = font_metrics(font_path)
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        indent, items = _paragraph_items(paragraph)
        filler = _LineFiller(metrics, size_pt, width_pt, indent)
        for item in items:
            filler.add(item.space, item.words)
        filler.flush()
        lines.extend(filler.lines)
    return lines
