"""Serve the test PKI's OCSP responders, CRLs and TSA over real HTTP on 127.0.0.1.

    with start_pki_server(DEMO_AGENCIES, signer_keys) as server:   # port 0 = any free port
        server.pki.tsa_url  # http://127.0.0.1:<port>/eoffice-test/tsa/tsa

The socket is bound before the PKI is built, so the URLs inside the certificates name the real port.
Runs certomancer's WSGI Animator on werkzeug's threaded server in a daemon thread of the caller's process.
For tests that want no socket at all, `illusionist(pki)` gives certomancer's in-process aiohttp variant.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from certomancer.integrations.aiohttp_illusionist import AsyncIllusionist
from certomancer.integrations.animator import Animator, AnimatorArchStore
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from devstack.pki.build import DEMO_AGENCIES, Agency, LocalPki, SignerKey, build_pki
from devstack.pki.keys import KeyAlgorithm

DEFAULT_PORT = 9780


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class _LateApp:
    """WSGI app whose target is set after the socket is bound (the URLs need the port)."""

    def __init__(self) -> None:
        self.target: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.target(environ, start_response)


def animator(pki: LocalPki, at_time: datetime | None = None) -> Animator:
    """certomancer's WSGI app for this PKI (no web UI, no time override header)."""
    store = AnimatorArchStore({pki.arch.arch_label: pki.arch})
    return Animator(store, at_time=at_time, with_web_ui=False, allow_time_override=False)


def illusionist(pki: LocalPki, at_time: datetime | None = None) -> AsyncIllusionist:
    """In-process alternative: `async with illusionist(pki).serving_session() as session:` routes every host
    to an aiohttp test server; hand `session` to the timestamper and fetcher backend."""
    return AsyncIllusionist(pki.arch, at_time=at_time)


@dataclass
class PkiServer:
    pki: LocalPki
    host: str
    port: int
    _server: BaseWSGIServer
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> PkiServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def start_pki_server(
    agencies: Sequence[Agency] = DEMO_AGENCIES,
    kms_public_keys: Iterable[SignerKey] = (),
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    cache_dir: Path | None = None,
    ca_key_algorithm: KeyAlgorithm = "ec-p256",
) -> PkiServer:
    """Bind host:port (0 = pick a free port), build the PKI with URLs pointing there, serve it in a thread."""
    app = _LateApp()
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    try:
        bound_port = server.server_port
        pki = build_pki(
            agencies,
            kms_public_keys,
            url_prefix=f"http://{host}:{bound_port}",
            cache_dir=cache_dir,
            ca_key_algorithm=ca_key_algorithm,
        )
        app.target = animator(pki)
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, name=f"pki-http-{bound_port}", daemon=True)
    thread.start()
    return PkiServer(pki=pki, host=host, port=bound_port, _server=server, _thread=thread)
