"""People curate incidents: merge, split, move a report's account, set the place or the date.

One entry kind, ``incident.curated``, signed by an investigator or admin:
``{action, incident_id, reason, seen, into?, frames?, place?, date?}``

- ``merge``: ``incident_id`` joins ``into`` (not itself);
- ``split``: the ``frames`` (keys ``REPORT_ID:N``) of ``incident_id`` leave it
  for a new incident, whose id comes from this entry's leaf hash;
- ``move``: the ``frames`` of ``incident_id`` go to ``into``;
- ``set_place``: ``place`` ``{name, kind, admin, lat, lon}``; ``set_date``: ``date``
  (YYYY-MM-DD, YYYY-MM or YYYY).

``seen`` maps each incident the entry changes to the version the person saw
(``version`` in the incident's JSON); a stale one is refused with Conflict.
A person's decision is kept as *pins* (frame → incident) and *overrides*
(place, date): the grouping never moves a pinned frame, and a full regrouping
(:func:`athar.incidents.assign.regroup`) puts every pinned frame back where a
person put it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from athar.errors import Conflict, EntryRejected, Forbidden, NotFound
from athar.incidents.assign import incident_version, rebuild_incidents
from athar.incidents.grouping import new_incident_id
from athar.ledger.entry import Entry
from athar.ledger.note import Signer
from athar.log.hooks import Txn
from athar.log.server import AppendResult, Log

__all__ = ["ACTIONS", "CurationHook", "check_curation", "curate"]

ACTIONS = ("merge", "split", "move", "set_place", "set_date")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CURATORS = {"investigator", "admin"}


def check_curation(body: Any) -> dict[str, Any]:
    """``body`` when well formed; EntryRejected naming what is wrong otherwise."""
    if not isinstance(body, dict) or body.get("action") not in ACTIONS:
        raise EntryRejected(f"'action' must be one of {', '.join(ACTIONS)}")
    if not isinstance(body.get("incident_id"), str):
        raise EntryRejected("'incident_id' must name the incident")
    if not isinstance(body.get("reason"), str) or not body["reason"].strip() or len(body["reason"]) > 2000:
        raise EntryRejected("give a reason (up to 2,000 characters): curation is on the record")
    if not isinstance(body.get("seen"), dict):
        raise EntryRejected("'seen' must map each incident changed to the version you saw")
    action = body["action"]
    if action in ("merge", "move") and not isinstance(body.get("into"), str):
        raise EntryRejected(f"{action} needs 'into', the incident to join")
    if action == "merge" and body["into"] == body["incident_id"]:
        raise EntryRejected("an incident cannot be merged into itself")
    if action in ("split", "move"):
        frames = body.get("frames")
        if not isinstance(frames, list) or not frames or not all(isinstance(f, str) for f in frames):
            raise EntryRejected(f"{action} needs 'frames', the keys of the accounts to move")
    if action == "set_place":
        place = body.get("place")
        if not isinstance(place, dict) or not isinstance(place.get("name"), str) or not place["name"].strip():
            raise EntryRejected("set_place needs 'place' with at least a 'name'")
    if action == "set_date" and not (isinstance(body.get("date"), str) and _DATE.match(body["date"])):
        raise EntryRejected("set_date needs 'date' as YYYY-MM-DD, YYYY-MM or YYYY")
    return body


def _frames(txn: Txn, incident_id: str) -> list[str]:
    return [
        r[0]
        for r in txn.execute(
            "SELECT frame_key FROM incident_frames WHERE incident_id = ?", (incident_id,)
        ).fetchall()
    ]


def _version(txn: Txn, incident_id: str) -> str:
    row = txn.execute(
        "SELECT place, date FROM incident_overrides WHERE incident_id = ?", (incident_id,)
    ).fetchone()
    return incident_version(_frames(txn, incident_id), (row[0], row[1]) if row else None)


class CurationHook:
    """Owns ``incident.curated``: checks it, records the pins and overrides, rebuilds the incidents."""

    kinds = frozenset({"incident.curated"})

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        body = check_curation(entry.body)
        author = txn.execute("SELECT actor_id FROM actor_keys WHERE vkey = ?", (entry.author,)).fetchone()
        roles = {
            r[0]
            for r in txn.execute(
                "SELECT role FROM actor_roles WHERE actor_id = ?", (author[0] if author else "",)
            ).fetchall()
        }
        if not roles & _CURATORS:
            raise Forbidden("curating incidents needs the investigator or admin role")
        involved = [body["incident_id"]] + ([body["into"]] if body.get("into") else [])
        for incident_id in involved:
            if (
                txn.execute("SELECT 1 FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
                is None
            ):
                raise NotFound(f"no incident {incident_id}")
            now = _version(txn, incident_id)
            if body["seen"].get(incident_id) != now:
                raise Conflict(
                    f"incident {incident_id} changed since you saw it (now version {now}): "
                    "reload it and decide again",
                    newer=now,
                )
        if body["action"] in ("split", "move"):
            own = set(_frames(txn, body["incident_id"]))
            stray = [f for f in body["frames"] if f not in own]
            if stray:
                raise EntryRejected(f"{stray[0]} is not an account in incident {body['incident_id']}")
            if body["action"] == "split" and len(set(body["frames"])) == len(own):
                raise EntryRejected("a split must leave at least one account in the incident")

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        """Pin frames or set place or date, then rebuild the incidents changed."""
        body: dict[str, Any] = entry.body
        action, source = body["action"], body["incident_id"]
        if action in ("set_place", "set_date"):
            row = txn.execute(
                "SELECT place, date FROM incident_overrides WHERE incident_id = ?", (source,)
            ).fetchone()
            place, date = row if row else (None, None)
            if action == "set_place":
                place = json.dumps(body["place"], ensure_ascii=False)
            else:
                date = body["date"]
            txn.execute("DELETE FROM incident_overrides WHERE incident_id = ?", (source,))
            txn.execute(
                "INSERT INTO incident_overrides (incident_id, place, date, set_idx) VALUES (?, ?, ?, ?)",
                (source, place, date, index),
            )
            rebuild_incidents(txn, {source})
            return
        if action == "merge":
            moving, target = _frames(txn, source), body["into"]
            staying: list[str] = []
        else:
            moving = list(dict.fromkeys(body["frames"]))
            target = body.get("into") or new_incident_id(leaf_hash.hex())
            staying = [f for f in _frames(txn, source) if f not in moving]
        pins = [(f, target) for f in moving + (_frames(txn, target) if action == "merge" else [])]
        pins += [(f, source) for f in staying]
        for frame_key, incident_id in pins:
            txn.execute("DELETE FROM incident_pins WHERE frame_key = ?", (frame_key,))
            txn.execute(
                "INSERT INTO incident_pins (frame_key, incident_id, pinned_idx) VALUES (?, ?, ?)",
                (frame_key, incident_id, index),
            )
            txn.execute(
                "UPDATE incident_frames SET incident_id = ? WHERE frame_key = ?", (incident_id, frame_key)
            )
        rebuild_incidents(txn, {source, target})


def curate(
    log: Log, signer: Signer, action: str, incident_id: str, reason: str, **fields: Any
) -> AppendResult:
    """Sign and append one ``incident.curated`` entry, on the incidents' current versions.

    ``fields``: ``into``, ``frames``, ``place`` or ``date`` as the action needs.
    The versions are read now; pass ``seen`` to act on a version seen earlier
    (a web form does), so a change made in between is refused, not overwritten.
    """
    seen = fields.pop("seen", None)
    if seen is None:
        ids = [incident_id] + ([fields["into"]] if fields.get("into") else [])
        seen = {}
        for i in ids:
            rows = log.read("SELECT data FROM incidents WHERE incident_id = ?", (i,))
            if not rows:
                raise NotFound(f"no incident {i}")
            seen[i] = json.loads(rows[0][0]).get("version")
    body = {"action": action, "incident_id": incident_id, "reason": reason, "seen": seen, **fields}
    return log.append(Entry.create("incident.curated", body, signer))
