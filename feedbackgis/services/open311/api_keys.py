"""API keys of the systems that use the Open311 API: one per system, shown once, stored hashed.

A key is `secrets.token_urlsafe(32)` (256 random bits); the database keeps only its SHA-256
(domain/tokens.hash_token, as for the contractors' tokens), so a database dump gives no key.
Each key is named for the system that uses it (the name is unique, 1-200 characters). A
request names its key as the `api_key` parameter (the GeoReport v2 way); a missing, unknown
or revoked key is refused with Forbidden (the spec's 403). Creating and revoking a key are
admin changes, recorded in the audit trail (never the key or its hash).
"""
from __future__ import annotations

import hmac
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from feedbackgis.domain.tokens import hash_token
from feedbackgis.errors import Conflict, Forbidden, InvalidInput, NotFound
from feedbackgis.models import ApiKey, Party
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change
from feedbackgis.services.credential_use import note_use

KEY_BYTES = 32
# What a well-formed key looks like: anything else is refused before any lookup.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
NAME_MAX_LENGTH = 200
PARAMETER = "api_key"  # the request's parameter (form or query) that names the key


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def checked_name(name: str | None) -> str:
    """The key's name, trimmed; refused when empty, too long or with control characters."""
    cleaned = (name or "").strip()
    if not cleaned or len(cleaned) > NAME_MAX_LENGTH or any(
            ord(char) < 32 or ord(char) == 127 for char in cleaned):
        raise InvalidInput(f"An API key's name is 1-{NAME_MAX_LENGTH} characters, without "
                           "control characters.", field="name")
    return cleaned


def create_api_key(session: Session, name: str | None, *, party: Party | None = None,
                   actor: ChangeActor = SYSTEM) -> str:
    """A new key for the system `name`; returns the key itself (the only time anyone sees
    it: only its hash is kept); commits. A name in use (revoked keys included) is refused.

    With `party`, the key is that party's own system's: it may work the party's reports
    through servicerequestupdates (services/open311/received_updates.py)."""
    name = checked_name(name)
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise Conflict(f"An API key named '{name}' exists already; choose another name.",
                       field="name")
    key = new_key()
    api_key = ApiKey(name=name, key_hash=hash_token(key),
                     party_id=party.id if party is not None else None)
    session.add(api_key)
    try:
        session.flush()
    except IntegrityError:  # the same name created at the same moment elsewhere
        session.rollback()
        raise Conflict(f"An API key named '{name}' exists already; choose another name.",
                       field="name") from None
    record_change(session, actor, Entity.API_KEY, api_key.id, "create", None,
                  {"name": name, **({"party": party.name} if party is not None else {})})
    session.commit()
    return key


def list_api_keys(session: Session) -> list[ApiKey]:
    """Every key with its party (none: a client system), revoked ones included, oldest
    first."""
    return list(session.scalars(select(ApiKey).options(selectinload(ApiKey.party))
                                .order_by(ApiKey.id)))


def find_api_key(session: Session, name: str) -> ApiKey:
    cleaned = (name or "").strip()
    # A name with control characters was never given (and NUL cannot reach PostgreSQL).
    found = (session.scalar(select(ApiKey).where(ApiKey.name == cleaned))
             if cleaned.isprintable() else None)
    if found is None:
        raise NotFound(f"No API key named '{name}'. See `feedbackgis apikeys list`.",
                       field="name")
    return found


def revoke_api_key(session: Session, name: str, *, actor: ChangeActor = SYSTEM) -> ApiKey:
    """Revoke the key of the system `name` at once (a revoked key stays revoked; its row
    stays for the record); commits."""
    api_key = find_api_key(session, name)
    session.refresh(api_key, with_for_update={"of": ApiKey})
    if api_key.revoked_at is None:
        api_key.revoked_at = datetime.now(UTC)
        record_change(session, actor, Entity.API_KEY, api_key.id, "revoke", None,
                      {"name": api_key.name, "revoked_at": api_key.revoked_at.isoformat()})
    session.commit()
    return api_key


def stored_api_key(session: Session, key: str | None) -> ApiKey | None:
    """The stored key (in use or revoked) that `key` is; None when it is none of ours. No
    commit, no note of its use.

    The lookup is by the key's SHA-256 on a unique index, so its time tells nothing about
    how close a guess was; the stored hash is compared in constant time all the same.
    """
    if not key or not KEY_PATTERN.fullmatch(key):
        return None
    digest = hash_token(key)
    api_key = session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
    if api_key is None or not hmac.compare_digest(api_key.key_hash, digest):
        return None
    return api_key


def authenticate_api_key(session: Session, key: str | None, *,
                         stored: ApiKey | None = None) -> ApiKey:
    """The key in use that `key` is; Forbidden when it is missing, unknown or revoked.
    `stored`: stored_api_key(session, key) when the caller has looked it up already (the
    rate limit does, to count a real key's requests by the key).

    Notes the use (commits) when the last one is over a minute old.
    """
    if not key:
        raise Forbidden("An api_key is required.", field=PARAMETER)
    if not KEY_PATTERN.fullmatch(key):
        raise Forbidden("The api_key is not valid.", field=PARAMETER)
    api_key = stored if stored is not None else stored_api_key(session, key)
    if api_key is None:
        raise Forbidden("The api_key is not valid.", field=PARAMETER)
    if api_key.revoked_at is not None:
        raise Forbidden("The api_key has been revoked.", field=PARAMETER)
    note_use(session, ApiKey, api_key)
    return api_key
