"""Onboarding benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/onboard_bench.py [--runs 5] [--many 100] [--concurrency 4]

On a fresh local stack (IAM enforced, each function its own role), from copies of
examples/agency.yaml with their own ids and usernames (5 people, 2 signers with KMS keys each):
1. one agency: the median of --runs single onboardings (keys, pool users, records, letterhead, emblem);
2. --many agencies as one batch (onboarding/bulk.py) at --concurrency, once: total time, agencies per
   second, and the batch's time per agency against the single one's (the baseline, same run);
3. the same batch again: every agency skipped (how long a resumed batch takes to find where it was).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]


def settings_files(folder: Path, prefix: str, count: int) -> list[Path]:
    import yaml

    example = yaml.safe_load((ROOT / "examples" / "agency.yaml").read_text(encoding="utf-8"))
    (folder / "emblem-sample.svg").write_bytes((ROOT / "examples" / "emblem-sample.svg").read_bytes())
    paths = []
    for i in range(count):
        data = {**example, "id": f"{prefix}-{i:03d}"}
        data.pop("ecms")  # an e-CMS department id belongs to one agency only
        data["people"] = [
            {**p, "username": f"{prefix}{i:03d}.{p['username'].split('.')[-1]}"} for p in example["people"]
        ]
        path = folder / f"{prefix}-{i:03d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def target(port: int) -> Any:
    from devstack.demo import DEMO_PASSWORD
    from devstack.iam import ACCOUNT, role_name
    from devstack.stack import aws_environment, operator_session, read_state
    from onboarding.apply import Target

    state = read_state(port)
    os.environ.update({**state.function_environment, **aws_environment(state.backend_url)})
    return Target(
        operator_session(state),
        state.function_environment["EOFFICE_STAGE"],
        state.user_pool_id,
        f"arn:aws:iam::{ACCOUNT}:role/{role_name('sign_documents')}",
        f"arn:aws:iam::{ACCOUNT}:root",
        local=True,
        local_password=DEMO_PASSWORD,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--many", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    from devstack.launch import local_stack

    with local_stack() as stack, tempfile.TemporaryDirectory() as folder:
        where = target(stack.port)
        from chalicelib.kernel import ddb

        from onboarding.apply import onboard
        from onboarding.bulk import onboard_many
        from onboarding.settings import load

        ddb.bind()
        singles = []
        for path in settings_files(Path(folder), "single", args.runs):
            settings = load(path)
            started = time.perf_counter()
            onboard(settings, path.parent, where)
            singles.append(time.perf_counter() - started)
        single = statistics.median(singles)
        batch = settings_files(Path(folder), "bulk", args.many)
        report = onboard_many(batch, where, concurrency=args.concurrency)
        again = onboard_many(batch, where, concurrency=args.concurrency)
    print(
        f"onboarding on the local stack (IAM enforced), {Path(sys.executable).name}, {os.cpu_count()} cores"
    )
    print(
        f"  one agency (5 people, 2 signing keys): median {single * 1000:.0f} ms of {args.runs} "
        f"(min {min(singles) * 1000:.0f}, max {max(singles) * 1000:.0f})"
    )
    per_agency = report.seconds / max(1, len(report.onboarded))
    print(
        f"  {args.many} agencies, one batch at concurrency {args.concurrency}: {report.seconds:.1f} s "
        f"({len(report.onboarded)} onboarded, {len(report.failed)} failed), "
        f"{len(report.onboarded) / report.seconds:.1f} agencies/s"
    )
    print(
        f"  batch time per agency vs one alone: {per_agency * 1000:.0f} ms vs {single * 1000:.0f} ms "
        f"= {per_agency / single:.2f}x"
    )
    print(f"  the same batch resumed (all {len(again.skipped)} already there): {again.seconds:.2f} s")


if __name__ == "__main__":
    main()
