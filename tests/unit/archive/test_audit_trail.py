"""The audit trail anyone can verify: an agency's events sealed a day at a time into a hash chain whose
links are archived write-once and whose heads are timestamped (RFC 3161, the test PKI's TSA); an export
verifies offline; an event changed, added or removed after its seal is named as the first broken link,
and the storage refuses to delete a sealed day."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest
from chalicelib.archive import trail
from chalicelib.kernel import audit, ddb
from chalicelib.kernel.audit import AuditEvent, AuditItem

AGENCY = "trail-test"
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok


@pytest.fixture(scope="module")
def tsa_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from devstack.pki import DEMO_AGENCIES, start_pki_server

    cache = Path(os.environ.get("EOFFICE_PKI_CACHE") or tmp_path_factory.mktemp("pki-keys"))
    with start_pki_server(DEMO_AGENCIES, [], port=0, cache_dir=cache) as server:
        yield server.pki.tsa_url


def record(day: date, n: int) -> None:
    tx = ddb.Transaction()
    at = datetime(day.year, day.month, day.day, 2, n, tzinfo=UTC)
    audit.add_to(
        tx, AuditEvent(AGENCY, "u-clerk", "document.created", f"document/d{day.day}-{n}", at, after={"n": n})
    )
    tx.commit()


def test_sealed_days_verify_and_the_first_tampered_event_is_named(aws: Any, tsa_url: str) -> None:
    days = [NOW.date() - timedelta(days=d) for d in (3, 2, 1)]
    for day in days:
        for n in range(4):
            record(day, n)
    record(NOW.date(), 0)  # today's: not sealed until the day ends
    sealed = trail.seal_due(now=NOW, agencies=[(AGENCY, tsa_url)])
    assert sealed == trail.LOOK_BACK_DAYS  # from a month back to yesterday, empty days too
    assert trail.seal_due(now=NOW, agencies=[(AGENCY, tsa_url)]) == 0  # once

    exported = trail.export(AGENCY, days[0], days[-1])
    verdict = trail.verify(json.loads(json.dumps(exported)))
    assert verdict.ok and verdict.events == 12 and verdict.days == 3 and verdict.timestamped == 3

    # Someone with table access changes an event after its day was sealed.
    target = sorted(AuditItem.query(f"{AGENCY}#AUDIT#{days[1].isoformat()}"), key=lambda i: i.sk)[2]
    target.update(actions=[AuditItem.after.set({"n": 99})])
    broken = trail.verify(trail.export(AGENCY, days[0], days[-1]))
    assert not broken.ok and broken.broken is not None
    assert broken.broken.startswith(f"{days[1].isoformat()} #3 ") and broken.broken.endswith("changed")
    assert broken.events == 4 + 2  # the first day and two events of the second were fine

    # ... or adds one to a sealed day, or removes one.
    target.update(actions=[AuditItem.after.set({"n": 2})])
    assert trail.verify(trail.export(AGENCY, days[0], days[-1])).ok  # put back: intact again
    record(days[2], 30)
    assert "added after the seal" in str(trail.verify(trail.export(AGENCY, days[0], days[-1])).broken)
    first = sorted(AuditItem.query(f"{AGENCY}#AUDIT#{days[0].isoformat()}"), key=lambda i: i.sk)[1]
    first.delete()
    gone = trail.verify(trail.export(AGENCY, days[0], days[-1]))
    assert gone.broken == f"{days[0].isoformat()} #2 ({first.sk}): removed after the seal"

    # Rewriting a sealed day's file only adds a version above the locked first one, which is what counts.
    from chalicelib.archive import store as seals
    from chalicelib.kernel import objects as storage

    sealed_day = next(iter(seals.seals(AGENCY, days[0].isoformat(), days[0].isoformat())))
    forged = json.loads(storage.archive_first_version(sealed_day.file_key)) | {"links": []}
    storage.s3().put_object(
        Bucket="eoffice-local-archive",
        Key=sealed_day.file_key,
        Body=json.dumps(forged).encode(),
        ChecksumAlgorithm="SHA256",
    )
    assert json.loads(storage.archive_first_version(sealed_day.file_key))["links"] != []

    # The sealed day itself cannot be deleted: the archive is write-once.
    from chalicelib.archive import store
    from chalicelib.kernel import objects

    seal = store.last_seal(AGENCY)
    assert seal is not None
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        objects.s3().delete_object(
            Bucket="eoffice-local-archive", Key=seal.file_key, VersionId=seal.file_version
        )
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_a_head_that_is_not_the_last_link_is_refused(aws: Any) -> None:
    exported = {
        "days": [
            {
                "day": "2026-11-01",
                "prev": trail.GENESIS,
                "head": trail.GENESIS,
                "count": 0,
                "tst": None,
                "links": [],
                "events": [],
            }
        ]
    }
    assert trail.verify(exported).ok
    exported["days"][0]["head"] = "1" * 64
    assert trail.verify(exported).broken == "2026-11-01: the head does not match the seal"
