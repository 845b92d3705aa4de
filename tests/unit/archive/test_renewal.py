"""Archived signed letters stay verifiable (docs/rules.md, "Archive", "Timestamps renewed"): a letter
signed at B-LTA today, with a TSA whose certificate ends in a year, no longer validates as LTA at a
moment after that certificate ended, and does once a second TSA, whose certificate lasts, added a
document timestamp. The due list renews what is due once, moves it to the new timestamp's date, and
leaves the rest alone.

The test PKI is devstack's, with its TSA certificate cut short and a second, long-lived TSA beside it,
served over HTTP on 127.0.0.1 (OCSP, CRLs, both TSAs) as the signing tests do."""

from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from certomancer.registry import ArchLabel, CertomancerConfig, ServiceLabel
from chalicelib.archive import renewal, store
from chalicelib.archive.domain import Retention
from chalicelib.kernel import audit, ddb, objects
from chalicelib.kernel.settings import get_settings
from chalicelib.signing.key_signer import InMemoryKeySigner
from chalicelib.signing.pades import NewField, PadesSigningService
from chalicelib.signing.policy import PadesLevel
from chalicelib.thai import to_bangkok
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer
from werkzeug.serving import make_server

from devstack.pki import DEMO_AGENCIES, LocalPki, SignerKey, animator
from devstack.pki.build import pki_config
from devstack.pki.keys import ensure_private_key
from tests.unit.signing.signing_helpers import make_pdf

NOW = datetime.now(UTC)  # signing and the TSAs run on the real clock: the test's "now" is the real one
SHORT_END = (NOW + timedelta(days=365)).replace(microsecond=0)  # ends within the 2-year window
LONG_END = datetime(2054, 1, 1, tzinfo=UTC)  # the second TSA's certificate; the root CA lasts as long
FUTURE = datetime(2040, 6, 1, tzinfo=UTC)  # after the short TSA and the signer's certificate ended
WINDOW = timedelta(days=730)
AGENCY = DEMO_AGENCIES[0].agency_id


@dataclass
class Pki:
    pki: LocalPki
    signer: InMemoryKeySigner
    short_tsa: str
    long_tsa: str

    @property
    def root_pem(self) -> str:
        return pem.armor("CERTIFICATE", self.pki.root_cert.dump()).decode()

    def crls_at(self, moment: datetime) -> list[CRLContainer]:
        """The CRLs a verifier at `moment` fetches from the CAs (issued then, saying nothing is revoked)."""
        registry = self.pki.arch.service_registry
        return [
            CRLContainer(
                asn1_crl.CertificateList.load(registry.get_crl(ServiceLabel(label), at_time=moment).dump())
            )
            for label in ("root", AGENCY)
        ]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


class _LateApp:
    """The WSGI app is known only once the port is (the certificates name their URLs)."""

    target: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.target(environ, start_response)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    clerk = SignerKey("renewal-clerk", AGENCY, "นายทดสอบ ต่ออายุ", spki)
    key_dir = Path(tmp_path_factory.mktemp("renewal-pki"))
    app = _LateApp()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    prefix = f"http://127.0.0.1:{server.server_port}"
    config = pki_config(DEMO_AGENCIES[:1], [clerk], key_dir)
    label = next(iter(config["pki-architectures"]))
    arch = config["pki-architectures"][label]
    arch["certs"]["tsa"]["validity"]["valid-to"] = _iso(SHORT_END)
    arch["entities"]["tsa-long"] = {**arch["entities"]["tsa"], "common-name": "eOffice Test TSA (long-lived)"}
    arch["certs"]["tsa-long"] = copy.deepcopy(arch["certs"]["tsa"]) | {
        "validity": {"valid-from": "2024-01-01T00:00:00+0000", "valid-to": _iso(LONG_END)}
    }
    arch["services"]["time-stamping"]["tsa-long"] = {"signing-key": "tsa-long", "signing-cert": "tsa-long"}
    config["keysets"][label]["keys"]["tsa-long"] = {
        "path": ensure_private_key(key_dir, "tsa-long", "ec-p256").name
    }
    built = CertomancerConfig(config, key_search_dir=str(key_dir), external_url_prefix=prefix)
    local = LocalPki(
        arch=built.get_pki_arch(ArchLabel(label)),
        url_prefix=prefix,
        agencies=DEMO_AGENCIES[:1],
        signers=(clerk,),
        build_seconds=0.0,
        _signer_agency={clerk.label: AGENCY},
    )
    local.all_certs()
    app.target = animator(local)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    registry = local.arch.service_registry
    try:
        yield Pki(
            pki=local,
            signer=InMemoryKeySigner(key, local.signer_cert(clerk.label), local.signer_chain(clerk.label)),
            short_tsa=registry.get_tsa_info(ServiceLabel("tsa")).url,
            long_tsa=registry.get_tsa_info(ServiceLabel("tsa-long")).url,
        )
    finally:
        server.shutdown()
        server.server_close()


