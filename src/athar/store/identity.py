"""Identity in the log: actors, their keys and roles, and key revocation.

Kinds (all signed by a key whose actor holds the ``admin`` role):

- ``actor.registered``: ``{actor_id, name, actor_type, vkey, roles}``
- ``role.granted``: ``{actor_id, role}``
- ``key.revoked``: ``{vkey, reason}``

The very first entry of a log may be a self-signed ``actor.registered`` of an
admin: that is how a workspace's admin key enters its own log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from athar.errors import EntryRejected, Forbidden
from athar.ledger.entry import Entry
from athar.ledger.note import MalformedNote, Verifier
from athar.store.hooks import Txn

__all__ = ["ACTOR_TYPES", "ROLES", "ActorRecord", "IdentityHook", "IdentityView", "author_status"]

ROLES = ("admin", "investigator", "custodian", "lab", "reviewer", "observer")
ACTOR_TYPES = ("person", "lab", "organisation", "detector")


@dataclass(frozen=True)
class ActorRecord:
    """An actor as the log records it."""

    actor_id: str
    name: str
    actor_type: str
    roles: tuple[str, ...]
    keys: tuple[str, ...]
    revoked_keys: tuple[str, ...]


def _require(body: Any, fields: dict[str, type]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise EntryRejected("entry body must be a JSON object")
    for name, typ in fields.items():
        if not isinstance(body.get(name), typ):
            raise EntryRejected(f"body field {name!r} must be a {typ.__name__}")
    return body


def author_status(txn: Txn, vkey: str) -> tuple[str, bool] | None:
    """``(actor_id, revoked)`` for a registered key, or None if unknown."""
    row = txn.execute(
        "SELECT actor_id, revoked_idx FROM actor_keys WHERE vkey = ?", (vkey,)
    ).fetchone()
    return None if row is None else (row[0], row[1] is not None)


def _has_role(txn: Txn, actor_id: str, role: str) -> bool:
    row = txn.execute(
        "SELECT 1 FROM actor_roles WHERE actor_id = ? AND role = ?", (actor_id, role)
    ).fetchone()
    return row is not None


class IdentityHook:
    """Checks and records identity entries."""

    kinds = frozenset({"actor.registered", "role.granted", "key.revoked"})

    def schema(self, dialect: str) -> list[str]:
        return []  # identity tables are part of the core schema

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        body = entry.body
        if entry.kind == "actor.registered":
            _require(body, {"actor_id": str, "name": str, "actor_type": str, "vkey": str,
                            "roles": list})
            if body["actor_type"] not in ACTOR_TYPES:
                raise EntryRejected(f"actor_type must be one of {', '.join(ACTOR_TYPES)}")
            if any(r not in ROLES for r in body["roles"]):
                raise EntryRejected(f"roles must be among {', '.join(ROLES)}")
            try:
                Verifier.from_vkey(body["vkey"])
            except MalformedNote as exc:
                raise EntryRejected(f"actor key is not a valid verifier key: {exc}") from None
            if txn.execute("SELECT 1 FROM actor_keys WHERE vkey = ?",
                           (body["vkey"],)).fetchone():
                raise EntryRejected("this key is already registered")
            if txn.execute("SELECT 1 FROM actors WHERE actor_id = ?",
                           (body["actor_id"],)).fetchone():
                raise EntryRejected(f"actor {body['actor_id']!r} is already registered")
        elif entry.kind == "role.granted":
            _require(body, {"actor_id": str, "role": str})
            if body["role"] not in ROLES:
                raise EntryRejected(f"role must be one of {', '.join(ROLES)}")
            if not txn.execute("SELECT 1 FROM actors WHERE actor_id = ?",
                               (body["actor_id"],)).fetchone():
                raise EntryRejected(f"unknown actor {body['actor_id']!r}")
        else:
            _require(body, {"vkey": str, "reason": str})
            status = author_status(txn, body["vkey"])
            if status is None:
                raise EntryRejected("cannot revoke a key that is not registered")
            if status[1]:
                raise EntryRejected("this key is already revoked")
        self._check_admin(entry, txn)

    def _check_admin(self, entry: Entry, txn: Txn) -> None:
        status = author_status(txn, entry.author)
        if status is None and entry.kind == "actor.registered" and self._is_genesis(entry, txn):
            return
        if status is None or not _has_role(txn, status[0], "admin"):
            raise Forbidden(f"{entry.kind} entries must be signed by an admin key")

    @staticmethod
    def _is_genesis(entry: Entry, txn: Txn) -> bool:
        empty = txn.execute("SELECT COUNT(*) FROM actor_keys").fetchone()[0] == 0
        body = entry.body
        return bool(empty and body["vkey"] == entry.author and "admin" in body["roles"])

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn) -> None:
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
            txn.execute("INSERT OR IGNORE INTO actor_roles (actor_id, role, granted_idx) "
                        "VALUES (?, ?, ?)", (body["actor_id"], body["role"], index))
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
