"""Custody event kinds and their canonical bodies.

Every custody entry has kind ``custody.<action>`` and a body with, at least:

* ``exhibit``: the exhibit's code (its identifier, unique in the log);
* ``prev``: the leaf hash (hex) of the previous event of the same exhibit, or
  ``null`` for ``registered``; so each exhibit's history is a hash chain;
* ``at``: when it happened, RFC 3339 UTC (``2024-05-01T10:00:00Z``);
* ``commit``: optional ``{field: commitment}`` for the sensitive fields.

Only the public fields listed in :data:`PUBLIC_FIELDS` may appear in clear;
any other key is refused, so a sensitive value cannot slip into the log by
mistake. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from athar.custody.commitments import SENSITIVE_FIELDS, Opening, commit
from athar.custody.models import EXHIBIT_KINDS, CustodyEvent
from athar.errors import EntryRejected
from athar.ledger.entry import Entry
from athar.ledger.note import Signer

__all__ = [
    "ACTIONS",
    "CORRECTION_REASONS",
    "KINDS",
    "PREFIX",
    "PUBLIC_FIELDS",
    "SEAL_STATUSES",
    "build_entry",
    "decode_event",
    "format_time",
    "parse_time",
    "validate_body",
    "valid_code",
]

PREFIX = "custody."
_COMMON = frozenset({"exhibit", "prev", "at", "commit"})
PUBLIC_FIELDS: dict[str, frozenset[str]] = {
    "registered": frozenset(
        {"exhibit_kind", "parent", "blob", "metadata", "container", "quantity"}
    ),
    "collected": frozenset(),
    "sealed": frozenset({"seals"}),
    "seal_checked": frozenset({"seals", "status"}),
    "handed_over": frozenset({"to"}),
    "received": frozenset({"from"}),
    "opened": frozenset({"seal_status"}),
    "split": frozenset({"portions"}),
    "analysed": frozenset({"result", "method"}),
    "stored": frozenset(),
    "returned": frozenset(),
    "destroyed": frozenset({"method"}),
    "note": frozenset(),
    "received_from_unverified_party": frozenset(),
    "correction": frozenset({"voids", "reason"}),
}
"""For each action, the fields besides exhibit/prev/at/commit that are public."""
ACTIONS: tuple[str, ...] = tuple(PUBLIC_FIELDS)
SEAL_STATUSES: tuple[str, ...] = ("intact", "broken", "none")
"""What ``opened`` records about the seals found on opening (``none``: not sealed)."""
CORRECTION_REASONS: tuple[str, ...] = (
    "wrong_time", "wrong_details", "wrong_exhibit", "did_not_happen", "duplicate", "other")
"""Why a ``correction`` voids an event: public codes, so anyone can read the reason
without a disclosure; the explanation goes in the committed ``notes``."""
KINDS: frozenset[str] = frozenset(PREFIX + a for a in ACTIONS)

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_SEAL = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")


def valid_code(code: object) -> bool:
    """True when ``code`` may name an exhibit: 1-64 of ``A-Za-z0-9._-``, not starting with . or -."""
    return isinstance(code, str) and bool(_CODE.match(code))


def parse_time(at: object) -> datetime:
    """Parse an RFC 3339 UTC time (``...Z``); raise EntryRejected with the expected form."""
    if not isinstance(at, str) or not _TIME.match(at):
        raise EntryRejected(f"event time {at!r} must be RFC 3339 UTC, e.g. 2024-05-01T10:00:00Z")
    try:
        return datetime.fromisoformat(at[:-1]).replace(tzinfo=UTC)
    except ValueError:
        raise EntryRejected(f"event time {at!r} is not a real date and time") from None


def format_time(when: datetime | None = None) -> str:
    """``when`` (default now) as RFC 3339 UTC with second precision and a ``Z``."""
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + (
        f".{when.microsecond:06d}Z" if when.microsecond else "Z"
    )


def _need(cond: bool, msg: str) -> None:
    if not cond:
        raise EntryRejected(msg)


def _seals(value: object) -> None:
    _need(isinstance(value, list) and 0 < len(value) <= 64
          and all(isinstance(s, str) and _SEAL.match(s) for s in value)
          and len(set(value)) == len(value),
          "seals must be a non-empty list of distinct seal numbers (1-64 printable characters)")


def _blob(value: object) -> None:
    ok = (isinstance(value, dict) and set(value) == {"sha256", "size", "media_type"}
          and isinstance(value["sha256"], str) and bool(_HEX64.match(value["sha256"]))
          and isinstance(value["size"], int) and not isinstance(value["size"], bool)
          and value["size"] >= 0 and isinstance(value["media_type"], str))
    _need(ok, "blob must be {sha256: 64 lowercase hex, size: bytes, media_type: text}")


def _check_registered(body: Mapping[str, Any]) -> None:
    _need(body.get("prev") is None, "a registered event starts a chain: prev must be null")
    kind = body.get("exhibit_kind")
    _need(kind in EXHIBIT_KINDS, f"exhibit_kind must be one of {sorted(EXHIBIT_KINDS)}")
    parent = body.get("parent")
    _need(parent is None or valid_code(parent), "parent must be an exhibit code or null")
    if kind == "physical":
        _need("blob" not in body, "a physical exhibit has no blob")
    else:
        _need("blob" in body, f"a {kind} exhibit needs its blob (sha256, size, media_type)")
        _blob(body["blob"])
    if "metadata" in body:
        _need(isinstance(body["metadata"], dict), "metadata must be an object")


def _check_specific(action: str, body: Mapping[str, Any]) -> None:
    if action == "registered":
        _check_registered(body)
        return
    prev = body.get("prev")
    _need(isinstance(prev, str) and bool(_HEX64.match(prev)),
          "prev must be the leaf hash (64 lowercase hex) of the exhibit's latest event")
    if action == "sealed":
        _seals(body.get("seals"))
    elif action == "seal_checked":
        _seals(body.get("seals"))
        _need(body.get("status") in ("intact", "broken"), "status must be intact or broken")
    elif action == "handed_over":
        _need(isinstance(body.get("to"), str) and bool(body["to"]),
              "handed_over needs 'to': the receiving actor's id")
    elif action == "received":
        _need(body.get("from") is None or isinstance(body.get("from"), str),
              "'from' must be the giver's actor id")
    elif action == "split":
        portions = body.get("portions")
        _need(isinstance(portions, list) and 0 < len(portions) <= 256,
              "split needs portions: a list of 1 to 256 {code, quantity?}")
        assert isinstance(portions, list)
        codes = []
        for p in portions:
            _need(isinstance(p, dict) and set(p) <= {"code", "quantity"}
                  and valid_code(p.get("code")),
                  "each portion is {code, quantity?} with a valid exhibit code")
            codes.append(p["code"])
        _need(len(set(codes)) == len(codes), "portion codes must be distinct")
    elif action == "analysed":
        _need(valid_code(body.get("result")), "analysed needs 'result': the result exhibit code")
        _need(isinstance(body.get("method"), str), "analysed needs 'method' (e.g. GC-MS)")
    elif action == "opened":
        _need(body.get("seal_status") in SEAL_STATUSES,
              "opened needs 'seal_status': the seals found on opening, intact, broken or none")
    elif action == "correction":
        voids = body.get("voids")
        _need(isinstance(voids, str) and bool(_HEX64.match(voids)),
              "correction needs 'voids': the leaf hash (64 lowercase hex) of the event it voids")
        _need(body.get("reason") in CORRECTION_REASONS,
              f"correction needs 'reason', one of: {', '.join(CORRECTION_REASONS)}")


def validate_body(kind: str, body: object) -> str:
    """Return the action of a well-formed custody body; raise EntryRejected naming the problem.

    Guarantees on return: the exhibit code, prev, time and commitments are well
    formed, no key outside the action's public fields appears, and no sensitive
    field appears in clear.
    """
    _need(kind.startswith(PREFIX) and kind[len(PREFIX):] in PUBLIC_FIELDS,
          f"unknown custody kind {kind!r}")
    action = kind[len(PREFIX):]
    _need(isinstance(body, dict), "a custody body must be a JSON object")
    assert isinstance(body, dict)
    allowed = _COMMON | PUBLIC_FIELDS[action]
    extra = set(body) - allowed
    clear = extra & SENSITIVE_FIELDS[action]
    _need(not clear, f"field(s) {sorted(clear)} are sensitive: send them as commitments")
    _need(not extra, f"unknown field(s) {sorted(extra)} for {kind}; allowed: {sorted(allowed)}")
    _need(valid_code(body.get("exhibit")), "exhibit must be a code of 1-64 of A-Za-z0-9._-")
    parse_time(body.get("at"))
    commits = body.get("commit", {})
    _need(isinstance(commits, dict), "commit must be an object of field: commitment")
    for name, value in commits.items():
        _need(name in SENSITIVE_FIELDS[action],
              f"{name!r} is not a committed field of {kind}")
        _need(isinstance(value, str) and bool(_HEX64.match(value)),
              f"commitment of {name!r} must be 64 lowercase hex digits")
    _check_specific(action, body)
    return action


def build_entry(
    action: str,
    exhibit: str,
    prev: str | None,
    signer: Signer,
    *,
    at: str | None = None,
    public: Mapping[str, Any] | None = None,
    private: Mapping[str, Any] | None = None,
) -> tuple[Entry, list[Opening]]:
    """Sign a custody entry; sensitive values in ``private`` become salted commitments.

    Returns the entry and the openings (value + salt) to keep in the private store.
    The entry is validated before it is returned.
    """
    body: dict[str, Any] = {"exhibit": exhibit, "prev": prev, "at": at or format_time()}
    body.update(public or {})
    openings = [commit(k, v) for k, v in sorted((private or {}).items()) if v is not None]
    if openings:
        body["commit"] = {o.field: o.commitment for o in openings}
    kind = PREFIX + action
    validate_body(kind, body)
    return Entry.create(kind, body, signer), openings


def decode_event(entry: Entry, index: int, leaf_hash: bytes) -> CustodyEvent:
    """A validated :class:`CustodyEvent` view of a custody entry (raise EntryRejected if bad)."""
    validate_body(entry.kind, entry.body)
    body: dict[str, Any] = entry.body
    return CustodyEvent(index, leaf_hash.hex(), entry.kind, body["exhibit"], body["prev"],
                        body["at"], entry.author, body)
