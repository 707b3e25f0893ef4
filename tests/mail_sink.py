"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests.

It can refuse the next N messages (as a full or broken mail server would) and can hold a
message in DATA until told to go on (to kill a sender in the middle of sending).
"""
from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class SinkHandler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0
        self.refusal = "451 4.3.0 Mail server temporarily unavailable"
        self.hold_data = False
        self.data_started = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd API
        self.data_started.set()
        if self.hold_data:
            # Runs on the controller's event loop thread: blocking here holds this client.
            self.release.wait(timeout=30)
        with self._lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return self.refusal
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    def __init__(self) -> None:
        self.handler = SinkHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> MailSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.handler.release.set()
        self.controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.handler.messages)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        """The messages once at least `count` have arrived; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.handler.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"expected {count} message(s), got {len(self.handler.messages)}")

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.handler.messages if m["To"] == address]
