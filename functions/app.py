"""The e-Office Chalice app: wiring only. Each operation is a package under chalicelib/ with its routes
(a blueprint) and, where it has them, its event handlers; ARCHITECTURE.md at the root has the map."""

from __future__ import annotations

import os
import uuid
from typing import Any

from chalice.app import Chalice, CloudWatchEvent, DynamoDBEvent, Rate, SQSEvent, WebsocketEvent
from chalicelib import meta
from chalicelib.archive import api as archive_api
from chalicelib.assets import api as assets_api
from chalicelib.bookings import api as bookings_api
from chalicelib.bookings import service as bookings
from chalicelib.directory import api as directory_api
from chalicelib.directory import service as directory
from chalicelib.documents import api as documents_api
from chalicelib.documents import service as documents
from chalicelib.exchange import api as exchange_api
from chalicelib.kernel import clock, ddb, http, identity, log
from chalicelib.meetings import api as meetings_api
from chalicelib.notifications import api as notifications_api
from chalicelib.notifications import service as notifications
from chalicelib.registers import api as registers_api
from chalicelib.routing import api as routing_api
from chalicelib.routing import service as routing
from chalicelib.signatures import api as signatures_api
from chalicelib.signatures import service as signatures
from chalicelib.signing_keys import api as signing_keys_api

app = Chalice(app_name="eoffice", configure_logs=False)
app.api.binary_types.append("application/pdf")
app.experimental_feature_flags.update(["WEBSOCKETS"])  # Chalice still marks its WebSocket API experimental
ddb.bind()
identity.use_directory(directory.principal_for)
documents.use_access_rule(routing.may_read_on_route)  # the people on a route may open its letter
signatures.use_guard(routing.guard_signing)  # a routed letter is signed at its sign step only
notifications.use_attachment("booking/", bookings.invitation_for)  # a confirmation carries its invitation

for module in (
    meta,
    directory_api,
    documents_api,
    registers_api,
    signatures_api,
    routing_api,
    exchange_api,
    notifications_api,
    bookings_api,
    assets_api,
    meetings_api,
    archive_api,
    signing_keys_api,
):
    app.register_blueprint(module.api.blueprint, url_prefix="/v1")

if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
    # A SnapStart init (the sign worker: infra/chalice_config.py): what its first event would import is
    # imported now, into the snapshot, instead of on a restored instance's first letter.
    import chalicelib.signatures.worker
    import chalicelib.signing.kms_signer
    import chalicelib.signing.pades  # noqa: F401


@app.middleware("http")
def request_scope(event: Any, get_response: Any) -> Any:
    """Every request starts with clean log state and its correlation id; the framework's own refusals
    (405, 415) are answered as problem details like every other error."""
    headers = event.headers or {}
    correlation = (
        headers.get("x-correlation-id") or (event.context or {}).get("requestId") or uuid.uuid4().hex
    )
    log.start(correlation)
    response = http.as_problem(event, get_response(event))
    response.headers["X-Correlation-Id"] = correlation
    return response


# Event sources: the queue and stream names come from the stage's environment (infra/resources.py);
# the local stack's pump reads them from this app's event sources, so a handler is wired here only.
RECORDS_STREAM_ARN = os.environ.get(
    "EOFFICE_RECORDS_STREAM_ARN",
    "arn:aws:dynamodb:ap-southeast-7:000000000000:table/eoffice-local-records/stream/local",
)


