"""Making and reading cases and reviews: each change one signed entry, refused whole when stale.

Writes go through the log (:meth:`Log.append`), which runs the case hook's
checks and writes the tables in the same transaction; reads are plain queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from athar.errors import NotFound
from athar.ledger.entry import Entry
from athar.ledger.note import Signer
from athar.log.server import AppendResult, Log

__all__ = ["Activity", "CaseLink", "CaseMember", "CaseService", "CaseSummary", "CaseView", "ClaimState",
           "ReviewedClaim"]


@dataclass(frozen=True)
class CaseMember:
    actor_id: str
    role: str


@dataclass(frozen=True)
class CaseLink:
    item_type: str
    item_id: str
    note: str
    linked_idx: int


@dataclass(frozen=True)
class CaseSummary:
    """A case in a list: what it is and what waits in it."""

    case_id: str
    name: str
    status: str
    role: str | None
    to_review: int


@dataclass(frozen=True)
class CaseView:
    """One case: its record, team and links, and the leaf hash of its newest entry (``head``)."""

    case_id: str
    name: str
    summary: str
    status: str
    head: str
    members: tuple[CaseMember, ...]
    links: tuple[CaseLink, ...]

    def role_of(self, actor_id: str) -> str | None:
        """``actor_id``'s role in this case, or None when not on its team."""
        return next((m.role for m in self.members if m.actor_id == actor_id), None)

    def visible_to(self, actor_id: str | None, *, admin: bool = False) -> bool:
        """Whether someone may see this case: its team and admins always, anyone once published."""
        return admin or self.status == "published" or (
            actor_id is not None and self.role_of(actor_id) is not None)


@dataclass(frozen=True)
class ClaimState:
    """A claim's latest review: its decision, the reviewer's value, and the review's leaf hash."""

    claim_key: str
    decision: str
    value: dict[str, Any] | None
    leaf_hash: str
    review_idx: int


_CLAIM_FIELDS = ("speaker", "speaker_type", "verb", "via", "start", "end", "asserts")


@dataclass(frozen=True)
class ReviewedClaim:
    """A claim of a report as it stands: the machine's reading, the reviewer's, and which holds.

    ``key`` is its number in the extraction (``"3"``) or ``+INDEX`` for one a
    reviewer added; ``decision`` is ``suggested`` until someone decides;
    ``machine`` and ``value`` hold ``speaker, speaker_type, verb, via, start,
    end, asserts`` and ``claim`` (the span's text), ``value`` only when corrected
    or added; ``seen`` is the leaf hash of its newest review (what a reviewer
    acting on this view names as ``seen``).
    """

    key: str
    number: int | None
    decision: str
    machine: dict[str, Any] | None
    value: dict[str, Any] | None
    seen: str | None

    @property
    def current(self) -> dict[str, Any]:
        """The reading in force: the reviewer's value when there is one, else the machine's."""
        return self.value or self.machine or {}


def _reading(fields: dict[str, Any], text: str) -> dict[str, Any]:
    out = {k: fields.get(k) for k in _CLAIM_FIELDS}
    if not isinstance(fields.get("asserts"), bool):
        out["asserts"] = fields.get("stance", "asserts") != "denies"
    out["speaker"] = fields.get("speaker") or fields.get("speaker_normalized") or ""
    start, end = fields.get("start"), fields.get("end")
    out["claim"] = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
    return out


@dataclass(frozen=True)
class Activity:
    """One recent log entry about a case: its index, kind, author (actor id), what it is about
    (a member, an item, a claim ``REPORT_ID:KEY``) and what it did (an action, status or decision)."""

    index: int
    kind: str
    actor_id: str | None
    subject: str
    detail: str


