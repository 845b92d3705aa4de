"""The web application beside the API on the local stack: `eoffice dev` serves the built SPA (web/dist)
at every path outside /v1, with the headers production sets at CloudFront (a strict Content-Security-
Policy among them), `/config.json` telling the SPA to sign in locally, and `/local/sign-in` and
`/local/refresh` against the embedded identity provider (Cognito's own USER_PASSWORD_AUTH, unsigned as
a browser would call it). Production has none of the /local routes: the SPA uses the Cognito hosted UI."""

from __future__ import annotations

import functools
import gzip
import json
import mimetypes
import os
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DIST = Path(os.environ.get("EOFFICE_WEB_DIST", ROOT / "web" / "dist"))
MAX_SIGN_IN_BODY = 4096
# What CloudFront adds in production (infra: the web distribution's response headers policy).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".woff2": "font/woff2"}


def is_web_path(path: str) -> bool:
    """Everything but the API and the gateway's own OPTIONS belongs to the web application."""
    route = urlsplit(path).path
    return not (route == "/v1" or route.startswith("/v1/"))


def answer(
    method: str, path: str, headers: Any, body: bytes | None, *, port: int
) -> tuple[int, dict[str, str], bytes]:
    route = urlsplit(path).path
    if route == "/config.json" and method in ("GET", "HEAD"):
        return _json(HTTPStatus.OK, {"mode": "local", "push": _push_url(port)})
    if route in ("/local/sign-in", "/local/refresh"):
        if method != "POST":
            return _json(HTTPStatus.METHOD_NOT_ALLOWED, {"detail": "POST only"})
        return _sign_in(route, body or b"")
    if method not in ("GET", "HEAD"):
        return _json(HTTPStatus.METHOD_NOT_ALLOWED, {"detail": "the web application is read with GET"})
    accepted = str(headers.get("Accept-Encoding", "")) if headers is not None else ""
    return _static(route, gzip_ok="gzip" in accepted)


def _push_url(port: int) -> str:
    """The stack's WebSocket API (push), as the stack wrote it down when it was ready."""
    from devstack.stack import state_path

    path = state_path(port)
    return str(json.loads(path.read_text(encoding="utf-8")).get("websocket_url", "")) if path.exists() else ""


def _static(route: str, *, gzip_ok: bool) -> tuple[int, dict[str, str], bytes]:
    if not (DIST / "index.html").is_file():
        text = "The web application is not built: `npm ci && npm run build` in web/ (scripts/bootstrap.sh)."
        return HTTPStatus.NOT_FOUND, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()
    wanted = (DIST / unquote(route).lstrip("/")).resolve()
    inside = wanted.is_relative_to(DIST.resolve())
    if not inside or not wanted.is_file():
        # A route of the SPA (/documents/...): its one page; a missing asset is a 404, not the page.
        if "." in route.rsplit("/", 1)[-1]:
            return HTTPStatus.NOT_FOUND, {"Content-Type": "text/plain"}, b"not found"
        wanted = DIST / "index.html"
    kind = TYPES.get(wanted.suffix) or mimetypes.guess_type(wanted.name)[0] or "application/octet-stream"
    if kind.startswith("text/") and "charset" not in kind:
        kind += "; charset=utf-8"
    headers = {"Content-Type": kind, **SECURITY_HEADERS, "Content-Security-Policy": _policy()}
    # Hashed assets never change; the page itself is always asked for again.
    headers["Cache-Control"] = "public, max-age=31536000, immutable" if "/assets/" in route else "no-cache"
    body = wanted.read_bytes()
    if gzip_ok and kind.startswith(COMPRESSED) and len(body) > 1024:  # as CloudFront compresses them
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        body = _gzipped(wanted, wanted.stat().st_mtime_ns)
    return HTTPStatus.OK, headers, body


COMPRESSED = ("text/", "application/json", "image/svg+xml")


@functools.lru_cache(maxsize=256)
def _gzipped(path: Path, _mtime: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def _policy() -> str:
    """The page may also post uploads to the files bucket (a presigned POST, straight from the browser):
    its origin joins connect-src; locally that is the embedded backend's (in AWS, the bucket's)."""
    endpoint = urlsplit(os.environ.get("AWS_ENDPOINT_URL", ""))
    if not (endpoint.scheme and endpoint.netloc):
        return SECURITY_HEADERS["Content-Security-Policy"]
    bucket_origin = f"{endpoint.scheme}://{endpoint.netloc}"
    return SECURITY_HEADERS["Content-Security-Policy"].replace(
        "connect-src 'self'", f"connect-src 'self' {bucket_origin}"
    )


def _sign_in(route: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    if len(body) > MAX_SIGN_IN_BODY:
        return _json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"detail": "too large"})
    try:
        given = json.loads(body or b"{}")
    except ValueError:
        return _json(HTTPStatus.BAD_REQUEST, {"detail": "not JSON"})
    if not isinstance(given, dict):
        return _json(HTTPStatus.BAD_REQUEST, {"detail": "not an object"})
    client_id = os.environ["EOFFICE_OIDC_AUDIENCE"]
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        region_name=os.environ.get("AWS_REGION", "ap-southeast-7"),
        config=Config(signature_version=UNSIGNED),  # as a browser calls Cognito: no AWS credentials
    )
    try:
        if route == "/local/sign-in":
            credentials = {
                "USERNAME": str(given.get("username", ""))[:128],
                "PASSWORD": str(given.get("password", ""))[:256],
            }
            result = cognito.initiate_auth(
                ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=credentials
            )
        else:
            refresh = {"REFRESH_TOKEN": str(given.get("refresh_token", ""))[:8192]}
            result = cognito.initiate_auth(
                ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh
            )
    except cognito.exceptions.NotAuthorizedException:
        return _json(HTTPStatus.UNAUTHORIZED, {"detail": "bad credentials"})
    except cognito.exceptions.UserNotFoundException:
        return _json(HTTPStatus.UNAUTHORIZED, {"detail": "bad credentials"})
    tokens = result["AuthenticationResult"]
    return _json(
        HTTPStatus.OK,
        {
            "id_token": tokens["IdToken"],
            "refresh_token": tokens.get("RefreshToken"),
            "expires_in": tokens.get("ExpiresIn", 3600),
        },
    )


def _json(status: int, value: Any) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}
    return status, headers, json.dumps(value).encode()
