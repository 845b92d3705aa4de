"""A sealed file opens with either party agency's key, for exactly its parties, and with nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from chalicelib.kernel.envelope import EnvelopeError, Parties, open_sealed, seal

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def keys(aws: Any) -> dict[str, str]:
    kms = aws.client("kms")
    return {
        name: kms.create_key(KeySpec="SYMMETRIC_DEFAULT", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["Arn"]
        for name in ("sender", "recipient", "stranger")
    }


PARTIES = Parties(sender="agency-a", recipient="agency-b", document="x123")


def test_either_party_opens_it_and_the_bytes_are_not_there_in_the_clear(keys: dict[str, str]) -> None:
    sealed = seal(PDF, PARTIES, [keys["sender"], keys["recipient"]])
    assert PDF not in sealed and b"%PDF" not in sealed
    assert open_sealed(sealed, PARTIES, keys["recipient"]) == PDF
    assert open_sealed(sealed, PARTIES, keys["sender"]) == PDF


def test_a_third_key_or_other_parties_do_not_open_it(keys: dict[str, str]) -> None:
    sealed = seal(PDF, PARTIES, [keys["sender"], keys["recipient"]])
    with pytest.raises(EnvelopeError, match="does not open"):
        open_sealed(sealed, PARTIES, keys["stranger"])
    elsewhere = Parties(sender="agency-a", recipient="agency-c", document="x123")
    with pytest.raises(EnvelopeError, match="another letter or other agencies"):
        open_sealed(sealed, elsewhere, keys["recipient"])
    with pytest.raises(EnvelopeError, match="does not open"):
        open_sealed(sealed[:-40] + bytes(40), PARTIES, keys["recipient"])  # tampered: the signature fails
    with pytest.raises(EnvelopeError):
        seal(PDF, PARTIES, [])
