"""Onboard an agency from its settings file: deploy its template, then seed its records and people.

Order and safety: the whole file is checked first (settings.load, then the emblem's bytes and the CA
chain); nothing is created until all of it is valid. Then the agency's stack (its signing keys), its
people in the user pool (linked to their ThaiD identity where given), and its records: the agency, its
units and its people in the platform's table, with an audit event, written only where not yet present,
so a run that stopped half-way is finished by running it again. Offboarding disables the people and
marks the agency offboarded; its records stay (retention still applies) and so do its keys (the
signatures they made stay verifiable).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onboarding.settings import CLEARANCES, AgencySettings, SettingsError
from onboarding.template import SECRECY_OUTPUT, agency_template, stack_name

# moto 5.2.5's CloudFormation fails on AWS::KMS::Key with Tags (it hands CloudFormation's Key/Value
# pairs to its KMS, which expects TagKey/TagValue); on the local stack these resources are created
# from the same template definitions instead (`_create_directly`).
CREATED_DIRECTLY_LOCALLY = ("AWS::KMS::Key", "AWS::KMS::Alias")


_clients_lock = threading.Lock()


def _client(session: Any, service: str) -> Any:
    """A client of the session (boto3 sessions make clients safely only one at a time: bulk onboarding
    runs agencies in threads)."""
    with _clients_lock:
        return session.client(service)


class OnboardingError(Exception):
    """Onboarding cannot go on; the message says why (and nothing was created if it says so)."""


@dataclass
class Onboarded:
    agency_id: str
    stack: str
    keys: dict[str, str] = field(default_factory=dict)  # username -> KMS key ARN
    secrecy_key: str | None = None  # the agency's secrecy key ARN (classified letters' envelopes)
    users: dict[str, str] = field(default_factory=dict)  # username -> user id (the pool's sub)
    created_directly: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """Where an agency is onboarded: the platform's session, stage, user pool and roles."""

    session: Any
    stage: str
    user_pool_id: str
    sign_worker_role_arn: str
    key_ceremony_role_arn: str
    local: bool = (
        False  # the local stack: resources the emulator's CloudFormation cannot take are made directly
    )
    local_password: str | None = None  # local only: the people get this password (no ThaiD offline)


def checked_files(settings: AgencySettings, base: Path) -> tuple[tuple[bytes, str] | None, list[str]]:
    """The emblem (bytes, type) and the CA chain (PEM), checked by their bytes before anything is made."""
    from chalicelib.pdf.image_check import svg_problem, verify_image
    from cryptography import x509

    emblem = None
    if settings.emblem:
        data = (base / settings.emblem).read_bytes()
        kind = "image/svg+xml" if settings.emblem.lower().endswith(".svg") else "image/png"
        problem = svg_problem(data) if kind == "image/svg+xml" else verify_image(data, kind)
        if problem:
            raise SettingsError(base / settings.emblem, [f"emblem: {problem}"])
        emblem = (data, kind)
    chain = []
    for relative in settings.signing.ca_chain_files:
        text = (base / relative).read_text(encoding="utf-8")
        try:
            x509.load_pem_x509_certificates(text.encode())
        except ValueError as error:
            raise SettingsError(
                base / relative, [f"signing.ca_chain_files: not PEM certificates: {error}"]
            ) from error
        chain.append(text)
    return emblem, chain


def onboard(settings: AgencySettings, base: Path, target: Target) -> Onboarded:
    from chalicelib.directory import store

    emblem, chain = checked_files(settings, base)
    if store.agency_item(settings.id) is not None:
        raise OnboardingError(f"agency {settings.id!r} is already onboarded: nothing was created")
    claimed = store.ecms_department(settings.ecms.department_id) if settings.ecms else None
    if claimed is not None and claimed.agency != settings.id:
        raise OnboardingError(
            f"e-CMS department id {claimed.sk} already belongs to agency {claimed.agency!r}:"
            " nothing was created"
        )
    result = Onboarded(settings.id, stack_name(target.stage, settings.id))
    template = agency_template(settings, target.stage)
    parameters = {
        "SignWorkerRoleArn": target.sign_worker_role_arn,
        "KeyCeremonyRoleArn": target.key_ceremony_role_arn,
    }
    if target.local:
        result.keys, result.created_directly = _create_directly(
            target.session, template, parameters, settings
        )
    else:
        result.keys = _deploy_stack(target.session, result.stack, template, parameters, settings)
    result.secrecy_key = result.keys.pop(SECRECY_OUTPUT, None)
    result.users = _people(target, settings)
    _records(settings, result, chain)
    _letterhead(settings, emblem)
    return result


