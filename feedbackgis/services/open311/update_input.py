"""The strings and time of an update another system sends, cleaned where they enter the
service (services/open311/received_updates.py): a POST has been read by its schema, but an
update pulled from a party's system comes as the system wrote it, so both pass here.

- update_id: 1-UPDATE_ID_MAX_LENGTH printable characters after trimming; refused otherwise
  (it is the key a repeat is known by, so it is not guessed at).
- status: a word of printable characters; refused otherwise.
- description: a NUL is refused (PostgreSQL cannot store one); the other control characters
  but tab and line breaks are dropped (they are invisible, and XML 1.0 cannot carry them).
- media_url: an http(s) address of at most MEDIA_URL_MAX_LENGTH characters, or dropped:
  it is only a link kept with the event, never worth refusing an update for.
- updated_at: a datetime without an offset is the municipality's local time.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedbackgis.domain.local_time import aware
from feedbackgis.errors import InvalidInput

if TYPE_CHECKING:
    from feedbackgis.services.open311.received_updates import ReceivedUpdate

UPDATE_ID_MAX_LENGTH = 200
MEDIA_URL_MAX_LENGTH = 2000
STATUS_MAX_LENGTH = 64
# C0 controls and DEL, but tab, line feed and carriage return.
_INVISIBLE_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def update_id_problem(update_id: str) -> str | None:
    """What is wrong with an update_id as sent, None when nothing is."""
    cleaned = update_id.strip()
    rule = f"the sender's id of the update is 1-{UPDATE_ID_MAX_LENGTH} printable characters"
    if not cleaned:
        return f"Empty or only blank characters: {rule}."
    if len(cleaned) > UPDATE_ID_MAX_LENGTH:
        return f"Too long: {rule}."
    if not cleaned.isprintable():
        return f"It holds a control or separator character: {rule}."
    return None


def checked_update_id(update_id: str | None) -> str:
    problem = update_id_problem(update_id or "")
    if problem is not None:
        raise InvalidInput(problem, field="update_id")
    return (update_id or "").strip()


def cleaned_update(update: ReceivedUpdate, time_zone: str) -> ReceivedUpdate:
    """`update` with its strings checked or cleaned and its time aware (module doc);
    InvalidInput naming the field for what cannot be taken."""
    return replace(update, update_id=checked_update_id(update.update_id),
                   status=_checked_status(update.status),
                   description=_cleaned_description(update.description),
                   media_url=_link_or_none(update.media_url),
                   updated_at=aware(update.updated_at, time_zone))


def _checked_status(status: str | None) -> str | None:
    cleaned = (status or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > STATUS_MAX_LENGTH or not cleaned.isprintable():
        raise InvalidInput(f"A status word: 1-{STATUS_MAX_LENGTH} printable characters.",
                           field="status")
    return cleaned


def _cleaned_description(text: str | None) -> str | None:
    if text is None:
        return None
    if "\x00" in text:
        raise InvalidInput("The text holds a NUL character (U+0000); remove it.",
                           field="description")
    return _INVISIBLE_CONTROLS.sub("", text)


def _link_or_none(url: str | None) -> str | None:
    url = (url or "").strip()
    if not url or len(url) > MEDIA_URL_MAX_LENGTH or not url.isprintable() or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None

