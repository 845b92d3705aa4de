"""A pyHanko Signer whose private key lives in AWS KMS.

KMS signs the DER of the CMS signed attributes with MessageType=RAW: KMS hashes them itself. RAW is
used rather than DIGEST because moto (the local stack) re-hashes a DIGEST message, which gives invalid
signatures; RAW is correct on both. The signed attributes are ~200-400 bytes, far under KMS's 4096-byte
RAW limit; a larger message falls back to DIGEST (correct on AWS, not on moto).

Supported key specs: RSA_2048 / RSA_3072 / RSA_4096 with RSASSA_PKCS1_V1_5_SHA_256 (or _384 / _512),
ECC_NIST_P256 with ECDSA_SHA_256, ECC_NIST_P384 with ECDSA_SHA_384. RSASSA-PSS is not offered: moto
signs PSS with the maximum salt length where AWS uses the hash length.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from asn1crypto import algos, keys, x509
from botocore.exceptions import BotoCoreError, ClientError
from pyhanko.sign.signers.pdf_cms import Signer

from chalicelib.signing.errors import KmsSigningError
from chalicelib.signing.sizing import cert_store, frozen_cert, max_signature_size

if TYPE_CHECKING:
    from mypy_boto3_kms.client import KMSClient
else:
    KMSClient = Any

RAW_MESSAGE_LIMIT = 4096

# KMS signing algorithm -> (CMS signature mechanism, digest algorithm)
KMS_ALGORITHMS: dict[str, tuple[str, str]] = {
    "RSASSA_PKCS1_V1_5_SHA_256": ("sha256_rsa", "sha256"),
    "RSASSA_PKCS1_V1_5_SHA_384": ("sha384_rsa", "sha384"),
    "RSASSA_PKCS1_V1_5_SHA_512": ("sha512_rsa", "sha512"),
    "ECDSA_SHA_256": ("sha256_ecdsa", "sha256"),
    "ECDSA_SHA_384": ("sha384_ecdsa", "sha384"),
}


def default_kms_algorithm(cert: x509.Certificate) -> str:
    """The KMS SigningAlgorithm matching the certificate's key (SHA-256 unless the curve asks for more)."""
    public = cert.public_key
    if public.algorithm == "rsa":
        return "RSASSA_PKCS1_V1_5_SHA_256"
    if public.algorithm == "ec":
        return "ECDSA_SHA_384" if public.bit_size == 384 else "ECDSA_SHA_256"
    raise KmsSigningError(f"no KMS signing algorithm for {public.algorithm} keys")


def kms_public_key(kms: KMSClient, key_id: str) -> bytes:
    """The key's SubjectPublicKeyInfo (DER): what a CA certifies."""
    try:
        der: bytes = kms.get_public_key(KeyId=key_id)["PublicKey"]
    except (ClientError, BotoCoreError) as exc:
        raise KmsSigningError(f"KMS GetPublicKey failed for {key_id}: {exc}") from exc
    return der


class KmsSigner(Signer):
    """Signs with an asymmetric KMS key; the certificate (and its CA chain) is supplied by the caller."""

    def __init__(
        self,
        kms: KMSClient,
        key_id: str,
        signing_cert: x509.Certificate,
        ca_chain: Iterable[x509.Certificate] = (),
        *,
        signing_algorithm: str | None = None,
        embed_roots: bool = True,
    ) -> None:
        algorithm = signing_algorithm or default_kms_algorithm(signing_cert)
        try:
            mechanism, digest = KMS_ALGORITHMS[algorithm]
        except KeyError:
            raise KmsSigningError(f"unsupported KMS signing algorithm {algorithm}") from None
        self.kms = kms
        self.key_id = key_id
        self.kms_algorithm = algorithm
        self.digest_algorithm = digest
        self.max_signature_size = max_signature_size(signing_cert)
        super().__init__(
            signing_cert=frozen_cert(signing_cert),
            cert_registry=cert_store(ca_chain),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": mechanism}),
            embed_roots=embed_roots,
        )

    @classmethod
    def verified(
        cls,
        kms: KMSClient,
        key_id: str,
        signing_cert: x509.Certificate,
        ca_chain: Iterable[x509.Certificate] = (),
        **kwargs: Any,
    ) -> KmsSigner:
        """The constructor, after checking (one GetPublicKey call) that the certificate is for this key."""
        if keys.PublicKeyInfo.load(kms_public_key(kms, key_id)).dump() != signing_cert.public_key.dump():
            raise KmsSigningError(f"the certificate's public key is not the public key of KMS key {key_id}")
        return cls(kms, key_id, signing_cert, ca_chain, **kwargs)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if digest_algorithm != self.digest_algorithm:
            raise KmsSigningError(
                f"{self.kms_algorithm} signs {self.digest_algorithm} digests, not {digest_algorithm}"
            )
        if dry_run:
            return bytes(self.max_signature_size)
        message_type: Literal["RAW", "DIGEST"] = "RAW"
        message = data
        if len(data) > RAW_MESSAGE_LIMIT:
            message, message_type = hashlib.new(digest_algorithm, data).digest(), "DIGEST"
        try:
            response = self.kms.sign(
                KeyId=self.key_id,
                Message=message,
                MessageType=message_type,
                SigningAlgorithm=self.kms_algorithm,  # type: ignore[arg-type]
            )
        except (ClientError, BotoCoreError) as exc:
            raise KmsSigningError(f"KMS Sign failed for {self.key_id}: {exc}") from exc
        signature: bytes = response["Signature"]
        return signature
