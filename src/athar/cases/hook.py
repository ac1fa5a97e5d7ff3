"""The case hook: who may write case and review entries, and the case tables they update.

Checks, against the tables as of the entries before (in the append's transaction):

- ``case.created`` by an investigator or admin, for a case id not yet used;
- ``case.updated``, ``case.member``, ``case.linked`` by the case's lead or an
  admin (links: any member but an observer), naming the case's newest entry
  as ``seen``; members must be registered actors, linked items must exist;
- ``claim.reviewed`` by a reviewer, investigator or admin, of a stored report,
  citing that report's ``extraction.recorded`` entry, with a span inside the
  report's text, naming the claim's newest review as ``seen``.

A stale ``seen`` is refused with :class:`~athar.errors.Conflict`, whose message
names the newer decision, so nobody overwrites someone else's work unseen.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from athar.cases.entries import CASE_KINDS, REVIEW_KIND, check_body
from athar.errors import Conflict, EntryRejected, Forbidden, NotFound
from athar.incidents.assign import reassign_report
from athar.ledger.entry import Entry
from athar.log.hooks import Txn

__all__ = ["CaseHook", "claim_key"]

_CREATORS = {"investigator", "admin"}
_REVIEWERS = {"reviewer", "investigator", "admin"}


def claim_key(claim: int | None, index: int) -> str:
    """A claim's key within its report: its number, or ``+INDEX`` for one a reviewer added."""
    return str(claim) if claim is not None else f"+{index}"


def _actor(txn: Txn, vkey: str) -> tuple[str, set[str]]:
    row = txn.execute(
        "SELECT actor_id FROM actor_keys WHERE vkey = ? AND revoked_idx IS NULL", (vkey,)
    ).fetchone()
    if row is None:
        raise Forbidden("the signing key is not a registered, unrevoked actor's key")
    roles = {
        r[0] for r in txn.execute("SELECT role FROM actor_roles WHERE actor_id = ?", (row[0],)).fetchall()
    }
    return str(row[0]), roles


