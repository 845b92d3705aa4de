"""Signing a document: whose turn it is, who may sign for them, and the job the sign worker runs.

The API only decides and queues (202); the worker (signatures/worker.py) signs with the signer's
KMS key and stores the result as a new version. One job per signer slot, created once: asking twice
or running the job twice never adds a second signature.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from chalicelib.directory import service as directory
from chalicelib.directory.service import AgencyProfile
from chalicelib.documents import service as documents
from chalicelib.documents.service import StoredDocument
from chalicelib.kernel import audit, ddb, keys, objects, queues
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Conflict, NotFound, PayloadTooLarge
from chalicelib.kernel.principal import Principal
from chalicelib.kernel.settings import get_settings
from chalicelib.signatures import domain, models, store
from chalicelib.signatures.domain import SYSTEM_ACTOR, JobStatus, SignerSeat
from chalicelib.signatures.store import SignJobItem
from chalicelib.signing.signers import key_ref_of
from chalicelib.signing_keys import service as signing_keys
from chalicelib.signing_keys.domain import AwaitingCertificate


def current_pdf(stored: StoredDocument) -> tuple[str, str | None] | None:
    """(key, version) of the document's PDF now: the latest signed version, else the main PDF at the
    exact object version its upload checks passed (a later upload to the same key is never used)."""
    if stored.item.signatures:
        return str(stored.item.signatures[-1]["object_key"]), None
    main = documents.current_main_file(stored)
    return (main.object_key, main.version_id) if main else None


def job_view(job: SignJobItem) -> models.SignJob:
    return models.SignJob(
        slot=int(job.slot),
        signer=job.signer,
        requested_by=job.requested_by,
        capacity=job.capacity,
        status=job.status,  # type: ignore[arg-type]
        attempts=int(job.attempts),
        error=job.error,
        updated_at=job.updated_at,
    )


def signing(principal: Principal, document_id: str) -> models.Signing:
    """A document's signers, how many have signed, and each turn's job."""
    stored = documents.readable(principal, document_id)
    jobs = store.jobs_of(stored.others.get(keys.SIGN_JOB_PREFIX, []))
    return models.Signing(
        document_id=document_id,
        signers=list(stored.item.content.get("signers", [])),
        signed=len(stored.item.signatures),
        jobs=[job_view(j) for j in jobs],
    )


# Modules above may hold a document back from signing (a route: only at its sign step); app.py wires them.
SignGuard = Callable[[Principal, StoredDocument, datetime], None]
_guards: list[SignGuard] = []


def use_guard(guard: SignGuard) -> None:
    if guard not in _guards:
        _guards.append(guard)


def request_signature(
    principal: Principal, document_id: str, *, now: datetime
) -> tuple[models.SignJob, bool]:
    """Queue the next signature; (job view, created). Refused unless it is the caller's turn."""
    stored = documents.readable(principal, document_id)
    for guard in _guards:
        guard(principal, stored, now)
    signers: list[str] = list(stored.item.content.get("signers", []))
    slot = domain.next_slot(signers, len(stored.item.signatures))
    if current_pdf(stored) is None:
        raise Conflict(
            "ยังไม่มีไฟล์ PDF ของหนังสือให้ลงนาม", "the document has no PDF to sign yet: render or upload it"
        )
    seat = directory.signer(principal.agency_id, signers[slot])
    if seat is None or not seat.active:
        raise Conflict("ไม่พบผู้ลงนามลำดับนี้ในทะเบียนผู้ใช้", f"signer {slot + 1} is not in the agency's directory")
    # Before anything else: only the one whose turn it is, or their delegate.
    planned = list(stored.item.content.get("signing_delegates") or [])
    capacity = domain.capacity_for(
        principal,
        SignerSeat(seat.user_id, seat.position),
        now=now,
        planned_delegate=planned[slot] if slot < len(planned) else None,
    )
    existing = next(
        (j for j in store.jobs_of(stored.others.get(keys.SIGN_JOB_PREFIX, [])) if int(j.slot) == slot), None
    )
    message = models.SignJobMessage(agency=principal.agency_id, document=document_id, slot=slot)
    if existing is not None and existing.status == JobStatus.QUEUED:
        queues.send(message)  # the first send may have been lost: the worker is idempotent
        return job_view(existing), False
    # Whoever signs uses their own key and certificate, also when signing for someone else.
    own = (
        seat
        if principal.user_id == seat.user_id
        else directory.signer(principal.agency_id, principal.user_id)
    )
    if own is None:
        raise Conflict("ท่านยังไม่มีกุญแจและใบรับรองสำหรับลงนาม", "you have no signing key and certificate")
    if own.key and not own.key.get("certificate_pem"):
        raise AwaitingCertificate()  # a key already made: only the agency's CA can help now
    # No key yet: the worker makes it on this first signature (signing_keys/service.py).
    job = store.new_job(
        principal.agency_id,
        document_id,
        slot,
        signer=signers[slot],
        requested_by=principal.user_id,
        capacity=capacity,
        status=JobStatus.QUEUED.value,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    event = AuditEvent(
        principal.agency_id,
        principal.user_id,
        "document.sign_requested",
        f"document/{document_id}",
        now,
        after={"slot": slot, "signer": signers[slot], "capacity": capacity},
    )
    # A failed job may be asked for again; a queued or done one never twice.
    if not store.create_job(job, event):
        current = store.get_job(principal.agency_id, document_id, slot)
        if current is not None and current.status == JobStatus.QUEUED:  # a concurrent request queued it first
            return job_view(current), False
        raise Conflict("ลายมือชื่อลำดับนี้ลงนามแล้ว", "this turn's signature is already done")
    queues.send(message)
    return job_view(job), True


def signed_download(principal: Principal, document_id: str) -> models.DownloadLink:
    stored = documents.readable(principal, document_id)
    pdf = current_pdf(stored)
    if pdf is None:
        raise NotFound("ยังไม่มีไฟล์ PDF", "the document has no PDF yet")
    seconds = get_settings().download_url_seconds
    url = objects.presigned_download(
        pdf[0], filename=f"{document_id}.pdf", expires=seconds, version_id=pdf[1]
    )
    return models.DownloadLink(url=url, expires_in=seconds)


def current_content(principal: Principal, document_id: str) -> tuple[str, bytes]:
    """The document's PDF as it stands, through the API (the web application's preview reads it from
    its own origin): the latest signed version, else the main file as checked (opened if sealed)."""
    from chalicelib.documents.service import CONTENT_LIMIT_BYTES

    stored = documents.readable(principal, document_id)
    if not stored.item.signatures:
        main = documents.current_main_file(stored)
        if main is None:
            raise NotFound("ยังไม่มีไฟล์ PDF", "the document has no PDF yet")
        return documents.file_content(principal, document_id, main.file_id, "original")
    data = objects.read(str(stored.item.signatures[-1]["object_key"]))
    if len(data) > CONTENT_LIMIT_BYTES:
        raise PayloadTooLarge(
            "ไฟล์ใหญ่เกินกว่าจะเปิดผ่านระบบ โปรดใช้ลิงก์ดาวน์โหลด",
            f"the PDF is over {CONTENT_LIMIT_BYTES} bytes: use its download link",
        )
    return f"{document_id}.pdf", data


# -- the worker's side --------------------------------------------------------------------------
@cache
def _service(agency_id: str, trust_pems: tuple[str, ...], tsa_url: str | None) -> Any:
    # One service per warm container and agency: the timestamper's token size and HTTP session are reused.
    from chalicelib.signing.pades import PadesSigningService
    from chalicelib.signing.validation import load_roots

    return PadesSigningService(trust_roots=load_roots(trust_pems), tsa_url=tsa_url)


def run_job(message: models.SignJobMessage, *, now: datetime, last_attempt: bool) -> str:
    """Sign the document for one slot. Safe to run twice; records the error when it fails."""
    job = store.get_job(message.agency, message.document, message.slot)
    if job is None:
        return "no-job"
    if job.status != JobStatus.QUEUED:
        return "already-" + job.status
    try:
        return _sign(message.agency, message.document, job, now=now)
    except Exception as error:
        # Awaiting a certificate is settled at once: no retry can issue it (the signer asks again later).
        awaiting = isinstance(error, AwaitingCertificate)
        status = JobStatus.FAILED if last_attempt or awaiting else JobStatus.QUEUED
        reason = (
            f"{error.message_th} / {error.message_en}"
            if isinstance(error, AwaitingCertificate)
            else f"{type(error).__name__}: {error}"
        )[:500]
        event = AuditEvent(
            message.agency,
            SYSTEM_ACTOR,
            "document.sign_failed",
            f"document/{message.document}",
            now,
            after={"slot": int(job.slot), "status": status.value, "error": reason},
        )
        if not store.record_failure(job, status=status, reason=reason, now=now, event=event):
            return "already-settled"
        if awaiting:
            return "awaiting-certificate"
        raise


def _sign(agency_id: str, document_id: str, job: SignJobItem, *, now: datetime) -> str:
    from chalicelib.signing.policy import LevelPolicy, choose_level

    stored = documents.load(agency_id, document_id, consistent=True)
    profile = directory.agency_profile(agency_id)
    if stored is None or profile is None:
        raise RuntimeError("document or agency vanished")
    slot = int(job.slot)
    if len(stored.item.signatures) != slot:
        raise RuntimeError(f"signature {slot + 1} is not next: {len(stored.item.signatures)} done")
    source = current_pdf(stored)
    if source is None:
        raise RuntimeError("no PDF to sign")
    source_bytes = objects.read(source[0], version_id=source[1])
    _refuse_active_content(source_bytes)
    signing_settings = profile.settings.get("signing", {})
    content = stored.item.content
    level = choose_level(
        content.get("retention_years", 10),
        LevelPolicy.from_mapping(signing_settings.get("level_policy", {})),
        permanent=bool(content.get("permanent")),
    )
    # Named by what was signed: a retry after a crash finds (and keeps) its own result, while a
    # signature of a PDF that has since changed is never mistaken for one of the current PDF.
    source_digest = hashlib.sha256(source_bytes).hexdigest()
    target_key = keys.signed_object_key(agency_id, document_id, slot, source_digest)
    if objects.head(target_key) is not None:
        signed_bytes = objects.read(target_key)
    else:
        signed_bytes = _signed_pdf(agency_id, profile, job, source_bytes, level, signing_settings, now=now)
        digest = hashlib.sha256(signed_bytes).digest()
        sha = base64.b64encode(digest).decode()
        if not objects.write(target_key, signed_bytes, content_type="application/pdf", sha256_b64=sha):
            signed_bytes = objects.read(target_key)
    signature = {
        "slot": slot,
        "signer": job.signer,
        "signed_by": job.requested_by,
        "capacity": job.capacity,
        "level": level.value,
        "signed_at": now.isoformat(),
        "object_key": target_key,
        "sha256": hashlib.sha256(signed_bytes).hexdigest(),
        "source_sha256": source_digest,
    }
    outcome = _record_signature(agency_id, document_id, job, signature, stored, now=now)
    if outcome == "signed":
        key = directory.signer(agency_id, job.requested_by)
        if key is not None and key.key:
            signing_keys.note_use(agency_id, job.requested_by, key_ref_of(key.key), now=now)
    return outcome


def _refuse_active_content(pdf: bytes) -> None:
    """Never sign a file that carries active content, whatever let it in (docs/rules.md, "Signatures on
    PDF"); the job fails with the reason."""
    from chalicelib.pdf.inspect import inspect_pdf

    facts = inspect_pdf(pdf)
    if not facts.readable:
        raise RuntimeError(f"refusing to sign an unreadable PDF: {facts.error}")
    if facts.refused_content:
        found = "; ".join(a.message_en for a in facts.refused_content[:5])
        raise RuntimeError(f"refusing to sign a PDF with active content: {found}")


def _signed_pdf(
    agency_id: str,
    profile: AgencyProfile,
    job: SignJobItem,
    source: bytes,
    level: Any,
    signing_settings: dict[str, Any],
    *,
    now: datetime,
) -> bytes:
    from chalicelib.signature_block import OnBehalf, OnBehalfKind, SignatureBlock, capacity_reason
    from chalicelib.signing.pades import NewField
    from chalicelib.signing.signers import signer_for
    from chalicelib.signing.validation import load_roots

    # Who signs, in whatever capacity: their key made here on their first signature, else AwaitingCertificate.
    record = signing_keys.key_for_signing(agency_id, job.requested_by, now=now)
    capacity = job.capacity
    on_behalf = None
    if capacity["kind"] in ("acting", "on_behalf"):
        kind = OnBehalfKind.ACTING if capacity["kind"] == "acting" else OnBehalfKind.DELEGATED
        on_behalf = OnBehalf(kind, capacity["for_position"])
    block = SignatureBlock(
        name=capacity["name"],
        position=capacity["position"],
        on_behalf=on_behalf,
        thai_numerals=profile.thai_numerals,
        show_signed_at=False,  # the block as proof-read; the signing time is in the signature itself
    )
    # One factory from the key reference (kms:..., later pkcs11:...): the worker names no key service.
    pades_signer = signer_for(
        key_ref_of(record), load_roots([record["certificate_pem"]])[0], load_roots(record["chain_pem"])
    )
    service = _service(
        agency_id, tuple(signing_settings.get("trust_roots_pem", [])), signing_settings.get("tsa_url")
    )
    result = service.sign(
        source,
        pades_signer,
        level=level,
        field=NewField(f"Sig{int(job.slot) + 1}"),
        block=block,
        reason=capacity_reason(block, capacity.get("order_reference") or None),
    )
    return bytes(result.pdf)


def _record_signature(
    agency_id: str,
    document_id: str,
    job: SignJobItem,
    signature: dict[str, Any],
    stored: StoredDocument,
    *,
    now: datetime,
    attempts: int = 5,
) -> str:
    """Add the signature to the document and close the job, together. The document may change
    meanwhile (a registration, a grant): read it again and retry; never drop the signature."""
    for _ in range(attempts):
        if len(stored.item.signatures) != int(job.slot):
            raise RuntimeError("the document's signatures changed while signing")
        tx = ddb.Transaction()
        store.add_job_done(tx, job, now=now)
        documents.add_document_update(
            tx, stored.item, {"signatures": [*stored.item.signatures, signature]}, now=now
        )
        audit.add_to(
            tx,
            AuditEvent(
                agency_id,
                SYSTEM_ACTOR,
                "document.signed",
                f"document/{document_id}",
                now,
                before={"signatures": len(stored.item.signatures)},
                after=signature,
            ),
        )
        try:
            tx.commit()
            return "signed"
        except ddb.Cancelled as cancelled:
            if cancelled.reasons.get("job"):
                return "already-done"  # another delivery recorded it first
            reloaded = documents.load(agency_id, document_id, consistent=True)
            if reloaded is None:
                raise
            stored = reloaded
    raise RuntimeError("the document kept changing while the signature was recorded")


def jobs_of(stored: StoredDocument) -> list[models.SignJob]:
    """The sign jobs of a document as read with it (for modules that follow its signing)."""
    return [job_view(j) for j in store.jobs_of(stored.others.get(keys.SIGN_JOB_PREFIX, []))]
