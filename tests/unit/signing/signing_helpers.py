"""Helpers for the signing tests: test PDFs and reading back what a signature field shows."""

from __future__ import annotations

from io import BytesIO

from fpdf import FPDF
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject


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
