"""The adapter to this deployment's e-CMS node (SOAP over HTTP): send a letter and take its notifiers;
take the letters sent to the platform's agencies and answer them with ours.

The node's address comes from the deployment (EOFFICE_ECMS_URL; on the local stack, the fake node in
devstack/ecms_node.py), and so do its credentials (EOFFICE_ECMS_SECRET, in Secrets Manager). Its
answers are read as hostile as any message (exchange/ecms.py).
"""

from __future__ import annotations

import base64
import json
import os
import urllib.request
from datetime import UTC, datetime
from functools import cache

from chalicelib.exchange import ecms
from chalicelib.kernel.aws import client

TIMEOUT_SECONDS = 20


def node_url() -> str | None:
    return os.environ.get("EOFFICE_ECMS_URL") or None


@cache
def _authorization() -> str | None:
    """HTTP Basic credentials for the node, from the deployment's secret (EOFFICE_ECMS_SECRET: a
    Secrets Manager secret named eoffice-<stage>-ecms-*, holding {"username", "password"}); none when
    the node needs none. Read once per container, never logged."""
    secret = os.environ.get("EOFFICE_ECMS_SECRET")
    if not secret:
        return None
    value = json.loads(client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"])
    token = base64.b64encode(f"{value['username']}:{value['password']}".encode()).decode()
    return f"Basic {token}"


def message_id(now: datetime) -> str:
    """The WS-Addressing MessageID in the form the public implementations use: yyyyMMdd.HHmmssSSS."""
    moment = now.astimezone(UTC)
    return moment.strftime("%Y%m%d.%H%M%S") + f"{moment.microsecond // 1000:03d}"


def _post(action: str, body: bytes) -> bytes:
    url = node_url()
    if url is None:
        raise ecms.EcmsError("ยังไม่ได้ตั้งค่าระบบ e-CMS", "no e-CMS node is configured (EOFFICE_ECMS_URL)")
    if not url.startswith(("http://", "https://")):
        raise ecms.EcmsError("ที่อยู่ e-CMS ไม่ถูกต้อง", "the e-CMS node's address is not an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": action,
            **({"Authorization": auth} if (auth := _authorization()) else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
        return bytes(answer.read(ecms.MAX_MESSAGE_BYTES + 1))


def send_letter(letter: ecms.Letter, *, now: datetime) -> str:
    """Hand the letter to the node; its ProcessID."""
    url = node_url() or ""
    answer = _post(
        "CorrespondenceLetterOutboundRequest", ecms.letter_request(letter, message_id=message_id(now), to=url)
    )
    return ecms.read_process_id(answer)


def next_notice(*, now: datetime) -> ecms.Notice | None:
    """The next notifier waiting at the node for this deployment's letters, if any."""
    url = node_url() or ""
    answer = _post(
        "CorrespondenceNotifierInboundRequest", ecms.poll_request(message_id=message_id(now), to=url)
    )
    return ecms.read_notice(answer) if b"Notifier>" in answer or b"Notifier " in answer else None


def next_letter(*, now: datetime) -> tuple[str, ecms.Letter] | None:
    """The next letter waiting at the node for one of this deployment's agencies: (ProcessID, letter)."""
    url = node_url() or ""
    answer = _post(
        "CorrespondenceLetterInboundRequest", ecms.letter_poll_request(message_id=message_id(now), to=url)
    )
    return ecms.read_inbound_letter(answer)


def notify(notice: ecms.Notice, *, now: datetime) -> None:
    """Send the receiver's notifier (received, accepted with the เลขรับ, rejected, invalid) to the node."""
    url = node_url() or ""
    _post(
        "CorrespondenceNotifierOutboundRequest",
        ecms.notice_message(notice, message_id=message_id(now), to=url),
    )


def delete_letter(process_id: str, *, now: datetime) -> None:
    """Take a letter off the node's queue once it is safely in the recipient's incoming queue."""
    url = node_url() or ""
    _post(
        "CorrespondenceLetterDeleteRequest",
        ecms.letter_delete_request(process_id, message_id=message_id(now), to=url),
    )
