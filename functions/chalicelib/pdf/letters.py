"""Official letters rendered to PDF from a document's fields: หนังสือภายนอก, บันทึกข้อความ, หนังสือประทับตรา,
คำสั่ง, ประกาศ, ระเบียบ, ข้อบังคับ, หนังสือรับรอง and รายงานการประชุม.

    letter = render_letter(LetterContent(form="external", agency_name="กรมการปกครอง", ...))
    letter.pdf                 # A4, 16 pt TH Sarabun (TLWG Laksaman), Thai text extracts back exactly
    letter.signature_field     # "Sig1": an empty signature field, reserved where the signer's block is
    letter.signature_page, letter.signature_box   # 0-based page, (x1, y1, x2, y2) in PDF points

The forms follow docs/rules.md ("Layout of official letters", "Urgency and secrecy") and the
typing rules of the ปลัดสำนักนายกรัฐมนตรี (notes/domain-research.md 5.5):

* หนังสือภายนอก: garuda 3 cm high, centred, 1.5 cm from the top; ``ที่`` at the left and the agency's
  name and address at the right on the line under it; the date (day, full month, Buddhist year) from
  the centre; เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย with hanging lines; body paragraphs with a 2.5 cm
  first-line indent; the closing from the centre; the signer's block; the owning unit and the
  contact lines at the left after it.
* บันทึกข้อความ: garuda 1.5 cm at the top left, "บันทึกข้อความ" bold 29 pt, then ส่วนราชการ / ที่ ... วันที่
  / เรื่อง in bold 20 pt with dotted fill and no solid rule; เรียน, body, the signer's block.
* คำสั่ง and ประกาศ: garuda centred; "คำสั่ง<agency>" (or "ประกาศ<agency>") bold, ``ที่ 45/2569``, เรื่อง,
  centred, and a short rule; body; "สั่ง ณ วันที่" (or "ประกาศ ณ วันที่") with "พ.ศ." before the year;
  the signer's block. An order may carry a ``committee``: numbered members (name and position, further
  lines hanging after the number) with their role (ประธานกรรมการ, กรรมการ, ...) in a right-hand column,
  after the first paragraph that ends in "ดังนี้" (else after the first paragraph).
* หนังสือประทับตรา (ข้อ 14): the external letter's head (garuda, ที่, the agency and its address); "ถึง";
  body; no closing and no signer's block: the agency's name at the lower right, where the agency's
  stamp (ตราชื่อส่วนราชการ) is pressed, and under it the reserved field, empty on the page, for the
  initials that countersign the stamp (ลงชื่อย่อกำกับตรา); the date under it; the owning unit and the
  contact lines at the left.
* หนังสือรับรอง: garuda centred; ที่ at the left and the agency at the right; "หนังสือรับรอง" bold,
  centred; body; "ให้ไว้ ณ วันที่ ... พ.ศ. ..."; the signer's block.
* ระเบียบ and ข้อบังคับ: garuda centred; "ระเบียบ<agency>" (or "ข้อบังคับ<agency>") bold, "ว่าด้วย<subject>" and
  "พ.ศ. <year>", centred, and a short rule; the preamble (the body's first paragraph); the clauses
  "ข้อ 1 ...", "ข้อ 2 ..." (the further paragraphs, numbered unless they already are); "ประกาศ ณ วันที่
  ... พ.ศ. ..."; the signer's block.
* รายงานการประชุม: no garuda; "รายงานการประชุม<title>" bold, centred, then ครั้งที่, เมื่อ<date> and
  ณ <place>, centred; ผู้มาประชุม, ผู้ไม่มาประชุม, ผู้เข้าร่วมประชุม as numbered names with their position
  (and role) in right-hand columns; เริ่มประชุมเวลา; each ระเบียบวาระ with its text; เลิกประชุมเวลา; the
  recorder's block (the signature field) and "ผู้จดรายงานการประชุม" under it.

Every text is broken by :func:`chalicelib.pdf.thai_text.break_lines`: a date, a telephone number, ``พ.ศ.
2526``, ``จำนวน 1 ฉบับ``, ``ที่ ดศ 0201.3/4``, a title and name stay on one line, and the agency's and its
units' names (``agency_name``, ``owning_unit`` and ``custom_words``: rendering passes the directory's
names) are words of the segmenter, never broken inside unless long enough to be cut between their own
words. Body paragraphs are broken by total fit and justified the Thai way (distributed: the missing
width spread between grapheme clusters, more at spaces) so that every line but a paragraph's last
ends on the right margin; the text layer still holds exactly the words (the spacing is pen movement).
The page that carries the closing and the signer's block carries at least the body's last two lines.

Urgency (ด่วน / ด่วนมาก / ด่วนที่สุด, and "ด่วนภายใน <date> เวลา <time>") is printed in red, bold, 32
pt, at the top left of page 1: beside the garuda when it fits there (for a memo, between the garuda and
the title; a mark too wide for that gap is set over the title's line, from the same place, the title and
the header lowered by less than a line), otherwise above the letterhead. Secrecy (ลับ / ลับมาก) is
printed in red at the top centre and the bottom centre of every page; ลับที่สุด content is refused, as
everywhere in the system. With ``thai_numerals`` every digit is written in Thai (except inside e-mail
addresses and web links). From page 2 on, the page number ``- 2 -`` stands at the top centre, and every
page that continues ends with the next page's first word at the bottom right (``/ในการนี้...``).

The signer's block (name in parentheses, position, and the ``ปฏิบัติราชการแทน`` / ``รักษาราชการแทน``
line, in the wording of :mod:`chalicelib.signature_block`) is drawn as the *appearance of the
empty signature field*, not in the page's content: the signing service (``field="Sig1"``) replaces
that appearance with its own, which shows the same lines, centred, at the same size, so the signed
letter shows the block that was proof-read, once, where it stood (the signing time is in the
signature dictionary). The box leaves room above for a handwritten signature on a printed copy.
Page text extraction (pypdf, pdftotext) therefore does not include the block; it is in
the widget's appearance stream (pypdf: ``PageObject.extract_xform_text``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from io import BytesIO
from typing import TYPE_CHECKING, Final, Literal

from chalicelib.pdf import letter_layout as lay
from chalicelib.pdf.letter_layout import (
    BODY_SIZE,
    CENTRE,
    CM,
    CONTENT_WIDTH,
    INDENT,
    LEADING,
    LEFT,
    PAGE_HEIGHT,
    PARAGRAPH_SPACE,
    RED,
    RIGHT,
    FirstPage,
    ImagePlacement,
    Row,
    Run,
    SignatureSlot,
    run_at,
    width,
    wrap,
    wrap_indented,
)
from chalicelib.pdf.thai_text import baseline_clearance, ink_depth, ink_top
from chalicelib.saraban import URGENCY_LABELS_TH, Secrecy, Urgency
from chalicelib.thai import BUDDHIST_ERA_OFFSET, THAI_MONTHS, thai_date, thai_digits, thai_time

if TYPE_CHECKING:
    from PIL.Image import Image

Form = Literal[
    "external", "memo", "order", "announcement", "stamped", "certificate", "minutes", "regulation", "bylaw"
]
FORMS: Final = (
    "external",
    "memo",
    "order",
    "announcement",
    "stamped",
    "certificate",
    "minutes",
    "regulation",
    "bylaw",
)
_CLAUSE: Final = re.compile(r"ข้อ\s*[0-9๐-๙]")  # a paragraph already numbered as a clause
CERTIFICATE_TITLE: Final = "หนังสือรับรอง"
MINUTES_TOP: Final = 2.5 * CM  # minutes carry no garuda: the title starts this far from the top
WEEKDAYS_TH: Final = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
MEMO_TITLE: Final = "บันทึกข้อความ"
MEMO_TITLE_SIZE: Final = 29.0
MEMO_LABEL_SIZE: Final = 20.0
MEMO_URGENCY_TOP: Final = 0.8 * CM  # highest ink of a memo's urgency set over the title's line
SIGN_AXIS: Final = CENTRE + 2.2 * CM  # the signer's block is centred here (under the closing)
SIGN_SPACE: Final = 1.5 * CM  # closing to the top of the name: room for a handwritten signature
# The signing service's visible signature: 16 pt, leading round(16 * 1.5), 2 pt text box margins and
# 2 pt stamp margins (chalicelib.signing.appearance.AppearanceSettings / stamp_style).
APPEARANCE_SIZE: Final = 16.0  # the signing service draws the same lines at the body's size
APPEARANCE_LEADING: Final = 16.0 * 1.5  # the body's leading: the signed lines sit as the draft's
APPEARANCE_PAD: Final = 8.0 + 4.0  # margins, plus slack for the other font engine's rounding
# The field below is called ``date``: inside the class body that name would shadow the type, and
# typing.get_type_hints() (pydantic, schema tools) would resolve it to the field's default.
Date = date
FIELD_NAME: Final = re.compile(r"[^.\s()<>\[\]{}/%]{1,64}")
_LINK: Final = re.compile(r"\S*(@|://|www\.)\S*")


class LetterError(ValueError):
    """The content cannot be carried by the chosen form (the message says what to change)."""


@dataclass(frozen=True)
class LetterParty:
    """A sender or recipient: a person by position in an agency."""

    name: str = ""
    position: str = ""
    agency: str = ""

    def display(self) -> str:
        """The text after เรียน: the position (or the name), then the agency if not already in it."""
        who = self.position or self.name
        if self.agency and self.agency not in who:
            who = f"{who} {self.agency}".strip()
        return who


@dataclass(frozen=True)
class Signatory:
    name: str
    position: str
    on_behalf_kind: Literal["acting", "delegated"] | None = None  # รักษาราชการแทน / ปฏิบัติราชการแทน
    on_behalf_of: str | None = None  # e.g. "อธิบดีกรมการปกครอง"


@dataclass(frozen=True)
class Member:
    """A person on a list: a meeting's attendee, a committee's member, the minutes' recorder."""

    name: str
    position: str = ""
    role: str = ""  # ประธานกรรมการ, กรรมการ, กรรมการและเลขานุการ, ...


