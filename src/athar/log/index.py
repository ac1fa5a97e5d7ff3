"""The completeness index on the server: who computes it and who owns ``index.snapshot``.

The log does not know what an exhibit is: the package that does gives it an
:data:`IndexSource` (``Log.set_index_source``), a function that reads, inside
the append's transaction, the ``name -> (count, head)`` values of every name
as of the entries integrated so far. ``Log.snapshot()`` has the sequencer
build the map (:mod:`athar.ledger.vmap`), sign an ``index.snapshot`` entry
with the log's key, append it as the last entry of a batch and publish a
checkpoint right after it. :class:`IndexHook` refuses snapshot entries that
anyone else submits; when the log is replayed (``athar log verify
--from-scratch``) it checks each stored snapshot against the map recomputed
at its place instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from athar.errors import EntryRejected
from athar.ledger.completeness import SNAPSHOT_KIND, parse_snapshot
from athar.ledger.entry import Entry
from athar.ledger.vmap import MapValue, VerifiableMap
from athar.log.hooks import Txn

__all__ = ["IndexHook", "IndexSource", "Rows", "txn_rows"]

Rows = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]
"""Runs one query and returns its rows (a transaction's, or ``Log.read``)."""
IndexSource = Callable[[Rows, "int | None"], Mapping[str, MapValue]]
"""``source(rows, upto)``: the index values over the entries below ``upto`` (all when None)."""


def txn_rows(txn: Txn) -> Rows:
    """A :data:`Rows` over a transaction."""
    return lambda sql, params: txn.execute(sql, params).fetchall()


class IndexHook:
    """Owns ``index.snapshot``: only the log makes them; a replay checks each one."""

    kinds = frozenset({SNAPSHOT_KIND})

    def __init__(self, log_vkey: str, source: IndexSource, *, replay: bool = False) -> None:
        self.log_vkey, self.source, self.replay = log_vkey, source, replay

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        if not self.replay:
            raise EntryRejected("index.snapshot entries are made by the log itself "
                                "(athar export appends one); they cannot be submitted")
        try:
            snap = parse_snapshot(entry, self.log_vkey)
        except Exception as exc:  # noqa: BLE001 - any fault is a refusal
            raise EntryRejected(f"index snapshot: {exc}") from None
        vm = VerifiableMap(self.source(txn_rows(txn), None))
        if vm.root != snap.root or len(vm) != snap.names:
            raise EntryRejected("index snapshot: its root is not the map of the entries "
                                "before it")

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        return None
