"""Web application benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/web_bench.py [--runs 5]

Starts the local stack (the built SPA served beside the API), routes a letter to the director over HTTP,
then runs web/scripts/measure.mjs in Node with Debian's Chromium:
1. the initial JavaScript of the first page, gzipped (the aim: under 200 kB);
2. time to an interactive inbox (from the navigation to the sign-in page, signing in as the director,
   to the inbox's first letter clickable), median and spread of --runs;
3. Lighthouse scores (the aim: 90 or more): performance of a cold load of the app, accessibility of the
   sign-in page and of the inbox, each a median of --runs.
The baseline in the same run: the bare sign-in page's HTML fetched over HTTP (the local server's own
floor under the time to interactive).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from devstack.launch import local_stack
    from tests.integration.conftest import Stack
    from tests.integration.test_web_e2e import _memo_for_the_director

    with local_stack() as running:
        stack = Stack(running.url, running.port)
        _memo_for_the_director(stack)
        floor = []
        for _ in range(args.runs):
            begin = time.perf_counter()
            requests.get(f"{stack.url}/sign-in", timeout=30).raise_for_status()
            floor.append((time.perf_counter() - begin) * 1000)
        measured = subprocess.run(
            ["node", "scripts/measure.mjs", "--runs", str(args.runs)],
            cwd=ROOT / "web",
            env={**os.environ, "E2E_BASE_URL": stack.url},
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        )
    figures = json.loads(measured.stdout.strip().splitlines()[-1])
    scripts, tti = figures["scripts"], figures["tti"]
    print(f"web application (median of {args.runs})")
    print(
        f"  initial JavaScript: {scripts['files']} files, {scripts['raw'] / 1024:.0f} kB, "
        f"gzipped {scripts['gzip'] / 1024:.1f} kB"
    )
    print(
        f"  time to an interactive inbox (sign-in included): {statistics.median(tti):.0f} ms "
        f"(min {min(tti)}, max {max(tti)})"
    )
    print(f"    baseline, the sign-in page's HTML alone: {statistics.median(floor):.1f} ms")
    for name, label in (
        ("performance", "Lighthouse performance, cold load"),
        ("signInAccessibility", "Lighthouse accessibility, sign-in"),
        ("inboxAccessibility", "Lighthouse accessibility, inbox"),
    ):
        print(f"  {label}: {statistics.median(figures[name])} (runs: {figures[name]})")


if __name__ == "__main__":
    main()
