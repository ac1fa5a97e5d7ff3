"""The log service: checked appends, the stored Merkle tree, checkpoints and proofs.

One :class:`Log` per process and database. Appends go through the sequencer
(group commit); reads and proofs are served from storage at any size up to
the committed one.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from athar.errors import AtharError, ConfigError, EntryRejected, NotFound, StoreError
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.compact import CompactRange
from athar.ledger.completeness import SNAPSHOT_KIND, snapshot_body
from athar.ledger.entry import DEFAULT_MAX_ENTRY_BYTES, Entry
from athar.ledger.hashing import EMPTY_ROOT, leaf_hash
from athar.ledger.note import Signer, sign
from athar.ledger.paths import Node, consistency_plan, evaluate, inclusion_plan, plan_nodes
from athar.ledger.vmap import VerifiableMap
from athar.log.hooks import EntryHook, Txn
from athar.log.identity import IdentityHook, author_status
from athar.log.index import IndexHook, IndexSource, txn_rows
from athar.log.nodes import node_id
from athar.log.published import read_checkpoint, rollback_problem, write_published
from athar.log.sequencer import Batch, Pending, Sequencer, SequencerOptions
from athar.store.db import Database
from athar.store.migrate import ensure_current
from athar.workers import worker_pool

__all__ = ["AppendResult", "Log", "LogOptions", "NoteHook", "SignedCheckpoint"]

_IDENTITY_KINDS = IdentityHook.kinds
_ENTRY_COLUMNS = ("idx", "leaf_hash", "data", "kind", "author", "received_at")
_POOL_MIN = 64
_SNAPSHOT = object()
"""The context of a queued snapshot request (:meth:`Log.snapshot`)."""
"""Appends arriving together below this number are checked inline, saving a round trip."""


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint with its signed note and any witness cosignature lines."""

    checkpoint: Checkpoint
    note: str
    cosignatures: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return self.checkpoint.size

    def with_cosignatures(self) -> str:
        """The note with the stored witness cosignatures appended."""
        return self.note + "".join(self.cosignatures)


@dataclass(frozen=True)
class AppendResult:
    """Where an appended entry landed; with its proof when the caller waited for it."""

    index: int
    leaf_hash: bytes
    duplicate: bool = False
    checkpoint: SignedCheckpoint | None = None
    proof: tuple[bytes, ...] | None = None


@dataclass(frozen=True)
class LogOptions:
    """Settings of a log (see ``athar.config``)."""

    max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES
    verify_workers: int = 0
    """Processes that check signatures of large batches (0: one per core when > 1 core)."""
    sequencer: SequencerOptions = SequencerOptions()
    published_checkpoint: Path | None = None
    """Where each published checkpoint is also written, outside the database; the log refuses
    to start when its database is behind it (:mod:`athar.log.published`)."""


class NoteHook:
    """The core ``note`` kind: ``{"text": str}`` plus optional references, by any known key."""

    kinds = frozenset({"note"})

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        if not isinstance(entry.body, dict) or not isinstance(entry.body.get("text"), str):
            raise EntryRejected('a note entry body must be {"text": "..."}')

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        return None


def _collect(wanted: dict[int, Node], rows: Iterable[Sequence[Any]]) -> dict[Node, bytes]:
    """The node hashes of ``rows`` (``id, hash, ...``) by node; StoreError if any wanted one is missing."""
    got = {wanted[r[0]]: bytes(r[1]) for r in rows}
    if len(got) != len(wanted):
        missing = sorted(set(wanted.values()) - set(got))
        raise StoreError(f"tree nodes missing from storage: {missing[:3]}; run athar log verify")
    return got


def _precheck(data: bytes, max_bytes: int) -> Entry | AtharError:
    try:
        entry = Entry.from_bytes(data, max_bytes)
        entry.verify_signature()
        return entry
    except AtharError as exc:
        return exc


def _precheck_chunk(items: list[bytes], max_bytes: int) -> list[AtharError | None]:
    # Only the verdicts travel back: the parent rebuilds accepted entries from
    # the bytes it already holds, which is cheaper than pickling them.
    out: list[AtharError | None] = []
    for d in items:
        r = _precheck(d, max_bytes)
        out.append(r if isinstance(r, AtharError) else None)
    return out


