"""e-CMS letters and notifiers: what the platform writes reads back field for field; what a hostile or
careless node sends is refused with the reason, before anything is expanded, fetched or stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from chalicelib.exchange.ecms import (
    SECRET_CODES,
    EcmsError,
    Letter,
    Notice,
    Party,
    Reference,
    letter_request,
    notice_message,
    read_letter,
    read_notice,
)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LETTER = Letter(
    id="ดศ 0201.3/1234",
    date=date(2026, 11, 29),
    subject="ขอเชิญประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
    secret_code=SECRET_CODES["normal"],
    speed_code="003",
    sender=Party("ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "21", "0021000001", "ประภาพร", "วงศ์ไทย"),
    receiver=Party("ผู้ว่าราชการจังหวัดเชียงใหม่", "15", "0015500050"),
    send_date=datetime(2026, 11, 29, 10, 15, 0),
    main_letter=PDF,
    references=(Reference("ดศ 0201.3/1000", date(2026, 10, 1), "การประชุมครั้งก่อน"),),
    attachment_text="ระเบียบวาระการประชุม 1 ชุด",
    attachments=(PDF,),
)


def request(letter: Letter = LETTER) -> bytes:
    return letter_request(
        letter, message_id="20261129.101500000", to="http://ecms.example/ecms-ws01/service2"
    )


def test_a_letter_reads_back_field_for_field() -> None:
    assert read_letter(request()) == LETTER


def test_notices_read_back_and_an_acceptance_carries_the_number() -> None:
    accepted = Notice("AcceptLetterNotifier", LETTER.id, LETTER.date, LETTER.subject, accept_id="4567")
    message = notice_message(accepted, message_id="m1", to="http://node")
    assert read_notice(message) == accepted
    rejected = Notice(
        "RejectLetterNotifier", LETTER.id, LETTER.date, LETTER.subject, description="ส่งผิดหน่วยงาน"
    )
    assert read_notice(notice_message(rejected, message_id="m2", to="http://node")) == rejected
    without = notice_message(
        Notice("AcceptLetterNotifier", LETTER.id, LETTER.date, LETTER.subject), message_id="m3", to="x"
    )
    with pytest.raises(EcmsError, match="AcceptID"):
        read_notice(without)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&lol3;</soapenv:Body></soapenv:Envelope>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&secret;</soapenv:Body></soapenv:Envelope>"""


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (BILLION_LAUGHS, "no DTD, entity or external reference"),
        (EXTERNAL, "no DTD, entity or external reference"),
        (b"<not xml", "not well-formed XML"),
        (b"<a/>", "not a SOAP envelope"),
        (request().replace(b"<ram:SecretCode>001<", b"<ram:SecretCode>009<"), "SecretCode"),
        (
            request().replace(
                b"2026-11-29</ram:CorrespondenceDate>", b"29/11/2569</ram:CorrespondenceDate>", 1
            ),
            "CorrespondenceDate",
        ),
        (request().replace(b"<ram:ID>0021000001</ram:ID>", b"<ram:ID>21</ram:ID>"), "ID"),
        (
            request().replace(b'mimeCode="application/pdf">JVBER', b'mimeCode="application/pdf">!!!!'),
            "base64",
        ),
    ],
)
def test_a_hostile_or_careless_message_is_refused_with_its_reason(message: bytes, reason: str) -> None:
    with pytest.raises(EcmsError) as refused:
        read_letter(message)
    assert reason in refused.value.en and refused.value.th


def test_a_missing_field_is_named() -> None:
    text = request().decode()
    start = text.index("<ram:Subject>")
    end = text.index("</ram:Subject>") + len("</ram:Subject>")
    with pytest.raises(EcmsError, match=r"SecretCode|Subject"):
        read_letter((text[:start] + text[end:]).encode())


def test_a_binary_that_is_not_a_pdf_is_refused() -> None:
    import base64

    fake = request().replace(base64.b64encode(PDF), base64.b64encode(b"MZ\x90\x00 an executable"), 1)
    with pytest.raises(EcmsError, match="not a PDF"):
        read_letter(fake)


def test_a_letter_coming_in_reads_back_with_its_process_id_and_an_empty_poll_is_nothing() -> None:
    from chalicelib.exchange.ecms import letter_inbound_answer, read_inbound_letter

    offered = letter_inbound_answer(LETTER, "IN000042", message_id="m", to="platform")
    assert read_inbound_letter(offered) == ("IN000042", LETTER)
    assert read_inbound_letter(letter_inbound_answer(None, "", message_id="m", to="platform")) is None


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda m: m.replace(b"<ram:SecretCode>001<", b"<ram:SecretCode>005<"), "SecretCode"),
        (lambda m: m.replace(b"<ram:ProcessID>IN000042<", b"<ram:ProcessID> <"), "ProcessID"),
        (lambda m: EXTERNAL, "no DTD, entity or external reference"),
    ],
)
def test_a_hostile_letter_coming_in_is_refused_with_its_reason(mutate: Any, reason: str) -> None:
    from chalicelib.exchange.ecms import letter_inbound_answer, read_inbound_letter

    with pytest.raises(EcmsError) as refused:
        read_inbound_letter(mutate(letter_inbound_answer(LETTER, "IN000042", message_id="m", to="p")))
    assert reason in refused.value.en
