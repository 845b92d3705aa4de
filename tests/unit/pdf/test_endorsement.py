"""เกษียนหนังสือ: endorsement blocks on a copy of a letter, as one incremental update that keeps every
earlier signature valid (checked with the project's own validator and a real test PKI)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from asn1crypto import x509
from chalicelib.pdf.endorsement import (
    MM,
    WIDTHS,
    EndorsementBlock,
    EndorsementNotAllowed,
    NoRoomForEndorsement,
    endorse_pdf,
    endorsement_page,
    layout_block,
)
from chalicelib.pdf.letters import LetterContent, Signatory, render_letter
from chalicelib.pdf.receipt_stamp import PdfStampError
from chalicelib.pdf.thai_text import BOLD_FONT, REGULAR_FONT, text_width
from chalicelib.signing.appearance import SignatureBlock
from chalicelib.signing.key_signer import InMemoryKeySigner
from chalicelib.signing.pades import NewField, PadesSigningService
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.validation import validate_pdf
from chalicelib.thai import thai_date_short
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fpdf import FPDF
from PIL import Image, ImageDraw
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import fields, signers

from devstack.pki import DEMO_AGENCIES, SignerKey, start_pki_server
from tests.unit.pdf.conftest import make_pdf, multiply, squash

Rect = tuple[float, float, float, float]

SARABAN = EndorsementBlock(
    note="เรียน ผอ.กองกลาง\nเพื่อโปรดทราบและพิจารณา",
    decision=None,
    addressed_to=None,
    name="นางสาวสมศรี มีสุข",
    position="เจ้าพนักงานธุรการชำนาญงาน",
    at=datetime(2026, 11, 22, 2, 15, tzinfo=UTC),  # 09.15 in Bangkok
)
DIRECTOR = EndorsementBlock(
    note="",
    decision="ทราบ ดำเนินการ",
    addressed_to="มอบ กองแผนงาน",
    name="นายสมชาย ใจดี",
    position="ผู้อำนวยการกองกลาง",
    at=datetime(2026, 11, 22, 17, 30, tzinfo=UTC),  # 00.30 on 23 November in Bangkok
)
LONG_NOTE = (
    "เรียน ผอ.กองกลาง เพื่อโปรดทราบและพิจารณา กรมการปกครองขอเชิญผู้แทนเข้าร่วมประชุมชี้แจงแนวทาง"
    "การใช้งานระบบสารบรรณอิเล็กทรอนิกส์ในวันที่ 5 ธันวาคม 2569 เห็นควรมอบกองแผนงานพิจารณาดำเนินการ"
)


def _letter() -> bytes:
    """A one-page external letter from the project's renderer, with the empty field Sig1 reserved."""
    content = LetterContent(
        form="external",
        agency_name="กรมการปกครอง",
        agency_address=("ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200"),
        owning_unit="กองกลาง",
        contact_lines=("โทร 0 2222 1141", "โทรสาร 0 2222 1142"),
        reference="มท 0301/123",
        date=date(2026, 11, 21),
        subject="ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์",
        salutation_to="ผู้ว่าราชการจังหวัดนนทบุรี",
        body=(
            "ด้วยกรมการปกครองจะจัดประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์ ในวันที่ 5 ธันวาคม 2569 "
            "เวลา 09.30 น. ณ ห้องประชุมชั้น 3 อาคารกรมการปกครอง จึงขอเชิญผู้แทนของหน่วยงานท่านเข้าร่วมประชุม",
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
    page: int
    rect: Rect
    text: str  # what the appearance stream extracts to


def _normalise(values: object) -> Rect:
    x0, y0, x1, y1 = (float(v) for v in values)  # type: ignore[attr-defined]
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def widgets(pdf: bytes) -> list[Widget]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            appearance = annot.get("/AP", {}).get("/N")
            text = page.extract_xform_text(appearance.get_object()) if appearance is not None else ""
            found.append(Widget(str(annot.get("/T")), index, _normalise(annot["/Rect"]), text))
    return found


def endorsements(pdf: bytes) -> list[Widget]:
    return [w for w in widgets(pdf) if re.fullmatch(r"Endorsement\d+", w.name)]


def overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def text_starts(pdf: bytes, index: int = 0) -> list[tuple[str, float, float]]:
    """Where each text run of the page content starts (user space), as pypdf reads it."""
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[index]
    starts: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            matrix = multiply(tuple(tm), tuple(cm))  # type: ignore[arg-type]
            starts.append((text, matrix[4], matrix[5]))

    page.extract_text(visitor_text=visit)
    return starts


# -- the test PKI ----------------------------------------------------------------------------------


@dataclass
class Pki:
    trust_roots: list[x509.Certificate]
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


def _certified(pki: Pki, permission: fields.MDPPerm) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(LETTER))
    meta = signers.PdfSignatureMetadata(field_name="Sig1", certify=True, docmdp_permissions=permission)
    out = signers.PdfSigner(meta, pki.signer).sign_pdf(writer, existing_fields_only=True)
    return bytes(out.getvalue())


# -- 1. an incremental update whose text reads back ------------------------------------------------


def test_the_original_is_a_prefix_and_the_block_text_extracts_back() -> None:
    endorsed = endorse_pdf(LETTER, [DIRECTOR])
    assert endorsed.startswith(LETTER) and len(endorsed) > len(LETTER)
    before = pypdf.PdfReader(io.BytesIO(LETTER)).pages[0]
    after = pypdf.PdfReader(io.BytesIO(endorsed)).pages[0]
    assert after.get_contents().get_data() == before.get_contents().get_data()  # content untouched
    assert after.raw_get("/Contents").idnum == before.raw_get("/Contents").idnum

    (widget,) = endorsements(endorsed)
    assert widget.name == "Endorsement1" and widget.page == 0
    lines = widget.text.split("\n")
    assert lines == [
        "ทราบ ดำเนินการ",
        "มอบ กองแผนงาน",
        "(นายสมชาย ใจดี)",
        "ผู้อำนวยการกองกลาง",
        "23 พ.ย. 2569",  # Buddhist year, Thai month, the date in Bangkok
    ]
    assert thai_date_short(DIRECTOR.at) == "23 พ.ย. 2569"

    reader = pypdf.PdfReader(io.BytesIO(endorsed))
    annot = next(a.get_object() for a in reader.pages[0]["/Annots"] if a.get_object()["/T"] == widget.name)
    assert annot["/Subtype"] == "/Widget" and annot["/FT"] == "/Sig"
    assert annot["/Ff"] == 1 and int(annot["/F"]) & 4  # read-only, printed
    fonts = annot["/AP"]["/N"]["/Resources"]["/Font"]
    assert all("Laksaman" in str(font.get_object()["/BaseFont"]) for font in fonts.values())


def test_notes_keep_their_line_breaks_and_dates_can_use_thai_digits() -> None:
    endorsed = endorse_pdf(LETTER, [SARABAN], thai_numerals=True)
    (widget,) = endorsements(endorsed)
    assert widget.text.split("\n") == [
        "เรียน ผอ.กองกลาง",
        "เพื่อโปรดทราบและพิจารณา",
        "(นางสาวสมศรี มีสุข)",
        "เจ้าพนักงานธุรการชำนาญงาน",
        "๒๒ พ.ย. ๒๕๖๙",
    ]


def test_poppler_extracts_the_page_with_the_endorsement() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    endorsed = endorse_pdf(LETTER, [SARABAN, DIRECTOR])
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=endorsed, capture_output=True, check=True
    ).stdout.decode()
    for expected in ("เพื่อโปรดทราบและพิจารณา", "(นางสาวสมศรี มีสุข)", "มอบ กองแผนงาน", "22 พ.ย. 2569"):
        assert expected in text


