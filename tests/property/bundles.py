"""Build ``athar-bundle/2`` bundles without a workspace: a pure factory for verifier tests.

Signs custody events with the real ``build_entry``, appends them to a
:class:`MemoryTree`, signs a checkpoint and writes the canonical zip through
the same ``write_zip``/``canonical_members`` the exporter uses, so what the
offline verifier sees is exactly what ``athar export`` would write. Used by
``tests/``, ``fuzz/report_bundle.py`` and ``benchmarks/verify_bundle.py``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from athar.custody.commitments import Disclosure
from athar.custody.events import build_entry
from athar.custody.identity import IDENTITY_KINDS, actors_json
from athar.custody.verify import ChainVerifier, ProvedEntry
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.completeness import IDENTITY_NAME, SNAPSHOT_KIND, exhibit_name, snapshot_body
from athar.ledger.entry import Entry, canonical_json
from athar.ledger.hashing import leaf_hash
from athar.ledger.note import Signer, sign
from athar.ledger.tree import MemoryTree
from athar.ledger.vmap import MapValue, VerifiableMap
from athar.report.completeness import Tally
from athar.report.verify import BUNDLE_FORMAT, canonical_members, write_zip

LOG = Signer.from_seed("example.org/log", bytes(range(32)))
ADMIN = Signer.from_seed("admin", bytes(range(1, 33)))
ORIGIN = "example.org/log"


def at(n: int) -> str:
    """The ``n``-th minute after 2024-05-01T00:00Z, as an event time."""
    day, rem = divmod(n, 24 * 60)
    return f"2024-{5 + day // 28:02d}-{1 + day % 28:02d}T{rem // 60:02d}:{rem % 60:02d}:00Z"


@dataclass
class Builder:
    """Accumulates entries; :meth:`files` signs a checkpoint and lays out the bundle."""

    entries: list[bytes] = field(default_factory=list)
    heads: dict[str, str] = field(default_factory=dict)
    signers: dict[str, Signer] = field(default_factory=dict)
    openings: dict[tuple[int, str], Disclosure] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    exhibits: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The log's genesis: the admin registers itself, then registers everyone else.
        body = {"actor_id": "admin", "name": "Admin", "actor_type": "person",
                "vkey": ADMIN.vkey, "roles": ["admin"]}
        self.entries.append(Entry.create("actor.registered", body, ADMIN).to_bytes())

    def actor(self, actor_id: str, *roles: str) -> Signer:
        """Register an actor (signed by the admin) with a deterministic key."""
        seed = hashlib.sha256(actor_id.encode()).digest()
        signer = Signer.from_seed(actor_id, seed)
        body = {"actor_id": actor_id, "name": actor_id.title(), "actor_type": "person",
                "vkey": signer.vkey, "roles": list(roles)}
        self.entries.append(Entry.create("actor.registered", body, ADMIN).to_bytes())
        self.signers[actor_id] = signer
        return signer

    def event(self, action: str, exhibit: str, who: str, when: int, *,
              public: dict[str, Any] | None = None,
              private: dict[str, Any] | None = None) -> int:
        """Sign and append one custody event; return its index."""
        entry, openings = build_entry(action, exhibit, self.heads.get(exhibit),
                                      self.signers[who], at=at(when), public=public,
                                      private=private)
        data = entry.to_bytes()
        index = len(self.entries)
        self.entries.append(data)
        lh = leaf_hash(data).hex()
        self.heads[exhibit] = lh
        if action == "split":
            for p in (public or {})["portions"]:
                self.heads[p["code"]] = lh
        for o in openings:
            self.openings[(index, o.field)] = Disclosure(lh, o.field, o.value, o.salt)
        return index

    def register(self, code: str, who: str, when: int, *, blob: bytes | None = None,
                 parent: str | None = None, private: dict[str, Any] | None = None) -> int:
        """Register a physical exhibit, or a digital one holding ``blob``."""
        public: dict[str, Any] = {"exhibit_kind": "physical", "parent": parent}
        if blob is not None:
            digest = hashlib.sha256(blob).hexdigest()
            self.blobs[digest] = blob
            public = {"exhibit_kind": "digital", "parent": parent,
                      "blob": {"sha256": digest, "size": len(blob),
                               "media_type": "application/octet-stream"}}
        return self.event("registered", code, who, when, public=public, private=private)

    def index(self) -> dict[str, MapValue]:
        """The completeness index over the entries so far, counted by replaying them."""
        tree = MemoryTree()
        for data in self.entries:
            tree.append(data)
        tally = Tally()
        v = ChainVerifier(Checkpoint(ORIGIN, tree.size, tree.root()), observer=tally)
        for i, data in enumerate(self.entries):
            if json.loads(data)["kind"] in IDENTITY_KINDS:
                tally.identity(i, leaf_hash(data).hex())
            v.add(ProvedEntry(i, data, tuple(tree.inclusion_proof(i, tree.size))))
        v.finish([])
        return {n: MapValue(c, bytes.fromhex(tally.heads[n])) for n, c in tally.counts.items()}

    def snapshot(self) -> tuple[int, VerifiableMap, dict[str, MapValue]]:
        """Append the log's index snapshot (signed by the log key) over the entries so far."""
        values = self.index()
        vm = VerifiableMap(values)
        n = len(self.entries)
        self.entries.append(Entry.create(SNAPSHOT_KIND, snapshot_body(n, len(vm), vm.root),
                                         LOG).to_bytes())
        return n, vm, values

    def files(self, exhibits: Iterable[str], *, with_blobs: bool = True,
              disclose: Iterable[tuple[int, str]] = ()) -> dict[str, bytes]:
        """Every bundle file, as ``athar export`` lays them out, for a checkpoint over all
        entries so far and an index snapshot appended as its last entry."""
        exhibits = sorted(exhibits)
        snap, vm, values = self.snapshot()
        names = sorted({IDENTITY_NAME, *(exhibit_name(c) for c in exhibits)} & set(values))
        index = {"entry": snap, "names": [
            {"name": n, "events": values[n].count, "head": values[n].head.hex(),
             "proof": [h.hex() for h in vm.proof(n)]} for n in names]}
        tree = MemoryTree()
        for data in self.entries:
            tree.append(data)
        size = tree.size
        cp = Checkpoint(ORIGIN, size, tree.root())
        disclosures = [self.openings[k] for k in disclose]
        blobs = sorted(self.blobs) if with_blobs else []
        manifest = {
            "format": BUNDLE_FORMAT, "origin": ORIGIN, "tree_size": size,
            "exhibits": sorted(exhibits),
            "entries": [{"index": i, "proof": [h.hex() for h in tree.inclusion_proof(i, size)]}
                        for i in range(size)],
            "blobs": blobs,
            "disclosures": [{"leaf_hash": d.leaf_hash, "field": d.field}
                            for d in sorted(disclosures, key=lambda d: (d.leaf_hash, d.field))],
            "index": index,
        }
        snap_data = self.entries.pop()  # the snapshot belongs to this bundle's checkpoint only
        out = {"manifest.json": canonical_json(manifest),
               "checkpoint.txt": sign(cp.to_text(), [LOG]).encode(),
               "actors.json": actors_json(enumerate(self.entries))}
        out.update({f"entries/{i}.json": d for i, d in enumerate(self.entries)})
        out[f"entries/{snap}.json"] = snap_data
        out.update({f"disclosures/{d.leaf_hash}.{d.field}.json": d.to_bytes()
                    for d in disclosures})
        out.update({f"blobs/{b}": self.blobs[b] for b in blobs})
        return out


