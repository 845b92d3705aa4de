"""The asset register and its yearly stock-take, as the use cases read (docs/rules.md, "Assets"):

- the agency admin keeps the settings: the number format, the classes and their useful lives, the
  supply officers, the holidays;
- a supply officer (or the admin) registers an asset: its number comes from the format and a counter
  per class and fiscal year, taken in the same transaction as the asset;
- transfers, repairs and disposal change an asset, each written in the audit log (disposal needs the
  director: the approval of จำหน่าย);
- the depreciation report of a fiscal year (straight line, by days held, down to the residual);
- the stock-take: the head or the director appoints checkers who are not supply officers; checking
  starts on the first working day of October and the report is due on the 30th working day.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from chalicelib.assets import domain, models, store
from chalicelib.directory import service as directory
from chalicelib.documents import models as document_models
from chalicelib.documents import service as documents
from chalicelib.kernel import audit, ddb, keys
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Conflict, Forbidden, NotFound, UnknownReference
from chalicelib.kernel.principal import Principal, Role


def _settings(agency_id: str) -> models.AssetSettings:
    raw = store.settings(agency_id)
    if raw is None:
        raise Conflict(
            "ยังไม่ได้ตั้งค่าทะเบียนครุภัณฑ์", "the agency has no asset settings yet (PUT /v1/assets/settings)"
        )
    return models.AssetSettings.model_validate_json(_json(raw))


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def put_settings(
    principal: Principal, command: models.AssetSettings, *, now: datetime
) -> models.AssetSettings:
    principal.require(Role.ADMIN)
    tx = ddb.Transaction()
    store.save_settings(tx, principal.agency_id, command.model_dump(mode="json"))
    audit.record(
        tx, principal, "assets.settings_changed", "assets/settings", now, classes=len(command.classes)
    )
    tx.commit()
    return command


def get_settings(principal: Principal) -> models.AssetSettings:
    return _settings(principal.agency_id)


def _may_keep(principal: Principal, settings: models.AssetSettings) -> None:
    if principal.user_id not in settings.supply_officers and not principal.has(Role.ADMIN):
        raise Forbidden("เฉพาะเจ้าหน้าที่พัสดุ", "only the agency's supply officers keep the register")


def _view(item: store.AssetItem) -> models.AssetView:
    acquired = date.fromisoformat(item.acquired_on)
    return models.AssetView(
        id=store.asset_id_of(item),
        number=item.number,
        class_code=item.class_code,
        description=item.description,
        acquired_on=acquired,
        fiscal_year=domain.fiscal_year_of(acquired),
        document=item.document,
        price=item.price,
        funding=item.funding,
        location=item.location,
        unit_id=item.unit_id,
        custodian=item.custodian,
        status=item.status,
    )


def _require_units(agency_id: str, unit_ids: list[str]) -> None:
    """A unit named on an asset is one of the agency's units (its structure, as onboarded): a typo would
    file the asset under a unit no register, stock-take or report can find. An agency with no units
    recorded yet names them freely."""
    profile = directory.agency_profile(agency_id)
    known = set(profile.units) if profile else set()
    unknown = sorted({u for u in unit_ids if u} - known) if known else []
    if unknown:
        raise UnknownReference(
            f"ไม่พบหน่วยงาน {', '.join(unknown[:20])} ในโครงสร้างของหน่วยงาน",
            f"no units {unknown[:20]} in the agency's structure",
        )


def register(principal: Principal, command: models.AssetCommand, *, now: datetime) -> models.AssetView:
    settings = _settings(principal.agency_id)
    _may_keep(principal, settings)
    _require_units(principal.agency_id, [command.unit_id])
    if command.class_code not in {c.code for c in settings.classes}:
        raise UnknownReference(f"ไม่มีประเภทครุภัณฑ์ {command.class_code}", f"no asset class {command.class_code}")
    fiscal_year = domain.fiscal_year_of(command.acquired_on)
    for _ in range(8):  # the counter is taken with the asset, conditionally: a race only retries
        current = store.counter(principal.agency_id, command.class_code, fiscal_year)
        seq = (int(current.value) if current else 0) + 1
        number = settings.number_format.format(
            class_code=command.class_code, fiscal_year=fiscal_year, seq=seq
        )
        asset_id = keys.new_id()
        item = store.new_asset(
            principal.agency_id,
            asset_id,
            number=number,
            status="in_use",
            updated_at=now,
            **command.model_dump(mode="json", exclude={"acquired_on"}),
            acquired_on=command.acquired_on.isoformat(),
        )
        tx = ddb.Transaction()
        counter = store.new_counter(principal.agency_id, command.class_code, fiscal_year, seq)
        tx.put(
            "counter",
            counter,
            condition=(store.CounterItem.value == seq - 1)
            if current
            else store.CounterItem.pk.does_not_exist(),
        )
        tx.put("asset", item, condition=store.AssetItem.pk.does_not_exist())
        store.add_number(tx, principal.agency_id, number, asset_id)
        audit.record(
            tx, principal, "assets.registered", f"asset/{asset_id}", now, number=number, price=command.price
        )
        try:
            if tx.commit_unless_refused("counter"):
                return _view(item)
        except ddb.Cancelled as cancelled:
            if cancelled.failed("number"):  # the format gave a number an imported asset already has
                raise Conflict(
                    f"เลขครุภัณฑ์ {number} มีอยู่แล้วในทะเบียนเดิม ปรับรูปแบบเลขครุภัณฑ์",
                    f"the number {number} is held by an imported asset: change the number format",
                ) from cancelled
            raise
    raise Conflict("มีผู้ลงทะเบียนพร้อมกันจำนวนมาก โปรดลองอีกครั้ง", "the numbering kept changing: try again")


def listing(principal: Principal) -> models.AssetList:
    return models.AssetList(
        items=sorted((_view(i) for i in store.assets(principal.agency_id)), key=lambda v: v.number)
    )


def _asset(principal: Principal, asset_id: str) -> store.AssetItem:
    found = store.asset(principal.agency_id, asset_id)
    if found is None:
        raise NotFound("ไม่พบครุภัณฑ์", f"no asset {asset_id}")
    return found


def get(principal: Principal, asset_id: str) -> models.AssetView:
    return _view(_asset(principal, asset_id))


def _change(
    principal: Principal, item: store.AssetItem, actions: list[Any], action: str, now: datetime, **after: Any
) -> models.AssetView:
    tx = ddb.Transaction()
    tx.update(
        "asset",
        item,
        [*actions, store.AssetItem.updated_at.set(now)],
        condition=store.AssetItem.updated_at == item.updated_at,
    )
    audit.record(tx, principal, action, f"asset/{store.asset_id_of(item)}", now, **after)
    if not tx.commit_unless_refused("asset"):
        raise Conflict("มีผู้แก้ไขครุภัณฑ์นี้พร้อมกัน", "the asset changed meanwhile: try again")
    return get(principal, store.asset_id_of(item))


def transfer(
    principal: Principal, asset_id: str, command: models.Transfer, *, now: datetime
) -> models.AssetView:
    _may_keep(principal, _settings(principal.agency_id))
    item = _asset(principal, asset_id)
    if item.status == "disposed":
        raise Conflict("ครุภัณฑ์นี้จำหน่ายแล้ว", "the asset is disposed")
    if command.unit_id != item.unit_id:  # an asset filed before units were checked keeps its unit
        _require_units(principal.agency_id, [command.unit_id])
    actions = [
        store.AssetItem.unit_id.set(command.unit_id),
        store.AssetItem.location.set(command.location),
        store.AssetItem.custodian.set(command.custodian)
        if command.custodian
        else store.AssetItem.custodian.remove(),
    ]
    before = {"unit": item.unit_id, "custodian": item.custodian, "location": item.location}
    after = {"unit": command.unit_id, "custodian": command.custodian, "location": command.location}
    return _change(
        principal, item, actions, "assets.transferred", now, before=before, to=after, note=command.note
    )


def change_status(
    principal: Principal, asset_id: str, command: models.StatusChange, *, now: datetime
) -> models.AssetView:
    settings = _settings(principal.agency_id)
    item = _asset(principal, asset_id)
    if item.status == "disposed":
        raise Conflict("ครุภัณฑ์นี้จำหน่ายแล้ว", "the asset is disposed")
    if command.status == "disposed":
        # จำหน่าย is approved by the head of the agency: the director here.
        principal.require(Role.DIRECTOR)
        if not command.note.strip():
            raise Conflict("การจำหน่ายต้องระบุเหตุผลและเลขที่อนุมัติ", "a disposal gives its reason and approval")
    else:
        _may_keep(principal, settings)
    return _change(
        principal,
        item,
        [store.AssetItem.status.set(command.status)],
        f"assets.{command.status}",
        now,
        before=item.status,
        note=command.note,
    )


def depreciation_report(principal: Principal, query: models.DepreciationQuery) -> models.DepreciationReport:
    settings = _settings(principal.agency_id)
    lives = {c.code: c.life_years for c in settings.classes}
    residual = Decimal(settings.residual_baht)
    _, end = domain.fiscal_bounds(query.fiscal_year)
    rows = []
    for item in sorted(store.assets(principal.agency_id), key=lambda a: a.number):
        acquired = date.fromisoformat(item.acquired_on)
        if acquired > end:
            continue
        figures = domain.depreciation(
            Decimal(item.price), acquired, lives.get(item.class_code, 1), query.fiscal_year, residual=residual
        )
        rows.append(
            models.DepreciationRow(
                number=item.number,
                description=item.description,
                cost=f"{figures.cost:.2f}",
                life_years=lives.get(item.class_code, 1),
                this_year=f"{figures.this_year:.2f}",
                accumulated=f"{figures.accumulated:.2f}",
                net=f"{figures.net:.2f}",
            )
        )
    total_year = sum((Decimal(r.this_year) for r in rows), Decimal(0))
    total_net = sum((Decimal(r.net) for r in rows), Decimal(0))
    return models.DepreciationReport(
        fiscal_year=query.fiscal_year,
        rows=rows,
        total_this_year=f"{total_year:.2f}",
        total_net=f"{total_net:.2f}",
    )


# -- the agency's existing register ---------------------------------------------------------------------
def legacy_id(number: str) -> str:
    """An imported asset's id comes from its number, so an import run again finds what it wrote."""
    import hashlib

    return "L" + hashlib.sha256(number.encode()).hexdigest()[:24]


