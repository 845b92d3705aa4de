"""Push on the in-process backend: connections kept per agency and user and forgotten on disconnect
or when API Gateway answers 410; an inbox change told to the people whose inbox shows it (a position's
holder and the deputy acting for it, a user's delegate), never to anyone else, nor to another agency's
user of the same id and position."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.stub import Stubber
from chalicelib.directory import service as directory
from chalicelib.directory.store import new_user
from chalicelib.kernel import identity, keys
from chalicelib.kernel.identity import VerifiedIdentity
from chalicelib.push import domain, gateway, service, store, worker

ENDPOINT = "https://localwsapi.execute-api.ap-southeast-7.amazonaws.com/prod"
POSITION = "ผู้อำนวยการสำนัก"
NOW = datetime.now(UTC)


@pytest.fixture
def people(new_agency: Any) -> tuple[str, str]:
    """Two agencies with the same people (same ids, same positions): a director, a deputy acting for
    the director's position, a staff member, and someone whose delegation has ended."""
    agencies = new_agency(), new_agency()
    for agency in agencies:
        acting = {"kind": "acting", "position": POSITION, "from_user": "u-director"}
        new_user(agency, "u-director", username="director", name="ผอ.", position=POSITION).save()
        new_user(
            agency,
            "u-deputy",
            username="deputy",
            name="รอง ผอ.",
            position="รองผู้อำนวยการ",
            delegations=[{**acting, "until": (NOW + timedelta(days=30)).isoformat()}],
        ).save()
        new_user(agency, "u-staff", username="staff", name="เจ้าหน้าที่", position="นักวิชาการ").save()
        new_user(
            agency,
            "u-former",
            username="former",
            name="อดีตผู้รักษาการ",
            position="นักวิชาการ",
            delegations=[{**acting, "until": (NOW - timedelta(days=1)).isoformat()}],
        ).save()
        for user in ("u-director", "u-deputy", "u-staff", "u-former"):
            store.remember(agency, user, f"{user}-{agency}", now=NOW, ttl=domain.connection_expiry(NOW))
    identity.use_directory(directory.principal_for)
    return agencies


@pytest.fixture
def posts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """What would go to API Gateway: (connection id, message)."""
    sent: list[tuple[str, dict[str, Any]]] = []

    def post(url: str, connection_id: str, data: str) -> bool:
        assert url == ENDPOINT
        sent.append((connection_id, json.loads(data)))
        return True

    monkeypatch.setenv(gateway.ENDPOINT_VARIABLE, ENDPOINT)
    monkeypatch.setattr(gateway, "post", post)
    return sent


def inbox_record(agency: str, holder: str, *, event: str = "INSERT", state: str = "open") -> Any:
    image = {
        "pk": keys.document_pk(agency, "doc00000001"),
        "sk": keys.inbox_sk("item0001"),
        "holder": holder,
        "kind": "step",
        "title": "ขออนุมัติ (ไม่ส่งทาง push)",
        "state": state,
    }
    old = {**image, "state": "open"} if event == "MODIFY" else None
    return SimpleNamespace(
        event_name=SimpleNamespace(name=event), dynamodb=SimpleNamespace(new_image=image, old_image=old)
    )


