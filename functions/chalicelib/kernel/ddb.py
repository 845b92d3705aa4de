"""DynamoDB plumbing every store shares: the table binding, one connection, get-or-none, partition
reads, and the transaction collector.

The collector is the unit of work of a use case that writes across modules: each module's store adds
its parts (a put, an update, a condition check), each with a label; the use case commits them in one
TransactWriteItems. When DynamoDB cancels it, the reasons come back per item in the order PynamoDB
sent them (condition checks, deletes, puts, then updates, whatever the call order), so the collector
keeps the labels in that order and reports `{label: reason}`: the store can tell a lost race on the
counter from a stale document.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from pynamodb.attributes import UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactGet, TransactWrite

from chalicelib.kernel.settings import Settings, get_settings

M = TypeVar("M", bound=Model)


class Record(Model):
    """Base of every item in the records table (bound to the configured table by `bind`)."""

    class Meta:
        table_name = "eoffice-local-records"
        region = "ap-southeast-7"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)

    registry: ClassVar[list[type[Record]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Record.registry.append(cls)  # every item class of every module: `bind` points them at the table


def bind(settings: Settings | None = None) -> None:
    """Point every item class at the configured table and region (and drop cached connections)."""
    settings = settings or get_settings()
    for model in Record.registry:
        model.Meta.table_name = settings.records_table
        model.Meta.region = settings.region
        model._connection = None
    with _connection_lock:
        _connections.clear()


_connection_lock = threading.Lock()
_connections: dict[str, Connection] = {}


def connection() -> Connection:
    """One connection per region for transactions: creating one loads botocore's model (~10 ms)."""
    region = get_settings().region
    with _connection_lock:
        if region not in _connections:
            _connections[region] = Connection(region=region)
            _connections[region].client  # noqa: B018 (create the client once, under the lock)
        return _connections[region]


def get_or_none[M: Model](model: type[M], pk: str, sk: str, *, consistent: bool = True) -> M | None:
    try:
        return model.get(pk, sk, consistent_read=consistent)
    except model.DoesNotExist:
        return None


def partition(
    pk: str, *, consistent: bool = False, sort_key_condition: Any = None
) -> Iterator[dict[str, Any]]:
    """Every raw item of a partition, page by page (a store sorts them out by sort-key prefix)."""
    start: dict[str, Any] | None = None
    conn = Record._get_connection()
    while True:
        page = conn.query(
            pk, consistent_read=consistent, range_key_condition=sort_key_condition, exclusive_start_key=start
        )
        yield from page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return


def sort_key(raw: dict[str, Any]) -> str:
    return str(raw["sk"]["S"])


def read_many(*wanted: tuple[type[Model], str, str]) -> list[Any]:
    """Several items in one TransactGetItems (one round trip, one consistent snapshot); None for absent."""
    with TransactGet(connection=connection()) as tx:
        futures = [tx.get(model, pk, sk) for model, pk, sk in wanted]
    found: list[Any] = []
    for future, (model, _, _) in zip(futures, wanted, strict=True):
        try:
            found.append(future.get())
        except model.DoesNotExist:
            found.append(None)
    return found


class Cancelled(Exception):
    """DynamoDB cancelled the transaction. `reasons` maps each failed part's label to its code;
    `items` holds the item a failed condition returned (where the part asked for it)."""

    def __init__(self, reasons: dict[str, str], items: dict[str, dict[str, Any]], conflict: bool) -> None:
        super().__init__(reasons)
        self.reasons = reasons
        self.items = items
        self.conflict = conflict  # another transaction was writing the same items

    def failed(self, label: str) -> bool:
        return self.reasons.get(label) == "ConditionalCheckFailed"


@dataclass
class Transaction:
    """Collects one use case's writes; `commit` writes them all or none."""

    _checks: list[tuple[str, Callable[[TransactWrite], None]]] = field(default_factory=list)
    _deletes: list[tuple[str, Callable[[TransactWrite], None]]] = field(default_factory=list)
    _puts: list[tuple[str, Callable[[TransactWrite], None]]] = field(default_factory=list)
    _updates: list[tuple[str, Callable[[TransactWrite], None]]] = field(default_factory=list)

    def put(self, label: str, item: Model, *, condition: Any = None) -> None:
        self._puts.append((label, lambda tx: tx.save(item, condition=condition)))

    def update(
        self, label: str, item: Model, actions: list[Any], *, condition: Any = None, return_old: bool = False
    ) -> None:
        values = "ALL_OLD" if return_old else None
        self._updates.append(
            (label, lambda tx: tx.update(item, actions=actions, condition=condition, return_values=values))
        )

    def delete(self, label: str, item: Model, *, condition: Any = None) -> None:
        self._deletes.append((label, lambda tx: tx.delete(item, condition=condition)))

    def check(self, label: str, model: type[Model], pk: str, sk: str, condition: Any) -> None:
        self._checks.append((label, lambda tx: tx.condition_check(model, pk, sk, condition=condition)))

    def commit_unless_refused(self, label: str) -> bool:
        """Commit; False (nothing written) when the condition on the part `label` failed: the
        "only once" writes (settle a file, queue a job, cancel an entry) tell a repeat from an error."""
        try:
            self.commit()
        except Cancelled as cancelled:
            if cancelled.failed(label):
                return False
            raise
        return True

    def commit(self) -> None:
        # PynamoDB sends condition checks, deletes, puts, then updates: label the reasons in that order.
        ordered = self._checks + self._deletes + self._puts + self._updates
        try:
            with TransactWrite(connection=connection()) as tx:
                for _, add in ordered:
                    add(tx)
        except TransactWriteError as error:
            labels = [label for label, _ in ordered]
            reasons: dict[str, str] = {}
            items: dict[str, dict[str, Any]] = {}
            for label, reason in zip(labels, error.cancellation_reasons, strict=False):
                if reason is None or not reason.code or reason.code == "None":
                    continue
                reasons.setdefault(label, reason.code)
                if reason.raw_item:
                    items.setdefault(label, dict(reason.raw_item))
            conflict = (
                error.cause_response_code
                in (
                    "TransactionConflictException",
                    "TransactionInProgressException",
                )
                or "TransactionConflict" in reasons.values()
            )
            raise Cancelled(reasons, items, conflict) from error
