"""The platform's steps of a route (moto in-process): replaying them changes nothing, and a step that
fails is recorded on the route as stuck, then recovers when run again."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from chalicelib.directory.store import new_user
from chalicelib.documents import service as documents
from chalicelib.documents.models import DocumentDraft
from chalicelib.documents.uploads import check_uploaded_object
from chalicelib.kernel.errors import Forbidden
from chalicelib.notifications import service as notifications
from chalicelib.registers import service as registers
from chalicelib.registers.models import ListQuery
from chalicelib.routing import models, service

from tests.conftest import principal

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def routed_memo(agency: str) -> tuple[Any, str]:
    new_user(agency, "u-director", username="director", name="นายทดสอบ ลงนาม", position="อธิบดีกรมทดสอบ").save()
    author = principal(agency, "staff", user="u-author", units=("plan",))
    draft = DocumentDraft.model_validate_json(
        json.dumps(
            {
                "kind": "internal",
                "subject": "บันทึกทดสอบเส้นทาง",
                "recipient": {"position": "อธิบดีกรมทดสอบ"},
                "body": "ข้อความ",
                "owner_unit_id": "plan",
            }
        )
    )
    document_id = documents.create_document(author, draft, now=NOW).id
    steps = models.StartRoute.model_validate_json(
        json.dumps({"plan": {"signers": [{"user_id": "u-director"}]}})
    )
    service.start(author, document_id, steps, now=NOW)
    service.act(author, document_id, models.RouteAction(action="forward"), now=NOW)
    return author, document_id


def book_numbers(agency: str) -> list[tuple[int, bool]]:
    saraban = principal(agency, "saraban")
    page = registers.list_book(saraban, "outgoing", ListQuery(year=2569), now=NOW)
    return [(e.number, e.cancelled) for e in page.entries]


def test_settling_again_and_again_takes_one_number_and_renders_once(new_agency: Any) -> None:
    agency = new_agency()
    author, document_id = routed_memo(agency)
    outcomes = [service.settle(agency, document_id, now=NOW) for _ in range(6)]
    assert outcomes[:3] == ["changed", "changed", "rendering"] and set(outcomes[3:]) == {"waiting-for-checks"}
    assert book_numbers(agency) == [(1, False)]
    stored = documents.load(agency, document_id)
    assert stored is not None and len(stored.files) == 1  # rendered once, under the claimed id
    check_uploaded_object(stored.files[0].object_key, now=NOW)  # the upload handler passes it
    assert service.settle(agency, document_id, now=NOW) == "changed"
    assert [service.settle(agency, document_id, now=NOW) for _ in range(3)] == ["nothing-due"] * 3
    route = service.get_route(author, document_id)
    assert route.state == "signing" and route.number is not None and route.number.ref_line == "ที่ ทส 0101.2/1"
    assert book_numbers(agency) == [(1, False)]


def test_a_failing_step_is_recorded_as_stuck_and_recovers(
    new_agency: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    agency = new_agency()
    author, document_id = routed_memo(agency)
    real = registers.register

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the book is unavailable")

    monkeypatch.setattr(registers, "register", broken)
    with pytest.raises(RuntimeError):
        service.settle(agency, document_id, now=NOW)
    stuck = service.get_route(author, document_id)
    assert stuck.stuck and "the book is unavailable" in stuck.stuck
    assert (agency, document_id, stuck.stuck) in service.stuck()
    monkeypatch.setattr(registers, "register", real)
    assert service.settle(agency, document_id, now=NOW) == "changed"  # the operator's redrive, or a retry
    recovered = service.get_route(author, document_id)
    assert recovered.stuck is None and recovered.number is not None
    assert all(found[1] != document_id for found in service.stuck())


def test_a_withdrawn_route_cancels_its_number_once(new_agency: Any) -> None:
    agency = new_agency()
    author, document_id = routed_memo(agency)
    service.settle(agency, document_id, now=NOW)  # the number is taken
    signer = principal(agency, "director", user="u-director")
    saraban = principal(agency, "saraban", user="u-saraban")
    assert service.get_route(author, document_id).may_withdraw  # who started it
    assert service.get_route(saraban, document_id).may_withdraw  # the saraban officer
    assert not service.get_route(signer, document_id).may_withdraw  # on the route, but not theirs to withdraw
    with pytest.raises(Forbidden):
        service.withdraw(signer, document_id, models.Withdraw(reason="ไม่ใช่ของท่าน"), now=NOW)
    service.withdraw(author, document_id, models.Withdraw(reason="เปลี่ยนแผน"), now=NOW)
    for _ in range(3):
        service.settle(agency, document_id, now=NOW)
    assert book_numbers(agency) == [(1, True)]
    assert service.get_route(author, document_id).number is None
    assert not service.get_route(author, document_id).may_withdraw  # withdrawn already: closed


def test_items_past_due_are_flagged_once_and_their_people_notified(new_agency: Any) -> None:
    from datetime import timedelta

    from chalicelib.routing.schedule import flag_overdue

    agency = new_agency()
    new_user(agency, "u-director", username="director", name="นายทดสอบ ลงนาม", position="อธิบดีกรมทดสอบ").save()
    author = principal(agency, "staff", user="u-author", units=("plan",))
    draft = DocumentDraft.model_validate_json(
        json.dumps(
            {
                "kind": "internal",
                "subject": "บันทึกด่วน",
                "urgency": "urgent",
                "recipient": {"position": "อธิบดีกรมทดสอบ"},
                "owner_unit_id": "plan",
            }
        )
    )
    document_id = documents.create_document(author, draft, now=NOW).id
    plan = models.StartRoute.model_validate_json(
        json.dumps({"plan": {"signers": [{"user_id": "u-director"}]}})
    )
    service.start(author, document_id, plan, now=NOW)  # the author's draft step opens, due in 72 hours (ด่วน)
    [item] = service.inbox(author, models.InboxQuery(), now=NOW).items
    assert item.due_at == NOW + timedelta(hours=72) and not item.overdue
    assert service.inbox(author, models.InboxQuery(state="overdue"), now=NOW).items == []
    later = NOW + timedelta(hours=73)
    assert flag_overdue(now=later) == 1
    assert flag_overdue(now=later) == 0  # once: the due marker is gone
    [late] = service.inbox(author, models.InboxQuery(state="overdue"), now=NOW).items
    assert late.overdue and late.document_id == document_id
    notes = notifications.listing(author).notifications
    assert any(n.text.startswith("เกินกำหนด") and n.document_id == document_id for n in notes)


def test_a_letter_being_signed_is_not_withdrawn(new_agency: Any) -> None:
    from chalicelib.kernel.errors import Conflict

    agency = new_agency()
    author, document_id = routed_memo(agency)
    for _ in range(3):  # numbered, then rendered
        service.settle(agency, document_id, now=NOW)
    stored = documents.load(agency, document_id)
    assert stored is not None
    check_uploaded_object(stored.files[0].object_key, now=NOW)
    assert service.settle(agency, document_id, now=NOW) == "changed"  # at its sign step
    assert service.get_route(author, document_id).may_withdraw  # nothing being signed yet
    signer = principal(agency, "director", user="u-director")
    service.act(signer, document_id, models.RouteAction(action="forward"), now=NOW)  # the sign job is queued
    assert not service.get_route(author, document_id).may_withdraw
    with pytest.raises(Conflict) as refused:
        service.withdraw(author, document_id, models.Withdraw(reason="เปลี่ยนแผน"), now=NOW)
    assert "กำลังลงนาม" in refused.value.message_th