def import_assets(principal: Principal, command: models.ImportCommand, *, now: datetime) -> models.Imported:
    """The assets the agency already holds, with their existing numbers (the live counters are not
    touched). Each call is checked whole before anything is written: unknown classes, a number twice,
    or a number another asset already has are refused with the numbers. Written in transactions of 49
    assets with their numbers and audit event (not one: 500 rows exceed it); a call cut short is run
    again and writes only what is missing, since each asset's id comes from its number."""
    settings = _settings(principal.agency_id)
    _may_keep(principal, settings)
    classes = {c.code for c in settings.classes}
    unknown = sorted({r.class_code for r in command.rows} - classes)
    if unknown:
        raise UnknownReference(f"ไม่มีประเภทครุภัณฑ์ {', '.join(unknown)}", f"no asset classes {unknown}")
    _require_units(principal.agency_id, [r.unit_id for r in command.rows])
    numbers = [r.number for r in command.rows]
    twice = sorted({n for n in numbers if numbers.count(n) > 1}) if len(set(numbers)) != len(numbers) else []
    if twice:
        raise Conflict(
            f"เลขครุภัณฑ์ซ้ำในรายการนำเข้า: {', '.join(twice[:20])}", f"numbers given twice: {twice[:20]}"
        )
    existing = store.number_holders(principal.agency_id, numbers)
    clash = [
        r.number for r in command.rows if r.number in existing and existing[r.number] != legacy_id(r.number)
    ]
    if clash:
        raise Conflict(
            f"เลขครุภัณฑ์ซ้ำกับที่ลงทะเบียนไว้แล้ว: {', '.join(clash[:20])}",
            f"numbers the register already has for other assets: {clash[:20]}",
        )
    fresh = [r for r in command.rows if r.number not in existing]

    def event(part: list[store.AssetItem]) -> AuditEvent:
        numbers = [a.number for a in part]
        return AuditEvent(
            principal.agency_id,
            principal.user_id,
            "assets.imported",
            "assets/register",
            now,
            after={"count": len(numbers), "numbers": numbers},
        )

    try:
        store.save_assets(
            [
                store.new_asset(
                    principal.agency_id,
                    legacy_id(row.number),
                    **row.model_dump(mode="json", exclude={"acquired_on"}),
                    acquired_on=row.acquired_on.isoformat(),
                    updated_at=now,
                )
                for row in fresh
            ],
            event,
        )
    except ddb.Cancelled as cancelled:
        raise Conflict(
            "มีการนำเข้ารายการเดียวกันพร้อมกัน โปรดนำเข้าอีกครั้ง",
            "another import wrote some of these rows: run it again",
        ) from cancelled
    return models.Imported(
        imported=len(fresh), already_there=sorted(r.number for r in command.rows if r.number in existing)
    )


