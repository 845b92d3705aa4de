"""Imported (paper-era) registers in-process: a Buddhist year written in the ISO form is refused with
its line, not filed ~543 years late; the agency's imported books are listed with the years they hold and
each year's line count, counted in the transactions that write the lines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from chalicelib.archive import legacy, models, store
from chalicelib.kernel.errors import Conflict, Forbidden, InvalidInput
from chalicelib.kernel.principal import Principal, Role
from chalicelib.saraban import Secrecy

AGENCY = "legacy-test"
AT = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
PEOPLE = {
    "u-records": ("สมศรี เก็บดี", "เจ้าพนักงานธุรการชำนาญงาน", Role.RECORDS),
    "u-saraban": ("กาญจนา ศรีสุข", "เจ้าพนักงานธุรการปฏิบัติงาน", Role.SARABAN),
    "u-staff": ("สมชาย รักงาน", "นักจัดการงานทั่วไปปฏิบัติการ", Role.STAFF),
}
HEADER = "เลขทะเบียน,วันที่ลงทะเบียน,ลงวันที่,จาก,เรื่อง,ไฟล์\n"


def person(user: str) -> Principal:
    name, position, role = PEOPLE[user]
    return Principal(AGENCY, user, user, name, position, ("office",), frozenset({role}), Secrecy.NORMAL)


RECORDS, SARABAN, STAFF = (person(u) for u in PEOPLE)


def command(book_id: str, csv: str, direction: str = "incoming") -> models.LegacyImport:
    data = {"book_id": book_id, "book_name": f"ทะเบียน {book_id}", "direction": direction, "csv": csv}
    return models.LegacyImport.model_validate_json(json.dumps(data))


@pytest.fixture(scope="module")
def world(aws: Any) -> None:
    from chalicelib.directory.store import onboard_records

    onboard_records(
        AGENCY,
        {"name": "กรมทดสอบทะเบียนเดิม", "ministry_code": "ทส"},
        {"office": {"name": "สำนักงานเลขานุการกรม", "code": "ทส 0101"}},
        {
            user: {
                "username": user,
                "name": name,
                "position": position,
                "units": ["office"],
                "roles": [role.value],
                "clearance": 0,
            }
            for user, (name, position, role) in PEOPLE.items()
        },
        actor="t",
        at=AT,
    )


# -- dates ----------------------------------------------------------------------------------------------
def test_a_day_reads_as_the_register_writes_it() -> None:
    assert legacy.parse_day("15/3/2548", line=2, column="วันที่") == date(2005, 3, 15)
    assert legacy.parse_day("๑๕/๓/๒๕๔๘", line=2, column="วันที่") == date(2005, 3, 15)
    assert legacy.parse_day("2005-03-15", line=2, column="วันที่") == date(2005, 3, 15)


@pytest.mark.parametrize("written", ["2548-03-15", "๒๕๔๘-๐๓-๑๕", "25480315"])
def test_a_buddhist_year_in_the_iso_form_is_refused_with_its_line(written: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        legacy.parse_day(written, line=7, column="ลงวันที่")
    assert "บรรทัด 7 คอลัมน์ ลงวันที่" in refused.value.message_th and "15/3/2548" in refused.value.message_th
    assert "line 7" in refused.value.message_en and "2005-03-15" in refused.value.message_en


def test_an_import_with_an_iso_buddhist_day_writes_nothing(world: None) -> None:
    csv = HEADER + "1,3/2/2548,1/2/2548,กรมบัญชีกลาง,เรื่องแรก,\n2,2548-02-04,,กรมการปกครอง,เรื่องที่สอง,\n"
    with pytest.raises(InvalidInput) as refused:
        legacy.import_book(RECORDS, command("iso-slip", csv), now=AT)
    assert "บรรทัด 3 คอลัมน์ วันที่ลงทะเบียน" in refused.value.message_th
    assert store.legacy_book(AGENCY, "iso-slip") is None
    assert store.legacy_entries(AGENCY, "iso-slip", 3091) == []  # where 2548 read as ค.ศ. would file it
    assert store.legacy_entries(AGENCY, "iso-slip", 2548) == []


def test_a_registration_year_a_book_cannot_be_read_in_is_refused(world: None) -> None:
    with pytest.raises(InvalidInput) as refused:
        legacy.import_book(RECORDS, command("too-old", HEADER + "1,1/1/1800,,,เรื่องเก่ามาก,\n"), now=AT)
    assert "บรรทัด 2" in refused.value.message_th and "2400–2800" in refused.value.message_th
    assert store.legacy_book(AGENCY, "too-old") is None


# -- listing the books ------------------------------------------------------------------------------------
def test_the_books_are_listed_with_their_years_and_line_counts(world: None) -> None:
    first = HEADER + (
        "12,3/2/2547,,กรมบัญชีกลาง,รายงานการเบิกจ่าย,\n"
        "13,4/2/2547,,กรมการปกครอง,ขอเชิญประชุม,\n"
        "1,5/1/2548,,กรมควบคุมโรค,แจ้งแนวทางเฝ้าระวัง,\n"
    )
    legacy.import_book(RECORDS, command("incoming-2547", first), now=AT)
    outgoing = command("outgoing-2550", HEADER + "7,9/9/2550,,,ส่งรายงาน,\n", "outgoing")
    legacy.import_book(RECORDS, outgoing, now=AT)
    # The same lines again and one more in 2548: the lines imported before are not counted twice.
    more = command("incoming-2547", first + "2,6/1/2548,,,ขออนุมัติ,\n")
    again = legacy.import_book(RECORDS, more, now=AT)
    assert again.imported == 1 and again.already == 3

    for reader in (RECORDS, SARABAN):
        listed = {b.book_id: b for b in legacy.books(reader).books}
        incoming = listed["incoming-2547"]
        assert (incoming.name, incoming.direction) == ("ทะเบียน incoming-2547", "incoming")
        assert [(y.year, y.lines) for y in incoming.years] == [(2547, 2), (2548, 2)]
        assert [(y.year, y.lines) for y in listed["outgoing-2550"].years] == [(2550, 1)]
        assert listed["outgoing-2550"].direction == "outgoing"
    # Each listed year opens as the book's year, with as many lines as counted.
    for year in incoming.years:
        assert len(legacy.book(SARABAN, "incoming-2547", year.year).entries) == year.lines


def test_a_transaction_cancelled_by_a_line_written_meanwhile_counts_nothing(
    world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.legacy_years(AGENCY)["incoming-2547"]
    # Another import wrote line 12 of 2547 after this one read the book: its entry's condition fails.
    monkeypatch.setattr(store, "legacy_entries", lambda *_: [])
    raced = command("incoming-2547", HEADER + "12,3/2/2547,,,รายงานการเบิกจ่าย,\n14,8/2/2547,,,เรื่องใหม่,\n")
    with pytest.raises(Conflict):
        legacy.import_book(RECORDS, raced, now=AT)
    monkeypatch.undo()
    assert store.legacy_years(AGENCY)["incoming-2547"] == before == {2547: 2, 2548: 2}
    assert [e.sk for e in store.legacy_entries(AGENCY, "incoming-2547", 2547)] == ["00000012", "00000013"]


def test_only_the_archive_keepers_list_the_books(world: None) -> None:
    with pytest.raises(Forbidden):
        legacy.books(STAFF)


def test_many_years_with_scans_are_split_below_dynamodbs_transaction_limit(world: None) -> None:
    # 20 lines, each with a scan and its own year: 20 x (3 items + a scan + a year's count) + the book
    # would be 101 items in one transaction, over DynamoDB's 100.
    csv = HEADER + "".join(f"{n},1/1/{2500 + n},,,เรื่องปี {2500 + n},s{n}.pdf\n" for n in range(1, 21))
    parsed = legacy.parse(command("many-years", csv), {"general"})
    batches = legacy._batches(parsed)
    assert [len(b) for b in batches] == [19, 1]
    made = legacy.import_book(RECORDS, command("many-years", csv), now=AT)
    assert made.imported == 20 and all(line.upload is not None for line in made.lines)
    listed = {b.book_id: b for b in legacy.books(RECORDS).books}["many-years"]
    assert [(y.year, y.lines) for y in listed.years] == [(2500 + n, 1) for n in range(1, 21)]


def test_importing_again_asks_again_for_the_scans_that_never_arrived(world: None) -> None:
    from chalicelib.documents import service as documents
    from chalicelib.documents.store import FileItem

    def scan_of(document_id: str) -> FileItem:
        stored = documents.load(AGENCY, document_id)
        assert stored is not None
        [file] = stored.files
        return file

    csv = HEADER + "1,3/1/2540,,กรมทดสอบ,เรื่องมีสำเนา,s1.pdf\n2,4/1/2540,,กรมทดสอบ,เรื่องไม่มีสำเนา,\n"
    first = legacy.import_book(RECORDS, command("scans-late", csv), now=AT)
    with_scan, without = first.lines
    assert with_scan.upload is not None and without.upload is None
    # The ticket lapsed before the scan was sent: the same CSV again gives a new upload, same file.
    again = legacy.import_book(RECORDS, command("scans-late", csv), now=AT)
    assert [line.already for line in again.lines] == [True, True]
    assert again.lines[0].upload is not None and again.lines[0].upload.file_id == with_scan.upload.file_id
    assert again.lines[1].upload is None
    # The clean-up expired the file meanwhile: a new pending file for the same line.
    scan_of(with_scan.document_id).update(actions=[FileItem.status.set("expired")])
    renewed = legacy.import_book(RECORDS, command("scans-late", csv), now=AT).lines[0].upload
    assert renewed is not None and renewed.file_id != with_scan.upload.file_id
    # Once a scan arrived, it is never asked for again.
    stored = documents.load(AGENCY, with_scan.document_id)
    assert stored is not None
    pending = next(f for f in stored.files if f.status == "pending")
    pending.update(actions=[FileItem.status.set("ready")])
    assert legacy.import_book(RECORDS, command("scans-late", csv), now=AT).lines[0].upload is None


def test_a_part_of_a_long_register_names_its_lines_as_in_the_whole_file(world: None) -> None:
    data = {
        "book_id": "long-book",
        "book_name": "ทะเบียนยาว",
        "direction": "incoming",
        "csv": HEADER + "120001,1/2/2541,,,เรื่องที่หนึ่ง,\n120002,31/2/2541,,,เรื่องที่สอง,\n",
        "first_line": 120002,
    }
    with pytest.raises(InvalidInput) as refused:
        legacy.parse(models.LegacyImport.model_validate_json(json.dumps(data)), {"general"})
    assert "บรรทัด 120003" in refused.value.message_th  # the second line of the part
