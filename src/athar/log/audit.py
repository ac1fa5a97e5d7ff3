"""``athar log verify``: recompute the whole tree from stored entries and check it all.

Checks every leaf, stored node and checkpoint, and the stored log against
checkpoints held outside the database (the one the server last published, a
witness's): a log behind one of them was rolled back, one whose root differs
was forked. ``from_scratch`` (with a :class:`Rebuild`) also replays every
entry, in order, into an empty database through the same hooks the server
runs (signatures checked in worker processes, one per core, as the
sequencer does), then compares the tables derived from the log with the
stored ones and runs the checks of what cannot be re-derived (committed
secrets, report rows), reporting the first difference.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from athar.errors import AtharError, VerificationError
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.compact import CompactRange
from athar.ledger.entry import Entry
from athar.ledger.entry import Entry as _Entry
from athar.ledger.hashing import EMPTY_ROOT, leaf_hash
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note
from athar.ledger.proof import verify_consistency
from athar.log.hooks import Txn
from athar.log.nodes import node_id
from athar.log.published import HeldCheckpoint, rollback_problem
from athar.log.sequencer import SequencerOptions
from athar.log.server import AppendResult, Log, LogOptions
from athar.store.db import connect

__all__ = ["AuditReport", "Rebuild", "audit_log"]

_CHUNK = 5000
_PAGE = 20000


@dataclass(frozen=True)
class Rebuild:
    """How to re-derive a log's tables from its entries (``--from-scratch``).

    ``add_hooks`` registers, on the replay's log, the hooks whose tables can be
    rebuilt from entries alone; every other kind is replayed without a hook;
    each of ``derive`` then builds more tables in the replay.
    ``tables`` are ``(table, ORDER BY columns)`` compared row for row with the
    stored ones; each of ``checks`` reads the stored log and returns the first
    problem with what entries alone cannot rebuild (None when all is well).
    """

    add_hooks: Callable[[Log], None]
    tables: Sequence[tuple[str, str]] = ()
    checks: Sequence[Callable[[Log], str | None]] = field(default_factory=tuple)
    derive: Sequence[Callable[[Log, Log], None]] = field(default_factory=tuple)
    """Run after the replay, before the comparison, with (stored log, replayed log): to
    rebuild in the replay what depends on stored inputs the log does not hold."""


class _Replayed:
    """Accepts the kinds the replay does not re-derive: they keep their index, write nothing."""

    def __init__(self, kinds: Iterable[str]) -> None:
        self.kinds = frozenset(kinds)

    def check(self, entry: _Entry, leaf_hash: bytes, txn: Txn) -> None:
        return None

    def apply(self, entry: _Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        return None


@dataclass(frozen=True)
class AuditReport:
    """The outcome of a full log audit; ``problem`` names the first fault found."""

    ok: bool
    entries: int
    checkpoints: int
    root: bytes
    problem: str | None = None
    bad_index: int | None = None


def audit_log(log: Log, verifier: Verifier, *, from_scratch: bool = False,
              progress: Callable[[int], None] | None = None,
              held: Sequence[HeldCheckpoint] = (), rebuild: Rebuild | None = None) -> AuditReport:
    """Check every leaf, every stored node, every checkpoint and their consistency.

    Then the log against each ``held`` checkpoint (rollback, fork), and with
    ``from_scratch`` every entry's form and signature and, given ``rebuild``,
    the derived tables (see the module's docstring). Never raises for a fault
    in the data: the report says what failed, naming the entry (or
    checkpoint) where the first fault lies.
    """
    if from_scratch and rebuild is not None:
        with tempfile.TemporaryDirectory(prefix="athar-replay-") as tmp:
            scratch = _scratch_log(log, rebuild, Path(tmp))
            try:
                return _audit(log, verifier, progress, held, rebuild, scratch)
            finally:
                scratch.close()
    return _audit(log, verifier, progress, held, None, None, inline=from_scratch)


def _audit(log: Log, verifier: Verifier, progress: Callable[[int], None] | None,
           held: Sequence[HeldCheckpoint], rebuild: Rebuild | None, scratch: Log | None,
           inline: bool = False) -> AuditReport:
    size = log.size()
    if scratch is not None:  # every entry's form and signature first, on every core
        problem, bad = _fill(log, scratch, size, progress)
        if problem is not None:
            return AuditReport(False, bad or 0, 0, EMPTY_ROOT, problem, bad)
    report = _audit_tree(log, verifier, from_scratch=inline, progress=progress)
    if not report.ok:
        return report
    for h in held:
        if (problem := rollback_problem(log, h)) is not None:
            return AuditReport(False, report.entries, report.checkpoints, report.root, problem)
    if scratch is not None and rebuild is not None:
        for derive in rebuild.derive:
            derive(log, scratch)
        for table, order in rebuild.tables:
            if (problem := _compare(log, scratch, table, order)) is not None:
                return AuditReport(False, report.entries, report.checkpoints, report.root, problem)
        for check in rebuild.checks:
            if (problem := check(log)) is not None:
                return AuditReport(False, report.entries, report.checkpoints, report.root, problem)
    return report


def _scratch_log(log: Log, rebuild: Rebuild, folder: Path) -> Log:
    """An empty log in ``folder`` with the hooks that re-derive tables from entries."""
    options = LogOptions(max_entry_bytes=log.options.max_entry_bytes,
                         verify_workers=log.options.verify_workers,
                         sequencer=SequencerOptions(5000, 3_600_000, 1 << 40))
    scratch = Log(connect(f"sqlite:///{folder / 'replay.db'}", synchronous="OFF"),
                  log.signer, log.origin, options)
    rebuild.add_hooks(scratch)
    scratch.register_hook(_Replayed(log.kinds - scratch.kinds))
    return scratch


def _fill(log: Log, scratch: Log, size: int,
          progress: Callable[[int], None] | None) -> tuple[str | None, int | None]:
    """Replay the stored entries into ``scratch``; the first one refused, if any.

    The next chunk is read and queued while one is checked and integrated, so
    the worker processes do not wait for the sequencer between chunks.
    """
    queued: list[tuple[int, Any]] = []
    starts = list(range(0, size, _CHUNK))
    for n, start in enumerate(starts):
        queued.append((start, scratch.submit_many(log.entries(start, min(size, start + _CHUNK)))))
        while queued and (len(queued) > 1 or n == len(starts) - 1):
            first, batch = queued.pop(0)
            if (bad := _refused(first, batch.wait())) is not None:
                return bad
            if progress:
                progress(min(size, first + _CHUNK))
    return None, None


def _refused(start: int, results: Sequence[Any]) -> tuple[str, int] | None:
    for i, r in enumerate(results, start):
        if isinstance(r, BaseException) and not isinstance(r, AtharError):
            raise r
        if isinstance(r, AtharError):
            return f"entry {i}: refused when the log is replayed from scratch: {r.message}", i
        if not isinstance(r, AppendResult) or r.index != i or r.duplicate:
            return f"entry {i}: replayed at another place (a repeated entry?)", i
    return None


def _compare(stored: Log, derived: Log, table: str, order: str) -> str | None:
    """The first row where ``table`` differs between the stored and the re-derived database."""
    offset = 0
    cols = [r[1] for r in derived.read(f"PRAGMA table_info({table})")]
    select = f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order} LIMIT ? OFFSET ?"
    while True:
        a = [_norm(r) for r in stored.read(select, (_PAGE, offset))]
        b = [_norm(r) for r in derived.read(select, (_PAGE, offset))]
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                return (f"table {table}, row {offset + i + 1} (by {order}): stored "
                        f"{_show(cols, x)} but the log gives {_show(cols, y)}")
        if len(a) != len(b):
            extra, which = (a, "stored") if len(a) > len(b) else (b, "derived from the log")
            row = extra[min(len(a), len(b))]
            what = "is not derived from any entry" if which == "stored" else "is missing"
            return f"table {table}: row {_show(cols, row)} {what}"
        if not a:
            return None
        offset += _PAGE


def _norm(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def _show(cols: Sequence[str], row: Sequence[Any]) -> str:
    text = ", ".join(f"{c}={v!r}" for c, v in zip(cols, row, strict=False))
    return "(" + (text if len(text) < 300 else text[:300] + "…") + ")"


def _audit_tree(log: Log, verifier: Verifier, *, from_scratch: bool,
                progress: Callable[[int], None] | None) -> AuditReport:
    size = log.size()
    cps = log.read("SELECT size, root, note FROM checkpoints ORDER BY size")
    rng = CompactRange()
    cp_i, checked_cps, prev = 0, 0, None

    def fail(msg: str, index: int | None = None) -> AuditReport:
        return AuditReport(False, rng.size, checked_cps, rng.root(), msg, index)

    def check_checkpoints() -> str | None:
        nonlocal cp_i, checked_cps, prev
        while cp_i < len(cps) and cps[cp_i][0] == rng.size:
            cp_size, cp_root, note = cps[cp_i]
            try:
                cp = Checkpoint.from_text(open_note(note, [verifier]).text)
            except AtharError as exc:
                return f"checkpoint at size {cp_size}: signature or format invalid ({exc.message})"
            root = rng.root()
            if cp.size != cp_size or cp.root_hash != root or bytes(cp_root) != root:
                return f"checkpoint at size {cp_size}: root does not match the entries"
            if cp.origin != log.origin:
                return f"checkpoint at size {cp_size}: origin {cp.origin!r} is not this log's"
            if prev is not None and prev.size > 0:
                try:
                    verify_consistency(prev.size, cp.size,
                                       log.consistency_proof(prev.size, cp.size),
                                       prev.root_hash, cp.root_hash)
                except (VerificationError, AtharError) as exc:
                    return f"checkpoints {prev.size} -> {cp_size} are not consistent: {exc.message}"
            prev = cp
            cp_i += 1
            checked_cps += 1
        return None

    if (msg := check_checkpoints()) is not None:
        return fail(msg)
    for start in range(0, size, _CHUNK):
        rows = log.read("SELECT idx, leaf_hash, data FROM entries WHERE idx >= ? AND idx < ? "
                        "ORDER BY idx", (start, min(size, start + _CHUNK)))
        created: list[tuple[int, int, bytes, int]] = []
        for idx, stored_hash, data in rows:
            if idx != rng.size:
                return fail(f"entry {rng.size} is missing from storage", rng.size)
            data = bytes(data)
            h = leaf_hash(data)
            if bytes(stored_hash) != h:
                return fail(f"entry {idx}: stored bytes do not match its leaf hash", idx)
            if from_scratch:
                try:
                    entry = Entry.from_bytes(data, max_bytes=1 << 62)
                    entry.verify_signature()
                except AtharError as exc:
                    return fail(f"entry {idx}: {exc.message}", idx)
            for level, index, nh in rng.append(h):
                created.append((level, index, nh, idx))
            if (msg := check_checkpoints()) is not None:
                return fail(msg)
        if (bad_node := _compare_nodes(log, created)) is not None:
            return fail(bad_node[0], bad_node[1])
        if progress:
            progress(rng.size)
    if rng.size != size:
        return fail(f"entry {rng.size} is missing from storage", rng.size)
    if cp_i != len(cps):
        return fail(f"checkpoint at size {cps[cp_i][0]} is beyond the stored entries")
    if size and not cps:
        return fail(f"no checkpoint is stored, though the log holds {size} entries: "
                    "checkpoints were deleted")
    return AuditReport(True, size, checked_cps, rng.root() if size else EMPTY_ROOT)


def _compare_nodes(log: Log, created: list[tuple[int, int, bytes, int]]) -> tuple[str, int] | None:
    for i in range(0, len(created), 500):
        part = created[i : i + 500]
        ids = [node_id(lv, ix) for lv, ix, _, _ in part]
        marks = ",".join("?" * len(ids))
        stored = {i_: bytes(h) for i_, h in
                  log.read(f"SELECT id, hash FROM nodes WHERE id IN ({marks})", ids)}
        for (lv, ix, h, _), nid in zip(part, ids, strict=True):
            if stored.get(nid) != h:
                first = ix << lv
                return (f"tree node (level {lv}, index {ix}) over entries "
                        f"{first}..{first + (1 << lv) - 1} does not match them; "
                        f"first entry concerned: {first}", first)
    return None
