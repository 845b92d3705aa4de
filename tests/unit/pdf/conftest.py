"""Small input PDFs made in the tests themselves, and helpers to read what the PDF toolkit wrote."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pypdf
import pytest
from fpdf import FPDF

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def make_pdf(
    *, pages: int = 1, rotate: int = 0, cropbox: tuple[float, float, float, float] | None = None
) -> bytes:
    """An A4 portrait letter with a line of text per page, optionally rotated or cropped (pypdf)."""
    doc = FPDF(format="A4")
    doc.set_font("helvetica", size=12)
    for number in range(pages):
        doc.add_page()
        doc.cell(text=f"Original letter, page {number + 1}")
    data = bytes(doc.output())
    if not rotate and cropbox is None:
        return data
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    if rotate:
        writer.pages[0].rotate(rotate)
    if cropbox is not None:
        writer.pages[0].cropbox = pypdf.generic.RectangleObject(cropbox)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def letter_pdf() -> Callable[..., bytes]:
    return make_pdf


def squash(text: str) -> str:
    """Text without whitespace: wrapped cells extract with line breaks where the layout broke them."""
    return re.sub(r"\s+", "", text)


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix that applies ``first`` and then ``then`` (PDF row-vector convention)."""
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


def xobject_placements(page: pypdf.PageObject) -> dict[str, Matrix]:
    """The current transformation matrix at each ``Do`` in the page's content, by XObject name."""
    content = page.get_contents()
    assert content is not None
    ctm, stack = IDENTITY, []
    found: dict[str, Matrix] = {}
    for operands, operator in content.operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif operator == b"Do":
            found[str(operands[0])] = ctm
    return found
