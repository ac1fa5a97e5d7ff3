"""Salted commitments: how a sensitive field stays out of the public log yet stays checkable.

A commitment is ``SHA-256(salt || canonical_json(value))`` with a fresh 32-byte
random salt, written as 64 lowercase hex digits. The entry carries only the
commitment (under ``body["commit"][field]``); the value and salt are kept in
the private ``custody_secrets`` table. A :class:`Disclosure` (value + salt) lets
a court or reviewer check the value against the logged commitment.

Which fields are committed, per event kind, is :data:`SENSITIVE_FIELDS`; the
reasons are in ``docs/design/custody-model.md``.

Pure: stdlib and ``athar.ledger`` only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from athar.errors import AtharError, EntryRejected, VerificationError
from athar.ledger.entry import Entry, canonical_json
from athar.ledger.hashing import leaf_hash

__all__ = [
    "MAX_SENSITIVE_BYTES",
    "SENSITIVE_FIELDS",
    "Disclosure",
    "DisclosureMismatch",
    "Opening",
    "commit",
    "check_disclosure",
    "commitment_of",
    "verify_disclosure",
]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_SENSITIVE_BYTES = 64 * 1024
"""The largest sensitive value (canonical JSON bytes) a commitment is made for."""


class DisclosureMismatch(VerificationError):
    """A disclosed value (or its salt) does not open the commitment logged in its entry."""

    code = "disclosure_mismatch"

SENSITIVE_FIELDS: dict[str, frozenset[str]] = {
    "registered": frozenset(
        {"original_name", "description", "gps", "collected_by", "source", "location"}
    ),
    "collected": frozenset({"location", "collected_by", "witnesses", "notes"}),
    "sealed": frozenset({"notes"}),
    "seal_checked": frozenset({"notes"}),
    "handed_over": frozenset({"notes", "transport"}),
    "received": frozenset({"notes"}),
    "opened": frozenset({"reason", "notes"}),
    "split": frozenset({"notes"}),
    "analysed": frozenset({"notes", "conclusion"}),
    "stored": frozenset({"location", "notes"}),
    "returned": frozenset({"recipient", "notes"}),
    "destroyed": frozenset({"notes"}),
    "note": frozenset({"text"}),
    "received_from_unverified_party": frozenset({"party", "circumstances", "notes"}),
    "correction": frozenset({"notes"}),
}
"""For each event action, the fields that are never written to the log in clear."""


@dataclass(frozen=True)
class Opening:
    """A committed field's secret half: the value and the salt (hex)."""

    field: str
    value: Any
    salt: str
    commitment: str


def commitment_of(value: Any, salt_hex: str) -> str:
    """The commitment (hex) of ``value`` under ``salt_hex``; same inputs, same output."""
    if not _HEX64.match(salt_hex):
        raise VerificationError("a commitment salt is 64 lowercase hex digits")
    return hashlib.sha256(bytes.fromhex(salt_hex) + canonical_json(value)).hexdigest()


def commit(field: str, value: Any) -> Opening:
    """Commit to ``value`` with a fresh random salt; the result's value must stay private.

    A value whose canonical JSON is over :data:`MAX_SENSITIVE_BYTES` is refused
    (EntryRejected): a document belongs in an exhibit of its own, not in a field.
    """
    size = len(canonical_json(value))
    if size > MAX_SENSITIVE_BYTES:
        raise EntryRejected(f"the sensitive field {field!r} holds {size} bytes; at most "
                            f"{MAX_SENSITIVE_BYTES} are kept: register a long document as an "
                            "exhibit of its own and refer to it", field=field, limit=MAX_SENSITIVE_BYTES)
    salt = secrets.token_hex(32)
    return Opening(field, value, salt, commitment_of(value, salt))


@dataclass(frozen=True)
class Disclosure:
    """A disclosed field of a logged entry: enough to check it against the commitment."""

    leaf_hash: str
    field: str
    value: Any
    salt: str

    def to_bytes(self) -> bytes:
        """Canonical JSON bytes of the disclosure (what ``athar disclose`` writes)."""
        return canonical_json({"format": "athar-disclosure/1", "leaf_hash": self.leaf_hash,
                               "field": self.field, "value": self.value, "salt": self.salt})

    @classmethod
    def from_bytes(cls, data: bytes) -> Disclosure:
        """Parse disclosure bytes; raise VerificationError unless canonical and well-formed."""
        try:
            obj = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise VerificationError("disclosure is not UTF-8 JSON") from None
        keys = {"format", "leaf_hash", "field", "value", "salt"}
        if not isinstance(obj, dict) or set(obj) != keys:
            raise VerificationError("disclosure must have format, leaf_hash, field, value, salt")
        if obj["format"] != "athar-disclosure/1":
            raise VerificationError("unknown disclosure format")
        if not isinstance(obj["leaf_hash"], str) or not _HEX64.match(obj["leaf_hash"]):
            raise VerificationError("disclosure leaf_hash must be 64 lowercase hex digits")
        if not isinstance(obj["field"], str) or not isinstance(obj["salt"], str):
            raise VerificationError("disclosure field and salt must be strings")
        out = cls(obj["leaf_hash"], obj["field"], obj["value"], obj["salt"])
        if out.to_bytes() != data:
            raise VerificationError("disclosure is not in canonical JSON form")
        return out


def verify_disclosure(disclosure: Disclosure, body: Any) -> None:
    """Return None if ``disclosure`` opens the commitment in entry ``body``; raise otherwise."""
    commits = body.get("commit") if isinstance(body, dict) else None
    if not isinstance(commits, dict) or disclosure.field not in commits:
        raise VerificationError(f"the entry has no commitment for field {disclosure.field!r}")
    expected = commits[disclosure.field]
    try:
        got = commitment_of(disclosure.value, disclosure.salt)
    except AtharError as exc:
        raise DisclosureMismatch(f"disclosure of {disclosure.field!r}: {exc.message}") from None
    if not isinstance(expected, str) or not hmac.compare_digest(got, expected):
        raise DisclosureMismatch(
            f"disclosed value of {disclosure.field!r} does not match the logged commitment",
            field=disclosure.field, leaf_hash=disclosure.leaf_hash)


def check_disclosure(disclosure: Disclosure, entry_data: bytes) -> None:
    """Return None if ``disclosure`` belongs to the entry ``entry_data`` (same leaf hash)
    and its value and salt open the commitment logged there.

    Raises :class:`DisclosureMismatch` otherwise, saying that the private store
    no longer holds what was committed: such a value must not be disclosed.
    """
    lh = leaf_hash(entry_data).hex()
    if lh != disclosure.leaf_hash:
        raise DisclosureMismatch(
            f"the disclosure names entry {disclosure.leaf_hash[:16]}…, not this entry "
            f"({lh[:16]}…)", field=disclosure.field)
    try:
        body = Entry.from_bytes(entry_data).body
        verify_disclosure(disclosure, body)
    except AtharError as exc:
        raise DisclosureMismatch(
            f"{exc.message}: the private store no longer holds the value that was committed "
            "in the log, so it cannot be disclosed; restore it from a backup and check the "
            "store (athar log verify --from-scratch)",
            field=disclosure.field, leaf_hash=disclosure.leaf_hash) from None
