"""Helpers for the signing tests: test PDFs and reading back what a signature field shows."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from fpdf import FPDF
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NumberObject,
)


def make_pdf(text: str = "Hello signing world", *, pages: int = 1) -> bytes:
    """A small uncompressed A4 PDF (so tests can find and change its text)."""
    pdf = FPDF(format="A4")
    pdf.set_compression(False)
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.cell(text=f"{text} - page {number + 1}")
    return bytes(pdf.output())


def with_empty_field(pdf: bytes, name: str, box: tuple[int, int, int, int], page: int = 0) -> bytes:
    """What the letter renderer does: reserve an empty signature field where the signature block goes."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=name, on_page=page, box=box))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def appearance_text(pdf: bytes, field_name: str) -> list[str]:
    """The /ActualText strings of a signature widget's appearance stream, in drawing order (pypdf only)."""
    reader = PdfReader(BytesIO(pdf))
    for page in reader.pages:
        for annot_ref in page.get("/Annots") or []:
            annot = annot_ref.get_object()
            if annot.get("/T") == field_name and "/AP" in annot:
                return _actual_texts(reader, annot["/AP"]["/N"].get_object())
    raise AssertionError(f"no widget {field_name!r} with an appearance")


def _actual_texts(reader: PdfReader, xobject: DictionaryObject) -> list[str]:
    found: list[str] = []
    resources = xobject.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    for operands, operator in ContentStream(xobject, reader).operations:
        if operator == b"BDC" and len(operands) > 1 and hasattr(operands[1], "get"):
            text = operands[1].get("/ActualText")
            if text is not None:
                found.append(str(text))
        elif operator == b"Do":
            found += _actual_texts(reader, resources["/XObject"][operands[0]].get_object())
    return found


def embedded_font_names(pdf: bytes, field_name: str) -> list[str]:
    reader = PdfReader(BytesIO(pdf))
    names: list[str] = []

    def walk(xobject: DictionaryObject) -> None:
        resources = xobject.get("/Resources")
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            names.append(str(font.get_object().get("/BaseFont")))
        for sub in (resources.get("/XObject") or {}).values():
            walk(sub.get_object())

    for page in reader.pages:
        for annot_ref in page.get("/Annots") or []:
            annot = annot_ref.get_object()
            if annot.get("/T") == field_name and "/AP" in annot:
                walk(annot["/AP"]["/N"].get_object())
    return names


@dataclass(frozen=True)
class DrawnLine:
    """One line of a field's appearance as drawn: its /ActualText, horizontal extent and font size.

    Coordinates are the appearance's own (the widget's lower left corner is 0, 0); the extent runs
    from the first glyph's origin to the last glyph's advance (glyph widths from the font's /W).
    """

    text: str
    left: float
    right: float
    baseline: float
    size: float

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


def drawn_lines(pdf: bytes, field_name: str) -> list[DrawnLine]:
    """The lines a signature widget's appearance draws, by interpreting its content stream (pypdf)."""
    reader = PdfReader(BytesIO(pdf))
    for page in reader.pages:
        for annot_ref in page.get("/Annots") or []:
            annot = annot_ref.get_object()
            if annot.get("/T") == field_name and "/AP" in annot:
                xobject = annot["/AP"]["/N"].get_object()
                return _Interpreter(reader).run(xobject, _form_matrix(xobject, _IDENTITY))
    raise AssertionError(f"no widget {field_name!r} with an appearance")


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying ``first`` and then ``then`` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _translate(tx: float, ty: float) -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, tx, ty)


def _form_matrix(xobject: DictionaryObject, ctm: Matrix) -> Matrix:
    matrix = xobject.get("/Matrix")
    if matrix is None:
        return ctm
    return _times(tuple(float(v) for v in matrix), ctm)  # type: ignore[arg-type]


