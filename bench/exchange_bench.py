"""Exchange benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/exchange_bench.py [--agencies 500] [--single 40]

On a fresh local stack (IAM enforced, each function its own process and role), with --agencies
onboarded through `eoffice onboard` (a batch), one letter signed by mdes-ops's director:
1. send to one agency -> the letter sitting in that agency's incoming queue (the sender sees
   "delivered"): p50 and p99 over --single sends, each to another agency; the same clients' GET of the
   sends view (the HTTP floor) measured alongside as the baseline;
2. a circular to all the other agencies in one request: time until every delivery is in its
   recipient's queue, and deliveries per second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Client:
    def __init__(self, url: str, port: int) -> None:
        import requests

        self.url, self.port, self.http = url, port, requests.Session()
        self.tokens: dict[tuple[str, str], str] = {}

    def token(self, agency: str, user: str) -> str:
        if (agency, user) not in self.tokens:
            out = subprocess.check_output(
                [
                    sys.executable,
                    "-m",
                    "devstack.cli",
                    "token",
                    "--agency",
                    agency,
                    "--user",
                    user,
                    "--port",
                    str(self.port),
                ],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'functions'}"},
            )
            self.tokens[(agency, user)] = out.decode().strip()
        return self.tokens[(agency, user)]

    def call(self, method: str, path: str, user: tuple[str, str], **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token(*user)}"}
        answer = self.http.request(method, f"{self.url}{path}", headers=headers, timeout=60, **kwargs)
        return answer


def until(check: Any, timeout: float = 300, pause: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        time.sleep(pause)
    return value


def signed_letter(client: Client) -> str:
    from devstack.stack import read_state

    saraban, director = ("mdes-ops", "ops.saraban"), ("mdes-ops", "ops.director")
    signer = read_state(client.port).users["ops.director"]["sub"]
    made = client.call(
        "POST",
        "/v1/documents",
        saraban,
        json={
            "kind": "external",
            "subject": "ขอความร่วมมือตอบแบบสำรวจ",
            "recipient": {"position": "อธิบดี"},
            "owner_unit_id": "policy",
            "body": "ด้วยกระทรวงขอความร่วมมือตอบแบบสำรวจ\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            "signers": [signer],
        },
    ).json()
    document_id = made["id"]
    client.call("POST", "/v1/registers/outgoing/entries", saraban, json={"document_id": document_id})
    client.call("POST", f"/v1/documents/{document_id}/render", saraban)
    until(
        lambda: (
            (f := client.call("GET", f"/v1/documents/{document_id}", saraban).json()["files"])
            and f[0]["status"] == "ready"
        )
    )
    client.call("POST", f"/v1/documents/{document_id}/sign", director)
    until(
        lambda: client.call("GET", f"/v1/documents/{document_id}", saraban).json()["signatures"], timeout=120
    )
    return str(document_id)


def onboard(port: int, count: int, folder: Path) -> list[str]:
    import yaml

    example = yaml.safe_load((ROOT / "examples" / "agency.yaml").read_text(encoding="utf-8"))
    (folder / "emblem-sample.svg").write_bytes((ROOT / "examples" / "emblem-sample.svg").read_bytes())
    files, ids = [], []
    for i in range(count):
        data = {**example, "id": f"bench-{i:03d}", "name": f"หน่วยงานทดสอบ {i:03d}"}
        data.pop("ecms")  # an e-CMS department id belongs to one agency only
        data["people"] = [
            {**p, "username": f"bench{i:03d}.{p['username'].split('.')[-1]}", "signer": False}
            for p in example["people"]
        ]
        path = folder / f"bench-{i:03d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        files.append(str(path))
        ids.append(data["id"])
    subprocess.run(
        [sys.executable, "-m", "devstack.cli", "onboard", *files, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'functions'}"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=500)
    parser.add_argument("--single", type=int, default=40)
    args = parser.parse_args()
    from devstack.launch import local_stack

    saraban = ("mdes-ops", "ops.saraban")
    with local_stack() as stack, tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        ids = onboard(stack.port, args.agencies, Path(folder))
        onboarding = time.perf_counter() - started
        client = Client(stack.url, stack.port)
        document_id = signed_letter(client)
        singles, floor = [], []
        for recipient in ids[: args.single]:
            begin = time.perf_counter()
            client.call(
                "POST", f"/v1/documents/{document_id}/sends", saraban, json={"recipients": [recipient]}
            )
            until(
                lambda r=recipient: any(
                    d["recipient"] == r and d["state"] == "delivered"
                    for d in client.call("GET", f"/v1/documents/{document_id}/sends", saraban).json()[
                        "deliveries"
                    ]
                )
            )
            singles.append(time.perf_counter() - begin)
            begin = time.perf_counter()
            client.call("GET", f"/v1/documents/{document_id}/sends", saraban)
            floor.append(time.perf_counter() - begin)
        rest = ids[args.single :]
        begin = time.perf_counter()
        client.call("POST", f"/v1/documents/{document_id}/sends", saraban, json={"recipients": rest})
        until(
            lambda: (
                sum(
                    d["state"] == "delivered"
                    for d in client.call("GET", f"/v1/documents/{document_id}/sends", saraban).json()[
                        "deliveries"
                    ]
                )
                == len(ids)
            ),
            timeout=1800,
            pause=0.5,
        )
        fan_out = time.perf_counter() - begin
    print(
        f"exchange on the local stack (IAM enforced), {os.cpu_count()} cores; {args.agencies} agencies "
        f"onboarded in {onboarding:.0f} s"
    )
    p50, p99, base = statistics.median(singles), percentile(singles, 0.99), statistics.median(floor)
    print(
        f"  send -> in the recipient's queue, {len(singles)} single sends: p50 {p50 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms (the sends view alone: p50 {base * 1000:.0f} ms; {p50 / base:.0f}x)"
    )
    print(
        f"  circular to {len(rest)} agencies in one request: all in their queues after {fan_out:.1f} s, "
        f"{len(rest) / fan_out:.1f} deliveries/s"
    )


if __name__ == "__main__":
    main()
