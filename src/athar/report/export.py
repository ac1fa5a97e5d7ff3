"""Export bundles: everything a third party needs to check exhibits' custody offline.

A bundle is a zip (``athar-bundle/1``) with:

* ``manifest.json``: canonical JSON: origin, tree size, the exhibits, every
  entry's index and inclusion proof, the blobs and disclosures included;
* ``checkpoint.txt``: the log's signed checkpoint the proofs lead to;
* ``entries/<index>.json``: the entries' exact leaf bytes (custody events of
  the exhibits, their ancestors, portions and results, and every identity entry);
* ``actors.json``: actors, roles and public keys, as the identity entries say;
* ``blobs/<sha256>``: optionally, the files' bytes;
* ``disclosures/<leaf>.<field>.json``: optionally, disclosed committed values.

Every byte of every file is checked by :mod:`athar.report.verify`: nothing in
a bundle is unverified decoration. The zip is written deterministically.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from athar.custody.commitments import Disclosure
from athar.custody.identity import actors_json
from athar.custody.service import CustodyService
from athar.ledger.entry import canonical_json

__all__ = ["BUNDLE_FORMAT", "ExportSummary", "export_bundle"]

BUNDLE_FORMAT = "athar-bundle/1"
_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    entries: int
    exhibits: tuple[str, ...]
    blobs: int
    disclosures: int
    tree_size: int


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def export_bundle(svc: CustodyService, codes: Sequence[str], out: Path, *,
                  include_blobs: bool = False,
                  disclose: Sequence[tuple[str | int, str]] = ()) -> ExportSummary:
    """Write a bundle for ``codes`` (and their custody closure) to ``out``.

    Raises NotFound for an unknown exhibit or undisclosable field; the file is
    written to a temporary name and renamed only when complete.
    """
    parts = svc.gather(codes)
    disclosures: list[Disclosure] = list({
        (d.leaf_hash, d.field): d for d in (svc.disclosure(r, f) for r, f in disclose)}.values())
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
    }
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            _write(zf, "manifest.json", canonical_json(manifest))
            _write(zf, "checkpoint.txt", parts.checkpoint.note.encode())
            _write(zf, "actors.json", actors_json((e.index, e.data) for e in parts.entries))
            for e in parts.entries:
                _write(zf, f"entries/{e.index}.json", e.data)
            for d in disclosures:
                _write(zf, f"disclosures/{d.leaf_hash}.{d.field}.json", d.to_bytes())
            for digest in blobs:
                info = zipfile.ZipInfo(f"blobs/{digest}", _DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as dst:
                    for chunk in svc.blobs.read(digest):
                        dst.write(chunk)
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return ExportSummary(out, len(parts.entries), parts.exhibits, len(blobs), len(disclosures),
                         parts.checkpoint.checkpoint.size)
