"""Shared material for the signing tests: one moto KMS, one certomancer PKI on 127.0.0.1, one signing service.

Real crypto throughout: KMS keys are moto's (in-process mock_aws), certificates come from certomancer for
their public keys, OCSP/CRL/TSA are served over HTTP by devstack.pki. Built once for this test package
(AWS credentials and region defaults come from tests/conftest.py; the KMS client names its region).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from chalicelib.signing.key_signer import InMemoryKeySigner
from chalicelib.signing.kms_signer import KmsSigner, kms_public_key
from chalicelib.signing.pades import PadesSigningService
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from moto import mock_aws

from devstack.pki import DEMO_AGENCIES, PkiServer, SignerKey, start_pki_server
from tests.unit.signing.signing_helpers import make_pdf, with_empty_field

REGION = "ap-southeast-1"


@dataclass
class SigningEnv:
    server: PkiServer
    kms: object
    kms_rsa: KmsSigner  # RSA_2048 KMS key, agency moi-0201
    kms_ec: KmsSigner  # ECC_NIST_P256 KMS key, agency moi-0301
    memory_ec: InMemoryKeySigner  # in-process P-256 key, agency moi-0201
    revoked: InMemoryKeySigner  # revoked since 2025-06-01
    service: PadesSigningService

    @property
    def pki(self):  # type: ignore[no-untyped-def]
        return self.server.pki


def _spki(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture(scope="package")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SigningEnv]:
    with mock_aws():
        kms = boto3.client("kms", region_name=REGION)
        rsa_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        ec_id = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        memory_key = ec.generate_private_key(ec.SECP256R1())
        revoked_key = ec.generate_private_key(ec.SECP256R1())
        signer_keys = [
            SignerKey("moi-0201-director", "moi-0201", "นายสมชาย ใจดี", kms_public_key(kms, rsa_id)),
            SignerKey("moi-0301-deputy", "moi-0301", "นางสาวสมหญิง รักงาน", kms_public_key(kms, ec_id)),
            SignerKey("moi-0201-clerk", "moi-0201", "นายทดสอบ ในหน่วยความจำ", _spki(memory_key)),
            SignerKey(
                "moi-0201-revoked",
                "moi-0201",
                "นายเพิกถอน แล้ว",
                _spki(revoked_key),
                revoked_since=datetime(2025, 6, 1, tzinfo=UTC),
            ),
        ]
        cache = Path(os.environ.get("EOFFICE_PKI_CACHE") or tmp_path_factory.mktemp("pki-keys"))
        with start_pki_server(DEMO_AGENCIES, signer_keys, port=0, cache_dir=cache) as server:
            pki = server.pki
            service = PadesSigningService(trust_roots=pki.trust_roots, tsa_url=pki.tsa_url)
            yield SigningEnv(
                server=server,
                kms=kms,
                kms_rsa=KmsSigner.verified(
                    kms,
                    rsa_id,
                    pki.signer_cert("moi-0201-director"),
                    pki.signer_chain("moi-0201-director"),
                ),
                kms_ec=KmsSigner.verified(
                    kms, ec_id, pki.signer_cert("moi-0301-deputy"), pki.signer_chain("moi-0301-deputy")
                ),
                memory_ec=InMemoryKeySigner(
                    memory_key, pki.signer_cert("moi-0201-clerk"), pki.signer_chain("moi-0201-clerk")
                ),
                revoked=InMemoryKeySigner(
                    revoked_key, pki.signer_cert("moi-0201-revoked"), pki.signer_chain("moi-0201-revoked")
                ),
                service=service,
            )
            service.close()


@pytest.fixture(scope="package")
def blank_pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="package")
def letter_pdf(blank_pdf: bytes) -> bytes:
    """A letter with the first signer's field reserved by the renderer."""
    return with_empty_field(blank_pdf, "Sig1", (320, 60, 560, 150))
