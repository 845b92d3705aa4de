"""The agency directory: who works here, the agency's profile, delegations of signing authority.

The profile (settings, units) changes rarely, so a warm function keeps it for a minute; users are
read on every request so that a revoked role takes effect at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.directory import domain, models, store
from chalicelib.directory.domain import AgencyProfile, Unit
from chalicelib.kernel import keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import NotFound
from chalicelib.kernel.principal import Delegation, Principal, Role
from chalicelib.saraban import Secrecy
from chalicelib.thai import thai_sorted

PROFILE_TTL_SECONDS = 60.0
_profiles: dict[str, tuple[float, AgencyProfile]] = {}
_lock = threading.Lock()

__all__ = ["AgencyProfile", "Signer", "Unit", "agency_profile", "principal_for", "signer"]


def agency_profile(agency_id: str) -> AgencyProfile | None:
    now = time.monotonic()
    with _lock:
        cached = _profiles.get(agency_id)
    if cached and now - cached[0] < PROFILE_TTL_SECONDS:
        return cached[1]
    agency, units = store.agency_and_units(agency_id)
    if agency is None:
        return None
    profile = AgencyProfile(
        agency_id,
        agency.name,
        agency.name_en,
        agency.ministry_code,
        dict(agency.settings),
        {unit_id: Unit(unit_id, u.name, u.code, u.parent, tuple(u.contact_lines)) for unit_id, u in units},
    )
    with _lock:
        _profiles[agency_id] = (now, profile)
    return profile


def require_profile(agency_id: str) -> AgencyProfile:
    profile = agency_profile(agency_id)
    if profile is None:
        raise NotFound("ไม่พบหน่วยงาน", f"no agency {agency_id}")
    return profile


def forget_profiles() -> None:
    with _lock:
        _profiles.clear()


def principal_for(agency_id: str, user_id: str) -> Principal | None:
    """The directory's view of a verified token's subject, or None if the agency does not know them."""
    user = store.user(agency_id, user_id)
    if user is None or not user.active:
        return None
    return Principal(
        agency_id=agency_id,
        user_id=user_id,
        username=user.username,
        name=store.full_name(user),
        position=user.position,
        units=tuple(user.units),
        roles=frozenset(Role(r) for r in user.roles if r in Role._value2member_map_),
        clearance=Secrecy(int(user.clearance)),
        delegations=tuple(
            Delegation(
                kind=d["kind"],
                position=d["position"],
                from_user=d["from_user"],
                until=datetime.fromisoformat(d["until"]) if d.get("until") else None,
                order_reference=d.get("order_reference", ""),
            )
            for d in user.delegations
        ),
    )


@dataclass(frozen=True)
class Signer:
    """A user as a signer: who they are and, if they can sign, their key and certificates."""

    user_id: str
    name: str
    position: str
    active: bool
    key: dict[str, Any] | None  # {"kms_key_id", "certificate_pem", "chain_pem"}


def signer(agency_id: str, user_id: str) -> Signer | None:
    user = store.user(agency_id, user_id)
    if user is None:
        return None
    return Signer(user_id, store.full_name(user), user.position, bool(user.active), user.signing)


def delegation_from(agency_id: str, delegate_id: str, seat: Signer, *, now: datetime) -> Delegation | None:
    """The delegate's active delegation from this signer for the signer's position, if they hold one."""
    delegate = principal_for(agency_id, delegate_id)
    if delegate is None:
        return None
    return next(
        (
            d
            for d in delegate.delegations
            if d.from_user == seat.user_id and d.position == seat.position and d.active_at(now)
        ),
        None,
    )


def list_users(principal: Principal) -> models.UserList:
    """Active users in Thai dictionary order of their names (the title is printed, not sorted on)."""
    by_name: dict[str, list[models.UserSummary]] = {}
    for u in store.users(principal.agency_id):
        if not u.active:
            continue
        summary = models.UserSummary(
            id=store.user_id_of(u),
            username=u.username,
            name=store.full_name(u),
            position=u.position,
            units=list(u.units),
            roles=list(u.roles),
            can_sign=bool(u.signing),
            delegations=[models.Delegation.model_validate(d) for d in u.delegations],
        )
        by_name.setdefault(u.name, []).append(summary)
    profile = agency_profile(principal.agency_id)
    units = list(profile.units.values()) if profile else []
    return models.UserList(
        users=[u for name in thai_sorted(by_name) for u in by_name[name]],
        units=[models.UnitSummary(id=u.id, name=u.name, code=u.code, parent=u.parent) for u in units],
    )


def set_delegations(
    principal: Principal, user_id: str, command: models.DelegationsCommand, *, now: datetime
) -> models.Delegations:
    principal.require(Role.ADMIN)
    delegate = store.user(principal.agency_id, user_id, consistent=True)
    if delegate is None:
        raise NotFound("ไม่พบผู้ใช้", f"no user {user_id} in this agency")
    checked = []
    for order in command.delegations:
        holder = store.user(principal.agency_id, order.from_user, consistent=True)
        checked.append(
            domain.checked_delegation(
                delegate_id=user_id,
                kind=order.kind,
                holder=domain.Holder(order.from_user, holder.position) if holder else None,
                order_reference=order.order_reference,
                until=order.until,
                now=now,
            )
        )
    store.save_delegations(
        delegate,
        checked,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "user.delegations_set",
            f"user/{user_id}",
            now,
            before={"delegations": list(delegate.delegations)},
            after={"delegations": checked},
        ),
    )
    return models.Delegations.model_validate({"user_id": user_id, "delegations": checked})


def _active_users(agency_id: str) -> list[store.UserItem]:
    return [u for u in store.users(agency_id) if u.active]


def holder_of(agency_id: str, position: str) -> str | None:
    """The active user who holds a position (its title as the directory writes it), if anyone does."""
    return next((store.user_id_of(u) for u in _active_users(agency_id) if u.position == position), None)


def acting_for_position(agency_id: str, position: str, *, now: datetime | None = None) -> list[str]:
    """Who acts in a position now: its holder and whoever holds an active delegation for it."""
    moment = now or datetime.now(UTC)
    found = []
    for user in _active_users(agency_id):
        delegated = any(
            d.get("position") == position
            and (not d.get("until") or datetime.fromisoformat(d["until"]) > moment)
            for d in user.delegations
        )
        if user.position == position or delegated:
            found.append(store.user_id_of(user))
    return found


def members_of_unit(agency_id: str, unit_id: str) -> list[str]:
    return [store.user_id_of(u) for u in _active_users(agency_id) if unit_id in u.units]


def with_role(agency_id: str, role: str) -> list[str]:
    """The active users who hold a role (the saraban officers who hear of the agency's exchange)."""
    return [store.user_id_of(u) for u in _active_users(agency_id) if role in u.roles]


@dataclass(frozen=True)
class MailContact:
    name: str
    email: str


def mail_contact(agency_id: str, user_id: str) -> MailContact | None:
    """Where an active user's notifications go, if the directory has an address for them."""
    item = store.user(agency_id, user_id)
    if item is None or not item.active or not item.email:
        return None
    return MailContact(f"{item.title}{item.name}", item.email)


# -- the letterhead and the emblem ----------------------------------------------------------------
def letterhead(principal: Principal) -> models.Letterhead:
    profile = require_profile(principal.agency_id)
    head = profile.settings.get("letterhead") or {}
    return models.Letterhead(
        address_lines=list(head.get("address_lines", profile.settings.get("address", []))),
        telephone=head.get("telephone", ""),
        fax=head.get("fax", ""),
        email=head.get("email", ""),
        units=[
            models.UnitContact(unit_id=u.id, contact_lines=list(u.contact_lines))
            for u in profile.units.values()
            if u.contact_lines
        ],
        emblem=(profile.settings.get("emblem") or {}).get("sha256"),
    )


def set_letterhead(
    principal: Principal, command: models.LetterheadCommand, *, now: datetime
) -> models.Letterhead:
    """The agency admin sets what its letters carry (docs/rules.md, "Layout of official letters")."""
    principal.require(Role.ADMIN)
    agency = store.agency_item(principal.agency_id)
    profile = require_profile(principal.agency_id)
    if agency is None:
        raise NotFound("ไม่พบหน่วยงาน", f"no agency {principal.agency_id}")
    for contact in command.units:
        profile.require_unit(contact.unit_id)
    head = command.model_dump(mode="json", exclude={"units"})
    settings = {**agency.settings, "letterhead": head}
    store.save_letterhead(
        agency,
        settings,
        {contact.unit_id: list(contact.contact_lines) for contact in command.units},
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "agency.letterhead_set",
            f"agency/{principal.agency_id}",
            now,
            before={"letterhead": agency.settings.get("letterhead")},
            after=command.model_dump(mode="json"),
        ),
    )
    forget_profiles()
    return letterhead(principal)


