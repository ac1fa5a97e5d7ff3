"""How other packages take part in sequencing: entry hooks and the transaction they see.

The sequencer integrates entries in batches, one database transaction per
batch. For each entry, in log order, it calls ``check`` on the hook that owns
the entry's kind (which may read derived state, including state written by
earlier entries of the same batch, and raises :class:`athar.errors.EntryRejected`
or a subclass to refuse the entry) and then, once the entry has its index,
``apply`` (which writes derived state and must not fail). A refused entry is
not sequenced; the rest of the batch goes on.

This is the one write path: every package writes its tables in its hook's
``apply``, inside the transaction that appends the entry, so the log and what
is derived from it are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from athar.ledger.entry import Entry

__all__ = ["EntryHook", "Txn"]


class Txn(Protocol):
    """A database transaction. SQL uses ``?`` placeholders on every backend."""

    dialect: str
    """``"sqlite"`` or ``"postgresql"``."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; the result has ``fetchone()`` and ``fetchall()``."""

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for many parameter rows."""

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many rows into ``table`` with few statements (fast for large batches)."""


class EntryHook(Protocol):
    """A package's part in sequencing: the kinds it owns, their checks and derived state."""

    kinds: frozenset[str]
    """The entry kinds this hook owns. Its tables are in :mod:`athar.store.tables`."""

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        """Raise EntryRejected (or a subclass) to refuse ``entry``. Must not write."""

    # Optional: ``after_upgrade(txn, before)``, called once after the schema was upgraded from
    # revision ``before``, to rebuild derived state the migration could not (see IntakeHook).

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        """Record derived state for a sequenced entry, in the append's transaction. Must not fail.

        ``context`` is what the caller passed with the append (``Log.append(...,
        context=...)``): data that belongs beside the entry but not in it (the
        private half of a commitment, a report's text and extraction), or None.
        A hook checks its type before it uses it.
        """
