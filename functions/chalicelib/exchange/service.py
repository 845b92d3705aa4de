"""Exchange between agencies on the platform, as the rules describe it (docs/rules.md, "Exchange
between agencies"):

1. The sender's saraban officer sends a signed, numbered letter to one or many agencies (`send`): one
   delivery per recipient, each queued (a circular fans out through the queue).
2. The platform carries each delivery (`deliver`, the exchange worker): the recipient gets its own
   copy of the letter, whose file is checked on arrival like any upload (type, active content, the
   signatures), in its incoming queue; the sender sees it delivered.
3. The recipient's saraban officer accepts it by registering it in the incoming book (`accept`): its
   เลขรับ goes back to the sender as the accept notice, into the outgoing register's การปฏิบัติ column;
   or sends it back with a reason (`reject`), or finds it invalid (`invalid`). A letter sent back may be
   corrected and sent again: a new attempt to the same recipient.

Every step writes each agency's audit log; every step is idempotent under retries.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from chalicelib.directory import service as directory
from chalicelib.documents import service as documents
from chalicelib.exchange import domain, models, store
from chalicelib.exchange.domain import STATE_TH, DeliveryState
from chalicelib.exchange.heard import tell_saraban
from chalicelib.kernel import audit, ddb, envelope, objects, queues
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.errors import Conflict, NotFound, UnknownReference
from chalicelib.kernel.principal import Principal, Role
from chalicelib.registers import models as register_models
from chalicelib.registers import service as registers
from chalicelib.registers.domain import Direction
from chalicelib.saraban import Secrecy
from chalicelib.signatures import service as signatures
from chalicelib.thai import thai_date_short, thai_sorted

WORKER = "system:exchange"
SENDS_PER_TRANSACTION = 90


# -- the directory of agencies -----------------------------------------------------------------------
def agencies(principal: Principal, query: models.AgencyQuery) -> models.AgencyList:
    """The agencies a letter can be sent to, in Thai dictionary order; `q` narrows by name or id."""
    wanted = query.q.strip().casefold()
    found = [
        a
        for a in directory.listed_agencies()
        if a.id != principal.agency_id
        and (not wanted or wanted in a.name.casefold() or wanted in a.name_en.casefold() or wanted in a.id)
    ]
    order = {name: i for i, name in enumerate(thai_sorted(a.name for a in found))}
    found.sort(key=lambda a: order[a.name])
    return models.AgencyList(
        items=[
            models.ListedAgency(id=a.id, name=a.name, name_en=a.name_en, ministry_code=a.ministry_code)
            for a in found
        ]
    )


# -- sending -----------------------------------------------------------------------------------------
def send(
    principal: Principal, document_id: str, command: models.SendLetter, *, now: datetime
) -> models.SendView:
    principal.require(Role.SARABAN)
    stored = documents.readable(principal, document_id, consistent=True)
    domain.require_sendable(stored.item)
    existing = store.sends_of(principal.agency_id, document_id)
    planned: list[tuple[directory.ListedAgency, int]] = []
    for recipient in domain.check_recipients(principal.agency_id, command.recipients):
        listed = directory.listed_agency(recipient)
        if listed is None:
            raise UnknownReference("ไม่พบหน่วยงานผู้รับในระบบ", f"no agency {recipient!r} on the platform")
        earlier = [s for s in existing if s.sk.startswith(f"SEND#{recipient}#")]
        if any(not DeliveryState(s.state).sent_back for s in earlier):
            raise Conflict(
                f"ส่งหนังสือนี้ถึง {listed.name} แล้ว",
                f"the letter is already with {recipient}: it is sent again only after it came back",
            )
        planned.append((listed, len(earlier) + 1))
    parties: dict[str, dict[str, str]] = {}
    if command.ecms:
        domain.require_open_for_ecms(stored.item)
    for outside in command.ecms:
        recipient = f"ecms-{outside.department_id}"
        earlier = [s for s in existing if s.sk.startswith(f"SEND#{recipient}#")]
        open_ecms = [
            s for s in existing if s.sk.startswith("SEND#ecms-") and not DeliveryState(s.state).sent_back
        ]
        if open_ecms:
            raise Conflict(
                "หนังสือนี้ส่งทาง e-CMS อยู่แล้ว (ส่งถึงหน่วยงานนอกระบบได้ครั้งละหนึ่งแห่ง)",
                "the letter is already out through e-CMS: one agency off the platform at a time",
            )
        parties[recipient] = outside.model_dump()
        planned.append(
            (directory.ListedAgency(recipient, outside.job_title, "", outside.ministry_id), len(earlier) + 1)
        )
    # A transaction holds 100 items: a circular to many agencies is written in parts, each with its event.
    for start in range(0, len(planned), SENDS_PER_TRANSACTION):
        part = planned[start : start + SENDS_PER_TRANSACTION]
        tx = ddb.Transaction()
        for listed, attempt in part:
            tx.put(
                f"send-{listed.id}",
                store.new_send(
                    principal.agency_id,
                    document_id,
                    listed.id,
                    attempt,
                    delivery_id=domain.delivery_id(principal.agency_id, document_id, listed.id, attempt),
                    recipient_name=listed.name,
                    state=DeliveryState.QUEUED.value,
                    at=now,
                    party=parties.get(listed.id),
                ),
                condition=store.SendItem.pk.does_not_exist(),
            )
        audit.add_to(
            tx,
            AuditEvent(
                principal.agency_id,
                principal.user_id,
                "exchange.sent",
                f"document/{document_id}",
                now,
                after={"recipients": [f"{listed.id}#{attempt}" for listed, attempt in part]},
            ),
        )
        tx.commit()
    for listed, attempt in planned:
        queues.send(
            models.DeliveryMessage(
                sender=principal.agency_id, document=document_id, recipient=listed.id, attempt=attempt
            )
        )
    return sends(principal, document_id)


def sends(principal: Principal, document_id: str) -> models.SendView:
    documents.readable(principal, document_id)
    items = sorted(store.sends_of(principal.agency_id, document_id), key=lambda s: s.sk)
    return models.SendView(document_id=document_id, deliveries=[_send_view(s) for s in items])


def _send_view(item: store.SendItem) -> models.DeliveryView:
    _, recipient, attempt = item.sk.split("#")
    state = DeliveryState(item.state)
    return models.DeliveryView(
        delivery_id=item.delivery_id,
        recipient=recipient,
        recipient_name=item.recipient_name,
        attempt=int(attempt),
        state=state.value,
        state_th=STATE_TH[state],
        at=item.at,
        number_line=item.number_line,
        reason=item.reason,
        stuck=item.stuck,
    )


def redrive(principal: Principal, document_id: str, recipient: str, *, now: datetime) -> models.SendView:
    """Carry a stuck delivery again (after its cause is fixed): the same delivery, so nothing doubles."""
    principal.require(Role.SARABAN)
    documents.readable(principal, document_id)
    items = [
        s for s in store.sends_of(principal.agency_id, document_id) if s.sk.startswith(f"SEND#{recipient}#")
    ]
    item = max(items, key=lambda s: s.sk, default=None)
    if item is None or not item.stuck:
        raise Conflict("การส่งนี้ไม่ได้ติดขัด", "this delivery is not stuck: nothing to redrive")
    store.mark_stuck(item, None)
    attempt = int(item.sk.rsplit("#", 1)[1])
    queues.send(
        models.DeliveryMessage(
            sender=principal.agency_id, document=document_id, recipient=recipient, attempt=attempt
        )
    )
    _audit_only(
        principal, "exchange.redriven", document_id, now, {"recipient": recipient, "attempt": attempt}
    )
    return sends(principal, document_id)


def _audit_only(
    principal: Principal, action: str, document_id: str, now: datetime, after: dict[str, object]
) -> None:
    tx = ddb.Transaction()
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id, principal.user_id, action, f"document/{document_id}", now, after=after
        ),
    )
    tx.commit()


def mark_stuck(message: models.DeliveryMessage, why: str) -> None:
    """The worker's last attempt failed: the sender sees why, and may redrive it."""
    item = store.send_item(message.sender, message.document, message.recipient, message.attempt)
    if item is not None and DeliveryState(item.state) in (DeliveryState.QUEUED, DeliveryState.DELIVERED):
        store.mark_stuck(item, why[:500])
        tx = ddb.Transaction()
        text = f"ส่งถึง {item.recipient_name} ไม่สำเร็จ (รอส่งใหม่): {why[:120]}"
        tell_saraban(tx, message.sender, message.document, text, datetime.now(UTC))
        tx.commit()


