"""Reading what the SMTP sink received, for the notification tests."""
from __future__ import annotations

import re
from email.message import EmailMessage


def everything_in(message: EmailMessage) -> str:
    """The message as it travelled (headers and MIME-encoded parts) plus every part decoded:
    a search here finds a string however base64 or quoted-printable wrapped it."""
    found = [message.as_bytes().decode("utf-8", "replace")]
    found += [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        found.append(content if isinstance(content, str) else content.decode("utf-8", "replace"))
    return "\n".join(found)


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def link_in(text: str, base_url: str, path_prefix: str) -> str:
    """The one absolute link under `base_url` + `path_prefix` in `text`."""
    pattern = re.escape(base_url.rstrip("/") + path_prefix) + r"[^\s<>\"]+"
    links = set(re.findall(pattern, text))
    assert len(links) == 1, links
    return links.pop()
