"""Who may sign for a signer: the signer, or the holder of an active delegation for their position
(pure rules: no emulator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from chalicelib.kernel.errors import Forbidden
from chalicelib.kernel.principal import Delegation
from chalicelib.signatures.domain import SignerSeat, capacity_for

from tests.conftest import principal

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
DIRECTOR = SignerSeat("director", "อธิบดีกรมทดสอบ")


def test_the_signer_signs_in_their_own_capacity() -> None:
    capacity = capacity_for(principal("agency-x", "director", user="director"), DIRECTOR, now=NOW)
    assert capacity["kind"] == "own" and capacity["position"] == "อธิบดีกรมทดสอบ"


def test_an_active_delegation_lets_a_deputy_sign_on_behalf() -> None:
    deputy = principal("agency-x", "head", user="deputy")
    deputy = type(deputy)(
        **{
            **deputy.__dict__,
            "delegations": (Delegation("on_behalf", "อธิบดีกรมทดสอบ", "director", NOW + timedelta(days=1)),),
        }
    )
    capacity = capacity_for(deputy, DIRECTOR, now=NOW)
    assert capacity["kind"] == "on_behalf" and capacity["for_position"] == "อธิบดีกรมทดสอบ"
    assert capacity["delegated_by"] == "director"


def test_an_expired_or_unrelated_delegation_is_refused() -> None:
    base = principal("agency-x", "head", user="deputy")
    expired = type(base)(
        **{
            **base.__dict__,
            "delegations": (Delegation("acting", "อธิบดีกรมทดสอบ", "director", NOW - timedelta(seconds=1)),),
        }
    )
    other = type(base)(**{**base.__dict__, "delegations": (Delegation("acting", "รองอธิบดี", "someone"),)})
    # Same title, another holder: a delegation from one director does not cover another.
    namesake = type(base)(
        **{**base.__dict__, "delegations": (Delegation("on_behalf", "อธิบดีกรมทดสอบ", "other"),)}
    )
    for who in (base, expired, other, namesake):
        with pytest.raises(Forbidden):
            capacity_for(who, DIRECTOR, now=NOW)


def test_a_delegate_named_on_the_route_is_the_only_one_who_signs_that_turn() -> None:
    deputy = principal("agency-x", "head", user="deputy")
    deputy = type(deputy)(
        **{**deputy.__dict__, "delegations": (Delegation("acting", "อธิบดีกรมทดสอบ", "director", None),)}
    )
    capacity = capacity_for(deputy, DIRECTOR, now=NOW, planned_delegate="deputy")
    assert capacity["kind"] == "acting" and capacity["for_position"] == "อธิบดีกรมทดสอบ"
    director = principal("agency-x", "director", user="director")
    with pytest.raises(Forbidden, match="proof-read draft shows their block"):
        capacity_for(director, DIRECTOR, now=NOW, planned_delegate="deputy")
