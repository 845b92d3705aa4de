"""Sign jobs (moto in-process): a failing job records its reason, is retried, and is marked failed on
its last attempt (the message then goes to the dead-letter queue); a done job never signs again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from chalicelib.directory.store import new_user
from chalicelib.documents.store import new_document
from chalicelib.kernel import keys
from chalicelib.signatures import service as signing
from chalicelib.signatures.models import SignJobMessage
from chalicelib.signatures.store import SignJobItem, new_job

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def queued_job(agency: str, document_id: str, *, signing_record: dict[str, Any]) -> None:
    new_user(
        agency, "signer", username="signer", name="ผู้ลงนาม", position="ผู้อำนวยการ", signing=signing_record
    ).save()
    new_document(
        agency,
        document_id,
        content={"signers": ["signer"]},
        kind="external",
        secrecy=0,
        state="draft",
        created_by="signer",
        created_at=NOW,
        updated_at=NOW,
    ).save()
    new_job(
        agency,
        document_id,
        0,
        signer="signer",
        requested_by="signer",
        capacity={"kind": "own", "position": "ผู้อำนวยการ", "name": "ผู้ลงนาม"},
        status="queued",
        created_at=NOW,
        updated_at=NOW,
    ).save()


def run(agency: str, document_id: str, **options: Any) -> str:
    return signing.run_job(SignJobMessage(agency=agency, document=document_id, slot=0), **options)


def job(agency: str, document_id: str) -> SignJobItem:
    return SignJobItem.get(keys.document_pk(agency, document_id), keys.sign_job_sk(0), consistent_read=True)


def test_failures_are_recorded_retried_then_failed(new_agency: Any) -> None:
    agency = new_agency()
    queued_job(
        agency, "doc000001", signing_record={"kms_key_id": "missing", "certificate_pem": "x", "chain_pem": []}
    )
    with pytest.raises(RuntimeError, match="no PDF"):
        signing.run_job(
            SignJobMessage(agency=agency, document="doc000001", slot=0), now=NOW, last_attempt=False
        )
    first = job(agency, "doc000001")
    assert (first.status, int(first.attempts)) == ("queued", 1) and "no PDF" in (first.error or "")
    with pytest.raises(RuntimeError):
        signing.run_job(
            SignJobMessage(agency=agency, document="doc000001", slot=0), now=NOW, last_attempt=True
        )
    last = job(agency, "doc000001")
    assert (last.status, int(last.attempts)) == ("failed", 2)
    # A failed job is not run again by a late duplicate delivery.
    assert (
        signing.run_job(
            SignJobMessage(agency=agency, document="doc000001", slot=0), now=NOW, last_attempt=False
        )
        == "already-failed"
    )


def test_a_done_job_is_never_run_twice(new_agency: Any) -> None:
    agency = new_agency()
    queued_job(
        agency, "doc000002", signing_record={"kms_key_id": "k", "certificate_pem": "x", "chain_pem": []}
    )
    item = job(agency, "doc000002")
    item.update(actions=[SignJobItem.status.set("done")])
    assert (
        signing.run_job(
            SignJobMessage(agency=agency, document="doc000002", slot=0), now=NOW, last_attempt=False
        )
        == "already-done"
    )
    assert (
        signing.run_job(
            SignJobMessage(agency=agency, document="doc-missing", slot=0), now=NOW, last_attempt=False
        )
        == "no-job"
    )
