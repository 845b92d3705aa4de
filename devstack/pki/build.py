"""Build the offline test PKI (certomancer) for a set of agencies and signer public keys.

    pki = build_pki(DEMO_AGENCIES, [SignerKey("moi-0201-director", "moi-0201", "นายสมชาย ใจดี", spki_der)])
    pki.signer_cert("moi-0201-director"), pki.signer_chain(...), pki.trust_roots, pki.tsa_url

Certificates carry OCSP / CRL URLs under `url_prefix`; serve them with devstack.pki.serve.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from asn1crypto import x509
from certomancer.registry import (
    ArchLabel,
    CertLabel,
    CertomancerConfig,
    PKIArchitecture,
    ServiceLabel,
)

from devstack.pki.keys import (
    KeyAlgorithm,
    default_cache_dir,
    ensure_private_key,
    serial_for_key,
    write_public_key,
)

CONFIG_FILE = Path(__file__).with_name("pki.yml")
DEFAULT_URL_PREFIX = "http://127.0.0.1:9780"


@dataclass(frozen=True)
class Agency:
    agency_id: str  # e.g. "moi-0201": used in labels and service URLs, so [a-z0-9-]
    name: str  # Thai name, goes into O=
    name_en: str  # Latin name, goes into CN= of the CA


@dataclass(frozen=True)
class SignerKey:
    """A person (or seal) the PKI issues a certificate for; only the public key is known here."""

    label: str  # unique, [a-z0-9-]
    agency_id: str
    common_name: str
    public_key_der: bytes  # SubjectPublicKeyInfo DER, e.g. kms.get_public_key(...)["PublicKey"]
    revoked_since: datetime | None = None  # listed as revoked (key compromise) by OCSP and CRL from then


DEMO_AGENCIES: tuple[Agency, ...] = (
    Agency("moi-0201", "สำนักงานปลัดกระทรวงมหาดไทย", "Office of the Permanent Secretary MOI"),
    Agency("moi-0301", "กรมการปกครอง", "Department of Provincial Administration"),
)


@dataclass
class LocalPki:
    """A built certomancer architecture plus the lookups the signing code needs."""

    arch: PKIArchitecture
    url_prefix: str
    agencies: tuple[Agency, ...]
    signers: tuple[SignerKey, ...]
    build_seconds: float
    _signer_agency: dict[str, str] = field(default_factory=dict)
    _parsed: dict[str, x509.Certificate] = field(default_factory=dict)

    def cert(self, label: str) -> x509.Certificate:
        """The certificate as parsed DER (certomancer's objects re-encode themselves on every dump)."""
        cached = self._parsed.get(label)
        if cached is None:
            cached = x509.Certificate.load(self.arch.get_cert(CertLabel(label)).dump())
            self._parsed[label] = cached
        return cached

    @property
    def root_cert(self) -> x509.Certificate:
        return self.cert("root")

    @property
    def trust_roots(self) -> list[x509.Certificate]:
        return [self.root_cert]

    @property
    def tsa_cert(self) -> x509.Certificate:
        return self.cert("tsa")

    def agency_ca_cert(self, agency_id: str) -> x509.Certificate:
        return self.cert(f"{agency_id}-ca")

    def signer_cert(self, label: str) -> x509.Certificate:
        return self.cert(label)

    def signer_chain(self, label: str) -> list[x509.Certificate]:
        """The CA certificates above a signer, nearest first (intermediate, root)."""
        return [self.agency_ca_cert(self._signer_agency[label]), self.root_cert]

    @property
    def tsa_url(self) -> str:
        return self._service_url("time-stamping", "tsa")

    def ocsp_url(self, agency_id: str) -> str:
        return self._service_url("ocsp", agency_id)

    def crl_url(self, agency_id: str | None = None) -> str:
        """Latest CRL of an agency CA, or of the root when agency_id is None."""
        info = self.arch.service_registry.get_crl_repo_info(ServiceLabel(agency_id or "root"))
        url: str = info.latest_external_url
        return url

    def _service_url(self, kind: str, label: str) -> str:
        registry = self.arch.service_registry
        if kind == "time-stamping":
            url: str = registry.get_tsa_info(ServiceLabel(label)).url
        else:
            url = registry.get_ocsp_info(ServiceLabel(label)).url
        return url

    def all_certs(self) -> list[x509.Certificate]:
        labels = ["root", "tsa"]
        for agency in self.agencies:
            labels += [f"{agency.agency_id}-ca", f"{agency.agency_id}-ocsp"]
        labels += [signer.label for signer in self.signers]
        return [self.cert(label) for label in labels]


@cache
def _config_templates() -> dict[str, Any]:
    with CONFIG_FILE.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def _fill(node: Any, values: Mapping[str, str]) -> Any:
    """Apply str.format(**values) to every string (keys included) of a YAML tree."""
    if isinstance(node, str):
        return node.format(**values)
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, dict):
        return {_fill(key, values): _fill(value, values) for key, value in node.items()}
    return node