# -- the stack ---------------------------------------------------------------------------------------
def _deploy_stack(
    session: Any, name: str, template: dict[str, Any], parameters: dict[str, str], settings: AgencySettings
) -> dict[str, str]:
    cfn = _client(session, "cloudformation")
    try:
        cfn.describe_stacks(StackName=name)
        exists = True
    except cfn.exceptions.ClientError:
        exists = False
    if not exists:
        _create_stack(cfn, name, template, parameters, settings)
    cfn.get_waiter("stack_create_complete").wait(
        StackName=name, WaiterConfig={"Delay": 5, "MaxAttempts": 120}
    )
    outputs = cfn.describe_stacks(StackName=name)["Stacks"][0].get("Outputs", [])
    by_logical = {o["OutputKey"]: o["OutputValue"] for o in outputs}
    return {_username_of(template, k): v for k, v in by_logical.items()}


def _create_stack(
    cfn: Any, name: str, template: dict[str, Any], parameters: dict[str, str], settings: AgencySettings
) -> None:
    cfn.create_stack(
        StackName=name,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Tags=[
            {"Key": "eoffice:agency", "Value": settings.id},
            *({"Key": k, "Value": v} for k, v in settings.tags.items()),
        ],
        OnFailure="ROLLBACK",
    )


def _username_of(template: dict[str, Any], logical: str) -> str:
    return str(template["Outputs"][logical]["Description"])


def _resolve(node: Any, parameters: dict[str, str], refs: dict[str, str]) -> Any:
    """The template's intrinsic functions this template uses: Ref, Fn::Sub, Fn::GetAtt (Arn)."""
    if isinstance(node, list):
        return [_resolve(n, parameters, refs) for n in node]
    if not isinstance(node, dict):
        return node
    if "Ref" in node:
        return parameters.get(node["Ref"]) or refs[node["Ref"]]
    if "Fn::Sub" in node:
        pseudo = {"AWS::Partition": "aws", "AWS::AccountId": "123456789012", **parameters, **refs}
        return re.sub(r"\$\{([^}]+)\}", lambda m: pseudo[m.group(1)], node["Fn::Sub"])
    return {k: _resolve(v, parameters, refs) for k, v in node.items()}


def _create_directly(
    session: Any, template: dict[str, Any], parameters: dict[str, str], settings: AgencySettings
) -> tuple[dict[str, str], list[str]]:
    kms = _client(session, "kms")
    refs: dict[str, str] = {}
    arns: dict[str, str] = {}
    made = []
    for logical, resource in template["Resources"].items():
        props = _resolve(resource.get("Properties", {}), parameters, refs)
        if resource["Type"] == "AWS::KMS::Key":
            alias = template["Resources"][f"{logical}Alias"]["Properties"]["AliasName"]
            try:  # made by a run that stopped half-way
                metadata = kms.describe_key(KeyId=alias)["KeyMetadata"]
                refs[logical], arns[logical] = metadata["KeyId"], metadata["Arn"]
                continue
            except kms.exceptions.NotFoundException:
                pass
            metadata = kms.create_key(
                Description=props["Description"],
                KeySpec=props["KeySpec"],
                KeyUsage=props["KeyUsage"],
                Policy=json.dumps(props["KeyPolicy"]),
                Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props["Tags"]],
            )["KeyMetadata"]
            if props.get("EnableKeyRotation"):
                kms.enable_key_rotation(KeyId=metadata["KeyId"])
            refs[logical], arns[logical] = metadata["KeyId"], metadata["Arn"]
            made.append(f"{logical} (AWS::KMS::Key)")
        elif resource["Type"] == "AWS::KMS::Alias" and f"{logical[:-5]} (AWS::KMS::Key)" in made:
            kms.create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
            made.append(f"{logical} (AWS::KMS::Alias)")
    return {_username_of(template, k): v for k, v in arns.items()}, made


# -- people ------------------------------------------------------------------------------------------
def _people(target: Target, settings: AgencySettings) -> dict[str, str]:
    """Each person as a pool user of the agency (custom:agency_id is set here only: users cannot write
    it); linked to their ThaiD identity when the file gives it, so a ThaiD sign-in is that user."""
    cognito = _client(target.session, "cognito-idp")
    subs = {}
    for person in settings.people:
        attributes = [{"Name": "custom:agency_id", "Value": settings.id}]
        if person.email:
            attributes += [
                {"Name": "email", "Value": person.email},
                {"Name": "email_verified", "Value": "true"},
            ]
        try:
            created = cognito.admin_create_user(
                UserPoolId=target.user_pool_id,
                Username=person.username,
                UserAttributes=attributes,
                MessageAction="SUPPRESS",
            )["User"]
        except cognito.exceptions.UsernameExistsException:
            created = cognito.admin_get_user(UserPoolId=target.user_pool_id, Username=person.username)
            created["Attributes"] = created.pop("UserAttributes")
            agency = next(
                (a["Value"] for a in created["Attributes"] if a["Name"] == "custom:agency_id"), None
            )
            if agency != settings.id:
                raise OnboardingError(
                    f"people: the username {person.username!r} belongs to another agency"
                ) from None
        if target.local_password:
            cognito.admin_set_user_password(
                UserPoolId=target.user_pool_id,
                Username=person.username,
                Password=target.local_password,
                Permanent=True,
            )
        if person.thaid_sub and not target.local:
            cognito.admin_link_provider_for_user(
                UserPoolId=target.user_pool_id,
                DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": person.username},
                SourceUser={
                    "ProviderName": "ThaiD",
                    "ProviderAttributeName": "Cognito_Subject",
                    "ProviderAttributeValue": person.thaid_sub,
                },
            )
        subs[person.username] = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
    return subs


