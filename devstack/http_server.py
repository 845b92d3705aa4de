"""The local HTTP API: Chalice's LocalDevServer, made safe for concurrent requests.

Chalice keeps `current_request` and `lambda_context` on the app object (`Chalice.__call__` sets
both; views read them through the app or a Blueprint, which proxies to its app). On Lambda one
container runs one request at a time, so that is fine there; the local server runs a thread per
connection, so two requests in flight would see each other's token, body and headers. Here each
thread gets its own copy of both attributes, the listen backlog fits bursts of clients, and a
method the server has no handler for is answered with a 405 problem instead of a bare 501 page.
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import HTTPServer
from typing import Any, ClassVar
from urllib.parse import urlsplit

from chalice.app import Chalice, Request
from chalice.config import Config
from chalice.local import ChaliceRequestHandler, LocalDevServer, RouteMatcher, ThreadedHTTPServer

PROBLEM_JSON = "application/problem+json; charset=utf-8"
# What a refused request may carry that is read and dropped to keep the connection; more closes it.
MAX_DISCARDED_BODY = 1024 * 1024


class _RequestState(threading.local):
    """One per thread: the class attributes are every new thread's starting values."""

    current_request: Request | None = None
    lambda_context: Any = None


class PerThreadRequestState:
    """Put ahead of the app's own class (see `per_thread_request_state`): its data descriptors
    win over the instance attributes Chalice would otherwise share between threads."""

    _request_state: ClassVar[_RequestState]

    @property
    def current_request(self) -> Request | None:
        return type(self)._request_state.current_request

    @current_request.setter
    def current_request(self, value: Request | None) -> None:
        type(self)._request_state.current_request = value

    @property
    def lambda_context(self) -> Any:
        return type(self)._request_state.lambda_context

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        type(self)._request_state.lambda_context = value


def per_thread_request_state(app: Chalice) -> Chalice:
    """Give `app` (in place) a per-thread `current_request` and `lambda_context`.

    Only the class of this one object changes: `isinstance(app, Chalice)` and the app's own class
    still hold, routes and handlers are untouched, and the functions/ code needs no change."""
    if isinstance(app, PerThreadRequestState):
        return app
    cls = type(app)
    app.__class__ = type(
        f"PerThread{cls.__name__}",
        (PerThreadRequestState, cls),
        {"_request_state": _RequestState(), "__module__": __name__},
    )
    # Values set before the swap would otherwise be shadowed yet linger; the properties start at None.
    vars(app).pop("current_request", None)
    vars(app).pop("lambda_context", None)
    return app


class ApiHTTPServer(ThreadedHTTPServer):
    # http.server listens with a backlog of 5: a burst of clients (the benchmark runs 16, the
    # tests 64) overflowed it, and the kernel dropped connects (a 1 s SYN retry, or a reset).
    request_queue_size = 256


class ApiRequestHandler(ChaliceRequestHandler):
    # Without TCP_NODELAY the split header/body writes cost ~40 ms per request (delayed ACK).
    disable_nagle_algorithm = True

    def __init__(
        self,
        request: bytes,
        client_address: tuple[str, int],
        server: HTTPServer,
        app_object: Chalice,
        config: Config,
    ) -> None:
        self._app_routes = app_object.routes  # set first: the base __init__ serves the connection
        super().__init__(request, client_address, server, app_object, config)

    def _serve(self) -> None:
        """The API under /v1 (the app, as API Gateway would call it); the web application elsewhere
        (devstack/web.py)."""
        from devstack import web

        if not web.is_web_path(self.path):
            self._generic_handle()
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, web.MAX_SIGN_IN_BODY + 1)) if length else None
        port = int(self.server.server_address[1])
        status, headers, content = web.answer(self.command, self.path, self.headers, body, port=port)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        if length > web.MAX_SIGN_IN_BODY:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _serve

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if hasattr(self, f"do_{self.command}"):
            return True
        # Otherwise http.server would answer 501 with an HTML page; returning False ends the request.
        self._refuse_method()
        return False

    def _server_methods(self) -> list[str]:
        return sorted(name[3:] for name in dir(self) if name.startswith("do_"))

    def _allowed_methods(self, path: str) -> list[str]:
        try:
            route = RouteMatcher(list(self._app_routes)).match_route(path).route
        except ValueError:
            return self._server_methods()
        # The local gateway answers OPTIONS (CORS preflight) for every route itself.
        return sorted({*self._app_routes[route], "OPTIONS"})

    def _discard_body(self) -> bool:
        """Read and drop the request's body; False when the connection cannot be kept."""
        if self.headers.get("Transfer-Encoding"):
            return False
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return False
        if not 0 <= length <= MAX_DISCARDED_BODY:
            return False
        if length:
            self.rfile.read(length)
        return True

    def _refuse_method(self) -> None:
        keep = self._discard_body()
        path = urlsplit(self.path).path
        method = self.command[:64]
        body = json.dumps(
            {
                "type": "https://eoffice.go.th/problems/method-not-allowed",
                "status": 405,
                "title": "Method not allowed",
                "detail": f"the method {method} is not supported here",
                "title_th": "ไม่รองรับวิธีการเรียกนี้",
                "detail_th": f"ระบบไม่รองรับการเรียกด้วยเมธอด {method} ที่ตำแหน่งนี้",
                "code": "method-not-allowed",
                "instance": path,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Content-Type", PROBLEM_JSON)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Allow", ", ".join(self._allowed_methods(path)))
        if not keep:
            self.send_header("Connection", "close")  # also sets close_connection
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


def start_api_server(app: Chalice, config: Config, host: str, port: int) -> LocalDevServer:
    """Build the local API server and serve it on a daemon thread (`.server.shutdown()` stops it)."""
    server = LocalDevServer(
        per_thread_request_state(app),
        config,
        host,
        port,
        handler_cls=ApiRequestHandler,
        server_cls=ApiHTTPServer,
    )
    threading.Thread(target=server.server.serve_forever, name="api", daemon=True).start()
    return server