# -- the stock-take ------------------------------------------------------------------------------------
def appoint(principal: Principal, command: models.StocktakeCommand, *, now: datetime) -> models.StocktakeView:
    if not (principal.has(Role.HEAD) or principal.has(Role.DIRECTOR)):
        raise Forbidden("ผู้บังคับบัญชาเป็นผู้แต่งตั้งผู้ตรวจสอบพัสดุ", "the head or the director appoints the checkers")
    settings = _settings(principal.agency_id)
    supply = sorted(set(command.checkers) & set(settings.supply_officers))
    if supply:
        raise Conflict(
            "ผู้ตรวจสอบพัสดุต้องไม่ใช่เจ้าหน้าที่พัสดุ (ระเบียบกระทรวงการคลังฯ พ.ศ. 2560 ข้อ 213): " + ", ".join(supply),
            f"checkers may not be supply officers: {supply}",
        )
    holidays = set(settings.holidays)
    _, year_end = domain.fiscal_bounds(command.fiscal_year)
    starts = domain.first_working_day(date(year_end.year, 10, 1), holidays)
    due = domain.working_days_after(starts, 30, holidays)
    item = store.new_stocktake(
        principal.agency_id,
        command.fiscal_year,
        checkers=list(command.checkers),
        starts_on=starts.isoformat(),
        report_due=due.isoformat(),
    )
    tx = ddb.Transaction()
    tx.put("stocktake", item, condition=store.StocktakeItem.pk.does_not_exist())
    audit.record(
        tx,
        principal,
        "assets.stocktake_appointed",
        f"stocktake/{command.fiscal_year}",
        now,
        checkers=list(command.checkers),
    )
    if not tx.commit_unless_refused("stocktake"):
        raise Conflict(f"แต่งตั้งผู้ตรวจสอบปีงบประมาณ {command.fiscal_year} แล้ว", "the year's stock-take exists")
    return stocktake(principal, command.fiscal_year)