# -- records -----------------------------------------------------------------------------------------
def _records(settings: AgencySettings, result: Onboarded, chain: list[str]) -> None:
    from chalicelib.directory.store import onboard_records

    signing: dict[str, Any] = {
        k: v
        for k, v in {
            "trust_roots_pem": chain,
            "tsa_url": settings.signing.tsa_url,
            "ocsp_url": settings.signing.ocsp_url,
            "crl_url": settings.signing.crl_url,
            "expiry_warning_days": settings.signing.expiry_warning_days,
            "key_spec": settings.signing.key_spec,  # what a key made on first signature is
            "keys": settings.signing.keys,
        }.items()
        if v
    }
    agency = {
        "name": settings.name,
        "name_en": settings.name_en,
        "ministry_code": settings.ministry_code,
        "settings": {
            "thai_numerals": settings.thai_numerals,
            "books": [b.model_dump(exclude_none=True) for b in settings.books],
            "retention_classes": [r.model_dump(exclude_none=True) for r in settings.retention_classes],
            "signing": signing,
            "secrecy_key": result.secrecy_key,
            "tags": settings.tags,
            **({"ecms": settings.ecms.model_dump()} if settings.ecms else {}),
            "onboarding": {"stack": result.stack, "at": datetime.now(UTC).isoformat()},
        },
    }
    units = {u.id: {"name": u.name, "code": u.code, "parent": u.parent} for u in settings.units}
    people = {
        result.users[p.username]: {
            "username": p.username,
            "name": p.name,
            "title": p.title,
            "position": p.position,
            "units": list(p.units),
            "roles": list(p.roles),
            "clearance": CLEARANCES[p.clearance],
            "delegations": [],
            "email": p.email,
            # the key now; its certificate comes with `eoffice keys import-cert`
            "signing": {"kms_key_id": result.keys[p.username]} if p.username in result.keys else None,
        }
        for p in settings.people
    }
    onboard_records(settings.id, agency, units, people, actor="system:onboarding", at=datetime.now(UTC))
    _inventory(settings, result)


def _inventory(settings: AgencySettings, result: Onboarded) -> None:
    """Keys made in advance go into the agency's inventory of signer keys like any other."""
    from chalicelib.signing_keys.service import record_onboarded_key

    for person in settings.signers_in_advance():
        if person.username in result.keys:
            record_onboarded_key(
                settings.id,
                result.users[person.username],
                result.keys[person.username],
                settings.signing.key_spec,
                now=datetime.now(UTC),
            )


def _letterhead(settings: AgencySettings, emblem: tuple[bytes, str] | None) -> None:
    from chalicelib.directory import service
    from chalicelib.directory.models import LetterheadCommand
    from chalicelib.kernel.principal import Principal, Role
    from chalicelib.saraban import Secrecy

    admin = Principal(
        settings.id,
        "system:onboarding",
        "onboarding",
        "การเริ่มใช้งานหน่วยงาน",
        "",
        (),
        frozenset({Role.ADMIN}),
        Secrecy.NORMAL,
    )
    now = datetime.now(UTC)
    service.set_letterhead(
        admin, LetterheadCommand.model_validate(settings.letterhead.model_dump(exclude_none=True)), now=now
    )
    if emblem is not None:
        service.set_emblem(admin, emblem[0], emblem[1], now=now)


# -- offboarding -------------------------------------------------------------------------------------
def offboard(agency_id: str, target: Target) -> list[str]:
    """Disable the agency's people (pool and directory); keep its records and keys. Returns who."""
    from chalicelib.directory.store import offboard_records, users

    cognito = _client(target.session, "cognito-idp")
    disabled = []
    for user in users(agency_id):
        if user.active:
            cognito.admin_disable_user(UserPoolId=target.user_pool_id, Username=user.username)
            disabled.append(user.username)
    offboard_records(agency_id, actor="system:onboarding", at=datetime.now(UTC))
    return disabled
