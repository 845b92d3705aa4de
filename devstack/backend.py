"""The embedded AWS backend: moto's server with one lock around each request.

moto is not safe under concurrent requests (counters lose updates, transactions interleave). With
one lock per request every request is atomic, as a DynamoDB item write or transaction is.

moto also deep-copies a whole table before each TransactWriteItems as its rollback backup, so a
transaction slows as the table grows (13 ms at 1,000 items, 330 ms at 20,000). Under the lock we
can do the same job item by item: keep the touched items and the stream length, restore them if
the transaction fails. Its Query likewise sorts the whole table to read one partition; we hand it the
partition. `python -m devstack.backend --port N` runs it on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import logging
import math
import threading
import types
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models import dynamo_type as dynamo_types
from moto.server import DomainDispatcherApplication, create_backend_app  # type: ignore[attr-defined]
from werkzeug.serving import WSGIRequestHandler, make_server

_REQUEST_LOCK = threading.Lock()
_original_transact = DynamoDBBackend.transact_write_items
_originals: dict[str, Any] = {}


class _NoTableCopy(types.ModuleType):
    """Stands in for `copy` inside moto's DynamoDB backend: tables are not copied whole."""

    def __init__(self) -> None:
        super().__init__("copy")

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        from moto.dynamodb.models.table import Table

        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    touched = []
    streams = {}
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table = self.tables.get(op.get("TableName", ""))
        if table is None:
            continue
        key = op.get("Key") or op.get("Item") or {}
        if table.hash_key_attr not in key:
            continue
        hash_key = dynamo_types.DynamoType(key[table.hash_key_attr])
        range_key = (
            dynamo_types.DynamoType(key[table.range_key_attr])
            if table.range_key_attr and table.range_key_attr in key
            else None
        )
        touched.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
        if table.stream_shard is not None:
            streams[id(table)] = (table.stream_shard, len(table.stream_shard.items))
    module: Any = __import__("moto.dynamodb.models", fromlist=["copy"])
    real_copy = module.copy
    module.copy = _NoTableCopy()
    try:
        _original_transact(self, transact_items)
    except Exception:
        for table, hash_key, range_key, before in reversed(touched):
            _restore(table, hash_key, range_key, before)
        for shard, length in streams.values():
            del shard.items[length:]
        raise
    finally:
        module.copy = real_copy


def _restore(table: Any, hash_key: Any, range_key: Any, before: Any) -> None:
    if range_key is None:
        if before is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = before
        return
    partition = table.items[hash_key]
    if before is None:
        partition.pop(range_key, None)
        if not partition:
            table.items.pop(hash_key, None)
    else:
        partition[range_key] = before


class _NoDelayHandler(WSGIRequestHandler):
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every request.
    disable_nagle_algorithm = True


def _query_one_partition(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    """moto's Query on the base table sorts every item of the table to find one partition (O(n log n)
    per query); DynamoDB reads only that partition. Offer moto just the partition's items."""
    original = _originals["query"]
    if kwargs.get("index_name") or (len(args) > 6 and args[6]) or not self.range_key_attr:
        return original(self, hash_key, *args, **kwargs)
    partition = self.items.get(hash_key, {})
    self.all_items = lambda: list(partition.values())
    try:
        return original(self, hash_key, *args, **kwargs)
    finally:
        del self.all_items


def install_patches() -> None:
    from moto.dynamodb.models.table import Table

    if "query" not in _originals:
        _originals["query"] = Table.query
        Table.query = _query_one_partition  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]


# -- the meter (bench/load_model.py): what the backend served, counted under the request lock -------------
METER_PATH = "/_devstack/meter"  # GET: the counters since the backend started
_meter: defaultdict[str, float] = defaultdict(float)
_current: dict[str, Any] = {}  # the DynamoDB request being served: {"op", "consistent"}
_READS = {"GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan"}
_WRITES = {"PutItem", "UpdateItem", "DeleteItem"}


def _read_units(size: int, *, consistent: bool, transactional: bool = False) -> float:
    """DynamoDB's read request units for `size` bytes read: 4 KB units; eventually consistent half,
    transactional double."""
    units = max(1, math.ceil(size / 4096))
    return units * (2.0 if transactional else 1.0 if consistent else 0.5)


