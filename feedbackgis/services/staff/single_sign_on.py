"""Signing in through the organisation's identity provider (OpenID Connect).

The provider has checked who the person is; what is left to decide here is which staff
account that is. Only an existing, active account whose email is the verified address in the
ID token signs in: nobody is created (roles and parties are given by an administrator, with
`feedbackgis users create`).
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.models import StaffUser
from feedbackgis.services.staff.users import LoginAttempt, LoginOutcome, normalized_email


def sign_in_verified_email(session: Session, email: str, *,
                           now: datetime | None = None) -> LoginAttempt:
    """SIGNED_IN for the active account of `email`, which the provider has verified;
    WRONG_CREDENTIALS when no account has it, DISABLED for a disabled one.

    A lockout after wrong passwords does not apply: it stops guessing, and no password is
    guessed here.
    """
    user = session.scalar(select(StaffUser).where(StaffUser.email == normalized_email(email)))
    if user is None:
        return LoginAttempt(LoginOutcome.WRONG_CREDENTIALS)
    if not user.active:
        return LoginAttempt(LoginOutcome.DISABLED)
    user.last_login_at = now or datetime.now(UTC)
    session.commit()
    return LoginAttempt(LoginOutcome.SIGNED_IN, user)
