"""Pure verification of custody chains: signatures, inclusion, hash links, rules, blobs.

:class:`ChainVerifier` takes entries one at a time, in log order, with their
inclusion proofs against one checkpoint (whose signature the caller has
checked), and :meth:`~ChainVerifier.finish` returns a :class:`ChainReport` of
:class:`Finding` values; problems never crash it. It holds only the exhibits'
states and a batch of entries, so a bundle of any size verifies in bounded
memory. :func:`verify_chain` does the same for a list. ``error`` findings
mean a record fails; ``warning`` findings are custody concerns on intact
records. Used by the server's Verify (``athar custody verify``, the web page,
the API) and by the offline bundle verifier, so both report the same findings
from the same code; imports only ``athar.ledger``, pure custody modules and
``athar.errors``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from athar.custody.commitments import Disclosure, verify_disclosure
from athar.custody.entry_checks import SignatureJob, SignaturePool, parse_entry, signed_parts
from athar.custody.events import KINDS, decode_event, parse_time, valid_code
from athar.custody.identity import IDENTITY_KINDS, IdentityBook
from athar.custody.models import CustodyEvent, ExhibitState, Finding
from athar.custody.rules import apply_event
from athar.errors import AtharError
from athar.identity import check_identity_entry
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.entry import Entry
from athar.ledger.hashing import leaf_hash
from athar.ledger.proof import verify_inclusion

__all__ = ["ChainReport", "ChainVerifier", "DEFAULT_MAX_GAP", "EventObserver", "ProvedEntry",
           "parse_entry", "verify_chain"]

DEFAULT_MAX_GAP = timedelta(hours=48)
"""Custody gaps longer than this are reported when no other limit is given (the
``custody_max_gap_hours`` setting's default, used by the web Verify)."""
_BATCH = 2048

EventObserver = Callable[[CustodyEvent, Mapping[str, ExhibitState]], None]
"""Called with each accepted custody event and the states it changed."""


@dataclass(frozen=True)
class ProvedEntry:
    """An entry's bytes, its index and its inclusion proof in the checkpoint's tree."""

    index: int
    data: bytes
    proof: tuple[bytes, ...]


@dataclass(frozen=True)
class ChainReport:
    """Findings plus the replayed exhibits' states, registrations and (optionally) timelines."""

    findings: tuple[Finding, ...]
    states: Mapping[str, ExhibitState] = field(default_factory=dict)
    timelines: Mapping[str, tuple[CustodyEvent, ...]] = field(default_factory=dict)
    registrations: Mapping[str, CustodyEvent] = field(default_factory=dict)
    events: int = 0

    @property
    def intact(self) -> bool:
        """True when no finding is an error: every record verifies."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def clean(self) -> bool:
        """True when intact and without custody concerns (warnings)."""
        return self.intact and not any(f.severity == "warning" for f in self.findings)

    @property
    def verdict(self) -> str:
        """``verified`` (clean), ``warnings`` (intact, findings to review) or ``failed``."""
        return "verified" if self.clean else "warnings" if self.intact else "failed"


def _peek(data: bytes) -> tuple[str | None, str | None]:
    """Best-effort kind and exhibit of possibly damaged entry bytes, for messages."""
    try:
        obj = json.loads(data)
        kind, body = obj.get("kind"), obj.get("body")
        ex = body.get("exhibit") if isinstance(body, dict) else None
        return (kind if isinstance(kind, str) and valid_code(kind.replace(".", "-")) else None,
                ex if valid_code(ex) else None)
    except (ValueError, AttributeError, TypeError, RecursionError):
        return None, None


def _label(index: int, kind: str | None, exhibit: str | None) -> str:
    parts = [kind or "entry"] + ([f"exhibit {exhibit}"] if exhibit else [])
    return f"entry {index} ({', '.join(parts)})"


class _Replay:
    """Identity and custody replayed in log order through the rules."""

    def __init__(self, max_gap: timedelta | None, keep: frozenset[str], timelines: bool,
                 observer: EventObserver | None) -> None:
        self.max_gap = max_gap
        self.keep, self.keep_timelines, self.observer = keep, timelines, observer
        self.findings: list[Finding] = []
        self.book = IdentityBook()
        self.states: dict[str, ExhibitState] = {}
        self.timelines: dict[str, list[CustodyEvent]] = {}
        self.registrations: dict[str, CustodyEvent] = {}
        self.entries: dict[str, tuple[int, Entry]] = {}
        self.events = 0

    def add(self, sev: str, code: str, msg: str, ex: str | None = None,
            idx: int | None = None) -> None:
        self.findings.append(Finding(sev, code, msg, ex, idx))  # type: ignore[arg-type]

    def accept(self, index: int, lh: bytes, entry: Entry, signed: bool) -> None:
        """A bad signature is an error; else identity or custody replay."""
        if not signed:
            ex = entry.body.get("exhibit") if isinstance(entry.body, dict) else None
            ex = ex if isinstance(ex, str) else None
            self.add("error", "entry_invalid", f"{_label(index, entry.kind, ex)}: entry "
                     f"signature does not verify for author {entry.author}", ex, index)
            return
        if lh.hex() in self.keep:
            self.entries[lh.hex()] = (index, entry)
        if entry.kind in IDENTITY_KINDS:
            try:  # the rules the log server applied before it sequenced this entry
                check_identity_entry(self.book, entry.kind, entry.body, entry.author)
            except AtharError as exc:
                self.add("error", "identity_invalid", f"{_label(index, entry.kind, None)}: "
                         f"{exc.message}", None, index)
                return
            self.book.apply(entry.kind, entry.body, index)
        elif entry.kind in KINDS:
            self.custody(entry, index, lh)

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
            changed = apply_event(ev, actor, self.states.get, self.book.actor_by_id)
        except AtharError as exc:
            self.add("error", "rule_violation", f"{where}: {exc.message}", ev.exhibit_id, index)
            return
        self.observe(ev, previous, changed.get(ev.exhibit_id), where)
        self.states.update(changed)
        self.events += 1
        if ev.action == "registered":
            self.registrations[ev.exhibit_id] = ev
        for code in changed:
            if code != ev.exhibit_id and code not in self.registrations:
                self.registrations[code] = ev  # a portion begins with its parent's split
            if self.keep_timelines:
                self.timelines.setdefault(code, []).append(ev)
        if self.observer is not None:
            self.observer(ev, changed)

    def observe(self, ev: CustodyEvent, before: ExhibitState | None,
                after: ExhibitState | None, where: str) -> None:
        if before is not None and self.max_gap is not None:
            gap = parse_time(ev.at) - parse_time(before.last_at)
            if gap > self.max_gap:
                self.add("warning", "custody_gap",
                         f"{where}: {gap} since the previous event ({before.last_at}), longer "
                         f"than the allowed {self.max_gap}", ev.exhibit_id, ev.index)
        if ev.action == "correction" and before is not None and before.undo:
            voided = before.undo[-1]
            self.add("warning", "event_voided",
                     f"{where}: voids the {voided.action} of leaf {voided.leaf[:16]}… "
                     f"(reason: {ev.body.get('reason')}); the exhibit's state is replayed "
                     "without it", ev.exhibit_id, ev.index)
        if ev.action == "received_from_unverified_party":
            self.add("warning", "unverified_prior_custody",
                     f"{where}: earlier custody is not recorded in Athar", ev.exhibit_id, ev.index)
        if after is not None and after.broken_seal and not (before and before.broken_seal):
            self.add("warning", "broken_seal", f"{where}: seal found broken or not matching "
                     "the seals applied", ev.exhibit_id, ev.index)


class ChainVerifier:
    """Verify entries streamed in ascending index order against one checkpoint.

    Each :meth:`add` checks the entry's inclusion proof and form at once;
    signatures are checked in batches (in ``workers`` extra processes,
    overlapping the caller's work) before the batch is replayed, so memory
    holds the exhibits' states and at most two batches of entries.
    ``keep`` names the leaf hashes (hex) whose entries :meth:`finish` needs
    for disclosures; ``timelines=False`` keeps no per-event history in the
    report (``observer`` sees every event instead).
    """

    def __init__(self, checkpoint: Checkpoint, *, max_gap: timedelta | None = None,
                 workers: int = 0, keep: Iterable[str] = (), timelines: bool = True,
                 observer: EventObserver | None = None) -> None:
        self.cp = checkpoint
        self.errors: list[Finding] = []
        self.replay = _Replay(max_gap, frozenset(keep), timelines, observer)
        self.pool = SignaturePool(workers)
        self.last = -1
        self.batch: list[tuple[int, bytes, Entry | Finding, SignatureJob | None]] = []
        self.pending: tuple[list[tuple[int, bytes, Entry | Finding, SignatureJob | None]],
                            object] | None = None

    def add(self, pe: ProvedEntry) -> None:
        """Check one entry (the next in index order); problems become findings."""
        if pe.index <= self.last:
            what = "appears twice" if pe.index == self.last else "is out of index order"
            self.errors.append(Finding("error", "duplicate_index", f"entry {pe.index} {what}",
                                       None, pe.index))
            return
        self.last = pe.index
        lh = leaf_hash(pe.data)
        try:
            verify_inclusion(lh, pe.index, self.cp.size, list(pe.proof), self.cp.root_hash)
        except AtharError as exc:
            kind, ex = _peek(pe.data)
            self.errors.append(Finding(
                "error", "not_included",
                f"{_label(pe.index, kind, ex)}: not in the signed log: {exc.message}",
                ex, pe.index))
            return
        if self.errors:
            return  # the report will hold only the entries outside the log
        kind = ex = None
        try:
            entry = parse_entry(pe.data)
            kind = entry.kind
            if isinstance(entry.body, dict) and isinstance(entry.body.get("exhibit"), str):
                ex = entry.body["exhibit"]
            self.batch.append((pe.index, lh, entry, signed_parts(entry, pe.data)))
        except AtharError as exc:
            self.batch.append((pe.index, lh, Finding(
                "error", "entry_invalid", f"{_label(pe.index, kind, ex)}: {exc.message}",
                ex, pe.index), None))
        if len(self.batch) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        jobs = [j for _, _, _, j in self.batch if j is not None]
        started = (self.batch, self.pool.submit(jobs))
        self.batch = []
        self._drain()
        self.pending = started

    def _drain(self) -> None:
        if self.pending is None:
            return
        batch, handle = self.pending
        self.pending = None
        oks = iter(self.pool.result(handle))  # type: ignore[arg-type]
        for index, lh, item, job in batch:
            if isinstance(item, Finding):
                self.replay.findings.append(item)
            else:
                self.replay.accept(index, lh, item, next(oks) if job is not None else False)

    def finish(self, exhibits: Sequence[str], *,
               blobs: Mapping[str, Iterable[bytes]] | None = None,
               disclosures: Iterable[tuple[str, Disclosure]] = ()) -> ChainReport:
        """Complete the checks and return the report; never raises for bad input.

        If any entry is outside the signed log (or repeated), the report names
        those entries and nothing else. Otherwise: every exhibit in
        ``exhibits`` must be present, hand-overs must be received, blobs given
        in ``blobs`` (digest → chunks) must match their registration, and each
        ``(label, disclosure)`` must open its entry's commitment.
        """
        self._flush()
        self._drain()
        self.pool.close()
        if self.errors:
            return ChainReport((*self.errors, Finding(
                "info", "not_checked", "signatures and custody rules were not checked: "
                "the entries named above are not in the signed log")))
        run = self.replay
        for code in exhibits:
            if code not in run.states:
                run.add("error", "exhibit_missing",
                        f"exhibit {code}: its registration is not among the verified entries",
                        code)
        for code, st in run.states.items():
            if st.pending_to is not None:
                run.add("warning", "incomplete_handover", f"exhibit {code}: handed over to "
                        f"{st.pending_to}, receipt not recorded", code)
        if blobs is not None:
            _check_blobs(run, blobs)
        for label, d in disclosures:
            found = run.entries.get(d.leaf_hash)
            try:
                if found is None:
                    raise AtharError(f"no verified entry with leaf hash {d.leaf_hash[:16]}…")
                verify_disclosure(d, found[1].body)
            except AtharError as exc:
                run.add("error", "disclosure_invalid", f"{label}: {exc.message}",
                        None, found[0] if found else None)
        timelines = {k: tuple(v) for k, v in run.timelines.items()}
        return ChainReport(tuple(run.findings), dict(run.states), timelines,
                           dict(run.registrations), run.events)


def _check_blobs(run: _Replay, blobs: Mapping[str, Iterable[bytes]]) -> None:
    for code, reg in run.registrations.items():
        blob = reg.body.get("blob") if reg.action == "registered" else None
        if not isinstance(blob, dict):
            continue
        chunks = blobs.get(blob["sha256"])
        if chunks is None:
            run.add("info", "blob_not_checked", f"exhibit {code}: blob {blob['sha256'][:16]}… "
                    "not available, its bytes were not checked", code, reg.index)
            continue
        h, size = hashlib.sha256(), 0
        try:
            for chunk in chunks:
                h.update(chunk)
                size += len(chunk)
        except AtharError as exc:
            run.add("error", "blob_mismatch", f"exhibit {code}: {exc.message}", code, reg.index)
            continue
        if h.hexdigest() != blob["sha256"] or size != blob["size"]:
            run.add("error", "blob_mismatch", f"exhibit {code}: the bytes of blob "
                    f"{blob['sha256']} do not match the hash registered in entry {reg.index}",
                    code, reg.index)


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
    entries and stops there), each entry's form and signature, and replays
    identity and custody in log order through the rules, checks that every
    exhibit in ``exhibits`` is present, checks blobs given in ``blobs``
    (digest → chunks) and each disclosure against its entry. Never raises for
    bad input.
    """
    v = ChainVerifier(checkpoint, max_gap=max_gap, workers=workers,
                      keep={d.leaf_hash for d in disclosures})
    for pe in sorted(entries, key=lambda e: e.index):
        v.add(pe)
    return v.finish(exhibits, blobs=blobs,
                    disclosures=[(f"disclosure of {d.field!r}", d) for d in disclosures])
