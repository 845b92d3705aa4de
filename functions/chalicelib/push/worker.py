"""The WebSocket API's handlers (app.py wires them): API Gateway's $connect, $default and $disconnect
events, read here and handed to the service. A connect answers as API Gateway expects: 200 with the
chosen subprotocol, or the refusal's status (401, 403) with its problem in Thai and English."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.kernel import clock, log
from chalicelib.kernel.errors import DomainError, Unauthenticated
from chalicelib.push import domain, service


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def on_connect(event: dict[str, Any], context: Any) -> dict[str, Any]:
    log.start(getattr(context, "aws_request_id", None))
    connection_id = str(event["requestContext"]["connectionId"])
    # The token comes as a subprotocol, not in the URL: URLs end up in access logs, WAF logs and
    # proxies' logs; the Sec-WebSocket-Protocol header does not.
    token = domain.token_from_protocols(_header(event, "sec-websocket-protocol"))
    try:
        if token is None:
            raise Unauthenticated(
                "กรุณาเข้าสู่ระบบ",
                f"offer the subprotocols '{domain.SUBPROTOCOL}' and your ID token (Sec-WebSocket-Protocol)",
            )
        service.connect(token, connection_id, now=clock.utcnow())
    except DomainError as error:
        log.logger.debug("push connect refused", extra={"status": error.status})
        return {"statusCode": error.status, "body": json.dumps(error.problem(), ensure_ascii=False)}
    return {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": domain.SUBPROTOCOL}}


def on_message(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Browsers send {"action": "ping"} every few minutes so that API Gateway does not close an idle
    connection (10 minutes); nothing else is taken from the browser on this channel."""
    return {"statusCode": 200}


def on_disconnect(event: dict[str, Any], context: Any) -> dict[str, Any]:
    log.start(getattr(context, "aws_request_id", None))
    service.disconnect(str(event["requestContext"]["connectionId"]))
    return {"statusCode": 200}
