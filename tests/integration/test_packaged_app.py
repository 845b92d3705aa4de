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
from infra.chalice_config import logical_id
from infra.package import FUNCTION_LAYERS
from infra.resources import cloudformation_template
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

# Lambda calls the handler with an API Gateway proxy event; this is the one for GET /v1/me.
INVOKE = """
import json, sys
import app
event = json.loads(sys.argv[1])
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


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m infra.package`: the function zip (app code and .pyc) and its layers, as CI builds them."""
    out = tmp_path_factory.mktemp("package") / "out"
    subprocess.run(
        [sys.executable, "-m", "infra.package", str(out)],
        cwd=ROOT,
        env={**os.environ, "AWS_DEFAULT_REGION": "ap-southeast-7"},
        check=True,
        capture_output=True,
    )
    for archive in [out / "deployment.zip", *(out / "layers").glob("*.zip")]:
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(out / "unzipped" / archive.stem)
    return out


def run_packaged(
    packaged: Path, function: str, script: str, *args: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run code as the function runs in Lambda: its zip's code and only its layers' packages (no
    site-packages of the test environment)."""
    paths = [packaged / "unzipped" / "deployment"]
    paths += [packaged / "unzipped" / layer / "python" for layer in FUNCTION_LAYERS[function]]
    prelude = f"import sys; sys.path[:0] = {[str(p) for p in paths]!r}\n"
    return subprocess.run(
        [sys.executable, "-S", "-c", prelude + script, *args],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def packaged_environment(packaged: Path, state: StackState, function: str) -> dict[str, str]:
    """The function's environment as packaged, each import resolved to the local stack's value, plus
    what only the laptop needs (where AWS is, the pool's keys offline) and the role's credentials."""
    sam = json.loads((packaged / "sam.json").read_text())
    logical = logical_id(function)
    variables = sam["Resources"][logical]["Properties"]["Environment"]["Variables"]
    environment = {
        variable: (state.function_environment[variable] if isinstance(value, dict) else value)
        for variable, value in variables.items()
    }
    return {
        **environment,
        "AWS_ENDPOINT_URL": state.backend_url,
        "AWS_REGION": state.region,
        "AWS_DEFAULT_REGION": state.region,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "EOFFICE_OIDC_JWKS_URL": state.function_environment["EOFFICE_OIDC_JWKS_URL"],
        **role_credentials(state, function),
    }


def test_the_packaged_app_answers_me_for_a_token_of_the_pool(stack: Stack, packaged: Path) -> None:
    state = read_state(stack.port)
    sam = json.loads((packaged / "sam.json").read_text())
    packaged_variables = sam["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    # Every value the functions import is exported by the platform stack.
    exported = {o["Export"]["Name"] for o in cloudformation_template("prod")["Outputs"].values()}
    imports = {
        k: v["Fn::ImportValue"]
        for k, v in packaged_variables.items()
        if isinstance(v, dict) and "Fn::ImportValue" in v
    }
    assert packaged_variables["EOFFICE_ECMS_URL"] == {"Ref": "EcmsUrl"}  # the deployment's own node
    assert {"EOFFICE_OIDC_ISSUER", "EOFFICE_OIDC_AUDIENCE", "EOFFICE_TABLE_RECORDS"} <= set(imports)
    assert set(imports.values()) <= exported, set(imports.values()) - exported
    # The zip holds the app's code, compiled, and no dependency.
    task = packaged / "unzipped" / "deployment"
    assert (task / "chalicelib" / "kernel" / "__pycache__").is_dir()
    assert not (task / "pydantic").exists() and not (task / "pyhanko").exists()
    token = stack.token("mdes-ops", "ops.saraban")
    answer = run_packaged(
        packaged,
        "api_handler",
        INVOKE,
        json.dumps(proxy_event("/v1/me", token)),
        env=packaged_environment(packaged, state, "api_handler"),
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    response = json.loads(answer.stdout.strip().splitlines()[-1])
    assert response["statusCode"] == 200, response
    me = json.loads(response["body"])
    assert me["agency"]["id"] == "mdes-ops" and me["user_id"] == state.users["ops.saraban"]["sub"], me


SCHEDULED = """
import json, sys, app
class Context:
    function_name = sys.argv[1]; memory_limit_in_mb = 512; aws_request_id = "packaged-test"
    invoked_function_arn = "arn:aws:lambda:ap-southeast-7:123456789012:function:" + sys.argv[1]
    def get_remaining_time_in_millis(self): return 290000
event = {"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
         "account": "123456789012", "time": "2026-11-29T00:00:00Z", "region": "ap-southeast-7",
         "resources": [], "detail": {}}
print(json.dumps(getattr(app, sys.argv[1])(event, Context()), default=str))
"""


@pytest.mark.parametrize(
    "function",
    [
        "clean_up",
        "flag_overdue",
        "poll_ecms",
        "send_notifications",
        "renew_timestamps",
        "retire_signing_keys",
    ],
)
def test_a_scheduled_function_runs_with_the_common_layer_alone(
    stack: Stack, packaged: Path, function: str
) -> None:
    state = read_state(stack.port)
    ran = run_packaged(
        packaged, function, SCHEDULED, function, env=packaged_environment(packaged, state, function)
    )
    assert ran.returncode == 0, ran.stderr[-3000:]


def test_the_common_layer_seals_and_opens_classified_letters(packaged: Path) -> None:
    """The Encryption SDK (kernel/envelope.py) is in the common layer every function has."""
    script = "from chalicelib.kernel import envelope\nprint(type(envelope._client()).__name__)"
    ran = run_packaged(packaged, "deliver_letters", script, env={})
    assert ran.returncode == 0 and ran.stdout.strip() == "EncryptionSDKClient", ran.stderr[-3000:]


def test_the_documents_layer_breaks_thai_as_the_tests_do(packaged: Path) -> None:
    """The layer leaves PyThaiNLP's unused corpora out: line breaking still reads its word list."""
    from chalicelib.pdf.thai_text import thai_words

    text = "สำนักงานพัฒนารัฐบาลดิจิทัลขอเชิญประชุมคณะกรรมการพิจารณาร่างมาตรฐาน"
    script = (
        "import json, sys\nfrom chalicelib.pdf.thai_text import thai_words\n"
        "print(json.dumps(thai_words(sys.argv[1])))"
    )
    ran = run_packaged(packaged, "sign_documents", script, text, env={})
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert json.loads(ran.stdout) == thai_words(text)
    # A SnapStart init of the sign worker imports the signing toolkit into the snapshot (app.py).
    primed = run_packaged(
        packaged,
        "sign_documents",
        "import sys, app; print('chalicelib.signing.pades' in sys.modules, 'pyhanko.sign' in sys.modules)",
        env={"AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start", "AWS_DEFAULT_REGION": "ap-southeast-7"},
    )
    assert primed.returncode == 0 and primed.stdout.split() == ["True", "True"], primed.stderr[-3000:]


@pytest.mark.parametrize(
    ("function", "module"),
    [("deliver_letters", "chalicelib.exchange.worker"), ("take_in_mail", "chalicelib.exchange.mail_worker")],
)
def test_the_exchange_workers_load_with_the_common_layer_alone(
    packaged: Path, function: str, module: str
) -> None:
    ran = run_packaged(
        packaged, function, f"import app, {module}", env={"AWS_DEFAULT_REGION": "ap-southeast-7"}
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
