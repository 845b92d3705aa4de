"""The 20-year transfer in-process (ข้อ 58–59), with the clock set by the test: a paper-era register imported
with letters of 2547–2560, the scans uploaded and checked, the records stored; one is classified, one held,
one the National Archives chose to keep from a destruction list (ข้อ 69). The 2569 list holds exactly the
records 20 years old or older (the classified one left off and counted, the held one on the agency's own
list); the officer moves one to the agency's list with a reason; both forms print. The packages (one record
each here, so the list splits in two bags) are downloaded through their links, untarred and validated as
the National Archives would: every archived file is in the manifest with its SHA-256, a byte changed fails
the validation; the records are marked transferred and leave the shelves."""

from __future__ import annotations

import csv
import io
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bagit
import pypdf
import pytest
import requests
from chalicelib.archive import legacy, models, service, store, transfer
from chalicelib.documents import service as documents
from chalicelib.kernel import audit, objects
from chalicelib.kernel.errors import Conflict, Forbidden, InvalidInput
from chalicelib.kernel.principal import Principal, Role
from chalicelib.kernel.settings import get_settings
from chalicelib.saraban import Secrecy

from tests.unit.archive.test_destruction import parse, upload
from tests.unit.signing.signing_helpers import make_pdf

AGENCY = "transfer-test"
AGENCY_NAME = "กรมทดสอบการส่งมอบหนังสือ"
IMPORTED_AT = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
# bagit 1.9.0 passes re.sub's count positionally (deprecated in Python 3.13): its own, harmless here.
pytestmark = pytest.mark.filterwarnings("ignore:'count' is passed as positional argument:DeprecationWarning")
LIST_DAY = datetime(2027, 1, 12, 2, 0, tzinfo=UTC)  # 2569 has ended: its list is made in January (ข้อ 58)
RECORDS = Principal(
    AGENCY, "u-records", "u-records", "สมศรี เก็บดี", "เจ้าพนักงานธุรการชำนาญงาน", ("office",),
    frozenset({Role.RECORDS}), Secrecy.SECRET,
)  # fmt: skip
STAFF = Principal(
    AGENCY, "u-staff", "u-staff", "สมชาย รักงาน", "นักจัดการงานทั่วไปปฏิบัติการ", ("office",),
    frozenset({Role.STAFF}), Secrecy.NORMAL,
)  # fmt: skip
HEADER = "เลขทะเบียน,วันที่ลงทะเบียน,ที่,ลงวันที่,จาก,เรื่อง,รหัสแฟ้ม,ประเภทการเก็บ,ไฟล์\n"
CSV = HEADER + (
    "31,3/2/2548,กค 0401/112,1/2/2548,กรมบัญชีกลาง,รายงานการเบิกจ่าย,กค 01/2548,general,a.pdf\n"
    "32,4/2/2548,นร 0505/1,2/2/2548,สลค.,มติคณะรัฐมนตรีเรื่องการจัดตั้งกรม,นร 01/2548,permanent,b.pdf\n"
    "33,5/2/2548,กห 0201/7,3/2/2548,กระทรวงกลาโหม,ความร่วมมือด้านความมั่นคง,กห 01/2548,general,c.pdf\n"
    "34,6/2/2548,พณ 0401/3,4/2/2548,กรมการค้าภายใน,หนังสือที่เป็นคดีความ,พณ 01/2548,general,d.pdf\n"
    "35,7/2/2560,มท 0210/9,2/2/2560,กรมการปกครอง,ขอเชิญประชุมชี้แจง,มท 02/2560,general,e.pdf\n"
    "36,8/2/2547,สธ 0201/77,3/2/2547,กรมควบคุมโรค,แจ้งแนวทางเฝ้าระวังโรค,สธ 01/2547,permanent,f.pdf\n"
)


