"""What a register line shows, and the books' forms (moto in-process): the letter date of outgoing
numbers, จาก per direction, each book's own columns, the CSV's state, the sender's ที่ as written,
the printed book's numerals, and the same incoming letter registered twice."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pypdf
import pytest
from chalicelib.documents import service as documents
from chalicelib.documents.models import DocumentDraft
from chalicelib.kernel.http import parse
from chalicelib.registers import domain, exports, models, store
from chalicelib.registers import service as registration
from chalicelib.registers.domain import STANDARD_BOOKS, DuplicateLetter

from tests.conftest import principal
from tests.unit.pdf.conftest import squash

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)  # 1 มิ.ย. 2569, 10.00 in Bangkok
LATER = datetime(2026, 6, 9, 3, 0, tzinfo=UTC)


def register(
    who: Any, book: str, body: dict[str, Any], *, now: datetime = NOW, key: str | None = None
) -> dict[str, Any]:
    command = parse(models.RegistrationCommand, body, "body", strict=True)
    entry, _ = registration.register(who, book, command, idempotency_key=key, clock=lambda: now)
    return entry.model_dump(mode="json")


def lines(who: Any, book: str, year: int = 2569) -> list[dict[str, Any]]:
    page = registration.list_book(who, book, models.ListQuery(year=year), now=NOW)
    return [e.model_dump(mode="json", by_alias=True) for e in page.entries]


def csv_rows(who: Any, book: str) -> list[list[str]]:
    export = exports.register_csv(who, book, models.ListQuery(year=2569), now=NOW)
    return list(csv.reader(io.StringIO(export.body.decode("utf-8-sig"))))


def pdf_text(who: Any, book: str) -> str:
    export = exports.register_pdf(who, book, models.ListQuery(year=2569), now=NOW)
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(export.body)).pages)


def incoming(
    reference: str = "ศธ 04254/ว 1234", letter_date: str = "2026-05-28", **extra: Any
) -> dict[str, Any]:
    return {
        "document": {
            "kind": "external",
            "subject": "ขอเชิญประชุม",
            "reference": reference,
            "letter_date": letter_date,
            "sender": {"position": "ผู้อำนวยการ", "agency": "สำนักงานเขตพื้นที่การศึกษา"},
            "recipient": {"position": "อธิบดี"},
            **extra,
        }
    }


def outgoing(**extra: Any) -> dict[str, Any]:
    return {
        "document": {
            "kind": "external",
            "subject": "ขอความอนุเคราะห์ข้อมูล",
            "owner_unit_id": "plan",
            "recipient": {"position": "ผู้ว่าราชการจังหวัดนนทบุรี"},
            **extra,
        }
    }


def order(**extra: Any) -> dict[str, Any]:
    return {
        "document": {
            "kind": "directive",
            "sub_kind": "order",
            "subject": "แต่งตั้งคณะทำงาน",
            "owner_unit_id": "plan",
            "sender": {"position": "อธิบดีกรมทดสอบ"},
            **extra,
        }
    }


# -- 1. ลงวันที่ of outgoing and order entries -----------------------------------------------------
def test_outgoing_and_order_lines_carry_the_date_the_number_was_taken(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    made = register(saraban, "outgoing", outgoing())
    assert made["letter_date"] == "2026-06-01"
    register(saraban, "order", order())
    for book in ("outgoing", "order"):
        (line,) = lines(saraban, book)
        assert line["letter_date"] == "2026-06-01", book
        assert csv_rows(saraban, book)[1][csv_rows(saraban, book)[0].index("ลงวันที่")] == "1 มิ.ย. 2569"


def test_a_document_in_the_system_is_dated_in_its_line_and_a_new_number_dates_it_afresh(
    new_agency: Any,
) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    draft = DocumentDraft.model_validate_json(json.dumps(outgoing()["document"]))
    document_id = documents.create_document(saraban, draft, now=NOW).id
    first = register(saraban, "outgoing", {"document_id": document_id})
    assert lines(saraban, "outgoing")[0]["letter_date"] == "2026-06-01"
    stored = documents.document_item(agency, document_id)
    assert stored is not None and stored.content["letter_date"] == "2026-06-01"
    registration.cancel(
        saraban, "outgoing", 2569, first["number"], models.CancelCommand(reason="ส่งคืนแก้ไข"), now=NOW
    )
    stored = documents.document_item(agency, document_id)
    assert (
        stored is not None and stored.content["letter_date"] is None and stored.content["reference"] is None
    )
    again = register(saraban, "outgoing", {"document_id": document_id}, now=LATER)
    assert again["letter_date"] == "2026-06-09"
    assert [line["letter_date"] for line in lines(saraban, "outgoing")] == ["2026-06-01", "2026-06-09"]


def test_a_letter_that_has_its_date_keeps_it(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "outgoing", outgoing(letter_date="2026-05-20"))
    assert lines(saraban, "outgoing")[0]["letter_date"] == "2026-05-20"


# -- 2. จาก and ถึง ------------------------------------------------------------------------------------
def test_from_is_the_owning_unit_for_outgoing_and_the_sender_for_incoming(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "outgoing", outgoing(sender={"position": "อธิบดีกรมทดสอบ"}))
    announcement = {"document": {"kind": "public_relations", "subject": "ประกาศรับสมัคร"}}
    register(saraban, "announcement", announcement)  # the registering officer's unit owns it
    register(principal(agency, "saraban", units=()), "announcement", announcement)  # no unit at all
    (line,) = lines(saraban, "outgoing")
    assert (line["from"], line["to"], line["owner_unit"]) == ("กองแผนงาน", "ผู้ว่าราชการจังหวัดนนทบุรี", "กองแผนงาน")
    assert [e["from"] for e in lines(saraban, "announcement")] == ["สำนักงานเลขานุการกรม", "กรมทดสอบ"]
    rows = csv_rows(saraban, "outgoing")
    assert rows[1][rows[0].index("จาก")] == "กองแผนงาน"
    register(saraban, "incoming", incoming())
    (line,) = lines(saraban, "incoming")
    assert line["from"] == "ผู้อำนวยการ สำนักงานเขตพื้นที่การศึกษา" and line["to"] == "อธิบดี"


def test_from_follows_the_unit_named_at_registration(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "outgoing", {**outgoing(), "unit_id": "office"})
    (line,) = lines(saraban, "outgoing")
    assert line["from"] == "สำนักงานเลขานุการกรม" and line["ref_line"] == "ที่ ทส 0101/1"


def test_the_action_written_by_routing_is_kept_in_the_line_and_the_exports(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    made = register(saraban, "incoming", incoming())
    changed = registration.record_action(
        agency, made["document_id"], "มอบ กองแผนงาน", actor="system", now=NOW
    )
    assert changed == 1
    assert lines(saraban, "incoming")[0]["action"] == "มอบ กองแผนงาน"
    rows = csv_rows(saraban, "incoming")
    assert rows[1][rows[0].index("การปฏิบัติ")] == "มอบ กองแผนงาน"


# -- 4 and 5. numerals ---------------------------------------------------------------------------
def test_a_thai_numeral_agency_prints_its_own_numbers_in_thai_and_the_senders_as_written(
    new_agency: Any,
) -> None:
    agency = new_agency({"thai_numerals": True})
    saraban = principal(agency, "saraban")
    register(saraban, "incoming", incoming(subject="รายงานไตรมาสที่ 2 ปี 2569"))
    text = squash(pdf_text(saraban, "incoming"))
    assert squash("ศธ 04254/ว 1234") in text  # the sender's ที่ as written on the letter
    assert squash("รายงานไตรมาสที่ 2 ปี 2569") in text  # the subject as written
    assert squash("๑ มิ.ย. ๒๕๖๙ ๑๐.๐๐ น.") in text  # the register's own date and time
    assert squash("๒๘ พ.ค. ๒๕๖๙") in text
    assert squash("ทะเบียนหนังสือรับ ประจำปี พ.ศ. ๒๕๖๙") in text  # the title
    assert "หน้า๑/๑" in text and squash("พิมพ์เมื่อ ๑ มิถุนายน ๒๕๖๙ เวลา ๑๐.๐๐ น.") in text  # the footer
    assert "2569" not in text.replace(squash("รายงานไตรมาสที่ 2 ปี 2569"), "")


def test_an_agency_with_arabic_numerals_prints_arabic_digits(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "outgoing", outgoing())
    text = squash(pdf_text(saraban, "outgoing"))
    assert squash("ทะเบียนหนังสือส่ง ประจำปี พ.ศ. 2569") in text and "หน้า1/1" in text
    assert squash("ที่ ทส 0101.2/1") in text


def test_the_outgoing_reference_is_the_agencys_own_and_follows_its_numerals() -> None:
    entry = {
        "number": 136,
        "year": 2569,
        "registered_at": "2026-06-01T03:00:00+00:00",
        "ref_line": "ที่ ดศ 0201.3/136",
        "reference": "ที่ ดศ 0201.3/136",
        "letter_date": "2026-06-01",
        "cancelled": False,
        "subject": "ประชุม 3 ครั้ง",
    }
    (row,) = exports.register_rows(STANDARD_BOOKS["outgoing"], [entry], thai_numerals=True, printed=True)
    assert row[:4] == ["๑๓๖", "๑ มิ.ย. ๒๕๖๙", "ที่ ดศ ๐๒๐๑.๓/๑๓๖", "๑ มิ.ย. ๒๕๖๙"]
    assert row[6] == "ประชุม 3 ครั้ง"


# -- 6. each book its own columns ------------------------------------------------------------------
def test_each_book_has_its_own_columns_and_the_csv_adds_the_state(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "order", order())
    register(
        saraban,
        "announcement",
        {
            "document": {
                "kind": "public_relations",
                "sub_kind": "announcement",
                "subject": "รับสมัครงาน",
                "owner_unit_id": "office",
            }
        },
    )
    register(saraban, "circular", {**outgoing(), "recipients": ["ผู้ว่าราชการจังหวัดทุกจังหวัด", "อธิบดีทุกกรม"]})
    rows = csv_rows(saraban, "order")
    assert rows[0] == ["เลขที่คำสั่ง", "ลงวันที่", "เรื่อง", "ผู้ลงนาม", "หน่วยงานเจ้าของเรื่อง", "หมายเหตุ", "สถานะ"]
    assert rows[1] == ["1/2569", "1 มิ.ย. 2569", "แต่งตั้งคณะทำงาน", "อธิบดีกรมทดสอบ", "กองแผนงาน", "", "ปกติ"]
    rows = csv_rows(saraban, "announcement")
    assert rows[0] == ["เลขทะเบียน", "ลงวันที่", "เรื่อง", "ผู้ลงนาม", "หน่วยงานเจ้าของเรื่อง", "หมายเหตุ", "สถานะ"]
    assert rows[1][:3] == ["1", "1 มิ.ย. 2569", "รับสมัครงาน"] and rows[1][4] == "สำนักงานเลขานุการกรม"
    rows = csv_rows(saraban, "circular")
    assert rows[0][:7] == ["เลขทะเบียนส่ง", "วันที่ลงทะเบียน", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง"]
    assert rows[1][2] == "ที่ ทส 0101.2/ว 1"
    assert rows[1][5] == "ผู้ว่าราชการจังหวัดทุกจังหวัด, อธิบดีทุกกรม"
    assert lines(saraban, "circular")[0]["recipients"] == ["ผู้ว่าราชการจังหวัดทุกจังหวัด", "อธิบดีทุกกรม"]
    text = squash(pdf_text(saraban, "order"))
    for title in ("เลขที่คำสั่ง", "ผู้ลงนาม", "หน่วยงานเจ้าของเรื่อง"):
        assert squash(title) in text
    assert squash("การปฏิบัติ") not in text


def test_the_signer_of_an_order_is_its_signer_in_the_directory(new_agency: Any) -> None:
    from chalicelib.directory.store import new_user

    agency = new_agency()
    new_user(
        agency, "u-chief", username="chief", name="นายใหญ่ ใจดี", position="อธิบดีกรมทดสอบ", units=["office"]
    ).save()
    saraban = principal(agency, "saraban")
    register(saraban, "order", order(sender={}, signers=["u-chief"]))
    assert lines(saraban, "order")[0]["signer"] == "อธิบดีกรมทดสอบ"


def test_every_form_has_its_printed_columns() -> None:
    from chalicelib.pdf.register_book import FORMS

    for layout, columns in domain.LAYOUT_COLUMNS.items():
        assert [c.title for c in FORMS[layout.value]] == [c.title for c in columns], layout


def test_an_agency_book_keeps_the_form_of_the_standard_book_it_overrides() -> None:
    books = domain.books_of(
        {
            "books": [
                {
                    "id": "order",
                    "name_th": "คำสั่ง",
                    "name_en": "orders",
                    "direction": "outgoing",
                    "ref_format": "ที่ {unit_code}/{number}",
                },
                {
                    "id": "certificate",
                    "name_th": "หนังสือรับรอง",
                    "name_en": "certificates",
                    "direction": "outgoing",
                },
                {
                    "id": "memo-in",
                    "name_th": "บันทึกรับ",
                    "name_en": "memos in",
                    "direction": "incoming",
                    "layout": "incoming",
                },
            ]
        }
    )
    assert books["order"].form is domain.Layout.ORDER
    assert books["certificate"].form is domain.Layout.OUTGOING
    assert books["memo-in"].form is domain.Layout.INCOMING
    with pytest.raises(Exception, match="layout"):
        domain.custom_book("x-book", "x", "x", "outgoing", None, "ledger")


# -- 7. a cancelled line in the CSV ----------------------------------------------------------------
@pytest.mark.parametrize("reason", ["ยกเลิกตามเส้นทาง", "พิมพ์ผิด"])
def test_a_cancelled_line_has_its_state_and_its_reason_once(new_agency: Any, reason: str) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "outgoing", outgoing())
    register(saraban, "outgoing", outgoing())
    registration.cancel(saraban, "outgoing", 2569, 1, models.CancelCommand(reason=reason), now=NOW)
    rows = csv_rows(saraban, "outgoing")
    assert rows[0][-2:] == ["หมายเหตุ", "สถานะ"]
    assert rows[1][-2:] == [f"{reason} (ผู้ทดสอบ)", "ยกเลิก"]
    assert rows[2][-2:] == ["", "ปกติ"]
    printed = squash(pdf_text(saraban, "outgoing"))
    assert squash("ยกเลิก: ยกเลิก") not in printed
    assert squash(reason if reason.startswith("ยกเลิก") else f"ยกเลิก: {reason}") in printed
    assert lines(saraban, "outgoing")[0]["remark"] == f"{reason} (ผู้ทดสอบ)"


# -- 8. the same incoming letter twice ---------------------------------------------------------------
def test_the_same_letter_twice_is_refused_naming_the_earlier_entry(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    first = register(saraban, "incoming", incoming())
    with pytest.raises(DuplicateLetter) as refused:
        # the same ที่ written in Thai digits and spaced differently is the same letter
        register(saraban, "incoming", incoming(reference="ศธ ๐๔๒๕๔/ว  ๑๒๓๔"), now=LATER)
    assert refused.value.status == 409
    assert refused.value.extra["earlier"]["number"] == first["number"]
    assert f"{first['number']}/2569" in refused.value.message_th and "1 มิ.ย. 2569" in refused.value.message_th
    assert len(lines(saraban, "incoming")) == 1  # nothing taken
    # another date, another ที่ or another sender: another letter
    register(saraban, "incoming", incoming(letter_date="2026-05-29"))
    register(saraban, "incoming", incoming(reference="ศธ 04254/ว 1235"))
    register(saraban, "incoming", incoming(sender={"agency": "โรงเรียนบ้านหนองบัว"}))
    assert len(lines(saraban, "incoming")) == 4


def test_a_second_copy_wanted_again_is_registered_and_marked(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "incoming", incoming())
    again = register(saraban, "incoming", {**incoming(), "duplicate_of_ok": True}, now=LATER)
    assert again["number"] == 2 and again["duplicate_of"]["number"] == 1
    line = lines(saraban, "incoming")[1]
    assert line["duplicate_of"]["number"] == 1
    assert line["remark"] == "อาจซ้ำกับเลขทะเบียน 1 (1 มิ.ย. 2569)"
    rows = csv_rows(saraban, "incoming")
    assert rows[2][rows[0].index("หมายเหตุ")] == "อาจซ้ำกับเลขทะเบียน 1 (1 มิ.ย. 2569)"
    # a third copy is still told about the first
    with pytest.raises(DuplicateLetter):
        register(saraban, "incoming", incoming())


def test_cancelling_the_first_registration_frees_the_letter(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    first = register(saraban, "incoming", incoming())
    registration.cancel(
        saraban, "incoming", 2569, first["number"], models.CancelCommand(reason="ผิดเล่ม"), now=NOW
    )
    again = register(saraban, "incoming", incoming())
    assert again["number"] == 2 and again["duplicate_of"] is None
    with pytest.raises(DuplicateLetter) as refused:
        register(saraban, "incoming", incoming())
    assert refused.value.extra["earlier"]["number"] == 2


def test_a_letter_registered_last_year_is_found(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(
        saraban, "incoming", incoming(letter_date="2026-12-29"), now=datetime(2026, 12, 30, 3, tzinfo=UTC)
    )
    with pytest.raises(DuplicateLetter) as refused:
        register(
            saraban, "incoming", incoming(letter_date="2026-12-29"), now=datetime(2027, 1, 4, 3, tzinfo=UTC)
        )
    assert refused.value.extra["earlier"]["year"] == 2569


def test_a_letter_without_its_reference_or_date_is_not_checked(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    body = {"document": {"kind": "external", "subject": "ไม่มีเลขที่", "sender": {"agency": "ก"}}}
    register(saraban, "incoming", body)
    register(saraban, "incoming", body)
    assert len(lines(saraban, "incoming")) == 2


def test_two_registrations_of_one_letter_at_once_take_one_number(
    new_agency: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    real_commit = store.commit_registration
    raced: list[dict[str, Any]] = []

    def the_other_lands_first(*args: Any, **kwargs: Any) -> None:
        if not raced:
            monkeypatch.setattr(store, "commit_registration", real_commit)
            raced.append(register(saraban, "incoming", incoming()))
        real_commit(*args, **kwargs)

    monkeypatch.setattr(store, "commit_registration", the_other_lands_first)
    with pytest.raises(DuplicateLetter) as refused:
        register(saraban, "incoming", incoming())
    assert refused.value.extra["earlier"]["number"] == raced[0]["number"] == 1
    assert [line["number"] for line in lines(saraban, "incoming")] == [1]


def test_the_lookup_reads_by_key(new_agency: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """No query or scan of the book: the marker is read with its key."""
    agency = new_agency()
    saraban = principal(agency, "saraban")
    register(saraban, "incoming", incoming())

    def no_query(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the duplicate check must not query or scan the book")

    from pynamodb.connection.base import Connection

    monkeypatch.setattr(Connection, "query", no_query)
    monkeypatch.setattr(Connection, "scan", no_query)
    with pytest.raises(DuplicateLetter):
        register(saraban, "incoming", incoming())


def test_a_classified_earlier_entry_is_not_named_to_one_who_may_not_see_it(new_agency: Any) -> None:
    agency = new_agency()
    cleared = principal(agency, "saraban", clearance=2)
    register(cleared, "incoming", incoming(secrecy="confidential"))
    with pytest.raises(DuplicateLetter) as refused:
        register(principal(agency, "saraban", user="u-other", clearance=2), "incoming", incoming())
    assert "earlier" in refused.value.extra
    with pytest.raises(DuplicateLetter) as refused:
        register(principal(agency, "saraban", user="u-low", clearance=0), "incoming", incoming())
    assert "earlier" not in refused.value.extra


def test_a_top_secret_earlier_entry_is_named_only_to_those_who_see_its_parties(new_agency: Any) -> None:
    agency = new_agency()
    body = incoming(secrecy="top_secret", subject="")
    register(principal(agency, "saraban", clearance=2), "incoming", body)
    with pytest.raises(DuplicateLetter) as refused:
        register(principal(agency, "saraban", user="u-low", clearance=1), "incoming", body)
    assert "earlier" not in refused.value.extra
    with pytest.raises(DuplicateLetter) as refused:
        register(principal(agency, "saraban", user="u-high", clearance=2), "incoming", body)
    assert refused.value.extra["earlier"]["number"] == 1


def test_a_replayed_request_is_answered_before_the_duplicate_check(new_agency: Any) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    first = register(saraban, "incoming", incoming(), key="k-1")
    assert register(saraban, "incoming", incoming(), key="k-1") == first


def test_the_top_secret_line_hides_the_new_columns(new_agency: Any) -> None:
    shown = domain.visible_columns(
        principal("a", "staff"),
        domain.Secrecy.TOP_SECRET,
        {
            "from": "x",
            "to": "y",
            "recipients": ["y"],
            "signer": "z",
            "owner_unit": "u",
            "duplicate_of": {"number": 1},
        },
        "someone",
    )
    assert shown == {
        "reference": None,
        "letter_date": None,
        "from": "",
        "to": "",
        "recipients": [],
        "signer": "",
        "owner_unit": "",
        "duplicate_of": None,
    }