@dataclass(frozen=True)
class AgendaItem:
    title: str  # after "ระเบียบวาระที่ 1"
    text: tuple[str, ...] = ()  # paragraphs


@dataclass(frozen=True)
class Meeting:
    """What a รายงานการประชุม records (ระเบียบงานสารบรรณ ข้อ 25)."""

    title: str  # after "รายงานการประชุม", e.g. "คณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์"
    number: str = ""  # after "ครั้งที่", e.g. "5/2569"
    date: Date | None = None
    place: str = ""  # after "ณ"
    attendees: tuple[Member, ...] = ()  # ผู้มาประชุม
    absent: tuple[Member, ...] = ()  # ผู้ไม่มาประชุม (role: the reason, if any)
    guests: tuple[Member, ...] = ()  # ผู้เข้าร่วมประชุม
    started_at: time | None = None
    agenda: tuple[AgendaItem, ...] = ()
    ended_at: time | None = None
    recorder: Member | None = None  # ผู้จดรายงานการประชุม: the signatory unless one is given


@dataclass(frozen=True)
class LetterContent:
    form: Form
    agency_name: str
    agency_address: tuple[str, ...] = ()
    owning_unit: str = ""
    contact_lines: tuple[str, ...] = ()
    reference: str | None = None  # the ที่ line without "ที่", e.g. "ดศ 0201/123" or "45/2569"
    date: Date | None = None
    subject: str = ""
    salutation_to: str = ""  # after เรียน
    references: tuple[str, ...] = ()  # อ้างถึง
    enclosures: tuple[str, ...] = ()  # สิ่งที่ส่งมาด้วย
    body: tuple[str, ...] = ()  # paragraphs
    closing: str = "ขอแสดงความนับถือ"
    signatory: Signatory | None = None
    urgency: str = "normal"  # normal | urgent | very_urgent | most_urgent, or ด่วน / ด่วนมาก / ด่วนที่สุด
    urgent_deadline: datetime | None = None  # ด่วนภายใน: time zone aware
    secrecy: str = "normal"  # normal | confidential | secret, or ลับ / ลับมาก
    thai_numerals: bool = False
    emblem: bytes | None = None  # the agency's garuda, PNG or JPEG
    # Names the line breaker must know whole (the agency's and its units' names from the directory);
    # the agency_name and owning_unit are always added.
    custom_words: tuple[str, ...] = ()
    meeting: Meeting | None = None  # form "minutes" only
    committee: tuple[Member, ...] = ()  # form "order" only


@dataclass(frozen=True)
class RenderedLetter:
    pdf: bytes
    pages: int
    signature_field: str
    signature_page: int  # 0-based, as pyHanko and chalicelib.signing.pades.NewField count pages
    signature_box: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points


