"""The agency directory as users see it: who works here (to choose signers), and delegations.

A delegation (ปฏิบัติราชการแทน / รักษาราชการแทน) is recorded by the agency admin from the written
order; only the holder of a position can delegate it, and a delegate cannot delegate it on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain.access import Principal, Role
from chalicelib.domain.thai import thai_sorted
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.store import directory as store
from chalicelib.store.audit import AuditEvent

KINDS = {"acting": "รักษาราชการแทน", "on_behalf": "ปฏิบัติราชการแทน"}
MAX_DELEGATIONS = 10


def list_users(principal: Principal) -> dict[str, Any]:
    users = store.users_of(principal.agency_id)
    by_name: dict[str, list[dict[str, Any]]] = {u["name"]: [] for u in users}
    for user in users:
        by_name[user["name"]].append(user)
    ordered = [u for name in thai_sorted(by_name) for u in by_name[name]]  # Thai dictionary order
    return {"users": ordered}


def set_delegations(
    principal: Principal, user_id: str, body: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    principal.require(Role.ADMIN)
    delegate = store.user_item(principal.agency_id, user_id)
    if delegate is None:
        raise NotFound("ไม่พบผู้ใช้", f"no user {user_id} in this agency")
    entries = body.get("delegations")
    if not isinstance(entries, list) or len(entries) > MAX_DELEGATIONS:
        raise InvalidInput(
            "delegations ต้องเป็นรายการ", f"delegations must be a list of at most {MAX_DELEGATIONS}"
        )
    checked = [_checked(principal, user_id, entry, now) for entry in entries]
    before = list(delegate.delegations)
    store.set_delegations(
        delegate,
        checked,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            "user.delegations_set",
            f"user/{user_id}",
            now,
            before={"delegations": before},
            after={"delegations": checked},
        ),
    )
    return {"user_id": user_id, "delegations": checked}


def _checked(principal: Principal, delegate_id: str, entry: Any, now: datetime) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise InvalidInput("รายการมอบอำนาจไม่ถูกต้อง", "each delegation must be an object")
    kind, from_user, until = entry.get("kind"), entry.get("from_user"), entry.get("until")
    reference = str(entry.get("order_reference", "")).strip()
    if kind not in KINDS:
        raise InvalidInput(
            "ชนิดการมอบอำนาจไม่ถูกต้อง", "kind must be acting (รักษาราชการแทน) or on_behalf (ปฏิบัติราชการแทน)"
        )
    if not isinstance(from_user, str) or from_user == delegate_id:
        raise InvalidInput("ต้องระบุผู้มอบอำนาจ", "from_user must be another user of the agency")
    holder = store.user_item(principal.agency_id, from_user)
    if holder is None or not holder.position:
        raise InvalidInput("ไม่พบผู้มอบอำนาจหรือตำแหน่งของผู้มอบ", "from_user is not a user with a position here")
    if not reference:
        raise InvalidInput("ต้องระบุคำสั่งมอบอำนาจ", "order_reference (the written order) is required")
    expiry = None
    if until is not None:
        try:
            expiry = datetime.fromisoformat(str(until))
        except ValueError as error:
            raise InvalidInput("วันสิ้นสุดไม่ถูกต้อง", "until must be an ISO date-time with a time zone") from error
        if expiry.tzinfo is None or expiry <= now:
            raise InvalidInput(
                "วันสิ้นสุดต้องเป็นเวลาในอนาคตพร้อมเขตเวลา", "until must be in the future, with a time zone"
            )
    # The position delegated is the holder's own position: a delegation cannot be passed on.
    return {
        "kind": kind,
        "kind_th": KINDS[kind],
        "position": holder.position,
        "from_user": from_user,
        "until": expiry.isoformat() if expiry else None,
        "order_reference": reference[:200],
    }