def zip_files(files: dict[str, bytes], path: Path | None = None) -> bytes:
    """The canonical zip of ``files`` (written to ``path`` too, when given)."""
    import io
    import json

    manifest = json.loads(files["manifest.json"])
    buf = io.BytesIO()
    write_zip(buf, canonical_members(manifest, lambda name: [files[name]]))
    if path is not None:
        path.write_bytes(buf.getvalue())
    return buf.getvalue()


def story(exhibits: int = 2, per: int = 6, *, blob: bytes | None = None) -> Builder:
    """Exhibits collected and sealed by ``inv``, passed between two custodians with seal
    checks at each receipt (``per`` events each, interleaved)."""
    b = Builder()
    b.actor("inv", "investigator")
    b.actor("cus-a", "custodian")
    b.actor("cus-b", "custodian", "lab")
    clock = 0
    holders: dict[str, str] = {}
    for n in range(exhibits):
        code = f"E-{n:05d}"
        b.register(code, "inv", clock, blob=blob if n == 0 else None,
                   private={"description": f"exhibit {n}"})
        b.exhibits.append(code)
        holders[code] = "inv"
    seals = {code: f"SEAL-{code}" for code in holders}
    plan = ["sealed", "handed_over", "received", "seal_checked"]
    for step in range(per - 1):
        clock += 1
        for code in b.exhibits:
            action = plan[step % 4] if step < 4 else ("handed_over", "received",
                                                     "seal_checked")[(step - 4) % 3]
            holder = holders[code]
            if action == "sealed":
                b.event("sealed", code, holder, clock, public={"seals": [seals[code]]})
            elif action == "handed_over":
                to = "cus-a" if holder != "cus-a" else "cus-b"
                b.event("handed_over", code, holder, clock, public={"to": to})
                holders[code] = "->" + to
            elif action == "received":
                to = holders[code][2:]
                b.event("received", code, to, clock)
                holders[code] = to
            else:
                b.event("seal_checked", code, holder, clock,
                        public={"seals": [seals[code]], "status": "intact"})
    return b
