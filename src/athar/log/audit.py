"""``athar log verify``: recompute the whole tree from stored entries and check it all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from athar.errors import AtharError, VerificationError
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.compact import CompactRange
from athar.ledger.entry import Entry
from athar.ledger.hashing import EMPTY_ROOT, leaf_hash
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note
from athar.ledger.proof import verify_consistency
from athar.log.nodes import node_id
from athar.log.server import Log

__all__ = ["AuditReport", "audit_log"]

_CHUNK = 5000


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
              progress: Callable[[int], None] | None = None) -> AuditReport:
    """Check every leaf, every stored node, every checkpoint and their consistency.

    Never raises for a fault in the data: the report says what failed, naming
    the entry (or checkpoint) where the first fault lies.
    """
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
