"""Signing: levels, several signers in order, fields, sizing, failures."""

from __future__ import annotations

import asyncio
from io import BytesIO

import pytest
from chalicelib.signing import pades
from chalicelib.signing.appearance import OnBehalf, OnBehalfKind, SignatureBlock, capacity_reason
from chalicelib.signing.errors import FieldError, InvalidPdfError, SigningFailed
from chalicelib.signing.pades import NewField, PadesSigningService, SignStep
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.validation import validate_pdf
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.unit.signing.conftest import SigningEnv
from tests.unit.signing.signing_helpers import make_pdf

DIRECTOR = SignatureBlock(
    "นายสมชาย ใจดี",
    "ผู้อำนวยการกองกลาง",
    OnBehalf(OnBehalfKind.DELEGATED, "ปลัดกระทรวงมหาดไทย"),
)
DEPUTY = SignatureBlock(
    "นางสาวสมหญิง รักงาน", "รองอธิบดีกรมการปกครอง", OnBehalf(OnBehalfKind.ACTING, "อธิบดีกรมการปกครอง")
)


@pytest.mark.parametrize("level", list(PadesLevel))
def test_two_signers_in_order_both_validate_at_the_requested_level(
    env: SigningEnv, letter_pdf: bytes, level: PadesLevel
) -> None:
    first_reason = capacity_reason(DIRECTOR, "คำสั่ง สป. ที่ 45/2569")
    results = env.service.sign_in_order(
        letter_pdf,
        [
            SignStep(env.kms_rsa, "Sig1", level, DIRECTOR, reason=first_reason, location="กรุงเทพมหานคร"),
            SignStep(
                env.kms_ec,
                NewField("Sig2", page=0, box=(40, 60, 300, 150)),
                level,
                DEPUTY,
                reason="รักษาราชการแทน",
            ),
        ],
    )
    assert [r.field_name for r in results] == ["Sig1", "Sig2"]
    assert not any(r.retried for r in results)  # the computed reservation was big enough

    report = validate_pdf(results[-1].pdf, env.pki.trust_roots)
    sigs = [s for s in report.signatures if s.kind == "signature"]
    assert [s.field_name for s in sigs] == ["Sig1", "Sig2"]
    for sig in sigs:
        assert sig.intact and sig.valid and sig.trusted, sig.summary
        assert sig.pades_level == level.value
        assert sig.modifications_permitted
        assert sig.bottom_line
    first, second = sigs
    assert first.signer.common_name == "นายสมชาย ใจดี"
    assert second.signer.common_name == "นางสาวสมหญิง รักงาน"
    assert first.reason == first_reason and first.location == "กรุงเทพมหานคร"
    assert first.coverage == "ENTIRE_REVISION" and first.modified_after_signing
    assert first.modification_level in ("FORM_FILLING", "LTA_UPDATES")
    assert first.chain[0].common_name == "eOffice Test Root CA"
    assert first.revision < second.revision
    if level.at_least(PadesLevel.B_T):
        assert first.timestamp is not None and first.timestamp.trusted
    else:
        assert first.timestamp is None
    if level.at_least(PadesLevel.B_LT):
        assert first.ltv_embedded and first.revocation.status == "good"
    else:
        assert not first.ltv_embedded and first.revocation.status == "unknown"
    if level is PadesLevel.B_LTA:
        assert first.lta_validation is not None and first.lta_validation.subindication == "OK"
        assert second.lta_validation is not None and second.lta_validation.subindication == "OK"
        assert [s.kind for s in report.signatures].count("document_timestamp") == 2
    else:
        assert second.coverage == "ENTIRE_FILE"
    assert report.all_valid


def test_each_signature_is_one_incremental_revision(env: SigningEnv, letter_pdf: bytes) -> None:
    before = revisions(letter_pdf)
    once = env.service.sign(letter_pdf, env.memory_ec, level=PadesLevel.B_T, field="Sig1", block=DIRECTOR)
    assert once.pdf.startswith(letter_pdf)  # earlier bytes untouched
    assert revisions(once.pdf) == before + 1


def revisions(pdf: bytes) -> int:
    count: int = PdfFileReader(BytesIO(pdf)).xrefs.total_revisions
    return count


def test_invisible_signature_in_a_new_field(env: SigningEnv, blank_pdf: bytes) -> None:
    signed = env.service.sign(blank_pdf, env.memory_ec, level=PadesLevel.B_B, field=NewField("Hidden"))
    sig = validate_pdf(signed.pdf, env.pki.trust_roots).signatures[0]
    assert sig.field_name == "Hidden" and sig.bottom_line and sig.pades_level == "B-B"


