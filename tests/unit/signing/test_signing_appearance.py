"""The visible Thai signature reads back as written."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from chalicelib.signing.appearance import OnBehalf, OnBehalfKind, SignatureBlock, capacity_reason
from chalicelib.signing.policy import PadesLevel
from chalicelib.thai import BANGKOK
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.unit.signing.conftest import SigningEnv
from tests.unit.signing.signing_helpers import appearance_text, embedded_font_names


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
