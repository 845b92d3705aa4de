"""The visible Thai signature reads back as written, and shows the block the draft letter showed."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from io import BytesIO

import pytest
from chalicelib.pdf.letters import LetterContent, RenderedLetter, Signatory, render_letter
from chalicelib.signing.appearance import OnBehalf, OnBehalfKind, SignatureBlock, capacity_reason
from chalicelib.signing.pades import NewField
from chalicelib.signing.policy import PadesLevel
from chalicelib.thai import BANGKOK
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.unit.signing.conftest import SigningEnv
from tests.unit.signing.signing_helpers import DrawnLine, appearance_text, drawn_lines, embedded_font_names

DIRECTOR = SignatureBlock(
    "นายสมชาย ใจดี",
    "ผู้อำนวยการกองกลาง",
    OnBehalf(OnBehalfKind.DELEGATED, "อธิบดีกรมการปกครอง"),
    show_signed_at=False,  # as the sign worker passes it: the time is in the signature dictionary
)


def test_block_lines_follow_the_official_layout() -> None:
    block = SignatureBlock(
        "นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง", OnBehalf(OnBehalfKind.DELEGATED, "อธิบดีกรมการปกครอง")
    )
    at = datetime(2026, 11, 21, 16, 5, tzinfo=BANGKOK)
    assert block.lines(at) == [
        "(นายสมชาย ใจดี)",
        "ผู้อำนวยการกองกลาง",
        "ปฏิบัติราชการแทน อธิบดีกรมการปกครอง",
        "ลงนามเมื่อ 21 พฤศจิกายน 2569 เวลา 16.05 น.",
    ]
    acting = SignatureBlock(
        "นางสาวสมหญิง รักงาน", "รองอธิบดี", OnBehalf(OnBehalfKind.ACTING, "อธิบดี"), thai_numerals=True
    )
    assert acting.lines(at)[2:] == ["รักษาราชการแทน อธิบดี", "ลงนามเมื่อ ๒๑ พฤศจิกายน ๒๕๖๙ เวลา ๑๖.๐๕ น."]
    assert capacity_reason(block, "คำสั่ง ที่ 45/2569") == (
        "ผู้อำนวยการกองกลาง ปฏิบัติราชการแทน อธิบดีกรมการปกครอง (คำสั่ง ที่ 45/2569)"
    )


def test_thai_appearance_text_extracts_back_as_written(env: SigningEnv, letter_pdf: bytes) -> None:
    block = SignatureBlock(
        "นายสมชาย ใจดี", "ผู้อำนวยการสำนักงานปลัดกระทรวง", OnBehalf(OnBehalfKind.DELEGATED, "ปลัดกระทรวงมหาดไทย")
    )
    signed = env.service.sign(letter_pdf, env.kms_rsa, level=PadesLevel.B_B, field="Sig1", block=block)
    assert appearance_text(signed.pdf, "Sig1") == block.lines(signed.signed_at)
    fonts = embedded_font_names(signed.pdf, "Sig1")
    assert any("Laksaman" in name for name in fonts), fonts


def test_the_stamp_time_is_the_signature_time(env: SigningEnv, letter_pdf: bytes) -> None:
    signed = env.service.sign(letter_pdf, env.memory_ec, level=PadesLevel.B_B, field="Sig1")
    sig = PdfFileReader(BytesIO(signed.pdf)).embedded_signatures[0]
    assert sig.self_reported_timestamp is not None
    assert abs((sig.self_reported_timestamp - signed.signed_at).total_seconds()) < 1
    lines = appearance_text(signed.pdf, "Sig1")  # no block: the certificate's name and the time
    assert lines[0] == "นายทดสอบ ในหน่วยความจำ" and lines[-1].startswith("ลงนามเมื่อ ")


# -- the signed block is the block the draft showed -----------------------------------------------------


@pytest.fixture(scope="module")
def one_page_letter() -> RenderedLetter:
    """A one-page external letter whose signer's block has the on-behalf line (three lines)."""
    return render_letter(
        LetterContent(
            form="external",
            agency_name="กรมการปกครอง",
            agency_address=("ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200"),
            owning_unit="กองกลาง",
            contact_lines=("โทร 0 2222 1141",),
            reference="มท 0301/123",
            date=date(2026, 11, 21),
            subject="ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์",
            salutation_to="ผู้ว่าราชการจังหวัดนนทบุรี",
            body=("กรมการปกครองขอเชิญผู้แทนของหน่วยงานท่านเข้าร่วมประชุมชี้แจงแนวทางการใช้งานระบบ",),
            signatory=Signatory("นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง", "delegated", "อธิบดีกรมการปกครอง"),
        )
    )


