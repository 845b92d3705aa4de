"""Start a local stack in a subprocess and wait until it serves (for tests and benchmarks)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from devstack.stack import FUNCTIONS, ROOT, free_port


@dataclass(frozen=True)
class RunningStack:
    url: str
    port: int


class StackDidNotStart(RuntimeError):
    pass


@contextmanager
def local_stack(timeout: float = 90.0) -> Iterator[RunningStack]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(FUNCTIONS)])}
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "devstack.cli", "dev", "--port", str(port), "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if line.startswith("ready "):
            break
    if process.poll() is not None or not lines or not lines[-1].startswith("ready "):
        process.kill()
        raise StackDidNotStart("the local stack did not start:\n" + "".join(lines[-40:]))
    stream = process.stdout
    # Keep draining the stack's output so that it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in stream], daemon=True).start()
    try:
        yield RunningStack(lines[-1].split()[1], port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
