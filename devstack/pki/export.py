"""The public half of a built PKI as JSON: certificates and service URLs, for other processes.

The PKI (and its HTTP services) can run in one process while the sign worker, the API and the benchmark
run elsewhere: they need the same certificates (ECDSA-signed certificates differ on every build, so a
rebuild is not a substitute) and the URLs. No private key is ever exported.

    info = PkiInfo.from_json(export_pki(pki))
    info.signer_cert("moi-0201-director"), info.signer_chain(...), info.trust_roots, info.tsa_url
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asn1crypto import x509

from devstack.pki.build import LocalPki


def export_pki(pki: LocalPki) -> dict[str, Any]:
    labels = ["root", "tsa"]
    for agency in pki.agencies:
        labels += [f"{agency.agency_id}-ca", f"{agency.agency_id}-ocsp"]
    labels += [signer.label for signer in pki.signers]
    return {
        "url_prefix": pki.url_prefix,
        "tsa_url": pki.tsa_url,
        "ocsp_urls": {a.agency_id: pki.ocsp_url(a.agency_id) for a in pki.agencies},
        "crl_urls": {"root": pki.crl_url(), **{a.agency_id: pki.crl_url(a.agency_id) for a in pki.agencies}},
        "signers": {s.label: s.agency_id for s in pki.signers},
        "certs": {label: base64.b64encode(pki.cert(label).dump()).decode("ascii") for label in labels},
    }


@dataclass(frozen=True)
class PkiInfo:
    """Read side of export_pki(): the lookups LocalPki offers, without certomancer."""

    url_prefix: str
    tsa_url: str
    ocsp_urls: Mapping[str, str]
    crl_urls: Mapping[str, str]
    signers: Mapping[str, str]  # signer label -> agency id
    certs: Mapping[str, x509.Certificate]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PkiInfo:
        return cls(
            url_prefix=data["url_prefix"],
            tsa_url=data["tsa_url"],
            ocsp_urls=dict(data["ocsp_urls"]),
            crl_urls=dict(data["crl_urls"]),
            signers=dict(data["signers"]),
            certs={
                label: x509.Certificate.load(base64.b64decode(der)) for label, der in data["certs"].items()
            },
        )

    @property
    def root_cert(self) -> x509.Certificate:
        return self.certs["root"]

    @property
    def trust_roots(self) -> list[x509.Certificate]:
        return [self.root_cert]

    def signer_cert(self, label: str) -> x509.Certificate:
        return self.certs[label]

    def signer_chain(self, label: str) -> list[x509.Certificate]:
        return [self.certs[f"{self.signers[label]}-ca"], self.root_cert]
