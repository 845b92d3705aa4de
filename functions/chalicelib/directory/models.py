"""What the directory's operations take and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from chalicelib.kernel.schema import Answer, Command, FilledLine, OpaqueId, Query, ShortLine


class UserPath(Query):
    user_id: OpaqueId = Field(description="the user's id (the identity provider's subject)")


class UnitSummary(Answer):
    id: str
    name: str
    code: str = Field(description="the unit's code on a letter's ที่ line, e.g. ดศ 0201.3")
    parent: str | None


class UserList(Answer):
    users: list[UserSummary] = Field(description="active users in Thai dictionary order of their names")
    units: list[UnitSummary] = Field(
        default_factory=list, description="the agency's units (to assign work to a unit), parents first"
    )


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


class UserSummary(Answer):
    id: str
    username: str
    name: str
    position: str
    units: list[str]
    roles: list[str]
    can_sign: bool = Field(description="has a signing key and certificate")
    delegations: list[Delegation] = Field(
        default_factory=list, description="the delegations the user holds, as recorded (ended ones too)"
    )


class UnitContact(Command):
    unit_id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    contact_lines: list[ShortLine] = Field(max_length=4, description="e.g. โทร. 0 2141 6747")


class LetterheadCommand(Command):
    """What the agency's letters carry: its address lines and contact, and each unit's contact lines."""

    address_lines: list[ShortLine] = Field(default_factory=list, max_length=4, description="ถนน แขวง เขต ...")
    telephone: ShortLine = ""
    fax: ShortLine = ""
    # An explicit class, not \s: JSON Schema's and the server's regex engines disagree on spaces.
    email: Annotated[
        str, StringConstraints(max_length=200, pattern=r"^$|^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
    ] = ""
    units: list[UnitContact] = Field(default_factory=list, max_length=100, description="units' contact lines")


class Letterhead(Answer):
    address_lines: list[str]
    telephone: str
    fax: str
    email: str
    units: list[UnitContact]
    emblem: str | None = Field(description="the SHA-256 of the emblem image, when one is set")