class Log:
    """An append-only, verifiable log stored in a :class:`Database`."""

    def __init__(self, db: Database, signer: Signer, origin: str,
                 options: LogOptions | None = None) -> None:
        self.db = db
        self.signer = signer
        self.origin = origin
        self.options = options or LogOptions()
        self._hooks: dict[str, EntryHook] = {}
        self._all_hooks: list[EntryHook] = []
        self._range: CompactRange | None = None
        self._pool: Executor | None = None
        self._pool_lock = threading.Lock()
        self._started = False
        self._index_source: IndexSource | None = None
        self._published_lock = threading.Lock()
        self._published_size = -1
        self._seq = Sequencer(self._integrate, self._publish_locked, self.options.sequencer,
                              self._start_checks)
        for hook in (IdentityHook(), NoteHook()):
            self.register_hook(hook)

    # -- set-up --------------------------------------------------------------
    def register_hook(self, hook: EntryHook) -> None:
        """Let ``hook`` own its kinds; call before the first append."""
        for kind in hook.kinds:
            if kind in self._hooks and self._hooks[kind] is not hook:
                raise StoreError(f"entry kind {kind!r} is registered twice")
            self._hooks[kind] = hook
        self._all_hooks.append(hook)

    def set_index_source(self, source: IndexSource, *, replay: bool = False) -> None:
        """Give the log the completeness index's values (see :mod:`athar.log.index`).

        With ``replay`` (a log rebuilt from another's entries), stored
        ``index.snapshot`` entries are accepted when they match the recomputed map.
        """
        self._index_source = source
        self.register_hook(IndexHook(self.signer.vkey, source, replay=replay))

    @property
    def kinds(self) -> frozenset[str]:
        """Every entry kind this log accepts."""
        return frozenset(self._hooks)

    def start(self) -> Log:
        """Bring the schema to the current revision if needed, and start the sequencer.

        Raises ConfigError for a database whose schema a newer Athar wrote
        (:func:`athar.store.migrate.ensure_current`).
        """
        if not self._started:
            upgrade = ensure_current(self.db)
            if upgrade.changed and upgrade.before is not None:
                # Derived tables a migration emptied or reshaped are rebuilt from what is stored.
                for hook in self._all_hooks:
                    rebuild = getattr(hook, "after_upgrade", None)
                    if rebuild is not None:
                        with self.db.write() as txn:
                            rebuild(txn, upgrade.before)
            self._started = True
            self._check_published()
            latest = self.db.read("SELECT MAX(size) FROM checkpoints")[0][0]
            self._seq.start(latest or 0)
        return self

    def _check_published(self) -> None:
        """ConfigError when the database is behind (or forked from) its last published checkpoint."""
        path = self.options.published_checkpoint
        if path is None or not path.exists():
            return
        try:
            held = read_checkpoint(path, self.signer.verifier(), self.origin)
            problem = rollback_problem(self, held)
        except AtharError as exc:
            self._started = False
            raise ConfigError(f"cannot check the database against {path}: {exc.message}") from None
        if problem is not None:
            self._started = False
            raise ConfigError(
                f"refusing to start: {problem}. Restore the database that holds those entries "
                f"(the newest backup), and run `athar log verify`. Only if this older log is "
                f"meant to replace the published one, move {path} aside: witnesses and anyone "
                "holding the newer checkpoint will then see a rollback.")
        self._published_size = held.checkpoint.size

    def close(self) -> None:
        """Flush pending appends, publish a final checkpoint and release resources."""
        self._seq.stop()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        self.db.close()

    def __enter__(self) -> Log:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- appends -------------------------------------------------------------
    def submit(self, data: bytes | Entry, context: object = None) -> Future:  # type: ignore[type-arg]
        """Queue an append; the future resolves to an :class:`AppendResult` once durable.

        ``context`` goes to the entry's hook with it (:meth:`EntryHook.apply`).
        """
        self.start()
        return self._seq.submit(data.to_bytes() if isinstance(data, Entry) else bytes(data), context)

    def append(self, data: bytes | Entry, *, wait_checkpoint: bool = False,
               timeout: float = 30.0, context: object = None) -> AppendResult:
        """Append one entry and return once it is durable.

        With ``wait_checkpoint`` it also waits for the checkpoint covering it and
        returns that checkpoint and the entry's inclusion proof. ``context`` goes
        to the entry's hook, which writes it in the same transaction as the
        entry. Raises :class:`EntryRejected` (or a subclass) when the entry fails
        its checks; then nothing is written.
        """
        result: AppendResult = self.submit(data, context).result(timeout)
        if wait_checkpoint:
            return self.with_proof(result, timeout)
        return result

    append_entry = append

    def append_many(self, items: Iterable[bytes | Entry],
                    contexts: Sequence[object] | None = None) -> list[AppendResult | AtharError]:
        """Append many entries; each result is an AppendResult or the error that refused it.

        ``contexts``, when given, holds each entry's hook context (as ``append``'s
        ``context``), in the same order. Checks of a large batch start in worker
        processes chunk by chunk as the entries are queued, so they run ahead of
        the sequencer from the start.
        """
        batch = self.submit_many(items, contexts)
        out: list[AppendResult | AtharError] = []
        for r in batch.wait():
            if isinstance(r, BaseException) and not isinstance(r, AtharError):
                raise r
            out.append(r)
        return out

    def submit_many(self, items: Iterable[bytes | Entry],
                    contexts: Sequence[object] | None = None) -> Batch:
        """Queue many entries (as :meth:`append_many`) without waiting: ``wait()`` on the
        returned batch gives each result or exception. Batches queued one after another
        are sequenced in that order, so a caller can queue the next while one is checked."""
        self.start()
        data = [d.to_bytes() if isinstance(d, Entry) else bytes(d) for d in items]
        if contexts is not None and len(contexts) != len(data):
            raise ValueError("append_many needs one context per entry")
        batch = Batch(len(data))
        pending = [Pending(d, batch=batch, position=i, context=contexts[i] if contexts is not None else None)
                   for i, d in enumerate(data)]
        step = self._chunk_size(len(pending))
        if step:
            for i in range(0, len(pending), step):
                self._check_in_pool(pending[i : i + step])
                self._seq.enqueue(pending[i : i + step])
        else:
            self._seq.enqueue(pending)
        return batch

    def with_proof(self, result: AppendResult, timeout: float = 30.0) -> AppendResult:
        """``result`` with the checkpoint covering it and its inclusion proof."""
        if not self._seq.wait_checkpoint(result.index + 1, timeout):
            self.publish_checkpoint()
        cp = self.latest_checkpoint()
        proof = self.inclusion_proof(result.index, cp.size)
        return AppendResult(result.index, result.leaf_hash, result.duplicate, cp, tuple(proof))

    def snapshot(self, timeout: float = 30.0) -> tuple[AppendResult, SignedCheckpoint]:
        """Append an ``index.snapshot`` of the completeness index, then a checkpoint right after it.

        Returns the snapshot's append result and the checkpoint whose size is its
        index + 1: nothing else is sequenced in between. StoreError if the log has
        no index source or the checkpoint could not be published in time.
        """
        if self._index_source is None:
            raise StoreError("this log keeps no completeness index (no index source)")
        self.start()
        future: Future = Future()  # type: ignore[type-arg]
        self._seq.enqueue([Pending(b"", future, _SNAPSHOT, checkpoint_after=True)])
        result: AppendResult = future.result(timeout)
        if not self._seq.wait_checkpoint(result.index + 1, timeout):
            raise StoreError("the checkpoint after the index snapshot was not published in time")
        return result, self.checkpoint_at(result.index + 1)

    def _snapshot_entry(self, txn: Txn, index: int) -> bytes:
        assert self._index_source is not None
        vm = VerifiableMap(self._index_source(txn_rows(txn), None))
        return Entry.create(SNAPSHOT_KIND, snapshot_body(index, len(vm), vm.root),
                            self.signer).to_bytes()

    def _start_checks(self, items: list[Pending]) -> None:
        """Start checks of appends the sequencer has just taken, when there are many.

        Appends submitted one by one (e.g. by concurrent API requests) arrive
        here unchecked; few of them, or a single core, are left to be checked
        inline when they are integrated.
        """
        unchecked = [p for p in items if p.check is None and p.context is not _SNAPSHOT]
        step = self._chunk_size(len(unchecked))
        if step:
            for i in range(0, len(unchecked), step):
                self._check_in_pool(unchecked[i : i + step])

    def _chunk_size(self, n: int) -> int:
        """Appends per worker task for ``n`` appends; 0 when they are better checked inline."""
        workers = self._workers()
        if n < _POOL_MIN or workers < 2:
            return 0
        return min(128, -(-n // (workers * 2)))

    def _workers(self) -> int:
        return self.options.verify_workers or (os.cpu_count() or 1)

    def _check_in_pool(self, chunk: list[Pending]) -> None:
        """Parse and signature-check ``chunk`` in a worker process; its verdicts land on ``p.check``."""
        with self._pool_lock:
            if self._pool is None:
                import multiprocessing

                self._pool = worker_pool(self._workers(), multiprocessing.get_context("forkserver"))
            try:
                check = self._pool.submit(_precheck_chunk, [p.data for p in chunk],
                                          self.options.max_entry_bytes)
            except BrokenProcessPool:
                self._pool_broken()
                return
        for slot, p in enumerate(chunk):
            p.check, p.slot = check, slot

    def _verdict(self, p: Pending) -> Entry | AtharError:
        """The parsed, signature-checked entry for ``p``, or why it was refused."""
        if p.check is not None:
            try:
                verdict = p.check.result()[p.slot]
            except BrokenProcessPool:
                with self._pool_lock:
                    self._pool_broken()
            else:
                return verdict if verdict is not None else Entry.trusted(p.data)
        return _precheck(p.data, self.options.max_entry_bytes)

    def _pool_broken(self) -> None:
        # Workers could not start here (e.g. no importable __main__): check inline from now on.
        # Called with the pool lock held.
        self.options = replace(self.options, verify_workers=1)
        self._pool = None

    def _load_range(self, txn: Txn, size: int) -> CompactRange:
        nodes = CompactRange.border(size)
        hashes = self._fetch_nodes(nodes, txn.execute)
        return CompactRange(size, [hashes[n] for n in nodes])

    def _integrate(self, batch: list[Pending]) -> int:
        snap = batch[-1] if batch and batch[-1].context is _SNAPSHOT else None
        if snap is not None:
            batch = batch[:-1]
        checked = (self._verdict(p) for p in batch)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        resolved: list[tuple[Pending, AppendResult | AtharError]] = []
        with self.db.write() as txn:
            size = txn.execute("SELECT size FROM log_state WHERE id = 1").fetchone()[0]
            if self._range is None or self._range.size != size:
                self._range = self._load_range(txn, size)
            rng = self._range.copy()
            hashes = [leaf_hash(p.data) for p in batch]
            known = self._existing(txn, hashes)
            entry_rows: list[tuple[Any, ...]] = []
            node_rows: list[tuple[int, bytes]] = []
            authors: dict[str, tuple[str, bool] | None] = {}
            written = 0
            for p, h, entry in zip(batch, hashes, checked, strict=True):
                if h in known:
                    resolved.append((p, AppendResult(known[h], h, duplicate=True)))
                    continue
                try:
                    if isinstance(entry, AtharError):
                        raise entry
                    if entry.kind == SNAPSHOT_KIND:  # the index counts the batch's entries too
                        written += self._flush_entries(txn, entry_rows)
                    hook = self._check(entry, h, txn, authors)
                except AtharError as exc:
                    resolved.append((p, exc))
                    continue
                index = rng.size
                hook.apply(entry, index, h, txn, p.context)
                if entry.kind in _IDENTITY_KINDS:
                    authors.clear()
                node_rows += [(node_id(lv, ix), nh) for lv, ix, nh in rng.append(h)]
                entry_rows.append((index, h, p.data, entry.kind, entry.author, now))
                known[h] = index
                resolved.append((p, AppendResult(index, h)))
            if snap is not None:
                written += self._flush_entries(txn, entry_rows)
                index = rng.size
                try:
                    data = self._snapshot_entry(txn, index)
                except AtharError as exc:
                    resolved.append((snap, exc))
                else:
                    h = leaf_hash(data)
                    node_rows += [(node_id(lv, ix), nh) for lv, ix, nh in rng.append(h)]
                    entry_rows.append((index, h, data, SNAPSHOT_KIND, self.signer.vkey, now))
                    resolved.append((snap, AppendResult(index, h)))
            written += self._flush_entries(txn, entry_rows)
            if written:
                txn.insert_rows("nodes", ("id", "hash"), node_rows)
                txn.execute("UPDATE log_state SET size = ? WHERE id = 1", (rng.size,))
        self._range = rng
        for p, r in resolved:
            if isinstance(r, AtharError):
                p.set_exception(r)
            else:
                p.set_result(r)
        return written

    @staticmethod
    def _flush_entries(txn: Txn, rows: list[tuple[Any, ...]]) -> int:
        """Insert the batch's entry rows so far (and empty ``rows``); return how many."""
        n = len(rows)
        if n:
            txn.insert_rows("entries", _ENTRY_COLUMNS, rows)
            rows.clear()
        return n

    def _existing(self, txn: Txn, hashes: Sequence[bytes]) -> dict[bytes, int]:
        found: dict[bytes, int] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), 500):
            part = unique[i : i + 500]
            marks = ",".join("?" * len(part))
            for idx, h in txn.execute(
                f"SELECT idx, leaf_hash FROM entries WHERE leaf_hash IN ({marks})", part
            ).fetchall():
                found[bytes(h)] = idx
        return found

    def _check(self, entry: Entry, h: bytes, txn: Txn,
               authors: dict[str, tuple[str, bool] | None]) -> EntryHook:
        hook = self._hooks.get(entry.kind)
        if hook is None:
            raise EntryRejected(
                f"unknown entry kind {entry.kind!r}; "
                f"known kinds: {', '.join(sorted(self._hooks))}"
            )
        if entry.kind == SNAPSHOT_KIND:  # signed by the log's key, which is no actor's
            hook.check(entry, h, txn)
            return hook
        if entry.author not in authors:
            authors[entry.author] = author_status(txn, entry.author)
        status = authors[entry.author]
        if status is None and entry.kind != "actor.registered":
            raise EntryRejected(
                "the author's key is not registered in this log: "
                "ask an admin to register it (athar keys new / actor registration)"
            )
        if status is not None and status[1]:
            raise EntryRejected("the author's key has been revoked; sign with a current key")
        hook.check(entry, h, txn)
        return hook

    # -- checkpoints ---------------------------------------------------------
    def _publish_locked(self) -> int:
        with self.db.write() as txn:
            size = txn.execute("SELECT size FROM log_state WHERE id = 1").fetchone()[0]
            if self._range is None or self._range.size != size:
                self._range = self._load_range(txn, size)
            root = self._range.root()
            cp = Checkpoint(self.origin, size, root)
            note = sign(cp.to_text(), [self.signer])
            now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
            txn.execute("INSERT INTO checkpoints (size, root, note, created_at) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", (size, root, note, now))
        self._publish_file(int(size), note)
        return int(size)

    def _publish_file(self, size: int, note: str) -> None:
        """Write the checkpoint just committed to the published-checkpoint file, if it is newer."""
        path = self.options.published_checkpoint
        if path is None:
            return
        with self._published_lock:
            if size > self._published_size:
                write_published(path, note)
                self._published_size = size

    def publish_checkpoint(self) -> SignedCheckpoint:
        """Sign and store a checkpoint of the log as it is now, and return it."""
        self.start()
        self._seq.note_checkpoint(self._publish_locked())
        return self.latest_checkpoint()

    def latest_checkpoint(self) -> SignedCheckpoint:
        """The newest stored checkpoint (one of the empty tree if none was published)."""
        self.start()
        rows = self.db.read("SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1")
        if not rows:
            return self.publish_checkpoint()
        return self._signed(rows[0][0], rows[0][1])

    def checkpoint_at(self, size: int) -> SignedCheckpoint:
        """The stored checkpoint of ``size``; NotFound if none was published at that size."""
        rows = self.db.read("SELECT size, note FROM checkpoints WHERE size = ?", (size,))
        if not rows:
            raise NotFound(f"no checkpoint was published at size {size}")
        return self._signed(rows[0][0], rows[0][1])

    def checkpoints(self, limit: int = 100) -> list[SignedCheckpoint]:
        """The newest ``limit`` checkpoints, newest first."""
        rows = self.db.read("SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT ?",
                            (limit,))
        return [self._signed(s, n) for s, n in rows]

    def _signed(self, size: int, note: str) -> SignedCheckpoint:
        text = note[: note.rfind("\n\n") + 1]
        cos = self.db.read("SELECT line FROM cosignatures WHERE size = ? ORDER BY witness",
                           (size,))
        return SignedCheckpoint(Checkpoint.from_text(text), note, tuple(c[0] for c in cos))

    def add_cosignature(self, size: int, witness: str, timestamp: int, line: str) -> None:
        """Store a verified witness cosignature of the checkpoint at ``size``."""
        with self.db.write() as txn:
            txn.execute("INSERT INTO cosignatures (size, witness, timestamp, line) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", (size, witness, timestamp, line))

    # -- reads and proofs ----------------------------------------------------
    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query (for packages' derived tables)."""
        self.start()
        return self.db.read(sql, params)

    def size(self) -> int:
        """The number of durable entries."""
        self.start()
        return int(self.db.read("SELECT size FROM log_state WHERE id = 1")[0][0])

    def entry(self, index: int) -> bytes:
        """The raw bytes of entry ``index``; NotFound if there is none."""
        rows = self.read("SELECT data FROM entries WHERE idx = ?", (index,))
        if not rows:
            raise NotFound(f"no entry at index {index} (log size {self.size()})")
        return bytes(rows[0][0])

    def entries(self, start: int, end: int) -> list[bytes]:
        """Raw bytes of entries ``[start, end)`` in order."""
        rows = self.read("SELECT data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx",
                         (start, end))
        return [bytes(r[0]) for r in rows]

    def index_of(self, leaf_hash_: bytes) -> int | None:
        """The index of the entry with this leaf hash, or None."""
        rows = self.read("SELECT idx FROM entries WHERE leaf_hash = ?", (leaf_hash_,))
        return int(rows[0][0]) if rows else None

    def _fetch_nodes(self, nodes: Iterable[Node], run: Any = None) -> dict[Node, bytes]:
        wanted = {node_id(lv, ix): (lv, ix) for lv, ix in nodes}
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        sql = f"SELECT id, hash FROM nodes WHERE id IN ({marks})"
        rows = run(sql, list(wanted)).fetchall() if run else self.db.read(sql, list(wanted))
        return _collect(wanted, rows)

    def _proof_nodes(self, nodes: Iterable[Node], size: int) -> dict[Node, bytes]:
        """The nodes a proof in the tree of ``size`` needs, and the log's size, in one query.

        NotFound when ``size`` is beyond the log. One round trip matters on
        PostgreSQL, where each costs more than the lookups themselves.
        """
        wanted = {node_id(lv, ix): (lv, ix) for lv, ix in nodes}
        if not wanted:
            self._check_size(size)
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self.db.read("SELECT id, hash, (SELECT size FROM log_state WHERE id = 1) FROM nodes "
                            f"WHERE id IN ({marks})", list(wanted))
        current = int(rows[0][2]) if rows else self.size()
        if size > current:
            raise NotFound(f"tree size {size} is beyond the log (size {current})")
        return _collect(wanted, rows)

    def _check_size(self, size: int) -> None:
        current = self.size()
        if not 0 <= size <= current:
            raise NotFound(f"tree size {size} is beyond the log (size {current})")

    def root(self, size: int) -> bytes:
        """The root hash of the first ``size`` entries."""
        self._check_size(size)
        if size == 0:
            return EMPTY_ROOT
        border = CompactRange.border(size)
        got = self._fetch_nodes(border)
        return CompactRange(size, [got[n] for n in border]).root()

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """RFC 9162 inclusion proof of entry ``index`` in the tree of ``size``."""
        if not 0 <= index < size:
            raise NotFound(f"index {index} is not in a tree of size {size}")
        plan = inclusion_plan(index, size)
        return evaluate(plan, self._proof_nodes(plan_nodes(plan), size))

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """RFC 9162 consistency proof from ``size1`` to ``size2``."""
        if not 0 <= size1 <= size2:
            raise NotFound(f"size1 {size1} must be between 0 and size2 {size2}")
        plan = consistency_plan(size1, size2)
        return evaluate(plan, self._proof_nodes(plan_nodes(plan), size2))

    def tile(self, level: int, index: int, width: int) -> bytes:
        """The hashes of a C2SP tile: nodes ``[index*256, index*256+width)`` at level ``8*level``."""
        lo = index * 256
        covered = (lo + width) << (8 * level)
        if covered > self.latest_checkpoint().size:
            raise NotFound("tile is beyond the latest checkpoint")
        ids = [node_id(8 * level, lo + i) for i in range(width)]
        rows = self.read("SELECT hash FROM nodes WHERE id >= ? AND id <= ? ORDER BY id",
                         (ids[0], ids[-1]))
        if len(rows) != width:
            raise NotFound("tile is not complete in storage")
        return b"".join(bytes(r[0]) for r in rows)
