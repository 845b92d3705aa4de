"""The yearly destruction in-process, with the clock set by the test (every use case and job takes `now`):
a paper-era register imported with old dates (one line kept forever, one held, one stored this year),
its scans uploaded and checked, the records sent to storage; the survey in January drafts แบบที่ 25 with
exactly the records whose keep-until year has passed; the head appoints a committee (a member below the
level ข้อ 67 allows is refused); the committee keeps one longer (written back to the record, its register
line and a newly stamped archived letter) and marks the rest X; the chair reports, the head approves; the
list, signed, goes to the National Archives, who do not answer: after 60 days consent is deemed and the
list says so; destruction removes every byte in both buckets, keeps the register lines and a tombstone,
and drafts the committee's บันทึกการทำลาย. An archived object still locked cannot be deleted."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.exceptions
import pypdf
import pytest
from chalicelib.archive import destruction, legacy, models, service, store
from chalicelib.documents import service as documents
from chalicelib.documents.domain import FileStatus
from chalicelib.documents.uploads import check_uploaded_object
from chalicelib.kernel import objects
from chalicelib.kernel.errors import Conflict, Forbidden, InvalidInput
from chalicelib.kernel.principal import Principal, Role
from chalicelib.kernel.settings import get_settings
from chalicelib.saraban import Secrecy

from tests.unit.signing.signing_helpers import make_pdf

AGENCY = "destroy-test"
IMPORTED_AT = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
SURVEY_DAY = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # in the 60 days after 2569 (2026) ended
PEOPLE = {
    "u-records": ("สมศรี เก็บดี", "เจ้าพนักงานธุรการชำนาญงาน", [Role.RECORDS]),
    "u-head": ("ประภาพร วงศ์ไทย", "ผู้อำนวยการสำนักงาน (อำนวยการสูง)", [Role.DIRECTOR]),
    "u-chair": ("วิชัย มั่นคง", "นักวิชาการคอมพิวเตอร์ชำนาญการ", [Role.STAFF]),
    "u-member1": ("สมชาย รักงาน", "นักจัดการงานทั่วไปปฏิบัติการ", [Role.STAFF]),
    "u-member2": ("กาญจนา ศรีสุข", "เจ้าพนักงานธุรการชำนาญงาน", [Role.STAFF]),
    "u-junior": ("ณรงค์ ใหม่มา", "เจ้าพนักงานธุรการปฏิบัติงาน", [Role.STAFF]),
}


def person(user: str, agency: str = AGENCY) -> Principal:
    name, position, roles = PEOPLE[user]
    return Principal(agency, user, user, name, position, ("office",), frozenset(roles), Secrecy.SECRET)


RECORDS, HEAD, CHAIR, MEMBER1, MEMBER2 = (
    person(u) for u in ("u-records", "u-head", "u-chair", "u-member1", "u-member2")
)
LINES = (
    (
        "เลขทะเบียน",
        "วันที่ลงทะเบียน",
        "ที่",
        "ลงวันที่",
        "จาก",
        "ถึง",
        "เรื่อง",
        "การปฏิบัติ",
        "หมายเหตุ",
        "รหัสแฟ้ม",
        "ประเภทการเก็บ",
        "วันที่ปฏิบัติเสร็จ",
        "ไฟล์",
    ),
    (
        "12",
        "3/2/2548",
        "กค 0401/112",
        "1/2/2548",
        "กรมบัญชีกลาง",
        "อธิบดี",
        "ขอความร่วมมือรายงานการเบิกจ่าย",
        "ทราบ",
        "",
        "กค 01/2548",
        "general",
        "28/2/2548",
        "a.pdf",
    ),
    (
        "13",
        "4/2/2548",
        "มท 0210/9",
        "2/2/2548",
        "กรมการปกครอง",
        "อธิบดี",
        "ขอเชิญประชุมชี้แจง",
        "เข้าร่วม",
        "",
        "มท 02/2548",
        "general",
        "",
        "b.pdf",
    ),
    (
        "14",
        "7/2/2548",
        "สธ 0201/77",
        "3/2/2548",
        "กรมควบคุมโรค",
        "อธิบดี",
        "แจ้งแนวทางเฝ้าระวังโรค",
        "แจ้งเวียน",
        "",
        "สธ 01/2548",
        "general",
        "",
        "c.pdf",
    ),
    (
        "15",
        "8/2/2548",
        "ศธ 0210/5",
        "4/2/2548",
        "สำนักงานปลัดกระทรวงศึกษาธิการ",
        "อธิบดี",
        "ตอบรับการฝึกงาน",
        "ทราบ",
        "",
        "ศธ 01/2548",
        "routine",
        "",
        "d.pdf",
    ),
    (
        "16",
        "9/2/2548",
        "นร 0505/1",
        "5/2/2548",
        "สำนักเลขาธิการคณะรัฐมนตรี",
        "อธิบดี",
        "มติคณะรัฐมนตรีเรื่องการจัดตั้งกรม",
        "เก็บถาวร",
        "",
        "นร 01/2548",
        "permanent",
        "",
        "e.pdf",
    ),
    (
        "17",
        "10/2/2548",
        "พณ 0401/3",
        "6/2/2548",
        "กรมการค้าภายใน",
        "อธิบดี",
        "หนังสือที่เป็นคดีความ",
        "ส่งนิติกร",
        "",
        "พณ 01/2548",
        "general",
        "",
        "f.pdf",
    ),
)
CSV = "".join(",".join(cells) + "\n" for cells in LINES)


def parse(model: Any, data: dict[str, Any]) -> Any:
    return model.model_validate_json(json.dumps(data))


def upload(line: models.LegacyLine, pdf: bytes, now: datetime) -> None:
    """The scan goes up to its presigned key and is checked as any upload is."""
    assert line.upload is not None
    key = line.upload.upload.fields["key"]
    version = objects.s3().put_object(Bucket=get_settings().files_bucket, Key=key, Body=pdf)["VersionId"]
    assert check_uploaded_object(key, now=now, version_id=version).value == "ready"


@pytest.fixture(scope="module")
def world(aws: Any) -> dict[str, Any]:
    return stock(AGENCY)


def stock(agency: str) -> dict[str, Any]:
    """An agency with its people, a paper register of 2548 imported, its scans checked and stored
    together, one record held."""
    from chalicelib.directory.store import onboard_records

    records = person("u-records", agency)

    people = {
        user: {
            "username": user,
            "name": name,
            "position": position,
            "units": ["office"],
            "roles": [r.value for r in roles],
            "clearance": 2,
        }
        for user, (name, position, roles) in PEOPLE.items()
    }
    onboard_records(
        agency,
        {"name": "กรมทดสอบการทำลายหนังสือ", "ministry_code": "ทส"},
        {"office": {"name": "สำนักงานเลขานุการกรม", "code": "ทส 0101"}},
        people,
        actor="t",
        at=IMPORTED_AT,
    )
    command = parse(
        models.LegacyImport,
        {
            "book_id": "incoming-2548",
            "book_name": "ทะเบียนหนังสือรับ พ.ศ. 2548 (สมุดเดิม)",
            "direction": "incoming",
            "csv": CSV,
        },
    )
    imported = legacy.import_book(records, command, now=IMPORTED_AT)
    ids = {line.number: line.document_id for line in imported.lines}
    for line in imported.lines:
        upload(line, make_pdf(f"scan {line.number}"), IMPORTED_AT)
    # Sent to storage together, the paper book's files listed on one บัญชีหนังสือส่งเก็บ (แบบที่ 19).
    sent = service.send_many_to_storage(
        records, parse(models.StoreManyCommand, {"document_ids": list(ids.values())}), now=IMPORTED_AT
    )
    assert len(sent.stored) == 6 and sent.already == []
    service.place_hold(
        records,
        parse(models.HoldCommand, {"document_ids": [ids[17]], "reason": "คดีแพ่งหมายเลขดำที่ 5/2569"}),
        now=IMPORTED_AT,
    )
    return {"ids": ids, "imported": imported}


def test_an_imported_register_keeps_its_numbers_and_dates_and_comes_under_retention(
    world: dict[str, Any],
) -> None:
    ids = world["ids"]
    book = legacy.book(RECORDS, "incoming-2548", 2548)
    assert [e.number for e in book.entries] == [12, 13, 14, 15, 16, 17]
    assert (
        book.entries[0].reference == "กค 0401/112"
        and book.entries[0].registered_on.isoformat() == "2005-02-03"
    )
    first = service.view(RECORDS, ids[12])
    assert first.keep_until == 2558 and first.stamp == "เก็บถึง พ.ศ. 2558"  # closed 28/2/2548, ten years
    assert service.view(RECORDS, ids[15]).keep_until == 2549  # a routine matter: one year
    forever = service.view(RECORDS, ids[16])
    assert forever.keep_until is None and forever.files[0].legal_hold
    # The same call again changes nothing: every line is reported as imported before.
    again = legacy.import_book(
        RECORDS,
        parse(
            models.LegacyImport,
            {"book_id": "incoming-2548", "book_name": "x", "direction": "incoming", "csv": CSV},
        ),
        now=IMPORTED_AT,
    )
    assert again.imported == 0 and again.already == 6


def test_the_records_sent_together_are_listed_on_form_19(world: dict[str, Any]) -> None:
    filename, pdf = service.storage_list_pdf(
        RECORDS, models.StorageListQuery(stored_on=IMPORTED_AT.date()), now=IMPORTED_AT
    )
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert filename == "form-19-2026-11-30.pdf" and "บัญชีหนังสือส่งเก็บ ประจำปี พ.ศ. 2569" in text
    assert "กค 0401/112" in text and "ห้ามทำลาย" in text and "เก็บถึง พ.ศ. 2558" in text
    again = service.send_many_to_storage(
        RECORDS, parse(models.StoreManyCommand, {"document_ids": [world["ids"][12]]}), now=IMPORTED_AT
    )
    assert again.stored == [] and again.already == [world["ids"][12]]


def test_a_bad_import_is_refused_whole_with_its_line(world: dict[str, Any]) -> None:
    bad = CSV + "18,31/2/2548,,,,,วันที่ไม่มีจริง,,,,general,,\n"
    with pytest.raises(InvalidInput) as refused:
        legacy.import_book(
            RECORDS,
            parse(
                models.LegacyImport,
                {"book_id": "incoming-2548", "book_name": "x", "direction": "incoming", "csv": bad},
            ),
            now=IMPORTED_AT,
        )
    assert "บรรทัด 8" in refused.value.message_th
    assert store.legacy_entries(AGENCY, "incoming-2548", 2548)[-1].sk == f"{17:08d}"


def test_a_locked_archived_object_cannot_be_deleted(world: dict[str, Any]) -> None:
    forever = store.archived(AGENCY, world["ids"][16])
    assert forever is not None
    copied = forever.files[0]
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        objects.s3().delete_object(
            Bucket=get_settings().archive_bucket, Key=copied["key"], VersionId=copied["version"]
        )
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_the_yearly_destruction_from_survey_to_the_committees_record(
    world: dict[str, Any], tmp_path: Path
) -> None:
    ids = world["ids"]
    assert destruction.survey_due(now=SURVEY_DAY - timedelta(days=40), agencies=[AGENCY]) == 0  # not its days
    assert destruction.survey_due(now=SURVEY_DAY, agencies=[AGENCY]) == 1
    listed = destruction.view(RECORDS, 2569)
    rows = destruction.rows_page(RECORDS, 2569, models.RowsQuery()).rows
    # Held (17) and kept forever (16) are left off; the rest, kept to 2549–2558, are listed oldest first.
    assert listed.rows == 4 and [r.document_id for r in rows] == [
        ids[15],
        ids[12],
        ids[13],
        ids[14],
    ]  # by year, file
    assert rows[1].file_code == "กค 01/2548" and rows[1].reference == "กค 0401/112"
    assert destruction.survey_due(now=SURVEY_DAY + timedelta(hours=1), agencies=[AGENCY]) == 0  # once a year

    with pytest.raises(Forbidden):
        destruction.appoint(
            RECORDS,
            2569,
            parse(
                models.CommitteeCommand,
                {"order_reference": "x", "chair": "u-chair", "members": ["u-member1", "u-member2"]},
            ),
            now=SURVEY_DAY,
        )
    with pytest.raises(Conflict) as junior:
        destruction.appoint(
            HEAD,
            2569,
            parse(
                models.CommitteeCommand,
                {
                    "order_reference": "คำสั่ง ที่ 3/2570",
                    "chair": "u-chair",
                    "members": ["u-member1", "u-junior"],
                },
            ),
            now=SURVEY_DAY,
        )
    assert "ข้อ 67" in junior.value.message_th
    appointed = destruction.appoint(
        HEAD,
        2569,
        parse(
            models.CommitteeCommand,
            {"order_reference": "คำสั่ง ที่ 3/2570", "chair": "u-chair", "members": ["u-member1", "u-member2"]},
        ),
        now=SURVEY_DAY,
    )
    assert appointed.state == "reviewing" and [m.role for m in appointed.committee] == [
        "chair",
        "member",
        "member",
    ]

    review_day = SURVEY_DAY + timedelta(days=7)
    with pytest.raises(Forbidden):  # not on the committee
        destruction.review(
            RECORDS,
            2569,
            parse(models.ReviewCommand, {"decisions": [{"number": 1, "decision": "destroy"}]}),
            now=review_day,
        )
    # Line 3 (ids[13]) is kept five more years, with the reason; the others are marked X.
    destruction.review(
        MEMBER1,
        2569,
        parse(
            models.ReviewCommand,
            {
                "decisions": [
                    {"number": 1, "decision": "destroy"},
                    {"number": 2, "decision": "destroy"},
                    {"number": 3, "decision": "extend", "extend_years": 5, "reason": "ยังใช้อ้างอิงการประชุมชี้แจง"},
                ]
            },
        ),
        now=review_day,
    )
    with pytest.raises(Conflict):  # line 4 is not decided yet
        destruction.report(CHAIR, 2569, now=review_day)
    destruction.review(
        MEMBER2,
        2569,
        parse(models.ReviewCommand, {"decisions": [{"number": 4, "decision": "destroy"}]}),
        now=review_day,
    )
    extended = service.view(RECORDS, ids[13])
    assert extended.keep_until == 2563 and extended.stamp == "เก็บถึง พ.ศ. 2563"
    line = next(
        e
        for e in service.register(RECORDS, models.RegisterQuery(year=2569)).entries
        if e.document_id == ids[13]
    )
    assert line.keep == "เก็บถึง พ.ศ. 2563"
    letter = store.archived(AGENCY, ids[13]).files[0]  # type: ignore[union-attr]
    restamped = objects.read(
        letter["key"], version_id=letter["version"], bucket=get_settings().archive_bucket
    )
    stamps = [
        str(a.get_object().get("/TU")) for a in pypdf.PdfReader(io.BytesIO(restamped)).pages[0]["/Annots"]
    ]
    assert "ตรากำหนดเก็บ เก็บถึง พ.ศ. 2563" in stamps
    assert extended.files[0].locked_until is not None and extended.files[0].locked_until.year == 2021
    with pytest.raises(Forbidden):
        destruction.report(MEMBER1, 2569, now=review_day)  # the chair reports
    reported = destruction.report(CHAIR, 2569, now=review_day)
    assert (reported.state, reported.to_destroy, reported.extended, reported.undecided) == (
        "reported",
        3,
        1,
        0,
    )

    approved = destruction.approve(HEAD, 2569, models.ApproveCommand(note="อนุมัติ"), now=review_day)
    assert approved.state == "approved" and approved.list_document_id
    form = destruction.form_25_pdf(AGENCY, 2569, now=review_day)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(form)).pages)
    assert "บัญชีหนังสือขอทำลาย" in text and "ขยายเวลาเก็บถึง" in text
    sent = parse(models.SentCommand, {"sent_on": "2027-01-13", "via": "exchange", "reference": "ทส 0101/15"})
    with pytest.raises(Conflict):  # the head has not signed the list yet
        destruction.record_sent(RECORDS, 2569, sent, now=review_day + timedelta(days=1))
    _signed_by_the_head(approved.list_document_id)
    destruction.record_sent(RECORDS, 2569, sent, now=review_day + timedelta(days=1))

    with pytest.raises(Conflict):  # no answer yet and 60 days not passed: nothing may be destroyed
        destruction.destroy(RECORDS, 2569, now=review_day + timedelta(days=30))
    deemed_day = datetime(2027, 3, 15, 2, 0, tzinfo=UTC)  # 13 January + 60 days = 14 March
    destruction.destroy_due(now=deemed_day, agencies=[AGENCY], budget_seconds=60)
    consented = destruction.view(RECORDS, 2569)
    assert consented.state == "consented" and "ถือว่าเห็นชอบ" in consented.answer
    destruction.destroy(RECORDS, 2569, now=deemed_day)
    # A hold placed after the survey still stops the destruction of its record (ระงับการทำลาย).
    service.place_hold(
        RECORDS,
        parse(models.HoldCommand, {"document_ids": [ids[14]], "reason": "ผู้ตรวจราชการขอตรวจ"}),
        now=deemed_day,
    )
    assert destruction.destroy_due(now=deemed_day, agencies=[AGENCY], budget_seconds=60) == 2

    done = destruction.view(RECORDS, 2569)
    assert done.state == "destroyed" and done.destroyed == 2 and done.record_document_id
    held_row = destruction.rows_page(RECORDS, 2569, models.RowsQuery()).rows[3]
    assert held_row.document_id == ids[14] and held_row.outcome == "skipped: held"
    assert store.archived(AGENCY, ids[14]).state == "stored"  # type: ignore[union-attr]
    for number in (12, 15):
        document_id = ids[number]
        archive = objects.s3().list_object_versions(
            Bucket=get_settings().archive_bucket, Prefix=f"{AGENCY}/{document_id}/"
        )
        files = objects.s3().list_object_versions(
            Bucket=get_settings().files_bucket, Prefix=f"{AGENCY}/documents/{document_id}/"
        )
        assert not archive.get("Versions") and not files.get("Versions"), number
        tomb = store.tombstone(AGENCY, document_id)
        assert tomb is not None and tomb.decision["committee_order"] == "คำสั่ง ที่ 3/2570"
        assert tomb.decision["approved_by"] == "u-head" and tomb.files
    # The register lines stay; the kept, the held and the forever records keep their bytes.
    assert len(legacy.book(RECORDS, "incoming-2548", 2548).entries) == 6
    for number in (13, 16, 17):
        assert store.archived(AGENCY, ids[number]).state == "stored"  # type: ignore[union-attr]
    record = documents.load(AGENCY, done.record_document_id)
    assert record is not None and record.item.content["signers"] == ["u-member1", "u-member2", "u-chair"]
    assert "ทำลายหนังสือตามที่ได้รับอนุมัติ จำนวน 2 รายการ" in record.item.content["body"]
    assert "ลำดับที่ 4 (ระงับการทำลาย)" in record.item.content["body"]
    assert service.view(RECORDS, ids[12]).destroyed_under == "บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. 2569 ลำดับที่ 2"
    _look_at_the_record(record, tmp_path)


def _look_at_the_record(record: Any, tmp_path: Path) -> None:
    """The บันทึกการทำลาย through the letters toolkit, as PDF and as a PNG of its first page."""
    from chalicelib.directory import service as directory
    from chalicelib.documents.rendering import _first_signatory, letter_content
    from chalicelib.pdf.letters import render_letter

    content = {**record.item.content, "kind": record.item.kind}
    signatory = _first_signatory(AGENCY, content, datetime(2027, 3, 15, 2, 0, tzinfo=UTC))
    profile = directory.require_profile(AGENCY)
    rendered = render_letter(letter_content(profile, content, signatory, date(2027, 3, 15)))
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(rendered.pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    assert list(tmp_path.glob("page*.png"))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "รายงานผลการทำลายหนังสือ" in text and "คำสั่ง ที่ 3/2570" in text


def _signed_by_the_head(document_id: str, agency: str = AGENCY) -> None:
    """The head's signature on แบบที่ 25 as the sign worker records it (signing itself is proven on the
    local stack, tests/integration/test_archive_api.py): the list's PDF, checked on upload, signed."""
    from chalicelib.documents.store import DocumentItem
    from chalicelib.kernel import keys

    stored = documents.load(agency, document_id, consistent=True)
    assert stored is not None
    main = documents.current_main_file(stored)
    if main is None or main.status != FileStatus.READY.value:
        pending = next(f for f in stored.files if f.status == FileStatus.PENDING.value)
        assert check_uploaded_object(pending.object_key, now=SURVEY_DAY, version_id=None).value == "ready"
    item = DocumentItem.get(keys.document_pk(agency, document_id), keys.DOCUMENT_SK)
    item.update(
        actions=[
            DocumentItem.signatures.set(
                [{"slot": 0, "signer": "u-head", "object_key": "k", "sha256": "0" * 64}]
            )
        ]
    )
