"""A pyHanko Signer with the private key in process memory, parsed once.

pyHanko's SimpleSigner re-parses its key from DER on every signature; under OpenSSL 3 the RSA
consistency check makes that ~35 ms per signature (perf-research.md §1.3). This one keeps the
`cryptography` key object. For tests, the benchmark and local tooling; production keys stay in KMS.
"""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto import algos, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.signers.pdf_cms import Signer

from chalicelib.signing.errors import SigningFailed
from chalicelib.signing.sizing import cert_store, frozen_cert, max_signature_size

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class InMemoryKeySigner(Signer):
    """RSA (PKCS#1 v1.5) or ECDSA with a key object loaded once."""

    def __init__(
        self,
        private_key: PrivateKey,
        signing_cert: x509.Certificate,
        ca_chain: Iterable[x509.Certificate] = (),
        *,
        digest_algorithm: str = "sha256",
        embed_roots: bool = True,
    ) -> None:
        if digest_algorithm not in _HASHES:
            raise SigningFailed(f"unsupported digest {digest_algorithm}")
        self.private_key = private_key
        self.digest_algorithm = digest_algorithm
        self.max_signature_size = max_signature_size(signing_cert)
        if isinstance(private_key, rsa.RSAPrivateKey):
            mechanism = f"{digest_algorithm}_rsa"
        elif isinstance(private_key, ec.EllipticCurvePrivateKey):
            mechanism = f"{digest_algorithm}_ecdsa"
        else:
            raise SigningFailed(f"unsupported key type {type(private_key).__name__}")
        super().__init__(
            signing_cert=frozen_cert(signing_cert),
            cert_registry=cert_store(ca_chain),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": mechanism}),
            embed_roots=embed_roots,
        )

    @classmethod
    def from_pem(
        cls,
        key_pem: bytes,
        signing_cert: x509.Certificate,
        ca_chain: Iterable[x509.Certificate] = (),
        *,
        password: bytes | None = None,
    ) -> InMemoryKeySigner:
        key = serialization.load_pem_private_key(key_pem, password=password)
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SigningFailed(f"unsupported key type {type(key).__name__}")
        return cls(key, signing_cert, ca_chain)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self.max_signature_size)
        return self.sign_raw(data, digest_algorithm)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            hash_algorithm = _HASHES[digest_algorithm]()
        except KeyError:
            raise SigningFailed(f"unsupported digest {digest_algorithm}") from None
        key = self.private_key
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hash_algorithm)
        return key.sign(data, ec.ECDSA(hash_algorithm))
