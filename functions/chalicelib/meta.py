"""Routes above the modules: health, the OpenAPI document, and who the caller is (directory and books)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.directory import service as directory
from chalicelib.kernel.http import AnyCall, Api, Reply, json_response
from chalicelib.kernel.schema import Answer
from chalicelib.registers import service as registers

api = Api(__name__, tag="meta")


class Health(Answer):
    status: str = "ok"


class AgencyRef(Answer):
    id: str
    name: str
    ministry_code: str
    # The agency's setting thai_numerals (docs/rules.md, Calendar and numerals).
    thai_numerals: bool = Field(default=False, description="the agency writes numbers in Thai digits")


class UnitRef(Answer):
    id: str
    name: str | None = None
    code: str | None = None


class DelegationHeld(Answer):
    kind: str
    position: str
    from_user: str
    until: str | None


class SigningCertificate(Answer):
    not_after: str | None = Field(description="when the certificate ends (none yet: the key awaits one)")
    expires_soon: bool = Field(description="it ends within the agency's warning period: ask the CA now")
    warning_th: str | None = None


class RegisterBook(Answer):
    id: str
    name_th: str
    name_en: str
    direction: str = Field(description="incoming | outgoing")


class Me(Answer):
    user_id: str
    username: str
    name: str
    position: str
    agency: AgencyRef
    units: list[UnitRef]
    roles: list[str]
    clearance: str = Field(description="normal | confidential | secret")
    clearance_th: str
    delegations: list[DelegationHeld]
    books: list[str] = Field(description="the register books of the agency")
    register_books: list[RegisterBook] = Field(
        description="the same books with their names (an agency may define its own, e.g. หนังสือรับรอง)"
    )
    signing_certificate: SigningCertificate | None = Field(
        default=None, description="a signer's certificate: when it ends, and whether that is soon"
    )


@api.operation(
    "GET", "/health", id="health", summary="Health", summary_th="สถานะระบบ", answer=Health, public=True
)
def health(call: AnyCall) -> Health:
    return Health()


@api.operation(
    "GET",
    "/openapi.json",
    id="openapi",
    summary="This API's OpenAPI 3.1 document",
    summary_th="เอกสาร OpenAPI ของระบบ",
    public=True,
)
def openapi(call: AnyCall) -> Reply:
    from chalicelib.openapi import openapi_document

    return Reply(body=json_response(openapi_document()).body)


@api.operation("GET", "/me", id="me", summary="Who the caller is", summary_th="ข้อมูลผู้ใช้งาน", answer=Me)
def me(call: AnyCall) -> Me:
    principal = call.principal
    profile = directory.agency_profile(principal.agency_id)
    units = profile.units if profile else {}
    return Me(
        user_id=principal.user_id,
        username=principal.username,
        name=principal.name,
        position=principal.position,
        agency=AgencyRef(
            id=principal.agency_id,
            name=profile.name if profile else "",
            ministry_code=profile.ministry_code if profile else "",
            thai_numerals=bool(profile and profile.thai_numerals),
        ),
        units=[
            UnitRef(id=u, name=units[u].name, code=units[u].code) if u in units else UnitRef(id=u)
            for u in principal.units
        ],
        roles=sorted(role.value for role in principal.roles),
        clearance=principal.clearance.api_name,
        clearance_th=principal.clearance.label_th,
        delegations=[
            DelegationHeld(
                kind=d.kind,
                position=d.position,
                from_user=d.from_user,
                until=d.until.isoformat() if d.until else None,
            )
            for d in principal.delegations
        ],
        books=registers.book_ids(principal.agency_id),
        register_books=[
            RegisterBook(id=b.id, name_th=b.name_th, name_en=b.name_en, direction=b.direction.value)
            for b in registers.books(principal.agency_id)
        ],
        signing_certificate=_certificate(principal.agency_id, principal.user_id, profile),
    )


def _certificate(agency_id: str, user_id: str, profile: Any) -> SigningCertificate | None:
    """A signer is told ahead of time that their certificate ends (the agency's expiry_warning_days)."""
    from datetime import UTC, datetime, timedelta

    from chalicelib.thai import thai_date

    signer = directory.signer(agency_id, user_id)
    if signer is None or not signer.key:
        return None
    ends = signer.key.get("not_after")
    if not ends:
        return SigningCertificate(not_after=None, expires_soon=False, warning_th="กุญแจลงนามยังไม่มีใบรับรอง")
    days = int(((profile.settings if profile else {}).get("signing") or {}).get("expiry_warning_days", 60))
    end = datetime.fromisoformat(ends)
    soon = end < datetime.now(UTC) + timedelta(days=days)
    return SigningCertificate(
        not_after=end.isoformat(),
        expires_soon=soon,
        warning_th=f"ใบรับรองสำหรับลงนามจะหมดอายุวันที่ {thai_date(end)} กรุณาขอใบรับรองใหม่" if soon else None,
    )