# -- carrying a delivery (the exchange worker) ----------------------------------------------------------
def deliver(message: models.DeliveryMessage, *, now: datetime) -> str:
    """Put the letter in the recipient's incoming queue. Idempotent: the recipient's copy has the
    delivery's id, so a retried or replayed message finds it and only makes sure its bytes are there."""
    sent = store.send_item(message.sender, message.document, message.recipient, message.attempt)
    if sent is None:
        return "unknown send"
    if message.recipient.startswith("ecms-"):
        return _deliver_by_ecms(sent, message, now=now)
    delivery_id = sent.delivery_id
    copy_key = None
    if DeliveryState(sent.state) is DeliveryState.QUEUED:
        stored = documents.load(message.sender, message.document)
        pdf = signatures.current_pdf(stored) if stored else None
        if stored is None or pdf is None:
            raise RuntimeError(f"the letter {message.document} of {message.sender} has no signed PDF")
        # Read first: a letter that cannot be read is not announced to the recipient.
        data: bytes | None = objects.read(pdf[0], version_id=pdf[1])
        sender = directory.listed_agency(message.sender)
        content = stored.item.content
        reference = next(
            (
                r["ref_line"]
                for r in stored.item.registrations
                if not r.get("cancelled") and r.get("ref_line")
            ),
            "",
        )
        copy = {
            "subject": content.get("subject", ""),
            "sender": {
                "agency": sender.name if sender else message.sender,
                "position": (content.get("sender") or {}).get("position", ""),
            },
            "recipient": content.get("recipient") or {},
            "reference": reference.removeprefix("ที่ ").strip(),
            "letter_date": content.get("letter_date"),
            "urgency": content.get("urgency", "normal"),
            "enclosures": content.get("enclosures", []),
            "exchange": {"sender": message.sender, "document": message.document, "delivery": delivery_id},
        }
        tx = ddb.Transaction()
        (file,) = documents.add_received_copy(
            tx,
            message.recipient,
            delivery_id,
            content=copy,
            kind=stored.item.kind,
            secrecy=int(stored.item.secrecy),
            files=[
                (delivery_id, f"{reference or message.document}.pdf".replace("/", "-"), "application/pdf")
            ],
            actor=WORKER,
            now=now,
            sealed=_parties(message, delivery_id).stored() if _classified(stored.item) else None,
        )
        tx.put(
            "delivery",
            store.new_delivery(
                message.recipient,
                delivery_id,
                sender=message.sender,
                sender_name=sender.name if sender else message.sender,
                sender_document=message.document,
                attempt=message.attempt,
                subject=copy["subject"],
                reference=copy["reference"],
                letter_date=copy["letter_date"],
                state=DeliveryState.DELIVERED.value,
                received_at=now,
                at=now,
            ),
            condition=store.DeliveryItem.pk.does_not_exist(),
        )
        store.set_state(
            tx, "send", sent, DeliveryState.DELIVERED.value, now, expected=DeliveryState.QUEUED.value
        )
        audit.add_to(
            tx,
            AuditEvent(
                message.recipient,
                WORKER,
                "exchange.received",
                f"document/{delivery_id}",
                now,
                after={"from": message.sender, "reference": copy["reference"]},
            ),
        )
        tell_saraban(
            tx,
            message.recipient,
            delivery_id,
            f"หนังสือเข้าจาก {sender.name if sender else message.sender}: {copy['subject']}",
            now,
        )
        audit.add_to(
            tx,
            AuditEvent(
                message.sender,
                WORKER,
                "exchange.delivered",
                f"document/{message.document}",
                now,
                after={"to": message.recipient, "delivery": delivery_id},
            ),
        )
        try:
            tx.commit()
        except ddb.Cancelled as cancelled:
            if not cancelled.failed("send"):
                raise
            # another delivery of the same message got there first: make sure of the bytes below
        copy_key = file.object_key
        source: tuple[str, str | None] | None = pdf
    else:
        data = None
        copied = documents.get_file(message.recipient, delivery_id, delivery_id)
        if copied is None or copied.status != "pending" or objects.head(copied.object_key) is not None:
            return "already delivered"
        stored = documents.load(message.sender, message.document)
        source = signatures.current_pdf(stored) if stored else None
        copy_key = copied.object_key
    if source is None:
        raise RuntimeError("the sender's PDF is gone")
    # The bytes land last: their arrival triggers the same checks as any upload (signatures included).
    if data is None:
        data = objects.read(source[0], version_id=source[1])
    content_type = "application/pdf"
    if stored is not None and _classified(stored.item):
        # Sealed for the two agencies' keys only: the pooled bucket never holds it readable.
        data = envelope.seal(
            data,
            _parties(message, delivery_id),
            [directory.secrecy_key(message.sender), directory.secrecy_key(message.recipient)],
        )
        content_type = "application/octet-stream"
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    objects.write(copy_key, data, content_type=content_type, sha256_b64=digest)
    return "delivered"


