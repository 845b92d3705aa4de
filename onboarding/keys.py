"""Signer certificates for KMS keys: the production workflow.

1. `eoffice keys csr`: a PKCS#10 request for the signer's KMS key. Its public key is the key's; it is
   signed through KMS (the private key never leaves KMS), while the key is still tagged
   ``eoffice:certificate=pending`` (the only time the key ceremony role may sign with it).
2. The agency's CA (under the national root) issues the certificate.
3. `eoffice keys import-cert`: the certificate is checked against the key (same public key), against
   its chain (each certificate issued by the next), for its validity period and its key usage; then it
   is recorded for the signer and the key is tagged ``issued`` (from then on only the sign worker signs).
4. `eoffice keys expiring`: the certificates that end within the agency's warning period.

asn1crypto builds the request (it comes with pyHanko); cryptography checks what comes back.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from asn1crypto import csr as asn1_csr
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509

# KMS signing algorithm and the request's signature algorithm, per key type.
_ALGORITHMS = {
    "RSA": ("RSASSA_PKCS1_V1_5_SHA_256", "sha256_rsa"),
    "ECC": ("ECDSA_SHA_256", "sha256_ecdsa"),
}


class CertificateError(Exception):
    """The certificate does not fit the key, its chain or the date; the message says which."""


def _pem(kind: str, der: bytes) -> str:
    body = base64.encodebytes(der).decode()
    return f"-----BEGIN {kind}-----\n{body}-----END {kind}-----\n"


def certificate_request(kms: Any, key_id: str, *, common_name: str, organization: str) -> str:
    """A PEM CSR for the KMS key, signed through KMS."""
    public = kms.get_public_key(KeyId=key_id)
    spec = public.get("KeySpec") or public.get("CustomerMasterKeySpec", "")  # moto answers the old name
    kms_algorithm, csr_algorithm = _ALGORITHMS["ECC" if spec.startswith("ECC") else "RSA"]
    info = asn1_csr.CertificationRequestInfo(
        {
            "version": "v1",
            "subject": asn1_x509.Name.build(
                {"common_name": common_name, "organization_name": organization, "country_name": "TH"},
                use_printable=False,
            ),
            "subject_pk_info": asn1_keys.PublicKeyInfo.load(public["PublicKey"]),
            "attributes": [],
        }
    )
    signature = kms.sign(
        KeyId=key_id, Message=info.dump(), MessageType="RAW", SigningAlgorithm=kms_algorithm
    )["Signature"]
    request = asn1_csr.CertificationRequest(
        {
            "certification_request_info": info,
            "signature_algorithm": {"algorithm": csr_algorithm},
            "signature": signature,
        }
    )
    return _pem("CERTIFICATE REQUEST", request.dump())


@dataclass(frozen=True)
class CheckedCertificate:
    certificate_pem: str
    chain_pem: list[str]
    not_after: datetime
    subject: str


def check_certificate(
    kms: Any, key_id: str, certificate_pem: str, chain_pem: list[str], *, now: datetime
) -> CheckedCertificate:
    """The certificate is the key's, is issued by its chain, is valid now and may sign documents."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
        chain = [c for pem in chain_pem for c in x509.load_pem_x509_certificates(pem.encode())]
    except ValueError as error:
        raise CertificateError(f"not a PEM certificate: {error}") from error
    public = kms.get_public_key(KeyId=key_id)["PublicKey"]
    if certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) != public:
        raise CertificateError("the certificate is not for this key (its public key differs)")
    if not certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc:
        raise CertificateError(
            f"the certificate is not valid now ({certificate.not_valid_before_utc:%Y-%m-%d} to "
            f"{certificate.not_valid_after_utc:%Y-%m-%d})"
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise CertificateError("the certificate's key usage allows no signatures")
    except x509.ExtensionNotFound:
        pass  # no restriction stated
    for child, issuer in zip([certificate, *chain], chain, strict=False):
        try:
            child.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, Exception) as error:  # cryptography's InvalidSignature is an Exception
            raise CertificateError(
                f"{child.subject.rfc4514_string()} is not issued by the next in the chain"
            ) from error
    return CheckedCertificate(
        certificate_pem,
        chain_pem,
        certificate.not_valid_after_utc,
        certificate.subject.rfc4514_string(),
    )


def import_certificate(
    kms: Any,
    agency_id: str,
    username: str,
    certificate_pem: str,
    chain_pem: list[str],
    *,
    now: datetime | None = None,
) -> CheckedCertificate:
    """Check the certificate against the signer's key, record it, and end the key's pending state."""
    from chalicelib.directory import store

    moment = now or datetime.now(UTC)
    user = next((u for u in store.users(agency_id) if u.username == username), None)
    if user is None or not (user.signing or {}).get("kms_key_id"):
        raise CertificateError(f"{username} in {agency_id} has no signing key")
    key_id = user.signing["kms_key_id"]
    checked = check_certificate(kms, key_id, certificate_pem, chain_pem, now=moment)
    store.save_signing(
        user,
        {
            "kms_key_id": key_id,
            "certificate_pem": checked.certificate_pem,
            "chain_pem": checked.chain_pem,
            "not_after": checked.not_after.isoformat(),
        },
        actor="system:key-ceremony",
        at=moment,
    )
    kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "eoffice:certificate", "TagValue": "issued"}])
    return checked


def expiring(agency_id: str, *, within_days: int, now: datetime | None = None) -> list[tuple[str, datetime]]:
    """The agency's signers whose certificate ends within the warning period, soonest first."""
    from chalicelib.directory import store

    moment = now or datetime.now(UTC)
    found = []
    for user in store.users(agency_id):
        ends = (user.signing or {}).get("not_after")
        if user.active and ends and datetime.fromisoformat(ends) < moment + timedelta(days=within_days):
            found.append((user.username, datetime.fromisoformat(ends)))
    return sorted(found, key=lambda item: item[1])
