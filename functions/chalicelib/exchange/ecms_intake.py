"""Letters coming in through e-CMS from agencies outside the platform (docs/rules.md, "Exchange with
agencies outside the platform (e-CMS)"), and the platform's answers to them.

1. `take_letters` (the poll_ecms job, every minute) asks the node for the next letter addressed to one
   of the platform's agencies (found by its e-CMS department id, written at onboarding). The letter
   becomes a delivery in that agency's incoming queue, with its PDFs checked on arrival like any
   upload; the node gets a ReceiveLetterNotifier and the letter is deleted from its queue only then, so
   a crash half-way means the node offers it again, and the delivery id (from the node's ProcessID)
   makes the second time change nothing.
2. A letter the platform cannot take is answered, never dropped: ลับที่สุด is sent back with the rule;
   an unknown department is an InvalidLetterNotifier.
3. When the agency's saraban officer accepts, rejects or finds the letter invalid, `answer` (the
   exchange worker, through the queue so a node that is down is retried) sends the matching notifier:
   AcceptLetterNotifier carries the agency's เลขรับ as the AcceptID.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from chalicelib.directory import service as directory
from chalicelib.documents import service as documents
from chalicelib.exchange import ecms, ecms_node, store
from chalicelib.exchange.domain import DeliveryState
from chalicelib.exchange.heard import tell_saraban
from chalicelib.kernel import audit, ddb, keys, objects
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.log import logger
from chalicelib.saraban import Secrecy

ACTOR = "system:ecms"
SENDER = "ecms"  # a DeliveryItem's sender for letters that came through e-CMS
SECRECY_OF_CODE = {code: Secrecy(i) for i, code in enumerate(("001", "002", "003", "004"))}
ANSWER_OF_STATE = {
    DeliveryState.ACCEPTED: "AcceptLetterNotifier",
    DeliveryState.REJECTED: "RejectLetterNotifier",
    DeliveryState.INVALID: "InvalidLetterNotifier",
}


def delivery_id_of(process_id: str) -> str:
    """The node's ProcessID names the letter once: the same letter offered again is the same delivery."""
    return "e" + hashlib.sha256(f"ecms|{process_id}".encode()).hexdigest()[:31]


def take_letters(*, now: datetime, limit: int = 100) -> int:
    """Take the letters waiting at the node for the platform's agencies; how many were taken."""
    taken = 0
    while taken < limit:
        try:
            waiting = ecms_node.next_letter(now=now)
        except ecms.EcmsError as refused:
            # A letter that is unsafe or incomplete cannot even be named to answer it: the node keeps
            # it, and the operator sees why (the alarm on this job's errors).
            logger.error("e-CMS letter refused on reading", extra={"reason": refused.en})
            raise
        if waiting is None:
            break
        process_id, letter = waiting
        outcome = take_letter(process_id, letter, now=now)
        logger.info("e-CMS letter", extra={"process_id": process_id, "outcome": outcome})
        taken += 1
    return taken


def _notice(letter: ecms.Letter, kind: str, *, accept_id: str | None = None, why: str = "") -> ecms.Notice:
    return ecms.Notice(kind, letter.id, letter.date, letter.subject, accept_id=accept_id, description=why)


def _refuse(process_id: str, letter: ecms.Letter, kind: str, why: str, *, now: datetime) -> str:
    ecms_node.notify(_notice(letter, kind, why=why), now=now)
    ecms_node.delete_letter(process_id, now=now)
    return f"answered {kind}: {why}"


def take_letter(process_id: str, letter: ecms.Letter, *, now: datetime) -> str:
    agency_id = directory.agency_of_ecms_department(letter.receiver.department_id)
    if agency_id is None:
        why = f"ไม่มีหน่วยงานรหัส {letter.receiver.department_id} ในระบบนี้"
        return _refuse(process_id, letter, "InvalidLetterNotifier", why, now=now)
    secrecy = SECRECY_OF_CODE[letter.secret_code]
    if secrecy is Secrecy.TOP_SECRET:
        why = "หนังสือลับที่สุดไม่รับส่งทางระบบสารบรรณอิเล็กทรอนิกส์ (ระเบียบงานสารบรรณ ข้อ 29 ฉบับแก้ไข พ.ศ. 2564)"
        return _refuse(process_id, letter, "RejectLetterNotifier", why, now=now)
    if secrecy is not Secrecy.NORMAL:
        # The envelope that keeps a classified letter unreadable to the pooled storage needs the
        # sender's key too (docs/rules.md, "Secrecy in the exchange"); e-CMS carries no such key.
        why = "หนังสือลับและลับมากรับทาง e-CMS ไม่ได้ เพราะเข้ารหัสระหว่างหน่วยงานไม่ได้ โปรดส่งโดยเจ้าหน้าที่นำสาร"
        return _refuse(process_id, letter, "RejectLetterNotifier", why, now=now)
    delivery_id = delivery_id_of(process_id)
    if store.delivery(agency_id, delivery_id) is None:
        _record(agency_id, delivery_id, process_id, letter, secrecy, now=now)
    _write_missing_files(agency_id, delivery_id, letter)
    ecms_node.notify(_notice(letter, "ReceiveLetterNotifier"), now=now)
    ecms_node.delete_letter(process_id, now=now)
    return f"received for {agency_id}"


