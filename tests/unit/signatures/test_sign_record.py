"""Recording a signature survives a document that changed meanwhile (moto in-process)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.documents import store
from chalicelib.documents.store import DocumentItem
from chalicelib.kernel import keys
from chalicelib.signatures import service as signing
from chalicelib.signatures.store import SignJobItem

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def test_a_registration_meanwhile_does_not_lose_the_signature(new_agency: Any) -> None:
    agency = new_agency()
    pk = keys.document_pk(agency, "doc0000001")
    DocumentItem(
        pk,
        "DOC",
        content={"signers": ["d"]},
        kind="external",
        secrecy=0,
        state="draft",
        created_by="d",
        created_at=NOW,
        updated_at=NOW,
    ).save()
    job = SignJobItem(
        pk,
        keys.sign_job_sk(0),
        slot=0,
        signer="d",
        requested_by="d",
        capacity={"kind": "own"},
        status="queued",
        created_at=NOW,
        updated_at=NOW,
    )
    job.save()
    stale = store.load(agency, "doc0000001", consistent=True)
    assert stale is not None
    # Someone registers the document between the worker's read and its write.
    fresh = DocumentItem.get(pk, "DOC")
    fresh.update(actions=[DocumentItem.state.set("registered"), DocumentItem.version.add(1)])
    signature = {"slot": 0, "signer": "d", "object_key": "k", "sha256": "0" * 64}
    assert signing._record_signature(agency, "doc0000001", job, signature, stale, now=NOW) == "signed"
    document = DocumentItem.get(pk, "DOC", consistent_read=True)
    assert document.signatures == [signature] and document.state == "registered"
    assert SignJobItem.get(pk, keys.sign_job_sk(0), consistent_read=True).status == "done"
    # A second delivery recording the same signature finds the job done and adds nothing.
    assert signing._record_signature(agency, "doc0000001", job, signature, stale, now=NOW) == "already-done"
    assert len(DocumentItem.get(pk, "DOC", consistent_read=True).signatures) == 1
