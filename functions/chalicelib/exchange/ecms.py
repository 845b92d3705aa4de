"""e-CMS messages: the government's correspondence exchange standard, for agencies outside the
platform (docs/rules.md, "Exchange with agencies outside the platform (e-CMS)").

A letter travels as ``CorrespondenceLetterOutboundRequest/rsm:GovernmentDocument/ram:CorrespondenceLetter``
in a SOAP 1.1 envelope with WS-Addressing (``wsa:MessageID``, ``wsa:To``); the receiver answers with
notifiers (received, accepted with its AcceptID = เลขรับ, rejected, invalid letter, invalid accept id).

Reading is hostile-first: defusedxml refuses any DTD, entity or external reference before anything is
read (no entity expansion, no network), and the letter or notifier is then validated against
``ecms.xsd`` (written from the standard's field list) with lxml, so a wrong code, a missing field or a
malformed date is refused with the schema's reason. The codes whose order the standard's published
table leaves unclear (SpeedCode) are a setting, not a constant.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET  # building only: reading goes through defusedxml

RSM = "urn:th:gov:egif:data:standard:GovernmentDocument:1.0"
RAM = "urn:th:gov:egif:data:standard:ReusableAggregateBusinessInformationEntity:1"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WSA = "http://www.w3.org/2005/08/addressing"
MAX_MESSAGE_BYTES = 40 * 1024 * 1024  # base64 of a letter and its enclosures
# SecretCode (the standard's table 2-10): ปกติ, ลับ, ลับมาก, ลับที่สุด.
SECRET_CODES = {"normal": "001", "confidential": "002", "secret": "003", "top_secret": "004"}
# SpeedCode: the published table is garbled; this order is inferred (ปกติ, ด่วน, ด่วนมาก, ด่วนที่สุด) and
# a deployment sets the node's own with the `ecms.speed_codes` setting (its GetSpeedCodes answer).
DEFAULT_SPEED_CODES = {"normal": "001", "urgent": "002", "very_urgent": "003", "most_urgent": "004"}
NOTIFIERS = (
    "ReceiveLetterNotifier",
    "AcceptLetterNotifier",
    "RejectLetterNotifier",
    "InvalidLetterNotifier",
    "InvalidAcceptIDNotifier",
)

for prefix, uri in (("rsm", RSM), ("ram", RAM), ("soapenv", SOAP), ("wsa", WSA)):
    ET.register_namespace(prefix, uri)


class EcmsError(ValueError):
    """A message that is refused, with the reason (in Thai and English)."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(en)
        self.th = th
        self.en = en


@dataclass(frozen=True)
class Party:
    job_title: str
    ministry_id: str  # 2 digits
    department_id: str  # 10 digits
    given_name: str = ""
    family_name: str = ""


@dataclass(frozen=True)
class Reference:
    id: str
    date: date
    subject: str


@dataclass(frozen=True)
class Letter:
    id: str  # the letter's ที่
    date: date
    subject: str
    secret_code: str
    speed_code: str
    sender: Party
    receiver: Party
    send_date: datetime
    main_letter: bytes  # the PDF
    references: tuple[Reference, ...] = ()
    attachment_text: str = ""  # สิ่งที่ส่งมาด้วย
    description: str = ""
    attachments: tuple[bytes, ...] = field(default=())  # PDFs


@dataclass(frozen=True)
class Notice:
    kind: str  # one of NOTIFIERS
    letter_id: str
    date: date
    subject: str
    accept_id: str | None = None  # the receiver's เลขรับ (AcceptLetterNotifier)
    description: str = ""


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    child = ET.SubElement(parent, _q(RAM, name))
    child.text = value
    return child


def _party(parent: ET.Element, name: str, party: Party) -> None:
    node = ET.SubElement(parent, _q(RAM, name))
    _text(node, "GivenName", party.given_name)
    _text(node, "FamilyName", party.family_name)
    _text(node, "JobTitle", party.job_title)
    _text(ET.SubElement(node, _q(RAM, "MinistryOrganization")), "ID", party.ministry_id)
    _text(ET.SubElement(node, _q(RAM, "DepartmentOrganization")), "ID", party.department_id)


