"""The agency onboarding template: one CloudFormation stack per agency.

It holds what is the agency's own in AWS: its secrecy key and, only when the agency chooses
``signing.keys: in_advance``, an asymmetric KMS key per signer, with an alias and tags (otherwise a
signer's key is made when they are first asked to sign: functions/chalicelib/signing_keys/).
The key policy lets the account administer the key but not sign with it; the platform's sign worker
role signs (the only signer of documents); the key-ceremony role may sign only while the key has no
certificate yet (tag ``eoffice:certificate=pending``: the CSR), and `eoffice keys import-cert` sets the
tag to ``issued``. The sign worker's own IAM policy allows only keys tagged
``eoffice:purpose=document-signing`` (infra/chalice_config.py).

It also holds the agency's secrecy key: a symmetric KMS key that wraps the data keys of ลับ and ลับมาก
letters the agency sends or receives (envelope encryption, docs/rules.md "Secrecy in the exchange").
Its policy lets it be used only with an encryption context that names this agency as sender or
recipient; which of the platform's functions may use it at all is their IAM policies' part (only keys
tagged ``eoffice:purpose=document-secrecy``).

The agency's records (profile, units, books, people) are data in the platform's table, not resources:
`onboarding/apply.py` writes them after the stack, from the same settings file.
"""

from __future__ import annotations

import re
from typing import Any

from infra.resources import resource_name
from onboarding.settings import AgencySettings, Person

ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:Create*",
    "kms:Delete*",
    "kms:Describe*",
    "kms:Disable*",
    "kms:Enable*",
    "kms:Get*",
    "kms:List*",
    "kms:Put*",
    "kms:Revoke*",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:Update*",
]


SECRECY_KEY = "SecrecyKey"  # its logical id; its output's description is SECRECY_OUTPUT
SECRECY_OUTPUT = "agency:secrecy"  # not a username (those have no colon)
SECRECY_USE = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]


def stack_name(stage: str, agency_id: str) -> str:
    return resource_name(stage, f"agency-{agency_id}")


def key_logical_id(person: Person) -> str:
    return "SignerKey" + "".join(part.title() for part in re.split(r"[^a-z0-9]+", person.username) if part)


def key_alias(stage: str, agency_id: str, person: Person) -> str:
    return f"alias/{resource_name(stage, agency_id)}-{person.username.replace('.', '-')}"


def key_tags(settings: AgencySettings, person: Person) -> list[dict[str, str]]:
    tags = {
        "eoffice:purpose": "document-signing",
        "eoffice:agency": settings.id,
        "eoffice:signer": person.username,
        "eoffice:certificate": "pending",
        **settings.tags,
    }
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def key_policy() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersButDoesNotSign",
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                "Action": ADMIN_ACTIONS,
                "Resource": "*",
            },
            {
                "Sid": "SignWorkerSigns",
                "Effect": "Allow",
                "Principal": {"AWS": {"Ref": "SignWorkerRoleArn"}},
                "Action": ["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"],
                "Resource": "*",
            },
            {
                "Sid": "KeyCeremonySignsOnlyItsRequest",
                "Effect": "Allow",
                "Principal": {"AWS": {"Ref": "KeyCeremonyRoleArn"}},
                "Action": ["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/eoffice:certificate": "pending"}},
            },
            {
                "Sid": "KeyCeremonyMarksTheCertificate",
                "Effect": "Allow",
                "Principal": {"AWS": {"Ref": "KeyCeremonyRoleArn"}},
                "Action": ["kms:TagResource"],
                "Resource": "*",
                "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["eoffice:certificate"]}},
            },
        ],
    }


def secrecy_key_policy(agency_id: str) -> dict[str, Any]:
    account = {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministers",
                "Effect": "Allow",
                "Principal": account,
                "Action": ADMIN_ACTIONS,
                "Resource": "*",
            },
            # The account's IAM policies decide which roles use the key (the functions' policies name only
            # keys tagged for document secrecy); the key itself only ever serves this agency's letters.
            *(
                {
                    "Sid": f"OnlyForLettersThisAgency{party.title()}s",
                    "Effect": "Allow",
                    "Principal": account,
                    "Action": SECRECY_USE,
                    "Resource": "*",
                    "Condition": {"StringEquals": {f"kms:EncryptionContext:eoffice:{party}": agency_id}},
                }
                for party in ("sender", "recipient")
            ),
        ],
    }


def secrecy_key_alias(stage: str, agency_id: str) -> str:
    return f"alias/{resource_name(stage, agency_id)}-secrecy"


def agency_template(settings: AgencySettings, stage: str) -> dict[str, Any]:
    resources: dict[str, Any] = {
        SECRECY_KEY: {
            "Type": "AWS::KMS::Key",
            "DeletionPolicy": "Retain",  # classified letters stay readable after offboarding
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "Description": f"e-Office secrecy key of {settings.id}: wraps classified letters' data keys",
                "KeySpec": "SYMMETRIC_DEFAULT",
                "KeyUsage": "ENCRYPT_DECRYPT",
                "EnableKeyRotation": True,
                "KeyPolicy": secrecy_key_policy(settings.id),
                "Tags": [
                    {"Key": "eoffice:purpose", "Value": "document-secrecy"},
                    {"Key": "eoffice:agency", "Value": settings.id},
                    *({"Key": k, "Value": v} for k, v in settings.tags.items()),
                ],
            },
        },
        f"{SECRECY_KEY}Alias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {
                "AliasName": secrecy_key_alias(stage, settings.id),
                "TargetKeyId": {"Ref": SECRECY_KEY},
            },
        },
    }
    outputs: dict[str, Any] = {
        SECRECY_KEY: {"Value": {"Fn::GetAtt": [SECRECY_KEY, "Arn"]}, "Description": SECRECY_OUTPUT}
    }
    for person in settings.signers_in_advance():
        logical = key_logical_id(person)
        resources[logical] = {
            "Type": "AWS::KMS::Key",
            "DeletionPolicy": "Retain",  # a signer's key outlives offboarding: signatures stay verifiable
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "Description": f"e-Office signing key of {person.username} ({settings.id})",
                "KeySpec": settings.signing.key_spec,
                "KeyUsage": "SIGN_VERIFY",
                "KeyPolicy": key_policy(),
                "Tags": key_tags(settings, person),
            },
        }
        resources[f"{logical}Alias"] = {
            "Type": "AWS::KMS::Alias",
            "Properties": {
                "AliasName": key_alias(stage, settings.id, person),
                "TargetKeyId": {"Ref": logical},
            },
        }
        outputs[logical] = {"Value": {"Fn::GetAtt": [logical, "Arn"]}, "Description": person.username}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"e-Office agency {settings.id}: {settings.name_en}",
        "Parameters": {
            "SignWorkerRoleArn": {"Type": "String", "Description": "the platform sign worker's role"},
            "KeyCeremonyRoleArn": {"Type": "String", "Description": "who requests signer certificates"},
        },
        "Resources": resources,
        "Outputs": outputs,
    }


def main() -> None:
    """`python -m onboarding.template SETTINGS [STAGE]`: print the agency's template (for review and lint)."""
    import json
    import sys
    from pathlib import Path

    from onboarding.settings import load

    settings = load(Path(sys.argv[1]))
    print(
        json.dumps(
            agency_template(settings, sys.argv[2] if len(sys.argv) > 2 else "prod"),
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
