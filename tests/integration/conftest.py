"""Integration tests run against the local stack over HTTP, started once for the session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Stack:
    url: str
    port: int

    @cache  # noqa: B019 (one token per user for the session; tokens last an hour)
    def token(self, agency: str, user: str) -> str:
        import boto3

        from devstack.demo import DEMO_PASSWORD
        from devstack.stack import read_state

        state = read_state(self.port)
        client = boto3.client("cognito-idp", region_name=state.region, endpoint_url=state.backend_url)
        answer = client.admin_initiate_auth(
            UserPoolId=state.user_pool_id,
            ClientId=state.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user, "PASSWORD": DEMO_PASSWORD},
        )
        assert state.users[user]["agency"] == agency
        return str(answer["AuthenticationResult"]["IdToken"])

    def call(
        self, method: str, path: str, user: tuple[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if user is not None:
            headers["Authorization"] = f"Bearer {self.token(*user)}"
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=30, **kwargs)

    def backend(self) -> Any:
        import boto3

        from devstack.stack import read_state

        state = read_state(self.port)
        return boto3.Session(region_name=state.region), state.backend_url


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    from devstack.stack import free_port

    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "functions")])}
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack.cli", "dev", "--port", str(port), "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 90
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if line.startswith("ready "):
            break
    else:
        process.kill()
    if process.poll() is not None or not lines or not lines[-1].startswith("ready "):
        process.kill()
        pytest.fail("the local stack did not start:\n" + "".join(lines[-40:]))
    # Keep draining the stack's output so it never blocks on a full pipe.
    import threading

    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    yield Stack(lines[-1].split()[1], port)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


OPS_SARABAN = ("mdes-ops", "ops.saraban")
OPS_STAFF = ("mdes-ops", "ops.staff1")
OPS_STAFF2 = ("mdes-ops", "ops.staff2")
OPS_SECRET = ("mdes-ops", "ops.secret")
OPS_DIRECTOR = ("mdes-ops", "ops.director")
DEPT_SARABAN = ("mdes-dept", "dept.saraban")
DEPT_STAFF = ("mdes-dept", "dept.staff1")