def _envelope(message_id: str, to: str, request: str) -> tuple[ET.Element, ET.Element]:
    envelope = ET.Element(_q(SOAP, "Envelope"))
    header = ET.SubElement(envelope, _q(SOAP, "Header"))
    ET.SubElement(header, _q(WSA, "MessageID")).text = message_id
    ET.SubElement(header, _q(WSA, "To")).text = to
    body = ET.SubElement(envelope, _q(SOAP, "Body"))
    return envelope, ET.SubElement(body, _q(RSM, request))


def _letter(parent: ET.Element, letter: Letter) -> None:
    document = ET.SubElement(parent, _q(RSM, "GovernmentDocument"))
    node = ET.SubElement(document, _q(RAM, "CorrespondenceLetter"))
    _text(node, "ID", letter.id)
    _text(node, "CorrespondenceDate", letter.date.isoformat())
    _text(node, "Subject", letter.subject)
    _text(node, "SecretCode", letter.secret_code)
    _text(node, "SpeedCode", letter.speed_code)
    _party(node, "SenderParty", letter.sender)
    _party(node, "ReceiverParty", letter.receiver)
    for reference in letter.references:
        ref = ET.SubElement(node, _q(RAM, "ReferenceCorrespondence"))
        _text(ref, "ID", reference.id)
        _text(ref, "CorrespondenceDate", reference.date.isoformat())
        _text(ref, "Subject", reference.subject)
    if letter.attachment_text:
        _text(node, "Attachment", letter.attachment_text)
    _text(node, "SendDate", letter.send_date.strftime("%Y-%m-%dT%H:%M:%S"))
    if letter.description:
        _text(node, "Description", letter.description)
    _text(node, "MainLetterBinaryObject", base64.b64encode(letter.main_letter).decode()).set(
        "mimeCode", "application/pdf"
    )
    for attachment in letter.attachments:
        _text(node, "AttachmentBinaryObject", base64.b64encode(attachment).decode()).set(
            "mimeCode", "application/pdf"
        )


def _bytes(envelope: ET.Element) -> bytes:
    return bytes(ET.tostring(envelope, encoding="utf-8", xml_declaration=True))


def letter_request(letter: Letter, *, message_id: str, to: str) -> bytes:
    """CorrespondenceLetterOutboundRequest (3.2.1): the letter, its parties and its PDFs."""
    envelope, request = _envelope(message_id, to, "CorrespondenceLetterOutboundRequest")
    _letter(request, letter)
    return _bytes(envelope)


def letter_poll_request(*, message_id: str, to: str) -> bytes:
    """CorrespondenceLetterInboundRequest (3.2.7): ask the node for the next letter addressed to us."""
    envelope, _ = _envelope(message_id, to, "CorrespondenceLetterInboundRequest")
    return _bytes(envelope)


def letter_inbound_answer(letter: Letter | None, process_id: str, *, message_id: str, to: str) -> bytes:
    """The node's answer to a letter poll: the next letter with its ProcessID, or nothing waiting."""
    envelope, answer = _envelope(message_id, to, "CorrespondenceLetterInboundResponse")
    if letter is not None:
        ET.SubElement(answer, _q(RAM, "ProcessID")).text = process_id
        _letter(answer, letter)
    return _bytes(envelope)


def letter_delete_request(process_id: str, *, message_id: str, to: str) -> bytes:
    """CorrespondenceLetterDeleteRequest (3.2.14): the letter is safely ours, take it off the queue."""
    envelope, request = _envelope(message_id, to, "CorrespondenceLetterDeleteRequest")
    ET.SubElement(request, _q(RAM, "ProcessID")).text = process_id
    return _bytes(envelope)


def notice_message(notice: Notice, *, message_id: str, to: str) -> bytes:
    """A notifier (3.2.2 to 3.2.6) as its receiver's e-CMS node carries it back."""
    envelope, request = _envelope(message_id, to, "CorrespondenceNotifierRequest")
    node = ET.SubElement(request, _q(RAM, notice.kind))
    _text(node, "LetterID", notice.letter_id)
    _text(node, "CorrespondenceDate", notice.date.isoformat())
    _text(node, "Subject", notice.subject)
    if notice.accept_id:
        _text(node, "AcceptID", notice.accept_id)
    if notice.description:
        _text(node, "Description", notice.description)
    return _bytes(envelope)


# -- reading ----------------------------------------------------------------------------------------
@cache
def _schema() -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(Path(__file__).with_name("ecms.xsd")), parser))


