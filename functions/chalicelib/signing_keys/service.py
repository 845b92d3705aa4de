"""Signer keys as inventory: made when first needed, disabled when the role ends, then deleted.

Where the certificate comes from decides what "first needed" can do. The platform does not run a CA:
an agency's CA (under the national root) certifies a key from a CSR (`eoffice keys csr`), and the
certificate is imported with `eoffice keys import-cert` (onboarding/keys.py). So when someone is first
asked to sign, the sign worker creates their key, records it here and on the user (the same record the
ceremony tools read), and the job ends with AwaitingCertificate in Thai and English; once the
certificate is imported, signing works. An agency that wants keys ready before anyone signs (the local
demo, whose test PKI issues certificates at start) chooses `signing.keys: in_advance` at onboarding.

Keys are created with KMS's default key policy: the account's IAM policies decide who uses them (only
the sign worker may Sign keys tagged for document signing, infra/chalice_config.py). An explicit key
policy as the onboarding template writes needs the creating role to pass KMS's lockout check (it must
itself be allowed PutKeyPolicy), which the sign worker is deliberately not.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from chalicelib.directory import service as directory
from chalicelib.kernel import aws
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.log import logger
from chalicelib.kernel.principal import Principal, Role
from chalicelib.kernel.settings import get_settings
from chalicelib.signing.signers import key_ref_of, parse_key_ref
from chalicelib.signing_keys import domain, models, store
from chalicelib.signing_keys.domain import AwaitingCertificate, KeyBeingCreated, KeyState, KeyTerms
from chalicelib.signing_keys.store import SigningKeyItem

ACTOR = "system:signing-keys"
PURPOSE_TAG = {"TagKey": "eoffice:purpose", "TagValue": "document-signing"}


def terms() -> KeyTerms:
    settings = get_settings()
    return KeyTerms(settings.signing_key_grace_days, settings.signing_key_deletion_window_days)


def _event(agency_id: str, user_id: str, action: str, now: datetime, **after: Any) -> AuditEvent:
    return AuditEvent(agency_id, ACTOR, action, f"signing-key/{user_id}", now, after=after)


# -- the sign worker's side ---------------------------------------------------------------------
def key_for_signing(agency_id: str, user_id: str, *, now: datetime, kms: Any = None) -> dict[str, Any]:
    """The signer's record (key and certificate) if they can sign now. Otherwise their key is made (or
    found) and AwaitingCertificate says the agency's CA has yet to certify it; KeyBeingCreated says
    another worker is making it (the queue retries)."""
    seat = directory.signer(agency_id, user_id)
    record = dict(seat.key or {}) if seat is not None else {}
    item = store.get(agency_id, user_id)
    if record and item is None and (record.get("kms_key_id") or record.get("key_ref")):
        item = _adopt(agency_id, user_id, record, origin="onboarding", now=now)
    usable = item is not None and item.state == KeyState.ACTIVE.value and record
    if usable and item is not None and item.key_ref == key_ref_of(record):
        if record.get("certificate_pem"):
            return record
        raise AwaitingCertificate()
    ensure_key(agency_id, user_id, now=now, kms=kms)
    raise AwaitingCertificate()


def ensure_key(agency_id: str, user_id: str, *, now: datetime, kms: Any = None) -> str:
    """The user's active key reference, created once: the inventory item is claimed with a conditional
    write before KMS CreateKey, so two workers never create two keys for one user."""
    item = store.get(agency_id, user_id)
    if item is not None and item.state == KeyState.ACTIVE.value and item.key_ref:
        _link_user(agency_id, user_id, str(item.key_ref), now=now)
        return str(item.key_ref)
    if (
        item is not None
        and item.state == KeyState.CREATING.value
        and not domain.claim_abandoned(item.claimed_at, now=now)
    ):
        raise KeyBeingCreated()
    token = secrets.token_hex(8)
    if not store.claim(agency_id, user_id, token, now=now, previous=item):
        raise KeyBeingCreated()
    profile = directory.require_profile(agency_id)
    spec = domain.key_spec_of(profile.settings.get("signing", {}))
    seat = directory.signer(agency_id, user_id)
    person = directory.principal_for(agency_id, user_id)
    tags = [
        PURPOSE_TAG,
        {"TagKey": "eoffice:agency", "TagValue": agency_id},
        {"TagKey": "eoffice:signer", "TagValue": person.username if person else user_id},
        {"TagKey": "eoffice:user", "TagValue": user_id},
        {"TagKey": "eoffice:certificate", "TagValue": "pending"},
        *({"TagKey": k, "TagValue": v} for k, v in dict(profile.settings.get("tags") or {}).items()),
    ]
    client = kms or aws.client("kms")
    metadata = client.create_key(
        Description=f"e-Office signing key of {seat.name if seat else user_id} ({agency_id})",
        KeySpec=spec,
        KeyUsage="SIGN_VERIFY",
        Tags=tags,
    )["KeyMetadata"]
    key_ref = f"kms:{metadata['Arn']}"
    event = _event(agency_id, user_id, "signing_key.created", now, key_ref=key_ref, key_spec=spec)
    if not store.activate(
        agency_id,
        user_id,
        token,
        key_ref=key_ref,
        key_spec=spec,
        origin="first-signature",
        now=now,
        event=event,
    ):
        # Our claim was taken over (we were slower than CLAIM_TIMEOUT): the key is nobody's.
        client.schedule_key_deletion(KeyId=metadata["KeyId"], PendingWindowInDays=7)
        raise KeyBeingCreated()
    logger.info("signing key created", extra={"agency_id": agency_id, "user_id": user_id, "key_spec": spec})
    _link_user(agency_id, user_id, key_ref, now=now)
    return key_ref


def _link_user(agency_id: str, user_id: str, key_ref: str, *, now: datetime) -> None:
    """The user's signing record names the key (what `eoffice keys csr|import-cert` read)."""
    seat = directory.signer(agency_id, user_id)
    if seat is not None and seat.key and key_ref_of(seat.key) == key_ref:
        return
    directory.set_signing_key(
        agency_id,
        user_id,
        {"kms_key_id": parse_key_ref(key_ref).locator, "key_ref": key_ref},
        actor=ACTOR,
        at=now,
    )