def test_a_connection_is_kept_under_its_tokens_agency_and_user(
    people: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    agency, other = people
    # The token's check itself is the HTTP API's (kernel/identity.py); here its outcome is given.
    monkeypatch.setattr(identity, "verify", lambda token: VerifiedIdentity("u-staff", agency, "staff"))
    event = {
        "requestContext": {"connectionId": "conn-new-1", "apiId": "localwsapi", "stage": "prod"},
        "headers": {"Sec-WebSocket-Protocol": f"{domain.SUBPROTOCOL}, a.token.here"},
    }
    answer = worker.on_connect(event, None)
    assert answer == {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": domain.SUBPROTOCOL}}
    assert "conn-new-1" in store.of_user(agency, "u-staff", now=NOW)
    assert "conn-new-1" not in store.of_user(other, "u-staff", now=NOW)  # the same user id elsewhere
    owner = store.owner("conn-new-1")
    assert owner is not None and (owner.agency, owner.user) == (agency, "u-staff")
    assert NOW.timestamp() + 2 * 3600 < int(owner.ttl) <= NOW.timestamp() + 4 * 3600  # outlives 2 h
    # Expired but not yet removed by TTL: not a live connection.
    assert "conn-new-1" not in store.of_user(agency, "u-staff", now=NOW + timedelta(hours=4))
    worker.on_disconnect({"requestContext": {"connectionId": "conn-new-1"}}, None)
    assert "conn-new-1" not in store.of_user(agency, "u-staff", now=NOW)
    assert store.owner("conn-new-1") is None


def test_a_connect_without_a_token_or_with_a_refused_one_is_refused(
    people: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    agency, _ = people
    bare = {"requestContext": {"connectionId": "conn-bare"}, "headers": {}}
    refused = worker.on_connect(bare, None)
    assert refused["statusCode"] == 401 and json.loads(refused["body"])["title_th"] == "กรุณาเข้าสู่ระบบ"
    stranger = {**bare, "headers": {"sec-websocket-protocol": f"{domain.SUBPROTOCOL}, t"}}
    monkeypatch.setattr(identity, "verify", lambda token: VerifiedIdentity("u-nobody", agency, "nobody"))
    assert worker.on_connect(stranger, None)["statusCode"] == 403  # not in the agency's directory
    assert store.owner("conn-bare") is None


def test_a_position_item_reaches_its_holder_and_deputy_only(
    people: tuple[str, str], posts: list[tuple[str, dict[str, Any]]]
) -> None:
    agency, other = people
    service.react(inbox_record(agency, f"pos:{POSITION}"))
    told = sorted(connection for connection, _ in posts)
    assert told == [f"u-deputy-{agency}", f"u-director-{agency}"]  # not staff, not the former deputy
    message = posts[0][1]
    assert message == {
        "type": "inbox",
        "change": "opened",
        "kind": "step",
        "document_id": "doc00000001",
        "item_id": "item0001",
        "count": 0,  # the record is fed by hand: no inbox item is stored
    }
    assert not any(other in connection for connection, _ in posts)  # the other agency: nobody


def test_a_users_item_reaches_the_user_and_their_delegate(
    people: tuple[str, str], posts: list[tuple[str, dict[str, Any]]]
) -> None:
    agency, _ = people
    service.react(inbox_record(agency, "user:u-director", event="MODIFY", state="done"))
    assert sorted(c for c, _ in posts) == [f"u-deputy-{agency}", f"u-director-{agency}"]
    assert {m["change"] for _, m in posts} == {"closed"}
    posts.clear()
    service.react(inbox_record(agency, "user:u-staff"))
    assert [c for c, _ in posts] == [f"u-staff-{agency}"]


def test_another_agencys_user_is_never_addressed(
    people: tuple[str, str], posts: list[tuple[str, dict[str, Any]]]
) -> None:
    agency, other = people
    for holder in (f"pos:{POSITION}", "user:u-director", "user:u-deputy", "unit:office"):
        service.react(inbox_record(agency, holder))
    notification = SimpleNamespace(
        event_name=SimpleNamespace(name="INSERT"),
        dynamodb=SimpleNamespace(
            new_image={"pk": keys.notifications_pk(agency, "u-staff"), "sk": "n1", "document_id": "d"},
            old_image=None,
        ),
    )
    service.react(notification)
    assert posts and all(connection.endswith(agency) for connection, _ in posts)
    assert not any(connection.endswith(other) for connection, _ in posts)
    assert (
        f"u-staff-{agency}",
        {"type": "notification", "id": "n1", "document_id": "d", "unread": 0},
    ) in posts


def test_a_gone_connection_is_forgotten(people: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    agency, _ = people
    monkeypatch.setenv(gateway.ENDPOINT_VARIABLE, ENDPOINT)
    store.remember(agency, "u-staff", "zz-gone", now=NOW, ttl=domain.connection_expiry(NOW))
    client = gateway._client(ENDPOINT)
    with Stubber(client) as stub:  # API Gateway's answers: the first connection is open, the second gone
        stub.add_response("post_to_connection", {}, {"ConnectionId": f"u-staff-{agency}", "Data": b"{}"})
        stub.add_client_error(
            "post_to_connection",
            service_error_code="GoneException",
            http_status_code=410,
            expected_params={"ConnectionId": "zz-gone", "Data": b"{}"},
        )
        assert service.send(agency, "u-staff", "{}", now=NOW) == 1
        stub.assert_no_pending_responses()
    assert store.of_user(agency, "u-staff", now=NOW) == [f"u-staff-{agency}"]
    assert store.owner("zz-gone") is None


def test_the_token_comes_as_a_subprotocol_beside_ours() -> None:
    assert domain.token_from_protocols("eoffice.v1, abc.def.ghi") == "abc.def.ghi"
    assert domain.token_from_protocols("abc.def.ghi, eoffice.v1") == "abc.def.ghi"
    assert domain.token_from_protocols("abc.def.ghi") is None  # ours must be offered
    assert domain.token_from_protocols("eoffice.v1") is None
    assert domain.token_from_protocols(None) is None
