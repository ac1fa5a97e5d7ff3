"""High-level custody operations for the CLI and the API.

:class:`CustodyService` ties a :class:`athar.log.server.Log` (with the custody
hook registered) to a blob store: register exhibits from streams, record
events, read timelines and secrets, verify chains, and gather what an export
bundle needs. Everything it writes to the log goes through the hook's checks.
"""

from __future__ import annotations

import io
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from athar.custody.blobstore.base import BlobStore, Chunks, Progress
from athar.custody.commitments import Disclosure, Opening
from athar.custody.events import build_entry, decode_event, valid_code
from athar.custody.identity import IDENTITY_KINDS
from athar.custody.metadata import image_metadata, sensor_summary, sniff_media_type
from athar.custody.models import CustodyEvent, Exhibit, ExhibitState, Finding
from athar.custody.verify import ChainReport, ProvedEntry, verify_chain
from athar.errors import AtharError, EntryRejected, NotFound
from athar.ledger.entry import Entry
from athar.ledger.hashing import leaf_hash
from athar.ledger.note import Signer, Verifier
from athar.ledger.note import open as open_note

if TYPE_CHECKING:
    from athar.log.server import AppendResult, Log, SignedCheckpoint

__all__ = ["BundleParts", "CustodyService", "Recorded", "new_code"]

_HEAD_BYTES = 1 << 20


def new_code(prefix: str = "EX") -> str:
    """A fresh random exhibit code like ``EX-3F9A0C21``."""
    return f"{prefix}-{secrets.token_hex(4).upper()}"


@dataclass(frozen=True)
class Recorded:
    """An entry the service appended: its index, leaf hash and exhibit."""

    index: int
    leaf_hash: str
    exhibit_id: str
    duplicate: bool = False


@dataclass(frozen=True)
class BundleParts:
    """Everything an export needs: proved entries, the checkpoint and the blobs' digests."""

    checkpoint: SignedCheckpoint
    entries: tuple[ProvedEntry, ...]
    exhibits: tuple[str, ...]
    blobs: tuple[str, ...]