def set_emblem(principal: Principal, image: bytes, content_type: str, *, now: datetime) -> models.Letterhead:
    """The agency's emblem (ครุฑ) as an image, checked by its bytes (structure and a full decode)."""
    import hashlib

    from chalicelib.kernel import keys, objects
    from chalicelib.kernel.errors import InvalidInput, PayloadTooLarge
    from chalicelib.pdf.image_check import verify_image

    principal.require(Role.ADMIN)
    if len(image) > domain.MAX_EMBLEM_BYTES:
        raise PayloadTooLarge(
            "ไฟล์ตราสัญลักษณ์ใหญ่เกินกำหนด", f"the emblem is over {domain.MAX_EMBLEM_BYTES} bytes"
        )
    if content_type == "image/svg+xml" and image:
        # A drawing is checked, then drawn once as a PNG: letters embed the PNG (800 px: ~680 dpi at 3 cm).
        from chalicelib.pdf.image_check import svg_problem, svg_to_png

        problem = svg_problem(image)
        if problem:
            raise InvalidInput("ไฟล์ตราสัญลักษณ์ SVG ไม่ได้รับอนุญาต", f"the SVG emblem is refused: {problem}")
        try:
            image, content_type = svg_to_png(image, height=800), "image/png"
        except Exception as error:  # resvg's own errors: a drawing it cannot draw
            raise InvalidInput(
                "วาดไฟล์ SVG ไม่ได้", f"the SVG cannot be drawn: {type(error).__name__}"
            ) from error
    problem = verify_image(image, content_type) if image else "the request carries no image"
    if problem:
        raise InvalidInput(
            "ไฟล์ตราสัญลักษณ์ไม่ใช่ภาพที่ถูกต้อง", f"the emblem is not a well-formed {content_type}: {problem}"
        )
    agency = store.agency_item(principal.agency_id)
    if agency is None:
        raise NotFound("ไม่พบหน่วยงาน", f"no agency {principal.agency_id}")
    digest = hashlib.sha256(image).hexdigest()
    key = keys.emblem_object_key(principal.agency_id, digest)
    objects.write(key, image, content_type=content_type)  # create-only: the same image is kept once
    emblem = {"object_key": key, "sha256": digest, "content_type": content_type}
    store.save_letterhead(
        agency,
        {**agency.settings, "emblem": emblem},
        {},
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "agency.emblem_set",
            f"agency/{principal.agency_id}",
            now,
            before={"emblem": agency.settings.get("emblem")},
            after=emblem,
        ),
    )
    forget_profiles()
    return letterhead(principal)


