"""API tokens: made for a user with a lifetime, listed, revoked; stored only as their SHA-256.

A token is ``athar_`` and 256 random bits, shown once when made. The table
keeps its hash (256 random bits need no slow hash), its label, when it was
made, when it expires (``days`` after, by default :data:`DEFAULT_DAYS`; None
for a token made before lifetimes existed), when it was revoked and when it
was last used. A token's id is the first 12 hex digits of its hash: enough to
name it in a listing, useless to anyone who would use it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from athar.errors import ConfigError, NotFound
from athar.store.db import Database

__all__ = ["DEFAULT_DAYS", "TOKEN_PREFIX", "TokenInfo", "Tokens"]

TOKEN_PREFIX = "athar_"
DEFAULT_DAYS = 90
MAX_DAYS = 366
_ID_DIGITS = 12
_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    """One token as a listing shows it (never the token itself)."""

    token_id: str
    user_name: str
    label: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    last_used_at: str | None

    @property
    def active(self) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and (self.expires_at is None
                                            or self.expires_at > _now().isoformat())


_SELECT = ("SELECT token_hash, user_name, label, created_at, expires_at, revoked_at, last_used_at "
           "FROM api_tokens")


def _info(row: tuple[str, ...]) -> TokenInfo:
    digest, user_name, label, created, expires, revoked, last = row
    return TokenInfo(digest[:_ID_DIGITS], user_name, label, created, expires, revoked, last)


class Tokens:
    """The ``api_tokens`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, user_name: str, label: str = "", days: int = DEFAULT_DAYS) -> str:
        """A new token for ``user_name`` valid for ``days`` days (1..366); the caller checks the user."""
        if not 1 <= days <= MAX_DAYS:
            raise ConfigError(f"a token lives 1 to {MAX_DAYS} days; make a new one when it expires")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = _now()
        with self.db.write() as txn:
            txn.execute("INSERT INTO api_tokens (token_hash, user_name, label, created_at, expires_at) "
                        "VALUES (?, ?, ?, ?, ?)", (_hash(token), user_name, label[:200],
                                                   now.isoformat(), (now + timedelta(days=days)).isoformat()))
        return token

    def user_name_for(self, token: str) -> str | None:
        """The user of an active token (and its use noted), or None for any other string."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
            return None
        digest = _hash(token)
        rows = self.db.read("SELECT user_name, expires_at, revoked_at, last_used_at FROM api_tokens "
                            "WHERE token_hash = ?", (digest,))
        if not rows:
            return None
        user_name, expires_at, revoked_at, last_used = rows[0]
        now = _now()
        if revoked_at is not None or (expires_at is not None and expires_at <= now.isoformat()):
            return None
        if last_used is None or last_used <= (now - _TOUCH_EVERY).isoformat():
            with self.db.write() as txn:
                txn.execute("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?",
                            (now.isoformat(), digest))
        return str(user_name)

    def info(self, token: str) -> TokenInfo:
        """The listing entry of ``token`` (NotFound if it was never made here)."""
        rows = self.db.read(f"{_SELECT} WHERE token_hash = ?", (_hash(token),))
        if not rows:
            raise NotFound("no such token")
        return _info(rows[0])

    def list(self, user_name: str | None = None) -> list[TokenInfo]:
        """Every token (of ``user_name`` when given), newest first."""
        rows = (self.db.read(f"{_SELECT} WHERE user_name = ? ORDER BY created_at DESC, token_hash",
                             (user_name,))
                if user_name is not None else
                self.db.read(f"{_SELECT} ORDER BY user_name, created_at DESC, token_hash"))
        return [_info(r) for r in rows]

    def revoke(self, user_name: str, token_id: str) -> None:
        """Revoke ``user_name``'s token whose id is ``token_id``; NotFound if there is none."""
        if len(token_id) != _ID_DIGITS or not all(c in "0123456789abcdef" for c in token_id):
            raise NotFound(f"no token {token_id!r}: use an id that `athar users tokens` lists")
        with self.db.write() as txn:
            cur = txn.execute("UPDATE api_tokens SET revoked_at = ? WHERE user_name = ? "
                              "AND substr(token_hash, 1, 12) = ? AND revoked_at IS NULL",
                              (_now().isoformat(), user_name, token_id))
            if cur.rowcount == 0:
                raise NotFound(f"{user_name} has no active token {token_id}")

    def revoke_all(self, user_name: str) -> int:
        """Revoke every active token of ``user_name``; how many there were."""
        with self.db.write() as txn:
            cur = txn.execute("UPDATE api_tokens SET revoked_at = ? "
                              "WHERE user_name = ? AND revoked_at IS NULL", (_now().isoformat(), user_name))
            return int(cur.rowcount)
