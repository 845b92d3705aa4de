"""Who is asking and what they may see: the principal built from a verified token and the directory.

Tenancy is not a rule here but a fact of construction: every store key is built from
`principal.agency_id`, so a principal can only ever address its own agency's records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from chalicelib.kernel.errors import Forbidden
from chalicelib.saraban import Secrecy


class Role(StrEnum):
    SARABAN = "saraban"  # registry officer: registers letters in the books
    STAFF = "staff"
    HEAD = "head"  # section head
    DIRECTOR = "director"  # signs for the agency
    ADMIN = "admin"  # agency administrator
    RECORDS = "records"  # records officer: storage, retention, destruction lists


@dataclass(frozen=True)
class Delegation:
    """An active ปฏิบัติราชการแทน / รักษาราชการแทน: acting for `position` until `until`."""

    kind: str  # "acting" (รักษาราชการแทน) | "on_behalf" (ปฏิบัติราชการแทน)
    position: str
    from_user: str
    until: datetime | None = None
    order_reference: str = ""  # the written order (คำสั่งมอบอำนาจ) the delegation rests on

    def active_at(self, moment: datetime) -> bool:
        return self.until is None or moment < self.until


@dataclass(frozen=True)
class Principal:
    agency_id: str
    user_id: str
    username: str
    name: str
    position: str
    units: tuple[str, ...]
    roles: frozenset[Role]
    clearance: Secrecy
    delegations: tuple[Delegation, ...] = field(default=())
    # The platform acting on its own rules (numbering at signing, the route's reactions): it reads what
    # the rule needs and writes under its own actor name in the audit log; never built from a token.
    system: bool = False

    def has(self, role: Role) -> bool:
        return role in self.roles

    def require(self, *roles: Role) -> None:
        """Refuse unless the principal holds at least one of `roles`."""
        if not any(role in self.roles for role in roles):
            wanted = ", ".join(role.value for role in roles)
            raise Forbidden(
                "ท่านไม่มีสิทธิ์ทำรายการนี้",
                f"this action needs one of the roles: {wanted}",
                required_roles=[role.value for role in roles],
            )


def may_see_level(principal: Principal, secrecy: Secrecy) -> bool:
    return secrecy <= principal.clearance


def may_read_document(
    principal: Principal, *, secrecy: Secrecy, created_by: str, grants: Iterable[str]
) -> bool:
    """ลับ and ลับมาก need both clearance and an explicit grant (or authorship); normal is agency-wide."""
    if principal.system:
        return True
    if not may_see_level(principal, secrecy):
        return False
    if secrecy is Secrecy.NORMAL:
        return True
    return principal.user_id == created_by or principal.user_id in set(grants)


def system_principal(agency_id: str, actor: str) -> Principal:
    """The platform acting in an agency under a named actor (e.g. "system:routing")."""
    return Principal(
        agency_id=agency_id,
        user_id=actor,
        username=actor,
        name="ระบบสารบรรณอิเล็กทรอนิกส์",
        position="",
        units=(),
        roles=frozenset({Role.SARABAN}),
        clearance=Secrecy.SECRET,
        system=True,
    )
