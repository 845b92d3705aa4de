"""KMS-backed signer: RSA and ECDSA keys, RAW messages, dry run, wrong certificate."""

from __future__ import annotations

import asyncio

import pytest
from chalicelib.signing.errors import KmsSigningError
from chalicelib.signing.kms_signer import KmsSigner
from chalicelib.signing.pades import NewField
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.validation import validate_pdf

from tests.unit.signing.conftest import SigningEnv
from tests.unit.signing.signing_helpers import make_pdf


@pytest.mark.parametrize(("which", "mechanism"), [("kms_rsa", "sha256_rsa"), ("kms_ec", "sha256_ecdsa")])
def test_rsa_and_ecdsa_kms_keys_both_sign_valid_pades(env: SigningEnv, which: str, mechanism: str) -> None:
    signer: KmsSigner = getattr(env, which)
    assert signer.get_signature_mechanism_for_digest("sha256")["algorithm"].native == mechanism
    signed = env.service.sign(make_pdf(), signer, level=PadesLevel.B_T, field=NewField("Sig1"))
    sig = validate_pdf(signed.pdf, env.pki.trust_roots).signatures[0]
    assert sig.intact and sig.valid and sig.trusted and sig.pades_level == "B-T"
    assert sig.signer.sha256 == signer.signing_cert.sha256.hex()


class _NoCalls:
    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"KMS must not be called in a dry run ({name})")


@pytest.mark.parametrize(("which", "size"), [("kms_rsa", 256), ("kms_ec", 72)])
def test_dry_run_returns_a_placeholder_of_the_right_size_without_calling_kms(
    env: SigningEnv, which: str, size: int
) -> None:
    real: KmsSigner = getattr(env, which)
    signer = KmsSigner(_NoCalls(), "key", real.signing_cert, list(real.cert_registry))  # type: ignore[arg-type]
    placeholder = asyncio.run(signer.async_sign_raw(b"attrs", "sha256", dry_run=True))
    assert placeholder == bytes(size)


def test_real_signature_fits_the_placeholder(env: SigningEnv) -> None:
    for signer in (env.kms_rsa, env.kms_ec):
        raw = asyncio.run(signer.async_sign_raw(b"x" * 300, "sha256"))
        assert 0 < len(raw) <= signer.max_signature_size


def test_certificate_of_another_key_is_refused(env: SigningEnv) -> None:
    with pytest.raises(KmsSigningError, match="not the public key"):
        KmsSigner.verified(env.kms, env.kms_rsa.key_id, env.kms_ec.signing_cert)  # type: ignore[arg-type]


def test_wrong_digest_and_unknown_key_are_kms_errors(env: SigningEnv) -> None:
    with pytest.raises(KmsSigningError, match="sha256"):
        asyncio.run(env.kms_rsa.async_sign_raw(b"x", "sha512"))
    ghost = KmsSigner(env.kms, "alias/does-not-exist", env.kms_rsa.signing_cert)  # type: ignore[arg-type]
    with pytest.raises(KmsSigningError, match="KMS Sign failed"):
        asyncio.run(ghost.async_sign_raw(b"x", "sha256"))
