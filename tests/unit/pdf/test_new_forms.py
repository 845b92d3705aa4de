"""The forms added after the first four: หนังสือประทับตรา, หนังสือรับรอง, รายงานการประชุม and an order with
its committee; the draft's ``structure`` that carries their lists; and which form each kind renders on."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, time
from typing import Any

import pytest
from chalicelib.directory.domain import AgencyProfile, Unit
from chalicelib.documents.models import DocumentDraft
from chalicelib.documents.rendering import form_of, letter_content
from chalicelib.kernel.errors import Conflict
from chalicelib.pdf.letter_layout import CENTRE, CM, LEFT, RIGHT
from chalicelib.pdf.letters import (
    AgendaItem,
    LetterContent,
    LetterError,
    Meeting,
    Member,
    RenderedLetter,
    render_letter,
)
from chalicelib.saraban import DocumentKind
from pydantic import ValidationError

from tests.unit.pdf.conftest import squash
from tests.unit.pdf.test_form_references import (
    CERTIFICATE,
    COMMITTEE,
    MEETING,
    MEMO,
    MEMO_URGENT,
    MINUTES,
    ORDER_COMMITTEE,
    REGULATION,
    STAMPED,
)
from tests.unit.pdf.test_letters import all_text, field_text, page_texts, reader, spans, widget


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedLetter]:
    return {
        "stamped": render_letter(STAMPED),
        "certificate": render_letter(CERTIFICATE),
        "minutes": render_letter(MINUTES),
        "order": render_letter(ORDER_COMMITTEE),
    }


# -- หนังสือประทับตรา ----------------------------------------------------------------------------------------


def test_stamped_letter_text_extracts_back_as_written(rendered: dict[str, RenderedLetter]) -> None:
    letter = rendered["stamped"]
    lines = page_texts(letter)[0].splitlines()
    for expected in (
        "ที่ มท 0301/ว 789 กรมการปกครอง",
        "ถนนอัษฎางค์ เขตพระนคร",
        "กรุงเทพมหานคร 10200",
        "ถึง สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1",
        "กรมการปกครอง",
        "21 พฤศจิกายน 2569",
        "กองกลาง",
        "โทร 0 2222 1141",
        "โทรสาร 0 2222 1142",
    ):
        assert expected in lines, expected
    flat = all_text(letter)
    assert squash(STAMPED.body[0]) in flat
    # no เรื่อง, no เรียน, no closing, no personal signature printed
    for absent in ("เรื่อง", "เรียน", "ขอแสดงความนับถือ", "นายสมชาย", "ผู้อำนวยการกองกลาง"):
        assert absent not in flat, absent


def test_stamped_letter_agency_then_initials_field_then_date(rendered: dict[str, RenderedLetter]) -> None:
    letter = rendered["stamped"]
    drawn = spans(reader(letter).pages[0])
    agency = [span for span in drawn if span.text == "กรมการปกครอง"]
    head, stamp = agency[0], agency[-1]
    assert stamp.y < head.y and stamp.x > CENTRE  # the stamp's name at the lower right
    day = next(span for span in drawn if span.text == "21 พฤศจิกายน 2569")
    unit = next(span for span in drawn if span.text == "กองกลาง")
    x1, y1, x2, y2 = letter.signature_box
    assert stamp.y > y2 and day.y < y1  # the initials' field between the agency's name and the date
    assert x1 < stamp.x + stamp.width / 2 < x2
    assert unit.y < day.y and unit.x == pytest.approx(LEFT, abs=0.01)
    assert widget(letter, "Sig1")[0] == letter.signature_page == 0
    assert field_text(letter) == []  # empty until the initials are signed


# -- หนังสือรับรอง -------------------------------------------------------------------------------------------


def test_certificate_text_and_layout(rendered: dict[str, RenderedLetter]) -> None:
    letter = rendered["certificate"]
    lines = page_texts(letter)[0].splitlines()
    for expected in (
        "ที่ มท 0301/1150 กรมการปกครอง",
        "หนังสือรับรอง",
        "ให้ไว้ ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569",
    ):
        assert expected in lines, expected
    assert squash(CERTIFICATE.body[0]) in all_text(letter)
    assert "ขอแสดงความนับถือ" not in all_text(letter)
    title = next(span for span in spans(reader(letter).pages[0]) if span.text == "หนังสือรับรอง")
    assert title.bold and title.x + title.width / 2 == pytest.approx(CENTRE, abs=0.5)
    assert field_text(letter) == ["(นายสมชาย ใจดี)", "อธิบดีกรมการปกครอง"]


# -- รายงานการประชุม -----------------------------------------------------------------------------------------


def test_minutes_text_extracts_back_as_written(rendered: dict[str, RenderedLetter]) -> None:
    letter = rendered["minutes"]
    lines = [line for page in page_texts(letter) for line in page.splitlines()]
    for expected in (
        "ครั้งที่ 5/2569",
        "เมื่อวันพุธที่ 25 พฤศจิกายน 2569",  # 25 November 2026 is a Wednesday
        "ณ ห้องประชุมชั้น 3 อาคารกรมการปกครอง",
        "ผู้มาประชุม",
        "ผู้ไม่มาประชุม",
        "ผู้เข้าร่วมประชุม",
        "เริ่มประชุมเวลา 09.30 น.",
        "เลิกประชุมเวลา 12.00 น.",
        "ผู้จดรายงานการประชุม",
    ):
        assert expected in lines, expected
    # each member a row of cells (number, name, position, role), then the cells' further lines
    for row in (
        "1. นายสมชาย ใจดี อธิบดี ประธานกรรมการ",
        "กรมการปกครอง",
        "2. นางสาวสมหญิง รองอธิบดี กรรมการ",
        "รักงาน กรมการปกครอง",
        "3. นายวิชัย ศรีสุข ผู้อำนวยการ กรรมการและเลขานุการ",
        "กองกลาง",
        "1. นายประเสริฐ มั่นคง ผู้อำนวยการกองการเจ้าหน้าที่ ติดราชการ",
        "1. นางสาวสมศรี มีสุข เจ้าพนักงานธุรการชำนาญงาน",
    ):
        assert row in lines, row
    flat = all_text(letter)
    assert squash("รายงานการประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์") in flat
    for number, item in enumerate(MEETING.agenda, start=1):
        assert squash(f"ระเบียบวาระที่ {number} {item.title}") in flat
        assert squash(item.text[0]) in flat
    assert field_text(letter) == ["(นายวิชัย ศรีสุข)", "ผู้อำนวยการกองกลาง"]
    # the order of the minutes: lists, start, agenda, end, then the recorder
    text = squash("".join(page_texts(letter)))
    marks = ["ผู้มาประชุม", "ผู้ไม่มาประชุม", "ผู้เข้าร่วมประชุม", "เริ่มประชุมเวลา", "ระเบียบวาระที่1", "เลิกประชุม"]
    positions = [text.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_minutes_carry_no_garuda_and_columns_line_up(rendered: dict[str, RenderedLetter]) -> None:
    letter = rendered["minutes"]
    page = reader(letter).pages[0]
    content = page.get_contents()
    assert content is not None
    assert not any(operator in (b"c", b"Do") for _, operator in content.operations)  # no emblem, no circle
    drawn = spans(page)
    title = drawn[0]
    assert title.bold and title.text.startswith("รายงานการประชุม")
    roles = [span for span in drawn if span.text in ("ประธานกรรมการ", "กรรมการ", "กรรมการและเลขานุการ")]
    assert len(roles) == 3 and len({round(span.x, 2) for span in roles}) == 1
    assert max(span.x + span.width for span in roles) <= RIGHT + 0.01


# -- คำสั่ง with a committee ---------------------------------------------------------------------------------


def test_order_committee_members_numbered_with_roles_at_the_right(
    rendered: dict[str, RenderedLetter],
) -> None:
    letter = rendered["order"]
    lines = page_texts(letter)[0].splitlines()
    for row in (
        "1. นายสมชาย ใจดี อธิบดี ประธานกรรมการ",
        "กรมการปกครอง",
        "2. นางสาวสมหญิง รักงาน กรรมการ",
        "รองอธิบดีกรมการปกครอง",
        "3. นายประเสริฐ มั่นคง กรรมการ",
        "ผู้อำนวยการกองการเจ้าหน้าที่",
        "ผู้ได้รับมอบหมายจากอธิบดี",
        "4. นายวิชัย ศรีสุข ผู้อำนวยการ กรรมการและเลขานุการ",
        "กองกลาง",
    ):
        assert row in lines, row
    text = squash(page_texts(letter)[0])
    # the committee after the paragraph that ends in ดังนี้, before the next one
    assert text.index("ดังนี้") < text.index("1.นายสมชาย") < text.index("ให้คณะกรรมการ")
    drawn = spans(reader(letter).pages[0])
    numbers = [span for span in drawn if span.text in ("1.", "2.", "3.", "4.")]
    assert len(numbers) == 4 and len({round(span.x, 2) for span in numbers}) == 1
    roles = [span for span in drawn if span.text in {member.role for member in COMMITTEE}]
    assert len(roles) == 4 and len({round(span.x, 2) for span in roles}) == 1
    # a member's further lines hang under the name, after the number
    first = next(span for span in drawn if span.text.startswith("นายสมชาย"))
    hanging = next(span for span in drawn if span.text == "กรมการปกครอง" and span.y < first.y)
    assert hanging.x == pytest.approx(first.x, abs=0.01) and first.x > numbers[0].x
    assert field_text(letter) == ["(นายสมชาย ใจดี)", "อธิบดีกรมการปกครอง"]


def test_an_order_without_committee_is_unchanged_by_the_committee_code() -> None:
    plain = dataclasses.replace(ORDER_COMMITTEE, committee=())
    text = squash(page_texts(render_letter(plain))[0])
    assert "1.นายสมชาย" not in text and "ประธานกรรมการ" not in text


# -- ระเบียบ and ข้อบังคับ -------------------------------------------------------------------------------------


def test_regulation_text_extracts_back_as_written() -> None:
    letter = render_letter(REGULATION)
    lines = page_texts(letter)[0].splitlines()
    assert lines[:3] == ["ระเบียบกรมการปกครอง", "ว่าด้วยการใช้ระบบสารบรรณอิเล็กทรอนิกส์", "พ.ศ. 2569"]
    assert "ข้อ 3 ให้ผู้อำนวยการกองกลางรักษาการตามระเบียบนี้" in lines
    assert lines[-1] == "ประกาศ ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569"
    flat = all_text(letter)
    assert squash(REGULATION.body[0]) in flat
    for number, clause in enumerate(REGULATION.body[1:], start=1):
        assert squash(f"ข้อ {number} {clause}") in flat
    assert field_text(letter) == ["(นายสมชาย ใจดี)", "อธิบดีกรมการปกครอง"]


def test_bylaw_keeps_clauses_already_numbered_and_the_subject_s_own_wording() -> None:
    bylaw = dataclasses.replace(
        REGULATION,
        form="bylaw",
        subject="ว่าด้วยการประชุม",
        body=("อาศัยอำนาจตามความในมาตรา 5", "ข้อ 1 ข้อบังคับนี้เรียกว่า ข้อบังคับว่าด้วยการประชุม", "ข้อความ"),
        thai_numerals=True,
    )
    lines = page_texts(render_letter(bylaw))[0].splitlines()
    assert lines[:3] == ["ข้อบังคับกรมการปกครอง", "ว่าด้วยการประชุม", "พ.ศ. ๒๕๖๙"]
    assert "ข้อ ๑ ข้อบังคับนี้เรียกว่า ข้อบังคับว่าด้วยการประชุม" in lines
    assert "ข้อ ๒ ข้อความ" in lines and "ข้อ ๑ ข้อ ๑" not in " ".join(lines)


# -- the memo's urgency ------------------------------------------------------------------------------------


def title_baseline(letter: RenderedLetter) -> float:
    return next(span.y for span in spans(reader(letter).pages[0]) if span.text == "บันทึกข้อความ")


def test_memo_urgency_stands_between_the_garuda_and_the_title_within_a_line() -> None:
    plain, urgent = render_letter(MEMO), render_letter(MEMO_URGENT)
    drawn = spans(reader(urgent).pages[0])
    mark = next(span for span in drawn if span.text == "ด่วนที่สุด")
    title = next(span for span in drawn if span.text == "บันทึกข้อความ")
    assert LEFT + 1.5 * CM < mark.x < title.x  # right of the garuda, starting before the title
    assert mark.y > title.y  # over the title's line, not above the letterhead
    assert 0 <= title_baseline(plain) - title_baseline(urgent) <= 24.0  # at most a line lower
    for level in ("urgent", "very_urgent"):
        lowered = title_baseline(plain) - title_baseline(
            render_letter(dataclasses.replace(MEMO, urgency=level))
        )
        assert 0 <= lowered <= 24.0, level


# -- what the forms refuse -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (dataclasses.replace(STAMPED, salutation_to=" "), "ถึง"),
        (dataclasses.replace(MINUTES, meeting=None), "meeting"),
        (dataclasses.replace(MINUTES, body=("ข้อความ",)), "agenda"),
        (dataclasses.replace(MINUTES, meeting=dataclasses.replace(MEETING, attendees=())), "ผู้มาประชุม"),
        (dataclasses.replace(MINUTES, meeting=dataclasses.replace(MEETING, agenda=())), "ระเบียบวาระ"),
        (dataclasses.replace(MINUTES, meeting=dataclasses.replace(MEETING, recorder=None)), "signatory"),
        (
            dataclasses.replace(
                MINUTES, meeting=dataclasses.replace(MEETING, attendees=(Member("นาย ก\nข", "ตำแหน่ง"),))
            ),
            "single line",
        ),
        (dataclasses.replace(STAMPED, meeting=MEETING), "meeting"),
        (dataclasses.replace(CERTIFICATE, committee=COMMITTEE), "committee"),
        (dataclasses.replace(ORDER_COMMITTEE, committee=(Member("นาย ก", "ตำแหน่ง"),)), "role"),
        (dataclasses.replace(CERTIFICATE, urgency="urgent"), "urgency"),
        (dataclasses.replace(REGULATION, urgency="urgent"), "urgency"),
        (dataclasses.replace(REGULATION, date=None), "พ.ศ."),
        (dataclasses.replace(REGULATION, salutation_to="ผู้ว่าราชการจังหวัด"), "salutation_to"),
        (dataclasses.replace(CERTIFICATE, salutation_to="ผู้ว่าราชการจังหวัด"), "salutation_to"),
    ],
)
def test_content_the_new_forms_cannot_carry_is_refused(content: LetterContent, message: str) -> None:
    with pytest.raises(LetterError, match=message):
        render_letter(content)


# -- the document's kind, its structure, and the letter content ----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "sub_kind", "form"),
    [
        (DocumentKind.EXTERNAL, None, "external"),
        (DocumentKind.STAMPED, None, "stamped"),
        (DocumentKind.INTERNAL, None, "memo"),
        (DocumentKind.DIRECTIVE, "order", "order"),
        (DocumentKind.DIRECTIVE, "regulation", "regulation"),
        (DocumentKind.DIRECTIVE, "bylaw", "bylaw"),
        (DocumentKind.PUBLIC_RELATIONS, None, "announcement"),
        (DocumentKind.RECORD, "certificate", "certificate"),
        (DocumentKind.RECORD, "minutes", "minutes"),
    ],
)
def test_form_of_each_kind(kind: DocumentKind, sub_kind: str | None, form: str) -> None:
    assert form_of(kind, sub_kind) == form


@pytest.mark.parametrize(("kind", "sub_kind"), [(DocumentKind.RECORD, "note"), (DocumentKind.RECORD, None)])
def test_records_without_a_form_are_refused(kind: DocumentKind, sub_kind: str | None) -> None:
    with pytest.raises(Conflict):
        form_of(kind, sub_kind)


MEETING_JSON: dict[str, Any] = {
    "title": "คณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
    "number": "5/2569",
    "date": "2026-11-25",
    "place": "ห้องประชุมชั้น 3",
    "attendees": [{"name": "นายสมชาย ใจดี", "position": "อธิบดีกรมการปกครอง", "role": "ประธานกรรมการ"}],
    "absent": [{"name": "นายประเสริฐ มั่นคง", "position": "ผู้อำนวยการ", "role": "ติดราชการ"}],
    "started_at": "09:30",
    "agenda": [{"title": "เรื่องแจ้งเพื่อทราบ", "text": "ย่อหน้าแรก\n\nย่อหน้าที่สอง"}],
    "ended_at": "12:00",
    "recorder": {"name": "นายวิชัย ศรีสุข", "position": "ผู้อำนวยการกองกลาง"},
}


def draft(**fields: Any) -> DocumentDraft:
    return DocumentDraft.model_validate_json(json.dumps({"subject": "ทดสอบ", **fields}))


def test_a_minutes_draft_carries_its_meeting_and_renders_from_it() -> None:
    document = draft(kind="record", sub_kind="minutes", structure={"meeting": MEETING_JSON})
    content = document.content()
    assert content["structure"]["meeting"]["attendees"][0]["role"] == "ประธานกรรมการ"
    profile = AgencyProfile(
        "moi", "กรมการปกครอง", "DOPA", "มท", {}, {"u1": Unit("u1", "กองกลาง", "0301.1", None)}
    )
    letter = letter_content(profile, {**content, "kind": "record"}, None, date(2026, 11, 26))
    assert isinstance(letter, LetterContent)
    assert letter.form == "minutes" and letter.salutation_to == "" and letter.committee == ()
    assert letter.meeting == Meeting(
        title="คณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
        number="5/2569",
        date=date(2026, 11, 25),
        place="ห้องประชุมชั้น 3",
        attendees=(Member("นายสมชาย ใจดี", "อธิบดีกรมการปกครอง", "ประธานกรรมการ"),),
        absent=(Member("นายประเสริฐ มั่นคง", "ผู้อำนวยการ", "ติดราชการ"),),
        started_at=time(9, 30),
        agenda=(AgendaItem("เรื่องแจ้งเพื่อทราบ", ("ย่อหน้าแรก", "ย่อหน้าที่สอง")),),
        ended_at=time(12, 0),
        recorder=Member("นายวิชัย ศรีสุข", "ผู้อำนวยการกองกลาง"),
    )
    rendered = render_letter(letter)  # the recorder signs when the document names no signer
    assert field_text(rendered) == ["(นายวิชัย ศรีสุข)", "ผู้อำนวยการกองกลาง"]


def test_an_order_draft_carries_its_committee_to_the_letter() -> None:
    committee = [{"name": m.name, "position": m.position, "role": m.role} for m in COMMITTEE]
    document = draft(
        kind="directive", sub_kind="order", body="ข้อความ ดังนี้", structure={"committee": committee}
    )
    profile = AgencyProfile("moi", "กรมการปกครอง", "DOPA", "มท", {})
    letter = letter_content(profile, {**document.content(), "kind": "directive"}, None, date(2026, 11, 26))
    assert letter.committee == COMMITTEE


def test_a_stamped_draft_renders_on_the_stamped_form() -> None:
    document = draft(kind="stamped", body="ข้อความ", recipient={"agency": "จังหวัดนนทบุรี"})
    profile = AgencyProfile("moi", "กรมการปกครอง", "DOPA", "มท", {})
    letter = letter_content(profile, {**document.content(), "kind": "stamped"}, None, date(2026, 11, 26))
    assert letter.form == "stamped" and letter.salutation_to == "จังหวัดนนทบุรี"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"kind": "external", "structure": {"meeting": MEETING_JSON}},
            "structure.meeting belongs to minutes",
        ),
        ({"kind": "record", "sub_kind": "certificate", "structure": {"meeting": MEETING_JSON}}, "minutes"),
        (
            {"kind": "public_relations", "structure": {"committee": [{"name": "นาย ก", "role": "กรรมการ"}]}},
            "structure.committee belongs to an order",
        ),
        ({"kind": "directive", "structure": {"committee": [{"name": "นาย ก", "role": " "}]}}, "role"),
        ({"kind": "directive", "structure": {"committee": [{"name": "", "role": "กรรมการ"}]}}, "name"),
        (
            {"kind": "directive", "structure": {"committee": [{"name": "นาย\nก", "role": "กรรมการ"}]}},
            "pattern",
        ),
        (
            {"kind": "directive", "structure": {"committee": [{"name": "นาย ก", "role": "ก", "extra": 1}]}},
            "extra",
        ),
        (
            {"kind": "directive", "structure": {"committee": [{"name": "นาย ก", "role": "ก" * 201}]}},
            "at most 200",
        ),
        (
            {
                "kind": "record",
                "sub_kind": "minutes",
                "structure": {"meeting": {**MEETING_JSON, "attendees": []}},
            },
            "attendees",
        ),
        (
            {
                "kind": "record",
                "sub_kind": "minutes",
                "structure": {"meeting": {**MEETING_JSON, "agenda": []}},
            },
            "agenda",
        ),
        (
            {
                "kind": "record",
                "sub_kind": "minutes",
                "structure": {"meeting": {**MEETING_JSON, "started_at": "half past nine"}},
            },
            "started_at",
        ),
        (
            {
                "kind": "directive",
                "secrecy": "top_secret",
                "subject": "",
                "structure": {"committee": [{"name": "นาย ก", "role": "กรรมการ"}]},
            },
            "ลับที่สุด",
        ),
    ],
)
def test_a_structure_that_does_not_fit_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        draft(**fields)


def test_the_structure_is_optional_and_typed_in_the_schema() -> None:
    assert draft(kind="external", body="ข้อความ").structure is None
    schema = DocumentDraft.model_json_schema()
    meeting = schema["$defs"]["Meeting"]
    assert meeting["properties"]["attendees"]["maxItems"] == 200
    assert "agenda" in meeting["required"] and "title" in meeting["required"]