def _safe_tree(data: bytes) -> ET.Element:
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    if len(data) > MAX_MESSAGE_BYTES:
        raise EcmsError("ข้อความใหญ่เกินกำหนด", f"the message is over {MAX_MESSAGE_BYTES} bytes")
    try:
        root: ET.Element = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        return root
    except DefusedXmlException as error:
        raise EcmsError(
            "ข้อความมี DTD หรือ entity ซึ่งไม่อนุญาต",
            f"refused: {type(error).__name__} (no DTD, entity or external reference)",
        ) from error
    except ET.ParseError as error:
        raise EcmsError("ข้อความไม่ใช่ XML ที่ถูกต้อง", f"not well-formed XML: {error}") from error


def _validated(element: ET.Element) -> None:
    """The element against ecms.xsd: every field there, every code known, every date a date."""
    from lxml import etree

    node = etree.fromstring(ET.tostring(element), etree.XMLParser(resolve_entities=False, no_network=True))
    schema = _schema()
    if not schema.validate(node):
        first = schema.error_log.last_error
        where = first.path.rsplit("/", 1)[-1] if first and first.path else ""
        raise EcmsError(
            "ข้อความไม่เป็นไปตามมาตรฐาน e-CMS",
            f"not as the standard lays it out: {where} {first.message if first else ''}".strip(),
        )


def _body(data: bytes, request: str) -> ET.Element:
    root = _safe_tree(data)
    found = root.find(f"{_q(SOAP, 'Body')}/{_q(RSM, request)}")
    if root.tag != _q(SOAP, "Envelope") or found is None:
        raise EcmsError("ไม่ใช่ข้อความ e-CMS ที่คาดไว้", f"not a SOAP envelope carrying {request}")
    return found


def _get(node: ET.Element, path: str) -> str:
    found = node.find("/".join(_q(RAM, part) for part in path.split("/")))
    return (found.text or "") if found is not None else ""


def _party_of(node: ET.Element | None) -> Party:
    assert node is not None  # the schema requires it
    return Party(
        job_title=_get(node, "JobTitle"),
        ministry_id=_get(node, "MinistryOrganization/ID"),
        department_id=_get(node, "DepartmentOrganization/ID"),
        given_name=_get(node, "GivenName"),
        family_name=_get(node, "FamilyName"),
    )


def _pdf(text: str) -> bytes:
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise EcmsError("ไฟล์แนบเข้ารหัสไม่ถูกต้อง", "a binary object is not valid base64") from error
    if not data.startswith(b"%PDF-"):
        raise EcmsError("ไฟล์หนังสือไม่ใช่ PDF", "a binary object marked application/pdf is not a PDF")
    return data


def _read_letter_in(container: ET.Element) -> Letter:
    node = container.find(f"{_q(RSM, 'GovernmentDocument')}/{_q(RAM, 'CorrespondenceLetter')}")
    if node is None:
        raise EcmsError("ไม่พบหนังสือในข้อความ", "no GovernmentDocument/CorrespondenceLetter in the message")
    _validated(node)
    references = tuple(
        Reference(_get(r, "ID"), date.fromisoformat(_get(r, "CorrespondenceDate")), _get(r, "Subject"))
        for r in node.findall(_q(RAM, "ReferenceCorrespondence"))
    )
    return Letter(
        id=_get(node, "ID"),
        date=date.fromisoformat(_get(node, "CorrespondenceDate")),
        subject=_get(node, "Subject"),
        secret_code=_get(node, "SecretCode"),
        speed_code=_get(node, "SpeedCode"),
        sender=_party_of(node.find(_q(RAM, "SenderParty"))),
        receiver=_party_of(node.find(_q(RAM, "ReceiverParty"))),
        send_date=datetime.fromisoformat(_get(node, "SendDate")),
        main_letter=_pdf(_get(node, "MainLetterBinaryObject")),
        references=references,
        attachment_text=_get(node, "Attachment"),
        description=_get(node, "Description"),
        attachments=tuple(_pdf(a.text or "") for a in node.findall(_q(RAM, "AttachmentBinaryObject"))),
    )


def read_letter(data: bytes) -> Letter:
    """A CorrespondenceLetterOutboundRequest, refused with a reason unless it is safe and complete."""
    return _read_letter_in(_body(data, "CorrespondenceLetterOutboundRequest"))


