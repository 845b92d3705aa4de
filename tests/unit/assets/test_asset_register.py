"""The asset register: numbers from the agency's format, depreciation for a fiscal year against rows
computed by hand, disposal only with the director's approval, and the stock-take: checkers who are
not supply officers, its due date counted in working days across the agency's holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from chalicelib.assets import domain, models, service
from chalicelib.kernel.errors import Conflict, Forbidden
from chalicelib.kernel.principal import Principal, Role
from chalicelib.saraban import Secrecy

AGENCY = "asset-test"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def person(user: str, *roles: Role) -> Principal:
    return Principal(AGENCY, user, user, user, "", ("office",), frozenset(roles), Secrecy.NORMAL)


ADMIN, SUPPLY, HEAD, DIRECTOR, CHECKER = (
    person("admin", Role.ADMIN),
    person("supply", Role.STAFF),
    person("head", Role.HEAD),
    person("director", Role.DIRECTOR),
    person("checker", Role.STAFF),
)


@pytest.fixture(scope="module")
def settings(aws: Any) -> models.AssetSettings:
    command = models.AssetSettings.model_validate_json(
        '{"classes": [{"code": "7440-001", "name": "ครุภัณฑ์สำนักงาน", "life_years": 10},'
        ' {"code": "2310-001", "name": "ครุภัณฑ์ยานพาหนะ", "life_years": 8}],'
        ' "supply_officers": ["supply"], "holidays": ["2026-10-13", "2026-10-23"]}'
    )
    return service.put_settings(ADMIN, command, now=NOW)


def register(class_code: str, acquired: str, price: str, description: str = "โต๊ะทำงาน") -> models.AssetView:
    command = models.AssetCommand.model_validate_json(
        f'{{"class_code": "{class_code}", "description": "{description}", "acquired_on": "{acquired}",'
        f' "price": "{price}", "funding": "เงินงบประมาณ"}}'
    )
    return service.register(SUPPLY, command, now=NOW)


def test_numbers_follow_the_format_by_class_and_fiscal_year(settings: models.AssetSettings) -> None:
    first = register("7440-001", "2026-10-01", "36501")
    second = register("7440-001", "2027-04-01", "36501")
    earlier = register("7440-001", "2026-09-30", "12000")  # fiscal year 2569
    assert (first.number, second.number, earlier.number) == (
        "7440-001-2570-0001",
        "7440-001-2570-0002",
        "7440-001-2569-0001",
    )
    with pytest.raises(Forbidden):
        service.register(
            CHECKER,
            models.AssetCommand.model_validate_json(
                '{"class_code": "7440-001", "description": "x", "acquired_on": "2026-10-01", "price": "1"}'
            ),
            now=NOW,
        )


def test_depreciation_matches_rows_computed_by_hand(settings: models.AssetSettings) -> None:
    # 36,501 baht, 10 years, residual 1 baht: 36,500 / 3,650 days = 10 baht a day.
    full = domain.depreciation(Decimal("36501"), date(2026, 10, 1), 10, 2570)
    assert (full.this_year, full.accumulated, full.net) == (
        Decimal("3650.00"),
        Decimal("3650.00"),
        Decimal("32851.00"),
    )
    half = domain.depreciation(Decimal("36501"), date(2027, 4, 1), 10, 2570)  # 183 days held in 2570
    assert (half.this_year, half.net) == (Decimal("1830.00"), Decimal("34671.00"))
    second_year = domain.depreciation(Decimal("36501"), date(2026, 10, 1), 10, 2571)
    assert (second_year.this_year, second_year.accumulated) == (Decimal("3650.00"), Decimal("7300.00"))
    # A car of 800,001 baht over 8 years, bought 1 Oct 2018: fully written down before 2570, at 1 baht.
    car = domain.depreciation(Decimal("800001"), date(2018, 10, 1), 8, 2570)
    assert (car.this_year, car.net) == (Decimal("0.00"), Decimal("1.00"))
    report = service.depreciation_report(HEAD, models.DepreciationQuery(fiscal_year=2570))
    by_number = {r.number: r for r in report.rows}
    assert by_number["7440-001-2570-0001"].this_year == "3650.00"
    assert by_number["7440-001-2570-0002"].this_year == "1830.00"
    assert Decimal(report.total_this_year) == sum(Decimal(r.this_year) for r in report.rows)


def test_disposal_needs_the_directors_approval_and_ends_changes(settings: models.AssetSettings) -> None:
    chair = register("7440-001", "2026-11-01", "4500", "เก้าอี้สำนักงาน")
    with pytest.raises(Forbidden):
        service.change_status(SUPPLY, chair.id, models.StatusChange(status="disposed", note="ชำรุด"), now=NOW)
    with pytest.raises(Conflict):
        service.change_status(DIRECTOR, chair.id, models.StatusChange(status="disposed"), now=NOW)
    gone = service.change_status(
        DIRECTOR,
        chair.id,
        models.StatusChange(status="disposed", note="ชำรุดเกินซ่อม อนุมัติตามบันทึก ที่ 12/2570"),
        now=NOW,
    )
    assert gone.status == "disposed"
    with pytest.raises(Conflict):
        service.transfer(SUPPLY, chair.id, models.Transfer(unit_id="plan"), now=NOW)


def test_a_stock_take_refuses_a_supply_officer_and_is_due_30_working_days_on(
    settings: models.AssetSettings,
) -> None:
    with pytest.raises(Conflict) as refused:
        service.appoint(
            HEAD, models.StocktakeCommand(fiscal_year=2569, checkers=["checker", "supply"]), now=NOW
        )
    assert "ข้อ 213" in refused.value.message_th and "supply" in refused.value.message_th
    with pytest.raises(Forbidden):
        service.appoint(CHECKER, models.StocktakeCommand(fiscal_year=2569, checkers=["checker"]), now=NOW)
    view = service.appoint(HEAD, models.StocktakeCommand(fiscal_year=2569, checkers=["checker"]), now=NOW)
    # 1 Oct 2026 is a Thursday. Counting it as day 1, skipping weekends and the holidays of 13 and
    # 23 October, the 30th working day is Friday 13 November (without them: Wednesday 11 November).
    assert view.starts_on == date(2026, 10, 1) and view.report_due == date(2026, 11, 13)
    assert domain.working_days_after(date(2026, 10, 1), 30, set()) == date(2026, 11, 11)
    assets = service.listing(HEAD).items
    desk = next(a for a in assets if a.status != "disposed")
    with pytest.raises(Forbidden):
        service.record_finding(SUPPLY, 2569, models.Finding(asset_id=desk.id, result="found"), now=NOW)
    after = service.record_finding(
        CHECKER, 2569, models.Finding(asset_id=desk.id, result="damaged", note="ขาโต๊ะหัก"), now=NOW
    )
    assert after.counted == {"damaged": 1}
    assert after.not_yet_checked == sum(1 for a in assets if a.status != "disposed") - 1


def test_a_label_is_the_assets_qr_code_and_scanning_it_records_the_finding(
    settings: models.AssetSettings,
) -> None:
    import io

    import segno
    from chalicelib.kernel.errors import NotFound

    lamp = register("7440-001", "2026-12-01", "2500", "โคมไฟตั้งโต๊ะ")
    label = service.label_svg(HEAD, lamp.id)
    expected = io.BytesIO()  # the same code made again from what it must say: the bytes agree
    segno.make(f"eoffice:asset:{lamp.id}", error="m").save(
        expected, kind="svg", scale=4, border=2, title=lamp.number
    )
    assert label == expected.getvalue() and lamp.number.encode() in label
    scanned = service.scan(CHECKER, 2569, models.Scan(code=f"eoffice:asset:{lamp.id}"), now=NOW)
    assert scanned.counted.get("found") == 1
    via_page = service.scan(
        CHECKER,
        2569,
        models.Scan(code=f"https://eoffice.example.go.th/assets/{lamp.id}", result="unused"),
        now=NOW,
    )
    assert via_page.counted.get("unused") == 1 and "found" not in via_page.counted  # the later word counts
    with pytest.raises(NotFound):
        service.scan(CHECKER, 2569, models.Scan(code="eoffice:asset:nothing-here"), now=NOW)


def test_an_asset_is_filed_only_under_a_unit_of_the_agency(aws: Any) -> None:
    from chalicelib.directory.store import onboard_records
    from chalicelib.kernel.errors import UnknownReference

    agency = "asset-units"
    onboard_records(
        agency,
        {"name": "กรมทดสอบหน่วยงาน", "ministry_code": "ทน", "settings": {}},
        {"plan": {"name": "กองแผนงาน", "code": "ทน 0201"}},
        {"supply": {"username": "supply", "name": "supply", "units": ["plan"], "roles": ["staff"]}},
        actor="t",
        at=NOW,
    )
    admin = Principal(
        agency, "admin", "admin", "admin", "", ("plan",), frozenset({Role.ADMIN}), Secrecy.NORMAL
    )
    supply = Principal(
        agency, "supply", "supply", "supply", "", ("plan",), frozenset({Role.STAFF}), Secrecy.NORMAL
    )
    service.put_settings(
        admin,
        models.AssetSettings.model_validate_json(
            '{"classes": [{"code": "7440-001", "name": "ครุภัณฑ์สำนักงาน", "life_years": 10}],'
            ' "supply_officers": ["supply"]}'
        ),
        now=NOW,
    )

    def asset(unit: str) -> models.AssetCommand:
        return models.AssetCommand.model_validate_json(
            f'{{"class_code": "7440-001", "description": "ตู้เอกสาร", "acquired_on": "2026-10-01",'
            f' "price": "5500", "unit_id": "{unit}"}}'
        )

    with pytest.raises(UnknownReference) as refused:
        service.register(supply, asset("plna"), now=NOW)  # a typo
    assert "plna" in refused.value.message_th
    cabinet = service.register(supply, asset("plan"), now=NOW)
    assert cabinet.unit_id == "plan"
    with pytest.raises(UnknownReference):
        service.transfer(supply, cabinet.id, models.Transfer(unit_id="finance"), now=NOW)
    # An asset filed under a free-text unit before units were checked still moves room or custodian,
    # keeping its unit; only a new unit is checked.
    from chalicelib.assets import store

    filed_before = store.asset(agency, cabinet.id)
    assert filed_before is not None
    filed_before.update(actions=[store.AssetItem.unit_id.set("งานพัสดุเดิม")])
    moved = service.transfer(
        supply, cabinet.id, models.Transfer(unit_id="งานพัสดุเดิม", location="ห้อง 204"), now=NOW
    )
    assert (moved.unit_id, moved.location) == ("งานพัสดุเดิม", "ห้อง 204")
    service.transfer(supply, cabinet.id, models.Transfer(unit_id="plan"), now=NOW)
    legacy = models.ImportCommand.model_validate_json(
        '{"rows": [{"number": "7440-001-2560-0001", "class_code": "7440-001", "description": "โต๊ะ",'
        ' "acquired_on": "2017-01-05", "price": "3000", "unit_id": "nowhere"}]}'
    )
    with pytest.raises(UnknownReference):
        service.import_assets(supply, legacy, now=NOW)
    assert [a.number for a in service.listing(supply).items] == [cabinet.number]  # nothing half-written
    assert service.listing(supply).items[0].unit_id == "plan"
