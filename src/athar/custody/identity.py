"""A pure replay of the identity entries (actor registered, role granted, key revoked).

This replay lets the custody verifier (online or offline) know, at each point
of the log, which actor a key belongs to, that actor's roles and whether the
key was revoked. :class:`IdentityBook` is an :class:`athar.identity.IdentityState`,
so the verifier checks each identity entry by the same rules the log server
applied (:func:`athar.identity.check_identity_entry`) before folding it in.
Pure: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from athar.custody.models import ActorRef
from athar.identity import IDENTITY_KINDS
from athar.ledger.entry import canonical_json

__all__ = ["IDENTITY_KINDS", "IdentityBook", "actors_json"]


@dataclass
class IdentityBook:
    """Actors, their keys and roles, and key revocations, as of the entries applied so far."""

    names: dict[str, str] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)
    key_owner: dict[str, str] = field(default_factory=dict)
    revoked_at: dict[str, int] = field(default_factory=dict)
    registered_at: dict[str, int] = field(default_factory=dict)

    def apply(self, kind: str, body: Any, index: int) -> None:
        """Fold one identity entry (by kind) into the book; other kinds are ignored."""
        if not isinstance(body, dict):
            return
        if kind == "actor.registered":
            actor_id, vkey = str(body.get("actor_id")), str(body.get("vkey"))
            self.names[actor_id] = str(body.get("name", actor_id))
            roles = body.get("roles") or []
            self.roles.setdefault(actor_id, set()).update(str(r) for r in roles)
            self.key_owner[vkey] = actor_id
            self.registered_at.setdefault(vkey, index)
        elif kind == "role.granted":
            self.roles.setdefault(str(body.get("actor_id")), set()).add(str(body.get("role")))
        elif kind == "key.revoked":
            self.revoked_at.setdefault(str(body.get("vkey")), index)

    def actor(self, vkey: str) -> ActorRef:
        """The actor holding ``vkey`` now (``actor_id`` None when the key is unknown)."""
        actor_id = self.key_owner.get(vkey)
        if actor_id is None:
            return ActorRef(vkey, revoked=vkey in self.revoked_at)
        return ActorRef(vkey, actor_id, self.names.get(actor_id),
                        frozenset(self.roles.get(actor_id, ())), vkey in self.revoked_at)

    def actor_by_id(self, actor_id: str) -> ActorRef | None:
        """A registered actor by id (its roles; ``vkey`` empty), None if not registered."""
        if actor_id not in self.names:
            return None
        return ActorRef("", actor_id, self.names[actor_id],
                        frozenset(self.roles.get(actor_id, ())))

    def key_status(self, vkey: str) -> tuple[str, bool] | None:
        """``(actor_id, revoked)`` for a registered key, None for an unknown one."""
        actor_id = self.key_owner.get(vkey)
        return None if actor_id is None else (actor_id, vkey in self.revoked_at)

    def actor_exists(self, actor_id: str) -> bool:
        """True when ``actor_id`` was registered."""
        return actor_id in self.names

    def has_role(self, actor_id: str, role: str) -> bool:
        """True when ``actor_id`` holds ``role``."""
        return role in self.roles.get(actor_id, ())

    def has_keys(self) -> bool:
        """True once any key is registered."""
        return bool(self.key_owner)

    def vkeys(self, actor_id: str) -> list[str]:
        """Every key registered for ``actor_id``."""
        return [k for k, a in self.key_owner.items() if a == actor_id]


def actors_json(entries: Iterable[tuple[int, bytes]]) -> bytes:
    """Canonical JSON of actors (name, roles, keys, revoked keys) from identity entries."""
    book = IdentityBook()
    for index, data in sorted(entries):
        obj = json.loads(data)
        if isinstance(obj, dict) and obj.get("kind") in IDENTITY_KINDS:
            book.apply(obj["kind"], obj.get("body"), index)
    actors = {}
    for actor_id in sorted(set(book.key_owner.values()) | set(book.roles)):
        keys = sorted(book.vkeys(actor_id))
        actors[actor_id] = {
            "name": book.names.get(actor_id, actor_id),
            "roles": sorted(book.roles.get(actor_id, ())),
            "keys": keys,
            "revoked": {k: book.revoked_at[k] for k in keys if k in book.revoked_at},
        }
    return canonical_json({"actors": actors})