def _spread(lines: list[DrawnLine]) -> float:
    centres = [line.centre for line in lines]
    return max(centres) - min(centres)


def test_the_signed_letter_shows_the_proofread_block_each_line_centred_at_16_pt(
    env: SigningEnv, one_page_letter: RenderedLetter
) -> None:
    letter = one_page_letter
    x1, _, x2, _ = letter.signature_box
    draft = drawn_lines(letter.pdf, letter.signature_field)
    signed = env.service.sign(
        letter.pdf, env.memory_ec, level=PadesLevel.B_B, field=letter.signature_field, block=DIRECTOR
    )
    shown = drawn_lines(signed.pdf, letter.signature_field)
    # the same lines, and no signing time
    assert [line.text for line in shown] == [line.text for line in draft] == DIRECTOR.lines(signed.signed_at)
    assert appearance_text(signed.pdf, letter.signature_field) == DIRECTOR.lines(signed.signed_at)
    # each line at 16 pt, centred on the field's axis: where and as wide as the draft drew it
    axis = (x2 - x1) / 2
    for line, proofread in zip(shown, draft, strict=True):
        assert line.size == pytest.approx(16.0) == proofread.size
        assert line.centre == pytest.approx(axis, abs=0.5)
        assert line.left == pytest.approx(proofread.left, abs=0.5), line.text
        assert line.right == pytest.approx(proofread.right, abs=0.5), line.text
        assert line.left >= 0 and line.right <= x2 - x1
    assert _spread(shown) < 1.0
    # the lines read top down, as far apart as the draft's (the body's leading, 16 x 1.5)
    baselines = [line.baseline for line in shown]
    pitch = [upper - lower for upper, lower in itertools.pairwise(baselines)]
    proofread_pitch = [upper.baseline - lower.baseline for upper, lower in itertools.pairwise(draft)]
    assert pitch == pytest.approx(proofread_pitch, abs=0.5)
    assert all(gap == pytest.approx(24.0, abs=0.5) for gap in pitch)
    assert any("Laksaman" in name for name in embedded_font_names(signed.pdf, letter.signature_field))


def test_a_new_field_centres_each_line_exactly_on_its_axis(env: SigningEnv, blank_pdf: bytes) -> None:
    box = (101.0, 60.0, 400.0, 150.0)  # 299 pt wide: an odd number of points
    signed = env.service.sign(
        blank_pdf, env.kms_ec, level=PadesLevel.B_B, field=NewField("Sig2", box=box), block=DIRECTOR
    )
    shown = drawn_lines(signed.pdf, "Sig2")
    assert [line.text for line in shown] == DIRECTOR.lines(signed.signed_at)
    for line in shown:
        assert line.size == pytest.approx(16.0)
        assert line.centre == pytest.approx((box[2] - box[0]) / 2, abs=0.01)


def test_a_block_too_wide_for_its_field_shrinks_with_each_line_still_centred(
    env: SigningEnv, blank_pdf: bytes
) -> None:
    box = (300.0, 60.0, 460.0, 130.0)  # 160 pt: narrower than "ปฏิบัติราชการแทน อธิบดีกรมการปกครอง"
    signed = env.service.sign(
        blank_pdf, env.memory_ec, level=PadesLevel.B_B, field=NewField("Sig2", box=box), block=DIRECTOR
    )
    shown = drawn_lines(signed.pdf, "Sig2")
    assert [line.text for line in shown] == DIRECTOR.lines(signed.signed_at)
    assert all(line.size < 16 for line in shown)
    assert _spread(shown) < 1.0
    assert all(line.left >= 0 and line.right <= box[2] - box[0] for line in shown)