def _classified(document: documents.DocumentItem) -> bool:
    return Secrecy(int(document.secrecy)) in (Secrecy.CONFIDENTIAL, Secrecy.SECRET)


def _parties(message: models.DeliveryMessage, delivery_id: str) -> envelope.Parties:
    return envelope.Parties(sender=message.sender, recipient=message.recipient, document=delivery_id)


# -- the recipient's side ------------------------------------------------------------------------------
def incoming(principal: Principal) -> models.IncomingList:
    principal.require(Role.SARABAN)
    items = sorted(store.deliveries(principal.agency_id), key=lambda d: d.received_at, reverse=True)
    return models.IncomingList(items=[_incoming_view(principal.agency_id, d) for d in items])


def _incoming_view(agency_id: str, item: store.DeliveryItem) -> models.IncomingLetter:
    delivery_id = store.delivery_id_of(item)
    file = documents.get_file(agency_id, delivery_id, delivery_id)
    check = (file.signature_check or {}) if file else {}
    state = DeliveryState(item.state)
    return models.IncomingLetter(
        delivery_id=delivery_id,
        document_id=delivery_id,
        sender=item.sender,
        sender_name=item.sender_name,
        subject=item.subject,
        reference=item.reference,
        letter_date=item.letter_date,
        state=state.value,
        state_th=STATE_TH[state],
        received_at=item.received_at,
        file_status=file.status if file else "missing",
        signatures_valid=check.get("all_valid") if check else None,
        number_line=item.number_line,
        reason=item.reason,
    )


