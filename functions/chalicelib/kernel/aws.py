"""AWS clients, one per service and container (botocore directly: the API function only needs clients,
and boto3 with s3transfer costs about 200 ms more at cold start)."""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config

from chalicelib.kernel.settings import get_settings

_lock = threading.Lock()


@cache
def client(service: str) -> Any:
    with _lock:
        session = botocore.session.get_session()
        config = Config(retries={"mode": "standard"})
        if service == "s3":
            # Path-style keeps presigned URLs valid on the local backend as well as in AWS.
            config = config.merge(Config(signature_version="s3v4", s3={"addressing_style": "path"}))
        return session.create_client(service, region_name=get_settings().region, config=config)