def _adopt(
    agency_id: str, user_id: str, record: dict[str, Any], *, origin: str, now: datetime
) -> SigningKeyItem | None:
    key_ref = key_ref_of(record)
    event = _event(agency_id, user_id, "signing_key.recorded", now, key_ref=key_ref, origin=origin)
    store.adopt(agency_id, user_id, key_ref=key_ref, key_spec=None, origin=origin, now=now, event=event)
    return store.get(agency_id, user_id)


def record_onboarded_key(agency_id: str, user_id: str, key_arn: str, key_spec: str, *, now: datetime) -> None:
    """A key the onboarding template made in advance (`signing.keys: in_advance`), in the inventory."""
    event = _event(
        agency_id, user_id, "signing_key.recorded", now, key_ref=f"kms:{key_arn}", origin="onboarding"
    )
    store.adopt(
        agency_id,
        user_id,
        key_ref=f"kms:{key_arn}",
        key_spec=key_spec,
        origin="onboarding",
        now=now,
        event=event,
    )


def note_use(agency_id: str, user_id: str, key_ref: str, *, now: datetime) -> None:
    store.note_use(agency_id, user_id, key_ref, now=now)


# -- the admin's view ---------------------------------------------------------------------------
def inventory(principal: Principal) -> models.SigningKeyInventory:
    principal.require(Role.ADMIN)
    records = directory.signing_records(principal.agency_id)
    found = []
    for item in store.inventory(principal.agency_id):
        record = records.get(item.sk) or {}
        issued = bool(record.get("certificate_pem")) and record.get(
            "key_ref", f"kms:{record.get('kms_key_id')}"
        ) == (item.key_ref)
        found.append(
            models.SigningKey(
                user_id=item.sk,
                state=item.state,  # type: ignore[arg-type]
                key_ref=item.key_ref,
                key_spec=item.key_spec,
                origin=item.origin,  # type: ignore[arg-type]
                certificate="issued" if issued else "awaiting",
                created_at=item.created_at,
                last_used_at=item.last_used_at,
                signed_count=int(item.signed_count or 0),
                retire_at=item.retire_at,
                deletion_date=item.deletion_date,
                earlier_keys=len(item.earlier or []),
            )
        )
    return models.SigningKeyInventory(
        agency_id=principal.agency_id, keys=found, counts=dict(Counter(k.state for k in found))
    )


