"""The completeness index's names and its ``index.snapshot`` log entry (pure).

The log keeps a :mod:`athar.ledger.vmap` map from names to ``(count, head)``:

* ``exhibit:<code>``: how many log entries are events of the exhibit (an
  entry is an event of every exhibit whose custody state it changes: its own
  exhibit, the portions a split creates, the result an analysis names) and
  the leaf hash of the last one;
* ``identity``: how many identity entries (``actor.registered``,
  ``role.granted``, ``key.revoked``) the log holds and the last one's leaf hash.

An ``index.snapshot`` entry at index ``N``, signed by the log's own
checkpoint key, commits to that map over entries ``[0, N)``:
``{"entries": N, "names": <how many>, "root": <hex>}``. The export appends
one and has the checkpoint published right after it, so a bundle cites a
checkpoint of size ``N + 1`` whose last entry is the snapshot
(``docs/design/completeness.md``).
"""

from __future__ import annotations

import re
from typing import Any

from athar.errors import VerificationError
from athar.ledger.entry import Entry

__all__ = ["IDENTITY_NAME", "SNAPSHOT_KIND", "Snapshot", "exhibit_name", "parse_snapshot",
           "snapshot_body"]

SNAPSHOT_KIND = "index.snapshot"
IDENTITY_NAME = "identity"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def exhibit_name(code: str) -> str:
    """The index name of exhibit ``code``."""
    return "exhibit:" + code


def snapshot_body(entries: int, names: int, root: bytes) -> dict[str, Any]:
    """The body of the snapshot entry at index ``entries`` over a map of ``names`` names."""
    return {"entries": entries, "names": names, "root": root.hex()}


class Snapshot:
    """A parsed snapshot entry: what it covers and the map root."""

    __slots__ = ("entries", "names", "root")

    def __init__(self, entries: int, names: int, root: bytes) -> None:
        self.entries, self.names, self.root = entries, names, root


def _count(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63


def parse_snapshot(entry: Entry, log_vkey: str) -> Snapshot:
    """Check a snapshot entry's kind, author (the log key ``log_vkey``), signature and
    body; raise VerificationError naming what is wrong."""
    if entry.kind != SNAPSHOT_KIND:
        raise VerificationError(f"the entry is a {entry.kind!r}, not an {SNAPSHOT_KIND}")
    if entry.author != log_vkey:
        raise VerificationError("the index snapshot is not signed by the log's key")
    entry.verify_signature()
    body = entry.body
    if not isinstance(body, dict) or set(body) != {"entries", "names", "root"} \
            or not _count(body["entries"]) or not _count(body["names"]) \
            or not isinstance(body["root"], str) or not _HEX64.match(body["root"]):
        raise VerificationError('an index snapshot body must be {"entries": N, "names": N, '
                                '"root": "64 hex"}')
    return Snapshot(body["entries"], body["names"], bytes.fromhex(body["root"]))
