"""A document signed before its signer's key was disabled (and scheduled for deletion) still validates:
verification uses the certificate embedded in the signature, never the key (signing_keys/domain.py)."""

from __future__ import annotations

import pytest
from chalicelib.signing.pades import NewField
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.signers import SignerNotConfigured, signer_for
from chalicelib.signing.validation import validate_pdf

from tests.unit.signing.conftest import SigningEnv
from tests.unit.signing.signing_helpers import make_pdf


def test_a_signature_made_before_the_key_was_retired_still_validates(env: SigningEnv) -> None:
    kms, key_id = env.kms, env.kms_ec.key_id
    signer = signer_for(
        f"kms:{key_id}", env.kms_ec.signing_cert, env.pki.signer_chain("moi-0301-deputy"), kms=kms
    )
    signed = env.service.sign(make_pdf(), signer, level=PadesLevel.B_T, field=NewField("Sig1")).pdf
    kms.disable_key(KeyId=key_id)  # type: ignore[attr-defined]
    try:
        # The key is out of use (AWS refuses Sign on it; moto does not check, so its state is asserted)...
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)  # type: ignore[attr-defined]
        state = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]  # type: ignore[attr-defined]
        assert state == "PendingDeletion"
        # ...and the letter signed before validates as it did: intact, valid, trusted.
        sig = validate_pdf(signed, env.pki.trust_roots).signatures[0]
        assert sig.intact and sig.valid and sig.trusted and sig.pades_level == "B-T"
    finally:  # the key is shared by this package's other tests
        kms.cancel_key_deletion(KeyId=key_id)  # type: ignore[attr-defined]
        kms.enable_key(KeyId=key_id)  # type: ignore[attr-defined]


def test_the_factory_reads_key_references_and_refuses_an_hsm_it_has_not(env: SigningEnv) -> None:
    from chalicelib.signing.signers import key_ref_of, parse_key_ref

    assert key_ref_of({"kms_key_id": "abc"}) == "kms:abc"  # records from before key references
    assert key_ref_of({"key_ref": "pkcs11:0/signer-1", "kms_key_id": "x"}) == "pkcs11:0/signer-1"
    assert parse_key_ref("arn:aws:kms:ap-southeast-7:1:key/k").locator == "arn:aws:kms:ap-southeast-7:1:key/k"
    with pytest.raises(SignerNotConfigured, match="not configured"):
        signer_for("pkcs11:0/signer-1", env.kms_ec.signing_cert)