# -- 2. signatures stay valid ----------------------------------------------------------------------


@pytest.mark.parametrize("level", [PadesLevel.B_T, PadesLevel.B_LTA])
def test_a_signed_letter_still_validates_after_the_endorsement(pki: Pki, level: PadesLevel) -> None:
    block = SignatureBlock("นายสมชาย ใจดี", "อธิบดีกรมการปกครอง")
    signed = pki.service.sign(LETTER, pki.signer, level=level, field="Sig1", block=block).pdf
    endorsed = endorse_pdf(endorse_pdf(signed, [SARABAN]), [DIRECTOR])  # two later updates
    assert endorsed.startswith(signed)

    report = validate_pdf(endorsed, pki.trust_roots)
    signature = next(s for s in report.signatures if s.kind == "signature")
    assert signature.intact and signature.valid and signature.trusted, signature.summary
    assert signature.pades_level == level.value
    assert signature.modified_after_signing and signature.coverage == "ENTIRE_REVISION"
    assert signature.modification_level == "FORM_FILLING"  # an accepted later change, not OTHER
    assert signature.modifications_permitted is True
    assert signature.bottom_line
    assert report.all_valid  # the B-LTA document timestamp too

    sig_rect = next(w.rect for w in widgets(endorsed) if w.name == "Sig1")
    placed = endorsements(endorsed)
    assert [w.name for w in placed] == ["Endorsement1", "Endorsement2"]
    assert not any(overlap(w.rect, sig_rect) for w in placed)
    assert "(นายสมชาย ใจดี)" in placed[1].text

    # the endorsed file can still be signed again, and both signatures validate
    again = pki.service.sign(endorsed, pki.signer, level=PadesLevel.B_B, field=NewField("Sig2")).pdf
    signatures = [s for s in validate_pdf(again, pki.trust_roots).signatures if s.kind == "signature"]
    assert [s.field_name for s in signatures] == ["Sig1", "Sig2"]
    assert all(s.bottom_line for s in signatures), [s.summary for s in signatures]


