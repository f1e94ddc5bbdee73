"""Accounts: create users, log in and out (server-side sessions), API tokens, passwords.

A session is a random token: the browser holds it in a signed cookie, the database only its SHA-256
digest, next to the session's CSRF token. API tokens (`mbt_...`) are shown once and stored as digests.
"""

import datetime as dt
import re
from dataclasses import dataclass

from medbill.core.errors import InputError
from medbill.practice.accounts import ApiToken, Role, SessionInfo, User
from medbill.practice.secrets import (
    API_TOKEN_PREFIX,
    DUMMY_HASH,
    MIN_PASSWORD_LENGTH,
    digest,
    hash_password,
    new_token,
    verify_password,
)
from medbill.storage import Database
from medbill.storage.base import utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str
    info: SessionInfo


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def create_user(database: Database, username: str, full_name: str, role: Role, password: str) -> User:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InputError(f"username {username!r}: use 2-80 lower-case letters, digits, '.', '_' or '-'")
    check_password_strength(password)
    with database.unit_of_work() as uow:
        if uow.users.by_username(username) is not None:
            raise InputError(f"there is already a user {username!r}")
        return uow.users.add(
            username, full_name.strip() or username, role, hash_password(password), at=utcnow()
        )


def list_users(database: Database) -> list[User]:
    with database.reader() as uow:
        return uow.users.all()


def set_password(database: Database, username: str, password: str) -> None:
    check_password_strength(password)
    with database.unit_of_work() as uow:
        found = uow.users.by_username(username)
        if found is None:
            raise InputError(f"there is no user {username!r}")
        uow.users.set_password(found[0].id, hash_password(password))


def set_active(database: Database, user_id: int, active: bool) -> User:
    with database.unit_of_work() as uow:
        if uow.users.get(user_id) is None:
            raise InputError(f"there is no user {user_id}")
        uow.users.set_active(user_id, active)
        user = uow.users.get(user_id)
        assert user is not None
        return user


def authenticate(database: Database, username: str, password: str) -> User | None:
    """The active user with this password, or None (the same time is spent either way)."""
    with database.reader() as uow:
        found = uow.users.by_username(username.strip().lower())
    if found is None:
        verify_password(DUMMY_HASH, password)
        return None
    user, password_hash = found
    if not verify_password(password_hash, password) or not user.active:
        return None
    return user


def open_session(database: Database, user: User, *, hours: int, client: str) -> NewSession:
    token = new_token()
    csrf = new_token()
    now = utcnow()
    expires = now + dt.timedelta(hours=hours)
    with database.unit_of_work() as uow:
        session_id = uow.users.add_session(
            user.id, digest(token), csrf, at=now, expires=expires, client=client
        )
    return NewSession(token, SessionInfo(session_id, user, csrf, expires))


def session_for(database: Database, token: str) -> SessionInfo | None:
    with database.reader() as uow:
        return uow.users.session(digest(token), now=utcnow())


def close_session(database: Database, session_id: int) -> None:
    with database.unit_of_work() as uow:
        uow.users.revoke_session(session_id, at=utcnow())


def create_token(database: Database, user: User, name: str) -> tuple[str, ApiToken]:
    """A new API token for `user`: the secret (shown once) and its record."""
    secret = new_token(API_TOKEN_PREFIX)
    with database.unit_of_work() as uow:
        record = uow.users.add_token(user.id, name.strip()[:100] or "token", digest(secret), at=utcnow())
    return secret, record


def token_user(database: Database, secret: str) -> User | None:
    if not secret.startswith(API_TOKEN_PREFIX):
        return None
    with database.reader() as uow:
        return uow.users.token_user(digest(secret))


def list_tokens(database: Database, user: User) -> list[ApiToken]:
    with database.reader() as uow:
        return uow.users.tokens(user.id)


def revoke_token(database: Database, user: User, token_id: int) -> None:
    with database.unit_of_work() as uow:
        if not uow.users.revoke_token(user.id, token_id, at=utcnow()):
            raise InputError(f"there is no live token {token_id} of yours")