def render_letter(content: LetterContent, *, signature_field: str = "Sig1") -> RenderedLetter:
    """Lay out and draw the letter; reserve an empty signature field named ``signature_field``."""
    if not FIELD_NAME.fullmatch(signature_field):
        raise LetterError(f"signature field name {signature_field!r}: 1-64 characters, no dots or spaces")
    checked = _check(content)
    emblem = None if content.form == "minutes" else _load_emblem(content.emblem)
    composer = _Composer(content, checked)
    first, items = composer.compose(None if emblem is None else emblem.size)
    pages = lay.paginate(items, first.flow_top)
    pdf, reservation = lay.write_pdf(
        pages,
        first,
        lay.Decorations(checked.secrecy_mark, content.thai_numerals),
        emblem=emblem,
        field_name=signature_field,
        title=composer.num(content.subject),
    )
    x1, y1, x2, y2 = reservation.box
    return RenderedLetter(
        pdf=pdf,
        pages=len(pages),
        signature_field=signature_field,
        signature_page=reservation.page,
        signature_box=(float(x1), float(y1), float(x2), float(y2)),
    )


# -- checks ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    urgency: Urgency
    secrecy_mark: str | None
    signatory: Signatory


_URGENCY_BY_LABEL: Final = {label: level for level, label in URGENCY_LABELS_TH.items()}


def _parse_urgency(value: str) -> Urgency:
    try:
        return Urgency(value)
    except ValueError:
        pass
    if value in _URGENCY_BY_LABEL:
        return _URGENCY_BY_LABEL[value]
    raise LetterError(f"urgency {value!r}: use normal, urgent, very_urgent or most_urgent")


def _parse_secrecy(value: str) -> Secrecy:
    for level in Secrecy:
        if value in (level.api_name, level.label_th):
            return level
    raise LetterError(f"secrecy {value!r}: use normal, confidential or secret")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise LetterError(message)


def _single_line(name: str, value: str) -> None:
    _require("\n" not in value and "\r" not in value, f"{name} must be a single line")


def _check(content: LetterContent) -> _Checked:
    form = content.form
    _require(form in FORMS, f"form {form!r}: use one of {', '.join(FORMS)}")
    urgency = _parse_urgency(content.urgency)
    secrecy = _parse_secrecy(content.secrecy)
    _require(
        secrecy is not Secrecy.TOP_SECRET,
        "ลับที่สุด (top secret) content may not be carried by an e-saraban system (ข้อ 29, 2564): not rendered",
    )
    if content.urgent_deadline is not None:
        _require(urgency is not Urgency.NORMAL, "urgent_deadline (ด่วนภายใน) needs an urgency level")
        _require(content.urgent_deadline.tzinfo is not None, "urgent_deadline needs a time zone, e.g. +07:00")
    _require(bool(content.agency_name.strip()), "agency_name is required")
    _require(bool(content.subject.strip()), f"a {_FORM_TH[form]} needs a subject (เรื่อง)")
    _check_structure(content, urgency)
    signatory = content.signatory
    if signatory is None and content.meeting is not None and content.meeting.recorder is not None:
        signatory = Signatory(content.meeting.recorder.name, content.meeting.recorder.position)
    _require(signatory is not None, "a signatory is required: the signature field is reserved at its block")
    assert signatory is not None
    _require(bool(signatory.name.strip()), "the signatory needs a name")
    for name, value in (("signatory name", signatory.name), ("signatory position", signatory.position)):
        _single_line(name, value)
    if signatory.on_behalf_kind is not None or signatory.on_behalf_of is not None:
        _require(
            signatory.on_behalf_kind in ("acting", "delegated"),
            "on_behalf_kind: 'acting' (รักษาราชการแทน) or 'delegated' (ปฏิบัติราชการแทน)",
        )
        _require(
            bool((signatory.on_behalf_of or "").strip()),
            "on_behalf_of names the position signed for, e.g. อธิบดีกรมการปกครอง",
        )
        _single_line("on_behalf_of", signatory.on_behalf_of or "")
    for name, value in (("agency_name", content.agency_name), ("reference", content.reference or "")):
        _single_line(name, value)
    if form in ("external", "memo"):
        _require(bool(content.salutation_to.strip()), f"a {_FORM_TH[form]} needs เรียน (salutation_to)")
    elif form == "stamped":
        _require(bool(content.salutation_to.strip()), "a หนังสือประทับตรา needs ถึง (salutation_to)")
    else:
        for name, present in (
            ("salutation_to (เรียน)", bool(content.salutation_to.strip())),
            ("references (อ้างถึง)", bool(content.references)),
            ("enclosures (สิ่งที่ส่งมาด้วย)", bool(content.enclosures)),
        ):
            _require(not present, f"a {_FORM_TH[form]} carries no {name}")
    if form == "external":
        _require(bool(content.closing.strip()), "a หนังสือภายนอก needs a closing (คำลงท้าย)")
    mark = None if secrecy is Secrecy.NORMAL else secrecy.label_th
    return _Checked(urgency, mark, signatory)


def _check_structure(content: LetterContent, urgency: Urgency) -> None:
    """The body, the meeting and the committee: what each form carries."""
    form = content.form
    if form == "minutes":
        _check_meeting(content.meeting)
        _require(
            not any(p.strip() for p in content.body),
            "a รายงานการประชุม carries its text in the agenda items (meeting.agenda), not in a body",
        )
    else:
        _require(any(p.strip() for p in content.body), f"a {_FORM_TH[form]} needs a body (ข้อความ)")
        _require(
            content.meeting is None, f"a {_FORM_TH[form]} carries no meeting: only a รายงานการประชุม does"
        )
    if content.committee:
        _require(form == "order", f"a {_FORM_TH[form]} carries no committee: only a คำสั่ง does")
        for member in content.committee:
            _check_member("committee member", member)
            _require(bool(member.role.strip()), "a committee member needs a role, e.g. กรรมการ")
    if form in ("regulation", "bylaw"):
        _require(content.date is not None, f"a {_FORM_TH[form]} needs its date: its title carries พ.ศ.")
    if form in ("certificate", "minutes", "regulation", "bylaw"):
        _require(urgency is Urgency.NORMAL, f"a {_FORM_TH[form]} carries no urgency mark (ข้อ 15)")


def _check_member(what: str, member: Member) -> None:
    _require(bool(member.name.strip()), f"a {what} needs a name")
    for name, value in (("name", member.name), ("position", member.position), ("role", member.role)):
        _single_line(f"{what} {name}", value)


