"""Identity in the log's tables: the server side of :mod:`athar.identity`.

:class:`IdentityHook` checks each identity entry with
:func:`athar.identity.check_identity_entry` against the ``actors``,
``actor_keys`` and ``actor_roles`` tables (as of the entries before it, in the
same transaction) and records it there; :class:`IdentityView` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from athar.identity import ACTOR_TYPES, IDENTITY_KINDS, ROLES, check_identity_entry
from athar.ledger.entry import Entry
from athar.log.hooks import Txn

__all__ = ["ACTOR_TYPES", "ROLES", "ActorRecord", "IdentityHook", "IdentityView", "author_status"]


@dataclass(frozen=True)
class ActorRecord:
    """An actor as the log records it."""

    actor_id: str
    name: str
    actor_type: str
    roles: tuple[str, ...]
    keys: tuple[str, ...]
    revoked_keys: tuple[str, ...]


def author_status(txn: Txn, vkey: str) -> tuple[str, bool] | None:
    """``(actor_id, revoked)`` for a registered key, or None if unknown."""
    row = txn.execute(
        "SELECT actor_id, revoked_idx FROM actor_keys WHERE vkey = ?", (vkey,)
    ).fetchone()
    return None if row is None else (row[0], row[1] is not None)


class _TableState:
    """:class:`athar.identity.IdentityState` over the identity tables, inside a transaction."""

    def __init__(self, txn: Txn) -> None:
        self.txn = txn

    def key_status(self, vkey: str) -> tuple[str, bool] | None:
        return author_status(self.txn, vkey)

    def actor_exists(self, actor_id: str) -> bool:
        return self.txn.execute("SELECT 1 FROM actors WHERE actor_id = ?", (actor_id,)).fetchone() is not None

    def has_role(self, actor_id: str, role: str) -> bool:
        return self.txn.execute("SELECT 1 FROM actor_roles WHERE actor_id = ? AND role = ?",
                                (actor_id, role)).fetchone() is not None

    def has_keys(self) -> bool:
        return self.txn.execute("SELECT 1 FROM actor_keys LIMIT 1").fetchone() is not None


class IdentityHook:
    """Checks identity entries by the shared rules and records them in the identity tables."""

    kinds = IDENTITY_KINDS

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        check_identity_entry(_TableState(txn), entry.kind, entry.body, entry.author)

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        body = entry.body
        if entry.kind == "actor.registered":
            txn.execute("INSERT INTO actors (actor_id, name, actor_type, registered_idx) "
                        "VALUES (?, ?, ?, ?)",
                        (body["actor_id"], body["name"], body["actor_type"], index))
            txn.execute("INSERT INTO actor_keys (vkey, actor_id, registered_idx) VALUES (?, ?, ?)",
                        (body["vkey"], body["actor_id"], index))
            for role in dict.fromkeys(body["roles"]):
                txn.execute("INSERT INTO actor_roles (actor_id, role, granted_idx) "
                            "VALUES (?, ?, ?)", (body["actor_id"], role, index))
        elif entry.kind == "role.granted":
            txn.execute("INSERT INTO actor_roles (actor_id, role, granted_idx) "
                        "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (body["actor_id"], body["role"], index))
        else:
            txn.execute("UPDATE actor_keys SET revoked_idx = ? WHERE vkey = ?",
                        (index, body["vkey"]))


class IdentityView:
    """Read-side queries over identity state (for the CLI, API and custody)."""

    def __init__(self, log: Any) -> None:
        self._read = log.read

    def actor_for_vkey(self, vkey: str) -> str | None:
        """The actor id holding ``vkey`` (revoked or not), or None."""
        rows = self._read("SELECT actor_id FROM actor_keys WHERE vkey = ?", (vkey,))
        return rows[0][0] if rows else None

    def is_revoked(self, vkey: str) -> bool:
        """True when ``vkey`` has been revoked."""
        rows = self._read("SELECT revoked_idx FROM actor_keys WHERE vkey = ?", (vkey,))
        return bool(rows) and rows[0][0] is not None

    def revoked_at(self, vkey: str) -> int | None:
        """The index of the entry that revoked ``vkey``, or None."""
        rows = self._read("SELECT revoked_idx FROM actor_keys WHERE vkey = ?", (vkey,))
        return rows[0][0] if rows else None

    def roles(self, actor_id: str) -> tuple[str, ...]:
        """The roles granted to ``actor_id``."""
        rows = self._read("SELECT role FROM actor_roles WHERE actor_id = ? ORDER BY role",
                          (actor_id,))
        return tuple(r[0] for r in rows)

    def actor(self, actor_id: str) -> ActorRecord | None:
        """One actor with roles and keys, or None."""
        rows = self._read("SELECT actor_id, name, actor_type FROM actors WHERE actor_id = ?",
                          (actor_id,))
        if not rows:
            return None
        keys = self._read("SELECT vkey, revoked_idx FROM actor_keys WHERE actor_id = ? "
                          "ORDER BY registered_idx", (actor_id,))
        return ActorRecord(rows[0][0], rows[0][1], rows[0][2], self.roles(actor_id),
                           tuple(k for k, _ in keys),
                           tuple(k for k, r in keys if r is not None))

    def actors(self) -> list[ActorRecord]:
        """Every registered actor, in registration order."""
        ids = self._read("SELECT actor_id FROM actors ORDER BY registered_idx")
        return [a for (i,) in ids if (a := self.actor(i)) is not None]