# -- 3. certification ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "permission", [fields.MDPPerm.NO_CHANGES, fields.MDPPerm.FILL_FORMS, fields.MDPPerm.ANNOTATE]
)
def test_a_certified_letter_is_not_modified(pki: Pki, permission: fields.MDPPerm) -> None:
    certified = _certified(pki, permission)
    with pytest.raises(EndorsementNotAllowed, match=f"DocMDP P={permission.value}") as raised:
        endorse_pdf(certified, [SARABAN])
    assert raised.value.permission == permission.value
    assert isinstance(raised.value, PdfStampError)


def test_a_field_lock_that_covers_new_fields_is_respected(pki: Pki) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(LETTER))
    lock = fields.FieldMDPSpec(fields.FieldMDPAction.ALL)
    spec = fields.SigFieldSpec("Locked", box=(40, 40, 200, 100), field_mdp_spec=lock)
    meta = signers.PdfSignatureMetadata(field_name="Locked")
    locked = signers.PdfSigner(meta, pki.signer, new_field_spec=spec).sign_pdf(writer).getvalue()
    with pytest.raises(EndorsementNotAllowed, match="FieldMDP") as raised:
        endorse_pdf(locked, [SARABAN])
    assert raised.value.permission is None


def test_the_separate_endorsement_page_carries_the_blocks() -> None:
    about = "หนังสือที่ มท 0301/123 ลงวันที่ 21 พฤศจิกายน 2569 เรื่อง ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบ"
    page = endorsement_page([SARABAN, DIRECTOR], about=about)
    reader = pypdf.PdfReader(io.BytesIO(page))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = reader.pages[0].extract_text()
    assert text.split("\n")[0] == "บันทึกเกษียนหนังสือ"
    assert squash(about) in squash(text)
    for expected in ("เพื่อโปรดทราบและพิจารณา", "(นางสาวสมศรี มีสุข)", "ทราบ ดำเนินการ", "23 พ.ย. 2569"):
        assert expected in text
    assert text.index("นางสาวสมศรี") < text.index("นายสมชาย")  # in the order given


# -- 4. stacking and wrapping ----------------------------------------------------------------------


