"""Accounts: users with argon2-hashed passwords, their roles, and API tokens.

Two tables (defined in :mod:`athar.store.tables`, made when the log starts), in
SQL that runs unchanged on SQLite and PostgreSQL through :class:`Database`:

- ``users``: name, argon2id hash, roles (comma-separated), whether the password
  must be changed at the next login, and whether the account is disabled;
- ``api_tokens`` (:mod:`athar.accounts.tokens`) and ``sessions``
  (:mod:`athar.accounts.sessions`): a user's ways in, each stored only as a
  hash, ended by a password change or by disabling the account.

Accounts are local to the web application; the log's own identities (signing
keys, ``actor.registered`` entries) are a separate matter.
"""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from athar.accounts.passwords import check_password
from athar.accounts.sessions import Sessions
from athar.accounts.tokens import DEFAULT_DAYS, TOKEN_PREFIX, Tokens
from athar.errors import AuthError, ConfigError, NotFound
from athar.identity import ROLES
from athar.store.db import Database

__all__ = ["TOKEN_PREFIX", "Accounts", "User", "generate_password"]

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so a wrong name costs as much as a wrong password.

    Made on first use, not at import: hashing takes most of a second, which
    every command (``athar --help`` included) would otherwise pay.
    """
    return _HASHER.hash("not a password")

@dataclass(frozen=True)
class User:
    """A logged-in user: name, roles, and whether their password must be changed first."""

    name: str
    roles: tuple[str, ...]
    must_change: bool = False

    def has_any(self, roles: tuple[str, ...] | frozenset[str]) -> bool:
        """True when the user holds at least one of ``roles``."""
        return any(r in roles for r in self.roles)


def generate_password() -> str:
    """A fresh random password (about 120 bits), easy to copy, that passes the policy."""
    while True:
        password = secrets.token_urlsafe(15)
        try:
            check_password(password)
        except ConfigError:
            continue  # (26/64)^20 odds of one kind only, say: draw again
        return password


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if not roles:
        raise ConfigError(f"give at least one role among {', '.join(ROLES)}")
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise ConfigError(f"unknown role {bad[0]!r}: choose among {', '.join(ROLES)}")
    return tuple(dict.fromkeys(roles))


class Accounts:
    """Users, with their API tokens (:attr:`tokens`) and login sessions (:attr:`sessions`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.tokens = Tokens(db)
        self.sessions = Sessions(db)

    # -- users ---------------------------------------------------------------
    def count(self) -> int:
        """How many users exist."""
        return int(self.db.read("SELECT COUNT(*) FROM users")[0][0])

    def add(self, name: str, roles: list[str] | tuple[str, ...], password: str | None = None,
            *, must_change: bool = False) -> str:
        """Create a user; returns the password (generated when none is given).

        A chosen password must pass the policy of :mod:`athar.accounts.passwords`
        (ConfigError with a ``reason`` otherwise).
        """
        if not _NAME.fullmatch(name):
            raise ConfigError(f"invalid user name {name!r}: use a-z, 0-9, '.', '_' or '-'")
        role_list = _check_roles(roles)
        password = password if password is not None else generate_password()
        check_password(password, name)
        pw_hash = _HASHER.hash(password)
        with self.db.write() as txn:
            cur = txn.execute("INSERT INTO users (name, password_hash, roles, must_change, "
                              "disabled, created_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING",
                              (name, pw_hash, ",".join(role_list), int(must_change), _now()))
            if cur.rowcount != 1:
                raise ConfigError(f"user {name!r} already exists")
        return password

    def bootstrap_admin(self) -> str | None:
        """Create ``admin`` when there are no users; its one-time password, or None."""
        if self.count():
            return None
        try:
            return self.add("admin", ["admin"], must_change=True)
        except ConfigError:
            return None  # another process created it first

    def users(self) -> list[tuple[User, bool]]:
        """Every user with whether it is disabled, by name."""
        rows = self.db.read(
            "SELECT name, roles, must_change, disabled FROM users ORDER BY name")
        return [(User(n, tuple(r.split(",")), bool(m)), bool(d)) for n, r, m, d in rows]

    def get(self, name: str) -> User | None:
        """The enabled user called ``name``, or None."""
        row = self._row(name)
        if row is None or row[3]:
            return None
        return User(name, tuple(row[1].split(",")), bool(row[2]))

    def _row(self, name: str) -> tuple[str, str, int, int] | None:
        rows = self.db.read(
            "SELECT password_hash, roles, must_change, disabled FROM users WHERE name = ?", (name,))
        return rows[0] if rows else None

    def authenticate(self, name: str, password: str) -> User:
        """The user if ``password`` is theirs; AuthError otherwise (same cost either way)."""
        row = self._row(name)
        try:
            _HASHER.verify(row[0] if row else _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            raise AuthError("wrong user name or password") from None
        if row is None or row[3]:
            raise AuthError("wrong user name or password")
        if _HASHER.check_needs_rehash(row[0]):
            self._store_hash(name, _HASHER.hash(password), bool(row[2]))
        return User(name, tuple(row[1].split(",")), bool(row[2]))

    def set_password(self, name: str, password: str) -> None:
        """Replace ``name``'s password and clear the must-change flag.

        Every session of the user ends and every token is revoked: whoever knew
        the old password, or holds a token made with it, is out. The password
        must pass the policy of :mod:`athar.accounts.passwords`.
        """
        if self._row(name) is None:
            raise NotFound(f"no user {name!r}")
        check_password(password, name)
        self._store_hash(name, _HASHER.hash(password), False)
        self.sessions.end_all(name)
        self.tokens.revoke_all(name)

    def require_change(self, name: str) -> None:
        """Make ``name`` choose a new password at the next login."""
        with self.db.write() as txn:
            txn.execute("UPDATE users SET must_change = 1 WHERE name = ?", (name,))

    def _store_hash(self, name: str, pw_hash: str, must_change: bool) -> None:
        with self.db.write() as txn:
            txn.execute("UPDATE users SET password_hash = ?, must_change = ? WHERE name = ?",
                        (pw_hash, int(must_change), name))

    # -- disabling, tokens, sessions ---------------------------------------------
    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable (or enable again) ``name``; disabling ends its sessions and revokes its tokens."""
        if self._row(name) is None:
            raise NotFound(f"no user {name!r}")
        with self.db.write() as txn:
            txn.execute("UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), name))
        if disabled:
            self.sessions.end_all(name)
            self.tokens.revoke_all(name)

    def create_token(self, name: str, label: str = "", days: int = DEFAULT_DAYS) -> str:
        """A new API token for the enabled user ``name``, valid ``days`` days; shown once."""
        if self.get(name) is None:
            raise NotFound(f"no user {name!r}")
        return self.tokens.create(name, label, days)

    def user_for_token(self, token: str) -> User | None:
        """The enabled user owning an active ``token``, or None."""
        name = self.tokens.user_name_for(token)
        return self.get(name) if name else None

    def session_user(self, session_id: str) -> User | None:
        """The enabled user of a live session, or None."""
        name = self.sessions.user_name_for(session_id)
        return self.get(name) if name else None

    def stored_password_hash(self, name: str) -> str | None:
        """The stored hash (for audits and tests: it is an argon2id string)."""
        row = self._row(name)
        return None if row is None else row[0]
