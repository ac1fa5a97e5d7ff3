"""Typed, frozen records of the custody model: actors, exhibits, events, state, findings.

Pure: no I/O, no database or web imports, so the offline verifier can use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ADMIN_ROLES",
    "EXHIBIT_KINDS",
    "ROLES",
    "WRITER_ROLES",
    "ActorRef",
    "CustodyEvent",
    "Exhibit",
    "ExhibitKind",
    "ExhibitState",
    "Finding",
    "Severity",
    "Undo",
]

ExhibitKind = Literal["digital", "physical", "sensor", "report"]
EXHIBIT_KINDS: frozenset[str] = frozenset({"digital", "physical", "sensor", "report"})
ROLES: frozenset[str] = frozenset(
    {"admin", "investigator", "custodian", "lab", "reviewer", "observer"}
)
WRITER_ROLES: frozenset[str] = frozenset({"admin", "investigator", "custodian", "lab"})
"""Roles that may register exhibits and record custody events."""
ADMIN_ROLES: frozenset[str] = frozenset({"admin"})

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class ActorRef:
    """Who signed an entry: the actor's id (when registered), name and roles, and the key."""

    vkey: str
    actor_id: str | None = None
    name: str | None = None
    roles: frozenset[str] = frozenset()
    revoked: bool = False

    @property
    def label(self) -> str:
        """A short human label: the actor id, else the key's name."""
        return self.actor_id or self.vkey.split("+", 1)[0]


@dataclass(frozen=True)
class Exhibit:
    """A registered exhibit as the log defines it (public fields only)."""

    exhibit_id: str
    kind: str
    registered_index: int
    registered_leaf: str
    parent_id: str | None = None
    sha256: str | None = None
    size: int | None = None
    media_type: str | None = None
    public: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class CustodyEvent:
    """One custody entry, decoded: its place in the log and its public body."""

    index: int
    leaf_hash: str
    kind: str
    exhibit_id: str
    prev: str | None
    at: str
    author: str
    body: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def action(self) -> str:
        """The event kind without the ``custody.`` prefix."""
        return self.kind[8:] if self.kind.startswith("custody.") else self.kind


@dataclass(frozen=True)
class Undo:
    """What voiding one event in force needs: its leaf hash, who recorded it (actor key), its
    action, and ``changes``: ``last_at`` and every field whose value before the event differs
    from its value after it (JSON values), so the state before it is the state after it with
    ``changes`` applied."""

    leaf: str
    who: str
    action: str
    changes: dict[str, Any] = field(default_factory=dict, hash=False)

    def to_json(self) -> dict[str, Any]:
        """A JSON object holding every field."""
        return {"leaf": self.leaf, "who": self.who, "action": self.action,
                "changes": self.changes}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Undo:
        """Rebuild an undo record written by :meth:`to_json`."""
        return cls(obj["leaf"], obj["who"], obj["action"], dict(obj["changes"]))


@dataclass(frozen=True)
class ExhibitState:
    """An exhibit's custody state after its latest event (the rule engine's memory).

    ``holder`` is the actor id (or key, for unregistered authors) that holds the
    exhibit; None means it is outside Athar's custody (returned, or not yet taken).
    ``undo`` holds the latest events still in force that a ``correction`` may
    void (latest last, at most :data:`athar.custody.rules.UNDO_DEPTH`); ``void``
    marks a portion whose split was voided (nothing may follow).
    """

    exhibit_id: str
    kind: str
    head: str
    last_at: str
    holder: str | None
    seals: tuple[str, ...] = ()
    sealed_since_receipt: bool = False
    received_since_seal_check: bool = False
    pending_to: str | None = None
    pending_from: str | None = None
    broken_seal: bool = False
    unverified_prior: bool = False
    destroyed: bool = False
    opened: bool = False
    parent_id: str | None = None
    children: tuple[str, ...] = ()
    events: int = 1
    void: bool = False
    undo: tuple[Undo, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """A JSON object holding every field (for the derived-state table)."""
        return {
            "exhibit_id": self.exhibit_id, "kind": self.kind,
            "head": self.head, "last_at": self.last_at, "holder": self.holder,
            "seals": list(self.seals), "sealed_since_receipt": self.sealed_since_receipt,
            "received_since_seal_check": self.received_since_seal_check,
            "pending_to": self.pending_to, "pending_from": self.pending_from,
            "broken_seal": self.broken_seal, "unverified_prior": self.unverified_prior,
            "destroyed": self.destroyed, "opened": self.opened, "parent_id": self.parent_id,
            "children": list(self.children), "events": self.events,
            "void": self.void, "undo": [u.to_json() for u in self.undo],
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ExhibitState:
        """Rebuild a state written by :meth:`to_json`."""
        return cls(
            exhibit_id=obj["exhibit_id"], kind=obj["kind"],
            head=obj["head"], last_at=obj["last_at"], holder=obj["holder"],
            seals=tuple(obj["seals"]), sealed_since_receipt=obj["sealed_since_receipt"],
            received_since_seal_check=obj["received_since_seal_check"],
            pending_to=obj["pending_to"], pending_from=obj["pending_from"],
            broken_seal=obj["broken_seal"], unverified_prior=obj["unverified_prior"],
            destroyed=obj["destroyed"], opened=obj["opened"], parent_id=obj["parent_id"],
            children=tuple(obj["children"]), events=obj["events"],
            void=obj.get("void", False),
            undo=tuple(Undo.from_json(u) for u in obj.get("undo", ())),
        )


@dataclass(frozen=True)
class Finding:
    """One result of verifying a custody chain.

    ``error`` means the record itself fails (signature, proof, link, rule);
    ``warning`` is a custody concern on an intact record (gap, broken seal,
    unverified prior custody, revoked key, incomplete hand-over).
    """

    severity: Severity
    code: str
    message: str
    exhibit_id: str | None = None
    index: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The finding as a JSON object."""
        return {"severity": self.severity, "code": self.code, "message": self.message,
                "exhibit": self.exhibit_id, "index": self.index}
