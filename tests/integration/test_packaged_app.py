"""The packaged app (what `chalice package` ships for prod) with its packaged environment, run as
Lambda runs it against the local stack: its environment comes from the platform stack's exports, and
it answers /v1/me for an ID token of the user pool."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from devstack.iam import role_name
from devstack.stack import ROOT, StackState, operator_session, read_state
from infra.resources import cloudformation_template
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

# Lambda calls the handler with an API Gateway proxy event; this is the one for GET /v1/me.
INVOKE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import app
event = json.loads(sys.argv[2])
class Context:
    function_name = "api_handler"; memory_limit_in_mb = 1024; aws_request_id = "packaged-test"
    invoked_function_arn = "arn:aws:lambda:ap-southeast-7:123456789012:function:api_handler"
    def get_remaining_time_in_millis(self): return 29000
print(json.dumps(app.app(event, Context())))
"""


def proxy_event(path: str, token: str) -> dict[str, Any]:
    return {
        "resource": path,
        "path": path,
        "httpMethod": "GET",
        "headers": {"Authorization": f"Bearer {token}", "Host": "api.example"},
        "multiValueHeaders": {"Authorization": [f"Bearer {token}"], "Host": ["api.example"]},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": "GET",
            "stage": "prod",
            "requestId": "packaged-test",
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def role_credentials(state: StackState, function: str) -> dict[str, str]:
    session = operator_session(state)
    arn = session.client("iam", endpoint_url=state.backend_url).get_role(RoleName=role_name(function))
    sts = session.client("sts", endpoint_url=state.backend_url)
    credentials = sts.assume_role(RoleArn=arn["Role"]["Arn"], RoleSessionName="packaged")["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
        "AWS_SESSION_TOKEN": credentials["SessionToken"],
    }


def test_the_packaged_app_answers_me_for_a_token_of_the_pool(stack: Stack, tmp_path: Path) -> None:
    state = read_state(stack.port)
    out = tmp_path / "out"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "chalice"),
            "--project-dir",
            str(ROOT / "functions"),
            "package",
            "--stage",
            "prod",
            "--merge-template",
            str(ROOT / "chalice_config" / "merge-template.json"),
            str(out),
        ],
        env={**os.environ, "AWS_DEFAULT_REGION": "ap-southeast-7"},
        check=True,
        capture_output=True,
    )
    sam = json.loads((out / "sam.json").read_text())
    packaged = sam["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    # Every value the functions import is exported by the platform stack.
    exported = {o["Export"]["Name"] for o in cloudformation_template("prod")["Outputs"].values()}
    imports = {k: v["Fn::ImportValue"] for k, v in packaged.items() if isinstance(v, dict)}
    assert {"EOFFICE_OIDC_ISSUER", "EOFFICE_OIDC_AUDIENCE", "EOFFICE_TABLE_RECORDS"} <= set(imports)
    assert set(imports.values()) <= exported, set(imports.values()) - exported
    # On the local stack each export's value is what the local stack made for it.
    environment = {
        variable: (state.function_environment[variable] if isinstance(value, dict) else value)
        for variable, value in packaged.items()
    }
    code = tmp_path / "task"
    with zipfile.ZipFile(out / "deployment.zip") as archive:
        archive.extractall(code)
    local_plumbing = {  # what only the laptop needs: where AWS is, and the pool's keys offline
        "AWS_ENDPOINT_URL": state.backend_url,
        "AWS_REGION": state.region,
        "AWS_DEFAULT_REGION": state.region,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "EOFFICE_OIDC_JWKS_URL": state.function_environment["EOFFICE_OIDC_JWKS_URL"],
    }
    token = stack.token("mdes-ops", "ops.saraban")
    answer = subprocess.run(
        [sys.executable, "-S", "-c", INVOKE, str(code), json.dumps(proxy_event("/v1/me", token))],
        env={
            "PATH": os.environ["PATH"],
            **environment,
            **local_plumbing,
            **role_credentials(state, "api_handler"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    response = json.loads(answer.stdout.strip().splitlines()[-1])
    assert response["statusCode"] == 200, response
    me = json.loads(response["body"])
    assert me["agency"]["id"] == "mdes-ops" and me["user_id"] == state.users["ops.saraban"]["sub"], me
