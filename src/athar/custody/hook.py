"""The custody entry hook: checks custody entries before sequencing, records derived state.

Tables (defined in :mod:`athar.store.tables`):

* ``custody_exhibits``: one row per exhibit, with its public facts and its
  rule-engine state (JSON) after its latest event;
* ``custody_events``: one row per (exhibit, entry): the exhibit's timeline;
* ``custody_secrets``: the private half of each commitment (value and salt),
  written in the same transaction as the entry. It is never served by the
  public API; ``athar disclose`` reads it.

Secrets reach :meth:`CustodyHook.apply` as the append's context (the service
appends an entry with ``context=`` its openings), so value, salt and entry are
committed atomically and the values never travel in the entry. An opening is
stored only when the entry commits to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from athar.custody.commitments import Opening
from athar.custody.events import KINDS, decode_event
from athar.custody.models import ActorRef, CustodyEvent, ExhibitState
from athar.custody.rules import apply_event, check_not_ahead
from athar.ledger.entry import Entry
from athar.log.hooks import Txn

__all__ = ["DEFAULT_MAX_SKEW", "CustodyHook"]

DEFAULT_MAX_SKEW = timedelta(minutes=10)
"""How far ahead of the server's clock an event may be dated (``custody_max_skew_minutes``)."""

def _actor(txn: Txn, vkey: str) -> ActorRef:
    agg = "group_concat(r.role, ',')" if txn.dialect == "sqlite" else "string_agg(r.role, ',')"
    row = txn.execute(f"SELECT k.actor_id, k.revoked_idx, a.name, {agg} FROM actor_keys k "
                      "LEFT JOIN actors a ON a.actor_id = k.actor_id "
                      "LEFT JOIN actor_roles r ON r.actor_id = k.actor_id WHERE k.vkey = ? "
                      "GROUP BY k.actor_id, k.revoked_idx, a.name", (vkey,)).fetchone()
    if row is None:
        return ActorRef(vkey)
    roles = frozenset(row[3].split(",")) if row[3] else frozenset()
    return ActorRef(vkey, row[0], row[2], roles, row[1] is not None)


def _actor_by_id(txn: Txn, actor_id: str) -> ActorRef | None:
    row = txn.execute("SELECT name FROM actors WHERE actor_id = ?", (actor_id,)).fetchone()
    if row is None:
        return None
    roles = txn.execute("SELECT role FROM actor_roles WHERE actor_id = ?", (actor_id,)).fetchall()
    return ActorRef("", actor_id, row[0], frozenset(r[0] for r in roles))


def _load(txn: Txn, code: str) -> ExhibitState | None:
    row = txn.execute("SELECT state FROM custody_exhibits WHERE exhibit_id = ?",
                      (code,)).fetchone()
    return None if row is None else ExhibitState.from_json(json.loads(row[0]))


class CustodyHook:
    """Owns the ``custody.*`` kinds: validates bodies, runs the rules, records state."""

    kinds = KINDS

    def __init__(self, max_skew: timedelta = DEFAULT_MAX_SKEW,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.max_skew = max_skew
        self.clock = clock or (lambda: datetime.now(UTC))
        self._checked: dict[bytes, tuple[CustodyEvent, ActorRef, dict[str, ExhibitState]]] = {}

    def _evaluate(self, entry: Entry, leaf_hash: bytes, txn: Txn,
                  ) -> tuple[CustodyEvent, ActorRef, dict[str, ExhibitState]]:
        ev = decode_event(entry, -1, leaf_hash)
        actor = _actor(txn, entry.author)
        return ev, actor, apply_event(ev, actor, lambda code: _load(txn, code),
                                      lambda actor_id: _actor_by_id(txn, actor_id))

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        """Refuse a malformed body, an event dated more than ``max_skew`` ahead of the clock,
        or a custody-rule violation (EntryRejected subclasses)."""
        result = self._evaluate(entry, leaf_hash, txn)
        check_not_ahead(result[0], self.clock(), self.max_skew)
        if len(self._checked) > 10_000:
            self._checked.clear()
        self._checked[leaf_hash] = result

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        """Write the exhibit states, the timeline rows and the secrets handed in as ``context``."""
        cached = self._checked.pop(leaf_hash, None)
        ev, actor, changed = cached or self._evaluate(entry, leaf_hash, txn)
        body: dict[str, Any] = entry.body
        for code, st in changed.items():
            state = json.dumps(st.to_json(), separators=(",", ":"))
            if code == ev.exhibit_id and ev.action != "registered":
                txn.execute("UPDATE custody_exhibits SET state = ? WHERE exhibit_id = ?",
                            (state, code))
            else:
                portion = next((p for p in body.get("portions", []) if p["code"] == code), None)
                self._insert_exhibit(txn, code, st, body if code == ev.exhibit_id else None,
                                     index, state, portion)
            txn.execute("INSERT INTO custody_events (exhibit_id, idx, action, leaf_hash, at, "
                        "author, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (code, index, ev.action, leaf_hash.hex(), ev.at, entry.author,
                         actor.actor_id))
        committed = set((body.get("commit") or {}).values())
        openings = context if isinstance(context, (list, tuple)) else ()
        for o in openings:
            if not isinstance(o, Opening) or o.commitment not in committed:
                continue
            txn.execute("INSERT INTO custody_secrets (commitment, idx, leaf_hash, "
                        "exhibit_id, field, value, salt) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT DO NOTHING",
                        (o.commitment, index, leaf_hash.hex(), ev.exhibit_id, o.field,
                         json.dumps(o.value, ensure_ascii=False), o.salt))

    @staticmethod
    def _insert_exhibit(txn: Txn, code: str, st: ExhibitState, body: dict[str, Any] | None,
                        index: int, state: str, portion: dict[str, Any] | None = None) -> None:
        blob = (body or {}).get("blob") or {}
        public = {k: v for k, v in (body or {}).items()
                  if k in ("container", "quantity", "metadata")}
        if body is None and portion is not None and "quantity" in portion:
            public["quantity"] = portion["quantity"]
        txn.execute("INSERT INTO custody_exhibits (exhibit_id, kind, parent_id, registered_idx, "
                    "sha256, size, media_type, public, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (code, st.kind, st.parent_id, index, blob.get("sha256"), blob.get("size"),
                     blob.get("media_type"), json.dumps(public, separators=(",", ":")), state))
