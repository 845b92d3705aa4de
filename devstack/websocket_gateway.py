"""The local WebSocket API: what API Gateway's WebSocket API does in AWS, done on 127.0.0.1.

- Browsers connect to ``ws://127.0.0.1:<port>``. Each connection gets an id, and its $connect event goes
  to the app's connect handler (the ``websocket_connect`` function, in its own process with its own
  role: devstack/function.py); a non-200 answer refuses the handshake with that status, a 200 answer's
  ``Sec-WebSocket-Protocol`` header goes back to the browser, as API Gateway does. Messages go to
  ``websocket_message`` ($default), the close to ``websocket_disconnect``.
- The management API (``post_to_connection``, ``get_connection``, ``delete_connection``) is served on a
  second port at API Gateway's paths, ``/<stage>/@connections/<id>``; a connection that is not open
  answers 410 GoneException. The functions do not call it here directly: their client's endpoint is the
  embedded backend (``/_devstack/execute-api/<api>/<stage>``), which decides IAM as AWS does
  (devstack/iam.py: ``execute-api:ManageConnections`` on the connection's ARN) and forwards the call
  here (devstack/backend.py). So the functions' code is the production code; only the URL differs.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

log = logging.getLogger("devstack.websocket")

# Chalice names the WebSocket API's three functions by route (chalice/deploy/appgraph.py).
FUNCTIONS = {"$connect": "websocket_connect", "$disconnect": "websocket_disconnect"}
MESSAGE_FUNCTION = "websocket_message"
INVOKE_TIMEOUT = 30


def function_for(route_key: str) -> str:
    return FUNCTIONS.get(route_key, MESSAGE_FUNCTION)


def handlers_of(app: Any, module: Any) -> dict[str, Callable[[dict[str, Any], Any], Any]]:
    """The app's WebSocket handlers by function name, as Lambda would call them (event, context)."""
    return {
        function_for(config.route_key_handled): getattr(module, config.handler_string.rsplit(".", 1)[-1])
        for config in app.websocket_handlers.values()
    }


# -- a WebSocket function's process: Lambda's Invoke, over local HTTP -----------------------------------
def serve_invocations(
    function_name: str, handler: Callable[[dict[str, Any], Any], Any]
) -> ThreadingHTTPServer:
    """POST an event, get the handler's answer: one invocation at a time, as one Lambda instance."""
    from devstack.pump import LambdaContext

    lock = threading.Lock()

    class Invoke(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            event = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            with lock:
                try:
                    answer = handler(event, LambdaContext(function_name=function_name))
                    status = HTTPStatus.OK
                except Exception:
                    log.exception("%s raised", function_name)
                    answer, status = {"errorMessage": "the handler raised"}, HTTPStatus.BAD_GATEWAY
            body = json.dumps(answer, default=str).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Invoke)
    threading.Thread(target=server.serve_forever, name=f"invoke:{function_name}", daemon=True).start()
    return server


