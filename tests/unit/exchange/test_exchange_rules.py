"""What may be sent between agencies, and a delivery's identity (pure rules)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from chalicelib.exchange.domain import (
    DeliveryState,
    check_recipients,
    delivery_id,
    require_open_for_ecms,
    require_sendable,
)
from chalicelib.kernel.errors import Conflict, InvalidInput

SIGNED = {"signatures": [{"slot": 0}], "registrations": [{"ref_line": "ที่ ดศ 0201.3/7", "book": "outgoing"}]}


def letter(secrecy: int = 0, **changes: object) -> SimpleNamespace:
    return SimpleNamespace(secrecy=secrecy, **{**SIGNED, **changes})


def test_a_signed_numbered_letter_may_be_sent_and_a_classified_one_sealed_but_not_by_e_cms() -> None:
    require_sendable(letter())
    require_open_for_ecms(letter())
    for classified in (letter(1), letter(2)):  # ลับ, ลับมาก: sealed on the platform (kernel/envelope.py)
        require_sendable(classified)
        with pytest.raises(Conflict, match="cannot be sealed for the receiver"):
            require_open_for_ecms(classified)


@pytest.mark.parametrize(
    ("document", "why"),
    [
        (letter(3), "never travels in the system"),
        (letter(signatures=[]), "not signed"),
        (letter(registrations=[{"ref_line": "ที่ ดศ 0201.3/7", "cancelled": True}]), "no number"),
    ],
)
def test_what_is_not_sent_says_why(document: SimpleNamespace, why: str) -> None:
    with pytest.raises(Conflict, match=why):
        require_sendable(document)


def test_recipients_are_unique_and_never_the_sender() -> None:
    assert check_recipients("a-1", ["b-2", "c-3", "b-2"]) == ["b-2", "c-3"]
    with pytest.raises(InvalidInput):
        check_recipients("a-1", ["b-2", "a-1"])


def test_a_delivery_is_the_same_on_retry_and_new_on_a_new_attempt() -> None:
    first = delivery_id("a-1", "doc123456", "b-2", 1)
    assert first == delivery_id("a-1", "doc123456", "b-2", 1)
    assert first != delivery_id("a-1", "doc123456", "b-2", 2)
    assert first != delivery_id("a-1", "doc123456", "c-3", 1)
    assert DeliveryState.REJECTED.sent_back and not DeliveryState.ACCEPTED.sent_back
