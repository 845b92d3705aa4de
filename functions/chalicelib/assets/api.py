"""Routes: the asset register (ครุภัณฑ์), its depreciation by fiscal year, and the yearly stock-take."""

from __future__ import annotations

from chalicelib.assets import models, service
from chalicelib.kernel.http import AnyCall, Api, Reply

api = Api(__name__, tag="assets")


@api.operation(
    "PUT",
    "/assets/settings",
    id="putAssetSettings",
    summary="The agency's asset settings: number format, classes and lives, supply officers, holidays",
    summary_th="ตั้งค่าทะเบียนครุภัณฑ์",
    body=models.AssetSettings,
    answer=models.AssetSettings,
    problems=(403,),
)
def put_settings(call: AnyCall) -> models.AssetSettings:
    return service.put_settings(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/assets/settings",
    id="getAssetSettings",
    summary="The agency's asset settings",
    summary_th="การตั้งค่าทะเบียนครุภัณฑ์",
    answer=models.AssetSettings,
    problems=(409,),
)
def get_settings(call: AnyCall) -> models.AssetSettings:
    return service.get_settings(call.principal)


@api.operation(
    "POST",
    "/assets",
    id="registerAsset",
    summary="Register an asset: its number from the agency's format, class and fiscal year",
    summary_th="ลงทะเบียนครุภัณฑ์",
    body=models.AssetCommand,
    answer=models.AssetView,
    status=201,
    problems=(403, 409),
)
def register(call: AnyCall) -> models.AssetView:
    return service.register(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/assets",
    id="listAssets",
    summary="The asset control register, by number",
    summary_th="ทะเบียนคุมครุภัณฑ์",
    answer=models.AssetList,
)
def listing(call: AnyCall) -> models.AssetList:
    return service.listing(call.principal)


@api.operation(
    "GET",
    "/assets/{asset_id}",
    id="getAsset",
    summary="An asset (its history is in the audit log)",
    summary_th="รายละเอียดครุภัณฑ์",
    params=models.AssetPath,
    answer=models.AssetView,
    problems=(404,),
)
def get_asset(call: AnyCall) -> models.AssetView:
    return service.get(call.principal, call.params.asset_id)


@api.operation(
    "POST",
    "/assets/{asset_id}/transfer",
    id="transferAsset",
    summary="Move an asset to another unit, custodian or place",
    summary_th="โอนย้ายครุภัณฑ์",
    params=models.AssetPath,
    body=models.Transfer,
    answer=models.AssetView,
    problems=(403, 404, 409),
)
def transfer(call: AnyCall) -> models.AssetView:
    return service.transfer(call.principal, call.params.asset_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/assets/{asset_id}/status",
    id="changeAssetStatus",
    summary="In use, under repair, unused, or disposed (จำหน่าย: approved by the director, with the reason)",
    summary_th="เปลี่ยนสถานะครุภัณฑ์ (ซ่อม ไม่ได้ใช้ จำหน่าย)",
    params=models.AssetPath,
    body=models.StatusChange,
    answer=models.AssetView,
    problems=(403, 404, 409),
)
def change_status(call: AnyCall) -> models.AssetView:
    return service.change_status(call.principal, call.params.asset_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/assets-depreciation",
    id="assetDepreciation",
    summary="Depreciation of every asset for a fiscal year (straight line, by days held)",
    summary_th="ค่าเสื่อมราคาประจำปีงบประมาณ",
    query=models.DepreciationQuery,
    answer=models.DepreciationReport,
    problems=(409,),
)
def depreciation(call: AnyCall) -> models.DepreciationReport:
    return service.depreciation_report(call.principal, call.query)


@api.operation(
    "POST",
    "/stocktakes",
    id="appointStocktake",
    summary="Appoint the year's stock-take checkers (never supply officers); its start and due date follow",
    summary_th="แต่งตั้งผู้ตรวจสอบพัสดุประจำปี",
    body=models.StocktakeCommand,
    answer=models.StocktakeView,
    status=201,
    problems=(403, 409),
)
def appoint(call: AnyCall) -> models.StocktakeView:
    return service.appoint(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/stocktakes/{fiscal_year}",
    id="getStocktake",
    summary="The year's stock-take: checkers, start, report due date, what was found so far",
    summary_th="ผลการตรวจสอบพัสดุประจำปี",
    params=models.StocktakePath,
    answer=models.StocktakeView,
    problems=(404,),
)
def get_stocktake(call: AnyCall) -> models.StocktakeView:
    return service.stocktake(call.principal, call.params.fiscal_year)


@api.operation(
    "POST",
    "/stocktakes/{fiscal_year}/findings",
    id="recordFinding",
    summary="A checker records an asset as found, missing, damaged or unused",
    summary_th="บันทึกผลการตรวจสอบครุภัณฑ์",
    params=models.StocktakePath,
    body=models.Finding,
    answer=models.StocktakeView,
    problems=(403, 404),
)
def record_finding(call: AnyCall) -> models.StocktakeView:
    return service.record_finding(call.principal, call.params.fiscal_year, call.body, now=call.now)


@api.operation(
    "GET",
    "/assets/{asset_id}/label.svg",
    id="assetLabel",
    summary="The asset's label: a QR code that opens its page and is scanned at the stock-take",
    summary_th="ป้ายรหัสคิวอาร์ของครุภัณฑ์",
    params=models.AssetPath,
    problems=(404,),
    answer_media="image/svg+xml",
)
def label(call: AnyCall) -> Reply:
    return Reply(body=service.label_svg(call.principal, call.params.asset_id).decode("utf-8"))


@api.operation(
    "POST",
    "/stocktakes/{fiscal_year}/scans",
    id="scanAsset",
    summary="A checker scans an asset's label: the finding is recorded for that asset",
    summary_th="สแกนป้ายครุภัณฑ์เพื่อบันทึกผลการตรวจสอบ",
    params=models.StocktakePath,
    body=models.Scan,
    answer=models.StocktakeView,
    problems=(403, 404),
)
def scan(call: AnyCall) -> models.StocktakeView:
    return service.scan(call.principal, call.params.fiscal_year, call.body, now=call.now)


@api.operation(
    "POST",
    "/assets-import",
    id="importAssets",
    summary="Import the agency's existing assets with their numbers (500 a call; running again is safe)",
    summary_th="นำเข้าทะเบียนครุภัณฑ์เดิม",
    body=models.ImportCommand,
    answer=models.Imported,
    problems=(403, 409, 413),
)
def import_assets(call: AnyCall) -> models.Imported:
    return service.import_assets(call.principal, call.body, now=call.now)


@api.operation(
    "POST",
    "/stocktakes/{fiscal_year}/report",
    id="draftStocktakeReport",
    summary="The checkers draft their report to the head: a memo to route, sign and register",
    summary_th="จัดทำรายงานผลการตรวจสอบพัสดุประจำปี",
    params=models.StocktakePath,
    answer=models.StocktakeReport,
    status=201,
    problems=(403, 404, 409),
)
def draft_report(call: AnyCall) -> models.StocktakeReport:
    return service.draft_report(call.principal, call.params.fiscal_year, now=call.now)
