"""Assets benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/asset_bench.py [--assets 10000] [--runs 3]

In-process moto (mock_aws, devstack's patches), one agency with --assets assets over three classes,
imported through the service (500 a call, timed), a third of them already found by the year's
stock-take. Median of --runs runs of:
1. the depreciation report of fiscal year 2570 over every asset (`assets.service.depreciation_report`);
2. the stock-take view (counts of findings and what is left to check);
3. the baseline in the same run: reading the register alone (`assets.service.listing`), the query both
   of the others start from.
Then once: the checkers' stock-take report drafted over every asset (a year's report is drafted once).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

AGENCY = "bench-assets"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def main() -> None:  # noqa: PLR0915 (one straight run of set-up and measures)
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import boto3
    from chalicelib.assets import models, service, store
    from chalicelib.kernel import ddb
    from chalicelib.kernel.principal import Principal, Role
    from chalicelib.kernel.settings import get_settings
    from chalicelib.saraban import Secrecy
    from moto import mock_aws

    from devstack.backend import install_patches
    from devstack.resources import create_all

    head = Principal(AGENCY, "head", "head", "head", "", ("office",), frozenset({Role.HEAD}), Secrecy.NORMAL)
    admin = Principal(
        AGENCY, "admin", "admin", "admin", "", ("office",), frozenset({Role.ADMIN}), Secrecy.NORMAL
    )
    rng = random.Random(7)
    install_patches()
    with mock_aws():
        get_settings.cache_clear()
        create_all(boto3.Session(region_name="ap-southeast-7"))
        ddb.bind()
        settings = models.AssetSettings.model_validate_json(
            '{"classes": [{"code": "7440-001", "name": "สำนักงาน", "life_years": 10},'
            ' {"code": "2310-001", "name": "ยานพาหนะ", "life_years": 8},'
            ' {"code": "7440-002", "name": "คอมพิวเตอร์", "life_years": 5}],'
            ' "supply_officers": ["supply"]}'
        )
        service.put_settings(admin, settings, now=NOW)
        supply = Principal(
            AGENCY, "supply", "supply", "supply", "", ("office",), frozenset({Role.STAFF}), Secrecy.NORMAL
        )
        rows = []
        for i in range(args.assets):
            acquired = date(2012, 10, 1) + timedelta(days=rng.randrange(0, 5400))
            rows.append(
                {
                    "number": f"A-{i:06d}",
                    "class_code": rng.choice(["7440-001", "2310-001", "7440-002"]),
                    "description": f"ครุภัณฑ์ทดสอบ {i}",
                    "acquired_on": acquired.isoformat(),
                    "price": f"{rng.randrange(5_001, 2_000_000)}.00",
                }
            )
        begin = time.perf_counter()
        for start in range(0, len(rows), 500):  # the import route takes 500 a call
            command = models.ImportCommand.model_validate_json(
                json.dumps({"rows": rows[start : start + 500]})
            )
            service.import_assets(supply, command, now=NOW)
        seeding = time.perf_counter() - begin
        ids = [service.legacy_id(r["number"]) for r in rows]
        service.appoint(head, models.StocktakeCommand(fiscal_year=2569, checkers=["checker"]), now=NOW)
        with store.FindingItem.batch_write() as batch:
            for asset_id in ids[: args.assets // 3]:
                batch.save(store.new_finding(AGENCY, 2569, asset_id, result="found", by="checker"))

        timings: dict[str, list[float]] = {"register": [], "depreciation": [], "stocktake": []}
        fiscal_2570 = models.DepreciationQuery(fiscal_year=2570)
        for _ in range(args.runs):
            for name, work in (
                ("register", lambda: service.listing(head)),
                (
                    "depreciation",
                    lambda: service.depreciation_report(head, models.DepreciationQuery(fiscal_year=2570)),
                ),
                ("stocktake", lambda: service.stocktake(head, 2569)),
            ):
                begin = time.perf_counter()
                work()
                timings[name].append(time.perf_counter() - begin)
        report = service.depreciation_report(head, fiscal_2570)
        checker = Principal(
            AGENCY, "checker", "checker", "checker", "", ("office",), frozenset({Role.STAFF}), Secrecy.NORMAL
        )
        begin = time.perf_counter()
        service.draft_report(checker, 2569, now=NOW)  # once: a year's report is drafted once
        drafting = time.perf_counter() - begin

    median = {name: statistics.median(values) for name, values in timings.items()}
    base = median["register"]
    print(f"assets in-process (moto): {args.assets:,} assets imported (500 a call) in {seeding:.1f} s")
    print(f"median of {args.runs} runs")
    print(f"  the register alone (baseline):         {base:.2f} s")
    depreciation = median["depreciation"]
    print(f"  depreciation report, fiscal year 2570: {depreciation:.2f} s ({depreciation / base:.2f}x)")
    print(f"    {len(report.rows):,} rows, {report.total_this_year} baht this year")
    stocktake = median["stocktake"]
    print(f"  stock-take view (a third found):       {stocktake:.2f} s ({stocktake / base:.2f}x)")
    print(f"  stock-take report drafted (one run):   {drafting:.2f} s ({drafting / base:.2f}x)")


if __name__ == "__main__":
    main()