@app.on_sqs_message(queue=os.environ.get("EOFFICE_QUEUE_UPLOADS", "eoffice-local-uploads"), batch_size=10)
def check_uploads(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.documents import worker

    return worker.handle(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=RECORDS_STREAM_ARN, batch_size=50)
def on_records_change(event: DynamoDBEvent) -> dict[str, Any]:
    from chalicelib import lifecycle

    return lifecycle.handle(event.to_dict(), event.context)


# The WebSocket API (push/): browsers connect with their token and hear of inbox changes and
# notifications, which on_records_change posts to their connections (push/service.py).
@app.on_ws_connect()
def websocket_connect(event: WebsocketEvent) -> dict[str, Any]:
    from chalicelib.push import worker

    return worker.on_connect(event.to_dict(), event.context)


@app.on_ws_message()
def websocket_message(event: WebsocketEvent) -> dict[str, Any]:
    from chalicelib.push import worker

    return worker.on_message(event.to_dict(), event.context)


@app.on_ws_disconnect()
def websocket_disconnect(event: WebsocketEvent) -> dict[str, Any]:
    from chalicelib.push import worker

    return worker.on_disconnect(event.to_dict(), event.context)


@app.on_sqs_message(queue=os.environ.get("EOFFICE_QUEUE_SIGN", "eoffice-local-sign"), batch_size=1)
def sign_documents(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.signatures import worker

    return worker.handle(event.to_dict(), event.context)


@app.on_sqs_message(queue=os.environ.get("EOFFICE_QUEUE_EXCHANGE", "eoffice-local-exchange"), batch_size=10)
def deliver_letters(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.exchange import worker

    return worker.handle(event.to_dict(), event.context)


@app.on_sqs_message(queue=os.environ.get("EOFFICE_QUEUE_MAIL", "eoffice-local-mail"), batch_size=5)
def take_in_mail(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.exchange import mail_worker

    return mail_worker.handle(event.to_dict(), event.context)


@app.schedule(Rate(1, unit=Rate.HOURS), name="clean_up")
def clean_up(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.archive.destruction import destruction_jobs
    from chalicelib.archive.loans import remind_due as remind_overdue_loans
    from chalicelib.archive.service import seal_audit
    from chalicelib.bookings.service import expire_holds, remind_upcoming
    from chalicelib.documents.schedule import expire_lapsed_uploads

    log.start(getattr(event.context, "aws_request_id", None))
    # A pending booking's slot is free from its deadline on (clash checks read the hold); this only
    # records the expiry, so hourly is enough.
    now = clock.utcnow()
    return {
        "expired_uploads": expire_lapsed_uploads(now=now),
        "expired_holds": expire_holds(now=now),
        "booking_reminders": remind_upcoming(now=now),  # a day ahead; hourly is close enough
        "audit_days_sealed": seal_audit(now=now),  # each day once it has ended (archive/trail.py)
        "loan_reminders": remind_overdue_loans(now=now),  # overdue loans, once a day each (archive/loans.py)
        # The yearly survey in its days, deemed consents, and approved destructions (archive/destruction.py)
        **destruction_jobs(now=now, budget_seconds=180),
    }


@app.schedule(Rate(1, unit=Rate.MINUTES), name="poll_ecms")
def poll_ecms(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.exchange.service import poll_ecms as poll

    log.start(getattr(event.context, "aws_request_id", None))
    return {"taken": poll(now=clock.utcnow())}


@app.schedule(Rate(5, unit=Rate.MINUTES), name="send_notifications")
def send_notifications(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.notifications.service import send_due

    log.start(getattr(event.context, "aws_request_id", None))
    return {"messages": send_due(now=clock.utcnow())}


@app.schedule(Rate(15, unit=Rate.MINUTES), name="flag_overdue")
def flag_overdue(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.routing.schedule import flag_overdue as flag

    log.start(getattr(event.context, "aws_request_id", None))
    return {"overdue": flag(now=clock.utcnow())}


@app.schedule(Rate(1, unit=Rate.DAYS), name="renew_timestamps")
def renew_timestamps(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.archive.renewal import renew_due

    log.start(getattr(event.context, "aws_request_id", None))
    # Archived B-LTA letters, a new document timestamp each before the last one's TSA certificate ends
    # (archive/renewal.py); pyHanko, so this job has the documents layer (infra/package.py).
    return renew_due(now=clock.utcnow())


@app.schedule(Rate(1, unit=Rate.DAYS), name="retire_signing_keys")
def retire_signing_keys(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.signing_keys import schedule

    log.start(getattr(event.context, "aws_request_id", None))
    # Keys of people who may no longer sign are disabled; disabled ones past their grace period are
    # scheduled for deletion (signing_keys/service.py). Its own function: only it may disable keys.
    return schedule.run(now=clock.utcnow())
