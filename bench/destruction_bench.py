"""Destruction survey and แบบที่ 25 benchmark: prints figures, asserts nothing but the work's own result.

  .venv/bin/python bench/destruction_bench.py [--records 100000] [--due 10000] [--runs 3]

In in-process moto (the local stack's backend), one agency with --records stored records on the
keep-until index, --due of them kept to 2569 or before (and 50 of those held):

1. The survey (`archive.destruction.survey`): reads the index for the years that ended and writes the
   list's rows; time and DynamoDB requests by operation (a Scan would show here: there is none).
   The index read alone is timed too, beside
2. the baseline in the same run: what the index saves, a filtered Scan of the whole table for the same
   records (every item of every agency read, 1 MB a page).
3. Rendering แบบที่ 25 with the --due rows (`archive.destruction.form_25_pdf`): time, pages, size; and
   1,000 rows as the per-row baseline.
Median of --runs runs each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

AGENCY = "bench-archive"
NOW = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)


def _scan_for_due() -> int:
    from chalicelib.archive import store

    due_here = (store.ShelfItem.pk == store.keep_shelf_pk(AGENCY)) & (store.ShelfItem.keep_until <= 2569)
    return sum(1 for _ in store.ShelfItem.scan(due_here))


class Requests:
    """DynamoDB calls by operation, counted at the botocore client PynamoDB uses."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def text(self) -> str:
        return ", ".join(f"{op} {n:,}" for op, n in sorted(self.seen.items()))


def _seed(records: int, due: int) -> None:
    from chalicelib.archive import store
    from chalicelib.directory.store import onboard_records

    onboard_records(AGENCY, {"name": "กรมทดสอบสมรรถนะ", "ministry_code": "ทส"}, {}, {}, actor="bench", at=NOW)
    with store.ShelfItem.batch_write() as batch:
        for n in range(records):
            keep = 2550 + n % 20 if n < due else 2570 + n % 30
            batch.save(
                store.new_shelf(
                    store.keep_shelf_pk(AGENCY),
                    store.keep_shelf_sk(keep, f"doc{n:08d}"),
                    document_id=f"doc{n:08d}",
                    file_code=f"ทส 0{n % 9 + 1}.{n % 7}/25{keep % 100:02d}",
                    reference=f"ทส 0201/{n % 9000 + 1}",
                    letter_date=f"{keep - 543 - 10}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                    subject=f"ขอความอนุเคราะห์ข้อมูลสถิติการให้บริการประชาชน ฉบับที่ {n}",
                    secrecy=0,
                    keep_until=keep,
                )
            )
        for n in range(0, due, due // 50):  # 50 of the due records held: left off the list
            batch.save(store.new_held_index(AGENCY, f"doc{n:08d}", "คดีความ"))


def _timed(counter: Requests, work: Any) -> tuple[float, Any]:
    """`work()` timed, its DynamoDB calls counted (every botocore client: each PynamoDB model has its
    own connection, and transactions theirs)."""
    from botocore.client import BaseClient

    original = getattr(BaseClient, "_make_api_call")  # noqa: B009 (private, untyped in the stubs)

    def counting(client: Any, operation: str, params: Any) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            counter.seen[operation] += 1
        return original(client, operation, params)

    setattr(BaseClient, "_make_api_call", counting)  # noqa: B010
    try:
        begin = time.perf_counter()
        result = work()
        return time.perf_counter() - begin, result
    finally:
        setattr(BaseClient, "_make_api_call", original)  # noqa: B010


def _survey(args: argparse.Namespace) -> int:
    from chalicelib.archive import destruction, store

    survey, index, scan = [], [], []
    counted = {"survey": Requests(), "index": Requests(), "scan": Requests()}
    rows = read = scanned = 0
    for run in range(args.runs):
        existing = store.destruction_list(AGENCY, 2569)
        if existing is not None:
            existing.delete()  # the rows are written again, the same
        took, item = _timed(
            counted["survey"] if run == 0 else Requests(),
            lambda: destruction.survey(AGENCY, 2569, now=NOW, actor="bench"),
        )
        survey.append(took)
        rows = int(item.rows)
        took, read = _timed(
            counted["index"] if run == 0 else Requests(),
            lambda: sum(1 for _ in store.due_for_destruction(AGENCY, 2569)),
        )
        index.append(took)
        if run == 0:  # once: moto pages a Scan slowly (each page walks the table from its start)
            took, scanned = _timed(counted["scan"], _scan_for_due)
            scan.append(took)
    assert read == scanned == args.due and rows == args.due - 50
    s, i, c = statistics.median(survey), statistics.median(index), statistics.median(scan)
    print(f"destruction survey, one agency, {args.records:,} stored records, {args.due:,} due")
    print(f"  survey, {rows:,} rows written: {s:.2f} s; requests: {counted['survey'].text()}")
    print(f"  the index read alone: {i:.2f} s; requests: {counted['index'].text()}")
    print(f"  baseline, a filtered Scan of the table (one run): {c:.2f} s ({c / i:.1f}x the index read)")
    print(f"    requests: {counted['scan'].text()}")
    return rows


def _render(rows: int, runs: int) -> None:
    import io

    import pypdf
    from chalicelib.archive import destruction, store
    from chalicelib.pdf.register_book import Column, render_register_book

    renders, small = [], []
    pdf = b""
    for _ in range(runs):
        begin = time.perf_counter()
        pdf = destruction.form_25_pdf(AGENCY, 2569, now=NOW)
        renders.append(time.perf_counter() - begin)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    columns = [Column(t, w, a) for t, w, a in destruction.FORM_25_COLUMNS]  # type: ignore[arg-type]
    thousand = [
        [
            str(int(r.sk)),
            r.file_code,
            r.reference,
            r.letter_date,
            r.subject,
            destruction.consideration(r),
            r.reason,
        ]
        for r in store.rows(AGENCY, 2569, limit=1000)
    ][:1000]
    for _ in range(runs):
        begin = time.perf_counter()
        render_register_book("บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. 2569", "กรมทดสอบสมรรถนะ", columns, thousand)
        small.append(time.perf_counter() - begin)
    reads = []
    for _ in range(runs):  # how much of the form's time is the rows' read from moto, not the drawing
        begin = time.perf_counter()
        list(store.rows(AGENCY, 2569))
        reads.append(time.perf_counter() - begin)
    r, b = statistics.median(renders), statistics.median(small)
    print(f"form 25 with {rows:,} rows: {r:.2f} s, {pages:,} pages, {len(pdf) / 1e6:.1f} MB")
    print(f"  {rows / r:,.0f} rows/s; baseline, 1,000 rows: {b:.2f} s ({1000 / b:,.0f} rows/s)")
    print(f"  of which reading the rows (moto): {statistics.median(reads):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import boto3
    from chalicelib.kernel import ddb
    from chalicelib.kernel.settings import get_settings
    from moto import mock_aws

    from devstack.backend import install_patches
    from devstack.resources import create_all

    install_patches()
    with mock_aws():
        get_settings.cache_clear()
        create_all(boto3.Session(region_name="ap-southeast-7"))
        ddb.bind()
        begin = time.perf_counter()
        _seed(args.records, args.due)
        print(f"(seeding, not measured: {time.perf_counter() - begin:.1f} s; medians of {args.runs} runs)")
        rows = _survey(args)
        _render(rows, args.runs)


if __name__ == "__main__":
    main()
