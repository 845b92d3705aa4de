"""How many bytes to reserve for the CMS blob of a signature, computed instead of test-signed.

pyHanko's default sizes /Contents by building and signing a throw-away CMS first (a second KMS call,
a second key load). We add up the parts instead: the embedded certificates, the largest possible raw
signature, the signed attributes and (B-T and up) a timestamp token of the TSA's typical size, then
double it (hex) and add a margin. If a TSA answer ever outgrows the margin, pades.py retries once with
twice the space.
"""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto import x509
from pyhanko_certvalidator.registry import SimpleCertificateStore

# SignedData / SignerInfo framing and the fixed-size signed attributes (content type, message digest,
# CMS algorithm protection, the hash in signing-certificate-v2): ~300 bytes, rounded up. The issuer name
# appears twice more (SignerInfo sid, signing-certificate-v2) and is added per certificate.
CMS_OVERHEAD = 512
# ECDSA signatures are DER and vary by a few bytes; RSA ones are the modulus size
ECDSA_MAX_SIGNATURE = {256: 72, 384: 104, 521: 139}
TIMESTAMP_MARGIN = 1024


def max_signature_size(cert: x509.Certificate) -> int:
    """The largest raw signature the certificate's key can produce (DER for ECDSA)."""
    public = cert.public_key
    if public.algorithm == "rsa":
        return (int(public.bit_size) + 7) // 8
    if public.algorithm == "ec":
        bits = int(public.bit_size)
        return ECDSA_MAX_SIGNATURE.get(bits, 2 * ((bits + 7) // 8) + 9)
    return 512


def frozen_cert(cert: x509.Certificate) -> x509.Certificate:
    """The certificate re-parsed from its DER.

    An asn1crypto object built in Python (as certomancer does) re-encodes itself on every dump(), and
    pyHanko dumps each embedded certificate several times per signature: parsed ones return cached bytes.
    """
    loaded: x509.Certificate = x509.Certificate.load(cert.dump())
    return loaded


def cert_store(certs: Iterable[x509.Certificate]) -> SimpleCertificateStore:
    store = SimpleCertificateStore()
    for cert in certs:
        store.register(frozen_cert(cert))
    return store


def reserve_bytes(
    signing_cert: x509.Certificate,
    embedded_certs: Iterable[x509.Certificate],
    *,
    timestamp_token_size: int = 0,
) -> int:
    """Hex characters to reserve in /Contents (even, rounded up to 512)."""
    seen = {signing_cert.issuer_serial}
    cert_bytes = len(signing_cert.dump())
    for cert in embedded_certs:
        if cert.issuer_serial not in seen:
            seen.add(cert.issuer_serial)
            cert_bytes += len(cert.dump())
    der = cert_bytes + max_signature_size(signing_cert) + CMS_OVERHEAD + 2 * len(signing_cert.issuer.dump())
    if timestamp_token_size:
        der += timestamp_token_size + TIMESTAMP_MARGIN
    hex_len = 2 * der
    return -(-hex_len // 512) * 512
