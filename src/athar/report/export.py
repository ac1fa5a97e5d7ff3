"""Export bundles: everything a third party needs to check exhibits' custody offline.

A bundle is a zip (``athar-bundle/2``) with:

* ``manifest.json``: canonical JSON: origin, tree size, the exhibits, every
  entry's index and inclusion proof, the blobs and disclosures included, and
  the completeness index (each exhibit's event count, last event and map
  proof in the index snapshot that is the checkpoint's last entry);
* ``checkpoint.txt``: the log's signed checkpoint the proofs lead to;
* ``entries/<index>.json``: the entries' exact leaf bytes (custody events of
  the exhibits, their ancestors, portions and results, and every identity entry);
* ``actors.json``: actors, roles and public keys, as the identity entries say;
* ``blobs/<sha256>``: optionally, the files' bytes;
* ``disclosures/<leaf>.<field>.json``: optionally, disclosed committed values.

Every byte of every file is checked by :mod:`athar.report.verify`: nothing in
a bundle is unverified decoration. The zip is canonical (stored, fixed dates, fixed order), so a verifier can
rebuild it and detect a change to any byte of the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from athar.custody.commitments import Disclosure, check_disclosure
from athar.custody.identity import actors_json
from athar.custody.index import index_values
from athar.custody.service import CustodyService
from athar.errors import IntegrityError
from athar.ledger.completeness import IDENTITY_NAME, exhibit_name, parse_snapshot
from athar.ledger.entry import Entry, canonical_json
from athar.ledger.hashing import leaf_hash
from athar.ledger.vmap import VerifiableMap
from athar.report.manifest import BUNDLE_FORMAT
from athar.report.verify import canonical_members, write_zip

__all__ = ["BUNDLE_FORMAT", "ExportSummary", "export_bundle"]


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    entries: int
    exhibits: tuple[str, ...]
    blobs: int
    disclosures: int
    tree_size: int


def _index_section(svc: CustodyService, snapshot: int,
                   exhibits: Sequence[str]) -> dict[str, Any]:
    """The manifest's ``index``: each exhibit's (and identity's) count, head and map proof
    in the snapshot at ``snapshot`` (``docs/design/completeness.md``)."""
    values = index_values(svc.log.read, snapshot)
    vm = VerifiableMap(values)
    snap = parse_snapshot(Entry.from_bytes(svc.log.entry(snapshot)), svc.log.signer.vkey)
    if vm.root != snap.root:
        raise IntegrityError("the completeness index recomputed from the database differs "
                             "from the snapshot just logged; run athar log verify --from-scratch")
    names = sorted({IDENTITY_NAME, *(exhibit_name(c) for c in exhibits)} & set(values))
    return {"entry": snapshot,
            "names": [{"name": n, "events": values[n].count, "head": values[n].head.hex(),
                       "proof": [h.hex() for h in vm.proof(n)]} for n in names]}


def export_bundle(svc: CustodyService, codes: Sequence[str], out: Path, *,
                  include_blobs: bool = False,
                  disclose: Sequence[tuple[str | int, str]] = ()) -> ExportSummary:
    """Write a bundle for ``codes`` (and their custody closure) to ``out``.

    Raises NotFound for an unknown exhibit or undisclosable field, and
    DisclosureMismatch for a disclosure whose value no longer opens the
    commitment in the log (nothing is written then); the file is written to a
    temporary name and renamed only when complete.
    """
    snap, cp = svc.log.snapshot()
    parts = svc.gather(codes, checkpoint=cp, include=[snap.index])
    index = _index_section(svc, snap.index, parts.exhibits)
    disclosures: list[Disclosure] = list({
        (d.leaf_hash, d.field): d for d in (svc.disclosure(r, f) for r, f in disclose)}.values())
    by_leaf = {leaf_hash(e.data).hex(): e.data for e in parts.entries}
    for d in disclosures:
        if d.leaf_hash in by_leaf:
            check_disclosure(d, by_leaf[d.leaf_hash])
    blobs = [d for d in parts.blobs if include_blobs and svc.blobs.exists(d)]
    manifest = {
        "format": BUNDLE_FORMAT,
        "origin": parts.checkpoint.checkpoint.origin,
        "tree_size": parts.checkpoint.checkpoint.size,
        "exhibits": list(parts.exhibits),
        "entries": [{"index": e.index, "proof": [h.hex() for h in e.proof]}
                    for e in parts.entries],
        "blobs": blobs,
        "disclosures": [{"leaf_hash": lh, "field": f}
                        for lh, f in sorted({(d.leaf_hash, d.field) for d in disclosures})],
        "index": index,
    }
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    files = {"manifest.json": canonical_json(manifest),
             "checkpoint.txt": parts.checkpoint.note.encode(),
             "actors.json": actors_json((e.index, e.data) for e in parts.entries)}
    files.update({f"entries/{e.index}.json": e.data for e in parts.entries})
    files.update({f"disclosures/{d.leaf_hash}.{d.field}.json": d.to_bytes()
                  for d in disclosures})

    def read(name: str) -> Iterable[bytes]:
        if name.startswith("blobs/"):
            return svc.blobs.read(name[len("blobs/"):])
        return [files[name]]

    try:
        with tmp.open("wb") as f:
            write_zip(f, canonical_members(manifest, read))
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return ExportSummary(out, len(parts.entries), parts.exhibits, len(blobs), len(disclosures),
                         parts.checkpoint.checkpoint.size)