# -- the daily retirement -----------------------------------------------------------------------
def retire_due(*, now: datetime, kms: Any = None) -> dict[str, int]:
    """For every agency: record keys made before the inventory; disable the keys of people who may no
    longer sign; schedule the deletion of disabled keys whose grace period has passed."""
    chosen = terms()
    client = kms or aws.client("kms")
    done: Counter[str] = Counter()
    for agency_id in directory.agency_ids():
        known = {item.sk for item in store.inventory(agency_id)}
        for user_id, record in directory.signing_records(agency_id).items():
            if user_id not in known and (record.get("kms_key_id") or record.get("key_ref")):
                _adopt(agency_id, user_id, record, origin="onboarding", now=now)
                done["recorded"] += 1
        for item in store.inventory(agency_id):
            if item.state == KeyState.ACTIVE.value:
                if not domain.may_sign(directory.principal_for(agency_id, item.sk), now=now):
                    done["disabled"] += _disable(agency_id, item, client, chosen, now=now)
            elif (
                item.state == KeyState.DISABLED.value and item.retire_at is not None and item.retire_at <= now
            ):
                done["scheduled_for_deletion"] += _schedule_deletion(agency_id, item, client, chosen, now=now)
    return dict(done)


def _kms_id(item: SigningKeyItem) -> str:
    # The key id from its ARN: AWS takes either, moto's DisableKey only the id (same account either way).
    return parse_key_ref(str(item.key_ref)).locator.rsplit("key/", 1)[-1]


def _disable(agency_id: str, item: SigningKeyItem, client: Any, chosen: KeyTerms, *, now: datetime) -> int:
    # KMS first: a key recorded disabled must be disabled (DisableKey again is harmless on a retry).
    client.disable_key(KeyId=_kms_id(item))
    retire_at = chosen.retire_at(now)
    event = _event(
        agency_id, item.sk, "signing_key.disabled", now, key_ref=item.key_ref, retire_at=retire_at.isoformat()
    )
    changed = store.change_state(
        item,
        KeyState.DISABLED,
        [SigningKeyItem.disabled_at.set(now), SigningKeyItem.retire_at.set(retire_at)],
        event=event,
    )
    return int(changed)


def _schedule_deletion(
    agency_id: str, item: SigningKeyItem, client: Any, chosen: KeyTerms, *, now: datetime
) -> int:
    try:
        answer = client.schedule_key_deletion(
            KeyId=_kms_id(item), PendingWindowInDays=chosen.deletion_window_days
        )
        deletion = answer.get("DeletionDate") or now + timedelta(days=chosen.deletion_window_days)
    except client.exceptions.KMSInvalidStateException:
        # Already pending (a run that stopped after KMS answered): KMS keeps its first date.
        deletion = client.describe_key(KeyId=_kms_id(item))["KeyMetadata"].get("DeletionDate") or now
    event = _event(
        agency_id,
        item.sk,
        "signing_key.deletion_scheduled",
        now,
        key_ref=item.key_ref,
        deletion_date=deletion.isoformat(),
    )
    return int(
        store.change_state(
            item, KeyState.PENDING_DELETION, [SigningKeyItem.deletion_date.set(deletion)], event=event
        )
    )
