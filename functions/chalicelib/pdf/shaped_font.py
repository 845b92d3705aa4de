"""An embedded, HarfBuzz-shaped TrueType font for pyHanko writers whose text extracts back exactly.

pyHanko's own ``GlyphAccumulator`` draws Thai correctly but gives each glyph one Unicode value in the
ToUnicode CMap (character id = glyph id). Thai shaping breaks that: SARA AM (ำ) becomes two glyphs,
NIKHAHIT + SARA AA, and that SARA AA glyph is the same one as a plain า; tone marks become
contextual variants (``uni0E49.low``) that no cmap entry names. Extractors that read the ToUnicode
CMap (pypdf, pdfminer, most search indexers) then lose or garble characters of "สำนักงาน" or "ผู้".

This engine gives every (glyph, role) pair its own character id (CIDToGIDMap maps it back to the
glyph): the first glyph of a HarfBuzz cluster maps to the cluster's characters, the other glyphs of
the cluster map to the empty string. Extraction in content-stream order then returns the text as it
was written. Each shaped line is also wrapped in ``/Span <</ActualText ...>> BDC`` for viewers that
use it.

It implements pyHanko's ``FontEngine`` interface, so it works with pyHanko's writers and text boxes;
the writer calls :meth:`ShapedFontEngine.prepare_write` to embed the subset before writing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Final

from fontTools import subset, ttLib
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory, ShapeResult
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from chalicelib.pdf.thai_text import REGULAR_FONT, FontMetrics, ShapedGlyph, font_metrics

_MAX_CID: Final = 0xFFFF
_CMAP_BLOCK: Final = 100  # at most 100 entries per beginbfchar block


def _name(value: str) -> generic.NameObject:
    return generic.NameObject(value)


def _num(value: float) -> bytes:
    """A PDF number: integers plain, others with at most 3 decimals and no trailing zeros."""
    if value == int(value):
        return str(int(value)).encode("ascii")
    return f"{value:.3f}".rstrip("0").rstrip(".").encode("ascii")


@dataclass(frozen=True, slots=True)
class ShapedLine:
    """Content-stream operators that draw one line (inside BT/ET, font already set) and its advance."""

    ops: bytes
    width_pt: float


class ShapedFontEngine(FontEngine):
    """A subset-embedded Type0/CIDFontType2 font with HarfBuzz shaping and exact ToUnicode."""

    def __init__(
        self,
        writer: BasePdfFileWriter,
        font_path: str | Path = REGULAR_FONT,
        font_size: int = 10,
        *,
        lang: str | None = "th",
    ) -> None:
        self.metrics: FontMetrics = font_metrics(font_path)
        self._tt: Any = ttLib.TTFont(BytesIO(self.metrics.data))
        ps_name = self._tt["name"].getDebugName(6) or Path(font_path).stem
        super().__init__(writer, ps_name, embedded_subset=True, font_size=font_size)
        if lang is not None and not re.fullmatch(r"[A-Za-z0-9-]{1,35}", lang):
            raise ValueError(f"not a BCP 47 language tag: {lang!r}")
        self.lang = lang
        self.base_name = f"{self.subset_prefix}+{ps_name}"
        self._font_ref = writer.allocate_placeholder()
        self._hmtx: Any = self._tt["hmtx"]
        self._glyph_order: list[str] = self._tt.getGlyphOrder()
        self._cid_of: dict[tuple[int, str], int] = {}  # (glyph id, Unicode text) -> character id
        self._gid_of_cid: dict[int, int] = {}
        self._text_of_cid: dict[int, str] = {}
        self._next_extra_cid = len(self._glyph_order)
        space = self.metrics.shape(" ")
        space_width = space[0].x_advance * 1000 / self.metrics.units_per_em if space else 250
        self._gap_step = max(1.0, 0.4 * space_width)  # thousandths of an em; see _tj_move
        self._written = False

    # -- shaping -------------------------------------------------------------------------------

    def _advance(self, gid: int) -> int:
        """The glyph's own advance width (hmtx), in font units."""
        return int(self._hmtx[self._glyph_order[gid]][0])

    def _tj_move(self, units: int) -> bytes:
        """TJ numbers that move the pen ``units`` (font units) to the right; negative moves left.

        Extractors guess word gaps from rightward TJ moves (pypdf: 95 % of half a space), but a mark
        moved left by GPOS (a tone mark over ป) needs the pen moved back right by as much. Split such
        moves into steps below that guess, so only real space glyphs read as spaces.
        """
        thousandths = units * 1000 / self.metrics.units_per_em
        if thousandths <= 0:
            return b" " + _num(-thousandths) + b" "
        steps = math.ceil(thousandths / self._gap_step)
        return b"".join(b" " + _num(-thousandths / steps) + b" " for _ in range(steps))

    def _cid(self, gid: int, text: str) -> int:
        key = (gid, text)
        cid = self._cid_of.get(key)
        if cid is None:
            if gid not in self._gid_of_cid:  # first use of this glyph: its id is its own
                cid = gid
            else:
                cid = self._next_extra_cid
                self._next_extra_cid += 1
                if cid > _MAX_CID:
                    raise ValueError("too many distinct glyph roles for one embedded font")
            self._cid_of[key] = cid
            self._gid_of_cid[cid] = gid
            self._text_of_cid[cid] = text
        return cid

    def _roles(self, text: str, glyphs: tuple[ShapedGlyph, ...]) -> list[str]:
        """The characters each glyph stands for: a cluster's text on its first glyph, "" on the rest."""
        starts = sorted({g.cluster for g in glyphs})
        end_of = dict(zip(starts, [*starts[1:], len(text)], strict=True))
        seen: set[int] = set()
        roles: list[str] = []
        for glyph in glyphs:
            if glyph.cluster in seen:
                roles.append("")
            else:
                seen.add(glyph.cluster)
                roles.append(text[glyph.cluster : end_of[glyph.cluster]])
        return roles

    def shape_line(self, text: str, size_pt: float, *, actual_text: bool = True) -> ShapedLine:
        """Operators that draw ``text`` from the current text position, and its width in points.

        The text position ends after the last glyph (TJ moves it); the line matrix is not touched.
        """
        if not text:
            return ShapedLine(b"", 0.0)
        if self._written:
            raise RuntimeError("font already embedded: shape all text before writing the PDF")
        glyphs = self.metrics.shape(text)
        upem = self.metrics.units_per_em
        out: list[bytes] = []
        segment: list[bytes] = []  # the TJ array being built
        rise = 0
        total = 0

        def close_segment() -> None:
            if segment:
                out.append(b"[" + b"".join(segment) + b"] TJ")
                segment.clear()

        for glyph, role in zip(glyphs, self._roles(text, glyphs), strict=True):
            if glyph.y_offset != rise:
                close_segment()
                rise = glyph.y_offset
                out.append(_num(rise * size_pt / upem) + b" Ts")
            cid = self._cid(glyph.gid, role)
            if glyph.x_offset:  # draw the glyph x_offset to the right of the pen
                segment.append(self._tj_move(glyph.x_offset))
            segment.append(b"<%04x>" % cid)
            # PDF advanced by the glyph's width (plus the offset); HarfBuzz wants x_advance.
            correction = glyph.x_advance - glyph.x_offset - self._advance(glyph.gid)
            if correction:
                segment.append(self._tj_move(correction))
            total += glyph.x_advance
        close_segment()
        if rise:
            out.append(b"0 Ts")
        ops = b" ".join(out)
        if actual_text:
            # /ActualText as a UTF-16BE text string (hex, with the byte order mark).
            props = b"/ActualText <feff" + text.encode("utf-16-be").hex().encode("ascii") + b">"
            if self.lang:
                props += b" /Lang (" + self.lang.encode("ascii") + b")"
            ops = b"/Span <<" + props + b">> BDC " + ops + b" EMC"
        return ShapedLine(ops, total * size_pt / upem)

    def shape(self, txt: str) -> ShapeResult:
        """pyHanko's interface: draw at ``font_size`` and leave text and line matrix after the text."""
        line = self.shape_line(txt, self.font_size)
        ops = line.ops + b" " + _num(line.width_pt) + b" 0 Td" if line.ops else b""
        return ShapeResult(graphics_ops=ops, x_advance=line.width_pt / self.font_size, y_advance=0)

    # -- embedding -----------------------------------------------------------------------------

    def as_resource(self) -> generic.IndirectObject:
        return self._font_ref

    def prepare_write(self) -> None:
        if self._written:
            return
        self._written = True
        writer = self.writer
        upem = self.metrics.units_per_em

        def scaled(value: int) -> generic.NumberObject:
            return generic.NumberObject(round(value * 1000 / upem))

        widths = generic.ArrayObject()  # read before subsetting rewrites the tables
        for cid in sorted(self._gid_of_cid):
            widths.append(generic.NumberObject(cid))
            widths.append(generic.ArrayObject([scaled(self._advance(self._gid_of_cid[cid]))]))
        gids = sorted(set(self._gid_of_cid.values()) | {0})
        options = subset.Options()
        options.retain_gids = True  # our character ids are glyph ids (plus extra ids mapped below)
        options.layout_closure = False
        options.drop_tables += ["GPOS", "GDEF", "GSUB", "FFTM"]  # shaping is done: outlines suffice
        options.notdef_outline = True
        for table in ("GPOS", "GDEF", "GSUB"):  # dropped anyway; deleting them spares parsing them
            if table in self._tt:
                del self._tt[table]
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(gids=gids)
        subsetter.subset(self._tt)
        font_file = BytesIO()
        self._tt.save(font_file)
        font_stream = generic.StreamObject(stream_data=font_file.getvalue())
        font_stream.compress()

        head, hhea, os2 = self._tt["head"], self._tt["hhea"], self._tt["OS/2"]
        descriptor = generic.DictionaryObject(
            {
                _name("/Type"): _name("/FontDescriptor"),
                _name("/FontName"): _name("/" + self.base_name),
                _name("/Flags"): generic.NumberObject(4),  # symbolic: glyphs outside the standard set
                _name("/FontBBox"): generic.ArrayObject(
                    [scaled(head.xMin), scaled(head.yMin), scaled(head.xMax), scaled(head.yMax)]
                ),
                _name("/ItalicAngle"): generic.NumberObject(0),
                _name("/Ascent"): scaled(hhea.ascent),
                _name("/Descent"): scaled(hhea.descent),
                _name("/CapHeight"): scaled(getattr(os2, "sCapHeight", hhea.ascent)),
                _name("/StemV"): generic.NumberObject(int(10 + 220 * (os2.usWeightClass - 50) / 900)),
                _name("/FontFile2"): writer.add_object(font_stream),
            }
        )
        cid_font = generic.DictionaryObject(
            {
                _name("/Type"): _name("/Font"),
                _name("/Subtype"): _name("/CIDFontType2"),
                _name("/BaseFont"): _name("/" + self.base_name),
                _name("/CIDSystemInfo"): generic.DictionaryObject(
                    {
                        _name("/Registry"): generic.TextStringObject("Adobe"),
                        _name("/Ordering"): generic.TextStringObject("Identity"),
                        _name("/Supplement"): generic.NumberObject(0),
                    }
                ),
                _name("/FontDescriptor"): writer.add_object(descriptor),
                _name("/W"): widths,
                _name("/CIDToGIDMap"): self._cid_to_gid_map(),
            }
        )
        type0 = generic.DictionaryObject(
            {
                _name("/Type"): _name("/Font"),
                _name("/Subtype"): _name("/Type0"),
                _name("/BaseFont"): _name("/" + self.base_name),
                _name("/Encoding"): _name("/Identity-H"),
                _name("/DescendantFonts"): generic.ArrayObject([writer.add_object(cid_font)]),
                _name("/ToUnicode"): writer.add_object(self._to_unicode()),
            }
        )
        writer.add_object(type0, idnum=self._font_ref.idnum)

    def _cid_to_gid_map(self) -> generic.PdfObject:
        if all(cid == gid for cid, gid in self._gid_of_cid.items()):
            return _name("/Identity")
        table = bytearray(2 * (max(self._gid_of_cid) + 1))
        for cid, gid in self._gid_of_cid.items():
            table[2 * cid : 2 * cid + 2] = gid.to_bytes(2, "big")
        stream = generic.StreamObject(stream_data=bytes(table))
        stream.compress()
        return self.writer.add_object(stream)

    def _to_unicode(self) -> generic.StreamObject:
        entries = [
            f"<{cid:04x}> <{text.encode('utf-16-be').hex()}>"
            for cid, text in sorted(self._text_of_cid.items())
        ]
        blocks = []
        for start in range(0, len(entries), _CMAP_BLOCK):
            chunk = entries[start : start + _CMAP_BLOCK]
            blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
        cmap = (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
            + "\n".join(blocks)
            + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        )
        stream = generic.StreamObject(stream_data=cmap.encode("ascii"))
        stream.compress()
        return stream


@dataclass(frozen=True)
class ShapedFontFactory(FontEngineFactory):
    """pyHanko font factory (for ``TextBoxStyle(font=...)``) that makes :class:`ShapedFontEngine`."""

    font_path: str | Path = REGULAR_FONT
    font_size: int = 10
    lang: str | None = "th"

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: Any = None) -> ShapedFontEngine:
        return ShapedFontEngine(writer, self.font_path, self.font_size, lang=self.lang)