def test_stacked_blocks_do_not_overlap_each_other_or_the_letter() -> None:
    endorsed = endorse_pdf(LETTER, [SARABAN, DIRECTOR])
    endorsed = endorse_pdf(endorsed, [SARABAN])  # a later call stacks under the earlier ones
    placed = endorsements(endorsed)
    assert [w.name for w in placed] == ["Endorsement1", "Endorsement2", "Endorsement3"]
    for index, first in enumerate(placed):
        for second in placed[index + 1 :]:
            assert not overlap(first.rect, second.rect), (first, second)
    page = pypdf.PdfReader(io.BytesIO(LETTER)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    for widget in placed:
        x0, y0, x1, y1 = widget.rect
        assert x0 >= 10 * MM - 0.01 and x1 <= width - 10 * MM + 0.01
        assert y0 >= 12 * MM - 0.01 and y1 <= height - 10 * MM + 0.01
        for other in widgets(LETTER):  # the reserved signature field
            assert not overlap(widget.rect, other.rect)
        for text, x, y in text_starts(LETTER):
            assert not (x0 <= x <= x1 and y0 <= y <= y1), f"{text!r} at ({x:.0f}, {y:.0f}) is covered"
    # in reading order: the first block is above or to the left of the next
    first, second, third = (w.rect for w in placed)
    assert first[3] > second[3] or first[2] <= second[0]
    assert third[3] <= second[3] + 0.01  # a later call never goes above the earlier blocks


def test_a_long_note_wraps_at_word_boundaries_within_the_box() -> None:
    block = EndorsementBlock(
        LONG_NOTE, "เห็นชอบ", "มอบ กองแผนงาน", "นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง", SARABAN.at
    )
    layout = layout_block(block, size=14, max_width=WIDTHS[0])
    note_lines = [line.text for line in layout.lines if not line.bold][:-4]
    assert len(note_lines) >= 3
    assert squash("".join(note_lines)) == squash(LONG_NOTE)
    assert layout.width <= WIDTHS[0]
    for line in layout.lines:
        font = BOLD_FONT if line.bold else REGULAR_FONT
        assert (
            line.x >= 0 and line.x + text_width(line.text, font_path=font, size_pt=line.size) <= layout.width
        )
    assert not any(line.startswith(("ะ", "า", "ำ", "ๆ")) for line in note_lines)  # no break inside a word

    endorsed = endorse_pdf(LETTER, [block, DIRECTOR])
    first, second = endorsements(endorsed)
    assert not overlap(first.rect, second.rect)
    assert first.rect[2] - first.rect[0] <= WIDTHS[0] + 0.01
    assert squash(LONG_NOTE) in squash(first.text)


def test_a_rotated_page_gets_an_upright_block_inside_the_page() -> None:
    endorsed = endorse_pdf(make_pdf(rotate=90), [SARABAN])
    reader = pypdf.PdfReader(io.BytesIO(endorsed))
    annot = reader.pages[0]["/Annots"][0].get_object()
    assert [float(v) for v in annot["/AP"]["/N"]["/Matrix"]] == [0, 1, -1, 0, 0, 0]
    x0, y0, x1, y1 = _normalise(annot["/Rect"])
    assert 0 <= x0 < x1 <= 595.3 and 0 <= y0 < y1 <= 841.9
    assert y1 - y0 > x1 - x0  # wide on screen, so tall in the unrotated page


def test_the_last_page_can_be_endorsed() -> None:
    endorsed = endorse_pdf(make_pdf(pages=2), [DIRECTOR], page="last")
    assert [w.page for w in endorsements(endorsed)] == [1]


def _scan(dark_box: tuple[int, int, int, int] | None, *, black: bool = False) -> bytes:
    """A 'scanned' letter: one full-page JPEG with text-like bars at the top."""
    picture = Image.new("L", (1240, 1754), 0 if black else 255)
    draw = ImageDraw.Draw(picture)
    for top in range(150, 1000, 40):
        draw.rectangle((150, top, 1100, top + 18), fill=0)
    if dark_box is not None:
        draw.rectangle(dark_box, fill=20)
    data = io.BytesIO()
    picture.save(data, "JPEG")
    document = FPDF(format="A4")
    document.add_page()
    document.image(data, x=0, y=0, w=210, h=297)
    return bytes(document.output())


def test_a_scanned_letter_is_read_for_its_free_space() -> None:
    endorsed = endorse_pdf(_scan((700, 1100, 1100, 1300)), [SARABAN])
    (widget,) = endorsements(endorsed)
    scale = 595.28 / 1240
    dark = (700 * scale, 841.89 - 1300 * scale, 1100 * scale, 841.89 - 1100 * scale)
    bars = (150 * scale, 841.89 - 1000 * scale, 1100 * scale, 841.89 - 150 * scale)
    assert not overlap(widget.rect, dark) and not overlap(widget.rect, bars)


def test_inline_images_count_as_marks() -> None:
    writer = PdfFileWriter()
    content = b"q 250 0 0 300 300 100 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00EI\xff\x00 EI Q"
    contents = writer.add_object(generic.StreamObject(stream_data=content))
    writer.insert_page(PageObject(contents, (0, 0, 595.28, 841.89)))
    data = io.BytesIO()
    writer.write(data)
    (widget,) = endorsements(endorse_pdf(data.getvalue(), [SARABAN]))
    assert not overlap(widget.rect, (300, 100, 550, 400))


def test_no_free_space_is_reported() -> None:
    with pytest.raises(NoRoomForEndorsement):
        endorse_pdf(_scan(None, black=True), [SARABAN])


def test_bad_input_is_refused() -> None:
    with pytest.raises(PdfStampError):
        endorse_pdf(b"not a pdf", [SARABAN])
    with pytest.raises(ValueError, match="no endorsement blocks"):
        endorse_pdf(LETTER, [])
    with pytest.raises(ValueError, match="time zone"):
        EndorsementBlock("เรียน ผอ.", None, None, "นายสมชาย ใจดี", "ผอ.", datetime(2026, 11, 22))
    with pytest.raises(ValueError, match="name"):
        EndorsementBlock("เรียน ผอ.", None, None, " ", "ผอ.", SARABAN.at)
    with pytest.raises(ValueError, match="note, a decision"):
        EndorsementBlock(" ", None, "", "นายสมชาย ใจดี", "ผอ.", SARABAN.at)


# -- 5. what a person sees -------------------------------------------------------------------------


def _render(pdf: bytes, directory: Path, name: str, dpi: int) -> Image.Image:
    source = directory / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            str(source),
            str(directory / name),
        ],
        check=True,
    )
    return Image.open(directory / f"{name}.png").convert("RGB")


