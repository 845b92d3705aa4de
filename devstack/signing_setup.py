"""Signing keys and the test PKI for the local stack.

Each demo user who signs (directors and section heads) gets an asymmetric KMS key on the embedded
backend; the test PKI issues their certificates for those public keys and serves its TSA, OCSP and
CRLs on 127.0.0.1. In production the same facts come from the agency onboarding template and the
agency's CA (NRCA chain).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from devstack.demo import AGENCIES

SIGNING_ROLES = {"director", "head"}


@dataclass(frozen=True)
class SignerSetup:
    agency_id: str
    username: str
    kms_key_id: str
    label: str


def provision(session: Any) -> tuple[Any, dict[str, SignerSetup]]:
    from devstack.pki import Agency, SignerKey, start_pki_server

    kms = session.client("kms")
    setups: dict[str, SignerSetup] = {}
    keys = []
    for agency in AGENCIES:
        for user in agency.users:
            if not SIGNING_ROLES & set(user.roles):
                continue
            key_id = kms.create_key(
                KeySpec="RSA_2048",
                KeyUsage="SIGN_VERIFY",
                Description=f"e-Office signing key of {user.username}",
                Tags=[
                    {"TagKey": "eoffice:purpose", "TagValue": "document-signing"},
                    {"TagKey": "eoffice:agency", "TagValue": agency.id},
                ],
            )["KeyMetadata"]["KeyId"]
            public_key = kms.get_public_key(KeyId=key_id)["PublicKey"]
            label = f"{agency.id}-{user.username.replace('.', '-')}"
            keys.append(SignerKey(label, agency.id, user.name, public_key))
            setups[user.username] = SignerSetup(agency.id, user.username, key_id, label)
    server = start_pki_server([Agency(a.id, a.name, a.name_en) for a in AGENCIES], keys, port=0)
    return server, setups


def _pem(cert: Any) -> str:
    body = base64.encodebytes(cert.dump()).decode()
    return f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n"


def agency_signing_settings(pki: Any) -> dict[str, Any]:
    return {"trust_roots_pem": [_pem(c) for c in pki.trust_roots], "tsa_url": pki.tsa_url}


def signer_record(pki: Any, setup: SignerSetup) -> dict[str, Any]:
    return {
        "kms_key_id": setup.kms_key_id,
        "certificate_pem": _pem(pki.signer_cert(setup.label)),
        "chain_pem": [_pem(c) for c in pki.signer_chain(setup.label)],
    }
