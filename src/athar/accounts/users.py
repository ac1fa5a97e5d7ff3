"""Accounts: users with argon2-hashed passwords, their roles, and API tokens.

Two tables, created by :func:`ensure_schema` (at app start and by the CLI), in
SQL that runs unchanged on SQLite and PostgreSQL through :class:`Database`:

- ``users``: name, argon2id hash, roles (comma-separated), whether the password
  must be changed at the next login, and whether the account is disabled;
- ``api_tokens``: the SHA-256 of each token (tokens carry 256 random bits, so a
  fast hash is enough; the token itself is shown once and never stored).

Accounts are local to the web application; the log's own identities (signing
keys, ``actor.registered`` entries) are a separate matter.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from athar.errors import AuthError, ConfigError, NotFound
from athar.store.db import Database
from athar.store.identity import ROLES

__all__ = ["TOKEN_PREFIX", "Accounts", "User", "ensure_schema", "generate_password"]

TOKEN_PREFIX = "athar_"
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so a wrong name costs as much as a wrong password.

    Made on first use, not at import: hashing takes most of a second, which
    every command (``athar --help`` included) would otherwise pay.
    """
    return _HASHER.hash("not a password")

_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS users ("
    " name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, roles TEXT NOT NULL,"
    " must_change INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS api_tokens ("
    " token_hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, label TEXT NOT NULL,"
    " created_at TEXT NOT NULL)",
]


@dataclass(frozen=True)
class User:
    """A logged-in user: name, roles, and whether their password must be changed first."""

    name: str
    roles: tuple[str, ...]
    must_change: bool = False

    def has_any(self, roles: tuple[str, ...] | frozenset[str]) -> bool:
        """True when the user holds at least one of ``roles``."""
        return any(r in roles for r in self.roles)


def ensure_schema(db: Database) -> None:
    """Create the ``users`` and ``api_tokens`` tables if they are missing."""
    db.executescript(_SCHEMA)


def generate_password() -> str:
    """A fresh random password (about 120 bits), easy to copy."""
    return secrets.token_urlsafe(15)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if not roles:
        raise ConfigError(f"give at least one role among {', '.join(ROLES)}")
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise ConfigError(f"unknown role {bad[0]!r}: choose among {', '.join(ROLES)}")
    return tuple(dict.fromkeys(roles))


class Accounts:
    """Users and API tokens stored in one database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ready = False

    def ensure_schema(self) -> Accounts:
        """Create the tables once per instance."""
        if not self._ready:
            ensure_schema(self.db)
            self._ready = True
        return self

    # -- users ---------------------------------------------------------------
    def count(self) -> int:
        """How many users exist."""
        return int(self.ensure_schema().db.read("SELECT COUNT(*) FROM users")[0][0])

    def add(self, name: str, roles: list[str] | tuple[str, ...], password: str | None = None,
            *, must_change: bool = False) -> str:
        """Create a user; returns the password (generated when none is given)."""
        if not _NAME.fullmatch(name):
            raise ConfigError(f"invalid user name {name!r}: use a-z, 0-9, '.', '_' or '-'")
        role_list = _check_roles(roles)
        password = password if password is not None else generate_password()
        if len(password) < 8:
            raise ConfigError("the password must have at least 8 characters")
        pw_hash = _HASHER.hash(password)
        with self.ensure_schema().db.write() as txn:
            cur = txn.execute("INSERT OR IGNORE INTO users (name, password_hash, roles, must_change, "
                              "disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)",
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
        rows = self.ensure_schema().db.read(
            "SELECT name, roles, must_change, disabled FROM users ORDER BY name")
        return [(User(n, tuple(r.split(",")), bool(m)), bool(d)) for n, r, m, d in rows]

    def get(self, name: str) -> User | None:
        """The enabled user called ``name``, or None."""
        row = self._row(name)
        if row is None or row[3]:
            return None
        return User(name, tuple(row[1].split(",")), bool(row[2]))

    def _row(self, name: str) -> tuple[str, str, int, int] | None:
        rows = self.ensure_schema().db.read(
            "SELECT password_hash, roles, must_change, disabled FROM users WHERE name = ?", (name,))
        return rows[0] if rows else None

    def password_stamp(self, name: str) -> str | None:
        """A short digest of the stored hash: sessions carry it, so a new password ends them."""
        row = self._row(name)
        return None if row is None else hashlib.sha256(row[0].encode()).hexdigest()[:16]

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
        """Replace ``name``'s password and clear the must-change flag."""
        if len(password) < 8:
            raise ConfigError("the password must have at least 8 characters")
        if self._row(name) is None:
            raise NotFound(f"no user {name!r}")
        self._store_hash(name, _HASHER.hash(password), False)

    def require_change(self, name: str) -> None:
        """Make ``name`` choose a new password at the next login."""
        with self.ensure_schema().db.write() as txn:
            txn.execute("UPDATE users SET must_change = 1 WHERE name = ?", (name,))

    def _store_hash(self, name: str, pw_hash: str, must_change: bool) -> None:
        with self.db.write() as txn:
            txn.execute("UPDATE users SET password_hash = ?, must_change = ? WHERE name = ?",
                        (pw_hash, int(must_change), name))

    # -- API tokens ----------------------------------------------------------
    def create_token(self, name: str, label: str = "") -> str:
        """A new API token for ``name``; shown once, stored only as its hash."""
        if self.get(name) is None:
            raise NotFound(f"no user {name!r}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.db.write() as txn:
            txn.execute("INSERT INTO api_tokens (token_hash, user_name, label, created_at) "
                        "VALUES (?, ?, ?, ?)", (_token_hash(token), name, label, _now()))
        return token

    def user_for_token(self, token: str) -> User | None:
        """The enabled user owning ``token``, or None."""
        rows = self.ensure_schema().db.read(
            "SELECT user_name FROM api_tokens WHERE token_hash = ?", (_token_hash(token),))
        return self.get(rows[0][0]) if rows else None

    def stored_password_hash(self, name: str) -> str | None:
        """The stored hash (for audits and tests: it is an argon2id string)."""
        row = self._row(name)
        return None if row is None else row[0]
