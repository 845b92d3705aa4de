"""Scheduled clean-up: uploads whose presigned URL lapsed without a file become `expired`.

The pending-upload index is sparse (a file leaves it when settled), so the sweep reads only what is
still pending; it is a scheduled job, not a request path, and touches every agency's pending files.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.documents import store
from chalicelib.documents.uploads import expire_abandoned_uploads

MAX_PER_RUN = 1000
# An upload that began just before its URL lapsed may still be on its way through the queue.
GRACE = timedelta(minutes=15)


def expire_lapsed_uploads(*, now: datetime) -> int:
    cutoff = (now - GRACE).astimezone(UTC).isoformat()
    expired = 0
    for agency_id, document_id, file_id in store.lapsed_uploads(cutoff, MAX_PER_RUN):
        if expire_abandoned_uploads(agency_id, document_id, file_id, now=now - GRACE):
            expired += 1
    return expired