def install_meter() -> None:
    """Read units from the items moto actually reads for a GetItem (full item size, as DynamoDB charges
    it whatever the projection), a BatchGetItem or TransactGetItems (per item) and a Query (every item
    the key condition reads, before the filter and the projection, rounded up to 4 KB per request).
    Scans are counted as requests only. Reads moto makes inside writes are not counted."""
    from moto.dynamodb.models.table import Table

    if "meter" in _originals:
        return
    _originals["meter"] = True
    query, get_item = Table.query, Table.get_item

    def metered_query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        if _current.get("op") != "Query" or len(args) < 9:
            return query(self, hash_key, *args, **kwargs)
        projection, consistent, condition = args[5], args[7], args[8]
        bare = (*args[:5], None, args[6], consistent, None, *args[9:])
        results, scanned, last = query(self, hash_key, *bare, **kwargs)
        _meter["dynamodb.items_read"] += len(results)
        _meter["dynamodb.read_units"] += _read_units(sum(r.size() for r in results), consistent=consistent)
        if condition is not None:
            results = [r for r in results if condition.expr(r)]
        if projection:
            results = [r.project(projection) for r in results]
        return results, scanned, last

    def metered_get(self: Any, hash_key: Any, range_key: Any = None, projection: Any = None) -> Any:
        op = _current.get("op")
        if op in ("GetItem", "BatchGetItem", "TransactGetItems"):
            whole = get_item(self, hash_key, range_key)
            _meter["dynamodb.items_read"] += 1 if whole is not None else 0
            _meter["dynamodb.read_units"] += _read_units(
                whole.size() if whole is not None else 0,
                consistent=bool(_current.get("consistent")),
                transactional=op == "TransactGetItems",
            )
        return get_item(self, hash_key, range_key, projection)

    Table.query = metered_query  # type: ignore[method-assign]
    Table.get_item = metered_get  # type: ignore[method-assign,assignment]


