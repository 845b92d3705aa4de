"""The receipt stamp: a read-only signature-field widget at the top right of page 1, added as one
incremental update that keeps the sender's signature valid, in Thai that extracts back."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
from asn1crypto import x509 as asn1_x509
from chalicelib.pdf.endorsement import EndorsementBlock, endorse_pdf
from chalicelib.pdf.letters import LetterContent, Signatory, render_letter
from chalicelib.pdf.receipt_stamp import (
    PAGE_MARGIN,
    STAMP_MIN_HEIGHT,
    STAMP_WIDTH,
    PdfStampError,
    ReceiptStamp,
    StampNotAllowed,
    receipt_page,
    stamp_receipt,
)
from chalicelib.signing.appearance import SignatureBlock
from chalicelib.signing.key_signer import InMemoryKeySigner
from chalicelib.signing.pades import PadesSigningService
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.validation import validate_pdf
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from devstack.pki import DEMO_AGENCIES, SignerKey, start_pki_server
from tests.unit.pdf.conftest import make_pdf, squash

BANGKOK = ZoneInfo("Asia/Bangkok")
STAMP = ReceiptStamp(
    agency_name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1",
    number=136,
    received_at=datetime(2026, 11, 21, 9, 5, tzinfo=UTC),  # 16.05 in Bangkok
)
STAMP_LINES = ["เลขรับ 136", "วันที่ 21 พ.ย. 2569", "เวลา 16.05 น."]
Rect = tuple[float, float, float, float]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="pdftotext/pdftoppm (Debian poppler-utils) are not installed",
)


def _letter() -> bytes:
    """A one-page external letter from the project's renderer, with the empty field Sig1 reserved."""
    content = LetterContent(
        form="external",
        agency_name="กรมการปกครอง",
        agency_address=("ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200"),
        owning_unit="กองกลาง",
        contact_lines=("โทร 0 2222 1141",),
        reference="มท 0301/123",
        date=date(2026, 11, 20),
        subject="ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์",
        salutation_to="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1",
        body=(
            "ด้วยกรมการปกครองจะจัดประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์ ในวันที่ 5 ธันวาคม 2569 "
            "เวลา 09.30 น. จึงขอเชิญผู้แทนของหน่วยงานท่านเข้าร่วมประชุม",
            "จึงเรียนมาเพื่อโปรดพิจารณา",
        ),
        signatory=Signatory("นายสมชาย ใจดี", "อธิบดีกรมการปกครอง"),
    )
    letter = render_letter(content)
    assert letter.pages == 1
    return letter.pdf


LETTER = _letter()


# -- reading the result back -----------------------------------------------------------------------


@dataclass
class Widget:
    name: str
    rect: Rect  # user space
    annot: pypdf.generic.DictionaryObject
    text: str  # what the appearance stream extracts to (pypdf)


def _normalise(values: object) -> Rect:
    x0, y0, x1, y1 = (float(v) for v in values)  # type: ignore[attr-defined]
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def stamp_widgets(pdf: bytes, index: int = 0) -> list[Widget]:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[index]
    found = []
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        if not str(annot.get("/T", "")).startswith("ReceiptStamp"):
            continue
        appearance = annot["/AP"]["/N"].get_object()
        found.append(
            Widget(str(annot["/T"]), _normalise(annot["/Rect"]), annot, page.extract_xform_text(appearance))
        )
    return found


def stamp_lines(pdf: bytes) -> list[str]:
    (widget,) = stamp_widgets(pdf)
    return widget.text.split("\n")


def poppler_words(pdf: bytes) -> list[tuple[str, Rect]]:
    """Words of page 1 with their boxes in the page AS DISPLAYED (poppler applies /Rotate; y down)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        (text, (float(x0), float(y0), float(x1), float(y1)))
        for x0, y0, x1, y1, text in re.findall(pattern, out)
    ]


def appearance_runs(
    annot: pypdf.generic.DictionaryObject, reader: pypdf.PdfReader
) -> list[tuple[str, float]]:
    """(ActualText, x of its Tm) for each text run of the stamp's appearance, in drawing order."""
    runs: list[tuple[str, float]] = []
    x = 0.0
    stream = annot["/AP"]["/N"].get_object()
    for operands, operator in pypdf.generic.ContentStream(stream, reader).operations:
        if operator == b"Tm":
            x = float(operands[4])
        elif operator == b"BDC" and len(operands) > 1 and hasattr(operands[1], "get"):
            runs.append((str(operands[1]["/ActualText"]), x))
    return runs