def sign(
    pki: Pki, tsa_url: str, level: PadesLevel = PadesLevel.B_LTA, text: str = "A letter kept for years"
) -> bytes:
    with PadesSigningService(trust_roots=pki.pki.trust_roots, tsa_url=tsa_url) as service:
        return bytes(service.sign(make_pdf(text), pki.signer, level=level, field=NewField("Sig1")).pdf)


@pytest.fixture(scope="module")
def signed_short(pki: Pki) -> bytes:
    """A letter signed at B-LTA today; its document timestamp's TSA certificate ends in a year."""
    return sign(pki, pki.short_tsa)


def lta_verdict(pki: Pki, pdf: bytes, moment: datetime) -> str:
    """pyHanko's AdES long-term validation (ETSI EN 319 102-1, 5.6.3) of the letter's signature as a
    verifier at `moment` would run it: the document's own validation data, the CAs' CRLs of that moment,
    nothing fetched, revocation information required."""
    signature = PdfFileReader(BytesIO(pdf)).embedded_regular_signatures[0]
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=pki.pki.trust_roots),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
            local_knowledge=LocalKnowledge(known_crls=pki.crls_at(moment)),
        )
    )
    timing = ValidationTimingInfo(
        validation_time=moment, best_signature_time=moment, point_in_time_validation=False
    )
    result = asyncio.run(ades_lta_validation(signature, spec, timing_info=timing))
    return str(result.ades_subindic.status.name)


# -- the point of it all ---------------------------------------------------------------------------------
def test_a_letter_signed_today_validates_in_2040_only_once_renewed(pki: Pki, signed_short: bytes) -> None:
    # Today it is a sound B-LTA signature (so what fails below fails because of the years between).
    assert lta_verdict(pki, signed_short, NOW) == "PASSED"
    # In 2040 its only document timestamp rests on a TSA certificate that ended in SHORT_END's year:
    # nothing proves any more that the signature existed while the signer's certificate was valid.
    assert lta_verdict(pki, signed_short, FUTURE) != "PASSED"
    # Renewed before that certificate ended, by a TSA whose certificate lasts: valid in 2040.
    with PadesSigningService(trust_roots=pki.pki.trust_roots, tsa_url=pki.long_tsa) as service:
        renewed = service.add_archive_timestamp(signed_short)
    assert renewed.startswith(signed_short)  # one incremental update: the signed bytes are untouched
    assert lta_verdict(pki, renewed, FUTURE) == "PASSED"


# -- when a letter is due --------------------------------------------------------------------------------
def test_a_letter_is_due_the_window_before_its_last_tsa_certificate_ends(
    pki: Pki, signed_short: bytes
) -> None:
    due = renewal.next_renewal(signed_short, window=WINDOW, now=NOW)
    assert due is not None and due.reason == renewal.CERTIFICATE_ENDS
    assert due.tsa_not_after == SHORT_END and due.due == SHORT_END - WINDOW
    assert "Time-Stamping Authority" in due.tsa
    # After a renewal the last timestamp is the long-lived TSA's: due two years before 2054.
    with PadesSigningService(trust_roots=pki.pki.trust_roots, tsa_url=pki.long_tsa) as service:
        renewed = service.add_archive_timestamp(signed_short)
    later = renewal.next_renewal(renewed, window=WINDOW, now=NOW)
    assert later is not None and later.due == LONG_END - WINDOW and "long-lived" in later.tsa


def test_a_letter_without_a_document_timestamp_is_not_lta_and_never_due(pki: Pki) -> None:
    assert renewal.next_renewal(sign(pki, pki.short_tsa, PadesLevel.B_LT), window=WINDOW, now=NOW) is None
    assert renewal.next_renewal(make_pdf(), window=WINDOW, now=NOW) is None


def test_a_document_timestamp_over_sha1_is_due_now(pki: Pki, signed_short: bytes) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed_short))
    out = BytesIO()
    PdfTimeStamper(HTTPTimeStamper(pki.long_tsa)).timestamp_pdf(writer, "sha1", output=out)
    due = renewal.next_renewal(out.getvalue(), window=WINDOW, now=NOW)
    # The long-lived TSA's certificate alone would put it in 2052; SHA-1 makes it due at once.
    assert due is not None and due.reason == "weak digest (sha1)" and due.due == NOW


# -- the due list and the daily job ------------------------------------------------------------------------
def archive(document_id: str, pdf: bytes, *, keep_until: int | None, state: str = "stored") -> dict[str, Any]:
    """A stored record as archive/service.py leaves it: its letter locked in the archive bucket, the
    record naming that version, and (through renewal.schedule, the storing transaction's hook) its due
    item."""
    until = Retention.locked_until(keep_until, stored_on=to_bangkok(NOW).date())
    key = f"{AGENCY}/{document_id}/letter"
    version = objects.archive_put(key, pdf, retain_until=until, legal_hold=keep_until is None)
    copied = [{"file": "letter", "key": key, "version": version, "source": "files/x", "note": ""}]
    tx = ddb.Transaction()
    record = store.new_archived(
        AGENCY,
        document_id,
        state=state,
        class_code="general",
        keep_until=keep_until,
        entry="2569/1",
        stored_at=NOW,
        stored_by="u-records",
        files=copied,
    )
    tx.put("archived", record)
    renewal.schedule(tx, AGENCY, document_id, copied, now=NOW)
    tx.commit()
    return copied[0]


