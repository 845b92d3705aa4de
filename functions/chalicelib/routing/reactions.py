"""The records stream drives the routes: a change to a route, to a document's signatures, to its
rendered file or sign job, or to an incoming letter's handling is followed up here (lifecycle.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.kernel import clock, keys
from chalicelib.kernel.log import logger
from chalicelib.routing import handling, service

_FOLLOWED = (keys.ROUTE_SK, keys.DOCUMENT_SK, keys.FILE_PREFIX, keys.SIGN_JOB_PREFIX)
_HANDLING = (keys.ENDORSEMENT_PREFIX, keys.ASSIGNMENT_PREFIX)


def react(record: Any) -> None:
    if record.dynamodb is None or record.event_name is None or record.event_name.name == "REMOVE":
        return
    image = record.dynamodb.new_image or {}
    pk, sk = str(image.get("pk", "")), str(image.get("sk", ""))
    if not keys.is_document_pk(pk):
        return
    agency_id, document_id = keys.document_of_pk(pk)
    if sk.startswith(_HANDLING):
        changed = handling.note_action(agency_id, document_id, now=clock.utcnow())
        logger.info("register action noted", extra={"document_id": document_id, "lines": changed})
    elif sk.startswith(_FOLLOWED):
        outcome = service.settle(agency_id, document_id, now=clock.utcnow())
        if outcome != "no-route":
            logger.info("route settled", extra={"document_id": document_id, "outcome": outcome})