def _open_delivery(principal: Principal, delivery_id: str) -> store.DeliveryItem:
    principal.require(Role.SARABAN)
    item = store.delivery(principal.agency_id, delivery_id)
    if item is None:
        raise NotFound("ไม่พบหนังสือที่ส่งถึงหน่วยงาน", f"no delivered letter {delivery_id}")
    if DeliveryState(item.state) is not DeliveryState.DELIVERED:
        raise Conflict(
            f"หนังสือนี้{STATE_TH[DeliveryState(item.state)]}แล้ว", f"the letter is already {item.state}"
        )
    return item


def accept(principal: Principal, delivery_id: str, *, now: datetime) -> models.Accepted:
    """Register the letter in the incoming book; its เลขรับ goes back to the sender."""
    item = _open_delivery(principal, delivery_id)
    file = documents.get_file(principal.agency_id, delivery_id, delivery_id)
    if file is None or file.status != "ready":
        raise Conflict(
            "ระบบยังตรวจไฟล์หนังสือไม่เสร็จ หรือไฟล์ไม่ผ่านการตรวจ",
            f"the letter's file is {file.status if file else 'missing'}: accepted once checked and ready",
        )
    entry, _ = registers.register(
        principal,
        "incoming",
        register_models.RegistrationCommand(document_id=delivery_id),
        idempotency_key=f"exchange-{delivery_id}",
        clock=lambda: now,
    )
    number_line = f"เลขรับ {entry.number} ลงวันที่ {thai_date_short(now)}"
    _decide(principal, item, DeliveryState.ACCEPTED, now, number_line=number_line)
    return models.Accepted(
        delivery_id=delivery_id,
        document_id=delivery_id,
        book=entry.book,
        number=entry.number,
        ref_line=entry.ref_line,
    )


def reject(
    principal: Principal, delivery_id: str, command: models.Decision, *, now: datetime
) -> models.IncomingLetter:
    item = _open_delivery(principal, delivery_id)
    _decide(principal, item, DeliveryState.REJECTED, now, reason=command.reason)
    return _incoming_view(principal.agency_id, store.delivery(principal.agency_id, delivery_id) or item)


def invalid(
    principal: Principal, delivery_id: str, command: models.Decision, *, now: datetime
) -> models.IncomingLetter:
    item = _open_delivery(principal, delivery_id)
    _decide(principal, item, DeliveryState.INVALID, now, reason=command.reason)
    return _incoming_view(principal.agency_id, store.delivery(principal.agency_id, delivery_id) or item)


