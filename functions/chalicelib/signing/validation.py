"""Validate every signature and document timestamp of a PDF, offline, into a JSON-ready report.

    report = validate_pdf(pdf_bytes, trust_roots=[root_cert])
    report.to_dict()   # {"signatures": [{"signer": {...}, "intact": true, "pades_level": "B-LTA", ...}], ...}

Nothing is fetched (allow_fetching=False): revocation status comes only from what the document carries
(DSS, or Adobe-style revocation attributes). Per signature:
  * signer certificate (subject, serial, SHA-256 fingerprint), chain, trusted against `trust_roots`;
  * intact (digest matches) and valid (signature verifies), coverage (ENTIRE_FILE / ENTIRE_REVISION) and
    what changed after signing (pyHanko's diff analysis: NONE, LTA_UPDATES, FORM_FILLING, ... OTHER);
  * claimed signing time and the signature timestamp (time, TSA, trusted);
  * revocation status of the signer at signing time from embedded data (good / revoked / unknown);
  * the PAdES baseline level the document carries (B-B / B-T / B-LT / B-LTA), and for B-LTA the verdict
    of pyHanko's AdES long-term validation (ades_lta_validation, revocation info required, no fetching).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult
from pyhanko.sign.validation import (
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    SignatureStatus,
    TimestampSignatureStatus,
)
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.errors import (
    InsufficientRevinfoError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from chalicelib.signing.errors import InvalidPdfError
from chalicelib.signing.policy import PadesLevel

PADES_SUBFILTER = "/ETSI.CAdES.detached"
# modification levels a later revision may reach without invalidating an approval signature
ACCEPTABLE_MODIFICATIONS = ("NONE", "LTA_UPDATES", "FORM_FILLING")


@dataclass(frozen=True)
class CertInfo:
    subject: str
    issuer: str
    serial: str  # hex
    sha256: str  # hex fingerprint of the DER
    common_name: str | None
    not_before: str
    not_after: str

    @classmethod
    def of(cls, cert: x509.Certificate) -> CertInfo:
        validity = cert["tbs_certificate"]["validity"]
        cn = cert.subject.native.get("common_name")
        return cls(
            subject=cert.subject.human_friendly,
            issuer=cert.issuer.human_friendly,
            serial=format(cert.serial_number, "x"),
            sha256=cert.sha256.hex(),
            common_name=str(cn) if cn is not None else None,
            not_before=validity["not_before"].native.isoformat(),
            not_after=validity["not_after"].native.isoformat(),
        )


@dataclass(frozen=True)
class TimestampInfo:
    time: str
    tsa: CertInfo
    intact: bool
    valid: bool
    trusted: bool


@dataclass(frozen=True)
class RevocationInfo:
    status: str  # "good" | "revoked" | "unknown"
    checked_at: str | None  # the moment the status refers to (signature time)
    detail: str | None = None
    revoked_at: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class LtaValidation:
    indication: str  # PASSED / INDETERMINATE / FAILED
    subindication: str  # OK, CERTIFICATE_CHAIN_GENERAL_FAILURE, ...
    best_signature_time: str | None
    failure: str | None


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    kind: str  # "signature" | "document_timestamp"
    revision: int  # 0-based revision that contains the signature
    signer: CertInfo
    chain: list[CertInfo]  # trust anchor first when trusted, else the certificates embedded
    trusted: bool
    trust_problem: str | None
    intact: bool
    valid: bool
    coverage: str  # ENTIRE_FILE | ENTIRE_REVISION | CONTIGUOUS_BLOCK_FROM_START | UNCLEAR
    modified_after_signing: bool  # revisions were appended after this one
    modification_level: str | None  # what those revisions do: NONE, LTA_UPDATES, FORM_FILLING, ... OTHER
    modifications_permitted: bool | None
    signing_time: str | None  # claimed by the signer (not proof)
    timestamp: TimestampInfo | None  # signature timestamp (or, for a document timestamp, itself)
    revocation: RevocationInfo
    ltv_embedded: bool  # revocation data for the signer's chain is in the document
    pades_level: str | None  # B-B / B-T / B-LT / B-LTA, None if not a PAdES signature
    lta_validation: LtaValidation | None
    reason: str | None
    location: str | None
    bottom_line: bool  # intact, valid, trusted, allowed changes only, timestamp OK, LTA OK when run
    summary: str


@dataclass(frozen=True)
class PdfValidationReport:
    signatures: list[SignatureReport]
    revisions: int
    has_dss: bool
    validated_at: str
    all_valid: bool = field(default=False)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class _Embedded:
    """Validation material the document carries (DSS of one revision)."""

    certs: list[x509.Certificate]
    ocsps: list[asn1_ocsp.OCSPResponse]
    crls: list[asn1_crl.CertificateList]

    @property
    def has_revinfo(self) -> bool:
        return bool(self.ocsps or self.crls)


_local = threading.local()


def validate_pdf(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate],
    *,
    lta: bool | None = None,
) -> PdfValidationReport:
    """Synchronous wrapper of async_validate_pdf (one event loop per thread, reused across calls)."""
    runner: asyncio.Runner | None = getattr(_local, "runner", None)
    if runner is None:
        runner = _local.runner = asyncio.Runner()
    report: PdfValidationReport = runner.run(async_validate_pdf(pdf, trust_roots, lta=lta))
    return report


async def async_validate_pdf(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate],
    *,
    lta: bool | None = None,
) -> PdfValidationReport:
    """`lta`: run ades_lta_validation on every signature (True), never (False), or when the document
    carries B-LTA for that signature (None, the default)."""
    reader = _open(pdf)
    try:
        embedded = list(reader.embedded_signatures)
        revisions = reader.xrefs.total_revisions
        latest = _read_dss(reader)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise InvalidPdfError(f"unreadable signature data: {exc}") from exc
    roots = list(trust_roots)
    doc_ts = [sig for sig in embedded if sig.sig_object_type == "/DocTimeStamp"]
    reports: list[SignatureReport] = []
    for sig in embedded:
        try:
            if sig.sig_object_type == "/DocTimeStamp":
                reports.append(await _timestamp_report(sig, roots, latest, revisions))
            else:
                reports.append(await _signature_report(reader, sig, roots, latest, doc_ts, revisions, lta))
        except (PdfError, ValueError, KeyError, TypeError) as exc:
            raise InvalidPdfError(f"signature field {sig.field_name!r} is malformed: {exc}") from exc
    return PdfValidationReport(
        signatures=reports,
        revisions=revisions,
        has_dss=latest is not None,
        validated_at=datetime.now(UTC).isoformat(),
        all_valid=bool(reports) and all(r.bottom_line for r in reports),
    )


def _open(pdf: bytes) -> PdfFileReader:
    if not isinstance(pdf, bytes | bytearray | memoryview) or not bytes(pdf[:1024]).lstrip().startswith(
        b"%PDF"
    ):
        raise InvalidPdfError("not a PDF (no %PDF header)")
    try:
        return PdfFileReader(BytesIO(bytes(pdf)))
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise InvalidPdfError(f"not a readable PDF: {exc}") from exc


def _read_dss(handler: Any) -> _Embedded | None:
    try:
        dss = DocumentSecurityStore.read_dss(handler)
    except NoDSSFoundError:
        return None
    vc = dss.as_validation_context({"trust_roots": []})
    return _Embedded(
        certs=list(dss.load_certs()),
        ocsps=list(vc.ocsps),
        crls=list(vc.crls),
    )


def _revinfo_from_cms(sig: EmbeddedPdfSignature) -> _Embedded:
    """Adobe-style revocation info (adbe-revocationInfoArchival) carried inside the CMS."""
    ocsps: list[asn1_ocsp.OCSPResponse] = []
    crls: list[asn1_crl.CertificateList] = []
    for attr in sig.signer_info["signed_attrs"]:
        if attr["type"].native == "adobe_revocation_info_archival":
            for value in attr["values"]:
                ocsps.extend(value["ocsp"] or [])
                crls.extend(value["crl"] or [])
    return _Embedded(certs=[], ocsps=ocsps, crls=crls)


def _merge(*parts: _Embedded | None) -> _Embedded:
    present = [p for p in parts if p is not None]
    return _Embedded(
        certs=[c for p in present for c in p.certs],
        ocsps=[o for p in present for o in p.ocsps],
        crls=[c for p in present for c in p.crls],
    )


def _vc(
    roots: list[x509.Certificate], material: _Embedded, extra: Iterable[x509.Certificate] = ()
) -> ValidationContext:
    return ValidationContext(
        trust_roots=roots,
        other_certs=[*material.certs, *extra],
        ocsps=material.ocsps,
        crls=material.crls,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


async def _signature_report(
    reader: PdfFileReader,
    sig: EmbeddedPdfSignature,
    roots: list[x509.Certificate],
    latest: _Embedded | None,
    doc_timestamps: list[EmbeddedPdfSignature],
    revisions: int,
    lta: bool | None,
) -> SignatureReport:
    material = _merge(latest, _revinfo_from_cms(sig))
    vc = _vc(roots, material, sig.other_embedded_certs)
    status = await async_validate_pdf_signature(sig, signer_validation_context=vc, ts_validation_context=vc)
    ts_status = status.timestamp_validity
    signing_moment = ts_status.timestamp if ts_status is not None else status.signer_reported_dt
    revocation = await _revocation(sig.signer_cert, sig.other_embedded_certs, material, roots, signing_moment)
    if status.revoked and status.revocation_details is not None:
        details = status.revocation_details
        revocation = RevocationInfo(
            status="revoked",
            checked_at=_iso(signing_moment),
            revoked_at=_iso(details.revocation_date),
            reason=str(details.revocation_reason.native),
        )
    ltv = revocation.status == "good" and await _tsa_revinfo_ok(ts_status, material, roots)
    level = await _pades_level(reader, sig, status, ltv, doc_timestamps, roots, signing_moment)
    lta_result: LtaValidation | None = None
    if lta or (lta is None and level == PadesLevel.B_LTA):
        lta_result = await _lta(sig, roots)
    bottom = status.bottom_line and (lta_result is None or lta_result.indication == "PASSED")
    return SignatureReport(
        field_name=sig.field_name,
        kind="signature",
        revision=sig.signed_revision,
        signer=CertInfo.of(sig.signer_cert),
        chain=_chain(status, sig),
        trusted=status.trusted,
        trust_problem=_name(status.trust_problem_indic),
        intact=status.intact,
        valid=status.valid,
        coverage=status.coverage.name if status.coverage is not None else "UNCLEAR",
        modified_after_signing=sig.signed_revision < revisions - 1,
        modification_level=_name(status.modification_level),
        modifications_permitted=_permitted(status),
        signing_time=_iso(status.signer_reported_dt),
        timestamp=_timestamp_info(ts_status),
        revocation=revocation,
        ltv_embedded=ltv,
        pades_level=level.value if level is not None else None,
        lta_validation=lta_result,
        reason=_text(sig.sig_object.get("/Reason")),
        location=_text(sig.sig_object.get("/Location")),
        bottom_line=bottom,
        summary=status.summary(),
    )


async def _timestamp_report(
    sig: EmbeddedPdfSignature,
    roots: list[x509.Certificate],
    latest: _Embedded | None,
    revisions: int,
) -> SignatureReport:
    material = _merge(latest)
    status: DocumentTimestampStatus = await async_validate_pdf_timestamp(
        sig, validation_context=_vc(roots, material)
    )
    revocation = await _revocation(
        sig.signer_cert, sig.other_embedded_certs, material, roots, status.timestamp
    )
    level = status.modification_level
    permitted = level is None or level.name in ACCEPTABLE_MODIFICATIONS
    return SignatureReport(
        field_name=sig.field_name,
        kind="document_timestamp",
        revision=sig.signed_revision,
        signer=CertInfo.of(sig.signer_cert),
        chain=_chain(status, sig),
        trusted=status.trusted,
        trust_problem=_name(status.trust_problem_indic),
        intact=status.intact,
        valid=status.valid,
        coverage=status.coverage.name if status.coverage is not None else "UNCLEAR",
        modified_after_signing=sig.signed_revision < revisions - 1,
        modification_level=_name(status.modification_level),
        modifications_permitted=permitted,
        signing_time=None,
        timestamp=_timestamp_info(status),
        revocation=revocation,
        ltv_embedded=revocation.status == "good",
        pades_level=None,
        lta_validation=None,
        reason=None,
        location=None,
        bottom_line=status.intact and status.valid and status.trusted and permitted,
        summary=status.summary(),
    )


async def _revocation(
    cert: x509.Certificate,
    intermediates: Iterable[x509.Certificate],
    material: _Embedded,
    roots: list[x509.Certificate],
    moment: datetime | None,
) -> RevocationInfo:
    """Was `cert` (and its CAs) unrevoked at `moment`, judging only by the revocation data embedded?"""
    if not material.has_revinfo:
        return RevocationInfo(status="unknown", checked_at=_iso(moment), detail="no revocation data embedded")
    others = [*material.certs, *intermediates]
    vc = ValidationContext(
        trust_roots=roots,
        other_certs=others,
        ocsps=material.ocsps,
        crls=material.crls,
        allow_fetching=False,
        moment=moment,
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO, retroactive_revinfo=True),
    )
    validator = CertificateValidator(cert, intermediate_certs=others, validation_context=vc)
    try:
        await validator.async_validate_path()
    except RevokedError as exc:
        return RevocationInfo(status="revoked", checked_at=_iso(moment), detail=str(exc))
    except InsufficientRevinfoError as exc:
        return RevocationInfo(status="unknown", checked_at=_iso(moment), detail=str(exc))
    except (PathValidationError, PathBuildingError) as exc:
        return RevocationInfo(status="unknown", checked_at=_iso(moment), detail=f"no valid path: {exc}")
    return RevocationInfo(status="good", checked_at=_iso(moment))


async def _tsa_revinfo_ok(
    ts_status: TimestampSignatureStatus | None, material: _Embedded, roots: list[x509.Certificate]
) -> bool:
    if ts_status is None:
        return True  # B-T through a document timestamp: checked with that timestamp
    tsa = await _revocation(ts_status.signing_cert, (), material, roots, ts_status.timestamp)
    return tsa.status == "good"


async def _pades_level(
    reader: PdfFileReader,
    sig: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
    ltv: bool,
    doc_timestamps: list[EmbeddedPdfSignature],
    roots: list[x509.Certificate],
    moment: datetime | None,
) -> PadesLevel | None:
    if str(sig.sig_object.get("/SubFilter")) != PADES_SUBFILTER or not (status.intact and status.valid):
        return None
    later_ts = [ts for ts in doc_timestamps if ts.signed_revision > sig.signed_revision]
    if status.timestamp_validity is None and not later_ts:
        return PadesLevel.B_B
    if not ltv:
        return PadesLevel.B_T
    # B-LTA: a document timestamp covers a revision whose DSS already held the signer's revocation data
    for ts in later_ts:
        covered = _read_dss(reader.get_historical_resolver(ts.signed_revision))
        if covered is None:
            continue
        check = await _revocation(sig.signer_cert, sig.other_embedded_certs, covered, roots, moment)
        if check.status == "good":
            return PadesLevel.B_LTA
    return PadesLevel.B_LT


async def _lta(sig: EmbeddedPdfSignature, roots: list[x509.Certificate]) -> LtaValidation:
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
    )
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    result = await ades_lta_validation(sig, spec)
    indic = result.ades_subindic
    return LtaValidation(
        indication=indic.status.name,
        subindication=indic.standard_name,
        best_signature_time=_iso(result.best_signature_time),
        failure=None if indic.status.name == "PASSED" else result.failure_msg,
    )


def _chain(status: SignatureStatus, sig: EmbeddedPdfSignature) -> list[CertInfo]:
    if status.validation_path is not None:
        return [CertInfo.of(cert) for cert in status.validation_path.iter_certs(include_root=True)]
    return [CertInfo.of(sig.signer_cert), *(CertInfo.of(c) for c in sig.other_embedded_certs)]


def _timestamp_info(ts: TimestampSignatureStatus | None) -> TimestampInfo | None:
    if ts is None:
        return None
    return TimestampInfo(
        time=ts.timestamp.isoformat(),
        tsa=CertInfo.of(ts.signing_cert),
        intact=ts.intact,
        valid=ts.valid,
        trusted=ts.trusted,
    )


def _permitted(status: PdfSignatureStatus) -> bool | None:
    if status.docmdp_ok is not None:
        level = status.modification_level
        return bool(status.docmdp_ok) and (level is None or level.name in ACCEPTABLE_MODIFICATIONS)
    if isinstance(status.diff_result, DiffResult):
        return status.diff_result.modification_level.name in ACCEPTABLE_MODIFICATIONS
    return None


def _name(value: Any) -> str | None:
    if value is None:
        return None
    name = getattr(value, "standard_name", None) or getattr(value, "name", None)
    return str(name) if name is not None else str(value)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def load_roots(pems: list[str] | tuple[str, ...]) -> list[x509.Certificate]:
    """Trust roots from PEM text (an agency's trust list: the national root CA, the test root locally)."""
    from asn1crypto import pem

    return [x509.Certificate.load(pem.unarmor(text.encode())[2]) for text in pems]


def report_summary(report: dict[str, Any]) -> dict[str, Any]:
    """What a document shows about an uploaded file's signatures."""
    return {
        "signatures": len(report["signatures"]),
        "all_valid": report["all_valid"],
        "signers": [
            {
                "signer": s["signer"]["subject"],
                "trusted": s["trusted"],
                "intact": s["intact"],
                "pades_level": s["pades_level"],
                "bottom_line": s["bottom_line"],
            }
            for s in report["signatures"]
        ],
        "validated_at": report["validated_at"],
    }