@pytest.fixture(scope="module")
def world(aws: Any) -> dict[str, Any]:
    from chalicelib.directory.store import onboard_records

    people = {
        p.user_id: {
            "username": p.user_id,
            "name": p.name,
            "position": p.position,
            "units": ["office"],
            "roles": [r.value for r in p.roles],
            "clearance": int(p.clearance),
        }
        for p in (RECORDS, STAFF)
    }
    onboard_records(
        AGENCY,
        {"name": AGENCY_NAME, "ministry_code": "ทส"},
        {"office": {"name": "สำนักงานเลขานุการกรม", "code": "ทส 0101"}},
        people,
        actor="t",
        at=IMPORTED_AT,
    )
    imported = legacy.import_book(
        RECORDS,
        parse(
            models.LegacyImport,
            {
                "book_id": "incoming-old",
                "book_name": "ทะเบียนหนังสือรับ (สมุดเดิม)",
                "direction": "incoming",
                "csv": CSV,
            },
        ),
        now=IMPORTED_AT,
    )
    ids = {line.number: line.document_id for line in imported.lines}
    for line in imported.lines:
        upload(line, make_pdf(f"scan {line.number}"), IMPORTED_AT)
        service.send_to_storage(RECORDS, line.document_id, models.StoreCommand(), now=IMPORTED_AT)
    service.place_hold(
        RECORDS,
        parse(models.HoldCommand, {"document_ids": [ids[34]], "reason": "คดีแพ่งหมายเลขดำที่ 5/2569"}),
        now=IMPORTED_AT,
    )
    # The imported register has no secrecy column: record 33 is marked ลับ on its shelf, as a classified
    # letter stored through the platform is shelved.
    shelf = next(s for s in store.letters_of_year(AGENCY, 2005) if s.document_id == ids[33])
    shelf.update(actions=[store.ShelfItem.secrecy.set(int(Secrecy.CONFIDENTIAL))])
    # Record 35 (a letter of 2560, too young) was on the 2569 destruction list and the National Archives
    # chose to keep it (ข้อ 69): the row as destruction.record_answer leaves it.
    store.new_destruction_list(
        AGENCY, 2569, state="destroyed", rows=1, surveyed_at=IMPORTED_AT, counts={"archives": 1}
    ).save()
    store.new_row(
        AGENCY, 2569, 1, document_id=ids[35], file_code="มท 02/2560", reference="มท 0210/9",
        letter_date="2017-02-02", subject="ขอเชิญประชุมชี้แจง", keep_until=2569, decision="archives",
        outcome="archives",
    ).save()  # fmt: skip
    return {"ids": ids}


def _rows(year: int) -> list[models.TransferRow]:
    return transfer.rows_page(RECORDS, year, models.RowsQuery()).rows


def test_the_list_holds_the_records_twenty_years_old_and_leaves_off_the_classified(
    world: dict[str, Any],
) -> None:
    ids = world["ids"]
    with pytest.raises(Forbidden):
        transfer.draft(STAFF, models.TransferCommand(year=2569), now=LIST_DAY)  # the records officer's
    with pytest.raises(InvalidInput):
        transfer.draft(RECORDS, models.TransferCommand(year=2571), now=LIST_DAY)  # not begun
    listed = transfer.draft(RECORDS, models.TransferCommand(year=2569), now=LIST_DAY)
    assert listed.title == "บัญชีส่งมอบหนังสือครบ 20 ปี ประจำปี พ.ศ. 2569" and listed.age_years == 20
    rows = _rows(2569)
    by_id = {r.document_id: r for r in rows}
    # 2547 and 2548 letters (2004, 2005: 20 years or more by 2569 = 2026); 2560 only as the Archives'.
    assert set(by_id) == {ids[31], ids[32], ids[34], ids[35], ids[36]}
    assert ids[33] not in by_id and listed.classified_left_off == 1  # ลับ: the secrecy regulation
    assert by_id[ids[34]].list == "self" and "ระงับการทำลาย" in by_id[ids[34]].note  # held: kept by the agency
    assert by_id[ids[35]].note.startswith("สำนักหอจดหมายเหตุแห่งชาติขอเก็บ")
    assert rows[0].document_id == ids[36]  # the oldest letter first
    assert (listed.to_transfer, listed.kept_by_agency) == (4, 1)
    with pytest.raises(Conflict):
        transfer.draft(RECORDS, models.TransferCommand(year=2569), now=LIST_DAY)  # one list a year


def test_lines_move_to_the_agencys_own_list_and_both_forms_print(world: dict[str, Any]) -> None:
    ids = world["ids"]
    line = next(r.number for r in _rows(2569) if r.document_id == ids[32])
    moved = transfer.move(
        RECORDS,
        2569,
        parse(models.TransferMove, {"numbers": [line], "to": "self", "reason": "ยังใช้อ้างอิงในการจัดตั้งกรม"}),
        now=LIST_DAY,
    )
    assert (moved.to_transfer, moved.kept_by_agency) == (3, 2)
    form_21 = _text(transfer.form_pdf(AGENCY, 2569, "transfer", now=LIST_DAY))
    own = _text(transfer.form_pdf(AGENCY, 2569, "self", now=LIST_DAY))
    assert "บัญชีส่งมอบหนังสือครบ 20 ปี ประจำปี พ.ศ. 2569" in form_21 and AGENCY_NAME in form_21
    assert "กค 0401/112" in form_21 and "นร 0505/1" not in form_21
    assert "ที่ขอเก็บเอง" in own and "นร 0505/1" in own and "ยังใช้อ้างอิง" in own


