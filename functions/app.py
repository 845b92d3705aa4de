"""The e-Office Chalice app: wiring only. Routes live in chalicelib/api, rules below them."""

from __future__ import annotations

import os
import uuid
from typing import Any

from chalice.app import Chalice, CloudWatchEvent, DynamoDBEvent, Rate, SQSEvent
from chalicelib.api import directory, documents, meta, registers, signatures
from chalicelib.store.models import bind

app = Chalice(app_name="eoffice", configure_logs=False)
app.api.binary_types.append("application/pdf")
bind()

for blueprint in (meta.bp, directory.bp, documents.bp, registers.bp, signatures.bp):
    app.register_blueprint(blueprint, url_prefix="/v1")


@app.middleware("http")
def correlation_id(event: Any, get_response: Any) -> Any:
    """Every log line of a request carries its correlation id; the answer returns it."""
    from chalicelib.api.http import logger

    headers = event.headers or {}
    correlation = (
        headers.get("x-correlation-id") or (event.context or {}).get("requestId") or uuid.uuid4().hex
    )
    logger.set_correlation_id(correlation)
    response = get_response(event)
    response.headers["X-Correlation-Id"] = correlation
    return response


UPLOADS_QUEUE = os.environ.get("EOFFICE_QUEUE_UPLOADS", "eoffice-local-uploads")
SIGN_QUEUE = os.environ.get("EOFFICE_QUEUE_SIGN", "eoffice-local-sign")
RECORDS_STREAM_ARN = os.environ.get(
    "EOFFICE_RECORDS_STREAM_ARN",
    "arn:aws:dynamodb:ap-southeast-7:000000000000:table/eoffice-local-records/stream/local",
)


@app.on_sqs_message(queue=UPLOADS_QUEUE, batch_size=10)
def check_uploads(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.events import uploads

    return uploads.handle(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=RECORDS_STREAM_ARN, batch_size=50)
def on_records_change(event: DynamoDBEvent) -> dict[str, Any]:
    from chalicelib.events import lifecycle

    return lifecycle.handle(event.to_dict(), event.context)


@app.on_sqs_message(queue=SIGN_QUEUE, batch_size=1)
def sign_documents(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.events import sign_worker

    return sign_worker.handle(event.to_dict(), event.context)


@app.schedule(Rate(1, unit=Rate.HOURS), name="clean_up")
def clean_up(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.api.http import utcnow
    from chalicelib.services.cleanup import expire_lapsed_uploads

    return {"expired_uploads": expire_lapsed_uploads(now=utcnow())}