def render(pdf: bytes, path: Path, dpi: int) -> Image.Image:
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", str(dpi), "-png", "-singlefile", "-", str(path)],
        input=pdf,
        check=True,
    )
    return Image.open(f"{path}.png").convert("RGB")


def ink(picture: Image.Image, rect: Rect, dpi: int, page_height: float) -> tuple[int, int]:
    """(dark, blue) pixel counts inside a user-space rectangle of an unrotated page."""
    scale = dpi / 72
    x0, y0, x1, y1 = rect
    crop = picture.crop(
        (
            round(x0 * scale),
            round((page_height - y1) * scale),
            round(x1 * scale),
            round((page_height - y0) * scale),
        )
    )
    data = crop.tobytes()
    pixels = [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]
    dark = sum(1 for r, g, b in pixels if min(r, g, b) < 200)
    blue = sum(1 for r, g, b in pixels if b > r + 40 and b > g + 20)
    return dark, blue


# -- the test PKI ----------------------------------------------------------------------------------


@dataclass
class Pki:
    trust_roots: list[asn1_x509.Certificate]
    signer: InMemoryKeySigner
    service: PadesSigningService


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    cache = Path(os.environ.get("EOFFICE_PKI_CACHE") or tmp_path_factory.mktemp("pki-keys"))
    signer_key = SignerKey("moi-0301-chief", "moi-0301", "นายสมชาย ใจดี", spki)
    with start_pki_server(DEMO_AGENCIES, [signer_key], port=0, cache_dir=cache) as server:
        root = server.pki
        signer = InMemoryKeySigner(
            key, root.signer_cert("moi-0301-chief"), root.signer_chain("moi-0301-chief")
        )
        with PadesSigningService(trust_roots=root.trust_roots, tsa_url=root.tsa_url) as service:
            yield Pki(list(root.trust_roots), signer, service)


def _signed(pki: Pki, level: PadesLevel) -> bytes:
    block = SignatureBlock("นายสมชาย ใจดี", "อธิบดีกรมการปกครอง")
    return pki.service.sign(LETTER, pki.signer, level=level, field="Sig1", block=block).pdf


def _certified(pki: Pki, permission: fields.MDPPerm) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(LETTER))
    meta = signers.PdfSignatureMetadata(field_name="Sig1", certify=True, docmdp_permissions=permission)
    return bytes(signers.PdfSigner(meta, pki.signer).sign_pdf(writer, existing_fields_only=True).getvalue())


# -- 1. an incremental update that leaves the page content alone -----------------------------------


def test_the_original_file_is_an_exact_prefix_and_the_page_content_is_untouched() -> None:
    original = make_pdf(pages=2)
    stamped = stamp_receipt(original, STAMP)
    assert stamped.startswith(original)
    assert len(stamped) > len(original)
    before = pypdf.PdfReader(io.BytesIO(original))
    after = pypdf.PdfReader(io.BytesIO(stamped))
    assert len(after.pages) == 2
    for old, new in zip(before.pages, after.pages, strict=True):
        assert new.get_contents().get_data() == old.get_contents().get_data()
        assert new.raw_get("/Contents").idnum == old.raw_get("/Contents").idnum
    assert not stamp_widgets(stamped, 1)  # only page 1 is stamped
    (widget,) = stamp_widgets(stamped)
    assert widget.name == "ReceiptStamp"
    annot = widget.annot
    assert annot["/Subtype"] == "/Widget" and annot["/FT"] == "/Sig"  # an unsigned signature field
    assert annot["/Ff"] == 1 and int(annot["/F"]) & 4  # read-only, printed
    assert "/V" not in annot
    assert "เลขรับ 136" in str(annot["/TU"])
    fonts = annot["/AP"]["/N"]["/Resources"]["/Font"]
    assert all("Laksaman" in str(font.get_object()["/BaseFont"]) for font in fonts.values())
    names = [str(f.get_object()["/T"]) for f in after.trailer["/Root"]["/AcroForm"]["/Fields"]]
    assert names == ["ReceiptStamp"]


def test_the_stamp_text_extracts_back_as_written() -> None:
    lines = stamp_lines(stamp_receipt(LETTER, STAMP))
    assert squash("".join(lines[:-3])) == squash(STAMP.agency_name)  # the name, on one or two lines
    assert lines[-3:] == STAMP_LINES  # Buddhist year, Bangkok date and time


