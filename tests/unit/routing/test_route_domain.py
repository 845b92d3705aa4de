"""The route as a state machine (pure, no emulator): any interleaving of actions leaves one valid state,
and the numbers it takes are gap-free and never reused."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import pytest
from chalicelib.kernel.errors import Conflict, DomainError, InvalidInput
from chalicelib.routing import domain
from chalicelib.routing.domain import Action, Assignee, RouteState, Step, StepKind
from hypothesis import given, settings
from hypothesis import strategies as st

REVIEWS = [Step(StepKind.PROOFREAD, Assignee(user_id="p")), Step(StepKind.REVIEW, Assignee(position="ผอ."))]
SIGNERS = [Step(StepKind.SIGN, Assignee(position="อธิบดี")), Step(StepKind.SIGN, Assignee(user_id="d2"))]


def test_a_route_ends_with_its_signers_after_its_reviews() -> None:
    route = domain.plan("author", [*REVIEWS, *SIGNERS], "outgoing")
    assert [s.kind for s in route.steps] == ["draft", "proofread", "review", "sign", "sign"]
    assert route.first_sign == 3 and route.state is RouteState.DRAFTING
    for wrong in ([*SIGNERS, *REVIEWS], REVIEWS, [Step(StepKind.DRAFT, Assignee(user_id="x")), *SIGNERS]):
        with pytest.raises(InvalidInput):
            domain.plan("author", wrong, "outgoing")


@dataclass
class Ledger:
    """The book as the route uses it: numbers taken, and which of them were cancelled."""

    numbers: list[int] = field(default_factory=list)
    cancelled: set[int] = field(default_factory=set)
    held: int | None = None

    def take(self) -> None:
        assert self.held is None, "a route holds at most one live number"
        self.numbers.append(len(self.numbers) + 1)
        self.held = self.numbers[-1]

    def cancel(self) -> None:
        assert self.held is not None
        self.cancelled.add(self.held)
        self.held = None


def valid(route: domain.Route, ledger: Ledger, signatures: int) -> None:
    assert 0 <= route.current < len(route.steps)
    kind = route.step.kind
    if route.state is RouteState.DRAFTING:
        assert route.current == 0
    elif route.state is RouteState.IN_REVIEW:
        assert kind in (StepKind.PROOFREAD, StepKind.REVIEW)
    elif route.state is RouteState.NUMBERING:
        assert route.current == route.first_sign and ledger.held is not None
    elif route.state is RouteState.SIGNING:
        assert kind is StepKind.SIGN and ledger.held is not None
        assert route.current == route.first_sign + signatures
    elif route.state is RouteState.SIGNED:
        assert signatures == len(route.signers) and ledger.held is not None
    else:  # rejected, withdrawn, failed: a number taken for it is cancelled
        assert ledger.held is None
    assert ledger.numbers == list(range(1, len(ledger.numbers) + 1))  # gap-free, never reused


# Weighted towards progress, so that routes also reach signing and signed, not only early refusals.
NAMES = ["forward"] * 6 + ["rendered", "rendered", "signed", "signed", "signed"]
NAMES += ["return", "reject", "comment", "sign_failed", "withdraw"]
event = st.tuples(st.sampled_from(NAMES), st.integers(0, 5))


@settings(max_examples=400, deadline=None)
@given(events=st.lists(event, max_size=30), reviews=st.integers(0, 2), signers=st.integers(1, 2))
def test_any_interleaving_leaves_one_valid_state_and_a_gap_free_book(
    events: list[tuple[str, int]], reviews: int, signers: int
) -> None:
    route = domain.plan("author", [*REVIEWS[:reviews], *SIGNERS[:signers]], "outgoing")
    ledger, signatures = Ledger(), 0
    for name, value in events:
        outcome: domain.Outcome | None = None
        with contextlib.suppress(DomainError):
            if name in ("forward", "return", "reject", "comment"):
                if name == "return" and signatures:
                    continue  # the service refuses to send a signed letter back (routing/service.py)
                outcome = domain.act(route, Action(name), to_step=value, numbered=ledger.held is not None)
            elif name == "rendered":
                outcome = domain.Outcome(domain.numbered_and_rendered(route))
            elif name == "signed" and route.state is RouteState.SIGNING:
                signatures += 1
                outcome = domain.signature_recorded(route, signatures)
            elif name == "sign_failed":
                outcome = domain.signing_failed(route)
            elif name == "withdraw" and not signatures:
                outcome = domain.withdraw(route, numbered=ledger.held is not None)
        if outcome is None:
            continue
        if outcome.cancel_number and ledger.held is not None:
            ledger.cancel()
        if outcome.take_number:
            ledger.take()
        route = outcome.route
        valid(route, ledger, signatures)


def test_a_replayed_signature_event_changes_nothing() -> None:
    route = domain.plan("author", SIGNERS, "outgoing")
    route = domain.act(route, Action.FORWARD).route  # to numbering
    route = domain.numbered_and_rendered(route)
    first = domain.signature_recorded(route, 1).route
    assert first.current == route.current + 1
    assert domain.signature_recorded(first, 1).route == first  # the same event again
    assert domain.signature_recorded(first, 2).route.state is RouteState.SIGNED


def test_nothing_happens_while_the_platform_numbers_the_letter() -> None:
    route = domain.act(domain.plan("author", SIGNERS, "outgoing"), Action.FORWARD).route
    assert route.state is RouteState.NUMBERING
    with pytest.raises(Conflict):
        domain.act(route, Action.FORWARD)
    assert domain.act(route, Action.COMMENT).route == route