class CustodyService:
    """Custody operations over one log and one blob store."""

    def __init__(self, log: Log, blobs: BlobStore) -> None:
        self.log = log
        self.blobs = blobs

    @classmethod
    def for_workspace(cls, ws: Any) -> CustodyService:
        """The service on a workspace's log and blob store.

        The blob store is the ``blob_url`` setting when set (a folder, ``memory://``
        or ``s3://bucket/prefix`` with ``ATHAR_S3_ENDPOINT``), else ``<workspace>/blobs``.
        """
        from athar.custody.blobstore.base import open_blobstore

        url = str(getattr(ws.settings, "blob_url", "") or ws.blob_dir)
        key = "custody.blobstore:" + url  # opened once per workspace, kept on it
        store = ws.cache.get(key)
        if store is None:
            store = ws.cache[key] = open_blobstore(url)
        return cls(ws.log(), store)

    # -- writing -------------------------------------------------------------
    def append(self, entry: Entry, openings: Iterable[Opening] = (),
               *, wait_checkpoint: bool = False) -> AppendResult:
        """Append a custody entry, handing its secrets to the hook in the same transaction."""
        return self.log.append(entry, wait_checkpoint=wait_checkpoint, context=tuple(openings))

    def record(self, code: str, action: str, signer: Signer, *, at: str | None = None,
               public: Mapping[str, Any] | None = None,
               private: Mapping[str, Any] | None = None) -> Recorded:
        """Sign and append one custody event after the exhibit's latest event.

        Raises NotFound for an unknown exhibit and EntryRejected/CustodyRuleViolation
        when the event breaks a rule; nothing is written then.
        """
        state = self.state(code)
        if action == "correction" and public is not None:
            public = {**public, "voids": self._event_leaf(code, public.get("voids"))}
        entry, openings = build_entry(action, code, state.head, signer, at=at,
                                      public=public, private=private)
        res = self.append(entry, openings)
        return Recorded(res.index, res.leaf_hash.hex(), code, res.duplicate)

    def correct(self, code: str, voids: int | str, reason: str, signer: Signer, *,
                at: str | None = None, notes: str | None = None) -> Recorded:
        """Void the exhibit's event ``voids`` (log index or leaf hash) with a reason code.

        Nothing is deleted: the correction is a new signed event and the exhibit's
        state is replayed without the voided one (see :mod:`athar.custody.rules`).
        """
        return self.record(code, "correction", signer, at=at,
                           public={"voids": voids, "reason": reason},
                           private={"notes": notes} if notes else None)

    def _event_leaf(self, code: str, ref: object) -> object:
        """The leaf hash of the exhibit's event at log index ``ref``; any other value as is."""
        if isinstance(ref, bool) or not isinstance(ref, (int, str)) or \
                not str(ref).isascii() or not str(ref).isdigit() or len(str(ref)) > 18:
            return ref
        rows = self.log.read("SELECT leaf_hash FROM custody_events WHERE exhibit_id = ? "
                             "AND idx = ?", (code, int(ref)))
        if not rows:
            raise EntryRejected(f"entry {ref} is not an event of exhibit {code}; "
                                "see `athar custody show`")
        return str(rows[0][0])

    def register_physical(self, signer: Signer, *, code: str | None = None,
                          parent: str | None = None, at: str | None = None,
                          public: Mapping[str, Any] | None = None,
                          private: Mapping[str, Any] | None = None) -> Recorded:
        """Register a sample or object (container, quantity public; description etc. committed)."""
        code = code or new_code()
        entry, openings = build_entry(
            "registered", code, None, signer, at=at,
            public={"exhibit_kind": "physical", "parent": parent, **(public or {})},
            private=private)
        res = self.append(entry, openings)
        return Recorded(res.index, res.leaf_hash.hex(), code, res.duplicate)

    def ingest(self, source: Chunks, signer: Signer, *, name: str | None = None,
               kind: str = "digital", code: str | None = None, parent: str | None = None,
               media_type: str | None = None, at: str | None = None,
               private: Mapping[str, Any] | None = None,
               progress: Progress | None = None) -> Recorded:
        """Stream a file into the blob store and register it as an exhibit.

        Memory stays constant whatever the size. If the stream fails, no blob and
        no entry remain; if the entry is refused, a blob this call created is removed.
        """
        if code is not None and not valid_code(code):
            raise EntryRejected(f"exhibit code {code!r} must be 1-64 of A-Za-z0-9._-")
        blob = self.blobs.put(source, progress)
        try:
            head = b"".join(_take(self.blobs.read(blob.sha256), _HEAD_BYTES))
            mt = media_type or sniff_media_type(head, name)
            metadata: dict[str, Any] = {}
            secret: dict[str, Any] = {"original_name": name, **(private or {})}
            if mt.startswith("image/"):
                exif = image_metadata(io.BytesIO(head))
                if "captured_at" in exif:
                    metadata["captured_at"] = exif["captured_at"]
                secret.setdefault("gps", exif.get("gps"))
            if kind == "sensor":
                metadata["sensor"] = sensor_summary(self.blobs.read(blob.sha256), mt)
            public: dict[str, Any] = {
                "exhibit_kind": kind, "parent": parent,
                "blob": {"sha256": blob.sha256, "size": blob.size, "media_type": mt}}
            if metadata:
                public["metadata"] = metadata
            code = code or new_code()
            entry, openings = build_entry("registered", code, None, signer, at=at,
                                          public=public, private=secret)
            res = self.append(entry, openings)
        except BaseException:
            if blob.created and not self._blob_referenced(blob.sha256):
                self.blobs.delete(blob.sha256)
            raise
        return Recorded(res.index, res.leaf_hash.hex(), code, res.duplicate)

    def _blob_referenced(self, sha256: str) -> bool:
        return bool(self.log.read("SELECT 1 FROM custody_exhibits WHERE sha256 = ?", (sha256,)))

    # -- reading -------------------------------------------------------------
    def state(self, code: str) -> ExhibitState:
        """The exhibit's state after its latest event; NotFound if it is not registered."""
        rows = self.log.read("SELECT state FROM custody_exhibits WHERE exhibit_id = ?", (code,))
        if not rows:
            raise NotFound(f"no exhibit {code!r} is registered; see `athar exhibit list`")
        return ExhibitState.from_json(json.loads(rows[0][0]))

    def exhibit(self, code: str) -> Exhibit:
        """The exhibit's public facts; NotFound if it is not registered."""
        rows = self.log.read(
            "SELECT c.exhibit_id, c.kind, c.registered_idx, e.leaf_hash, c.parent_id, c.sha256, "
            "c.size, c.media_type, c.public FROM custody_exhibits c JOIN entries e "
            "ON e.idx = c.registered_idx WHERE c.exhibit_id = ?", (code,))
        if not rows:
            raise NotFound(f"no exhibit {code!r} is registered; see `athar exhibit list`")
        return _exhibit(rows[0])

    def exhibits(self, limit: int = 1000, offset: int = 0) -> list[Exhibit]:
        """Registered exhibits in registration order."""
        rows = self.log.read(
            "SELECT c.exhibit_id, c.kind, c.registered_idx, e.leaf_hash, c.parent_id, c.sha256, "
            "c.size, c.media_type, c.public FROM custody_exhibits c JOIN entries e "
            "ON e.idx = c.registered_idx ORDER BY c.registered_idx, c.exhibit_id "
            "LIMIT ? OFFSET ?", (limit, offset))
        return [_exhibit(r) for r in rows]

    def timeline(self, code: str) -> list[CustodyEvent]:
        """The exhibit's events in log order (public fields only)."""
        self.state(code)
        rows = self.log.read("SELECT c.idx, e.data FROM custody_events c JOIN entries e "
                             "ON e.idx = c.idx WHERE c.exhibit_id = ? ORDER BY c.idx", (code,))
        out = []
        for idx, data in rows:
            raw = bytes(data)
            out.append(decode_event(Entry.from_bytes(raw), int(idx), leaf_hash(raw)))
        return out

    def secrets(self, code: str) -> list[tuple[int, str, Any]]:
        """(index, field, value) of every committed field of the exhibit's events. Private."""
        rows = self.log.read("SELECT idx, field, value FROM custody_secrets WHERE exhibit_id = ? "
                             "ORDER BY idx, field", (code,))
        return [(int(i), f, json.loads(v)) for i, f, v in rows]

    def disclosure(self, ref: str | int, field: str) -> Disclosure:
        """The value and salt of ``field`` in entry ``ref`` (index or leaf hash hex)."""
        col, key = ("idx", int(ref)) if str(ref).isdigit() else ("leaf_hash", str(ref).lower())
        rows = self.log.read(f"SELECT leaf_hash, value, salt FROM custody_secrets WHERE {col} = ? "
                             "AND field = ?", (key, field))
        if not rows:
            raise NotFound(f"no committed field {field!r} is held for entry {ref}; "
                           "see `athar custody show EXHIBIT --private`")
        return Disclosure(rows[0][0], field, json.loads(rows[0][1]), rows[0][2])

    # -- verification and export ----------------------------------------------
    def closure(self, codes: Iterable[str]) -> list[str]:
        """The exhibits, their ancestors, descendants and analysis results (sorted)."""
        todo, seen = [c for c in codes], set[str]()
        for c in todo:
            self.state(c)
        while todo:
            code = todo.pop()
            if code in seen:
                continue
            seen.add(code)
            st = self.state(code)
            linked = [st.parent_id, *st.children]
            rows = self.log.read("SELECT exhibit_id FROM custody_exhibits WHERE parent_id = ?",
                                 (code,))
            linked += [r[0] for r in rows]
            rows = self.log.read("SELECT e.data FROM custody_events c JOIN entries e ON "
                                 "e.idx = c.idx WHERE c.exhibit_id = ? AND c.action = 'analysed'",
                                 (code,))
            linked += [json.loads(bytes(r[0]))["body"]["result"] for r in rows]
            todo += [x for x in linked if x and x not in seen]
        return sorted(seen)

    def gather(self, codes: Iterable[str], checkpoint: SignedCheckpoint | None = None,
               include: Iterable[int] = ()) -> BundleParts:
        """Entries (custody closure plus every identity entry) proved in one fresh checkpoint.

        With ``checkpoint`` (the export's, right after its index snapshot): only
        exhibits and entries below its size, plus ``include``, proved in it.
        """
        exhibits = self.closure(codes)
        if checkpoint is not None:
            exhibits = [c for c in exhibits if self.exhibit(c).registered_index < checkpoint.size]
        indices: set[int] = set(include)
        for code in exhibits:
            indices.update(int(r[0]) for r in self.log.read(
                "SELECT idx FROM custody_events WHERE exhibit_id = ?", (code,)))
        marks = ",".join("?" * len(IDENTITY_KINDS))
        indices.update(int(r[0]) for r in self.log.read(
            f"SELECT idx FROM entries WHERE kind IN ({marks})", sorted(IDENTITY_KINDS)))
        if checkpoint is not None:
            cp = checkpoint
            indices = {i for i in indices if i < cp.size}
        else:
            cp = self.log.latest_checkpoint()
            if indices and cp.size <= max(indices):
                cp = self.log.publish_checkpoint()
        proved = tuple(ProvedEntry(i, self.log.entry(i),
                                   tuple(self.log.inclusion_proof(i, cp.size)))
                       for i in sorted(indices))
        blobs = sorted({e.sha256 for c in exhibits if (e := self.exhibit(c)).sha256})
        return BundleParts(cp, proved, tuple(exhibits), tuple(blobs))

    def verify(self, code: str, max_gap: timedelta | None = None) -> ChainReport:
        """Check every signature, hash link, rule, inclusion in the latest checkpoint and blob.

        Problems come back as findings; only a missing exhibit raises (NotFound).
        """
        parts = self.gather([code])
        try:
            open_note(parts.checkpoint.note, [Verifier.from_vkey(self.log.signer.vkey)])
        except AtharError as exc:
            bad = Finding("error", "checkpoint_invalid", f"checkpoint: {exc.message}")
            return ChainReport((bad,))
        blobs = {d: _lazy(self.blobs, d) for d in parts.blobs if self.blobs.exists(d)}
        return verify_chain(parts.entries, parts.checkpoint.checkpoint, parts.exhibits,
                            blobs=blobs, max_gap=max_gap)


class _lazy:
    """An iterable of a blob's chunks, read only when iterated."""

    def __init__(self, store: BlobStore, digest: str) -> None:
        self.store, self.digest = store, digest

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.store.read(self.digest))


def _take(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    got = 0
    for chunk in chunks:
        if got >= limit:
            break
        yield chunk[: limit - got]
        got += len(chunk)
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


def _exhibit(row: tuple[Any, ...]) -> Exhibit:
    return Exhibit(row[0], row[1], int(row[2]), bytes(row[3]).hex(), row[4], row[5],
                   None if row[6] is None else int(row[6]), row[7], json.loads(row[8]))

