"""A letter from e-CMS taken twice (the node offers it again when its delete did not land) is one
delivery, one document, one audit event; every letter the platform cannot take is answered."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from chalicelib.exchange import ecms, ecms_intake, ecms_node, store
from chalicelib.exchange.ecms import Letter, Party

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def letter(letter_id: str, *, to: str = "0099000001", secrecy_code: str = "001") -> Letter:
    return Letter(
        id=letter_id,
        date=date(2026, 11, 27),
        subject="ขอความอนุเคราะห์ข้อมูล",
        secret_code=secrecy_code,
        speed_code="003",
        sender=Party("ผู้ว่าราชการจังหวัดเชียงใหม่", "15", "0015500050"),
        receiver=Party("อธิบดี", "99", to),
        send_date=datetime(2026, 11, 27, 9, 30),
        main_letter=PDF,
        attachments=(PDF,),
    )


@pytest.fixture
def node(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """What the platform tells the node, instead of the network."""
    told: list[tuple[str, Any]] = []
    monkeypatch.setattr(ecms_node, "notify", lambda notice, now: told.append(("notify", notice)))
    monkeypatch.setattr(
        ecms_node, "delete_letter", lambda process_id, now: told.append(("delete", process_id))
    )
    return told


@pytest.fixture(scope="module")
def agency(aws: Any) -> str:
    from chalicelib.directory.store import onboard_records

    onboard_records(
        "ecms-intake-test",
        {
            "name": "กรมรับหนังสือ",
            "ministry_code": "99",
            "settings": {"ecms": {"ministry_id": "99", "department_id": "0099000001"}},
        },
        {},
        {},
        actor="test",
        at=NOW,
    )
    return "ecms-intake-test"


def test_a_letter_offered_twice_is_one_delivery_with_its_files(agency: str, node: list[Any]) -> None:
    from chalicelib.documents import service as documents
    from chalicelib.kernel import audit

    first = ecms_intake.take_letter("P1", letter("ชม 1/1"), now=NOW)
    again = ecms_intake.take_letter("P1", letter("ชม 1/1"), now=NOW)
    assert first == again == f"received for {agency}"
    delivery_id = ecms_intake.delivery_id_of("P1")
    (item,) = [d for d in store.deliveries(agency)]
    assert store.delivery_id_of(item) == delivery_id and item.sender == "ecms" and item.party
    stored = documents.load(agency, delivery_id)
    assert stored is not None and len(stored.files) == 2  # the letter and its enclosure
    assert stored.item.content["urgency"] == "very_urgent"  # SpeedCode 003 (the default table)
    events = audit.history(agency, f"document/{delivery_id}")
    assert [e["action"] for e in events] == ["exchange.received"]
    assert [kind for kind, _ in node] == ["notify", "delete", "notify", "delete"]
    assert node[0][1].kind == "ReceiveLetterNotifier"


def test_letters_the_platform_cannot_take_are_answered_never_dropped(agency: str, node: list[Any]) -> None:
    before = len(store.deliveries(agency))
    top = ecms_intake.take_letter("P2", letter("ชม 1/2", secrecy_code="004"), now=NOW)
    classified = ecms_intake.take_letter("P3", letter("ชม 1/3", secrecy_code="002"), now=NOW)
    stranger = ecms_intake.take_letter("P4", letter("ชม 1/4", to="0099999999"), now=NOW)
    assert top.startswith("answered RejectLetterNotifier") and "ข้อ 29" in top
    assert classified.startswith("answered RejectLetterNotifier")
    assert stranger.startswith("answered InvalidLetterNotifier") and "0099999999" in stranger
    assert [n.kind for kind, n in node if kind == "notify"] == [
        "RejectLetterNotifier",
        "RejectLetterNotifier",
        "InvalidLetterNotifier",
    ]
    assert [p for kind, p in node if kind == "delete"] == ["P2", "P3", "P4"]
    assert len(store.deliveries(agency)) == before  # none of them is kept


def test_the_acceptance_goes_to_the_node_once_with_the_number(agency: str, node: list[Any]) -> None:
    from chalicelib.exchange.domain import DeliveryState

    ecms_intake.take_letter("P5", letter("ชม 1/5"), now=NOW)
    item = store.delivery(agency, ecms_intake.delivery_id_of("P5"))
    assert item is not None
    item.update(
        actions=[
            store.DeliveryItem.state.set(DeliveryState.ACCEPTED.value),
            store.DeliveryItem.number_line.set("เลขรับ 77 ลงวันที่ 29 พ.ย. 69"),
        ]
    )
    node.clear()
    assert (
        ecms_intake.answer(agency, ecms_intake.delivery_id_of("P5"), now=NOW)
        == "answered AcceptLetterNotifier"
    )
    assert ecms_intake.answer(agency, ecms_intake.delivery_id_of("P5"), now=NOW) == "nothing to answer"
    ((_, notice),) = node
    assert isinstance(notice, ecms.Notice) and notice.accept_id == "77" and notice.letter_id == "ชม 1/5"