def _ink(picture: Image.Image, rect: Rect, dpi: int, page_height: float) -> tuple[int, int]:
    """(pixels that are not white, pixels that are blue-ish) inside a user-space rectangle."""
    scale = dpi / 72
    x0, y0, x1, y1 = rect
    crop = picture.crop(
        (
            round(x0 * scale) + 2,
            round((page_height - y1) * scale) + 2,
            round(x1 * scale) - 2,
            round((page_height - y0) * scale) - 2,
        )
    )
    data = crop.tobytes()
    pixels = [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]
    dark = sum(1 for r, g, b in pixels if min(r, g, b) < 200)
    blue = sum(1 for r, g, b in pixels if b > r + 40 and b > g + 20)
    return dark, blue


def test_the_rendered_page_shows_the_block_in_empty_space(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed: cannot render the page")
    endorsed = endorse_pdf(LETTER, [SARABAN, DIRECTOR])
    dpi = 100
    height = float(pypdf.PdfReader(io.BytesIO(LETTER)).pages[0].mediabox.height)
    before = _render(LETTER, tmp_path, "before", dpi)
    after = _render(endorsed, tmp_path, "after", dpi)
    for widget in endorsements(endorsed):
        assert _ink(before, widget.rect, dpi, height)[0] == 0  # the letter had nothing there
        dark, blue = _ink(after, widget.rect, dpi, height)
        assert dark > 300 and blue > 300, (widget.name, dark, blue)  # now the blue text is
