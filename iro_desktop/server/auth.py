"""Users, Argon2 password hashes and expiring bearer tokens.

Tokens are random; only their SHA-256 is stored, so a copy of the database cannot be used to
act as anyone. Failed sign-ins cost the same time whether or not the user exists.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from iro_desktop.server.tables import Token, User

ROLES = ("iro", "manager", "admin")
MIN_PASSWORD_CHARS = 10
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so timing does not reveal who exists."""
    return _hasher.hash("not a real password, only for equal timing")


class AuthError(Exception):
    """Sign-in or token failure; the message is safe to show to the caller."""


@dataclass(frozen=True)
class Caller:
    """Who is making a request (a plain copy, safe outside the session)."""

    id: int
    name: str
    role: str
    team: str | None
    manager_name: str | None


def _caller(user: User) -> Caller:
    return Caller(user.id, user.name, user.role, user.team, user.manager_name)


def check_new_user(name: str, role: str, password: str) -> None:
    if not _USERNAME.fullmatch(name):
        raise ValueError(
            f"'{name}' is not a usable user name: 1-64 letters, digits or _ . @ - characters, "
            "starting with a letter or digit."
        )
    if role not in ROLES:
        raise ValueError(f"'{role}' is not a role; use one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"The password must be at least {MIN_PASSWORD_CHARS} characters long.")


def add_user(
    session: Session,
    *,
    name: str,
    role: str,
    password: str,
    now: datetime,
    team: str | None = None,
    manager_name: str | None = None,
) -> User:
    check_new_user(name, role, password)
    if session.execute(select(User.id).where(User.name == name)).first():
        raise ValueError(f"There is already a user called '{name}'.")
    user = User(
        name=name,
        role=role,
        team=team,
        manager_name=manager_name,
        password_hash=_hasher.hash(password),
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, name: str) -> User:
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise ValueError(f"There is no user called '{name}'.")
    return user


def set_password(session: Session, name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"The password must be at least {MIN_PASSWORD_CHARS} characters long.")
    user = find_user(session, name)
    user.password_hash = _hasher.hash(password)
    session.execute(delete(Token).where(Token.user_id == user.id))


def deactivate_user(session: Session, name: str) -> None:
    user = find_user(session, name)
    user.active = False
    session.execute(delete(Token).where(Token.user_id == user.id))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(
    session: Session, name: str, password: str, *, now: datetime, lifetime: timedelta
) -> tuple[str, datetime, Caller]:
    """A new bearer token, when it expires, and whose it is; AuthError when details are wrong."""
    # A name no user can have is not looked up (it may not even be storable text), but it
    # costs the same time as a real one.
    user = (
        session.execute(select(User).where(User.name == name)).scalar_one_or_none()
        if _USERNAME.fullmatch(name)
        else None
    )
    stored = user.password_hash if user is not None and user.active else _dummy_hash()
    try:
        _hasher.verify(stored, password)
        verified = user is not None and user.active
    except (VerificationError, InvalidHashError, UnicodeEncodeError):
        verified = False  # UnicodeEncodeError: a password that is not text is not anyone's
    if not verified or user is None:
        raise AuthError("wrong username or password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    # Expired tokens are of no use to anyone; clearing them here keeps the table small.
    session.execute(delete(Token).where(Token.user_id == user.id, Token.expires_at < now))
    token = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    session.add(
        Token(token_hash=_token_hash(token), user_id=user.id, created_at=now, expires_at=expires_at)
    )
    return token, expires_at, _caller(user)


def caller_for_token(session: Session, token: str, *, now: datetime) -> Caller:
    row = session.execute(
        select(Token, User)
        .join(User, User.id == Token.user_id)
        .where(Token.token_hash == _token_hash(token))
    ).first()
    if row is None:
        raise AuthError("invalid token")
    stored, user = row.tuple()
    if stored.expires_at <= now:
        raise AuthError("token expired")
    if not user.active:
        raise AuthError("account disabled")
    return _caller(user)


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(Token).where(Token.token_hash == _token_hash(token)))
