"""The local stack: embedded AWS backend, resources, demo data, the HTTP API and the event pump.

`eoffice dev` runs it until Ctrl-C; tests start it the same way in a subprocess.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"
REGION = "ap-southeast-7"


@dataclass(frozen=True)
class StackState:
    api_url: str
    backend_url: str
    region: str
    user_pool_id: str
    client_id: str
    users: dict[str, dict[str, Any]]  # username -> {agency, sub, name, position, roles, clearance}
    pid: int
    function_environment: dict[str, str]  # what every function process gets, besides its role's credentials
    websocket_url: str = ""  # the WebSocket API (push): devstack/websocket_gateway.py


def state_path(port: int) -> Path:
    return Path(tempfile.gettempdir()) / f"eoffice-dev-{port}.json"


def read_state(port: int) -> StackState:
    path = state_path(port)
    if not path.exists():
        raise SystemExit(f"no local stack on port {port}: start it with `eoffice dev --port {port}`")
    return StackState(**json.loads(path.read_text(encoding="utf-8")))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the embedded backend exited with code {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit("the embedded backend did not start in time")


def operator_session(state: StackState) -> Any:
    """A boto3 session on the stack's backend as its operator (tests and tools; not the functions)."""
    import boto3

    from devstack.iam import OPERATOR_KEY

    return boto3.Session(
        aws_access_key_id=OPERATOR_KEY, aws_secret_access_key=OPERATOR_KEY, region_name=state.region
    )


def _fake_ecms_node(session: Any) -> tuple[Any, str, str]:
    """The fake e-CMS node, wanting credentials as a real one does; they sit in Secrets Manager, named
    by EOFFICE_ECMS_SECRET as in a deployment (infra/chalice_config.py, EcmsSecretName)."""
    import secrets as token_source

    from devstack.ecms_node import start_fake_node
    from devstack.resources import STAGE
    from infra.resources import resource_name

    password = token_source.token_urlsafe(16)
    secret = resource_name(STAGE, "ecms-node")
    credentials = {"username": "eoffice-platform", "password": password}
    session.client("secretsmanager").create_secret(Name=secret, SecretString=json.dumps(credentials))
    server, _, url = start_fake_node(username="eoffice-platform", password=password)
    return server, url, secret


def aws_environment(backend_url: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": backend_url,
        # The stack's operator (devstack/iam.py allows it everything); the functions run with their roles'.
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        # botocore would send stream calls to an account-specific host the backend does not route
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "POWERTOOLS_METRICS_NAMESPACE": "eOffice",
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
    }


def _websocket_ports(port: int) -> tuple[int, int]:
    """The WebSocket API next to the HTTP API (port + 1) when that is free; its management API anywhere."""
    with socket.socket() as sock:
        taken = sock.connect_ex(("127.0.0.1", port + 1)) == 0
    return (free_port() if taken or port + 1 > 65535 else port + 1), free_port()


def run(port: int, *, announce: bool = True) -> None:
    started = time.monotonic()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    backend_port = free_port()
    websocket_port, management_port = _websocket_ports(port)
    backend = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [
            *(sys.executable, "-m", "devstack.backend", "--port", str(backend_port), "--enforce-iam"),
            *("--execute-api-url", f"http://127.0.0.1:{management_port}"),  # the WebSocket API's management
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(FUNCTIONS)])},
    )
    stop = threading.Event()

    def shutdown(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, shutdown)
    signal.signal(signal.SIGTERM, shutdown)
    functions: list[subprocess.Popen[str]] = []
    closers: list[Any] = []
    try:
        _wait_for_port(backend_port, backend)
        backend_url = f"http://127.0.0.1:{backend_port}"
        os.environ.update(aws_environment(backend_url))
        state, closers, functions = _start(port, backend_url, websockets=(websocket_port, management_port))
        state_path(port).write_text(json.dumps(asdict(state), ensure_ascii=False), encoding="utf-8")
        if announce:  # the demo (not the tests' quiet stacks): work waiting, rooms, assets, meetings
            _demo_data(state)
            _announce(state, time.monotonic() - started)
        else:
            print(f"ready {state.api_url}", flush=True)
        while not stop.is_set() and backend.poll() is None and all(f.poll() is None for f in functions):
            stop.wait(0.5)
    finally:
        state_path(port).unlink(missing_ok=True)
        processes: list[subprocess.Popen[Any]] = [*functions, backend]
        for process in processes:
            _end(process)
        for close in closers:
            close()
        print("local stack stopped", flush=True)


