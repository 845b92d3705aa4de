"""Sign jobs: one item per signer slot in the document's partition (SIGNJOB#00, SIGNJOB#01, ...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.signatures.domain import JobStatus


class SignJobItem(ddb.Record):
    """pk=agency#DOC#id, sk=SIGNJOB#00: the signature of the document's n-th signer, queued to the worker."""

    slot = NumberAttribute()
    signer = UnicodeAttribute()  # user id of the signer in the document's order
    requested_by = UnicodeAttribute()  # who signs: the signer, or the holder of a delegation for them
    capacity = JSONAttribute()  # {"kind": "own" | "acting" | "on_behalf", "position": ..., "for": ...}
    status = UnicodeAttribute()  # queued | done | failed
    attempts = NumberAttribute(default=0)
    error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


def jobs_of(raw_items: list[dict[str, Any]]) -> list[SignJobItem]:
    """The sign jobs among a document partition's items (as the documents store read them)."""
    return sorted((SignJobItem.from_raw_data(raw) for raw in raw_items), key=lambda j: int(j.slot))


def new_job(agency_id: str, document_id: str, slot: int, **fields: Any) -> SignJobItem:
    return SignJobItem(keys.document_pk(agency_id, document_id), keys.sign_job_sk(slot), slot=slot, **fields)


def get_job(agency_id: str, document_id: str, slot: int) -> SignJobItem | None:
    return ddb.get_or_none(SignJobItem, keys.document_pk(agency_id, document_id), keys.sign_job_sk(slot))


def create_job(job: SignJobItem, event: AuditEvent) -> bool:
    """Save a new job (or re-open a failed one); False if a queued or done job holds the slot."""
    tx = ddb.Transaction()
    condition = SignJobItem.pk.does_not_exist() | (SignJobItem.status == JobStatus.FAILED.value)
    tx.put("job", job, condition=condition)
    audit.add_to(tx, event)
    return tx.commit_unless_refused("job")


def record_failure(
    job: SignJobItem, *, status: JobStatus, reason: str, now: datetime, event: AuditEvent
) -> bool:
    """Only a job still queued records the failure: a finished one is never reopened."""
    tx = ddb.Transaction()
    tx.update(
        "job",
        job,
        [
            SignJobItem.attempts.add(1),
            SignJobItem.error.set(reason),
            SignJobItem.status.set(status.value),
            SignJobItem.updated_at.set(now),
        ],
        condition=SignJobItem.status == JobStatus.QUEUED.value,
    )
    audit.add_to(tx, event)
    try:
        tx.commit()
    except ddb.Cancelled:
        return False
    return True


def add_job_done(tx: ddb.Transaction, job: SignJobItem, *, now: datetime) -> None:
    tx.update(
        "job",
        job,
        [
            SignJobItem.status.set(JobStatus.DONE.value),
            SignJobItem.error.remove(),
            SignJobItem.updated_at.set(now),
        ],
        condition=SignJobItem.status == JobStatus.QUEUED.value,
    )
