"""Certificates for the demo signers' keys, from the test PKI of the local stack.

The demo agencies are onboarded like any agency (their signers' KMS keys come from the onboarding
template). The test PKI then issues each signer's certificate for their key's public key and serves its
TSA, OCSP and CRLs on 127.0.0.1; the certificates are imported with the same check as
`eoffice keys import-cert` (onboarding/keys.py). In production the agency's CA (NRCA chain) issues them
from a CSR (`eoffice keys csr`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SignerSetup:
    agency_id: str
    username: str
    kms_key_id: str
    label: str


def provision(session: Any, onboarded: dict[str, Any]) -> tuple[Any, list[SignerSetup]]:
    """The test PKI, issuing a certificate for each onboarded signer's key."""
    from devstack.demo import AGENCIES
    from devstack.pki import Agency, SignerKey, start_pki_server

    kms = session.client("kms")
    names = {u.username: u.name for a in AGENCIES for u in a.users}
    setups, keys = [], []
    for agency_id, done in onboarded.items():
        for username, key_arn in done.keys.items():
            label = f"{agency_id}-{username.replace('.', '-')}"
            public_key = kms.get_public_key(KeyId=key_arn)["PublicKey"]
            keys.append(SignerKey(label, agency_id, names.get(username, username), public_key))
            setups.append(SignerSetup(agency_id, username, key_arn, label))
    server = start_pki_server([Agency(a.id, a.name, a.name_en) for a in AGENCIES], keys, port=0)
    return server, setups


def _pem(cert: Any) -> str:
    body = base64.encodebytes(cert.dump()).decode()
    return f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n"


def certify(session: Any, pki: Any, setups: list[SignerSetup]) -> None:
    """Each signer's certificate imported (checked against the key and the chain); each agency trusts
    the test root and uses its TSA."""
    from datetime import UTC, datetime

    from chalicelib.directory.store import save_signing_settings

    from onboarding.keys import import_certificate

    kms = session.client("kms")
    for setup in setups:
        import_certificate(
            kms,
            setup.agency_id,
            setup.username,
            _pem(pki.signer_cert(setup.label)),
            [_pem(c) for c in pki.signer_chain(setup.label)],
        )
    signing = {"trust_roots_pem": [_pem(c) for c in pki.trust_roots], "tsa_url": pki.tsa_url}
    for agency_id in sorted({s.agency_id for s in setups}):
        save_signing_settings(agency_id, signing, actor="system:demo", at=datetime.now(UTC))
