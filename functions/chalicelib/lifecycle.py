"""Lifecycle handler: the records table's stream, dispatched to every module that reacts to changes.

Each reaction looks at one stream record and acts or ignores it; a new reaction (routing, exchange,
archive) is one line in REACTIONS. A failing record is retried and, in the end, sent to the
stream-failures queue (the on-failure destination), without holding back the rest of its batch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.kernel import batch
from chalicelib.notifications import service as notifications
from chalicelib.push import service as push
from chalicelib.registers import receipts
from chalicelib.routing import reactions as routing

Reaction = Callable[[Any], None]
REACTIONS: tuple[Reaction, ...] = (receipts.react, routing.react, notifications.react, push.react)


def _record(record: Any) -> None:
    for reaction in REACTIONS:
        reaction(record)


handle = batch.stream_handler(_record)
