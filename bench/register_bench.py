"""Registration benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/register_bench.py [--runs 5] [--n 200] [--per-client 10]

1. Latency over HTTP on the local stack, one client with keep-alive: p50 and p99 of POST
   /registers/outgoing/entries, side by side with GET /health (the HTTP floor) and GET /me (token
   check + one DynamoDB read) measured in the same runs. Median over runs.
2. Throughput with 16 concurrent clients on one book: registrations per second, and the duplicates
   and gaps found in the numbers returned (both must be 0). Median over runs.
3. DynamoDB requests per registration, counted on botocore's request events in-process.
4. Cold import of the API function (`import app`, with .pyc): median of fresh processes, with
   `import chalice` alone as the baseline and the top packages from `-X importtime`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def token(port: int, agency: str, user: str) -> str:
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
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'functions'}"},
    )
    return out.decode().strip()


def http_latency(url: str, bearer: str, runs: int, n: int) -> dict[str, list[float]]:
    import requests

    figures: dict[str, list[float]] = defaultdict(list)
    headers = {"Authorization": f"Bearer {bearer}"}
    for run in range(runs):
        session = requests.Session()
        samples: dict[str, list[float]] = defaultdict(list)
        for i in range(n):
            # Interleaved so that drift on this shared machine hits every case alike.
            letter = {
                "document": {
                    "kind": "external",
                    "subject": f"ขอเชิญประชุม ครั้งที่ {run}-{i}",
                    "owner_unit_id": "policy",
                }
            }
            for case, method, path, body in (
                ("health", "GET", "/v1/health", None),
                ("me", "GET", "/v1/me", None),
                ("register", "POST", "/v1/registers/outgoing/entries", letter),
            ):
                started = time.perf_counter()
                answer = session.request(method, f"{url}{path}", headers=headers, json=body, timeout=30)
                samples[case].append((time.perf_counter() - started) * 1000)
                if answer.status_code >= 300:
                    raise SystemExit(f"{case} failed: {answer.status_code} {answer.text[:300]}")
        for case, values in samples.items():
            figures[f"{case} p50"].append(percentile(values, 0.5))
            figures[f"{case} p99"].append(percentile(values, 0.99))
    return figures


def concurrent_throughput(
    url: str, bearer: str, runs: int, per_client: int
) -> list[tuple[float, int, int, int]]:
    import requests

    results = []
    books = ["circular", "order", "outgoing", "announcement", "certificate"]
    for run in range(runs):
        book = books[run % len(books)]

        def client(i: int, book: str = book, run: int = run) -> list[int]:
            session = requests.Session()
            numbers = []
            for j in range(per_client):
                answer = session.post(
                    f"{url}/v1/registers/{book}/entries",
                    headers={"Authorization": f"Bearer {bearer}"},
                    timeout=120,
                    json={
                        "document": {
                            "kind": "external",
                            "subject": f"เวียนแจ้ง {run}-{i}-{j}",
                            "owner_unit_id": "services",
                        }
                    },
                )
                answer.raise_for_status()
                numbers.append(int(answer.json()["number"]))
            return numbers

        started = time.perf_counter()
        with ThreadPoolExecutor(16) as pool:
            taken = [n for numbers in pool.map(client, range(16)) for n in numbers]
        elapsed = time.perf_counter() - started
        counts = Counter(taken)
        duplicates = sum(c - 1 for c in counts.values() if c > 1)
        low, high = min(taken), max(taken)
        gaps = (high - low + 1) - len(counts)
        results.append((len(taken) / elapsed, duplicates, gaps, len(taken)))
    return results


def dynamodb_requests_per_registration(n: int = 50) -> tuple[float, Counter[str]]:
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # noqa: S106 (moto accepts any credentials)
        AWS_DEFAULT_REGION="ap-southeast-7",
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    import boto3
    import botocore.session
    from chalicelib.directory.store import new_agency, new_unit
    from chalicelib.kernel import ddb
    from chalicelib.kernel.principal import Principal, Role
    from chalicelib.kernel.settings import get_settings
    from chalicelib.registers import service as registration
    from chalicelib.registers.models import RegistrationCommand
    from chalicelib.saraban import Secrecy
    from moto import mock_aws

    from devstack.backend import install_patches
    from devstack.resources import create_all

    calls: Counter[str] = Counter()

    def count(event_name: str, **_: Any) -> None:
        calls[event_name.rsplit(".", 1)[-1]] += 1

    original = botocore.session.Session.create_client

    def counting_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-call.dynamodb", count)
        return client

    install_patches()
    botocore.session.Session.create_client = counting_client  # type: ignore[method-assign]
    with mock_aws():
        get_settings.cache_clear()
        create_all(boto3.Session(region_name="ap-southeast-7"))
        ddb.bind()
        new_agency("bench-agency", name="กรมทดสอบ", ministry_code="ทส", settings={}).save()
        new_unit("bench-agency", "office", name="สำนักงาน", code="ทส 0101").save()
        principal = Principal(
            "bench-agency", "u1", "u1", "ผู้ทดสอบ", "", ("office",), frozenset({Role.SARABAN}), Secrecy.NORMAL
        )
        from datetime import UTC, datetime

        registration.register(
            principal,
            "outgoing",
            RegistrationCommand.model_validate_json('{"document": {"kind": "external", "subject": "warm"}}'),
            idempotency_key=None,
            clock=lambda: datetime.now(UTC),
        )
        calls.clear()
        for i in range(n):
            registration.register(
                principal,
                "outgoing",
                RegistrationCommand.model_validate_json(
                    json.dumps({"document": {"kind": "external", "subject": f"x{i}"}})
                ),
                idempotency_key=f"k{i}",
                clock=lambda: datetime.now(UTC),
            )
    botocore.session.Session.create_client = original  # type: ignore[method-assign]
    # The API also reads the caller's directory entry once per request (GetItem).
    return (sum(calls.values()) + n) / n, calls


def import_times(runs: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'functions'}", "AWS_DEFAULT_REGION": "ap-southeast-7"}
    env.pop(
        "PYTHONDONTWRITEBYTECODE", None
    )  # the zip and layers ship .pyc (infra/package.py): measure with them
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "functions")], check=True)
    cases = {"import app (API function)": "import app", "import chalice (baseline)": "import chalice.app"}
    for statement in cases.values():  # warm-up: write the .pyc files
        subprocess.run([sys.executable, "-c", statement], env=env, cwd=ROOT / "functions", check=True)
    figures: dict[str, list[float]] = defaultdict(list)
    packages: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for name, statement in cases.items():
            run = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", statement],
                env=env,
                cwd=ROOT / "functions",
                capture_output=True,
                text=True,
                check=True,
            )
            total = 0.0
            per_package: Counter[str] = Counter()
            for line in run.stderr.splitlines():
                if not line.startswith("import time:") or "self [us]" in line:
                    continue
                self_us, _cumulative, module = (
                    part.strip() for part in line.removeprefix("import time:").split("|")
                )
                total += int(self_us) / 1000
                per_package[module.strip().split(".")[0]] += int(self_us) / 1000
            figures[name].append(total)
            if name.startswith("import app"):
                for package, ms in per_package.items():
                    packages[package].append(ms)
    top = sorted(((statistics.median(v), k) for k, v in packages.items()), reverse=True)[:8]
    return {"medians": {k: statistics.median(v) for k, v in figures.items()}, "top": top}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--n", type=int, default=200, help="requests per case per latency run")
    parser.add_argument(
        "--per-client", type=int, default=10, help="registrations per client in the 16-client runs"
    )
    args = parser.parse_args()

    from devstack.launch import local_stack

    with local_stack() as stack:
        bearer_ops = token(stack.port, "mdes-ops", "ops.saraban")
        bearer_dept = token(stack.port, "mdes-dept", "dept.saraban")
        latency = http_latency(stack.url, bearer_ops, args.runs, args.n)
        throughput = concurrent_throughput(stack.url, bearer_dept, args.runs, args.per_client)
    requests_per_registration, calls = dynamodb_requests_per_registration()
    imports = import_times(args.runs)

    print(
        f"\nRegistration over HTTP on the local stack ({args.runs} runs x {args.n} requests per case, "
        "one client)"
    )
    print(f"{'case':<16}{'p50 ms':>10}{'p99 ms':>10}{'p50 / health':>15}")
    health = statistics.median(latency["health p50"])
    for case in ("health", "me", "register"):
        p50 = statistics.median(latency[f"{case} p50"])
        p99 = statistics.median(latency[f"{case} p99"])
        print(f"{case:<16}{p50:>10.1f}{p99:>10.1f}{p50 / health:>14.1f}x")
    print(f"\n16 concurrent clients on one book ({args.runs} runs x {16 * args.per_client} registrations)")
    print(
        f"  registrations/s  median {statistics.median(t[0] for t in throughput):.1f}"
        f"  (runs: {', '.join(f'{t[0]:.1f}' for t in throughput)})"
    )
    print(
        f"  duplicates {sum(t[1] for t in throughput)}  gaps {sum(t[2] for t in throughput)}"
        f"  over {sum(t[3] for t in throughput)} registrations"
    )
    print(
        f"\nDynamoDB requests per registration: {requests_per_registration:.2f}"
        f"  ({', '.join(f'{k} {v}' for k, v in sorted(calls.items()))} for 50, + 1 GetItem per request"
        " for the caller's directory entry)"
    )
    print(
        f"\nCold import, median of {args.runs} fresh processes "
        "(-X importtime, self times summed, .pyc present)"
    )
    for name, ms in imports["medians"].items():
        print(f"  {name:<28}{ms:>8.1f} ms")
    print("  top packages in import app: " + ", ".join(f"{k} {ms:.0f}" for ms, k in imports["top"]))


if __name__ == "__main__":
    main()