def test_thai_numerals_and_the_bangkok_date_at_midnight() -> None:
    stamp = ReceiptStamp(
        "โรงเรียนบ้านหนองบัว", 7, datetime(2025, 12, 31, 17, 30, tzinfo=UTC), thai_numerals=True
    )
    assert stamp_lines(stamp_receipt(make_pdf(), stamp)) == [
        "โรงเรียนบ้านหนองบัว",
        "เลขรับ ๗",
        "วันที่ ๑ ม.ค. ๒๕๖๙",  # 00.30 on 1 January 2026 in Bangkok: the new year
        "เวลา ๐๐.๓๐ น.",
    ]


@pytest.mark.parametrize("number", [7, 136, 12345])
def test_the_three_values_start_at_the_same_x(number: int) -> None:
    stamp = ReceiptStamp(STAMP.agency_name, number, STAMP.received_at)
    stamped = stamp_receipt(LETTER, stamp)
    (widget,) = stamp_widgets(stamped)
    runs = dict(appearance_runs(widget.annot, pypdf.PdfReader(io.BytesIO(stamped))))
    values = [runs[str(number)], runs["21 พ.ย. 2569"], runs["16.05 น."]]
    labels = [runs["เลขรับ"], runs["วันที่"], runs["เวลา"]]
    assert values[0] == values[1] == values[2]
    assert labels[0] == labels[1] == labels[2] < values[0]


@needs_poppler
def test_poppler_reads_the_stamp_with_the_values_aligned() -> None:
    words = poppler_words(stamp_receipt(LETTER, STAMP))
    found = {text: box for text, box in words}
    # poppler takes each run's /ActualText as one word: "21 พ.ย. 2569", "16.05 น."
    for label, value in (("เลขรับ", "136"), ("วันที่", "21 พ.ย. 2569"), ("เวลา", "16.05 น.")):
        assert found[label][3] == pytest.approx(found[value][3], abs=0.5)  # one baseline
        assert found[label][2] < found[value][0]
    assert found["136"][0] == pytest.approx(found["21 พ.ย. 2569"][0], abs=0.3)
    assert found["136"][0] == pytest.approx(found["16.05 น."][0], abs=0.3)
    assert found["136"][1] < found["21 พ.ย. 2569"][1] < found["16.05 น."][1]  # top to bottom
    assert any(text == "กรมการปกครอง" for text, _ in words)  # the letter's own text is still there


# -- 2. where the stamp goes -----------------------------------------------------------------------


