"""Staff accounts: create, list, disable, and the password check a sign-in page uses.

Passwords are hashed with argon2 (argon2-cffi's PasswordHasher and its defaults, argon2id);
a hash made with older parameters is replaced at the next successful sign-in. Five wrong
passwords in a row lock the account for 15 minutes.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import PARTY_ROLES, Role
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.models import PartyKind, StaffUser
from feedbackgis.services.catalog.parties_and_categories import EMAIL, find_party

MIN_PASSWORD_LENGTH = 12
# Beyond this a "password" is a denial of service on the hasher, not a password.
MAX_PASSWORD_LENGTH = 1024
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)

_hasher = PasswordHasher()
# Verified against when there is no hash to check (unknown email, locked account), so that
# every refusal takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not the password of anyone")

# The kind of party each party-scoped role belongs to.
_PARTY_KIND = {Role.HANDLER: PartyKind.UNIT, Role.CONTRACTOR: PartyKind.CONTRACTOR}


class LoginOutcome(enum.StrEnum):
    SIGNED_IN = "signed_in"
    WRONG_CREDENTIALS = "wrong_credentials"  # unknown email or wrong password, alike
    LOCKED = "locked"  # too many failures; not even the right password opens it yet
    DISABLED = "disabled"  # the right password of a disabled account


@dataclass(frozen=True)
class LoginAttempt:
    outcome: LoginOutcome
    user: StaffUser | None = None  # only when signed in

    @property
    def signed_in(self) -> bool:
        return self.outcome is LoginOutcome.SIGNED_IN


def normalized_email(email: str) -> str:
    return email.strip().lower()


def _checked_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(f"Unknown role '{role}'; the roles are {roles}.",
                           field="role") from None


def checked_password(password: str) -> str:
    """The password if it keeps the rules (its length); InvalidInput on field "password"."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.",
                           field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must be at most {MAX_PASSWORD_LENGTH} characters.",
                           field="password")
    return password


def _party_id_for(session: Session, role: Role, party_name: str | None) -> int | None:
    """Handlers belong to a unit and contractors to a contractor; other roles to no party."""
    if role not in PARTY_ROLES:
        if party_name:
            raise InvalidInput(f"A {role} sees every report and belongs to no party; "
                               "leave out --party.", field="party")
        return None
    if not party_name:
        raise InvalidInput(f"A {role} belongs to one party: give it with --party.",
                           field="party")
    party = find_party(session, party_name)
    if party.kind != _PARTY_KIND[role]:
        raise InvalidInput(f"A {role} belongs to a {_PARTY_KIND[role]}, and '{party.name}' "
                           f"is a {party.kind}.", field="party")
    return party.id


def create_user(session: Session, email: str, role: Role | str, password: str, *,
                party: str | None = None, name: str | None = None) -> StaffUser:
    email = normalized_email(email)
    if not EMAIL.match(email) or len(email) > 320:
        raise InvalidInput(f"Not a valid email address: {email}", field="email")
    role = _checked_role(role)
    party_id = _party_id_for(session, role, party)
    password_hash = _hasher.hash(checked_password(password))
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise Conflict(f"A user with the email {email} exists already.", field="email")
    user = StaffUser(email=email, name=(name or "").strip() or None, role=role,
                     party_id=party_id, password_hash=password_hash, active=True,
                     failed_logins=0)
    session.add(user)
    session.commit()
    return user


def list_users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.email)))


def find_user(session: Session, email: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.email == normalized_email(email)))
    if user is None:
        raise NotFound(f"No user with the email {normalized_email(email)}. "
                       "See `feedbackgis users list`.", field="email")
    return user


def disable_user(session: Session, email: str) -> StaffUser:
    """The user can no longer sign in or do anything; the account stays, for the history."""
    user = find_user(session, email)
    user.active = False
    session.commit()
    return user


def set_password(session: Session, user: StaffUser, password: str) -> StaffUser:
    """A new password for user (checked, hashed): it also lifts a lockout, and ends the
    user's sessions and reset links, which are bound to the previous hash."""
    user.password_hash = _hasher.hash(checked_password(password))
    user.failed_logins = 0
    user.locked_until = None
    session.commit()
    return user


def is_locked(user: StaffUser, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(session: Session, email: str, password: str, *,
                    now: datetime | None = None) -> LoginAttempt:
    """Check a sign-in: counts failures in a row, locks after MAX_FAILED_LOGINS for LOCKOUT.

    Every refusal costs one argon2 verification, so timing tells nothing about the email.
    """
    now = now or datetime.now(UTC)
    # Locked while checked: two wrong passwords at once both count.
    user = session.scalar(select(StaffUser).where(StaffUser.email == normalized_email(email))
                          .with_for_update(of=StaffUser))
    attempt = _attempt(user, password, now)
    session.commit()
    return attempt


def _attempt(user: StaffUser | None, password: str, now: datetime) -> LoginAttempt:
    if user is None or is_locked(user, now):
        _password_matches(None, password)
        return LoginAttempt(LoginOutcome.LOCKED if user else LoginOutcome.WRONG_CREDENTIALS)
    if not _password_matches(user.password_hash, password):
        if user.active:
            _count_failure(user, now)
        return LoginAttempt(LoginOutcome.WRONG_CREDENTIALS)
    if not user.active:
        return LoginAttempt(LoginOutcome.DISABLED)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginAttempt(LoginOutcome.SIGNED_IN, user)


def _count_failure(user: StaffUser, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        # Counted afresh after the lock: five more tries, then locked again.
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0
