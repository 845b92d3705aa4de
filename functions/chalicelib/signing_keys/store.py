"""The inventory of signer keys: pk=<agency>#SIGNKEYS, sk=<user id>, one item per signer.

One partition per agency: the admin's list and the daily retirement read it with one query, never a
scan. The item is also the lock that makes key creation happen once: a worker claims it with a
conditional write before calling KMS CreateKey (service.ensure_key).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError, UpdateError

from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.signing_keys.domain import KeyState


class SigningKeyItem(ddb.Record):
    """pk=agency#SIGNKEYS, sk=user id: the signer's key, its state and its use."""

    state = UnicodeAttribute()  # creating | active | disabled | pending_deletion
    key_ref = UnicodeAttribute(null=True)  # kms:<arn> (signing/signers.py)
    key_spec = UnicodeAttribute(null=True)
    origin = UnicodeAttribute(default="first-signature")  # first-signature | onboarding
    created_at = UTCDateTimeAttribute(null=True)
    claim = UnicodeAttribute(null=True)  # who is creating it (state creating)
    claimed_at = UTCDateTimeAttribute(null=True)
    last_used_at = UTCDateTimeAttribute(null=True)
    signed_count = NumberAttribute(default=0)
    disabled_at = UTCDateTimeAttribute(null=True)
    retire_at = UTCDateTimeAttribute(null=True)  # deletion is scheduled from this day on
    deletion_date = UTCDateTimeAttribute(null=True)  # when KMS deletes it
    earlier = JSONAttribute(null=True)  # the user's earlier keys: [{key_ref, state, deletion_date}]


def get(agency_id: str, user_id: str) -> SigningKeyItem | None:
    return ddb.get_or_none(SigningKeyItem, keys.signing_keys_pk(agency_id), user_id, consistent=True)


def inventory(agency_id: str) -> list[SigningKeyItem]:
    return list(SigningKeyItem.query(keys.signing_keys_pk(agency_id), consistent_read=True))


def claim(
    agency_id: str, user_id: str, token: str, *, now: datetime, previous: SigningKeyItem | None
) -> bool:
    """Take the item for creating a key: only if nobody has (or the one we read is still as it was).
    False: another worker claimed it first."""
    item = SigningKeyItem(
        keys.signing_keys_pk(agency_id),
        user_id,
        state=KeyState.CREATING.value,
        claim=token,
        claimed_at=now,
        signed_count=0,
        earlier=_earlier(previous),
    )
    condition: Any
    if previous is None:
        condition = SigningKeyItem.pk.does_not_exist()
    else:  # a retired key being replaced, or an abandoned claim taken over: exactly the state we read
        condition = SigningKeyItem.state == previous.state
        condition &= (
            SigningKeyItem.claim == previous.claim
            if previous.claim
            else SigningKeyItem.claim.does_not_exist()
        )
    try:
        item.save(condition=condition)
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _earlier(previous: SigningKeyItem | None) -> list[dict[str, Any]] | None:
    if previous is None:
        return None
    found = list(previous.earlier or [])
    if previous.key_ref:
        found.append(
            {
                "key_ref": previous.key_ref,
                "state": previous.state,
                "deletion_date": previous.deletion_date.isoformat() if previous.deletion_date else None,
            }
        )
    return found or None


def activate(
    agency_id: str,
    user_id: str,
    token: str,
    *,
    key_ref: str,
    key_spec: str,
    origin: str,
    now: datetime,
    event: AuditEvent,
) -> bool:
    """The created key recorded, with its event; False if the claim was taken over meanwhile."""
    item = SigningKeyItem(keys.signing_keys_pk(agency_id), user_id)
    tx = ddb.Transaction()
    tx.update(
        "key",
        item,
        [
            SigningKeyItem.state.set(KeyState.ACTIVE.value),
            SigningKeyItem.key_ref.set(key_ref),
            SigningKeyItem.key_spec.set(key_spec),
            SigningKeyItem.origin.set(origin),
            SigningKeyItem.created_at.set(now),
            SigningKeyItem.claim.remove(),
            SigningKeyItem.claimed_at.remove(),
            SigningKeyItem.disabled_at.remove(),
            SigningKeyItem.retire_at.remove(),
            SigningKeyItem.deletion_date.remove(),
        ],
        condition=(SigningKeyItem.state == KeyState.CREATING.value) & (SigningKeyItem.claim == token),
    )
    audit.add_to(tx, event)
    return tx.commit_unless_refused("key")


def adopt(
    agency_id: str,
    user_id: str,
    *,
    key_ref: str,
    key_spec: str | None,
    origin: str,
    now: datetime,
    event: AuditEvent,
) -> bool:
    """A key made before the inventory (onboarding in advance): recorded once, as it is."""
    item = SigningKeyItem(
        keys.signing_keys_pk(agency_id),
        user_id,
        state=KeyState.ACTIVE.value,
        key_ref=key_ref,
        key_spec=key_spec,
        origin=origin,
        created_at=now,
        signed_count=0,
    )
    tx = ddb.Transaction()
    tx.put("key", item, condition=SigningKeyItem.pk.does_not_exist())
    audit.add_to(tx, event)
    return tx.commit_unless_refused("key")


def note_use(agency_id: str, user_id: str, key_ref: str, *, now: datetime) -> bool:
    """One more document signed with the key (statistics: not the audit, which records each signature)."""
    item = SigningKeyItem(keys.signing_keys_pk(agency_id), user_id)
    try:
        item.update(
            actions=[SigningKeyItem.signed_count.add(1), SigningKeyItem.last_used_at.set(now)],
            condition=SigningKeyItem.key_ref == key_ref,
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def change_state(item: SigningKeyItem, state: KeyState, actions: list[Any], *, event: AuditEvent) -> bool:
    """Move a key from the state it was read in to `state`, with its event; False if it moved meanwhile."""
    tx = ddb.Transaction()
    tx.update(
        "key",
        item,
        [SigningKeyItem.state.set(state.value), *actions],
        condition=(SigningKeyItem.state == item.state) & (SigningKeyItem.key_ref == item.key_ref),
    )
    audit.add_to(tx, event)
    return tx.commit_unless_refused("key")