def stocktake(principal: Principal, fiscal_year: int) -> models.StocktakeView:
    item = store.stocktake(principal.agency_id, fiscal_year)
    if item is None:
        raise NotFound("ยังไม่มีการตรวจสอบพัสดุประจำปีนี้", f"no stock-take for {fiscal_year}")
    found = {f.sk: f for f in store.findings(principal.agency_id, fiscal_year)}
    counted: dict[str, int] = {}
    for finding in found.values():
        counted[finding.result] = counted.get(finding.result, 0) + 1
    in_scope = [a for a in store.assets(principal.agency_id) if a.status != "disposed"]
    return models.StocktakeView(
        fiscal_year=fiscal_year,
        checkers=list(item.checkers),
        starts_on=date.fromisoformat(item.starts_on),
        report_due=date.fromisoformat(item.report_due),
        counted=counted,
        not_yet_checked=sum(1 for a in in_scope if store.asset_id_of(a) not in found),
    )


def record_finding(
    principal: Principal, fiscal_year: int, command: models.Finding, *, now: datetime
) -> models.StocktakeView:
    item = store.stocktake(principal.agency_id, fiscal_year)
    if item is None:
        raise NotFound("ยังไม่มีการตรวจสอบพัสดุประจำปีนี้", f"no stock-take for {fiscal_year}")
    if principal.user_id not in item.checkers:
        raise Forbidden("บันทึกผลได้เฉพาะผู้ตรวจสอบที่ได้รับแต่งตั้ง", "only the appointed checkers record findings")
    _asset(principal, command.asset_id)
    tx = ddb.Transaction()
    finding = store.new_finding(
        principal.agency_id,
        fiscal_year,
        command.asset_id,
        result=command.result,
        note=command.note,
        by=principal.user_id,
    )
    tx.put("finding", finding)
    audit.record(
        tx,
        principal,
        "assets.checked",
        f"asset/{command.asset_id}",
        now,
        result=command.result,
        fiscal_year=fiscal_year,
    )
    tx.commit()
    return stocktake(principal, fiscal_year)