def _check_meeting(meeting: Meeting | None) -> None:
    _require(meeting is not None, "a รายงานการประชุม needs its meeting (title, attendees, agenda)")
    assert meeting is not None
    _require(bool(meeting.title.strip()), "a รายงานการประชุม needs the meeting's title")
    for name, value in (("title", meeting.title), ("number", meeting.number), ("place", meeting.place)):
        _single_line(f"meeting {name}", value)
    _require(bool(meeting.attendees), "a รายงานการประชุม needs its attendees (ผู้มาประชุม)")
    _require(bool(meeting.agenda), "a รายงานการประชุม needs its agenda items (ระเบียบวาระ)")
    for what, members in (
        ("attendee", meeting.attendees),
        ("absentee", meeting.absent),
        ("guest", meeting.guests),
    ):
        for member in members:
            _check_member(what, member)
    for item in meeting.agenda:
        _require(bool(item.title.strip()), "an agenda item needs a title")
        _single_line("agenda item title", item.title)
    if meeting.recorder is not None:
        _check_member("recorder", meeting.recorder)


_FORM_TH: Final = {
    "external": "หนังสือภายนอก",
    "memo": "บันทึกข้อความ",
    "order": "คำสั่ง",
    "announcement": "ประกาศ",
    "stamped": "หนังสือประทับตรา",
    "certificate": "หนังสือรับรอง",
    "minutes": "รายงานการประชุม",
    "regulation": "ระเบียบ",
    "bylaw": "ข้อบังคับ",
}


def _load_emblem(emblem: bytes | None) -> Image | None:
    """The agency's emblem decoded once, in a mode the PDF writer takes, at most 800 px high."""
    if emblem is None:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        image: Image.Image = Image.open(BytesIO(emblem))
        if image.format not in ("PNG", "JPEG"):
            raise LetterError(f"the emblem must be a PNG or JPEG image, not {image.format}")
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise LetterError(f"the emblem is not a readable PNG or JPEG image: {error}") from error
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        transparent = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    if image.height > lay.EMBLEM_MAX_PIXELS:
        scale = lay.EMBLEM_MAX_PIXELS / image.height
        size = (max(1, round(image.width * scale)), lay.EMBLEM_MAX_PIXELS)
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


# -- composition -------------------------------------------------------------------------------------


