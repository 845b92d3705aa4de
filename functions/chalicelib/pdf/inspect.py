"""Is this a PDF we can work with? Parsed with pyHanko's reader (loaded only in the upload path)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO


@dataclass(frozen=True)
class PdfFacts:
    encrypted: bool
    pages: int
    error: str | None = None

    @property
    def readable(self) -> bool:
        return self.error is None


def inspect_pdf(data: bytes) -> PdfFacts:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        if reader.encrypted:
            return PdfFacts(encrypted=True, pages=0)
        pages = int(reader.root["/Pages"]["/Count"])
        if pages < 1:
            return PdfFacts(encrypted=False, pages=0, error="the document has no pages")
        reader.find_page_for_modification(0)  # page 1 must resolve: the receipt stamp goes there
    except (PdfError, KeyError, ValueError, TypeError, IndexError, AttributeError) as error:
        return PdfFacts(encrypted=False, pages=0, error=f"{type(error).__name__}: {error}")
    return PdfFacts(encrypted=False, pages=pages)
