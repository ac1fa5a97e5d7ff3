"""Server-side login sessions: a session ends at logout, at a password change, or when it is old.

The browser's cookie (:mod:`athar.http.sessions`) names a session by a random
id; this table keeps the id's SHA-256, the user and when the session began and
ended. A copied cookie is therefore worthless once its session ended, however
valid its signature and age.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from athar.store.db import Database

__all__ = ["MAX_AGE", "Sessions"]

MAX_AGE = timedelta(hours=12)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class Sessions:
    """The ``sessions`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, user_name: str) -> str:
        """A new session for ``user_name``; its id goes in the signed cookie."""
        session_id = secrets.token_urlsafe(32)
        with self.db.write() as txn:
            txn.execute("INSERT INTO sessions (session_id, user_name, created_at) VALUES (?, ?, ?)",
                        (_hash(session_id), user_name, _now().isoformat()))
        return session_id

    def user_name_for(self, session_id: str) -> str | None:
        """The user of a live session (not ended, younger than MAX_AGE), else None."""
        if not session_id or len(session_id) > 100:
            return None
        rows = self.db.read("SELECT user_name, created_at, ended_at FROM sessions WHERE session_id = ?",
                            (_hash(session_id),))
        if not rows or rows[0][2] is not None or rows[0][1] <= (_now() - MAX_AGE).isoformat():
            return None
        return str(rows[0][0])

    def end(self, session_id: str) -> None:
        """End one session (logout)."""
        with self.db.write() as txn:
            txn.execute("UPDATE sessions SET ended_at = ? WHERE session_id = ? AND ended_at IS NULL",
                        (_now().isoformat(), _hash(session_id)))

    def end_all(self, user_name: str) -> int:
        """End every live session of ``user_name``; how many there were."""
        with self.db.write() as txn:
            cur = txn.execute("UPDATE sessions SET ended_at = ? WHERE user_name = ? AND ended_at IS NULL",
                              (_now().isoformat(), user_name))
            return int(cur.rowcount)