def _decide(
    principal: Principal,
    item: store.DeliveryItem,
    state: DeliveryState,
    now: datetime,
    *,
    number_line: str | None = None,
    reason: str | None = None,
) -> None:
    """The recipient's decision and its notice to the sender, together, in both audit logs (a letter
    that came by e-mail has no sender to notify; one from e-CMS is answered through the node)."""
    delivery_id = store.delivery_id_of(item)
    tx = ddb.Transaction()
    store.set_state(
        tx,
        "delivery",
        item,
        state.value,
        now,
        expected=DeliveryState.DELIVERED.value,
        number_line=number_line,
        reason=reason,
    )
    after = {"state": state.value, "number_line": number_line, "reason": reason}
    audit.add_to(
        tx,
        AuditEvent(
            principal.agency_id,
            principal.user_id,
            f"exchange.{state.value}",
            f"document/{delivery_id}",
            now,
            after=after,
        ),
    )
    if item.sender in ("email", "ecms"):
        if not tx.commit_unless_refused("delivery"):
            raise Conflict("หนังสือนี้มีผู้ดำเนินการแล้ว", "someone decided on this letter at the same moment")
        if item.sender == "ecms":  # the worker tells the node (exchange/ecms_intake.py, `answer`)
            queues.send(models.EcmsAnswerMessage(agency=principal.agency_id, delivery=delivery_id))
        return
    sent = store.send_item(item.sender, item.sender_document, principal.agency_id, int(item.attempt))
    if sent is None:
        raise Conflict("ไม่พบรายการส่งของหน่วยงานผู้ส่ง", "the sender's record of this delivery is gone")
    notice = SenderNotice(
        sent, item.sender, item.sender_document, principal.agency_id, state, number_line, reason
    )
    notice.add_to(tx, now)
    if not tx.commit_unless_refused("delivery"):
        raise Conflict("หนังสือนี้มีผู้ดำเนินการแล้ว", "someone decided on this letter at the same moment")
    recipient = directory.listed_agency(principal.agency_id)
    notice.write_register_line(recipient.name if recipient else principal.agency_id, now)


@dataclass(frozen=True)
class SenderNotice:
    """A recipient's decision as the sender receives it: the state of its send, its audit event, and its
    outgoing register's การปฏิบัติ line (where the letter went, what became of it)."""

    sent: store.SendItem
    sender: str
    document: str
    recipient: str
    state: DeliveryState
    number_line: str | None
    reason: str | None

    def add_to(self, tx: ddb.Transaction, now: datetime, **extra: str) -> None:
        store.set_state(
            tx,
            "send",
            self.sent,
            self.state.value,
            now,
            expected=DeliveryState.DELIVERED.value,
            number_line=self.number_line,
            reason=self.reason,
        )
        after = {"from": self.recipient, "number_line": self.number_line, "reason": self.reason, **extra}
        heard = f"{self.sent.recipient_name}: {STATE_TH[self.state]}"
        heard += f" {self.number_line}" if self.number_line else f" ({self.reason})" if self.reason else ""
        tell_saraban(tx, self.sender, self.document, heard, now)
        audit.add_to(
            tx,
            AuditEvent(
                self.sender,
                WORKER,
                f"exchange.notice.{self.state.value}",
                f"document/{self.document}",
                now,
                after=after,
            ),
        )

    def write_register_line(self, recipient_label: str, now: datetime) -> None:
        action = f"{recipient_label}: {STATE_TH[self.state]}"
        action += f" {self.number_line}" if self.number_line else ""
        action += f" ({self.reason})" if self.reason else ""
        registers.record_action(
            self.sender, self.document, action, actor=WORKER, now=now, direction=Direction.OUTGOING
        )


# -- agencies off the platform: e-CMS ------------------------------------------------------------------
NOTICE_STATES = {
    "ReceiveLetterNotifier": DeliveryState.DELIVERED,
    "AcceptLetterNotifier": DeliveryState.ACCEPTED,
    "RejectLetterNotifier": DeliveryState.REJECTED,
    "InvalidLetterNotifier": DeliveryState.INVALID,
}