class CaseService:
    """Cases and reviews over one log."""

    def __init__(self, log: Log) -> None:
        self.log = log.start()

    # -- writing -------------------------------------------------------------------------------
    def _append(self, kind: str, body: dict[str, Any], signer: Signer) -> AppendResult:
        return self.log.append(Entry.create(kind, body, signer))

    def create(self, signer: Signer, case_id: str, name: str, summary: str = "") -> AppendResult:
        """Open a case; its author becomes its lead."""
        return self._append("case.created", {"case_id": case_id, "name": name, "summary": summary}, signer)

    def update(self, signer: Signer, case_id: str, seen: str | None, **fields: str) -> AppendResult:
        """Change a case's name, summary or status (open, closed, published)."""
        return self._append("case.updated", {"case_id": case_id, "seen": seen, **fields}, signer)

    def member(
        self, signer: Signer, case_id: str, seen: str | None, actor_id: str, role: str, action: str = "add"
    ) -> AppendResult:
        """Add (or remove) a team member with a role in this case."""
        body = {"case_id": case_id, "seen": seen, "actor_id": actor_id, "role": role, "action": action}
        return self._append("case.member", body, signer)

    def link(
        self,
        signer: Signer,
        case_id: str,
        seen: str | None,
        item_type: str,
        item_id: str,
        note: str = "",
        action: str = "link",
    ) -> AppendResult:
        """Link (or unlink) an incident, report, claim or exhibit to a case, with a note."""
        body = {
            "case_id": case_id,
            "seen": seen,
            "item_type": item_type,
            "item_id": item_id,
            "note": note,
            "action": action,
        }
        return self._append("case.linked", body, signer)

    def review(
        self,
        signer: Signer,
        report_id: str,
        claim: int | None,
        decision: str,
        *,
        seen: str | None,
        value: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> AppendResult:
        """Accept, correct, reject or add (``claim`` None) a claim of a report's extraction.

        ``seen`` is the leaf hash of the claim's newest review the reviewer saw
        (None when it had none): a stale review is refused with Conflict.
        """
        rows = self.log.read("SELECT extraction_idx FROM reports WHERE report_id = ?", (report_id,))
        if not rows or rows[0][0] is None:
            raise NotFound(f"no report {report_id} with a recorded extraction")
        index = int(rows[0][0])
        leaf = self.log.read("SELECT leaf_hash FROM entries WHERE idx = ?", (index,))[0][0]
        body = {
            "report_id": report_id,
            "claim": claim,
            "extraction": {"index": index, "leaf_hash": bytes(leaf).hex()},
            "decision": decision,
            "value": value,
            "seen": seen,
            "note": note,
        }
        return self._append("claim.reviewed", body, signer)

    # -- reading -------------------------------------------------------------------------------
    def case(self, case_id: str) -> CaseView:
        """One case; NotFound if there is none."""
        rows = self.log.read(
            "SELECT case_id, name, summary, status, head FROM cases WHERE case_id = ?", (case_id,)
        )
        if not rows:
            raise NotFound(f"no case {case_id}: see athar case list")
        members = self.log.read(
            "SELECT actor_id, role FROM case_members WHERE case_id = ? ORDER BY role, actor_id", (case_id,)
        )
        links = self.log.read(
            "SELECT item_type, item_id, note, linked_idx FROM case_links WHERE case_id = ? "
            "ORDER BY item_type, linked_idx",
            (case_id,),
        )
        cid, name, summary, status, head = rows[0]
        return CaseView(
            cid, name, summary, status, head,
            tuple(CaseMember(*m) for m in members), tuple(CaseLink(*k) for k in links),
        )

    def cases_for(self, actor_id: str | None, *, everything: bool = False) -> list[CaseSummary]:
        """The cases ``actor_id`` is on (every case with ``everything``; published ones for None)."""
        if everything:
            rows = self.log.read(
                "SELECT c.case_id, c.name, c.status, m.role FROM cases c LEFT JOIN case_members m "
                "ON m.case_id = c.case_id AND m.actor_id = ? ORDER BY c.case_id",
                (actor_id or "",),
            )
        elif actor_id is None:
            rows = self.log.read(
                "SELECT case_id, name, status, NULL FROM cases WHERE status = 'published' ORDER BY case_id"
            )
        else:
            rows = self.log.read(
                "SELECT c.case_id, c.name, c.status, m.role FROM cases c JOIN case_members m "
                "ON m.case_id = c.case_id WHERE m.actor_id = ? ORDER BY c.case_id",
                (actor_id,),
            )
        return [
            CaseSummary(cid, name, status, role, len(self.queue(cid))) for cid, name, status, role in rows
        ]

    def case_reports(self, case_id: str) -> list[str]:
        """The reports a case holds: linked directly, through a linked claim, or through a linked incident."""
        ids: dict[str, None] = {}
        for item_type, item_id in self.log.read(
            "SELECT item_type, item_id FROM case_links WHERE case_id = ? ORDER BY linked_idx", (case_id,)
        ):
            if item_type == "report":
                ids[item_id] = None
            elif item_type == "claim":
                ids[item_id.partition(":")[0]] = None
            elif item_type == "incident":
                for (rid,) in self.log.read(
                    "SELECT DISTINCT report_id FROM incident_frames WHERE incident_id = ? ORDER BY report_id",
                    (item_id,),
                ):
                    ids[rid] = None
        return list(ids)

    def states(self, report_id: str) -> dict[str, ClaimState]:
        """Every reviewed claim of a report (numbers and ``+INDEX`` for added ones) by key."""
        rows = self.log.read(
            "SELECT claim_key, decision, value, leaf_hash, review_idx FROM claim_states WHERE report_id = ?",
            (report_id,),
        )
        return {k: ClaimState(k, d, json.loads(v) if v else None, h, int(i)) for k, d, v, h, i in rows}

    def queue(self, case_id: str) -> list[tuple[str, int]]:
        """The claims of a case's reports that wait for review (still as the machine suggested them)."""
        out = []
        for rid in self.case_reports(case_id):
            rows = self.log.read("SELECT extraction FROM reports WHERE report_id = ?", (rid,))
            if not rows:
                continue
            n = len(json.loads(rows[0][0]).get("claims", []))
            reviewed = {k for k in self.states(rid) if k.isdigit()}
            out += [(rid, i) for i in range(n) if str(i) not in reviewed]
        return out

    def history(self, report_id: str, claim_key: str) -> list[dict[str, Any]]:
        """Every review of one claim, oldest first."""
        rows = self.log.read(
            "SELECT idx, leaf_hash, decision, value, note, actor_id, at FROM claim_reviews "
            "WHERE report_id = ? AND claim_key = ? ORDER BY idx",
            (report_id, claim_key),
        )
        return [
            {
                "index": i,
                "leaf_hash": h,
                "decision": d,
                "value": json.loads(v) if v else None,
                "note": n,
                "actor_id": a,
                "at": at,
            }
            for i, h, d, v, n, a, at in rows
        ]

    def report_claims(self, report_id: str) -> list[ReviewedClaim]:
        """Every claim of a report, the machine's then those reviewers added, each with its state."""
        rows = self.log.read("SELECT text, extraction FROM reports WHERE report_id = ?", (report_id,))
        if not rows:
            raise NotFound(f"no report {report_id}")
        text, extraction = rows[0][0], json.loads(rows[0][1])
        states = self.states(report_id)
        out = []
        for i, c in enumerate(extraction.get("claims", [])):
            st = states.get(str(i))
            value = _reading(st.value, text) if st and st.value else None
            out.append(ReviewedClaim(str(i), i, st.decision if st else "suggested", _reading(c, text), value,
                                     st.leaf_hash if st else None))
        for key in sorted((k for k in states if k.startswith("+")), key=lambda k: int(k[1:])):
            st = states[key]
            value = _reading(st.value, text) if st.value else None
            out.append(ReviewedClaim(key, None, st.decision, None, value, st.leaf_hash))
        return out

    def unlinked_exhibits(self, case_id: str, limit: int = 50) -> list[str]:
        """Exhibits the case's team registered that no case links (portions left out), oldest first."""
        rows = self.log.read(
            "SELECT c.exhibit_id FROM custody_exhibits c JOIN entries e ON e.idx = c.registered_idx "
            "JOIN actor_keys k ON k.vkey = e.author JOIN case_members m ON m.actor_id = k.actor_id "
            "WHERE m.case_id = ? AND c.parent_id IS NULL AND NOT EXISTS (SELECT 1 FROM case_links l "
            "WHERE l.item_type = 'exhibit' AND l.item_id = c.exhibit_id) "
            "ORDER BY c.registered_idx LIMIT ?",
            (case_id, limit),
        )
        return [str(r[0]) for r in rows]

    def activity(self, case_id: str, limit: int = 5, scan: int = 2000) -> list[Activity]:
        """The newest log entries about a case: its own entries and reviews of its reports' claims.

        Case entries are looked for among the newest ``scan`` case entries of the log.
        """
        found: list[Activity] = []
        for idx, data, author in self.log.read(
            "SELECT e.idx, e.data, k.actor_id FROM entries e LEFT JOIN actor_keys k ON k.vkey = e.author "
            "WHERE e.kind IN ('case.created', 'case.updated', 'case.member', 'case.linked') "
            "ORDER BY e.idx DESC LIMIT ?",
            (scan,),
        ):
            entry = Entry.trusted(bytes(data))
            body = entry.body
            if body.get("case_id") != case_id:
                continue
            subject = str(body.get("actor_id") or body.get("item_id") or body.get("name") or "")
            detail = str(body.get("action") or body.get("status") or "")
            found.append(Activity(int(idx), entry.kind, author, subject, detail))
            if len(found) >= limit:
                break
        reports = self.case_reports(case_id)
        for start in range(0, len(reports), 500):
            chunk = reports[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for idx, rid, key, decision, actor in self.log.read(
                f"SELECT idx, report_id, claim_key, decision, actor_id FROM claim_reviews "  # noqa: S608
                f"WHERE report_id IN ({marks}) ORDER BY idx DESC LIMIT ?",
                (*chunk, limit),
            ):
                found.append(Activity(int(idx), "claim.reviewed", actor, f"{rid}:{key}", decision))
        return sorted(found, key=lambda a: -a.index)[:limit]