def test_new_field_on_a_later_page(env: SigningEnv) -> None:
    signed = env.service.sign(
        make_pdf(pages=2),
        env.memory_ec,
        level=PadesLevel.B_B,
        field=NewField("P2", page=1, box=(60, 60, 300, 150)),
    )
    reader = PdfFileReader(BytesIO(signed.pdf))
    page_refs = [reader.root["/Pages"]["/Kids"][n].get_object() for n in range(2)]
    assert "/Annots" not in page_refs[0]
    assert [a.get_object()["/T"] for a in page_refs[1]["/Annots"]] == ["P2"]


def test_field_errors(env: SigningEnv, letter_pdf: bytes, blank_pdf: bytes) -> None:
    with pytest.raises(FieldError, match="no signature field"):
        env.service.sign(blank_pdf, env.memory_ec, level=PadesLevel.B_B, field="Sig1")
    signed = env.service.sign(letter_pdf, env.memory_ec, level=PadesLevel.B_B, field="Sig1")
    with pytest.raises(FieldError, match="already signed"):
        env.service.sign(signed.pdf, env.memory_ec, level=PadesLevel.B_B, field="Sig1")
    with pytest.raises(FieldError, match="already signed"):
        env.service.sign(signed.pdf, env.memory_ec, level=PadesLevel.B_B, field=NewField("Sig1"))


def test_garbage_input_is_refused_before_signing(env: SigningEnv) -> None:
    with pytest.raises(InvalidPdfError):
        env.service.sign(b"this is not a pdf", env.memory_ec, level=PadesLevel.B_B, field=NewField("S"))


def test_timestamped_levels_need_a_tsa(env: SigningEnv, blank_pdf: bytes) -> None:
    no_tsa = PadesSigningService(trust_roots=env.pki.trust_roots)
    try:
        with pytest.raises(SigningFailed, match="timestamping service"):
            no_tsa.sign(blank_pdf, env.memory_ec, level=PadesLevel.B_T, field=NewField("S"))
        assert no_tsa.sign(blank_pdf, env.memory_ec, level=PadesLevel.B_B, field=NewField("S")).pdf
    finally:
        no_tsa.close()


def test_long_term_signing_refuses_a_revoked_certificate(env: SigningEnv, blank_pdf: bytes) -> None:
    with pytest.raises(SigningFailed, match="could not be validated"):
        env.service.sign(blank_pdf, env.revoked, level=PadesLevel.B_LT, field=NewField("S"))


def test_unreachable_tsa_is_a_signing_failure(env: SigningEnv, blank_pdf: bytes) -> None:
    dead = PadesSigningService(
        trust_roots=env.pki.trust_roots, tsa_url="http://127.0.0.1:9/tsa", http_timeout=2
    )
    try:
        with pytest.raises(SigningFailed, match="timestamp"):
            dead.sign(blank_pdf, env.memory_ec, level=PadesLevel.B_T, field=NewField("S"))
    finally:
        dead.close()


def test_async_api_from_one_loop(env: SigningEnv, blank_pdf: bytes) -> None:
    async def run() -> bytes:
        service = PadesSigningService(trust_roots=env.pki.trust_roots, tsa_url=env.pki.tsa_url)
        signed = await service.async_sign(blank_pdf, env.kms_ec, level=PadesLevel.B_T, field=NewField("S"))
        await service.aclose()
        return signed.pdf

    pdf = asyncio.run(run())
    assert validate_pdf(pdf, env.pki.trust_roots).signatures[0].pades_level == "B-T"


def test_an_undersized_reservation_is_retried_once_then_fails(
    env: SigningEnv, blank_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pades, "reserve_bytes", lambda *a, **k: 5120)  # B-T needs ~8.5 KB of hex
    signed = env.service.sign(blank_pdf, env.memory_ec, level=PadesLevel.B_T, field=NewField("S"))
    assert signed.retried and signed.bytes_reserved == 10240
    assert validate_pdf(signed.pdf, env.pki.trust_roots).signatures[0].bottom_line

    monkeypatch.setattr(pades, "reserve_bytes", lambda *a, **k: 512)
    with pytest.raises(SigningFailed, match="larger than expected"):
        env.service.sign(blank_pdf, env.memory_ec, level=PadesLevel.B_T, field=NewField("S"))
