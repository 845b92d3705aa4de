"""The receipt stamp: an incremental update at the top right of page 1, in Thai that extracts back."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
from chalicelib.pdf.receipt_stamp import (
    PAGE_MARGIN,
    STAMP_MIN_HEIGHT,
    STAMP_WIDTH,
    PdfStampError,
    ReceiptStamp,
    stamp_receipt,
)

from tests.unit.pdf.conftest import Matrix, make_pdf, multiply, squash, xobject_placements

BANGKOK = ZoneInfo("Asia/Bangkok")
STAMP = ReceiptStamp(
    agency_name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1",
    number=136,
    received_at=datetime(2026, 11, 21, 9, 5, tzinfo=UTC),  # 16.05 in Bangkok
)


def _page_text(data: bytes, index: int = 0) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[index].extract_text()


def test_the_original_file_is_an_exact_prefix_of_the_stamped_one() -> None:
    original = make_pdf(pages=2)
    stamped = stamp_receipt(original, STAMP)
    assert stamped.startswith(original)
    assert len(stamped) > len(original)
    reader = pypdf.PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == 2
    assert "เลขรับ" not in reader.pages[1].extract_text()  # only page 1 is stamped


def test_the_stamp_text_extracts_back_as_written() -> None:
    text = _page_text(stamp_receipt(make_pdf(), STAMP))
    assert "Original letter, page 1" in text  # the letter's own text is untouched
    assert "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1" in text.replace("\n", "")
    lines = text.split("\n")
    assert "เลขรับ 136" in lines
    assert "วันที่ 21 พ.ย. 2569" in lines  # Buddhist year, Bangkok date
    assert "เวลา 16.05 น." in lines


def test_thai_numerals_and_the_bangkok_date_at_midnight() -> None:
    stamp = ReceiptStamp(
        "โรงเรียนบ้านหนองบัว", 7, datetime(2025, 12, 31, 17, 30, tzinfo=UTC), thai_numerals=True
    )
    lines = _page_text(stamp_receipt(make_pdf(), stamp)).split("\n")
    assert "โรงเรียนบ้านหนองบัว" in lines
    assert "เลขรับ ๗" in lines
    assert "วันที่ ๑ ม.ค. ๒๕๖๙" in lines  # 00.30 on 1 January 2026 in Bangkok: the new year
    assert "เวลา ๐๐.๓๐ น." in lines


def _stamp_corners_on_screen(
    stamped: bytes,
) -> tuple[tuple[float, float, float, float], Matrix, pypdf.PageObject]:
    """The stamp's box and text direction in the page as displayed.

    pypdf (not our code) turns the page's /Rotate into a content transformation first, so what is
    measured is independent of the toolkit's own rotation arithmetic.
    """
    page = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(stamped))).pages[0]
    page.transfer_rotation_to_content()
    placements = {name: m for name, m in xobject_placements(page).items() if name.startswith("/ReceiptStamp")}
    assert len(placements) == 1
    ((name, ctm),) = placements.items()
    form = page["/Resources"]["/XObject"][name].get_object()
    x0, y0, x1, y1 = (float(v) for v in form["/BBox"])
    points = [multiply((1, 0, 0, 1, x, y), ctm)[4:] for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys)), ctm, page


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_the_stamp_sits_upright_at_the_top_right_of_the_page_as_displayed(rotate: int) -> None:
    stamped = stamp_receipt(make_pdf(rotate=rotate), STAMP)
    (left, bottom, right, top), ctm, page = _stamp_corners_on_screen(stamped)
    box = page.cropbox
    page_left, page_bottom = float(box.left), float(box.bottom)
    page_right, page_top = float(box.right), float(box.top)
    assert ctm[0] == pytest.approx(1) and ctm[3] == pytest.approx(1)  # upright, not mirrored or turned
    assert ctm[1] == pytest.approx(0) and ctm[2] == pytest.approx(0)
    assert page_right - right == pytest.approx(PAGE_MARGIN, abs=0.5)
    assert page_top - top == pytest.approx(PAGE_MARGIN, abs=0.5)
    assert right - left == pytest.approx(STAMP_WIDTH, abs=0.5)
    assert top - bottom >= STAMP_MIN_HEIGHT - 0.5
    assert left > (page_left + page_right) / 2 and bottom > page_bottom + 0.75 * (page_top - page_bottom)


def test_the_stamp_respects_the_crop_box() -> None:
    crop = (40.0, 60.0, 500.0, 780.0)
    stamped = stamp_receipt(make_pdf(cropbox=crop), STAMP)
    (left, bottom, right, top), _, _ = _stamp_corners_on_screen(stamped)
    assert crop[2] - right == pytest.approx(PAGE_MARGIN, abs=0.5)
    assert crop[3] - top == pytest.approx(PAGE_MARGIN, abs=0.5)
    assert left >= crop[0] and bottom >= crop[1]


def test_a_long_agency_name_grows_the_box_but_stays_within_the_page() -> None:
    stamp = ReceiptStamp("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน กระทรวงศึกษาธิการ " * 3, 1, STAMP.received_at)
    stamped = stamp_receipt(make_pdf(), stamp)
    (left, bottom, right, top), _, _ = _stamp_corners_on_screen(stamped)
    assert top - bottom > STAMP_MIN_HEIGHT
    assert right - left == pytest.approx(STAMP_WIDTH, abs=0.5)
    assert squash(stamp.agency_name) in squash(_page_text(stamped))


def test_an_earlier_signature_stays_intact() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ผู้ลงนามทดสอบ")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (signing_cert,) = load_certs_from_pemder_data(cert.public_bytes(serialization.Encoding.PEM))
    signing_key = load_private_key_from_pemder_data(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        passphrase=None,
    )
    signer = signers.SimpleSigner(signing_cert=signing_cert, signing_key=signing_key, cert_registry=None)
    signed = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(make_pdf())),
        signers.PdfSignatureMetadata(field_name="Sender"),
        signer=signer,
    ).getvalue()

    stamped = stamp_receipt(signed, STAMP)

    assert stamped.startswith(signed)
    signature = PdfFileReader(io.BytesIO(stamped)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[signing_cert]))
    assert status.intact and status.valid
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION  # signed revision, then our update
    assert "เลขรับ 136" in _page_text(stamped).split("\n")


@pytest.mark.parametrize(
    "data",
    [b"", b"not a pdf at all", b"%PDF-1.7\n%garbage without objects\n%%EOF", make_pdf()[:400]],
    ids=["empty", "text", "header-only", "truncated"],
)
def test_unreadable_input_is_refused_with_a_clear_error(data: bytes) -> None:
    with pytest.raises(PdfStampError):
        stamp_receipt(data, STAMP)


def test_a_blank_page_without_content_or_resources_is_stamped() -> None:
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(595, 842)
    del page[pypdf.generic.NameObject("/Resources")]
    out = io.BytesIO()
    writer.write(out)
    assert "/Contents" not in pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0]
    stamped = stamp_receipt(out.getvalue(), STAMP)
    assert stamped.startswith(out.getvalue())
    assert "เลขรับ 136" in _page_text(stamped).split("\n")


def test_a_pdf_without_pages_is_refused() -> None:
    out = io.BytesIO()
    pypdf.PdfWriter().write(out)
    with pytest.raises(PdfStampError, match="page 1"):
        stamp_receipt(out.getvalue(), STAMP)


def test_an_encrypted_pdf_is_refused() -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="", owner_password="owner")  # opens without a password, still encrypted
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PdfStampError, match="encrypted"):
        stamp_receipt(out.getvalue(), STAMP)


def test_pdf_stamp_error_is_a_value_error() -> None:
    assert issubclass(PdfStampError, ValueError)


def test_the_stamp_needs_an_aware_time_and_a_real_number() -> None:
    with pytest.raises(ValueError):
        ReceiptStamp("หน่วยงาน", 1, datetime(2026, 1, 1, 9, 0))
    with pytest.raises(ValueError):
        ReceiptStamp("หน่วยงาน", 0, datetime(2026, 1, 1, 9, 0, tzinfo=BANGKOK))
    with pytest.raises(ValueError):
        ReceiptStamp("  ", 1, datetime(2026, 1, 1, 9, 0, tzinfo=BANGKOK))