def _merge(target: dict[str, Any], fragment: Mapping[str, Any]) -> None:
    for key, value in fragment.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        elif key in target:
            raise ValueError(f"duplicate PKI config entry {key!r}")
        else:
            target[key] = copy.deepcopy(value)


def _check_label(label: str) -> None:
    if not label or not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in label):
        raise ValueError(f"PKI labels must be [A-Za-z0-9-]: {label!r}")


def pki_config(
    agencies: Sequence[Agency],
    signers: Sequence[SignerKey],
    key_dir: Path,
    *,
    ca_key_algorithm: KeyAlgorithm = "ec-p256",
) -> dict[str, Any]:
    """The certomancer configuration dict; creates missing CA keys and writes signer public keys."""
    templates = _config_templates()
    arch_label: str = templates["arch"]
    arch: dict[str, Any] = copy.deepcopy(templates["base"])
    keys: dict[str, dict[str, Any]] = {}

    def private(name: str) -> None:
        keys[name] = {"path": ensure_private_key(key_dir, name, ca_key_algorithm).name}

    private("root")
    private("tsa")
    known = set()
    for agency in agencies:
        _check_label(agency.agency_id)
        if agency.agency_id in known or agency.agency_id in ("root", "tsa"):
            raise ValueError(f"duplicate agency id {agency.agency_id!r}")
        known.add(agency.agency_id)
        values = {"agency": agency.agency_id, "agency_name": agency.name, "agency_name_en": agency.name_en}
        _merge(arch, _fill(templates["agency"], values))
        private(f"{agency.agency_id}-ca")
        private(f"{agency.agency_id}-ocsp")
    by_id = {agency.agency_id: agency for agency in agencies}
    for signer in signers:
        _check_label(signer.label)
        owner = by_id.get(signer.agency_id)
        if owner is None:
            raise ValueError(f"signer {signer.label!r}: unknown agency {signer.agency_id!r}")
        values = {
            "agency": owner.agency_id,
            "agency_name": owner.name,
            "agency_name_en": owner.name_en,
            "signer": signer.label,
            "signer_name": signer.common_name,
        }
        fragment = _fill(templates["signer"], values)
        fragment["certs"][signer.label]["serial"] = serial_for_key(signer.public_key_der)
        if signer.revoked_since is not None:
            fragment["certs"][signer.label]["revocation"] = {
                "revoked-since": signer.revoked_since.isoformat(),
                "reason": "key_compromise",
            }
        _merge(arch, fragment)
        public = write_public_key(key_dir / "signers", signer.label, signer.public_key_der)
        keys[signer.label] = {"path": str(public.relative_to(key_dir)), "public-only": True}
    arch["keyset"] = arch_label
    return {"keysets": {arch_label: {"keys": keys}}, "pki-architectures": {arch_label: arch}}


def build_pki(
    agencies: Sequence[Agency] = DEMO_AGENCIES,
    kms_public_keys: Iterable[SignerKey] = (),
    *,
    url_prefix: str = DEFAULT_URL_PREFIX,
    cache_dir: Path | None = None,
    ca_key_algorithm: KeyAlgorithm = "ec-p256",
) -> LocalPki:
    """Build the architecture and issue every certificate up front (so errors surface here, not mid-request).

    `kms_public_keys` are the signers: one certificate each, issued by their agency's CA for the given public
    key (certomancer `public-only` keys). `url_prefix` is what the OCSP / CRL / TSA URLs in the certificates
    start with: it must be where devstack.pki.serve listens (or anything, with the in-process illusionist).
    """
    started = time.perf_counter()
    signers = tuple(kms_public_keys)
    key_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    config = pki_config(agencies, signers, key_dir, ca_key_algorithm=ca_key_algorithm)
    cfg = CertomancerConfig(config, key_search_dir=str(key_dir), external_url_prefix=url_prefix.rstrip("/"))
    arch = cfg.get_pki_arch(ArchLabel(_config_templates()["arch"]))
    pki = LocalPki(
        arch=arch,
        url_prefix=url_prefix.rstrip("/"),
        agencies=tuple(agencies),
        signers=signers,
        build_seconds=0.0,
        _signer_agency={signer.label: signer.agency_id for signer in signers},
    )
    pki.all_certs()  # issue everything now
    for agency in (None, *(a.agency_id for a in agencies)):
        pki.arch.service_registry.get_crl(ServiceLabel(agency or "root"))  # and warm the CRL path
    pki.build_seconds = time.perf_counter() - started
    return pki
