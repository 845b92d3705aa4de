"""`eoffice onboard examples/agency.yaml` on the running local stack: a third agency whose saraban
officer logs in and registers a letter at once, isolated from the demo agencies; a broken settings
file creates nothing and names the field; offboarding disables the people and keeps the records."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml

from devstack.stack import ROOT, operator_session, read_state
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

EXAMPLE = ROOT / "examples" / "agency.yaml"


def eoffice(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "eoffice"), *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd="/",  # as a newcomer would run it, from anywhere
        env={**os.environ, "PYTHONPATH": ""},
    )


def token(stack: Stack, agency: str, user: str) -> str:
    made = eoffice("token", "--port", str(stack.port), "--agency", agency, "--user", user)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def call(stack: Stack, method: str, path: str, bearer: str, **kwargs: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {bearer}"}
    return requests.request(method, f"{stack.url}{path}", headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]


def test_a_broken_settings_file_creates_nothing_and_names_the_field(stack: Stack, tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["id"] = "broken-sample"
    data["people"][0]["username"] = "broken.saraban"
    data["people"][1]["units"] = ["standards", "no-such-unit"]
    broken = tmp_path / "agency.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "emblem-sample.svg").write_bytes((ROOT / "examples" / "emblem-sample.svg").read_bytes())
    run = eoffice("onboard", str(broken), "--port", str(stack.port))
    assert run.returncode == 2
    assert "people[1].units[1]: no unit 'no-such-unit'" in run.stderr and "nothing was created" in run.stderr
    state = read_state(stack.port)
    cognito = operator_session(state).client("cognito-idp", endpoint_url=state.backend_url)
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        cognito.admin_get_user(UserPoolId=state.user_pool_id, Username="broken.saraban")
    assert (
        eoffice(
            "token", "--port", str(stack.port), "--agency", "broken-sample", "--user", "broken.saraban"
        ).returncode
        == 2
    )


def test_the_example_agency_is_onboarded_and_works_at_once_isolated(stack: Stack) -> None:
    run = eoffice("onboard", str(EXAMPLE), "--port", str(stack.port))
    assert run.returncode == 0, run.stderr
    assert "dga-sample onboarded" in run.stdout and "signing key arn:aws:kms:" in run.stdout
    again = eoffice("onboard", str(EXAMPLE), "--port", str(stack.port))
    assert again.returncode == 2 and "already onboarded" in again.stderr
    saraban = token(stack, "dga-sample", "dga.saraban")
    me = call(stack, "GET", "/v1/me", saraban).json()
    assert me["agency"]["id"] == "dga-sample" and me["name"] == "นางมาลี ส่งเสริม"
    registered = call(
        stack,
        "POST",
        "/v1/registers/outgoing/entries",
        saraban,
        json={"document": {"kind": "external", "subject": "ขอเชิญประชุม", "owner_unit_id": "standards"}},
    )
    assert registered.status_code == 201, registered.text
    assert registered.json()["ref_line"].startswith("ที่ นร 5301.2/")
    letterhead = call(stack, "GET", "/v1/agency/letterhead", token(stack, "dga-sample", "dga.admin")).json()
    assert letterhead["emblem"] and letterhead["telephone"] == "0 2612 6000"
    # Isolated both ways: neither sees the other's documents.
    document_id = registered.json()["document_id"]
    ops = stack.token("mdes-ops", "ops.saraban")
    assert call(stack, "GET", f"/v1/documents/{document_id}", ops).status_code == 404
    theirs = stack.call(
        "POST",
        "/v1/registers/outgoing/entries",
        ("mdes-ops", "ops.saraban"),
        json={"document": {"kind": "external", "subject": "ภายในหน่วยงาน", "owner_unit_id": "policy"}},
    )
    assert call(stack, "GET", f"/v1/documents/{theirs.json()['document_id']}", saraban).status_code == 404
    # The signers' keys wait for their certificate: a CSR is made through KMS.
    csr = eoffice(
        "keys", "csr", "--port", str(stack.port), "--agency", "dga-sample", "--user", "dga.director"
    )
    assert csr.returncode == 0 and csr.stdout.startswith("-----BEGIN CERTIFICATE REQUEST-----"), csr.stderr
    # Offboarding disables the people and keeps the records.
    gone = eoffice("offboard", "dga-sample", "--port", str(stack.port))
    assert gone.returncode == 0 and "5 people disabled" in gone.stdout, gone.stderr
    # A token issued before is refused (the directory has them inactive); no new one is issued.
    assert call(stack, "GET", "/v1/me", saraban).status_code == 403
    refused = eoffice("token", "--port", str(stack.port), "--agency", "dga-sample", "--user", "dga.saraban")
    assert refused.returncode == 2 and refused.stderr.startswith("dga.saraban: no token"), refused.stderr
    state = read_state(stack.port)
    table = operator_session(state).client("dynamodb", endpoint_url=state.backend_url)
    kept = table.get_item(
        TableName=state.function_environment["EOFFICE_TABLE_RECORDS"],
        Key={"pk": {"S": "dga-sample"}, "sk": {"S": "AGENCY"}},
    )
    assert "Item" in kept and "offboarded_at" in kept["Item"]["settings"]["S"]


def test_a_batch_is_onboarded_and_a_rerun_skips_what_is_there(stack: Stack, tmp_path: Path) -> None:
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    (tmp_path / "emblem-sample.svg").write_bytes((ROOT / "examples" / "emblem-sample.svg").read_bytes())
    files = []
    for i in range(3):
        data = {**example, "id": f"batch-{i}"}
        data.pop("ecms")  # an e-CMS department id belongs to one agency only
        data["people"] = [
            {**p, "username": f"batch{i}.{p['username'].split('.')[-1]}"} for p in example["people"]
        ]
        path = tmp_path / f"batch-{i}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        files.append(str(path))
    first = eoffice("onboard", *files[:2], "--port", str(stack.port))
    assert first.returncode == 0 and "2 onboarded, 0 already there, 0 failed" in first.stdout, first.stderr
    resumed = eoffice("onboard", *files, "--port", str(stack.port))
    assert resumed.returncode == 0 and "1 onboarded, 2 already there, 0 failed" in resumed.stdout, (
        resumed.stdout
    )
    assert call(stack, "GET", "/v1/me", token(stack, "batch-2", "batch2.saraban")).status_code == 200


def test_an_e_cms_department_id_belongs_to_one_agency(stack: Stack, tmp_path: Path) -> None:
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    (tmp_path / "emblem-sample.svg").write_bytes((ROOT / "examples" / "emblem-sample.svg").read_bytes())
    paths = []
    for name in ("dup-a", "dup-b"):
        data = {**example, "id": name, "ecms": {"ministry_id": "13", "department_id": "0013799999"}}
        data["people"] = [
            {**p, "username": f"{name}.{p['username'].split('.')[-1]}"} for p in example["people"]
        ]
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        paths.append(str(path))
    assert eoffice("onboard", paths[0], "--port", str(stack.port)).returncode == 0
    second = eoffice("onboard", paths[1], "--port", str(stack.port))
    assert second.returncode != 0
    assert "0013799999 already belongs to agency 'dup-a'" in second.stdout + second.stderr
    assert "nothing was created" in second.stdout + second.stderr
