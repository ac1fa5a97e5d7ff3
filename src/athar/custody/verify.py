"""Pure verification of custody chains: signatures, inclusion, hash links, rules, blobs.

:func:`verify_chain` takes entries with their inclusion proofs against one
checkpoint (whose signature the caller has checked) and returns a
:class:`ChainReport` of :class:`Finding` values; problems never crash it.
``error`` findings mean a record fails; ``warning`` findings are custody
concerns on intact records. Used by ``athar custody verify`` and by the
offline bundle verifier; imports only ``athar.ledger``, pure custody modules
and ``athar.errors``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from athar.custody.commitments import Disclosure, verify_disclosure
from athar.custody.events import KINDS, decode_event, parse_time, valid_code
from athar.custody.identity import IDENTITY_KINDS, IdentityBook
from athar.custody.models import CustodyEvent, ExhibitState, Finding
from athar.custody.rules import apply_event
from athar.errors import AtharError, InvalidSignature
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.entry import DEFAULT_MAX_ENTRY_BYTES, Entry
from athar.ledger.hashing import leaf_hash
from athar.ledger.note import Verifier
from athar.ledger.proof import verify_inclusion

__all__ = ["ChainReport", "ProvedEntry", "parse_entry", "verify_chain"]

_FIELDS = frozenset({"kind", "v", "body", "author", "sig"})


@dataclass(frozen=True)
class ProvedEntry:
    """An entry's bytes, its index and its inclusion proof in the checkpoint's tree."""

    index: int
    data: bytes
    proof: tuple[bytes, ...]


@dataclass(frozen=True)
class ChainReport:
    """Findings plus the replayed exhibits' states and timelines."""

    findings: tuple[Finding, ...]
    states: Mapping[str, ExhibitState] = field(default_factory=dict)
    timelines: Mapping[str, tuple[CustodyEvent, ...]] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        """True when no finding is an error: every record verifies."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def clean(self) -> bool:
        """True when intact and without custody concerns (warnings)."""
        return self.intact and not any(f.severity == "warning" for f in self.findings)


def _peek(data: bytes) -> tuple[str | None, str | None]:
    """Best-effort kind and exhibit of possibly damaged entry bytes, for messages."""
    try:
        obj = json.loads(data)
        kind, body = obj.get("kind"), obj.get("body")
        ex = body.get("exhibit") if isinstance(body, dict) else None
        return (kind if isinstance(kind, str) and valid_code(kind.replace(".", "-")) else None,
                ex if valid_code(ex) else None)
    except (ValueError, AttributeError, TypeError):
        return None, None


_SAFE_INT = 1 << 53


def _plain(value: Any) -> bool:
    """True when sorted-key compact ``json.dumps`` is RFC 8785 for this value."""
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_SAFE_INT < value < _SAFE_INT
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(k.isascii() and _plain(v) for k, v in value.items())
    return False


def parse_entry(data: bytes) -> Entry:
    """Entry.from_bytes with a fast canonical-form check for float-free entries.

    Same guarantees: size, shape and RFC 8785 form. For values without floats,
    huge integers or non-ASCII keys, sorted compact ``json.dumps`` produces the
    RFC 8785 bytes; otherwise the full canonicaliser decides.
    """
    if len(data) > DEFAULT_MAX_ENTRY_BYTES:
        return Entry.from_bytes(data)
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Entry.from_bytes(data)
    if not isinstance(obj, dict) or set(obj) != _FIELDS or not _plain(obj):
        return Entry.from_bytes(data)
    fast = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if fast.encode("utf-8", "surrogatepass") != data:
        return Entry.from_bytes(data)
    entry = Entry(obj["kind"], obj["v"], obj["body"], obj["author"], obj["sig"])
    entry.check_shape()
    return entry


def _signed_parts(entry: Entry, data: bytes) -> tuple[bytes, bytes, bytes]:
    """(public key, signed bytes, signature) of canonical leaf ``data``.

    The canonical form sorts keys as author, body, kind, sig, v, so the signed
    bytes are the leaf with ``,"sig":"..."`` cut out: equal to Entry.signed_bytes().
    """
    try:
        raw = base64.b64decode(entry.sig.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise InvalidSignature("entry signature is not base64") from None
    if len(raw) != 64:
        raise InvalidSignature("entry signature is not 64 bytes")
    cut = b',"sig":"' + entry.sig.encode("ascii") + b'"'
    at = data.rfind(cut)
    signed = data[:at] + data[at + len(cut):] if at >= 0 else entry.signed_bytes()
    return entry.author_verifier().public_key, signed, raw


def _check_all(jobs: Sequence[tuple[bytes, bytes, bytes]]) -> list[bool]:
    return [Verifier("k", 0, pub).verify(msg, sig) for pub, msg, sig in jobs]


class _Signatures:
    """Ed25519 checks started now, in ``workers`` extra processes for large batches
    (so they overlap the caller's other work); results later. 0 workers: inline."""

    def __init__(self, jobs: list[tuple[bytes, bytes, bytes]], workers: int) -> None:
        self.jobs, self.futures, self.pool = jobs, [], None
        if workers < 1 or len(jobs) < 2000:
            return
        import multiprocessing

        from athar.workers import worker_pool

        step = -(-len(jobs) // workers)
        try:
            self.pool = worker_pool(workers, multiprocessing.get_context("fork"))
            self.futures = [self.pool.submit(_check_all, jobs[i:i + step])
                            for i in range(0, len(jobs), step)]
        except (OSError, ValueError, RuntimeError):
            self.close()

    def result(self) -> list[bool]:
        try:
            if self.futures:
                return [ok for f in self.futures for ok in f.result()]
        except Exception:  # noqa: BLE001 - a broken pool falls back to checking here
            pass
        finally:
            self.close()
        return _check_all(self.jobs)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool, self.futures = None, []


def _label(index: int, kind: str | None, exhibit: str | None) -> str:
    parts = [kind or "entry"] + ([f"exhibit {exhibit}"] if exhibit else [])
    return f"entry {index} ({', '.join(parts)})"


class _Run:
    def __init__(self, checkpoint: Checkpoint, max_gap: timedelta | None) -> None:
        self.cp = checkpoint
        self.max_gap = max_gap
        self.findings: list[Finding] = []
        self.book = IdentityBook()
        self.states: dict[str, ExhibitState] = {}
        self.timelines: dict[str, list[CustodyEvent]] = {}
        self.entries: dict[str, Entry] = {}

    def add(self, sev: str, code: str, msg: str, ex: str | None = None,
            idx: int | None = None) -> None:
        self.findings.append(Finding(sev, code, msg, ex, idx))  # type: ignore[arg-type]

    def included(self, pe: ProvedEntry) -> bytes | None:
        """Phase 1: the leaf hash if the entry is in the checkpoint's tree, else None."""
        lh = leaf_hash(pe.data)
        try:
            verify_inclusion(lh, pe.index, self.cp.size, list(pe.proof), self.cp.root_hash)
        except AtharError as exc:
            kind, ex = _peek(pe.data)
            self.add("error", "not_included",
                     f"{_label(pe.index, kind, ex)}: not in the signed log: {exc.message}",
                     ex, pe.index)
            return None
        return lh

    def parsed(self, pe: ProvedEntry) -> tuple[Entry, tuple[bytes, bytes, bytes]] | Finding:
        """The entry and what its signature check needs, or the error finding."""
        ex: str | None = None
        kind: str | None = None
        try:
            entry = parse_entry(pe.data)
            kind = entry.kind
            if isinstance(entry.body, dict) and isinstance(entry.body.get("exhibit"), str):
                ex = entry.body["exhibit"]
            return entry, _signed_parts(entry, pe.data)
        except AtharError as exc:
            return Finding("error", "entry_invalid",
                           f"{_label(pe.index, kind, ex)}: {exc.message}", ex, pe.index)

    def accept(self, pe: ProvedEntry, lh: bytes, entry: Entry, signed: bool) -> None:
        """Phase 2b: a bad signature is an error; else identity or custody replay."""
        if not signed:
            ex = entry.body.get("exhibit") if isinstance(entry.body, dict) else None
            ex = ex if isinstance(ex, str) else None
            self.add("error", "entry_invalid", f"{_label(pe.index, entry.kind, ex)}: entry "
                     f"signature does not verify for author {entry.author}", ex, pe.index)
            return
        self.entries[lh.hex()] = entry
        if entry.kind in IDENTITY_KINDS:
            self.book.apply(entry.kind, entry.body, pe.index)
        elif entry.kind in KINDS:
            self.custody(entry, pe.index, lh)

    def custody(self, entry: Entry, index: int, lh: bytes) -> None:
        try:
            ev = decode_event(entry, index, lh)
        except AtharError as exc:
            self.add("error", "event_invalid", f"{_label(index, entry.kind, None)}: "
                     f"{exc.message}", None, index)
            return
        where = _label(index, entry.kind, ev.exhibit_id)
        actor = self.book.actor(entry.author)
        if actor.actor_id is None:
            self.add("error", "unknown_author",
                     f"{where}: signed by key {entry.author.split('+')[0]}, not registered "
                     "in the bundle's identity entries", ev.exhibit_id, index)
        revoked = self.book.revoked_at.get(entry.author)
        if revoked is not None:
            self.add("warning", "revoked_key",
                     f"{where}: signed by a key revoked at entry {revoked}", ev.exhibit_id, index)
        previous = self.states.get(ev.exhibit_id)
        try:
            changed = apply_event(ev, actor, self.states.get)
        except AtharError as exc:
            self.add("error", "rule_violation", f"{where}: {exc.message}", ev.exhibit_id, index)
            return
        self.observe(ev, previous, changed.get(ev.exhibit_id), where)
        self.states.update(changed)
        for code in changed:
            self.timelines.setdefault(code, []).append(ev)

    def observe(self, ev: CustodyEvent, before: ExhibitState | None,
                after: ExhibitState | None, where: str) -> None:
        if before is not None and self.max_gap is not None:
            gap = parse_time(ev.at) - parse_time(before.last_at)
            if gap > self.max_gap:
                self.add("warning", "custody_gap",
                         f"{where}: {gap} since the previous event ({before.last_at}), longer "
                         f"than the allowed {self.max_gap}", ev.exhibit_id, ev.index)
        if ev.action == "received_from_unverified_party":
            self.add("warning", "unverified_prior_custody",
                     f"{where}: earlier custody is not recorded in Athar", ev.exhibit_id, ev.index)
        if after is not None and after.broken_seal and not (before and before.broken_seal):
            self.add("warning", "broken_seal", f"{where}: seal found broken or not matching "
                     "the seals applied", ev.exhibit_id, ev.index)


def _check_blobs(run: _Run, blobs: Mapping[str, Iterable[bytes]]) -> None:
    for code, timeline in run.timelines.items():
        reg = timeline[0]
        blob = reg.body.get("blob") if reg.action == "registered" else None
        if not isinstance(blob, dict):
            continue
        chunks = blobs.get(blob["sha256"])
        if chunks is None:
            run.add("info", "blob_not_checked", f"exhibit {code}: blob {blob['sha256'][:16]}… "
                    "not available, its bytes were not checked", code, reg.index)
            continue
        h, size = hashlib.sha256(), 0
        for chunk in chunks:
            h.update(chunk)
            size += len(chunk)
        if h.hexdigest() != blob["sha256"] or size != blob["size"]:
            run.add("error", "blob_mismatch", f"exhibit {code}: the blob's bytes do not match "
                    f"the hash registered in entry {reg.index}", code, reg.index)


def verify_chain(
    entries: Sequence[ProvedEntry],
    checkpoint: Checkpoint,
    exhibits: Sequence[str],
    *,
    blobs: Mapping[str, Iterable[bytes]] | None = None,
    disclosures: Sequence[Disclosure] = (),
    max_gap: timedelta | None = None,
    workers: int = 0,
) -> ChainReport:
    """Verify ``entries`` (any order) against a checkpoint whose signature is already checked.

    Checks every entry's inclusion proof (if any fails, the report names those
    entries and stops there), each entry's form and signature (in ``workers``
    processes for large bundles, overlapping the rest), and replays identity
    and custody in log order through the rules, checks that every exhibit in
    ``exhibits`` is present, checks blobs given in ``blobs`` (digest → chunks)
    and each disclosure against its entry. Never raises for bad input.
    """
    run = _Run(checkpoint, max_gap)
    seen: set[int] = set()
    ordered: list[ProvedEntry] = []
    for pe in sorted(entries, key=lambda e: e.index):
        if pe.index in seen:
            run.add("error", "duplicate_index", f"entry {pe.index} appears twice", None, pe.index)
        else:
            seen.add(pe.index)
            ordered.append(pe)
    parsed = [(pe, run.parsed(pe)) for pe in ordered]
    good = [(pe, p) for pe, p in parsed if not isinstance(p, Finding)]
    sigs = _Signatures([p[1] for _, p in good], workers)
    hashes = {pe.index: run.included(pe) for pe in ordered}
    if run.findings:
        sigs.close()
        run.add("info", "not_checked", "signatures and custody rules were not checked: "
                "the entries named above are not in the signed log")
        return ChainReport(tuple(run.findings))
    bad_form = run.findings + [p for _, p in parsed if isinstance(p, Finding)]

    def replay(oks: Sequence[bool]) -> _Run:
        r = _Run(checkpoint, max_gap)
        r.findings.extend(bad_form)
        for (pe, p), ok in zip(good, oks, strict=True):
            lh = hashes[pe.index]
            assert lh is not None
            r.accept(pe, lh, p[0], ok)
        return r

    run = replay([True] * len(good))
    oks = sigs.result()
    if not all(oks):
        run = replay(oks)
    for code in exhibits:
        if code not in run.states:
            run.add("error", "exhibit_missing",
                    f"exhibit {code}: its registration is not among the verified entries", code)
    for code, st in run.states.items():
        if st.pending_to is not None:
            run.add("warning", "incomplete_handover", f"exhibit {code}: handed over to "
                    f"{st.pending_to}, receipt not recorded", code)
    if blobs is not None:
        _check_blobs(run, blobs)
    for d in disclosures:
        entry = run.entries.get(d.leaf_hash)
        try:
            if entry is None:
                raise AtharError(f"no verified entry with leaf hash {d.leaf_hash[:16]}…")
            verify_disclosure(d, entry.body)
        except AtharError as exc:
            run.add("error", "disclosure_invalid", f"disclosure of {d.field!r}: {exc.message}")
    timelines = {k: tuple(v) for k, v in run.timelines.items()}
    return ChainReport(tuple(run.findings), dict(run.states), timelines)