def _displayed(rect: Rect, rotate: int, width: float, height: float) -> Rect:
    """A user-space rectangle in the page as displayed (origin top left, y down) for a page of this
    MediaBox size at (0, 0) turned clockwise by ``rotate``."""
    corners = []
    for x in (rect[0], rect[2]):
        for y in (rect[1], rect[3]):
            top_down = (x, height - y)
            corners.append(
                {
                    0: top_down,
                    90: (height - top_down[1], top_down[0]),
                    180: (width - top_down[0], height - top_down[1]),
                    270: (top_down[1], width - top_down[0]),
                }[rotate]
            )
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_the_stamp_sits_upright_at_the_top_right_of_the_page_as_displayed(rotate: int) -> None:
    stamped = stamp_receipt(make_pdf(rotate=rotate), STAMP)
    page = pypdf.PdfReader(io.BytesIO(stamped)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    shown_w, shown_h = (height, width) if rotate in (90, 270) else (width, height)
    (widget,) = stamp_widgets(stamped)
    left, top, right, bottom = _displayed(widget.rect, rotate, width, height)
    assert shown_w - right == pytest.approx(PAGE_MARGIN, abs=0.5)
    assert top == pytest.approx(PAGE_MARGIN, abs=0.5)
    assert right - left == pytest.approx(STAMP_WIDTH, abs=0.5)
    assert bottom - top >= STAMP_MIN_HEIGHT - 0.5
    assert left > shown_w / 2 and bottom < shown_h / 4
    if shutil.which("pdftotext") is None:
        return
    # poppler, not our arithmetic: the stamp's words are where the widget is, upright and in order
    found = {text: box for text, box in poppler_words(stamped)}
    number, when = found["136"], found["16.05 น."]
    for box in (number, when):  # poppler's word boxes are the font's, taller than the ink: centres
        assert left < box[0] < box[2] < right and top < (box[1] + box[3]) / 2 < bottom
    assert number[1] < when[1] and number[2] - number[0] > 10 and number[3] - number[1] < 30


def test_the_stamp_respects_the_crop_box() -> None:
    crop = (40.0, 60.0, 500.0, 780.0)
    (widget,) = stamp_widgets(stamp_receipt(make_pdf(cropbox=crop), STAMP))
    left, bottom, right, top = widget.rect
    assert crop[2] - right == pytest.approx(PAGE_MARGIN, abs=0.5)
    assert crop[3] - top == pytest.approx(PAGE_MARGIN, abs=0.5)
    assert left >= crop[0] and bottom >= crop[1]


def test_a_long_agency_name_grows_the_box_but_stays_within_the_page() -> None:
    stamp = ReceiptStamp("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน กระทรวงศึกษาธิการ " * 3, 1, STAMP.received_at)
    stamped = stamp_receipt(make_pdf(), stamp)
    (widget,) = stamp_widgets(stamped)
    left, bottom, right, top = widget.rect
    assert top - bottom > STAMP_MIN_HEIGHT
    assert right - left == pytest.approx(STAMP_WIDTH, abs=0.5)
    assert bottom > 0
    assert squash(stamp.agency_name) in squash(widget.text)


def test_a_second_stamp_gets_its_own_field() -> None:
    twice = stamp_receipt(stamp_receipt(make_pdf(), STAMP), ReceiptStamp("กองกลาง", 9, STAMP.received_at))
    assert [w.name for w in stamp_widgets(twice)] == ["ReceiptStamp", "ReceiptStamp2"]


# -- 3. signatures stay valid ----------------------------------------------------------------------


@pytest.mark.parametrize("level", [PadesLevel.B_T, PadesLevel.B_LTA])
def test_a_signed_letter_still_validates_after_the_stamp(pki: Pki, level: PadesLevel) -> None:
    signed = _signed(pki, level)
    stamped = stamp_receipt(signed, STAMP)
    assert stamped.startswith(signed)

    report = validate_pdf(stamped, pki.trust_roots)
    signature = next(s for s in report.signatures if s.kind == "signature")
    assert signature.intact and signature.valid and signature.trusted, signature.summary
    assert signature.pades_level == level.value
    assert signature.modified_after_signing and signature.coverage == "ENTIRE_REVISION"
    assert signature.modification_level == "FORM_FILLING"  # a permitted later change, not OTHER
    assert signature.modifications_permitted is True
    assert signature.bottom_line, signature.summary
    assert report.all_valid  # the B-LTA document timestamp too
    assert all(s.bottom_line for s in report.signatures), [s.summary for s in report.signatures]
    if level is PadesLevel.B_LTA:
        timestamp = next(s for s in report.signatures if s.kind == "document_timestamp")
        assert timestamp.modification_level == "FORM_FILLING" and timestamp.intact

    assert stamp_lines(stamped)[-3:] == STAMP_LINES
    (widget,) = stamp_widgets(stamped)
    sig_rect = next(
        _normalise(a.get_object()["/Rect"])
        for a in pypdf.PdfReader(io.BytesIO(stamped)).pages[0]["/Annots"]
        if a.get_object().get("/T") == "Sig1"
    )
    assert widget.rect[2] <= sig_rect[0] or widget.rect[1] >= sig_rect[3]  # not on the signature


def test_a_stamped_signed_letter_can_still_be_endorsed(pki: Pki) -> None:
    stamped = stamp_receipt(_signed(pki, PadesLevel.B_T), STAMP)
    block = EndorsementBlock(
        "เรียน ผอ.สพป.นนทบุรี เขต 1\nเพื่อโปรดทราบ",
        None,
        None,
        "นางสาวสมศรี มีสุข",
        "เจ้าพนักงานธุรการ",
        STAMP.received_at,
    )
    endorsed = endorse_pdf(stamped, [block])
    report = validate_pdf(endorsed, pki.trust_roots)
    assert all(s.bottom_line for s in report.signatures), [s.summary for s in report.signatures]
    (widget,) = stamp_widgets(endorsed)
    reader = pypdf.PdfReader(io.BytesIO(endorsed))
    endorsement = next(
        _normalise(a.get_object()["/Rect"])
        for a in reader.pages[0]["/Annots"]
        if a.get_object()["/T"] == "Endorsement1"
    )
    a, b = widget.rect, endorsement
    assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])  # the block avoids the stamp


def test_an_earlier_self_signed_signature_stays_intact() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
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
    assert status.modification_level is not None and status.modification_level.name == "FORM_FILLING"
    assert stamp_lines(stamped)[-3:] == STAMP_LINES


