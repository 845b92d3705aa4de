"""Bearer token verification: an OIDC ID token from the agency user pool (Cognito; ThaiD federated).

The API verifies the signature against the issuer's JWKS, the issuer, the audience, the expiry and
the token use itself, so the local stack enforces exactly what production does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jwt

from chalicelib.kernel import keys
from chalicelib.kernel.errors import Forbidden, Unauthenticated
from chalicelib.kernel.principal import Principal
from chalicelib.kernel.settings import get_settings

AGENCY_CLAIM = "custom:agency_id"
LEEWAY_SECONDS = 30


@dataclass(frozen=True)
class VerifiedIdentity:
    subject: str
    agency_id: str
    username: str


_lock = threading.Lock()


@cache
def _jwks_client(url: str) -> jwt.PyJWKClient:
    # Keys are cached for an hour; an unknown `kid` triggers one refresh (key rotation).
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)


def _refused(why_en: str) -> Unauthenticated:
    return Unauthenticated("โทเค็นไม่ถูกต้องหรือหมดอายุ กรุณาเข้าสู่ระบบใหม่", f"invalid bearer token: {why_en}")


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("กรุณาเข้าสู่ระบบ", "missing Authorization: Bearer token")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("รูปแบบการยืนยันตัวตนไม่ถูกต้อง", "the Authorization header must be 'Bearer <token>'")
    return token.strip()


def verify(token: str) -> VerifiedIdentity:
    settings = get_settings()
    if not settings.oidc_issuer or not settings.oidc_audience:
        raise Unauthenticated("ระบบยังไม่ได้ตั้งค่าผู้ออกโทเค็น", "the API has no token issuer configured")
    try:
        with _lock:
            key = _jwks_client(settings.oidc_jwks_url).get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            audience=settings.oidc_audience,
            issuer=settings.oidc_issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.PyJWKClientError as error:
        raise _refused(f"signing key not found ({error})") from error
    except jwt.InvalidTokenError as error:
        raise _refused(str(error)) from error
    if claims.get("token_use") != "id":
        raise _refused("an ID token is required")
    agency = claims.get(AGENCY_CLAIM)
    if not isinstance(agency, str) or not keys.is_agency_id(agency):
        raise _refused("the token carries no valid agency")
    return VerifiedIdentity(
        subject=str(claims["sub"]),
        agency_id=agency,
        username=str(claims.get("cognito:username", claims["sub"])),
    )


# The directory module knows who a verified subject is (units, roles, clearance, delegations); the
# kernel knows no module, so app.py hands it the directory's lookup once at start-up.
PrincipalLookup = Callable[[str, str], "Principal | None"]
_lookup: list[PrincipalLookup] = []


def use_directory(lookup: PrincipalLookup) -> None:
    _lookup[:] = [lookup]


def principal_from(authorization: str | None) -> Principal:
    """The caller: a verified token, then the agency's directory entry (active users only)."""
    return principal_of_token(bearer_token(authorization))


def principal_of_token(token: str) -> Principal:
    """The holder of a token, checked exactly as every HTTP request's (the WebSocket API's connect
    passes its token otherwise: push/worker.py)."""
    from chalicelib.kernel import log

    verified = verify(token)
    if not _lookup:
        raise RuntimeError("no directory wired: call identity.use_directory at start-up")
    principal = _lookup[0](verified.agency_id, verified.subject)
    if principal is None:
        raise Forbidden(
            "ไม่พบผู้ใช้ในทะเบียนผู้ใช้ของหน่วยงาน", "the user is not in the agency's directory or is inactive"
        )
    log.identify(verified.agency_id, verified.subject)
    return principal
