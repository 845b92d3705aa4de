"""Who hears of an agency's exchange: its saraban officers, in-app and by e-mail as each chose
(notifications/); one small module so the mail and e-CMS intakes need nothing more of the service."""

from __future__ import annotations

from datetime import datetime

from chalicelib.directory import service as directory
from chalicelib.kernel import ddb
from chalicelib.kernel.principal import Role
from chalicelib.notifications import service as notifications


def tell_saraban(tx: ddb.Transaction, agency_id: str, document_id: str, text: str, now: datetime) -> None:
    """In the same transaction as the change it tells of."""
    officers = directory.with_role(agency_id, Role.SARABAN.value)
    notifications.to_users(tx, agency_id, officers, at=now, document_id=document_id, text=text)
