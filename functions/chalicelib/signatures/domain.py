"""Signing rules as plain values: whose turn it is, who may sign in the signer's place, job states.

A signer signs in their own capacity, or another person signs under an active written delegation
for the signer's position (ปฏิบัติราชการแทน / รักษาราชการแทน), with their own key and certificate
(docs/rules.md, "Signing authority and delegation").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.kernel.errors import Conflict, Forbidden
from chalicelib.kernel.principal import Principal


class JobStatus(StrEnum):
    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"


SYSTEM_ACTOR = "system:sign-worker"


@dataclass(frozen=True)
class SignerSeat:
    """The signer whose turn it is, as the directory knows them."""

    user_id: str
    position: str


def next_slot(signers: list[str], done: int) -> int:
    """The slot whose turn it is, or the rule that stops signing."""
    if not signers:
        raise Conflict("หนังสือนี้ยังไม่ได้กำหนดผู้ลงนาม", "the document has no signers")
    if done >= len(signers):
        raise Conflict("หนังสือนี้ลงนามครบทุกลำดับแล้ว", "every signer has already signed")
    return done


def capacity_for(
    principal: Principal, signer: SignerSeat, *, now: datetime, planned_delegate: str | None = None
) -> dict[str, Any]:
    """May the principal sign in the signer's place now? Their own turn, or an active delegation.
    When the route named the delegate who signs, the proof-read draft shows their block: only they sign
    (the signed block is the block that was proof-read)."""
    if planned_delegate is not None and principal.user_id != planned_delegate:
        raise Forbidden(
            "ลำดับนี้กำหนดผู้ลงนามแทนไว้แล้ว และร่างที่ตรวจทานแสดงชื่อผู้ลงนามแทนนั้น",
            "the route names the delegate who signs this turn, and the proof-read draft shows their block",
        )
    if principal.user_id == signer.user_id:
        return {"kind": "own", "position": signer.position, "name": principal.name}
    for delegation in principal.delegations:
        # From this signer, for their position: another holder of the same title is not covered.
        if (
            delegation.from_user == signer.user_id
            and delegation.position == signer.position
            and delegation.active_at(now)
        ):
            return {
                "kind": "acting" if delegation.kind == "acting" else "on_behalf",
                "position": principal.position,
                "name": principal.name,
                "for_position": signer.position,
                "delegated_by": delegation.from_user,
                "order_reference": delegation.order_reference,
            }
    raise Forbidden(
        "ยังไม่ถึงลำดับการลงนามของท่าน หรือท่านไม่ได้รับมอบหมายให้ลงนามแทน",
        "it is not your turn to sign, and you hold no active delegation for the signer's position",
    )