# Each is `seed(state, token)`, made over HTTP as the demo users (devstack/demo_<area>.py).
DEMO_SEEDS = ("demo_letters", "demo_assets", "demo_bookings", "demo_meetings")


def _demo_data(state: StackState) -> None:
    import importlib

    from devstack import demo

    cognito = operator_session(state).client("cognito-idp", endpoint_url=state.backend_url)

    def token(username: str) -> str:
        answer = cognito.admin_initiate_auth(
            UserPoolId=state.user_pool_id,
            ClientId=state.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": demo.DEMO_PASSWORD},
        )
        return str(answer["AuthenticationResult"]["IdToken"])

    for name in DEMO_SEEDS:
        try:
            importlib.import_module(f"devstack.{name}").seed(state, token)
        except Exception:  # the demo's data is a courtesy: the stack runs without it
            logging.getLogger(__name__).warning("the demo data %s could not be made", name, exc_info=True)


def _end(process: subprocess.Popen[Any]) -> None:
    if process.stdin is not None:
        process.stdin.close()  # a function process stops when its input closes
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def _start(
    port: int, backend_url: str, *, websockets: tuple[int, int] = (0, 0)
) -> tuple[StackState, list[Any], list[subprocess.Popen[str]]]:
    """Resources, roles, demo data as the stack's operator; then each function in its own process with
    its role's credentials (devstack/function.py), against the backend that enforces IAM."""
    import boto3

    from devstack import demo
    from devstack.iam import function_credentials
    from devstack.resources import MAIL_DOMAIN, STAGE, create_all
    from infra.chalice_config import LOCAL_WEBSOCKET_API_ID, policies
    from infra.resources import environment

    session = boto3.Session(region_name=REGION)
    resources = create_all(session)
    issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{resources.user_pool_id}"

    ecms_server, ecms_url, ecms_secret = _fake_ecms_node(session)
    shared = {
        **aws_environment(backend_url),
        "EOFFICE_ECMS_URL": ecms_url,  # the fake e-CMS node (devstack/ecms_node.py)
        "EOFFICE_ECMS_SECRET": ecms_secret,
        "EOFFICE_MAIL_FROM": f"no-reply@{MAIL_DOMAIN}",  # verified in the embedded SES
        "EOFFICE_APP_URL": "",  # no web application yet: e-mail carries no link
        **environment(STAGE),
        "EOFFICE_OIDC_ISSUER": issuer,
        "EOFFICE_OIDC_AUDIENCE": resources.user_pool_client_id,
        "EOFFICE_OIDC_JWKS_URL": f"{backend_url}/{resources.user_pool_id}/.well-known/jwks.json",
        "EOFFICE_RECORDS_STREAM_ARN": resources.records_stream_arn,
        # The WebSocket API's management API, through the backend (IAM decided there, as on AWS).
        "EOFFICE_WEBSOCKET_ENDPOINT": f"{backend_url}/_devstack/execute-api/{LOCAL_WEBSOCKET_API_ID}/{STAGE}",
    }
    for secret in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        shared.pop(secret)  # a function has its role's, never the operator's
    os.environ.update(shared)
    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))
    from chalicelib.kernel import ddb

    from devstack import signing_setup
    from devstack.iam import ACCOUNT, role_name
    from onboarding.apply import Target

    ddb.bind()
    credentials = function_credentials(session, policies(STAGE))
    target = Target(
        session,
        STAGE,
        resources.user_pool_id,
        f"arn:aws:iam::{ACCOUNT}:role/{role_name('sign_documents')}",
        f"arn:aws:iam::{ACCOUNT}:root",
        local=True,
        local_password=demo.DEMO_PASSWORD,
    )
    onboarded = demo.onboard_all(target)  # the same path as `eoffice onboard`
    subs = {username: sub for done in onboarded.values() for username, sub in done.users.items()}
    pki_server, signer_setups = signing_setup.provision(session, onboarded)
    signing_setup.certify(session, pki_server.pki, signer_setups)
    processes = []
    api_port = port
    invoke_urls: dict[str, str] = {}
    try:
        for name, role in credentials.items():
            command = [sys.executable, "-m", "devstack.function", "--function", name]
            command += ["--port", str(port)] if name == "api_handler" else []
            command += ["--failure-queue", resources.queue_urls["stream-failures"]]
            processes.append(
                subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                    command,
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    env=function_process_environment(shared, role),
                )
            )
        for name, process in zip(credentials, processes, strict=True):
            assert process.stdout is not None
            line = process.stdout.readline().split()
            if not line or line[0] != "ready":
                raise RuntimeError(f"function {name} did not start (exit {process.poll()})")
            if name == "api_handler":
                api_port = int(line[1])
            elif name.startswith("websocket_"):  # invoked by the WebSocket API (devstack/function.py)
                invoke_urls[name] = f"http://127.0.0.1:{line[1]}"
        gateway = _websocket_gateway(invoke_urls, websockets)
    except BaseException:
        for process in processes:
            _end(process)
        raise
    users = {
        user.username: {
            "agency": agency.id,
            "sub": subs[user.username],
            "name": user.name,
            "position": user.position,
            "units": list(user.units),
            "roles": list(user.roles),
            "clearance": ["normal", "confidential", "secret"][user.clearance],
        }
        for agency in demo.AGENCIES
        for user in agency.users
    }
    state = StackState(
        api_url=f"http://127.0.0.1:{api_port}",
        backend_url=backend_url,
        region=REGION,
        user_pool_id=resources.user_pool_id,
        client_id=resources.user_pool_client_id,
        users=users,
        pid=os.getpid(),
        function_environment=shared,
        websocket_url=f"ws://127.0.0.1:{gateway.port}",
    )
    return state, [pki_server.close, ecms_server.shutdown, gateway.close], processes