def _cid_widths(font: DictionaryObject) -> tuple[dict[int, float], float]:
    """A Type0 font's glyph widths by CID (per 1000 units of text space), and its default width."""
    descendant = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    spec = list(descendant.get("/W") or [])
    index = 0
    while index < len(spec):
        first = int(spec[index])
        following = spec[index + 1]
        if isinstance(following, ArrayObject):
            for offset, value in enumerate(following):
                widths[first + offset] = float(value)
            index += 2
        else:
            for cid in range(first, int(following) + 1):
                widths[cid] = float(spec[index + 2])
            index += 3
    return widths, float(descendant.get("/DW", 1000))


class _Interpreter:
    """Just enough of a content-stream interpreter for shaped text in Identity-H Type0 fonts."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self.lines: list[DrawnLine] = []
        self.widths: tuple[dict[int, float], float] | None = None
        self.size = self.leading = 0.0
        self.tm = self.tlm = _IDENTITY
        self.marked: list[str | None] = []  # the open marked-content sequences: their ActualText, if any
        self.span: list[tuple[float, float, float, float]] = []  # the open span's glyphs: x0, x1, y, size

    def run(self, xobject: DictionaryObject, ctm: Matrix) -> list[DrawnLine]:
        resources = xobject.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        stack: list[tuple[Matrix, tuple[dict[int, float], float] | None, float]] = []
        for operands, operator in ContentStream(xobject, self.reader).operations:
            if operator == b"q":
                stack.append((ctm, self.widths, self.size))
            elif operator == b"Q":
                ctm, self.widths, self.size = stack.pop()
            elif operator == b"cm":
                ctm = _times(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
            elif operator == b"Tf":
                self.widths = _cid_widths(resources["/Font"][operands[0]].get_object())
                self.size = float(operands[1])
            elif operator == b"Do":
                sub = resources["/XObject"][operands[0]].get_object()
                self.run(sub, _form_matrix(sub, ctm))
            elif operator in (b"Tj", b"TJ"):
                for item in operands[0] if operator == b"TJ" else operands:
                    self._show(item, ctm)
            elif operator in (b"BMC", b"BDC", b"EMC"):
                self._marked_content(operator, operands)
            else:
                self._position(operator, operands)
        return self.lines

    def _position(self, operator: bytes, operands: list[Any]) -> None:
        if operator == b"BT":
            self.tm = self.tlm = _IDENTITY
        elif operator == b"TL":
            self.leading = float(operands[0])
        elif operator in (b"Td", b"TD"):
            self.tm = self.tlm = _times(_translate(float(operands[0]), float(operands[1])), self.tlm)
            if operator == b"TD":
                self.leading = -float(operands[1])
        elif operator == b"T*":
            self.tm = self.tlm = _times(_translate(0, -self.leading), self.tlm)
        elif operator == b"Tm":
            self.tm = self.tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]

    def _show(self, item: Any, ctm: Matrix) -> None:
        if isinstance(item, (NumberObject, FloatObject)):  # a TJ adjustment
            self.tm = _times(_translate(-float(item) / 1000 * self.size, 0), self.tm)
            return
        assert self.widths is not None, "text before Tf"
        widths, default = self.widths
        data = item.original_bytes  # Identity-H: two bytes per character id
        for at in range(0, len(data), 2):
            advance = widths.get(int.from_bytes(data[at : at + 2], "big"), default) / 1000 * self.size
            after = _times(_translate(advance, 0), self.tm)
            if advance:
                start = _times(self.tm, ctm)
                self.span.append((start[4], _times(after, ctm)[4], start[5], self.size * start[0]))
            self.tm = after

    def _marked_content(self, operator: bytes, operands: list[Any]) -> None:
        if operator == b"BMC":
            self.marked.append(None)
        elif operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            text = properties.get("/ActualText") if isinstance(properties, DictionaryObject) else None
            self.marked.append(None if text is None else str(text))
            self.span = []
        else:
            text = self.marked.pop()
            if text is None:
                return
            sizes = {round(glyph[3], 3) for glyph in self.span}
            assert len(sizes) == 1, sizes
            self.lines.append(
                DrawnLine(
                    text=text,
                    left=min(glyph[0] for glyph in self.span),
                    right=max(glyph[1] for glyph in self.span),
                    baseline=self.span[0][2],
                    size=sizes.pop(),
                )
            )
