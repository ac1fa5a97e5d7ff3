"""The offline check that a bundle holds every event of its exhibits (its completeness).

While the verifier replays a bundle, :class:`Tally` counts, for each exhibit,
the events it holds (every accepted entry whose replay changes the exhibit's
state, as the log's ``custody_events`` rows do) and the last one's leaf hash,
and the same for the identity entries. :func:`check_completeness` then checks
the bundle's completeness index against the log: the ``index.snapshot`` entry
must be the last entry of the cited checkpoint and be signed by the log's
key; every exhibit the replay produced (and ``identity``) must have a map
proof in the snapshot's root, for exactly the count and head counted. An
event left out, moved or truncated changes a count or a head and fails.
Pure: ``athar.ledger`` and the custody models only (``docs/design/completeness.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from athar.custody.models import CustodyEvent, ExhibitState, Finding
from athar.errors import AtharError
from athar.ledger.completeness import IDENTITY_NAME, exhibit_name, parse_snapshot
from athar.ledger.entry import Entry
from athar.ledger.vmap import MapValue, verify_map_proof
from athar.report.manifest import LEGACY_FORMAT, Header

__all__ = ["Tally", "check_completeness"]


@dataclass
class Tally:
    """Per index name: how many entries the bundle holds and the last one's leaf hash (hex)."""

    counts: dict[str, int] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    last_index: dict[str, int] = field(default_factory=dict)

    def _add(self, name: str, leaf: str, index: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1
        self.heads[name] = leaf
        self.last_index[name] = index

    def __call__(self, ev: CustodyEvent, changed: Mapping[str, ExhibitState]) -> None:
        """Observe one accepted custody event and the states it changed."""
        for code in changed:
            self._add(exhibit_name(code), ev.leaf_hash, ev.index)

    def identity(self, index: int, leaf: str) -> None:
        """Observe one identity entry."""
        self._add(IDENTITY_NAME, leaf, index)


def _label(name: str) -> str:
    return f"exhibit {name[8:]}" if name.startswith("exhibit:") else "the identity entries"


def check_completeness(header: Header, snapshot: bytes | None, log_vkey: str, tally: Tally,
                       exhibits: Iterable[str], *, allow_legacy: bool = False) -> list[Finding]:
    """Findings about the bundle's completeness (none when it is proven complete).

    ``snapshot`` is the bytes of the entry the manifest names as the index
    snapshot (None when the bundle lacks it), ``exhibits`` the codes the
    replay produced states for. A legacy bundle (no index) gets one
    ``completeness_not_proven`` finding: an error, or a warning with ``allow_legacy``.
    """
    if header.format == LEGACY_FORMAT:
        return [Finding("warning" if allow_legacy else "error", "completeness_not_proven",
                        f"manifest.json: an {LEGACY_FORMAT} bundle has no completeness index, so "
                        "nothing shows that no event was left out; export it again with this "
                        "version of Athar (or accept the risk with --allow-unproven-completeness)")]
    out: list[Finding] = []

    def fail(code: str, msg: str, ex: str | None = None, idx: int | None = None) -> list[Finding]:
        out.append(Finding("error", code, msg, ex, idx))
        return out

    n = header.index_entry
    if n is None or n != header.tree_size - 1:
        return fail("index_invalid", f"manifest.json: the index snapshot (entry {n}) must be the "
                    f"last entry of the checkpoint (entry {header.tree_size - 1})")
    if snapshot is None:
        return fail("index_invalid", f"entries/{n}.json: the index snapshot is missing", None, n)
    try:
        snap = parse_snapshot(Entry.from_bytes(snapshot, max_bytes=1 << 20), log_vkey)
    except AtharError as exc:
        return fail("index_invalid", f"entries/{n}.json: {exc.message}", None, n)
    if snap.entries != n:
        return fail("index_invalid", f"entries/{n}.json: the snapshot says it covers "
                    f"{snap.entries} entries, but it is entry {n}", None, n)
    wanted = {IDENTITY_NAME, *(exhibit_name(c) for c in exhibits)}
    given = {p.name: p for p in header.index}
    for name in sorted(wanted - set(given)):
        fail("index_missing", f"manifest.json: no completeness proof for {_label(name)}",
             name[8:] if name != IDENTITY_NAME else None)
    for name in sorted(set(given) - wanted):
        fail("index_unexpected", f"manifest.json: a completeness proof for {_label(name)}, "
             "whose events the bundle does not hold")
    for name in sorted(wanted & set(given)):
        p = given[name]
        ex = name[8:] if name != IDENTITY_NAME else None
        try:
            verify_map_proof(snap.root, name, MapValue(p.events, p.head), p.proof)
        except AtharError as exc:
            fail("index_invalid", f"manifest.json: the completeness proof for {_label(name)} "
                 f"does not lead to the snapshot's root: {exc.message}", ex)
            continue
        have, head = tally.counts.get(name, 0), tally.heads.get(name)
        if have != p.events or head != p.head.hex():
            last = tally.last_index.get(name)
            fail("incomplete", f"{_label(name)}: the bundle holds {have} of its entries"
                 + (f", the last at entry {last}" if last is not None else "")
                 + f"; the log's index at entry {n} counts {p.events}, the last with leaf hash "
                 f"{p.head.hex()[:16]}…: entries were left out, reordered or replaced", ex, last)
    return out
