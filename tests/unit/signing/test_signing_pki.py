"""The test PKI itself: certificates, services over HTTP, build time."""

from __future__ import annotations

import asyncio
import base64
import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from asn1crypto import crl as asn1_crl
from chalicelib.signing.key_signer import InMemoryKeySigner
from chalicelib.signing.pades import NewField, PadesSigningService
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.validation import validate_pdf
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from devstack.pki import DEMO_AGENCIES, PkiInfo, SignerKey, build_pki, illusionist
from tests.unit.signing.conftest import SigningEnv
from tests.unit.signing.signing_helpers import make_pdf


def test_signer_certificates_are_issued_for_the_kms_public_keys(env: SigningEnv) -> None:
    pki = env.pki
    cert = pki.signer_cert("moi-0201-director")
    assert cert.public_key.dump() == env.kms_rsa.signing_cert.public_key.dump()
    assert cert.issuer == pki.agency_ca_cert("moi-0201").subject
    assert pki.agency_ca_cert("moi-0201").issuer == pki.root_cert.subject
    assert pki.signer_chain("moi-0301-deputy")[0].subject == pki.agency_ca_cert("moi-0301").subject
    assert {"digital_signature", "non_repudiation"} <= set(cert.key_usage_value.native)
    assert cert.ocsp_urls == [pki.ocsp_url("moi-0201")]
    assert pki.url_prefix.startswith("http://127.0.0.1:")


def test_crls_are_served_over_http_and_list_revoked_signers(env: SigningEnv) -> None:
    pki = env.pki
    with urllib.request.urlopen(pki.crl_url("moi-0201"), timeout=5) as response:  # noqa: S310 (loopback)
        crl = asn1_crl.CertificateList.load(response.read())
    revoked = {entry["user_certificate"].native for entry in crl["tbs_cert_list"]["revoked_certificates"]}
    assert pki.signer_cert("moi-0201-revoked").serial_number in revoked
    assert pki.signer_cert("moi-0201-director").serial_number not in revoked


def test_build_is_fast(tmp_path) -> None:  # type: ignore[no-untyped-def]
    keys = []
    for n in range(10):
        spki = (
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        keys.append(SignerKey(f"signer-{n}", DEMO_AGENCIES[n % 2].agency_id, f"Signer {n}", spki))
    started = time.perf_counter()
    pki = build_pki(DEMO_AGENCIES, keys, cache_dir=tmp_path)  # cold: generates the CA keys too
    assert time.perf_counter() - started < 5
    assert pki.build_seconds < 5
    assert len(pki.all_certs()) == 2 + 2 * len(DEMO_AGENCIES) + 10


def test_pki_runs_as_its_own_process_and_exports_its_certificates(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signers = tmp_path / "signers.json"
    signers.write_text(
        json.dumps(
            [
                {
                    "label": "moi-0301-officer",
                    "agency_id": "moi-0301",
                    "common_name": "นายส่งออก ใบรับรอง",
                    "public_key_der_b64": base64.b64encode(spki).decode(),
                }
            ]
        ),
        encoding="utf-8",
    )
    export = tmp_path / "pki.json"
    cmd = [sys.executable, "-m", "devstack.pki", "--port", "0", "--signers", str(signers)]
    cmd += ["--export", str(export), "--cache-dir", str(tmp_path / "keys")]
    root = Path(__file__).resolve().parents[3]
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        info = PkiInfo.from_json(json.loads(export.read_text(encoding="utf-8")))
        assert ready["tsa_url"] == info.tsa_url
        cert = info.signer_cert("moi-0301-officer")
        assert cert.public_key.dump() == spki
        assert info.signer_chain("moi-0301-officer")[0].subject == cert.issuer
        with urllib.request.urlopen(info.crl_urls["moi-0301"], timeout=5) as response:  # noqa: S310
            assert asn1_crl.CertificateList.load(response.read())["tbs_cert_list"]["issuer"] == cert.issuer
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_in_process_illusionist_serves_the_pki_without_a_socket_of_its_own(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pki = build_pki(
        DEMO_AGENCIES,
        [SignerKey("moi-0201-x", "moi-0201", "x", spki)],
        url_prefix="http://pki.eoffice.test",  # resolved by the illusionist, not by DNS
        cache_dir=tmp_path,
    )
    signer = InMemoryKeySigner(key, pki.signer_cert("moi-0201-x"), pki.signer_chain("moi-0201-x"))

    async def sign() -> bytes:
        async with illusionist(pki).serving_session() as session:
            service = PadesSigningService(
                trust_roots=pki.trust_roots,
                timestamper=HTTPTimeStamper(pki.tsa_url, session=session),
                fetcher_backend=AIOHttpFetcherBackend(session=session),
            )
            signed = await service.async_sign(make_pdf(), signer, level=PadesLevel.B_LTA, field=NewField("S"))
            return signed.pdf

    pdf = asyncio.run(sign())
    sig = validate_pdf(pdf, pki.trust_roots).signatures[0]
    assert sig.pades_level == "B-LTA" and sig.bottom_line