# -- labels and scanning -------------------------------------------------------------------------------
LABEL_SCHEME = "eoffice:asset:"


def label_payload(asset_id: str) -> str:
    """What an asset's QR code says: the asset's page in the web application when its address is
    known (EOFFICE_APP_URL), else a platform code; either opens the asset and either scans."""
    import os

    base = os.environ.get("EOFFICE_APP_URL", "").rstrip("/")
    return f"{base}/assets/{asset_id}" if base else f"{LABEL_SCHEME}{asset_id}"


def label_svg(principal: Principal, asset_id: str) -> bytes:
    """The asset's label: its QR code as SVG (segno), titled with the asset number."""
    import io

    import segno

    item = _asset(principal, asset_id)
    out = io.BytesIO()
    segno.make(label_payload(asset_id), error="m").save(out, kind="svg", scale=4, border=2, title=item.number)
    return out.getvalue()


def scan(
    principal: Principal, fiscal_year: int, command: models.Scan, *, now: datetime
) -> models.StocktakeView:
    """A checker scans a label: the code names the asset, and the finding is recorded for it."""
    code = command.code.strip()
    asset_id = (
        code.removeprefix(LABEL_SCHEME)
        if code.startswith(LABEL_SCHEME)
        else code.rstrip("/").rsplit("/", 1)[-1]
    )
    if store.asset(principal.agency_id, asset_id) is None:
        raise NotFound("รหัสที่สแกนไม่ใช่ครุภัณฑ์ของหน่วยงาน", "the scanned code names no asset of the agency")
    finding = models.Finding.model_validate(
        {"asset_id": asset_id, "result": command.result, "note": command.note}
    )
    return record_finding(principal, fiscal_year, finding, now=now)


RESULT_TH = {"found": "พบและใช้งานได้", "damaged": "ชำรุด", "unused": "ไม่จำเป็นต้องใช้", "missing": "สูญไป"}
LISTED_AT_MOST = 300  # asset lines per result in the report's body; beyond, the count and the register
LIST_CHARACTERS = 14_000  # per result: three lists and the rest stay under a body's 50,000 characters


