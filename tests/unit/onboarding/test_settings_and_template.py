"""The settings file is checked whole before anything is made, each error naming its field; the
agency template gives each signer a key that only the sign worker may sign with."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from onboarding.settings import SettingsError, load
from onboarding.template import agency_template, key_policy

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "agency.yaml"


def broken(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for dotted, value in change.items():
        node = data
        *path, last = dotted.split(".")
        for part in path:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    out = tmp_path / "agency.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "emblem-sample.svg").write_bytes((EXAMPLE.parent / "emblem-sample.svg").read_bytes())
    return out


def test_the_example_is_valid() -> None:
    settings = load(EXAMPLE)
    assert settings.id == "dga-sample"
    assert [p.username for p in settings.signers()] == ["dga.head", "dga.director"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"people.1.units.0": "nowhere"}, "people[1].units[0]: no unit 'nowhere'"),
        ({"people.0.roles.0": "king"}, "people[0].roles[0]"),
        ({"units.2.parent": "ghost"}, "units[2].parent: no unit 'ghost'"),
        ({"ministry_code": "MDES"}, "ministry_code"),
        ({"letterhead.units.0.unit_id": "ghost"}, "letterhead.units[0].unit_id"),
        ({"retention_classes.0.permanent": True}, "retention_classes[0]: give either years or permanent"),
        ({"emblem": "missing.svg"}, "emblem: no file 'missing.svg'"),
        ({"surprise": 1}, "surprise: Extra inputs are not permitted"),
    ],
)
def test_a_broken_file_names_the_field(tmp_path: Path, change: dict[str, object], named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load(broken(tmp_path, change))
    assert any(named in problem for problem in caught.value.problems), caught.value.problems


def test_only_the_sign_worker_signs_unconditionally() -> None:
    template = agency_template(load(EXAMPLE), "prod")
    keys = {
        k: r
        for k, r in template["Resources"].items()
        if r["Type"] == "AWS::KMS::Key" and r["Properties"]["KeyUsage"] == "SIGN_VERIFY"
    }
    assert set(keys) == {"SignerKeyDgaHead", "SignerKeyDgaDirector"}
    for resource in keys.values():
        assert resource["Properties"]["KeyUsage"] == "SIGN_VERIFY"
        assert resource["Properties"]["KeySpec"] == "RSA_3072"
        tags = {t["Key"]: t["Value"] for t in resource["Properties"]["Tags"]}
        assert tags["eoffice:purpose"] == "document-signing" and tags["eoffice:certificate"] == "pending"
        assert tags["cost-centre"] == "dga-sample"
    signing = [s for s in key_policy()["Statement"] if "kms:Sign" in s["Action"]]
    unconditional = [s for s in signing if "Condition" not in s]
    assert [s["Principal"] for s in unconditional] == [{"AWS": {"Ref": "SignWorkerRoleArn"}}]
    ceremony = next(s for s in signing if "Condition" in s)
    assert ceremony["Condition"] == {"StringEquals": {"aws:ResourceTag/eoffice:certificate": "pending"}}
    account = next(s for s in key_policy()["Statement"] if s["Sid"] == "AccountAdministersButDoesNotSign")
    assert not any(a in ("kms:Sign", "kms:*") for a in account["Action"])


def test_the_secrecy_key_serves_only_letters_its_agency_sends_or_receives() -> None:
    from onboarding.template import SECRECY_KEY, SECRECY_USE, secrecy_key_policy

    template = agency_template(load(EXAMPLE), "prod")
    key = template["Resources"][SECRECY_KEY]["Properties"]
    assert key["KeyUsage"] == "ENCRYPT_DECRYPT" and key["EnableKeyRotation"] is True
    tags = {t["Key"]: t["Value"] for t in key["Tags"]}
    assert tags["eoffice:purpose"] == "document-secrecy" and tags["eoffice:agency"] == "dga-sample"
    statements = secrecy_key_policy("dga")["Statement"]
    using = [s for s in statements if set(SECRECY_USE) & set(s["Action"])]
    assert [s["Condition"] for s in using] == [
        {"StringEquals": {"kms:EncryptionContext:eoffice:sender": "dga"}},
        {"StringEquals": {"kms:EncryptionContext:eoffice:recipient": "dga"}},
    ]
    admin = next(s for s in statements if s["Sid"] == "AccountAdministers")
    assert not set(SECRECY_USE) & set(admin["Action"]) and "kms:*" not in admin["Action"]


def test_by_default_no_signer_key_is_made_in_advance(tmp_path: Path) -> None:
    # The example chooses in_advance; without that choice the stack holds the secrecy key only (signer
    # keys are made on first signature: signing_keys/service.py).
    settings = load(broken(tmp_path, {"signing.keys": "on_first_signature"}))
    assert settings.signers() and settings.signers_in_advance() == []
    template = agency_template(settings, "prod")
    kinds = [
        r["Properties"]["KeyUsage"] for r in template["Resources"].values() if r["Type"] == "AWS::KMS::Key"
    ]
    assert kinds == ["ENCRYPT_DECRYPT"]
