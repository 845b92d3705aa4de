"""The scheduled clean-up (moto in-process): lapsed pending uploads expire, others are left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.documents import service as documents
from chalicelib.documents import store
from chalicelib.documents.models import DocumentDraft, UploadCommand
from chalicelib.documents.schedule import GRACE, expire_lapsed_uploads

from tests.conftest import principal

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def pending_file(agency: str, at: datetime) -> tuple[str, str]:
    staff = principal(agency, "staff", user="u-staff")
    document = documents.create_document(
        staff, DocumentDraft.model_validate_json('{"kind": "internal", "subject": "บันทึก"}'), now=at
    )
    grant = documents.request_upload(
        staff, document.id, UploadCommand(filename="a.pdf", content_type="application/pdf"), now=at
    )
    return document.id, grant.file_id


def status(agency: str, document_id: str, file_id: str) -> Any:
    item = store.get_file(agency, document_id, file_id)
    assert item is not None
    return item.status, item.gsi2pk


def test_lapsed_uploads_expire_and_leave_the_pending_index(new_agency: Any) -> None:
    agency = new_agency()
    old = pending_file(agency, NOW - timedelta(hours=2))
    fresh = pending_file(agency, NOW - timedelta(minutes=1))
    just_lapsed = pending_file(agency, NOW - GRACE / 2 - timedelta(minutes=5))  # URL lapsed, within the grace
    assert expire_lapsed_uploads(now=NOW) >= 1
    assert status(agency, *old) == ("expired", None)
    assert status(agency, *fresh)[0] == "pending"
    assert status(agency, *just_lapsed)[0] == "pending"
    assert expire_lapsed_uploads(now=NOW) == 0  # nothing twice
