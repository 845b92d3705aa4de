"""The WebSocket API's management API (post_to_connection), through botocore as every AWS call.

Its endpoint is the stage's (EOFFICE_WEBSOCKET_ENDPOINT: https://<api>.execute-api.<region>.amazonaws.com
/<stage> on AWS, the local stack's own locally): the one difference between the two is that URL."""

from __future__ import annotations

import os
import threading
from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

from chalicelib.kernel.settings import get_settings

ENDPOINT_VARIABLE = "EOFFICE_WEBSOCKET_ENDPOINT"
_lock = threading.Lock()


def endpoint() -> str | None:
    return os.environ.get(ENDPOINT_VARIABLE) or None


@cache
def _client(url: str) -> Any:
    with _lock:
        return botocore.session.get_session().create_client(
            "apigatewaymanagementapi",
            region_name=get_settings().region,
            endpoint_url=url,
            # A browser that has gone answers 410 at once; anything slower is not worth waiting for.
            config=Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=2, read_timeout=5),
        )


def post(url: str, connection_id: str, data: str) -> bool:
    """Send to one connection; False when it is gone (410 GoneException): the caller forgets it."""
    try:
        _client(url).post_to_connection(ConnectionId=connection_id, Data=data.encode("utf-8"))
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "GoneException":
            return False
        raise
    return True
