"""Validation: tampering, trust, LTA without fetching, garbage."""

from __future__ import annotations

import asyncio
import json
from io import BytesIO

import pytest
from chalicelib.signing.errors import InvalidPdfError, SigningFailed
from chalicelib.signing.key_signer import InMemoryKeySigner
from chalicelib.signing.pades import NewField, PadesSigningService
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.validation import validate_pdf
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from devstack.pki import DEMO_AGENCIES, SignerKey, start_pki_server
from tests.unit.signing.conftest import SigningEnv
from tests.unit.signing.signing_helpers import make_pdf


def test_changing_one_byte_after_signing_is_detected(env: SigningEnv) -> None:
    pdf = make_pdf("Original text")
    signed = env.service.sign(pdf, env.kms_rsa, level=PadesLevel.B_B, field=NewField("Sig1")).pdf
    at = signed.index(b"Original text")
    tampered = signed[:at] + b"X" + signed[at + 1 :]
    assert len(tampered) == len(signed)

    sig = validate_pdf(tampered, env.pki.trust_roots).signatures[0]
    assert not sig.intact
    assert not sig.bottom_line and not sig.trusted
    assert sig.pades_level is None
    assert validate_pdf(signed, env.pki.trust_roots).signatures[0].intact


def test_an_unsigned_revision_that_changes_the_page_is_reported(env: SigningEnv) -> None:
    signed = env.service.sign(make_pdf(), env.memory_ec, level=PadesLevel.B_B, field=NewField("Sig1")).pdf
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (Pay 1,000,000 THB) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)

    sig = validate_pdf(out.getvalue(), env.pki.trust_roots).signatures[0]
    assert sig.intact and sig.valid  # the signed bytes are untouched...
    assert sig.coverage == "ENTIRE_REVISION" and sig.modified_after_signing
    assert sig.modification_level == "OTHER"  # ...but what came after is not allowed
    assert sig.modifications_permitted is False
    assert not sig.bottom_line


def test_signatures_from_another_root_are_not_trusted(env: SigningEnv, tmp_path) -> None:  # type: ignore[no-untyped-def]
    signed = env.service.sign(make_pdf(), env.memory_ec, level=PadesLevel.B_B, field=NewField("Sig1")).pdf
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    other = start_pki_server(
        DEMO_AGENCIES, [SignerKey("x", "moi-0201", "x", spki)], port=0, cache_dir=tmp_path
    )
    other.close()
    sig = validate_pdf(signed, other.pki.trust_roots).signatures[0]
    assert sig.intact and sig.valid
    assert not sig.trusted and sig.trust_problem is not None
    assert not sig.bottom_line


def test_b_lta_passes_ades_lta_validation_offline_with_revocation_data_embedded(
    env: SigningEnv,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    # a PKI of its own whose HTTP server is gone before validation: any fetch would fail
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with start_pki_server(
        DEMO_AGENCIES, [SignerKey("s", "moi-0301", "นายแอลทีเอ", spki)], port=0, cache_dir=tmp_path
    ) as srv:
        pki = srv.pki
        signer = InMemoryKeySigner(key, pki.signer_cert("s"), pki.signer_chain("s"))
        with PadesSigningService(trust_roots=pki.trust_roots, tsa_url=pki.tsa_url) as service:
            signed = service.sign(make_pdf(), signer, level=PadesLevel.B_LTA, field=NewField("Sig1")).pdf

    reader = PdfFileReader(BytesIO(signed))
    dss = DocumentSecurityStore.read_dss(reader)
    assert dss.ocsps and dss.crls  # OCSP for the signer, CRLs for the CA and the TSA
    assert len(reader.embedded_timestamp_signatures) == 1

    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=pki.trust_roots),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    result = asyncio.run(ades_lta_validation(reader.embedded_regular_signatures[0], spec))
    assert result.ades_subindic is AdESPassed.OK, result.failure_msg

    report = validate_pdf(signed, pki.trust_roots)
    sig = report.signatures[0]
    assert sig.pades_level == "B-LTA" and sig.lta_validation is not None
    assert sig.lta_validation.indication == "PASSED"


def test_b_t_without_revocation_data_is_not_b_lta_under_ades(env: SigningEnv) -> None:
    signed = env.service.sign(make_pdf(), env.kms_ec, level=PadesLevel.B_T, field=NewField("Sig1")).pdf
    sig = validate_pdf(signed, env.pki.trust_roots, lta=True).signatures[0]
    assert sig.pades_level == "B-T" and sig.trusted
    assert sig.lta_validation is not None and sig.lta_validation.indication != "PASSED"
    assert not sig.bottom_line  # asked for long-term validation, which B-T cannot pass


@pytest.mark.parametrize(
    "garbage",
    [b"", b"garbage", b"%PDF-1.7\n" + b"\x00" * 200, make_pdf()[:300], "not even bytes"],
)
def test_validation_of_garbage_raises_invalid_pdf_error(env: SigningEnv, garbage: object) -> None:
    with pytest.raises(InvalidPdfError):
        validate_pdf(garbage, env.pki.trust_roots)  # type: ignore[arg-type]


def test_unsigned_pdf_gives_an_empty_report(env: SigningEnv) -> None:
    report = validate_pdf(make_pdf(), env.pki.trust_roots)
    assert report.signatures == [] and not report.all_valid


def test_report_is_json_serialisable(env: SigningEnv, letter_pdf: bytes) -> None:
    signed = env.service.sign(letter_pdf, env.kms_rsa, level=PadesLevel.B_LT, field="Sig1").pdf
    as_dict = validate_pdf(signed, env.pki.trust_roots).to_dict()
    text = json.dumps(as_dict, ensure_ascii=False)
    back = json.loads(text)
    sig = back["signatures"][0]
    assert sig["signer"]["serial"] and len(sig["signer"]["sha256"]) == 64
    assert sig["pades_level"] == "B-LT" and sig["revocation"]["status"] == "good"
    assert "นายสมชาย ใจดี" in text


def test_the_same_service_signs_with_pki_services_reused(env: SigningEnv) -> None:
    # the timestamper (and its dummy token used for sizing) is reused across documents
    service: PadesSigningService = env.service
    first = service.timestamper
    service.sign(make_pdf(), env.memory_ec, level=PadesLevel.B_T, field=NewField("A"))
    service.sign(make_pdf(), env.memory_ec, level=PadesLevel.B_T, field=NewField("B"))
    assert service.timestamper is first


def test_archive_timestamp_extends_a_b_lta_document(env: SigningEnv, letter_pdf: bytes) -> None:
    signed = env.service.sign(letter_pdf, env.kms_rsa, level=PadesLevel.B_LTA, field="Sig1").pdf
    extended = env.service.add_archive_timestamp(signed)
    assert extended.startswith(signed)
    report = validate_pdf(extended, env.pki.trust_roots)
    kinds = [s.kind for s in report.signatures]
    assert kinds == ["signature", "document_timestamp", "document_timestamp"]
    sig = report.signatures[0]
    assert sig.pades_level == "B-LTA" and sig.lta_validation is not None
    assert sig.lta_validation.indication == "PASSED"
    assert report.all_valid
    with pytest.raises(SigningFailed, match="no signature"):
        env.service.add_archive_timestamp(make_pdf())