def read_inbound_letter(data: bytes) -> tuple[str, Letter] | None:
    """The node's answer to a letter poll: (ProcessID, the letter), or None when nothing waits. Read as
    hostile as any message: a letter in it that is unsafe or incomplete is refused with the reason."""
    answer = _body(data, "CorrespondenceLetterInboundResponse")
    found = answer.find(_q(RAM, "ProcessID"))
    if found is None:
        return None
    process_id = (found.text or "").strip()
    if not process_id or len(process_id) > 100:
        raise EcmsError("หนังสือจาก e-CMS ไม่มีเลขกระบวนการ", "the letter carries no usable ProcessID")
    return process_id, _read_letter_in(answer)


def read_process_request(data: bytes, request: str) -> str:
    """The ProcessID a request names (the fake node reads delete requests with it)."""
    found = _body(data, request).find(_q(RAM, "ProcessID"))
    if found is None or not (found.text or "").strip():
        raise EcmsError("ไม่พบเลขกระบวนการ", f"{request} names no ProcessID")
    return (found.text or "").strip()


def read_notice(data: bytes) -> Notice:
    request = _body(data, "CorrespondenceNotifierRequest")
    node = next((child for child in request if child.tag in {_q(RAM, k) for k in NOTIFIERS}), None)
    if node is None:
        raise EcmsError("ไม่พบการแจ้งในข้อความ", f"no notifier ({', '.join(NOTIFIERS)}) in the request")
    _validated(node)
    kind = node.tag.rsplit("}", 1)[-1]
    accept_id = _get(node, "AcceptID") or None
    if kind == "AcceptLetterNotifier" and not accept_id:
        raise EcmsError("การแจ้งลงรับต้องมีเลขรับ", "an AcceptLetterNotifier carries the receiver's AcceptID")
    return Notice(
        kind=kind,
        letter_id=_get(node, "LetterID"),
        date=date.fromisoformat(_get(node, "CorrespondenceDate")),
        subject=_get(node, "Subject"),
        accept_id=accept_id,
        description=_get(node, "Description"),
    )


def poll_request(*, message_id: str, to: str) -> bytes:
    """CorrespondenceNotifierInboundRequest: ask the node for the next notifier."""
    envelope, _ = _envelope(message_id, to, "CorrespondenceNotifierInboundRequest")
    return _bytes(envelope)


def process_answer(process_id: str, *, message_id: str, to: str) -> bytes:
    """The node's answer to a letter it took: its ProcessID and the time."""
    envelope, answer = _envelope(message_id, to, "CorrespondenceLetterOutboundResponse")
    ET.SubElement(answer, _q(RAM, "ProcessID")).text = process_id
    ET.SubElement(answer, _q(RAM, "ProcessTime")).text = datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
    return _bytes(envelope)


def read_process_id(data: bytes) -> str:
    answer = _body(data, "CorrespondenceLetterOutboundResponse")
    found = answer.find(_q(RAM, "ProcessID"))
    if found is None or not (found.text or "").strip():
        raise EcmsError("ระบบ e-CMS ไม่ได้ตอบรับหนังสือ", "the node's answer carries no ProcessID")
    return (found.text or "").strip()[:100]


def read_poll(data: bytes, request: str = "CorrespondenceNotifierInboundRequest") -> None:
    """A poll request, as the fake node reads it (nothing in it but the envelope)."""
    _body(data, request)


def empty_poll_answer(*, message_id: str, to: str) -> bytes:
    envelope, _ = _envelope(message_id, to, "CorrespondenceNotifierInboundResponse")
    return _bytes(envelope)


def read_poll_answer(data: bytes) -> Notice | None:
    """The node's answer to a poll: a notifier, or nothing waiting."""
    root = _safe_tree(data)
    body = root.find(_q(SOAP, "Body"))
    if root.tag != _q(SOAP, "Envelope") or body is None:
        raise EcmsError("ไม่ใช่ข้อความ e-CMS ที่คาดไว้", "not a SOAP envelope")
    if body.find(_q(RSM, "CorrespondenceNotifierRequest")) is not None:
        return read_notice(data)
    if body.find(_q(RSM, "CorrespondenceNotifierInboundResponse")) is not None:
        return None
    raise EcmsError("ไม่ใช่ข้อความ e-CMS ที่คาดไว้", "the node's answer to a poll is neither a notifier nor empty")
