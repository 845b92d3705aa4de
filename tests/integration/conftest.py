"""Integration tests run against the local stack over HTTP, started once for the session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import requests


@dataclass(frozen=True)
class Stack:
    url: str
    port: int

    @cache  # noqa: B019 (one token per user for the session; tokens last an hour)
    def token(self, agency: str, user: str) -> str:
        from devstack.demo import DEMO_PASSWORD
        from devstack.stack import operator_session, read_state

        state = read_state(self.port)
        client = operator_session(state).client("cognito-idp", endpoint_url=state.backend_url)
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
        from devstack.stack import operator_session, read_state

        state = read_state(self.port)
        return operator_session(state), state.backend_url


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    from devstack.launch import StackDidNotStart, local_stack

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    try:
        with local_stack() as running:
            yield Stack(running.url, running.port)
    except StackDidNotStart as error:
        pytest.fail(str(error))


OPS_SARABAN = ("mdes-ops", "ops.saraban")
OPS_STAFF = ("mdes-ops", "ops.staff1")
OPS_STAFF2 = ("mdes-ops", "ops.staff2")
OPS_SECRET = ("mdes-ops", "ops.secret")
OPS_DIRECTOR = ("mdes-ops", "ops.director")
OPS_ADMIN = ("mdes-ops", "ops.admin")
OPS_RECORDS = ("mdes-ops", "ops.records")
DEPT_SARABAN = ("mdes-dept", "dept.saraban")
DEPT_STAFF = ("mdes-dept", "dept.staff1")