class _Composer:
    """Turns a letter's fields into page 1's letterhead and the rows that flow."""

    def __init__(self, content: LetterContent, checked: _Checked) -> None:
        self.content = content
        self.checked = checked
        self.space = width(" ")
        self.words = (content.agency_name, content.owning_unit, *content.custom_words)

    def num(self, text: str) -> str:
        """Thai digits when the agency chose them; e-mail addresses and web links keep theirs."""
        if not self.content.thai_numerals:
            return text
        out, last = [], 0
        for link in _LINK.finditer(text):
            out.append(thai_digits(text[last : link.start()]))
            out.append(link.group(0))
            last = link.end()
        out.append(thai_digits(text[last:]))
        return "".join(out)

    def date_text(self, *, with_era: bool = False) -> str:
        day = self.content.date
        if day is None:
            return ""
        if with_era:  # orders and announcements: "21 พฤศจิกายน พ.ศ. 2569"
            text = f"{day.day} {THAI_MONTHS[day.month - 1]} พ.ศ. {day.year + BUDDHIST_ERA_OFFSET}"
            return self.num(text)
        return self.num(thai_date(day))

    def compose(self, emblem_size: tuple[int, int] | None) -> tuple[FirstPage, list[lay.Item]]:
        form = self.content.form
        memo = form == "memo"
        height = lay.MEMO_EMBLEM_HEIGHT if memo else lay.LETTER_EMBLEM_HEIGHT
        emblem_width = height if emblem_size is None else height * emblem_size[0] / emblem_size[1]
        emblem_width = min(emblem_width, CONTENT_WIDTH / 3)
        if form == "minutes":
            return FirstPage(emblem=None, runs=[], flow_top=PAGE_HEIGHT - MINUTES_TOP), self._minutes()
        first = self._letterhead(emblem_width, height)
        if form == "external":
            items = self._external(first)
        elif memo:
            items = self._memo()
        elif form == "stamped":
            items = self._stamped()
        elif form == "certificate":
            items = self._certificate()
        elif form in ("regulation", "bylaw"):
            items = self._rules()
        else:
            items = self._directive()
        return first, items

    # -- page 1: emblem, memo title, urgency -------------------------------------------------------

    def _urgency_texts(self) -> list[str]:
        urgency = self.checked.urgency
        if urgency is Urgency.NORMAL:
            return []
        texts = [URGENCY_LABELS_TH[urgency]]
        deadline = self.content.urgent_deadline
        if deadline is not None:
            texts.append(self.num(f"ด่วนภายใน {thai_date(deadline)} เวลา {thai_time(deadline)}"))
        return texts

    def _letterhead(self, emblem_width: float, emblem_height: float) -> FirstPage:
        memo = self.content.form == "memo"
        title: Run | None = None
        if memo:
            title = run_at(MEMO_TITLE, CENTRE, size=MEMO_TITLE_SIZE, bold=True, align="C")
            emblem_x = LEFT
            slot = (LEFT + emblem_width + lay.URGENCY_GAP, title.x - lay.URGENCY_GAP)
        else:
            emblem_x = CENTRE - emblem_width / 2
            slot = (LEFT, emblem_x - lay.URGENCY_GAP)
        top = PAGE_HEIGHT - lay.EMBLEM_TOP
        runs: list[tuple[Run, float]] = []
        texts = self._urgency_texts()
        if texts:
            beside = self._urgency_lines(texts, slot[1] - slot[0], slot[0])
            if _stack_height(beside) <= emblem_height + 0.3 * CM and _fits(beside, slot[1]):
                runs += _stack(beside, top)
            elif not memo:  # a memo's: over the title's line, see below
                above = self._urgency_lines(texts, CONTENT_WIDTH, LEFT)
                runs += _stack(above, top)
                top -= _stack_height(above) + lay.URGENCY_GAP
        emblem = ImagePlacement(emblem_x, top - emblem_height, emblem_width, emblem_height)
        flow_top = emblem.y - 0.25 * CM
        if title is not None:
            baseline = emblem.y + 0.12 * CM
            flow_top = emblem.y - 0.45 * CM
            if texts and not runs:  # too wide for the slot: over the title's line, beside the garuda
                shift, over = self._memo_urgency(texts, slot[0], title, baseline)
                if over is None:  # it would take more than a line: above the letterhead, as a letter
                    above = self._urgency_lines(texts, CONTENT_WIDTH, LEFT)
                    runs += _stack(above, top)
                    shift = _stack_height(above) + lay.URGENCY_GAP
                    emblem.y -= shift
                else:
                    runs += over
                baseline -= shift
                flow_top -= shift
            runs.append((title, baseline))
        return FirstPage(emblem=emblem, runs=runs, flow_top=flow_top)

    def _memo_urgency(
        self, texts: list[str], x: float, title: Run, title_baseline: float
    ) -> tuple[float, list[tuple[Run, float]] | None]:
        """A memo's urgency too wide for the gap between the garuda and the title: from the same x,
        set just above the title's ink where they overlap, the title lowered (by at most a line) when
        the mark would otherwise rise above ``MEMO_URGENCY_TOP``. ``(shift, None)`` if it does not fit
        so (a deadline's long line, or the secrecy mark in the way)."""
        lines = self._urgency_lines(texts, RIGHT - x, x)
        placed = _stack(lines, 0.0)
        if not placed:
            return 0.0, None
        last, last_baseline = placed[-1]
        clearance = baseline_clearance(last.ink(), title.ink()) + lay.INK_GAP * title.size
        bottom = title_baseline + clearance  # the last line's baseline, title at its place
        first_top = bottom - last_baseline  # the first line's ink top
        shift = max(0.0, first_top - (PAGE_HEIGHT - MEMO_URGENCY_TOP))
        mark = self.checked.secrecy_mark
        limit = RIGHT
        if mark:  # the secrecy mark stands at the top centre, at the same height
            limit = CENTRE - width(mark, lay.MARK_SIZE, bold=True) / 2 - lay.URGENCY_GAP
        if shift > LEADING * BODY_SIZE + 0.01 or not _fits(lines, limit):
            return shift, None
        return shift, [(run, baseline + bottom - last_baseline - shift) for run, baseline in placed]

    @staticmethod
    def _urgency_lines(texts: list[str], room: float, x: float) -> list[Run]:
        size = lay.URGENCY_SIZE
        return [Run(line, x, size, True, RED) for text in texts for line in wrap(text, room, size, bold=True)]

    # -- shared pieces -----------------------------------------------------------------------------

    def _labelled(
        self, label: str, entries: tuple[str, ...] | list[str], *, space_before: float = PARAGRAPH_SPACE
    ) -> list[Row]:
        """``label  text`` with the text's further lines hanging under its start; several entries are
        numbered 1. 2. ... and each hangs after its number."""
        text_x = LEFT + width(label) + 2 * self.space
        rows: list[Row] = []
        numbered = len(entries) > 1
        for number, entry in enumerate(entries, start=1):
            prefix = self.num(f"{number}. ") if numbered else ""
            entry_x = text_x + width(prefix)
            for index, line in enumerate(wrap(self.num(entry.strip()), RIGHT - entry_x, words=self.words)):
                runs: list[Run] = []
                if not rows:
                    runs.append(Run(label, LEFT))
                if index == 0 and prefix:
                    runs.append(Run(prefix.strip(), text_x))
                runs.append(Run(line, entry_x))
                rows.append(Row(tuple(runs), space_before=space_before if not rows else 0.0))
        for row in rows[:-1]:
            row.keep_with_next = True
        return rows

    def _paragraphs(
        self, first_space: float = PARAGRAPH_SPACE, paragraphs: Sequence[str] | None = None
    ) -> list[Row]:
        """Body paragraphs (``paragraphs``, else the body): first line indented 2.5 cm, every line but
        the last of a paragraph (or before a line break in it) justified, Thai distributed, to the
        right margin."""
        rows: list[Row] = []
        for paragraph in self.content.body if paragraphs is None else paragraphs:
            if not paragraph.strip():
                continue
            runs: list[Run] = []
            for index, segment in enumerate(self.num(paragraph).split("\n")):
                if index == 0:
                    wrapped = wrap_indented(
                        segment, CONTENT_WIDTH - INDENT, CONTENT_WIDTH, words=self.words, balanced=True
                    )
                    lines = [(line, LEFT + (INDENT if i == 0 else 0)) for i, line in enumerate(wrapped)]
                else:
                    wrapped = wrap(segment.strip(), CONTENT_WIDTH, words=self.words, balanced=True)
                    lines = [(line, LEFT) for line in wrapped] or [("", LEFT)]
                runs += [
                    lay.justified(text, x, RIGHT - x, words=self.words)
                    if i < len(lines) - 1
                    else Run(text, x)
                    for i, (text, x) in enumerate(lines)
                ]
            para = [
                Row((run,), space_before=(first_space if not rows else PARAGRAPH_SPACE) if i == 0 else 0)
                for i, run in enumerate(runs)
            ]
            if len(para) >= 2:  # neither the first nor the last line of a paragraph alone on a page
                para[0].keep_with_next = True
                para[-2].keep_with_next = True
            rows += para
        # The signature page carries at least two lines of the body above the closing and the
        # signer's block: never a closing alone at the top of a page.
        for row in rows[-2:]:
            row.keep_with_next = True
        return rows

    def _signature(self, *, space_before: float, printed_block: bool = True) -> SignatureSlot:
        """The signer's block and its field; without ``printed_block`` (a stamped letter's initials
        under the agency's stamp) the field is sized for the signing service's block but shows nothing
        until signed."""
        from chalicelib.signature_block import OnBehalf, OnBehalfKind, SignatureBlock

        signatory = self.checked.signatory
        on_behalf = None
        if signatory.on_behalf_kind is not None and signatory.on_behalf_of:
            kind = OnBehalfKind.ACTING if signatory.on_behalf_kind == "acting" else OnBehalfKind.DELEGATED
            on_behalf = OnBehalf(kind, signatory.on_behalf_of.strip())
        block = SignatureBlock(
            name=signatory.name.strip(),
            position=signatory.position.strip(),
            on_behalf=on_behalf,
            thai_numerals=self.content.thai_numerals,
        )
        # what the signing service will draw in the field: the same lines, without a date
        samples = [datetime(2569 - BUDDHIST_ERA_OFFSET, 1, 28, 23, 58, tzinfo=UTC)]
        shown = set(replace(block, show_signed_at=False).lines(samples[0]))
        needed_lines = len(shown)
        appearance_width = max(width(line, APPEARANCE_SIZE) for line in shown) + APPEARANCE_PAD
        appearance_height = needed_lines * APPEARANCE_LEADING + APPEARANCE_PAD
        if not printed_block:
            box_width = min(CONTENT_WIDTH, appearance_width)
            return SignatureSlot(
                left=min(max(SIGN_AXIS - box_width / 2, LEFT), RIGHT - box_width),
                box_width=box_width,
                box_height=appearance_height,
                lines=(),
                space_before=space_before,
            )
        # what the letter shows until then: the same lines without the date, at 16 pt
        most = min(CONTENT_WIDTH, 2 * (RIGHT - SIGN_AXIS)) - 8
        printed = [
            line
            for text in SignatureBlock(block.name, block.position, on_behalf, show_signed_at=False).lines(
                samples[0]
            )
            for line in wrap(self.num(text), most, words=self.words)
        ]
        printed_width = max(width(line) for line in printed) + 8
        box_width = min(CONTENT_WIDTH, max(appearance_width, printed_width))
        printed_height = lay.block_height(printed, box_width)
        box_height = max(appearance_height, printed_height)
        left = min(max(SIGN_AXIS - box_width / 2, LEFT), RIGHT - box_width)
        free_inside = box_height - printed_height
        return SignatureSlot(
            left=left,
            box_width=box_width,
            box_height=box_height,
            lines=tuple(printed),
            space_before=max(space_before, SIGN_SPACE - free_inside),
        )

    # -- the forms ---------------------------------------------------------------------------------

    def _head(self) -> list[lay.Item]:
        """ที่ at the left; the agency's name and address at the right, from the same line."""
        content = self.content
        reference = f"ที่ {self.num(content.reference.strip())}" if content.reference else "ที่"
        ref_run = Run(reference, LEFT)
        # the agency's name and address: a block at the right, its lines starting together
        room = min(10 * CM, RIGHT - (LEFT + ref_run.width + 1 * CM))
        address = [
            line
            for text in (content.agency_name, *content.agency_address)
            if text.strip()
            for line in wrap(self.num(text.strip()), room, words=self.words)
        ]
        widest = max(width(line) for line in address)
        address_x = min(LEFT + 10 * CM, RIGHT - widest)
        rows: list[lay.Item] = []
        for index, line in enumerate(address):
            runs = (ref_run, Run(line, address_x)) if index == 0 else (Run(line, address_x),)
            rows.append(Row(runs, keep_with_next=True))
        return rows

    def _contact(self, rows: list[lay.Item]) -> None:
        """The owning unit and the contact lines at the left, a line under the last item of ``rows``."""
        content = self.content
        contact = [
            self.num(text.strip()) for text in (content.owning_unit, *content.contact_lines) if text.strip()
        ]
        if not contact:
            return
        rows[-1].keep_with_next = True
        lines = [line for text in contact for line in wrap(text, CONTENT_WIDTH, words=self.words)]
        for index, line in enumerate(lines):
            rows.append(
                Row(
                    (Run(line, LEFT),),
                    space_before=LEADING * BODY_SIZE if index == 0 else 0.0,
                    keep_with_next=index < len(lines) - 1,
                )
            )

    def _external(self, first: FirstPage) -> list[lay.Item]:
        content = self.content
        rows = self._head()
        date_line = self.date_text()
        rows.append(Row((Run(date_line, CENTRE),) if date_line else (), space_before=0.5 * BODY_SIZE))
        rows += self._labelled("เรื่อง", [content.subject], space_before=PARAGRAPH_SPACE + 0.5 * BODY_SIZE)
        rows += self._labelled("เรียน", [content.salutation_to])
        if content.references:
            rows += self._labelled("อ้างถึง", content.references)
        if content.enclosures:
            rows += self._labelled("สิ่งที่ส่งมาด้วย", content.enclosures)
        rows += self._paragraphs()
        rows.append(
            Row(
                (Run(self.num(content.closing.strip()), CENTRE),),
                space_before=PARAGRAPH_SPACE,
                keep_with_next=True,
            )
        )
        rows.append(self._signature(space_before=0.3 * CM))
        self._contact(rows)
        return rows

    def _stamped(self) -> list[lay.Item]:
        """หนังสือประทับตรา (ข้อ 14): ถึง instead of เรื่อง and เรียน; no closing, no signer's block."""
        content = self.content
        rows = self._head()
        rows += self._labelled(
            "ถึง", [content.salutation_to], space_before=PARAGRAPH_SPACE + LEADING * BODY_SIZE * 0.5
        )
        if content.references:
            rows += self._labelled("อ้างถึง", content.references)
        if content.enclosures:
            rows += self._labelled("สิ่งที่ส่งมาด้วย", content.enclosures)
        rows += self._paragraphs()
        # the agency's name where its stamp is pressed, the initials' field under it, then the date
        room = 2 * (RIGHT - SIGN_AXIS)
        for index, line in enumerate(wrap(self.num(content.agency_name.strip()), room, words=self.words)):
            space = LEADING * BODY_SIZE + PARAGRAPH_SPACE if index == 0 else 0.0
            rows.append(Row((run_at(line, SIGN_AXIS, align="C"),), space_before=space, keep_with_next=True))
        initials = self._signature(space_before=0.2 * CM, printed_block=False)
        initials.keep_with_next = True
        rows.append(initials)
        date_line = self.date_text()
        rows.append(
            Row(
                (run_at(date_line, SIGN_AXIS, align="C"),) if date_line else (),
                space_before=0.2 * CM,
            )
        )
        self._contact(rows)
        return rows

    def _certificate(self) -> list[lay.Item]:
        """หนังสือรับรอง: the letter's head, the title centred, body, ให้ไว้ ณ วันที่, the signer's block."""
        rows = self._head()
        rows.append(
            Row(
                (run_at(CERTIFICATE_TITLE, CENTRE, size=MEMO_LABEL_SIZE, bold=True, align="C"),),
                space_before=LEADING * BODY_SIZE * 0.5 + PARAGRAPH_SPACE,
                keep_with_next=True,
            )
        )
        rows += self._paragraphs()
        rows.append(self._dated_line("ให้ไว้ ณ วันที่"))
        rows.append(self._signature(space_before=0.3 * CM))
        return rows

    def _dated_line(self, label: str) -> Row:
        """ "สั่ง ณ วันที่ 21 พฤศจิกายน พ.ศ. 2569" (or ประกาศ, ให้ไว้), 5 cm from the left margin."""
        date_text = self.date_text(with_era=True)
        line = f"{label} {date_text}" if date_text else label
        return Row(
            (Run(line, LEFT + 2 * INDENT),),
            space_before=LEADING * BODY_SIZE * 0.5 + PARAGRAPH_SPACE,
            keep_with_next=True,
        )

    def _centred(self, text: str, *, bold: bool = False, space_before: float = 0.0) -> list[Row]:
        lines = wrap(self.num(text.strip()), CONTENT_WIDTH - 2 * CM, bold=bold, words=self.words)
        return [
            Row(
                (run_at(line, CENTRE, bold=bold, align="C"),),
                space_before=space_before if index == 0 else 0.0,
                keep_with_next=True,
            )
            for index, line in enumerate(lines)
        ]

    def _numbered(
        self, entries: Sequence[Sequence[str]], number_x: float, columns: Sequence[tuple[float, float]]
    ) -> list[Row]:
        """Numbered entries: "1." at ``number_x``, each cell wrapped inside its column (x0, x1), the
        further lines of a cell hanging under its start (after the number, for the first cell)."""
        rows: list[Row] = []
        for number, cells in enumerate(entries, start=1):
            wrapped = [
                wrap(self.num(cell.strip()), x1 - x0, words=self.words) if cell.strip() else []
                for cell, (x0, x1) in zip(cells, columns, strict=True)
            ]
            height = max(1, *(len(lines) for lines in wrapped))
            for index in range(height):
                runs = [Run(self.num(f"{number}."), number_x)] if index == 0 else []
                runs += [
                    Run(lines[index], x0)
                    for lines, (x0, _) in zip(wrapped, columns, strict=True)
                    if index < len(lines)
                ]
                rows.append(Row(tuple(runs), keep_with_next=index < height - 1))
        return rows

    def _number_width(self, count: int) -> float:
        return width(self.num(f"{count}.")) + 2 * self.space

    def _committee(self) -> list[Row]:
        """An order's committee: number at the paragraph indent, name and position hanging after it, the
        role in a right-hand column."""
        members = self.content.committee
        number_x = LEFT + INDENT
        text_x = number_x + self._number_width(len(members))
        role_x = RIGHT - max(width(self.num(m.role.strip())) for m in members) - 1.0
        entries = [(f"{m.name.strip()} {m.position.strip()}".strip(), m.role) for m in members]
        rows = self._numbered(entries, number_x, [(text_x, role_x - 3 * self.space), (role_x, RIGHT)])
        if rows:
            rows[0].space_before = PARAGRAPH_SPACE
        return rows

    def _people(self, label: str, members: Sequence[Member], *, space_before: float) -> list[Row]:
        """A list of the minutes: the label, then numbered names with the position (and the role) in
        right-hand columns: each column as wide as its widest text when they all fit, the white spread
        between them (the last one ends at the right margin), else the position column narrowed first."""
        rows = [Row((Run(label, LEFT, bold=True),), space_before=space_before, keep_with_next=True)]
        number_x = LEFT + 0.3 * INDENT
        name_x = number_x + self._number_width(len(members))
        with_role = any(m.role.strip() for m in members)
        entries = [(m.name, m.position, m.role) if with_role else (m.name, m.position) for m in members]
        natural = [
            max(width(self.num(entry[column].strip())) for entry in entries) + 1.0
            for column in range(len(entries[0]))
        ]
        gap = 2 * self.space
        room = RIGHT - name_x - gap * (len(natural) - 1)
        if sum(natural) <= room:
            extra = (room - sum(natural)) / (len(natural) - 1)
            widths = natural
        else:  # the position gives way first (to 4.2 cm), then the name (to 3 cm), then the widest
            extra = 0.0
            position = max(4.2 * CM, natural[1] - (sum(natural) - room))
            name = max(3 * CM, min(natural[0], room - position - sum(natural[2:])))
            widths = _capped([name, position, *natural[2:]], room)
        columns: list[tuple[float, float]] = []
        x = name_x
        for column_width in widths:
            columns.append((x, x + column_width))
            x += column_width + gap + extra
        rows += self._numbered(entries, number_x, columns)
        return rows

    def _minutes(self) -> list[lay.Item]:
        """รายงานการประชุม (ข้อ 25), from the content's meeting."""
        meeting = self.content.meeting
        assert meeting is not None
        rows: list[lay.Item] = []
        rows += self._centred(f"รายงานการประชุม{meeting.title.strip()}", bold=True)
        if meeting.number.strip():
            rows += self._centred(f"ครั้งที่ {meeting.number.strip()}")
        if meeting.date is not None:
            day = meeting.date
            rows += self._centred(f"เมื่อวัน{WEEKDAYS_TH[day.weekday()]}ที่ {thai_date(day)}")
        if meeting.place.strip():
            rows += self._centred(f"ณ {meeting.place.strip()}")
        for label, members in (
            ("ผู้มาประชุม", meeting.attendees),
            ("ผู้ไม่มาประชุม", meeting.absent),
            ("ผู้เข้าร่วมประชุม", meeting.guests),
        ):
            if members:
                first = label == "ผู้มาประชุม"
                space = LEADING * BODY_SIZE * 0.5 + PARAGRAPH_SPACE if first else PARAGRAPH_SPACE
                rows += self._people(label, members, space_before=space)
        if meeting.started_at is not None:
            rows.append(
                Row(
                    (Run(self.num(f"เริ่มประชุมเวลา {_clock(meeting.started_at)}"), LEFT),),
                    space_before=2 * PARAGRAPH_SPACE,
                    keep_with_next=True,
                )
            )
        for number, item in enumerate(meeting.agenda, start=1):
            label = self.num(f"ระเบียบวาระที่ {number}")
            heading = self._labelled(label, [item.title])
            for row in heading:  # the heading bold, kept with its text's first lines
                row.runs = tuple(Run(run.text, run.x, run.size, True) for run in row.runs)
                row.ink = [box for run in row.runs for box in run.ink()]
            heading[-1].keep_with_next = True
            rows += heading
            text = self._paragraphs(paragraphs=item.text)
            if text and number < len(meeting.agenda):  # only the last item's end stays with the block
                text[-1].keep_with_next = False
            rows += text
        if meeting.ended_at is not None:
            rows.append(
                Row(
                    (Run(self.num(f"เลิกประชุมเวลา {_clock(meeting.ended_at)}"), LEFT),),
                    space_before=2 * PARAGRAPH_SPACE,
                    keep_with_next=True,
                )
            )
        rows[-1].keep_with_next = True
        slot = self._signature(space_before=0.3 * CM)
        slot.keep_with_next = True
        rows.append(slot)
        rows.append(Row((run_at("ผู้จดรายงานการประชุม", SIGN_AXIS, align="C"),)))
        return rows

    def _memo(self) -> list[lay.Item]:
        content = self.content
        label_size = MEMO_LABEL_SIZE
        gap = 2 * self.space

        def label(text: str, x: float) -> Run:
            return Run(text, x, label_size, True)

        rows: list[lay.Item] = []
        unit = " ".join(
            self.num(text.strip())
            for text in (content.owning_unit or content.agency_name, *content.contact_lines)
            if text.strip()
        )
        rows += self._dotted_field(label("ส่วนราชการ", LEFT), unit, RIGHT, gap)
        # ที่ ........ วันที่ ........ on one line
        ref_label = label("ที่", LEFT)
        ref_text = self.num(content.reference.strip()) if content.reference else ""
        ref_x = LEFT + ref_label.width + gap
        date_label_x = max(CENTRE - 1.0 * CM, ref_x + width(ref_text) + 2 * gap)
        date_label = label("วันที่", date_label_x)
        date_x = date_label_x + date_label.width + gap
        runs = [ref_label]  # in reading order, so that extraction reads ที่ ... วันที่ ...
        if ref_text:
            runs.append(Run(ref_text, ref_x))
        runs.append(date_label)
        date_text = self.date_text()
        if date_text:
            runs.append(Run(date_text, date_x))
        rows.append(
            Row(
                tuple(runs),
                dots=((ref_label.x + ref_label.width + 3, date_label_x - 4), (date_x - gap + 3, RIGHT)),
                keep_with_next=True,
            )
        )
        rows += self._dotted_field(label("เรื่อง", LEFT), self.num(content.subject.strip()), RIGHT, gap)
        rows += self._labelled(
            "เรียน", [content.salutation_to], space_before=PARAGRAPH_SPACE + 0.25 * BODY_SIZE
        )
        if content.references:
            rows += self._labelled("อ้างถึง", content.references)
        if content.enclosures:
            rows += self._labelled("สิ่งที่ส่งมาด้วย", content.enclosures)
        rows += self._paragraphs()
        rows.append(self._signature(space_before=PARAGRAPH_SPACE))
        return rows

    def _dotted_field(self, label: Run, value: str, right: float, gap: float) -> list[Row]:
        """A memo header field: bold label, the value on a dotted line to ``right``; further lines hang."""
        value_x = label.x + label.width + gap
        lines = wrap(value, right - value_x, words=self.words) if value else [""]
        rows = []
        for index, line in enumerate(lines):
            runs = [label] if index == 0 else []
            if line:
                runs.append(Run(line, value_x))
            start = label.x + label.width + 3 if index == 0 else value_x
            rows.append(Row(tuple(runs), dots=((start, right),), keep_with_next=True))
        return rows

    def _directive(self) -> list[lay.Item]:
        content = self.content
        order = content.form == "order"
        head = "คำสั่ง" if order else "ประกาศ"
        rows: list[lay.Item] = []
        title = self.num(f"{head}{content.agency_name.strip()}")
        for line in wrap(title, CONTENT_WIDTH - 2 * CM, bold=True, words=self.words):
            rows.append(Row((run_at(line, CENTRE, bold=True, align="C"),), keep_with_next=True))
        if content.reference or order:
            reference = f"ที่ {self.num(content.reference.strip())}" if content.reference else "ที่"
            rows.append(Row((run_at(reference, CENTRE, align="C"),), keep_with_next=True))
        subject = f"เรื่อง {self.num(content.subject.strip())}"
        for line in wrap(subject, CONTENT_WIDTH - 2 * CM, words=self.words):
            rows.append(Row((run_at(line, CENTRE, align="C"),), keep_with_next=True))
        rows.append(Row((), rule=(CENTRE - 2.5 * CM, CENTRE + 2.5 * CM), keep_with_next=True))
        if content.committee:
            body = [p for p in content.body if p.strip()]
            after = next((i + 1 for i, p in enumerate(body) if _ends_a_list_intro(p)), 1)
            rows += self._paragraphs(first_space=PARAGRAPH_SPACE, paragraphs=body[:after])
            rows += self._committee()
            rows += self._paragraphs(paragraphs=body[after:])
        else:
            rows += self._paragraphs(first_space=PARAGRAPH_SPACE)
        rows.append(self._dated_line(f"{'สั่ง' if order else 'ประกาศ'} ณ วันที่"))
        rows.append(self._signature(space_before=0.3 * CM))
        return rows

    def _rules(self) -> list[lay.Item]:
        """ระเบียบ and ข้อบังคับ: "ระเบียบ<agency>" bold, "ว่าด้วย<subject>" and "พ.ศ. <year>" centred, a short
        rule; the preamble (the body's first paragraph); the clauses "ข้อ 1 ...", "ข้อ 2 ..." (the further
        paragraphs, numbered unless they already are); "ประกาศ ณ วันที่ ..."; the signer's block."""
        content = self.content
        assert content.date is not None
        rows: list[lay.Item] = []
        rows += self._centred(f"{_FORM_TH[content.form]}{content.agency_name.strip()}", bold=True)
        subject = content.subject.strip()
        rows += self._centred(subject if subject.startswith("ว่าด้วย") else f"ว่าด้วย{subject}")
        rows += self._centred(f"พ.ศ. {content.date.year + BUDDHIST_ERA_OFFSET}")
        rows.append(Row((), rule=(CENTRE - 2.5 * CM, CENTRE + 2.5 * CM), keep_with_next=True))
        body = [p.strip() for p in content.body if p.strip()]
        clauses = [
            p if _CLAUSE.match(p) else f"ข้อ {number} {p}" for number, p in enumerate(body[1:], start=1)
        ]
        rows += self._paragraphs(first_space=PARAGRAPH_SPACE, paragraphs=[body[0], *clauses])
        rows.append(self._dated_line("ประกาศ ณ วันที่"))
        rows.append(self._signature(space_before=0.3 * CM))
        return rows


