"""The destruction when things go wrong, in-process with the clock set by the test: the National
Archives' choice is never surveyed again; a run cut short between removing bytes and writing the record
finishes on the next run; a version the record does not name, held by S3, stops the record before any
byte goes; the list cannot be dated as sent before the head approved it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from chalicelib.archive import destruction, models, store
from chalicelib.kernel import objects
from chalicelib.kernel.errors import InvalidInput
from chalicelib.kernel.settings import get_settings

from tests.unit.archive.test_destruction import SURVEY_DAY, _signed_by_the_head, person, stock

AGENCY = "destroy-again"
APPROVED = SURVEY_DAY + timedelta(days=7)


def parse(model: Any, data: dict[str, Any]) -> Any:
    return model.model_validate_json(json.dumps(data))


@pytest.fixture(scope="module")
def sent(aws: Any) -> dict[str, Any]:
    """The 2569 list of a second agency taken to the National Archives: every line marked X."""
    world = stock(AGENCY)
    records, head = person("u-records", AGENCY), person("u-head", AGENCY)
    chair, member = person("u-chair", AGENCY), person("u-member1", AGENCY)
    assert destruction.survey_due(now=SURVEY_DAY, agencies=[AGENCY]) == 1
    committee = {
        "order_reference": "คำสั่ง ที่ 9/2570",
        "chair": "u-chair",
        "members": ["u-member1", "u-member2"],
    }
    destruction.appoint(head, 2569, parse(models.CommitteeCommand, committee), now=SURVEY_DAY)
    rows = destruction.rows_page(records, 2569, models.RowsQuery()).rows
    marks = {"decisions": [{"number": r.number, "decision": "destroy"} for r in rows]}
    destruction.review(member, 2569, parse(models.ReviewCommand, marks), now=APPROVED)
    destruction.report(chair, 2569, now=APPROVED)
    approved = destruction.approve(head, 2569, models.ApproveCommand(), now=APPROVED)
    assert approved.list_document_id
    _signed_by_the_head(approved.list_document_id, AGENCY)
    before = parse(models.SentCommand, {"sent_on": "2027-01-11", "via": "post"})  # the approval: 12 January
    with pytest.raises(InvalidInput):
        destruction.record_sent(records, 2569, before, now=APPROVED + timedelta(days=1))
    on_time = parse(models.SentCommand, {"sent_on": "2027-01-12", "via": "post"})
    destruction.record_sent(records, 2569, on_time, now=APPROVED + timedelta(days=1))
    return {**world, "rows": rows, "records": records}


def test_what_the_archives_keep_is_never_surveyed_again(sent: dict[str, Any]) -> None:
    records, rows = sent["records"], sent["rows"]
    kept = rows[0]
    answer = {"received_on": "2027-02-01", "reference": "วธ 0403/77", "selected": [kept.number]}
    answered = destruction.record_answer(records, 2569, parse(models.AnswerCommand, answer), now=APPROVED)
    assert (answered.kept_by_archives, answered.to_destroy) == (1, len(rows) - 1)
    # A year on, the next survey: the kept record is not on it (the others are still on the open list).
    next_year = SURVEY_DAY + timedelta(days=365)
    assert destruction.survey_due(now=next_year, agencies=[AGENCY]) == 1
    listed = destruction.rows_page(records, 2570, models.RowsQuery()).rows
    assert kept.document_id not in {r.document_id for r in listed}


def test_a_run_cut_short_after_its_bytes_went_finishes_on_the_next(sent: dict[str, Any]) -> None:
    records, rows = sent["records"], sent["rows"]
    destruction.destroy(records, 2569, now=APPROVED + timedelta(days=30))
    victim = rows[1]
    # As if the job died midway: the record claimed, one archived version already gone, nothing recorded.
    archived = store.archived(AGENCY, victim.document_id)
    assert archived is not None
    archived.update(actions=[store.ArchivedItem.state.set("destroying")])
    key, version = objects.archive_versions(f"{AGENCY}/{victim.document_id}/")[0]
    objects.s3().delete_object(Bucket=get_settings().archive_bucket, Key=key, VersionId=version)
    # A version the record does not name, under an S3 legal hold: that record must keep every byte.
    guarded = rows[2]
    key = f"{AGENCY}/{guarded.document_id}/letter"
    objects.s3().put_object(
        Bucket=get_settings().archive_bucket,
        Key=key,
        Body=b"%PDF-1.7 an earlier copy",
        ChecksumAlgorithm="SHA256",
        ObjectLockLegalHoldStatus="ON",
    )
    versions_before = len(objects.archive_versions(f"{AGENCY}/{guarded.document_id}/"))

    destruction.destroy_due(now=APPROVED + timedelta(days=30), agencies=[AGENCY], budget_seconds=60)

    finished = store.archived(AGENCY, victim.document_id)
    assert finished is not None and finished.state == "destroyed"
    assert objects.archive_versions(f"{AGENCY}/{victim.document_id}/") == []
    assert store.tombstone(AGENCY, victim.document_id) is not None
    page = {r.number: r for r in destruction.rows_page(records, 2569, models.RowsQuery()).rows}
    assert page[guarded.number].outcome == "skipped: held in storage"
    assert len(objects.archive_versions(f"{AGENCY}/{guarded.document_id}/")) == versions_before
    assert store.archived(AGENCY, guarded.document_id).state == "stored"  # type: ignore[union-attr]
    done = destruction.view(records, 2569)
    assert done.state == "destroyed" and done.destroyed == len(rows) - 2
    # The destroyed record's own text went with it; what its register line shows stays.
    from chalicelib.documents import service as documents

    gone = documents.load(AGENCY, victim.document_id)
    assert gone is not None and gone.item.content["body"] == "" and gone.item.content["subject"]
