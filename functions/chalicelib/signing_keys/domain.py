"""Signer keys as inventory: the rules as plain values (no AWS here).

A signer's key is made when they are first asked to sign, not for every head of unit in advance: a KMS
key costs $1 a month whether it signs or not (docs/capacity.md). When the person may no longer sign
(inactive, or neither a signing role nor a delegation) the key is disabled at once and, after a grace
period, scheduled for deletion: the documents it signed stay verifiable because verification uses the
certificate embedded in each signature, never the key. The grace period lets a mistaken role change be
undone before anything is irreversible; KMS itself then waits its own window (7 to 30 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.kernel.errors import Conflict
from chalicelib.kernel.principal import Principal, Role


class KeyState(StrEnum):
    CREATING = "creating"  # claimed by one worker, its CreateKey under way
    ACTIVE = "active"
    DISABLED = "disabled"  # the role ended: KMS DisableKey; retire_at says when deletion is scheduled
    PENDING_DELETION = "pending_deletion"  # KMS ScheduleKeyDeletion done; deletion_date is KMS's


# Who signs in their own name; anyone else signs only under an active delegation (signatures/domain.py).
SIGNING_ROLES = frozenset({Role.HEAD, Role.DIRECTOR})
KEY_SPECS = ("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384")
DEFAULT_KEY_SPEC = "RSA_3072"  # as onboarding's settings default (onboarding/settings.py)
# A claim older than this was abandoned (its worker died: the sign worker's timeout is 240 s).
CLAIM_TIMEOUT = timedelta(minutes=10)
DELETION_WINDOW_DAYS = (7, 30)  # what KMS ScheduleKeyDeletion accepts


@dataclass(frozen=True)
class KeyTerms:
    grace_days: int  # from disabling to scheduling deletion
    deletion_window_days: int  # KMS's PendingWindowInDays

    def __post_init__(self) -> None:
        low, high = DELETION_WINDOW_DAYS
        if not low <= self.deletion_window_days <= high:
            raise ValueError(
                f"the KMS deletion window is {low} to {high} days, not {self.deletion_window_days}"
            )
        if self.grace_days < 0:
            raise ValueError("the grace period cannot be negative")

    def retire_at(self, disabled_at: datetime) -> datetime:
        return disabled_at + timedelta(days=self.grace_days)


def key_spec_of(signing_settings: dict[str, object]) -> str:
    spec = str(signing_settings.get("key_spec") or DEFAULT_KEY_SPEC)
    if spec not in KEY_SPECS:
        raise Conflict(
            "การตั้งค่าชนิดกุญแจลงนามของหน่วยงานไม่ถูกต้อง",
            f"the agency's signing key_spec {spec!r} is not one of {KEY_SPECS}",
        )
    return spec


def may_sign(principal: Principal | None, *, now: datetime) -> bool:
    """Does the person still need a signing key? Active, and a signing role or a delegation not ended."""
    if principal is None:  # gone from the directory, or inactive
        return False
    if principal.roles & SIGNING_ROLES:
        return True
    return any(d.active_at(now) for d in principal.delegations)


def claim_abandoned(claimed_at: datetime | None, *, now: datetime) -> bool:
    return claimed_at is None or now - claimed_at >= CLAIM_TIMEOUT


class AwaitingCertificate(Conflict):
    """The signer has a key but the agency's CA has not certified it yet: nothing can be signed."""

    code = "awaiting-certificate"

    def __init__(self) -> None:
        super().__init__(
            "กุญแจลงนามของท่านสร้างแล้ว และกำลังรอใบรับรองจากผู้ออกใบรับรองของหน่วยงาน"
            " โปรดแจ้งผู้ดูแลระบบให้ดำเนินการออกใบรับรอง แล้วจึงลงนามอีกครั้ง",
            "your signing key has been created and awaits its certificate from the agency's CA: ask the"
            " administrator to have it issued (eoffice keys csr, then eoffice keys import-cert),"
            " then sign again",
        )


class KeyBeingCreated(Conflict):
    """Another worker is creating this signer's key right now: try again shortly (the queue retries)."""

    code = "signing-key-being-created"

    def __init__(self) -> None:
        super().__init__(
            "กำลังสร้างกุญแจลงนามของท่าน โปรดลองอีกครั้งในอีกสักครู่",
            "your signing key is being created right now: try again shortly",
        )
