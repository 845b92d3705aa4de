"""Notification e-mail: one message per notification, one digest when many wait or when the user chose
a daily digest, none when the user chose none; a run never sends what another already took."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from chalicelib.kernel import ddb
from chalicelib.notifications import service
from chalicelib.notifications.models import NotificationSettings

AGENCY = "notify-test"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok
PEOPLE = {"u-each": "each", "u-many": "each", "u-off": "off", "u-digest": "digest", "u-nomail": "each"}


@pytest.fixture(scope="module")
def agency(aws: Any) -> str:
    from chalicelib.directory.store import onboard_records

    onboard_records(
        AGENCY,
        {"name": "กรมทดสอบการแจ้งเตือน", "ministry_code": "ทส", "settings": {}},
        {},
        {
            user: {
                "username": user,
                "name": f"ผู้ใช้ {user}",
                "title": "นาย",
                "roles": ["staff"],
                "email": None if user == "u-nomail" else f"{user}@example.go.th",
            }
            for user in PEOPLE
        },
        actor="test",
        at=NOW,
    )
    return AGENCY


def sent(aws: Any) -> list[Any]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-7"].sent_messages)


def notify(user: str, count: int, *, at: datetime = NOW) -> None:
    """What other modules do (in their own transaction), then what the stream does with each."""
    items = [
        service.new(AGENCY, user, at=at, document_id=f"doc{i:04d}", text=f"รอดำเนินการตามเส้นทาง: หนังสือที่ {i}")
        for i in range(count)
    ]
    for start in range(0, len(items), service.PER_CHANGE):
        tx = ddb.Transaction()
        service.add_to(tx, items[start : start + service.PER_CHANGE])
        tx.commit()
    for item in items:
        image = {"pk": item.pk, "sk": item.sk, "document_id": item.document_id, "text": item.text}
        image["at"] = item.at.isoformat()
        record = SimpleNamespace(
            event_name=SimpleNamespace(name="INSERT"), dynamodb=SimpleNamespace(new_image=image)
        )
        service.react(record)


def choose(user: str, email: str, hour: int = 8) -> None:
    command = NotificationSettings.model_validate({"email": email, "digest_hour": hour})
    service.change_settings(_principal(user), command, now=NOW)


def test_each_many_off_and_no_address(aws: Any, agency: str) -> None:
    for user, email in PEOPLE.items():
        choose(user, email)
    before = len(sent(aws))
    notify("u-each", 2)
    notify("u-many", 8)
    notify("u-off", 3)
    notify("u-nomail", 2)
    assert service.send_due(now=NOW) == 3  # two for u-each, one digest for u-many
    mails = sent(aws)[before:]
    to = [m.destinations["ToAddresses"][0] for m in mails]
    assert sorted(to) == ["u-each@example.go.th", "u-each@example.go.th", "u-many@example.go.th"]
    one = next(m for m in mails if "u-each" in m.destinations["ToAddresses"][0])
    assert one.subject.startswith("[สารบรรณ] รอดำเนินการตามเส้นทาง: หนังสือที่")
    assert one.body.startswith("เรียน นายผู้ใช้ u-each") and "เมื่อ 30 พ.ย. 2569 09.00 น." in one.body
    digest = next(m for m in mails if "u-many" in m.destinations["ToAddresses"][0])
    assert digest.subject == "[สารบรรณ] สรุปการแจ้งเตือน 8 รายการ"
    assert digest.body.count("• ") == 8
    assert "=?utf-8?" in one.source and "no-reply@eoffice.demo.go.th" in one.source  # Thai name, encoded
    assert service.send_due(now=NOW) == 0  # nothing is sent twice
    in_app = service.listing(_principal("u-off"))
    assert in_app.unread == 3  # in-app notifications stay whatever the e-mail choice


def test_a_daily_digest_waits_for_its_hour_and_goes_once_a_day(aws: Any, agency: str) -> None:
    choose("u-digest", "digest", hour=10)
    before = len(sent(aws))
    notify("u-digest", 3)
    assert service.send_due(now=NOW) == 0  # 09:00 Bangkok: before its hour, kept
    assert service.send_due(now=NOW + timedelta(hours=1)) == 1  # 10:00: the day's digest
    notify("u-digest", 2, at=NOW + timedelta(hours=2))
    assert service.send_due(now=NOW + timedelta(hours=3)) == 0  # already sent today
    assert service.send_due(now=NOW + timedelta(days=1, hours=1)) == 1  # the next day's
    subjects = [m.subject for m in sent(aws)[before:]]
    assert subjects == ["[สารบรรณ] สรุปการแจ้งเตือน 3 รายการ", "[สารบรรณ] สรุปการแจ้งเตือน 2 รายการ"]


def test_settings_show_the_address_and_changes_are_audited(aws: Any, agency: str) -> None:
    from chalicelib.kernel import audit

    choose("u-each", "digest", hour=7)
    view = service.settings(_principal("u-each"))
    assert (view.email, view.digest_hour, view.address) == ("digest", 7, "u-each@example.go.th")
    assert view.email_th == "สรุปวันละครั้ง"
    assert service.settings(_principal("u-nomail")).address is None
    events = audit.history(AGENCY, "user/u-each")
    assert {e["action"] for e in events} == {"notifications.settings_changed"}
    assert {"email": "digest", "digest_hour": 7} in [e["after"] for e in events]


def _principal(user: str) -> Any:
    from chalicelib.kernel.principal import Principal
    from chalicelib.saraban import Secrecy

    return Principal(AGENCY, user, user, "", "", (), frozenset(), Secrecy.NORMAL)
