"""Notification e-mail in Thai, through SES: one message per notification, or one digest.

Plain text in UTF-8 (SES sends it as such); the display name of the sender is MIME-encoded, as SES
requires for non-ASCII names. The sending address comes from the deployment (EOFFICE_MAIL_FROM), whose
domain is a verified SES identity; a link to the letter is added when the web application's address is
known (EOFFICE_APP_URL).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from email.utils import formataddr, parseaddr

from chalicelib.kernel.aws import client
from chalicelib.thai import thai_date_short, thai_time, to_bangkok

SENDER_NAME = "ระบบสารบรรณอิเล็กทรอนิกส์"
DIGEST_LINES = 50  # a digest lists this many; the rest are counted


@dataclass(frozen=True)
class Waiting:
    document_id: str
    text: str
    at: datetime


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    attachment: Attachment | None = None


def sender_address() -> str:
    return parseaddr(os.environ.get("EOFFICE_MAIL_FROM", "no-reply@eoffice.demo.go.th"))[1]


def _sender() -> str:
    return formataddr((SENDER_NAME, sender_address()), charset="utf-8")


def _when(moment: datetime) -> str:
    local = to_bangkok(moment)
    return f"{thai_date_short(local)} {thai_time(local)}"


def _link(document_id: str) -> str:
    base = os.environ.get("EOFFICE_APP_URL", "").rstrip("/")
    return f"{base}/documents/{document_id}" if base else ""


FOOTER = (
    "\n\n--\nอีเมลนี้ส่งจากระบบสารบรรณอิเล็กทรอนิกส์โดยอัตโนมัติ โปรดอย่าตอบกลับ"
    "\nเลือกรับทีละรายการ รับสรุปวันละครั้ง หรือไม่รับอีเมล ได้ที่ การตั้งค่า > การแจ้งเตือน"
)


def one(name: str, address: str, waiting: Waiting) -> Mail:
    link = _link(waiting.document_id)
    body = f"เรียน {name}\n\n{waiting.text}\nเมื่อ {_when(waiting.at)}"
    body += f"\n\nเปิดหนังสือ: {link}" if link else ""
    return Mail(address, f"[สารบรรณ] {waiting.text}"[:200], body + FOOTER)


def digest(name: str, address: str, waiting: list[Waiting]) -> Mail:
    ordered = sorted(waiting, key=lambda w: w.at)
    lines = []
    for item in ordered[:DIGEST_LINES]:
        link = _link(item.document_id)
        lines.append(f"• {_when(item.at)}  {item.text}" + (f"\n  {link}" if link else ""))
    more = len(ordered) - DIGEST_LINES
    if more > 0:
        lines.append(f"และอีก {more} รายการ (ดูทั้งหมดในระบบ)")
    body = f"เรียน {name}\n\nมีการแจ้งเตือนถึงท่าน {len(ordered)} รายการ\n\n" + "\n".join(lines)
    return Mail(address, f"[สารบรรณ] สรุปการแจ้งเตือน {len(ordered)} รายการ", body + FOOTER)


def _raw(mail: Mail) -> bytes:
    """The message as MIME, built with the standard library: the text, then the attachment. A calendar
    invitation also goes inline as text/calendar with its METHOD, which is how Outlook and Google
    Calendar recognise it (an .ics file alone is only a file to them)."""
    from email.message import EmailMessage
    from email.policy import SMTP

    assert mail.attachment is not None
    message = EmailMessage(policy=SMTP)
    message["From"] = _sender()
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body, charset="utf-8")
    maintype, _, rest = mail.attachment.content_type.partition("/")
    subtype, _, params = rest.partition(";")
    if maintype == "text" and subtype == "calendar":
        method = params.strip().removeprefix("method=") or "REQUEST"
        message.add_alternative(
            mail.attachment.data.decode("utf-8"), subtype="calendar", params={"method": method}
        )
    message.add_attachment(
        mail.attachment.data, maintype=maintype, subtype=subtype.strip(), filename=mail.attachment.filename
    )
    return message.as_bytes()


def send(mail: Mail) -> str:
    """Hand the message to SES; its message id."""
    if mail.attachment is not None:
        raw = client("sesv2").send_email(
            FromEmailAddress=_sender(),
            Destination={"ToAddresses": [mail.to]},
            Content={"Raw": {"Data": _raw(mail)}},
        )
        return str(raw.get("MessageId", ""))
    answer = client("sesv2").send_email(
        FromEmailAddress=_sender(),
        Destination={"ToAddresses": [mail.to]},
        Content={
            "Simple": {
                "Subject": {"Data": mail.subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": mail.body, "Charset": "UTF-8"}},
            }
        },
    )
    return str(answer.get("MessageId", ""))
