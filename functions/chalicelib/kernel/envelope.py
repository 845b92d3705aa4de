"""Envelope encryption of classified files (docs/rules.md, "Secrecy in the exchange").

A ลับ or ลับมาก letter exchanged between agencies is stored as an AWS Encryption SDK message: KMS makes
a data key under the sender agency's secrecy key and wraps it again under the recipient agency's, so
the platform's pooled bucket holds ciphertext only and the file opens only through one of those two
agencies' keys. Each key's policy (onboarding/template.py) serves it only for an encryption context
that names its agency; the context is bound into the message and checked again here when it opens.

Why the SDK and not AES-GCM by hand: its message format carries the wrapped keys and the context with
the ciphertext, uses a key-committing algorithm suite and signs the whole message, and is the format
AWS's other tools read; a hand-made frame would have to get each of those right itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


class EnvelopeError(Exception):
    """A sealed file that cannot be opened or does not belong where it is read."""


@dataclass(frozen=True)
class Parties:
    """Who a sealed file is between: its encryption context (the key policies test these names)."""

    sender: str
    recipient: str
    document: str

    def stored(self) -> dict[str, str]:
        """As a file record keeps it (documents' FileItem.sealed); `Parties(**stored)` reads it back."""
        return {"sender": self.sender, "recipient": self.recipient, "document": self.document}

    def context(self) -> dict[str, str]:
        return {
            "eoffice:sender": self.sender,
            "eoffice:recipient": self.recipient,
            "eoffice:document": self.document,
        }


@cache
def _client() -> Any:
    import aws_encryption_sdk
    from aws_encryption_sdk import CommitmentPolicy

    return aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
    )


def _provider(key_arns: list[str]) -> Any:
    import aws_encryption_sdk
    import botocore.session

    # Strict: only the named keys are ever asked to wrap or unwrap (never a key named in the message).
    return aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(
        key_ids=key_arns, botocore_session=botocore.session.get_session()
    )


def seal(data: bytes, parties: Parties, key_arns: list[str]) -> bytes:
    """The file, encrypted under a fresh data key wrapped by each of the keys (the first makes it)."""
    if not key_arns:
        raise EnvelopeError("a sealed file needs at least one agency key")
    sealed, _ = _client().encrypt(
        source=data, key_provider=_provider(key_arns), encryption_context=parties.context()
    )
    return bytes(sealed)


def open_sealed(data: bytes, parties: Parties, key_arn: str) -> bytes:
    """The file, opened with one agency's key; refused unless it was sealed for exactly these parties."""
    from aws_encryption_sdk.exceptions import AWSEncryptionSDKClientError
    from cryptography.exceptions import InvalidSignature, InvalidTag

    try:
        plain, header = _client().decrypt(source=data, key_provider=_provider([key_arn]))
    except (AWSEncryptionSDKClientError, InvalidSignature, InvalidTag) as error:  # unwrapped, tampered
        raise EnvelopeError(f"the sealed file does not open: {type(error).__name__}") from error
    found = header.encryption_context
    if any(found.get(k) != v for k, v in parties.context().items()):
        raise EnvelopeError("the sealed file belongs to another letter or other agencies")
    return bytes(plain)
