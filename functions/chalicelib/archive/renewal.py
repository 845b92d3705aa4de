"""Archived signed letters stay verifiable (docs/rules.md, "Archive", "Timestamps renewed").

A letter signed at PAdES B-LTA ends with a document timestamp over its signatures and their validation
data (certificates, OCSP responses, CRLs). That timestamp proves they existed while the signer's
certificate was valid, and it keeps proving it only while its own TSA certificate is valid and its
algorithms are strong. Before either ends, a new document timestamp over everything, with fresh
revocation data for the one before it, carries the proof forward (ETSI EN 319 142-1, B-LTA; ETDA
ขมธอ. 33-2566 on time-stamping): a signature made today still validates in twenty years.

- `next_renewal`: when a PDF needs its next document timestamp, and why (a pure function of the PDF).
- The due list: one item per stored signed letter, pk=<agency>#RENEWAL, sk=<due, UTC>#<document>,
  written in the transaction that stores the record (`schedule`), so the daily job queries what is due
  and never scans.
- `renew_due` (daily, `renew_timestamps` in app.py): each due letter's archived version gets a new
  document timestamp from the agency's TSA and is written as a new version under the same key, locked
  as the record is; the record names the new version, the due item moves to the new timestamp's date,
  and the audit event is written, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import TYPE_CHECKING, Any

from chalicelib.archive import store
from chalicelib.archive.domain import Retention
from chalicelib.kernel import audit, ddb, objects
from chalicelib.kernel.audit import AuditEvent
from chalicelib.kernel.log import logger
from chalicelib.kernel.settings import get_settings
from chalicelib.thai import to_bangkok

if TYPE_CHECKING:  # pyHanko is imported where it is used: the API loads this module when it stores
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    from chalicelib.signing.pades import PadesSigningService

SYSTEM_ACTOR = "system:timestamp-renewal"
CERTIFICATE_ENDS = "certificate ends"
# Digests no longer trusted to bind a timestamp to what it covers (collisions are practical for SHA-1).
WEAK_DIGESTS = frozenset({"md2", "md5", "sha1"})
MIN_RSA_BITS = 2048
LAST_DUE = "~"  # sorts after every document id: "<now>#~" bounds everything due up to now

Agency = tuple[str, str | None, Sequence[str]]  # (agency, its TSA's URL, its trust roots as PEM)


class RenewalError(Exception):
    """A due letter that could not be renewed this time (logged and counted; retried the next day)."""


@dataclass(frozen=True)
class Renewal:
    due: datetime
    reason: str  # CERTIFICATE_ENDS, or the weakness that makes it due at once
    tsa: str  # the last document timestamp's TSA (its certificate's subject)
    tsa_not_after: datetime


def renewal_window() -> timedelta:
    """How long before the TSA certificate ends a new timestamp is added (a platform setting)."""
    return timedelta(days=get_settings().timestamp_renewal_days)


def next_renewal(pdf: bytes, *, window: timedelta, now: datetime) -> Renewal | None:
    """When `pdf` needs its next document timestamp: `window` before its last document timestamp's TSA
    certificate ends, or `now` when that timestamp already rests on a weak digest or key.

    None when the PDF carries no document timestamp: it is not B-LTA (B-B, B-T or B-LT), there is no
    chain of timestamps to extend, and nothing is scheduled for it."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    stamps = PdfFileReader(BytesIO(pdf)).embedded_timestamp_signatures
    if not stamps:
        return None
    last = max(stamps, key=lambda stamp: stamp.signed_revision)
    cert = last.signer_cert
    not_after: datetime = cert["tbs_certificate"]["validity"]["not_after"].native
    tsa = str(cert.subject.human_friendly)
    weakness = _weakness(last)
    if weakness is not None:
        return Renewal(now, weakness, tsa, not_after)
    return Renewal(not_after - window, CERTIFICATE_ENDS, tsa, not_after)


