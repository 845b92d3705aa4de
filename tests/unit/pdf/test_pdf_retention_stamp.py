"""The retention stamp (ตรากำหนดเก็บ) at the bottom right of page 1: added as one incremental update,
the page's content untouched, the letter's signature still valid; "ห้ามทำลาย" in red."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pypdf
from chalicelib.pdf.retention_stamp import stamp_retention
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.validation import validate_pdf
from PIL import Image

from tests.unit.pdf.test_pdf_receipt_stamp import Pki, _signed, pki

__all__ = ["pki"]  # the signing fixture, shared with the receipt stamp's tests


def test_a_signed_letter_stamped_for_storage_still_validates(pki: Pki, tmp_path: Path) -> None:
    signed = _signed(pki, PadesLevel.B_T)
    stamped = stamp_retention(signed, "เก็บถึง พ.ศ. 2579", forever=False)
    assert stamped.startswith(signed)  # one incremental update
    before = pypdf.PdfReader(io.BytesIO(signed)).pages[0]
    page = pypdf.PdfReader(io.BytesIO(stamped)).pages[0]
    assert page.get_contents().get_data() == before.get_contents().get_data()
    widget = next(a.get_object() for a in page["/Annots"] if a.get_object().get("/T") == "RetentionStamp")
    assert str(widget["/TU"]) == "ตรากำหนดเก็บ เก็บถึง พ.ศ. 2579" and widget["/Ff"] == 1
    _, bottom, right, top = (float(v) for v in widget["/Rect"])
    width = float(page.mediabox.width)
    assert right > width * 0.75 and bottom < 40 and top < 80  # the bottom right of the page
    report = validate_pdf(stamped, pki.trust_roots)
    signature = next(s for s in report.signatures if s.kind == "signature")
    assert signature.intact and signature.valid and signature.modification_level == "FORM_FILLING"
    assert signature.bottom_line, signature.summary


def test_kept_forever_is_stamped_in_red(pki: Pki, tmp_path: Path) -> None:
    stamped = stamp_retention(_signed(pki, PadesLevel.B_T), "ห้ามทำลาย", forever=True)
    pdf = tmp_path / "forever.pdf"
    pdf.write_bytes(stamped)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    picture = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    width, height = picture.size
    corner = picture.crop((int(width * 0.6), int(height * 0.85), width, height))
    reds = sum(1 for r, g, b in corner.get_flattened_data() if r > 150 and g < 90 and b < 90)
    assert reds > 50  # the stamp's red ink is there, at the bottom right