class CaseHook:
    """Owns ``case.*`` and ``claim.reviewed``: checks them and writes the case and review tables."""

    kinds = CASE_KINDS | {REVIEW_KIND}

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        body = check_body(entry.kind, entry.body)
        actor_id, roles = _actor(txn, entry.author)
        if entry.kind == REVIEW_KIND:
            self._check_review(body, actor_id, roles, txn)
            return
        case = txn.execute("SELECT head FROM cases WHERE case_id = ?", (body["case_id"],)).fetchone()
        if entry.kind == "case.created":
            if not roles & _CREATORS:
                raise Forbidden("opening a case needs the investigator or admin role")
            if case is not None:
                raise Conflict(f"case {body['case_id']} exists already: choose another id")
            return
        if case is None:
            raise NotFound(f"no case {body['case_id']}")
        if body.get("seen") != case[0]:
            raise Conflict(
                f"case {body['case_id']} changed since you saw it (its newest entry is "
                f"{case[0][:12]}…): reload it and try again",
                newer=case[0],
            )
        role = txn.execute(
            "SELECT role FROM case_members WHERE case_id = ? AND actor_id = ?", (body["case_id"], actor_id)
        ).fetchone()
        allowed = "admin" in roles or (
            role is not None
            and (
                role[0] == "lead" or (entry.kind == "case.linked" and role[0] in ("investigator", "reviewer"))
            )
        )
        if not allowed:
            raise Forbidden(
                f"{entry.kind} needs the case's lead or an admin"
                + (" (links: any member but an observer)" if entry.kind == "case.linked" else "")
            )
        if entry.kind == "case.member":
            if txn.execute("SELECT 1 FROM actors WHERE actor_id = ?", (body["actor_id"],)).fetchone() is None:
                raise NotFound(f"no registered actor {body['actor_id']!r}: add the user first")
        elif entry.kind == "case.linked" and body["action"] == "link":
            _check_item(txn, body["item_type"], body["item_id"])

    def _check_review(self, body: dict[str, Any], actor_id: str, roles: set[str], txn: Txn) -> None:
        if not roles & _REVIEWERS:
            raise Forbidden("reviewing claims needs the reviewer, investigator or admin role")
        row = txn.execute(
            "SELECT extraction_idx, text, extraction FROM reports WHERE report_id = ?", (body["report_id"],)
        ).fetchone()
        if row is None:
            raise NotFound(f"no report {body['report_id']}")
        ext = body["extraction"]
        if row[0] != ext["index"]:
            raise EntryRejected(
                f"the report's extraction is entry {row[0]}, not {ext['index']}: "
                "review the extraction the report holds"
            )
        leaf = txn.execute("SELECT leaf_hash FROM entries WHERE idx = ?", (ext["index"],)).fetchone()
        if leaf is None or bytes(leaf[0]).hex() != ext["leaf_hash"]:
            raise EntryRejected("'extraction.leaf_hash' is not the leaf hash of that entry")
        claims = json.loads(row[2]).get("claims", [])
        if body["claim"] is not None and body["claim"] >= len(claims):
            raise NotFound(f"the extraction has {len(claims)} claims; there is no claim {body['claim']}")
        value = body.get("value")
        if value is not None and value["end"] > len(row[1]):
            raise EntryRejected(
                f"the span ends at {value['end']}, after the report's text ({len(row[1])} characters)"
            )
        if body["claim"] is None:
            if body.get("seen") is not None:
                raise EntryRejected("an added claim has no earlier review: 'seen' must be null")
            return
        state = txn.execute(
            "SELECT leaf_hash, decision FROM claim_states WHERE report_id = ? AND claim_key = ?",
            (body["report_id"], str(body["claim"])),
        ).fetchone()
        latest = state[0] if state else None
        if body.get("seen") != latest:
            newer = f"it is {state[1]} now (review {state[0][:12]}…)" if state else "it has no review"
            raise Conflict(
                f"claim {body['claim']} was reviewed since you saw it: {newer}; reload and decide again",
                newer=latest,
            )

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        """Write the case or review tables for a sequenced entry."""
        body: dict[str, Any] = entry.body
        actor_id = txn.execute("SELECT actor_id FROM actor_keys WHERE vkey = ?", (entry.author,)).fetchone()[
            0
        ]
        head = leaf_hash.hex()
        if entry.kind == REVIEW_KIND:
            key = claim_key(body["claim"], index)
            value = (
                json.dumps(body.get("value"), ensure_ascii=False) if body.get("value") is not None else None
            )
            txn.execute(
                "INSERT INTO claim_reviews (idx, leaf_hash, report_id, claim_key, decision, value, note, "
                "actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    index,
                    head,
                    body["report_id"],
                    key,
                    body["decision"],
                    value,
                    body.get("note"),
                    actor_id,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )
            txn.execute(
                "DELETE FROM claim_states WHERE report_id = ? AND claim_key = ?", (body["report_id"], key)
            )
            txn.execute(
                "INSERT INTO claim_states (report_id, claim_key, decision, value, review_idx, leaf_hash) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (body["report_id"], key, body["decision"], value, index, head),
            )
            reassign_report(txn, body["report_id"])  # incidents follow what people decided
            return
        case_id = body["case_id"]
        if entry.kind == "case.created":
            txn.execute(
                "INSERT INTO cases (case_id, name, summary, status, created_idx, head) "
                "VALUES (?, ?, ?, 'open', ?, ?)",
                (case_id, body["name"], body.get("summary") or "", index, head),
            )
            txn.execute(
                "INSERT INTO case_members (case_id, actor_id, role, since_idx) VALUES (?, ?, 'lead', ?)",
                (case_id, actor_id, index),
            )
            return
        txn.execute("UPDATE cases SET head = ? WHERE case_id = ?", (head, case_id))
        if entry.kind == "case.updated":
            for field in ("name", "summary", "status"):
                if field in body:
                    txn.execute(f"UPDATE cases SET {field} = ? WHERE case_id = ?", (body[field], case_id))
        elif entry.kind == "case.member":
            txn.execute(
                "DELETE FROM case_members WHERE case_id = ? AND actor_id = ?", (case_id, body["actor_id"])
            )
            if body["action"] == "add":
                txn.execute(
                    "INSERT INTO case_members (case_id, actor_id, role, since_idx) VALUES (?, ?, ?, ?)",
                    (case_id, body["actor_id"], body["role"], index),
                )
        else:
            txn.execute(
                "DELETE FROM case_links WHERE case_id = ? AND item_type = ? AND item_id = ?",
                (case_id, body["item_type"], body["item_id"]),
            )
            if body["action"] == "link":
                txn.execute(
                    "INSERT INTO case_links (case_id, item_type, item_id, note, linked_idx) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (case_id, body["item_type"], body["item_id"], body.get("note") or "", index),
                )


def _check_item(txn: Txn, item_type: str, item_id: str) -> None:
    if item_type == "report":
        found = txn.execute("SELECT 1 FROM reports WHERE report_id = ?", (item_id,)).fetchone()
    elif item_type == "exhibit":
        found = txn.execute("SELECT 1 FROM custody_exhibits WHERE exhibit_id = ?", (item_id,)).fetchone()
    elif item_type == "incident":
        found = txn.execute("SELECT 1 FROM incidents WHERE incident_id = ?", (item_id,)).fetchone()
    else:
        report_id, _, key = item_id.partition(":")
        found = txn.execute("SELECT 1 FROM reports WHERE report_id = ?", (report_id,)).fetchone() and (
            key.isdigit()
            or txn.execute(
                "SELECT 1 FROM claim_states WHERE report_id = ? AND claim_key = ?", (report_id, key)
            ).fetchone()
        )
    if not found:
        raise NotFound(f"no {item_type} {item_id!r} to link")
