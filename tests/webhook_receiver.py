"""A webhook receiver on loopback (http.server in a thread) that keeps every request it gets.

It can answer the next N requests with an error (as a receiver that is down or deploying
would), or answer every request with a redirect (to check that none is followed).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.local_servers import LoopbackHttpServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int


class WebhookReceiver:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.fail_next = 0
        self.redirect_to: str | None = None
        self._lock = threading.Lock()
        self._loopback = LoopbackHttpServer(self._handler(), "webhook-receiver")

    @property
    def url(self) -> str:
        return f"{self._loopback.origin}/hooks/feedbackgis"

    def start(self) -> WebhookReceiver:
        self._loopback.start()
        return self

    def stop(self) -> None:
        self._loopback.stop()

    def accepted(self) -> list[Received]:
        return [r for r in self.requests if 200 <= r.answered < 300]

    def _answer(self) -> int:
        with self._lock:
            if self.redirect_to is not None:
                return 302
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500
            return 204

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver._answer()
                with receiver._lock:
                    receiver.requests.append(Received(self.path, dict(self.headers), body,
                                                      status))
                self.send_response(status)
                if status == 302:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass  # quiet: the test reads `requests`

        return Handler
