"""Registration numbers against the real store logic (moto in-process, single-threaded):
any interleaving of registrations, competing registrations, retries and cancellations leaves each
book-year numbered 1..N with no gap and no repeat."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

import pytest
from chalicelib.kernel.errors import Conflict, InvalidInput
from chalicelib.kernel.http import parse
from chalicelib.registers import models, store
from chalicelib.registers import service as registration
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import principal

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


def register(principal: Any, book: str, body: dict[str, Any], **options: Any) -> tuple[dict[str, Any], bool]:
    """The use case as the door calls it: the body parsed by its model first."""
    command = parse(models.RegistrationCommand, body, "body", strict=True)
    entry, replayed = registration.register(principal, book, command, **options)
    return entry.model_dump(mode="json"), replayed


def cancel(principal: Any, book: str, year: int, number: int, reason: str) -> dict[str, Any]:
    view = registration.cancel(principal, book, year, number, models.CancelCommand(reason=reason), now=NOW)
    return view.model_dump(mode="json", by_alias=True)


def letter(n: int) -> dict[str, Any]:
    return {"document": {"kind": "external", "subject": f"หนังสือทดสอบที่ {n}", "owner_unit_id": "plan"}}


operation = st.one_of(
    st.tuples(st.just("register"), st.one_of(st.none(), st.integers(0, 4)), st.integers(0, 2)),
    st.tuples(st.just("cancel"), st.integers(0, 30), st.just(0)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_any_interleaving_keeps_the_book_gap_free(
    new_agency: Any, operations: list[tuple[str, Any, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    real_commit = store.commit_registration
    intruders = {"pending": 0}
    committed: list[int] = []
    answers_by_key: dict[int, int] = {}

    def commit_after_intruders(*args: Any, **kwargs: Any) -> None:
        # Other clients take numbers between this client's read and its write.
        while intruders["pending"]:
            intruders["pending"] -= 1
            entry, _ = register(saraban, "outgoing", letter(900), idempotency_key=None, clock=clock)
            committed.append(entry["number"])
        real_commit(*args, **kwargs)

    monkeypatch.setattr(store, "commit_registration", commit_after_intruders)
    for step, (kind, value, extra) in enumerate(operations):
        if kind == "register":
            intruders["pending"] = extra
            key = None if value is None else f"key-{value}"
            body = letter(value if value is not None else 1000 + step)
            entry, replayed = register(saraban, "outgoing", body, idempotency_key=key, clock=clock)
            intruders["pending"] = 0
            if value is not None and value in answers_by_key:
                assert replayed and entry["number"] == answers_by_key[value]
            else:
                assert not replayed
                committed.append(entry["number"])
                if value is not None:
                    answers_by_key[value] = entry["number"]
        elif committed:
            number = committed[value % len(committed)]
            with contextlib.suppress(Conflict):  # already cancelled: it stays in the book either way
                cancel(saraban, "outgoing", 2569, number, "พิมพ์ผิด")

    page = store.list_entries(agency, "outgoing", 2569, limit=200, after_sort_key=None)
    numbers = [int(e.number) for e in page.entries]
    assert numbers == list(range(1, len(committed) + 1))
    assert sorted(committed) == numbers
    reads = store.read_for_registration(agency, "outgoing", 2569, None, None)
    assert reads.counter == len(committed)


def test_reference_lines_and_book_years(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    first, _ = register(saraban, "outgoing", letter(1), idempotency_key=None, clock=clock)
    circular, _ = register(saraban, "circular", letter(2), idempotency_key=None, clock=clock)
    order, _ = register(
        saraban,
        "order",
        {"document": {"kind": "directive", "sub_kind": "order", "subject": "แต่งตั้งคณะทำงาน"}},
        idempotency_key=None,
        clock=clock,
    )
    assert first["ref_line"] == "ที่ ทส 0101.2/1"
    assert circular["ref_line"] == "ที่ ทส 0101.2/ว 1"
    assert order["ref_line"] == "ที่ 1/2569"
    # New Year in Bangkok (17:00 UTC on 31 Dec) starts the book again from 1.
    new_year = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    again, _ = register(saraban, "outgoing", letter(3), idempotency_key=None, clock=lambda: new_year)
    assert (again["year"], again["number"]) == (2570, 1)


def test_same_key_different_request_is_a_conflict(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "outgoing", letter(1), idempotency_key="same", clock=clock)
    with pytest.raises(Conflict):
        register(saraban, "outgoing", letter(2), idempotency_key="same", clock=clock)


def test_failed_registration_takes_no_number(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    with pytest.raises(InvalidInput):
        register(saraban, "outgoing", {"document": {"kind": "external"}}, idempotency_key=None, clock=clock)
    entry, _ = register(saraban, "outgoing", letter(1), idempotency_key=None, clock=clock)
    assert entry["number"] == 1


def test_cancelled_entry_keeps_its_number_and_who_cancelled(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    for n in range(3):
        register(saraban, "outgoing", letter(n), idempotency_key=None, clock=clock)
    view = cancel(saraban, "outgoing", 2569, 2, "ออกเลขซ้ำซ้อน")
    assert (
        view["cancelled"]
        and view["cancel"]["reason"] == "ออกเลขซ้ำซ้อน"
        and view["cancel"]["by"] == "u-saraban"
    )
    nxt, _ = register(saraban, "outgoing", letter(9), idempotency_key=None, clock=clock)
    assert nxt["number"] == 4
    listed = registration.list_book(saraban, "outgoing", models.ListQuery(year=2569), now=NOW).model_dump()
    assert [(e["number"], e["cancelled"]) for e in listed["entries"]] == [
        (1, False),
        (2, True),
        (3, False),
        (4, False),
    ]


def test_a_concurrent_retry_with_the_same_key_returns_the_first_answer(
    new_agency: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    real_commit = store.commit_registration
    first: dict[str, Any] = {}

    def retry_lands_first(*args: Any, **kwargs: Any) -> None:
        if not first:  # the client's retry (same key) commits between this request's read and write
            monkeypatch.setattr(store, "commit_registration", real_commit)
            entry, _ = register(saraban, "outgoing", letter(1), idempotency_key="k", clock=clock)
            first.update(entry)
        real_commit(*args, **kwargs)

    monkeypatch.setattr(store, "commit_registration", retry_lands_first)
    entry, replayed = register(saraban, "outgoing", letter(1), idempotency_key="k", clock=clock)
    assert replayed and entry == first
    page = store.list_entries(agency, "outgoing", 2569, limit=10, after_sort_key=None)
    assert [int(e.number) for e in page.entries] == [1]


def test_the_cause_of_a_cancelled_transaction_is_traced_to_its_item(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    made, _ = register(saraban, "outgoing", letter(1), idempotency_key=None, clock=clock)
    view = cancel(saraban, "outgoing", 2569, made["number"], "ซ้ำ")
    entry = store.get_entry(agency, "outgoing", 2569, made["number"])
    assert entry is not None and view["cancelled"]
    entry.cancelled = False  # a stale copy: the store must see the condition fail on the entry, not raise
    from chalicelib.kernel.audit import AuditEvent

    event = AuditEvent(agency, "u", "register.entry.cancelled", "register/outgoing/2569/1", NOW)
    assert store.cancel_entry(entry, {"reason": "again"}, event, lambda tx: None) is False