def draft_report(principal: Principal, fiscal_year: int, *, now: datetime) -> models.StocktakeReport:
    """The checkers' report to the head of the agency (ข้อ 213): what was checked, what was found, and
    each asset damaged, unused or missing by number. A memo of the agency, then routed to be signed by
    the checkers, numbered and registered like any letter."""
    from chalicelib.thai import thai_date

    item = store.stocktake(principal.agency_id, fiscal_year)
    if item is None:
        raise NotFound("ยังไม่มีการตรวจสอบพัสดุประจำปีนี้", f"no stock-take for {fiscal_year}")
    if principal.user_id not in item.checkers:
        raise Forbidden("ผู้ตรวจสอบพัสดุเป็นผู้จัดทำรายงาน", "the appointed checkers draft the report")
    if item.report:
        raise Conflict("จัดทำรายงานผลการตรวจสอบแล้ว", f"the report is drafted: document {item.report}")
    found = {f.sk: f for f in store.findings(principal.agency_id, fiscal_year)}
    in_scope = sorted(
        (a for a in store.assets(principal.agency_id) if a.status != "disposed"), key=lambda a: a.number
    )
    by_result: dict[str, list[str]] = {r: [] for r in RESULT_TH}
    unchecked = 0
    for asset in in_scope:
        finding = found.get(store.asset_id_of(asset))
        if finding is None:
            unchecked += 1
            continue
        note = f" ({finding.note})" if finding.note else ""
        by_result[finding.result].append(f"{asset.number} {asset.description}{note}")
    counts = " ".join(f"{RESULT_TH[r]} {len(v):,} รายการ" for r, v in by_result.items())
    starts = thai_date(date.fromisoformat(item.starts_on))
    due = thai_date(date.fromisoformat(item.report_due))
    paragraphs = [
        f"ตามที่ได้แต่งตั้งผู้ตรวจสอบพัสดุประจำปีงบประมาณ {fiscal_year} ผู้ตรวจสอบได้เริ่มตรวจสอบตั้งแต่วันที่ "
        f"{starts} (กำหนดรายงานภายในวันที่ {due})",
        f"ผลการตรวจสอบครุภัณฑ์ทั้งสิ้น {len(in_scope):,} รายการ: {counts}"
        + (f" ยังไม่ได้ตรวจสอบ {unchecked:,} รายการ" if unchecked else ""),
    ]
    for result in ("damaged", "unused", "missing"):
        lines = by_result[result]
        if lines:
            shown_lines: list[str] = []
            for n, line in enumerate(lines[:LISTED_AT_MOST], start=1):
                entry = f"{n}. {line[:300]}"
                if sum(len(x) + 1 for x in shown_lines) + len(entry) > LIST_CHARACTERS:
                    break
                shown_lines.append(entry)
            shown = "\n".join(shown_lines)
            rest = len(lines) - len(shown_lines)
            more = f"\nและอีก {rest:,} รายการ ตามทะเบียน" if rest else ""
            paragraphs.append(f"ครุภัณฑ์ที่{RESULT_TH[result]}\n{shown}{more}")
    paragraphs.append("จึงเรียนมาเพื่อโปรดทราบและพิจารณา")
    director = next(iter(directory.with_role(principal.agency_id, "director")), None)
    head = directory.signer(principal.agency_id, director) if director else None
    settings = _settings(principal.agency_id)
    draft = document_models.DocumentDraft.model_validate_json(
        _json(
            {
                "kind": "internal",
                "subject": f"รายงานผลการตรวจสอบพัสดุประจำปีงบประมาณ {fiscal_year}",
                "recipient": {"position": head.position if head and head.position else "หัวหน้าหน่วยงาน"},
                "body": "\n\n".join(paragraphs),
                "signers": list(item.checkers)[:10],
                "grants": sorted({*item.checkers, *settings.supply_officers})[:100],
            }
        )
    )
    document = documents.new_document_item(principal, draft, now=now)
    document_id = documents.document_id_of(document)
    tx = ddb.Transaction()
    documents.add_new_document(tx, document)
    tx.update(
        "stocktake",
        item,
        [store.StocktakeItem.report.set(document_id)],
        condition=store.StocktakeItem.report.does_not_exist(),
    )
    audit.add_to(tx, documents.created_event(principal, document, now))
    audit.record(
        tx, principal, "assets.stocktake_reported", f"stocktake/{fiscal_year}", now, document=document_id
    )
    if not tx.commit_unless_refused("stocktake"):
        raise Conflict("จัดทำรายงานผลการตรวจสอบแล้ว", "the report was drafted meanwhile")
    return models.StocktakeReport(fiscal_year=fiscal_year, document_id=document_id, subject=draft.subject)