def _weakness(stamp: EmbeddedPdfSignature) -> str | None:
    info = stamp.signed_data["encap_content_info"]["content"].parsed
    digests = [
        info["message_imprint"]["hash_algorithm"]["algorithm"].native,  # what the TSA was asked to date
        stamp.signer_info["digest_algorithm"]["algorithm"].native,  # what the TSA signed
    ]
    with suppress(ValueError):  # a signature algorithm naming no digest of its own (e.g. RSASSA-PSS)
        digests.append(stamp.signer_info["signature_algorithm"].hash_algo)
    weak = next((name for name in digests if name in WEAK_DIGESTS), None)
    if weak is not None:
        return f"weak digest ({weak})"
    key = stamp.signer_cert.public_key
    if key.algorithm in ("rsa", "dsa") and key.bit_size < MIN_RSA_BITS:
        return f"weak key ({key.algorithm} {key.bit_size} bits)"
    return None


def due_sk(due: datetime, document_id: str) -> str:
    return f"{_utc(due)}#{document_id}"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # fixed width: sorts as it reads


def _letter(files: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    return next((copied for copied in files if copied.get("file") == "letter"), None)


def _archived_bytes(copied: dict[str, Any]) -> bytes:
    return objects.read(copied["key"], version_id=copied["version"], bucket=get_settings().archive_bucket)


# -- scheduling, as a record is stored -----------------------------------------------------------------
def schedule(
    tx: ddb.Transaction, agency_id: str, document_id: str, copied: list[dict[str, Any]], *, now: datetime
) -> None:
    """The archived letter's next document timestamp joins the due list, in the storing transaction
    (archive/service.py, `_lock_files`). Nothing for a letter that is not B-LTA, nor for a classified
    letter archived sealed (its envelope is no PDF to this job: it is renewed only once opened)."""
    from pyhanko.pdf_utils.misc import PdfError

    letter = _letter(copied)
    if letter is None:
        return
    try:
        found = next_renewal(_archived_bytes(letter), window=renewal_window(), now=now)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
        logger.info(
            "archived letter not scheduled for renewal", extra={"document": document_id, "why": repr(error)}
        )
        return
    if found is not None:
        tx.put(
            "renewal",
            store.new_renewal(
                agency_id,
                due_sk(found.due, document_id),
                document_id=document_id,
                reason=found.reason,
                tsa_not_after=found.tsa_not_after,
            ),
        )


# -- the daily job -------------------------------------------------------------------------------------
def renew_due(
    *, now: datetime, agencies: Iterable[Agency] | None = None, window: timedelta | None = None
) -> dict[str, int]:
    """Renew every letter due by `now`, agency by agency, each with its own TSA and trust roots (from its
    signing settings when `agencies` is not given). One agency's or one record's failure never stops
    the others: it is logged and counted, and its due item stays for the next run. A record destroyed
    or no longer stored leaves the due list."""
    span = window if window is not None else renewal_window()
    counts = {"renewed": 0, "dropped": 0, "failed": 0}
    for agency_id, tsa_url, trust_pems in _agencies() if agencies is None else agencies:
        try:
            due = list(store.renewals_through(agency_id, f"{_utc(now)}#{LAST_DUE}"))
            if due:
                _renew_agency(agency_id, tsa_url, trust_pems, due, now, span, counts)
        except Exception as error:  # the agency's settings or its TSA: the others still run
            counts["failed"] += 1
            logger.exception("timestamp renewal failed", extra={"agency": agency_id, "error": repr(error)})
    return counts


def _agencies() -> Iterator[Agency]:
    from chalicelib.directory import service as directory

    for listed in directory.listed_agencies():
        profile = directory.agency_profile(listed.id)
        signing = (profile.settings.get("signing") or {}) if profile else {}
        yield listed.id, signing.get("tsa_url"), tuple(signing.get("trust_roots_pem", []))


def _renew_agency(
    agency_id: str,
    tsa_url: str | None,
    trust_pems: Sequence[str],
    due: list[store.RenewalItem],
    now: datetime,
    span: timedelta,
    counts: dict[str, int],
) -> None:
    from chalicelib.signing.pades import PadesSigningService
    from chalicelib.signing.validation import load_roots

    if not tsa_url:
        counts["failed"] += len(due)
        logger.error("timestamp renewal due but no TSA", extra={"agency": agency_id, "due": len(due)})
        return
    with PadesSigningService(trust_roots=load_roots(list(trust_pems)), tsa_url=tsa_url) as service:
        for item in due:
            try:
                counts[_renew(service, agency_id, item, now, span)] += 1
            except Exception as error:  # this record only: the next one still runs
                counts["failed"] += 1
                logger.exception(
                    "timestamp renewal failed",
                    extra={"agency": agency_id, "document": item.document_id, "error": repr(error)},
                )


def _renew(
    service: PadesSigningService, agency_id: str, item: store.RenewalItem, now: datetime, span: timedelta
) -> str:
    document_id = item.document_id
    record = store.archived(agency_id, document_id)
    letter = _letter(record.files or []) if record is not None else None
    if record is None or record.state != "stored" or letter is None:
        item.delete(condition=store.RenewalItem.pk.exists())  # destroyed, or no longer stored
        logger.info("renewal dropped", extra={"agency": agency_id, "document": document_id})
        return "dropped"
    renewed = service.add_archive_timestamp(_archived_bytes(letter))
    following = next_renewal(renewed, window=span, now=now)
    if following is None or following.due <= now:
        # The agency's TSA is itself within the window (or still weak): a new version would not help,
        # and would be added again every day. Logged until the agency names a TSA that outlives it.
        raise RenewalError(f"the new timestamp would be due at once: {following}")
    # Locked as the record is: its lock (never shorter than the version before) and its legal hold.
    keep_until = int(record.keep_until) if record.keep_until is not None else None
    until = Retention.locked_until(keep_until, stored_on=to_bangkok(record.stored_at).date())
    lock = objects.archive_lock(letter["key"], letter["version"])
    if isinstance(lock.get("RetainUntilDate"), datetime):
        until = max(until, lock["RetainUntilDate"])
    held = (
        lock.get("LegalHold") == "ON" or keep_until is None or store.hold(agency_id, document_id) is not None
    )
    version = objects.archive_put(letter["key"], renewed, retain_until=until, legal_hold=held)
    # Earlier versions stay (write-once) and are listed, so holds can follow them too.
    files = [
        {**copied, "version": version, "earlier": [*copied.get("earlier", []), copied["version"]]}
        if copied is letter
        else copied
        for copied in record.files
    ]
    tx = ddb.Transaction()
    tx.update(
        "archived",
        record,
        [store.ArchivedItem.files.set(files)],
        condition=(store.ArchivedItem.state == "stored") & (store.ArchivedItem.files == record.files),
    )
    tx.delete("due", item, condition=store.RenewalItem.pk.exists())
    tx.put(
        "next",
        store.new_renewal(
            agency_id,
            due_sk(following.due, document_id),
            document_id=document_id,
            reason=following.reason,
            tsa_not_after=following.tsa_not_after,
        ),
    )
    audit.add_to(
        tx,
        AuditEvent(
            agency_id,
            SYSTEM_ACTOR,
            "archive.timestamp_renewed",
            f"document/{document_id}",
            now,
            after={
                "file": letter["file"],
                "version": version,
                "previous_version": letter["version"],
                "reason": item.reason,
                "tsa": following.tsa,
                "next_due": following.due.isoformat(),
                "locked_until": until.isoformat(),
                "legal_hold": held,
            },
        ),
    )
    if not tx.commit_unless_refused("archived"):
        # Changed meanwhile (a hold, a destruction): the new version stays locked and unnamed; the
        # next run reads the record again.
        raise RenewalError("the record changed while it was renewed")
    if not held and store.hold(agency_id, document_id) is not None:  # held while it was renewed
        objects.archive_legal_hold(letter["key"], version, on=True)
    return "renewed"
