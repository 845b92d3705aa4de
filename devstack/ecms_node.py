"""A fake e-CMS node for the local stack, on 127.0.0.1: what the government's exchange answers.

It takes letters (CorrespondenceLetterOutboundRequest), reading them as strictly as the platform does
(exchange/ecms.py: no DTD or entity, the schema), and answers with a ProcessID; for each letter it then
holds a ReceiveLetterNotifier and an AcceptLetterNotifier with the next AcceptID (its receiver's
เลขรับ), or, when the receiver's department id ends in 9, a RejectLetterNotifier with a reason. A poll
(CorrespondenceNotifierInboundRequest) takes the next notifier. `taken` lists the letters it received.

It also plays the agencies outside: a letter POSTed to `<node>/outside` (as an outside agency's system
sends it) waits for the platform's letter poll (CorrespondenceLetterInboundRequest) and is offered again
on every poll until the platform deletes it (CorrespondenceLetterDeleteRequest), as a real queue does;
the platform's notifiers about it (CorrespondenceNotifierOutboundRequest) are kept in `answered`.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class FakeNode:
    taken: list[Any] = field(default_factory=list)
    notices: deque[Any] = field(default_factory=deque)
    accept_numbers: Any = field(default_factory=lambda: itertools.count(5001))
    lock: threading.Lock = field(default_factory=threading.Lock)
    waiting: dict[str, Any] = field(default_factory=dict)  # ProcessID -> a letter for the platform
    answered: list[Any] = field(default_factory=list)  # the platform's notifiers, in order
    deleted: list[str] = field(default_factory=list)
    authorization: str | None = None  # the Basic credentials the platform must send, if any

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        from chalicelib.exchange import ecms

        if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO", "").endswith("/answered"):
            # What the platform answered (for tests and `eoffice ecms answered`): plain JSON.
            with self.lock:
                seen = {
                    "answered": [
                        {
                            "kind": n.kind,
                            "letter_id": n.letter_id,
                            "accept_id": n.accept_id,
                            "reason": n.description,
                        }
                        for n in self.answered
                    ],
                    "waiting": sorted(self.waiting),
                    "deleted": list(self.deleted),
                }
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(seen, ensure_ascii=False).encode()]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        outside = environ.get("PATH_INFO", "").endswith("/outside")  # the outside agencies' own side
        if self.authorization and not outside and environ.get("HTTP_AUTHORIZATION") != self.authorization:
            start_response("401 Unauthorized", [("WWW-Authenticate", 'Basic realm="e-CMS"')])
            return [b"the platform's credentials are missing or wrong"]
        action = environ.get("HTTP_SOAPACTION", "").strip('"')
        try:
            if outside:
                answer = self._from_outside(ecms.read_letter(body))
            elif action == "CorrespondenceLetterOutboundRequest":
                answer = self._take(ecms.read_letter(body))
            elif action == "CorrespondenceLetterInboundRequest":
                ecms.read_poll(body, action)
                answer = self._next_letter()
            elif action == "CorrespondenceNotifierOutboundRequest":
                with self.lock:
                    self.answered.append(ecms.read_notice(body))
                answer = ecms.empty_poll_answer(message_id="ok", to="platform")
            elif action == "CorrespondenceLetterDeleteRequest":
                process_id = ecms.read_process_request(body, action)
                with self.lock:
                    self.waiting.pop(process_id, None)
                    self.deleted.append(process_id)
                answer = ecms.empty_poll_answer(message_id="ok", to="platform")
            elif action == "CorrespondenceNotifierInboundRequest":
                ecms.read_poll(body)
                answer = self._next()
            else:
                raise ecms.EcmsError("ไม่รู้จักคำขอ", f"unknown SOAPAction {action!r}")
        except ecms.EcmsError as error:
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [error.en.encode()]
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [answer]

    def _take(self, letter: Any) -> bytes:
        from chalicelib.exchange import ecms

        with self.lock:
            self.taken.append(letter)
            process_id = f"P{len(self.taken):06d}"
            base = {"letter_id": letter.id, "date": letter.date, "subject": letter.subject}
            self.notices.append(ecms.Notice("ReceiveLetterNotifier", **base))
            if letter.receiver.department_id.endswith("9"):
                self.notices.append(
                    ecms.Notice("RejectLetterNotifier", **base, description="ไม่ใช่หนังสือถึงหน่วยงานนี้")
                )
            else:
                self.notices.append(
                    ecms.Notice("AcceptLetterNotifier", **base, accept_id=str(next(self.accept_numbers)))
                )
        return ecms.process_answer(process_id, message_id=process_id, to="platform")

    def _from_outside(self, letter: Any) -> bytes:
        from chalicelib.exchange import ecms

        with self.lock:
            process_id = f"IN{len(self.waiting) + len(self.deleted) + 1:06d}"
            self.waiting[process_id] = letter
        return ecms.process_answer(process_id, message_id=process_id, to="outside")

    def _next_letter(self) -> bytes:
        from chalicelib.exchange import ecms

        with self.lock:
            first = next(iter(self.waiting.items()), None)
        if first is None:
            return ecms.letter_inbound_answer(None, "", message_id="empty", to="platform")
        return ecms.letter_inbound_answer(first[1], first[0], message_id=first[0], to="platform")

    def _next(self) -> bytes:
        from chalicelib.exchange import ecms

        with self.lock:
            notice = self.notices.popleft() if self.notices else None
        if notice is None:
            return ecms.empty_poll_answer(message_id="empty", to="platform")
        return ecms.notice_message(notice, message_id="notice", to="platform")


def start_fake_node(
    port: int = 0, *, username: str = "", password: str = ""
) -> tuple[BaseWSGIServer, FakeNode, str]:
    import base64

    node = FakeNode()
    if username:
        node.authorization = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    server = make_server("127.0.0.1", port, node, threaded=True, request_handler=_Quiet)
    threading.Thread(target=server.serve_forever, name="fake-ecms", daemon=True).start()
    return server, node, f"http://127.0.0.1:{server.server_port}/ecms-ws01/service2"
