"""The agency's central e-mail address (ข้อ 89/1 practice: each agency publishes one): a letter that
arrives there lands in the saraban officer's incoming queue, its attachments checked like any upload.

In production an SES receipt rule stores each raw message in the mail bucket under
``mail/<agency>/<message>``; the object's creation drives `take_in` (the mail queue's worker). Locally
`eoffice mail drop` puts a raw ``.eml`` in the same place. The standard library's e-mail package parses
it (policy.default: headers decoded, Thai subjects included).

Nothing is dropped silently: mail that is oversized, malformed, carries too many parts, fails the
receipt verdicts SES adds (virus, or a sender that fails SPF and DKIM: forged), or carries no attachment
is quarantined in the queue with its reason; the raw message stays in the mail bucket. Attachments that
are not letters (an executable, an archive such as a zip bomb) are refused by the upload checks with
their reason, never opened.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from chalicelib.documents import service as documents
from chalicelib.exchange import store
from chalicelib.exchange.domain import DeliveryState
from chalicelib.exchange.heard import tell_saraban
from chalicelib.kernel import audit, ddb, keys, objects
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.log import logger
from chalicelib.kernel.settings import get_settings

ACTOR = "system:mail"
EMAIL_SENDER = "email"  # a delivery whose sender is the central mailbox, not an agency on the platform
MAX_MAIL_BYTES = 30 * 1024 * 1024  # SES accepts up to 40 MB; a letter with enclosures is far smaller
MAX_PARTS = 60
MAX_ATTACHMENTS = 20
KEY = re.compile(r"^mail/(?P<agency>[a-z0-9][a-z0-9-]{1,39})/(?P<message>[A-Za-z0-9._=+-]{1,200})$")


@dataclass
class Intake:
    subject: str = ""
    sender_name: str = ""
    sender_address: str = ""
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)  # filename, type, bytes
    problem: str | None = None  # why it is quarantined


def delivery_id_of(key: str) -> str:
    return "m" + hashlib.sha256(key.encode()).hexdigest()[:31]


def _verdict_problem(message: EmailMessage) -> str | None:
    """SES's receipt verdicts, as it writes them into the stored message."""
    if str(message.get("X-SES-Virus-Verdict", "")).upper() == "FAIL":
        return "ตรวจพบไวรัส (virus verdict FAIL)"
    results = str(message.get("Authentication-Results", "")).lower()
    spf = str(message.get("X-SES-Spf-Verdict", "")).upper()
    dkim = str(message.get("X-SES-Dkim-Verdict", "")).upper()
    if (spf == "FAIL" and dkim == "FAIL") or "dmarc=fail" in results:
        return "ผู้ส่งถูกปลอมแปลง (SPF and DKIM fail: a forged sender)"
    return None


def _parse(raw: bytes) -> EmailMessage | str:
    """The message, or why it cannot be read."""
    if len(raw) > MAX_MAIL_BYTES:
        return f"อีเมลใหญ่เกินกำหนด (over {MAX_MAIL_BYTES // (1024 * 1024)} MB)"
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as error:  # the parser's own errors: a message it cannot read
        return f"อ่านอีเมลไม่ได้ (malformed: {type(error).__name__})"
    if not isinstance(message, EmailMessage) or not message.get("From"):
        return "อ่านอีเมลไม่ได้ (malformed: no sender)"
    return message


def read(raw: bytes) -> Intake:
    """What the message says and carries, or why it is quarantined."""
    message = _parse(raw)
    if isinstance(message, str):
        return Intake(problem=message)
    name, address = parseaddr(str(message.get("From", "")))
    found = Intake(
        subject=str(message.get("Subject", "")).strip()[:500],
        sender_name=name or address,
        sender_address=address,
    )
    parts = list(message.walk())
    found.problem = _verdict_problem(message) or (
        f"อีเมลมีส่วนประกอบมากเกินไป (more than {MAX_PARTS} parts)" if len(parts) > MAX_PARTS else None
    )
    if found.problem:
        return found
    for part in parts:
        filename = part.get_filename()
        if (
            part.is_multipart()
            or not filename
            or part.get_content_disposition() not in ("attachment", "inline")
        ):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            found.attachments.append((filename[:200], part.get_content_type(), payload))
    if not found.attachments:
        found.problem = "ไม่มีไฟล์หนังสือแนบมา (no attachment: the letter travels as an attached file)"
    elif len(found.attachments) > MAX_ATTACHMENTS:
        found.problem = f"ไฟล์แนบมากเกินไป (more than {MAX_ATTACHMENTS} attachments)"
    return found


