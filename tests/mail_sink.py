"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests.

It can refuse the next N messages (as a full or broken mail server would) and can hold a
transaction after RCPT, before any of the message is sent, until told to go on (to kill a
sender in the middle of sending).
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.local_servers import free_port


class SinkHandler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0
        self.refusal = "451 4.3.0 Mail server temporarily unavailable"
        self.reject_recipients = False  # 550 at RCPT, quoting the address as servers do
        self.hold_transaction = False
        self.transaction_started = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, N802
        self.transaction_started.set()
        # Awaiting (not blocking) keeps the event loop free to notice the client dying.
        while self.hold_transaction and not self.release.is_set():
            await asyncio.sleep(0.05)
        if self.reject_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd API
        with self._lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return self.refusal
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)
        return "250 OK"


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
