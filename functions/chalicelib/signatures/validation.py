"""Checking the signatures on any PDF against the agency's trust list, as JSON or a readable report."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from chalicelib.directory import service as directory
from chalicelib.kernel.errors import PayloadTooLarge
from chalicelib.kernel.principal import Principal
from chalicelib.signatures import models

MAX_VALIDATE_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit


def trust_roots_pem(agency_id: str) -> list[str]:
    """The agency's trust list: the national root CA certificates (the test root locally)."""
    profile = directory.agency_profile(agency_id)
    return list((profile.settings.get("signing", {}) if profile else {}).get("trust_roots_pem", []))


def validate(principal: Principal, pdf: bytes) -> models.ValidationReport:
    from chalicelib.pdf.inspect import inspect_pdf
    from chalicelib.signing.errors import InvalidPdfError
    from chalicelib.signing.validation import load_roots, validate_pdf

    if len(pdf) > MAX_VALIDATE_BYTES:
        raise PayloadTooLarge("ไฟล์ใหญ่เกินกำหนด", f"the PDF is over {MAX_VALIDATE_BYTES} bytes")
    roots = load_roots(trust_roots_pem(principal.agency_id))
    trust_list = [str(root.subject.human_friendly) for root in roots]
    try:
        if not pdf:
            raise InvalidPdfError(
                "the request carries no PDF (send it as the body, Content-Type: application/pdf)"
            )
        # Judged first in a child process with a memory and time budget: a crafted file that would
        # exhaust the validator is reported as unreadable, not answered with a 500.
        facts = inspect_pdf(pdf)
        if not facts.readable:
            raise InvalidPdfError(facts.error or "unreadable")
        report = validate_pdf(pdf, roots).to_dict()
    except (InvalidPdfError, RecursionError) as error:
        # Any bytes may be sent for checking: a file that is not a readable PDF gets a report saying so.
        return models.ValidationReport(
            readable=False,
            error=f"not a readable PDF: {error}"[:300],
            error_th="ไฟล์ไม่ใช่ PDF ที่อ่านได้",
            signatures=[],
            revisions=0,
            has_dss=False,
            validated_at=datetime.now(UTC).isoformat(),
            all_valid=False,
            trust_list=trust_list,
        )
    report["trust_list"] = trust_list
    return models.ValidationReport.model_validate(report)


_LABELS = [
    ("signer", "ผู้ลงนาม", "Signer"),
    ("trusted", "ใบรับรองเชื่อถือได้", "Certificate trusted"),
    ("intact", "เอกสารไม่ถูกแก้ไขหลังลงนาม", "Unchanged since signing"),
    ("coverage", "ขอบเขตที่ลายมือชื่อครอบคลุม", "What the signature covers"),
    ("modified_after_signing", "มีการเพิ่มเติมภายหลัง", "Revisions added after signing"),
    ("modification_level", "ลักษณะการเพิ่มเติม", "Kind of later changes"),
    ("timestamp", "การประทับรับรองเวลา", "Timestamp"),
    ("revocation", "สถานะการเพิกถอน", "Revocation status"),
    ("ltv_embedded", "มีข้อมูลตรวจสอบระยะยาว", "Long-term validation data embedded"),
    ("pades_level", "ระดับ PAdES", "PAdES level"),
    ("bottom_line", "ผลสรุป", "Result"),
]


def _cell(key: str, signature: dict[str, Any]) -> str:
    value = signature.get(key)
    if key == "signer" and isinstance(value, dict):
        return f"{value['subject']} (serial {value['serial']})"
    if key == "timestamp":
        return f"{value['time']} · {(value.get('tsa') or {}).get('subject', '')}" if value else "—"
    if key == "revocation":
        return str(value.get("status", "—")) if value else "—"
    if isinstance(value, bool):
        return "ใช่ / yes" if value else "ไม่ / no"
    return "—" if value is None else str(value)


def html_report(report: models.ValidationReport) -> str:
    data = report.model_dump(mode="json")
    rows = []
    for index, signature in enumerate(data["signatures"], 1):
        verdict = "ผ่าน / VALID" if signature["bottom_line"] else "ไม่ผ่าน / NOT VALID"
        cells = "".join(
            f"<tr><th>{html.escape(th)}<br><small>{html.escape(en)}</small></th>"
            f"<td>{html.escape(_cell(key, signature))}</td></tr>"
            for key, th, en in _LABELS
        )
        rows.append(
            f"<section><h2>ลายมือชื่อที่ {index} / Signature {index}: {html.escape(signature['field_name'])} "
            f"— {verdict}</h2><p>{html.escape(signature['summary'])}</p><table>{cells}</table></section>"
        )
    if not report.readable:
        overall = f"{report.error_th} / {report.error}"
    elif report.all_valid:
        overall = "ลายมือชื่อทั้งหมดถูกต้อง / all signatures valid"
    else:
        overall = "มีลายมือชื่อที่ไม่ผ่านการตรวจสอบ หรือไม่มีลายมือชื่อ / not all signatures are valid, or none found"
    return (
        '<!doctype html><html lang="th"><head><meta charset="utf-8"><title>รายงานผลการตรวจสอบลายมือชื่อ'
        "อิเล็กทรอนิกส์</title><style>body{font-family:'TH Sarabun New',Laksaman,sans-serif;margin:2em}"
        "table{border-collapse:collapse}th,td{border:1px solid #999;padding:4px 8px;text-align:left;"
        "vertical-align:top}th{width:18em;background:#f3f3f3}</style></head><body>"
        "<h1>รายงานผลการตรวจสอบลายมือชื่ออิเล็กทรอนิกส์<br><small>Electronic signature validation report"
        "</small></h1>"
        f"<p><strong>{html.escape(overall)}</strong></p>"
        f"<p>ตรวจสอบเมื่อ / validated at {html.escape(report.validated_at)} · "
        f"จำนวนฉบับแก้ไข / revisions {report.revisions} · "
        f"รายการใบรับรองที่เชื่อถือ / trust list: {html.escape('; '.join(report.trust_list))}</p>"
        + "".join(rows)
        + "</body></html>"
    )