_emblems: dict[str, bytes] = {}


def emblem_image(profile: AgencyProfile) -> bytes | None:
    """The agency's emblem bytes (kept per warm container by their SHA-256)."""
    from chalicelib.kernel import objects

    emblem = profile.settings.get("emblem") or {}
    digest = emblem.get("sha256")
    if not digest:
        return None
    if digest not in _emblems:
        _emblems[digest] = objects.read(emblem["object_key"])
    return _emblems[digest]


def letterhead_contact(profile: AgencyProfile) -> tuple[str, ...]:
    return domain.letterhead_contact(profile.settings)


# -- the agencies on the platform (exchange) ---------------------------------------------------------
@dataclass(frozen=True)
class ListedAgency:
    id: str
    name: str
    name_en: str
    ministry_code: str


def listed_agencies() -> list[ListedAgency]:
    """The active agencies others may send letters to."""
    return [
        ListedAgency(item.sk, item.name, item.name_en, item.ministry_code)
        for item in store.listings()
        if item.active
    ]


def secrecy_key(agency_id: str) -> str:
    """The agency's secrecy key (KMS, from its onboarding stack): what opens its sealed letters."""
    from chalicelib.kernel.envelope import EnvelopeError

    profile = agency_profile(agency_id)
    key = profile.settings.get("secrecy_key") if profile else None
    if not key:
        raise EnvelopeError(f"agency {agency_id} has no secrecy key (its onboarding stack makes one)")
    return str(key)


def agency_of_ecms_department(department_id: str) -> str | None:
    """The active agency whose e-CMS department id this is (written at onboarding), if any."""
    item = store.ecms_department(department_id)
    return item.agency if item is not None and listed_agency(item.agency) is not None else None


def listed_agency(agency_id: str) -> ListedAgency | None:
    item = store.listing(agency_id) if keys.is_agency_id(agency_id) else None
    if item is None or not item.active:
        return None
    return ListedAgency(item.sk, item.name, item.name_en, item.ministry_code)


# -- signer keys (signing_keys/service.py keeps their inventory) ------------------------------------
def agency_ids() -> list[str]:
    """Every agency ever onboarded, offboarded ones too (their people's keys are retired as well)."""
    return [item.sk for item in store.listings()]


def signing_records(agency_id: str) -> dict[str, dict[str, Any]]:
    """user id -> signing record ({kms_key_id | key_ref, certificate_pem, ...}) of the users that have one."""
    return {store.user_id_of(u): dict(u.signing) for u in store.users(agency_id) if u.signing}


def set_signing_key(
    agency_id: str, user_id: str, record: dict[str, Any], *, actor: str, at: datetime
) -> None:
    """The signer's new key (its certificate comes later: `eoffice keys import-cert`), with the event."""
    item = store.user(agency_id, user_id, consistent=True)
    if item is None:
        raise NotFound("ไม่พบผู้ใช้", f"no user {user_id} in {agency_id}")
    store.save_signing(item, record, actor=actor, at=at)
