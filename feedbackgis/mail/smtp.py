"""Sending over SMTP with the configured host, port, TLS mode and credentials."""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

SECURITY_MODES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    username: str
    password: str
    timeout: float
    sender: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        security = config["SMTP_SECURITY"].lower()
        if security not in SECURITY_MODES:
            raise ValueError(f"SMTP_SECURITY must be one of {SECURITY_MODES}, got {security!r}")
        return cls(config["SMTP_HOST"], int(config["SMTP_PORT"]), security,
                   config["SMTP_USERNAME"], config["SMTP_PASSWORD"],
                   float(config["SMTP_TIMEOUT"]), config["MAIL_FROM"])


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        client.starttls(context=ssl.create_default_context())
    return client


def send_message(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand the message to the SMTP server; raises smtplib.SMTPException or OSError."""
    with _connect(settings) as client:
        if settings.username:
            client.login(settings.username, settings.password)
        client.send_message(message)
