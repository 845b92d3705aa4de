"""Signer keys as inventory (moto in-process): made once on first signature, even by two workers at
once; disabled when the role ends; scheduled for deletion once the grace period has passed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalicelib.directory.store import UserItem, new_user
from chalicelib.kernel import audit, keys
from chalicelib.signing_keys import service, store
from chalicelib.signing_keys.domain import AwaitingCertificate, KeyBeingCreated

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def signer(agency: str, user_id: str = "head1", roles: tuple[str, ...] = ("head",)) -> None:
    new_user(
        agency,
        user_id,
        username=user_id,
        name="ผู้ลงนาม",
        position="หัวหน้า",
        units=["office"],
        roles=list(roles),
    ).save()


def kms_keys(aws: Any) -> list[dict[str, Any]]:
    kms = aws.client("kms")
    found = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in kms.list_keys()["Keys"]]
    return [k for k in found if k.get("KeyUsage") == "SIGN_VERIFY"]


def actions(agency: str, user_id: str) -> list[str]:
    return [e["action"] for e in audit.history(agency, f"signing-key/{user_id}")]


def test_two_concurrent_first_signatures_make_exactly_one_key(
    aws: Any, new_agency: Any, monkeypatch: Any
) -> None:
    agency = new_agency({"signing": {"key_spec": "ECC_NIST_P256"}, "tags": {"cost-centre": "c1"}})
    signer(agency)
    before = {k["KeyId"] for k in kms_keys(aws)}
    # Both workers read "no key yet" before either claims: the conditional claim must decide.
    both_read = threading.Barrier(2, timeout=10)
    real_get = store.get

    def get_then_wait(agency_id: str, user_id: str) -> Any:
        found = real_get(agency_id, user_id)
        both_read.wait()
        return found

    monkeypatch.setattr(store, "get", get_then_wait)
    outcomes: list[Any] = []

    def attempt() -> None:
        try:
            outcomes.append(service.ensure_key(agency, "head1", now=NOW))
        except KeyBeingCreated as error:
            outcomes.append(error)

    workers = [threading.Thread(target=attempt) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    monkeypatch.setattr(store, "get", real_get)
    made = [k for k in kms_keys(aws) if k["KeyId"] not in before]
    assert len(made) == 1, made
    assert sorted(type(o).__name__ for o in outcomes) == ["KeyBeingCreated", "str"]
    key_ref = next(o for o in outcomes if isinstance(o, str))
    assert key_ref == f"kms:{made[0]['Arn']}" and made[0]["KeySpec"] == "ECC_NIST_P256"
    tags = {
        t["TagKey"]: t["TagValue"]
        for t in aws.client("kms").list_resource_tags(KeyId=made[0]["KeyId"])["Tags"]
    }
    assert tags["eoffice:purpose"] == "document-signing" and tags["eoffice:agency"] == agency
    assert tags["eoffice:user"] == "head1" and tags["cost-centre"] == "c1"
    # The loser retries later and finds the same key; the user's record names it for the key ceremony.
    assert service.ensure_key(agency, "head1", now=NOW) == key_ref
    user = UserItem.get(keys.agency_pk(agency), keys.user_sk("head1"))
    assert user.signing == {"kms_key_id": made[0]["Arn"], "key_ref": key_ref}
    assert actions(agency, "head1") == ["signing_key.created"]


def test_first_signature_makes_the_key_then_waits_for_the_certificate(aws: Any, new_agency: Any) -> None:
    agency = new_agency()
    signer(agency, "dir1", ("director",))
    with pytest.raises(AwaitingCertificate) as caught:
        service.key_for_signing(agency, "dir1", now=NOW)
    assert "รอใบรับรอง" in caught.value.message_th and "awaits its certificate" in caught.value.message_en
    item = store.get(agency, "dir1")
    assert item is not None and item.state == "active" and item.key_spec == "RSA_3072"
    # Asked again before the certificate: the same key, still awaiting; no second key.
    count = len(kms_keys(aws))
    with pytest.raises(AwaitingCertificate):
        service.key_for_signing(agency, "dir1", now=NOW)
    assert len(kms_keys(aws)) == count
    # Once the certificate is recorded, the record comes back for signing.
    user = UserItem.get(keys.agency_pk(agency), keys.user_sk("dir1"))
    user.update(actions=[UserItem.signing.set({**user.signing, "certificate_pem": "PEM", "chain_pem": []})])
    assert service.key_for_signing(agency, "dir1", now=NOW)["certificate_pem"] == "PEM"


def listed(agency: str) -> str:
    """Onboarding lists every agency (PLATFORM#AGENCIES): the daily run goes through that list."""
    from chalicelib.directory.store import AgencyListing

    AgencyListing(keys.PLATFORM_AGENCIES_PK, agency, name="กรมทดสอบ").save()
    return agency


def test_a_role_that_ends_disables_the_key_and_deletion_follows_the_grace_period(
    aws: Any, new_agency: Any
) -> None:
    agency = listed(new_agency())
    signer(agency, "head2")
    signer(agency, "head3")  # keeps the role: untouched throughout
    key_ref = service.ensure_key(agency, "head2", now=NOW)
    kept = service.ensure_key(agency, "head3", now=NOW)
    kms = aws.client("kms")
    key_id = key_ref.removeprefix("kms:")
    assert service.retire_due(now=NOW + timedelta(days=1)).get("disabled", 0) == 0
    # head2 is now staff only: the next daily run disables the key and sets its retire date.
    user = UserItem.get(keys.agency_pk(agency), keys.user_sk("head2"))
    user.update(actions=[UserItem.roles.set(["staff"])])
    day = NOW + timedelta(days=2)
    assert service.retire_due(now=day)["disabled"] == 1
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    item = store.get(agency, "head2")
    assert item is not None and item.state == "disabled" and item.retire_at == day + timedelta(days=30)
    # Within the grace period nothing more happens...
    assert service.retire_due(now=day + timedelta(days=29)).get("scheduled_for_deletion", 0) == 0
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    # ...after it, KMS is asked to delete the key (its own 30-day window).
    assert service.retire_due(now=day + timedelta(days=30))["scheduled_for_deletion"] == 1
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    item = store.get(agency, "head2")
    assert item is not None and item.state == "pending_deletion" and item.deletion_date is not None
    assert actions(agency, "head2") == [
        "signing_key.created",
        "signing_key.disabled",
        "signing_key.deletion_scheduled",
    ]
    assert kms.describe_key(KeyId=kept.removeprefix("kms:"))["KeyMetadata"]["KeyState"] == "Enabled"
    # A deactivated user's key goes the same way.
    other = UserItem.get(keys.agency_pk(agency), keys.user_sk("head3"))
    other.update(actions=[UserItem.active.set(False)])
    assert service.retire_due(now=day + timedelta(days=31))["disabled"] == 1


def test_the_admin_sees_the_inventory_and_no_one_else(aws: Any, new_agency: Any) -> None:
    from chalicelib.kernel.errors import Forbidden

    from tests.conftest import principal

    agency = new_agency()
    signer(agency, "head4")
    service.ensure_key(agency, "head4", now=NOW)
    found = service.inventory(principal(agency, "admin"))
    assert [(k.user_id, k.state, k.certificate, k.origin) for k in found.keys] == [
        ("head4", "active", "awaiting", "first-signature")
    ]
    assert found.counts == {"active": 1}
    with pytest.raises(Forbidden):
        service.inventory(principal(agency, "head"))
