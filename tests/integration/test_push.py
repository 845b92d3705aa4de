"""Push over the local stack's WebSocket API: a letter routed to a director reaches the director's open
connection within a second of the route call returning; a director of another agency, connected at the
same time, hears nothing; a bad token is refused at connect."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from devstack.stack import read_state
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

AUTHOR = ("mdes-ops", "ops.staff1")
DIRECTOR = ("mdes-ops", "ops.director")
OTHER_AGENCY = ("mdes-dept", "dept.director")
DIRECTOR_POSITION = "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"
SUBPROTOCOL = "eoffice.v1"


def open_push(stack: Stack, user: tuple[str, str]) -> ClientConnection:
    """What the web application does: the token offered as a subprotocol beside ours."""
    url = read_state(stack.port).websocket_url
    return connect(url, subprotocols=[SUBPROTOCOL, stack.token(*user)], open_timeout=10)  # type: ignore[list-item]


def messages_until(
    connection: ClientConnection, deadline: float, *, stop: Any = None
) -> list[tuple[float, dict[str, Any]]]:
    """Each message that arrives before the deadline (monotonic), with when it arrived; up to the first
    one that `stop` accepts."""
    found = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = json.loads(connection.recv(timeout=left))
        except TimeoutError:
            break
        found.append((time.monotonic(), message))
        if stop is not None and stop(message):
            break
    return found


def test_a_letter_routed_to_the_director_reaches_only_the_directors_browser(stack: Stack) -> None:
    made = stack.call(
        "POST",
        "/v1/documents",
        AUTHOR,
        json={
            "kind": "internal",
            "subject": "ขออนุมัติจัดอบรมการใช้ระบบสารบรรณ",
            "recipient": {"position": DIRECTOR_POSITION},
            "body": "ด้วยกองยุทธศาสตร์และแผนงานจะจัดอบรม\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            "owner_unit_id": "policy",
        },
    )
    assert made.status_code == 201, made.text
    document_id = made.json()["id"]
    plan = {
        "reviews": [{"kind": "review", "assignee": {"position": DIRECTOR_POSITION}}],
        "signers": [{"position": DIRECTOR_POSITION}],
    }
    started = stack.call("POST", f"/v1/documents/{document_id}/route", AUTHOR, json={"plan": plan})
    assert started.status_code == 201, started.text
    with open_push(stack, DIRECTOR) as director, open_push(stack, OTHER_AGENCY) as other:
        assert director.subprotocol == SUBPROTOCOL  # the token is never echoed back
        # The author sends the draft on: the review step opens in the director's position's inbox.
        sent = stack.call(
            "POST", f"/v1/documents/{document_id}/route/actions", AUTHOR, json={"action": "forward"}
        )
        returned = time.monotonic()
        assert sent.status_code == 200, sent.text

        def ours(message: dict[str, Any]) -> bool:
            return message.get("type") == "inbox" and message.get("document_id") == document_id

        heard_by_director = messages_until(director, returned + 5, stop=ours)
        assert heard_by_director and ours(heard_by_director[-1][1]), heard_by_director
        arrived, message = heard_by_director[-1]
        latency = arrived - returned
        print(
            f"\npush: the director's connection had the inbox message {latency * 1000:.0f} ms after the call"
        )
        print(f"push: the director also heard {[m['type'] for _, m in heard_by_director]}")
        assert message["change"] == "opened" and message["kind"] == "step" and message["count"] >= 1
        assert set(message) == {"type", "change", "kind", "document_id", "item_id", "count"}  # no content
        assert latency < 1.0
        heard = messages_until(other, returned + 2)
        assert heard == [], heard  # another agency's director, connected all along: nothing


def test_a_bad_token_is_refused_at_connect(stack: Stack) -> None:
    url = read_state(stack.port).websocket_url
    token = stack.token(*DIRECTOR)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(InvalidStatus) as refused:
        connect(url, subprotocols=[SUBPROTOCOL, tampered], open_timeout=10)  # type: ignore[list-item]
    assert refused.value.response.status_code == 401
    problem = json.loads(refused.value.response.body or b"{}")
    assert problem["code"] == "unauthenticated" and problem["detail_th"]
    with pytest.raises(InvalidStatus) as missing:  # no token at all
        connect(url, subprotocols=[SUBPROTOCOL], open_timeout=10)  # type: ignore[list-item]
    assert missing.value.response.status_code == 401
