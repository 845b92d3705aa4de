"""What the directory's operations take and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from chalicelib.kernel.schema import Answer, Command, FilledLine, OpaqueId, Query


class UserPath(Query):
    user_id: OpaqueId = Field(description="the user's id (the identity provider's subject)")


class UserSummary(Answer):
    id: str
    username: str
    name: str
    position: str
    units: list[str]
    roles: list[str]
    can_sign: bool = Field(description="has a signing key and certificate")


class UserList(Answer):
    users: list[UserSummary] = Field(description="active users in Thai dictionary order of their names")


class DelegationOrder(Command):
    """One delegation, from the written order (คำสั่งมอบอำนาจ)."""

    kind: Literal["acting", "on_behalf"] = Field(
        description="acting: รักษาราชการแทน; on_behalf: ปฏิบัติราชการแทน"
    )
    from_user: OpaqueId = Field(description="the holder of the position delegated")
    order_reference: FilledLine = Field(description="the written order, e.g. คำสั่ง ที่ 45/2569")
    until: AwareDatetime | None = Field(default=None, description="end of the delegation, with a time zone")


class DelegationsCommand(Command):
    delegations: list[DelegationOrder] = Field(max_length=10, description="replaces the user's delegations")


class Delegation(Answer):
    kind: Literal["acting", "on_behalf"]
    kind_th: str
    position: str
    from_user: str
    until: datetime | None
    order_reference: str


class Delegations(Answer):
    user_id: str
    delegations: list[Delegation]
