"""The local API server under concurrency: each request sees only its own state, bursts of
connections are accepted, and unknown methods get a problem answer."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

ROUNDS = 20
POST_ROUNDS = 4
CONNECTIONS = 64


def demo_users(stack: Stack) -> list[tuple[str, str, str]]:
    """(agency, username, sub) for every demo user of both agencies, with their tokens fetched."""
    from devstack.stack import read_state

    state = read_state(stack.port)
    users = [(str(info["agency"]), name, str(info["sub"])) for name, info in sorted(state.users.items())]
    assert len(users) >= 16 and {agency for agency, _, _ in users} == {"mdes-ops", "mdes-dept"}
    for agency, name, _ in users:
        stack.token(agency, name)  # fetched up front: the rounds then only talk to the API
    return users


def lock_step(
    users: list[tuple[str, str, str]],
    rounds: int,
    call: Callable[[requests.Session, tuple[str, str, str], int], list[str]],
) -> list[str]:
    """Every user makes one call per round, all released together; the problems found, if any."""
    barrier = threading.Barrier(len(users), timeout=30)
    problems: list[str] = []
    lock = threading.Lock()

    def client(user: tuple[str, str, str]) -> None:
        # A fresh connection per call: the threaded server then runs the calls on different threads.
        with requests.Session() as session:
            for index in range(rounds):
                try:
                    barrier.wait()
                    found = call(session, user, index)
                except threading.BrokenBarrierError:
                    return
                except Exception as error:  # reported below with the caller
                    found = [f"{user[1]} round {index}: {error!r}"]
                    barrier.abort()
                if found:
                    with lock:
                        problems.extend(found)
                session.close()

    threads = [threading.Thread(target=client, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return problems


def test_concurrent_callers_each_get_their_own_identity(stack: Stack) -> None:
    users = demo_users(stack)

    def me(session: requests.Session, user: tuple[str, str, str], index: int) -> list[str]:
        agency, name, sub = user
        answer = session.get(
            f"{stack.url}/v1/me",
            headers={"Authorization": f"Bearer {stack.token(agency, name)}", "Connection": "close"},
            timeout=30,
        )
        if answer.status_code != 200:
            return [f"{name} round {index}: {answer.status_code} {answer.text[:200]}"]
        body: dict[str, Any] = answer.json()
        got = (body.get("user_id"), body.get("username"), (body.get("agency") or {}).get("id"))
        if got != (sub, name, agency):
            return [f"{name} round {index}: answered as {got}"]
        return []

    problems = lock_step(users, ROUNDS, me)
    assert not problems, f"{len(problems)} of {len(users) * ROUNDS} answers were wrong:\n" + "\n".join(
        problems[:20]
    )


def test_concurrent_posts_each_keep_their_own_body_and_author(stack: Stack) -> None:
    users = demo_users(stack)

    def create(session: requests.Session, user: tuple[str, str, str], index: int) -> list[str]:
        agency, name, sub = user
        subject = f"บันทึกทดสอบพร้อมกัน {name} รอบ {index}"
        answer = session.post(
            f"{stack.url}/v1/documents",
            headers={"Authorization": f"Bearer {stack.token(agency, name)}", "Connection": "close"},
            json={"kind": "internal", "subject": subject},
            timeout=30,
        )
        if answer.status_code != 201:
            return [f"{name} round {index}: {answer.status_code} {answer.text[:200]}"]
        body: dict[str, Any] = answer.json()
        if (body.get("subject"), body.get("created_by")) != (subject, sub):
            return [f"{name} round {index}: got {body.get('subject')!r} by {body.get('created_by')}"]
        return []

    problems = lock_step(users, POST_ROUNDS, create)
    assert not problems, f"{len(problems)} of {len(users) * POST_ROUNDS} answers were wrong:\n" + "\n".join(
        problems[:20]
    )


def burst(host: str, port: int, count: int) -> list[tuple[str, float]]:
    """`count` clients connect at once and ask for /v1/health: each one's status line (or error)
    and how long its connect took."""
    barrier = threading.Barrier(count, timeout=30)
    answers: list[tuple[str, float]] = []
    lock = threading.Lock()
    request = f"GET /v1/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()

    def connect() -> None:
        barrier.wait()
        started = time.monotonic()
        connected = float("nan")
        try:
            with socket.create_connection((host, port), timeout=20) as sock:
                connected = time.monotonic() - started
                sock.sendall(request)
                received = b""
                while chunk := sock.recv(65536):
                    received += chunk
            answer = received.split(b"\r\n", 1)[0].decode("latin-1")
        except OSError as error:
            answer = repr(error)
        with lock:
            answers.append((answer, connected))

    threads = [threading.Thread(target=connect) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_a_burst_of_connections_is_accepted(stack: Stack) -> None:
    host = urlsplit(stack.url).hostname or "127.0.0.1"
    for _ in range(3):
        answers = burst(host, stack.port, CONNECTIONS)
        failed = [answer for answer, _ in answers if not answer.startswith("HTTP/1.1 200")]
        assert len(answers) == CONNECTIONS and not failed, (
            f"{len(failed)} of {CONNECTIONS} failed: {failed[:5]}"
        )
        # A connect dropped by a full accept queue is retried by the kernel after 1 s.
        slow = [seconds for _, seconds in answers if not seconds < 1.0]
        assert not slow, f"{len(slow)} of {CONNECTIONS} connects waited for a SYN retry: {slow[:5]}"


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs iproute2's ss to read the listen backlog")
def test_the_listen_backlog_fits_the_benchmark(stack: Stack) -> None:
    listing = subprocess.run(
        ["ss", "-Hltn", f"sport = :{stack.port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    # State Recv-Q Send-Q Local Peer; for a listening socket Send-Q is the backlog.
    assert listing and int(listing[2]) >= 128, listing


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "BREW"])
def test_an_unknown_method_gets_a_405_problem(stack: Stack, method: str) -> None:
    started = time.monotonic()
    answer = requests.request(method, f"{stack.url}/v1/me", timeout=10)
    assert answer.status_code == 405, answer.text
    assert answer.headers["Content-Type"] == "application/problem+json; charset=utf-8"
    assert "GET" in [m.strip() for m in answer.headers["Allow"].split(",")]
    problem = answer.json()
    assert problem["type"] == "https://eoffice.go.th/problems/method-not-allowed"
    assert (problem["status"], problem["code"]) == (405, "method-not-allowed")
    assert method in problem["detail"] and problem["title"] and problem["title_th"] and problem["detail_th"]
    assert time.monotonic() - started < 5
    # The connection stays usable after the refusal.
    with requests.Session() as session:
        assert session.request(method, f"{stack.url}/v1/health", timeout=10).status_code == 405
        assert session.get(f"{stack.url}/v1/health", timeout=10).status_code == 200
