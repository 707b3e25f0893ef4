"""The machinery area subscriptions and report followers share: an address that is used only
once its owner has confirmed it, and a one-click way out.

Each row keeps a random nonce; its confirm and unsubscribe tokens are derived from the
secret key and that nonce (domain/tokens.py), and only their hashes are stored. A job that
emails the links derives them again.

For a row not yet confirmed, created_at is when confirmation was last asked for: the purge
of unconfirmed rows and the key of the confirmation email count from it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from feedbackgis.domain.tokens import CONFIRM, UNSUBSCRIBE, derive_token, hash_token, new_nonce
from feedbackgis.errors import NotFound
from feedbackgis.models import AreaSubscription, ReportFollower

Confirmable = AreaSubscription | ReportFollower
ConfirmableType = type[AreaSubscription] | type[ReportFollower]

# An unconfirmed address is kept this long, then deleted (GDPR: no data we do not need).
CONFIRMATION_VALID = timedelta(days=7)
# A second request for the same thing within this time sends no second email: nobody can
# flood someone else's inbox with confirmation requests.
CONFIRMATION_RESEND_AFTER = timedelta(minutes=15)

def normalise_email(email: str) -> str:
    # Mail providers treat the local part case-insensitively in practice; one address, one
    # subscription, however it was typed.
    return email.strip().lower()


def token_columns(secret_key: str) -> dict[str, str]:
    """A new row's nonce and the hashes of the two tokens derived from it."""
    nonce = new_nonce()
    return {
        "token_nonce": nonce,
        "confirm_token_hash": hash_token(derive_token(secret_key, CONFIRM, nonce)),
        "unsubscribe_token_hash": hash_token(derive_token(secret_key, UNSUBSCRIBE, nonce)),
    }


def confirm_token(row: Confirmable, secret_key: str) -> str:
    return derive_token(secret_key, CONFIRM, row.token_nonce)


def unsubscribe_token(row: Confirmable, secret_key: str) -> str:
    return derive_token(secret_key, UNSUBSCRIBE, row.token_nonce)


def is_expired(row: Confirmable, now: datetime) -> bool:
    return row.confirmed_at is None and row.created_at < now - CONFIRMATION_VALID


def may_resend_confirmation(row: Confirmable, now: datetime) -> bool:
    return row.confirmed_at is None and row.created_at < now - CONFIRMATION_RESEND_AFTER


def confirmation_key(row: Confirmable) -> str:
    """The confirmation email's idempotency key: one email per request for confirmation."""
    asked_at = row.created_at.astimezone(UTC).isoformat()  # the same whatever the session's zone
    return f"{type(row).__tablename__}-confirmation:{row.id}:{asked_at}"


@dataclass(frozen=True)
class Confirmation:
    row: Confirmable
    newly_confirmed: bool  # False when the link was opened before


def confirm_by_token(session: Session, model: ConfirmableType, token: str,
                     now: datetime) -> Confirmation:
    """Mark the row confirmed (once; a second click changes nothing). Does not commit."""
    row = session.scalar(
        select(model).where(model.confirm_token_hash == hash_token(token)).with_for_update()
    )
    if row is None or is_expired(row, now):
        raise NotFound("This confirmation link is not valid.")
    if row.confirmed_at is not None:
        return Confirmation(row, newly_confirmed=False)
    row.confirmed_at = now
    return Confirmation(row, newly_confirmed=True)


def find_by_unsubscribe_token(session: Session, model: ConfirmableType,
                              token: str) -> Confirmable:
    row = session.scalar(select(model).where(model.unsubscribe_token_hash == hash_token(token)))
    if row is None:
        raise NotFound("This unsubscribe link is not valid.")
    return row


def delete_by_unsubscribe_token(session: Session, model: ConfirmableType, token: str) -> None:
    """Delete the row (with its address) and commit; NotFound when nothing matched."""
    deleted = session.execute(
        delete(model).where(model.unsubscribe_token_hash == hash_token(token))
    )
    if deleted.rowcount == 0:
        session.rollback()
        raise NotFound("This unsubscribe link is not valid.")
    session.commit()


def delete_unconfirmed(session: Session, model: ConfirmableType, now: datetime) -> int:
    """Delete rows whose confirmation was asked for longer than CONFIRMATION_VALID ago."""
    deleted = session.execute(
        delete(model).where(
            model.confirmed_at.is_(None), model.created_at < now - CONFIRMATION_VALID
        )
    )
    return deleted.rowcount
