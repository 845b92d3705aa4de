"""Signing a document: whose turn it is, who may sign for them, and the job the sign worker runs.

The API only decides and queues (202); the worker (events/sign_worker.py) signs with the signer's
KMS key and stores the result as a new version. One job per signer slot, created once: asking twice
or running the job twice never adds a second signature.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from functools import cache
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.access import Principal
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services.documents import current_main_file, readable_document
from chalicelib.settings import get_settings
from chalicelib.store import documents as store
from chalicelib.store import keys, objects
from chalicelib.store.audit import AuditEvent, audit_item
from chalicelib.store.models import DocumentItem, SignJobItem, UserItem

SYSTEM_ACTOR = "system:sign-worker"


def job_sk(slot: int) -> str:
    return f"SIGNJOB#{slot:02d}"


def current_pdf(stored: store.StoredDocument) -> tuple[str, str | None] | None:
    """(key, version) of the document's PDF now: the latest signed version, else the main PDF at the
    exact object version its upload checks passed (a later upload to the same key is never used)."""
    if stored.item.signatures:
        return str(stored.item.signatures[-1]["object_key"]), None
    main = current_main_file(stored)
    return (main.object_key, main.version_id) if main else None


def _user(agency_id: str, user_id: str) -> UserItem | None:
    try:
        return UserItem.get(keys.agency_pk(agency_id), f"USER#{user_id}")
    except UserItem.DoesNotExist:
        return None


def capacity_for(principal: Principal, signer: UserItem, *, now: datetime) -> dict[str, Any]:
    """May the principal sign in the signer's place now? Their own turn, or an active delegation."""
    signer_id = signer.sk.removeprefix("USER#")
    if principal.user_id == signer_id:
        return {"kind": "own", "position": signer.position, "name": principal.name}
    for delegation in principal.delegations:
        # From this signer, for their position: another holder of the same title is not covered.
        if (
            delegation.from_user == signer_id
            and delegation.position == signer.position
            and delegation.active_at(now)
        ):
            return {
                "kind": "acting" if delegation.kind == "acting" else "on_behalf",
                "position": principal.position,
                "name": principal.name,
                "for_position": signer.position,
                "delegated_by": delegation.from_user,
                "order_reference": delegation.order_reference,
            }
    raise Forbidden(
        "ยังไม่ถึงลำดับการลงนามของท่าน หรือท่านไม่ได้รับมอบหมายให้ลงนามแทน",
        "it is not your turn to sign, and you hold no active delegation for the signer's position",
    )


