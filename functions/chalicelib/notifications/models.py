"""What the notification routes take and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from chalicelib.kernel.schema import Answer, Command, Query, WholeNumber

EmailChoice = Literal["each", "digest", "off"]


class Notification(Answer):
    id: str
    document_id: str
    text: str
    at: datetime
    read: bool


class Notifications(Answer):
    unread: int
    notifications: list[Notification]


class NotificationPath(Query):
    notification_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{6,64}$")]


class NotificationSettings(Command):
    email: EmailChoice = Field(
        description=(
            "each: an e-mail for each notification (gathered into one digest when more than 5 wait at once);"
            " digest: one e-mail a day, at digest_hour; off: in-app only"
        ),
    )
    digest_hour: WholeNumber = Field(
        default=8, ge=0, le=23, description="the hour (Asia/Bangkok) the daily digest goes"
    )


class NotificationSettingsView(Answer):
    email: EmailChoice
    email_th: str
    digest_hour: int
    address: str | None = Field(
        description="where the e-mail goes (from the agency's directory); none: in-app only"
    )