def test_each_package_validates_on_the_receiving_side_and_a_changed_byte_does_not(
    world: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = world["ids"]
    # Three records to transfer, at most two a package here: the list goes in two bags.
    monkeypatch.setattr(transfer, "RECORDS_PER_PACKAGE", 2)
    with pytest.raises(Forbidden):
        transfer.package(STAFF, 2569, now=LIST_DAY)
    first = transfer.package(RECORDS, 2569, now=LIST_DAY)
    assert (first.part, first.records, first.bag_count, first.remaining) == (1, 2, "1 of ?", 1)
    with pytest.raises(Conflict):  # the lines are frozen once a package is made
        transfer.move(
            RECORDS,
            2569,
            parse(models.TransferMove, {"numbers": [1], "to": "self", "reason": "x"}),
            now=LIST_DAY,
        )
    second = transfer.package(RECORDS, 2569, now=LIST_DAY + timedelta(minutes=5))
    assert (second.part, second.records, second.bag_count, second.remaining) == (2, 1, "2 of 2", 0)
    assert second.state == "transferred"
    with pytest.raises(Conflict):
        transfer.package(RECORDS, 2569, now=LIST_DAY)  # nothing left

    bags = [_receive(answer, tmp_path / f"part-{answer.part}") for answer in (first, second)]
    transferred = {ids[31], ids[35], ids[36]}
    seen: set[str] = set()
    for bag in bags:
        bag.validate()  # the manifests and Payload-Oxum agree with the files
        assert bag.info["Source-Organization"] == AGENCY_NAME
        assert bag.info["External-Description"] == "บัญชีส่งมอบหนังสือครบ 20 ปี ประจำปี พ.ศ. 2569"
        assert bag.info["Bagging-Date"] == "2027-01-12"
        entries = bag.payload_entries()
        assert "data/form-21.pdf" in entries and "data/metadata/records.csv" in entries
        metadata = json.loads((Path(bag.path) / "data/metadata/records.json").read_text(encoding="utf-8"))
        for record in metadata["records"]:
            seen.add(record["document_id"])
            archived = store.archived(AGENCY, record["document_id"])
            assert archived is not None and archived.state == "transferred"
            # Every archived file, as archived (the stamped letter's current version), is in the bag's
            # manifest with the SHA-256 the metadata states.
            assert len(record["files"]) == len(archived.files) >= 1
            for file in record["files"]:
                assert file["path"].endswith(".pdf")
                assert entries[file["path"]]["sha256"] == file["sha256"]
            letter = next(c for c in archived.files if c["file"] == "letter")
            kept = objects.read(
                letter["key"], version_id=letter["version"], bucket=get_settings().archive_bucket
            )
            in_bag = next(f for f in record["files"] if f["path"].endswith("/letter.pdf"))
            assert (Path(bag.path) / in_bag["path"]).read_bytes() == kept
        lines = list(
            csv.DictReader(io.StringIO((Path(bag.path) / "data/metadata/records.csv").read_text("utf-8")))
        )
        assert {line["document_id"] for line in lines} == {r["document_id"] for r in metadata["records"]}
    assert seen == transferred
    assert bags[0].info["Bag-Count"] == "1 of ?" and bags[1].info["Bag-Count"] == "2 of 2"

    # One byte changed in a record's letter: the receiving side's validation fails.
    letter = next(p for p in Path(bags[0].path).glob("data/records/*/letter.pdf"))
    data = bytearray(letter.read_bytes())
    data[len(data) // 2] ^= 0x01
    letter.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(bags[0].path).validate()


def test_transferred_records_leave_the_shelves_and_the_package_is_locked(world: dict[str, Any]) -> None:
    ids = world["ids"]
    on_shelf = {s.document_id for s in store.letters_through(AGENCY, 2030)}
    assert not on_shelf & {ids[31], ids[35], ids[36]}  # a later list never lists them again
    assert {ids[32], ids[34]} <= on_shelf  # kept by the agency: still stored, still on the shelf
    assert store.archived(AGENCY, ids[32]).state == "stored"  # type: ignore[union-attr]
    assert ids[31] not in {s.document_id for s in store.due_for_destruction(AGENCY, 2600)}
    assert "archive.transferred" in {e["action"] for e in audit.history(AGENCY, f"document/{ids[31]}")}
    listed = transfer.view(RECORDS, 2569)
    assert listed.state == "transferred" and listed.transferred == 3 and len(listed.packages) == 2
    part = store.transfer_list(AGENCY, 2569).packages[0]  # type: ignore[union-attr]
    assert part["key"].startswith(f"{AGENCY}/transfers/2569/")
    lock = objects.archive_lock(part["key"], part["version"])
    assert lock["Mode"] == "COMPLIANCE" and lock["RetainUntilDate"] > LIST_DAY + timedelta(days=4 * 365)
    # A transferred record is the National Archives' now: the next year's list does not take it again.
    later = transfer.draft(RECORDS, models.TransferCommand(year=2570), now=LIST_DAY + timedelta(days=365))
    assert later.to_transfer == 0 and later.kept_by_agency == 0
    assert documents.load(AGENCY, ids[31]) is not None  # the record's item and register line stay


def _receive(answer: models.TransferPackage, folder: Path) -> bagit.Bag:
    """As the National Archives would: download the link, untar, open the bag."""
    got = requests.get(answer.download_url, timeout=30)
    assert got.status_code == 200, got.text
    assert __import__("hashlib").sha256(got.content).hexdigest() == answer.sha256
    folder.mkdir()
    with tarfile.open(fileobj=io.BytesIO(got.content), mode="r:gz") as archive:
        archive.extractall(folder, filter="data")
    (root,) = list(folder.iterdir())
    return bagit.Bag(str(root))


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