def _ends_a_list_intro(paragraph: str) -> bool:
    """The paragraph after which an order's committee is listed: it ends in "ดังนี้" (or "ดังต่อไปนี้")."""
    return paragraph.strip().rstrip(":").rstrip().endswith("ดังนี้") or paragraph.strip().endswith("ดังต่อไปนี้")


def _capped(natural: Sequence[float], room: float) -> list[float]:
    """Column widths summing to ``room``: each its natural width, at most a common cap."""
    ordered = sorted(natural)
    left = room
    for index, column in enumerate(ordered):
        share = left / (len(ordered) - index)
        if column > share:
            return [min(w, share) for w in natural]
        left -= column
    return list(natural)


def _clock(moment: time) -> str:
    """ "09.30 น.": a meeting's start and end, as written in minutes."""
    return f"{moment.hour:02d}.{moment.minute:02d} น."


def _fits(lines: list[Run], right: float) -> bool:
    return all(line.x + line.width <= right + 0.01 for line in lines)


def _stack(lines: list[Run], top: float) -> list[tuple[Run, float]]:
    """Baselines for lines set one under the other, the first one's ink starting at ``top``."""
    placed: list[tuple[Run, float]] = []
    previous: Row | None = None
    baseline = top
    for line in lines:
        row = Row((line,))
        baseline = (
            top - ink_top(row.ink)
            if previous is None
            else baseline - lay.row_step(previous, row, lay.HEADING_LEADING)
        )
        placed.append((line, baseline))
        previous = row
    return placed


def _stack_height(lines: list[Run]) -> float:
    placed = _stack(lines, 0.0)
    if not placed:
        return 0.0
    last, baseline = placed[-1]
    return -(baseline - ink_depth(last.ink()))
