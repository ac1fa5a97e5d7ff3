"""What an attacker can do to a bundle's list of entries, keeping the rest consistent.

Each function takes the bundle's files (``{name: bytes}``) and returns new
files in which the manifest is rewritten canonically and ``actors.json``
re-derived from the identity entries left, so that only the completeness
check stands between the change and a VERIFIED verdict.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from athar.custody.identity import actors_json
from athar.ledger.entry import canonical_json


def _indices(files: dict[str, bytes]) -> list[int]:
    return [e["index"] for e in json.loads(files["manifest.json"])["entries"]]


def custody_indices(files: dict[str, bytes]) -> list[int]:
    """Indices of the custody events in the bundle."""
    return [i for i in _indices(files)
            if json.loads(files[f"entries/{i}.json"])["kind"].startswith("custody.")]


def identity_indices(files: dict[str, bytes]) -> list[int]:
    return [i for i in _indices(files)
            if json.loads(files[f"entries/{i}.json"])["kind"] in
            ("actor.registered", "role.granted", "key.revoked")]


def _rebuild(files: dict[str, bytes], manifest: dict[str, object]) -> dict[str, bytes]:
    out = dict(files)
    out["manifest.json"] = canonical_json(manifest)
    entries = manifest["entries"]
    assert isinstance(entries, list)
    out["actors.json"] = actors_json((e["index"], out[f"entries/{e['index']}.json"])
                                     for e in entries)
    return out


def drop(files: dict[str, bytes], gone: Iterable[int]) -> dict[str, bytes]:
    """Leave out the entries ``gone`` (members and manifest lines)."""
    gone = set(gone)
    m = json.loads(files["manifest.json"])
    m["entries"] = [e for e in m["entries"] if e["index"] not in gone]
    out = {k: v for k, v in files.items()
           if not (k.startswith("entries/") and int(k[8:-5]) in gone)}
    return _rebuild(out, m)


def permute(files: dict[str, bytes], order: dict[int, int]) -> dict[str, bytes]:
    """Move entry ``i``'s bytes (and proof) to index ``order[i]``."""
    m = json.loads(files["manifest.json"])
    proofs = {e["index"]: e["proof"] for e in m["entries"]}
    out = dict(files)
    for i, j in order.items():
        out[f"entries/{j}.json"] = files[f"entries/{i}.json"]
    m["entries"] = [{"index": i, "proof": proofs[next((k for k, v in order.items() if v == i), i)]}
                    for i in sorted(proofs)]
    return _rebuild(out, m)


def drop_index_names(files: dict[str, bytes], names: Iterable[str]) -> dict[str, bytes]:
    """Leave out the completeness proofs of ``names`` (e.g. ``exhibit:E-1``)."""
    names = set(names)
    m = json.loads(files["manifest.json"])
    m["index"]["names"] = [n for n in m["index"]["names"] if n["name"] not in names]
    return _rebuild(files, m)


def narrow_exhibits(files: dict[str, bytes], keep: Iterable[str]) -> dict[str, bytes]:
    """Claim only ``keep`` as the bundle's exhibits (and their completeness proofs)."""
    keep = sorted(set(keep))
    m = json.loads(files["manifest.json"])
    m["exhibits"] = keep
    m["index"]["names"] = [n for n in m["index"]["names"]
                           if n["name"] == "identity" or n["name"][8:] in keep]
    return _rebuild(files, m)


def legacy(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle as an ``athar-bundle/1`` export would have written it (no index)."""
    m = json.loads(files["manifest.json"])
    del m["index"]
    m["format"] = "athar-bundle/1"
    return _rebuild(files, m)
