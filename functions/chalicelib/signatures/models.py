"""What the signing operations take and answer, and the sign job's queue message."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import Field

from chalicelib.kernel.queues import QueueMessage
from chalicelib.kernel.schema import Answer, OpaqueId, Query


class SignJobMessage(QueueMessage):
    """One signer's turn, for the sign worker (the sign queue)."""

    queue: ClassVar[str] = "sign"
    agency: str
    document: OpaqueId
    slot: int = Field(ge=0, le=9)


class SignJob(Answer):
    slot: int
    signer: str
    requested_by: str
    capacity: dict[str, Any]
    status: Literal["queued", "done", "failed"]
    attempts: int
    error: str | None
    updated_at: datetime


class Signing(Answer):
    """A document's signing: the signers in order, what is done, and each turn's job."""

    document_id: str
    signers: list[str]
    signed: int
    jobs: list[SignJob]


class DownloadLink(Answer):
    url: str
    expires_in: int


class ValidateQuery(Query):
    format: Literal["json", "html"] = "json"


# The validation report (chalicelib/signing/validation.py's dataclasses, mirrored here so that the API
# function describes them without importing pyHanko).
class CertificateInfo(Answer):
    subject: str
    issuer: str
    serial: str
    sha256: str
    common_name: str | None
    not_before: str
    not_after: str


class TimestampInfo(Answer):
    time: str
    tsa: CertificateInfo
    intact: bool
    valid: bool
    trusted: bool


class RevocationInfo(Answer):
    status: str = Field(description="good | revoked | unknown")
    checked_at: str | None
    detail: str | None = None
    revoked_at: str | None = None
    reason: str | None = None


class LtaValidation(Answer):
    indication: str
    subindication: str
    best_signature_time: str | None
    failure: str | None


class SignatureCheck(Answer):
    field_name: str
    kind: str = Field(description="signature | document_timestamp")
    revision: int
    signer: CertificateInfo
    chain: list[CertificateInfo]
    trusted: bool
    trust_problem: str | None
    intact: bool
    valid: bool
    coverage: str
    modified_after_signing: bool
    modification_level: str | None
    modifications_permitted: bool | None
    signing_time: str | None
    timestamp: TimestampInfo | None
    revocation: RevocationInfo
    ltv_embedded: bool
    pades_level: str | None
    lta_validation: LtaValidation | None
    reason: str | None
    location: str | None
    bottom_line: bool
    summary: str


class ValidationReport(Answer):
    """What validating a PDF found; a file that is not a readable PDF gets a report that says so."""

    readable: bool = True
    error: str | None = None
    error_th: str | None = None
    signatures: list[SignatureCheck]
    revisions: int
    has_dss: bool
    validated_at: str
    all_valid: bool
    trust_list: list[str]
