"""A signer's CSR is made from the KMS key and signed through KMS; a certificate is imported only if it
is for that key, issued by its chain and valid now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from moto import mock_aws

from onboarding.keys import CertificateError, certificate_request, check_certificate

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


@pytest.fixture
def kms() -> Any:
    with mock_aws():
        yield boto3.client("kms", region_name="ap-southeast-7")


def _ca() -> tuple[Any, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Agency CA (test)")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _issue(ca: tuple[Any, x509.Certificate], csr: x509.CertificateSigningRequest, days: int = 365) -> str:
    key, cert = ca
    issued = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(cert.subject)
        .public_key(csr.public_key())
        .serial_number(2)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=days))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    return issued.public_bytes(serialization.Encoding.PEM).decode()


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_the_request_is_the_keys_and_signed_by_it(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    pem = certificate_request(kms, key_id, common_name="นางสาวศิริพร ตั้งใจ", organization="หน่วยงานทดสอบ")
    csr = x509.load_pem_x509_csr(pem.encode())
    assert csr.is_signature_valid
    spki = csr.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert spki == kms.get_public_key(KeyId=key_id)["PublicKey"]
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "นางสาวศิริพร ตั้งใจ"


def test_a_certificate_is_checked_against_key_chain_and_date(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    other = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    ca = _ca()
    csr = x509.load_pem_x509_csr(certificate_request(kms, key_id, common_name="A", organization="B").encode())
    issued = _issue(ca, csr)
    checked = check_certificate(kms, key_id, issued, [_pem(ca[1])], now=NOW)
    assert checked.not_after == NOW + timedelta(days=365)
    with pytest.raises(CertificateError, match="not for this key"):
        check_certificate(kms, other, issued, [_pem(ca[1])], now=NOW)
    with pytest.raises(CertificateError, match="not issued by the next"):
        check_certificate(kms, key_id, issued, [_pem(_ca()[1])], now=NOW)
    with pytest.raises(CertificateError, match="not valid now"):
        check_certificate(kms, key_id, issued, [_pem(ca[1])], now=NOW + timedelta(days=400))
