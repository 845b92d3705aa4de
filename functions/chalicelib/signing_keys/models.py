"""What the signer-key inventory answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.kernel.schema import Answer


class SigningKey(Answer):
    user_id: str
    state: Literal["creating", "active", "disabled", "pending_deletion"]
    key_ref: str | None = Field(
        description="where the key lives: kms:<key ARN> (pkcs11:<slot>/<label> later)"
    )
    key_spec: str | None
    origin: Literal["first-signature", "onboarding"] = Field(
        description="made when first asked to sign, or in advance at onboarding"
    )
    certificate: Literal["issued", "awaiting"] = Field(
        description="awaiting: the agency's CA has not certified the key yet (eoffice keys import-cert)"
    )
    created_at: datetime | None
    last_used_at: datetime | None
    signed_count: int = Field(description="documents signed with the key")
    retire_at: datetime | None = Field(description="a disabled key's deletion is scheduled from this time on")
    deletion_date: datetime | None = Field(description="when KMS deletes the key (pending_deletion)")
    earlier_keys: int = Field(description="how many keys the user had before this one")


class SigningKeyInventory(Answer):
    agency_id: str
    keys: list[SigningKey]
    counts: dict[str, int] = Field(description="keys by state")