def request_signature(
    principal: Principal, document_id: str, *, now: datetime
) -> tuple[dict[str, Any], bool]:
    """Queue the next signature; (job view, created). Refused unless it is the caller's turn."""
    stored = readable_document(principal, document_id)
    signers: list[str] = list(stored.item.content.get("signers", []))
    if not signers:
        raise InvalidInput("หนังสือนี้ยังไม่ได้กำหนดผู้ลงนาม", "the document has no signers")
    slot = len(stored.item.signatures)
    if slot >= len(signers):
        raise Conflict("หนังสือนี้ลงนามครบทุกลำดับแล้ว", "every signer has already signed")
    if current_pdf(stored) is None:
        raise Conflict(
            "ยังไม่มีไฟล์ PDF ของหนังสือให้ลงนาม", "the document has no PDF to sign yet: render or upload it"
        )
    signer = _user(principal.agency_id, signers[slot])
    if signer is None or not signer.active:
        raise Conflict("ไม่พบผู้ลงนามลำดับนี้ในทะเบียนผู้ใช้", f"signer {slot + 1} is not in the agency's directory")
    capacity = capacity_for(principal, signer, now=now)  # before anything else: only the one whose turn it is
    existing = next((j for j in stored.sign_jobs if int(j.slot) == slot), None)
    if existing is not None and existing.status == "queued":
        _send(
            principal.agency_id, document_id, slot
        )  # the first send may have been lost: the worker is idempotent
        return job_view(existing), False
    # Whoever signs uses their own key and certificate, also when signing for someone else.
    own = signer if principal.user_id == signers[slot] else _user(principal.agency_id, principal.user_id)
    if own is None or not own.signing:
        raise Conflict("ท่านยังไม่มีกุญแจและใบรับรองสำหรับลงนาม", "you have no signing key and certificate")
    job = SignJobItem(
        stored.item.pk,
        job_sk(slot),
        slot=slot,
        signer=signers[slot],
        requested_by=principal.user_id,
        capacity=capacity,
        status="queued",
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    try:
        with TransactWrite(connection=store.connection()) as tx:
            # A failed job may be asked for again; a queued or done one never twice.
            condition = SignJobItem.pk.does_not_exist() | (SignJobItem.status == "failed")
            tx.save(job, condition=condition)
            tx.save(
                audit_item(
                    AuditEvent(
                        principal.agency_id,
                        principal.user_id,
                        "document.sign_requested",
                        f"document/{document_id}",
                        now,
                        after={"slot": slot, "signer": signers[slot], "capacity": capacity},
                    )
                )
            )
    except TransactWriteError as error:
        from chalicelib.store.registers import failed_items

        if failed_items(error, ["job", "audit"]).get("job") != "ConditionalCheckFailed":
            raise
        current = SignJobItem.get(stored.item.pk, job_sk(slot), consistent_read=True)
        if current.status == "queued":  # a concurrent request queued it first: the same job
            return job_view(current), False
        raise Conflict("ลายมือชื่อลำดับนี้ลงนามแล้ว", "this turn's signature is already done") from error
    _send(principal.agency_id, document_id, slot)
    return job_view(job), True


def _send(agency_id: str, document_id: str, slot: int) -> None:
    sqs = objects._client("sqs")
    url = sqs.get_queue_url(QueueName=get_settings().sign_queue)["QueueUrl"]
    sqs.send_message(
        QueueUrl=url, MessageBody=json.dumps({"agency": agency_id, "document": document_id, "slot": slot})
    )


def job_view(job: SignJobItem) -> dict[str, Any]:
    return {
        "slot": int(job.slot),
        "signer": job.signer,
        "requested_by": job.requested_by,
        "capacity": job.capacity,
        "status": job.status,
        "attempts": int(job.attempts),
        "error": job.error,
        "updated_at": job.updated_at.isoformat(),
    }


# -- the worker's side --------------------------------------------------------------------------


@cache
def _service(agency_id: str, trust_pems: tuple[str, ...], tsa_url: str | None) -> Any:
    # One service per warm container and agency: the timestamper's token size and HTTP session are reused.
    from chalicelib.signing.pades import PadesSigningService

    return PadesSigningService(trust_roots=_certs(trust_pems), tsa_url=tsa_url)


def _certs(pems: tuple[str, ...] | list[str]) -> list[Any]:
    from asn1crypto import pem, x509

    return [x509.Certificate.load(pem.unarmor(p.encode())[2]) for p in pems]


def run_job(agency_id: str, document_id: str, slot: int, *, now: datetime, last_attempt: bool) -> str:
    """Sign the document for one slot. Safe to run twice; records the error when it fails."""
    try:
        job = SignJobItem.get(keys.document_pk(agency_id, document_id), job_sk(slot), consistent_read=True)
    except SignJobItem.DoesNotExist:
        return "no-job"
    if job.status != "queued":
        return "already-" + job.status
    try:
        return _sign(agency_id, document_id, job, now=now)
    except Exception as error:
        status = "failed" if last_attempt else "queued"
        reason = f"{type(error).__name__}: {error}"[:500]
        try:
            with TransactWrite(connection=store.connection()) as tx:
                # Only a job still queued records the failure: a finished one is never reopened.
                tx.update(
                    job,
                    actions=[
                        SignJobItem.attempts.add(1),
                        SignJobItem.error.set(reason),
                        SignJobItem.status.set(status),
                        SignJobItem.updated_at.set(now),
                    ],
                    condition=SignJobItem.status == "queued",
                )
                tx.save(
                    audit_item(
                        AuditEvent(
                            agency_id,
                            SYSTEM_ACTOR,
                            "document.sign_failed",
                            f"document/{document_id}",
                            now,
                            after={"slot": int(job.slot), "status": status, "error": reason},
                        )
                    )
                )
        except TransactWriteError:
            return "already-settled"
        raise


def _sign(agency_id: str, document_id: str, job: SignJobItem, *, now: datetime) -> str:
    from chalicelib.signing.policy import LevelPolicy, choose_level
    from chalicelib.store.directory import agency_profile

    stored = store.load_document(agency_id, document_id, consistent=True)
    profile = agency_profile(agency_id)
    if stored is None or profile is None:
        raise RuntimeError("document or agency vanished")
    slot = int(job.slot)
    if len(stored.item.signatures) != slot:
        raise RuntimeError(f"signature {slot + 1} is not next: {len(stored.item.signatures)} done")
    source = current_pdf(stored)
    if source is None:
        raise RuntimeError("no PDF to sign")
    source_bytes = objects.read(source[0], version_id=source[1])
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
    target_key = (
        f"{keys.check_agency(agency_id)}/documents/{document_id}/signed/{slot:02d}-{source_digest[:20]}.pdf"
    )
    if objects.head(target_key) is not None:
        signed_bytes = objects.read(target_key)
    else:
        signed_bytes = _signed_pdf(agency_id, profile, job, source_bytes, level, signing_settings)
        digest = hashlib.sha256(signed_bytes).digest()
        if not objects.write(
            target_key,
            signed_bytes,
            content_type="application/pdf",
            sha256_b64=base64.b64encode(digest).decode(),
        ):
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
    return _record_signature(agency_id, document_id, job, signature, stored, now=now)


def _signed_pdf(
    agency_id: str,
    profile: Any,
    job: SignJobItem,
    source: bytes,
    level: Any,
    signing_settings: dict[str, Any],
) -> bytes:
    from chalicelib.signing.appearance import OnBehalf, OnBehalfKind, SignatureBlock, capacity_reason
    from chalicelib.signing.kms_signer import KmsSigner
    from chalicelib.signing.pades import NewField

    signer = _user(agency_id, job.requested_by)  # the person who signs, in whatever capacity
    if signer is None or not signer.signing:
        raise RuntimeError("the person signing has no signing key")
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
    )
    record = signer.signing
    kms_signer = KmsSigner(
        objects._client("kms"),
        record["kms_key_id"],
        _certs([record["certificate_pem"]])[0],
        _certs(record["chain_pem"]),
    )
    service = _service(
        agency_id, tuple(signing_settings.get("trust_roots_pem", [])), signing_settings.get("tsa_url")
    )
    result = service.sign(
        source,
        kms_signer,
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
    stored: store.StoredDocument,
    *,
    now: datetime,
    attempts: int = 5,
) -> str:
    """Add the signature to the document and close the job, together. The document may change
    meanwhile (a registration, a grant): read it again and retry; never drop the signature."""
    from chalicelib.store.registers import failed_items

    for _ in range(attempts):
        if len(stored.item.signatures) != int(job.slot):
            raise RuntimeError("the document's signatures changed while signing")
        try:
            with TransactWrite(connection=store.connection()) as tx:
                tx.update(
                    job,
                    actions=[
                        SignJobItem.status.set("done"),
                        SignJobItem.error.remove(),
                        SignJobItem.updated_at.set(now),
                    ],
                    condition=SignJobItem.status == "queued",
                )
                tx.update(
                    stored.item,
                    actions=[
                        DocumentItem.signatures.set([*stored.item.signatures, signature]),
                        DocumentItem.version.add(1),
                        DocumentItem.updated_at.set(now),
                    ],
                    condition=DocumentItem.version == stored.item.version,
                )
                tx.save(
                    audit_item(
                        AuditEvent(
                            agency_id,
                            SYSTEM_ACTOR,
                            "document.signed",
                            f"document/{document_id}",
                            now,
                            before={"signatures": len(stored.item.signatures)},
                            after=signature,
                        )
                    )
                )
            return "signed"
        except TransactWriteError as error:
            failed = failed_items(error, ["audit", "job", "document"])
            if failed.get("job"):
                return "already-done"  # another delivery recorded it first
            reloaded = store.load_document(agency_id, document_id, consistent=True)
            if reloaded is None:
                raise
            stored = reloaded
    raise RuntimeError("the document kept changing while the signature was recorded")


def signed_download(principal: Principal, document_id: str) -> dict[str, Any]:
    stored = readable_document(principal, document_id)
    pdf = current_pdf(stored)
    if pdf is None:
        raise NotFound("ยังไม่มีไฟล์ PDF", "the document has no PDF yet")
    seconds = get_settings().download_url_seconds
    return {
        "url": objects.presigned_download(
            pdf[0], filename=f"{document_id}.pdf", expires=seconds, version_id=pdf[1]
        ),
        "expires_in": seconds,
    }