def due_list() -> dict[str, str]:
    return {item.document_id: item.sk for item in store.RenewalItem.query(store.renewals_pk(AGENCY))}


def versions(key: str) -> list[str]:
    listed = objects.s3().list_object_versions(Bucket=get_settings().archive_bucket, Prefix=key)
    return [v["VersionId"] for v in listed.get("Versions", []) if v["Key"] == key]


def test_due_letters_are_renewed_once_and_the_others_left_alone(
    aws: Any, pki: Pki, signed_short: bytes
) -> None:
    forever = archive("doc-forever", signed_short, keep_until=None)  # due: short TSA; kept forever
    lasting = archive("doc-lasting", sign(pki, pki.long_tsa), keep_until=2579)  # due in 2052
    archive("doc-destroyed", signed_short, keep_until=2579, state="destroyed")  # due, but gone
    archive("doc-b-lt", sign(pki, pki.short_tsa, PadesLevel.B_LT), keep_until=2579)  # not B-LTA
    # A due item whose letter cannot be renewed (not a PDF), listed first: the others still run.
    broken = archive("doc-broken", b"not a pdf", keep_until=2579)
    store.new_renewal(
        AGENCY, renewal.due_sk(NOW - timedelta(days=400), "doc-broken"), document_id="doc-broken", reason="x"
    ).save()
    listed = due_list()
    assert set(listed) == {"doc-forever", "doc-lasting", "doc-destroyed", "doc-broken"}  # no B-LT letter
    assert listed["doc-forever"] == renewal.due_sk(SHORT_END - WINDOW, "doc-forever")
    assert listed["doc-lasting"] == renewal.due_sk(LONG_END - WINDOW, "doc-lasting")

    agencies = [
        ("moi-9999", None, ()),  # an agency with a due letter and no TSA: logged, the next one still runs
        (AGENCY, pki.long_tsa, (pki.root_pem,)),
    ]
    store.new_renewal("moi-9999", renewal.due_sk(NOW, "doc-x"), document_id="doc-x", reason="x").save()
    counts = renewal.renew_due(now=NOW, agencies=agencies, window=WINDOW)
    assert counts == {"renewed": 1, "dropped": 1, "failed": 2}  # moi-9999's letter and doc-broken

    # The due letter: a new version above the old one, locked as the record is, the record naming it.
    record = store.archived(AGENCY, "doc-forever")
    assert record is not None
    letter = record.files[0]
    assert versions(forever["key"]) == [letter["version"], forever["version"]]  # newest first
    assert letter["earlier"] == [forever["version"]]
    new_pdf = objects.read(forever["key"], version_id=letter["version"], bucket=get_settings().archive_bucket)
    assert new_pdf.startswith(signed_short)
    old_lock = objects.archive_lock(forever["key"], forever["version"])
    new_lock = objects.archive_lock(forever["key"], letter["version"])
    assert new_lock["RetainUntilDate"] == old_lock["RetainUntilDate"] and new_lock["LegalHold"] == "ON"
    assert lta_verdict(pki, new_pdf, FUTURE) == "PASSED"
    # Its due item moved to the new timestamp's date; the destroyed record left the list; the broken
    # one stays for the next run; the lasting letter was not touched.
    after = due_list()
    assert after["doc-forever"] == renewal.due_sk(LONG_END - WINDOW, "doc-forever")
    assert "doc-destroyed" not in after and "doc-broken" in after
    assert after["doc-lasting"] == listed["doc-lasting"] and versions(lasting["key"]) == [lasting["version"]]
    assert versions(broken["key"]) == [broken["version"]]
    # In the record's history, by the job.
    history = [
        e for e in audit.history(AGENCY, "document/doc-forever") if e["action"] == "archive.timestamp_renewed"
    ]
    assert len(history) == 1 and history[0]["actor"] == renewal.SYSTEM_ACTOR
    assert history[0]["after"]["previous_version"] == forever["version"]
    assert history[0]["after"]["version"] == letter["version"] and history[0]["after"]["legal_hold"] is True

    # Once: the next day nothing more is due but the broken letter.
    again = renewal.renew_due(now=NOW + timedelta(days=1), agencies=agencies[1:], window=WINDOW)
    assert again == {"renewed": 0, "dropped": 0, "failed": 1}
    assert len(versions(forever["key"])) == 2


def test_a_tsa_that_is_itself_within_the_window_adds_no_version(
    aws: Any, pki: Pki, signed_short: bytes
) -> None:
    """Renewing with the short-lived TSA again would leave the letter due at once: nothing is archived
    (or it would be renewed every day), the failure is counted, the due item stays."""
    copied = archive("doc-same-tsa", signed_short, keep_until=2579)
    counts = renewal.renew_due(now=NOW, agencies=[(AGENCY, pki.short_tsa, (pki.root_pem,))], window=WINDOW)
    assert counts["renewed"] == 0 and counts["failed"] >= 1
    assert versions(copied["key"]) == [copied["version"]]
    assert "doc-same-tsa" in due_list()
