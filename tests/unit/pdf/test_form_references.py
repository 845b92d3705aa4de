"""Every form the PDF toolkit renders, compared as a picture with a reviewed reference image.

Each form is built from fixed contents (fixed dates, numbers and times), its pages are rendered with
``pdftoppm -r 50 -png`` (Debian poppler-utils; CI installs it) and compared with
``tests/fixtures/forms/<form>-<page>.png``: the images must have the same size and at most
``TOLERANCE`` of the pixels may differ by more than ``PIXEL_THRESHOLD`` on any channel. A second test
per form extracts page 1's text (pypdf) and finds each field's text in it exactly.

The references are updated only deliberately, after looking at the new images and finding them right:
``scripts/update_form_references.sh`` (it sets ``UPDATE_FORM_REFERENCES=1``, which makes the image
test write the references instead of comparing). See tests/fixtures/forms/README.md.

Why these tolerances (measured with poppler 22.12, Debian 12, the CI's poppler-utils; A4 at 50 dpi is
414 x 585 pixels):

* the same form built and rendered twice gives identical pixels (``test_rendering_is_deterministic``),
  for Arabic and Thai numerals alike, so no tolerance is needed for the forms themselves;
* what the test must catch is well above 0.3 % of the pixels: the external letter in Thai numerals
  differs from the Arabic one in 2.97 % of page 1 and 0.54 % of page 2; one word more in the subject,
  0.43 %; the receipt stamp missing, 0.51 %; the endorsement blocks missing, 1.2 %; the whole page
  moved by a quarter of a pixel (rendered at 50.5 dpi), 1.1-3.5 %; a line more or less, 5 %;
* small rasteriser differences stay below it: thin-line mode 0.00-0.01 % on the letters, vector
  anti-aliasing off 0.10 % on the external letter (but 0.48 % on the memo's dotted lines and 1.9 %
  thin-line mode on the register's grid: a different poppler build may need new references);
* the per-pixel threshold of 48 of 255 ignores anti-aliasing shades on glyph edges, not ink that
  appears or vanishes. Another rasteriser (``pdftocairo``) differs by 2.6-4.9 %: the references are
  pdftoppm's (Splash), and are regenerated when CI's poppler changes.

A changed digit (``มท 0301/123`` -> ``124``: 0.01 %) is below the tolerance: exact text is the
text-extraction test's job.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
from chalicelib.pdf.endorsement import EndorsementBlock, endorse_pdf
from chalicelib.pdf.letters import AgendaItem, LetterContent, Meeting, Member, Signatory, render_letter
from chalicelib.pdf.receipt_stamp import ReceiptStamp, stamp_receipt
from chalicelib.pdf.register_book import INCOMING_COLUMNS, OUTGOING_COLUMNS, render_register_book
from PIL import Image, ImageChops

from tests.unit.pdf.conftest import squash

REFERENCES = Path(__file__).resolve().parents[2] / "fixtures" / "forms"
UPDATE = os.environ.get("UPDATE_FORM_REFERENCES") == "1"
DPI = 50
PIXEL_THRESHOLD = 48  # a pixel differs when any channel differs by more than this (of 255)
TOLERANCE = 0.003  # at most this share of a page's pixels may differ
BANGKOK = ZoneInfo("Asia/Bangkok")

# -- the fixed contents -------------------------------------------------------------------------------

DATE = date(2026, 11, 21)
BODY = (
    "ตามที่กระทรวงมหาดไทยได้มีหนังสือแจ้งให้ส่วนราชการทุกแห่งจัดทำแผนการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ "
    "ประจำปีงบประมาณ พ.ศ. 2569 และรายงานผลการดำเนินงานภายในวันที่ 30 ธันวาคม 2569 นั้น",
    "ในการนี้ กรมการปกครองพิจารณาแล้วเห็นว่า เพื่อให้การดำเนินงานเป็นไปด้วยความเรียบร้อยและมีประสิทธิภาพ "
    "จึงขอเชิญผู้แทนของหน่วยงานท่านเข้าร่วมประชุมชี้แจงแนวทางการใช้งานระบบ ในวันที่ 5 ธันวาคม 2569 "
    "เวลา 09.30 น. ณ ห้องประชุมชั้น 3 อาคารกรมการปกครอง ถนนอัษฎางค์",
    "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบขอได้โปรดแจ้งรายชื่อผู้แทนให้ทราบภายในวันที่ 1 ธันวาคม 2569 ด้วย จะขอบคุณยิ่ง",
)
SUBJECT = "ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์"
DIRECTIVE_SUBJECT = "แต่งตั้งคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์"
CHIEF = Signatory("นายสมชาย ใจดี", "อธิบดีกรมการปกครอง")


def external(*, thai_numerals: bool = False) -> LetterContent:
    return LetterContent(
        form="external",
        agency_name="กรมการปกครอง",
        agency_address=("ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200"),
        owning_unit="กองกลาง",
        contact_lines=("โทร 0 2222 1141", "โทรสาร 0 2222 1142", "ไปรษณีย์อิเล็กทรอนิกส์ saraban2@dopa.go.th"),
        reference="มท 0301/123",
        date=DATE,
        subject=SUBJECT,
        salutation_to="ผู้ว่าราชการจังหวัดนนทบุรี",
        references=("หนังสือกระทรวงมหาดไทย ที่ มท 0201/ว 456 ลงวันที่ 1 ตุลาคม 2569",),
        enclosures=("กำหนดการประชุม จำนวน 1 ชุด", "แบบตอบรับการเข้าร่วมประชุม จำนวน 1 ฉบับ"),
        body=BODY,
        signatory=Signatory("นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง", "delegated", "อธิบดีกรมการปกครอง"),
        thai_numerals=thai_numerals,
    )


MEMO = LetterContent(
    form="memo",
    agency_name="กรมการปกครอง",
    owning_unit="กองกลาง สำนักงานเลขานุการกรม",
    contact_lines=("โทร 1141",),
    reference="มท 0301.1/456",
    date=DATE,
    subject="ขออนุมัติเดินทางไปราชการ",
    salutation_to="อธิบดีกรมการปกครอง",
    body=BODY,
    signatory=Signatory("นางสาวสมหญิง รักงาน", "รองอธิบดีกรมการปกครอง", "acting", "อธิบดีกรมการปกครอง"),
)


def directive(form: str) -> LetterContent:
    return LetterContent(
        form="order" if form == "order" else "announcement",
        agency_name="กรมการปกครอง",
        reference="45/2569" if form == "order" else None,
        date=DATE,
        subject=DIRECTIVE_SUBJECT,
        body=(*BODY[:2], "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"),
        signatory=CHIEF,
    )


STAMPED = LetterContent(
    form="stamped",
    agency_name="กรมการปกครอง",
    agency_address=("ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200"),
    owning_unit="กองกลาง",
    contact_lines=("โทร 0 2222 1141", "โทรสาร 0 2222 1142"),
    reference="มท 0301/ว 789",
    date=DATE,
    subject="ส่งสำเนาระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ",
    salutation_to="สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1",
    body=(
        "กรมการปกครองขอส่งสำเนาระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. 2526 และที่แก้ไขเพิ่มเติม "
        "มาเพื่อทราบและถือปฏิบัติต่อไป",
    ),
    signatory=Signatory("นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง"),
)
CERTIFICATE = LetterContent(
    form="certificate",
    agency_name="กรมการปกครอง",
    agency_address=("ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200"),
    reference="มท 0301/1150",
    date=DATE,
    subject="รับรองการปฏิบัติงานของนางสาวสมศรี มีสุข",
    body=(
        "หนังสือฉบับนี้ให้ไว้เพื่อรับรองว่า นางสาวสมศรี มีสุข ตำแหน่งเจ้าพนักงานธุรการชำนาญงาน สังกัดกองกลาง "
        "กรมการปกครอง ได้ปฏิบัติราชการที่กรมการปกครองตั้งแต่วันที่ 1 ตุลาคม 2560 จนถึงปัจจุบัน "
        "และเป็นผู้มีความประพฤติดี",
    ),
    signatory=CHIEF,
)
MEETING = Meeting(
    title="คณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
    number="5/2569",
    date=date(2026, 11, 25),
    place="ห้องประชุมชั้น 3 อาคารกรมการปกครอง",
    attendees=(
        Member("นายสมชาย ใจดี", "อธิบดีกรมการปกครอง", "ประธานกรรมการ"),
        Member("นางสาวสมหญิง รักงาน", "รองอธิบดีกรมการปกครอง", "กรรมการ"),
        Member("นายวิชัย ศรีสุข", "ผู้อำนวยการกองกลาง", "กรรมการและเลขานุการ"),
    ),
    absent=(Member("นายประเสริฐ มั่นคง", "ผู้อำนวยการกองการเจ้าหน้าที่", "ติดราชการ"),),
    guests=(Member("นางสาวสมศรี มีสุข", "เจ้าพนักงานธุรการชำนาญงาน"),),
    started_at=time(9, 30),
    agenda=(
        AgendaItem(
            "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
            ("ประธานแจ้งว่า กระทรวงมหาดไทยให้ทุกหน่วยงานใช้ระบบสารบรรณอิเล็กทรอนิกส์ตั้งแต่วันที่ 1 มกราคม 2570",),
        ),
        AgendaItem("รับรองรายงานการประชุมครั้งที่ 4/2569", ("ที่ประชุมรับรองรายงานการประชุมโดยไม่มีการแก้ไข",)),
        AgendaItem("เรื่องเพื่อพิจารณา", ("ฝ่ายเลขานุการเสนอแผนการอบรมผู้ใช้งานระบบ ที่ประชุมพิจารณาแล้วมีมติเห็นชอบ",)),
    ),
    ended_at=time(12, 0),
    recorder=Member("นายวิชัย ศรีสุข", "ผู้อำนวยการกองกลาง"),
)
MINUTES = LetterContent(
    form="minutes",
    agency_name="กรมการปกครอง",
    subject="รายงานการประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ ครั้งที่ 5/2569",
    meeting=MEETING,
)
COMMITTEE = (
    Member("นายสมชาย ใจดี", "อธิบดีกรมการปกครอง", "ประธานกรรมการ"),
    Member("นางสาวสมหญิง รักงาน", "รองอธิบดีกรมการปกครอง", "กรรมการ"),
    Member("นายประเสริฐ มั่นคง", "ผู้อำนวยการกองการเจ้าหน้าที่ ผู้ได้รับมอบหมายจากอธิบดี", "กรรมการ"),
    Member("นายวิชัย ศรีสุข", "ผู้อำนวยการกองกลาง", "กรรมการและเลขานุการ"),
)
ORDER_COMMITTEE = LetterContent(
    form="order",
    agency_name="กรมการปกครอง",
    reference="46/2569",
    date=DATE,
    subject=DIRECTIVE_SUBJECT,
    body=(
        "เพื่อให้การพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ของกรมการปกครองเป็นไปด้วยความเรียบร้อย "
        "จึงแต่งตั้งคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ ประกอบด้วย ดังนี้",
        "ให้คณะกรรมการมีหน้าที่กำหนดแนวทาง ติดตาม และรายงานผลการพัฒนาระบบต่ออธิบดีกรมการปกครอง",
        "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
    ),
    signatory=CHIEF,
    committee=COMMITTEE,
)

REGULATION = LetterContent(
    form="regulation",
    agency_name="กรมการปกครอง",
    date=DATE,
    subject="การใช้ระบบสารบรรณอิเล็กทรอนิกส์",
    body=(
        "โดยที่เป็นการสมควรกำหนดหลักเกณฑ์การใช้ระบบสารบรรณอิเล็กทรอนิกส์ของกรมการปกครอง "
        "ให้เป็นไปด้วยความเรียบร้อยและมีประสิทธิภาพ อธิบดีกรมการปกครองจึงวางระเบียบไว้ ดังต่อไปนี้",
        'ระเบียบนี้เรียกว่า "ระเบียบกรมการปกครองว่าด้วยการใช้ระบบสารบรรณอิเล็กทรอนิกส์ พ.ศ. 2569"',
        "ระเบียบนี้ให้ใช้บังคับตั้งแต่วันถัดจากวันประกาศเป็นต้นไป",
        "ให้ผู้อำนวยการกองกลางรักษาการตามระเบียบนี้",
    ),
    signatory=CHIEF,
)
MEMO_URGENT = dataclasses.replace(MEMO, urgency="most_urgent")


RECEIVED = LetterContent(  # a one-page letter as it arrives at the saraban desk
    form="external",
    agency_name="กรมการปกครอง",
    agency_address=("ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200"),
    owning_unit="กองกลาง",
    contact_lines=("โทร 0 2222 1141", "โทรสาร 0 2222 1142"),
    reference="มท 0301/123",
    date=DATE,
    subject=SUBJECT,
    salutation_to="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1",
    body=(
        "ด้วยกรมการปกครองจะจัดประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์ ในวันที่ 5 ธันวาคม 2569 "
        "เวลา 09.30 น. ณ ห้องประชุมชั้น 3 อาคารกรมการปกครอง จึงขอเชิญผู้แทนของหน่วยงานท่านเข้าร่วมประชุม",
        "จึงเรียนมาเพื่อโปรดพิจารณา",
    ),
    signatory=CHIEF,
)
STAMP = ReceiptStamp(
    agency_name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1",
    number=136,
    received_at=datetime(2026, 11, 21, 9, 5, tzinfo=UTC),  # 16.05 in Bangkok
)
STAMP_LINES = ("เลขรับ 136", "วันที่ 21 พ.ย. 2569", "เวลา 16.05 น.")
SARABAN = EndorsementBlock(
    note="เรียน ผอ.กองกลาง\nเพื่อโปรดทราบและพิจารณา",
    decision=None,
    addressed_to=None,
    name="นางสาวสมศรี มีสุข",
    position="เจ้าพนักงานธุรการชำนาญงาน",
    at=datetime(2026, 11, 22, 2, 15, tzinfo=UTC),  # 09.15 in Bangkok
)
DIRECTOR = EndorsementBlock(
    note="",
    decision="ทราบ ดำเนินการ",
    addressed_to="มอบ กองแผนงาน",
    name="นายสมชาย ใจดี",
    position="ผู้อำนวยการกองกลาง",
    at=datetime(2026, 11, 22, 17, 30, tzinfo=UTC),  # 00.30 on 23 November in Bangkok
)
GENERATED_AT = datetime(2026, 11, 30, 16, 5, tzinfo=BANGKOK)
AGENCY = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1"
INCOMING_ROWS = (
    (
        "136",
        "21 พ.ย. 2569 16.05 น.",
        "มท 0301/123",
        "21 พ.ย. 2569",
        "กรมการปกครอง",
        "ผู้อำนวยการสำนักงานเขตพื้นที่",
        SUBJECT,
        "มอบ กองแผนงาน",
        "",
    ),
    (
        "137",
        "22 พ.ย. 2569 09.40 น.",
        "ศธ 04002/ว 1520",
        "18 พ.ย. 2569",
        "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
        "ผู้อำนวยการสำนักงานเขตพื้นที่",
        "ขอความอนุเคราะห์ส่งรายชื่อครูผู้สอนวิชาคอมพิวเตอร์ ประจำปีงบประมาณ พ.ศ. 2570",
        "ดำเนินการแล้ว",
        "",
    ),
    (
        "138",
        "22 พ.ย. 2569 10.15 น.",
        "นบ 0017.2/4410",
        "20 พ.ย. 2569",
        "ศาลากลางจังหวัดนนทบุรี",
        "ผู้อำนวยการสำนักงานเขตพื้นที่",
        "ขอเชิญร่วมพิธีวางพวงมาลา",
        "",
        "ยกเลิก: ลงทะเบียนซ้ำ",
    ),
)
OUTGOING_ROWS = (
    (
        "88",
        "21 พ.ย. 2569",
        "ศธ 04054/1520",
        "21 พ.ย. 2569",
        "กลุ่มอำนวยการ",
        "ผู้อำนวยการโรงเรียนในสังกัดทุกแห่ง",
        "แจ้งกำหนดการประชุมผู้บริหารสถานศึกษา ครั้งที่ 4/2569",
        "ส่งทางระบบ",
        "",
    ),
    (
        "89",
        "23 พ.ย. 2569",
        "ศธ 04054/1521",
        "23 พ.ย. 2569",
        "กลุ่มส่งเสริมการจัดการศึกษา",
        "ผู้ว่าราชการจังหวัดนนทบุรี",
        "รายงานผลการดำเนินงานโครงการอาหารกลางวัน",
        "ส่งทางไปรษณีย์",
        "",
    ),
)


def _incoming() -> bytes:
    return render_register_book(
        "ทะเบียนหนังสือรับ ประจำปี พ.ศ. 2569",
        AGENCY,
        INCOMING_COLUMNS,
        INCOMING_ROWS,
        cancelled_rows={2},
        generated_at=GENERATED_AT,
    )


def _outgoing() -> bytes:
    return render_register_book(
        "ทะเบียนหนังสือส่ง ประจำปี พ.ศ. 2569", AGENCY, OUTGOING_COLUMNS, OUTGOING_ROWS, generated_at=GENERATED_AT
    )


@dataclass(frozen=True)
class Form:
    name: str
    build: Callable[[], bytes]
    pages: int  # the form's page count; pages 1 and 2 are compared
    lines: tuple[str, ...]  # whole lines of page 1's extracted text, found exactly
    wrapped: tuple[str, ...] = ()  # texts the layout may wrap: found exactly but for the line breaks
    widget_lines: tuple[str, ...] = ()  # the lines of the appearances added to page 1, in order


SUBJECT_LINE = f"เรื่อง {SUBJECT}"
REFERENCE_LINE = "อ้างถึง หนังสือกระทรวงมหาดไทย ที่ มท 0201/ว 456 ลงวันที่ 1 ตุลาคม 2569"
ENCLOSURE_LINES = ("สิ่งที่ส่งมาด้วย 1. กำหนดการประชุม จำนวน 1 ชุด", "2. แบบตอบรับการเข้าร่วมประชุม จำนวน 1 ฉบับ")
ADDRESS_LINES = ("ที่ มท 0301/123 กรมการปกครอง", "ถนนอัษฎางค์ เขตพระนคร", "กรุงเทพมหานคร 10200")
FOOTER = "หน้า 1/1พิมพ์เมื่อ 30 พฤศจิกายน 2569 เวลา 16.05 น."  # right, then left: no space between
FORMS = (
    Form(
        "external",
        lambda: render_letter(external()).pdf,
        2,
        (*ADDRESS_LINES, "21 พฤศจิกายน 2569", "เรียน ผู้ว่าราชการจังหวัดนนทบุรี", *ENCLOSURE_LINES),
        (SUBJECT_LINE, REFERENCE_LINE),
    ),
    Form(
        "external-thai-numerals",
        lambda: render_letter(external(thai_numerals=True)).pdf,
        2,
        (
            "ที่ มท ๐๓๐๑/๑๒๓ กรมการปกครอง",
            "กรุงเทพมหานคร ๑๐๒๐๐",
            "๒๑ พฤศจิกายน ๒๕๖๙",
            "สิ่งที่ส่งมาด้วย ๑. กำหนดการประชุม จำนวน ๑ ชุด",
            "๒. แบบตอบรับการเข้าร่วมประชุม จำนวน ๑ ฉบับ",
        ),
        (SUBJECT_LINE, "อ้างถึง หนังสือกระทรวงมหาดไทย ที่ มท ๐๒๐๑/ว ๔๕๖ ลงวันที่ ๑ ตุลาคม ๒๕๖๙"),
    ),
    Form(
        "memo",
        lambda: render_letter(MEMO).pdf,
        1,
        (
            "บันทึกข้อความ",
            "ส่วนราชการ กองกลาง สำนักงานเลขานุการกรม โทร 1141",
            "ที่ มท 0301.1/456 วันที่ 21 พฤศจิกายน 2569",
            "เรื่อง ขออนุมัติเดินทางไปราชการ",
            "เรียน อธิบดีกรมการปกครอง",
        ),
        BODY[:1],
    ),
    Form(
        "memo-urgent",
        lambda: render_letter(MEMO_URGENT).pdf,
        1,
        (
            "ด่วนที่สุด",
            "บันทึกข้อความ",
            "ส่วนราชการ กองกลาง สำนักงานเลขานุการกรม โทร 1141",
            "ที่ มท 0301.1/456 วันที่ 21 พฤศจิกายน 2569",
            "เรื่อง ขออนุมัติเดินทางไปราชการ",
        ),
        BODY[:1],
    ),
    Form(
        "regulation",
        lambda: render_letter(REGULATION).pdf,
        1,
        (
            "ระเบียบกรมการปกครอง",
            "ว่าด้วยการใช้ระบบสารบรรณอิเล็กทรอนิกส์",
            "พ.ศ. 2569",
            "ข้อ 3 ให้ผู้อำนวยการกองกลางรักษาการตามระเบียบนี้",
            "ประกาศ ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569",
        ),
        (REGULATION.body[0], f"ข้อ 1 {REGULATION.body[1]}", f"ข้อ 2 {REGULATION.body[2]}"),
    ),
    Form(
        "order",
        lambda: render_letter(directive("order")).pdf,
        1,
        (
            "คำสั่งกรมการปกครอง",
            "ที่ 45/2569",
            f"เรื่อง {DIRECTIVE_SUBJECT}",
            "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
            "สั่ง ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569",
        ),
        BODY[:2],
    ),
    Form(
        "announcement",
        lambda: render_letter(directive("announcement")).pdf,
        1,
        (
            "ประกาศกรมการปกครอง",
            f"เรื่อง {DIRECTIVE_SUBJECT}",
            "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
            "ประกาศ ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569",
        ),
        BODY[:2],
    ),
    Form(
        "stamped",
        lambda: render_letter(STAMPED).pdf,
        1,
        (
            "ที่ มท 0301/ว 789 กรมการปกครอง",
            "ถนนอัษฎางค์ เขตพระนคร",
            "ถึง สำนักงานเขตพื้นที่การศึกษาประถมศึกษานนทบุรี เขต 1",
            "กรมการปกครอง",
            "21 พฤศจิกายน 2569",
            "กองกลาง",
            "โทร 0 2222 1141",
        ),
        STAMPED.body,
    ),
    Form(
        "certificate",
        lambda: render_letter(CERTIFICATE).pdf,
        1,
        (
            "ที่ มท 0301/1150 กรมการปกครอง",
            "หนังสือรับรอง",
            "ให้ไว้ ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569",
        ),
        CERTIFICATE.body,
    ),
    Form(
        "minutes",
        lambda: render_letter(MINUTES).pdf,
        2,
        (
            "ครั้งที่ 5/2569",
            "เมื่อวันพุธที่ 25 พฤศจิกายน 2569",
            "ณ ห้องประชุมชั้น 3 อาคารกรมการปกครอง",
            "ผู้มาประชุม",
            "ผู้ไม่มาประชุม",
            "ผู้เข้าร่วมประชุม",
            "เริ่มประชุมเวลา 09.30 น.",
            "1. นายสมชาย ใจดี อธิบดี ประธานกรรมการ",  # a row of cells, then the cells' further lines
            "กรมการปกครอง",
            "1. นายประเสริฐ มั่นคง ผู้อำนวยการกองการเจ้าหน้าที่ ติดราชการ",
            "ระเบียบวาระที่ 1 เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
        ),
        ("รายงานการประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์", *MEETING.agenda[0].text),
    ),
    Form(
        "order-committee",
        lambda: render_letter(ORDER_COMMITTEE).pdf,
        1,
        (
            "คำสั่งกรมการปกครอง",
            "ที่ 46/2569",
            "1. นายสมชาย ใจดี อธิบดี ประธานกรรมการ",
            "กรมการปกครอง",
            "4. นายวิชัย ศรีสุข ผู้อำนวยการ กรรมการและเลขานุการ",
            "สั่ง ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569",
        ),
        ORDER_COMMITTEE.body,
    ),
    Form(
        "receipt-stamp",
        lambda: stamp_receipt(render_letter(RECEIVED).pdf, STAMP),
        1,
        (*ADDRESS_LINES, "21 พฤศจิกายน 2569"),
        (SUBJECT_LINE, *RECEIVED.body),
        STAMP_LINES,  # after the agency's name (one or two lines)
    ),
    Form(
        "endorsement",
        lambda: endorse_pdf(render_letter(RECEIVED).pdf, [SARABAN, DIRECTOR]),
        1,
        (*ADDRESS_LINES, "21 พฤศจิกายน 2569"),
        (SUBJECT_LINE, *RECEIVED.body),
        (
            "เรียน ผอ.กองกลาง",
            "เพื่อโปรดทราบและพิจารณา",
            "(นางสาวสมศรี มีสุข)",
            "เจ้าพนักงานธุรการชำนาญงาน",
            "22 พ.ย. 2569",
            "ทราบ ดำเนินการ",
            "มอบ กองแผนงาน",
            "(นายสมชาย ใจดี)",
            "ผู้อำนวยการกองกลาง",
            "23 พ.ย. 2569",
        ),
    ),
    Form(
        "register-incoming",
        _incoming,
        1,
        ("ทะเบียนหนังสือรับ ประจำปี พ.ศ. 2569", AGENCY, FOOTER),
        tuple(column.title for column in INCOMING_COLUMNS)
        + tuple(cell for row in INCOMING_ROWS for cell in row),
    ),
    Form(
        "register-outgoing",
        _outgoing,
        1,
        ("ทะเบียนหนังสือส่ง ประจำปี พ.ศ. 2569", AGENCY, FOOTER),
        tuple(column.title for column in OUTGOING_COLUMNS)
        + tuple(cell for row in OUTGOING_ROWS for cell in row),
    ),
)
BY_NAME = {form.name: form for form in FORMS}


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    return {form.name: form.build() for form in FORMS}


# -- rendering and comparing ----------------------------------------------------------------------------


def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        pytest.fail(
            "pdftoppm is not installed: the form reference tests render pages with it "
            "(Debian/Ubuntu: apt-get install poppler-utils; CI installs it)",
            pytrace=False,
        )
    return found


def render_page(pdf: bytes, page: int, directory: Path, stem: str) -> Image.Image:
    """Page ``page`` (1-based) rendered by ``pdftoppm -r 50 -png``, as RGB."""
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / f"{stem}.pdf"
    source.write_bytes(pdf)
    out = directory / f"{stem}-{page}"
    command = [pdftoppm(), "-r", str(DPI), "-png", "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*command, str(source), str(out)], check=True, capture_output=True)
    with Image.open(out.with_suffix(".png")) as image:
        return image.convert("RGB")


def differing(actual: Image.Image, expected: Image.Image) -> Image.Image:
    """A mask (mode L): 255 where some channel differs by more than ``PIXEL_THRESHOLD``."""
    red, green, blue = ImageChops.difference(actual, expected).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    return largest.point(lambda value: 255 if value > PIXEL_THRESHOLD else 0)


def diff_image(expected: Image.Image, mask: Image.Image) -> Image.Image:
    """The reference, faded, with the differing pixels in red."""
    faded = Image.blend(expected, Image.new("RGB", expected.size, "white"), 0.7)
    faded.paste(Image.new("RGB", expected.size, (255, 0, 0)), mask=mask)
    return faded


def count(mask: Image.Image) -> int:
    return mask.histogram()[255]


# -- the tests ----------------------------------------------------------------------------------------------

PAGES = [(form.name, page) for form in FORMS for page in range(1, min(form.pages, 2) + 1)]


@pytest.mark.parametrize(("name", "page"), PAGES, ids=[f"{name}-{page}" for name, page in PAGES])
def test_the_page_matches_its_reference_image(
    built: dict[str, bytes], tmp_path: Path, name: str, page: int
) -> None:
    pdf = built[name]
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == BY_NAME[name].pages
    actual = render_page(pdf, page, tmp_path, name)
    reference = REFERENCES / f"{name}-{page}.png"
    if UPDATE:
        REFERENCES.mkdir(parents=True, exist_ok=True)
        actual.save(reference, optimize=True)
        return
    new = tmp_path / f"{name}-{page}.png"
    assert reference.exists(), (
        f"no reference image {reference}; the rendering is at {new}. Look at it, and if it is right, "
        "create the references with scripts/update_form_references.sh"
    )
    with Image.open(reference) as image:
        expected = image.convert("RGB")
    assert actual.size == expected.size, (
        f"{name} page {page} renders {actual.size[0]}x{actual.size[1]} pixels, the reference "
        f"{reference} is {expected.size[0]}x{expected.size[1]}; the new rendering is at {new}"
    )
    mask = differing(actual, expected)
    changed = count(mask)
    share = changed / (actual.size[0] * actual.size[1])
    if share > TOLERANCE:
        diff = tmp_path / f"{name}-{page}-diff.png"
        diff_image(expected, mask).save(diff)
        pytest.fail(
            f"{name} page {page}: {changed} pixels ({share:.2%}) differ by more than {PIXEL_THRESHOLD} "
            f"from {reference} (at most {TOLERANCE:.1%} may). New rendering: {new}; differing pixels in "
            f"red: {diff}. If the change is intended and the new image looks right, update the "
            "references with scripts/update_form_references.sh (see tests/fixtures/forms/README.md).",
            pytrace=False,
        )


@pytest.mark.parametrize("name", [form.name for form in FORMS])
def test_rendering_is_deterministic(built: dict[str, bytes], tmp_path: Path, name: str) -> None:
    """Built and rendered again, the form gives the same pixels (the references can be compared)."""
    again = BY_NAME[name].build()
    for page in range(1, min(BY_NAME[name].pages, 2) + 1):
        first = render_page(built[name], page, tmp_path / "first", name)
        second = render_page(again, page, tmp_path / "second", name)
        assert first.size == second.size
        assert ImageChops.difference(first, second).getbbox() is None, f"{name} page {page} differs"


def widget_lines(page: pypdf.PageObject) -> list[str]:
    """The text lines of the appearances of the fields added to the page (all but the signature field)."""
    lines: list[str] = []
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        if annot.get("/T") == "Sig1" or "/AP" not in annot:
            continue
        text = page.extract_xform_text(annot["/AP"]["/N"].get_object())
        lines += [line for line in text.splitlines() if line.strip()]
    return lines


@pytest.mark.parametrize("name", [form.name for form in FORMS])
def test_page_one_text_extracts_back_exactly(built: dict[str, bytes], name: str) -> None:
    form = BY_NAME[name]
    page = pypdf.PdfReader(io.BytesIO(built[name])).pages[0]
    text = page.extract_text()
    lines = text.splitlines()
    for expected in form.lines:
        assert expected in lines, f"{expected!r} is not a line of page 1: {lines}"
    for expected in form.wrapped:
        assert squash(expected) in squash(text), f"{expected!r} is not on page 1: {text!r}"
    added = widget_lines(page)
    if name == "receipt-stamp":  # the agency's name on one or two lines, then the three values
        assert squash("".join(added[: -len(form.widget_lines)])) == squash(STAMP.agency_name)
        added = added[-len(form.widget_lines) :]
    assert tuple(added) == form.widget_lines
