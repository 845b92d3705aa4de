"""pyHanko font engine for the Thai stamp, minus two per-document costs.

pyHanko's GlyphAccumulatorFactory opens the font file for every document (and leaves the handle to the
garbage collector), and its subsetter parses the GSUB/GPOS/GDEF tables only to drop them: for Laksaman
that parse is ~2/3 of the stamp's cost. Shaping is done by HarfBuzz from the raw font bytes before the
subset is made, so the fontTools copy can lose those tables first. Same output, less work.
Relies on GlyphAccumulator._extract_subset (pyHanko 0.38, pinned); tests/unit/signing covers it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF")

# fontTools reports every table it cannot subset (Laksaman's FFTM) as a warning on each document
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


@cache
def font_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


class LeanGlyphAccumulator(GlyphAccumulator):
    def _extract_subset(self, options: Any = None) -> None:
        for tag in LAYOUT_TABLES:
            if tag in self.tt:
                del self.tt[tag]
        super()._extract_subset(options)


@dataclass(frozen=True)
class LeanGlyphAccumulatorFactory(GlyphAccumulatorFactory):
    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return LeanGlyphAccumulator(
            writer=writer,
            font_handle=BytesIO(font_bytes(self.font_file)),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )
