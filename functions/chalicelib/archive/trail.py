"""A verifiable audit trail (docs/rules.md, "The audit trail anyone can verify").

Each agency's audit events form a hash chain, sealed a day at a time:

- link(event) = SHA-256(previous link ‖ the event's canonical JSON); the first link of a day continues
  from the last link of the day before (the first day ever from 64 zeros);
- after a day ends (Bangkok time), `seal_due` (hourly, in the clean-up job) seals it: the day's links
  are written to the write-once archive bucket (compliance mode, ten years), the day's head (its last
  link) is timestamped by the agency's RFC 3161 time-stamping authority when it has one, and a seal
  item records the head, the count and the archived file.

Why sealed afterwards rather than chained at each write: a chain head updated in every transaction
would serialise all of an agency's changes on one item; sealing reads the day's partition once. An
event changed, removed or added after its day was sealed no longer matches the archived links, and
`verify` names the first that does not.

`export` gives an auditor the events as the table holds them with the seals and their archived links;
`verify` checks such an export offline (no AWS, no network) and names the first broken link.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from asn1crypto import tsp  # in the common layer: a missing one fails the job, not silently
from pynamodb.exceptions import PutError

from chalicelib.archive import store
from chalicelib.kernel import keys, objects
from chalicelib.kernel.audit import AuditItem
from chalicelib.kernel.log import logger
from chalicelib.thai import to_bangkok

GENESIS = "0" * 64
SEALED_FOR_YEARS = 10  # how long the archived links stay write-once (a setting of the platform)
LOOK_BACK_DAYS = 31  # a new agency's first seals start this far back
SETTLE = timedelta(hours=1)


def canonical(item: AuditItem) -> bytes:
    """An event as it is hashed: its key and every field, in one fixed JSON form."""
    return json.dumps(
        {
            "sk": item.sk,
            "actor": item.actor,
            "action": item.action,
            "target": item.target,
            "at": item.at.astimezone(UTC).isoformat(),
            "before": item.before,
            "after": item.after,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def link(previous: str, event: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(previous) + event).hexdigest()


def _events(agency_id: str, day: date) -> list[AuditItem]:
    return sorted(
        AuditItem.query(keys.audit_pk(agency_id, day.isoformat()), consistent_read=True), key=lambda i: i.sk
    )


def seal(agency_id: str, day: date, *, previous: str, tsa_url: str | None, now: datetime) -> str:
    """Seal one day of an agency's events after `previous` (the last link before it); returns its head."""
    links: list[dict[str, str]] = []
    head = previous
    for event in _events(agency_id, day):
        head = link(head, canonical(event))
        links.append({"sk": event.sk, "link": head})
    # The file holds everything the check needs (the seal item is only its index): the head, where it
    # continues from, and the timestamp, all under the lock.
    token = _timestamp(tsa_url, head) if tsa_url else None
    record = {
        "agency": agency_id,
        "day": day.isoformat(),
        "prev": previous,
        "head": head,
        "tst": token,
        "links": links,
    }
    key = f"{agency_id}/audit/{day.isoformat()}.json"
    version = objects.archive_put(
        key,
        json.dumps(record, ensure_ascii=False).encode(),
        retain_until=now + timedelta(days=365 * SEALED_FOR_YEARS),
    )
    item = store.new_seal(
        agency_id,
        day.isoformat(),
        head=head,
        prev=previous,
        events=len(links),
        file_key=key,
        file_version=version,
        tst=token,
        sealed_at=now,
    )
    item.save(condition=store.SealItem.pk.does_not_exist())
    return head


def _timestamp(tsa_url: str, head: str) -> str | None:
    """An RFC 3161 token over SHA-256(head), from the agency's TSA; None (logged) if the TSA cannot be
    reached: the day is sealed untimestamped, and the next day's token, over a head that chains through
    it, still dates it. The request and the answer are asn1crypto's TimeStampReq and TimeStampResp over
    one HTTP POST (RFC 3161 section 3.4), not pyHanko's client: the hourly clean-up runs with the common
    layer alone (infra/package.py), and pyHanko lives in the documents layer."""
    import secrets
    import urllib.request

    from asn1crypto import algos

    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "hashed_message": hashlib.sha256(bytes.fromhex(head)).digest(),
            },
            "nonce": int.from_bytes(secrets.token_bytes(8), "big"),
            "cert_req": True,
        }
    )
    post = urllib.request.Request(  # noqa: S310 (the agency's configured TSA URL, http or https)
        tsa_url, data=request.dump(), headers={"Content-Type": "application/timestamp-query"}, method="POST"
    )
    try:
        with urllib.request.urlopen(post, timeout=10) as answer:  # noqa: S310 (as above)
            response = tsp.TimeStampResp.load(answer.read())
        if response["status"]["status"].native not in ("granted", "granted_with_mods"):
            raise ValueError(f"the TSA refused: {response['status']['status'].native}")
        token = response["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parse(tsp.TSTInfo)
        if info["nonce"].native != request["nonce"].native:
            raise ValueError("the TSA answered another request (nonce)")
    except (OSError, ValueError, KeyError, TypeError) as error:  # the seal stands untimestamped, logged
        logger.warning("audit seal not timestamped", extra={"tsa": tsa_url, "error": repr(error)})
        return None
    return base64.b64encode(token.dump()).decode()


def seal_due(*, now: datetime, agencies: list[tuple[str, str | None]]) -> int:
    """Seal every agency's days that have ended and are not sealed yet ((agency, its TSA) pairs)."""
    # A day is sealed an hour after it ends: a change begun before midnight and committed just after
    # still lands in the day it is dated, before that day is sealed.
    today = to_bangkok(now - SETTLE).date()
    sealed = 0
    for agency_id, tsa_url in agencies:
        try:
            sealed += _seal_agency(agency_id, tsa_url, today, now)
        except Exception as error:  # one agency's failure never stops the others' seals; logged
            logger.exception("audit seal failed", extra={"agency": agency_id, "error": repr(error)})
    return sealed


def _seal_agency(agency_id: str, tsa_url: str | None, today: date, now: datetime) -> int:
    sealed = 0
    last = store.last_seal(agency_id)
    day = date.fromisoformat(last.sk) + timedelta(days=1) if last else today - timedelta(days=LOOK_BACK_DAYS)
    previous = last.head if last else GENESIS
    while day < today:
        try:
            previous = seal(agency_id, day, previous=previous, tsa_url=tsa_url, now=now)
        except PutError:  # another run sealed it meanwhile: that run goes on from here
            logger.info("audit day sealed by another run", extra={"agency": agency_id, "day": str(day)})
            break
        sealed += 1
        day += timedelta(days=1)
    return sealed


def export(agency_id: str, since: date, until: date) -> dict[str, Any]:
    """The sealed days from `since` to `until`: each seal with its archived links, and the events as the
    table holds them now (what an auditor checks with `verify`)."""
    days = []
    for seal_item in store.seals(agency_id, since.isoformat(), until.isoformat()):
        # The first version written under the key: a later put only adds a version above the locked one.
        archived = json.loads(objects.archive_first_version(seal_item.file_key))
        days.append(
            {
                "day": archived["day"],
                "prev": archived["prev"],
                "head": archived["head"],
                "count": len(archived["links"]),
                "tst": archived.get("tst"),
                "links": archived["links"],
                "events": [
                    json.loads(canonical(item))
                    for item in _events(agency_id, date.fromisoformat(seal_item.sk))
                ],
            }
        )
    return {"agency": agency_id, "days": days}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    events: int
    days: int
    broken: str | None  # the first broken link, in words
    timestamped: int  # days whose head carries a matching RFC 3161 token


def verify(exported: dict[str, Any]) -> Verdict:
    """Check an export offline: each day continues from the one before, each event's link matches the
    archived one, each head is the last link and its timestamp token (where there is one) is over it."""
    previous: str | None = None
    events = timestamped = 0
    days = exported.get("days", [])
    for day in days:
        name = day["day"]
        if previous is not None and day["prev"] != previous:
            return Verdict(
                False,
                events,
                len(days),
                f"{name}: the day does not continue from the day before",
                timestamped,
            )
        head = day["prev"]
        archived = day["links"]
        for position, event in enumerate(day["events"]):
            head = link(
                head, json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
            )
            expected = archived[position] if position < len(archived) else None
            if expected is None or expected["sk"] != event["sk"] or expected["link"] != head:
                where = f"{name} #{position + 1} ({event['sk']}, {event['action']} {event['target']})"
                if expected is not None and expected["sk"] < event["sk"]:
                    where, why = f"{name} #{position + 1} ({expected['sk']})", "removed after the seal"
                elif expected is None or expected["sk"] != event["sk"]:
                    why = "added after the seal"
                else:
                    why = "changed"
                return Verdict(False, events, len(days), f"{where}: {why}", timestamped)
            events += 1
        if len(day["events"]) < len(archived):
            missing = archived[len(day["events"])]
            return Verdict(
                False, events, len(days), f"{name}: {missing['sk']} removed after the seal", timestamped
            )
        if head != day["head"]:
            return Verdict(False, events, len(days), f"{name}: the head does not match the seal", timestamped)
        if day.get("tst"):
            if not _token_covers(day["tst"], head):
                return Verdict(
                    False, events, len(days), f"{name}: the timestamp is not over the head", timestamped
                )
            timestamped += 1
        previous = head
    return Verdict(True, events, len(days), None, timestamped)


def _token_covers(token_b64: str, head: str) -> bool:
    """The RFC 3161 token's message imprint is SHA-256 of the head (the TSA's signature on the token is
    checked by whoever trusts that TSA; the imprint binds the token to this chain)."""
    from asn1crypto import cms

    content = cms.ContentInfo.load(base64.b64decode(token_b64))
    info = content["content"]["encap_content_info"]["content"].parse(tsp.TSTInfo)
    imprint = info["message_imprint"]
    return bool(imprint["hashed_message"].native == hashlib.sha256(bytes.fromhex(head)).digest())
