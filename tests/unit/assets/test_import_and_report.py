"""The agency's existing register imported (10,000 assets, their numbers kept, the import safe to run
again, refused whole on a bad row), depreciation of imported rows against figures computed by hand, and
the stock-take report drafted by the checkers as a memo to the head, rendered."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from chalicelib.assets import models, service
from chalicelib.documents import service as documents
from chalicelib.kernel.errors import Conflict, Forbidden, UnknownReference
from chalicelib.kernel.principal import Principal, Role
from chalicelib.saraban import Secrecy

AGENCY = "asset-import"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
ROWS = 10_000


def person(user: str, *roles: Role, agency: str = AGENCY) -> Principal:
    return Principal(agency, user, user, user, "", ("office",), frozenset(roles), Secrecy.NORMAL)


SUPPLY = person("u-supply", Role.STAFF)
CHECKER = person("u-checker", Role.STAFF)
DIRECTOR = person("u-director", Role.DIRECTOR)
ADMIN = person("u-admin", Role.ADMIN)


def parse(model: Any, data: dict[str, Any]) -> Any:
    return model.model_validate_json(json.dumps(data))


def row(n: int, **extra: Any) -> dict[str, Any]:
    acquired = date(2012, 10, 1) + timedelta(days=(n * 37) % 5000)
    return {
        "number": f"OLD-{n:05d}",
        "class_code": "7440-001" if n % 3 else "7440-002",
        "description": f"ครุภัณฑ์เดิม {n}",
        "acquired_on": acquired.isoformat(),
        "price": f"{5000 + n}.00",
        "funding": "เงินงบประมาณ",
        **extra,
    }


def onboard(agency_id: str) -> None:
    from chalicelib.directory.store import onboard_records

    people = {
        "u-supply": {"username": "supply", "name": "สุดา พัสดุ", "units": ["office"], "roles": ["staff"]},
        "u-checker": {
            "username": "checker",
            "name": "ชูชาติ ตรวจดี",
            "position": "นักวิชาการเงินและบัญชี",
            "units": ["office"],
            "roles": ["staff"],
        },
        "u-director": {
            "username": "director",
            "name": "ประภาพร วงศ์ไทย",
            "position": "อธิบดีกรมทดสอบพัสดุ",
            "units": ["office"],
            "roles": ["director"],
        },
        "u-admin": {"username": "admin", "name": "ธนากร ระบบดี", "units": ["office"], "roles": ["admin"]},
    }
    units = {"office": {"name": "สำนักงานเลขานุการกรม", "code": "ทส 0101"}}
    onboard_records(
        agency_id, {"name": "กรมทดสอบพัสดุ", "ministry_code": "ทส"}, units, people, actor="t", at=NOW
    )
    settings = parse(
        models.AssetSettings,
        {
            "classes": [
                {"code": "7440-001", "name": "ครุภัณฑ์สำนักงาน", "life_years": 10},
                {"code": "7440-002", "name": "ครุภัณฑ์คอมพิวเตอร์", "life_years": 5},
            ],
            "supply_officers": ["u-supply"],
            "holidays": ["2026-10-13", "2026-10-23"],
        },
    )
    service.put_settings(person("u-admin", Role.ADMIN, agency=agency_id), settings, now=NOW)


@pytest.fixture(scope="module")
def agency(aws: Any) -> None:
    onboard(AGENCY)


def test_ten_thousand_assets_are_imported_with_their_numbers(agency: None) -> None:
    for start in range(0, ROWS, 500):
        answer = service.import_assets(
            SUPPLY,
            parse(models.ImportCommand, {"rows": [row(n) for n in range(start, start + 500)]}),
            now=NOW,
        )
        assert answer.imported == 500 and answer.already_there == []
    assert len(service.listing(SUPPLY).items) == ROWS
    # Run again (a call cut short): nothing is written twice.
    again = service.import_assets(
        SUPPLY, parse(models.ImportCommand, {"rows": [row(n) for n in range(10)]}), now=NOW
    )
    assert (again.imported, len(again.already_there)) == (0, 10)
    # Refused whole: an unknown class, a number twice, a number a registered asset has.
    with pytest.raises(UnknownReference):
        service.import_assets(
            SUPPLY,
            parse(models.ImportCommand, {"rows": [row(ROWS + 1), row(ROWS + 2, class_code="9999")]}),
            now=NOW,
        )
    with pytest.raises(Conflict):
        service.import_assets(
            SUPPLY, parse(models.ImportCommand, {"rows": [row(ROWS + 3), row(ROWS + 3)]}), now=NOW
        )
    live = service.register(
        SUPPLY,
        parse(
            models.AssetCommand,
            {"class_code": "7440-001", "description": "โต๊ะ", "acquired_on": "2026-10-05", "price": "4000"},
        ),
        now=NOW,
    )
    with pytest.raises(Conflict):
        service.import_assets(
            SUPPLY, parse(models.ImportCommand, {"rows": [row(ROWS + 4, number=live.number)]}), now=NOW
        )
    assert len(service.listing(SUPPLY).items) == ROWS + 1  # nothing of the refused calls was written
    # An imported number in the live format: the live numbering refuses to hand it out again.
    assert live.number == "7440-001-2570-0001"
    service.import_assets(
        SUPPLY, parse(models.ImportCommand, {"rows": [row(ROWS + 6, number="7440-001-2570-0002")]}), now=NOW
    )
    with pytest.raises(Conflict) as taken:
        service.register(
            SUPPLY,
            parse(
                models.AssetCommand,
                {"class_code": "7440-001", "description": "ตู้", "acquired_on": "2026-10-06", "price": "3000"},
            ),
            now=NOW,
        )
    assert "7440-001-2570-0002" in taken.value.message_th
    with pytest.raises(Forbidden):
        service.import_assets(CHECKER, parse(models.ImportCommand, {"rows": [row(ROWS + 5)]}), now=NOW)


def test_depreciation_of_imported_assets_matches_rows_computed_by_hand(agency: None) -> None:
    service.import_assets(
        SUPPLY,
        parse(
            models.ImportCommand,
            {
                "rows": [
                    # 36,501 baht, 10 years, bought 1 Apr 2025: 3,650 baht a year (36,500 over 10 years to
                    # the 1-baht residual); 183 of 365 days in fiscal 2568 = 1,830.00; 2569 and 2570 whole.
                    row(
                        20_001,
                        number="HAND-1",
                        class_code="7440-001",
                        acquired_on="2025-04-01",
                        price="36501.00",
                    ),
                    # 25,001 baht, 5 years, bought 1 Oct 2019 (fiscal 2563): written down by 30 Sep 2024.
                    row(
                        20_002,
                        number="HAND-2",
                        class_code="7440-002",
                        acquired_on="2019-10-01",
                        price="25001.00",
                    ),
                ]
            },
        ),
        now=NOW,
    )
    report = service.depreciation_report(DIRECTOR, models.DepreciationQuery(fiscal_year=2570))
    rows = {r.number: r for r in report.rows}
    assert (rows["HAND-1"].this_year, rows["HAND-1"].accumulated, rows["HAND-1"].net) == (
        "3650.00",
        "9130.00",
        "27371.00",
    )
    assert (rows["HAND-2"].this_year, rows["HAND-2"].net) == ("0.00", "1.00")
    assert len(report.rows) >= ROWS


def test_the_stock_take_report_is_drafted_by_the_checkers_for_the_head(aws: Any, tmp_path: Path) -> None:
    # An agency of its own, with a few assets: the report's rules, not the register's size, are tested.
    small = "asset-report"
    onboard(small)
    supply, checker, director = (
        person("u-supply", Role.STAFF, agency=small),
        person("u-checker", Role.STAFF, agency=small),
        person("u-director", Role.DIRECTOR, agency=small),
    )
    service.import_assets(
        supply, parse(models.ImportCommand, {"rows": [row(n) for n in range(1, 6)]}), now=NOW
    )
    service.appoint(director, models.StocktakeCommand(fiscal_year=2569, checkers=["u-checker"]), now=NOW)
    assets = {a.number: a for a in service.listing(supply).items}
    for number, result, note in (
        ("OLD-00001", "damaged", "จอแตก"),
        ("OLD-00002", "missing", ""),
        ("OLD-00003", "found", ""),
    ):
        service.record_finding(
            checker, 2569, models.Finding(asset_id=assets[number].id, result=result, note=note), now=NOW
        )
    with pytest.raises(Forbidden):
        service.draft_report(supply, 2569, now=NOW)
    report = service.draft_report(checker, 2569, now=NOW)
    assert report.subject == "รายงานผลการตรวจสอบพัสดุประจำปีงบประมาณ 2569"
    with pytest.raises(Conflict):
        service.draft_report(checker, 2569, now=NOW)
    memo = documents.get_document(checker, report.document_id)
    assert memo.kind == "internal" and memo.recipient.position == "อธิบดีกรมทดสอบพัสดุ"
    assert "ชำรุด 1 รายการ" in memo.body and "สูญไป 1 รายการ" in memo.body
    assert "ยังไม่ได้ตรวจสอบ 2 รายการ" in memo.body
    assert "1. OLD-00001 ครุภัณฑ์เดิม 1 (จอแตก)" in memo.body
    assert "กำหนดรายงานภายในวันที่ 13 พฤศจิกายน 2569" in memo.body  # 30 working days across two holidays
    stored = documents.load(small, report.document_id)
    assert stored is not None and stored.item.content["signers"] == ["u-checker"]

    from chalicelib.directory import service as directory
    from chalicelib.documents.rendering import letter_content
    from chalicelib.pdf.letters import Signatory, render_letter

    content = {**stored.item.content, "kind": stored.item.kind}
    signatory = Signatory("ชูชาติ ตรวจดี", "ผู้ตรวจสอบพัสดุ")
    letter = letter_content(directory.require_profile(small), content, signatory, NOW.date())
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_letter(letter).pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    assert list(tmp_path.glob("p*.png"))
