"""The identity rules: who may register actors, grant roles and revoke keys. Pure: no I/O.

Kinds (all signed by a key whose actor holds the ``admin`` role):

- ``actor.registered``: ``{actor_id, name, actor_type, vkey, roles}``
- ``role.granted``: ``{actor_id, role}``
- ``key.revoked``: ``{vkey, reason}``

The very first identity entry of a log may be a self-signed ``actor.registered``
of an admin: that is how a workspace's admin key enters its own log.

:func:`check_identity_entry` is the one statement of these rules. The log
server runs it against its tables before it sequences an identity entry
(:mod:`athar.log.identity`); the custody verifier, online or offline, runs it
against the identity it has replayed so far (:mod:`athar.custody.identity`),
so an identity entry the rules refuse is an error there too.
"""

from __future__ import annotations

from typing import Any, Protocol

from athar.errors import EntryRejected, Forbidden
from athar.ledger.note import MalformedNote, Verifier

__all__ = ["ACTOR_TYPES", "IDENTITY_KINDS", "ROLES", "IdentityState", "check_identity_entry"]

ROLES = ("admin", "investigator", "custodian", "lab", "reviewer", "observer")
ACTOR_TYPES = ("person", "lab", "organisation", "detector")
IDENTITY_KINDS = frozenset({"actor.registered", "role.granted", "key.revoked"})


class IdentityState(Protocol):
    """Identity as of the entries before the one being checked."""

    def key_status(self, vkey: str) -> tuple[str, bool] | None:
        """``(actor_id, revoked)`` for a registered key, None for an unknown one."""

    def actor_exists(self, actor_id: str) -> bool:
        """True when ``actor_id`` is registered."""

    def has_role(self, actor_id: str, role: str) -> bool:
        """True when ``actor_id`` holds ``role``."""

    def has_keys(self) -> bool:
        """True once any key is registered (so no genesis entry can follow)."""


def _require(body: Any, fields: dict[str, type]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise EntryRejected("entry body must be a JSON object")
    for name, typ in fields.items():
        if not isinstance(body.get(name), typ):
            raise EntryRejected(f"body field {name!r} must be a {typ.__name__}")
    return body


def check_identity_entry(state: IdentityState, kind: str, body: Any, author: str) -> None:
    """Raise EntryRejected for a malformed or impossible identity entry, Forbidden for a non-admin author.

    Returns None when the entry of ``kind`` with ``body``, signed by ``author``,
    may follow the entries that made ``state``.
    """
    if kind == "actor.registered":
        _require(body, {"actor_id": str, "name": str, "actor_type": str, "vkey": str, "roles": list})
        if body["actor_type"] not in ACTOR_TYPES:
            raise EntryRejected(f"actor_type must be one of {', '.join(ACTOR_TYPES)}")
        if any(r not in ROLES for r in body["roles"]):
            raise EntryRejected(f"roles must be among {', '.join(ROLES)}")
        try:
            Verifier.from_vkey(body["vkey"])
        except MalformedNote as exc:
            raise EntryRejected(f"actor key is not a valid verifier key: {exc}") from None
        if state.key_status(body["vkey"]) is not None:
            raise EntryRejected("this key is already registered")
        if state.actor_exists(body["actor_id"]):
            raise EntryRejected(f"actor {body['actor_id']!r} is already registered")
    elif kind == "role.granted":
        _require(body, {"actor_id": str, "role": str})
        if body["role"] not in ROLES:
            raise EntryRejected(f"role must be one of {', '.join(ROLES)}")
        if not state.actor_exists(body["actor_id"]):
            raise EntryRejected(f"unknown actor {body['actor_id']!r}")
    elif kind == "key.revoked":
        _require(body, {"vkey": str, "reason": str})
        status = state.key_status(body["vkey"])
        if status is None:
            raise EntryRejected("cannot revoke a key that is not registered")
        if status[1]:
            raise EntryRejected("this key is already revoked")
    else:
        raise EntryRejected(f"{kind!r} is not an identity entry kind")
    _check_admin(state, kind, body, author)


def _check_admin(state: IdentityState, kind: str, body: dict[str, Any], author: str) -> None:
    status = state.key_status(author)
    if status is None and kind == "actor.registered" and not state.has_keys():
        if body["vkey"] == author and "admin" in body["roles"]:
            return  # the genesis admin, registering its own key
    if status is None or status[1] or not state.has_role(status[0], "admin"):
        raise Forbidden(f"{kind} entries must be signed by an admin key")