def _websocket_gateway(invoke_urls: dict[str, str], ports: tuple[int, int]) -> Any:
    """The local WebSocket API (push), invoking the WebSocket functions' processes."""
    from devstack.resources import STAGE
    from devstack.websocket_gateway import Gateway
    from infra.chalice_config import LOCAL_WEBSOCKET_API_ID

    gateway = Gateway(LOCAL_WEBSOCKET_API_ID, STAGE, REGION)
    gateway.wire(invoke_urls)
    gateway.start(*ports)
    return gateway


def function_process_environment(shared: dict[str, str], role: dict[str, str]) -> dict[str, str]:
    """A function's process environment: this one's PATH and the like, the stack's settings, its role's
    credentials (and nothing of the operator's)."""
    own = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return {**own, **shared, **role, "PYTHONPATH": os.pathsep.join([str(ROOT), str(FUNCTIONS)])}


def _announce(state: StackState, seconds: float) -> None:
    from devstack import demo

    print(f"\ne-Office local stack ready in {seconds:.1f} s")
    print(f"  web app  {state.api_url}/   (sign in as a demo user below)")
    print(f"  API      {state.api_url}/v1   (OpenAPI: {state.api_url}/v1/openapi.json)")
    print(f"  backend  {state.backend_url}  (embedded AWS: DynamoDB, S3, SQS, KMS, Cognito, SES)")
    print(f"  push     {state.websocket_url}   (WebSocket: subprotocols eoffice.v1 and an ID token)")
    print(f"  e-mail   {state.backend_url}/_devstack/ses   (what SES sent: notifications)")
    node = state.function_environment.get("EOFFICE_ECMS_URL")
    print(f"  e-CMS    {node}   (a fake node; letters from outside: POST {node}/outside)")
    for agency in demo.AGENCIES:
        print(f"\n  {agency.id}  {agency.name}")
        for user in agency.users:
            print(f"    {user.username:<15} {', '.join(user.roles):<15} {user.name} ({user.position})")
    print(f"\n  password for every demo user: {demo.DEMO_PASSWORD}")
    print("  a token:  eoffice token --agency mdes-ops --user ops.saraban")
    print("  Ctrl-C stops everything.\n", flush=True)