def metering(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """Counts, for the load model: DynamoDB requests by operation (and read units, install_meter),
    approximate write units (one 1 KB unit per item written, twice in a transaction), stream and queue
    batches handed to functions (a non-empty GetRecords or ReceiveMessage answer: one Lambda invocation
    each, as the event source mapping makes), and posts to WebSocket connections."""
    from devstack.iam import EXECUTE_API_PATH

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET") or "")
        service, _, op = target.partition(".")
        if environ.get("PATH_INFO", "").startswith(EXECUTE_API_PATH) and environ["REQUEST_METHOD"] == "POST":
            _meter["push.posts"] += 1
        if service.startswith("DynamoDB_"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(raw)
            body = json.loads(raw or b"{}")
            _meter[f"dynamodb.{op}"] += 1
            if op in _READS:
                tables = body.get("RequestItems") or {}
                consistent = body.get("ConsistentRead") or any(
                    isinstance(t, dict) and t.get("ConsistentRead") for t in tables.values()
                )
                _current.update(op=op, consistent=bool(consistent))
            elif op in _WRITES:
                _meter["dynamodb.write_units_approx"] += 1
            elif op == "BatchWriteItem":
                _meter["dynamodb.write_units_approx"] += sum(len(v) for v in body["RequestItems"].values())
            elif op == "TransactWriteItems":
                _meter["dynamodb.write_units_approx"] += 2 * len(body.get("TransactItems", []))
            try:
                return [b"".join(app(environ, start_response))]
            finally:
                _current.clear()
        if op not in ("GetRecords", "ReceiveMessage"):
            return app(environ, start_response)
        answer = b"".join(app(environ, start_response))
        try:
            records = json.loads(answer or b"{}").get("Records" if op == "GetRecords" else "Messages") or []
        except ValueError:
            records = []
        if records:
            kind = "stream" if op == "GetRecords" else "sqs"
            _meter[f"lambda.{kind}_batches"] += 1
            _meter[f"lambda.{kind}_records"] += len(records)
        return [answer]

    return serve


def locked(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with _REQUEST_LOCK:
            result = app(environ, start_response)
            try:
                return [b"".join(result)]  # the whole response is produced inside the lock
            finally:
                close = getattr(result, "close", None)
                if close:
                    close()

    return serve


MAIL_PATH = "/_devstack/ses"  # GET: the e-mail SES "sent" (tests and `eoffice mail sent` read it)


def sent_mail() -> list[dict[str, Any]]:
    """What SES kept: simple messages as they are, raw (MIME) messages read with the e-mail package."""
    from email import message_from_string, policy

    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    found = []
    for region in ses_backends[DEFAULT_ACCOUNT_ID]:
        for message in ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages:
            raw = getattr(message, "raw_data", None)
            if raw is not None:
                parsed = message_from_string(raw, policy=policy.default)
                text = parsed.get_body(preferencelist=("plain",))
                found.append(
                    {
                        "id": message.id,
                        "from": str(parsed["From"] or ""),
                        "to": [str(parsed["To"] or "")],
                        "subject": str(parsed["Subject"] or ""),
                        "body": text.get_content() if text is not None else "",
                        "attachments": [part.get_filename() for part in parsed.iter_attachments()],
                    }
                )
                continue
            found.append(
                {
                    "id": message.id,
                    "from": getattr(message, "source", ""),
                    "to": (getattr(message, "destinations", None) or {}).get("ToAddresses", []),
                    "subject": getattr(message, "subject", ""),
                    "body": getattr(message, "body", ""),
                    "attachments": [],
                }
            )
    return found


def local_views(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """What the local stack shows of itself beside the AWS APIs: the mail SES would have sent."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == MAIL_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "application/json; charset=utf-8")])
            return [json.dumps(sent_mail(), ensure_ascii=False).encode()]
        if environ.get("PATH_INFO") == METER_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(dict(_meter)).encode()]
        return app(environ, start_response)

    return serve


def execute_api(app: Callable[..., Iterable[bytes]], gateway_url: str) -> Callable[..., Iterable[bytes]]:
    """The local WebSocket API's management API (post_to_connection) at
    /_devstack/execute-api/<api>/<stage>/@connections/<id>: past IAM (the caller's role must allow
    execute-api:ManageConnections on the connection), forwarded to the gateway
    (devstack/websocket_gateway.py), which holds the sockets."""
    import requests

    from devstack.iam import EXECUTE_API_PATH

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(EXECUTE_API_PATH):
            return app(environ, start_response)
        _, _, rest = path.removeprefix(EXECUTE_API_PATH).partition("/")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        answer = requests.request(environ["REQUEST_METHOD"], f"{gateway_url}/{rest}", data=body, timeout=10)
        kept = {"content-type", "x-amzn-errortype"}  # what botocore reads of an answer
        start_response(
            f"{answer.status_code} {answer.reason}",
            [(k, v) for k, v in answer.headers.items() if k.lower() in kept],
        )
        return [answer.content]

    return serve


def serve(
    port: int,
    ready: threading.Event | None = None,
    *,
    enforce_iam: bool = False,
    execute_api_url: str | None = None,
) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    install_patches()
    install_meter()
    app: Any = DomainDispatcherApplication(create_backend_app)
    if execute_api_url:  # the local WebSocket API (after IAM, like any AWS API)
        app = execute_api(app, execute_api_url)
    if enforce_iam:  # as AWS decides it: devstack/iam.py
        from devstack.iam import enforcing

        app = enforcing(app)
    app = metering(app)
    server = make_server(
        "127.0.0.1", port, locked(local_views(app)), threaded=True, request_handler=_NoDelayHandler
    )
    if ready is not None:
        ready.set()
    print(f"backend listening on http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description="embedded AWS backend (moto) for the local stack")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--enforce-iam",
        action="store_true",
        help="refuse what the caller's role may not do (devstack/iam.py)",
    )
    parser.add_argument(
        "--execute-api-url",
        default=None,
        help="the local WebSocket API's management API, which /_devstack/execute-api/ forwards to",
    )
    args = parser.parse_args()
    serve(args.port, enforce_iam=args.enforce_iam, execute_api_url=args.execute_api_url)


if __name__ == "__main__":
    main()
