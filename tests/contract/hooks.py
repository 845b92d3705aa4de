"""Schemathesis hooks (SCHEMATHESIS_HOOKS=tests.contract.hooks): how to send a generated PDF body."""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.serializer("application/pdf")
def pdf(ctx: Any, value: Any) -> bytes:
    """The validation route takes any bytes as a PDF (it reports what it cannot read)."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")