def _deliver_by_ecms(sent: store.SendItem, message: models.DeliveryMessage, *, now: datetime) -> str:
    """Hand the letter to the deployment's e-CMS node (exchange/ecms.py lays it out)."""
    from chalicelib.exchange import ecms, ecms_node
    from chalicelib.thai import to_bangkok

    if DeliveryState(sent.state) is not DeliveryState.QUEUED:
        return "already handed to e-CMS"
    stored = documents.load(message.sender, message.document)
    pdf = signatures.current_pdf(stored) if stored else None
    profile = directory.agency_profile(message.sender)
    ids = (profile.settings.get("ecms") if profile else None) or {}
    if stored is None or pdf is None or not ids:
        raise RuntimeError("no signed PDF, or the agency has no e-CMS ids (onboarding settings: ecms)")
    content = stored.item.content
    reference = next(
        r["ref_line"] for r in stored.item.registrations if not r.get("cancelled") and r.get("ref_line")
    )
    letter_id = reference.removeprefix("ที่ ").strip()
    speed = {**ecms.DEFAULT_SPEED_CODES, **ids.get("speed_codes", {})}
    signer = (stored.item.signatures[0].get("capacity") or {}) if stored.item.signatures else {}
    party = sent.party or {}
    letter = ecms.Letter(
        id=letter_id,
        date=date.fromisoformat(content["letter_date"])
        if content.get("letter_date")
        else to_bangkok(now).date(),
        subject=content.get("subject", "") or "-",
        secret_code=ecms.SECRET_CODES["normal"],
        speed_code=speed.get(content.get("urgency", "normal"), speed["normal"]),
        sender=ecms.Party(
            signer.get("position") or (profile.name if profile else ""),
            ids["ministry_id"],
            ids["department_id"],
        ),
        receiver=ecms.Party(
            party.get("job_title", ""), party.get("ministry_id", ""), party.get("department_id", "")
        ),
        send_date=to_bangkok(now).replace(tzinfo=None, microsecond=0),
        main_letter=objects.read(pdf[0], version_id=pdf[1]),
        attachment_text="; ".join(content.get("enclosures", [])),
    )
    recipient, attempt = message.recipient, message.attempt
    store.new_ecms_out(
        letter_id, sender=message.sender, document=message.document, recipient=recipient, attempt=attempt
    ).save()
    process_id = ecms_node.send_letter(letter, now=now)
    tx = ddb.Transaction()
    store.set_state(tx, "send", sent, DeliveryState.DELIVERED.value, now, expected=DeliveryState.QUEUED.value)
    audit.add_to(
        tx,
        AuditEvent(
            message.sender,
            WORKER,
            "exchange.handed_to_ecms",
            f"document/{message.document}",
            now,
            after={"to": recipient, "letter_id": letter_id, "process_id": process_id},
        ),
    )
    tx.commit_unless_refused("send")
    return "handed to e-CMS"


def poll_ecms(*, now: datetime, limit: int = 200) -> int:
    """Take the letters waiting at the node for the platform's agencies (exchange/ecms_intake.py), then
    the notifiers about the platform's letters, applying each to its letter; how many were taken."""
    from chalicelib.exchange import ecms_node

    if ecms_node.node_url() is None:
        return 0
    from chalicelib.exchange.ecms_intake import take_letters

    taken = take_letters(now=now, limit=limit)
    while taken < limit:
        notice = ecms_node.next_notice(now=now)
        if notice is None:
            break
        taken += 1
        _apply_notice(notice, now=now)
    return taken


def _apply_notice(notice: object, *, now: datetime) -> None:
    from chalicelib.exchange.ecms import Notice
    from chalicelib.kernel.log import logger

    assert isinstance(notice, Notice)
    out = store.ecms_out(notice.letter_id)
    state = NOTICE_STATES.get(notice.kind)
    if out is None or state is None:
        logger.warning(
            "e-CMS notifier for no letter of ours", extra={"kind": notice.kind, "letter": notice.letter_id}
        )
        return
    sent = store.send_item(out.sender, out.document, out.recipient, int(out.attempt))
    if (
        sent is None
        or DeliveryState(sent.state) is state
        or DeliveryState(sent.state) is not DeliveryState.DELIVERED
    ):
        return  # a notifier seen twice, or one that arrives after the letter's end
    number_line = f"เลขรับ {notice.accept_id} ลงวันที่ {thai_date_short(now)}" if notice.accept_id else None
    reason = (
        (notice.description or "ไม่ระบุเหตุผล")
        if state in (DeliveryState.REJECTED, DeliveryState.INVALID)
        else None
    )
    decided = SenderNotice(sent, out.sender, out.document, out.recipient, state, number_line, reason)
    tx = ddb.Transaction()
    decided.add_to(tx, now, notifier=notice.kind)
    if tx.commit_unless_refused("send"):
        decided.write_register_line(f"{sent.recipient_name} (e-CMS)", now)