# -- the gateway ---------------------------------------------------------------------------------------
class Gateway:
    def __init__(self, api_id: str, stage: str, region: str) -> None:
        self.api_id = api_id
        self.stage = stage
        self.region = region
        self._invoke: dict[str, str] = {}  # function name -> its process's invoke URL
        self._open: dict[str, tuple[ServerConnection, float]] = {}  # connection id -> (socket, since)
        self._ids: dict[uuid.UUID, str] = {}  # the socket's own id -> our connection id
        self._protocols: dict[uuid.UUID, str] = {}  # the subprotocol the connect handler chose
        self._lock = threading.Lock()
        self._server: Server | None = None
        self._management: ThreadingHTTPServer | None = None
        self.port = 0

    # what the stack wires
    def wire(self, invoke_urls: dict[str, str]) -> None:
        self._invoke = dict(invoke_urls)

    def start(self, port: int, management_port: int) -> None:
        options: dict[str, Any] = {
            "process_request": self._handshake,
            "select_subprotocol": self._subprotocol,
            "compression": None,
        }
        try:
            self._server = serve(self._connected, "127.0.0.1", port, **options)
        except OSError:  # the port next to the API was taken since it was chosen: any free one
            self._server = serve(self._connected, "127.0.0.1", 0, **options)
        self.port = int(self._server.socket.getsockname()[1])
        threading.Thread(target=self._server.serve_forever, name="websocket", daemon=True).start()
        self._management = ThreadingHTTPServer(("127.0.0.1", management_port), self._management_handler())
        threading.Thread(
            target=self._management.serve_forever, name="websocket-management", daemon=True
        ).start()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._management is not None:
            self._management.shutdown()

    # the events API Gateway sends
    def _event(self, route_key: str, connection_id: str, **extra: Any) -> dict[str, Any]:
        kinds = {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}
        return {
            "requestContext": {
                "routeKey": route_key,
                "eventType": kinds.get(route_key, "MESSAGE"),
                "connectionId": connection_id,
                "apiId": self.api_id,
                "stage": self.stage,
                "domainName": "127.0.0.1",
                "requestId": uuid.uuid4().hex,
                "requestTimeEpoch": int(time.time() * 1000),
                "identity": {"sourceIp": "127.0.0.1"},
            },
            "isBase64Encoded": False,
            **extra,
        }

    def _call(self, route_key: str, event: dict[str, Any]) -> dict[str, Any]:
        url = self._invoke.get(function_for(route_key))
        if url is None:
            return {"statusCode": 200}  # the app has no handler for this route
        answer = requests.post(url, json=event, timeout=INVOKE_TIMEOUT)
        if answer.status_code != HTTPStatus.OK:
            return {"statusCode": 500}
        found: dict[str, Any] = answer.json() or {}
        return found

    def _handshake(self, connection: ServerConnection, request: Request) -> Response | None:
        connection_id = secrets.token_urlsafe(10)
        headers = {name: value for name, value in request.headers.raw_items()}
        split = urlsplit(request.path)
        query = dict(part.split("=", 1) for part in split.query.split("&") if "=" in part) or None
        answer = self._call(
            "$connect",
            self._event(
                "$connect",
                connection_id,
                headers=headers,
                multiValueHeaders={k: [v] for k, v in headers.items()},
                queryStringParameters=query,
            ),
        )
        status = int(answer.get("statusCode", 200))
        if status != HTTPStatus.OK:
            refusal = connection.respond(status, str(answer.get("body") or HTTPStatus(status).phrase))
            refusal.headers["Content-Type"] = "application/problem+json; charset=utf-8"
            return refusal
        with self._lock:
            self._ids[connection.id] = connection_id
            chosen = (answer.get("headers") or {}).get("Sec-WebSocket-Protocol")
            if chosen:
                self._protocols[connection.id] = str(chosen)
        return None

    def _subprotocol(self, connection: ServerConnection, offered: Any) -> Any:
        """The subprotocol the connect handler answered with (API Gateway passes its header on)."""
        with self._lock:
            return self._protocols.pop(connection.id, None)

    def _connected(self, connection: ServerConnection) -> None:
        with self._lock:
            connection_id = self._ids.pop(connection.id)
            self._open[connection_id] = (connection, time.time())
        try:
            for message in connection:
                text = message if isinstance(message, str) else message.decode("utf-8", "replace")
                self._call("$default", self._event("$default", connection_id, body=text))
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._open.pop(connection_id, None)
            self._call(
                "$disconnect",
                self._event(
                    "$disconnect",
                    connection_id,
                    disconnectStatusCode=connection.close_code or 1006,
                    disconnectReason=connection.close_reason or "",
                ),
            )

    # the management API
    def _management_handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Management(BaseHTTPRequestHandler):
            def _connection(self) -> tuple[str, ServerConnection | None, float]:
                parts = urlsplit(self.path).path.strip("/").split("/")
                if len(parts) != 3 or parts[0] != gateway.stage or parts[1] != "@connections":
                    return "", None, 0.0
                connection_id = unquote(parts[2])
                with gateway._lock:
                    found = gateway._open.get(connection_id)
                return connection_id, (found[0] if found else None), (found[1] if found else 0.0)

            def _reply(
                self, status: int, body: dict[str, Any] | None = None, error: str | None = None
            ) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if error:
                    self.send_header("x-amzn-ErrorType", error)
                self.end_headers()
                self.wfile.write(data)

            def _gone(self, connection_id: str) -> None:
                self._reply(
                    HTTPStatus.GONE, {"message": f"connection {connection_id} is gone"}, "GoneException"
                )

            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                connection_id, connection, _ = self._connection()
                if connection is None:
                    self._gone(connection_id)
                    return
                try:
                    connection.send(data.decode("utf-8", "replace"))
                except ConnectionClosed:
                    self._gone(connection_id)
                    return
                self._reply(HTTPStatus.OK)

            def do_DELETE(self) -> None:
                connection_id, connection, _ = self._connection()
                if connection is None:
                    self._gone(connection_id)
                    return
                connection.close()
                self._reply(HTTPStatus.NO_CONTENT)

            def do_GET(self) -> None:
                connection_id, connection, since = self._connection()
                if connection is None:
                    self._gone(connection_id)
                    return
                connected = datetime.fromtimestamp(since, UTC).isoformat()
                self._reply(
                    HTTPStatus.OK,
                    {
                        "connectedAt": connected,
                        "lastActiveAt": connected,
                        "identity": {"sourceIp": "127.0.0.1"},
                    },
                )

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Management