def take_in(key: str, *, version_id: str | None, now: datetime) -> str:
    """One raw message from the mail bucket into the agency's incoming queue (or its quarantine)."""
    matched = KEY.match(key)
    if matched is None or not keys.is_agency_id(matched["agency"]):
        logger.warning("mail object outside mail/<agency>/: left in the bucket", extra={"object_key": key})
        return "not an agency's mail"
    agency_id = matched["agency"]
    if not _agency_exists(agency_id):
        logger.warning("mail for an agency the platform does not know", extra={"object_key": key})
        return "unknown agency"
    delivery_id = delivery_id_of(key)
    existing = store.delivery(agency_id, delivery_id)
    if existing is not None:
        return _finish_files(agency_id, delivery_id, key, version_id)
    intake = read(objects.read(key, version_id=version_id, bucket=get_settings().mail_bucket))
    tx = ddb.Transaction()
    fields = {
        "sender": EMAIL_SENDER,
        "sender_name": intake.sender_name or intake.sender_address or "ไม่ทราบผู้ส่ง",
        "sender_document": key,
        "attempt": 0,
        "subject": intake.subject,
        "reference": "",
        "received_at": now,
        "at": now,
    }
    if intake.problem:
        tx.put(
            "delivery",
            store.new_delivery(
                agency_id, delivery_id, state=DeliveryState.QUARANTINED.value, reason=intake.problem, **fields
            ),
            condition=store.DeliveryItem.pk.does_not_exist(),
        )
    else:
        documents.add_received_copy(
            tx,
            agency_id,
            delivery_id,
            content={
                "subject": intake.subject,
                "sender": {"name": intake.sender_name, "agency": intake.sender_address.rpartition("@")[2]},
                "exchange": {"mail": key, "from": intake.sender_address},
            },
            kind="external",
            secrecy=0,
            files=[
                (delivery_id if i == 0 else f"{delivery_id}{i:02d}", filename, content_type)
                for i, (filename, content_type, _) in enumerate(intake.attachments)
            ],
            actor=ACTOR,
            now=now,
        )
        tx.put(
            "delivery",
            store.new_delivery(agency_id, delivery_id, state=DeliveryState.DELIVERED.value, **fields),
            condition=store.DeliveryItem.pk.does_not_exist(),
        )
    audit.add_to(
        tx,
        AuditEvent(
            agency_id,
            ACTOR,
            "exchange.mail_quarantined" if intake.problem else "exchange.mail_received",
            f"mail/{delivery_id}",
            now,
            after={
                "from": intake.sender_address,
                "subject": intake.subject,
                "reason": intake.problem,
                "attachments": [a[0] for a in intake.attachments],
            },
        ),
    )
    heard = "อีเมลถูกกักไว้" if intake.problem else "หนังสือเข้าทางอีเมลกลาง"
    tell_saraban(tx, agency_id, delivery_id, f"{heard} จาก {fields['sender_name']}: {intake.subject}", now)
    if not tx.commit_unless_refused("delivery"):
        return _finish_files(agency_id, delivery_id, key, version_id)
    if intake.problem:
        return "quarantined"
    for i, (_, content_type, data) in enumerate(intake.attachments):
        file_id = delivery_id if i == 0 else f"{delivery_id}{i:02d}"
        objects.write(
            keys.file_object_key(agency_id, delivery_id, file_id),
            data,
            content_type=content_type or "application/octet-stream",
        )
    return "received"


def _agency_exists(agency_id: str) -> bool:
    from chalicelib.directory import service as directory

    return directory.agency_profile(agency_id) is not None


def _finish_files(agency_id: str, delivery_id: str, key: str, version_id: str | None) -> str:
    """A retried message: the delivery is there; write any attachment whose bytes did not land."""
    item = store.delivery(agency_id, delivery_id)
    if item is None or DeliveryState(item.state) is DeliveryState.QUARANTINED:
        return "already taken in"
    stored = documents.load(agency_id, delivery_id)
    missing = [
        f
        for f in (stored.files if stored else [])
        if f.status == "pending" and objects.head(f.object_key) is None
    ]
    if not missing:
        return "already taken in"
    intake = read(objects.read(key, version_id=version_id, bucket=get_settings().mail_bucket))
    by_id = {
        (delivery_id if i == 0 else f"{delivery_id}{i:02d}"): (content_type, data)
        for i, (_, content_type, data) in enumerate(intake.attachments)
    }
    for file in missing:
        content_type, data = by_id[keys.suffix(file.sk, keys.FILE_PREFIX)]
        objects.write(file.object_key, data, content_type=content_type or "application/octet-stream")
    return "finished"