def _file_ids(delivery_id: str, letter: ecms.Letter) -> list[str]:
    return [delivery_id] + [f"{delivery_id}{i:02d}" for i in range(1, len(letter.attachments) + 1)]


def _record(
    agency_id: str, delivery_id: str, process_id: str, letter: ecms.Letter, secrecy: Secrecy, *, now: datetime
) -> None:
    profile = directory.agency_profile(agency_id)
    codes = {
        **ecms.DEFAULT_SPEED_CODES,
        **((profile.settings.get("ecms") if profile else None) or {}).get("speed_codes", {}),
    }
    urgency = next((name for name, code in codes.items() if code == letter.speed_code), "normal")
    sender_name = f"{letter.sender.job_title} (e-CMS {letter.sender.department_id})"
    party = {
        "process_id": process_id,
        "letter_id": letter.id,
        "date": letter.date.isoformat(),
        "subject": letter.subject,
        "ministry_id": letter.sender.ministry_id,
        "department_id": letter.sender.department_id,
    }
    tx = ddb.Transaction()
    file_ids = _file_ids(delivery_id, letter)
    documents.add_received_copy(
        tx,
        agency_id,
        delivery_id,
        content={
            "subject": letter.subject,
            "sender": {"agency": sender_name, "position": letter.sender.job_title},
            "reference": letter.id,
            "letter_date": letter.date.isoformat(),
            "urgency": urgency,
            "enclosures": [letter.attachment_text] if letter.attachment_text else [],
            "exchange": {"ecms": party},
        },
        kind="external",
        secrecy=int(secrecy),
        files=[
            (
                file_id,
                f"{letter.id if i == 0 else f'{letter.id}-{i}'}.pdf".replace("/", "-"),
                "application/pdf",
            )
            for i, file_id in enumerate(file_ids)
        ],
        actor=ACTOR,
        now=now,
    )
    tx.put(
        "delivery",
        store.new_delivery(
            agency_id,
            delivery_id,
            sender=SENDER,
            sender_name=sender_name,
            sender_document=letter.id,
            attempt=1,
            subject=letter.subject,
            reference=letter.id,
            letter_date=letter.date.isoformat(),
            state=DeliveryState.DELIVERED.value,
            received_at=now,
            at=now,
            party=party,
        ),
        condition=store.DeliveryItem.pk.does_not_exist(),
    )
    audit.add_to(
        tx,
        AuditEvent(
            agency_id,
            ACTOR,
            "exchange.received",
            f"document/{delivery_id}",
            now,
            after={
                "from": f"ecms-{letter.sender.department_id}",
                "reference": letter.id,
                "process": process_id,
            },
        ),
    )
    tell_saraban(tx, agency_id, delivery_id, f"หนังสือเข้าทาง e-CMS จาก {sender_name}: {letter.subject}", now)
    tx.commit_unless_refused("delivery")  # refused: the same letter, taken a moment ago


def _write_missing_files(agency_id: str, delivery_id: str, letter: ecms.Letter) -> None:
    """The bytes land last: their arrival starts the same checks as any upload (signatures included)."""
    contents = [letter.main_letter, *letter.attachments]
    for file_id, data in zip(_file_ids(delivery_id, letter), contents, strict=True):
        file = documents.get_file(agency_id, delivery_id, file_id)
        if file is not None and file.status == "pending" and objects.head(file.object_key) is None:
            objects.write(
                keys.file_object_key(agency_id, delivery_id, file_id), data, content_type="application/pdf"
            )


def answer(agency_id: str, delivery_id: str, *, now: datetime) -> str:
    """Send the agency's decision on an e-CMS letter to the node (the exchange worker). Idempotent: the
    delivery remembers which notifier went out."""
    item = store.delivery(agency_id, delivery_id)
    if item is None or item.sender != SENDER or not item.party:
        return "no e-CMS letter"
    kind = ANSWER_OF_STATE.get(DeliveryState(item.state))
    if kind is None or item.party.get("answered") == kind:
        return "nothing to answer"
    party = item.party
    accept_id = None
    if kind == "AcceptLetterNotifier":
        accept_id = (item.number_line or "").removeprefix("เลขรับ ").split(" ", 1)[0] or None
    notice = ecms.Notice(
        kind,
        party["letter_id"],
        datetime.fromisoformat(party["date"]).date(),
        party["subject"],
        accept_id=accept_id,
        description=item.reason or "",
    )
    ecms_node.notify(notice, now=now)
    item.update(actions=[store.DeliveryItem.party.set({**party, "answered": kind})])
    tx = ddb.Transaction()
    audit.add_to(
        tx,
        AuditEvent(
            agency_id,
            ACTOR,
            "exchange.ecms_answered",
            f"document/{delivery_id}",
            now,
            after={"notifier": kind, "accept_id": accept_id, "letter_id": party["letter_id"]},
        ),
    )
    tx.commit()
    return f"answered {kind}"