# -- 4. certification and field locks --------------------------------------------------------------


@pytest.mark.parametrize(
    "permission", [fields.MDPPerm.NO_CHANGES, fields.MDPPerm.FILL_FORMS, fields.MDPPerm.ANNOTATE]
)
def test_a_certified_letter_is_not_stamped(pki: Pki, permission: fields.MDPPerm) -> None:
    certified = _certified(pki, permission)
    with pytest.raises(StampNotAllowed, match=f"DocMDP P={permission.value}") as raised:
        stamp_receipt(certified, STAMP)
    assert raised.value.permission == permission.value
    assert isinstance(raised.value, PdfStampError)


def test_a_field_lock_that_covers_new_fields_is_respected(pki: Pki) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(LETTER))
    lock = fields.FieldMDPSpec(fields.FieldMDPAction.ALL)
    spec = fields.SigFieldSpec("Locked", box=(40, 40, 200, 100), field_mdp_spec=lock)
    meta = signers.PdfSignatureMetadata(field_name="Locked")
    locked = signers.PdfSigner(meta, pki.signer, new_field_spec=spec).sign_pdf(writer).getvalue()
    with pytest.raises(StampNotAllowed, match="FieldMDP") as raised:
        stamp_receipt(locked, STAMP)
    assert raised.value.permission is None


def test_the_separate_receipt_page_shows_the_stamp() -> None:
    about = "หนังสือที่ มท 0301/123 ลงวันที่ 20 พฤศจิกายน 2569 เรื่อง ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบ"
    page = receipt_page(STAMP, about=about)
    reader = pypdf.PdfReader(io.BytesIO(page))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    lines = reader.pages[0].extract_text().split("\n")
    for expected in STAMP_LINES:
        assert expected in lines
    text = squash(reader.pages[0].extract_text())
    assert squash(STAMP.agency_name) in text and "ตรารับหนังสือ" in text and squash(about) in text
    assert receipt_page(STAMP).startswith(b"%PDF-")


def test_a_very_long_about_still_gives_one_page() -> None:
    page = receipt_page(STAMP, about="หนังสือที่ มท 0301/123 เรื่อง ขอเชิญประชุม " * 400)
    reader = pypdf.PdfReader(io.BytesIO(page))
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().rstrip().endswith("…")


# -- 5. what is printed ----------------------------------------------------------------------------


@needs_poppler
def test_the_rendered_page_shows_the_blue_stamp_in_the_top_right_corner(tmp_path: Path) -> None:
    dpi = 100
    stamped = stamp_receipt(LETTER, STAMP)
    height = float(pypdf.PdfReader(io.BytesIO(LETTER)).pages[0].mediabox.height)
    (widget,) = stamp_widgets(stamped)
    inner = (widget.rect[0] + 3, widget.rect[1] + 3, widget.rect[2] - 3, widget.rect[3] - 3)
    before = ink(render(LETTER, tmp_path / "before", dpi), inner, dpi, height)
    after = ink(render(stamped, tmp_path / "after", dpi), inner, dpi, height)
    assert after[1] > before[1] + 500  # the blue text of the stamp


@needs_poppler
def test_the_receipt_page_renders(tmp_path: Path) -> None:
    picture = render(receipt_page(STAMP, about="หนังสือที่ มท 0301/123"), tmp_path / "page", 72)
    width, height = picture.size
    top_right = ink(picture, (width / 2, height * 0.8, width, height), 72, height)
    bottom = ink(picture, (0, 0, width, height / 2), 72, height)
    assert top_right[1] > 200 and bottom == (0, 0)


# -- 6. bad input ----------------------------------------------------------------------------------


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
    assert stamp_lines(stamped)[-3:] == STAMP_LINES


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


def test_the_errors_are_value_errors() -> None:
    assert issubclass(PdfStampError, ValueError)
    assert issubclass(StampNotAllowed, PdfStampError)


def test_the_stamp_needs_an_aware_time_and_a_real_number() -> None:
    with pytest.raises(ValueError):
        ReceiptStamp("หน่วยงาน", 1, datetime(2026, 1, 1, 9, 0))
    with pytest.raises(ValueError):
        ReceiptStamp("หน่วยงาน", 0, datetime(2026, 1, 1, 9, 0, tzinfo=BANGKOK))
    with pytest.raises(ValueError):
        ReceiptStamp("  ", 1, datetime(2026, 1, 1, 9, 0, tzinfo=BANGKOK))
