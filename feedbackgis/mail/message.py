"""An email to send, and its MIME form (plain text plus HTML, with attachments)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "image/jpeg"
    data: bytes


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML part shows in place: <img src="cid:{content_id}">."""

    content_id: str  # without the angle brackets, e.g. "map.2026-05@feedbackgis"
    content_type: str  # e.g. "image/png"
    data: bytes


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str
    language: str
    # Extra headers, e.g. List-Unsubscribe for subscription mail.
    headers: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()
    inline_images: tuple[InlineImage, ...] = ()


def unsubscribe_headers(url: str) -> dict[str, str]:
    """List-Unsubscribe (RFC 2369) with one-click unsubscribe (RFC 8058): a mail client may
    POST "List-Unsubscribe=One-Click" to `url` without opening a page."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def message_id_for(idempotency_key: str, sender: str) -> str:
    """The same Message-ID for every attempt at one notification, so that a receiving
    system can drop a copy sent again after a crash between sending and recording it."""
    domain = sender.rsplit("@", 1)[-1].strip(" >") or "feedbackgis.invalid"
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def to_mime(email: OutgoingEmail, sender: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to us
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    if email.inline_images:
        # multipart/related around the HTML (RFC 2387), so clients show them in the text.
        html_part = message.get_body(("html",))
        for image in email.inline_images:
            maintype, subtype = image.content_type.split("/", 1)
            html_part.add_related(image.data, maintype=maintype, subtype=subtype,
                                  cid=f"<{image.content_id}>", disposition="inline")
    for attachment in email.attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename)
    # Only now: set_content and add_alternative drop or move the top level's Content-*
    # headers, so set any earlier this header never reached the recipient.
    message["Content-Language"] = email.language
    return message
