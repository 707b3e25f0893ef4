"""API tokens of contractor systems: a random secret per system, shown once, stored hashed.

A token is TOKEN_PREFIX and 256 random bits (URL-safe base64). The prefix lets secret
scanners (GitHub's, a company's own) recognise a leaked token; the database keeps only its
SHA-256 (domain/tokens.hash_token), so a database dump opens no work order. A request
names it as `Authorization: Bearer <token>`; a revoked token, or a party's token after the
party is removed, authenticates nobody.
"""
from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.tokens import hash_token
from feedbackgis.errors import InvalidInput, NotFound
from feedbackgis.models import ApiToken, Party
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, record_change
from feedbackgis.services.credential_use import note_use

TOKEN_PREFIX = "fgc_"  # noqa: S105 - "feedbackgis contractor", a prefix, not a secret
TOKEN_BYTES = 32
# What a well-formed token looks like: anything else is refused before any lookup.
TOKEN_PATTERN = re.compile(rf"{TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}")
NAME_MAX_LENGTH = 200
DEFAULT_NAME = "API"
AUDIT_ENTITY = "api_token"


@dataclass(frozen=True)
class ApiClient:
    """Who a request with a valid token is: the token (by id and name) and its party."""

    token_id: int
    name: str  # the token's name: how the report's history names the system
    party_id: int
    party_name: str


@dataclass(frozen=True)
class CreatedToken:
    token: str  # the secret: shown to whoever created it this once, never stored
    api_token: ApiToken


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def create_token(session: Session, party: Party, name: str | None = None, *,
                 actor: ChangeActor = SYSTEM) -> CreatedToken:
    """A new token for `party`, named for what uses it; commits."""
    name = _checked_name(name)
    token = new_token()
    api_token = ApiToken(party_id=party.id, name=name, token_hash=hash_token(token))
    session.add(api_token)
    session.flush()
    record_change(session, actor, AUDIT_ENTITY, api_token.id, "create", None,
                  {"party_id": party.id, "name": name})
    session.commit()
    return CreatedToken(token=token, api_token=api_token)


def _checked_name(name: str | None) -> str:
    cleaned = (name or "").strip() or DEFAULT_NAME
    if len(cleaned) > NAME_MAX_LENGTH or "\x00" in cleaned:
        raise InvalidInput(f"A token's name is at most {NAME_MAX_LENGTH} characters (no NUL).",
                           field="name")
    return cleaned


def list_tokens(session: Session, party: Party | None = None) -> list[ApiToken]:
    """Every token (or one party's), revoked ones included, oldest first."""
    query = select(ApiToken).order_by(ApiToken.id)
    if party is not None:
        query = query.where(ApiToken.party_id == party.id)
    return list(session.scalars(query))


def revoke_token(session: Session, token_id: int, *, actor: ChangeActor = SYSTEM) -> ApiToken:
    """Revoke the token at once (a revoked token stays revoked; its row stays for the
    record); commits."""
    api_token = session.get(ApiToken, token_id, with_for_update={"of": ApiToken})
    if api_token is None:
        raise NotFound(f"No API token with id {token_id}. See `feedbackgis tokens list`.",
                       field="token")
    if api_token.revoked_at is None:
        api_token.revoked_at = datetime.now(UTC)
        record_change(session, actor, AUDIT_ENTITY, api_token.id, "revoke", None,
                      {"revoked_at": api_token.revoked_at.isoformat()})
    session.commit()
    return api_token


def authenticate(session: Session, bearer: str) -> ApiClient | None:
    """The client whose token `bearer` is, if it is a token in use; else None.

    The lookup is by the token's SHA-256 on a unique index, so the time it takes tells
    nothing about how close a guess was; the stored hash is compared in constant time all
    the same. Notes the use (commits) when the last one is over a minute old.
    """
    if not TOKEN_PATTERN.fullmatch(bearer):
        return None
    digest = hash_token(bearer)
    api_token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)))
    if api_token is None or not hmac.compare_digest(api_token.token_hash, digest):
        return None
    if not api_token.party.active:
        return None  # a party taken out of use has no work orders to work
    client = ApiClient(token_id=api_token.id, name=api_token.name,
                       party_id=api_token.party_id, party_name=api_token.party.name)
    note_use(session, ApiToken, api_token)
    return client
