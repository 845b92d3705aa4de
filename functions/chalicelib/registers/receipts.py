"""The receipt stamp (ตรารับหนังสือ): once an incoming letter is registered and its PDF is ready,
make a copy stamped at the top right of page 1 with เลขรับ, วันที่ and เวลา. The original stays as
uploaded. Triggered from the records stream, so it happens whichever of the two came last.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.directory import service as directory
from chalicelib.documents import service as documents
from chalicelib.kernel import clock, keys, objects
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.log import logger
from chalicelib.registers import domain

SYSTEM_ACTOR = "system:receipt-stamp"


class StampOutcome(StrEnum):
    STAMPED = "stamped"
    NOT_DUE = "not-due"
    ALREADY = "already-stamped"


def stamp_if_due(agency_id: str, document_id: str, *, now: datetime) -> StampOutcome:
    stored = documents.load(agency_id, document_id, consistent=True)
    profile = directory.agency_profile(agency_id)
    if stored is None or profile is None:
        return StampOutcome.NOT_DUE
    books = domain.books_of(profile.settings)
    incoming = [
        r
        for r in stored.item.registrations
        if (book := books.get(r.get("book", ""))) is not None
        and book.direction is domain.Direction.INCOMING
        and not r.get("cancelled")
    ]
    main = documents.current_main_file(stored)
    if not incoming or main is None:
        return StampOutcome.NOT_DUE
    if main.stamped_key:
        return StampOutcome.ALREADY
    registration = incoming[0]
    from chalicelib.pdf.receipt_stamp import ReceiptStamp, StampNotAllowed, receipt_page, stamp_receipt

    original = documents.file_bytes(agency_id, main)  # opened with the agency's key if sealed
    if main.sha256 and hashlib.sha256(original).hexdigest() != main.sha256:
        raise RuntimeError(f"stored original of {main.file_id} does not match its recorded SHA-256")
    stamp = ReceiptStamp(
        agency_name=profile.name,
        number=int(registration["number"]),
        received_at=datetime.fromisoformat(registration["registered_at"]),
        thai_numerals=profile.thai_numerals,
    )
    note = None
    try:
        stamped = stamp_receipt(original, stamp)
    except StampNotAllowed as refused:
        # The sender certified the letter against any addition: the stamp is kept as a separate
        # receipt page, and the document says so (docs/rules.md, "Registers and running numbers").
        stamped = receipt_page(stamp, about=stored.item.content.get("subject"))
        note = f"ตรารับเป็นหน้าแยก เพราะผู้ส่งรับรองหนังสือห้ามเพิ่มเติม / separate receipt page: {refused}"[:300]
    file_id = main.file_id
    key = keys.stamped_object_key(agency_id, document_id, file_id)
    stored_bytes = documents.sealed_like(agency_id, main, stamped)  # a sealed letter's copy stays sealed
    digest = hashlib.sha256(stamped).digest()
    # Create-only: a retried job that finds the object keeps the first copy and records its digest.
    if not objects.write(
        key,
        stored_bytes,
        content_type="application/octet-stream" if main.sealed else "application/pdf",
        sha256_b64=base64.b64encode(hashlib.sha256(stored_bytes).digest()).decode(),
    ):
        main.stamped_key = key
        digest = hashlib.sha256(documents.file_bytes(agency_id, main, stamped=True)).digest()
    documents.set_file_fields(
        main,
        {"stamped_key": key, "stamped_sha256": digest.hex(), "stamp_note": note, "updated_at": now},
        AuditEvent(
            agency_id,
            SYSTEM_ACTOR,
            "file.receipt_stamped",
            f"document/{document_id}",
            now,
            after={"file_id": file_id, "received_number": registration["number"], "sha256": digest.hex()},
        ),
    )
    return StampOutcome.STAMPED


def stamp_candidate(record: Any) -> tuple[str, str] | None:
    """(agency, document) when a stream record may complete an incoming letter: a ready file or a new
    register entry."""
    if record.dynamodb is None or record.event_name is None or record.event_name.name == "REMOVE":
        return None
    image = record.dynamodb.new_image or {}
    pk, sk = str(image.get("pk", "")), str(image.get("sk", ""))
    if sk.startswith(keys.FILE_PREFIX) and image.get("status") == "ready" and not image.get("stamped_key"):
        if not keys.is_document_pk(pk):
            return None
        return keys.document_of_pk(pk)
    if sk.startswith(keys.ENTRY_PREFIX) and record.event_name.name == "INSERT":
        return keys.agency_of_pk(pk), str(image.get("document_id", ""))
    return None


def react(record: Any) -> None:
    """The lifecycle handler's reaction: stamp an incoming letter when it becomes due."""
    candidate = stamp_candidate(record)
    if candidate is None:
        return
    agency, document = candidate
    outcome = stamp_if_due(agency, document, now=clock.utcnow())
    logger.info("receipt stamp", extra={"document_id": document, "outcome": outcome.value})
